"""The store's part of a team's controls: credit watches, approvals of big sends and
the append-only audit log (see :mod:`bot.store`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.records import (
    Approval,
    ApproversChat,
    AuditEntry,
    CreditAlert,
    NewApproval,
    NewAuditEntry,
    PaymentWatch,
)


class ControlStore(ABC):
    """Credit watches, approvals of big sends and the audit log."""

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
    async def request_approval(
        self, approval: NewApproval, *, notice: str | None = None
    ) -> Approval | None:
        """A PENDING approval for a DRAFT with a text still at ``approval.revision``; None
        when it is no longer such a draft, or an approval was already asked for it (one
        per campaign, ever: a second Confirm or a second replica asks nothing).
        ``notice``: in the same transaction, a notice about that subject in the approvers'
        chat (the request's message), so no request is ever left without one."""

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
        than its author (who pressed Confirm, and who made the draft): approved, the
        campaign goes DRAFT -> CONFIRMED with the work SEND; rejected, DRAFT -> CANCELLED;
        both in the same transaction as the decision. Of any number of concurrent calls,
        at most one returns True."""

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
