"""`usendit-bot serve` as a subprocess: /healthz, signed Slack requests, a bad signature.

The bot talks to the sandbox and to a fake Slack Web API, both served by this
test's event loop on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from chat_driver import child_env, start_bot
from fake_slack_api import BOT_TOKEN, FakeSlackApi

from bot.sandbox import SandboxServer

pytestmark = pytest.mark.slow
SECRET = "serve-signing-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed(body: str, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


@pytest.fixture
async def served(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[tuple[str, FakeSlackApi]]:
    port = free_port()
    async with FakeSlackApi() as api:
        env = child_env(
            tmp_path,
            PORT=str(port),
            USENDIT_ENDPOINT=sandbox.endpoint,
            USENDIT_USERNAME="demo",
            USENDIT_PASSWORD="demo",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_BASE_URL=api.base_url,
            BOT_ADMINS="slack:T1/U1",
        )
        process = await start_bot(tmp_path, "serve", env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient() as http:
                for _ in range(200):
                    try:
                        if (await http.get(f"{base}/healthz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if process.returncode is not None:
                        break
                    await asyncio.sleep(0.1)
            if process.returncode is not None:
                _, err = await process.communicate()
                pytest.fail(f"serve exited: {err.decode()}")
            yield base, api
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), timeout=30)
            # A clean stop on SIGTERM (the platform's way of stopping a dyno).
            assert process.returncode == 0, err.decode()
            said = err.decode()
            # One line says what runs where; the secrets never reach the log.
            assert (
                f"usendit-bot serve: Slack (events on :{port}/slack/events); store SQLite" in said
            )
            assert f"uSendit at {sandbox.endpoint}" in said
            assert "will be unused" not in said
            assert BOT_TOKEN not in said
            assert SECRET not in said


async def test_serve_answers_signed_slack_requests(
    served: tuple[str, FakeSlackApi],
) -> None:
    base, api = served
    form = urlencode(
        {
            "team_id": "T1",
            "channel_id": "D1",
            "user_id": "U1",
            "command": "/sms",
            "text": "balance",
            "response_url": api.hook_url(),
            "trigger_id": "trigger.serve.1",
        }
    )
    async with httpx.AsyncClient() as http:
        health = await http.get(f"{base}/healthz")
        assert health.json() == {"ok": True}
        ok = await http.post(f"{base}/slack/events", content=form, headers=signed(form))
        assert ok.status_code == 200
        await api.wait_for_text("500 credits")
        forged = await http.post(
            f"{base}/slack/events", content=form, headers=signed(form, secret="wrong")
        )
        assert forged.status_code == 401
    await asyncio.sleep(0.5)
    assert sum("500 credits" in text for text in api.texts("chat.postMessage")) == 1
