"""A hypothesis state machine over create / confirm / fault / send / crash / restart.

Invariants, checked after every step against the sandbox's own records:
- never two provider events for one partnerEventId unless the chunk is DUPLICATE
  (and with this engine, no chunk ever is);
- an ACCEPTED chunk's events are exactly the provider's for its partnerEventId;
  a chunk never sent has none;
- nothing is left IN_FLIGHT or UNKNOWN after a restart's reconciliation;
- once nothing is unsettled, the credits the provider charged equal the sum of
  the accepted chunks' credits.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sandbox_api import arm_fault, events_by_partner_id, sandbox_state

from bot.campaigns import CampaignEngine
from bot.errors import CampaignError, ProviderUnavailable
from bot.records import Chunk, ChunkState
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow

NEVER_SENT = {ChunkState.PENDING, ChunkState.NOT_SENT, ChunkState.SKIPPED, ChunkState.REJECTED}
FAULTS = [
    {"mode": "stall_after_commit", "seconds": 0.6},
    {"mode": "drop_after_commit"},
    {"mode": "http_500", "commit": True},
    {"mode": "http_500"},
    {"mode": "soap_fault", "commit": True},
    {"mode": "soap_fault"},
    {"mode": "malformed", "commit": True},
    {"mode": "malformed"},
]


class Crash(Exception):
    """The process dies at a checkpoint."""


async def resolve(username: str) -> Credentials:
    return Credentials(username, "pw")


class CampaignMachine(RuleBasedStateMachine):
    campaigns = Bundle("campaigns")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.tmp = tempfile.TemporaryDirectory()
        self.db = Path(self.tmp.name) / "bot.db"
        self.crash_at: tuple[str, int] | None = None
        self.confirmed: set[int] = set()
        self.sandbox = SandboxServer(host="127.0.0.1", port=0, accounts=["team:pw:1000000"])
        self.run(self.sandbox.start())
        self.client = UsenditClient(endpoint=self.sandbox.endpoint, timeout=0.25)
        self.run(self.client.start())
        self.store = SqliteStore(self.db)
        self.run(self.store.start())
        self.engine = self._engine()

    def run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    def _engine(self) -> CampaignEngine:
        async def checkpoint(point: str, chunk: Chunk) -> None:
            if self.crash_at == (point, chunk.seq):
                self.crash_at = None
                raise Crash

        return CampaignEngine(
            self.store,
            self.client,
            resolve,
            chunk_size=2,
            quiet_window=timedelta(0),
            poll_interval=0.01,
            checkpoint=checkpoint,
        )

    def teardown(self) -> None:
        self.run(self.store.stop())
        self.run(self.client.stop())
        self.run(self.sandbox.stop())
        self.loop.close()
        self.tmp.cleanup()

    @rule(target=campaigns, size=st.integers(1, 5))
    def create(self, size: int) -> int:
        campaign = self.run(
            self.engine.create(
                account="team",
                created_by="console:me",
                chat="console",
                text="Promo",
                recipients=[f"35191{size:02d}{i:05d}" for i in range(size)],
            )
        )
        return int(campaign.id)

    @rule(campaign=campaigns)
    def confirm(self, campaign: int) -> None:
        changed = self.run(self.engine.confirm(campaign))
        assert changed is (campaign not in self.confirmed)
        self.confirmed.add(campaign)

    @rule(fault=st.sampled_from(FAULTS))
    def arm(self, fault: dict[str, Any]) -> None:
        self.run(arm_fault(self.sandbox.url, operation="SendMessages", **fault))

    @rule(
        campaign=campaigns,
        crash=st.none() | st.tuples(st.sampled_from(["in_flight", "answered"]), st.integers(0, 2)),
        deliberate=st.booleans(),
    )
    def send(self, campaign: int, crash: tuple[str, int] | None, deliberate: bool) -> None:
        self.crash_at = crash
        try:
            if deliberate:
                self.run(self.engine.resend(campaign))
            else:
                self.run(self.engine.send(campaign))
        except CampaignError:
            assert campaign not in self.confirmed or deliberate
        except ProviderUnavailable:
            pass
        except Crash:
            self.restart()
        self.crash_at = None

    @rule()
    def restart(self) -> None:
        self.run(self.store.stop())
        self.store = SqliteStore(self.db)
        self.run(self.store.start())
        self.engine = self._engine()
        self.run(self.engine.reconciler.recover())
        assert self.run(self.store.unsettled_chunks()) == []

    async def _chunks(self) -> list[Chunk]:
        found: list[Chunk] = []
        for campaign in await self.store.list_campaigns(limit=1000):
            found += await self.store.chunks(campaign.id)
        return found

    @invariant()
    def exactly_once(self) -> None:
        chunks = self.run(self._chunks())
        state = self.run(sandbox_state(self.sandbox.url))
        events = events_by_partner_id(state)
        for chunk in chunks:
            provider = events.get(chunk.partner_event_id, [])
            assert chunk.state is not ChunkState.DUPLICATE
            assert len(provider) <= 1, chunk
            if chunk.state is ChunkState.ACCEPTED:
                assert provider == list(chunk.event_ids)
            if chunk.state in NEVER_SENT:
                assert provider == [], chunk
        if not any(c.state.unsettled for c in chunks):
            charged = sum(e["credits_spent"] for e in state["events"])
            assert charged == sum(c.credits_spent for c in chunks if c.state is ChunkState.ACCEPTED)


TestCampaignMachine = CampaignMachine.TestCase
TestCampaignMachine.settings = settings(
    max_examples=20,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
