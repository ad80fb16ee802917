"""The desk: every chat command, answered without knowing which chat asked.

An adapter calls :meth:`Desk.handle` with a :class:`~bot.chat.Command` and a
sink for :class:`~bot.chat.Reply` objects. Every event id is claimed once;
the role of the person acting is checked on every command and button press;
wizards (``/send``, ``/signup``, ``/login``) are saved after every step.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.account_wizards import AccountWizards
from bot.accounts import AccountBook
from bot.approval_commands import ApprovalCommands
from bot.approval_notices import SUBJECT_PREFIXES, render_approval_notice
from bot.approvals import Approvals
from bot.audit import EXPORT_ACTION, Audit, AuditCommands
from bot.campaign_buttons import CampaignButtons
from bot.campaign_report import CampaignReports
from bot.campaigns import CampaignEngine
from bot.chat import Button, Command, Reply, ReplySink
from bot.credit_watch import AlertCommands, CreditWatch, render_credit_notice
from bot.errors import (
    AccountRejected,
    CampaignError,
    InsufficientCredits,
    InvalidRequest,
    ProviderError,
    StoreError,
)
from bot.home import HomePages, HomeView
from bot.i18n import command_aliases, command_name, command_usage, pick_language, translate
from bot.notices import NoticeBoard
from bot.optout import OptOutCommands
from bot.plain_commands import PlainCommands
from bot.recipient_files import MAX_FILE_BYTES, MAX_ROWS
from bot.recipient_lists import RecipientLists
from bot.records import Conversation, Notice, TurnContext
from bot.roles import Role, RolePolicy
from bot.send_choices import FormOptions, form_options
from bot.send_form import SendForm
from bot.send_wizard import SendWizard
from bot.store import Store
from bot.templates import Templates
from bot.turn import FILE_COMMANDS, WIZARDS, Handler, Session, Turn, provider_failure, spell
from bot.usendit.client import UsenditClient
from bot.usendit.models import code_points, illegal_characters

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskConfig:
    region: str = "PT"
    timezone: str = "Europe/Lisbon"
    language: str = "en"
    sandbox: bool = False
    max_recipients: int = MAX_ROWS
    """Most rows of a recipients file, and numbers typed at once (``MAX_RECIPIENTS``)."""
    max_file_bytes: int = MAX_FILE_BYTES
    """Largest recipients file (``MAX_FILE_MB``): adapters refuse a larger one unread."""


@dataclass(frozen=True)
class CommandSpec:
    handler: Handler
    role: Role
    help: str


ALIASES = command_aliases()
"""Every language's command names (``comprar``, ``contar``...) to the command they name;
spelled in the catalogs (``command.<name>``), the one place."""


def canonical(name: str) -> str:
    """The command a typed name means, in any language and case (``Comprar`` -> ``buy``)."""
    lowered = name.lower()
    return ALIASES.get(lowered, lowered)


async def _nowhere(reply: Reply) -> None:
    """The sink of a turn whose answer is returned (a form's check, a home page)."""


class Desk:
    """Routes every command, button and answer to its handler, and lists them in /help.

    The handlers: :class:`~bot.plain_commands.PlainCommands` (balance, count, packs,
    lang, timezone, cancel), :class:`~bot.send_wizard.SendWizard`,
    :class:`~bot.templates.Templates`, :class:`~bot.recipient_lists.RecipientLists`,
    :class:`~bot.optout.OptOutCommands`, :class:`~bot.account_wizards.AccountWizards`,
    :class:`~bot.campaign_report.CampaignReports` (status, history) and
    :class:`~bot.audit.AuditCommands` (the audit log).
    """

    def __init__(
        self,
        *,
        store: Store,
        client: UsenditClient,
        engine: CampaignEngine,
        accounts: AccountBook,
        roles: RolePolicy,
        config: DeskConfig,
        notices: NoticeBoard | None = None,
        wake_worker: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        credit_watch: CreditWatch | None = None,
        approvals: Approvals | None = None,
        audit: Audit | None = None,
    ) -> None:
        self.store = store
        self.notices = notices or NoticeBoard(store, clock)
        self.credit_watch = credit_watch or CreditWatch(
            store, client, accounts.by_username, self.notices, clock=clock
        )
        """Low-credit alerts and payment pushes (started with the worker, by the app)."""
        self.session = Session(
            store,
            accounts,
            client=client,
            region=config.region,
            max_recipients=config.max_recipients,
            max_file_bytes=config.max_file_bytes,
            clock=clock,
            audit=audit,
        )
        self.approvals = approvals or Approvals(
            store, self.notices, wake_worker=wake_worker, clock=clock, audit=self.session.audit
        )
        """Approvals of big sends (its expiry loop started by the app)."""
        self.client = client
        self.engine = engine
        self.accounts = accounts
        self.roles = roles
        self.config = config
        self.clock = clock
        self.templates = Templates(self.session)
        self.lists = RecipientLists(self.session)
        self.optout = OptOutCommands(self.session)
        self.sending = SendWizard(
            self.session, engine=engine, templates=self.templates, lists=self.lists
        )
        self.campaign_buttons = CampaignButtons(
            self.session,
            engine=engine,
            notices=self.notices,
            wizard=self.sending,
            wake_worker=wake_worker,
            approvals=self.approvals,
        )
        self.account_wizards = AccountWizards(
            self.session, client=client, accounts=accounts, bought=self.credit_watch.bought
        )
        self.alerts = AlertCommands(self.session, store, self.credit_watch)
        self.approval_commands = ApprovalCommands(self.session, store, self.approvals)
        self.audit = AuditCommands(self.session.audit)
        self.plain = PlainCommands(self.session, client=client, engine=engine)
        self.homes = HomePages(self.session, client=client, engine=engine)
        self.commands: dict[str, CommandSpec] = {
            "start": CommandSpec(self._start, Role.VIEWER, "help.start"),
            "help": CommandSpec(self.help, Role.VIEWER, "help.help"),
            "balance": CommandSpec(self.plain.balance, Role.VIEWER, "help.balance"),
            "count": CommandSpec(self.plain.count, Role.VIEWER, "help.count"),
            "status": CommandSpec(self._status, Role.VIEWER, "help.status"),
            "alert": CommandSpec(self.alerts.alert, Role.VIEWER, "help.alert"),
            # Anyone reads it; setting it takes the admin role, checked by the handler.
            "approval": CommandSpec(self.approval_commands.command, Role.VIEWER, "help.approval"),
            "history": CommandSpec(self._history, Role.VIEWER, "help.history"),
            "packs": CommandSpec(self.plain.packs, Role.VIEWER, "help.packs"),
            "lang": CommandSpec(self.plain.language, Role.VIEWER, "help.lang"),
            "timezone": CommandSpec(self.plain.timezone, Role.VIEWER, "help.timezone"),
            "cancel": CommandSpec(self.plain.cancel, Role.VIEWER, "help.cancel"),
            "send": CommandSpec(self.sending.start, Role.SENDER, "help.send"),
            # A viewer lists and reads these; saving, deleting and changing the opt-out
            # list take the sender role, checked by each handler.
            "template": CommandSpec(self.templates.command, Role.VIEWER, "help.template"),
            "list": CommandSpec(self.lists.command, Role.VIEWER, "help.list"),
            "optout": CommandSpec(self.optout.command, Role.VIEWER, "help.optout"),
            "buy": CommandSpec(self.account_wizards.buy, Role.ADMIN, "help.buy"),
            "signup": CommandSpec(self.account_wizards.signup, Role.ADMIN, "help.signup"),
            "confirm": CommandSpec(self.account_wizards.confirm, Role.ADMIN, "help.confirm"),
            "resend": CommandSpec(self.account_wizards.resend, Role.ADMIN, "help.resend"),
            "login": CommandSpec(self.account_wizards.login, Role.ADMIN, "help.login"),
            "logout": CommandSpec(self.account_wizards.logout, Role.ADMIN, "help.logout"),
            "audit": CommandSpec(self.audit.command, Role.ADMIN, "help.audit"),
        }
        spelled = sorted({*self.commands, *ALIASES}, key=len, reverse=True)
        self.mentions = re.compile(r"(?<![\w/])/(" + "|".join(spelled) + r")\b")
        self.reports = CampaignReports(
            store,
            engine,
            mentions=self.mentions,
            language=config.language,
            timezone=config.timezone,
            clock=clock,
        )

    # --- entry ------------------------------------------------------------------

    async def handle(self, command: Command, sink: ReplySink) -> None:
        """Answer one chat event. A replayed event id does nothing.

        Whatever fails, the person gets a true sentence: a store that does not answer
        before the event is claimed means nothing was done with it; one that fails
        later is said as such, never as "nothing was sent".
        """
        try:
            # The claim and the person's settings at once: the store's thread takes them
            # back to back, and a replayed event just drops what was read.
            # The claim and what the turn needs, in one statement: a replayed event
            # reads nothing.
            typed = command.action is None and command.name != "cancel"
            context = await self.store.begin_turn(
                command.update_id, self.clock(), command.user.key,
                command.conversation if typed else None,
            )  # fmt: skip
            if context is None:
                log.info("event %s already handled; ignored", command.update_id)
                return
            turn = self._made_turn(command, sink, context)
            wizard = context.wizard  # typed: it may be the password step
        except StoreError as exc:
            log.warning("the store failed before %s was answered: %s", command.update_id, exc)
            lang = pick_language(command.locale, self.config.language)
            await sink(
                Reply(spell(self.mentions, command.prefix, translate(lang, "error.store_before")))
            )
            return
        try:
            await self._answer(turn, wizard)
        except StoreError as exc:
            log.warning("the store failed while answering %s: %s", command.update_id, exc)
            await turn.say("error.store")

    async def _answer(self, turn: Turn, open_wizard: Conversation | None) -> None:
        command = turn.command
        if canonical(command.name or "") == "login" and len(command.args.split()) >= 2:
            if not command.private:
                # A password typed where it is not taken: have it deleted, and say so.
                await turn.send(Reply(turn.t("account.private_only"), delete_command=True))
                await turn.say("login.change_password")
                return
            if not self.may(command.user.key, "login"):
                # Typed where passwords go, by someone who may not link one: the refusal
                # (their role's, or an unknown user's) deletes it all the same.
                turn.hide_input = True
        if open_wizard is not None and open_wizard.data.get("step") == "password":
            # Whatever comes now is the password, even "/Hunter2": never a command,
            # and deleted even if what follows fails (uSendit down, wizard expired).
            if command.name is not None:
                typed = f"/{command.name} {command.args}".strip()
                command = turn.command = replace(command, name=None, args=typed)
            turn.hide_input = True
        if turn.role is Role.NONE:
            await turn.say("roles.unknown_user", id=command.user.key)
            return

        async def unsendable(field: str | None, characters: tuple[str, ...]) -> None:
            # The field as the forms name it, and the characters as code points, which
            # read the same in every language (a password's are never told).
            label = {"Sender": "form.sender", "username": "form.username"}.get(field or "")
            if field is not None and "password" in field.lower():
                label, characters = "form.password", ()
            chars = f" ({code_points(characters)})" if characters else ""
            await turn.say("error.unsendable", what=turn.t(label or "form.text"), chars=chars)

        bad = illegal_characters(command.args)
        if bad:
            # No request to uSendit can carry it (XML cannot): say so at once, before a
            # wizard stores it or a campaign is drafted with it. A line that may hold
            # a password (the password step, /login) is deleted all the same.
            log.info("%s refused: characters XML cannot carry", command.name or "an answer")
            secret = turn.hide_input or canonical(command.name or "") == "login"
            turn.hide_input = secret
            await unsendable("password" if secret else None, bad)
            return
        try:
            if command.action is not None:
                await self._press(turn, command.action)
            elif command.name is not None:
                await self._command(turn, command.name.lower())
            else:
                await self._text(turn)
        except InsufficientCredits as exc:
            await turn.say("send.insufficient", needed=exc.needed, available=exc.available)
        except AccountRejected as exc:
            await turn.send(Reply(turn.explain(exc.status)))
        except InvalidRequest as exc:
            log.warning("%s refused by the client: %s", command.name or command.action, exc)
            await unsendable(exc.field, exc.characters)
        except ProviderError as exc:
            log.warning("provider failed for %s: %s", command.name or command.action, exc)
            await turn.send(Reply(provider_failure(turn, exc)))
        except CampaignError as exc:
            await turn.say("error.campaign", detail=str(exc))
        except StoreError:
            raise  # said by handle(), as the store's failure it is
        except Exception:
            # The outermost boundary: log it, and never leave the user without an answer.
            log.exception("command %s failed", command.name or command.action)
            await turn.say("error.internal")

    async def _turn(self, command: Command, sink: ReplySink) -> Turn:
        """A turn that claims nothing (a form's check, a home page)."""
        return self._made_turn(command, sink, await self.store.turn_context(command.user.key, None))

    def _made_turn(self, command: Command, sink: ReplySink, context: TurnContext) -> Turn:
        lang = context.lang or pick_language(command.locale, self.config.language)
        return Turn(
            command, sink, lang, self.roles.role_of(command.user.key),
            context.timezone or self.config.timezone, self.mentions, link=context.link,
        )  # fmt: skip

    async def _command(self, turn: Turn, name: str) -> None:
        name = canonical(name)
        spec = self.commands.get(name)
        if spec is None:
            near = difflib.get_close_matches(name, [*self.commands, *ALIASES], n=1, cutoff=0.75)
            if near:
                meant = command_name(turn.lang, canonical(near[0]))
                await turn.say(
                    "error.unknown_command_near", name=turn.mention(name), near=turn.mention(meant)
                )
            else:
                await turn.say("error.unknown_command", name=turn.mention(name))
            return
        if not turn.allowed(spec.role):
            await turn.say("roles.denied", role=turn.t("role." + spec.role.name))
            return
        await spec.handler(turn)

    async def _press(self, turn: Turn, action: str) -> None:
        area = action.split(":", 1)[0]
        if area == "send":
            if not await self.campaign_buttons.press(turn, action):
                await self.sending.press(turn, action)
        elif area == "count":
            await self.plain.count_press(turn, action)
        elif action == "menu:balance":
            await self.plain.balance(turn)
        elif area == "account":
            await self.account_wizards.press(turn, action)
        elif area == "approval":
            await self.approvals.press(turn, action)
        elif action.startswith("status:export:"):
            await self.reports.export(turn, action)
        elif action == EXPORT_ACTION:
            await self.audit.export(turn)
        else:
            await turn.say("error.stale_button")

    async def _text(self, turn: Turn) -> None:
        wizard = await self.session.wizard(turn)
        if wizard is None:
            await turn.say("error.no_wizard")
            return
        if wizard.name == "send":
            await self.sending.answer(turn, wizard)
        elif wizard.name in ("signup", "login"):
            await self.account_wizards.answer(turn, wizard)
        elif wizard.name == "optout":
            await self.optout.answer(turn, wizard)
        else:
            await turn.say("error.no_wizard")

    # --- for adapters -------------------------------------------------------------

    def may(self, identity: str, command: str) -> bool:
        """Whether ``identity`` may run ``command`` (an adapter offering a form asks first)."""
        spec = self.commands.get(canonical(command))
        return spec is not None and self.roles.role_of(identity) >= spec.role

    def takes_file(self, identity: str, command: str) -> bool:
        """Whether a file sent with ``command`` is read for ``identity`` (an adapter asks
        before it downloads one): /send and /optout take one, from a sender."""
        return canonical(command) in FILE_COMMANDS and self.roles.role_of(identity) >= Role.SENDER

    async def check_form(self, command: Command) -> dict[str, str]:
        """A whole form's problems by field name, in its person's words; empty when
        it may be submitted (a platform shows them beside the fields, before
        :meth:`handle` gets the same form). Only ``/send`` has a form."""
        if command.name != "send" or command.form is None:
            return {}
        turn = await self._turn(command, _nowhere)
        if not turn.allowed(Role.SENDER):
            return {}  # handle() refuses it in the chat, with the reason
        checked = await self.sending.check(SendForm.of(command.form), turn)
        if isinstance(checked, dict):
            return {name: problem.words(turn.t, turn.explain) for name, problem in checked.items()}
        return {}

    async def form_options(self, command: Command) -> FormOptions:
        """What the /send form may offer to pick in this chat: its templates and saved
        lists (nothing to someone who may not send; the event id is not claimed)."""
        if not self.may(command.user.key, "send"):
            return FormOptions()
        return await form_options(self.store, command.chat_id)

    async def home(self, command: Command) -> HomeView | None:
        """A person's home page, as data (None: this event was already answered)."""
        if not await self.store.claim(command.update_id, self.clock()):
            return None
        return await self.homes.view(await self._turn(command, _nowhere))

    def knows(self, identity: str) -> bool:
        """Whether ``identity`` has any role at all."""
        return self.roles.role_of(identity) is not Role.NONE

    async def open_wizard(self, conversation: str) -> tuple[str, str | None] | None:
        """The wizard waiting for an answer in ``conversation``: its name and step."""
        found = await self.store.get_conversation(conversation)
        if found is None or found.name not in WIZARDS:
            return None
        step = found.data.get("step")
        return found.name, None if step is None else str(step)

    async def language_of(self, identity: str, locale: str | None) -> str:
        """The language replies to ``identity`` are written in."""
        chosen = await self.store.get_preference(identity, "lang")
        return chosen or pick_language(locale, self.config.language)

    async def _status(self, turn: Turn) -> None:
        await self.reports.status(turn)  # the reports need the mentions the table makes

    async def _history(self, turn: Turn) -> None:
        await self.reports.history(turn)

    async def render_notice(self, notice: Notice) -> Reply | None:
        """A notice of the outbox as its chat shows it now (the couriers' render)."""
        if notice.subject.startswith(("credits:", "payment:")):
            return render_credit_notice(notice, self.mentions)
        if notice.subject.startswith(SUBJECT_PREFIXES):
            return await render_approval_notice(notice, self.store, self.mentions, self.clock())
        return await self.reports.render_notice(notice)

    # --- /start, /help --------------------------------------------------------------

    async def _start(self, turn: Turn) -> None:
        """What I do, then the balance: the first thing an owner looks for."""
        await self.help(turn)
        await self.plain.balance(turn)

    async def help(self, turn: Turn) -> None:
        lines = [turn.t("help.intro")]
        if self.config.sandbox:
            lines.append(turn.t("help.sandbox"))
        for name, spec in self.commands.items():
            if name != "start" and turn.allowed(spec.role):
                usage = turn.mention(command_usage(turn.lang, name))
                lines.append(f"{usage} — {turn.t(spec.help)}")
        menu = ((Button(turn.t("button.balance"), "menu:balance"),),)
        await turn.send(Reply("\n".join(lines), buttons=menu))
