"""A sender process SIGKILLed at several points, then started again.

The sandbox runs in this test's event loop; the sender runs in a subprocess
(tests/crash_worker.py) on the same SQLite file. Whatever the point of death,
after a restart every chunk ends ACCEPTED with exactly one provider event.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sandbox_api import arm_fault, events_by_partner_id, sandbox_state

from bot.campaigns import CampaignEngine
from bot.records import ChunkState
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore

WORKER = Path(__file__).with_name("crash_worker.py")
pytestmark = pytest.mark.slow


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server


async def run_worker(
    db: Path,
    sandbox: SandboxServer,
    campaign: int,
    *extra: str,
    kill_when: Callable[[], Awaitable[None]] | None = None,
) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        "--db",
        str(db),
        "--endpoint",
        sandbox.endpoint,
        "--campaign",
        str(campaign),
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    if kill_when is not None:
        await kill_when()
        process.send_signal(signal.SIGKILL)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()


async def make_campaign(db: Path) -> int:
    async with SqliteStore(db) as store:

        async def resolve(username: str) -> Credentials:
            return Credentials(username, username)

        engine = CampaignEngine(store, UsenditClient(), resolve, chunk_size=2)
        campaign = await engine.create(
            account="demo",
            created_by="console:me",
            chat="console",
            text="Sale",
            recipients=[f"35191{i:07d}" for i in range(7)],
        )
        assert await engine.confirm(campaign.id)
        return campaign.id


async def check_exactly_once(db: Path, sandbox: SandboxServer, campaign: int) -> None:
    state = await sandbox_state(sandbox.url)
    events = events_by_partner_id(state)
    async with SqliteStore(db) as store:
        chunks = await store.chunks(campaign)
    assert len(chunks) == 4
    for chunk in chunks:
        assert chunk.state is ChunkState.ACCEPTED, chunk
        assert events[chunk.partner_event_id] == list(chunk.event_ids)
    assert sum(e["credits_spent"] for e in state["events"]) == 7
    assert len(state["events"]) == 4


@pytest.mark.parametrize(
    "kill_at", ["in_flight:0", "answered:0", "in_flight:2", "answered:2", "answered:3"]
)
async def test_sigkill_at_a_checkpoint(
    tmp_path: Path, sandbox: SandboxServer, kill_at: str
) -> None:
    db = tmp_path / "bot.db"
    campaign = await make_campaign(db)
    code, output = await run_worker(db, sandbox, campaign, "--kill-at", kill_at)
    assert code == -signal.SIGKILL, output
    code, output = await run_worker(db, sandbox, campaign, "--resend")
    assert code == 0, output
    assert json.loads(output.splitlines()[-1]) == ["ACCEPTED"] * 4
    await check_exactly_once(db, sandbox, campaign)


async def test_sigkill_while_the_provider_is_processing(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    db = tmp_path / "bot.db"
    campaign = await make_campaign(db)
    await arm_fault(sandbox.url, operation="SendMessages", mode="latency", seconds=1.5, count=1)

    async def first_call_under_way() -> None:
        for _ in range(300):
            if (await sandbox_state(sandbox.url))["calls"].get("SendMessages"):
                return
            await asyncio.sleep(0.05)
        pytest.fail("the worker never called SendMessages")

    code, output = await run_worker(db, sandbox, campaign, kill_when=first_call_under_way)
    assert code == -signal.SIGKILL, output
    assert (await sandbox_state(sandbox.url))["events"] == []  # still processing
    await asyncio.sleep(2.0)  # the provider finishes the call the dead client made
    assert len((await sandbox_state(sandbox.url))["events"]) == 1
    code, output = await run_worker(db, sandbox, campaign, "--resend")
    assert code == 0, output
    await check_exactly_once(db, sandbox, campaign)
    calls = (await sandbox_state(sandbox.url))["calls"]
    assert calls["SendMessages"] == 4
