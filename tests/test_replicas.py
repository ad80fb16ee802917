"""Three `usendit-bot serve` replicas on one PostgreSQL, SIGKILLed at random while they send.

Everything is real and on 127.0.0.1: one PostgreSQL (``postgres_url``), one
sandbox (a real HTTP server in this test's loop, outside the replicas), one
fake Telegram Bot API, and three replicas in webhook mode, each its own
process and port, all on the same DATABASE_URL and SECRET_KEY.

A Telegram user makes campaigns of 3-4 parts through the replicas, as in a
chat: a ``/send`` update POSTed to a random live replica, its Confirm button
found in the Bot API's recorded ``sendMessage`` calls and pressed through a
(possibly other) random live replica. Every round confirms one or two
campaigns, then SIGKILLs a random replica at a random moment and starts it
again on the same port; SendMessages answers late, so kills land mid-send.

At the end, with the three replicas up and no button pressed, every campaign
must finish by itself; then the sandbox's own records must show each part
sent exactly once: one event per partnerEventId, none missing, none extra,
each recipient's PartnerMsgId once, the credits spent matching.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from chat_driver import KEY, child_env
from fake_bot_api import BotApi, FakeBotApiServer, message_update, press_update, user

from bot.records import CampaignPhase, ChunkState
from bot.sandbox import SandboxServer
from storage.postgres import PostgresStore

pytestmark = pytest.mark.slow

TOKEN = "4242:REPLICAS"
WEBHOOK_SECRET = "replicas-webhook-secret"
ADMIN_ID = 1001
ADMIN = user(ADMIN_ID)
REPLICAS = 3
ROUNDS = 20
CHUNK_SIZE = 2
MAX_KILL_DELAY = 1.5
FINISH_WITHIN = 90.0
STEP_TIMEOUT = 20.0
START_TIMEOUT = 30.0


def fixed_port(rng: random.Random, taken: set[int]) -> int:
    """A free port below the ephemeral range: a replica gets it back at every restart,
    and no outgoing connection (to PostgreSQL, the sandbox...) takes it meanwhile."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(200):
        port = rng.randrange(max(1024, low - 12000), low)
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("0.0.0.0", port))  # as uvicorn binds it
            except OSError:
                continue
            taken.add(port)
            return port
    raise RuntimeError("no free port below the ephemeral range")


class Replica:
    """One `usendit-bot serve` on a fixed port: started, SIGKILLed, started again."""

    def __init__(self, index: int, env: dict[str, str], cwd: Path) -> None:
        self.index = index
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None
        self.up = asyncio.Event()
        self.starts = 0
        self.logs: list[Path] = []
        self.problems: list[str] = []
        self._ended_by_test: set[int] = set()
        self._watch: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        """Spawn the process; :attr:`up` is set once its /healthz answers (not awaited)."""
        assert not self.running
        self.starts += 1
        self.up.clear()
        log = self.cwd / f"replica{self.index}.{self.starts}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "serve",
                cwd=self.cwd,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        self._watch = asyncio.create_task(self._until_healthy(self.process))

    async def _until_healthy(self, process: asyncio.subprocess.Process) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        name = f"replica {self.index} (start {self.starts}, pid {process.pid})"
        async with httpx.AsyncClient(timeout=1.0) as http:
            while process.returncode is None and not self.up.is_set():
                if loop.time() > deadline:
                    self.problems.append(f"{name}: no /healthz after {START_TIMEOUT:.0f} s")
                    break
                try:
                    if (await http.get(f"{self.base}/healthz")).status_code == 200:
                        self.up.set()
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        # Then watch it: a replica must only ever end because this test ended it.
        code = await process.wait()
        if process.pid not in self._ended_by_test:
            self.up.clear()
            self.problems.append(f"{name}: exited by itself with {code}")

    async def kill(self) -> None:
        assert self.process is not None
        self.up.clear()
        if self.process.returncode is None:
            self._ended_by_test.add(self.process.pid)
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        await self._forget_watch()

    async def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, and the exit code (within ``timeout``)."""
        assert self.process is not None
        if self.process.returncode is None:
            self._ended_by_test.add(self.process.pid)
            self.up.clear()
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await self._forget_watch()
        return code

    async def _forget_watch(self) -> None:
        if self._watch is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None

    def tail(self, lines: int = 40) -> str:
        chunks = []
        for log in self.logs[-2:]:
            text = log.read_text(errors="replace").splitlines()[-lines:]
            chunks.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(chunks)


class Cluster:
    """The replicas, the fake Bot API they share, and the user talking to them."""

    def __init__(
        self, replicas: list[Replica], api: BotApi, http: httpx.AsyncClient, rng: random.Random
    ) -> None:
        self.replicas = replicas
        self.api = api
        self.http = http
        self.rng = rng
        self._numbers = iter(range(1_000_000))

    async def live(self) -> Replica:
        """A random replica that answers now (waiting for one, bounded)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while True:
            up = [r for r in self.replicas if r.up.is_set() and r.running]
            if up:
                return self.rng.choice(up)
            self.check_alive()
            if loop.time() > deadline:
                pytest.fail(f"no replica up for {START_TIMEOUT:.0f} s\n{self.tails()}")
            await asyncio.sleep(0.05)

    async def all_up(self) -> None:
        """Wait (bounded) until every replica answers /healthz."""
        while not all(r.up.is_set() for r in self.replicas):
            self.check_alive()
            await asyncio.sleep(0.05)

    def check_alive(self) -> None:
        problems = [line for r in self.replicas for line in r.problems]
        if problems:
            pytest.fail(f"replicas in trouble: {problems}\n" + self.tails())

    def tails(self) -> str:
        return "\n".join(r.tail() for r in self.replicas)

    async def post(self, update: dict[str, Any]) -> Replica:
        """An update through Telegram's webhook of a random live replica."""
        replica = await self.live()
        response = await self.http.post(
            f"{replica.base}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        assert response.status_code == 200, (replica.index, response.status_code, response.text)
        return replica

    def numbers(self, count: int) -> list[str]:
        return [f"+35191{next(self._numbers):07d}" for _ in range(count)]

    async def preview(self, since: int) -> tuple[str, int]:
        """The campaign id and message id of the first preview sent after call ``since``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP_TIMEOUT
        while loop.time() < deadline:
            for call in self.api.calls[since:]:
                if call.method != "sendMessage" or not call.result:
                    continue
                for action in callback_data(call.params):
                    if action.startswith("send:confirm:"):
                        return action, int(call.result["message_id"])
            self.check_alive()
            await asyncio.sleep(0.02)
        pytest.fail(f"no preview with a Confirm button: {self.api.texts(since)}\n{self.tails()}")


def callback_data(params: dict[str, Any]) -> list[str]:
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [str(button.get("callback_data")) for row in rows for button in row]


async def wait_phase(
    store: PostgresStore, cid: int, phase: CampaignPhase, cluster: Cluster
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STEP_TIMEOUT
    while loop.time() < deadline:
        campaign = await store.get_campaign(cid)
        if campaign is not None and campaign.phase is phase:
            return
        cluster.check_alive()
        await asyncio.sleep(0.02)
    pytest.fail(f"campaign {cid} never became {phase.value}\n{cluster.tails()}")


async def leases_of(db: psycopg.AsyncConnection[Any], pid: int) -> tuple[int, int]:
    """Campaigns leased by the process ``pid`` now, and their parts IN_FLIGHT."""
    cursor = await db.execute(
        "SELECT count(DISTINCT c.id), count(k.id) FROM campaigns c "
        "LEFT JOIN chunks k ON k.campaign_id = c.id AND k.state = 'IN_FLIGHT' "
        "WHERE c.lease_owner LIKE %s AND c.lease_expires > now()",
        (f"%:{pid}:%",),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


# Now and then, among the first SendMessages calls, an answer that says nothing: the
# provider either has the part (committed) or provably has not (then resent, same id).
SURPRISES: list[tuple[str, dict[str, Any]]] = [
    ("http_500", {"commit": False}),
    ("drop_after_commit", {}),
    ("http_500", {"commit": True}),
    ("soap_fault", {"commit": False}),
    ("stall_after_commit", {"seconds": 2.5}),
]
SURPRISE_EVERY = 8
SURPRISES_UNTIL = 120


def arm_send_faults(sandbox: SandboxServer, rng: random.Random) -> None:
    """Every SendMessages answers late (0.2-0.4 s, and commits), so a kill often lands
    mid-call; every few calls, early on, a surprise instead."""
    surprises = itertools.cycle(SURPRISES)
    for call in range(400):
        if call < SURPRISES_UNTIL and call % SURPRISE_EVERY == SURPRISE_EVERY - 1:
            mode, fields = next(surprises)
            sandbox.arm_fault("SendMessages", mode, **fields)
        else:
            sandbox.arm_fault("SendMessages", "latency", seconds=rng.uniform(0.2, 0.4))


@pytest.fixture
async def cluster(
    sandbox: SandboxServer, postgres_url: str, tmp_path: Path
) -> AsyncIterator[Cluster]:
    api = BotApi()
    async with FakeBotApiServer(api, TOKEN) as bot_api, httpx.AsyncClient(timeout=10) as http:
        seed = random.randrange(1 << 32)
        print(f"\nreplicas: random seed {seed}")
        rng = random.Random(seed)
        replicas = []
        ports: set[int] = set()
        for index in range(REPLICAS):
            port = fixed_port(rng, ports)
            env = child_env(
                tmp_path,
                DATABASE_URL=postgres_url,
                SECRET_KEY=KEY,
                USENDIT_ENDPOINT=sandbox.endpoint,
                USENDIT_USERNAME="demo",
                USENDIT_PASSWORD="demo",
                USENDIT_TIMEOUT="1",
                QUIET_WINDOW="3",
                WORKER_LEASE="3",
                CHUNK_SIZE=str(CHUNK_SIZE),
                SHUTDOWN_GRACE="2",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=bot_api.url,
                TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}",
                TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
                PORT=str(port),
                BOT_ADMINS=f"telegram:{ADMIN_ID}",
            )
            replicas.append(Replica(index, env, tmp_path))
        made = Cluster(replicas, api, http, rng)
        try:
            # All three at once on an empty database: they migrate it together.
            for replica in replicas:
                await replica.start()
            yield made
        finally:
            for replica in replicas:
                if replica.process is not None:
                    await replica.kill()  # whatever a failed test left running


async def test_replicas_killed_at_random_send_every_part_exactly_once(
    cluster: Cluster, sandbox: SandboxServer, postgres_url: str
) -> None:
    rng = cluster.rng
    started = time.monotonic()
    arm_send_faults(sandbox, rng)
    await cluster.all_up()

    campaigns: dict[int, int] = {}  # id -> recipients
    kills = kills_holding_lease = kills_in_flight = kills_starting = 0
    async with (
        PostgresStore(postgres_url) as store,
        await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as db,
    ):
        for _ in range(ROUNDS):
            for _ in range(rng.choice((1, 2))):
                count = rng.randint(5, 7)
                since = len(cluster.api.calls)
                text = f"Sale {len(campaigns) + 1}"
                await cluster.post(
                    message_update(ADMIN, f"/send {','.join(cluster.numbers(count))} {text}")
                )
                confirm, message_id = await cluster.preview(since)
                cid = int(confirm.split(":")[2])
                assert cid not in campaigns
                await cluster.post(press_update(ADMIN, confirm, message_id=message_id))
                await wait_phase(store, cid, CampaignPhase.CONFIRMED, cluster)
                campaigns[cid] = count
            await asyncio.sleep(rng.uniform(0, MAX_KILL_DELAY))
            # A replica that is up (sending, or idle); when none is, one still starting.
            up = [r for r in cluster.replicas if r.up.is_set()]
            victim = rng.choice(up or [r for r in cluster.replicas if r.running])
            starting = not victim.up.is_set()
            leased, in_flight = await leases_of(db, victim.pid)
            await victim.kill()
            kills += 1
            kills_starting += starting
            kills_holding_lease += leased > 0
            kills_in_flight += in_flight > 0
            await victim.start()  # not awaited up: the next round goes on without it
        rounds_done = time.monotonic()

        # The end: all three replicas up, nobody presses anything.
        await cluster.all_up()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FINISH_WITHIN
        while True:
            cluster.check_alive()
            pending = await store.pending_jobs()
            chunks = {cid: await store.chunks(cid) for cid in campaigns}
            states = Counter(c.state for parts in chunks.values() for c in parts)
            planned = all(
                len(parts) == -(-campaigns[cid] // CHUNK_SIZE) for cid, parts in chunks.items()
            )
            if pending == 0 and planned:
                break  # nothing will move without a button now: judge what was done
            if loop.time() > deadline:
                pytest.fail(
                    f"after {FINISH_WITHIN:.0f} s: {pending} campaign(s) with work left, "
                    f"parts {dict(states)}\n{cluster.tails()}"
                )
            await asyncio.sleep(0.2)
        finished = time.monotonic()

        recipients = {
            cid: await store.recipients(cid, 0, count) for cid, count in campaigns.items()
        }
        phases = []
        for cid in campaigns:
            campaign = await store.get_campaign(cid)
            assert campaign is not None
            phases.append(campaign.phase)
        everyone = await store.list_campaigns(limit=10_000)
        pending_notices = await store.pending_notices()

    state = sandbox.state.public()
    events: dict[str | None, list[dict[str, Any]]] = {}
    for event in state["events"]:
        events.setdefault(event["partner_event_id"], []).append(event)
    parts = [chunk for per in chunks.values() for chunk in per]
    twice = [c.partner_event_id for c in parts if len(events.get(c.partner_event_id, [])) > 1]
    never = [c.partner_event_id for c in parts if not events.get(c.partner_event_id)]
    ours = {c.partner_event_id for c in parts}
    stray = [partner for partner in events if partner not in ours]
    total = sum(campaigns.values())
    sent_ids = Counter(m["partner_msg_id"] for event in state["events"] for m in event["messages"])
    wanted_ids = {r.partner_msg_id for people in recipients.values() for r in people}
    demo = next(a for a in state["accounts"] if a["username"] == "demo")
    calls = state["calls"]

    print(
        f"replicas: {ROUNDS} rounds, {len(campaigns)} campaigns, {len(parts)} parts, "
        f"{total} recipients, {kills} kills ({kills_holding_lease} holding a lease, "
        f"{kills_in_flight} with a part IN_FLIGHT, {kills_starting} still starting), "
        f"{sum(r.starts for r in cluster.replicas)} starts; "
        f"SendMessages {calls.get('SendMessages', 0)} "
        f"({calls.get('SendMessages', 0) - len(parts)} beyond one per part), "
        f"GetPartnerEvents {calls.get('GetPartnerEvents', 0)}; "
        f"rounds {rounds_done - started:.1f} s, finished {finished - rounds_done:.1f} s "
        f"after the last kill; notices pending {pending_notices}; parts {dict(states)}"
    )

    assert twice == [], f"{len(twice)} part(s) with two events: {twice}"
    assert never == [], f"{len(never)} part(s) never sent: {never}"
    assert stray == [], f"events for no part of ours: {stray}"
    assert len(state["events"]) == len(parts)
    for chunk in parts:
        assert chunk.state is ChunkState.ACCEPTED, chunk
        assert list(chunk.event_ids) == [e["event_id"] for e in events[chunk.partner_event_id]]
    assert [pid for pid, n in sent_ids.items() if n > 1] == [], "an SMS sent twice"
    assert {cid: len(people) for cid, people in recipients.items()} == campaigns
    assert set(sent_ids) == wanted_ids, "SMS sent that no campaign holds, or not sent"
    assert sum(c.accepted for c in parts) == total
    assert sum(e["accepted"] for e in state["events"]) == total
    assert sum(e["credits_spent"] for e in state["events"]) == total
    assert demo["credits"] == 500 - total
    assert set(phases) == {CampaignPhase.CONFIRMED}
    assert sorted(c.id for c in everyone) == sorted(campaigns), "a campaign nobody asked for"

    codes = await asyncio.gather(*(replica.terminate() for replica in cluster.replicas))
    assert codes == [0] * REPLICAS, f"exit codes {codes}\n{cluster.tails()}"
    print(f"replicas: whole test {time.monotonic() - started:.1f} s")
