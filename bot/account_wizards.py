"""Account commands: /signup (a wizard), /confirm, /resend, /login, /logout, /buy.

Passwords are only taken in a private conversation; the message holding one
is deleted by the adapter (``Reply.delete_command``); a password waiting in a
wizard is saved sealed by the vault, never in clear.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.accounts import AccountBook
from bot.chat import Button, Reply
from bot.i18n import Money
from bot.recipients import normalize
from bot.records import AuditAction, Conversation
from bot.roles import Role
from bot.signup_fields import SIGNUP_FIELDS, SignupStep, check_field, question, tidy
from bot.turn import Session, Turn, read_id
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import (
    BuyCreditsResult,
    InvoiceInfo,
    NewAccount,
    PromotionalBuyCreditsResult,
)
from bot.usendit.statuses import (
    AuthenticateResultStatus,
    BuyCreditsStatus,
    BuyCreditsWithPromotionalCodeStatus,
    ConfirmAccountStatus,
    CreateAccountStatus,
)

MAX_PACK_ID = 2**31 - 1  # a pack id is an xsd:int
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,50}")


class SignupState(BaseModel):
    """A /signup so far: the answers given, the password only sealed by the vault."""

    model_config = ConfigDict(extra="forbid")

    step: SignupStep
    account_name: str = ""
    username: str = ""
    sealed: str = ""
    email: str = ""
    country: str = ""
    msisdn: str = ""
    invoice_name: str = ""
    tax_id: str = ""
    address: str = ""
    city: str = ""
    zip_code: str = ""


class LoginState(BaseModel):
    """A /login waiting for the username, or for the password of ``username``."""

    model_config = ConfigDict(extra="forbid")

    step: Literal["username", "password"]
    username: str = ""


def _question(turn: Turn, key: str) -> str:
    """A password's question promises its message is deleted only where it can be."""
    if key.endswith("password") and not turn.command.deletes:
        return key + "_hidden"
    return key


class AccountWizards:
    """/signup, /confirm, /resend, /login, /logout and /buy."""

    def __init__(
        self,
        session: Session,
        *,
        client: UsenditClient,
        accounts: AccountBook,
        bought: Callable[[Turn, Credentials], Awaitable[None]] | None = None,
    ) -> None:
        self.session = session
        self.client = client
        self.accounts = accounts
        self.bought = bought
        """Told of every purchase (the credit watch then waits for its payment)."""

    # --- signup -------------------------------------------------------------------

    async def signup(self, turn: Turn) -> None:
        if not turn.command.private:
            await turn.say("account.private_only")
            return
        await self.session.keep(turn, "signup", SignupState(step="account_name"))
        await turn.say("signup.intro")
        await turn.say("signup.ask.account_name")

    async def answer(self, turn: Turn, wizard: Conversation) -> None:
        if wizard.name == "login":
            await self._login_answer(turn, wizard)
            return
        state = self.session.read(wizard, SignupState)
        if state is None:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        step = state.step
        value = turn.command.args.strip()
        secret = step == "password"
        if step == "review":
            await turn.send(self._signup_summary(turn, state))
            return
        if not secret:
            value = tidy(step, value)
        country = state.country or self.session.region
        refusal = check_field(step, value, country)
        if refusal is not None:
            await turn.send(Reply(turn.t(refusal.key, **refusal.params), delete_command=secret))
            return
        if secret:
            state.sealed = self.accounts.vault.seal(value).decode("ascii")
        elif step == "msisdn":
            state.msisdn = normalize(value, country) or value
        else:
            setattr(state, step, value)
        position = SIGNUP_FIELDS.index(step)
        if position + 1 < len(SIGNUP_FIELDS):
            state.step = SIGNUP_FIELDS[position + 1]
            await self.session.keep(turn, "signup", state)
            key, params = question(state.step, state.country or self.session.region)
            await turn.send(Reply(turn.t(_question(turn, key), **params), delete_command=secret))
            return
        state.step = "review"
        await self.session.keep(turn, "signup", state)
        await turn.send(self._signup_summary(turn, state))

    def _signup_summary(self, turn: Turn, state: SignupState) -> Reply:
        shown = {field: getattr(state, field) for field in SIGNUP_FIELDS if field != "password"}
        return Reply(
            turn.t("signup.review", **shown),
            buttons=(
                (
                    Button(turn.t("button.create_account"), "account:create"),
                    Button(turn.t("button.cancel"), "account:cancel"),
                ),
            ),
        )

    async def press(self, turn: Turn, action: str) -> None:
        if not turn.allowed(Role.ADMIN):
            await turn.say("roles.denied", role=turn.t("role.ADMIN"))
            return
        wizard = await self.session.wizard(turn)
        state = None if wizard is None else self.session.read(wizard, SignupState)
        if wizard is None or wizard.name != "signup" or state is None or state.step != "review":
            await turn.say("error.stale_button")
            return
        if action == "account:cancel":
            await self.session.clear(turn)
            await turn.say("cancel.ok")
            return
        if action == "account:create":
            await self._create(turn, state)
            return
        await turn.say("error.stale_button")

    async def _create(self, turn: Turn, state: SignupState) -> None:
        password = self.accounts.vault.open(state.sealed.encode("ascii"))
        result = await self.client.create_account(
            NewAccount(
                account_name=state.account_name,
                username=state.username,
                password=password,
                email=state.email,
                msisdn=state.msisdn,
            ),
            InvoiceInfo(
                name=state.invoice_name,
                address=state.address,
                tax_identification_number=state.tax_id,
                country=state.country or self.session.region,
                city=state.city,
                zip_code=state.zip_code,
                email=state.email,
            ),
        )
        if result.status is not CreateAccountStatus.SUCCESS:
            await turn.send(Reply(turn.explain(result.status.value)))
            return
        await self.session.clear(turn)
        await self.session.link(turn, Credentials(state.username, password))
        await self.session.audit.record(
            turn, AuditAction.SIGNUP, account=state.username, username=state.username
        )
        await turn.say("signup.created", username=state.username, msisdn=state.msisdn)

    async def confirm(self, turn: Turn) -> None:
        code = turn.command.args.strip()
        account = await self.session.account_for(turn)
        if account is None:
            return
        if not code:
            await turn.say("confirm.usage")
            return
        result = await self.client.confirm_account(account, code)
        if result.status is ConfirmAccountStatus.SUCCESS:
            await self.session.audit.record(
                turn, AuditAction.SIGNUP_CONFIRM, account=account.username,
                username=account.username,
            )  # fmt: skip
            await turn.say("confirm.ok", username=account.username)
        else:
            await turn.send(Reply(turn.explain(result.status.value)))

    async def resend(self, turn: Turn) -> None:
        account = await self.session.account_for(turn)
        if account is None:
            return
        result = await self.client.resend_confirmation_code(account)
        await turn.send(Reply(turn.explain(result.status.value)))

    # --- login ------------------------------------------------------------------

    async def login(self, turn: Turn) -> None:
        # A password typed in a group never gets here: the desk has it deleted first.
        if not turn.command.private:
            await turn.say("account.private_only")
            return
        words = turn.command.args.split(None, 1)  # the password kept as typed, spaces and all
        if len(words) == 2:
            await self._verify_and_link(turn, words[0], words[1])
            return
        state = LoginState(step="password", username=words[0]) if words else None
        state = state or LoginState(step="username")
        await self.session.keep(turn, "login", state)
        await turn.say(_question(turn, "login.ask_" + state.step))

    async def _login_answer(self, turn: Turn, wizard: Conversation) -> None:
        value = turn.command.args.strip()
        state = self.session.read(wizard, LoginState)
        if state is None:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        if state.step == "username":
            if not USERNAME.fullmatch(value):
                await turn.say("signup.bad.username")
                return
            await self.session.keep(turn, "login", LoginState(step="password", username=value))
            await turn.say(_question(turn, "login.ask_password"))
            return
        await self.session.clear(turn)
        await self._verify_and_link(turn, state.username, value)

    async def _verify_and_link(self, turn: Turn, username: str, password: str) -> None:
        account = Credentials(username, password)
        result = await self.client.authenticate_user(account)
        if result.status is AuthenticateResultStatus.USER_UNKNOWN:
            # A refused attempt is recorded too: someone tried to get at this account.
            await self.session.audit.record(
                turn, AuditAction.LOGIN, account=username, username=username,
                refused=result.status.value,
            )  # fmt: skip
            await turn.send(Reply(turn.t("login.wrong"), delete_command=True))
            return
        if result.status is AuthenticateResultStatus.GENERIC_ERROR:
            await turn.send(Reply(turn.explain(result.status.value), delete_command=True))
            return
        await self.session.link(turn, account)
        await self.session.audit.record(
            turn, AuditAction.LOGIN, account=username, username=username
        )
        key = "login.ok" if result.status is AuthenticateResultStatus.SUCCESS else "login.pending"
        await turn.send(
            Reply(turn.t(key, username=username, credits=result.user_credits), delete_command=True)
        )

    async def logout(self, turn: Turn) -> None:
        linked = await self.session.store.linked_account(turn.command.user.key)
        if await self.session.unlink(turn):
            await self.session.audit.record(
                turn, AuditAction.LOGOUT, account=linked, username=linked or "?"
            )
            await turn.say("logout.ok")
        else:
            await turn.say("logout.none")

    # --- buying -----------------------------------------------------------------

    async def buy(self, turn: Turn) -> None:
        words = turn.command.args.split()
        pack = read_id(words[0]) if words else None
        if pack is None or pack > MAX_PACK_ID or len(words) > 2:
            await turn.say("buy.usage")
            return
        account = await self.session.account_for(turn)
        if account is None:
            return
        payment: BuyCreditsResult | PromotionalBuyCreditsResult
        if len(words) == 2:
            promo = await self.client.buy_credits_with_promotional_code(account, pack, words[1])
            ok = promo.status is BuyCreditsWithPromotionalCodeStatus.SUCCESS
            status, payment = promo.status.value, promo
        else:
            plain = await self.client.buy_credits(account, pack)
            ok = plain.status is BuyCreditsStatus.SUCCESS
            status, payment = plain.status.value, plain
        coded = len(words) == 2  # whether a code was used; never the code
        if not ok:
            await self.session.audit.record(
                turn, AuditAction.BUY, account=account.username, pack=pack, promo=coded,
                refused=status,
            )  # fmt: skip
            await turn.send(Reply(turn.explain(status)))
            return
        await self.session.audit.record(
            turn, AuditAction.BUY, account=account.username, pack=pack, promo=coded,
            amount=payment.amount or "",
        )  # fmt: skip
        await turn.say(
            "buy.ok",
            pack=pack,
            entity=payment.entity or "",
            reference=payment.payment_reference or "",
            amount=Money.parse(payment.amount),
            link=payment.credit_card_link or "",
        )
        if self.bought is not None:
            await self.bought(turn, account)
