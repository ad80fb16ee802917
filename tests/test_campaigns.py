"""The campaign engine against the sandbox (real HTTP) and SQLite on disk."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_api import arm_fault, events_by_partner_id, sandbox_state

from bot.campaign_status import CampaignState, Progress
from bot.campaigns import AUTO_SENDS, CampaignEngine
from bot.errors import CampaignError, InsufficientCredits, ProviderUnavailable
from bot.records import Chunk, ChunkState
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import Sms
from storage.sqlite import SqliteStore

ACCOUNTS = {"demo": "demo", "poor": "poor-pass", "rich": "rich-pass"}


async def resolve(username: str) -> Credentials:
    return Credentials(username, ACCOUNTS[username])


def numbers(n: int, start: int = 0) -> list[str]:
    return [f"35191{start + i:07d}" for i in range(n)]


class Crash(Exception):
    """Stands for the process dying at a checkpoint."""


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(
        host="127.0.0.1", port=0, accounts=["poor:poor-pass:5", "rich:rich-pass:100000"]
    ) as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[UsenditClient]:
    async with UsenditClient(endpoint=sandbox.endpoint, timeout=0.5) as usendit:
        yield usendit


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "bot.db") as backend:
        yield backend


Checkpoint = Callable[[str, Chunk], Awaitable[None]]


def make_engine(
    store: SqliteStore,
    client: UsenditClient,
    checkpoint: Checkpoint | None = None,
    quiet: float = 0.3,
) -> CampaignEngine:
    return CampaignEngine(
        store,
        client,
        resolve,
        chunk_size=3,
        quiet_window=timedelta(seconds=quiet),
        poll_interval=0.05,
        checkpoint=checkpoint,
    )


@pytest.fixture
def engine(store: SqliteStore, client: UsenditClient) -> CampaignEngine:
    return make_engine(store, client)


async def confirmed(
    engine: CampaignEngine, n: int, account: str = "demo", text: str = "Promo -10% hoje"
) -> int:
    campaign = await engine.create(
        account=account, created_by="console:me", chat="console", text=text, recipients=numbers(n)
    )
    assert await engine.confirm(campaign.id) is True
    return campaign.id


async def provider(sandbox: SandboxServer) -> tuple[dict[str, list[int]], dict[str, int]]:
    state = await sandbox_state(sandbox.url)
    return events_by_partner_id(state), state["calls"]


async def assert_exactly_once(engine: CampaignEngine, sandbox: SandboxServer, cid: int) -> None:
    status = await engine.status(cid)
    events, _ = await provider(sandbox)
    for chunk in status.chunks:
        assert chunk.state is ChunkState.ACCEPTED, chunk
        assert events[chunk.partner_event_id] == list(chunk.event_ids)
        assert len(chunk.event_ids) == 1


class TestDraftAndConfirm:
    async def test_draft_normalises_and_estimates(self, engine: CampaignEngine) -> None:
        campaign = await engine.create(
            account="demo",
            created_by="console:me",
            chat="console",
            text="x" * 161,
            recipients=["+351910000001", "351910000001", " 351910000002 "],
        )
        assert campaign.recipient_count == 2
        assert campaign.segments == 2
        assert campaign.estimated_credits == 4
        assert (await engine.status(campaign.id)).state is CampaignState.DRAFT

    @pytest.mark.parametrize("recipients", [[], ["12"], ["not-a-number"], ["+351 91 000 0001"]])
    async def test_bad_recipients_are_refused(
        self, engine: CampaignEngine, recipients: list[str]
    ) -> None:
        with pytest.raises(CampaignError):
            await engine.create(
                account="demo", created_by="u", chat="c", text="hi", recipients=recipients
            )

    async def test_schedule_in_the_past_is_refused(self, engine: CampaignEngine) -> None:
        with pytest.raises(CampaignError, match="past"):
            await engine.create(
                account="demo",
                created_by="u",
                chat="c",
                text="hi",
                recipients=numbers(1),
                schedule_at=datetime.now(UTC) - timedelta(minutes=1),
            )

    async def test_double_and_concurrent_confirms(self, engine: CampaignEngine) -> None:
        campaign = await engine.create(
            account="demo", created_by="u", chat="c", text="hi", recipients=numbers(2)
        )
        results = await asyncio.gather(*(engine.confirm(campaign.id) for _ in range(10)))
        assert results.count(True) == 1
        assert await engine.confirm(campaign.id) is False
        assert await engine.cancel(campaign.id) is False

    async def test_a_draft_is_never_sent(
        self, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        campaign = await engine.create(
            account="demo", created_by="u", chat="c", text="hi", recipients=numbers(2)
        )
        with pytest.raises(CampaignError):
            await engine.send(campaign.id)
        assert (await provider(sandbox))[1].get("SendMessages", 0) == 0


class TestSending:
    async def test_larger_than_one_chunk_with_progress(
        self, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        cid = await confirmed(engine, 7)
        seen: list[Progress] = []

        async def progress(p: Progress) -> None:
            seen.append(p)

        status = await engine.send(cid, progress)
        assert status.state is CampaignState.DONE
        assert (status.accepted, status.rejected, status.credits_spent) == (7, 0, 7)
        assert len(status.chunks) == 3
        await assert_exactly_once(engine, sandbox, cid)
        assert [p.chunks_done for p in seen][:4] == [0, 1, 2, 3]
        assert seen[-1] == Progress(cid, 3, 3, 7, 0)
        state = await sandbox_state(sandbox.url)
        demo = next(a for a in state["accounts"] if a["username"] == "demo")
        assert demo["credits"] == 500 - 7
        # Sending again sends nothing more.
        again = await engine.send(cid)
        assert again.state is CampaignState.DONE
        assert (await provider(sandbox))[1]["SendMessages"] == 3

    async def test_some_numbers_rejected(
        self, engine: CampaignEngine, store: SqliteStore, sandbox: SandboxServer
    ) -> None:
        campaign = await engine.create(
            account="demo",
            created_by="u",
            chat="c",
            text="hi",
            recipients=["351912345678", "351212345678", "351912345679"],
        )
        await engine.confirm(campaign.id)
        status = await engine.send(campaign.id)
        assert status.state is CampaignState.DONE
        assert (status.accepted, status.rejected, status.credits_spent) == (2, 1, 2)
        outcomes = {o.msisdn: o.status for o in await store.message_outcomes(campaign.id)}
        assert outcomes["351912345678"] == "SCHEDULED"
        assert outcomes["351212345678"] != "SCHEDULED"

    async def test_scheduled_send_keeps_the_time(
        self, engine: CampaignEngine, client: UsenditClient, store: SqliteStore
    ) -> None:
        when = datetime.now(UTC) + timedelta(days=2)
        campaign = await engine.create(
            account="demo",
            created_by="u",
            chat="c",
            text="amanhã",
            recipients=numbers(2),
            schedule_at=when,
        )
        await engine.confirm(campaign.id)
        status = await engine.send(campaign.id)
        assert status.state is CampaignState.DONE
        refreshed = await engine.reconciler.refresh(campaign.id)
        assert refreshed.accepted == 2
        found = await store.find_campaign_by_event(status.chunks[0].event_ids[0])
        assert found is not None
        assert found.schedule_at == when

    async def test_insufficient_credits_caught_before_sending(
        self, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        cid = await confirmed(engine, 6, account="poor")
        with pytest.raises(InsufficientCredits) as caught:
            await engine.send(cid)
        assert (caught.value.needed, caught.value.available) == (6, 5)
        assert (await provider(sandbox))[1].get("SendMessages", 0) == 0
        status = await engine.status(cid)
        assert status.campaign.reason is not None
        assert "INSUFFICIENT_CREDITS" in status.campaign.reason

    async def test_insufficient_credits_mid_campaign_ends_partial(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        async def spend_elsewhere(point: str, chunk: Chunk) -> None:
            if point == "in_flight" and chunk.seq == 1:
                # Another user of the account spends the credits meanwhile.
                await client.send_messages(
                    Credentials("poor", "poor-pass"),
                    "elsewhere",
                    [Sms(msisdn="351919999999", text="x")],
                )

        engine = make_engine(store, client, spend_elsewhere)
        cid = await confirmed(engine, 5, account="poor")
        status = await engine.send(cid)
        assert status.state is CampaignState.PARTIAL
        assert [c.state for c in status.chunks] == [ChunkState.ACCEPTED, ChunkState.SKIPPED]
        assert status.chunks[1].reason == "INSUFFICIENT_CREDITS"
        assert status.campaign.reason == "INSUFFICIENT_CREDITS"
        assert status.credits_spent == 3
        # Credits bought and paid (the sandbox's card link): Continue sends that very part.
        poor = Credentials("poor", "poor-pass")
        bought = await client.buy_credits(poor, 1)
        assert bought.credit_card_link is not None
        async with httpx.AsyncClient() as http:
            (await http.get(bought.credit_card_link)).raise_for_status()
        status = await engine.send(cid)
        assert status.state is CampaignState.DONE
        assert [c.state for c in status.chunks] == [ChunkState.ACCEPTED, ChunkState.ACCEPTED]
        assert status.accepted == 5
        state = await sandbox_state(sandbox.url)
        mine = [e for e in state["events"] if e["partner_event_id"] != "elsewhere"]
        assert sorted(e["recipients"] for e in mine) == [2, 3]  # each part once


class TestFaults:
    async def _fault_on_second_chunk(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer, **fault: Any
    ) -> tuple[CampaignEngine, int]:
        async def arm(point: str, chunk: Chunk) -> None:
            if point == "in_flight" and chunk.seq == 1 and chunk.attempts == 1:
                await arm_fault(sandbox.url, operation="SendMessages", **fault)

        engine = make_engine(store, client, arm)
        cid = await confirmed(engine, 7)
        return engine, cid

    @pytest.mark.parametrize(
        "fault",
        [
            {"mode": "stall_after_commit", "seconds": 3},
            {"mode": "drop_after_commit"},
            {"mode": "http_500", "commit": True},
            {"mode": "soap_fault", "commit": True},
            {"mode": "malformed", "commit": True},
        ],
        ids=lambda f: f["mode"],
    )
    async def test_committed_then_failed_is_found_not_resent(
        self,
        store: SqliteStore,
        client: UsenditClient,
        sandbox: SandboxServer,
        fault: dict[str, Any],
    ) -> None:
        engine, cid = await self._fault_on_second_chunk(store, client, sandbox, **fault)
        status = await engine.send(cid)
        assert status.state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)
        _, calls = await provider(sandbox)
        assert calls["SendMessages"] == 3
        assert calls["GetPartnerEvents"] >= 1

    @pytest.mark.parametrize("mode", ["http_500", "soap_fault", "malformed"])
    async def test_failed_before_commit_is_resent_after_the_quiet_window(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer, mode: str
    ) -> None:
        engine, cid = await self._fault_on_second_chunk(store, client, sandbox, mode=mode)
        status = await engine.send(cid)
        for _ in range(4):  # a send waits a quiet window and three polls: on a loaded
            if status.state is not CampaignState.SENDING:  # machine, a next one goes on
                break
            status = await engine.send(cid)
        # uSendit never got chunk 1: once the quiet window said so, it went again,
        # with the same partnerEventId, and nothing went twice.
        assert status.state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)
        assert status.chunks[1].attempts == 2
        assert (await provider(sandbox))[1]["SendMessages"] == 4

    @pytest.mark.parametrize("mode", ["http_500", "soap_fault", "malformed"])
    async def test_a_chunk_never_got_is_resent_a_few_times_then_waits_for_a_person(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer, mode: str
    ) -> None:
        failing = True

        async def arm(point: str, chunk: Chunk) -> None:
            if point == "in_flight" and chunk.seq == 1 and failing:
                await arm_fault(sandbox.url, operation="SendMessages", mode=mode)

        engine = make_engine(store, client, arm)
        cid = await confirmed(engine, 7)
        for _ in range(AUTO_SENDS + 1):  # each try waits out a quiet window
            status = await engine.send(cid)
        assert [c.state for c in status.chunks][1] is ChunkState.NOT_SENT
        assert status.state is CampaignState.PARTIAL
        assert status.chunks[1].attempts == AUTO_SENDS
        assert (await engine.send(cid)).state is CampaignState.PARTIAL
        assert (await provider(sandbox))[1]["SendMessages"] == 2 + AUTO_SENDS
        failing = False
        resent = await engine.resend(cid)
        assert resent.state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)
        assert resent.chunks[1].attempts == AUTO_SENDS + 1

    async def test_refused_connection_sends_nothing_and_resumes(
        self, store: SqliteStore, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cid = await confirmed(engine, 4)
        down = UsenditClient(endpoint=f"http://127.0.0.1:{port}/v1/remoteusendit.asmx")
        async with down:
            with pytest.raises(ProviderUnavailable):
                await make_engine(store, down).send(cid)
        status = await engine.status(cid)
        assert all(c.state is ChunkState.PENDING for c in status.chunks)
        assert (await engine.send(cid)).state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)

    async def test_refused_mid_campaign_goes_back_to_pending(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        down = UsenditClient(endpoint=f"http://127.0.0.1:{port}/v1/remoteusendit.asmx")
        await down.start()

        async def swap(point: str, chunk: Chunk) -> None:
            if point == "in_flight" and chunk.seq == 1:
                engine.chunks.client = down  # the part's SendMessages finds uSendit gone

        engine = make_engine(store, client, swap)
        cid = await confirmed(engine, 7)
        try:
            status = await engine.send(cid)
        finally:
            await down.stop()
        assert [c.state for c in status.chunks] == [
            ChunkState.ACCEPTED,
            ChunkState.PENDING,
            ChunkState.PENDING,
        ]
        assert status.campaign.reason == "PROVIDER_UNAVAILABLE"
        assert (await make_engine(store, client).send(cid)).state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)


class TestRecovery:
    @pytest.mark.parametrize("point", ["in_flight", "answered"])
    async def test_crash_then_recover_on_start(
        self,
        tmp_path: Path,
        client: UsenditClient,
        sandbox: SandboxServer,
        point: str,
    ) -> None:
        async def die(at: str, chunk: Chunk) -> None:
            if at == point and chunk.seq == 1:
                raise Crash

        async with SqliteStore(tmp_path / "crash.db") as first:
            engine = make_engine(first, client, die)
            cid = await confirmed(engine, 5)
            with pytest.raises(Crash):
                await engine.send(cid)
        async with SqliteStore(tmp_path / "crash.db") as second:
            engine = make_engine(second, client)
            assert [c.state for c in await second.unsettled_chunks()] == [ChunkState.IN_FLIGHT]
            await engine.reconciler.recover()
            assert await second.unsettled_chunks() == []
            status = await engine.status(cid)
            expected = ChunkState.NOT_SENT if point == "in_flight" else ChunkState.ACCEPTED
            assert status.chunks[1].state is expected
            if expected is ChunkState.NOT_SENT:
                await engine.resend(cid)
            final = await engine.send(cid)
            assert final.state is CampaignState.DONE
            await assert_exactly_once(engine, sandbox, cid)
            # Two chunks, each sent exactly once, whichever side of the call it died on.
            assert (await provider(sandbox))[1]["SendMessages"] == 2

    async def test_unknown_is_not_trusted_before_the_quiet_window(
        self, store: SqliteStore, client: UsenditClient
    ) -> None:
        async def die(at: str, chunk: Chunk) -> None:
            if at == "in_flight":
                raise Crash

        engine = make_engine(store, client, die, quiet=3600)
        cid = await confirmed(engine, 2)
        with pytest.raises(Crash):
            await engine.send(cid)
        (chunk,) = await store.chunks(cid)
        assert await engine.reconciler.settle(chunk) is ChunkState.IN_FLIGHT
        assert (await store.chunks(cid))[0].state is ChunkState.IN_FLIGHT
        assert (
            (await engine.reconciler.settle_campaign(cid, max_wait=0.1)).chunks[0].state.unsettled
        )

    async def test_an_old_look_never_overrides_a_resend(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        """A reconciliation pass that read the chunk before a resend began must not
        mark the resend NOT_SENT (which would invite a second, paid resend)."""
        stale: list[Chunk] = []

        async def crash_first_then_race(at: str, chunk: Chunk) -> None:
            if at != "in_flight":
                return
            if chunk.attempts == 1:
                stale.append(chunk)
                raise Crash
            # The resend is IN_FLIGHT; a slow pass now acts on its old copy.
            assert await engine.reconciler.settle(stale[0]) is ChunkState.IN_FLIGHT

        engine = make_engine(store, client, crash_first_then_race)
        cid = await confirmed(engine, 2)
        with pytest.raises(Crash):
            await engine.send(cid)
        await asyncio.sleep(0.35)  # past the quiet window
        assert await engine.reconciler.settle(stale[0]) is ChunkState.NOT_SENT
        final = await engine.resend(cid)
        assert final.state is CampaignState.DONE
        await assert_exactly_once(engine, sandbox, cid)
        assert final.chunks[0].attempts == 2

    async def test_resend_finds_a_late_event_instead_of_sending(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        engine = make_engine(store, client)
        cid = await confirmed(engine, 2)
        await engine.send(cid)
        (chunk,) = await store.chunks(cid)
        # Pretend an old pass judged it never sent, though uSendit has it.
        await store.settle_chunk(
            chunk.id, ChunkState.NOT_SENT, expected=[ChunkState.ACCEPTED], at=datetime.now(UTC)
        )
        final = await engine.resend(cid)
        assert final.state is CampaignState.DONE
        assert (await provider(sandbox))[1]["SendMessages"] == 1

    async def test_two_events_for_one_partner_id_are_a_duplicate(
        self,
        store: SqliteStore,
        client: UsenditClient,
        sandbox: SandboxServer,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        async def also_elsewhere(at: str, chunk: Chunk) -> None:
            if at == "answered":
                # Someone (a second replica, a late retry) sent the same chunk again.
                recipients = await store.recipients(chunk.campaign_id, 0, 0)
                await client.send_messages(
                    Credentials("demo", "demo"),
                    chunk.partner_event_id,
                    [Sms(msisdn=recipients[0].msisdn, text="dup")],
                )

        engine = make_engine(store, client, also_elsewhere)
        cid = await confirmed(engine, 2)
        await engine.send(cid)
        with caplog.at_level(logging.ERROR):
            status = await engine.reconciler.refresh(cid)
        (chunk,) = status.chunks
        assert chunk.state is ChunkState.DUPLICATE
        assert len(chunk.event_ids) == 2
        assert status.credits_spent == 3
        assert "DUPLICATE" in caplog.text or chunk.state is ChunkState.DUPLICATE
        events, _ = await provider(sandbox)
        assert sorted(events[chunk.partner_event_id]) == list(chunk.event_ids)
