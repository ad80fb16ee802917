"""Credit watches in PostgreSQL: the same rows and the same one-statement decisions as
SQLite's (``storage/sqlite_watch.py``), so of several replicas one pushes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from bot.records import CreditAlert, PaymentWatch
from storage.postgres_connection import PostgresConnection, Row, read_time_required, utc


def _alert(row: Row) -> CreditAlert:
    account, chat, threshold, below, crossings, data, by, updated = row
    return CreditAlert(
        account=account,
        chat=chat,
        threshold=int(threshold),
        below=bool(below),
        crossings=int(crossings),
        data=dict(data),
        set_by=by,
        updated_at=read_time_required(updated),
    )


def _watch(row: Row) -> PaymentWatch:
    id_, account, chat, baseline, data, started, until = row
    return PaymentWatch(
        id=int(id_),
        account=account,
        chat=chat,
        baseline=int(baseline),
        data=dict(data),
        started_at=read_time_required(started),
        until=read_time_required(until),
    )


class WatchTables(PostgresConnection):
    """The credit-watch part of :class:`~bot.store.Store`."""

    async def set_credit_alert(
        self,
        account: str,
        chat: str,
        threshold: int,
        data: dict[str, Any],
        set_by: str,
        at: datetime,
    ) -> CreditAlert:
        row = await self._one(
            "INSERT INTO credit_alerts (account, chat, threshold, below, crossings, data, "
            "set_by, updated_at) VALUES (%s, %s, %s, false, 0, %s, %s, %s) "
            "ON CONFLICT (account, chat) DO UPDATE SET threshold = excluded.threshold, "
            "below = false, data = excluded.data, set_by = excluded.set_by, "
            "updated_at = excluded.updated_at RETURNING account, chat, threshold, "
            "below, crossings, data, set_by, updated_at",
            (account, chat, threshold, Jsonb(data), set_by, utc(at)),
        )
        assert row is not None
        return _alert(row)

    async def delete_credit_alert(self, account: str, chat: str) -> bool:
        changed = await self._count(
            "DELETE FROM credit_alerts WHERE account = %s AND chat = %s", (account, chat)
        )
        return changed == 1

    async def credit_alerts(self, account: str | None = None) -> list[CreditAlert]:
        if account is None:
            rows = await self._all(
                "SELECT account, chat, threshold, below, crossings, data, set_by, updated_at "
                "FROM credit_alerts "
                'ORDER BY account COLLATE "C", chat COLLATE "C"'
            )
        else:
            rows = await self._all(
                "SELECT account, chat, threshold, below, crossings, data, set_by, updated_at "
                "FROM credit_alerts "
                'WHERE account = %s ORDER BY chat COLLATE "C"',
                (account,),
            )
        return [_alert(row) for row in rows]

    async def mark_credit_alert(
        self, account: str, chat: str, *, below: bool, at: datetime
    ) -> bool:
        changed = await self._count(
            "UPDATE credit_alerts SET below = %s, crossings = crossings + %s, updated_at = %s "
            "WHERE account = %s AND chat = %s AND below <> %s",
            (below, int(below), utc(at), account, chat, below),
        )
        return changed == 1

    async def add_payment_watch(
        self,
        account: str,
        chat: str,
        baseline: int,
        data: dict[str, Any],
        at: datetime,
        until: datetime,
    ) -> PaymentWatch:
        row = await self._one(
            "INSERT INTO payment_watches (account, chat, baseline, data, started_at, until) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id, account, chat, "
            "baseline, data, started_at, until",
            (account, chat, baseline, Jsonb(data), utc(at), utc(until)),
        )
        assert row is not None
        return _watch(row)

    async def payment_watches(self, at: datetime) -> list[PaymentWatch]:
        await self._count("DELETE FROM payment_watches WHERE until <= %s", (utc(at),))
        rows = await self._all(
            "SELECT id, account, chat, baseline, data, started_at, until "
            "FROM payment_watches ORDER BY id"
        )
        return [_watch(row) for row in rows]

    async def end_payment_watch(self, watch_id: int) -> bool:
        changed = await self._count("DELETE FROM payment_watches WHERE id = %s", (watch_id,))
        return changed == 1
