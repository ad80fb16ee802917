"""The store interface: what the core asks of any storage backend.

The core owns this interface; ``storage/`` implements it (SQLite, PostgreSQL).
A backend is started once (``start``/``stop`` or ``async with``). Every
state change that guards money is a *conditional* update that returns
whether it happened, so a double tap, a replayed update or a second replica
changes nothing. Failures of the backend surface as
:class:`~bot.errors.StoreError`.

Five parts:

- campaigns, recipients, chunks and the provider's answers;
- the work queue: a confirmed campaign carries the work asked of it, taken by
  one worker at a time under a lease (owner, expiry) that any worker may take
  over once it has expired;
- chat state: claimed event ids, wizards, linked accounts, preferences, and the
  outbox of notices each adapter delivers;
- what a chat keeps for later (its templates and saved recipient lists, by name)
  and the opt-out list of each uSendit account, with the recipients a campaign
  left out because of it;
- approvals of big sends: a chat's threshold, an account's approvers' chat, and each
  request's single decision.
- the audit log: append-only, refused any change or deletion by the backend itself.

Names and numbers arrive normalised (names case-folded by the core, numbers as
international digits without ``+``, as drafts hold them); the store compares
them literally.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.lifecycle import Service
from bot.records import (
    Approval,
    ApproversChat,
    AuditEntry,
    Campaign,
    Chunk,
    ChunkResult,
    ChunkState,
    Conversation,
    CreditAlert,
    DraftChange,
    Job,
    MessageOutcome,
    NewApproval,
    NewAuditEntry,
    NewCampaign,
    Notice,
    PaymentWatch,
    Recipient,
    SavedList,
    Template,
    Work,
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

    # --- chat state -------------------------------------------------------------

    @abstractmethod
    async def claim(self, event_id: str, at: datetime) -> bool:
        """True the first time an event id is seen, False ever after."""

    @abstractmethod
    async def prune_claims(self, before: datetime) -> int:
        """Forget the events claimed before ``before`` (no platform redelivers that late);
        how many were forgotten."""

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

    # --- the outbox -------------------------------------------------------------

    @abstractmethod
    async def add_notice(
        self, chat: str, subject: str, data: dict[str, Any], at: datetime
    ) -> Notice:
        """Keep a notice about ``subject`` up to date in ``chat`` (one per chat and subject).

        A second call for the same chat and subject replaces ``data`` and bumps
        the version, keeping the message it edits (``ref``).
        """

    @abstractmethod
    async def touch_notices(self, subject: str, at: datetime) -> int:
        """``subject`` changed: bump the version of every notice showing it; how many."""

    @abstractmethod
    async def claim_notices(
        self, chat_prefix: str, owner: str, at: datetime, lease: timedelta, limit: int = 20
    ) -> list[Notice]:
        """Due notices of chats starting with ``chat_prefix`` (``telegram:``), leased to
        ``owner`` until ``at + lease``.

        Due: ``version > shown_version``, the lease free or expired, and the
        coalescing pause (``not_before``) passed. Oldest change first.
        """

    @abstractmethod
    async def notice_shown(
        self,
        notice_id: int,
        version: int,
        owner: str,
        *,
        ref: str | None,
        at: datetime,
        next_at: datetime,
    ) -> bool:
        """``version`` is on screen as ``ref``: record it and give the lease back.

        ``shown_version`` never goes down; the notice is not due again before
        ``next_at`` (at most one edit a second per message). False when
        ``owner`` no longer held the lease.
        """

    @abstractmethod
    async def notice_failed(self, notice_id: int, owner: str, retry_at: datetime) -> bool:
        """Delivery failed: give the lease back, due again from ``retry_at``."""

    @abstractmethod
    async def get_notice(self, notice_id: int) -> Notice | None: ...

    @abstractmethod
    async def pending_notices(self, *, chat_prefix: str = "") -> int:
        """How many notices (of chats starting with ``chat_prefix``) are due or leased."""

    # --- templates ----------------------------------------------------------------

    @abstractmethod
    async def save_template(
        self, chat: str, name: str, text: str, created_by: str, at: datetime
    ) -> Template:
        """Keep ``text`` as ``chat``'s template ``name``, replacing one of that name
        (which keeps its id)."""

    @abstractmethod
    async def find_template(self, chat: str, name: str) -> Template | None: ...

    @abstractmethod
    async def get_template(self, template_id: int) -> Template | None: ...

    @abstractmethod
    async def list_templates(self, chat: str) -> list[Template]:
        """``chat``'s templates by name."""

    @abstractmethod
    async def delete_template(self, chat: str, name: str) -> bool:
        """False when ``chat`` has no template ``name``."""

    # --- saved recipient lists ------------------------------------------------------

    @abstractmethod
    async def save_recipient_list(
        self, chat: str, name: str, msisdns: Sequence[str], created_by: str, at: datetime
    ) -> SavedList:
        """Keep ``msisdns`` (in order) as ``chat``'s list ``name``, in one transaction;
        one of that name has its numbers replaced (its id and last use stay)."""

    @abstractmethod
    async def find_recipient_list(self, chat: str, name: str) -> SavedList | None: ...

    @abstractmethod
    async def get_recipient_list(self, list_id: int) -> SavedList | None: ...

    @abstractmethod
    async def list_recipient_lists(self, chat: str) -> list[SavedList]:
        """``chat``'s saved lists by name."""

    @abstractmethod
    async def recipient_list_numbers(self, list_id: int, limit: int | None = None) -> list[str]:
        """A saved list's numbers in the order saved (the first ``limit`` when given)."""

    @abstractmethod
    async def mark_recipient_list_used(self, list_id: int, at: datetime) -> None:
        """A /send took this list's numbers at ``at``."""

    @abstractmethod
    async def delete_recipient_list(self, chat: str, name: str) -> bool:
        """The list and its numbers; False when ``chat`` has no list ``name``."""

    # --- the opt-out list ----------------------------------------------------------

    @abstractmethod
    async def add_opt_outs(
        self, account: str, msisdns: Sequence[str], added_by: str, at: datetime
    ) -> int:
        """Put ``msisdns`` on ``account``'s opt-out list; how many were not on it yet."""

    @abstractmethod
    async def remove_opt_outs(self, account: str, msisdns: Sequence[str]) -> int:
        """Take ``msisdns`` off ``account``'s opt-out list; how many were on it."""

    @abstractmethod
    async def count_opt_outs(self, account: str) -> int: ...

    @abstractmethod
    async def opted_out(self, account: str, msisdns: Sequence[str]) -> set[str]:
        """Which of ``msisdns`` are on ``account``'s opt-out list (one query, any count)."""

    @abstractmethod
    async def exclude_recipients(self, campaign_id: int, seqs: Sequence[int], at: datetime) -> int:
        """Recipients ``seqs`` of a campaign are left out of every send of it, for good
        (durably, before the SendMessages they are left out of); how many were newly so.
        Each chunk counts its own (:attr:`~bot.records.Chunk.excluded`)."""

    @abstractmethod
    async def excluded_recipients(self, campaign_id: int) -> list[Recipient]:
        """The recipients of a campaign left out of its sends, by seq."""

    # --- credit watches ------------------------------------------------------------

    @abstractmethod
    async def set_credit_alert(
        self,
        account: str,
        chat: str,
        threshold: int,
        data: dict[str, Any],
        set_by: str,
        at: datetime,
    ) -> CreditAlert:
        """``chat`` is alerted when ``account``'s credits fall below ``threshold`` (one per
        account and chat: a second call replaces it, and the next reading may alert)."""

    @abstractmethod
    async def delete_credit_alert(self, account: str, chat: str) -> bool: ...

    @abstractmethod
    async def credit_alerts(self, account: str | None = None) -> list[CreditAlert]:
        """The alerts of ``account`` (of every account when None)."""

    @abstractmethod
    async def mark_credit_alert(
        self, account: str, chat: str, *, below: bool, at: datetime
    ) -> bool:
        """Record a reading's side of the threshold; True only for the call that changed
        it (so of several workers reading at once, one alerts). Going below counts a
        crossing."""

    @abstractmethod
    async def add_payment_watch(
        self,
        account: str,
        chat: str,
        baseline: int,
        data: dict[str, Any],
        at: datetime,
        until: datetime,
    ) -> PaymentWatch: ...

    @abstractmethod
    async def payment_watches(self, at: datetime) -> list[PaymentWatch]:
        """The watches still running at ``at``; expired ones are forgotten."""

    @abstractmethod
    async def end_payment_watch(self, watch_id: int) -> bool:
        """True only for the call that ended it (the one that tells the chat)."""

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

    # --- approvals of big sends --------------------------------------------------------

    @abstractmethod
    async def set_approval_threshold(
        self, chat: str, threshold: int | None, set_by: str, at: datetime
    ) -> None:
        """Campaigns of ``chat`` over ``threshold`` estimated credits wait for a second
        person; None: no approval in ``chat``."""

    @abstractmethod
    async def approval_threshold(self, chat: str) -> int | None: ...

    @abstractmethod
    async def set_approvers_chat(
        self, account: str, chat: str | None, data: dict[str, Any], set_by: str, at: datetime
    ) -> None:
        """The approval requests of ``account``'s campaigns go to ``chat`` (None: each to
        the campaign's own chat)."""

    @abstractmethod
    async def approvers_chat(self, account: str) -> ApproversChat | None: ...

    @abstractmethod
    async def request_approval(self, approval: NewApproval) -> Approval | None:
        """A PENDING approval for a DRAFT with a text still at ``approval.revision``; None
        when it is no longer such a draft, or an approval was already asked for it (one
        per campaign, ever: a second Confirm or a second replica asks nothing)."""

    @abstractmethod
    async def get_approval(self, campaign_id: int) -> Approval | None: ...

    @abstractmethod
    async def decide_approval(
        self,
        campaign_id: int,
        *,
        approve: bool,
        by: str,
        by_name: str,
        at: datetime,
    ) -> bool:
        """The one decision of a PENDING approval not expired at ``at``, by someone other
        than its author: approved, the campaign goes DRAFT -> CONFIRMED with the work SEND;
        rejected, DRAFT -> CANCELLED; both in the same transaction as the decision. Of
        any number of concurrent calls, at most one returns True."""

    @abstractmethod
    async def expire_approvals(self, at: datetime) -> list[Approval]:
        """Every PENDING approval whose time ran out by ``at`` becomes EXPIRED and its
        campaign CANCELLED (one transaction each); the ones this call expired (of
        several workers, each approval is returned to one)."""

    # --- the audit log --------------------------------------------------------------

    @abstractmethod
    async def add_audit_entry(self, entry: NewAuditEntry) -> AuditEntry:
        """Append one entry (durably: it records money and access), given the next id.

        Entries are never changed nor deleted: the backend refuses an UPDATE or a
        DELETE of the table (a trigger), whoever asks."""

    @abstractmethod
    async def audit_entries(
        self,
        *,
        chats: Sequence[str],
        account: str | None,
        limit: int,
        before: int | None = None,
    ) -> list[AuditEntry]:
        """Newest first, at most ``limit``: the entries made in one of ``chats`` or on
        ``account`` (when given), only those with an id below ``before`` when given (a
        page after another: the export reads the whole log that way)."""
