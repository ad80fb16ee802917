"""What a chat keeps by name (templates, recipient lists) and the opt-out list, in PostgreSQL.

The same rows as SQLite's (``storage/sqlite_lists.py``). A list's numbers go
in by ``COPY`` in the transaction that saves the list; questions about many
numbers at once are one statement over an array (``= ANY(%s)``, ``unnest``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.records import Recipient, SavedList, Template
from storage.postgres_campaigns import partner_msg_id
from storage.postgres_connection import PostgresConnection, Row, read_time, read_time_required, utc

_TEMPLATE_COLUMNS = "id, chat, name, text, created_by, updated_at"
_LIST_COLUMNS = "id, chat, name, size, created_by, updated_at, last_used_at"


def _template(row: Row) -> Template:
    id_, chat, name, text, by, updated = row
    return Template(
        id=id_,
        chat=chat,
        name=name,
        text=text,
        created_by=by,
        updated_at=read_time_required(updated),
    )


def _saved_list(row: Row) -> SavedList:
    id_, chat, name, size, by, updated, used = row
    return SavedList(
        id=id_,
        chat=chat,
        name=name,
        size=size,
        created_by=by,
        updated_at=read_time_required(updated),
        last_used_at=read_time(used),
    )


class ListTables(PostgresConnection):
    """Templates, saved recipient lists, the opt-out list and the exclusions it makes."""

    # --- templates ----------------------------------------------------------------

    async def save_template(
        self, chat: str, name: str, text: str, created_by: str, at: datetime
    ) -> Template:
        row = await self._one(
            "INSERT INTO templates (chat, name, text, created_by, updated_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (chat, name) DO UPDATE SET "
            "text = excluded.text, created_by = excluded.created_by, "
            "updated_at = excluded.updated_at "
            "RETURNING id, chat, name, text, created_by, updated_at",
            (chat, name, text, created_by, utc(at)),
        )
        assert row is not None
        return _template(row)

    async def find_template(self, chat: str, name: str) -> Template | None:
        row = await self._one(
            "SELECT id, chat, name, text, created_by, updated_at FROM templates "
            "WHERE chat = %s AND name = %s",
            (chat, name),
        )
        return None if row is None else _template(row)

    async def get_template(self, template_id: int) -> Template | None:
        row = await self._one(
            "SELECT id, chat, name, text, created_by, updated_at FROM templates WHERE id = %s",
            (template_id,),
        )
        return None if row is None else _template(row)

    async def list_templates(self, chat: str) -> list[Template]:
        # COLLATE "C": the byte order SQLite sorts text in, whatever the database's locale.
        rows = await self._all(
            "SELECT id, chat, name, text, created_by, updated_at FROM templates "
            'WHERE chat = %s ORDER BY name COLLATE "C"',
            (chat,),
        )
        return [_template(row) for row in rows]

    async def delete_template(self, chat: str, name: str) -> bool:
        changed = await self._count(
            "DELETE FROM templates WHERE chat = %s AND name = %s", (chat, name)
        )
        return changed == 1

    # --- saved recipient lists ------------------------------------------------------

    async def save_recipient_list(
        self, chat: str, name: str, msisdns: Sequence[str], created_by: str, at: datetime
    ) -> SavedList:
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO recipient_lists (chat, name, size, created_by, updated_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (chat, name) DO UPDATE SET "
                "size = excluded.size, created_by = excluded.created_by, "
                "updated_at = excluded.updated_at "
                "RETURNING id, chat, name, size, created_by, updated_at, last_used_at",
                (chat, name, len(msisdns), created_by, utc(at)),
            )
            row = await cursor.fetchone()
            assert row is not None
            saved = _saved_list(row)
            await conn.execute("DELETE FROM recipient_list_numbers WHERE list_id = %s", (saved.id,))
            async with cursor.copy(
                "COPY recipient_list_numbers (list_id, seq, msisdn) FROM STDIN"
            ) as copy:
                for seq, msisdn in enumerate(msisdns):
                    await copy.write_row((saved.id, seq, msisdn))
        return saved

    async def find_recipient_list(self, chat: str, name: str) -> SavedList | None:
        row = await self._one(
            "SELECT id, chat, name, size, created_by, updated_at, last_used_at "
            "FROM recipient_lists WHERE chat = %s AND name = %s",
            (chat, name),
        )
        return None if row is None else _saved_list(row)

    async def get_recipient_list(self, list_id: int) -> SavedList | None:
        row = await self._one(
            "SELECT id, chat, name, size, created_by, updated_at, last_used_at "
            "FROM recipient_lists WHERE id = %s",
            (list_id,),
        )
        return None if row is None else _saved_list(row)

    async def list_recipient_lists(self, chat: str) -> list[SavedList]:
        rows = await self._all(
            "SELECT id, chat, name, size, created_by, updated_at, last_used_at "
            'FROM recipient_lists WHERE chat = %s ORDER BY name COLLATE "C"',
            (chat,),
        )
        return [_saved_list(row) for row in rows]

    async def recipient_list_numbers(self, list_id: int, limit: int | None = None) -> list[str]:
        rows = await self._all(
            "SELECT msisdn FROM recipient_list_numbers WHERE list_id = %s ORDER BY seq LIMIT %s",
            (list_id, limit),
        )
        return [row[0] for row in rows]

    async def mark_recipient_list_used(self, list_id: int, at: datetime) -> None:
        await self._count(
            "UPDATE recipient_lists SET last_used_at = %s WHERE id = %s", (utc(at), list_id)
        )

    async def delete_recipient_list(self, chat: str, name: str) -> bool:
        changed = await self._count(
            "DELETE FROM recipient_lists WHERE chat = %s AND name = %s", (chat, name)
        )
        return changed == 1

    # --- the opt-out list ----------------------------------------------------------

    async def add_opt_outs(
        self, account: str, msisdns: Sequence[str], added_by: str, at: datetime
    ) -> int:
        return await self._count(
            "INSERT INTO opt_outs (account, msisdn, added_by, added_at) "
            "SELECT %s, m, %s, %s FROM unnest(%s::text[]) AS m "
            "ON CONFLICT (account, msisdn) DO NOTHING",
            (account, added_by, utc(at), list(dict.fromkeys(msisdns))),
        )

    async def remove_opt_outs(self, account: str, msisdns: Sequence[str]) -> int:
        return await self._count(
            "DELETE FROM opt_outs WHERE account = %s AND msisdn = ANY(%s::text[])",
            (account, list(msisdns)),
        )

    async def count_opt_outs(self, account: str) -> int:
        row = await self._one("SELECT count(*) FROM opt_outs WHERE account = %s", (account,))
        return int(row[0]) if row else 0

    async def opted_out(self, account: str, msisdns: Sequence[str]) -> set[str]:
        if not msisdns:
            return set()
        rows = await self._all(
            "SELECT msisdn FROM opt_outs WHERE account = %s AND msisdn = ANY(%s::text[])",
            (account, list(msisdns)),
        )
        return {row[0] for row in rows}

    async def exclude_recipients(self, campaign_id: int, seqs: Sequence[int], at: datetime) -> int:
        return await self._count(
            "INSERT INTO excluded_recipients (campaign_id, seq, excluded_at) "
            "SELECT %s, s, %s FROM unnest(%s::integer[]) AS s "
            "ON CONFLICT (campaign_id, seq) DO NOTHING",
            (campaign_id, utc(at), list(dict.fromkeys(seqs))),
        )

    async def excluded_recipients(self, campaign_id: int) -> list[Recipient]:
        rows = await self._all(
            "SELECT r.seq, r.msisdn, c.key FROM excluded_recipients x "
            "JOIN recipients r ON r.campaign_id = x.campaign_id AND r.seq = x.seq "
            "JOIN campaigns c ON c.id = x.campaign_id WHERE x.campaign_id = %s ORDER BY x.seq",
            (campaign_id,),
        )
        return [Recipient(seq, msisdn, partner_msg_id(key, seq)) for seq, msisdn, key in rows]
