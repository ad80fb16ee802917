"""Telegram at start: a Bot API out of reach is tried again with backoff, one line a try,
and stays stoppable; a refused token is one line and a non-zero exit (issue 12, item 16).

In process on the real Application (tests/fake_bot_api.py), then as a deployment runs
it: ``usendit-bot telegram`` and ``usendit-bot serve`` as subprocesses, stopped by SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from chat_driver import bot_settings, child_env, start_bot
from fake_bot_api import BotApi, FakeBotApiServer, FakeRequest, message_update, user
from telegram import Update

from adapters.telegram import TelegramAdapter
from adapters.web import build_web_app
from bot.app import BotApp
from bot.errors import ConfigurationError
from bot.sandbox import SandboxServer
from bot.settings import Settings

TOKEN = "123:STARTING"
QUICK = (0.01, 0.05)  # seconds of backoff: the first, and the longest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    settings = bot_settings(
        sandbox.endpoint, tmp_path, bot_admins=["telegram:1001"], telegram_bot_token=TOKEN
    )
    async with BotApp(settings) as started:
        yield started


def changed(settings: Settings, **changes: object) -> Settings:
    return Settings(_env_file=None, **{**settings.model_dump(), **changes})


def tries(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "out of reach" in r.getMessage()]


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    pytest.fail("waited in vain")


class TestInProcess:
    async def test_out_of_reach_at_start_is_tried_again_one_line_a_try(
        self, app: BotApp, caplog: pytest.LogCaptureFixture
    ) -> None:
        api = BotApi()
        api.fail("getMe", 502, "Bad Gateway")
        api.fail("getMe", 502, "Bad Gateway")
        adapter = TelegramAdapter(app.desk, app.settings, request=FakeRequest(api), backoff=QUICK)
        caplog.set_level(logging.WARNING, "adapters.telegram")
        try:
            await adapter.start()  # returns: the tries go on in the background
            await until(lambda: adapter.application.running)
            assert len(api.of("getMe")) == 3
            lines = tries(caplog)
            assert len(lines) == 2
            for line in lines:
                assert line.exc_info is None  # a line, not a traceback
                assert "\n" not in line.getMessage()
                assert "Bad Gateway" in line.getMessage()
                assert TOKEN not in line.getMessage()
            update = Update.de_json(message_update(user(1001), "/balance"), adapter.bot)
            await adapter.application.process_update(update)
            assert "500" in api.of("sendMessage")[-1]["text"]
        finally:
            await adapter.stop()

    async def test_polling_waits_for_a_bot_api_that_comes_up_later(
        self, app: BotApp, caplog: pytest.LogCaptureFixture
    ) -> None:
        port = free_port()
        api = BotApi()
        api.updates.append(message_update(user(1001), "/balance", update_id=9))
        settings = changed(app.settings, telegram_api_base_url=f"http://127.0.0.1:{port}")
        adapter = TelegramAdapter(app.desk, settings, backoff=QUICK)
        caplog.set_level(logging.WARNING, "adapters.telegram")
        polling = asyncio.create_task(adapter.run_polling())
        try:
            await until(lambda: len(tries(caplog)) >= 2)
            assert not polling.done()
            assert "ConnectError" in tries(caplog)[0].getMessage()
            async with FakeBotApiServer(api, TOKEN, port=port):
                await until(lambda: bool(api.of("sendMessage")))
                assert "500" in api.of("sendMessage")[0]["text"]
                polling.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await polling
        finally:
            polling.cancel()
        assert not adapter.application.running

    async def test_stopping_while_out_of_reach_is_clean(
        self, app: BotApp, caplog: pytest.LogCaptureFixture
    ) -> None:
        settings = changed(app.settings, telegram_api_base_url=f"http://127.0.0.1:{free_port()}")
        adapter = TelegramAdapter(app.desk, settings, backoff=(0.05, 30.0))
        polling = asyncio.create_task(adapter.run_polling())
        await until(lambda: len(tries(caplog)) >= 2)
        polling.cancel()  # SIGTERM, as adapters/runner.py stops the polling job
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(polling, 5)
        assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    async def test_a_webhook_answers_503_until_the_bot_api_is_reached(self, app: BotApp) -> None:
        api = BotApi()
        api.fail("getMe", 502, "Bad Gateway")
        settings = changed(
            app.settings,
            telegram_webhook_url="https://bot.example.com",
            telegram_webhook_secret="s3cret",
        )
        adapter = TelegramAdapter(app.desk, settings, request=FakeRequest(api), backoff=(0.3, 1))
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        transport = httpx.ASGITransport(app=build_web_app([adapter]))  # lifespan not run
        try:
            await adapter.start()
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                early = await client.post(
                    "/telegram/webhook", json=message_update(user(1001), "/help"), headers=headers
                )
                assert early.status_code == 503  # Telegram delivers it again later
                await until(lambda: adapter.application.running)
                assert api.of("setWebhook")
                late = await client.post(
                    "/telegram/webhook", json=message_update(user(1001), "/help"), headers=headers
                )
                assert late.status_code == 200
        finally:
            await adapter.stop()

    async def test_a_refused_token_in_the_background_is_one_error_line(
        self, app: BotApp, caplog: pytest.LogCaptureFixture
    ) -> None:
        api = BotApi()
        api.fail("getMe", 502, "Bad Gateway")
        api.fail("getMe", 401, "Unauthorized")
        adapter = TelegramAdapter(app.desk, app.settings, request=FakeRequest(api), backoff=QUICK)
        await adapter.start()
        await until(lambda: any(r.levelno == logging.ERROR for r in caplog.records))
        (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert error.exc_info is None
        assert "TELEGRAM_BOT_TOKEN" in error.getMessage()
        assert "not served" in error.getMessage()
        await adapter.stop()

    async def test_a_base_url_that_is_no_bot_api_is_named(self, app: BotApp) -> None:
        api = BotApi()
        api.fail("getMe", 404, "Not Found")
        settings = changed(app.settings, telegram_api_base_url="http://127.0.0.1:9/tg")
        adapter = TelegramAdapter(app.desk, settings, request=FakeRequest(api))
        with pytest.raises(ConfigurationError, match="TELEGRAM_API_BASE_URL") as refused:
            await adapter.start()
        assert "http://127.0.0.1:9/tg" in str(refused.value)
        assert TOKEN not in str(refused.value)

    async def test_a_refused_webhook_url_is_a_configuration_error(self, app: BotApp) -> None:
        api = BotApi()
        api.fail("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided")
        settings = changed(
            app.settings, telegram_webhook_url="http://bot.example.com", telegram_webhook_secret="s"
        )
        adapter = TelegramAdapter(app.desk, settings, request=FakeRequest(api))
        with pytest.raises(ConfigurationError, match=r"TELEGRAM_WEBHOOK_URL.*https url"):
            await adapter.start()
        assert not adapter.application.running


# --- as a deployment runs it ------------------------------------------------------------


async def _lines_until(
    process: asyncio.subprocess.Process, wanted: Callable[[list[str]], bool], seconds: float = 30
) -> list[str]:
    """stderr lines of a running process until ``wanted`` says enough."""
    assert process.stderr is not None
    lines: list[str] = []
    async with asyncio.timeout(seconds):
        while not wanted(lines):
            line = await process.stderr.readline()
            if not line:
                break
            lines.append(line.decode().rstrip("\n"))
    return lines


def _env(tmp_path: Path, sandbox: SandboxServer, **values: str) -> dict[str, str]:
    return child_env(
        tmp_path,
        USENDIT_ENDPOINT=sandbox.endpoint,
        USENDIT_USERNAME="demo",
        USENDIT_PASSWORD="demo",
        TELEGRAM_BOT_TOKEN=TOKEN,
        BOT_ADMINS="telegram:1001",
        **values,
    )


@pytest.mark.slow
async def test_polling_out_of_reach_says_so_and_stops_on_sigterm(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{free_port()}"
    process = await start_bot(
        tmp_path, "telegram", env=_env(tmp_path, sandbox, TELEGRAM_API_BASE_URL=base)
    )
    try:
        lines = await _lines_until(process, lambda got: sum("out of reach" in x for x in got) >= 2)
        assert process.returncode is None  # still trying
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), timeout=30)
    err = "\n".join(lines) + rest.decode()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert TOKEN not in err
    tried = [line for line in lines if "out of reach" in line]
    assert base in tried[0]
    assert "trying again in 1 s" in tried[0]
    assert "trying again in 2 s" in tried[1]  # backoff


@pytest.mark.slow
@pytest.mark.parametrize("command", ["telegram", "serve"])
async def test_a_refused_token_is_one_line_and_exit_1(
    sandbox: SandboxServer, tmp_path: Path, command: str
) -> None:
    async with FakeBotApiServer(BotApi(), "999:ANOTHER") as server:  # refuses our token
        values = {"TELEGRAM_API_BASE_URL": server.url, "PORT": str(free_port())}
        if command == "serve":
            values |= {
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.com",
                "TELEGRAM_WEBHOOK_SECRET": "s3cret",
            }
        process = await start_bot(tmp_path, command, env=_env(tmp_path, sandbox, **values))
        _, raw = await asyncio.wait_for(process.communicate(), timeout=60)
    err = raw.decode()
    assert process.returncode == 1, err
    assert "Traceback" not in err
    assert TOKEN not in err
    assert err.splitlines()[-1] == (
        f"usendit-bot: Telegram refused TELEGRAM_BOT_TOKEN, or TELEGRAM_API_BASE_URL "
        f"({server.url}) is no Bot API server: check both"
    )


@pytest.mark.slow
async def test_serve_out_of_reach_serves_healthz_and_stops_on_sigterm(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    port = free_port()
    env = _env(
        tmp_path,
        sandbox,
        PORT=str(port),
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}",
        TELEGRAM_WEBHOOK_URL="https://bot.example.com",
        TELEGRAM_WEBHOOK_SECRET="s3cret",
    )
    process = await start_bot(tmp_path, "serve", env=env)
    try:
        lines = await _lines_until(process, lambda got: any("out of reach" in x for x in got))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(100):
                try:
                    health = await http.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("serve never answered")
            assert health.status_code == 200
            hook = await http.post(
                "/telegram/webhook",
                json=message_update(user(1001), "/balance"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
            )
            assert hook.status_code == 503  # not connected yet: Telegram delivers it later
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), timeout=30)
    err = "\n".join(lines) + rest.decode()
    assert process.returncode == 0, err
    assert "Traceback" not in err
