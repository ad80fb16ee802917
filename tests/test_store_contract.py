"""One contract for every store backend: each test runs on SQLite and on PostgreSQL.

The ``store`` fixture is parametrised over both backends; ``replicas`` adds a
second store on the same database, as a second replica has one. PostgreSQL
runs on a throwaway cluster (``tests/pg_cluster.py``) or
``TEST_DATABASE_URL``, one fresh database per test. Times are explicit
(``NOW`` and offsets from it), so leases and pauses are decided by the
arguments, never by the clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import psycopg
import pytest
from pg_cluster import free_port, with_database
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bot.errors import SchemaMismatch, StoreError
from bot.records import (
    AccountLink,
    CampaignPhase,
    ChunkResult,
    ChunkState,
    DraftChange,
    Job,
    MessageOutcome,
    NewCampaign,
    Work,
)
from bot.store import Store
from storage.migrations import MIGRATIONS
from storage.postgres import PostgresStore
from storage.postgres_migrations import MIGRATIONS as PG_MIGRATIONS
from storage.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
TICK = timedelta(microseconds=1)

OpenStore = Callable[[], Store]


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


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> OpenStore:
    """Makes a store (not started) on this test's database; every call makes another."""
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return lambda: PostgresStore(url)


@pytest.fixture
async def store(open_store: OpenStore) -> AsyncIterator[Store]:
    async with open_store() as backend:
        yield backend


@pytest.fixture
async def replicas(
    request: pytest.FixtureRequest, open_store: OpenStore, store: Store
) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores on one database, as two replicas have: two pools on PostgreSQL.

    SQLite carries one process (DESIGN.md), so there both are the one store.
    """
    if request.node.callspec.params.get("open_store") == "sqlite":
        yield store, store
        return
    async with open_store() as second:
        yield store, second


async def _confirmed(store: Store, key: str = "k1", chat: str = "console:1", n: int = 3) -> int:
    campaign = await store.create_campaign(_draft(n, key=key, chat=chat))
    assert await store.confirm_campaign(campaign.id, NOW) is True
    return campaign.id


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

    async def test_a_draft_is_edited_in_place(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(3))
        assert campaign.revision == 0
        change = DraftChange(text="Olá de novo", sender=None, schedule_at=None, segments=1)
        edited = await store.update_draft(campaign.id, change)
        assert edited is not None
        assert (edited.id, edited.revision, edited.text, edited.sender) == (
            campaign.id,
            1,
            "Olá de novo",
            None,
        )
        assert edited.schedule_at is None
        assert edited.recipient_count == 3
        assert await store.get_campaign(campaign.id) == edited
        assert [c.id for c in await store.list_campaigns(chat="console:1")] == [campaign.id]

    async def test_a_draft_keeps_its_delivery_window(self, store: Store) -> None:
        window = "Europe/Madrid 09:00-20:00 working days"
        campaign = await store.create_campaign(dataclasses.replace(_draft(2), window=window))
        assert campaign.window == window
        assert (await store.get_campaign(campaign.id)) == campaign
        later = DraftChange(
            text="Hello",
            sender=None,
            schedule_at=None,
            segments=1,
            window="Europe/Lisbon 10:00-12:00",
        )
        edited = await store.update_draft(campaign.id, later)
        assert edited is not None
        assert edited.window == "Europe/Lisbon 10:00-12:00"
        change = DraftChange(text="Hello", sender=None, schedule_at=None, segments=1)
        cleared = await store.update_draft(campaign.id, change)
        assert cleared is not None
        assert cleared.window is None
        assert (await store.create_campaign(_draft(1, key="k2"))).window is None

    async def test_confirm_names_the_revision_it_previewed(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft())
        change = DraftChange(text="Changed", sender="Shop", schedule_at=None, segments=1)
        assert await store.update_draft(campaign.id, change) is not None
        assert await store.confirm_campaign(campaign.id, NOW, revision=0) is False
        assert await store.confirm_campaign(campaign.id, NOW, revision=1) is True
        assert await store.update_draft(campaign.id, change) is None  # no longer a draft
        confirmed = await store.get_campaign(campaign.id)
        assert confirmed is not None
        assert (confirmed.text, confirmed.revision) == ("Changed", 1)

    async def test_a_draft_without_a_text_is_not_confirmed(self, store: Store) -> None:
        campaign = await store.create_campaign(dataclasses.replace(_draft(), text="", segments=0))
        assert await store.confirm_campaign(campaign.id, NOW) is False
        change = DraftChange(text="Now a text", sender=None, schedule_at=None, segments=1)
        assert await store.update_draft(campaign.id, change) is not None
        assert await store.confirm_campaign(campaign.id, NOW) is True

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
                MessageOutcome(people[1].partner_msg_id, people[1].msisdn, 0, "MSISDN_INVALID", 0),
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
        assert await store.message_outcomes(campaign.id) == sorted(
            result.messages, key=lambda o: (o.msg_id, o.partner_msg_id)
        )
        assert await store.chunk_outcomes(chunk.id) == await store.message_outcomes(campaign.id)
        assert await store.refusal_counts(campaign.id) == {"MSISDN_INVALID": 1}
        assert await store.refusal_counts(404) == {}
        found = await store.find_campaign_by_event(41)
        assert found is not None
        assert found.id == campaign.id


class TestCampaignRecords:
    async def test_partner_ids_are_the_key_and_the_seq(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(5, key="promo-7"))
        people = await store.recipients(campaign.id, 0, 10)
        assert [p.partner_msg_id for p in people] == [f"promo-7-{i}" for i in range(5)]
        await store.confirm_campaign(campaign.id, NOW)
        chunks = await store.plan_chunks(campaign.id, 2, NOW)
        assert [c.partner_event_id for c in chunks] == ["promo-7-c0", "promo-7-c1", "promo-7-c2"]

    async def test_recipients_by_inclusive_range(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(6))
        people = await store.recipients(campaign.id, 2, 4)
        assert [(p.seq, p.msisdn) for p in people] == [
            (2, "351910000002"),
            (3, "351910000003"),
            (4, "351910000004"),
        ]
        assert await store.recipients(campaign.id + 1, 0, 10) == []

    async def test_a_hundred_thousand_recipients(self, store: Store) -> None:
        numbers = tuple(f"35191{i:07d}" for i in range(100_000))
        draft = NewCampaign(
            key="big",
            account="demo",
            created_by="console:me",
            chat="console:1",
            text="Hi",
            sender=None,
            schedule_at=None,
            segments=2,
            recipients=numbers,
        )
        campaign = await store.create_campaign(draft)
        assert campaign.recipient_count == 100_000
        assert campaign.estimated_credits == 200_000
        assert campaign.schedule_at is None
        assert campaign.sender is None
        tail = await store.recipients(campaign.id, 99_998, 200_000)
        assert [(p.seq, p.msisdn, p.partner_msg_id) for p in tail] == [
            (99_998, numbers[99_998], "big-99998"),
            (99_999, numbers[99_999], "big-99999"),
        ]
        assert len(await store.recipients(campaign.id, 0, 99_999)) == 100_000

    async def test_a_draft_asks_nothing_and_a_confirmed_one_asks_to_send(
        self, store: Store
    ) -> None:
        campaign = await store.create_campaign(_draft())
        assert campaign.work is None
        assert campaign.lease_owner is None
        assert campaign.lease_expires is None
        assert await store.pending_jobs() == 0
        await store.confirm_campaign(campaign.id, NOW)
        confirmed = await store.get_campaign(campaign.id)
        assert confirmed is not None
        assert confirmed.work is Work.SEND
        assert await store.pending_jobs() == 1

    async def test_unknown_ids(self, store: Store) -> None:
        assert await store.get_campaign(404) is None
        assert await store.find_campaign_by_event(404) is None
        assert await store.get_chunk(404) is None
        assert await store.chunks(404) == []
        assert await store.message_outcomes(404) == []
        assert await store.confirm_campaign(404, NOW) is False
        assert await store.cancel_campaign(404) is False

    async def test_list_one_persons_campaigns(self, store: Store) -> None:
        mine = await store.create_campaign(_draft(key="a"))
        theirs = await store.create_campaign(
            dataclasses.replace(_draft(key="b"), created_by="slack:T1/U2")
        )
        assert [c.id for c in await store.list_campaigns(created_by="console:me")] == [mine.id]
        assert [c.id for c in await store.list_campaigns(created_by="slack:T1/U2")] == [theirs.id]
        assert await store.list_campaigns(chat="console:1", created_by="nobody") == []
        assert await store.list_campaigns(limit=0) == []

    async def test_reason_set_and_cleared(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft())
        await store.set_campaign_reason(campaign.id, "insufficient_credits")
        found = await store.get_campaign(campaign.id)
        assert found is not None
        assert found.reason == "insufficient_credits"
        await store.set_campaign_reason(campaign.id, None)
        found = await store.get_campaign(campaign.id)
        assert found is not None
        assert found.reason is None

    async def test_times_come_back_as_the_same_instant(self, store: Store) -> None:
        lisbon_summer = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=UTC).astimezone(
            ZoneInfo("Europe/Lisbon")
        )
        campaign = await store.create_campaign(
            dataclasses.replace(_draft(), schedule_at=lisbon_summer)
        )
        assert campaign.schedule_at == lisbon_summer
        assert campaign.created_at.utcoffset() == timedelta(0)


class TestChunkGuards:
    async def test_plan_needs_a_campaign_and_a_size(self, store: Store) -> None:
        with pytest.raises(StoreError):
            await store.plan_chunks(404, 10, NOW)
        campaign_id = await _confirmed(store)
        with pytest.raises(StoreError):
            await store.plan_chunks(campaign_id, 0, NOW)
        assert await store.chunks(campaign_id) == []

    async def test_concurrent_plans_cut_once(self, replicas: tuple[Store, Store]) -> None:
        first, second = replicas
        campaign_id = await _confirmed(first, n=10)
        plans = await asyncio.gather(
            *((first if i % 2 else second).plan_chunks(campaign_id, 3, NOW) for i in range(6))
        )
        assert all(plan == plans[0] for plan in plans)
        assert [(c.seq, c.first_recipient, c.last_recipient) for c in plans[0]] == [
            (0, 0, 2),
            (1, 3, 5),
            (2, 6, 8),
            (3, 9, 9),
        ]
        assert await first.chunks(campaign_id) == plans[0]

    async def test_a_decision_on_an_older_attempt_is_ignored(self, store: Store) -> None:
        campaign_id = await _confirmed(store, n=2)
        (chunk,) = await store.plan_chunks(campaign_id, 10, NOW)
        assert await store.begin_send(chunk.id, [ChunkState.PENDING], NOW)
        later = NOW + timedelta(minutes=1)
        assert await store.settle_chunk(
            chunk.id, ChunkState.NOT_SENT, expected=[ChunkState.IN_FLIGHT], at=later, attempt=1
        )
        assert await store.begin_send(chunk.id, [ChunkState.NOT_SENT], later)
        stale = await store.settle_chunk(
            chunk.id, ChunkState.NOT_SENT, expected=[ChunkState.IN_FLIGHT], at=later, attempt=1
        )
        assert stale is False
        fresh = await store.settle_chunk(
            chunk.id,
            ChunkState.UNKNOWN,
            expected=[ChunkState.IN_FLIGHT],
            at=later,
            attempt=2,
            status="TIMEOUT",
            reason="no_answer",
        )
        assert fresh is True
        stored = await store.get_chunk(chunk.id)
        assert stored is not None
        assert (stored.state, stored.attempts, stored.status, stored.reason) == (
            ChunkState.UNKNOWN,
            2,
            "TIMEOUT",
            "no_answer",
        )
        assert stored.sent_at == later
        assert stored.updated_at == later
        # Without a status the one stored stays.
        assert await store.settle_chunk(
            chunk.id, ChunkState.NOT_SENT, expected=[ChunkState.UNKNOWN], at=later
        )
        stored = await store.get_chunk(chunk.id)
        assert stored is not None
        assert (stored.status, stored.reason) == ("TIMEOUT", None)

    async def test_outcomes_replaced_not_repeated(self, store: Store) -> None:
        campaign_id = await _confirmed(store, n=2)
        (chunk,) = await store.plan_chunks(campaign_id, 10, NOW)
        people = await store.recipients(campaign_id, 0, 1)
        await store.begin_send(chunk.id, [ChunkState.PENDING], NOW)

        def result(status: str) -> ChunkResult:
            return ChunkResult(
                event_ids=(900, 77),
                accepted=2,
                rejected=0,
                credits_spent=2,
                status="OK",
                messages=tuple(
                    MessageOutcome(p.partner_msg_id, p.msisdn, 10 + p.seq, status, 1)
                    for p in people
                ),
            )

        assert await store.settle_chunk(
            chunk.id,
            ChunkState.UNKNOWN,
            expected=[ChunkState.IN_FLIGHT],
            at=NOW,
            result=result("SCHEDULED"),
        )
        assert await store.settle_chunk(
            chunk.id,
            ChunkState.ACCEPTED,
            expected=[ChunkState.UNKNOWN],
            at=NOW,
            result=result("DELIVERED"),
        )
        assert await store.message_outcomes(campaign_id) == list(result("DELIVERED").messages)
        stored = await store.get_chunk(chunk.id)
        assert stored is not None
        assert stored.event_ids == (77, 900)
        for event_id in (77, 900):
            found = await store.find_campaign_by_event(event_id)
            assert found is not None
            assert found.id == campaign_id

    async def test_unsettled_of_every_campaign_in_order(self, store: Store) -> None:
        first = await _confirmed(store, key="a", n=4)
        second = await _confirmed(store, key="b", n=2)
        a = await store.plan_chunks(first, 2, NOW)
        b = await store.plan_chunks(second, 2, NOW)
        for chunk in (b[0], a[1], a[0]):
            await store.begin_send(chunk.id, [ChunkState.PENDING], NOW)
        await store.settle_chunk(
            a[0].id, ChunkState.UNKNOWN, expected=[ChunkState.IN_FLIGHT], at=NOW
        )
        unsettled = await store.unsettled_chunks()
        assert [c.id for c in unsettled] == [a[0].id, a[1].id, b[0].id]
        assert [c.state for c in unsettled] == [
            ChunkState.UNKNOWN,
            ChunkState.IN_FLIGHT,
            ChunkState.IN_FLIGHT,
        ]


class TestClaims:
    async def test_an_event_is_claimed_once(self, store: Store) -> None:
        assert await store.claim("telegram:update:1", NOW) is True
        assert await store.claim("telegram:update:1", NOW + timedelta(hours=1)) is False
        assert await store.claim("telegram:update:2", NOW) is True

    async def test_claims_older_than_a_moment_are_forgotten(self, store: Store) -> None:
        assert await store.claim("old:1", NOW - timedelta(days=2)) is True
        assert await store.claim("old:2", NOW - timedelta(days=1, seconds=1)) is True
        assert await store.claim("new:1", NOW - timedelta(hours=23)) is True
        assert await store.prune_claims(NOW - timedelta(days=1)) == 2
        assert await store.prune_claims(NOW - timedelta(days=1)) == 0
        assert await store.claim("old:1", NOW) is True  # forgotten: a new event may reuse it
        assert await store.claim("new:1", NOW) is False

    async def test_concurrent_claims_let_exactly_one_through(
        self, replicas: tuple[Store, Store]
    ) -> None:
        first, second = replicas
        results = await asyncio.gather(
            *((first if i % 2 else second).claim("slack:Ev1", NOW) for i in range(10))
        )
        assert results.count(True) == 1


class TestConversations:
    async def test_saved_read_replaced_cleared(self, store: Store) -> None:
        assert await store.get_conversation("telegram:1:2") is None
        data = {
            "step": "text",
            "numbers": ["351910000001", "351910000002"],
            "nested": {"ok": True, "none": None, "ratio": 0.25, "count": 3},
            "text": "Olá, já chegou 🎉",
        }
        await store.save_conversation("telegram:1:2", "send", data, NOW)
        found = await store.get_conversation("telegram:1:2")
        assert found is not None
        assert (found.key, found.name, found.data, found.updated_at) == (
            "telegram:1:2",
            "send",
            data,
            NOW,
        )
        later = NOW + timedelta(minutes=5)
        await store.save_conversation("telegram:1:2", "link", {"step": "user"}, later)
        found = await store.get_conversation("telegram:1:2")
        assert found is not None
        assert (found.name, found.data, found.updated_at) == ("link", {"step": "user"}, later)
        await store.clear_conversation("telegram:1:2")
        assert await store.get_conversation("telegram:1:2") is None
        await store.clear_conversation("telegram:1:2")  # clearing twice is harmless

    async def test_one_per_key(self, store: Store) -> None:
        await store.save_conversation("a", "send", {"n": 1}, NOW)
        await store.save_conversation("b", "send", {"n": 2}, NOW)
        await store.clear_conversation("a")
        found = await store.get_conversation("b")
        assert found is not None
        assert found.data == {"n": 2}


class TestAccounts:
    async def test_secret_kept_and_replaced(self, store: Store) -> None:
        assert await store.account_secret("demo") is None
        secret = bytes(range(256))
        await store.save_account("demo", secret, NOW)
        assert await store.account_secret("demo") == secret
        await store.save_account("demo", b"gAAAAnewer", NOW + timedelta(days=1))
        assert await store.account_secret("demo") == b"gAAAAnewer"

    async def test_links(self, store: Store) -> None:
        await store.save_account("demo", b"s1", NOW)
        await store.save_account("shop", b"s2", NOW)
        assert await store.linked_account("telegram:42") is None
        await store.link("telegram:42", "demo", NOW)
        await store.link("slack:T1/U1", "demo", NOW)
        assert await store.linked_account("telegram:42") == "demo"
        await store.link("telegram:42", "shop", NOW)
        assert await store.linked_account("telegram:42") == "shop"
        assert await store.linked_account("slack:T1/U1") == "demo"
        assert await store.unlink("telegram:42") is True
        assert await store.unlink("telegram:42") is False
        assert await store.linked_account("telegram:42") is None

    async def test_a_link_needs_a_known_account(self, store: Store) -> None:
        with pytest.raises(StoreError):
            await store.link("telegram:42", "nobody", NOW)
        assert await store.linked_account("telegram:42") is None


class TestPreferences:
    async def test_set_read_overwrite(self, store: Store) -> None:
        assert await store.get_preference("telegram:42", "language") is None
        await store.set_preference("telegram:42", "language", "pt")
        await store.set_preference("telegram:42", "timezone", "Europe/Lisbon")
        await store.set_preference("slack:T1/U1", "language", "es")
        assert await store.get_preference("telegram:42", "language") == "pt"
        await store.set_preference("telegram:42", "language", "en")
        assert await store.get_preference("telegram:42", "language") == "en"
        assert await store.get_preference("telegram:42", "timezone") == "Europe/Lisbon"
        assert await store.get_preference("slack:T1/U1", "language") == "es"

    async def test_a_turn_s_context_is_read_at_once(self, store: Store) -> None:
        empty = await store.turn_context("telegram:42", "telegram:42:42")
        assert (empty.lang, empty.timezone, empty.wizard) == (None, None, None)
        await store.set_preference("telegram:42", "lang", "pt")
        await store.set_preference("telegram:42", "timezone", "Atlantic/Azores")
        await store.set_preference("telegram:7", "lang", "es")  # another person's
        await store.save_conversation("telegram:42:42", "send", {"step": "text"}, NOW)
        context = await store.turn_context("telegram:42", "telegram:42:42")
        assert (context.lang, context.timezone) == ("pt", "Atlantic/Azores")
        assert context.wizard is not None
        assert (context.wizard.name, context.wizard.data, context.wizard.updated_at) == (
            "send", {"step": "text"}, NOW,
        )  # fmt: skip
        elsewhere = await store.turn_context("telegram:42", "telegram:42:-100")
        assert (elsewhere.lang, elsewhere.wizard) == ("pt", None)
        unasked = await store.turn_context("telegram:42", None)  # a button: no wizard looked for
        assert (unasked.timezone, unasked.wizard) == ("Atlantic/Azores", None)

    async def test_a_turn_begins_once_with_its_context(self, store: Store) -> None:
        await store.set_preference("telegram:42", "lang", "es")
        await store.save_conversation("telegram:42:42", "login", {"step": "password"}, NOW)
        begun = await store.begin_turn("u1", NOW, "telegram:42", "telegram:42:42")
        assert begun is not None
        assert (begun.lang, begun.timezone) == ("es", None)
        assert begun.wizard is not None
        assert (begun.wizard.name, begun.wizard.data) == ("login", {"step": "password"})
        assert await store.begin_turn("u1", NOW, "telegram:42", "telegram:42:42") is None
        assert not await store.claim("u1", NOW)  # the same claim as claim()'s
        pressed = await store.begin_turn("u2", NOW, "telegram:42", None)
        assert pressed is not None
        assert pressed.wizard is None

    async def test_a_turn_s_context_holds_the_account_its_person_acts_with(
        self, store: Store
    ) -> None:
        alone = await store.begin_turn("u1", NOW, "telegram:42", None)
        assert alone is not None
        assert alone.link == AccountLink(None, None)
        await store.save_account("ana", b"sealed-ana", NOW)
        await store.save_account("rui", b"sealed-rui", NOW)
        await store.link("telegram:42", "ana", NOW)
        await store.link("telegram:7", "rui", NOW)  # another person's
        linked = await store.begin_turn("u2", NOW, "telegram:42", "telegram:42:42")
        assert linked is not None
        assert linked.link == AccountLink("ana", b"sealed-ana")
        assert "sealed-ana" not in repr(linked)  # a context logged never shows it
        assert (await store.turn_context("telegram:42", None)).link == linked.link
        await store.unlink("telegram:42")
        assert (await store.turn_context("telegram:42", None)).link == AccountLink(None, None)


class TestWorkQueue:
    async def test_claim_takes_a_confirmed_campaign(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job == Job(campaign_id, Work.SEND, 1, "w1", NOW + LEASE, 0)
        leased = await store.get_campaign(campaign_id)
        assert leased is not None
        assert (leased.work, leased.lease_owner, leased.lease_expires) == (
            Work.SEND,
            "w1",
            NOW + LEASE,
        )

    async def test_nothing_to_claim(self, store: Store) -> None:
        assert await store.claim_job("w1", NOW, LEASE) is None
        await store.create_campaign(_draft(key="draft"))
        cancelled = await store.create_campaign(_draft(key="cancelled"))
        await store.cancel_campaign(cancelled.id)
        assert await store.claim_job("w1", NOW, LEASE) is None
        assert await store.pending_jobs() == 0

    async def test_oldest_first_and_one_each(self, store: Store) -> None:
        first = await _confirmed(store, key="a")
        second = await _confirmed(store, key="b")
        one = await store.claim_job("w1", NOW, LEASE)
        two = await store.claim_job("w2", NOW, LEASE)
        assert one is not None
        assert two is not None
        assert (one.campaign_id, two.campaign_id) == (first, second)
        assert await store.claim_job("w3", NOW, LEASE) is None

    async def test_an_expired_lease_is_taken_over(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        first = await store.claim_job("w1", NOW, LEASE)
        assert first is not None
        assert await store.claim_job("w2", NOW + LEASE - TICK, LEASE) is None
        second = await store.claim_job("w2", NOW + LEASE, LEASE)
        assert second == Job(campaign_id, Work.SEND, 1, "w2", NOW + 2 * LEASE, 0)
        # The first owner lost it: it can neither renew nor release.
        assert await store.renew_job(campaign_id, "w1", NOW + LEASE, LEASE) is False
        assert await store.release_job(first, NOW + LEASE, done=True) is False
        assert await store.pending_jobs() == 1
        assert await store.release_job(second, NOW + LEASE, done=True) is True
        assert await store.pending_jobs() == 0

    async def test_renew_extends_the_lease(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        await store.claim_job("w1", NOW, LEASE)
        renewed_at = NOW + timedelta(seconds=20)
        assert await store.renew_job(campaign_id, "w1", renewed_at, LEASE) is True
        assert await store.claim_job("w2", NOW + LEASE, LEASE) is None
        assert await store.claim_job("w2", renewed_at + LEASE - TICK, LEASE) is None
        taken = await store.claim_job("w2", renewed_at + LEASE, LEASE)
        assert taken is not None
        assert taken.owner == "w2"
        assert await store.renew_job(campaign_id, "nobody", NOW, LEASE) is False

    async def test_done_clears_the_work(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert await store.release_job(job, NOW + timedelta(seconds=5), done=True) is True
        released = await store.get_campaign(campaign_id)
        assert released is not None
        assert (released.work, released.lease_owner, released.lease_expires) == (None, None, None)
        assert await store.claim_job("w1", NOW + timedelta(days=1), LEASE) is None
        assert await store.pending_jobs() == 0
        # Released once: a second release is not the owner's any more.
        assert await store.release_job(job, NOW, done=True) is False

    async def test_done_on_an_old_generation_keeps_the_newer_work(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert await store.request_work(campaign_id, Work.RESEND, NOW) is True
        assert await store.release_job(job, NOW, done=True) is True
        kept = await store.get_campaign(campaign_id)
        assert kept is not None
        assert (kept.work, kept.lease_owner) == (Work.RESEND, None)
        again = await store.claim_job("w2", NOW, LEASE)
        assert again == Job(campaign_id, Work.RESEND, 2, "w2", NOW + LEASE, 0)
        assert await store.release_job(again, NOW, done=True) is True
        assert await store.pending_jobs() == 0

    async def test_request_work_only_of_a_confirmed_campaign(self, store: Store) -> None:
        draft = await store.create_campaign(_draft(key="d"))
        cancelled = await store.create_campaign(_draft(key="c"))
        await store.cancel_campaign(cancelled.id)
        assert await store.request_work(draft.id, Work.SEND, NOW) is False
        assert await store.request_work(cancelled.id, Work.RESEND, NOW) is False
        assert await store.request_work(404, Work.SETTLE, NOW) is False
        assert await store.pending_jobs() == 0
        confirmed = await _confirmed(store, key="ok")
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert await store.release_job(job, NOW, done=True)
        assert await store.request_work(confirmed, Work.SETTLE, NOW) is True
        asked = await store.claim_job("w1", NOW, LEASE)
        assert asked == Job(confirmed, Work.SETTLE, 2, "w1", NOW + LEASE, 0)

    async def test_backoff_is_respected_and_failures_counted(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        retry = NOW + timedelta(seconds=10)
        assert await store.release_job(job, NOW, done=False, retry_at=retry, failed=True)
        assert await store.pending_jobs() == 1
        assert await store.claim_job("w1", retry - TICK, LEASE) is None
        job = await store.claim_job("w1", retry, LEASE)
        assert job == Job(campaign_id, Work.SEND, 1, "w1", retry + LEASE, 1)
        retry2 = retry + timedelta(seconds=20)
        assert await store.release_job(job, retry, done=False, retry_at=retry2, failed=True)
        job = await store.claim_job("w1", retry2, LEASE)
        assert job is not None
        assert job.failures == 2
        # A release that did not fail resets the count, and without retry_at it is due at once.
        assert await store.release_job(job, retry2, done=False)
        job = await store.claim_job("w1", retry2, LEASE)
        assert job is not None
        assert job.failures == 0

    async def test_done_resets_the_failures(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        await store.release_job(job, NOW, done=False, failed=True)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert job.failures == 1
        await store.release_job(job, NOW, done=True)
        await store.request_work(campaign_id, Work.RESEND, NOW)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert job.failures == 0

    async def test_a_new_request_clears_the_backoff_and_the_failures(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        later = NOW + timedelta(hours=1)
        await store.release_job(job, NOW, done=False, retry_at=later, failed=True)
        assert await store.claim_job("w1", NOW, LEASE) is None
        assert await store.request_work(campaign_id, Work.RESEND, NOW) is True
        job = await store.claim_job("w1", NOW, LEASE)
        assert job == Job(campaign_id, Work.RESEND, 2, "w1", NOW + LEASE, 0)

    async def test_a_failed_done_on_an_old_generation_keeps_the_backoff(self, store: Store) -> None:
        campaign_id = await _confirmed(store)
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        await store.request_work(campaign_id, Work.RESEND, NOW)
        retry = NOW + timedelta(seconds=10)
        assert await store.release_job(job, NOW, done=True, retry_at=retry, failed=True)
        assert await store.claim_job("w1", retry - TICK, LEASE) is None
        job = await store.claim_job("w1", retry, LEASE)
        assert job == Job(campaign_id, Work.RESEND, 2, "w1", retry + LEASE, 1)

    async def test_pending_jobs_per_chat(self, store: Store) -> None:
        a = await _confirmed(store, key="a", chat="telegram:1")
        await _confirmed(store, key="b", chat="telegram:1")
        await _confirmed(store, key="c", chat="slack:T1/C1")
        await store.create_campaign(_draft(key="d", chat="telegram:1"))
        assert await store.pending_jobs() == 3
        assert await store.pending_jobs(chat="telegram:1") == 2
        assert await store.pending_jobs(chat="slack:T1/C1") == 1
        assert await store.pending_jobs(chat="console:1") == 0
        job = await store.claim_job("w1", NOW, LEASE)
        assert job is not None
        assert job.campaign_id == a
        assert await store.pending_jobs(chat="telegram:1") == 2  # leased is still pending
        await store.release_job(job, NOW, done=True)
        assert await store.pending_jobs(chat="telegram:1") == 1

    async def test_concurrent_claimers_never_share_a_campaign(self, store: Store) -> None:
        campaigns = {await _confirmed(store, key=f"k{i}") for i in range(3)}
        jobs = await asyncio.gather(*(store.claim_job(f"w{i}", NOW, LEASE) for i in range(10)))
        taken = [job for job in jobs if job is not None]
        assert sorted(job.campaign_id for job in taken) == sorted(campaigns)
        for job in taken:
            leased = await store.get_campaign(job.campaign_id)
            assert leased is not None
            assert leased.lease_owner == job.owner

    async def test_two_replicas_never_share_a_campaign(self, replicas: tuple[Store, Store]) -> None:
        first, second = replicas
        for round_ in range(3):
            campaigns = {await _confirmed(first, key=f"r{round_}-{i}") for i in range(4)}
            jobs = await asyncio.gather(
                *((first if i % 2 else second).claim_job(f"w{i}", NOW, LEASE) for i in range(10))
            )
            taken = [job for job in jobs if job is not None]
            assert sorted(job.campaign_id for job in taken) == sorted(campaigns)
            assert len({job.owner for job in taken}) == len(taken)
            for job in taken:
                assert await second.release_job(job, NOW, done=True)
        assert await first.pending_jobs() == 0


class TestOutbox:
    async def test_a_new_notice(self, store: Store) -> None:
        data = {"language": "pt", "timezone": "Europe/Lisbon", "commands": {"status": "/status"}}
        notice = await store.add_notice("telegram:7", "campaign:5", data, NOW)
        assert (notice.chat, notice.subject, notice.data) == ("telegram:7", "campaign:5", data)
        assert (notice.version, notice.shown_version, notice.ref) == (1, 0, None)
        assert (notice.created_at, notice.updated_at) == (NOW, NOW)
        assert notice.due
        assert await store.get_notice(notice.id) == notice
        assert await store.get_notice(notice.id + 1000) is None

    async def test_adding_again_bumps_the_version_and_keeps_the_message(self, store: Store) -> None:
        first = await store.add_notice("telegram:7", "campaign:5", {"language": "en"}, NOW)
        (claimed,) = await store.claim_notices("telegram:", "a1", NOW, LEASE)
        assert await store.notice_shown(
            claimed.id, claimed.version, "a1", ref="m-100", at=NOW, next_at=NOW
        )
        later = NOW + timedelta(seconds=3)
        second = await store.add_notice("telegram:7", "campaign:5", {"language": "pt"}, later)
        assert second.id == first.id
        assert (second.version, second.shown_version, second.ref) == (2, 1, "m-100")
        assert second.data == {"language": "pt"}
        assert (second.created_at, second.updated_at) == (NOW, later)
        assert second.due
        third = await store.add_notice("telegram:7", "campaign:5", {"language": "es"}, later)
        assert (third.id, third.version, third.ref) == (first.id, 3, "m-100")
        elsewhere = await store.add_notice("slack:T1/C1", "campaign:5", {}, later)
        assert elsewhere.id != first.id
        assert elsewhere.version == 1

    async def test_touch_bumps_every_notice_of_a_subject(self, store: Store) -> None:
        a = await store.add_notice("telegram:1", "campaign:5", {}, NOW)
        b = await store.add_notice("slack:T1/C1", "campaign:5", {}, NOW)
        c = await store.add_notice("telegram:1", "campaign:6", {}, NOW)
        later = NOW + timedelta(seconds=1)
        assert await store.touch_notices("campaign:5", later) == 2
        assert await store.touch_notices("campaign:5", later) == 2
        assert await store.touch_notices("campaign:404", later) == 0
        touched = [await store.get_notice(n.id) for n in (a, b, c)]
        assert [(n.version, n.updated_at) for n in touched if n is not None] == [
            (3, later),
            (3, later),
            (1, NOW),
        ]

    async def test_claim_by_prefix_oldest_change_first(self, store: Store) -> None:
        late = await store.add_notice("telegram:1", "campaign:1", {}, NOW + timedelta(seconds=2))
        early = await store.add_notice("telegram:2", "campaign:2", {}, NOW + timedelta(seconds=1))
        tie = await store.add_notice("telegram:3", "campaign:3", {}, NOW + timedelta(seconds=1))
        slack = await store.add_notice("slack:T1/C1", "campaign:1", {}, NOW)
        at = NOW + timedelta(seconds=5)
        claimed = await store.claim_notices("telegram:", "tg", at, LEASE)
        assert [n.id for n in claimed] == [early.id, tie.id, late.id]
        assert [n.id for n in await store.claim_notices("slack:", "sl", at, LEASE)] == [slack.id]
        assert await store.claim_notices("", "any", at, LEASE) == []

    async def test_claim_limit_takes_the_oldest_changes(self, store: Store) -> None:
        # Created in one order, changed in the opposite one: the change decides.
        ids = [
            (await store.add_notice(f"telegram:{i}", f"s{i}", {}, NOW - i * TICK)).id
            for i in range(5)
        ]
        await store.touch_notices("s4", NOW + TICK)  # the oldest change becomes the newest
        expected = [ids[3], ids[2], ids[1], ids[0], ids[4]]
        first = await store.claim_notices("telegram:", "a1", NOW, LEASE, limit=2)
        second = await store.claim_notices("telegram:", "a2", NOW, LEASE, limit=2)
        third = await store.claim_notices("telegram:", "a3", NOW, LEASE, limit=2)
        assert [[n.id for n in batch] for batch in (first, second, third)] == [
            expected[0:2],
            expected[2:4],
            expected[4:],
        ]
        assert await store.claim_notices("telegram:", "a4", NOW, LEASE) == []

    async def test_prefix_is_literal(self, store: Store) -> None:
        await store.add_notice("telegramX1", "s", {}, NOW)
        await store.add_notice("tele%gram:1", "s", {}, NOW)
        assert await store.claim_notices("telegram_", "a", NOW, LEASE) == []
        assert await store.claim_notices("te%gram", "a", NOW, LEASE) == []
        assert [n.chat for n in await store.claim_notices("tele%", "a", NOW, LEASE)] == [
            "tele%gram:1"
        ]

    async def test_prefix_is_case_sensitive(self, store: Store) -> None:
        await store.add_notice("Telegram:1", "s", {}, NOW)
        assert await store.pending_notices(chat_prefix="telegram:") == 0
        assert await store.claim_notices("telegram:", "a", NOW, LEASE) == []

    async def test_a_lease_excludes_a_second_claimer_until_it_expires(self, store: Store) -> None:
        notice = await store.add_notice("telegram:1", "s", {}, NOW)
        assert [n.id for n in await store.claim_notices("telegram:", "a1", NOW, LEASE)] == [
            notice.id
        ]
        assert await store.claim_notices("telegram:", "a2", NOW + LEASE - TICK, LEASE) == []
        taken = await store.claim_notices("telegram:", "a2", NOW + LEASE, LEASE)
        assert [n.id for n in taken] == [notice.id]
        assert (
            await store.notice_shown(
                notice.id, 1, "a1", ref="m1", at=NOW + LEASE, next_at=NOW + LEASE
            )
            is False
        )
        assert await store.notice_failed(notice.id, "a1", NOW + LEASE) is False
        assert (
            await store.notice_shown(
                notice.id, 1, "a2", ref="m2", at=NOW + LEASE, next_at=NOW + LEASE
            )
            is True
        )
        shown = await store.get_notice(notice.id)
        assert shown is not None
        assert (shown.shown_version, shown.ref, shown.due) == (1, "m2", False)

    async def test_shown_version_never_goes_down(self, store: Store) -> None:
        notice = await store.add_notice("telegram:1", "s", {}, NOW)
        await store.touch_notices("s", NOW)
        (claimed,) = await store.claim_notices("telegram:", "a1", NOW, LEASE)
        assert claimed.version == 2
        assert await store.notice_shown(notice.id, 2, "a1", ref="m1", at=NOW, next_at=NOW)
        await store.touch_notices("s", NOW)
        (again,) = await store.claim_notices("telegram:", "a1", NOW, LEASE)
        assert (again.version, again.shown_version) == (3, 2)
        # A late report of an older version: recorded as nothing, the lease still given back.
        assert await store.notice_shown(notice.id, 1, "a1", ref=None, at=NOW, next_at=NOW)
        after = await store.get_notice(notice.id)
        assert after is not None
        assert (after.version, after.shown_version, after.ref) == (3, 2, "m1")
        assert [n.id for n in await store.claim_notices("telegram:", "a2", NOW, LEASE)] == [
            notice.id
        ]

    async def test_nothing_due_once_shown(self, store: Store) -> None:
        notice = await store.add_notice("telegram:1", "s", {}, NOW)
        (claimed,) = await store.claim_notices("telegram:", "a1", NOW, LEASE)
        await store.notice_shown(notice.id, claimed.version, "a1", ref="m1", at=NOW, next_at=NOW)
        assert await store.claim_notices("telegram:", "a1", NOW + timedelta(days=1), LEASE) == []
        assert await store.pending_notices() == 0

    async def test_the_coalescing_pause(self, store: Store) -> None:
        notice = await store.add_notice("telegram:1", "s", {}, NOW)
        await store.claim_notices("telegram:", "a1", NOW, LEASE)
        pause_until = NOW + timedelta(seconds=1)
        assert await store.notice_shown(notice.id, 1, "a1", ref="m1", at=NOW, next_at=pause_until)
        await store.touch_notices("s", NOW + timedelta(milliseconds=100))
        assert await store.pending_notices() == 1
        assert await store.claim_notices("telegram:", "a1", pause_until - TICK, LEASE) == []
        (due,) = await store.claim_notices("telegram:", "a1", pause_until, LEASE)
        assert (due.id, due.version, due.shown_version) == (notice.id, 2, 1)

    async def test_a_failed_delivery_is_retried_from_retry_at(self, store: Store) -> None:
        notice = await store.add_notice("telegram:1", "s", {}, NOW)
        await store.claim_notices("telegram:", "a1", NOW, LEASE)
        retry = NOW + timedelta(seconds=30)
        assert await store.notice_failed(notice.id, "nobody", retry) is False
        assert await store.notice_failed(notice.id, "a1", retry) is True
        assert await store.notice_failed(notice.id, "a1", retry) is False  # given back already
        assert await store.claim_notices("telegram:", "a2", retry - TICK, LEASE) == []
        (again,) = await store.claim_notices("telegram:", "a2", retry, LEASE)
        assert (again.version, again.shown_version, again.ref) == (1, 0, None)

    async def test_pending_notices_count_due_ones_leased_or_not(self, store: Store) -> None:
        await store.add_notice("telegram:1", "a", {}, NOW)
        await store.add_notice("telegram:2", "a", {}, NOW)
        shown = await store.add_notice("telegram:3", "b", {}, NOW)
        await store.add_notice("slack:T1/C1", "a", {}, NOW)
        (claimed,) = await store.claim_notices("telegram:", "a1", NOW, LEASE, limit=1)
        assert claimed.chat == "telegram:1"
        assert await store.pending_notices() == 4
        assert await store.pending_notices(chat_prefix="telegram:") == 3
        assert await store.pending_notices(chat_prefix="slack:") == 1
        await store.notice_failed(claimed.id, "a1", NOW)
        (claimed,) = await store.claim_notices("telegram:3", "a1", NOW, LEASE)
        await store.notice_shown(shown.id, 1, "a1", ref="m", at=NOW, next_at=NOW)
        assert await store.pending_notices(chat_prefix="telegram:") == 2
        assert await store.pending_notices(chat_prefix="discord:") == 0

    async def test_concurrent_claimers_never_share_a_notice(
        self, replicas: tuple[Store, Store]
    ) -> None:
        first, second = replicas
        ids = {(await first.add_notice(f"telegram:{i}", "s", {}, NOW)).id for i in range(12)}
        batches = await asyncio.gather(
            *(
                (first if i % 2 else second).claim_notices(
                    "telegram:", f"a{i}", NOW, LEASE, limit=3
                )
                for i in range(8)
            )
        )
        claimed = [n.id for batch in batches for n in batch]
        assert sorted(claimed) == sorted(ids)


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


def _as_url(scheme: str, params: dict[str, str], query: dict[str, str]) -> str:
    """The connection ``params`` as a ``scheme`` URL, as a hosting service writes it."""
    rest = dict(params)
    user = quote(rest.pop("user", ""), safe="")
    password = rest.pop("password", "")
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = rest.pop("host", "")
    if host.startswith("/"):  # a Unix socket directory goes in the query
        rest["host"], host = host, ""
    port = rest.pop("port", "")
    netloc = auth + host + (f":{port}" if port else "")
    dbname = quote(rest.pop("dbname", ""), safe="")
    rest.update(query)
    return f"{scheme}{netloc}/{dbname}" + (f"?{urlencode(rest)}" if rest else "")


class TestPostgresServer:
    """What only the server store has: its URL forms, schema table, migrations and errors."""

    async def _columns(self, url: str) -> dict[tuple[str, str], str]:
        async with await psycopg.AsyncConnection.connect(url) as conn:
            cursor = await conn.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
            return {(table, column): kind for table, column, kind in await cursor.fetchall()}

    async def test_a_claimer_skips_a_campaign_another_is_claiming(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url) as store:
            first = await _confirmed(store, key="a")
            second = await _confirmed(store, key="b")
            async with await psycopg.AsyncConnection.connect(postgres_url) as other:
                # Another replica in the middle of its claim: the row is locked, not yet leased.
                await other.execute("SELECT id FROM campaigns WHERE id = %s FOR UPDATE", (first,))
                job = await asyncio.wait_for(store.claim_job("w1", NOW, LEASE), timeout=10)
                assert job is not None
                assert job.campaign_id == second
                await other.rollback()
            job = await store.claim_job("w2", NOW, LEASE)
            assert job is not None
            assert job.campaign_id == first

    async def test_a_claimer_skips_notices_another_is_claiming(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url) as store:
            held = await store.add_notice("telegram:1", "s", {}, NOW)
            free = await store.add_notice("telegram:2", "s", {}, NOW + TICK)
            async with await psycopg.AsyncConnection.connect(postgres_url) as other:
                await other.execute("SELECT id FROM notices WHERE id = %s FOR UPDATE", (held.id,))
                claimed = await asyncio.wait_for(
                    store.claim_notices("telegram:", "a1", NOW, LEASE), timeout=10
                )
                assert [n.id for n in claimed] == [free.id]
                await other.rollback()
            claimed = await store.claim_notices("telegram:", "a2", NOW, LEASE)
            assert [n.id for n in claimed] == [held.id]

    async def test_schema_versions_and_types(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url):
            pass
        async with await psycopg.AsyncConnection.connect(postgres_url) as conn:
            cursor = await conn.execute("SELECT version FROM schema_version ORDER BY version")
            versions = [row[0] for row in await cursor.fetchall()]
        assert versions == list(range(1, len(PG_MIGRATIONS) + 1))
        columns = await self._columns(postgres_url)
        assert columns["campaigns", "created_at"] == "timestamp with time zone"
        assert columns["campaigns", "lease_expires"] == "timestamp with time zone"
        assert columns["notices", "not_before"] == "timestamp with time zone"
        assert columns["conversations", "data"] == "jsonb"
        assert columns["notices", "data"] == "jsonb"
        assert columns["accounts", "secret"] == "bytea"

    async def test_replicas_starting_together_migrate_once(self, postgres_url: str) -> None:
        stores = [PostgresStore(postgres_url, max_size=2) for _ in range(6)]
        try:
            await asyncio.gather(*(s.start() for s in stores))
            campaign_id = await _confirmed(stores[0])
            found = await stores[-1].get_campaign(campaign_id)
            assert found is not None
        finally:
            await asyncio.gather(*(s.stop() for s in stores))
        async with await psycopg.AsyncConnection.connect(postgres_url) as conn:
            cursor = await conn.execute("SELECT count(*), max(version) FROM schema_version")
            assert await cursor.fetchone() == (len(PG_MIGRATIONS), len(PG_MIGRATIONS))

    async def test_a_newer_schema_is_refused(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url):
            pass
        async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as conn:
            await conn.execute(
                "INSERT INTO schema_version (version) VALUES (%s)", (len(PG_MIGRATIONS) + 1,)
            )
        newer = PostgresStore(postgres_url)
        with pytest.raises(SchemaMismatch, match="upgrade usendit-bot"):
            await newer.start()
        await newer.stop()  # never started: harmless
        with pytest.raises(StoreError, match="not started"):
            await newer.get_campaign(1)

    @pytest.mark.parametrize(
        "form",
        ["postgres://", "postgresql://", "postgresql://?sslmode", "key=value"],
    )
    async def test_every_url_form_a_host_hands_out(self, postgres_url: str, form: str) -> None:
        params = {k: str(v) for k, v in conninfo_to_dict(postgres_url).items()}
        if form == "key=value":
            url = make_conninfo("", **params)
            assert "://" not in url
        else:
            query = {"sslmode": "prefer", "application_name": "usendit-bot"} if "?" in form else {}
            url = _as_url(form.split("?")[0], params, query)
            assert url.startswith(form.split("?")[0])
        async with PostgresStore(url) as store:
            campaign_id = await _confirmed(store)
            assert await store.pending_jobs() == 1
        async with PostgresStore(postgres_url) as store:
            assert await store.get_campaign(campaign_id) is not None

    async def test_start_and_stop_are_idempotent_and_restartable(self, postgres_url: str) -> None:
        store = PostgresStore(postgres_url)
        with pytest.raises(StoreError, match="not started"):
            await store.pending_jobs()
        await store.start()
        await store.start()
        assert await store.pending_jobs() == 0
        await store.stop()
        await store.stop()
        with pytest.raises(StoreError, match="not started"):
            await store.pending_jobs()
        async with store:
            assert await store.claim("e1", NOW) is True

    async def test_server_errors_never_show_the_password(self, postgres_server: str) -> None:
        password = "S3cret-pw-for-test"
        refused = f"postgresql://bot:{password}@127.0.0.1:{free_port()}/bot"
        with pytest.raises(StoreError) as caught:
            await PostgresStore(refused).start()
        assert password not in str(caught.value)
        assert "127.0.0.1" in str(caught.value)
        assert isinstance(caught.value.__cause__, psycopg.Error)
        params = conninfo_to_dict(postgres_server)
        real = str(params.get("password") or "")
        missing = with_database(postgres_server, "t_no_such_database")
        with pytest.raises(StoreError) as caught:
            await PostgresStore(missing).start()
        assert "t_no_such_database" in str(caught.value)
        if real:
            assert real not in str(caught.value)

    async def test_an_unreadable_url_is_refused_without_echoing_it(self) -> None:
        with pytest.raises(StoreError) as caught:
            PostgresStore("postgresql://bot:pa%zzSECRET@127.0.0.1:5432/bot")
        assert "SECRET" not in str(caught.value)
        assert "SECRET" not in repr(caught.value.__cause__)
        with pytest.raises(StoreError, match="not a PostgreSQL URL"):
            PostgresStore("mysql://bot:pw@127.0.0.1/bot")

    async def test_query_errors_are_store_errors(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url) as store:
            await store.create_campaign(_draft(key="same"))
            with pytest.raises(StoreError) as caught:
                await store.create_campaign(_draft(key="same"))
            assert isinstance(caught.value.__cause__, psycopg.errors.UniqueViolation)
            # The failed transaction left nothing behind, and the pool still works.
            assert len(await store.list_campaigns()) == 1
            with pytest.raises(StoreError):
                await store.save_conversation("k", "w", {"nul": "\u0000"}, NOW)
            assert await store.get_conversation("k") is None

    async def test_times_come_back_in_utc_whatever_the_session_timezone(
        self, postgres_url: str
    ) -> None:
        async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as conn:
            dbname = conninfo_to_dict(postgres_url)["dbname"]
            await conn.execute(
                sql.SQL("ALTER DATABASE {} SET timezone = 'America/New_York'").format(
                    sql.Identifier(str(dbname))
                )
            )
        async with PostgresStore(postgres_url) as store:
            campaign_id = await _confirmed(store)
            campaign = await store.get_campaign(campaign_id)
        assert campaign is not None
        assert campaign.confirmed_at == NOW
        assert campaign.confirmed_at.tzinfo is UTC
        assert campaign.created_at.tzinfo is UTC
