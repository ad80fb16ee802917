"""Which adapters run for each ``usendit-bot`` command, on one started :class:`BotApp`.

``usendit-bot`` alone runs every configured chat: Telegram (polling, or its
webhook inside the HTTP app when ``TELEGRAM_WEBHOOK_URL`` is set), Slack
(Socket Mode with ``SLACK_APP_TOKEN``, else HTTP); with none configured, the
console chat.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import uvicorn

from adapters.console import run_console
from adapters.web import WebAdapter, build_web_app
from bot.app import BotApp
from bot.errors import ConfigurationError
from bot.settings import Settings

if TYPE_CHECKING:
    from adapters.slack import SlackAdapter
    from adapters.telegram import TelegramAdapter

log = logging.getLogger(__name__)


async def serve(adapters: list[WebAdapter], port: int) -> None:
    """The ASGI app on ``port`` until cancelled."""
    config = uvicorn.Config(
        build_web_app(adapters),
        host="0.0.0.0",  # noqa: S104 - a server for the platforms to reach
        port=port,
        log_level="warning",
    )
    await uvicorn.Server(config).serve()


async def run(command: str | None, settings: Settings) -> None:
    """Start the bot and the adapters ``command`` asks for, until cancelled or done."""
    telegram_on = settings.telegram_bot_token is not None
    slack_on = settings.slack_bot_token is not None
    if command == "telegram" and not telegram_on:
        raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set")
    if command == "slack" and not (slack_on and settings.slack_app_token):
        raise ConfigurationError("Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
    if command == "serve" and not (telegram_on or slack_on):
        raise ConfigurationError("serve needs TELEGRAM_BOT_TOKEN or SLACK_BOT_TOKEN")
    async with BotApp(settings) as app:
        desk = app.desk
        if command == "console" or (command is None and not (telegram_on or slack_on)):
            await run_console(desk, on_sandbox=app.on_sandbox)
            return
        # Each platform's library is loaded only when that platform runs.
        telegram: TelegramAdapter | None = None
        slack: SlackAdapter | None = None
        if telegram_on:
            from adapters.telegram import TelegramAdapter

            telegram = TelegramAdapter(desk, settings)
        if slack_on:
            from adapters.slack import SlackAdapter

            slack = SlackAdapter(desk, settings)
        web: list[WebAdapter] = []
        jobs = []
        if telegram is not None and command in (None, "telegram", "serve"):
            if command == "serve" or (command is None and settings.telegram_webhook_url):
                web.append(telegram)
            else:
                jobs.append(_polling(telegram))
        if slack is not None and command in (None, "slack", "serve"):
            if command == "slack" or (command is None and settings.slack_app_token):
                jobs.append(_socket_mode(slack))
            else:
                web.append(slack)
        if web:
            jobs.append(serve(web, settings.port))
        log.warning("usendit-bot running: %d job(s)", len(jobs))
        await asyncio.gather(*jobs)


async def _polling(telegram: TelegramAdapter) -> None:
    # run_polling starts and stops the adapter itself (and drops any webhook).
    await telegram.run_polling()


async def _socket_mode(slack: SlackAdapter) -> None:
    await slack.start()
    try:
        await slack.run_socket_mode()
    finally:
        await slack.stop()
