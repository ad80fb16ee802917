"""Which adapters run for each ``usendit-bot`` command, on one started :class:`BotApp`.

``usendit-bot`` alone runs every configured chat: Telegram (polling, or its
webhook inside the HTTP app when ``TELEGRAM_WEBHOOK_URL`` is set), Slack
(Socket Mode with ``SLACK_APP_TOKEN``, else HTTP); with none configured, the
console chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import uvicorn

from adapters.console import run_console
from adapters.web import WebAdapter, build_web_app
from bot.app import BotApp
from bot.errors import ConfigurationError
from bot.notices import NoticeChannel
from bot.settings import Settings

if TYPE_CHECKING:
    from adapters.slack import SlackAdapter
    from adapters.telegram import TelegramAdapter

log = logging.getLogger(__name__)


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside our run: SIGTERM is the runner's (it drains the worker first, then
    asks the server to finish), so uvicorn must not take the signal for itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServer:
    """The ASGI app on ``port``: :meth:`run` until :meth:`stop` asks it to finish.

    Stopped by asking (uvicorn's own shutdown: requests in hand answered, the
    adapters stopped by the app's lifespan), never by cancelling its task.
    """

    def __init__(self, adapters: list[WebAdapter], port: int) -> None:
        config = uvicorn.Config(
            build_web_app(adapters),
            host="0.0.0.0",  # noqa: S104 - a server for the platforms to reach
            port=port,
            log_level="warning",
        )
        self.server = _EmbeddedServer(config)

    async def run(self) -> None:
        await self.server.serve()

    def stop(self) -> None:
        self.server.should_exit = True


Job = tuple[Coroutine[Any, Any, None], Callable[[], None] | None]
"""A coroutine to run, and how to ask it to stop (None: cancel it)."""


def check(command: str | None, settings: Settings) -> None:
    """Refuse, before anything starts, settings that cannot work for ``command``."""
    telegram_on = settings.telegram_bot_token is not None
    slack_on = settings.slack_bot_token is not None
    webhook = settings.telegram_webhook_url is not None
    if command == "telegram" and not telegram_on:
        raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set")
    if command == "telegram" and webhook:
        # Polling would delete the webhook `serve` registered (and the other way round).
        raise ConfigurationError(
            "TELEGRAM_WEBHOOK_URL is set: Telegram runs in `usendit-bot serve`; "
            "unset it to poll with `usendit-bot telegram`"
        )
    if webhook and settings.telegram_webhook_secret is None:
        raise ConfigurationError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
    if command == "slack" and not (slack_on and settings.slack_app_token):
        raise ConfigurationError("Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
    serves_slack = slack_on and settings.slack_app_token is None
    if command == "serve" and not ((telegram_on and webhook) or serves_slack):
        raise ConfigurationError(
            "serve needs TELEGRAM_BOT_TOKEN with TELEGRAM_WEBHOOK_URL, "
            "or SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET"
        )
    if serves_slack and command in (None, "serve") and settings.slack_signing_secret is None:
        raise ConfigurationError("Slack over HTTP needs SLACK_SIGNING_SECRET")


def notice_channels(settings: Settings) -> list[NoticeChannel]:
    """A notice channel for every configured platform: whatever this process serves, it
    delivers those platforms' notices (``usendit-bot worker`` serves none)."""
    channels: list[NoticeChannel] = []
    if settings.telegram_bot_token is not None:
        from adapters.telegram_notices import TelegramChannel

        channels.append(TelegramChannel(settings))
    if settings.slack_bot_token is not None:
        from adapters.slack_notices import SlackChannel

        channels.append(SlackChannel(settings))
    return channels


async def run(command: str | None, settings: Settings) -> None:
    """Start the bot and the adapters ``command`` asks for, until SIGTERM or done.

    SIGTERM (a platform stopping the dyno) stops in order: the worker takes no
    new work and finishes or hands back the part in flight within
    ``SHUTDOWN_GRACE``, the pending notices are delivered, the adapters stop
    (updates in hand are answered), and the store is closed last.
    """
    check(command, settings)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    telegram_on = settings.telegram_bot_token is not None
    slack_on = settings.slack_bot_token is not None
    async with BotApp(settings, notice_channels(settings)) as app:
        desk = app.desk
        web: list[WebAdapter] = []
        jobs: list[Job] = []
        if command == "console" or (command is None and not (telegram_on or slack_on)):
            jobs.append((run_console(app), None))
        else:
            # Each platform's library is loaded only when that platform runs.
            if telegram_on and command in (None, "telegram", "serve"):
                from adapters.telegram import TelegramAdapter

                telegram = TelegramAdapter(desk, settings)
                if settings.telegram_webhook_url:
                    # Started before the HTTP server, so a refused token ends the process
                    # in one line (in the server's startup it is uvicorn's traceback); out
                    # of reach, it is tried again in the background, the webhook answering
                    # 503 meanwhile. The server's lifespan finds it started, and stops it.
                    await telegram.start()
                    web.append(telegram)
                elif command != "serve":
                    jobs.append((_polling(telegram), None))
            if slack_on and command in (None, "slack", "serve"):
                from adapters.slack import SlackAdapter

                slack = SlackAdapter(desk, settings)
                if settings.slack_app_token and command != "serve":
                    jobs.append((_socket_mode(slack), None))
                elif settings.slack_app_token is None:
                    web.append(slack)
            if web:
                server = WebServer(web, settings.port)
                jobs.append((server.run(), server.stop))
            parts = [f"{name} ({how})" for name, how in _surfaces(settings, command, web)]
            print(started_line(command, settings, app, parts), file=sys.stderr, flush=True)
        await _until_stopped(app, jobs, stop)


def _surfaces(
    settings: Settings, command: str | None, web: list[WebAdapter]
) -> list[tuple[str, str]]:
    """The chats this process answers, and how they reach it."""
    on_http = {type(adapter).__name__ for adapter in web}
    found: list[tuple[str, str]] = []
    if "TelegramAdapter" in on_http:
        found.append(("Telegram", f"webhook on :{settings.port}/telegram/webhook"))
    elif settings.telegram_bot_token is not None and command in (None, "telegram"):
        found.append(("Telegram", "long polling"))
    if "SlackAdapter" in on_http:
        found.append(("Slack", f"events on :{settings.port}/slack/events"))
    elif settings.slack_app_token is not None and command in (None, "slack"):
        found.append(("Slack", "Socket Mode"))
    return found


def started_line(command: str | None, settings: Settings, app: BotApp, parts: list[str]) -> str:
    """What a process says once it is up: the chats it answers, the store, and uSendit
    (the sandbox's address, where its state can be seen). Never a password."""
    if settings.on_postgres:
        url = urlsplit(settings.database_url)
        store = f"PostgreSQL {url.hostname or 'localhost'}:{url.port or 5432}{url.path}"
    else:
        store = f"SQLite {settings.sqlite_path.resolve()}"
    if app.sandbox is not None:
        provider = f"the local sandbox at {app.sandbox.url} (state: /_sandbox/state)"
    else:
        endpoint = settings.usendit_endpoint or settings.usendit_wsdl_url or "the WSDL's address"
        provider = f"uSendit at {urlsplit(str(endpoint))._replace(query='').geturl()}"
    chats = ", ".join(parts) if parts else "no chat (sends campaigns, delivers notices)"
    return f"usendit-bot {command or 'all'}: {chats}; store {store}; {provider}"


async def _until_stopped(app: BotApp, jobs: list[Job], stop: asyncio.Event) -> None:
    """Run the jobs until SIGTERM, or until one ends (the console at end of input); then
    drain the app (the worker first, then the notices) and only then stop the jobs. A
    job that failed raises here, after the others are stopped."""
    tasks = {asyncio.create_task(job): stopper for job, stopper in jobs}
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([*tasks, stopped], return_when=asyncio.FIRST_COMPLETED)
        await app.drain()
    finally:
        stopped.cancel()
        for task, stopper in tasks.items():
            if task.done():
                continue
            if stopper is not None:
                stopper()
            else:
                task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result


async def _polling(telegram: TelegramAdapter) -> None:
    # run_polling starts and stops the adapter itself (and drops any webhook).
    await telegram.run_polling()


async def _socket_mode(slack: SlackAdapter) -> None:
    await slack.start()
    try:
        await slack.run_socket_mode()
    finally:
        await slack.stop()
