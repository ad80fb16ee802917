"""Credit watches in SQLite: low-credit alerts per account and chat, and the payments a
/buy waits for. Every change that decides a push is one conditional statement, so of
several workers reading the same balance only one pushes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.records import CreditAlert, PaymentWatch
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time


def _alert(row: Iterable[Any]) -> CreditAlert:
    account, chat, threshold, below, crossings, data, by, updated = tuple(row)
    updated_at = parse_time(updated)
    assert updated_at is not None
    return CreditAlert(
        account=account,
        chat=chat,
        threshold=int(threshold),
        below=bool(below),
        crossings=int(crossings),
        data=json.loads(data),
        set_by=by,
        updated_at=updated_at,
    )


def _watch(row: Iterable[Any]) -> PaymentWatch:
    id_, account, chat, baseline, data, started, until = tuple(row)
    started_at, until_at = parse_time(started), parse_time(until)
    assert started_at is not None
    assert until_at is not None
    return PaymentWatch(
        id=int(id_),
        account=account,
        chat=chat,
        baseline=int(baseline),
        data=json.loads(data),
        started_at=started_at,
        until=until_at,
    )


class WatchTables(SqliteConnection):
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
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "INSERT INTO credit_alerts (account, chat, threshold, below, crossings, data, "
                "set_by, updated_at) VALUES (?, ?, ?, 0, 0, ?, ?, ?) "
                "ON CONFLICT (account, chat) DO UPDATE SET threshold = excluded.threshold, "
                "below = 0, data = excluded.data, set_by = excluded.set_by, "
                "updated_at = excluded.updated_at RETURNING account, chat, threshold, "
                "below, crossings, data, set_by, updated_at",
                (account, chat, threshold, json.dumps(data), set_by, iso_utc(at)),
            )
        return _alert(next(iter(rows)))

    async def delete_credit_alert(self, account: str, chat: str) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "DELETE FROM credit_alerts WHERE account = ? AND chat = ?", (account, chat)
            )
            return cursor.rowcount == 1

    async def credit_alerts(self, account: str | None = None) -> list[CreditAlert]:
        if account is None:
            rows = await self._all(
                "SELECT account, chat, threshold, below, crossings, data, set_by, updated_at "
                "FROM credit_alerts ORDER BY account, chat"
            )
        else:
            rows = await self._all(
                "SELECT account, chat, threshold, below, crossings, data, set_by, updated_at "
                "FROM credit_alerts WHERE account = ? ORDER BY chat",
                (account,),
            )
        return [_alert(row) for row in rows]

    async def mark_credit_alert(
        self, account: str, chat: str, *, below: bool, at: datetime
    ) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE credit_alerts SET below = ?, crossings = crossings + ?, updated_at = ? "
                "WHERE account = ? AND chat = ? AND below <> ?",
                (int(below), int(below), iso_utc(at), account, chat, int(below)),
            )
            return cursor.rowcount == 1

    async def add_payment_watch(
        self,
        account: str,
        chat: str,
        baseline: int,
        data: dict[str, Any],
        at: datetime,
        until: datetime,
    ) -> PaymentWatch:
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "INSERT INTO payment_watches (account, chat, baseline, data, started_at, until) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id, account, chat, "
                "baseline, data, started_at, until",
                (account, chat, baseline, json.dumps(data), iso_utc(at), iso_utc(until)),
            )
        return _watch(next(iter(rows)))

    async def payment_watches(self, at: datetime) -> list[PaymentWatch]:
        async with self._write(money=False) as db:
            await db.execute("DELETE FROM payment_watches WHERE until <= ?", (iso_utc(at),))
        rows = await self._all(
            "SELECT id, account, chat, baseline, data, started_at, until "
            "FROM payment_watches ORDER BY id"
        )
        return [_watch(row) for row in rows]

    async def end_payment_watch(self, watch_id: int) -> bool:
        async with self._write() as db:
            cursor = await db.execute("DELETE FROM payment_watches WHERE id = ?", (watch_id,))
            return cursor.rowcount == 1
