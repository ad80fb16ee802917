"""Desk replies as Slack messages: where an event happened (:class:`Place`), in which
language its person reads (:class:`UserLocales`), and how its replies are posted
(:class:`SlackReplies`). Failures are logged, never raised into the desk.

Who sees a reply: in a direct message with the bot, everyone there is the person
who asked, so replies are plain messages; anywhere else (a channel, a group DM)
every reply is ephemeral, shown only to the person who asked: a balance, a
campaign's status, a refusal, a wizard's question or a preview belongs to them.
What the channel sees is a campaign's progress, the outbox's notice
(``adapters.slack_notices``), in the channel where the campaign was made.

When the bot cannot post in the conversation (it is not a member), a reply goes
through the event's ``response_url`` instead, and the :class:`Delivery` remembers
it: an answer typed there would never reach the bot.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack_blocks import fallback_text, reply_blocks
from bot.chat import Command, Identity, Reply, ReplyFile
from bot.i18n import translate

log = logging.getLogger(__name__)

SLASH = "/sms "  # how replies spell a command: /sms is the one slash command always installed
# Posting failed because the bot cannot see the conversation: answer through response_url.
UNREACHABLE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "user_not_in_channel"}
)

LOCALES_KEPT = 2000  # people whose Slack locale is remembered, the least recent forgotten
LOCALE_TTL = 6 * 3600.0  # seconds before a person's locale is asked again
LOCALE_WAIT = 1.5  # seconds users.info may take: a form's trigger lives three


@dataclass(frozen=True)
class Place:
    """Where an event happened and where its replies go."""

    team: str
    channel: str
    user: str
    response_url: str | None = None
    thread: str | None = None
    ephemeral: bool = False  # every reply only to this user, even in a DM
    typed: bool = False  # the user's own message holds the input (a bot cannot delete it)
    locale: str | None = None  # the person's Slack locale (``pt-BR``), when known

    @property
    def identity(self) -> Identity:
        return Identity("slack", self.user, team=self.team)

    @property
    def chat_id(self) -> str:
        return f"slack:{self.team}/{self.channel}"

    @property
    def private(self) -> bool:
        return self.channel.startswith("D")

    def command(self, update_id: str, **fields: Any) -> Command:
        return Command(
            update_id=update_id,
            user=self.identity,
            chat_id=self.chat_id,
            private=fields.pop("private", self.private),
            prefix=SLASH,
            locale=self.locale,
            **fields,
        )

    def metadata(self) -> dict[str, str]:
        data = {"team": self.team, "channel": self.channel}
        if self.response_url:
            data["response_url"] = self.response_url
        return data


class UserLocales:
    """Each person's Slack locale (``users.info`` with ``include_locale``), remembered
    for a while for a bounded number of people."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        kept: int = LOCALES_KEPT,
        ttl: float = LOCALE_TTL,
        wait: float = LOCALE_WAIT,
    ) -> None:
        self.client = client
        self.kept = kept
        self.ttl = ttl
        self.wait = wait
        self._known: OrderedDict[tuple[str, str], tuple[float, str | None]] = OrderedDict()

    def known(self, team: str, user: str) -> str | None:
        """The locale already at hand, without asking Slack (before an ack, say)."""
        found = self._known.get((team, user))
        if found is None or time.monotonic() - found[0] > self.ttl:
            return None
        self._known.move_to_end((team, user))
        return found[1]

    async def of(self, team: str, user: str) -> str | None:
        """The person's locale; None when Slack does not say (or not in time)."""
        found = self._known.get((team, user))
        if found is not None and time.monotonic() - found[0] <= self.ttl:
            self._known.move_to_end((team, user))
            return found[1]
        try:
            async with asyncio.timeout(self.wait):
                response = await self.client.users_info(user=user, include_locale=True)
        except TimeoutError:
            return None  # not remembered: asked again next time
        except (SlackClientError, aiohttp.ClientError) as exc:
            log.info("no Slack locale for %s: %s", user, exc)
            locale = None
        else:
            person = response.get("user")
            value = person.get("locale") if isinstance(person, dict) else None
            locale = value if isinstance(value, str) and value else None
        self._known[(team, user)] = (time.monotonic(), locale)
        self._known.move_to_end((team, user))
        while len(self._known) > self.kept:
            self._known.popitem(last=False)
        return locale


class Delivery:
    """The sink of one event's replies; ``outside`` once the bot proved not to be in
    the conversation (a reply had to go through ``response_url``)."""

    def __init__(self, replies: SlackReplies, place: Place) -> None:
        self.replies = replies
        self.place = place
        self.outside = False

    async def __call__(self, reply: Reply) -> None:
        await self.replies.deliver(self.place, reply, self)

    async def notice(self, key: str, **params: str) -> None:
        """One of the adapter's own sentences, the same way as the replies before it."""
        await self.replies.notice(self.place, key, self, **params)


class SlackReplies:
    """Posts the desk's replies for one Slack app."""

    def __init__(
        self, client: AsyncWebClient, language_of: Callable[[str, str | None], Awaitable[str]]
    ) -> None:
        self.client = client
        self.language_of = language_of

    def sink(self, place: Place) -> Delivery:
        return Delivery(self, place)

    async def notice(
        self, place: Place, key: str, delivery: Delivery | None = None, /, **params: str
    ) -> None:
        """One of the adapter's own sentences, shown only to the person acting."""
        language = await self.language_of(place.identity.key, place.locale)
        await self.deliver(place, Reply(translate(language, key, **params), secret=True), delivery)

    async def deliver(self, place: Place, reply: Reply, delivery: Delivery | None = None) -> None:
        """Show one reply; a failure is logged, never raised into the desk mid-send."""
        try:
            await self._post(place, reply, delivery)
            if reply.delete_command and place.typed:
                language = await self.language_of(place.identity.key, place.locale)
                notice = translate(language, "adapter.delete_yourself")
                await self._post(place, Reply(notice, secret=True), delivery)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not deliver a reply to Slack %s: %s", place.chat_id, exc)

    async def _post(self, place: Place, reply: Reply, delivery: Delivery | None) -> None:
        await self._post_text(place, reply, delivery)
        if reply.file is not None:
            await self._upload(place, reply, reply.file)

    async def _upload(self, place: Place, reply: Reply, file: ReplyFile) -> None:
        """Slack's external upload (files.getUploadURLExternal, the bytes, then
        files.completeUploadExternal), as files_upload_v2 does it. Outside a direct
        message, or for a secret reply, the file goes to the person's direct message
        with the bot: an ephemeral message can carry no file, and a channel would
        see every number of the campaign."""
        if reply.secret or place.ephemeral or not place.private:
            opened = await self.client.conversations_open(users=place.user)
            channel, thread = str(opened["channel"]["id"]), None
        else:
            channel, thread = place.channel, place.thread
        await self.client.files_upload_v2(
            channel=channel,
            file=str(file.path),
            filename=file.name,
            title=file.name,
            thread_ts=thread,
        )

    async def _post_text(self, place: Place, reply: Reply, delivery: Delivery | None) -> None:
        text, blocks = fallback_text(reply), reply_blocks(reply)
        try:
            if reply.secret or place.ephemeral or not place.private:
                await self.client.chat_postEphemeral(
                    channel=place.channel,
                    user=place.user,
                    text=text,
                    blocks=blocks,
                    thread_ts=place.thread,
                )
                return
            await self.client.chat_postMessage(
                channel=place.channel, text=text, blocks=blocks, thread_ts=place.thread
            )
        except SlackApiError as exc:
            if place.response_url and exc.response.get("error") in UNREACHABLE:
                if delivery is not None:
                    delivery.outside = True
                webhook = AsyncWebhookClient(place.response_url)
                await webhook.send(text=text, blocks=blocks, response_type="ephemeral")
                return
            raise
