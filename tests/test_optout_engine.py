"""The opt-out list at the engine, against the sandbox (real HTTP) and SQLite on disk:
a number on the list never reaches any SendMessages, even one put there after the
draft was made, after Confirm, or while its own chunk was being committed.

What reached uSendit is read from the sandbox's own records (``/_sandbox/state``:
every event and every message it took), not from what the bot says.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sandbox_api import arm_fault, sandbox_state

from bot.campaign_report import campaign_reply
from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.errors import CampaignError
from bot.exclusions import ALL_EXCLUDED, EveryoneOptedOut
from bot.i18n import explain, translate
from bot.records import Chunk, ChunkState, Work
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def resolve(username: str) -> Credentials:
    return Credentials(username, {"demo": "demo", "rich": "rich-pass"}[username])


def numbers(n: int) -> list[str]:
    return [f"35191{i:07d}" for i in range(n)]


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(
        host="127.0.0.1", port=0, accounts=["rich:rich-pass:100000"]
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


def make_engine(store: SqliteStore, client: UsenditClient, **kw: Any) -> CampaignEngine:
    return CampaignEngine(
        store,
        client,
        resolve,
        chunk_size=3,
        quiet_window=timedelta(seconds=0.3),
        poll_interval=0.05,
        **kw,
    )


async def reached(sandbox: SandboxServer) -> list[str]:
    """Every number any SendMessages carried to the sandbox, in order (accepted or not)."""
    state = await sandbox_state(sandbox.url)
    return [m["msisdn"] for event in state["events"] for m in event["messages"]]


async def draft(engine: CampaignEngine, people: list[str], account: str = "demo") -> int:
    campaign = await engine.create(
        account=account, created_by="console:me", chat="console", text="Promo", recipients=people
    )
    return campaign.id


class TestAtDrafting:
    async def test_a_listed_number_is_left_out_of_the_draft(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        engine = make_engine(store, client)
        people = numbers(5)
        await store.add_opt_outs("demo", [people[1], people[3]], "console:me", NOW)
        cid = await draft(engine, ["+" + people[1], *people])  # the "+" form is the same number
        campaign = await store.get_campaign(cid)
        assert campaign is not None
        assert (campaign.recipient_count, campaign.opted_out) == (3, 2)
        assert campaign.estimated_credits == 3
        kept = [r.msisdn for r in await store.recipients(cid, 0, 10)]
        assert kept == [people[0], people[2], people[4]]
        assert await engine.confirm(cid)
        status = await engine.send(cid)
        assert status.state is CampaignState.DONE
        assert (status.accepted, status.excluded, status.rejected) == (3, 2, 0)
        assert await reached(sandbox) == kept

    async def test_the_list_is_the_account_s_own(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        engine = make_engine(store, client)
        people = numbers(2)
        await store.add_opt_outs("demo", [people[0]], "console:me", NOW)
        cid = await draft(engine, people, account="rich")  # another account: not on its list
        assert await engine.confirm(cid)
        await engine.send(cid)
        assert await reached(sandbox) == people

    async def test_a_draft_of_listed_numbers_only_is_refused(
        self, store: SqliteStore, client: UsenditClient
    ) -> None:
        engine = make_engine(store, client)
        await store.add_opt_outs("demo", numbers(2), "console:me", NOW)
        with pytest.raises(EveryoneOptedOut) as refused:
            await draft(engine, numbers(2))
        assert refused.value.count == 2
        assert isinstance(refused.value, CampaignError)
        assert await store.list_campaigns() == []


class TestAtSending:
    async def test_a_number_listed_after_the_draft_never_reaches_uSendit(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        engine = make_engine(store, client)
        people = numbers(7)  # chunks of 3: [0 1 2] [3 4 5] [6]
        cid = await draft(engine, people)
        assert await engine.confirm(cid)
        late = [people[1], people[5]]
        await store.add_opt_outs("demo", late, "console:me", NOW)  # after Confirm, too
        status = await engine.send(cid)
        got = await reached(sandbox)
        assert sorted(got) == sorted(set(people) - set(late))
        assert not set(late) & set(got)
        assert status.state is CampaignState.DONE
        assert (status.accepted, status.rejected, status.excluded) == (5, 0, 2)
        assert [c.excluded for c in status.chunks] == [1, 1, 0]
        assert [r.msisdn for r in await store.excluded_recipients(cid)] == late
        assert status.credits_spent == 5

    async def test_one_listed_while_its_own_chunk_is_committed_is_left_out(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        people = numbers(6)

        async def list_one(point: str, chunk: Chunk) -> None:
            # The chunk is IN_FLIGHT, its Sms list not built yet: the list is asked now.
            if point == "in_flight" and chunk.seq == 1:
                await store.add_opt_outs("demo", [people[4]], "console:me", NOW)

        engine = make_engine(store, client, checkpoint=list_one)
        cid = await draft(engine, people)
        assert await engine.confirm(cid)
        status = await engine.send(cid)
        assert people[4] not in await reached(sandbox)
        assert len(await reached(sandbox)) == 5
        assert status.excluded == 1

    async def test_a_chunk_of_listed_numbers_only_makes_no_call(
        self, store: SqliteStore, client: UsenditClient, sandbox: SandboxServer
    ) -> None:
        engine = make_engine(store, client)
        people = numbers(5)  # chunks [0 1 2] [3 4]
        cid = await draft(engine, people)
        assert await engine.confirm(cid)
        await store.add_opt_outs("demo", people[3:], "console:me", NOW)
        status = await engine.send(cid)
        state = await sandbox_state(sandbox.url)
        assert state["calls"]["SendMessages"] == 1
        assert await reached(sandbox) == people[:3]
        second = status.chunks[1]
        assert (second.state, second.event_ids, second.status) == (
            ChunkState.ACCEPTED,
            (),
            ALL_EXCLUDED,
        )
        assert status.state is CampaignState.DONE
        assert (status.accepted, status.rejected, status.credits_spent) == (3, 0, 3)
        # /status refreshes a done campaign from uSendit: a part that made no call has no
        # event, and that is no duplicate.
        refreshed = await engine.reconciler.refresh(cid)
        assert [c.state for c in refreshed.chunks] == [ChunkState.ACCEPTED] * 2
        assert refreshed.excluded == 2

    async def test_an_excluded_number_stays_out_of_a_resend(
        self,
        store: SqliteStore,
        client: UsenditClient,
        sandbox: SandboxServer,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Its chunk fails before uSendit takes it (HTTP 500, nothing committed), is found
        never sent after the quiet window and goes again with the same partnerEventId; the
        number has left the list meanwhile, and still is not sent: the campaign recorded it
        as excluded."""
        people = numbers(3)
        first = True

        async def fail_once(point: str, chunk: Chunk) -> None:
            nonlocal first
            if point == "in_flight" and first:
                first = False
                await arm_fault(sandbox.url, operation="SendMessages", mode="http_500")

        engine = make_engine(store, client, checkpoint=fail_once)
        cid = await draft(engine, people)
        assert await engine.confirm(cid)
        await store.add_opt_outs("demo", [people[0]], "console:me", NOW)
        unsure = await engine.run(cid, Work.SEND)
        assert not unsure.done
        assert await store.remove_opt_outs("demo", [people[0]]) == 1
        with caplog.at_level(logging.WARNING):
            status = await engine.send(cid)
        assert status.chunks[0].attempts == 2
        assert status.state is CampaignState.DONE
        assert await reached(sandbox) == people[1:]
        assert status.excluded == 1


def test_status_counts_excluded_apart_from_rejected() -> None:
    """How /status words it: accepted, rejected, and the excluded on a line of their own."""
    from bot.campaign_status import combine
    from bot.records import Campaign, CampaignPhase

    campaign = Campaign(
        id=3, key="k", account="demo", created_by="c", chat="c", text="Hi", sender=None,
        schedule_at=None, segments=1, recipient_count=4, phase=CampaignPhase.CONFIRMED,
        reason=None, created_at=NOW, confirmed_at=NOW, opted_out=2,
    )  # fmt: skip
    chunk = Chunk(
        id=1, campaign_id=3, seq=0, partner_event_id="k-c0", first_recipient=0,
        last_recipient=3, state=ChunkState.REJECTED, attempts=1, event_ids=(), accepted=0,
        rejected=0, credits_spent=0, status="SMS_LIST_ALL_RECIPIENTS_INVALID", reason=None,
        sent_at=NOW, updated_at=NOW, excluded=1,
    )  # fmt: skip
    status = combine(campaign, [chunk])
    assert (status.rejected, status.excluded) == (3, 3)
    words = campaign_reply(
        lambda key, **p: translate("en", key, **p),
        lambda s: explain("en", s),
        status,
        {},
        "Europe/Lisbon",
        now=NOW,
        may_send=True,
    ).text
    assert "rejected: 3" in words
    assert "Excluded: 3 numbers on the opt-out list" in words
    pt = campaign_reply(
        lambda key, **p: translate("pt", key, **p),
        lambda s: explain("pt", s),
        status,
        {},
        "Europe/Lisbon",
        now=NOW,
        may_send=True,
    ).text
    assert "Excluídos: 3 números da lista de exclusão" in pt
