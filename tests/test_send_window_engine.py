"""The delivery window at the engine, against the sandbox (real HTTP) and SQLite on disk:
every Sms of a campaign with a window carries it (BeginTime, EndTime in uSendit's
time, WorkingDays), a campaign without one carries none, and what reached uSendit
is read from the sandbox's own records (``/_sandbox/state``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sandbox_api import move_clock, sandbox_messages, sandbox_state

from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.errors import CampaignError
from bot.sandbox import SandboxServer
from bot.send_window import Window, ZonedWindow
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore

PEOPLE = [f"35191{i:07d}" for i in range(5)]
SATURDAY = "2031-05-10T12:00:00"
"""A Saturday noon in Lisbon (the sandbox's clock is set to it)."""


async def resolve(username: str) -> Credentials:
    return Credentials(username, "demo")


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(host="127.0.0.1", port=0) as server:
        await move_clock(server.url, now=SATURDAY)
        yield server


@pytest.fixture
async def engine(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[CampaignEngine]:
    async with (
        UsenditClient(endpoint=sandbox.endpoint, timeout=2) as client,
        SqliteStore(tmp_path / "bot.db") as store,
    ):
        yield CampaignEngine(
            store,
            client,
            resolve,
            chunk_size=2,  # three chunks: every one carries the window
            quiet_window=timedelta(seconds=0.3),
            poll_interval=0.05,
            clock=lambda: datetime(2031, 5, 10, 11, tzinfo=UTC),
        )


async def sent(engine: CampaignEngine, window: ZonedWindow | None) -> int:
    campaign = await engine.create(
        account="demo", created_by="me", chat="c", recipients=PEOPLE, text="Hi", window=window
    )
    assert await engine.confirm(campaign.id)
    status = await engine.send(campaign.id)
    assert status.state is CampaignState.DONE
    return campaign.id


async def test_every_sms_carries_the_window(engine: CampaignEngine, sandbox: SandboxServer) -> None:
    window = ZonedWindow(Window(time(9), time(20), working_days=True), "Europe/Madrid")
    cid = await sent(engine, window)
    stored = await engine.store.get_campaign(cid)
    assert stored is not None
    assert stored.window == "Europe/Madrid 09:00-20:00 working days"
    state = await sandbox_state(sandbox.url)
    assert len(state["events"]) == 3
    messages = sandbox_messages(state)
    assert sorted(m["msisdn"] for m in messages) == PEOPLE
    # 09:00-20:00 in Madrid is 08:00-19:00 in Lisbon, where uSendit reads it.
    assert {(m["begin_time"], m["end_time"], m["working_days"]) for m in messages} == {
        ("08:00:00", "19:00:00", True)
    }
    assert {m["status"] for m in messages} == {"SCHEDULED"}
    # Sent on a Saturday: delivered on Monday when the window opens.
    assert {m["deliver_at"] for m in messages} == {"2031-05-12T08:00:00+01:00"}


async def test_working_days_alone(engine: CampaignEngine, sandbox: SandboxServer) -> None:
    await sent(engine, ZonedWindow(Window(working_days=True), "Europe/Lisbon"))
    messages = sandbox_messages(await sandbox_state(sandbox.url))
    assert {(m["begin_time"], m["end_time"], m["working_days"]) for m in messages} == {
        (None, None, True)
    }


async def test_a_campaign_without_a_window_carries_none(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    cid = await sent(engine, None)
    stored = await engine.store.get_campaign(cid)
    assert stored is not None
    assert stored.window is None
    messages = sandbox_messages(await sandbox_state(sandbox.url))
    assert len(messages) == len(PEOPLE)
    assert {(m["begin_time"], m["end_time"], m["working_days"]) for m in messages} == {
        (None, None, False)
    }
    assert {m["deliver_at"] for m in messages} == {None}  # at once, Saturday or not


async def test_an_edit_changes_the_window(engine: CampaignEngine, sandbox: SandboxServer) -> None:
    window = ZonedWindow(Window(time(9), time(20)), "Europe/Lisbon")
    campaign = await engine.create(
        account="demo", created_by="me", chat="c", recipients=PEOPLE[:1], text="Hi", window=window
    )
    edited = await engine.edit(campaign.id, text="Hi again")
    assert edited is not None
    assert edited.window is None  # Edit gives the whole draft again: no window now
    later = ZonedWindow(Window(time(10), time(12)), "Europe/Lisbon")
    edited = await engine.edit(campaign.id, text="Hi again", window=later)
    assert edited is not None
    assert edited.revision == 2
    assert await engine.confirm(campaign.id, edited.revision)
    await engine.send(campaign.id)
    (message,) = sandbox_messages(await sandbox_state(sandbox.url))
    assert (message["text"], message["begin_time"], message["end_time"]) == (
        "Hi again",
        "10:00:00",
        "12:00:00",
    )


async def test_the_engine_refuses_a_window_uSendit_cannot_open(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    """09:00-20:00 in New York (summer) is 14:00-01:00 in Lisbon: never a draft."""
    window = ZonedWindow(Window(time(9), time(20)), "America/New_York")
    with pytest.raises(CampaignError, match="midnight"):
        await engine.create(
            account="demo", created_by="me", chat="c", recipients=PEOPLE, text="Hi", window=window
        )
    assert await engine.store.list_campaigns() == []
    fine = ZonedWindow(Window(time(9), time(18)), "America/New_York")
    campaign = await engine.create(
        account="demo", created_by="me", chat="c", recipients=PEOPLE, text="Hi", window=fine
    )
    with pytest.raises(CampaignError, match="midnight"):
        await engine.edit(campaign.id, text="Hi", window=window)
    assert (await engine.store.get_campaign(campaign.id)) == campaign
