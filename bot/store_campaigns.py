"""The store's campaign part: campaigns, recipients, chunks and the provider's answers,
the work queue the workers take them from under a lease, and the reports of scheduled
sends (see :mod:`bot.store`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.records import (
    Campaign,
    Chunk,
    ChunkResult,
    ChunkState,
    DraftChange,
    Job,
    MessageOutcome,
    NewCampaign,
    Recipient,
    Work,
)


class CampaignStore(ABC):
    """Campaigns, their recipients and chunks, the work asked of them, their reports."""

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
    async def update_draft(self, campaign_id: int, change: DraftChange) -> Campaign | None:
        """A DRAFT's text, sender, schedule and window replaced, its revision bumped; None when
        it is no longer a DRAFT, or waits for an approval."""

    @abstractmethod
    async def confirm_campaign(
        self, campaign_id: int, at: datetime, revision: int | None = None
    ) -> bool:
        """DRAFT -> CONFIRMED with the work SEND, in one conditional update, only when
        the draft has a text, (when given) is still at ``revision``, and no approval was
        ever asked for it (then only :meth:`decide_approval` confirms it).

        False when it was not a DRAFT (already confirmed, cancelled...).
        """

    @abstractmethod
    async def cancel_campaign(self, campaign_id: int) -> bool:
        """DRAFT -> CANCELLED; False otherwise (also while an approval is pending)."""

    @abstractmethod
    async def set_campaign_reason(self, campaign_id: int, reason: str | None) -> None:
        """A sentence-sized code saying why sending stopped, or None."""

    @abstractmethod
    async def recipients(self, campaign_id: int, first: int, last: int) -> list[Recipient]:
        """Recipients ``first``..``last`` (inclusive, by seq), each with its own rendered
        text when the campaign is personalised."""

    @abstractmethod
    async def recipient_rows(self, campaign_id: int) -> list[tuple[int, tuple[str, ...]]]:
        """Every recipient's file line and values of the campaign's ``columns``, by seq
        (empty when the campaign has no columns): what a personalised text renders."""

    @abstractmethod
    async def recipient_credits(self, campaign_id: int, ranges: Sequence[tuple[int, int]]) -> int:
        """The credits of recipients in ``ranges`` (inclusive seqs) not excluded: each one's
        own segments, or the campaign's where it has none."""

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

    @abstractmethod
    async def refusal_counts(self, campaign_id: int) -> dict[str, int]:
        """How many of a campaign's numbers uSendit gave each status other than SCHEDULED
        (counted by the database: a whole status never reads 100k outcomes)."""

    @abstractmethod
    async def chunk_outcomes(self, chunk_id: int) -> list[MessageOutcome]:
        """The per-number statuses stored for one chunk (a part of a campaign)."""

    # --- the work queue -----------------------------------------------------------

    @abstractmethod
    async def request_work(self, campaign_id: int, work: Work, at: datetime) -> bool:
        """Ask the worker to do ``work`` for a CONFIRMED campaign (Continue, Resend).

        Replaces the work asked before, bumps the generation and clears the
        failure count and the backoff; False when the campaign is not CONFIRMED.
        """

    @abstractmethod
    async def claim_job(self, owner: str, at: datetime, lease: timedelta) -> Job | None:
        """Take one campaign with work to do, for ``owner``, until ``at + lease``.

        Only a campaign whose lease is free or expired (``lease_expires <= at``)
        and whose backoff has passed (``not_before <= at``) is taken, oldest
        first; of any number of concurrent callers, in any number of processes,
        exactly one gets it (``FOR UPDATE SKIP LOCKED`` or an equivalent
        conditional update).
        """

    @abstractmethod
    async def renew_job(self, campaign_id: int, owner: str, at: datetime, lease: timedelta) -> bool:
        """Extend ``owner``'s lease to ``at + lease``; False when it is no longer theirs."""

    @abstractmethod
    async def release_job(
        self,
        job: Job,
        at: datetime,
        *,
        done: bool,
        retry_at: datetime | None = None,
        failed: bool = False,
    ) -> bool:
        """Give the lease back (only if ``job.owner`` still holds it).

        ``done``: the work is finished; it is cleared, unless a newer request
        came meanwhile (its generation is above ``job.generation``). Otherwise
        the work stays, to be taken again from ``retry_at`` (at once when None).
        ``failed`` counts one more failure; any other release resets the count.
        """

    @abstractmethod
    async def pending_jobs(self, *, chat: str | None = None) -> int:
        """How many campaigns (of one chat, or all) still have work asked of them."""

    # --- scheduled-send reports ---------------------------------------------------

    @abstractmethod
    async def schedule_reports_due(self, at: datetime, limit: int = 20) -> list[int]:
        """Confirmed campaigns whose schedule has come by ``at`` and that were not
        reported yet, once their send is over: no work asked, no part unsure. Oldest
        schedule first."""

    @abstractmethod
    async def next_schedule_report(self, after: datetime) -> datetime | None:
        """The earliest schedule after ``after`` of a confirmed campaign not reported."""

    @abstractmethod
    async def report_schedule(
        self, campaign_id: int, at: datetime, *, follows: str, subject: str
    ) -> bool:
        """Record the campaign as reported and, in the same transaction, add a notice
        about ``subject`` to every chat that has one about ``follows`` (with its data),
        or else to the campaign's chat, and bump those ``follows`` notices. True only
        for the call that reported it (of several workers, one tells the chat)."""
