"""The store contract for what a chat keeps by name and the opt-out list, on both backends.

Parametrised as ``tests/test_store_contract.py`` is (SQLite, and a fresh
PostgreSQL database per test): templates, saved recipient lists, the opt-out
list of each account, and the recipients a campaign left out because of it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import test_store_contract as contract
from test_store_contract import NOW, _draft

from bot.errors import StoreError
from bot.records import ChunkState
from bot.store import Store
from storage.migrations import MIGRATIONS
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

LATER = NOW + timedelta(hours=1)
open_store = contract.open_store  # the same backends, one fresh database per test
store = contract.store


class TestTemplates:
    async def test_saved_found_listed_by_name(self, store: Store) -> None:
        promo = await store.save_template("chat:1", "promo", "Hello!", "console:me", NOW)
        await store.save_template("chat:1", "aviso", "Closed today", "console:me", NOW)
        await store.save_template("chat:2", "promo", "Elsewhere", "console:me", NOW)
        assert promo.name == "promo"
        assert promo.text == "Hello!"
        assert promo.updated_at == NOW
        assert await store.find_template("chat:1", "promo") == promo
        assert await store.get_template(promo.id) == promo
        assert [t.name for t in await store.list_templates("chat:1")] == ["aviso", "promo"]
        assert [t.text for t in await store.list_templates("chat:2")] == ["Elsewhere"]
        assert await store.list_templates("chat:3") == []

    async def test_saving_again_replaces_the_text_and_keeps_the_id(self, store: Store) -> None:
        first = await store.save_template("chat:1", "promo", "One", "console:a", NOW)
        second = await store.save_template("chat:1", "promo", "Two", "console:b", LATER)
        assert second.id == first.id
        assert (second.text, second.created_by, second.updated_at) == ("Two", "console:b", LATER)
        assert len(await store.list_templates("chat:1")) == 1

    async def test_deleted_only_in_its_chat(self, store: Store) -> None:
        kept = await store.save_template("chat:2", "promo", "Two", "console:me", NOW)
        await store.save_template("chat:1", "promo", "One", "console:me", NOW)
        assert await store.delete_template("chat:1", "promo") is True
        assert await store.delete_template("chat:1", "promo") is False
        assert await store.find_template("chat:1", "promo") is None
        assert await store.get_template(kept.id) == kept
        assert await store.get_template(999_999) is None

    async def test_unicode_names_and_texts_come_back_the_same(self, store: Store) -> None:
        text = "Olá {nome}, a sua encomenda chegou! ✓\nAté já"
        await store.save_template("chat:1", "promoção", text, "console:me", NOW)
        found = await store.find_template("chat:1", "promoção")
        assert found is not None
        assert found.text == text


class TestRecipientLists:
    async def test_saved_in_order_with_its_size(self, store: Store) -> None:
        numbers = [f"3519100000{i:02d}" for i in (5, 1, 3)]
        saved = await store.save_recipient_list("chat:1", "vip", numbers, "console:me", NOW)
        assert (saved.name, saved.size, saved.last_used_at) == ("vip", 3, None)
        assert await store.recipient_list_numbers(saved.id) == numbers
        assert await store.recipient_list_numbers(saved.id, limit=2) == numbers[:2]
        assert await store.find_recipient_list("chat:1", "vip") == saved
        assert await store.get_recipient_list(saved.id) == saved
        assert await store.find_recipient_list("chat:2", "vip") is None

    async def test_saving_again_replaces_the_numbers(self, store: Store) -> None:
        first = await store.save_recipient_list(
            "chat:1", "vip", ["351910000001", "351910000002"], "console:me", NOW
        )
        await store.mark_recipient_list_used(first.id, NOW)
        second = await store.save_recipient_list(
            "chat:1", "vip", ["351910000009"], "console:you", LATER
        )
        assert second.id == first.id
        assert (second.size, second.created_by, second.updated_at) == (1, "console:you", LATER)
        assert second.last_used_at == NOW
        assert await store.recipient_list_numbers(first.id) == ["351910000009"]

    async def test_last_use_listed_and_deleted(self, store: Store) -> None:
        vip = await store.save_recipient_list("chat:1", "vip", ["351910000001"], "c:me", NOW)
        await store.save_recipient_list("chat:1", "all", ["351910000002"], "c:me", NOW)
        await store.mark_recipient_list_used(vip.id, LATER)
        found = await store.get_recipient_list(vip.id)
        assert found is not None
        assert found.last_used_at == LATER
        assert [s.name for s in await store.list_recipient_lists("chat:1")] == ["all", "vip"]
        assert await store.delete_recipient_list("chat:2", "vip") is False
        assert await store.delete_recipient_list("chat:1", "vip") is True
        assert await store.get_recipient_list(vip.id) is None
        assert await store.recipient_list_numbers(vip.id) == []
        assert [s.name for s in await store.list_recipient_lists("chat:1")] == ["all"]

    async def test_a_hundred_thousand_numbers(self, store: Store) -> None:
        numbers = [f"35191{i:07d}" for i in range(100_000)]
        saved = await store.save_recipient_list("chat:1", "all", numbers, "console:me", NOW)
        assert saved.size == 100_000
        assert await store.recipient_list_numbers(saved.id) == numbers

    async def test_an_empty_list_is_kept_empty(self, store: Store) -> None:
        saved = await store.save_recipient_list("chat:1", "none", [], "console:me", NOW)
        assert saved.size == 0
        assert await store.recipient_list_numbers(saved.id) == []


class TestOptOuts:
    async def test_added_counted_and_asked_per_account(self, store: Store) -> None:
        added = await store.add_opt_outs(
            "demo", ["351910000001", "351910000002", "351910000001"], "console:me", NOW
        )
        assert added == 2
        assert await store.add_opt_outs("demo", ["351910000002", "351910000003"], "c", NOW) == 1
        assert await store.count_opt_outs("demo") == 3
        assert await store.count_opt_outs("other") == 0
        asked = ["351910000001", "351910000003", "351910000009"]
        assert await store.opted_out("demo", asked) == {"351910000001", "351910000003"}
        assert await store.opted_out("other", asked) == set()
        assert await store.opted_out("demo", []) == set()
        # Fewer asked than the list holds, and as many: either way of looking answers alike.
        assert await store.opted_out("demo", ["351910000003"]) == {"351910000003"}
        assert await store.opted_out("demo", ["351910000009"]) == set()
        assert await store.opted_out("demo", ["351910000001", "351910000002", "351910000009"]) == {
            "351910000001",
            "351910000002",
        }

    async def test_removed(self, store: Store) -> None:
        await store.add_opt_outs("demo", ["351910000001", "351910000002"], "console:me", NOW)
        assert await store.remove_opt_outs("demo", ["351910000001", "351910000009"]) == 1
        assert await store.remove_opt_outs("other", ["351910000002"]) == 0
        assert await store.opted_out("demo", ["351910000001", "351910000002"]) == {"351910000002"}
        assert await store.remove_opt_outs("demo", []) == 0

    async def test_asked_about_a_hundred_thousand_at_once(self, store: Store) -> None:
        numbers = [f"35191{i:07d}" for i in range(100_000)]
        assert await store.add_opt_outs("demo", numbers[::1000], "console:me", NOW) == 100
        assert await store.opted_out("demo", numbers) == set(numbers[::1000])

    async def test_concurrent_adds_count_each_number_once(self, store: Store) -> None:
        numbers = [f"3519100000{i:02d}" for i in range(20)]
        added = await asyncio.gather(
            *(store.add_opt_outs("demo", numbers, f"console:{n}", NOW) for n in range(5))
        )
        assert sum(added) == 20
        assert await store.count_opt_outs("demo") == 20


class TestExclusions:
    async def test_excluded_recipients_are_counted_by_their_chunk(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(5))
        assert await store.confirm_campaign(campaign.id, NOW)
        chunks = await store.plan_chunks(campaign.id, 2, NOW)
        assert [c.excluded for c in chunks] == [0, 0, 0]
        assert await store.exclude_recipients(campaign.id, [1, 4], NOW) == 2
        assert await store.exclude_recipients(campaign.id, [1], NOW) == 0  # once
        chunks = await store.chunks(campaign.id)
        assert [(c.excluded, c.kept) for c in chunks] == [(1, 1), (0, 2), (1, 0)]
        one = await store.get_chunk(chunks[2].id)
        assert one is not None
        assert one.excluded == 1
        left = await store.excluded_recipients(campaign.id)
        assert [(r.seq, r.msisdn) for r in left] == [(1, "351910000001"), (4, "351910000004")]
        people = await store.recipients(campaign.id, 0, 4)
        assert {r.partner_msg_id for r in left} <= {r.partner_msg_id for r in people}
        assert await store.excluded_recipients(999_999) == []

    async def test_unsettled_chunks_carry_their_count(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(3))
        assert await store.confirm_campaign(campaign.id, NOW)
        (chunk,) = await store.plan_chunks(campaign.id, 10, NOW)
        assert await store.begin_send(chunk.id, [ChunkState.PENDING], NOW)
        await store.exclude_recipients(campaign.id, [2], NOW)
        (unsettled,) = await store.unsettled_chunks()
        assert unsettled.excluded == 1

    async def test_only_a_recipient_of_the_campaign_can_be_excluded(self, store: Store) -> None:
        campaign = await store.create_campaign(_draft(2))
        with pytest.raises(StoreError):
            await store.exclude_recipients(campaign.id, [7], NOW)
        assert await store.excluded_recipients(campaign.id) == []

    async def test_a_draft_keeps_how_many_the_opt_out_list_left_out(self, store: Store) -> None:
        plain = await store.create_campaign(_draft(2, key="a"))
        assert plain.opted_out == 0
        draft = dataclasses.replace(_draft(2, key="b"), opted_out=3)
        left = await store.create_campaign(draft)
        assert left.opted_out == 3
        assert left.recipient_count == 2
        assert await store.get_campaign(left.id) == left
        assert [c.opted_out for c in await store.list_campaigns()] == [3, 0]


class TestSchema:
    async def test_sqlite_tables_of_the_latest_version(self, tmp_path: Path) -> None:
        path = tmp_path / "s.db"
        async with SqliteStore(path):
            pass
        with sqlite3.connect(path) as raw:
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
            assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        raw.close()
        assert {"templates", "recipient_lists", "recipient_list_numbers", "opt_outs",
                "excluded_recipients"} <= tables  # fmt: skip

    async def test_postgres_types(self, postgres_url: str) -> None:
        async with PostgresStore(postgres_url):
            pass
        async with await psycopg.AsyncConnection.connect(postgres_url) as conn:
            cursor = await conn.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
            columns = {(t, c): kind for t, c, kind in await cursor.fetchall()}
        assert columns["opt_outs", "added_at"] == "timestamp with time zone"
        assert columns["recipient_lists", "last_used_at"] == "timestamp with time zone"
        assert columns["templates", "id"] == "bigint"
        assert columns["campaigns", "opted_out"] == "integer"

    async def test_an_older_sqlite_file_is_migrated_keeping_its_campaigns(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "old.db"
        with sqlite3.connect(path) as raw:
            for script in MIGRATIONS[:4]:
                for statement in script:
                    raw.execute(statement)
            raw.execute("PRAGMA user_version = 4")
            raw.execute(
                "INSERT INTO campaigns (key, account, created_by, chat, text, segments, "
                "recipient_count, phase, created_at) VALUES ('k', 'demo', 'c', 'c', 'Hi', 1, 0, "
                "'DRAFT', '2026-11-24T12:00:00.000000+00:00')"
            )
        raw.close()
        async with SqliteStore(path) as migrated:
            old = await migrated.get_campaign(1)
            assert old is not None
            assert old.opted_out == 0
            assert await migrated.count_opt_outs("demo") == 0
