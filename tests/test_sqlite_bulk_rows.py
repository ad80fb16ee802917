"""SQLite's bulk rows: a draft of many recipients is stored a thousand rows per transaction,
so other chats' writes go between, seen by no one until whole, never left half stored;
per-number outcomes are keyed by their part, an older file's kept."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.records import NewCampaign
from storage.migrations import MIGRATIONS
from storage.sqlite import SqliteStore
from storage.sqlite_campaigns import LOAD_ROWS

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def draft(count: int, *, key: str = "big", duplicate_at: int | None = None) -> NewCampaign:
    numbers = [str(351_910_000_000 + n) for n in range(count)]
    if duplicate_at is not None:
        numbers[duplicate_at] = numbers[0]
    return NewCampaign(
        key=key,
        account="demo",
        created_by="console:me",
        chat="console:1",
        text="Olá",
        sender=None,
        schedule_at=None,
        segments=1,
        recipients=tuple(numbers),
    )


async def test_another_chats_write_goes_between_a_long_drafts_rows(tmp_path: Path) -> None:
    count = LOAD_ROWS * 5 + 7
    async with SqliteStore(tmp_path / "bot.db", sender=True) as store:
        storing = asyncio.create_task(store.create_campaign(draft(count)))
        await asyncio.sleep(0)  # the draft's first transaction under way
        assert await store.claim("telegram:1", NOW)  # another chat's turn, meanwhile
        assert not storing.done()  # it did not wait for the whole draft
        assert await store.list_campaigns(chat="console:1") == []  # not yet seen
        campaign = await storing
        assert campaign.recipient_count == count
        assert [c.id for c in await store.list_campaigns(chat="console:1")] == [campaign.id]
        stored = await store.recipients(campaign.id, 0, count)
        assert [r.seq for r in stored] == list(range(count))
        assert [r.msisdn for r in stored] == list(draft(count).recipients)


async def test_a_short_draft_is_one_transaction(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db", sender=True) as store:
        storing = asyncio.create_task(store.create_campaign(draft(LOAD_ROWS)))
        await asyncio.sleep(0)
        assert await store.claim("telegram:1", NOW)
        assert storing.done()  # the claim waited for the draft's one transaction
        assert (await storing).recipient_count == LOAD_ROWS


async def test_a_draft_that_fails_midway_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path, sender=True) as store:
        with pytest.raises(StoreError):  # its third thousand repeats a number
            await store.create_campaign(draft(LOAD_ROWS * 4, duplicate_at=LOAD_ROWS * 2 + 3))
        assert await store.list_campaigns() == []
        kept = await store.create_campaign(draft(LOAD_ROWS * 2, key="next"))
        assert kept.recipient_count == LOAD_ROWS * 2
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM recipients").fetchone() == (LOAD_ROWS * 2,)
        assert raw.execute("SELECT count(*) FROM campaigns").fetchone() == (1,)
        assert raw.execute("SELECT count(*) FROM loading_campaigns").fetchone() == (0,)


async def test_a_draft_left_half_stored_by_a_dead_process_is_removed_at_start(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path, sender=True) as store:
        whole = await store.create_campaign(draft(LOAD_ROWS * 2, key="whole"))
    with sqlite3.connect(path) as raw:  # as a process killed between two thousands leaves it
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute(
            "INSERT INTO campaigns (key, account, created_by, chat, text, segments, "
            "recipient_count, phase, created_at) VALUES ('half', 'demo', 'console:me', "
            "'console:1', 'Olá', 1, 5000, 'DRAFT', ?)",
            (NOW.isoformat(),),
        )
        (half,) = raw.execute("SELECT id FROM campaigns WHERE key = 'half'").fetchone()
        raw.execute("INSERT INTO loading_campaigns (campaign_id) VALUES (?)", (half,))
        raw.executemany(
            "INSERT INTO recipients (campaign_id, seq, msisdn) VALUES (?, ?, ?)",
            ((half, n, str(351_930_000_000 + n)) for n in range(LOAD_ROWS)),
        )
    async with SqliteStore(path) as reader:  # not the sending process: it keeps its hands off
        assert await reader.get_campaign(half) is None  # but never shows it
        assert [c.id for c in await reader.list_campaigns()] == [whole.id]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM loading_campaigns").fetchone() == (1,)
    async with SqliteStore(path, sender=True) as store:
        assert [c.id for c in await store.list_campaigns()] == [whole.id]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM campaigns").fetchone() == (1,)
        assert raw.execute(
            "SELECT count(*) FROM recipients WHERE campaign_id = ?", (half,)
        ).fetchone() == (0,)
        assert raw.execute("SELECT count(*) FROM recipients").fetchone() == (LOAD_ROWS * 2,)


async def test_a_file_of_the_last_schema_keeps_its_outcomes_keyed_by_their_part(
    tmp_path: Path,
) -> None:
    """Migration 14 rebuilds ``messages`` keyed by part: every outcome stays, and is read
    by part and by campaign as before."""
    path = tmp_path / "old.db"
    async with SqliteStore(path) as store:
        campaign = await store.create_campaign(draft(3))
        assert await store.confirm_campaign(campaign.id, NOW)
        (chunk,) = await store.plan_chunks(campaign.id, 10, NOW)
    stored = [
        (campaign.id, 71, chunk.id, f"{campaign.key}-0", "351910000000", "SCHEDULED", 1),
        (campaign.id, 72, chunk.id, f"{campaign.key}-1", "351910000001", "SCHEDULED", 2),
        (campaign.id, 0, chunk.id, f"{campaign.key}-2", "351910000002", "MSISDN_INVALID", 0),
    ]
    with sqlite3.connect(path) as raw:  # back to version 13, its messages table as it was
        raw.execute("DROP TABLE messages")
        raw.execute(
            "CREATE TABLE messages (campaign_id INTEGER NOT NULL REFERENCES campaigns (id), "
            "msg_id INTEGER NOT NULL, chunk_id INTEGER NOT NULL REFERENCES chunks (id), "
            "partner_msg_id TEXT NOT NULL, msisdn TEXT NOT NULL, status TEXT NOT NULL, "
            "number_sms INTEGER NOT NULL, PRIMARY KEY (campaign_id, partner_msg_id, msg_id))"
        )
        raw.execute("CREATE INDEX messages_by_chunk ON messages (chunk_id)")
        raw.executemany("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)", stored)
        raw.execute("PRAGMA user_version = 13")
    raw.close()
    async with SqliteStore(path) as migrated:
        outcomes = await migrated.message_outcomes(campaign.id)
        assert [(o.msg_id, o.partner_msg_id, o.status, o.number_sms) for o in outcomes] == [
            (0, f"{campaign.key}-2", "MSISDN_INVALID", 0),
            (71, f"{campaign.key}-0", "SCHEDULED", 1),
            (72, f"{campaign.key}-1", "SCHEDULED", 2),
        ]
        assert await migrated.chunk_outcomes(chunk.id) == outcomes
        assert await migrated.refusal_counts(campaign.id) == {"MSISDN_INVALID": 1}
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        kind = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'messages'").fetchone()
        assert "WITHOUT ROWID" in kind[0]
    raw.close()
