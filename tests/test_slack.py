"""The Slack adapter end to end: signed requests in, the desk, Web API calls out.

Requests are signed like Slack signs them and dispatched in-process to the
Starlette app; the Web API is a local fake (tests/fake_slack_api.py). Since
listeners run after the ack, each test waits for the fake to see the calls.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from chat_driver import bot_settings, settled
from fake_slack_api import Call, FakeSlackApi
from sandbox_api import sandbox_messages, sandbox_state

from adapters.slack import SlackAdapter
from adapters.slack_blocks import LOGIN_CALLBACK, SEND_CALLBACK, escape, plain_text
from adapters.slack_notices import SlackChannel
from adapters.web import build_web_app
from bot.app import BotApp
from bot.errors import ConfigurationError
from bot.recipient_files import FILE_MB, MAX_FILE_BYTES
from bot.sandbox import SandboxServer
from bot.settings import Settings

SECRET = "secret"
_ids = itertools.count(1)


def settings_for(endpoint: str, tmp_path: Path, slack_api: str, **extra: Any) -> Settings:
    return bot_settings(
        endpoint,
        tmp_path,
        bot_admins=["slack:T1/U1"],
        bot_viewers=["slack:T1/U2"],
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_base_url=slack_api,
        **extra,
    )


def signed(body: str, *, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers as Slack sends them: ``v0=`` HMAC-SHA256 of ``v0:{ts}:{body}``."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Rig:
    """A started bot, its Slack adapter, an HTTP client on the ASGI app, and the fake API."""

    bot: BotApp
    adapter: SlackAdapter
    http: httpx.AsyncClient
    api: FakeSlackApi

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        **sign: Any,
    ) -> httpx.Response:
        sent = {"Content-Type": content_type, **signed(body, **sign), **(headers or {})}
        return await self.http.post("/slack/events", content=body, headers=sent)

    async def command(
        self,
        text: str,
        *,
        command: str = "/sms",
        user: str = "U1",
        channel: str = "C1",
        team: str = "T1",
        **sign: Any,
    ) -> httpx.Response:
        form = {
            "token": "legacy",
            "team_id": team,
            "channel_id": channel,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "response_url": self.api.hook_url(),
            "trigger_id": f"trigger.{next(_ids)}",
            "api_app_id": "A1",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **sign)

    async def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def press(
        self,
        value: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        message_ts: str = "1.1",
        ephemeral: bool = False,
    ) -> httpx.Response:
        number = next(_ids)
        container = {"type": "message", "message_ts": message_ts, "channel_id": channel,
                     "is_ephemeral": ephemeral}  # fmt: skip
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": "T1", "domain": "example"},
                "user": {"id": user, "team_id": "T1"},
                "api_app_id": "A1",
                "trigger_id": f"trigger.{number}",
                "container": container,
                "channel": {"id": channel},
                "response_url": self.api.hook_url(),
                "actions": [
                    {
                        "type": "button",
                        "action_id": "usendit:0",
                        "block_id": "b",
                        "value": value,
                        "action_ts": f"1700000100.{number:06d}",
                    }
                ],
            }
        )

    async def submit(
        self, callback_id: str, values: dict[str, str], metadata: str, *, user: str = "U1"
    ) -> httpx.Response:
        state = {block: {"value": {"type": "plain_text_input", "value": v or None}}
                 for block, v in values.items()}  # fmt: skip
        return await self.interaction(
            {
                "type": "view_submission",
                "team": {"id": "T1", "domain": "example"},
                "user": {"id": user, "team_id": "T1"},
                "api_app_id": "A1",
                "trigger_id": f"trigger.{next(_ids)}",
                "view": {
                    "id": f"V{next(_ids)}",
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": metadata,
                    "hash": "h",
                    "state": {"values": state},
                },
            }
        )

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(_ids)}",
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return await self.post(body, "application/json", headers=headers)

    async def message(self, text: str = "", *, user: str = "U1", channel: str = "C1",
                      **extra: Any) -> httpx.Response:  # fmt: skip
        ts = f"1700000200.{next(_ids):06d}"
        event = {"type": "message", "user": user, "channel": channel, "text": text, "ts": ts,
                 "channel_type": "channel", **extra}  # fmt: skip
        return await self.event(event)

    async def ask_for_file(self, channel: str = "C1") -> None:
        """The /send form submitted without recipients: the desk asks for a file."""
        opened = len(self.api.of("views.open"))
        await self.command("send", channel=channel)
        await self.api.wait_for(lambda api: len(api.of("views.open")) > opened)
        metadata = self.api.of("views.open")[-1].params["view"]["private_metadata"]
        await self.submit(SEND_CALLBACK, {"recipients": "", "text": "Hi"}, metadata)
        await self.api.wait_for_text("share the CSV or TXT file")

    async def settle(self) -> None:
        """Wait for the work the adapter started (events are acknowledged before their
        listener even runs, hence the short sleep first)."""
        await asyncio.sleep(0.1)
        await self.adapter.stop()
        await settled(self.bot)


@asynccontextmanager
async def slack_rig(
    sandbox: SandboxServer, tmp_path: Path, extra: dict[str, Any] | None = None, **app: Any
) -> AsyncIterator[Rig]:
    """A started bot with its Slack adapter, on a fake Web API (each test file's ``rig``);
    ``extra``: more settings; ``app``: BotApp's own arguments (its clock)."""
    async with FakeSlackApi() as api:
        settings = settings_for(sandbox.endpoint, tmp_path, api.base_url, **(extra or {}))
        async with BotApp(settings, [SlackChannel(settings)], **app) as bot:
            adapter = SlackAdapter(bot.desk, settings)
            await adapter.start()
            try:
                transport = httpx.ASGITransport(app=build_web_app([adapter]))
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://slack.test"
                ) as http:
                    yield Rig(bot, adapter, http, api)
            finally:
                await adapter.stop()


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


SAID = ("chat.postMessage", "chat.postEphemeral")


def said(api: FakeSlackApi) -> list[Call]:
    """Every reply posted, in the channel or only to its person, in order."""
    return [call for call in api.calls if call.method in SAID]


def answered(api: FakeSlackApi, n: int = 1) -> bool:
    return len(said(api)) >= n


class TestCommands:
    async def test_balance_is_acknowledged_at_once_then_posted(self, rig: Rig) -> None:
        response = await rig.command("balance")
        assert response.status_code == 200
        assert response.text == ""
        await rig.api.wait_for_text("500")
        call = rig.api.of("chat.postEphemeral")[0]
        assert (call.params["channel"], call.params["user"]) == ("C1", "U1")
        assert call.params["blocks"][0]["type"] == "section"
        assert "500 credits" in call.params["blocks"][0]["text"]["text"]
        assert rig.api.of("auth.test")

    async def test_short_commands_and_aliases(self, rig: Rig) -> None:
        await rig.command("", command="/balance")
        await rig.api.wait_for_text("500 credits")
        await rig.command("saldo")
        await rig.api.wait_for(lambda api: api.all_text().count("500 credits") == 2)

    async def test_help_with_its_button(self, rig: Rig) -> None:
        await rig.command("")
        await rig.api.wait_for(answered)
        call = said(rig.api)[0]
        assert "/sms balance" in call.params["text"]
        actions = [b for b in call.params["blocks"] if b["type"] == "actions"]
        assert actions[0]["elements"][0]["value"] == "menu:balance"
        assert actions[0]["elements"][0]["action_id"] == "usendit:0"
        await rig.press("menu:balance")
        await rig.api.wait_for_text("500 credits")

    async def test_count(self, rig: Rig) -> None:
        # Slack sends what the user typed with &, < and > as entities; long enough that
        # without its accent it saves a segment, so the reply quotes it.
        await rig.command("count Olá &lt;!channel&gt; &amp; co, " + "a" * 55)
        await rig.api.wait_for(answered)
        text = rig.api.all_text()
        assert "Segments: 2" in text
        assert "<!channel>" not in text
        assert "&lt;!channel&gt; &amp; co" in text  # escaped: it cannot ping anyone

    async def test_status_history_packs_buy_lang(self, rig: Rig) -> None:
        await rig.command("status")
        await rig.api.wait_for_text("No campaigns here yet")
        await rig.command("history")
        await rig.api.wait_for(lambda api: api.all_text().count("No campaigns here yet") == 2)
        await rig.command("packs")
        await rig.api.wait_for_text("33.83")
        await rig.command("buy 1")
        await rig.api.wait_for_text("11249")
        await rig.command("lang pt")
        await rig.api.wait_for(lambda api: answered(api, 5))
        await rig.command("balance")
        await rig.api.wait_for_text("créditos")

    async def test_send_one_line_confirm_status_history(
        self, rig: Rig, sandbox: SandboxServer
    ) -> None:
        await rig.command("send +351912345678,+351913333333 Hello there")
        await rig.api.wait_for_text("Campaign #1, ready to send")
        preview = rig.api.of("chat.postEphemeral")[-1].params
        values = [e["value"] for b in preview["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]  # fmt: skip
        assert values == ["send:confirm:1:1", "send:edit:1", "send:cancel:1"]
        await rig.press("send:confirm:1:1")
        await rig.api.wait_for(lambda api: "Accepted: 2" in "\n".join(api.texts("chat.update")))
        sending = [c for c in rig.api.of("chat.postMessage") if "sending" in c.params["text"]]
        assert len(sending) == 1
        assert {c.params["ts"] for c in rig.api.of("chat.update")} == {sending[0].response["ts"]}
        assert len((await sandbox_state(sandbox.url))["events"]) == 1
        await rig.command("status 1")
        await rig.api.wait_for(lambda api: "done" in api.texts("chat.postEphemeral")[-1])
        await rig.command("history")
        await rig.api.wait_for(lambda api: "Latest campaigns" in api.all_text())

    async def test_a_double_press_sends_once(self, rig: Rig, sandbox: SandboxServer) -> None:
        await rig.command("send 912345678 Once")
        await rig.api.wait_for_text("ready to send")
        await rig.press("send:confirm:1:1")
        await rig.press("send:confirm:1:1")
        await rig.settle()
        assert "already" in rig.api.all_text()
        assert len((await sandbox_state(sandbox.url))["events"]) == 1


class TestModals:
    async def test_forms_speak_the_users_language(self, rig: Rig) -> None:
        await rig.command("lang pt", channel="D1")
        await rig.api.wait_for_text("português")
        await rig.command("send", channel="D1")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        view = rig.api.of("views.open")[0].params["view"]
        assert view["title"]["text"] == "Enviar um SMS"
        bad = await rig.submit(SEND_CALLBACK, {"recipients": "912345678", "text": " "},
                               view["private_metadata"])  # fmt: skip
        assert bad.json()["errors"] == {"text": "Escreva a mensagem."}

    async def test_send_modal_submits_the_whole_form(self, rig: Rig) -> None:
        await rig.command("send", channel="C7")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        opened = rig.api.of("views.open")[0].params
        assert opened["trigger_id"].startswith("trigger.")
        view = opened["view"]
        assert view["callback_id"] == SEND_CALLBACK
        assert [b["block_id"] for b in view["blocks"]] == [
            "recipients",
            "text",
            "sender",
            "when",
            "window",
        ]
        assert not rig.api.of("chat.postMessage")

        empty = await rig.submit(SEND_CALLBACK, {"recipients": "912345678", "text": " "},
                                 view["private_metadata"])  # fmt: skip
        assert empty.json()["response_action"] == "errors"
        assert set(empty.json()["errors"]) == {"text"}

        done = await rig.submit(
            SEND_CALLBACK,
            {"recipients": "912345678\n913333333", "text": "Hello", "sender": "", "when": ""},
            view["private_metadata"],
        )
        assert done.status_code == 200
        assert done.text == ""
        await rig.api.wait_for_text("ready to send")
        await rig.settle()
        texts = rig.api.texts()
        assert len(texts) == 1  # the preview alone: the form asked every question
        assert "Recipients: 2" in texts[0]
        assert {c.params["channel"] for c in said(rig.api)} == {"C7"}

    async def test_the_form_takes_a_delivery_window(self, rig: Rig, sandbox: SandboxServer) -> None:
        """A window that cannot be one is refused beside its field; a good one is in the
        preview, survives taking the text without accents, and every Sms carries it."""
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        text = "Olá, a sua encomenda já chegou à loja. Até já! " * 2
        form = {"recipients": "912345678, 913333333", "text": text}
        for typed, error in (
            ("22h-6h", "across midnight"),
            ("at lunch", "could not read"),
        ):
            refused = await rig.submit(SEND_CALLBACK, {**form, "window": typed}, metadata)
            assert refused.json()["response_action"] == "errors"
            assert set(refused.json()["errors"]) == {"window"}
            assert error in refused.json()["errors"]["window"]
        await rig.settle()
        assert not said(rig.api)
        assert await rig.bot.store.list_campaigns() == []

        window = "das 8h às 20h, dias úteis"
        await rig.submit(SEND_CALLBACK, {**form, "window": window}, metadata)
        await rig.api.wait_for_text("ready to send")
        assert "Delivered only 08:00–20:00, working days" in said(rig.api)[-1].params["text"]
        await rig.press("send:plain:1:1")
        await rig.api.wait_for(lambda api: len(api.texts()) == 2)
        assert "Delivered only 08:00–20:00, working days" in rig.api.texts()[-1]
        await rig.press("send:confirm:1:2")
        await rig.api.wait_for(lambda api: "Accepted: 2" in "\n".join(api.texts("chat.update")))
        messages = sandbox_messages(await sandbox_state(sandbox.url))
        assert {
            (m["text"], m["begin_time"], m["end_time"], m["working_days"]) for m in messages
        } == {(text.replace("á", "a").strip(), "08:00:00", "20:00:00", True)}
        assert len(messages) == 2

    async def test_field_errors_keep_the_form_open_with_every_value(
        self, rig: Rig, sandbox: SandboxServer
    ) -> None:
        """An accented text and a bad recipient: both stay in the form, the bad number is
        named beside its field, and the accents are offered away in the preview."""
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        text = "Olá, a sua encomenda já chegou à loja. Até já! " * 2
        refused = await rig.submit(
            SEND_CALLBACK,
            {"recipients": "912345678, 12", "text": text, "sender": "x" * 20, "when": "soon"},
            metadata,
        )
        errors = refused.json()["errors"]
        assert refused.json()["response_action"] == "errors"
        assert set(errors) == {"recipients", "sender", "when"}  # the text is fine
        assert "12" in errors["recipients"]
        assert "912345678" not in errors["recipients"]
        await rig.settle()
        assert not said(rig.api)  # nothing said: the form is still open
        assert await rig.bot.store.list_campaigns() == []

        await rig.submit(SEND_CALLBACK, {"recipients": "912345678", "text": text}, metadata)
        await rig.api.wait_for_text("ready to send")
        preview = said(rig.api)[-1].params
        values = [e["value"] for b in preview["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]  # fmt: skip
        assert values == ["send:confirm:1:1", "send:edit:1", "send:cancel:1", "send:plain:1:1"]
        assert "UCS-2, 2 segments" in preview["text"]
        await rig.press("send:plain:1:1")
        await rig.api.wait_for(lambda api: len(api.texts()) == 2)
        plain = rig.api.texts()[-1]
        assert "GSM-7, 1 segment" in plain
        assert "Ola, a sua encomenda ja chegou à loja. Até ja!" in plain  # à and é are GSM-7
        await rig.press("send:confirm:1:1")  # the first preview's: out of date
        await rig.api.wait_for_text("changed after that preview")
        await rig.press("send:confirm:1:2")
        await rig.api.wait_for(lambda api: "Accepted: 1" in "\n".join(api.texts("chat.update")))
        (event,) = (await sandbox_state(sandbox.url))["events"]
        assert [m["text"] for m in event["messages"]] == [text.replace("á", "a").strip()]
        assert [c.id for c in await rig.bot.store.list_campaigns()] == [1]

    async def test_a_file_shared_after_the_form(self, rig: Rig) -> None:
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        await rig.submit(SEND_CALLBACK, {"recipients": "", "text": "Hi"}, metadata)
        await rig.api.wait_for_text("share the CSV or TXT file")
        rig.api.files["F1"] = "Nome;Telemóvel\r\nAna;912345678\r\nRui;913333333\r\n".encode()
        await rig.message(
            "",
            subtype="file_share",
            files=[{"id": "F1", "name": "clientes.csv", "size": 60,
                    "mimetype": "text/csv", "url_private": rig.api.file_url("F1")}],
        )  # fmt: skip
        await rig.api.wait_for_text("from clientes.csv")
        await rig.api.wait_for_text("ready to send")  # the form gave the rest
        assert "Recipients: 2" in rig.api.texts()[-1]
        download = rig.api.of("files.download")[0]
        assert download.headers["Authorization"] == "Bearer xoxb-test"

    async def test_files_too_large_or_elsewhere_are_not_fetched(self, rig: Rig) -> None:
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        await rig.submit(SEND_CALLBACK, {"recipients": "", "text": "Hi"}, metadata)
        await rig.api.wait_for_text("share the CSV or TXT file")
        await rig.message(files=[{"name": "big.csv", "size": MAX_FILE_BYTES + 1,
                                  "url_private": rig.api.file_url("big")}])  # fmt: skip
        await rig.api.wait_for_text(f"larger than {FILE_MB} MB")
        await rig.message(files=[{"name": "x.csv", "size": 10,
                                  "url_private": "https://evil.example/x.csv"}])  # fmt: skip
        await rig.api.wait_for_text("could not download x.csv")
        assert not rig.api.of("files.download")

    async def test_login_modal_links_without_echoing_the_password(
        self, rig: Rig, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        await rig.command("login", channel="C1")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        view = rig.api.of("views.open")[0].params["view"]
        assert view["callback_id"] == LOGIN_CALLBACK
        await rig.submit(LOGIN_CALLBACK, {"username": "demo", "password": "wrong-pass-8812"},
                         view["private_metadata"])  # fmt: skip
        await rig.api.wait_for_text("Nothing was saved")
        await rig.submit(LOGIN_CALLBACK, {"username": "demo", "password": "demo"},
                         view["private_metadata"])  # fmt: skip
        await rig.api.wait_for_text("Linked to demo")
        assert len(rig.api.of("chat.postEphemeral")) == 2
        assert not rig.api.of("chat.postMessage")
        assert all(c.params["user"] == "U1" for c in rig.api.of("chat.postEphemeral"))
        for call in rig.api.calls:
            assert "wrong-pass-8812" not in json.dumps(call.params)
        for record in caplog.records:
            assert "wrong-pass-8812" not in record.getMessage()

    async def test_a_password_typed_in_a_channel_is_refused(self, rig: Rig) -> None:
        await rig.command("login demo demo", channel="C1")
        await rig.api.wait_for_text("change it on uSendit")
        assert "private chat" in rig.api.all_text()
        assert "demo demo" not in rig.api.all_text()
        assert not rig.api.of("views.open")

    async def test_an_expired_trigger_falls_back_to_the_chat(self, rig: Rig) -> None:
        rig.api.fail_next("views.open", error="expired_trigger_id")
        await rig.command("send")
        await rig.api.wait_for_text("Who gets it?")

    async def test_login_never_falls_back_to_asking_in_the_chat(self, rig: Rig) -> None:
        rig.api.fail_next("views.open", error="expired_trigger_id")
        await rig.command("login", channel="D1")
        await rig.api.wait_for_text("could not open")
        assert "Password" not in rig.api.all_text()


class TestHome:
    async def test_home_shows_balance_and_campaigns(self, rig: Rig) -> None:
        home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home",
                "event_ts": "1700000300.000001"}  # fmt: skip
        await rig.event(home, event_id="EvHome1")
        await rig.api.wait_for(lambda api: bool(api.of("views.publish")))
        published = rig.api.of("views.publish")[0].params
        assert published["user_id"] == "U1"
        shown = json.dumps(published["view"])
        assert published["view"]["type"] == "home"
        assert "*500* credits on demo" in shown
        assert "No campaigns here yet" in shown
        await rig.event(home, event_id="EvHome1", headers={"X-Slack-Retry-Num": "1"})
        await rig.command("send 912345678,913333333 Hello & co")
        await rig.api.wait_for_text("ready to send")
        await rig.event(home, event_id="EvHome2")
        await rig.api.wait_for(lambda api: len(api.of("views.publish")) == 2)
        await rig.settle()
        assert len(rig.api.of("views.publish")) == 2
        blocks = rig.api.of("views.publish")[1].params["view"]["blocks"]
        (campaign,) = [b for b in blocks if b.get("fields")]
        assert campaign["text"]["text"].startswith("*#1* · draft · ")
        assert "Hello &amp; co" in campaign["text"]["text"]  # what a user typed, escaped
        assert [f["text"] for f in campaign["fields"]] == [
            "Recipients: 2",
            "Accepted: 0 · rejected: 0",
        ]

    async def test_messages_tab_is_ignored(self, rig: Rig) -> None:
        await rig.event({"type": "app_home_opened", "user": "U1", "channel": "D1",
                         "tab": "messages"})  # fmt: skip
        await rig.settle()
        assert not rig.api.of("views.publish")


class TestSecurity:
    async def test_a_bad_signature_is_refused_and_nothing_runs(self, rig: Rig) -> None:
        response = await rig.command("balance", secret="not-the-secret")
        assert response.status_code == 401
        await rig.settle()
        assert rig.api.calls == []

    async def test_an_old_timestamp_is_refused(self, rig: Rig) -> None:
        response = await rig.command("balance", timestamp=int(time.time()) - 6 * 60)
        assert response.status_code == 401
        await rig.settle()
        assert rig.api.calls == []

    async def test_a_retried_event_has_one_effect(self, rig: Rig) -> None:
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        await rig.submit(SEND_CALLBACK, {"recipients": "", "text": "Hi"}, metadata)
        await rig.api.wait_for_text("share the CSV or TXT file")
        before = len(rig.api.texts())
        event = {"type": "message", "user": "U1", "channel": "C1", "text": "912345678",
                 "ts": "1700000400.000001"}  # fmt: skip
        await rig.event(event, event_id="EvRetry")
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        await rig.event(event, event_id="EvRetry", headers=retry)
        await rig.api.wait_for_text("ready to send")
        await rig.settle()
        after = rig.api.texts()[before:]
        assert sum("from text" in text for text in after) == 1
        assert sum("ready to send" in text for text in after) == 1

    async def test_an_unknown_user_is_named(self, rig: Rig) -> None:
        await rig.command("balance", user="U9")
        await rig.api.wait_for_text("slack:T1/U9")
        assert "credits" not in rig.api.all_text()

    async def test_a_viewer_cannot_confirm(self, rig: Rig, sandbox: SandboxServer) -> None:
        await rig.command("send 912345678 Hello")
        await rig.api.wait_for_text("ready to send")
        await rig.press("send:confirm:1:1", user="U2")
        await rig.api.wait_for_text("needs the sender role")
        await rig.settle()
        assert (await sandbox_state(sandbox.url))["events"] == []

    async def test_a_viewer_gets_no_send_modal(self, rig: Rig) -> None:
        await rig.command("send", user="U2")
        await rig.api.wait_for_text("needs the sender role")
        assert not rig.api.of("views.open")

    async def test_messages_without_a_wizard_and_bot_messages_are_ignored(self, rig: Rig) -> None:
        await rig.message("hello everyone")
        await rig.message("a bot", bot_id="B2", subtype="bot_message")
        await rig.message("edited", subtype="message_changed")
        await rig.settle()
        assert rig.api.texts() == []


class TestDelivery:
    async def test_rate_limited_post_is_retried(self, rig: Rig) -> None:
        rig.api.fail_next("chat.postEphemeral", status=429, error="ratelimited",
                          headers={"Retry-After": "0"})  # fmt: skip
        await rig.command("balance")
        await rig.api.wait_for(lambda api: answered(api, 2))
        assert said(rig.api)[1].response["ok"]
        assert "500 credits" in said(rig.api)[1].params["text"]

    async def test_a_channel_the_bot_cannot_see_gets_an_ephemeral_answer(self, rig: Rig) -> None:
        rig.api.fail_next("chat.postEphemeral", error="not_in_channel")
        await rig.command("balance", channel="G5")
        await rig.api.wait_for(lambda api: bool(api.of("hook")))
        hook = rig.api.of("hook")[0].params
        assert hook["response_type"] == "ephemeral"
        assert "500 credits" in hook["text"]


async def test_modes_need_their_secrets(sandbox: SandboxServer, tmp_path: Path) -> None:
    settings = settings_for(sandbox.endpoint, tmp_path, "http://127.0.0.1:9/api/")
    async with BotApp(settings) as bot:
        adapter = SlackAdapter(bot.desk, settings)
        with pytest.raises(ConfigurationError, match="SLACK_APP_TOKEN"):
            await adapter.run_socket_mode()
        unsigned = settings.model_copy(update={"slack_signing_secret": None})
        with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
            SlackAdapter(bot.desk, unsigned).routes()
        tokenless = settings.model_copy(update={"slack_bot_token": None})
        with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN"):
            SlackAdapter(bot.desk, tokenless)


def test_escaping_and_plain_text() -> None:
    assert escape("a & <b> @here <!channel>") == "a &amp; &lt;b&gt; @here &lt;!channel&gt;"
    assert plain_text("<tel:+351912345678|+351 912 345 678> &amp; <mailto:a@b.pt>") == (
        "+351 912 345 678 & a@b.pt"
    )
    assert re.fullmatch(r"[^<>]*", escape("<<>>"))


def test_the_manifest_points_everything_at_one_url() -> None:
    # Read as text: PyYAML is not a dependency, and the checks need only lines.
    manifest = (Path(__file__).parent.parent / "slack-manifest.yml").read_text()
    commands = re.findall(r"^\s*- command: (/\w+)$", manifest, re.MULTILINE)
    assert commands == ["/sms", "/balance", "/count", "/send", "/status"]
    urls = re.findall(r"^\s*(?:url|request_url): (\S+)$", manifest, re.MULTILINE)
    assert len(urls) == len(commands) + 2
    assert set(urls) == {"https://YOUR-HOST/slack/events"}
    assert re.search(r"^  socket_mode_enabled: false$", manifest, re.MULTILINE)
    assert re.search(r"^    home_tab_enabled: true$", manifest, re.MULTILINE)
    for event in ("app_home_opened", "message.im", "message.channels", "message.groups",
                  "message.mpim"):  # fmt: skip
        assert f"      - {event}\n" in manifest
    scopes = set(re.findall(r"^      - ([a-z.:]+)\b", manifest, re.MULTILINE))
    assert {"im:history", "channels:history", "groups:history", "mpim:history",
            "users:read", "files:read"} <= scopes  # fmt: skip
