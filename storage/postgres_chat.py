"""Chat state in PostgreSQL: claimed event ids, wizards, linked accounts, preferences.

Wizard data is ``jsonb``, account secrets ``bytea``; every write is one
upsert, so concurrent replicas answering the same chat never collide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from bot.records import AccountLink, Conversation, TurnContext
from storage.postgres_connection import PostgresConnection, Row, read_time_required, utc


def _context(row: Row) -> TurnContext:
    lang, linked, secret, zone, key, name, data, updated = row
    wizard = None
    if key is not None:
        wizard = Conversation(key, name, data, read_time_required(updated))
    link = AccountLink(linked, None if secret is None else bytes(secret))
    return TurnContext(lang, zone, wizard, link)


class ChatTables(PostgresConnection):
    """The chat half of :class:`~bot.store.Store`."""

    # --- chat state -------------------------------------------------------------

    async def claim(self, event_id: str, at: datetime) -> bool:
        changed = await self._count(
            "INSERT INTO claims (id, claimed_at) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
            (event_id, utc(at)),
        )
        return changed == 1

    async def begin_turn(
        self, event_id: str, at: datetime, identity: str, conversation: str | None
    ) -> TurnContext | None:
        row = await self._one(
            "INSERT INTO claims (id, claimed_at) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING "
            "RETURNING (SELECT value FROM preferences WHERE identity = %s AND name = 'lang'), "
            "(SELECT username FROM links WHERE identity = %s), "
            "(SELECT a.secret FROM links l JOIN accounts a ON a.username = l.username "
            "WHERE l.identity = %s), "
            "(SELECT value FROM preferences WHERE identity = %s AND name = 'timezone'), "
            "(SELECT key FROM conversations WHERE key = %s), "
            "(SELECT name FROM conversations WHERE key = %s), "
            "(SELECT data FROM conversations WHERE key = %s), "
            "(SELECT updated_at FROM conversations WHERE key = %s)",
            (event_id, utc(at), identity, *[identity] * 3, *[conversation] * 4),
        )
        return None if row is None else _context(row)

    async def prune_claims(self, before: datetime) -> int:
        return await self._count("DELETE FROM claims WHERE claimed_at < %s", (utc(before),))

    async def get_conversation(self, key: str) -> Conversation | None:
        row = await self._one(
            "SELECT key, name, data, updated_at FROM conversations WHERE key = %s", (key,)
        )
        if row is None:
            return None
        return Conversation(row[0], row[1], row[2], read_time_required(row[3]))

    async def turn_context(self, identity: str, conversation: str | None) -> TurnContext:
        row = await self._one(
            "SELECT (SELECT value FROM preferences WHERE identity = %s AND name = 'lang'), "
            "(SELECT username FROM links WHERE identity = %s), "
            "(SELECT a.secret FROM links l JOIN accounts a ON a.username = l.username "
            "WHERE l.identity = %s), "
            "(SELECT value FROM preferences WHERE identity = %s AND name = 'timezone'), "
            "c.key, c.name, c.data, c.updated_at "
            "FROM (SELECT 1) AS one LEFT JOIN conversations c ON c.key = %s",
            (*[identity] * 4, conversation),
        )
        assert row is not None
        return _context(row)

    async def save_conversation(
        self, key: str, name: str, data: dict[str, Any], at: datetime
    ) -> None:
        await self._count(
            "INSERT INTO conversations (key, name, data, updated_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET name = excluded.name, data = excluded.data, "
            "updated_at = excluded.updated_at",
            (key, name, Jsonb(data), utc(at)),
        )

    async def clear_conversation(self, key: str) -> None:
        await self._count("DELETE FROM conversations WHERE key = %s", (key,))

    async def save_account(self, username: str, secret: bytes, at: datetime) -> None:
        await self._count(
            "INSERT INTO accounts (username, secret, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, "
            "updated_at = excluded.updated_at",
            (username, bytes(secret), utc(at)),
        )

    async def account_secret(self, username: str) -> bytes | None:
        row = await self._one("SELECT secret FROM accounts WHERE username = %s", (username,))
        return None if row is None else bytes(row[0])

    async def link(self, identity: str, username: str, at: datetime) -> None:
        await self._count(
            "INSERT INTO links (identity, username, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (identity) DO UPDATE SET username = excluded.username, "
            "updated_at = excluded.updated_at",
            (identity, username, utc(at)),
        )

    async def unlink(self, identity: str) -> bool:
        changed = await self._count("DELETE FROM links WHERE identity = %s", (identity,))
        return changed == 1

    async def linked_account(self, identity: str) -> str | None:
        row = await self._one("SELECT username FROM links WHERE identity = %s", (identity,))
        return None if row is None else str(row[0])

    async def get_preference(self, identity: str, name: str) -> str | None:
        row = await self._one(
            "SELECT value FROM preferences WHERE identity = %s AND name = %s", (identity, name)
        )
        return None if row is None else str(row[0])

    async def set_preference(self, identity: str, name: str, value: str) -> None:
        await self._count(
            "INSERT INTO preferences (identity, name, value) VALUES (%s, %s, %s) "
            "ON CONFLICT (identity, name) DO UPDATE SET value = excluded.value",
            (identity, name, value),
        )
