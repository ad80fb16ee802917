"""The notice channels are a seam: a chat platform's refusal comes out as our
ChatPlatformError (a rate limit as RetryLater), never as its library's own error.

Each channel runs against a fake of its platform's API on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from chat_driver import bot_settings
from fake_bot_api import BotApi, FakeBotApiServer
from fake_slack_api import BOT_TOKEN, FakeSlackApi

from adapters.slack_notices import SlackChannel
from adapters.telegram_notices import TelegramChannel
from bot.chat import Reply
from bot.errors import ChatPlatformError
from bot.notices import RetryLater

TOKEN = "123:ABC"
REPLY = Reply("Campaign #1: sending…")


async def test_telegram_refusals_are_ours(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns otherwise, on every RetryAfter
    api = BotApi()
    async with FakeBotApiServer(api, TOKEN) as server:
        settings = bot_settings(
            "http://127.0.0.1:9/none", tmp_path, telegram_bot_token=TOKEN,  # type: ignore[arg-type]
            telegram_api_base_url=server.url,
        )  # fmt: skip
        channel = TelegramChannel(settings)
        await channel.open()
        try:
            api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
            with pytest.raises(ChatPlatformError, match="blocked") as refused:
                await channel.show("telegram:42", None, REPLY)
            assert not isinstance(refused.value, RetryLater)
            api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
            with pytest.raises(RetryLater) as wait:
                await channel.show("telegram:42", None, REPLY)
            assert wait.value.seconds == 7
            assert await channel.show("telegram:42", None, REPLY) is not None
        finally:
            await channel.close()


async def test_telegram_unreachable_is_ours(tmp_path: object) -> None:
    settings = bot_settings(
        "http://127.0.0.1:9/none", tmp_path, telegram_bot_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_base_url="http://127.0.0.1:9",
    )  # fmt: skip
    channel = TelegramChannel(settings)
    with pytest.raises(ChatPlatformError, match="Telegram"):
        await channel.show("telegram:42", None, REPLY)


async def test_slack_refusals_are_ours(tmp_path: object) -> None:
    async with FakeSlackApi() as api:
        settings = bot_settings(
            "http://127.0.0.1:9/none", tmp_path, slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
            slack_api_base_url=api.base_url,
        )  # fmt: skip
        channel = SlackChannel(settings)
        api.fail_next("chat.postMessage", error="channel_not_found")
        with pytest.raises(ChatPlatformError, match="channel_not_found") as refused:
            await channel.show("slack:T1/C1", None, REPLY)
        assert not isinstance(refused.value, RetryLater)
        assert await channel.show("slack:T1/C1", None, REPLY) is not None
    with pytest.raises(ChatPlatformError, match="Slack"):
        await channel.show("slack:T1/C1", None, REPLY)  # the API is gone
