"""The outbox's Slack channel: notices posted with ``chat.postMessage``, then edited
with ``chat.update`` by their ``ts``.

Any process with ``SLACK_BOT_TOKEN`` delivers Slack notices, ``usendit-bot
worker`` included. A 429 is handed back to the courier (:class:`RetryLater`)
rather than waited out here, so one busy channel holds up nothing else.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import build_client
from adapters.slack_blocks import fallback_text, reply_blocks
from bot.chat import Reply
from bot.errors import ChatPlatformError
from bot.notices import RetryLater
from bot.settings import Settings

GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def _retry_after(exc: SlackApiError) -> float | None:
    if exc.response.status_code != 429:
        return None
    value = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
    try:
        return float(value) if value else 1.0
    except ValueError:
        return 1.0


class SlackChannel:
    """Shows ``slack:<team>/<channel>`` notices; the message's ``ts`` is the notice's ``ref``."""

    prefix = "slack:"

    def __init__(self, settings: Settings, *, client: AsyncWebClient | None = None) -> None:
        self.client = client or build_client(settings)

    async def open(self) -> None:
        """Nothing to open: the Web API client connects per call."""

    async def close(self) -> None:
        """Nothing to close."""

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        channel = chat.removeprefix(self.prefix).partition("/")[2]
        text, blocks = fallback_text(reply), reply_blocks(reply)
        try:
            if ref is not None:
                try:
                    await self.client.chat_update(channel=channel, ts=ref, text=text, blocks=blocks)
                except SlackApiError as exc:
                    if exc.response.get("error") not in GONE:
                        raise
                else:
                    return ref
            response = await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            wait = _retry_after(exc)
            if wait is not None:
                raise RetryLater(wait) from exc
            raise ChatPlatformError(f"Slack: {exc.response.get('error')}") from exc
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            raise ChatPlatformError(f"Slack: {type(exc).__name__}: {exc}") from exc
        ts = response.get("ts")
        return None if ts is None else str(ts)
