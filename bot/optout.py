"""The opt-out list: numbers that must never get an SMS. ``/optout`` (how many),
``/optout add <numbers>`` (typed, or a CSV/TXT file attached to the command or
shared right after it), ``/optout remove <numbers>``.

Whose list: the uSendit account's, the one a person acts with (their linked
account, else the default one). An opt-out is a promise a sender makes to a
person ("you will get no more SMS from us"), and the sender is the account:
its campaigns go out under its name and bill its credits, from whichever chat,
platform or person starts them. A list per chat would let the same business
text an opted-out number from the next channel; a list per person would let a
colleague do it. So the list follows the account everywhere it sends, and the
engine asks it about a campaign's own account (:mod:`bot.exclusions`), at
drafting and again right before every SendMessages.

A viewer reads the count; a sender changes the list. Numbers are read as
/send reads recipients (the same files, the same left-out lines with their
numbers) and kept as drafts keep them, so the list and a draft always agree
on what is the same number.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.chat import Reply
from bot.recipient_words import read_numbers, rejection_lines
from bot.recipients import RecipientList
from bot.records import AuditAction, Conversation
from bot.roles import Role
from bot.saved_names import read_verb, split_words
from bot.turn import Session, Turn


class OptOutState(BaseModel):
    """``/optout add`` with nothing after it: the numbers (or a file) come next."""

    model_config = ConfigDict(extra="forbid")

    step: Literal["numbers"]
    """Kept even though it is the only one: adapters ask which step waits (a file here)."""


class OptOutCommands:
    """``/optout`` and its one-question wizard (the numbers to add, typed or as a file)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = session.store

    async def command(self, turn: Turn) -> None:
        words = split_words(turn.command.args, 2)
        verb = read_verb(words[0]) if words else None
        rest = words[1] if len(words) == 2 else ""
        if not words and not turn.command.attachments:
            await self._count(turn)
        elif verb not in ("add", "remove", "delete"):
            await turn.say("optout.usage")
        elif not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
        elif verb == "add" and not rest and not turn.command.attachments:
            await self.session.keep(turn, "optout", OptOutState(step="numbers"))
            await turn.say("optout.ask")
        elif verb == "add":
            await self._change(turn, rest, add=True)
        elif rest or turn.command.attachments:
            await self._change(turn, rest, add=False)
        else:
            await turn.say("optout.usage")

    async def answer(self, turn: Turn, wizard: Conversation) -> None:
        """The numbers (or the file) asked for by ``/optout add``."""
        if self.session.read(wizard, OptOutState) is None or not turn.allowed(Role.SENDER):
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        if await self._change(turn, turn.command.args, add=True):
            await self.session.clear(turn)

    async def _count(self, turn: Turn) -> None:
        account = await self.session.account_for(turn)
        if account is None:
            return
        count = await self.store.count_opt_outs(account.username)
        await turn.say("optout.count", count=count, account=account.username)

    async def _change(self, turn: Turn, text: str, *, add: bool) -> bool:
        """Add or remove the numbers given; False when none could be read (asked again)."""
        account = await self.session.account_for(turn)
        if account is None:
            return True
        parsed = await read_numbers(self.session, turn, text)
        if parsed is None:
            return False
        lines = [turn.t("optout.read", count=len(parsed.numbers), source=parsed.source)]
        lines += rejection_lines(turn.t, parsed)
        if not parsed.numbers:
            lines.append(turn.t("optout.none_read"))
            await turn.send(Reply("\n".join(lines)))
            return False
        lines.append(await self._apply(turn, account.username, parsed, add=add))
        await turn.send(Reply("\n".join(lines)))
        return True

    async def _apply(self, turn: Turn, account: str, parsed: RecipientList, *, add: bool) -> str:
        numbers = parsed.numbers
        if add:
            changed = await self.store.add_opt_outs(
                account, numbers, turn.command.user.key, self.session.clock()
            )
            words = [turn.t("optout.added", count=changed)]
            key = "optout.already"
        else:
            changed = await self.store.remove_opt_outs(account, numbers)
            words = [turn.t("optout.removed", count=changed)]
            key = "optout.not_there"
        action = AuditAction.OPTOUT_ADD if add else AuditAction.OPTOUT_REMOVE
        await self.session.audit.record(
            turn, action, account=account, count=changed, given=len(numbers)
        )
        if len(numbers) > changed:
            words.append(turn.t(key, count=len(numbers) - changed))
        total = await self.store.count_opt_outs(account)
        words.append(turn.t("optout.total", count=total, account=account))
        return " ".join(words)
