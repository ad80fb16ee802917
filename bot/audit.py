"""The audit log: who spent money or changed access, where, when, and on what.

Every handler records through the one :class:`Audit` of the session
(``session.audit.record(turn, AuditAction.X, ...)``), at the point where the
action happened, after it succeeded; a purchase uSendit refused and a login
with a wrong password are recorded too, marked ``refused`` with uSendit's status
(a Confirm refused changes nothing and spends nothing: a double tap is not
worth an entry). The actions, and where each is recorded:

======================  ==========================================================
confirm                 the preview's Confirm (``bot/campaign_buttons.py``): its credits
continue, resend        /status's Continue sending and Resend (``bot/campaign_buttons.py``)
approve, reject         the one decision of an approval (``bot/approvals.py``): the
                        winning press only
buy                     /buy (``bot/account_wizards.py``); also when uSendit refused it
signup, signup_confirm  /signup's Create account, /confirm (``bot/account_wizards.py``)
login, logout           /login (a wrong password too: an access attempt), /logout
setting                 /lang, /timezone (``bot/plain_commands.py``), /alert
                        (``bot/credit_watch.py``), /approval's limit and approvers'
                        chat (``bot/approval_commands.py``): the setting, its value
optout_add, _remove     /optout add and remove (``bot/optout.py``): counts, no numbers
template_save, _delete  /template (``bot/templates.py``): the name, never the text
list_save, _delete      /list (``bot/recipient_lists.py``): the name and its size
role                    roles are the settings' (``BOT_ADMINS``, ``BOT_SENDERS``,
                        ``BOT_VIEWERS``), changed by a deploy: each start records a
                        role whose holders differ from the last entry's
                        (:meth:`Audit.record_roles`), as made by ``settings``
======================  ==========================================================

Never a secret: what an entry says of its action is typed (:class:`AuditWhat`),
and has no field that could hold a password, a confirmation or promotional code,
a token, a message's text or a phone number; the account is named by its
username only.

Whose log ``/audit`` shows: the entries of this chat *and* those of the account
the reader acts with, from any chat. The budget is the account's: a team lead
asks "who spent what on our credits", and a purchase made in a private chat, or
a campaign confirmed in another channel, spends the same credits. Entries about
no account (a /lang before any login) stay in their chat. Changes of roles hold
in every chat, and every admin sees them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack, cast

from bot.campaign_export import SEPARATORS, cell
from bot.chat import Button, Reply, ReplyFile
from bot.errors import StoreError
from bot.i18n import explain, translate
from bot.records import AuditAction, AuditEntry, NewAuditEntry
from bot.roles import Role
from bot.store import Store
from bot.views import local_time

if TYPE_CHECKING:
    from bot.accounts import AccountBook
    from bot.turn import Turn

log = logging.getLogger(__name__)

SHOWN = 20
"""Entries /audit shows when not told how many."""
MAX_SHOWN = 50
"""Most entries /audit shows (the export has them all)."""
PAGE = 500
"""Entries read from the store at once while the export is written."""
EXPORT_ACTION = "audit:export"
SETTINGS = "settings"
"""Who and where of the entries the settings make (the roles a deploy gave)."""


class AuditWhat(TypedDict, total=False):
    """What an entry may say of its action: ids, counts, names, and nothing secret."""

    campaign: int
    credits: int
    recipients: int
    pack: int
    amount: str
    promo: bool
    """A promotional code was used (the code itself is never kept)."""
    username: str
    setting: str
    value: str | int
    count: int
    """Numbers that changed (added to or removed from the opt-out list, in a list)."""
    given: int
    """Numbers given, of which ``count`` changed."""
    name: str
    role: str
    refused: str
    """Why it did not happen: uSendit's status (``USER_UNKNOWN``...)."""


class Audit:
    """Appends entries and reads them back, newest first, for one scope."""

    def __init__(
        self,
        store: Store,
        accounts: AccountBook,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.accounts = accounts
        self.clock = clock

    async def record(
        self,
        turn: Turn,
        action: AuditAction,
        *,
        account: str | None = None,
        **what: Unpack[AuditWhat],
    ) -> AuditEntry | None:
        """One entry for what ``turn``'s person just did; ``account`` when the action
        names one (else the account they act with, if any).

        The action has happened by then (a campaign confirmed, a payment reference
        made): a store that fails here is logged, and None returned, so that what comes
        after it (the chat following the send, the reference shown) still comes."""
        try:
            return await self._record(turn, action, account, what)
        except StoreError as exc:
            log.warning("audit entry %s of %s not recorded: %s", action.value,
                      turn.command.user.key, exc)  # fmt: skip
            return None

    async def _record(
        self, turn: Turn, action: AuditAction, account: str | None, what: AuditWhat
    ) -> AuditEntry:
        user = turn.command.user
        if account is None:
            account = await self.account_of(user.key)
        entry = NewAuditEntry(
            at=self.clock(),
            who=user.key,
            who_name=user.name,
            chat=turn.command.chat_id,
            platform=user.platform,
            account=account,
            action=action,
            what=cast(dict[str, str | int | bool], dict(what)),
        )
        return await self.store.add_audit_entry(entry)

    async def record_roles(self, holders: Mapping[Role, Sequence[str]]) -> list[AuditEntry]:
        """At start: one entry for each role whose holders (``BOT_ADMINS``...) differ
        from what the log last said of it (the first start records each role given)."""
        said: dict[str, str] = {}
        before = None
        while len(said) < len(holders):
            page = await self.store.audit_entries(
                chats=[SETTINGS], account=None, limit=PAGE, before=before
            )
            if not page:
                break
            for entry in page:
                if entry.action is AuditAction.ROLE:
                    said.setdefault(str(entry.what.get("role")), str(entry.what.get("name")))
            before = page[-1].id
        recorded: list[AuditEntry] = []
        for role, identities in holders.items():
            now = ", ".join(sorted(set(identities)))
            if said.get(role.name.lower(), "") == now:
                continue
            change = NewAuditEntry(
                at=self.clock(),
                who=SETTINGS,
                who_name=None,
                chat=SETTINGS,
                platform=SETTINGS,
                account=None,
                action=AuditAction.ROLE,
                what={"role": role.name.lower(), "name": now},
            )
            recorded.append(await self.store.add_audit_entry(change))
        return recorded

    async def account_of(self, identity: str) -> str | None:
        """The name of the account ``identity`` acts with (never its password)."""
        linked = await self.store.linked_account(identity)
        if linked is not None:
            return linked
        default = self.accounts.default
        return None if default is None else default.username

    async def newest(self, turn: Turn, count: int) -> list[AuditEntry]:
        """The newest ``count`` entries of ``turn``'s scope (this chat, and its account)."""
        account = await self.account_of(turn.command.user.key)
        return await self.store.audit_entries(
            chats=[turn.command.chat_id, SETTINGS], account=account, limit=count
        )

    async def write(self, turn: Turn, folder: Path | None = None) -> tuple[ReplyFile, int]:
        """The whole log of ``turn``'s scope as a CSV file for its reader, and its row
        count; the caller deletes the file."""
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - handed to the caller
            "wb", prefix="audit-", suffix=".csv", dir=folder, delete=False
        )
        path = Path(handle.name)
        try:
            with handle:
                count = await self._write(turn, handle.write)
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        return ReplyFile(path, "audit-log.csv"), count

    async def _write(self, turn: Turn, write: Callable[[bytes], object]) -> int:
        lang = turn.lang
        account = await self.account_of(turn.command.user.key)
        header = [translate(lang, "audit.column." + name) for name in _COLUMNS]
        await asyncio.to_thread(write, "\ufeff".encode() + _encode(lang, [header]))
        count, before = 0, None
        while True:
            page = await self.store.audit_entries(
                chats=[turn.command.chat_id, SETTINGS], account=account, limit=PAGE, before=before
            )
            if not page:
                return count
            rows = [_row(lang, entry) for entry in page]
            # A page at a time, off the loop: a long log never waits whole in memory.
            await asyncio.to_thread(write, _encode(lang, rows))
            count += len(page)
            before = page[-1].id


_COLUMNS = ("id", "at", "who", "name", "chat", "platform", "account", "action", "what", "said")


def _encode(lang: str, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=SEPARATORS.get(lang, ","), lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def _row(lang: str, entry: AuditEntry) -> list[str]:
    return [
        str(entry.id),
        entry.at.astimezone(UTC).isoformat(timespec="seconds"),
        entry.who,
        cell(entry.who_name or ""),
        entry.chat,
        entry.platform,
        entry.account or "",
        entry.action.value,
        json.dumps(entry.what, ensure_ascii=False, sort_keys=True),
        describe(lang, entry),
    ]


def describe(lang: str, entry: AuditEntry) -> str:
    """What an entry says happened, as one phrase in ``lang``."""
    what = entry.what
    key = "audit.what." + entry.action.value
    params: dict[str, object] = {
        name: what.get(name, "?") for name in ("campaign", "pack", "username", "name", "role")
    }
    params["count"] = int(what.get("count", 0))
    params["credits"] = translate(lang, "unit.credits", count=int(what.get("credits", 0)))
    params["amount"] = what.get("amount") or "?"
    if entry.action is AuditAction.BUY and what.get("promo"):
        key = "audit.what.buy_promo"
    if entry.action is AuditAction.ROLE:
        params["role"] = translate(lang, "role." + str(what.get("role", "?")).upper())
        if not what.get("name"):
            key = "audit.what.role_none"
    if entry.action is AuditAction.SETTING:
        params["setting"] = translate(lang, "audit.setting." + str(what.get("setting", "?")))
        params["value"] = what.get("value", "?")
    return _refused(lang, translate(lang, key, **params), what)


def _refused(lang: str, said: str, what: dict[str, str | int | bool]) -> str:
    refused = what.get("refused")
    if refused is None:
        return said
    reason = explain(lang, str(refused))
    return translate(lang, "audit.refused", what=said, reason=reason)


class AuditCommands:
    """``/audit [n]`` (admins): the newest entries of this chat and its account, one line
    each in the reader's language and time zone, with the whole log as a CSV file."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit

    async def command(self, turn: Turn) -> None:
        arg = turn.command.args.strip()
        count = SHOWN
        if arg:
            if not (arg.isascii() and arg.isdigit() and len(arg) <= 6 and int(arg) > 0):
                await turn.say("audit.usage", max=MAX_SHOWN)
                return
            count = min(int(arg), MAX_SHOWN)
        entries = await self.audit.newest(turn, count)
        if not entries:
            await turn.say("audit.none")
            return
        account = await self.audit.account_of(turn.command.user.key)
        lines = [
            turn.t("audit.title_account", account=account)
            if account is not None
            else turn.t("audit.title_chat")
        ]
        lines += [self._line(turn, entry) for entry in entries]
        buttons = ((Button(turn.t("button.export_audit"), EXPORT_ACTION),),)
        await turn.send(Reply("\n".join(lines), buttons=buttons))

    @staticmethod
    def _line(turn: Turn, entry: AuditEntry) -> str:
        who = f"{entry.who_name} ({entry.who})" if entry.who_name else entry.who
        return turn.t(
            "audit.line",
            when=local_time(entry.at, turn.timezone),
            who=who,
            where=entry.chat,
            what=describe(turn.lang, entry),
        )

    async def export(self, turn: Turn) -> None:
        """The Export button: the whole log of this scope as a file; outside a private
        chat it goes to the person alone (it names people and accounts)."""
        if not turn.allowed(Role.ADMIN):
            await turn.say("roles.denied", role=turn.t("role.ADMIN"))
            return
        try:
            file, count = await self.audit.write(turn)
        except OSError as exc:
            log.warning("could not write the audit log file: %s", exc)
            await turn.say("audit.export_failed")
            return
        try:
            text = turn.t("audit.export_ready", count=count)
            await turn.send(Reply(text, file=file, secret=not turn.command.private))
        finally:
            await asyncio.to_thread(file.path.unlink, missing_ok=True)
