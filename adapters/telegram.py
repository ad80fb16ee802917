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

A file is downloaded only where one is taken: for a wizard waiting for its
recipients or numbers, or with a caption that is such a command (``/send``,
``/optout add``), from someone who may use it (:meth:`~bot.desk.Desk.takes_file`). A photo, a
sticker or a contact while a wizard waits is answered with what it takes
instead. A private chat keeps a keyboard of the everyday commands under its
input field (Balance, Send, Status, in the person's language); a press sends its
label, which becomes the command. After Confirm or Cancel, the preview's
buttons are taken off (a press on an old one is still refused by the desk).

Starting, a Bot API out of reach is tried again with backoff, one warning line
a try; a refused token is a :class:`~bot.errors.ConfigurationError`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import weakref
from dataclasses import replace
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    Document,
    MenuButtonCommands,
    Message,
    ReplyKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from adapters.telegram_replies import ChatSink, Outbox, retry_seconds, without_token
from bot.chat import Attachment, Command, Identity
from bot.desk import Desk, canonical
from bot.errors import ConfigurationError, StoreError
from bot.i18n import LANGUAGES, command_name, translate
from bot.settings import Settings
from bot.turn import FILE_STEPS

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
ALLOWED_UPDATES: Final = ["message", "callback_query"]
STOP_GRACE: Final = 10.0
BACKOFF: Final = (1.0, 60.0)
"""Seconds before the second try to reach the Bot API at start, doubled each try up to
the second number."""

KEYBOARD: Final = ("balance", "send", "status")
"""The private chat's keyboard: a button per command (labelled ``adapter.keyboard.<name>``)."""
KEYBOARD_AFTER: Final = frozenset({"start", "help", "lang"})
"""The commands whose answer in a private chat shows the keyboard (``lang``: in its new
language)."""
CLOSING = re.compile(r"send:(?:confirm|cancel):\d+(?::\d+)?")
"""Buttons that end a preview: once pressed by someone who may send, it keeps none."""

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
        backoff: tuple[float, float] = BACKOFF,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set")
        self.desk = desk
        self.settings = settings
        self.backoff = backoff
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
        self._starting: asyncio.Task[None] | None = None
        """Trying again to reach the Bot API, after start() found it out of reach."""
        self._published = False
        # Every language's label: a keyboard shown before a /lang still works after it.
        self._pressed_keys = {
            translate(lang, f"adapter.keyboard.{name}"): name
            for lang in LANGUAGES
            for name in KEYBOARD
        }

    @property
    def bot(self) -> Bot:
        bot: Bot = self.application.bot
        return bot

    # --- lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        """Connect, publish the command menu, register the webhook if configured, serve.

        A refused token raises :class:`ConfigurationError`. A Bot API out of reach is
        tried again in the background, with backoff, while start() returns (the webhook
        answers 503 until then, and Telegram delivers again later). Starting an adapter
        that is started, or starting, does nothing.
        """
        webhook = self.settings.telegram_webhook_url
        secret = self.settings.telegram_webhook_secret
        if webhook and secret is None:
            raise ConfigurationError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        if self.application.running or self._starting is not None:
            return
        why = await self._try_up()
        if why is not None:
            self._starting = asyncio.create_task(self._keep_trying(why, background=True))

    async def _try_up(self) -> str | None:
        """One try at serving: None once up, else why not (the words of a log line)."""
        try:
            await self._up()
        except InvalidToken as exc:
            await self._close()
            raise ConfigurationError(self._refused()) from exc
        except ConfigurationError:
            await self._close()
            raise
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            await asyncio.sleep(wait)  # Telegram's own wait first, then the backoff's
            return f"flood control: waited {wait:.0f} s"
        except TelegramError as exc:  # NetworkError, TimedOut, a server that is no Bot API
            return without_token(exc, self.bot)
        return None

    async def _up(self) -> None:
        await self.application.initialize()  # getMe: checks the token
        if not self._published:
            try:
                await self._publish_commands()
            except TelegramError as exc:
                log.warning("could not publish the command menu: %s", without_token(exc, self.bot))
            self._published = True
        webhook = self.settings.telegram_webhook_url
        secret = self.settings.telegram_webhook_secret
        if webhook and secret is not None:
            try:
                await self.bot.set_webhook(
                    url=webhook_url(webhook),
                    secret_token=secret.get_secret_value(),
                    allowed_updates=ALLOWED_UPDATES,
                )
            except BadRequest as exc:
                raise ConfigurationError(
                    f"Telegram refused TELEGRAM_WEBHOOK_URL {webhook_url(webhook)}: {exc.message}"
                ) from exc
            log.info("Telegram webhook set to %s", webhook_url(webhook))
        await self.application.start()

    async def _keep_trying(self, why: str, *, background: bool = False) -> None:
        """Try again after each failure, waiting longer each time, until up or cancelled."""
        delay, longest = self.backoff
        tries = 1
        try:
            while True:
                log.warning(
                    "Telegram's Bot API (%s) is out of reach after %d %s (%s); "
                    "trying again in %g s",
                    self._api_address(),
                    tries,
                    "try" if tries == 1 else "tries",
                    why,
                    delay,
                )
                await asyncio.sleep(delay)
                delay, tries = min(delay * 2, longest), tries + 1
                found = await self._try_up()
                if found is None:
                    log.warning("reached Telegram's Bot API as @%s", self.bot.username)
                    return
                why = found
        except ConfigurationError as exc:
            if background:  # nobody waits for it: said here, and Telegram is not served
                log.error("%s; Telegram is not served", exc)  # noqa: TRY400 - one line
            raise

    def _api_address(self) -> str:
        """The Bot API's address as configured, without any user:password in it."""
        base = self.settings.telegram_api_base_url
        if not base:
            return "api.telegram.org"
        parts = urlsplit(base)
        return parts._replace(netloc=parts.netloc.rpartition("@")[2], query="").geturl()

    def _refused(self) -> str:
        if self.settings.telegram_api_base_url:
            return (
                f"Telegram refused TELEGRAM_BOT_TOKEN, or TELEGRAM_API_BASE_URL "
                f"({self._api_address()}) is no Bot API server: check both"
            )
        return "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather"

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
        """Stop trying to connect, stop polling and serving (pending updates are answered
        first), then disconnect."""
        starting, self._starting = self._starting, None
        if starting is not None:
            starting.cancel()
            await asyncio.wait({starting})
            if not starting.cancelled():
                starting.exception()  # already said (a refused token): retrieved, not raised
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            # Updates in hand are answered first, within a grace period.
            try:
                await asyncio.wait_for(self.application.stop(), STOP_GRACE)
            except TimeoutError:
                log.warning("Telegram updates still running after %ss; stopping anyway", STOP_GRACE)
        await self._close()

    async def _close(self) -> None:
        await self.application.shutdown()
        await self.bot.shutdown()  # a bot a failed start left half open

    async def run_polling(self) -> None:
        """Long polling until cancelled (``usendit-bot telegram``), inside the caller's loop.

        Starts the adapter if :meth:`start` was not called (no webhook is set then: polling
        removes any), trying again with backoff while the Bot API is out of reach, and
        stops it on the way out (cancelling it stops it at any point).
        """
        try:
            if self._starting is not None:
                await self._starting
            elif not self.application.running:
                why = await self._try_up()
                if why is not None:
                    await self._keep_trying(why)
            updater = self.application.updater
            if updater is None:
                raise ConfigurationError("the Telegram application has no updater")
            # Its first call (deleteWebhook) tried until it works: getMe just did.
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)
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
        pressed = query.message
        if (
            pressed is not None
            and CLOSING.fullmatch(query.data)
            and self.desk.may(command.user.key, "send")
        ):
            # Confirmed or cancelled (or refused as already done, or out of date): the
            # preview's buttons can do nothing more. Someone who may not send changed
            # nothing, and the buttons stay for who may.
            await self.outbox.close_buttons(pressed.chat.id, pressed.message_id)

    async def _on_message(self, update: Update, message: Message, user: User) -> None:
        private = message.chat.type == ChatType.PRIVATE
        if message.text is None and message.effective_attachment is None:
            return  # a service message (someone joined, a pin...): nobody asked anything
        parsed = parse_command(message.text or message.caption or "", self.bot.username)
        if parsed is None:
            return
        name, args = parsed
        if name is None and not private and not self._answers_bot(message):
            return  # group chatter, not meant for us
        command = self._command(update, user, message.chat.id, private, name=name, args=args)
        try:
            if name is None and private and message.text is not None:
                command = await self._keyboard_press(command)
            sink = self._sink(message.chat.id, user, private, message.message_id, command.name)
            if message.text is None:  # a file, a photo, a sticker, a contact...
                attachments = await self._attachments(message, command, sink)
                if attachments is None:
                    return
                command = replace(command, attachments=attachments)
        except StoreError as exc:
            # Which wizard waits is the store's to say: the desk tells the person it failed.
            log.warning("the store failed before a Telegram message was read: %s", exc)
            sink = self._sink(message.chat.id, user, private, message.message_id, name)
        await self._handle(command, sink)

    async def _keyboard_press(self, command: Command) -> Command:
        """A label of the private chat's keyboard is its command (but never a password)."""
        pressed = self._pressed_keys.get(command.args)
        if pressed is None:
            return command
        waiting = await self.desk.open_wizard(command.conversation)
        if waiting is not None and waiting[1] == "password":
            return command  # whatever comes now is the password, even "Saldo"
        return replace(command, name=pressed, args="")

    async def _attachments(
        self, message: Message, command: Command, sink: ChatSink
    ) -> tuple[Attachment, ...] | None:
        """What a message with no text brings the desk: its file where one is taken, else
        nothing; None when it was answered here (or is for nobody)."""
        document = message.document
        if command.name is not None:  # the caption is a command
            if document is None or not self.desk.takes_file(command.user.key, command.name):
                return ()  # the command alone (the desk refuses whoever may not run it)
            return await self._download(document, sink)
        waiting = await self.desk.open_wizard(command.conversation)
        if waiting is None:
            # Nothing asked for it: a file reaches the desk without being read (which says
            # what it does take), a photo or a sticker goes unanswered.
            return () if document is not None else None
        if waiting in FILE_STEPS:
            if document is not None:
                return await self._download(document, sink)
            await sink.say("adapter.media_recipients")
        else:
            await sink.say("adapter.media_text")
        return None

    async def _download(self, document: Document, sink: ChatSink) -> tuple[Attachment, ...] | None:
        """The file, or None when it is too large (and the person was told)."""
        name = document.file_name or "recipients.csv"
        limit = self.desk.config.max_file_bytes
        if document.file_size is not None and document.file_size > limit:
            await sink.say("adapter.file_too_large", name=name, limit=f"{limit / 1e6:g}")
            return None
        try:
            content = bytes(await (await document.get_file()).download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not download a file: %s", without_token(exc, self.bot))
            await sink.say("adapter.file_unreadable", name=name)
            return None
        if len(content) > limit:
            await sink.say("adapter.file_too_large", name=name, limit=f"{limit / 1e6:g}")
            return None
        return (Attachment(name, content, document.mime_type),)

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

    def _sink(
        self,
        chat_id: int,
        user: User,
        private: bool,
        message_id: int | None,
        name: str | None = None,
    ) -> ChatSink:
        """Where the replies to ``user``'s update go; the answer to command ``name`` shows
        the private chat's keyboard when it is one of :data:`KEYBOARD_AFTER`."""
        identity = self._identity(user).key

        async def language() -> str:
            return await self.desk.language_of(identity, user.language_code)

        shows_keyboard = (
            private
            and name is not None
            and canonical(name) in KEYBOARD_AFTER
            and self.desk.knows(identity)
        )
        return ChatSink(
            self.outbox,
            chat_id=chat_id,
            user_id=user.id,
            private=private,
            message_id=message_id,
            language=language,
            persistent=(lambda lang: self._keyboard(identity, lang)) if shows_keyboard else None,
        )

    def _keyboard(self, identity: str, lang: str) -> ReplyKeyboardMarkup:
        """The private chat's keyboard: the everyday commands ``identity`` may run."""
        labels = [
            translate(lang, f"adapter.keyboard.{name}")
            for name in KEYBOARD
            if self.desk.may(identity, name)
        ]
        return ReplyKeyboardMarkup([labels], resize_keyboard=True, is_persistent=True)

    async def _handle(self, command: Command, sink: ChatSink) -> None:
        lock = self._locks.setdefault((sink.chat_id, command.user.user_id), asyncio.Lock())
        async with lock:
            await self.desk.handle(command, sink)


def webhook_url(url: str) -> str:
    """``https://host`` -> ``https://host/telegram/webhook``; a full URL stays as given."""
    if urlsplit(url).path in ("", "/"):
        return url.rstrip("/") + WEBHOOK_PATH
    return url
