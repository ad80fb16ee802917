"""Texts the core shows: counts, campaigns, packs, payments; translated through ``t``.

Numbers go to ``t`` as numbers and prices as :class:`~bot.i18n.Money`: the
catalog's language writes them (``12 345``, ``6,00 €``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from bot.campaign_status import CampaignState, CampaignStatus, Progress
from bot.i18n import Money
from bot.records import ChunkState
from bot.segments import MAX_SEGMENTS, Encoding, SegmentCount, count_segments, to_gsm7
from bot.send_window import ZonedWindow
from bot.usendit.models import CreditPacksResult, Pack

Translate = Callable[..., str]
SHORT_OF_CREDITS = re.compile(r"INSUFFICIENT_CREDITS: needs (?P<needed>\d+), has (?P<has>\d+)")

PER_SEGMENT = {
    (Encoding.GSM7, True): 160,
    (Encoding.GSM7, False): 153,
    (Encoding.UCS2, True): 70,
    (Encoding.UCS2, False): 67,
}


def gsm7_alternative(text: str) -> tuple[str, SegmentCount] | None:
    """The text with accents replaced, when that makes it GSM-7 in fewer segments, and
    within uSendit's limit: only then is it worth offering."""
    counted = count_segments(text)
    if counted.encoding is Encoding.GSM7:
        return None
    plain = to_gsm7(text)
    plain_counted = count_segments(plain)
    if plain == text or plain_counted.encoding is not Encoding.GSM7:
        return None
    if plain_counted.segments >= counted.segments or plain_counted.segments > MAX_SEGMENTS:
        return None
    return plain, plain_counted


def count_lines(t: Translate, counted: SegmentCount) -> list[str]:
    """The breakdown of one count, a line per fact."""
    single = counted.segments <= 1
    lines = [
        t("count.encoding", encoding="GSM-7" if counted.encoding is Encoding.GSM7 else "UCS-2"),
        t(
            "count.units." + counted.encoding.value,
            units=counted.units,
        ),
        t(
            "count.segments",
            segments=counted.segments,
            per=PER_SEGMENT[(counted.encoding, single)],
        ),
        t("count.remaining", remaining=counted.remaining),
    ]
    if counted.non_gsm_chars:
        shown = " ".join(repr(c)[1:-1] if not c.isprintable() else c for c in counted.non_gsm_chars)
        lines.append(t("count.forced", chars=shown))
    return lines


def local_time(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def progress_line(t: Translate, progress: Progress) -> str:
    return t(
        "send.progress",
        id=progress.campaign_id,
        done=progress.chunks_done,
        total=progress.chunks_total,
        accepted=progress.accepted,
        rejected=progress.rejected,
    )


def campaign_summary(
    t: Translate,
    status: CampaignStatus,
    refusals: Mapping[str, int],
    zone: str,
    explain: Callable[[str], str],
    *,
    checking: int = 0,
    now: datetime | None = None,
) -> str:
    """A campaign's full status: state, chunks, counts by reason, credits, schedule
    (said to have come when ``now`` is past it)."""
    campaign = status.campaign
    lines = [
        t("status.title", id=campaign.id, state=t("state." + status.state.value)),
        t(
            "status.recipients",
            recipients=t("unit.recipients", count=campaign.recipient_count),
            segments=t("unit.segments", count=campaign.segments),
            credits=t("unit.credits", count=campaign.estimated_credits),
        ),
    ]
    if campaign.schedule_at is not None:
        key = "status.scheduled"
        if now is not None and campaign.schedule_at <= now:
            key = "status.scheduled_past"
        lines.append(t(key, when=local_time(campaign.schedule_at, zone), zone=zone))
    window = ZonedWindow.from_stored(campaign.window)
    if window is not None:
        lines.append(t("send.preview_window", window=window_words(t, zone, window)))
    if status.chunks:
        lines.append(
            t(
                "status.chunks",
                done=status.count(ChunkState.ACCEPTED, ChunkState.DUPLICATE),
                total=len(status.chunks),
            )
        )
    lines.append(
        t(
            "status.counts",
            accepted=status.accepted,
            rejected=status.rejected,
            credits=status.credits_spent,
        )
    )
    if checking:
        lines.append(t("status.unknown", count=checking))
    for reason, count in sorted(refusals.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  • {explain(reason)} ×{count}")
    for state, key in (
        (ChunkState.NOT_SENT, "status.not_sent"),
        (ChunkState.DUPLICATE, "status.duplicate"),
        (ChunkState.SKIPPED, "status.skipped"),
        (ChunkState.REJECTED, "status.rejected_chunks"),
    ):
        if status.count(state):
            lines.append(t(key, count=status.count(state)))
    short = SHORT_OF_CREDITS.fullmatch(campaign.reason or "")
    if short and status.state is not CampaignState.DONE:
        needed, available = int(short["needed"]), int(short["has"])
        lines.append(t("send.insufficient", needed=needed, available=available))
    elif campaign.reason and status.state is not CampaignState.DONE:
        lines.append(t("status.reason", reason=explain(campaign.reason.split(":")[0])))
    return "\n".join(lines)


def history_line(t: Translate, status: CampaignStatus, zone: str) -> str:
    campaign = status.campaign
    preview = campaign.text if len(campaign.text) <= 30 else campaign.text[:29] + "…"
    return t(
        "history.line",
        id=campaign.id,
        when=local_time(campaign.created_at, zone),
        state=t("state." + status.state.value),
        count=campaign.recipient_count,
        text=preview,
    )


def pack_line(t: Translate, pack: Pack) -> str:
    total = (pack.price * (100 + pack.tax_percentage) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return t(
        "packs.line",
        id=pack.id,
        description=pack.description or "",
        credits=pack.credits,
        price=Money(pack.price),
        tax=pack.tax_percentage,
        total=Money(total),
    )


def packs_text(t: Translate, result: CreditPacksResult) -> str:
    lines = [t("packs.title", account=result.account_name or "")]
    lines += [pack_line(t, pack) for pack in result.packs]
    lines.append(t("packs.hint"))
    return "\n".join(lines)


def window_words(t: Translate, zone: str, window: ZonedWindow) -> str:
    """``09:00–20:00, working days`` (the hours' zone named when it is not the reader's
    ``zone``)."""
    hours = ""
    if window.window.begin is not None and window.window.end is not None:
        hours = f"{window.window.begin:%H:%M}–{window.window.end:%H:%M}"
        if window.zone != zone:
            hours += f" ({window.zone})"
    if not window.window.working_days:
        return hours
    if not hours:
        return t("window.on_working_days")
    return f"{hours}, {t('window.working_days')}"
