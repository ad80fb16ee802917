"""The commands that are one question and one answer: /balance, /count, /packs, /lang,
/timezone, /cancel (the desk routes to them; the wizards are elsewhere)."""

from __future__ import annotations

import asyncio
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.campaigns import CampaignEngine
from bot.chat import Button, Reply
from bot.errors import ProviderError, UsenditBotError
from bot.i18n import LANGUAGES
from bot.segments import MAX_SEGMENTS, count_segments
from bot.turn import Session, Turn
from bot.usendit.client import UsenditClient
from bot.usendit.statuses import (
    AuthenticateResultStatus,
    GetCreditPacksStatus,
    GetCreditsStatus,
)
from bot.views import count_lines, gsm7_alternative, packs_text

log = logging.getLogger(__name__)

PROVIDER_COUNT_TIMEOUT = 5.0


class PlainCommands:
    """One question, one answer; a viewer may ask each of them."""

    def __init__(self, session: Session, *, client: UsenditClient, engine: CampaignEngine) -> None:
        self.session = session
        self.store = session.store
        self.client = client
        self.engine = engine

    async def balance(self, turn: Turn) -> None:
        """AuthenticateUser checks the account; GetCredits and GetCreditPacks add the
        balance of accounts whose billing has one, and the account's name."""
        account = await self.session.account_for(turn)
        if account is None:
            return
        auth = await self.client.authenticate_user(account)
        if auth.status is not AuthenticateResultStatus.SUCCESS:
            await turn.send(Reply(turn.explain(auth.status.value)))
            return
        credits, packs = await asyncio.gather(
            self.client.get_credits(account),
            self.client.get_credit_packs(account),
            return_exceptions=True,  # one failing must not lose the other's answer
        )
        for result in (credits, packs):
            if isinstance(result, ProviderError):
                # Only the extras are lost: the answer keeps AuthenticateUser's credits.
                log.warning(
                    "/balance: %s failed, answering with AuthenticateUser's credits: %s",
                    result.operation,
                    result,
                )
            elif isinstance(result, BaseException):
                raise result  # not ours: a bug, for handle's last resort
        name = account.username
        if not isinstance(packs, BaseException) and packs.status is GetCreditPacksStatus.SUCCESS:
            name = packs.account_name or name
        left = auth.user_credits
        if not isinstance(credits, BaseException):
            if credits.status is GetCreditsStatus.OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE:
                await turn.send(Reply(turn.explain(credits.status.value)))
                return
            if credits.status is GetCreditsStatus.SUCCESS:
                left = credits.credits
        await turn.say("balance.ok", credits=left, account=name)

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
        turn.lang = chosen
        await turn.say("lang.ok")

    async def timezone(self, turn: Turn) -> None:
        zone = turn.command.args.strip()
        if not zone:
            await turn.say("timezone.current", zone=turn.timezone)
            return
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            await turn.say("timezone.unknown", zone=zone)
            return
        await self.store.set_preference(turn.command.user.key, "timezone", zone)
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
