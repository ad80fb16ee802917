"""A draft's preview, as /send shows it before Confirm: the text, its encoding and
segments (for a personalised text, :mod:`bot.personal_preview`'s facts), the
recipients (and how many the opt-out list left out), the credits against the
balance, the sender and the time, the delivery window (and when it opens, if closed
when the campaign goes), with Confirm, Edit and Cancel."""

from __future__ import annotations

from datetime import datetime

from bot.chat import Button, Reply
from bot.personal_preview import preview_facts
from bot.personal_text import Summary
from bot.records import Campaign
from bot.segments import Encoding, count_segments
from bot.turn import Turn
from bot.views import gsm7_alternative, local_time
from bot.window_step import preview_lines


def preview_reply(
    turn: Turn, campaign: Campaign, balance: int, now: datetime, *, offer: bool = False
) -> Reply:
    """The preview of ``campaign`` at ``now`` (``offer``: with the text without accents
    offered)."""
    cid, revision = campaign.id, campaign.revision
    when = campaign.schedule_at
    sender = campaign.sender or turn.t("send.default_sender")
    moment = (
        turn.t("send.now")
        if when is None
        else f"{local_time(when, turn.timezone)} ({turn.timezone})"
    )
    lines = [turn.t("send.preview_title", id=cid), campaign.text, "—"]
    summary = Summary.from_stored(campaign.personal)
    if summary is not None:
        lines += preview_facts(
            turn,
            summary,
            recipients=campaign.recipient_count,
            sender=sender,
            when=moment,
            balance=balance,
        )
    else:
        counted = count_segments(campaign.text)
        lines.append(
            turn.t(
                "send.preview_facts",
                encoding="GSM-7" if counted.encoding is Encoding.GSM7 else "UCS-2",
                segments=counted.segments,
                sender=sender,
                recipients=campaign.recipient_count,
                needed=campaign.estimated_credits,
                balance=balance,
                when=moment,
            )
        )
    lines += preview_lines(turn, campaign, now)
    if campaign.opted_out:
        lines.append(turn.t("send.preview_opted_out", count=campaign.opted_out))
    if balance < campaign.estimated_credits:
        lines.append(turn.t("send.preview_short"))
    rows: list[tuple[Button, ...]] = [
        (
            Button(turn.t("button.confirm"), f"send:confirm:{cid}:{revision}"),
            Button(turn.t("button.edit"), f"send:edit:{cid}"),
            Button(turn.t("button.cancel"), f"send:cancel:{cid}"),
        )
    ]
    alternative = gsm7_alternative(campaign.text) if offer and summary is None else None
    if summary is not None and summary.plain_credits is not None:
        # Every rendered text would fit GSM-7 for fewer credits: offered at every preview
        # (the conversation asks no "without accents?" at the text step for these).
        lines.append(
            turn.t("personal.plain_offer", credits=summary.plain_credits, needed=summary.credits)
        )
        rows.append((Button(turn.t("button.use_gsm7"), f"send:plain:{cid}:{revision}"),))
    elif alternative is not None:
        lines.append(turn.t("send.plain_offer", segments=alternative[1].segments))
        rows.append((Button(turn.t("button.use_gsm7"), f"send:plain:{cid}:{revision}"),))
    return Reply("\n".join(lines), buttons=tuple(rows))
