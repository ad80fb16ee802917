"""Desk replies as Telegram messages: plain text, inline keyboards.

:class:`Outbox` (one per adapter) sends messages, split at Telegram's length
and waiting out its flood control; :class:`ChatSink` (one per update) is the
desk's :data:`~bot.chat.ReplySink` for that update, deletes the user's
message when a reply asks for it (it held a password), and shows a private
chat's persistent keyboard when the adapter asks for it.

Text is sent without a parse mode, so nothing a user typed can become markup.
Telegram failures are logged and never raised into the desk.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Final, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from telegram.constants import MessageLimit
from telegram.error import RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.chat import Button, Reply, ReplyFile
from bot.i18n import translate

log = logging.getLogger(__name__)

T = TypeVar("T")
Buttons = tuple[tuple[Button, ...], ...]
Content = tuple[str, Buttons]

EDIT_INTERVAL: Final = 1.0  # seconds between two edits of one message (Telegram's flood limits)
RETRIES: Final = 3  # attempts of one chat message under RetryAfter
REMEMBERED_KEYS: Final = 1000  # keyed messages kept for later edits
MAX_TEXT: Final = int(MessageLimit.MAX_TEXT_LENGTH)
COVERED_BY_KEYBOARD: Final = frozenset({"menu:balance"})
"""Inline buttons the persistent keyboard does as well: a reply that shows the keyboard
goes without them (a message has one keyboard or the other)."""


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in buttons]
    )


def reply_text(reply: Reply) -> str:
    """The reply as plain text (Telegram refuses an empty message)."""
    return reply.text or "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line ends where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces or ["…"]


def without_token(error: Exception, bot: Bot) -> str:
    """An error's type and message for a log line, the bot's token masked wherever it shows."""
    return f"{type(error).__name__}: {error}".replace(bot.token, "<TELEGRAM_BOT_TOKEN>")


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns until retry_after becomes a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_retry(call: Callable[[], Awaitable[T]]) -> T:
    """One chat call, waiting out Telegram's flood control (RetryAfter) a few times."""
    for _ in range(RETRIES - 1):
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            log.info("Telegram asks to wait %.0f s before the next message", wait)
            await asyncio.sleep(wait)
    return await call()


class Outbox:
    """Sends chat messages for one bot (a campaign's notices have their own channel,
    :mod:`adapters.telegram_notices`)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons = (),
        *,
        persistent: ReplyKeyboardMarkup | None = None,
    ) -> Message:
        """Plain text split at Telegram's length; the buttons (or, with none, the
        ``persistent`` keyboard) go on the last piece."""
        *first, last = split_text(text)
        for piece in first:
            await self._send_piece(chat_id, piece, None)
        inline = keyboard(buttons)
        return await self._send_piece(chat_id, last, persistent if inline is None else inline)

    async def _send_piece(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
    ) -> Message:
        return await with_retry(lambda: self.bot.send_message(chat_id, text, reply_markup=markup))

    async def send_file(self, chat_id: int, file: ReplyFile) -> Message:
        """A document (sendDocument), read from the core's file as it is sent."""
        return await with_retry(
            lambda: self.bot.send_document(chat_id, file.path, filename=file.name)
        )

    async def close_buttons(self, chat_id: int, message_id: int) -> None:
        """Take the inline keyboard off a message (its buttons have done their work)."""
        try:
            await with_retry(lambda: self.bot.edit_message_reply_markup(chat_id, message_id))
        except TelegramError as exc:
            # Too old to edit, or already without buttons: its buttons stay harmless.
            log.info("could not take the buttons off a message: %s", exc)


class ChatSink:
    """The desk's reply sink for one update: where to answer, which message to delete."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        chat_id: int,
        user_id: int,
        private: bool,
        message_id: int | None,
        language: Callable[[], Awaitable[str]],
        persistent: Callable[[str], ReplyKeyboardMarkup] | None = None,
    ) -> None:
        self.outbox = outbox
        self.chat_id = chat_id
        self.user_id = user_id
        self.private = private
        self.message_id = message_id
        self._language = language
        self._persistent = persistent
        """The private chat's keyboard in a language, to show once with this update's replies."""
        self._deleted = False

    async def say(self, key: str, **params: str) -> None:
        """One of the adapter's own sentences (``adapter.*`` keys), in the user's language."""
        try:
            await self.outbox.send(self.chat_id, translate(await self._language(), key, **params))
        except TelegramError as exc:
            log.warning("could not answer in Telegram: %s", exc)

    async def __call__(self, reply: Reply) -> None:
        try:
            if reply.delete_command:
                await self._delete_command()
            await self._show(reply)
        except TelegramError as exc:
            log.warning("could not show a reply in Telegram: %s", exc)

    async def _delete_command(self) -> None:
        if self._deleted or self.message_id is None:
            return
        self._deleted = True
        chat_id, message_id = self.chat_id, self.message_id
        try:
            await with_retry(lambda: self.outbox.bot.delete_message(chat_id, message_id))
        except TelegramError as exc:
            log.warning("could not delete a message holding a password: %s", exc)
            await self.say("adapter.not_deleted")

    async def _show(self, reply: Reply) -> None:
        outbox = self.outbox
        # A secret never shows in a group: it goes to the person's private chat with the bot.
        chat_id = self.user_id if reply.secret and not self.private else self.chat_id
        buttons, persistent = reply.buttons, None
        actions = {button.action for row in buttons for button in row}
        if self._persistent is not None and actions <= COVERED_BY_KEYBOARD:
            # The first reply that can carry the keyboard shows it, in place of the inline
            # buttons it covers; the keyboard then stays under the chat.
            persistent = self._persistent(await self._language())
            self._persistent, buttons = None, ()
        try:
            await outbox.send(chat_id, reply_text(reply), buttons, persistent=persistent)
            if reply.file is not None:
                await outbox.send_file(chat_id, reply.file)
        except TelegramError:
            if chat_id == self.chat_id:
                raise
            await self.say("adapter.private_only")  # they never opened a private chat with the bot
