"""The store's part of what a chat keeps for later: templates and saved recipient
lists by name, and the opt-out list of each uSendit account (see :mod:`bot.store`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime

from bot.records import (
    Recipient,
    SavedList,
    Template,
)


class ListStore(ABC):
    """Templates, saved recipient lists and the opt-out list."""

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
