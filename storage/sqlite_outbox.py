"""The outbox in SQLite: notices the worker keeps up to date and the adapters deliver.

A notice is added with the money writes' FULL; its bookkeeping after that (a new
version, a courier's lease, what is shown) commits at NORMAL, like a chat's writes:
lost only to a power cut before the next FULL commit, and then a message is shown
again (or edited one version late), never a send."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.records import Notice
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time

_NOTICE_COLUMNS = "id, chat, subject, data, version, shown_version, ref, created_at, updated_at"


def _notice(row: Iterable[Any]) -> Notice:
    id_, chat, subject, data, version, shown, ref, created, updated = tuple(row)
    created_at, updated_at = parse_time(created), parse_time(updated)
    assert created_at is not None
    assert updated_at is not None
    return Notice(
        id=id_,
        chat=chat,
        subject=subject,
        data=json.loads(data),
        version=version,
        shown_version=shown,
        ref=ref,
        created_at=created_at,
        updated_at=updated_at,
    )


# "Starts with", case-sensitive (SQLite's LIKE folds ASCII case) and with no wildcards.
_STARTS = "substr(chat, 1, length(?)) = ?"


class OutboxTables(SqliteConnection):
    """The outbox part of :class:`~bot.store.Store`."""

    async def add_notice(
        self, chat: str, subject: str, data: dict[str, Any], at: datetime
    ) -> Notice:
        async with self._write() as db:
            cursor = await db.execute(
                "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat, subject) DO UPDATE SET "
                "data = excluded.data, version = version + 1, updated_at = excluded.updated_at "
                f"RETURNING {_NOTICE_COLUMNS}",
                (chat, subject, json.dumps(data), iso_utc(at), iso_utc(at)),
            )
            row = await cursor.fetchone()
        assert row is not None
        return _notice(row)

    async def touch_notices(self, subject: str, at: datetime) -> int:
        async with self._write(money=False) as db:
            cursor = await db.execute(
                "UPDATE notices SET version = version + 1, updated_at = ? WHERE subject = ?",
                (iso_utc(at), subject),
            )
            return cursor.rowcount

    async def claim_notices(
        self, chat_prefix: str, owner: str, at: datetime, lease: timedelta, limit: int = 20
    ) -> list[Notice]:
        now = iso_utc(at)
        async with self._write(money=False) as db:
            cursor = await db.execute(
                "UPDATE notices SET lease_owner = ?, lease_expires = ? WHERE id IN ("
                "SELECT id FROM notices WHERE version > shown_version "
                f"AND {_STARTS} "
                "AND (lease_expires IS NULL OR lease_expires <= ?) "
                "AND (not_before IS NULL OR not_before <= ?) "
                "ORDER BY updated_at, id LIMIT ?) "
                f"RETURNING {_NOTICE_COLUMNS}",
                (owner, iso_utc(at + lease), chat_prefix, chat_prefix, now, now, limit),
            )
            rows = await cursor.fetchall()
        return sorted((_notice(row) for row in rows), key=lambda n: (n.updated_at, n.id))

    async def notice_shown(
        self,
        notice_id: int,
        version: int,
        owner: str,
        *,
        ref: str | None,
        at: datetime,
        next_at: datetime,
    ) -> bool:
        async with self._write(money=False) as db:
            cursor = await db.execute(
                "UPDATE notices SET shown_version = max(shown_version, ?), "
                "ref = coalesce(?, ref), lease_owner = NULL, lease_expires = NULL, "
                "not_before = ? WHERE id = ? AND lease_owner = ?",
                (version, ref, iso_utc(next_at), notice_id, owner),
            )
            return cursor.rowcount == 1

    async def notice_failed(self, notice_id: int, owner: str, retry_at: datetime) -> bool:
        async with self._write(money=False) as db:
            cursor = await db.execute(
                "UPDATE notices SET lease_owner = NULL, lease_expires = NULL, not_before = ? "
                "WHERE id = ? AND lease_owner = ?",
                (iso_utc(retry_at), notice_id, owner),
            )
            return cursor.rowcount == 1

    async def get_notice(self, notice_id: int) -> Notice | None:
        row = await self._one(f"SELECT {_NOTICE_COLUMNS} FROM notices WHERE id = ?", (notice_id,))
        return None if row is None else _notice(row)

    async def pending_notices(self, *, chat_prefix: str = "") -> int:
        row = await self._one(
            f"SELECT count(*) FROM notices WHERE version > shown_version AND {_STARTS}",
            (chat_prefix, chat_prefix),
        )
        return int(row[0])
