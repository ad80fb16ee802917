"""SQLite's bulk rows: a draft of many recipients is stored a thousand rows per transaction,
so other chats' writes go between, seen by no one until whole, never left half stored;
a part's per-number outcomes are one row, merged when an answer is read again, an older
file's kept."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.records import ChunkResult, ChunkState, MessageOutcome, NewCampaign
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


async def test_a_file_of_an_older_schema_keeps_its_outcomes_by_part(tmp_path: Path) -> None:
    """Migrations 14 and 15 key a version-13 file's per-number outcomes by their part,
    then pack each part's into one row: every outcome stays, and reads by part, by
    campaign and as refusal counts as before."""
    path = tmp_path / "old.db"
    async with SqliteStore(path) as store:
        campaign = await store.create_campaign(draft(4))
        assert await store.confirm_campaign(campaign.id, NOW)
        first, second = await store.plan_chunks(campaign.id, 2, NOW)
    key = campaign.key
    stored = [
        (campaign.id, 71, first.id, f"{key}-0", "351910000000", "SCHEDULED", 1),
        (campaign.id, 0, first.id, f"{key}-1", "351910000001", "MSISDN_INVALID", 0),
        (campaign.id, 72, second.id, f"{key}-2", "351910000002", "SCHEDULED", 2),
        (campaign.id, 0, second.id, f"{key}-3", "351910000003", "MSISDN_INVALID", 0),
        (campaign.id, 0, second.id, "", "", "MSISDN_EMPTY", 0),
    ]
    with sqlite3.connect(path) as raw:  # back to version 13, its messages table as it was
        raw.execute("DROP TABLE part_outcomes")
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
        assert outcomes == [
            MessageOutcome("", "", 0, "MSISDN_EMPTY", 0),
            MessageOutcome(f"{key}-1", "351910000001", 0, "MSISDN_INVALID", 0),
            MessageOutcome(f"{key}-3", "351910000003", 0, "MSISDN_INVALID", 0),
            MessageOutcome(f"{key}-0", "351910000000", 71, "SCHEDULED", 1),
            MessageOutcome(f"{key}-2", "351910000002", 72, "SCHEDULED", 2),
        ]
        assert await migrated.chunk_outcomes(first.id) == [outcomes[1], outcomes[3]]
        assert await migrated.chunk_outcomes(second.id) == [
            outcomes[0], outcomes[2], outcomes[4]
        ]  # fmt: skip
        assert await migrated.refusal_counts(campaign.id) == {
            "MSISDN_INVALID": 2,
            "MSISDN_EMPTY": 1,
        }
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        assert (
            raw.execute("SELECT name FROM sqlite_master WHERE name = 'messages'").fetchall() == []
        )
        packs = raw.execute("SELECT chunk_id, refusals FROM part_outcomes ORDER BY 1").fetchall()
        assert [(chunk, json.loads(counts)) for chunk, counts in packs] == [
            (first.id, {"MSISDN_INVALID": 1}),
            (second.id, {"MSISDN_INVALID": 1, "MSISDN_EMPTY": 1}),
        ]
    raw.close()


async def test_a_file_of_an_older_schema_keeps_its_recipients_and_exclusions(
    tmp_path: Path,
) -> None:
    """Migration 16 rebuilds a version-15 file's recipients without UNIQUE (campaign_id,
    msisdn), and its exclusions around them: every row stays, the keys still hold, and a
    draft repeating a number is still refused, by the store."""
    path = tmp_path / "old.db"
    async with SqliteStore(path) as store:
        campaign = await store.create_campaign(draft(5))
        await store.exclude_recipients(campaign.id, [1, 3], NOW)
        before = await store.recipients(campaign.id, 0, 4)
    with sqlite3.connect(path) as raw:  # back to version 15: recipients as they were
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("ALTER TABLE recipients RENAME TO recipients_16")
        raw.execute(
            "CREATE TABLE recipients (campaign_id INTEGER NOT NULL REFERENCES campaigns (id), "
            "seq INTEGER NOT NULL, msisdn TEXT NOT NULL, fields TEXT, text TEXT, "
            "segments INTEGER, PRIMARY KEY (campaign_id, seq), UNIQUE (campaign_id, msisdn)) "
            "WITHOUT ROWID"
        )
        raw.execute("INSERT INTO recipients SELECT * FROM recipients_16")
        raw.execute("DROP TABLE recipients_16")
        raw.execute("PRAGMA user_version = 15")
    raw.close()
    async with SqliteStore(path) as migrated:
        assert await migrated.recipients(campaign.id, 0, 4) == before
        assert [r.seq for r in await migrated.excluded_recipients(campaign.id)] == [1, 3]
        with pytest.raises(StoreError):
            await migrated.create_campaign(draft(7, key="again", duplicate_at=5))
        assert [c.key for c in await migrated.list_campaigns()] == ["big"]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = raw.execute("PRAGMA index_list(recipients)").fetchall()
        assert [(unique, origin) for _, _, unique, origin, _ in indexes] == [(1, "pk")]
        raw.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):  # excluded rows still need their row
            raw.execute("INSERT INTO excluded_recipients VALUES (?, 9, 'x')", (campaign.id,))
    raw.close()


async def test_an_answer_read_again_is_merged_into_its_part(tmp_path: Path) -> None:
    """A part's outcomes are one row: a later answer (a GetSchedule refresh) replaces the
    numbers it names, keyed by PartnerMsgId and MsgId, and keeps the others; a number
    named twice in one answer is stored once, the later kept."""
    async with SqliteStore(tmp_path / "bot.db") as store:
        campaign = await store.create_campaign(draft(3))
        assert await store.confirm_campaign(campaign.id, NOW)
        (chunk,) = await store.plan_chunks(campaign.id, 10, NOW)
        assert await store.begin_send(chunk.id, [ChunkState.PENDING], NOW)
        key = campaign.key
        sent = [
            MessageOutcome(f"{key}-0", "351910000000", 7, "SCHEDULED", 1),
            MessageOutcome(f"{key}-1", "351910000001", 8, "SCHEDULED", 1),
            MessageOutcome(f"{key}-2", "351910000002", 0, "MSISDN_INVALID", 0),
            MessageOutcome(f"{key}-2", "351910000002", 0, "MSISDN_EMPTY", 0),
        ]
        result = ChunkResult((41,), 2, 1, 2, "SCHEDULE_OK_WARNING", tuple(sent))
        assert await store.settle_chunk(
            chunk.id, ChunkState.UNKNOWN, expected=[ChunkState.IN_FLIGHT], at=NOW, result=result
        )
        assert await store.chunk_outcomes(chunk.id) == [sent[3], sent[0], sent[1]]
        assert await store.refusal_counts(campaign.id) == {"MSISDN_EMPTY": 1}
        later = MessageOutcome(f"{key}-1", "351910000001", 8, "MSISDN_INVALID", 0)
        again = ChunkResult((41,), 1, 1, 1, "SCHEDULE_OK_WARNING", (later,))
        assert await store.settle_chunk(
            chunk.id, ChunkState.ACCEPTED, expected=[ChunkState.UNKNOWN], at=NOW, result=again
        )
        assert await store.chunk_outcomes(chunk.id) == [sent[3], sent[0], later]
        assert await store.refusal_counts(campaign.id) == {"MSISDN_EMPTY": 1, "MSISDN_INVALID": 1}
        huge = MessageOutcome(f"{key}-0", "351910000000", 2**63, "SCHEDULED", 1)
        with pytest.raises(OverflowError):
            await store.settle_chunk(
                chunk.id,
                ChunkState.ACCEPTED,
                expected=[ChunkState.ACCEPTED],
                at=NOW,
                result=ChunkResult((41,), 1, 0, 1, "SCHEDULE_OK", (huge,)),
            )
        assert await store.chunk_outcomes(chunk.id) == [sent[3], sent[0], later]
