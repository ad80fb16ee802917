"""The campaign worker: leases, takeover of a dead process's campaign, a graceful stop.

One SQLite store on disk, the sandbox over real HTTP; the engine's checkpoint
hook stands for a process dying at a point of a send (the exception leaves
the chunk and the lease exactly as a SIGKILL would: nothing after it runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sandbox_api import arm_fault, events_by_partner_id, sandbox_state

from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.chunk_send import Checkpoint
from bot.records import Chunk, ChunkState, Work
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from bot.worker import CampaignWorker
from storage.sqlite import SqliteStore

LEASE = timedelta(seconds=1)


class Died(Exception):
    """The process stops here: nothing after this point of the send runs."""


async def resolve(username: str) -> Credentials:
    return Credentials(username, username)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "bot.db") as opened:
        yield opened


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[UsenditClient]:
    async with UsenditClient(endpoint=sandbox.endpoint, timeout=2.0) as opened:
        yield opened


def engine_for(
    store: SqliteStore,
    client: UsenditClient,
    checkpoint: Checkpoint | None = None,
    quiet: float = 0.6,
) -> CampaignEngine:
    return CampaignEngine(
        store,
        client,
        resolve,
        chunk_size=2,
        quiet_window=timedelta(seconds=quiet),
        poll_interval=0.1,
        checkpoint=checkpoint,
    )


def worker_for(engine: CampaignEngine, owner: str, **kw: object) -> CampaignWorker:
    touched: list[int] = []
    worker = CampaignWorker(
        engine.store,
        engine,
        changed=touched.append,
        owner=owner,
        lease=LEASE,
        poll_interval=0.05,
        **kw,  # type: ignore[arg-type]
    )
    return worker


async def confirmed(engine: CampaignEngine, count: int = 5) -> int:
    campaign = await engine.create(
        account="demo",
        created_by="console:me",
        chat="console:me",
        text="Sale",
        recipients=[f"35191{i:07d}" for i in range(count)],
    )
    assert await engine.confirm(campaign.id)
    return campaign.id


async def until(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def finished(store: SqliteStore) -> bool:
    return await store.pending_jobs() == 0


async def assert_exactly_once(store: SqliteStore, sandbox: SandboxServer, cid: int) -> None:
    events = events_by_partner_id(await sandbox_state(sandbox.url))
    chunks = await store.chunks(cid)
    assert chunks
    for chunk in chunks:
        assert chunk.state is ChunkState.ACCEPTED, chunk
        assert events.get(chunk.partner_event_id) == list(chunk.event_ids), chunk


async def send_calls(sandbox: SandboxServer) -> int:
    return int((await sandbox_state(sandbox.url))["calls"].get("SendMessages", 0))


async def test_the_worker_sends_a_confirmed_campaign_and_clears_its_work(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client)
    cid = await confirmed(engine, 5)
    assert (await store.get_campaign(cid)).work is Work.SEND  # type: ignore[union-attr]
    worker = worker_for(engine, "w1")
    await worker.start()
    worker.wake()
    try:
        await until(lambda: finished(store))
    finally:
        await worker.stop()
    campaign = await store.get_campaign(cid)
    assert campaign is not None
    assert campaign.work is None
    assert campaign.lease_owner is None
    assert (await engine.status(cid)).state is CampaignState.DONE
    await assert_exactly_once(store, sandbox, cid)
    assert await send_calls(sandbox) == 3


@pytest.mark.parametrize("point", ["in_flight", "answered"])
async def test_a_dead_workers_campaign_is_taken_over_and_finished(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer, point: str
) -> None:
    async def die(at: str, chunk: Chunk) -> None:
        if at == point and chunk.seq == 1:
            raise Died

    dead = engine_for(store, client, die)
    cid = await confirmed(dead, 5)
    job = await store.claim_job("dead", datetime.now(UTC), LEASE)
    assert job is not None
    with pytest.raises(Died):
        await dead.run(cid, job.work)
    # As the dead process left it: chunk 1 IN_FLIGHT, the lease still held.
    chunks = await store.chunks(cid)
    assert [c.state for c in chunks] == [
        ChunkState.ACCEPTED,
        ChunkState.IN_FLIGHT,
        ChunkState.PENDING,
    ]
    assert (await store.get_campaign(cid)).lease_owner == "dead"  # type: ignore[union-attr]
    survivor = worker_for(engine_for(store, client), "survivor")
    await survivor.start()
    try:
        await until(lambda: finished(store))
    finally:
        await survivor.stop()
    await assert_exactly_once(store, sandbox, cid)
    # Sent before dying ("answered"): found through GetPartnerEvents, never sent again.
    # Died before the call ("in_flight"): found missing after the quiet window, sent once.
    assert await send_calls(sandbox) == 3


async def test_a_live_lease_is_not_taken(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client)
    cid = await confirmed(engine, 2)
    assert await store.claim_job("busy", datetime.now(UTC), timedelta(minutes=5)) is not None
    other = worker_for(engine, "other")
    await other.start()
    await asyncio.sleep(0.5)
    await other.stop()
    assert await send_calls(sandbox) == 0
    assert (await store.get_campaign(cid)).lease_owner == "busy"  # type: ignore[union-attr]


async def test_a_stop_finishes_the_part_in_flight_and_hands_back_the_rest(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client)
    cid = await confirmed(engine, 6)
    await arm_fault(sandbox.url, operation="SendMessages", mode="latency", seconds=0.4, count=10)
    first = worker_for(engine, "first")
    await first.start()
    await until(lambda: send_calls_at_least(sandbox, 1))
    await first.stop(grace=5)
    campaign = await store.get_campaign(cid)
    assert campaign is not None
    assert campaign.lease_owner is None  # handed back at once, not left to expire
    assert campaign.work is Work.SEND
    states = [c.state for c in await store.chunks(cid)]
    assert ChunkState.IN_FLIGHT not in states  # the part in flight was finished
    assert ChunkState.PENDING in states
    second = worker_for(engine, "second")
    await second.start()
    try:
        await until(lambda: finished(store))
    finally:
        await second.stop()
    await assert_exactly_once(store, sandbox, cid)
    assert await send_calls(sandbox) == 3


async def test_a_stop_past_the_grace_leaves_the_part_to_be_settled_not_resent(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client, quiet=3.0)  # longer than the call uSendit is on
    cid = await confirmed(engine, 2)
    await arm_fault(sandbox.url, operation="SendMessages", mode="latency", seconds=1.0, count=1)
    first = worker_for(engine, "first")
    await first.start()
    await until(lambda: send_calls_at_least(sandbox, 1))
    await first.stop(grace=0.1)
    assert [c.state for c in await store.chunks(cid)] == [ChunkState.IN_FLIGHT]
    assert (await store.get_campaign(cid)).lease_owner is None  # type: ignore[union-attr]
    second = worker_for(engine, "second")
    await second.start()
    try:
        await until(lambda: finished(store))
    finally:
        await second.stop()
    await assert_exactly_once(store, sandbox, cid)
    assert await send_calls(sandbox) == 1  # uSendit finished the call the stop walked out of


async def test_two_workers_on_one_store_send_every_campaign_once(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client)
    campaigns = [await confirmed(engine, 3) for _ in range(6)]
    workers = [worker_for(engine, f"w{n}", concurrency=2) for n in range(2)]
    for worker in workers:
        await worker.start()
    try:
        await until(lambda: finished(store))
    finally:
        for worker in workers:
            await worker.stop()
    for cid in campaigns:
        await assert_exactly_once(store, sandbox, cid)
    assert await send_calls(sandbox) == 12


async def test_uSendit_down_backs_off_and_keeps_the_work(
    store: SqliteStore, sandbox: SandboxServer, unused_port: int
) -> None:
    async with UsenditClient(
        endpoint=f"http://127.0.0.1:{unused_port}/v1/remoteusendit.asmx", timeout=1.0
    ) as down:
        engine = engine_for(store, down)
        cid = await confirmed(engine, 2)
        worker = worker_for(engine, "w")
        await worker.start()
        await until(lambda: failures_at_least(store, cid))
        await worker.stop()
    campaign = await store.get_campaign(cid)
    assert campaign is not None
    assert campaign.work is Work.SEND
    assert campaign.lease_owner is None
    # Backing off: not taken again at once.
    assert await store.claim_job("again", datetime.now(UTC), LEASE) is None
    assert [c.state for c in await store.chunks(cid)] == [ChunkState.PENDING]


async def send_calls_at_least(sandbox: SandboxServer, count: int) -> bool:
    return await send_calls(sandbox) >= count


async def failures_at_least(store: SqliteStore, cid: int) -> bool:
    row = await store._one("SELECT failures FROM campaigns WHERE id = ?", (cid,))
    return bool(row[0] >= 1)


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_second_sending_process_on_one_sqlite_file_is_refused(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    from chat_driver import bot_settings

    from bot.app import BotApp
    from bot.errors import StoreError

    settings = bot_settings(sandbox.endpoint, tmp_path)
    async with BotApp(settings):
        with pytest.raises(StoreError, match="SQLite carries one process"):
            async with BotApp(settings):
                pass
    async with BotApp(settings):  # the first one gave the file back when it stopped
        pass


class StuckStore(SqliteStore):
    """A store whose lease renewals fail (a database that went away for a while)."""

    async def renew_job(self, campaign_id: int, owner: str, at: datetime, lease: timedelta) -> bool:
        from bot.errors import StoreError

        raise StoreError("the database is not answering")


async def test_a_part_is_never_sent_on_a_lease_in_doubt(
    tmp_path: Path, client: UsenditClient, sandbox: SandboxServer
) -> None:
    async def hang(point: str, chunk: Chunk) -> None:
        if point == "in_flight":
            await asyncio.sleep(LEASE.total_seconds() * 1.2)  # the lease lapses meanwhile

    async with StuckStore(tmp_path / "stuck.db") as store:
        engine = engine_for(store, client, hang)
        cid = await confirmed(engine, 2)
        worker = worker_for(engine, "w")
        await worker.start()
        await until(lambda: attempted(store, cid))
        await asyncio.sleep(LEASE.total_seconds() * 1.5)
        await worker.stop()
        # Committed, then handed back unsent: another worker may have taken it over.
        assert await send_calls(sandbox) == 0
        (chunk,) = await store.chunks(cid)
        assert chunk.state is ChunkState.PENDING
        assert chunk.attempts >= 1


async def test_unsure_parts_are_still_settled_after_a_send_stops(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    engine = engine_for(store, client)
    campaign = await engine.create(
        account="ghost",  # uSendit does not know it: the balance check stops the send
        created_by="console:me",
        chat="console:me",
        text="Sale",
        recipients=[f"35191{i:07d}" for i in range(4)],
    )
    assert await engine.confirm(campaign.id)
    now = datetime.now(UTC)
    first, _ = await store.plan_chunks(campaign.id, 2, now)
    assert await store.begin_send(first.id, [ChunkState.PENDING], now)
    assert await store.settle_chunk(
        first.id, ChunkState.UNKNOWN, expected=[ChunkState.IN_FLIGHT], at=now
    )
    worker = worker_for(engine, "w")
    await worker.start()
    await until(lambda: work_is(store, campaign.id, Work.SETTLE))
    await worker.stop()
    states = [c.state for c in await store.chunks(campaign.id)]
    assert states == [ChunkState.UNKNOWN, ChunkState.PENDING]  # kept unsure; nothing sent
    assert await send_calls(sandbox) == 0


async def attempted(store: SqliteStore, cid: int) -> bool:
    return any(c.attempts for c in await store.chunks(cid))


async def work_is(store: SqliteStore, cid: int, work: Work) -> bool:
    campaign = await store.get_campaign(cid)
    return campaign is not None and campaign.work is work


async def test_a_resend_goes_once_then_the_worker_stops_resending(
    store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
) -> None:
    from bot.campaigns import AUTO_SENDS

    async def refuse(point: str, chunk: Chunk) -> None:
        if point == "in_flight":  # uSendit never takes it: a 500 before it commits anything
            await arm_fault(sandbox.url, operation="SendMessages", mode="http_500")

    engine = engine_for(store, client, refuse)
    cid = await confirmed(engine, 2)
    worker = worker_for(engine, "w")
    await worker.start()
    try:
        await until(lambda: finished(store), within=30)
        (chunk,) = await store.chunks(cid)
        assert (chunk.state, chunk.attempts) == (ChunkState.NOT_SENT, AUTO_SENDS)
        assert await store.request_work(cid, Work.RESEND, datetime.now(UTC))  # a person's Resend
        worker.wake()
        await until(lambda: finished(store), within=30)
        await asyncio.sleep(1.5)  # more than two quiet windows: no resend of its own
        (chunk,) = await store.chunks(cid)
    finally:
        await worker.stop()
    assert (chunk.state, chunk.attempts) == (ChunkState.NOT_SENT, AUTO_SENDS + 1)
    assert await send_calls(sandbox) == AUTO_SENDS + 1


async def test_the_worker_forgets_chat_events_claimed_over_a_day_ago(
    store: SqliteStore, client: UsenditClient
) -> None:
    now = datetime.now(UTC)
    assert await store.claim("telegram:1:5", now - timedelta(days=2))
    assert await store.claim("telegram:1:6", now - timedelta(hours=2))
    worker = worker_for(engine_for(store, client), "w1")
    await worker.start()
    try:
        await until(lambda: store.claim("telegram:1:5", now))  # forgotten: claimable again
    finally:
        await worker.stop()
    assert not await store.claim("telegram:1:6", now)  # an hours-old claim is kept
