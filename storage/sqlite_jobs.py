"""The work queue in SQLite: the work a confirmed campaign asks for, and its lease.

SQLite carries one sending process (the store refuses a second one), but the
lease is written the same way as on PostgreSQL, so a crashed process's
campaign is taken over by the next start, and every decision is one
conditional update inside ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.records import Job, Work
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time


class JobTables(SqliteConnection):
    """The work-queue part of :class:`~bot.store.Store`."""

    async def request_work(self, campaign_id: int, work: Work, at: datetime) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET work = ?, generation = generation + 1, failures = 0, "
                "not_before = NULL WHERE id = ? AND phase = 'CONFIRMED'",
                (work.value, campaign_id),
            )
            return cursor.rowcount == 1

    async def claim_job(self, owner: str, at: datetime, lease: timedelta) -> Job | None:
        now, until = iso_utc(at), iso_utc(at + lease)
        async with self._write(money=False) as db:  # a lease: the process, not money
            cursor = await db.execute(
                "UPDATE campaigns SET lease_owner = ?, lease_expires = ? WHERE id = ("
                "SELECT id FROM campaigns WHERE work IS NOT NULL AND phase = 'CONFIRMED' "
                "AND (lease_expires IS NULL OR lease_expires <= ?) "
                "AND (not_before IS NULL OR not_before <= ?) ORDER BY id LIMIT 1) "
                "RETURNING id, work, generation, lease_expires, failures",
                (owner, until, now, now),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        expires = parse_time(row[3])
        assert expires is not None
        return Job(int(row[0]), Work(row[1]), int(row[2]), owner, expires, int(row[4]))

    async def renew_job(self, campaign_id: int, owner: str, at: datetime, lease: timedelta) -> bool:
        async with self._write(money=False) as db:  # a lease: the process, not money
            cursor = await db.execute(
                "UPDATE campaigns SET lease_expires = ? WHERE id = ? AND lease_owner = ?",
                (iso_utc(at + lease), campaign_id, owner),
            )
            return cursor.rowcount == 1

    async def release_job(
        self,
        job: Job,
        at: datetime,
        *,
        done: bool,
        retry_at: datetime | None = None,
        failed: bool = False,
    ) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET lease_owner = NULL, lease_expires = NULL, "
                "work = CASE WHEN ? AND generation = ? THEN NULL ELSE work END, "
                "not_before = CASE WHEN ? AND generation = ? THEN NULL ELSE ? END, "
                "failures = CASE WHEN ? AND generation = ? THEN 0 "
                "WHEN ? THEN failures + 1 ELSE 0 END "
                "WHERE id = ? AND lease_owner = ?",
                (
                    done,
                    job.generation,
                    done,
                    job.generation,
                    iso_utc(retry_at),
                    done,
                    job.generation,
                    failed,
                    job.campaign_id,
                    job.owner,
                ),
            )
            return cursor.rowcount == 1

    async def pending_jobs(self, *, chat: str | None = None) -> int:
        row = await self._one(
            "SELECT count(*) FROM campaigns WHERE work IS NOT NULL AND chat = coalesce(?, chat)",
            (chat,),
        )
        return int(row[0])
