"""Which adapters each command runs: refusals up front, and `usendit-bot telegram` as a
deployment runs it (a subprocess polling a local Bot API, stopped by SIGTERM)."""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from chat_driver import child_env, start_bot
from fake_bot_api import BotApi, FakeBotApiServer, message_update, user

from adapters.runner import check
from bot.errors import ConfigurationError
from bot.sandbox import SandboxServer
from bot.settings import Settings

TOKEN = "123:SUBPROCESS"


def settings(**fields: Any) -> Settings:
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("command", "fields", "complaint"),
    [
        ("telegram", {}, "TELEGRAM_BOT_TOKEN"),
        (
            "telegram",
            {
                "telegram_bot_token": TOKEN,
                "telegram_webhook_url": "https://bot.example.com",
                "telegram_webhook_secret": "s",
            },
            "serve",
        ),
        (None, {"telegram_bot_token": TOKEN, "telegram_webhook_url": "https://x"}, "SECRET"),
        ("slack", {"slack_bot_token": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ("serve", {"telegram_bot_token": TOKEN}, "TELEGRAM_WEBHOOK_URL"),
        ("serve", {"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_settings_that_cannot_work_are_refused_up_front(
    command: str | None, fields: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ConfigurationError, match=complaint):
        check(command, settings(**fields))


def test_settings_that_work_pass() -> None:
    check(None, settings())
    check("telegram", settings(telegram_bot_token=TOKEN))
    check("slack", settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1"))
    check("serve", settings(slack_bot_token="xoxb-1", slack_signing_secret="s"))


@pytest.mark.slow
async def test_telegram_polling_answers_and_stops_on_sigterm(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    api = BotApi()
    api.updates.append(message_update(user(1001), "/balance", update_id=5))
    async with FakeBotApiServer(api, TOKEN) as server:
        env = child_env(
            tmp_path,
            USENDIT_ENDPOINT=sandbox.endpoint,
            USENDIT_USERNAME="demo",
            USENDIT_PASSWORD="demo",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=server.url,
            BOT_ADMINS="telegram:1001",
        )
        process = await start_bot(tmp_path, "telegram", env=env)
        try:
            for _ in range(300):
                if any("500 credits" in text for text in api.texts()):
                    break
                if process.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            assert any("500 credits" in text for text in api.texts()), api.texts()
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, err.decode()
        assert TOKEN not in err.decode()


@pytest.mark.slow
async def test_the_sandbox_command_serves_the_wsdl(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = tmp_path / "sandbox.json"
    process = await start_bot(
        tmp_path,
        *("sandbox", "--port", str(port), "--account", "ana:pw:10", "--state", str(state)),
        env=child_env(tmp_path),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(100):
                try:
                    wsdl = await http.get(f"{base}/v1/remoteusendit.asmx?WSDL")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the sandbox never answered")
            assert f'location="{base}/v1/remoteusendit.asmx"' in wsdl.text
            accounts = (await http.get(f"{base}/_sandbox/state")).json()["accounts"]
            assert {a["username"] for a in accounts} == {"demo", "ana"}
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()
    assert "demo" in out.decode()
    assert state.exists()
