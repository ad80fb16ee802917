"""The outbox in PostgreSQL: notices the worker keeps up to date and the adapters deliver.

Adapters in several replicas claim due notices of their platform at once;
like campaigns, a claim leases the rows it locked with ``FOR UPDATE SKIP
LOCKED``, so one notice is delivered by one of them until its lease expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb

from bot.records import Notice
from storage.postgres_connection import PostgresConnection, Row, read_time_required, utc

_NOTICE_COLUMNS = sql.SQL(
    "id, chat, subject, data, version, shown_version, ref, created_at, updated_at"
)
_ADD = sql.SQL(
    "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (chat, subject) DO UPDATE SET "
    "data = excluded.data, version = notices.version + 1, updated_at = excluded.updated_at "
    "RETURNING {}"
).format(_NOTICE_COLUMNS)
_CLAIM = sql.SQL(
    "WITH due AS (SELECT id FROM notices WHERE version > shown_version "
    "AND starts_with(chat, %(prefix)s) "
    "AND (lease_expires IS NULL OR lease_expires <= %(now)s) "
    "AND (not_before IS NULL OR not_before <= %(now)s) "
    "ORDER BY updated_at, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) "
    "UPDATE notices n SET lease_owner = %(owner)s, lease_expires = %(until)s "
    "FROM due WHERE n.id = due.id RETURNING {}"
).format(sql.SQL(", ").join(sql.Identifier("n", column) for column in (
    "id", "chat", "subject", "data", "version", "shown_version", "ref", "created_at", "updated_at",
)))  # fmt: skip
_GET = sql.SQL("SELECT {} FROM notices WHERE id = %s").format(_NOTICE_COLUMNS)


def _notice(row: Row) -> Notice:
    id_, chat, subject, data, version, shown, ref, created, updated = row
    return Notice(
        id=id_,
        chat=chat,
        subject=subject,
        data=data,
        version=version,
        shown_version=shown,
        ref=ref,
        created_at=read_time_required(created),
        updated_at=read_time_required(updated),
    )


class OutboxTables(PostgresConnection):
    """The outbox part of :class:`~bot.store.Store`."""

    async def add_notice(
        self, chat: str, subject: str, data: dict[str, Any], at: datetime
    ) -> Notice:
        moment = utc(at)
        row = await self._one(_ADD, (chat, subject, Jsonb(data), moment, moment))
        assert row is not None
        return _notice(row)

    async def touch_notices(self, subject: str, at: datetime) -> int:
        return await self._count(
            "UPDATE notices SET version = version + 1, updated_at = %s WHERE subject = %s",
            (utc(at), subject),
        )

    async def claim_notices(
        self, chat_prefix: str, owner: str, at: datetime, lease: timedelta, limit: int = 20
    ) -> list[Notice]:
        now = utc(at)
        rows = await self._all(
            _CLAIM,
            {
                "prefix": chat_prefix,
                "now": now,
                "limit": limit,
                "owner": owner,
                "until": now + lease,
            },
        )
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
        changed = await self._count(
            "UPDATE notices SET shown_version = greatest(shown_version, %s), "
            "ref = coalesce(%s, ref), lease_owner = NULL, lease_expires = NULL, "
            "not_before = %s WHERE id = %s AND lease_owner = %s",
            (version, ref, utc(next_at), notice_id, owner),
        )
        return changed == 1

    async def notice_failed(self, notice_id: int, owner: str, retry_at: datetime) -> bool:
        changed = await self._count(
            "UPDATE notices SET lease_owner = NULL, lease_expires = NULL, not_before = %s "
            "WHERE id = %s AND lease_owner = %s",
            (utc(retry_at), notice_id, owner),
        )
        return changed == 1

    async def get_notice(self, notice_id: int) -> Notice | None:
        row = await self._one(_GET, (notice_id,))
        return None if row is None else _notice(row)

    async def pending_notices(self, *, chat_prefix: str = "") -> int:
        row = await self._one(
            "SELECT count(*) FROM notices WHERE version > shown_version AND starts_with(chat, %s)",
            (chat_prefix,),
        )
        assert row is not None
        return int(row[0])
