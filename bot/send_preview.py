"""A draft's preview, as /send shows it before Confirm: the text, its encoding and
segments, the recipients (and how many the opt-out list left out), the credits
against the balance, the sender and the time, the delivery window (and when it opens,
if closed when the campaign goes), with Confirm, Edit and Cancel."""

from __future__ import annotations

from datetime import datetime

from bot.chat import Button, Reply
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
    counted = count_segments(campaign.text)
    when = campaign.schedule_at
    lines = [turn.t("send.preview_title", id=cid), campaign.text, "—"]
    lines.append(
        turn.t(
            "send.preview_facts",
            encoding="GSM-7" if counted.encoding is Encoding.GSM7 else "UCS-2",
            segments=counted.segments,
            sender=campaign.sender or turn.t("send.default_sender"),
            recipients=campaign.recipient_count,
            needed=campaign.estimated_credits,
            balance=balance,
            when=turn.t("send.now")
            if when is None
            else f"{local_time(when, turn.timezone)} ({turn.timezone})",
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
    alternative = gsm7_alternative(campaign.text) if offer else None
    if alternative is not None:
        lines.append(turn.t("send.plain_offer", segments=alternative[1].segments))
        rows.append((Button(turn.t("button.use_gsm7"), f"send:plain:{cid}:{revision}"),))
    return Reply("\n".join(lines), buttons=tuple(rows))
