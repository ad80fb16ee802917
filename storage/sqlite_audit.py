"""The audit log in SQLite: appended to in one durable transaction, read newest first a
page at a time; the table's triggers refuse any UPDATE or DELETE of it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.records import AuditAction, AuditEntry, NewAuditEntry
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time

_COLUMNS = "id, at, who, who_name, chat, platform, account, action, what"
_NO_BOUND = 2**63 - 1


def _entry(row: Iterable[Any]) -> AuditEntry:
    id_, at, who, who_name, chat, platform, account, action, what = tuple(row)
    moment = parse_time(at)
    assert moment is not None
    return AuditEntry(
        id=int(id_),
        at=moment,
        who=who,
        who_name=who_name,
        chat=chat,
        platform=platform,
        account=account,
        action=AuditAction(action),
        what=json.loads(what),
    )


class AuditTables(SqliteConnection):
    """The audit-log part of :class:`~bot.store.Store`."""

    async def add_audit_entry(self, entry: NewAuditEntry) -> AuditEntry:
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "INSERT INTO audit_log (at, who, who_name, chat, platform, account, action, "
                f"what) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
                (
                    iso_utc(entry.at),
                    entry.who,
                    entry.who_name,
                    entry.chat,
                    entry.platform,
                    entry.account,
                    entry.action.value,
                    json.dumps(entry.what, ensure_ascii=False, sort_keys=True),
                ),
            )
        return _entry(next(iter(rows)))

    async def audit_entries(
        self,
        *,
        chats: Sequence[str],
        account: str | None,
        limit: int,
        before: int | None = None,
    ) -> list[AuditEntry]:
        # ``account = NULL`` is never true: with no account, only the chats' entries.
        chats = list(chats)
        marks = ", ".join("?" * len(chats))
        rows = await self._all(
            f"SELECT {_COLUMNS} FROM audit_log WHERE (chat IN ({marks}) OR account = ?) "
            "AND id < ? ORDER BY id DESC LIMIT ?",
            (*chats, account, _NO_BOUND if before is None else before, max(limit, 0)),
        )
        return [_entry(row) for row in rows]
