"""The store interface: what the core asks of any storage backend.

A backend is started once (``start``/``close`` or ``async with``). Every
state change that guards money is a *conditional* update that returns
whether it happened, so a double tap, a replayed update or a second replica
changes nothing.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.lifecycle import Service
from storage.records import (
    Campaign,
    Chunk,
    ChunkResult,
    ChunkState,
    Conversation,
    MessageOutcome,
    NewCampaign,
    Recipient,
)


class Store(Service):
    """Campaigns, their recipients and chunks, and the provider's answers."""

    @abstractmethod
    async def start(self) -> None:
        """Open the backend and bring its schema up to date."""

    @abstractmethod
    async def stop(self) -> None:
        """Release the backend."""

    # --- campaigns ------------------------------------------------------------

    @abstractmethod
    async def create_campaign(self, campaign: NewCampaign) -> Campaign:
        """Store a DRAFT with its recipients, each given a PartnerMsgId."""

    @abstractmethod
    async def get_campaign(self, campaign_id: int) -> Campaign | None: ...

    @abstractmethod
    async def find_campaign_by_event(self, event_id: int) -> Campaign | None:
        """The campaign one of whose chunks got this provider EventId."""

    @abstractmethod
    async def list_campaigns(
        self, *, chat: str | None = None, created_by: str | None = None, limit: int = 10
    ) -> list[Campaign]:
        """Newest first, optionally only one chat's, or only one person's."""

    @abstractmethod
    async def confirm_campaign(self, campaign_id: int, at: datetime) -> bool:
        """DRAFT -> CONFIRMED; False when it was not a DRAFT (already confirmed...)."""

    @abstractmethod
    async def cancel_campaign(self, campaign_id: int) -> bool:
        """DRAFT -> CANCELLED; False otherwise."""

    @abstractmethod
    async def set_campaign_reason(self, campaign_id: int, reason: str | None) -> None:
        """A sentence-sized code saying why sending stopped, or None."""

    @abstractmethod
    async def recipients(self, campaign_id: int, first: int, last: int) -> list[Recipient]:
        """Recipients ``first``..``last`` (inclusive, by seq)."""

    # --- chunks ---------------------------------------------------------------

    @abstractmethod
    async def plan_chunks(self, campaign_id: int, chunk_size: int, at: datetime) -> list[Chunk]:
        """Cut a CONFIRMED campaign into chunks, once; later calls return the same."""

    @abstractmethod
    async def chunks(self, campaign_id: int) -> list[Chunk]: ...

    @abstractmethod
    async def get_chunk(self, chunk_id: int) -> Chunk | None: ...

    @abstractmethod
    async def unsettled_chunks(self) -> list[Chunk]:
        """Every IN_FLIGHT or UNKNOWN chunk, of any campaign."""

    @abstractmethod
    async def begin_send(self, chunk_id: int, allowed: Sequence[ChunkState], at: datetime) -> bool:
        """Move a chunk from one of ``allowed`` to IN_FLIGHT, durably, before the call."""

    @abstractmethod
    async def settle_chunk(
        self,
        chunk_id: int,
        state: ChunkState,
        *,
        expected: Sequence[ChunkState],
        at: datetime,
        result: ChunkResult | None = None,
        status: str | None = None,
        reason: str | None = None,
        attempt: int | None = None,
    ) -> bool:
        """Move a chunk from one of ``expected`` to ``state``, with the provider's data.

        With ``attempt``, only if the chunk is still at that send attempt: a decision
        taken on an older look at the chunk never overrides a newer send.
        """

    @abstractmethod
    async def message_outcomes(self, campaign_id: int) -> list[MessageOutcome]:
        """The per-number statuses stored for a campaign."""

    # --- chat state -------------------------------------------------------------

    @abstractmethod
    async def claim(self, event_id: str, at: datetime) -> bool:
        """True the first time an event id is seen, False ever after."""

    @abstractmethod
    async def get_conversation(self, key: str) -> Conversation | None: ...

    @abstractmethod
    async def save_conversation(
        self, key: str, name: str, data: dict[str, Any], at: datetime
    ) -> None: ...

    @abstractmethod
    async def clear_conversation(self, key: str) -> None: ...

    @abstractmethod
    async def save_account(self, username: str, secret: bytes, at: datetime) -> None:
        """Keep an account's encrypted password (replacing an older one)."""

    @abstractmethod
    async def account_secret(self, username: str) -> bytes | None: ...

    @abstractmethod
    async def link(self, identity: str, username: str, at: datetime) -> None:
        """Make ``identity`` act with the account ``username``."""

    @abstractmethod
    async def unlink(self, identity: str) -> bool: ...

    @abstractmethod
    async def linked_account(self, identity: str) -> str | None: ...

    @abstractmethod
    async def get_preference(self, identity: str, name: str) -> str | None: ...

    @abstractmethod
    async def set_preference(self, identity: str, name: str, value: str) -> None: ...
