"""The outbox's Telegram channel: notices posted, then edited in place by message id.

It has its own :class:`telegram.Bot` (only for sending), so any process with
``TELEGRAM_BOT_TOKEN`` delivers Telegram notices, ``usendit-bot worker``
included, whatever serves the updates.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, RetryAfter, TelegramError
from telegram.request import BaseRequest

from adapters.telegram_replies import (
    MAX_TEXT,
    keyboard,
    reply_text,
    retry_seconds,
    split_text,
    without_token,
)
from bot.chat import Reply
from bot.errors import ChatPlatformError, ConfigurationError
from bot.notices import RetryLater
from bot.settings import Settings


def telegram_bot(settings: Settings, request: BaseRequest | None = None) -> Bot:
    """A Bot for TELEGRAM_BOT_TOKEN, on TELEGRAM_API_BASE_URL when set."""
    if settings.telegram_bot_token is None:
        raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set")
    token = settings.telegram_bot_token.get_secret_value()
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot", request=request)
    return Bot(token, request=request)


class TelegramChannel:
    """Shows ``telegram:<chat id>`` notices; the message id is the notice's ``ref``."""

    prefix = "telegram:"

    def __init__(self, settings: Settings, *, request: BaseRequest | None = None) -> None:
        self.bot = telegram_bot(settings, request)

    async def open(self) -> None:
        """Reach the Bot API; the courier tries again later if it cannot (one line a try)."""
        try:
            await self.bot.initialize()
        except InvalidToken as exc:
            # PTB's own message names the token: never in a log.
            raise ChatPlatformError("Telegram refused TELEGRAM_BOT_TOKEN") from exc
        except TelegramError as exc:  # NetworkError, TimedOut: the Bot API out of reach
            raise ChatPlatformError(f"Telegram: {without_token(exc, self.bot)}") from exc

    async def close(self) -> None:
        await self.bot.shutdown()

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        chat_id = int(chat.removeprefix(self.prefix))
        text = reply_text(reply)
        try:
            if ref is not None:
                try:
                    await self.bot.edit_message_text(
                        text[:MAX_TEXT],
                        chat_id=chat_id,
                        message_id=int(ref),
                        reply_markup=keyboard(reply.buttons),
                    )
                except BadRequest as exc:
                    if "not modified" in exc.message.lower():
                        return ref
                    # Too old to edit, or deleted by the user: show it anew below.
                else:
                    return ref
            *first, last = split_text(text)
            for piece in first:
                await self.bot.send_message(chat_id, piece)
            sent = await self.bot.send_message(chat_id, last, reply_markup=keyboard(reply.buttons))
            return str(sent.message_id)
        except RetryAfter as exc:
            raise RetryLater(retry_seconds(exc)) from exc
        except TelegramError as exc:  # NetworkError, TimedOut, Forbidden, BadRequest...
            raise ChatPlatformError(f"Telegram: {without_token(exc, self.bot)}") from exc
