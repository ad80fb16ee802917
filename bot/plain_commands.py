"""The commands that are one question and one answer: /balance, /count, /packs, /lang,
/timezone, /cancel (the desk routes to them; the wizards are elsewhere)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.campaigns import CampaignEngine
from bot.chat import Button, Reply
from bot.errors import ProviderError, UsenditBotError
from bot.i18n import LANGUAGES
from bot.records import AuditAction
from bot.segments import MAX_SEGMENTS, count_segments
from bot.turn import Session, Turn
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.statuses import (
    GetCreditPacksStatus,
    GetCreditsStatus,
)
from bot.views import count_lines, gsm7_alternative, packs_text

log = logging.getLogger(__name__)

PROVIDER_COUNT_TIMEOUT = 5.0


FACTS_TTL = timedelta(hours=1)


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone by its lowercased name."""
    return {name.lower(): name for name in available_timezones()}


@dataclass(frozen=True)
class AccountFacts:
    """What /balance says of an account besides its credits, as last learned."""

    name: str
    no_balance: str | None
    """A status when the account's billing has no balance to show (postpaid)."""
    learned_at: datetime


class PlainCommands:
    """One question, one answer; a viewer may ask each of them."""

    def __init__(self, session: Session, *, client: UsenditClient, engine: CampaignEngine) -> None:
        self.session = session
        self.store = session.store
        self.client = client
        self.engine = engine
        self._facts: dict[str, AccountFacts] = {}

    async def balance(self, turn: Turn) -> None:
        """One AuthenticateUser, which checks the account and gives its credits.

        What it does not say (the account's name, and whether its billing has a balance
        at all: GetCreditPacks and GetCredits) is asked once per account and remembered
        for :data:`FACTS_TTL`, so a /balance after the first is one round trip.
        """
        signed = await self.session.signed_in(turn)
        if signed is None:
            return
        account, auth = signed
        facts = self._facts.get(account.username)
        if facts is None or self.session.clock() - facts.learned_at > FACTS_TTL:
            facts = await self._learn(account)
        if facts.no_balance:
            await turn.send(Reply(turn.explain(facts.no_balance)))
            return
        await turn.say("balance.ok", credits=auth.user_credits, account=facts.name)

    async def _learn(self, account: Credentials) -> AccountFacts:
        """The account's name and billing, from GetCreditPacks and GetCredits at once."""
        credits, packs = await asyncio.gather(
            self.client.get_credits(account),
            self.client.get_credit_packs(account),
            return_exceptions=True,  # one failing must not lose the other's answer
        )
        for result in (credits, packs):
            if isinstance(result, ProviderError):
                # Only the extras are lost: the answer keeps AuthenticateUser's credits.
                log.warning("/balance: %s failed: %s", result.operation, result)
            elif isinstance(result, BaseException):
                raise result  # not ours: a bug, for handle's last resort
        name = account.username
        if not isinstance(packs, BaseException) and packs.status is GetCreditPacksStatus.SUCCESS:
            name = packs.account_name or name
        incompatible = GetCreditsStatus.OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE
        no_balance = not isinstance(credits, BaseException) and credits.status is incompatible
        facts = AccountFacts(
            name=name,
            no_balance=incompatible.value if no_balance else None,
            learned_at=self.session.clock(),
        )
        if not isinstance(credits, BaseException) and not isinstance(packs, BaseException):
            self._facts[account.username] = facts  # a failed look is asked again next time
        return facts

    async def count(self, turn: Turn) -> None:
        text = turn.command.args
        if not text:
            await turn.say("count.usage")
            return
        await turn.send(await self.count_reply(turn, text, "count:gsm7"))
        # Kept apart from the wizards' state, so counting never ends an open /send.
        await self.store.save_conversation(
            turn.command.conversation + "|count", "count", {"text": text}, self.session.clock()
        )

    async def count_reply(self, turn: Turn, text: str, adopt_action: str) -> Reply:
        """The /count breakdown, compared with uSendit's own count, with a GSM-7 offer."""
        counted = count_segments(text)
        lines = count_lines(turn.t, counted)
        if counted.segments > MAX_SEGMENTS:
            lines.append(turn.t("count.too_long", max=MAX_SEGMENTS))
        try:
            theirs = await asyncio.wait_for(
                self.client.sms_char_counter(text), PROVIDER_COUNT_TIMEOUT
            )
        except (UsenditBotError, TimeoutError):
            lines.append(turn.t("count.provider_unavailable"))
        else:
            ours = (counted.segments, counted.encoding.value)
            if (theirs.segments, theirs.encoding.value) != ours:
                log.warning(
                    "segment count differs from uSendit's: ours %s/%d, theirs %s/%d",
                    counted.encoding.value,
                    counted.segments,
                    theirs.encoding.value,
                    theirs.segments,
                )
                lines.append(
                    turn.t(
                        "count.provider_differs",
                        segments=theirs.segments,
                        encoding=theirs.encoding.value,
                    )
                )
            else:
                lines.append(turn.t("count.provider_agrees"))
        buttons: tuple[tuple[Button, ...], ...] = ()
        alternative = gsm7_alternative(text)
        if alternative is not None:
            plain, plain_count = alternative
            lines.append(turn.t("count.alternative", text=plain, segments=plain_count.segments))
            buttons = ((Button(turn.t("button.use_gsm7"), adopt_action),),)
        return Reply("\n".join(lines), buttons=buttons)

    async def count_press(self, turn: Turn, action: str) -> None:
        saved = await self.store.get_conversation(turn.command.conversation + "|count")
        if saved is None:
            await turn.say("error.stale_button")
            return
        alternative = gsm7_alternative(str(saved.data["text"]))
        if alternative is None:
            await turn.say("error.stale_button")
            return
        await turn.send(await self.count_reply(turn, alternative[0], "count:gsm7"))

    async def packs(self, turn: Turn) -> None:
        account = await self.session.account_for(turn)
        if account is None:
            return
        result = await self.client.get_credit_packs(account)
        if result.status is not GetCreditPacksStatus.SUCCESS:
            await turn.send(Reply(turn.explain(result.status.value)))
            return
        await turn.send(Reply(packs_text(turn.t, result)))

    async def language(self, turn: Turn) -> None:
        chosen = turn.command.args.strip().lower()
        if chosen not in LANGUAGES:
            await turn.say("lang.usage", current=turn.lang)
            return
        await self.store.set_preference(turn.command.user.key, "lang", chosen)
        await self.session.audit.record(turn, AuditAction.SETTING, setting="lang", value=chosen)
        turn.lang = chosen
        await turn.say("lang.ok")

    async def timezone(self, turn: Turn) -> None:
        zone = turn.command.args.strip()
        if not zone:
            await turn.say("timezone.current", zone=turn.timezone)
            return
        zone = _zone_names().get(zone.lower(), zone)  # europe/lisbon is Europe/Lisbon
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: a name longer than a file name can be (ZoneInfo looks for a file).
            shown = zone if len(zone) <= 40 else zone[:40] + "…"
            await turn.say("timezone.unknown", zone=shown)
            return
        await self.store.set_preference(turn.command.user.key, "timezone", zone)
        await self.session.audit.record(turn, AuditAction.SETTING, setting="timezone", value=zone)
        await turn.say("timezone.ok", zone=zone)

    async def cancel(self, turn: Turn) -> None:
        wizard = await self.store.get_conversation(turn.command.conversation)
        if wizard is None:
            await turn.say("cancel.nothing")
            return
        if wizard.name == "send" and "campaign" in wizard.data:
            await self.engine.cancel(int(wizard.data["campaign"]))
        await self.session.clear(turn)
        await turn.say("cancel.ok")
