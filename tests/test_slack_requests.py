"""What reaches the Slack URL before anything is trusted: the signature first, no body in
any log, and a plain 400 or 401 (never a 500 with a traceback) for what is not right.

The rig of tests/test_slack.py: signed requests into the ASGI app, a fake Web API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fake_slack_api import APP_TOKEN, FakeSlackApi
from test_slack import SECRET, Rig, settings_for, slack_rig

from adapters.slack import SlackAdapter
from adapters.slack_blocks import LOGIN_CALLBACK
from bot.app import BotApp
from bot.errors import ConfigurationError
from bot.sandbox import SandboxServer

PASSWORD = "hunter2-login-8812"


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger, below anything ``-v`` opens (Bolt and slack_sdk
    included): what no verbosity may ever print is checked against all of them."""
    caplog.set_level(logging.DEBUG)
    for name in ("slack_bolt", "slack_sdk", "adapters", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def login_form() -> str:
    """A login modal's submission, as Slack posts it: the password in the payload."""
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": LOGIN_CALLBACK,
            "private_metadata": json.dumps({"team": "T1", "channel": "D1"}),
            "state": {
                "values": {
                    "username": {"value": {"type": "plain_text_input", "value": "demo"}},
                    "password": {"value": {"type": "plain_text_input", "value": PASSWORD}},
                }
            },
        },
    }
    return urlencode({"payload": json.dumps(payload)})


FORM = "application/x-www-form-urlencoded"


class TestNoBodyInAnyLog:
    async def test_a_refused_login_form_leaves_no_trace_of_its_password(
        self, rig: Rig, every_log: pytest.LogCaptureFixture
    ) -> None:
        body = login_form()
        stale = await rig.post(body, FORM, timestamp=int(time.time()) - 10 * 60)
        forged = await rig.post(body, FORM, secret="not-the-secret")
        unsigned = await rig.http.post(
            "/slack/events", content=body, headers={"Content-Type": FORM}
        )
        assert [r.status_code for r in (stale, forged, unsigned)] == [401, 401, 401]
        await rig.settle()
        assert rig.api.calls == []
        logged = "\n".join(r.getMessage() for r in every_log.records)
        assert PASSWORD not in logged
        assert "hunter2" not in every_log.text

    async def test_a_megabyte_unsigned_body_is_not_written_anywhere(
        self, rig: Rig, every_log: pytest.LogCaptureFixture
    ) -> None:
        body = "x=" + "A" * 1_000_000
        response = await rig.post(body, FORM, secret="wrong")
        assert response.status_code == 401
        await rig.settle()
        assert not [r.name for r in every_log.records if "A" * 64 in r.getMessage()]


class TestSignatureFirst:
    @pytest.mark.parametrize(
        ("body", "content_type"),
        [
            ("{not json", "application/json"),
            ("[1, 2, 3]", "application/json"),
            ("null", "application/json"),
            ("payload=%7Bnot+json", FORM),
            ("payload=%5B%5D", FORM),
        ],
        ids=["json", "json-list", "json-null", "payload", "payload-list"],
    )
    async def test_malformed_is_401_unsigned_and_400_signed(
        self, rig: Rig, every_log: pytest.LogCaptureFixture, body: str, content_type: str
    ) -> None:
        unsigned = await rig.post(body, content_type, secret="wrong")
        assert unsigned.status_code == 401
        signed = await rig.post(body, content_type)
        assert signed.status_code == 400
        await rig.settle()
        assert rig.api.calls == []
        assert not [r for r in every_log.records if r.exc_info or r.levelno >= logging.ERROR]

    @pytest.mark.parametrize(
        "payload",
        [
            {"type": "event_callback", "event": "x"},
            {"team": "x", "user": "y", "type": "block_actions", "actions": "z"},
            {"type": "block_actions", "actions": [None], "user": {"id": "U1"}},
            {"type": "view_submission", "view": "x"},
            {"type": "view_submission", "view": {"callback_id": "usendit-send"}},
            {"authorizations": "x", "enterprise": 5, "type": "x"},
        ],
        ids=["event", "actions", "action", "view", "view-untyped", "authorizations"],
    )
    async def test_signed_but_not_shaped_as_slack_s_is_400(
        self, rig: Rig, every_log: pytest.LogCaptureFixture, payload: dict[str, object]
    ) -> None:
        response = await rig.post(json.dumps(payload), "application/json")
        assert response.status_code == 400
        await rig.settle()
        assert not [r for r in every_log.records if r.exc_info or r.levelno >= logging.ERROR]

    @pytest.mark.parametrize("timestamp", ["abc", "", "12e3", "-5", "1.5", "²", "{now:_}"])
    async def test_a_timestamp_that_is_no_number_is_unsigned(
        self, rig: Rig, every_log: pytest.LogCaptureFixture, timestamp: str
    ) -> None:
        # int() takes "1_733_000_000", and Bolt with it: Slack sends digits only.
        timestamp = timestamp.format(now=int(time.time()))
        body = urlencode({"command": "/sms", "text": "balance"})
        # Signed with that very timestamp: the HMAC is right, the timestamp is not.
        digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
        headers = {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": timestamp.encode("latin-1"),
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }
        response = await rig.http.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 401
        await rig.settle()
        assert rig.api.calls == []
        assert not [r for r in every_log.records if r.exc_info]

    async def test_a_body_that_is_not_utf8(self, rig: Rig) -> None:
        body = b"payload=\xff\xfe"
        headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(int(time.time()))}
        response = await rig.http.post(
            "/slack/events", content=body, headers={**headers, "X-Slack-Signature": "v0=00"}
        )
        assert response.status_code == 401

    async def test_a_signed_command_without_its_ids_is_ignored_quietly(
        self, rig: Rig, every_log: pytest.LogCaptureFixture
    ) -> None:
        body = urlencode({"command": "/sms", "text": "balance", "trigger_id": "t.1"})
        response = await rig.post(body, FORM)
        assert response.status_code == 200
        await rig.settle()
        assert rig.api.of("chat.postMessage") == rig.api.of("chat.postEphemeral") == []
        assert not [r for r in every_log.records if r.exc_info]

    async def test_what_is_signed_and_well_formed_still_works(self, rig: Rig) -> None:
        response = await rig.command("balance", channel="D1")
        assert response.status_code == 200
        await rig.api.wait_for_text("500 credits")
        challenge = await rig.post(
            json.dumps({"type": "url_verification", "challenge": "c-42", "token": "t"}),
            "application/json",
        )
        assert challenge.json() == {"challenge": "c-42"}


class TestSocketModeTokens:
    @pytest.mark.parametrize(
        ("method", "name"),
        [("auth.test", "SLACK_BOT_TOKEN"), ("apps.connections.open", "SLACK_APP_TOKEN")],
    )
    async def test_a_refused_token_ends_the_start_in_one_line(
        self, sandbox: SandboxServer, tmp_path: Path, method: str, name: str
    ) -> None:
        async with FakeSlackApi() as api:
            settings = settings_for(sandbox.endpoint, tmp_path, api.base_url,
                                    slack_app_token=APP_TOKEN)  # fmt: skip
            async with BotApp(settings) as bot:
                adapter = SlackAdapter(bot.desk, settings)
                api.fail_next(method, error="invalid_auth")
                with pytest.raises(ConfigurationError, match=f"Slack refused {name}"):
                    await asyncio.wait_for(adapter.run_socket_mode(), 10)
