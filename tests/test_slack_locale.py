"""Slack speaks each person's language: their Slack locale (``users.info`` with
``include_locale``, asked once and remembered) until they choose one with /sms lang;
and every command a text names is spelled as Slack takes it (``/sms enviar``).

The rig of tests/test_slack.py: signed requests into the ASGI app, a fake Web API.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fake_slack_api import FakeSlackApi
from slack_sdk.web.async_client import AsyncWebClient
from test_slack import Rig, slack_rig

from adapters.slack_replies import UserLocales
from bot.sandbox import SandboxServer


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


class TestTheUsersLocale:
    async def test_replies_and_forms_in_the_slack_locale(self, rig: Rig) -> None:
        rig.api.locales["U1"] = "pt-BR"
        await rig.command("balance")
        await rig.api.wait_for_text("créditos")
        (asked,) = rig.api.of("users.info")
        assert asked.params["user"] == "U1"
        assert asked.params["include_locale"] in ("1", "true", "True")
        await rig.command("send")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        assert rig.api.of("views.open")[0].params["view"]["title"]["text"] == "Enviar um SMS"
        assert len(rig.api.of("users.info")) == 1  # remembered

    async def test_the_persons_own_choice_wins(self, rig: Rig) -> None:
        rig.api.locales["U1"] = "es-ES"
        await rig.command("lang en")
        await rig.api.wait_for_text("English")
        await rig.command("balance")
        await rig.api.wait_for_text("500 credits")

    async def test_a_locale_we_do_not_speak_is_the_default(self, rig: Rig) -> None:
        rig.api.locales["U1"] = "ja-JP"
        await rig.command("balance")
        await rig.api.wait_for_text("500 credits")

    async def test_users_info_failing_is_not_a_failure(self, rig: Rig) -> None:
        rig.api.fail_next("users.info", error="missing_scope")
        await rig.command("balance")
        await rig.api.wait_for_text("500 credits")

    async def test_the_home_tab_and_the_login_form_too(self, rig: Rig) -> None:
        rig.api.locales["U1"] = "es-LA"
        home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
        await rig.event(home)
        await rig.api.wait_for(lambda api: bool(api.of("views.publish")))
        shown = json.dumps(rig.api.of("views.publish")[0].params["view"], ensure_ascii=False)
        assert "Empiece una con /sms enviar" in shown
        await rig.command("login", channel="D1")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        view = rig.api.of("views.open")[0].params["view"]
        bad = await rig.submit("usendit-login", {"username": "", "password": "x"},
                               view["private_metadata"])  # fmt: skip
        assert bad.json()["errors"]["username"] == "Una palabra, como en uSendit."


async def test_locales_are_remembered_for_a_bounded_number_of_people() -> None:
    async with FakeSlackApi() as api:
        api.locales.update({"U1": "pt-PT", "U2": "es-ES", "U3": "en-GB"})
        locales = UserLocales(AsyncWebClient(token=api.token, base_url=api.base_url), kept=2)
        assert locales.known("T1", "U1") is None
        assert await locales.of("T1", "U1") == "pt-PT"
        assert locales.known("T1", "U1") == "pt-PT"
        assert await locales.of("T1", "U2") == "es-ES"
        assert await locales.of("T1", "U3") == "en-GB"
        assert locales.known("T1", "U1") is None  # the least recent, forgotten
        assert await locales.of("T1", "U1") == "pt-PT"
        assert len(api.of("users.info")) == 4
        api.delays["users.info"] = 5.0
        slow = UserLocales(AsyncWebClient(token=api.token, base_url=api.base_url), wait=0.1)
        assert await asyncio.wait_for(slow.of("T1", "U2"), 2) is None  # not waited for


class TestCommandsAsSlackTakesThem:
    async def test_the_home_tab_names_commands_as_slack_takes_them(self, rig: Rig) -> None:
        await rig.command("lang pt", channel="D1")
        await rig.api.wait_for_text("português")
        home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
        await rig.event(home)
        await rig.api.wait_for(lambda api: bool(api.of("views.publish")))
        shown = json.dumps(rig.api.of("views.publish")[0].params["view"], ensure_ascii=False)
        assert "/sms enviar" in shown
        # No bare /name is left: Slack only has /sms (and the short forms it was given).
        assert set(re.findall(r"(?<![\w/])/([a-z]+)", shown)) == {"sms"}

    async def test_every_reply_names_commands_as_slack_takes_them(self, rig: Rig) -> None:
        for typed in ("help", "status", "send", "buy", "count", "timezone", "lang xx"):
            await rig.command(typed, channel="D1")
        rig.api.fail_next("views.open", error="expired_trigger_id")
        await rig.command("send", channel="D1")
        await rig.api.wait_for_text("Who gets it?")
        await rig.settle()
        shown = rig.api.all_text()
        assert "/sms help" in shown
        assert set(re.findall(r"(?<![\w/])/([a-z]+)", shown)) == {"sms"}
