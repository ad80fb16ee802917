"""What a campaign looks like to its users: its state combined from its chunks,
its progress, and the provider's answers turned into chunk results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.records import Campaign, CampaignPhase, Chunk, ChunkResult, ChunkState, MessageOutcome
from bot.usendit.models import GetScheduleResult, ScheduleResult
from bot.usendit.statuses import ScheduleMessageStatus


class CampaignState(StrEnum):
    """A campaign as a user sees it: its phase combined with its chunks."""

    DRAFT = "DRAFT"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"
    SENDING = "SENDING"
    STOPPED = "STOPPED"  # parts left unsent, and no work asked: Continue takes it on
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Progress:
    """How far a send is, for a live progress line."""

    campaign_id: int
    chunks_done: int
    chunks_total: int
    accepted: int
    rejected: int


ProgressCallback = Callable[[Progress], Awaitable[None]]


@dataclass(frozen=True)
class CampaignStatus:
    """A campaign with its chunks, combined."""

    campaign: Campaign
    state: CampaignState
    chunks: tuple[Chunk, ...]

    def _sum(self, field: str, *states: ChunkState) -> int:
        return sum(getattr(c, field) for c in self.chunks if c.state in states)

    @property
    def accepted(self) -> int:
        return self._sum("accepted", ChunkState.ACCEPTED, ChunkState.DUPLICATE)

    @property
    def rejected(self) -> int:
        """Recipients the provider refused, in chunks it took or in refused chunks."""
        refused = sum(c.kept for c in self.chunks if c.state is ChunkState.REJECTED)
        return self._sum("rejected", ChunkState.ACCEPTED, ChunkState.DUPLICATE) + refused

    @property
    def excluded(self) -> int:
        """Numbers the opt-out list kept from this campaign: left out of the draft, and
        recipients left out of their chunk's send (never counted as rejected)."""
        return self.campaign.opted_out + sum(c.excluded for c in self.chunks)

    @property
    def credits_spent(self) -> int:
        return self._sum("credits_spent", ChunkState.ACCEPTED, ChunkState.DUPLICATE)

    def count(self, *states: ChunkState) -> int:
        return sum(1 for c in self.chunks if c.state in states)

    def checking(self, now: datetime) -> int:
        """Chunks whose fate is being looked up at uSendit: UNKNOWN ones, and IN_FLIGHT
        ones no live worker holds (a process died, or stopped, mid-send)."""
        lease = self.campaign.lease_expires
        held = lease is not None and lease > now
        return self.count(ChunkState.UNKNOWN) + (0 if held else self.count(ChunkState.IN_FLIGHT))

    @property
    def progress(self) -> Progress:
        unsettled = (ChunkState.PENDING, ChunkState.IN_FLIGHT, ChunkState.UNKNOWN)
        done = sum(1 for c in self.chunks if c.state not in unsettled)
        return Progress(self.campaign.id, done, len(self.chunks), self.accepted, self.rejected)


def combine(campaign: Campaign, chunks: Iterable[Chunk]) -> CampaignStatus:
    """The user-facing state of a campaign from its phase and chunks."""
    chunks = tuple(chunks)
    states = {c.state for c in chunks}
    if campaign.phase is CampaignPhase.DRAFT:
        state = CampaignState.DRAFT
    elif campaign.phase is CampaignPhase.CANCELLED:
        state = CampaignState.CANCELLED
    elif not chunks:
        state = CampaignState.CONFIRMED
    elif states & {ChunkState.IN_FLIGHT, ChunkState.UNKNOWN} or (
        ChunkState.PENDING in states and campaign.work is not None
    ):
        state = CampaignState.SENDING
    elif ChunkState.PENDING in states:
        state = CampaignState.STOPPED
    elif states <= {ChunkState.ACCEPTED, ChunkState.DUPLICATE}:
        state = CampaignState.DONE
    elif states & {ChunkState.ACCEPTED, ChunkState.DUPLICATE}:
        state = CampaignState.PARTIAL
    else:
        state = CampaignState.FAILED
    return CampaignStatus(campaign, state, chunks)


# Each status's text (``.value`` is an enum property: a lookup costs a fifth of it).
_STATUS_TEXT = {status: status.value for status in ScheduleMessageStatus}


def chunk_result(data: ScheduleResult | GetScheduleResult) -> ChunkResult:
    return ChunkResult(
        event_ids=(data.event_id,) if data.event_id else (),
        accepted=data.accepted_recipients,
        rejected=data.rejected_recipients,
        credits_spent=data.credits_spent,
        status=data.status.value,
        messages=tuple(
            MessageOutcome(partner or msisdn or "", msisdn or "", msg_id, _STATUS_TEXT[status], sms)
            for msg_id, partner, msisdn, status, sms in data.messages
        ),
    )


def merge_results(results: list[ChunkResult]) -> ChunkResult:
    return ChunkResult(
        event_ids=tuple(e for r in results for e in r.event_ids),
        accepted=sum(r.accepted for r in results),
        rejected=sum(r.rejected for r in results),
        credits_spent=sum(r.credits_spent for r in results),
        status=results[0].status if results else "",
        messages=tuple(m for r in results for m in r.messages),
    )
