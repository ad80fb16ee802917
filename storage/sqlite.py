"""The embedded store: SQLite on disk through aiosqlite.

One connection, opened at start and closed at stop. WAL, ``synchronous=FULL``
and a busy timeout are set and read back (a database that will not take them
is refused). Every write is one ``BEGIN IMMEDIATE`` transaction, serialized
by one lock, so a conditional update is atomic against other tasks and other
processes. The schema is versioned (``PRAGMA user_version``) and migrated at
start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import SchemaMismatch, StoreError
from storage.base import Store
from storage.migrations import MIGRATIONS
from storage.records import (
    Campaign,
    CampaignPhase,
    Chunk,
    ChunkResult,
    ChunkState,
    Conversation,
    MessageOutcome,
    NewCampaign,
    Recipient,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
_SYNCHRONOUS_FULL = 2

_CAMPAIGN_COLUMNS = (
    "id, key, account, created_by, chat, text, sender, schedule_at, segments, "
    "recipient_count, phase, reason, created_at, confirmed_at"
)
_CHUNK_COLUMNS = (
    "c.id, c.campaign_id, c.seq, c.partner_event_id, c.first_recipient, c.last_recipient, "
    "c.state, c.attempts, "
    "(SELECT group_concat(e.event_id) FROM chunk_events e WHERE e.chunk_id = c.id), "
    "c.accepted, c.rejected, c.credits_spent, c.status, c.reason, c.sent_at, c.updated_at"
)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise StoreError("naive datetimes are not stored; give a timezone")
    return moment.astimezone(UTC).isoformat()


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _campaign(row: Iterable[Any]) -> Campaign:
    (id_, key, account, by, chat, text, sender, schedule, segments, count, phase, reason,
     created, confirmed) = tuple(row)  # fmt: skip
    created_at = _time(created)
    assert created_at is not None
    return Campaign(
        id=id_,
        key=key,
        account=account,
        created_by=by,
        chat=chat,
        text=text,
        sender=sender,
        schedule_at=_time(schedule),
        segments=segments,
        recipient_count=count,
        phase=CampaignPhase(phase),
        reason=reason,
        created_at=created_at,
        confirmed_at=_time(confirmed),
    )


def _chunk(row: Iterable[Any]) -> Chunk:
    (id_, campaign_id, seq, peid, first, last, state, attempts, events, accepted, rejected,
     credits, status, reason, sent_at, updated) = tuple(row)  # fmt: skip
    updated_at = _time(updated)
    assert updated_at is not None
    return Chunk(
        id=id_,
        campaign_id=campaign_id,
        seq=seq,
        partner_event_id=peid,
        first_recipient=first,
        last_recipient=last,
        state=ChunkState(state),
        attempts=attempts,
        event_ids=tuple(sorted(int(e) for e in events.split(","))) if events else (),
        accepted=accepted,
        rejected=rejected,
        credits_spent=credits,
        status=status,
        reason=reason,
        sent_at=_time(sent_at),
        updated_at=updated_at,
    )


def partner_msg_id(key: str, seq: int) -> str:
    """The PartnerMsgId of recipient ``seq`` of the campaign with ``key``."""
    return f"{key}-{seq}"


class SqliteStore(Store):
    """:class:`~storage.base.Store` on one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the store is not started")
        return self._db

    async def start(self) -> None:
        if self._db is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self._db = db
        try:
            await self._configure()
            await self._migrate()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def _pragma(self, statement: str) -> Any:
        async with self.db.execute(statement) as cursor:
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def _configure(self) -> None:
        await self._pragma(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await self._pragma("PRAGMA journal_mode = WAL")
        await self._pragma("PRAGMA synchronous = FULL")
        await self._pragma("PRAGMA foreign_keys = ON")
        found = (
            await self._pragma("PRAGMA journal_mode"),
            await self._pragma("PRAGMA synchronous"),
            await self._pragma("PRAGMA busy_timeout"),
            await self._pragma("PRAGMA foreign_keys"),
        )
        if found != ("wal", _SYNCHRONOUS_FULL, BUSY_TIMEOUT_MS, 1):
            raise SchemaMismatch(
                f"{self.path} refused the settings a safe store needs "
                f"(journal_mode, synchronous, busy_timeout, foreign_keys = {found})"
            )

    async def _migrate(self) -> None:
        async with self._write() as db:
            async with db.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            version = int(row[0]) if row else 0
            if version > len(MIGRATIONS):
                raise SchemaMismatch(
                    f"{self.path} has schema version {version}; this code knows "
                    f"{len(MIGRATIONS)}: upgrade usendit-bot"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script:
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {number}")
                log.info("store %s migrated to schema version %d", self.path, number)

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One BEGIN IMMEDIATE transaction, the only writer of this process."""
        async with self._write_lock:
            db = self.db
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            else:
                await db.execute("COMMIT")

    async def _one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        async with self.db.execute(sql, args) as cursor:
            return await cursor.fetchone()

    async def _all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        async with self.db.execute(sql, args) as cursor:
            return list(await cursor.fetchall())

    # --- campaigns ------------------------------------------------------------

    async def create_campaign(self, campaign: NewCampaign) -> Campaign:
        now = _iso(datetime.now(UTC))
        async with self._write() as db:
            cursor = await db.execute(
                "INSERT INTO campaigns (key, account, created_by, chat, text, sender, "
                "schedule_at, segments, recipient_count, phase, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', ?)",
                (
                    campaign.key,
                    campaign.account,
                    campaign.created_by,
                    campaign.chat,
                    campaign.text,
                    campaign.sender,
                    _iso(campaign.schedule_at),
                    campaign.segments,
                    len(campaign.recipients),
                    now,
                ),
            )
            campaign_id = cursor.lastrowid
            await db.executemany(
                "INSERT INTO recipients (campaign_id, seq, msisdn) VALUES (?, ?, ?)",
                ((campaign_id, seq, msisdn) for seq, msisdn in enumerate(campaign.recipients)),
            )
        assert campaign_id is not None
        found = await self.get_campaign(campaign_id)
        assert found is not None
        return found

    async def get_campaign(self, campaign_id: int) -> Campaign | None:
        row = await self._one(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?", (campaign_id,)
        )
        return None if row is None else _campaign(row)

    async def find_campaign_by_event(self, event_id: int) -> Campaign | None:
        row = await self._one(
            "SELECT c.campaign_id FROM chunk_events e JOIN chunks c ON c.id = e.chunk_id "
            "WHERE e.event_id = ?",
            (event_id,),
        )
        return None if row is None else await self.get_campaign(row[0])

    async def list_campaigns(self, *, chat: str | None = None, limit: int = 10) -> list[Campaign]:
        if chat is None:
            rows = await self._all(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns ORDER BY id DESC LIMIT ?", (limit,)
            )
        else:
            rows = await self._all(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE chat = ? "
                "ORDER BY id DESC LIMIT ?",
                (chat, limit),
            )
        return [_campaign(row) for row in rows]

    async def confirm_campaign(self, campaign_id: int, at: datetime) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET phase = 'CONFIRMED', confirmed_at = ? "
                "WHERE id = ? AND phase = 'DRAFT'",
                (_iso(at), campaign_id),
            )
            return cursor.rowcount == 1

    async def cancel_campaign(self, campaign_id: int) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET phase = 'CANCELLED' WHERE id = ? AND phase = 'DRAFT'",
                (campaign_id,),
            )
            return cursor.rowcount == 1

    async def set_campaign_reason(self, campaign_id: int, reason: str | None) -> None:
        async with self._write() as db:
            await db.execute("UPDATE campaigns SET reason = ? WHERE id = ?", (reason, campaign_id))

    async def recipients(self, campaign_id: int, first: int, last: int) -> list[Recipient]:
        campaign = await self.get_campaign(campaign_id)
        if campaign is None:
            return []
        rows = await self._all(
            "SELECT seq, msisdn FROM recipients WHERE campaign_id = ? AND seq BETWEEN ? AND ? "
            "ORDER BY seq",
            (campaign_id, first, last),
        )
        return [Recipient(seq, msisdn, partner_msg_id(campaign.key, seq)) for seq, msisdn in rows]

    # --- chunks ---------------------------------------------------------------

    async def plan_chunks(self, campaign_id: int, chunk_size: int, at: datetime) -> list[Chunk]:
        if chunk_size < 1:
            raise StoreError("chunk_size must be at least 1")
        async with self._write() as db:
            row = await (
                await db.execute(
                    "SELECT key, recipient_count, phase FROM campaigns WHERE id = ?",
                    (campaign_id,),
                )
            ).fetchone()
            if row is None:
                raise StoreError(f"no campaign {campaign_id}")
            key, count, phase = row
            if phase != CampaignPhase.CONFIRMED:
                raise StoreError(f"campaign {campaign_id} is {phase}, not CONFIRMED")
            existing = await (
                await db.execute(
                    "SELECT count(*) FROM chunks WHERE campaign_id = ?", (campaign_id,)
                )
            ).fetchone()
            if existing is not None and existing[0] == 0:
                now = _iso(at)
                await db.executemany(
                    "INSERT INTO chunks (campaign_id, seq, partner_event_id, first_recipient, "
                    "last_recipient, state, updated_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?)",
                    (
                        (
                            campaign_id,
                            seq,
                            f"{key}-c{seq}",
                            first,
                            min(first + chunk_size, count) - 1,
                            now,
                        )
                        for seq, first in enumerate(range(0, count, chunk_size))
                    ),
                )
        return await self.chunks(campaign_id)

    async def chunks(self, campaign_id: int) -> list[Chunk]:
        rows = await self._all(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.campaign_id = ? ORDER BY c.seq",
            (campaign_id,),
        )
        return [_chunk(row) for row in rows]

    async def get_chunk(self, chunk_id: int) -> Chunk | None:
        row = await self._one(f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.id = ?", (chunk_id,))
        return None if row is None else _chunk(row)

    async def unsettled_chunks(self) -> list[Chunk]:
        rows = await self._all(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.state IN ('IN_FLIGHT', 'UNKNOWN') "
            "ORDER BY c.campaign_id, c.seq"
        )
        return [_chunk(row) for row in rows]

    async def begin_send(self, chunk_id: int, allowed: Sequence[ChunkState], at: datetime) -> bool:
        marks = ", ".join("?" for _ in allowed)
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE chunks SET state = 'IN_FLIGHT', attempts = attempts + 1, sent_at = ?, "
                f"updated_at = ? WHERE id = ? AND state IN ({marks})",
                (_iso(at), _iso(at), chunk_id, *allowed),
            )
            return cursor.rowcount == 1

    async def settle_chunk(
        self,
        chunk_id: int,
        state: ChunkState,
        *,
        expected: Sequence[ChunkState],
        at: datetime,
        result: ChunkResult | None = None,
        status: str | None = None,
        reason: str | None = None,
    ) -> bool:
        marks = ", ".join("?" for _ in expected)
        async with self._write() as db:
            if result is None:
                cursor = await db.execute(
                    f"UPDATE chunks SET state = ?, status = coalesce(?, status), reason = ?, "
                    f"updated_at = ? WHERE id = ? AND state IN ({marks})",
                    (state, status, reason, _iso(at), chunk_id, *expected),
                )
                return cursor.rowcount == 1
            cursor = await db.execute(
                "UPDATE chunks SET state = ?, status = ?, reason = ?, accepted = ?, rejected = ?, "
                f"credits_spent = ?, updated_at = ? WHERE id = ? AND state IN ({marks})",
                (
                    state,
                    status or result.status,
                    reason,
                    result.accepted,
                    result.rejected,
                    result.credits_spent,
                    _iso(at),
                    chunk_id,
                    *expected,
                ),
            )
            if cursor.rowcount != 1:
                return False
            await db.executemany(
                "INSERT OR IGNORE INTO chunk_events (event_id, chunk_id) VALUES (?, ?)",
                ((event_id, chunk_id) for event_id in result.event_ids),
            )
            campaign_row = await (
                await db.execute("SELECT campaign_id FROM chunks WHERE id = ?", (chunk_id,))
            ).fetchone()
            assert campaign_row is not None
            await db.executemany(
                "INSERT OR REPLACE INTO messages (campaign_id, msg_id, partner_msg_id, msisdn, "
                "status, number_sms, chunk_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        campaign_row[0],
                        m.msg_id,
                        m.partner_msg_id,
                        m.msisdn,
                        m.status,
                        m.number_sms,
                        chunk_id,
                    )
                    for m in result.messages
                ),
            )
            return True

    async def message_outcomes(self, campaign_id: int) -> list[MessageOutcome]:
        rows = await self._all(
            "SELECT partner_msg_id, msisdn, msg_id, status, number_sms FROM messages "
            "WHERE campaign_id = ? ORDER BY msg_id, partner_msg_id",
            (campaign_id,),
        )
        return [MessageOutcome(*row) for row in rows]

    # --- chat state -------------------------------------------------------------

    async def claim(self, event_id: str, at: datetime) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO claims (id, claimed_at) VALUES (?, ?)", (event_id, _iso(at))
            )
            return cursor.rowcount == 1

    async def get_conversation(self, key: str) -> Conversation | None:
        row = await self._one(
            "SELECT key, name, data, updated_at FROM conversations WHERE key = ?", (key,)
        )
        if row is None:
            return None
        updated = _time(row[3])
        assert updated is not None
        return Conversation(row[0], row[1], json.loads(row[2]), updated)

    async def save_conversation(
        self, key: str, name: str, data: dict[str, Any], at: datetime
    ) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO conversations (key, name, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET name = excluded.name, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (key, name, json.dumps(data), _iso(at)),
            )

    async def clear_conversation(self, key: str) -> None:
        async with self._write() as db:
            await db.execute("DELETE FROM conversations WHERE key = ?", (key,))

    async def save_account(self, username: str, secret: bytes, at: datetime) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO accounts (username, secret, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, "
                "updated_at = excluded.updated_at",
                (username, secret, _iso(at)),
            )

    async def account_secret(self, username: str) -> bytes | None:
        row = await self._one("SELECT secret FROM accounts WHERE username = ?", (username,))
        return None if row is None else bytes(row[0])

    async def link(self, identity: str, username: str, at: datetime) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO links (identity, username, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (identity) DO UPDATE SET username = excluded.username, "
                "updated_at = excluded.updated_at",
                (identity, username, _iso(at)),
            )

    async def unlink(self, identity: str) -> bool:
        async with self._write() as db:
            cursor = await db.execute("DELETE FROM links WHERE identity = ?", (identity,))
            return cursor.rowcount == 1

    async def linked_account(self, identity: str) -> str | None:
        row = await self._one("SELECT username FROM links WHERE identity = ?", (identity,))
        return None if row is None else str(row[0])

    async def get_preference(self, identity: str, name: str) -> str | None:
        row = await self._one(
            "SELECT value FROM preferences WHERE identity = ? AND name = ?", (identity, name)
        )
        return None if row is None else str(row[0])

    async def set_preference(self, identity: str, name: str, value: str) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO preferences (identity, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (identity, name) DO UPDATE SET value = excluded.value",
                (identity, name, value),
            )
