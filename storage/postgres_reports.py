"""Scheduled-send reports in PostgreSQL: the same queries and the same one transaction
as SQLite's (``storage/sqlite_reports.py``), so of several replicas one reports."""

from __future__ import annotations

from datetime import datetime

from storage.postgres_connection import PostgresConnection, read_time, utc


class ReportTables(PostgresConnection):
    """The scheduled-send report part of :class:`~bot.store.Store`."""

    async def schedule_reports_due(self, at: datetime, limit: int = 20) -> list[int]:
        rows = await self._all(
            "SELECT id FROM campaigns WHERE reported_at IS NULL AND schedule_at IS NOT NULL "
            "AND phase = 'CONFIRMED' AND schedule_at <= %s "
            "AND work IS NULL AND NOT EXISTS (SELECT 1 FROM chunks WHERE "
            "chunks.campaign_id = campaigns.id AND chunks.state IN ('IN_FLIGHT', 'UNKNOWN')) "
            "ORDER BY schedule_at, id LIMIT %s",
            (utc(at), limit),
        )
        return [int(row[0]) for row in rows]

    async def next_schedule_report(self, after: datetime) -> datetime | None:
        row = await self._one(
            "SELECT min(schedule_at) FROM campaigns WHERE reported_at IS NULL "
            "AND schedule_at IS NOT NULL AND phase = 'CONFIRMED' AND schedule_at > %s",
            (utc(after),),
        )
        return None if row is None else read_time(row[0])

    async def report_schedule(
        self, campaign_id: int, at: datetime, *, follows: str, subject: str
    ) -> bool:
        now = utc(at)
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "UPDATE campaigns SET reported_at = %s WHERE id = %s AND reported_at IS NULL",
                (now, campaign_id),
            )
            if cursor.rowcount != 1:
                return False
            cursor = await conn.execute(
                "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                "SELECT chat, %s, data, %s, %s FROM notices WHERE subject = %s "
                "ON CONFLICT (chat, subject) DO NOTHING",
                (subject, now, now, follows),
            )
            if cursor.rowcount == 0:
                await conn.execute(
                    "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                    "SELECT chat, %s, '{}'::jsonb, %s, %s FROM campaigns WHERE id = %s "
                    "ON CONFLICT (chat, subject) DO NOTHING",
                    (subject, now, now, campaign_id),
                )
            await conn.execute(
                "UPDATE notices SET version = version + 1, updated_at = %s WHERE subject = %s",
                (now, follows),
            )
        return True
