"""A scheduled campaign's report on every surface: the campaign is scheduled through
the chat, the app's clock is moved to its time, and the chat gets the report as a
message of its own while the campaign's message is edited to say its time came."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import test_telegram as telegram_rig
from chat_driver import desk_settings, settled
from sandbox_api import sandbox_state
from test_slack import SEND_CALLBACK, slack_rig
from test_telegram import ADMIN, Telegram, settings_for

from adapters.console import ConsoleChat
from bot.app import BotApp
from bot.sandbox import SandboxServer

tg = telegram_rig.tg
WHEN = "2031-03-14 10:00"
"""The schedule typed (Europe/Lisbon, the default zone; UTC in March)."""
DUE = datetime(2031, 3, 14, 10, 0, tzinfo=UTC)


class Clock:
    """The app's time: the machine's until a test moves it."""

    def __init__(self) -> None:
        self.moved: datetime | None = None

    def __call__(self) -> datetime:
        return self.moved or datetime.now(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path, clock: Clock) -> AsyncIterator[BotApp]:
    async with BotApp(settings_for(sandbox.endpoint, tmp_path), clock=clock) as started:
        yield started


async def _schedule_calls(sandbox: SandboxServer) -> int:
    return int((await sandbox_state(sandbox.url))["calls"].get("GetSchedule", 0))


async def _until(check: Callable[[], bool], within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _time_comes(app: BotApp, clock: Clock) -> None:
    clock.moved = DUE + timedelta(seconds=5)
    app.schedule_reports.wake()


async def test_telegram_gets_the_report_and_the_campaign_message_is_edited(
    tg: Telegram, app: BotApp, clock: Clock, sandbox: SandboxServer
) -> None:
    await tg.say(ADMIN, "/send")
    await tg.say(ADMIN, "+351912345678, +33612345678")
    await tg.say(ADMIN, "Sale tomorrow")
    await tg.press(ADMIN, "send:nosender")
    await tg.say(ADMIN, WHEN)
    preview = "\n".join(await tg.press(ADMIN, "send:anytime"))
    assert "14/03/2031" in preview or "2031-03-14" in preview
    confirm = next(b for b in tg.buttons() if b.startswith("send:confirm:"))
    await tg.press(ADMIN, confirm)
    campaign_message = tg.api.sent()[-1]["message_id"]
    asked = await _schedule_calls(sandbox)
    assert not any("⏰" in t for t in tg.api.texts())

    await _time_comes(app, clock)
    await _until(lambda: any("⏰" in m["text"] for m in tg.api.sent()))
    await settled(app)
    [report] = [m for m in tg.api.sent() if "⏰" in m["text"]]
    assert report["chat"]["id"] == ADMIN["id"]
    assert "Scheduled campaign #1: its time came" in report["text"]
    assert "Accepted: 1, rejected: 1" in report["text"]
    assert await _schedule_calls(sandbox) > asked  # uSendit was asked at the time
    edits = [e for e in tg.api.of("editMessageText") if e["message_id"] == campaign_message]
    assert "its time has come" in edits[-1]["text"]


async def test_slack_gets_the_report_in_the_channel(
    sandbox: SandboxServer, tmp_path: Path, clock: Clock
) -> None:
    async with slack_rig(sandbox, tmp_path, clock=clock) as rig:
        await rig.command("send", channel="C7")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        view = rig.api.of("views.open")[0].params["view"]
        form = {"recipients": "912345678", "text": "Hello", "sender": "", "when": WHEN}
        await rig.submit(SEND_CALLBACK, form, view["private_metadata"])
        await rig.api.wait_for_text("ready to send")
        await rig.press("send:confirm:1:1", channel="C7")
        await rig.api.wait_for(lambda api: "Accepted: 1" in "\n".join(api.texts("chat.update")))
        assert "⏰" not in rig.api.all_text()

        await _time_comes(rig.bot, clock)
        await rig.api.wait_for_text("⏰")
        [report] = [c for c in rig.api.of("chat.postMessage") if "⏰" in str(c.params.get("text"))]
        assert report.params["channel"] == "C7"
        assert "Accepted: 1, rejected: 0" in str(report.params["text"])
        await rig.api.wait_for(
            lambda api: "its time has come" in "\n".join(api.texts("chat.update"))
        )


async def test_the_console_prints_the_report_between_the_lines(
    sandbox: SandboxServer, tmp_path: Path, clock: Clock
) -> None:
    lines = ["/send", "912345678", "Bom dia", "1", WHEN, "1", "1"]  # default sender,
    # the time typed, any time of day, confirm
    out = io.StringIO()
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path), clock=clock) as app:
        chat = ConsoleChat(app.desk, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
        await app.add_channel(chat)
        await chat.run("test")
        await settled(app)
        assert "⏰" not in out.getvalue()
        await _time_comes(app, clock)
        await _until(lambda: "⏰" in out.getvalue())
        await chat.finish(app)
    said = out.getvalue()
    assert "Scheduled campaign #1: its time came" in said
    assert "Accepted: 1, rejected: 0" in said.split("⏰")[1]
