"""Approval of a big send through the Telegram and Slack fakes: the request is pushed
with Approve and Reject into the approvers' chat, its author cannot approve it, a
second person does, the same message then says who, and the sandbox gets the send once
(the rigs are tests/test_telegram.py's and tests/test_slack.py's)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import test_slack
import test_telegram
from fake_bot_api import FakeRequest, user
from sandbox_api import sandbox_state
from test_slack import Rig
from test_telegram import ADMIN, GROUP, Telegram

from adapters.telegram import TelegramAdapter
from adapters.telegram_notices import TelegramChannel
from bot.app import BotApp
from bot.sandbox import SandboxServer

SENDER = user(1003, "Sam", "pt")
NUMBERS = "912000001,912000002,912000003"


async def sends(sandbox: SandboxServer) -> int:
    return int((await sandbox_state(sandbox.url))["calls"].get("SendMessages", 0))


# --- Telegram -------------------------------------------------------------------------------


@pytest.fixture
async def tg(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Telegram]:
    settings = test_telegram.settings_for(sandbox.endpoint, tmp_path, bot_senders=["telegram:1003"])
    async with BotApp(settings) as app:
        api = test_telegram.BotApi()
        adapter = TelegramAdapter(app.desk, app.settings, request=FakeRequest(api))
        await adapter.start()
        await app.add_channel(TelegramChannel(app.settings, request=FakeRequest(api)))
        try:
            yield Telegram(adapter, api, app)
        finally:
            await adapter.stop()


def keyboard_of(params: dict[str, Any]) -> list[str]:
    markup = params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_on_telegram(tg: Telegram, sandbox: SandboxServer) -> None:
    await tg.say(ADMIN, "/approval 2", where=GROUP)
    await tg.say(SENDER, f"/send {NUMBERS} Hi", where=GROUP)
    [confirm] = [b for b in tg.buttons() if b.startswith("send:confirm:")]
    cid = confirm.split(":")[2]
    said = "\n".join(await tg.press(SENDER, confirm, where=GROUP))
    assert f"#{cid} gasta 3 créditos" in said  # its author reads Portuguese
    [request] = [p for p in tg.api.of("sendMessage") if "Aprovação pedida" in p["text"]]
    assert int(request["chat_id"]) == GROUP["id"]
    assert f"#{cid} de Sam, 3 destinatários, 3 créditos" in request["text"]
    assert keyboard_of(request) == [f"approval:yes:{cid}", f"approval:no:{cid}"]
    assert "Foi você que fez" in "\n".join(
        await tg.press(SENDER, f"approval:yes:{cid}", where=GROUP)
    )
    assert await sends(sandbox) == 0
    said = "\n".join(await tg.press(ADMIN, f"approval:yes:{cid}", where=GROUP))
    assert f"You approved #{cid}" in said  # the approver reads English
    assert f"Ana aprovou #{cid}: está a ser enviada." in said  # the author is told
    [edit] = [p for p in tg.api.of("editMessageText") if "Aprovada por Ana" in p["text"]]
    assert (
        edit["message_id"] == tg.api.sent()[tg.api.of("sendMessage").index(request)]["message_id"]
    )
    assert keyboard_of(edit) == []  # its buttons gone
    assert await sends(sandbox) == 1
    assert "already approved by Ana" in "\n".join(
        await tg.press(ADMIN, f"approval:yes:{cid}", where=GROUP)
    )
    assert await sends(sandbox) == 1


# --- Slack ------------------------------------------------------------------------------------


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with test_slack.slack_rig(sandbox, tmp_path, {"bot_senders": ["slack:T1/U3"]}) as started:
        yield started


def values(params: dict[str, Any]) -> list[str]:
    return [e["value"] for b in params.get("blocks", []) if b["type"] == "actions"
            for e in b["elements"]]  # fmt: skip


async def test_on_slack(rig: Rig, sandbox: SandboxServer) -> None:
    await rig.command("approval 2")
    await rig.api.wait_for_text("more than 2 credits")
    await rig.command(f"send {NUMBERS} Hi", user="U3")
    await rig.api.wait_for_text("ready to send")
    [confirm] = [v for v in values(rig.api.of("chat.postEphemeral")[-1].params)
                 if v.startswith("send:confirm:")]  # fmt: skip
    cid = confirm.split(":")[2]
    await rig.press(confirm, user="U3")
    await rig.api.wait_for_text("Approval needed")
    [request] = [c for c in rig.api.of("chat.postMessage") if "Approval needed" in c.params["text"]]
    assert request.params["channel"] == "C1"
    assert f"#{cid} by slack:T1/U3, 3 recipients, 3 credits" in request.params["text"]
    assert values(request.params) == [f"approval:yes:{cid}", f"approval:no:{cid}"]
    await rig.press(f"approval:yes:{cid}", user="U3")
    await rig.api.wait_for_text(f"You made #{cid}")
    assert await sends(sandbox) == 0
    await rig.press(f"approval:yes:{cid}", user="U1")
    await rig.api.wait_for_text(f"slack:T1/U1 approved #{cid}: it is being sent.")
    await rig.api.wait_for(
        lambda api: any("Approved by slack:T1/U1" in t for t in api.texts("chat.update"))
    )
    [edit] = [c for c in rig.api.of("chat.update") if "Approved by" in c.params["text"]]
    assert edit.params["ts"] == request.response["ts"]
    assert values(edit.params) == []
    await rig.settle()
    assert await sends(sandbox) == 1
