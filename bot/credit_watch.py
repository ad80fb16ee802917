"""Pushes about an account's credits: a low-credit alert, and a payment that arrived.

- ``/alert <credits>`` (an admin) asks for an alert in this chat when the linked
  account's credits fall below a threshold; ``/alert`` tells it, ``/alert off``
  ends it. The alert fires once per crossing: the store records which side of
  the threshold the last reading was on, and only the reading that changes it
  pushes (one conditional update, so of several workers one alerts); it fires
  again only after a reading at or above the threshold.
- After a ``/buy``, the chat that bought is watched for its payment: when the
  account's credits rise above what they were at the purchase, it is told
  "payment received", once (the watch is ended by one conditional delete).

The readings are AuthenticateUser's credits, taken after every campaign (the
worker calls :meth:`CreditWatch.after_campaign`), every ``every`` for accounts
with alerts, and every ``poll`` while a payment is awaited. Every push goes
through the outbox (a notice of its own per crossing or payment), worded in the
language of the person who asked, on whatever platform the chat is.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.chat import Reply
from bot.errors import CampaignError, ProviderError, StoreError
from bot.i18n import translate
from bot.lifecycle import Loop
from bot.notices import NoticeBoard
from bot.records import AuditAction, CreditAlert, Notice, PaymentWatch
from bot.roles import Role
from bot.store import Store
from bot.turn import Session, Turn, read_amount, spell
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.statuses import AuthenticateResultStatus

log = logging.getLogger(__name__)

PAYMENT_PATIENCE = timedelta(days=3)
"""How long a /buy waits for its payment (Multibanco references last about that)."""
MAX_THRESHOLD = 10_000_000

Resolver = Callable[[str], Awaitable[Credentials]]


def _now() -> datetime:
    return datetime.now(UTC)


def _wording(turn: Turn) -> dict[str, Any]:
    return {"lang": turn.lang, "prefix": turn.command.prefix}


class CreditWatch(Loop):
    """Reads the credits of watched accounts and pushes what a chat asked to hear."""

    loop_name = "credit-watch"

    def __init__(
        self,
        store: Store,
        client: UsenditClient,
        resolve: Resolver,
        board: NoticeBoard,
        *,
        every: timedelta = timedelta(minutes=10),
        poll: float = 30.0,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.store = store
        self.client = client
        self.resolve = resolve
        self.board = board
        self.every = every
        self.poll = poll
        self.clock = clock

    async def after_campaign(self, campaign_id: int) -> None:
        """A campaign ended: its account's credits may have crossed a threshold."""
        try:
            campaign = await self.store.get_campaign(campaign_id)
        except StoreError as exc:
            log.warning("could not check credits after campaign %d: %s", campaign_id, exc)
            return
        if campaign is not None:
            await self.check(campaign.account)

    async def bought(self, turn: Turn, account: Credentials) -> None:
        """A /buy in this chat: tell it when ``account``'s credits rise above what they
        are now. A failure to read them only costs the push (logged)."""
        try:
            credits = await self._credits(account.username, account)
            if credits is not None:
                await self.watch_payment(turn, account, credits)
        except (ProviderError, StoreError) as exc:
            log.warning("the payment of %s will not be watched: %s", account.username, exc)

    async def watch_payment(self, turn: Turn, account: Credentials, credits: int) -> None:
        """Tell this chat when ``account``'s credits rise above ``credits`` (a /buy)."""
        now = self.clock()
        await self.store.add_payment_watch(
            account.username, turn.command.chat_id, credits, _wording(turn), now,
            now + PAYMENT_PATIENCE,
        )  # fmt: skip

    async def check(self, account: str) -> None:
        """Read ``account``'s credits once and push what that reading decides. A failure
        (uSendit or the store) is logged: the next reading decides again."""
        try:
            alerts = await self.store.credit_alerts(account)
            watches = [w for w in await self.store.payment_watches(self.clock()) if
                       w.account == account]  # fmt: skip
            if not alerts and not watches:
                return
            credits = await self._credits(account)
            if credits is None:
                return
            for alert in alerts:
                await self._alert(alert, credits)
            for watch in watches:
                await self._paid(watch, credits)
        except (ProviderError, StoreError, CampaignError) as exc:
            log.warning("could not check the credits of %s: %s", account, exc)

    async def _credits(self, account: str, known: Credentials | None = None) -> int | None:
        auth = await self.client.authenticate_user(known or await self.resolve(account))
        if auth.status is not AuthenticateResultStatus.SUCCESS:
            log.info("credits of %s not read: %s", account, auth.status.value)
            return None
        return auth.user_credits

    async def _alert(self, alert: CreditAlert, credits: int) -> None:
        below = credits < alert.threshold
        if below == alert.below:
            return
        if not await self.store.mark_credit_alert(
            alert.account, alert.chat, below=below, at=self.clock()
        ):
            return  # another worker read it first
        if below:
            data = {**alert.data, "kind": "low", "credits": credits,
                    "threshold": alert.threshold, "account": alert.account}  # fmt: skip
            await self._tell(alert.chat, f"credits:{alert.account}:{alert.crossings + 1}", data)

    async def _paid(self, watch: PaymentWatch, credits: int) -> None:
        if credits > watch.baseline and await self.store.end_payment_watch(watch.id):
            data = {**watch.data, "kind": "payment", "credits": credits,
                    "added": credits - watch.baseline, "account": watch.account}  # fmt: skip
            await self._tell(watch.chat, f"payment:{watch.id}", data)

    async def _tell(self, chat: str, subject: str, data: dict[str, Any]) -> None:
        await self.store.add_notice(chat, subject, data, self.clock())
        self.board.ring()

    async def forever(self) -> None:
        last_round: datetime | None = None
        while True:
            try:
                now = self.clock()
                accounts = {w.account for w in await self.store.payment_watches(now)}
                if last_round is None or now - last_round >= self.every:
                    accounts |= {a.account for a in await self.store.credit_alerts()}
                    last_round = now
                for account in sorted(accounts):
                    await self.check(account)
            except StoreError as exc:
                log.warning("credit watch: %s", exc)
            except Exception:
                # The loop's last resort: a bug must not end every later reading.
                log.exception("credit watch: the round failed")
            await asyncio.sleep(self.poll)


def render_credit_notice(notice: Notice, mentions: re.Pattern[str]) -> Reply | None:
    """A credit push as its chat shows it (worded when it was decided)."""
    data = notice.data
    lang = str(data.get("lang") or "en")
    prefix = str(data.get("prefix") or "/")
    if data.get("kind") == "low":
        key = "alert.low"
        params = {"account": data.get("account"), "credits": data.get("credits"),
                  "threshold": data.get("threshold")}  # fmt: skip
    elif data.get("kind") == "payment":
        key = "alert.paid"
        params = {"account": data.get("account"), "credits": data.get("credits"),
                  "count": data.get("added")}  # fmt: skip
    else:
        return None
    return Reply(spell(mentions, prefix, translate(lang, key, **params)))


class AlertCommands:
    """``/alert [credits|off]``: this chat's low-credit alert for the linked account."""

    def __init__(self, session: Session, store: Store, watch: CreditWatch) -> None:
        self.session = session
        self.store = store
        self.watch = watch

    async def alert(self, turn: Turn) -> None:
        arg = turn.command.args.strip().lower()
        account = await self.session.account_for(turn)
        if account is None:
            return
        chat = turn.command.chat_id
        if not arg:
            found = [a for a in await self.store.credit_alerts(account.username) if a.chat == chat]
            if found:
                await turn.say("alert.current", count=found[0].threshold, account=account.username)
            else:
                await turn.say("alert.none", account=account.username)
            return
        if not turn.allowed(Role.ADMIN):
            await turn.say("roles.denied", role=turn.t("role.ADMIN"))
            return
        if arg in ("off", turn.t("alert.off_word")):
            if await self.store.delete_credit_alert(account.username, chat):
                await self.session.audit.record(
                    turn, AuditAction.SETTING, account=account.username, setting="alert",
                    value="off",
                )  # fmt: skip
                await turn.say("alert.removed", account=account.username)
            else:
                await turn.say("alert.none", account=account.username)
            return
        threshold = read_amount(arg)
        if threshold is None or not 0 < threshold <= MAX_THRESHOLD:
            await turn.say("alert.usage")
            return
        await self.store.set_credit_alert(
            account.username, chat, threshold, _wording(turn), turn.command.user.key,
            self.watch.clock(),
        )  # fmt: skip
        await self.session.audit.record(
            turn, AuditAction.SETTING, account=account.username, setting="alert", value=threshold
        )
        await turn.say("alert.set", count=threshold, account=account.username)
        await self.watch.check(account.username)  # already below: said at once
