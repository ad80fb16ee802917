"""The delivery window through the desk (the step-by-step /send of Telegram and the
console): asked after the time, stated in the preview with when delivery starts,
changed by Edit, and refused before Confirm when uSendit could not open it. What
reached uSendit is read from the sandbox's records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chat_driver import Person, desk_settings, in_chat, labels, text
from sandbox_api import sandbox_messages, sandbox_state

from bot.app import BotApp
from bot.sandbox import SandboxServer


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as started:
        yield started


@pytest.fixture
def me(app: BotApp) -> Person:
    return in_chat(app)


async def up_to_the_window(me: Person, when: str = "Send now") -> str:
    await me.send("/send")
    await me.send("912345678 913333333")
    await me.send("Hello")
    await me.press("Default sender")
    if when == "Send now":
        return text(await me.press(when))
    return text(await me.send(when))


def windows(state: dict[str, object]) -> set[tuple[object, object, object]]:
    return {(m["begin_time"], m["end_time"], m["working_days"]) for m in sandbox_messages(state)}


async def test_a_closed_window_says_when_delivery_starts(
    me: Person, sandbox: SandboxServer
) -> None:
    asked = await up_to_the_window(me, "2099-12-26 10:00")  # a Saturday
    assert "Deliver only at some hours" in asked
    preview = text(await me.send("só dias úteis"))
    assert "Delivered only on working days" in preview
    assert "delivery starts 2099-12-28 00:00 (Europe/Lisbon)" in preview  # Monday
    assert "done" in text(await me.press("Confirm"))
    assert windows(await sandbox_state(sandbox.url)) == {(None, None, True)}


async def test_edit_changes_the_window_and_any_time_clears_it(
    me: Person, sandbox: SandboxServer
) -> None:
    await up_to_the_window(me)
    first = text(await me.send("from 9am to 8pm"))
    assert "Delivered only 09:00–20:00" in first
    await me.press("Edit")
    await me.send("Hello again")
    await me.press("Default sender")
    await me.press("Send now")
    assert "Delivered only 10:00–12:30, working days" in text(
        await me.send("entre las 10 y las 12:30 días laborables")
    )
    await me.press("Edit")
    await me.send("Hello at last")
    await me.press("Default sender")
    await me.press("Send now")
    preview = text(await me.press("Any time"))
    assert "Delivered only" not in preview
    assert "done" in text(await me.press("Confirm"))
    state = await sandbox_state(sandbox.url)
    assert {m["text"] for m in sandbox_messages(state)} == {"Hello at last"}
    assert windows(state) == {(None, None, False)}


async def test_a_window_uSendit_would_read_across_midnight_is_refused(
    me: Person, sandbox: SandboxServer
) -> None:
    """09:00-20:00 in New York is 14:00-01:00 in Lisbon, where uSendit reads it."""
    await me.send("/timezone America/New_York")
    # A day in winter in both zones (their clocks do not change on the same days).
    assert "America/New_York" in await up_to_the_window(me, "2099-12-24 10:00")
    refused = text(await me.send("09:00-20:00"))
    assert "14:00–01:00" in refused
    assert "Europe/Lisbon" in refused
    assert labels(me.last) == ["Any time"]
    preview = text(await me.send("08:00-18:00 weekdays"))
    assert "Delivered only 08:00–18:00, working days" in preview  # the reader's own zone
    assert "done" in text(await me.press("Confirm"))
    # uSendit gets the hours in its own time: 13:00-23:00 in Lisbon in winter.
    assert windows(await sandbox_state(sandbox.url)) == {("13:00:00", "23:00:00", True)}


async def test_a_stale_any_time_button_is_refused(me: Person) -> None:
    await up_to_the_window(me)
    await me.send("9h-20h")
    assert "no longer valid" in text(await me.press("send:anytime"))


async def test_status_states_the_window(me: Person) -> None:
    await up_to_the_window(me)
    await me.send("9h-20h working days")
    await me.press("Confirm")
    assert "Delivered only 09:00–20:00, working days" in text(await me.send("/status"))
    await me.send("/lang pt")
    assert "09:00–20:00, dias úteis" in text(await me.send("/estado"))
