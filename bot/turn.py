"""One command being answered (:class:`Turn`), and the narrow session the wizards share.

The desk (``bot.desk``) routes a command to a handler with a :class:`Turn`: who
acts, in which language and timezone, with which role, and where the replies
go. The wizards (``bot.send_wizard``, ``bot.account_wizards``) keep their
state through a :class:`Session`: the saved step of a conversation, its
expiry, and the account the person acts with. Neither knows the desk.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.accounts import AccountBook
from bot.audit import Audit
from bot.chat import Button, Command, Reply, ReplySink
from bot.errors import (
    ErrorPage,
    MalformedResponse,
    OutcomeUnknown,
    ProviderError,
    ProviderFault,
)
from bot.i18n import command_name, explain, translate
from bot.recipient_files import MAX_FILE_BYTES, MAX_ROWS
from bot.records import AccountLink, Conversation
from bot.roles import Role
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import AuthenticateResult
from bot.usendit.statuses import AuthenticateResultStatus

State = TypeVar("State", bound=BaseModel)

WIZARD_TTL = timedelta(hours=1)
WIZARDS = frozenset({"send", "signup", "login", "optout"})
FILE_COMMANDS = frozenset({"send", "optout"})
"""Commands that take a file sent with them (a Telegram caption, a console ``@path``):
/send's recipients, /optout add's numbers. Both need the sender role."""
FILE_STEPS = frozenset({("send", "recipients"), ("optout", "numbers")})
"""Wizard steps (name, step) that take a file shared in the chat."""


MAX_ID_DIGITS = 18
"""An id a person types or a button carries fits a 64-bit integer, as the stores keep it."""


def read_id(text: str) -> int | None:
    """``42`` -> 42. None for anything else: other scripts' digits (``²``, ``٣``), signs,
    or more digits than any id has."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


_AMOUNT = re.compile(r"[0-9]{1,3}(?:([.,\u00a0\u202f ])[0-9]{3})?(?:\1[0-9]{3})*|[0-9]+")


def read_amount(text: str) -> int | None:
    """A whole number of credits as people type it: ``5000``, ``5.000``, ``5,000`` or
    ``5 000`` (one separator, every group of three). None for a decimal (``2.5``,
    ``2,50``), which no credit count is, rather than reading it as 25 or 250."""
    text = text.strip()
    if not _AMOUNT.fullmatch(text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    return int(digits) if len(digits) <= MAX_ID_DIGITS else None


def spell(mentions: re.Pattern[str], prefix: str, text: str) -> str:
    """``text`` with its command names spelled as this platform types them (``/sms help``)."""
    if prefix == "/":
        return text
    return mentions.sub(lambda m: prefix + m.group(1), text)


@dataclass
class Turn:
    """One command being answered: who, in which language, with which role."""

    command: Command
    sink: ReplySink
    lang: str
    role: Role
    timezone: str
    mentions: re.Pattern[str]
    """``/help``, ``/send``...: command names in a reply, rewritten for platforms that
    spell commands otherwise (``/sms help``)."""
    hide_input: bool = False
    """The user's message holds a password: the first reply, whatever it is, deletes it."""
    link: AccountLink | None = None
    """The account the person acts with, read with the turn's claim; None: ask the store
    (never read, or changed by this turn: :meth:`Session.link`)."""

    def t(self, key: str, **params: Any) -> str:
        return spell(self.mentions, self.command.prefix, translate(self.lang, key, **params))

    def mention(self, name: str) -> str:
        """A command as the user types it on this platform."""
        return self.command.prefix + name

    def explain(self, status: str) -> str:
        return explain(self.lang, status)

    def allowed(self, needed: Role) -> bool:
        return self.role >= needed

    async def say(
        self, key: str, *, buttons: tuple[tuple[Button, ...], ...] = (), **params: Any
    ) -> None:
        await self.send(Reply(self.t(key, **params), buttons=buttons))

    async def send(self, reply: Reply) -> None:
        if self.hide_input:
            self.hide_input = False
            reply = replace(reply, delete_command=True)
        await self.sink(reply)


def provider_failure(turn: Turn, exc: ProviderError) -> str:
    """What a person is told when uSendit failed them: a sentence for each way it fails,
    and never "nothing was charged" unless the request provably never reached it."""
    if isinstance(exc, ErrorPage):
        return turn.t("provider.error_page", status=str(exc.status))
    if isinstance(exc, MalformedResponse):
        return turn.t("provider.unreadable")
    if isinstance(exc, OutcomeUnknown):
        return turn.t("provider.unknown")
    if isinstance(exc, ProviderFault):
        return turn.t("provider.fault")
    return turn.t("provider.down")


Handler = Callable[[Turn], Awaitable[None]]


class Session:
    """A conversation's saved wizard, the account its person acts with, and the audit
    log their actions are recorded in."""

    def __init__(
        self,
        store: Store,
        accounts: AccountBook,
        *,
        client: UsenditClient,
        region: str,
        clock: Callable[[], datetime],
        max_recipients: int = MAX_ROWS,
        max_file_bytes: int = MAX_FILE_BYTES,
        audit: Audit | None = None,
    ) -> None:
        self.store = store
        self.accounts = accounts
        self.client = client
        self.region = region
        self.max_recipients = max_recipients
        """Most rows of a recipients file, and numbers typed at once."""
        self.max_file_bytes = max_file_bytes
        self.clock = clock
        self.audit = audit or Audit(store, accounts, clock)
        """Where every action that spends money or changes access is recorded."""
        self.on_expiry: dict[str, Callable[[Conversation], Awaitable[None]]] = {}
        """Per wizard name: what to undo when its conversation expires (a /send's draft)."""

    async def wizard(self, turn: Turn) -> Conversation | None:
        """The user's open wizard in this chat; an expired one is dropped and said so."""
        found = await self.store.get_conversation(turn.command.conversation)
        if found is None:
            return None
        if self.clock() - found.updated_at > WIZARD_TTL:
            await self.store.clear_conversation(turn.command.conversation)
            undo = self.on_expiry.get(found.name)
            if undo is not None:
                await undo(found)
            if found.name in WIZARDS:
                await turn.say("wizard.expired", name=command_name(turn.lang, found.name))
            return None
        return found

    async def save(self, turn: Turn, name: str, data: dict[str, Any]) -> None:
        await self.store.save_conversation(turn.command.conversation, name, data, self.clock())

    async def keep(self, turn: Turn, name: str, state: BaseModel) -> None:
        """Save a wizard's typed state (what differs from its defaults)."""
        await self.save(turn, name, state.model_dump(mode="json", exclude_defaults=True))

    @staticmethod
    def read(wizard: Conversation, model: type[State]) -> State | None:
        """A saved wizard's typed state; None when it does not fit (saved by an older
        version, or damaged): the wizard then starts again."""
        try:
            return model.model_validate(wizard.data)
        except ValidationError:
            return None

    async def clear(self, turn: Turn) -> None:
        await self.store.clear_conversation(turn.command.conversation)

    async def account_for(self, turn: Turn) -> Credentials | None:
        """The account this person acts with; when none, they are told how to link one."""
        account = await self.accounts.for_user(turn.command.user.key, known=turn.link)
        if account is None:
            await turn.say("account.none")
        return account

    async def link(self, turn: Turn, account: Credentials) -> None:
        """Make the person act with ``account`` (its password sealed), from now on."""
        turn.link = None
        await self.accounts.link(turn.command.user.key, account)

    async def unlink(self, turn: Turn) -> bool:
        """Make the person act with no account of their own; whether one was linked."""
        turn.link = None
        return await self.accounts.unlink(turn.command.user.key)

    async def signed_in(self, turn: Turn) -> tuple[Credentials, AuthenticateResult] | None:
        """The person's account as uSendit sees it now (AuthenticateUser, which also gives
        its credits); None when they have none or uSendit refuses it, and they are told."""
        account = await self.account_for(turn)
        if account is None:
            return None
        auth = await self.client.authenticate_user(account)
        if auth.status is not AuthenticateResultStatus.SUCCESS:
            await turn.send(Reply(turn.explain(auth.status.value)))
            return None
        return account, auth
