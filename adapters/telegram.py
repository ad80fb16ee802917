"""The Telegram adapter: Bot API updates in, desk replies out as Bot API calls.

Usage:
    usendit-bot telegram         long polling
    usendit-bot serve            webhook at ``POST /telegram/webhook`` (``TELEGRAM_WEBHOOK_URL``)

A message or a button press becomes one :class:`~bot.chat.Command` (``update_id``
``telegram:<bot id>:<update id>``, or ``…:cb:<callback query id>`` for a press, so a
redelivered update is claimed only once by the desk); the desk's
:class:`~bot.chat.Reply` objects become plain-text messages (user text can never
inject markup) with inline keyboards, and the deletion of a message that held a
password. In groups, plain text and files reach the desk only as replies to the
bot's own messages, as Telegram's privacy mode delivers them.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import weakref
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import Bot, BotCommand, CallbackQuery, MenuButtonCommands, Message, Update, User
from telegram.constants import ChatType
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from adapters.telegram_replies import ChatSink, Outbox
from bot.chat import Attachment, Command, Identity
from bot.desk import Desk
from bot.errors import ConfigurationError
from bot.i18n import LANGUAGES, command_name, translate
from bot.recipient_files import FILE_MB, MAX_FILE_BYTES
from bot.settings import Settings

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
ALLOWED_UPDATES: Final = ["message", "callback_query"]
STOP_GRACE: Final = 10.0

_COMMAND = re.compile(r"/(\S*)\s*(.*)", re.DOTALL)


def parse_command(text: str, bot_username: str | None) -> tuple[str | None, str] | None:
    """``("balance", "")`` for ``/balance@ThisBot``; ``(None, text)`` for plain text;
    None for a command addressed to another bot."""
    found = _COMMAND.fullmatch(text.strip())
    if found is None:
        return None, text.strip()
    name, _, target = found.group(1).partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return name, found.group(2).strip()


class TelegramAdapter:
    """Telegram for the desk: long polling (:meth:`run_polling`) or a webhook (:meth:`routes`)."""

    def __init__(
        self,
        desk: Desk,
        settings: Settings,
        *,
        request: BaseRequest | None = None,
        get_updates_request: BaseRequest | None = None,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set")
        self.desk = desk
        self.settings = settings
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .concurrent_updates(True)  # one chat's long send must not hold up the others
            .job_queue(None)
        )
        if settings.telegram_api_base_url:
            base = settings.telegram_api_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        if request is not None:
            builder = builder.request(request)
        if get_updates_request is not None:
            builder = builder.get_updates_request(get_updates_request)
        self.application: TelegramApp = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        # Updates of one chat are answered in order; other chats go on meanwhile.
        # One lock per person in a chat: their updates are answered in order, while a
        # long send by one member never holds up the others.
        self._locks: weakref.WeakValueDictionary[tuple[int, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self.outbox = Outbox(self.application.bot)

    @property
    def bot(self) -> Bot:
        bot: Bot = self.application.bot
        return bot

    # --- lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        """Connect, publish the command menu, register the webhook if configured, serve."""
        webhook = self.settings.telegram_webhook_url
        secret = self.settings.telegram_webhook_secret
        if webhook and secret is None:
            raise ConfigurationError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        await self._open()
        try:
            if webhook and secret is not None:
                await self.bot.set_webhook(
                    url=webhook_url(webhook),
                    secret_token=secret.get_secret_value(),
                    allowed_updates=ALLOWED_UPDATES,
                )
                log.info("Telegram webhook set to %s", webhook_url(webhook))
            await self.application.start()
        except BaseException:
            await self.application.shutdown()
            raise

    async def _open(self) -> None:
        try:
            await self.application.initialize()
        except InvalidToken as exc:
            raise ConfigurationError("Telegram refused TELEGRAM_BOT_TOKEN") from exc
        try:
            await self._publish_commands()
        except TelegramError as exc:
            log.warning("could not publish the command menu: %s", exc)

    async def _publish_commands(self) -> None:
        # Each language's menu lists its own command names (/saldo, /comprar): the
        # catalogs keep them to Telegram's [a-z0-9_]{1,32}, and the desk takes them all.
        languages: list[tuple[str | None, str]] = [(None, self.desk.config.language)]
        languages += [(lang, lang) for lang in LANGUAGES]
        for code, lang in languages:
            commands = [
                BotCommand(command_name(lang, name), translate(lang, spec.help))
                for name, spec in self.desk.commands.items()
            ]
            await self.bot.set_my_commands(commands, language_code=code)
        # The menu button lists those commands: /balance is one tap away.
        await self.bot.set_chat_menu_button(menu_button=MenuButtonCommands())

    async def stop(self) -> None:
        """Stop polling and serving (pending updates are answered first), then disconnect."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            # Updates in hand are answered first, within a grace period.
            try:
                await asyncio.wait_for(self.application.stop(), STOP_GRACE)
            except TimeoutError:
                log.warning("Telegram updates still running after %ss; stopping anyway", STOP_GRACE)
        await self.application.shutdown()

    async def run_polling(self) -> None:
        """Long polling until cancelled (``usendit-bot telegram``), inside the caller's loop.

        Starts the adapter if :meth:`start` was not called (no webhook is set then: polling
        removes any), and stops it on the way out.
        """
        try:
            if not self.application.running:
                await self._open()
                await self.application.start()
            updater = self.application.updater
            if updater is None:
                raise ConfigurationError("the Telegram application has no updater")
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("polling Telegram as @%s", self.bot.username)
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # --- webhook --------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])]

    async def _webhook(self, request: Request) -> Response:
        secret = self.settings.telegram_webhook_secret
        given = request.headers.get(SECRET_HEADER, "").encode()
        if secret is None or not hmac.compare_digest(given, secret.get_secret_value().encode()):
            return Response(status_code=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.bot) if isinstance(data, dict) else None
        except (ValueError, KeyError, TypeError):
            update = None
        if update is None:
            return Response(status_code=400)
        if not self.application.running:
            return Response(status_code=503)  # Telegram delivers it again later
        # Handled before the 200: a process killed meanwhile gets the update again from
        # Telegram (and the desk's claim makes the second delivery harmless). Handling is
        # quick: a Confirm only records the work; the worker sends.
        await self.application.process_update(update)
        return Response(status_code=200)

    # --- updates in ---------------------------------------------------------------

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never log the update itself: it may hold a password.
        log.error("Telegram update failed", exc_info=context.error)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or user.is_bot:
            return
        if update.callback_query is not None:
            await self._on_press(update, update.callback_query, user)
        elif update.message is not None:
            await self._on_message(update, update.message, user)

    async def _on_press(self, update: Update, query: CallbackQuery, user: User) -> None:
        try:
            await query.answer()  # stops the button's spinner; the desk answers in the chat
        except TelegramError as exc:
            log.info("could not answer a button press: %s", exc)
        if query.data is None:
            return
        chat = query.message.chat if query.message is not None else None
        chat_id = chat.id if chat is not None else user.id
        private = chat is None or chat.type == ChatType.PRIVATE
        command = self._command(
            update, user, chat_id, private, event=f"cb:{query.id}", action=query.data
        )
        await self._handle(command, self._sink(chat_id, user, private, None))

    async def _on_message(self, update: Update, message: Message, user: User) -> None:
        private = message.chat.type == ChatType.PRIVATE
        document = message.document
        text = message.text if document is None else message.caption or ""
        if text is None:
            return
        parsed = parse_command(text, self.bot.username)
        if parsed is None:
            return
        name, args = parsed
        if name is None and not private and not self._answers_bot(message):
            return  # group chatter, not meant for us
        sink = self._sink(message.chat.id, user, private, message.message_id)
        attachments: tuple[Attachment, ...] = ()
        if document is not None:
            identity = self._identity(user)
            name_ = document.file_name or "recipients.csv"
            if document.file_size is not None and document.file_size > MAX_FILE_BYTES:
                await sink.say("adapter.file_too_large", name=name_, limit=FILE_MB)
                return
            if self.desk.knows(identity.key):
                content = bytes(await (await document.get_file()).download_as_bytearray())
                if len(content) > MAX_FILE_BYTES:
                    await sink.say("adapter.file_too_large", name=name_, limit=FILE_MB)
                    return
                attachments = (Attachment(name_, content, document.mime_type),)
        command = self._command(
            update, user, message.chat.id, private, name=name, args=args, attachments=attachments
        )
        await self._handle(command, sink)

    def _answers_bot(self, message: Message) -> bool:
        replied = message.reply_to_message
        return (
            replied is not None
            and replied.from_user is not None
            and (replied.from_user.id == self.bot.id)
        )

    @staticmethod
    def _identity(user: User) -> Identity:
        return Identity("telegram", str(user.id), name=user.full_name)

    def _command(
        self,
        update: Update,
        user: User,
        chat_id: int,
        private: bool,
        *,
        event: str | None = None,
        **fields: Any,
    ) -> Command:
        # Update ids may start again after a week without updates (Bot API), so a claim
        # names the bot (its token's id part) as well; a press is its callback query's id.
        bot_id = self.bot.token.split(":", 1)[0]
        return Command(
            update_id=f"telegram:{bot_id}:{event or update.update_id}",
            user=self._identity(user),
            chat_id=f"telegram:{chat_id}",
            private=private,
            locale=user.language_code,
            **fields,
        )

    def _sink(self, chat_id: int, user: User, private: bool, message_id: int | None) -> ChatSink:
        async def language() -> str:
            return await self.desk.language_of(self._identity(user).key, user.language_code)

        return ChatSink(
            self.outbox,
            chat_id=chat_id,
            user_id=user.id,
            private=private,
            message_id=message_id,
            language=language,
        )

    async def _handle(self, command: Command, sink: ChatSink) -> None:
        lock = self._locks.setdefault((sink.chat_id, command.user.user_id), asyncio.Lock())
        async with lock:
            await self.desk.handle(command, sink)


def webhook_url(url: str) -> str:
    """``https://host`` -> ``https://host/telegram/webhook``; a full URL stays as given."""
    if urlsplit(url).path in ("", "/"):
        return url.rstrip("/") + WEBHOOK_PATH
    return url
