"""Approvals of big sends in PostgreSQL: the same rows and the same one decision as
SQLite's (``storage/sqlite_approvals.py``), so of any number of replicas and presses one
decides.

The decision is one transaction: the approval's conditional update (``state = 'PENDING'
AND expires_at > now``, by someone other than its author; concurrent presses queue on
its row lock and the losers find it decided) and the campaign's DRAFT -> CONFIRMED (with
the worker's SEND) or DRAFT -> CANCELLED. Asking locks the draft's row and bumps its
revision: a Confirm, an edit or a cancel of the author's that raced the request either
went first (the request then fails) or finds the revision moved (a Confirm fails; an
edit or cancel makes the approval's confirm find no draft at that revision, so nothing
is sent that was not approved as it is).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import Rollback, sql
from psycopg.types.json import Jsonb

from bot.records import Approval, ApprovalState, ApproversChat, NewApproval
from storage.postgres_connection import (
    Connection,
    PostgresConnection,
    Row,
    read_time,
    read_time_required,
    utc,
)

_COLUMNS = sql.SQL(
    "campaign_id, chat, state, requested_by, credits, threshold, data, requested_at, "
    "expires_at, decided_by, decided_name, decided_at"
)


def _approval(row: Row) -> Approval:
    cid, chat, state, by, credits, threshold, data, asked, expires, dby, dname, dat = row
    return Approval(
        campaign_id=int(cid),
        chat=chat,
        state=ApprovalState(state),
        requested_by=by,
        credits=int(credits),
        threshold=int(threshold),
        data=dict(data),
        requested_at=read_time_required(asked),
        expires_at=read_time_required(expires),
        decided_by=dby,
        decided_name=dname,
        decided_at=read_time(dat),
    )


class ApprovalTables(PostgresConnection):
    """The approvals part of :class:`~bot.store.Store`."""

    async def set_approval_threshold(
        self, chat: str, threshold: int | None, set_by: str, at: datetime
    ) -> None:
        if threshold is None:
            await self._count("DELETE FROM approval_thresholds WHERE chat = %s", (chat,))
            return
        await self._count(
            "INSERT INTO approval_thresholds (chat, threshold, set_by, updated_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (chat) DO UPDATE SET "
            "threshold = excluded.threshold, set_by = excluded.set_by, "
            "updated_at = excluded.updated_at",
            (chat, threshold, set_by, utc(at)),
        )

    async def approval_threshold(self, chat: str) -> int | None:
        row = await self._one("SELECT threshold FROM approval_thresholds WHERE chat = %s", (chat,))
        return None if row is None else int(row[0])

    async def set_approvers_chat(
        self, account: str, chat: str | None, data: dict[str, Any], set_by: str, at: datetime
    ) -> None:
        if chat is None:
            await self._count("DELETE FROM approvers_chats WHERE account = %s", (account,))
            return
        await self._count(
            "INSERT INTO approvers_chats (account, chat, data, set_by, updated_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account) DO UPDATE SET "
            "chat = excluded.chat, data = excluded.data, set_by = excluded.set_by, "
            "updated_at = excluded.updated_at",
            (account, chat, Jsonb(data), set_by, utc(at)),
        )

    async def approvers_chat(self, account: str) -> ApproversChat | None:
        row = await self._one(
            "SELECT account, chat, data, set_by, updated_at FROM approvers_chats "
            "WHERE account = %s",
            (account,),
        )
        if row is None:
            return None
        account, chat, data, by, updated = row
        return ApproversChat(account, chat, dict(data), by, read_time_required(updated))

    async def request_approval(
        self, approval: NewApproval, *, notice: str | None = None
    ) -> Approval | None:
        a = approval
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "UPDATE campaigns SET revision = revision + 1 WHERE id = %s "
                "AND phase = 'DRAFT' AND text <> '' AND revision = %s AND NOT EXISTS "
                "(SELECT 1 FROM approvals WHERE campaign_id = campaigns.id)",
                (a.campaign_id, a.revision),
            )
            if cursor.rowcount != 1:
                return None
            cursor = await conn.execute(
                sql.SQL(
                    "INSERT INTO approvals (campaign_id, revision, chat, state, requested_by, "
                    "credits, threshold, data, requested_at, expires_at) "
                    "VALUES (%s, %s, %s, 'PENDING', %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (campaign_id) DO NOTHING RETURNING {}"
                ).format(_COLUMNS),
                (
                    a.campaign_id,
                    a.revision + 1,
                    a.chat,
                    a.requested_by,
                    a.credits,
                    a.threshold,
                    Jsonb(a.data),
                    utc(a.requested_at),
                    utc(a.expires_at),
                ),
            )
            row = await cursor.fetchone()
            if row is not None and notice is not None:
                await conn.execute(
                    "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                    "VALUES (%s, %s, '{}'::jsonb, %s, %s) ON CONFLICT (chat, subject) DO NOTHING",
                    (a.chat, notice, utc(a.requested_at), utc(a.requested_at)),
                )
        return None if row is None else _approval(row)

    async def get_approval(self, campaign_id: int) -> Approval | None:
        row = await self._one(
            sql.SQL("SELECT {} FROM approvals WHERE campaign_id = %s").format(_COLUMNS),
            (campaign_id,),
        )
        return None if row is None else _approval(row)

    async def decide_approval(
        self,
        campaign_id: int,
        *,
        approve: bool,
        by: str,
        by_name: str,
        at: datetime,
    ) -> bool:
        state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
        decided = False
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "UPDATE approvals SET state = %s, decided_by = %s, decided_name = %s, "
                "decided_at = %s WHERE campaign_id = %s AND state = 'PENDING' "
                "AND expires_at > %s AND requested_by <> %s "
                "AND NOT EXISTS (SELECT 1 FROM campaigns WHERE id = approvals.campaign_id "
                "AND created_by = %s)",
                (state.value, by, by_name, utc(at), campaign_id, utc(at), by, by),
            )
            if cursor.rowcount == 1:
                settled = await _settle_campaign(conn, campaign_id, confirm=approve, at=at)
                if approve and not settled:
                    raise Rollback  # the draft changed under its approval: undo the decision
                decided = True
        return decided

    async def expire_approvals(self, at: datetime) -> list[Approval]:
        async with self._transaction() as conn:
            cursor = await conn.execute(
                sql.SQL(
                    "UPDATE approvals SET state = 'EXPIRED', decided_at = %s WHERE campaign_id "
                    "IN (SELECT campaign_id FROM approvals WHERE state = 'PENDING' AND "
                    "expires_at <= %s FOR UPDATE SKIP LOCKED) AND state = 'PENDING' "
                    "RETURNING {}"
                ).format(_COLUMNS),
                (utc(at), utc(at)),
            )
            expired = [_approval(row) for row in await cursor.fetchall()]
            for approval in expired:
                await _settle_campaign(conn, approval.campaign_id, confirm=False, at=at)
        return expired


async def _settle_campaign(
    conn: Connection, campaign_id: int, *, confirm: bool, at: datetime
) -> bool:
    """The campaign's side of a decision, in the decision's transaction: only the
    revision the approval was asked for is confirmed."""
    if confirm:
        cursor = await conn.execute(
            "UPDATE campaigns SET phase = 'CONFIRMED', confirmed_at = %s, work = 'SEND', "
            "generation = generation + 1 WHERE id = %s AND phase = 'DRAFT' AND revision = "
            "(SELECT revision FROM approvals WHERE campaign_id = %s)",
            (utc(at), campaign_id, campaign_id),
        )
    else:
        cursor = await conn.execute(
            "UPDATE campaigns SET phase = 'CANCELLED' WHERE id = %s AND phase = 'DRAFT'",
            (campaign_id,),
        )
    return cursor.rowcount == 1
