"""How a campaign is worded: what a person is told while a part is being checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.campaign_report import campaign_reply
from bot.campaign_status import combine
from bot.i18n import explain, translate
from bot.records import Campaign, CampaignPhase, Chunk, ChunkState, Work

SENT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def campaign(work: Work | None) -> Campaign:
    return Campaign(
        id=7, key="k", account="demo", created_by="console:me", chat="console:me", text="Hi",
        sender=None, schedule_at=None, segments=1, recipient_count=2,
        phase=CampaignPhase.CONFIRMED, reason=None, created_at=SENT, confirmed_at=SENT,
        work=work,
    )  # fmt: skip


def chunk(seq: int, state: ChunkState, sent_at: datetime) -> Chunk:
    return Chunk(
        id=seq, campaign_id=7, seq=seq, partner_event_id=f"k-{seq}", first_recipient=seq,
        last_recipient=seq, state=state, attempts=1, event_ids=(), accepted=0, rejected=0,
        credits_spent=0, status=None, reason=None, sent_at=sent_at, updated_at=sent_at,
    )  # fmt: skip


def words(lang: str, work: Work | None, *chunks: Chunk, window: timedelta | None) -> str:
    reply = campaign_reply(
        lambda key, **p: translate(lang, key, **p),
        lambda status: explain(lang, status),
        combine(campaign(work), chunks),
        {},
        "Europe/Lisbon",
        now=SENT + timedelta(minutes=1),
        may_send=True,
        quiet_window=window,
    )
    return reply.text


def test_a_part_being_checked_says_when_it_may_be_resent() -> None:
    late = chunk(1, ChunkState.UNKNOWN, SENT + timedelta(minutes=2))
    said = words("en", Work.SEND, chunk(0, ChunkState.UNKNOWN, SENT), late,
                 window=timedelta(minutes=15))  # fmt: skip
    assert "2 parts are being checked with uSendit." in said
    # The last call's window: 10:02 UTC is 10:02 in Lisbon in December, plus 15 minutes.
    assert "still has no trace of them at 2026-12-01 10:17, they can be resent then" in said
    pt = words("pt", None, chunk(0, ChunkState.UNKNOWN, SENT), window=timedelta(minutes=15))
    assert "continuar sem rasto dela às 2026-12-01 10:15" in pt


def test_nothing_is_promised_without_a_part_in_doubt() -> None:
    said = words("en", None, chunk(0, ChunkState.ACCEPTED, SENT), window=timedelta(minutes=15))
    assert "resent" not in said
