"""The store interface: what the core asks of any storage backend.

The core owns this interface; ``storage/`` implements it (SQLite, PostgreSQL).
A backend is started once (``start``/``stop`` or ``async with``). Every
state change that guards money is a *conditional* update that returns
whether it happened, so a double tap, a replayed update or a second replica
changes nothing. Failures of the backend surface as
:class:`~bot.errors.StoreError`.

Its parts, one module each:

- :class:`~bot.store_campaigns.CampaignStore`: campaigns, recipients, chunks and
  the provider's answers; the work queue (a confirmed campaign carries the work
  asked of it, taken by one worker at a time under a lease that any worker may take
  over once it has expired); the reports of scheduled sends;
- :class:`~bot.store_chat.ChatStore`: claimed event ids, wizards, linked accounts,
  preferences, and the outbox of notices each adapter delivers;
- :class:`~bot.store_lists.ListStore`: what a chat keeps for later (its templates
  and saved recipient lists, by name) and the opt-out list of each uSendit account,
  with the recipients a campaign left out because of it;
- :class:`~bot.store_controls.ControlStore`: credit watches, approvals of big sends
  (a chat's threshold, an account's approvers' chat, each request's single decision)
  and the audit log (append-only, refused any change or deletion by the backend).

Names and numbers arrive normalised (names case-folded by the core, numbers as
international digits without ``+``, as drafts hold them); the store compares
them literally.
"""

from __future__ import annotations

from abc import abstractmethod

from bot.lifecycle import Service
from bot.store_campaigns import CampaignStore
from bot.store_chat import ChatStore
from bot.store_controls import ControlStore
from bot.store_lists import ListStore


class Store(CampaignStore, ChatStore, ListStore, ControlStore, Service):
    """Every part of the store, started and stopped as one backend."""

    @abstractmethod
    async def start(self) -> None:
        """Open the backend and bring its schema up to date."""

    @abstractmethod
    async def stop(self) -> None:
        """Release the backend."""
