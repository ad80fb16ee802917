"""The store's chat part: claimed event ids, wizards, linked accounts, preferences,
and the outbox of notices each adapter delivers (see :mod:`bot.store`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import Any

from bot.records import (
    Conversation,
    Notice,
    TurnContext,
)


class ChatStore(ABC):
    """What the chats need: claims, wizards, links, preferences and the outbox."""

    # --- chat state -------------------------------------------------------------

    @abstractmethod
    async def claim(self, event_id: str, at: datetime) -> bool:
        """True the first time an event id is seen, False ever after."""

    @abstractmethod
    async def begin_turn(
        self, event_id: str, at: datetime, identity: str, conversation: str | None
    ) -> TurnContext | None:
        """:meth:`claim` the event and, in the same statement, read what
        :meth:`turn_context` reads; None when the event was claimed before."""

    @abstractmethod
    async def prune_claims(self, before: datetime) -> int:
        """Forget the events claimed before ``before`` (no platform redelivers that late);
        how many were forgotten."""

    @abstractmethod
    async def get_conversation(self, key: str) -> Conversation | None: ...

    @abstractmethod
    async def turn_context(self, identity: str, conversation: str | None) -> TurnContext:
        """``identity``'s language and time zone preferences and the wizard open in
        ``conversation`` (none looked for when None), in one read."""

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
