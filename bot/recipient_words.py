"""Numbers a person gives in a chat (typed, or a CSV/TXT file), read off the event loop,
and what is told of them: how many, and each one left out with its line.

The /send wizard, ``/optout add`` and ``/optout remove`` read numbers the same way.
"""

from __future__ import annotations

import asyncio

from bot.recipient_files import parse_file
from bot.recipients import RecipientList, RecipientsError, parse_text
from bot.turn import Session, Turn
from bot.views import Translate

SHOWN_REJECTS = 10
"""How many left-out entries a reply names, each with its line (the rest are counted)."""


async def read_numbers(session: Session, turn: Turn, text: str) -> RecipientList | None:
    """The numbers of the turn's file (its first), else of ``text``; None when the file
    cannot be read at all (too large, not text, no phone column), and the person is told."""
    try:
        if turn.command.attachments:
            file = turn.command.attachments[0]
            # A 100,000-row file takes a second or two to read: keep the event loop free.
            return await asyncio.to_thread(
                parse_file,
                file.name,
                file.content,
                session.region,
                max_bytes=session.max_file_bytes,
                max_rows=session.max_recipients,
            )
        # A text crafted to be slow takes a second: read it off the event loop too.
        return await asyncio.to_thread(
            parse_text, text, session.region, max_entries=session.max_recipients
        )
    except RecipientsError as exc:
        await turn.say("recipients.error." + exc.code, limit=exc.limit or "")
        return None


def rejection_lines(t: Translate, parsed: RecipientList) -> list[str]:
    """A line per entry left out (the first :data:`SHOWN_REJECTS`), with its line number."""
    lines = [
        t(
            "recipients.rejected." + rejected.reason.value,
            line=rejected.line,
            raw=rejected.raw,
            first=rejected.first_line or "",
        )
        for rejected in parsed.rejected[:SHOWN_REJECTS]
    ]
    if len(parsed.rejected) > SHOWN_REJECTS:
        lines.append(t("recipients.more", count=len(parsed.rejected) - SHOWN_REJECTS))
    return lines


def shown_number(msisdn: str) -> str:
    """``351912345678`` -> ``+351912345678``: stored digits as people read them."""
    return "+" + msisdn
