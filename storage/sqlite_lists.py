"""What a chat keeps by name (templates, recipient lists) and the opt-out list, in SQLite.

A saved list's numbers are rows of their own, in the order saved; the list's
row keeps their count, so listing a chat's lists never reads its numbers.
Questions about many numbers at once (which of 100,000 recipients are on the
opt-out list) are one query over a JSON array (``json_each``), never one
parameter per number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.records import Recipient, SavedList, Template
from storage.sqlite_campaigns import partner_msg_id
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time

_TEMPLATE_COLUMNS = "id, chat, name, text, created_by, updated_at"
_LIST_COLUMNS = "id, chat, name, size, created_by, updated_at, last_used_at"


def _template(row: Iterable[Any]) -> Template:
    id_, chat, name, text, by, updated = tuple(row)
    updated_at = parse_time(updated)
    assert updated_at is not None
    return Template(id=id_, chat=chat, name=name, text=text, created_by=by, updated_at=updated_at)


def _saved_list(row: Iterable[Any]) -> SavedList:
    id_, chat, name, size, by, updated, used = tuple(row)
    updated_at = parse_time(updated)
    assert updated_at is not None
    return SavedList(
        id=id_,
        chat=chat,
        name=name,
        size=size,
        created_by=by,
        updated_at=updated_at,
        last_used_at=parse_time(used),
    )


class ListTables(SqliteConnection):
    """Templates, saved recipient lists, the opt-out list and the exclusions it makes."""

    # --- templates ----------------------------------------------------------------

    async def save_template(
        self, chat: str, name: str, text: str, created_by: str, at: datetime
    ) -> Template:
        async with self._write(money=False) as db:
            await db.execute(
                "INSERT INTO templates (chat, name, text, created_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat, name) DO UPDATE SET "
                "text = excluded.text, created_by = excluded.created_by, "
                "updated_at = excluded.updated_at",
                (chat, name, text, created_by, iso_utc(at)),
            )
        found = await self.find_template(chat, name)
        assert found is not None
        return found

    async def find_template(self, chat: str, name: str) -> Template | None:
        row = await self._one(
            f"SELECT {_TEMPLATE_COLUMNS} FROM templates WHERE chat = ? AND name = ?", (chat, name)
        )
        return None if row is None else _template(row)

    async def get_template(self, template_id: int) -> Template | None:
        row = await self._one(
            f"SELECT {_TEMPLATE_COLUMNS} FROM templates WHERE id = ?", (template_id,)
        )
        return None if row is None else _template(row)

    async def list_templates(self, chat: str) -> list[Template]:
        rows = await self._all(
            f"SELECT {_TEMPLATE_COLUMNS} FROM templates WHERE chat = ? ORDER BY name", (chat,)
        )
        return [_template(row) for row in rows]

    async def delete_template(self, chat: str, name: str) -> bool:
        async with self._write(money=False) as db:
            cursor = await db.execute(
                "DELETE FROM templates WHERE chat = ? AND name = ?", (chat, name)
            )
            return cursor.rowcount == 1

    # --- saved recipient lists ------------------------------------------------------

    async def save_recipient_list(
        self, chat: str, name: str, msisdns: Sequence[str], created_by: str, at: datetime
    ) -> SavedList:
        async with self._write() as db:
            row = await (
                await db.execute(
                    "INSERT INTO recipient_lists (chat, name, size, created_by, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat, name) DO UPDATE SET "
                    "size = excluded.size, created_by = excluded.created_by, "
                    "updated_at = excluded.updated_at RETURNING id",
                    (chat, name, len(msisdns), created_by, iso_utc(at)),
                )
            ).fetchone()
            assert row is not None
            list_id = row[0]
            await db.execute("DELETE FROM recipient_list_numbers WHERE list_id = ?", (list_id,))
            await db.executemany(
                "INSERT INTO recipient_list_numbers (list_id, seq, msisdn) VALUES (?, ?, ?)",
                ((list_id, seq, msisdn) for seq, msisdn in enumerate(msisdns)),
            )
        found = await self.get_recipient_list(list_id)
        assert found is not None
        return found

    async def find_recipient_list(self, chat: str, name: str) -> SavedList | None:
        row = await self._one(
            f"SELECT {_LIST_COLUMNS} FROM recipient_lists WHERE chat = ? AND name = ?",
            (chat, name),
        )
        return None if row is None else _saved_list(row)

    async def get_recipient_list(self, list_id: int) -> SavedList | None:
        row = await self._one(
            f"SELECT {_LIST_COLUMNS} FROM recipient_lists WHERE id = ?", (list_id,)
        )
        return None if row is None else _saved_list(row)

    async def list_recipient_lists(self, chat: str) -> list[SavedList]:
        rows = await self._all(
            f"SELECT {_LIST_COLUMNS} FROM recipient_lists WHERE chat = ? ORDER BY name", (chat,)
        )
        return [_saved_list(row) for row in rows]

    async def recipient_list_numbers(self, list_id: int, limit: int | None = None) -> list[str]:
        rows = await self._all(
            "SELECT msisdn FROM recipient_list_numbers WHERE list_id = ? ORDER BY seq LIMIT ?",
            (list_id, -1 if limit is None else limit),
        )
        return [row[0] for row in rows]

    async def mark_recipient_list_used(self, list_id: int, at: datetime) -> None:
        async with self._write(money=False) as db:
            await db.execute(
                "UPDATE recipient_lists SET last_used_at = ? WHERE id = ?", (iso_utc(at), list_id)
            )

    async def delete_recipient_list(self, chat: str, name: str) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "DELETE FROM recipient_lists WHERE chat = ? AND name = ?", (chat, name)
            )
            return cursor.rowcount == 1

    # --- the opt-out list ----------------------------------------------------------

    async def add_opt_outs(
        self, account: str, msisdns: Sequence[str], added_by: str, at: datetime
    ) -> int:
        async with self._write() as db:
            before = await self._count_in(db, account)
            await db.executemany(
                "INSERT OR IGNORE INTO opt_outs (account, msisdn, added_by, added_at) "
                "VALUES (?, ?, ?, ?)",
                ((account, msisdn, added_by, iso_utc(at)) for msisdn in msisdns),
            )
            return await self._count_in(db, account) - before

    async def remove_opt_outs(self, account: str, msisdns: Sequence[str]) -> int:
        async with self._write() as db:
            cursor = await db.execute(
                "DELETE FROM opt_outs WHERE account = ? AND msisdn IN "
                "(SELECT value FROM json_each(?))",
                (account, json.dumps(list(msisdns))),
            )
            return cursor.rowcount

    async def count_opt_outs(self, account: str) -> int:
        row = await self._one("SELECT count(*) FROM opt_outs WHERE account = ?", (account,))
        return int(row[0]) if row else 0

    @staticmethod
    async def _count_in(db: aiosqlite.Connection, account: str) -> int:
        row = await (
            await db.execute("SELECT count(*) FROM opt_outs WHERE account = ?", (account,))
        ).fetchone()
        return int(row[0]) if row else 0

    async def opted_out(self, account: str, msisdns: Sequence[str]) -> set[str]:
        if not msisdns:
            return set()
        # An account's list is most often shorter than a campaign's part: read whole, it is
        # looked through here, with no thousand numbers sent as JSON and indexed again.
        rows = await self._all(
            "SELECT msisdn FROM opt_outs WHERE account = ? LIMIT ?", (account, len(msisdns) + 1)
        )
        if len(rows) <= len(msisdns):
            listed = {row[0] for row in rows}
            return listed.intersection(msisdns) if listed else set()
        rows = await self._all(
            "SELECT o.msisdn FROM opt_outs o WHERE o.account = ? AND o.msisdn IN "
            "(SELECT value FROM json_each(?))",
            (account, json.dumps(list(msisdns))),
        )
        return {row[0] for row in rows}

    async def exclude_recipients(self, campaign_id: int, seqs: Sequence[int], at: datetime) -> int:
        async with self._write() as db:
            cursor = await db.executemany(
                "INSERT OR IGNORE INTO excluded_recipients (campaign_id, seq, excluded_at) "
                "VALUES (?, ?, ?)",
                ((campaign_id, seq, iso_utc(at)) for seq in seqs),
            )
            return max(cursor.rowcount, 0)

    async def excluded_recipients(self, campaign_id: int) -> list[Recipient]:
        rows = await self._all(
            "SELECT r.seq, r.msisdn, c.key FROM excluded_recipients x "
            "JOIN recipients r ON r.campaign_id = x.campaign_id AND r.seq = x.seq "
            "JOIN campaigns c ON c.id = x.campaign_id WHERE x.campaign_id = ? ORDER BY x.seq",
            (campaign_id,),
        )
        return [Recipient(seq, msisdn, partner_msg_id(key, seq)) for seq, msisdn, key in rows]
