"""Chat state in SQLite: claimed event ids, wizards, linked accounts, preferences."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.records import AccountLink, Conversation, TurnContext
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time


def _context(row: Iterable[Any]) -> TurnContext:
    lang, linked, secret, zone, key, name, data, updated = tuple(row)
    wizard = None
    if key is not None:
        at = parse_time(updated)
        assert at is not None
        wizard = Conversation(key, name, json.loads(data), at)
    link = AccountLink(linked, None if secret is None else bytes(secret))
    return TurnContext(lang, zone, wizard, link)


class ChatTables(SqliteConnection):
    """The chat half of :class:`~bot.store.Store`."""

    # --- chat state -------------------------------------------------------------

    async def claim(self, event_id: str, at: datetime) -> bool:
        claimed = await self._write_one(
            "INSERT INTO claims (id, claimed_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (event_id, iso_utc(at)),
        )
        return bool(claimed)

    async def begin_turn(
        self, event_id: str, at: datetime, identity: str, conversation: str | None
    ) -> TurnContext | None:
        rows = await self._write_one(
            "INSERT INTO claims (id, claimed_at) VALUES (?, ?) ON CONFLICT DO NOTHING "
            "RETURNING (SELECT value FROM preferences WHERE identity = ? AND name = 'lang'), "
            "(SELECT username FROM links WHERE identity = ?), "
            "(SELECT a.secret FROM links l JOIN accounts a ON a.username = l.username "
            "WHERE l.identity = ?), "
            "(SELECT value FROM preferences WHERE identity = ? AND name = 'timezone'), "
            "(SELECT key FROM conversations WHERE key = ?), "
            "(SELECT name FROM conversations WHERE key = ?), "
            "(SELECT data FROM conversations WHERE key = ?), "
            "(SELECT updated_at FROM conversations WHERE key = ?)",
            (event_id, iso_utc(at), identity, *[identity] * 3, *[conversation] * 4),
        )
        return _context(rows[0]) if rows else None

    async def prune_claims(self, before: datetime) -> int:
        async with self._write(money=False) as db:
            cursor = await db.execute("DELETE FROM claims WHERE claimed_at < ?", (iso_utc(before),))
            return cursor.rowcount

    async def get_conversation(self, key: str) -> Conversation | None:
        row = await self._one(
            "SELECT key, name, data, updated_at FROM conversations WHERE key = ?", (key,)
        )
        if row is None:
            return None
        updated = parse_time(row[3])
        assert updated is not None
        return Conversation(row[0], row[1], json.loads(row[2]), updated)

    async def turn_context(self, identity: str, conversation: str | None) -> TurnContext:
        row = await self._one(
            "SELECT (SELECT value FROM preferences WHERE identity = ? AND name = 'lang'), "
            "(SELECT username FROM links WHERE identity = ?), "
            "(SELECT a.secret FROM links l JOIN accounts a ON a.username = l.username "
            "WHERE l.identity = ?), "
            "(SELECT value FROM preferences WHERE identity = ? AND name = 'timezone'), "
            "c.key, c.name, c.data, c.updated_at "
            "FROM (SELECT 1) LEFT JOIN conversations c ON c.key = ?",
            (*[identity] * 4, conversation),
        )
        return _context(row)

    async def save_conversation(
        self, key: str, name: str, data: dict[str, Any], at: datetime
    ) -> None:
        async with self._write(money=False) as db:
            await db.execute(
                "INSERT INTO conversations (key, name, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET name = excluded.name, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (key, name, json.dumps(data), iso_utc(at)),
            )

    async def clear_conversation(self, key: str) -> None:
        async with self._write(money=False) as db:
            await db.execute("DELETE FROM conversations WHERE key = ?", (key,))

    async def save_account(self, username: str, secret: bytes, at: datetime) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO accounts (username, secret, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, "
                "updated_at = excluded.updated_at",
                (username, secret, iso_utc(at)),
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
                (identity, username, iso_utc(at)),
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
        async with self._write(money=False) as db:
            await db.execute(
                "INSERT INTO preferences (identity, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (identity, name) DO UPDATE SET value = excluded.value",
                (identity, name, value),
            )
