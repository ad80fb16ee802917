"""One contract for every store backend (SQLite now; a second backend joins the params)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import SchemaMismatch, StoreError
from bot.records import CampaignPhase, ChunkResult, ChunkState, MessageOutcome, NewCampaign
from bot.store import Store
from storage.migrations import MIGRATIONS
from storage.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _draft(n: int = 5, key: str = "k1", chat: str = "console:1") -> NewCampaign:
    return NewCampaign(
        key=key,
        account="demo",
        created_by="console:me",
        chat=chat,
        text="Hello",
        sender="Shop",
        schedule_at=NOW + timedelta(days=1),
        segments=1,
        recipients=tuple(f"3519100000{i:02d}" for i in range(n)),
    )


@pytest.fixture(params=["sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    assert request.param == "sqlite"
    async with SqliteStore(tmp_path / "store.db") as backend:
        yield backend


class TestCampaigns:
    async def test_create_and_read_back(self, store: Store) -> None:
        created = await store.create_campaign(_draft(3))
        again = await store.get_campaign(created.id)
        assert again == created
        assert created.phase is CampaignPhase.DRAFT
        assert created.recipient_count == 3
        assert created.estimated_credits == 3
        assert created.schedule_at == NOW + timedelta(days=1)
        people = await store.recipients(created.id, 0, 10)
        assert [p.msisdn for p in people] == ["351910000000", "351910000001", "351910000002"]
        assert len({p.partner_msg_id for p in people}) == 3

    async def test_confirm_is_conditional(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft())
        assert await store.confirm_campaign(campaign.id, NOW) is True
        assert await store.confirm_campaign(campaign.id, NOW) is False
        assert await store.cancel_campaign(campaign.id) is False
        confirmed = await store.get_campaign(campaign.id)
        assert confirmed is not None
        assert confirmed.phase is CampaignPhase.CONFIRMED
        assert confirmed.confirmed_at == NOW

    async def test_concurrent_confirms_let_exactly_one_through(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft())
        results = await asyncio.gather(
            *(store.confirm_campaign(campaign.id, NOW) for _ in range(20))
        )
        assert results.count(True) == 1

    async def test_cancel_only_a_draft(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft())
        assert await store.cancel_campaign(campaign.id) is True
        assert await store.confirm_campaign(campaign.id, NOW) is False

    async def test_list_newest_first_per_chat(self, store: Store) -> None:
        a = await store.create_campaign(_draft(key="a", chat="x"))
        b = await store.create_campaign(_draft(key="b", chat="y"))
        c = await store.create_campaign(_draft(key="c", chat="x"))
        assert [x.id for x in await store.list_campaigns(chat="x")] == [c.id, a.id]
        assert [x.id for x in await store.list_campaigns(limit=2)] == [c.id, b.id]

    async def test_naive_times_are_refused(self, store: Store) -> None:
        with pytest.raises(StoreError):
            await store.confirm_campaign(1, datetime(2026, 1, 1))  # noqa: DTZ001


class TestChunks:
    async def test_plan_once_covering_every_recipient(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(7))
        with pytest.raises(StoreError):
            await store.plan_chunks(campaign.id, 3, NOW)  # still a draft
        await store.confirm_campaign(campaign.id, NOW)
        chunks = await store.plan_chunks(campaign.id, 3, NOW)
        assert [(c.first_recipient, c.last_recipient) for c in chunks] == [(0, 2), (3, 5), (6, 6)]
        assert all(c.state is ChunkState.PENDING for c in chunks)
        assert len({c.partner_event_id for c in chunks}) == 3
        assert await store.plan_chunks(campaign.id, 2, NOW) == chunks

    async def test_transitions_are_conditional(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(2))
        await store.confirm_campaign(campaign.id, NOW)
        (chunk,) = await store.plan_chunks(campaign.id, 10, NOW)
        assert await store.begin_send(chunk.id, [ChunkState.PENDING], NOW) is True
        assert await store.begin_send(chunk.id, [ChunkState.PENDING], NOW) is False
        assert [c.id for c in await store.unsettled_chunks()] == [chunk.id]
        people = await store.recipients(campaign.id, 0, 1)
        result = ChunkResult(
            event_ids=(41,),
            accepted=1,
            rejected=1,
            credits_spent=1,
            status="SCHEDULE_OK_WARNING",
            messages=(
                MessageOutcome(people[0].partner_msg_id, people[0].msisdn, 7, "SCHEDULED", 1),
            ),
        )
        ok = await store.settle_chunk(
            chunk.id, ChunkState.ACCEPTED, expected=[ChunkState.IN_FLIGHT], at=NOW, result=result
        )
        assert ok is True
        again = await store.settle_chunk(
            chunk.id, ChunkState.NOT_SENT, expected=[ChunkState.IN_FLIGHT], at=NOW
        )
        assert again is False
        stored = await store.get_chunk(chunk.id)
        assert stored is not None
        assert stored.state is ChunkState.ACCEPTED
        assert stored.attempts == 1
        assert stored.event_ids == (41,)
        assert (stored.accepted, stored.rejected, stored.credits_spent) == (1, 1, 1)
        assert await store.unsettled_chunks() == []
        assert await store.message_outcomes(campaign.id) == list(result.messages)
        found = await store.find_campaign_by_event(41)
        assert found is not None
        assert found.id == campaign.id


class TestSqliteFile:
    async def test_pragmas_and_schema_version(self, tmp_path: Path) -> None:
        path = tmp_path / "s.db"
        async with SqliteStore(path):
            pass
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        raw.close()

    async def test_newer_schema_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "s.db"
        async with SqliteStore(path):
            pass
        raw = sqlite3.connect(path)
        raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
        raw.commit()
        raw.close()
        with pytest.raises(SchemaMismatch):
            await SqliteStore(path).start()

    async def test_survives_reopen(self, tmp_path: Path) -> None:
        path = tmp_path / "s.db"
        async with SqliteStore(path) as first:
            campaign = await first.create_campaign(_draft())
            await first.confirm_campaign(campaign.id, NOW)
        async with SqliteStore(path) as second:
            again = await second.get_campaign(campaign.id)
        assert again is not None
        assert again.phase is CampaignPhase.CONFIRMED
