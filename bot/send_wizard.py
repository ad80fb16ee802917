"""The /send conversation (recipients -> text -> sender -> when -> preview -> confirm)
and the campaign buttons. Every step is saved, so a restart continues it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.campaigns import CampaignEngine
from bot.chat import Button, Reply
from bot.notices import NoticeBoard
from bot.recipient_files import parse_file
from bot.recipients import RecipientList, RecipientsError, parse_text
from bot.records import Conversation, Work
from bot.roles import Role
from bot.segments import MAX_SEGMENTS, Encoding, count_segments
from bot.turn import Session, Turn
from bot.usendit.client import UsenditClient
from bot.usendit.rules import check_sender
from bot.usendit.statuses import AuthenticateResultStatus
from bot.views import gsm7_alternative, local_time

NOW_WORDS = {"now", "agora", "ahora", "ja", "já", "ya"}
NONE_WORDS = {"-", "none", "nenhum", "ninguno", "default", "padrão", "predeterminado"}
SHOWN_REJECTS = 10
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%d/%m %H:%M")


def parse_when(text: str, zone: str, now: datetime) -> datetime | None:
    """A future moment from ``2026-12-01 09:30``, ``01/12/2026 09:30``, ``01/12 09:30``
    or ``09:30`` (today) in ``zone``; None when unreadable."""
    text = " ".join(text.split())
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(part) for part in text.split(":"))
        if hour > 23 or minute > 59:
            return None
        return local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone set below
        except ValueError:
            continue
        if "%Y" not in pattern:
            parsed = parsed.replace(year=local_now.year)
        return parsed.replace(tzinfo=tz)
    return None


class SendWizard:
    """The /send wizard and the campaign buttons (Confirm, Edit, Cancel, Continue, Resend)."""

    def __init__(
        self,
        session: Session,
        *,
        client: UsenditClient,
        engine: CampaignEngine,
        notices: NoticeBoard,
        wake_worker: Callable[[], None],
    ) -> None:
        self.session = session
        self.store = session.store
        self.client = client
        self.engine = engine
        self.notices = notices
        self.wake_worker = wake_worker

    # --- steps ------------------------------------------------------------------

    async def start(self, turn: Turn) -> None:
        args = turn.command.args.strip()
        if args:
            await self._one_line(turn, args)
            return
        await self.session.save(turn, "send", {"step": "recipients"})
        await turn.say("send.ask_recipients")

    async def _one_line(self, turn: Turn, args: str) -> None:
        """``/send +351912345678,+351913333333 Text``: straight to the preview."""
        numbers, _, text = args.partition(" ")
        if not text.strip():
            await turn.say("send.one_line_usage")
            return
        parsed = parse_text(numbers, self.session.region)
        if not await self._report_recipients(turn, parsed):
            return
        data: dict[str, Any] = {"step": "when", "numbers": list(parsed.numbers), "sender": None}
        if not await self._take_text(turn, data, text.strip(), offer=False):
            return
        await self._preview(turn, data, None)

    async def answer(self, turn: Turn, wizard: Conversation) -> None:
        data = dict(wizard.data)
        step = data.get("step")
        text = turn.command.args.strip()
        if turn.command.attachments and step != "recipients":
            await turn.say("send.no_file_now")
            return
        if step == "recipients":
            await self._recipients(turn, data)
        elif step in ("text", "text_choice"):
            if not text:
                await turn.say("send.ask_text")
                return
            if await self._take_text(turn, data, text, offer=True):
                await self._ask_sender(turn, data)
        elif step == "sender":
            await self._sender(turn, data, text)
        elif step == "when":
            await self._when(turn, data, text)
        elif step == "preview":
            await turn.send(self._preview_reply(turn, data, reminder=True))
        else:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")

    async def _recipients(self, turn: Turn, data: dict[str, Any]) -> None:
        region = self.session.region
        try:
            if turn.command.attachments:
                file = turn.command.attachments[0]
                # A 50,000-row file takes seconds to read: keep the event loop free.
                parsed = await asyncio.to_thread(parse_file, file.name, file.content, region)
            else:
                parsed = parse_text(turn.command.args, region)
        except RecipientsError as exc:
            await turn.say("recipients.error." + exc.code, limit=getattr(exc, "limit", None) or "")
            return
        if not await self._report_recipients(turn, parsed):
            return
        data.update(step="text", numbers=list(parsed.numbers))
        await self.session.save(turn, "send", data)
        await turn.say("send.ask_text")

    async def _report_recipients(self, turn: Turn, parsed: RecipientList) -> bool:
        lines = [turn.t("recipients.summary", count=len(parsed.numbers), source=parsed.source)]
        for rejected in parsed.rejected[:SHOWN_REJECTS]:
            lines.append(
                turn.t(
                    "recipients.rejected." + rejected.reason.value,
                    line=rejected.line,
                    raw=rejected.raw,
                    first=rejected.first_line or "",
                )
            )
        if len(parsed.rejected) > SHOWN_REJECTS:
            lines.append(turn.t("recipients.more", count=len(parsed.rejected) - SHOWN_REJECTS))
        if not parsed.numbers:
            lines.append(turn.t("recipients.none"))
        await turn.send(Reply("\n".join(lines)))
        return bool(parsed.numbers)

    async def _take_text(self, turn: Turn, data: dict[str, Any], text: str, *, offer: bool) -> bool:
        counted = count_segments(text)
        if counted.segments > MAX_SEGMENTS:
            await turn.say("send.text_too_long", segments=counted.segments, max=MAX_SEGMENTS)
            return False
        data["text"] = text
        alternative = gsm7_alternative(text)
        if offer and alternative is not None:
            data.update(step="text_choice", gsm7=alternative[0])
            await self.session.save(turn, "send", data)
            await turn.send(
                Reply(
                    turn.t(
                        "send.ucs2_offer",
                        segments=counted.segments,
                        plain=alternative[0],
                        plain_segments=alternative[1].segments,
                    ),
                    buttons=(
                        (
                            Button(turn.t("button.use_gsm7"), "send:gsm7"),
                            Button(turn.t("button.keep_text"), "send:keep"),
                        ),
                    ),
                )
            )
            return False
        return True

    async def _ask_sender(self, turn: Turn, data: dict[str, Any]) -> None:
        data["step"] = "sender"
        data.pop("gsm7", None)
        await self.session.save(turn, "send", data)
        default = Button(turn.t("button.default_sender"), "send:nosender")
        await turn.say("send.ask_sender", buttons=((default,),))

    async def _sender(self, turn: Turn, data: dict[str, Any], text: str) -> None:
        sender = None if text.lower() in NONE_WORDS else text
        problem = check_sender(sender)
        if problem is not None:
            await turn.send(Reply(turn.explain(problem)))
            return
        data.update(sender=sender)
        await self._ask_when(turn, data)

    async def _ask_when(self, turn: Turn, data: dict[str, Any]) -> None:
        data["step"] = "when"
        await self.session.save(turn, "send", data)
        example = local_time(self.session.clock() + timedelta(days=1), turn.timezone)
        await turn.say(
            "send.ask_when",
            zone=turn.timezone,
            example=example,
            buttons=((Button(turn.t("button.now"), "send:now"),),),
        )

    async def _when(self, turn: Turn, data: dict[str, Any], text: str) -> None:
        if text.lower() in NOW_WORDS:
            await self._preview(turn, data, None)
            return
        moment = parse_when(text, turn.timezone, self.session.clock())
        if moment is None:
            await turn.say("send.when_unreadable", zone=turn.timezone)
            return
        if moment <= self.session.clock():
            await turn.say("send.when_past")
            return
        await self._preview(turn, data, moment)

    async def _preview(self, turn: Turn, data: dict[str, Any], when: datetime | None) -> None:
        account = await self.session.account_for(turn)
        if account is None:
            return
        auth = await self.client.authenticate_user(account)
        if auth.status is not AuthenticateResultStatus.SUCCESS:
            await turn.send(Reply(turn.explain(auth.status.value)))
            return
        campaign = await self.engine.create(
            account=account.username,
            created_by=turn.command.user.key,
            chat=turn.command.chat_id,
            text=str(data["text"]),
            recipients=list(data["numbers"]),
            sender=data.get("sender"),
            schedule_at=when,
        )
        data.update(
            step="preview",
            campaign=campaign.id,
            recipients=campaign.recipient_count,
            needed=campaign.estimated_credits,
            balance=auth.user_credits,
            when=None if when is None else local_time(when, turn.timezone),
        )
        data.pop("numbers", None)  # now stored with the campaign
        await self.session.save(turn, "send", data)
        await turn.send(self._preview_reply(turn, data))

    def _preview_reply(self, turn: Turn, data: dict[str, Any], reminder: bool = False) -> Reply:
        cid = int(data["campaign"])
        text = str(data["text"])
        counted = count_segments(text)
        lines = [turn.t("send.preview_reminder")] if reminder else []
        lines.append(turn.t("send.preview_title", id=cid))
        lines.append(text)
        lines.append("—")
        lines.append(
            turn.t(
                "send.preview_facts",
                encoding="GSM-7" if counted.encoding is Encoding.GSM7 else "UCS-2",
                segments=counted.segments,
                sender=data.get("sender") or turn.t("send.default_sender"),
                recipients=data["recipients"],
                needed=data["needed"],
                balance=data["balance"],
                when=data["when"] or turn.t("send.now"),
            )
        )
        if int(data["balance"]) < int(data["needed"]):
            lines.append(turn.t("send.preview_short"))
        return Reply(
            "\n".join(lines),
            buttons=(
                (
                    Button(turn.t("button.confirm"), f"send:confirm:{cid}"),
                    Button(turn.t("button.edit"), f"send:edit:{cid}"),
                    Button(turn.t("button.cancel"), f"send:cancel:{cid}"),
                ),
            ),
        )

    # --- buttons ----------------------------------------------------------------

    async def press(self, turn: Turn, action: str) -> None:
        parts = action.split(":")
        verb = parts[1] if len(parts) > 1 else ""
        if not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
            return
        if verb in ("confirm", "edit", "cancel", "resend", "continue") and len(parts) == 3:
            await self._campaign_button(turn, verb, int(parts[2]))
            return
        wizard = await self.session.wizard(turn)
        if wizard is None or wizard.name != "send":
            await turn.say("error.stale_button")
            return
        data = dict(wizard.data)
        if verb in ("gsm7", "keep") and data.get("step") == "text_choice":
            if verb == "gsm7":
                data["text"] = data["gsm7"]
            await self._ask_sender(turn, data)
        elif verb == "nosender" and data.get("step") == "sender":
            data["sender"] = None
            await self._ask_when(turn, data)
        elif verb == "now" and data.get("step") == "when":
            await self._preview(turn, data, None)
        else:
            await turn.say("error.stale_button")

    async def _campaign_button(self, turn: Turn, verb: str, cid: int) -> None:
        campaign = await self.store.get_campaign(cid)
        if campaign is None or campaign.chat != turn.command.chat_id:
            await turn.say("error.stale_button")
            return
        if verb == "confirm":
            if not await self.engine.confirm(cid):
                await turn.say("send.already_confirmed", id=cid)
                return
            await self._finish_wizard_of(turn, cid)
            await self.follow(turn, cid)
        elif verb in ("resend", "continue"):
            work = Work.RESEND if verb == "resend" else Work.SEND
            if not await self.store.request_work(cid, work, self.session.clock()):
                await turn.say("error.stale_button")
                return
            await self.follow(turn, cid)
        elif verb == "cancel":
            if await self.engine.cancel(cid):
                await self._finish_wizard_of(turn, cid)
                await turn.say("send.cancelled", id=cid)
            else:
                await turn.say("send.already_confirmed", id=cid)
        elif verb == "edit":
            if not await self.engine.cancel(cid):
                await turn.say("send.already_confirmed", id=cid)
                return
            people = await self.store.recipients(cid, 0, campaign.recipient_count)
            data = {"step": "text", "numbers": [r.msisdn for r in people]}
            await self.session.save(turn, "send", data)
            await turn.say("send.edit", count=len(people), text=campaign.text)

    async def _finish_wizard_of(self, turn: Turn, cid: int) -> None:
        wizard = await self.store.get_conversation(turn.command.conversation)
        if wizard is not None and wizard.name == "send" and wizard.data.get("campaign") == cid:
            await self.session.clear(turn)

    async def follow(self, turn: Turn, cid: int) -> None:
        """The work is recorded: the worker sends, and this chat is shown how it goes."""
        wording = {"lang": turn.lang, "timezone": turn.timezone, "prefix": turn.command.prefix}
        await self.notices.follow(turn.command.chat_id, cid, wording)
        self.wake_worker()
