"""What the store keeps, as plain typed records (no SQL, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class CampaignPhase(StrEnum):
    """Where a campaign is in its life; sending progress lives in its chunks."""

    DRAFT = "DRAFT"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class ChunkState(StrEnum):
    """One chunk (one SendMessages call) of a campaign.

    PENDING -> IN_FLIGHT (committed before the call) -> ACCEPTED | REJECTED | UNKNOWN.
    UNKNOWN (and IN_FLIGHT found after a crash) -> ACCEPTED | DUPLICATE | NOT_SENT,
    settled only through GetPartnerEvents. NOT_SENT -> IN_FLIGHT only on a
    deliberate resend, with the same partnerEventId. SKIPPED: never sent
    because an earlier chunk hit a reason to stop (insufficient credits).
    """

    PENDING = "PENDING"
    IN_FLIGHT = "IN_FLIGHT"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    UNKNOWN = "UNKNOWN"
    NOT_SENT = "NOT_SENT"
    DUPLICATE = "DUPLICATE"
    SKIPPED = "SKIPPED"

    @property
    def unsettled(self) -> bool:
        """The provider may have this chunk's send and we do not know the outcome."""
        return self in (ChunkState.IN_FLIGHT, ChunkState.UNKNOWN)


@dataclass(frozen=True)
class NewCampaign:
    """A campaign before it is stored: recipients already normalised and deduped."""

    key: str
    account: str
    created_by: str
    chat: str
    text: str
    sender: str | None
    schedule_at: datetime | None
    segments: int
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Campaign:
    id: int
    key: str
    account: str
    created_by: str
    chat: str
    text: str
    sender: str | None
    schedule_at: datetime | None
    segments: int
    recipient_count: int
    phase: CampaignPhase
    reason: str | None
    created_at: datetime
    confirmed_at: datetime | None

    @property
    def estimated_credits(self) -> int:
        return self.segments * self.recipient_count


@dataclass(frozen=True)
class Recipient:
    seq: int
    msisdn: str
    partner_msg_id: str


@dataclass(frozen=True)
class Chunk:
    id: int
    campaign_id: int
    seq: int
    partner_event_id: str
    first_recipient: int
    last_recipient: int
    state: ChunkState
    attempts: int
    event_ids: tuple[int, ...]
    accepted: int
    rejected: int
    credits_spent: int
    status: str | None
    reason: str | None
    sent_at: datetime | None
    updated_at: datetime

    @property
    def size(self) -> int:
        return self.last_recipient - self.first_recipient + 1


@dataclass(frozen=True)
class MessageOutcome:
    """The provider's word on one recipient."""

    partner_msg_id: str
    msisdn: str
    msg_id: int
    status: str
    number_sms: int


@dataclass(frozen=True)
class ChunkResult:
    """What the provider said about a chunk that it took."""

    event_ids: tuple[int, ...]
    accepted: int
    rejected: int
    credits_spent: int
    status: str
    messages: tuple[MessageOutcome, ...]


@dataclass(frozen=True)
class Conversation:
    """A wizard's saved state: which one, and its answers so far."""

    key: str
    name: str
    data: dict[str, Any]
    updated_at: datetime
