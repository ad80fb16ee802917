"""A campaign as a chat shows it: /status, /history, and the outbox's campaign notices.

:func:`campaign_reply` is the one way a campaign is worded: a progress line
while the worker is on it, else its whole status with the buttons that take
it further. /status, /history and the notices the couriers deliver
(:meth:`CampaignReports.render_notice`) all use it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.approval_notices import waiting_line
from bot.campaign_export import CampaignExport
from bot.campaign_status import CampaignState, CampaignStatus
from bot.campaigns import CampaignEngine
from bot.chat import Button, Reply
from bot.errors import ProviderError
from bot.i18n import every_spelling, explain, translate
from bot.records import Campaign, CampaignPhase, ChunkState, Notice
from bot.roles import Role
from bot.store import Store
from bot.turn import Turn, read_id, spell
from bot.views import Translate, campaign_summary, history_line, local_time, progress_line

log = logging.getLogger(__name__)

MINE_WORDS = frozenset(
    spelled
    for word in every_spelling("history.mine")
    for spelled in (word, unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode())
)
"""``/history mine`` in every language, accents typed or not (mías, mias)."""


def in_progress(status: CampaignStatus) -> bool:
    """The worker is on it: the chat is shown a progress line, not the whole status."""
    return status.campaign.work is not None and status.state in (
        CampaignState.CONFIRMED,
        CampaignState.SENDING,
    )


async def _refusals(store: Store, status: CampaignStatus) -> dict[str, int]:
    """The numbers refused, by status, that a whole status lists; none for a progress
    line (counted at every part of a send, they would cost every part a query)."""
    return {} if in_progress(status) else await store.refusal_counts(status.campaign.id)


def campaign_reply(
    t: Translate,
    explain: Callable[[str], str],
    status: CampaignStatus,
    refusals: Mapping[str, int],
    zone: str,
    *,
    now: datetime,
    may_send: bool,
    quiet_window: timedelta | None = None,
    exportable: bool = False,
) -> Reply:
    """A campaign as a chat shows it: a progress line while the worker is on it, else
    its whole status, with Continue or Resend when a person can take it further (and,
    when ``exportable``, its results as a file)."""
    campaign = status.campaign
    cid = campaign.id
    checking = status.checking(now)
    excluded = [t("status.excluded", count=status.excluded)] if status.excluded else []
    if in_progress(status):
        lines = [progress_line(t, status.progress) if status.chunks else t("send.sending", id=cid)]
        lines += excluded
        if checking:
            lines.append(t("status.unknown", count=checking))
            lines += _safe_after(t, status, zone, quiet_window, checking)
        return Reply("\n".join(lines))
    text = "\n".join(
        [
            campaign_summary(t, status, refusals, zone, explain, checking=checking, now=now),
            *excluded,
        ]
    )
    if checking:
        text = "\n".join([text, *_safe_after(t, status, zone, quiet_window, checking)])
    buttons: tuple[tuple[Button, ...], ...] = ()
    if may_send and campaign.work is None and not checking:
        if status.count(ChunkState.PENDING, ChunkState.SKIPPED):
            buttons = ((Button(t("button.continue"), f"send:continue:{cid}"),),)
        elif status.count(ChunkState.NOT_SENT):
            buttons = ((Button(t("button.resend"), f"send:resend:{cid}"),),)
    if exportable and status.chunks:
        buttons = (*buttons, (Button(t("button.export"), f"status:export:{cid}"),))
    return Reply(text, buttons=buttons)


def _safe_after(
    t: Translate,
    status: CampaignStatus,
    zone: str,
    quiet_window: timedelta | None,
    checking: int,
) -> list[str]:
    """When the unsure parts can be judged never sent (and offered for Resend): the
    quiet window after the last of their calls."""
    if quiet_window is None:
        return []
    calls = [c.sent_at or c.updated_at for c in status.chunks if c.state.unsettled]
    if not calls:
        return []
    return [
        t("status.safe_after", count=checking, time=local_time(max(calls) + quiet_window, zone))
    ]


def visible(turn: Turn, campaign: Campaign) -> bool:
    """A campaign is shown in its own chat, and to the person who made it in a private
    chat: never in a group or channel it was not made in, where others read along."""
    if turn.command.chat_id == campaign.chat:
        return True
    return turn.command.private and turn.command.user.key == campaign.created_by


class CampaignReports:
    """/status and /history, and the campaign notices of the outbox."""

    def __init__(
        self,
        store: Store,
        engine: CampaignEngine,
        *,
        mentions: re.Pattern[str],
        language: str,
        timezone: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.engine = engine
        self.mentions = mentions
        self.language = language
        self.timezone = timezone
        self.clock = clock

    async def render_notice(self, notice: Notice) -> Reply | None:
        """A notice of the outbox as its chat shows it now (None: nothing to show)."""
        kind, _, ident = notice.subject.partition(":")
        number = read_id(ident)
        if kind not in ("campaign", "schedule") or number is None:
            return None
        campaign = await self.store.get_campaign(number)
        if campaign is None:
            return None
        lang = str(notice.data.get("lang") or self.language)
        prefix = str(notice.data.get("prefix") or "/")
        zone = str(notice.data.get("timezone") or self.timezone)

        def t(key: str, **params: Any) -> str:
            return spell(self.mentions, prefix, translate(lang, key, **params))

        reply = campaign_reply(
            t,
            lambda status: explain(lang, status),
            status := await self.engine.status(campaign.id),
            await _refusals(self.store, status),
            zone,
            now=self.clock(),
            may_send=True,  # a button press is checked against the presser's role
            quiet_window=self.engine.quiet_window,
        )
        if kind == "schedule" and campaign.schedule_at is not None:
            # The report: a message of its own, with the whole status as it is now.
            when = local_time(campaign.schedule_at, zone)
            title = t("schedule.report", id=campaign.id, when=when, zone=zone)
            return dataclasses.replace(reply, text=f"{title}\n{reply.text}")
        return reply

    async def show(self, turn: Turn, status: CampaignStatus) -> None:
        refusals = await _refusals(self.store, status)
        reply = campaign_reply(
            turn.t,
            turn.explain,
            status,
            refusals,
            turn.timezone,
            now=self.clock(),
            may_send=turn.allowed(Role.SENDER),
            quiet_window=self.engine.quiet_window,
            exportable=True,
        )
        if status.campaign.phase is not CampaignPhase.CONFIRMED:
            approval = await self.store.get_approval(status.campaign.id)
            if approval is not None:  # waiting for a second person, or why it was not sent
                line = waiting_line(turn.t, approval, turn.timezone, self.clock())
                reply = replace(reply, text=f"{reply.text}\n{line}")
        await turn.send(reply)

    async def export(self, turn: Turn, action: str) -> None:
        """``status:export:<id>``: the campaign's results as a CSV file, one row per
        number; outside a private chat it goes to the person alone (it lists numbers)."""
        number = read_id(action.rsplit(":", 1)[-1])
        campaign = await self.store.get_campaign(number) if number is not None else None
        if campaign is None or not visible(turn, campaign):
            await turn.say("status.not_found", id=action.rsplit(":", 1)[-1])
            return
        try:
            file, count = await CampaignExport(self.store, turn.lang).write(campaign.id)
        except OSError as exc:
            log.warning("could not write the results of campaign %d: %s", campaign.id, exc)
            await turn.say("export.failed", id=campaign.id)
            return
        try:
            text = turn.t("export.ready", id=campaign.id, count=count)
            await turn.send(Reply(text, file=file, secret=not turn.command.private))
        finally:
            await asyncio.to_thread(file.path.unlink, missing_ok=True)

    async def status(self, turn: Turn) -> None:
        arg = turn.command.args.strip().lstrip("#")
        store = self.store
        campaign: Campaign | None
        if not arg:
            latest = await store.list_campaigns(chat=turn.command.chat_id, limit=1)
            if not latest:
                await turn.say("status.none")
                return
            campaign = latest[0]
        elif (number := read_id(arg)) is not None:
            campaign = await store.get_campaign(number)
            if campaign is None or not visible(turn, campaign):
                campaign = await store.find_campaign_by_event(number)
            if campaign is None or not visible(turn, campaign):
                await turn.say("status.not_found", id=arg)
                return
        else:
            await turn.say("status.usage")
            return
        status = await self.engine.status(campaign.id)
        if status.state in (CampaignState.DONE, CampaignState.PARTIAL):
            try:
                status = await self.engine.reconciler.refresh(campaign.id)
            except ProviderError as exc:
                log.info("status without uSendit's latest numbers: %s", exc)  # show what we have
        await self.show(turn, status)

    async def history(self, turn: Turn) -> None:
        """This chat's latest campaigns; ``/history mine``: the person's own, from any chat
        when asked in a private one (elsewhere only this chat's: others read along)."""
        if turn.command.args.strip().lower() in MINE_WORDS:
            chat = None if turn.command.private else turn.command.chat_id
            campaigns = await self.store.list_campaigns(
                chat=chat, created_by=turn.command.user.key, limit=10
            )
        else:
            campaigns = await self.store.list_campaigns(chat=turn.command.chat_id, limit=10)
        if not campaigns:
            await turn.say("status.none")
            return
        lines = [turn.t("history.title")]
        for campaign in campaigns:
            status = await self.engine.status(campaign.id)
            lines.append(history_line(turn.t, status, turn.timezone))
        await turn.send(Reply("\n".join(lines)))
