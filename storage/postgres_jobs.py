"""The work queue in PostgreSQL: the work a confirmed campaign asks for, and its lease.

Any number of workers in any number of replicas claim campaigns at once:
the claim locks the oldest free row with ``FOR UPDATE SKIP LOCKED`` and
leases it in the same statement, so two claimers never get one campaign and
neither waits for the other. A lease that expired (its worker died) is
taken over by the next claim. The generation guards "done": a release
clears the work only if no newer request came while it ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.records import Job, Work
from storage.postgres_connection import PostgresConnection, read_time_required, utc, utc_or_none


class JobTables(PostgresConnection):
    """The work-queue part of :class:`~bot.store.Store`."""

    async def request_work(self, campaign_id: int, work: Work, at: datetime) -> bool:
        changed = await self._count(
            "UPDATE campaigns SET work = %s, generation = generation + 1, failures = 0, "
            "not_before = NULL WHERE id = %s AND phase = 'CONFIRMED'",
            (Work(work).value, campaign_id),
        )
        return changed == 1

    async def claim_job(self, owner: str, at: datetime, lease: timedelta) -> Job | None:
        now = utc(at)
        row = await self._one(
            "UPDATE campaigns SET lease_owner = %(owner)s, lease_expires = %(until)s "
            "WHERE id = (SELECT id FROM campaigns "
            "WHERE work IS NOT NULL AND phase = 'CONFIRMED' "
            "AND (lease_expires IS NULL OR lease_expires <= %(now)s) "
            "AND (not_before IS NULL OR not_before <= %(now)s) "
            "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
            "RETURNING id, work, generation, lease_owner, lease_expires, failures",
            {"owner": owner, "until": now + lease, "now": now},
        )
        if row is None:
            return None
        id_, work, generation, lease_owner, expires, failures = row
        return Job(id_, Work(work), generation, lease_owner, read_time_required(expires), failures)

    async def renew_job(self, campaign_id: int, owner: str, at: datetime, lease: timedelta) -> bool:
        changed = await self._count(
            "UPDATE campaigns SET lease_expires = %s WHERE id = %s AND lease_owner = %s",
            (utc(at) + lease, campaign_id, owner),
        )
        return changed == 1

    async def release_job(
        self,
        job: Job,
        at: datetime,
        *,
        done: bool,
        retry_at: datetime | None = None,
        failed: bool = False,
    ) -> bool:
        changed = await self._count(
            "UPDATE campaigns SET lease_owner = NULL, lease_expires = NULL, "
            # Finished: done, and no newer request came while it ran.
            "work = CASE WHEN %(done)s AND generation = %(generation)s THEN NULL ELSE work END, "
            "not_before = CASE WHEN %(done)s AND generation = %(generation)s THEN NULL "
            "ELSE %(retry_at)s::timestamptz END, "
            "failures = CASE WHEN %(done)s AND generation = %(generation)s THEN 0 "
            "WHEN %(failed)s THEN failures + 1 ELSE 0 END "
            "WHERE id = %(id)s AND lease_owner = %(owner)s",
            {
                "done": done,
                "generation": job.generation,
                "retry_at": utc_or_none(retry_at),
                "failed": failed,
                "id": job.campaign_id,
                "owner": job.owner,
            },
        )
        return changed == 1

    async def pending_jobs(self, *, chat: str | None = None) -> int:
        row = await self._one(
            "SELECT count(*) FROM campaigns WHERE work IS NOT NULL AND chat = coalesce(%s, chat)",
            (chat,),
        )
        assert row is not None
        return int(row[0])
