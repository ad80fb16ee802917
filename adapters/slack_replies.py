"""Desk replies as Slack messages: where an event happened (:class:`Place`), and how
its replies are posted (:class:`SlackReplies`): in the channel or only to the
person (ephemeral), in the thread, through ``response_url`` when the bot
cannot see the channel. Failures are logged, never raised into the desk.
(A campaign's progress is a notice of the outbox: ``adapters.slack_notices``.)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack_blocks import fallback_text, reply_blocks
from bot.chat import Command, Identity, Reply, ReplySink
from bot.i18n import translate

log = logging.getLogger(__name__)

SLASH = "/sms "  # how replies spell a command: /sms is the one slash command always installed
# Posting failed because the bot cannot see the channel: answer through response_url.
UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})


@dataclass(frozen=True)
class Place:
    """Where an event happened and where its replies go."""

    team: str
    channel: str
    user: str
    response_url: str | None = None
    thread: str | None = None
    ephemeral: bool = False  # every reply only to this user
    typed: bool = False  # the user's own message holds the input (a bot cannot delete it)

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
            **fields,
        )

    def metadata(self) -> dict[str, str]:
        data = {"team": self.team, "channel": self.channel}
        if self.response_url:
            data["response_url"] = self.response_url
        return data


class SlackReplies:
    """Posts the desk's replies for one Slack app."""

    def __init__(
        self, client: AsyncWebClient, language_of: Callable[[str, str | None], Awaitable[str]]
    ) -> None:
        self.client = client
        self.language_of = language_of

    def sink(self, place: Place) -> ReplySink:
        async def sink(reply: Reply) -> None:
            await self.deliver(place, reply)

        return sink

    async def notice(self, place: Place, key: str, **params: str) -> None:
        """One of the adapter's own sentences, shown only to the person acting."""
        language = await self.language_of(place.identity.key, None)
        await self.deliver(place, Reply(translate(language, key, **params), secret=True))

    async def deliver(self, place: Place, reply: Reply) -> None:
        """Show one reply; a failure is logged, never raised into the desk mid-send."""
        try:
            await self._post(place, reply)
            if reply.delete_command and place.typed:
                language = await self.language_of(place.identity.key, None)
                notice = translate(language, "adapter.delete_yourself")
                await self._post(place, Reply(notice, secret=True))
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not deliver a reply to Slack %s: %s", place.chat_id, exc)

    async def _post(self, place: Place, reply: Reply) -> None:
        text, blocks = fallback_text(reply), reply_blocks(reply)
        try:
            if reply.secret or place.ephemeral:
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
                webhook = AsyncWebhookClient(place.response_url)
                await webhook.send(text=text, blocks=blocks, response_type="ephemeral")
                return
            raise
