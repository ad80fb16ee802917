"""Scheduled-send reports in SQLite: which campaigns' time has come, and the one
transaction that marks a campaign reported and adds its report to the outbox."""

from __future__ import annotations

from datetime import datetime

from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time


class ReportTables(SqliteConnection):
    """The scheduled-send report part of :class:`~bot.store.Store`."""

    async def schedule_reports_due(self, at: datetime, limit: int = 20) -> list[int]:
        rows = await self._all(
            "SELECT id FROM campaigns WHERE reported_at IS NULL AND schedule_at IS NOT NULL "
            "AND phase = 'CONFIRMED' AND schedule_at <= ? "
            "AND work IS NULL AND NOT EXISTS (SELECT 1 FROM chunks WHERE "
            "chunks.campaign_id = campaigns.id AND chunks.state IN ('IN_FLIGHT', 'UNKNOWN')) "
            "ORDER BY schedule_at, id LIMIT ?",
            (iso_utc(at), limit),
        )
        return [int(row[0]) for row in rows]

    async def next_schedule_report(self, after: datetime) -> datetime | None:
        row = await self._one(
            "SELECT min(schedule_at) FROM campaigns WHERE reported_at IS NULL "
            "AND schedule_at IS NOT NULL AND phase = 'CONFIRMED' AND schedule_at > ?",
            (iso_utc(after),),
        )
        return None if row is None else parse_time(row[0])

    async def report_schedule(
        self, campaign_id: int, at: datetime, *, follows: str, subject: str
    ) -> bool:
        now = iso_utc(at)
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET reported_at = ? WHERE id = ? AND reported_at IS NULL",
                (now, campaign_id),
            )
            if cursor.rowcount != 1:
                return False
            cursor = await db.execute(
                "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                "SELECT chat, ?, data, ?, ? FROM notices WHERE subject = ? "
                "ON CONFLICT (chat, subject) DO NOTHING",
                (subject, now, now, follows),
            )
            if cursor.rowcount == 0:
                await db.execute(
                    "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                    "SELECT chat, ?, '{}', ?, ? FROM campaigns WHERE id = ? "
                    "ON CONFLICT (chat, subject) DO NOTHING",
                    (subject, now, now, campaign_id),
                )
            await db.execute(
                "UPDATE notices SET version = version + 1, updated_at = ? WHERE subject = ?",
                (now, follows),
            )
        return True
