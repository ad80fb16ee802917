"""The audit log in PostgreSQL: the same rows and pages as SQLite's
(``storage/sqlite_audit.py``); the table's triggers refuse any UPDATE, DELETE or
TRUNCATE of it, from this code or anyone's ``psql``."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg.types.json import Jsonb

from bot.records import AuditAction, AuditEntry, NewAuditEntry
from storage.postgres_connection import PostgresConnection, Row, read_time_required, utc

_NO_BOUND = 2**63 - 1


def _entry(row: Row) -> AuditEntry:
    id_, at, who, who_name, chat, platform, account, action, what = row
    return AuditEntry(
        id=int(id_),
        at=read_time_required(at),
        who=who,
        who_name=who_name,
        chat=chat,
        platform=platform,
        account=account,
        action=AuditAction(action),
        what=dict(what),
    )


class AuditTables(PostgresConnection):
    """The audit-log part of :class:`~bot.store.Store`."""

    async def add_audit_entry(self, entry: NewAuditEntry) -> AuditEntry:
        row = await self._one(
            "INSERT INTO audit_log (at, who, who_name, chat, platform, account, action, what) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "RETURNING id, at, who, who_name, chat, platform, account, action, what",
            (
                utc(entry.at),
                entry.who,
                entry.who_name,
                entry.chat,
                entry.platform,
                entry.account,
                entry.action.value,
                Jsonb(entry.what),
            ),
        )
        assert row is not None
        return _entry(row)

    async def audit_entries(
        self,
        *,
        chats: Sequence[str],
        account: str | None,
        limit: int,
        before: int | None = None,
    ) -> list[AuditEntry]:
        # ``account = NULL`` is never true: with no account, only the chats' entries.
        rows = await self._all(
            "SELECT id, at, who, who_name, chat, platform, account, action, what "
            "FROM audit_log WHERE (chat = ANY(%s) OR account = %s) AND id < %s "
            "ORDER BY id DESC LIMIT %s",
            (list(chats), account, _NO_BOUND if before is None else before, max(limit, 0)),
        )
        return [_entry(row) for row in rows]
