"""A campaign's results as a CSV file: one row per recipient, written part by part.

Each row is a number and what became of it: the status uSendit gave it
(SmsScheduled: MsgId, ScheduleMessageStatus, NumberSMS), or, for a number of a
part uSendit never answered for, that part's state (not sent, skipped, still
unsure...); a refused number has the reason in the reader's language, and a
number left out by the opt-out list is marked as excluded. A personalised
campaign's file adds each number's own text (:mod:`bot.personal_text`).

The file is written to disk one part (a chunk, a thousand numbers or so) at a
time, so a campaign of 100k recipients is never held whole in memory; the
reply hands its path to the adapter (:class:`~bot.chat.ReplyFile`).

Spreadsheets read a CSV by the list separator of their locale: Portuguese and
Spanish ones expect ``;`` (the comma is their decimal mark), English ones ``,``.
The file starts with a UTF-8 byte order mark, so Excel shows accents right.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.chat import ReplyFile
from bot.i18n import explain, translate
from bot.records import Chunk, ChunkState, MessageOutcome
from bot.store import Store

SEPARATORS = {"pt": ";", "es": ";"}
"""The list separator of spreadsheets in each language; ``,`` otherwise."""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Free text (a rendered message, a person's name) as a spreadsheet cell that is never
    run as a formula: one starting with ``= + - @`` (or a tab or return) gets a leading
    ``'``, which spreadsheets show as text. Numbers (``+351...``) are ours, not free."""
    return "'" + text if text.startswith(_FORMULA_START) else text


EXCLUDED = "EXCLUDED"
"""The status of a number the opt-out list kept out of the campaign."""

_ANSWERED = (ChunkState.ACCEPTED, ChunkState.REJECTED, ChunkState.DUPLICATE)
"""Parts uSendit answered for, number by number (as far as it said)."""

_FINE = frozenset({"SCHEDULED"})


def _number(msisdn: str) -> str:
    return msisdn if msisdn.startswith("+") else f"+{msisdn}"


class CampaignExport:
    """Writes one campaign's results for a reader of language ``lang``."""

    def __init__(self, store: Store, lang: str, folder: Path | None = None) -> None:
        self.store = store
        self.lang = lang
        self.folder = folder

    async def write(self, campaign_id: int) -> tuple[ReplyFile, int]:
        """The results file of campaign ``campaign_id`` and how many rows it has; the
        caller deletes the file."""
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - handed to the caller
            "wb", prefix=f"campaign-{campaign_id}-", suffix=".csv", dir=self.folder, delete=False
        )
        path = Path(handle.name)
        try:
            with handle:
                count = await self._write(campaign_id, handle.write)
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        return ReplyFile(path, f"campaign-{campaign_id}.csv"), count

    async def _write(self, campaign_id: int, write: Callable[[bytes], object]) -> int:
        t = self._t
        header = ("export.number", "export.status", "export.reason", "export.msg_id", "export.sms")
        campaign = await self.store.get_campaign(campaign_id)
        # A personalised campaign: each number's own text, as it was sent.
        personal = campaign is not None and campaign.personal is not None
        rows: list[list[str]] = [[t(key) for key in header] + ([t("export.text")] * personal)]
        count = 0
        write("\ufeff".encode())
        excluded = {r.seq for r in await self.store.excluded_recipients(campaign_id)}
        for chunk in await self.store.chunks(campaign_id):
            recipients = await self.store.recipients(
                campaign_id, chunk.first_recipient, chunk.last_recipient
            )
            outcomes = (
                {o.partner_msg_id: o for o in await self.store.chunk_outcomes(chunk.id)}
                if chunk.state in _ANSWERED
                else {}
            )
            for recipient in recipients:
                if recipient.seq in excluded:
                    row = self._excluded(recipient.msisdn)
                else:
                    found = outcomes.get(recipient.partner_msg_id)
                    row = self._row(recipient.msisdn, chunk, found)
                if personal:
                    row.append(cell(recipient.text or ""))
                rows.append(row)
            count += len(recipients)
            # Written a part at a time, off the loop: a big campaign never waits in memory.
            await asyncio.to_thread(write, self._encode(rows))
            rows = []
        if rows:
            write(self._encode(rows))
        return count

    def _t(self, key: str) -> str:
        return translate(self.lang, key)

    def _encode(self, rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=SEPARATORS.get(self.lang, ","), lineterminator="\r\n").writerows(
            rows
        )
        return out.getvalue().encode()

    def _excluded(self, msisdn: str) -> list[str]:
        return [_number(msisdn), EXCLUDED, self._t("export.excluded"), "", ""]

    def _row(self, msisdn: str, chunk: Chunk, outcome: MessageOutcome | None) -> list[str]:
        if outcome is not None:
            reason = "" if outcome.status in _FINE else explain(self.lang, outcome.status)
            return [
                _number(msisdn),
                outcome.status,
                reason,
                str(outcome.msg_id) if outcome.msg_id else "",
                str(outcome.number_sms),
            ]
        # No word from uSendit on this number: what its part came to.
        status = chunk.state.value
        why = chunk.reason or chunk.status
        reason = explain(self.lang, why) if why else self._t(f"export.state.{status.lower()}")
        return [_number(msisdn), status, reason, "", ""]
