"""Approvals of big sends in SQLite: a chat's threshold, an account's approvers' chat, and
each request's one decision.

The decision is one ``BEGIN IMMEDIATE`` transaction: the approval's conditional update
(``state = 'PENDING' AND expires_at > now``, by someone other than its author) and,
when it applied, the campaign's DRAFT -> CONFIRMED (with the worker's SEND) or
DRAFT -> CANCELLED. Asking bumps the draft's revision, so a Confirm of the preview the
author saw can no longer confirm it past the approval; the campaign statements refuse
a draft with an approval (``NO_APPROVAL`` in ``storage/sqlite_campaigns.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from bot.records import Approval, ApprovalState, ApproversChat, NewApproval
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time

_COLUMNS = (
    "campaign_id, chat, state, requested_by, credits, threshold, data, requested_at, "
    "expires_at, decided_by, decided_name, decided_at"
)


def _time(value: str) -> datetime:
    moment = parse_time(value)
    assert moment is not None
    return moment


def _approval(row: Iterable[Any]) -> Approval:
    cid, chat, state, by, credits, threshold, data, asked, expires, dby, dname, dat = tuple(row)
    return Approval(
        campaign_id=int(cid),
        chat=chat,
        state=ApprovalState(state),
        requested_by=by,
        credits=int(credits),
        threshold=int(threshold),
        data=json.loads(data),
        requested_at=_time(asked),
        expires_at=_time(expires),
        decided_by=dby,
        decided_name=dname,
        decided_at=parse_time(dat),
    )


class ApprovalTables(SqliteConnection):
    """The approvals part of :class:`~bot.store.Store`."""

    async def set_approval_threshold(
        self, chat: str, threshold: int | None, set_by: str, at: datetime
    ) -> None:
        async with self._write() as db:
            if threshold is None:
                await db.execute("DELETE FROM approval_thresholds WHERE chat = ?", (chat,))
                return
            await db.execute(
                "INSERT INTO approval_thresholds (chat, threshold, set_by, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (chat) DO UPDATE SET "
                "threshold = excluded.threshold, set_by = excluded.set_by, "
                "updated_at = excluded.updated_at",
                (chat, threshold, set_by, iso_utc(at)),
            )

    async def approval_threshold(self, chat: str) -> int | None:
        row = await self._one("SELECT threshold FROM approval_thresholds WHERE chat = ?", (chat,))
        return None if row is None else int(row[0])

    async def set_approvers_chat(
        self, account: str, chat: str | None, data: dict[str, Any], set_by: str, at: datetime
    ) -> None:
        async with self._write() as db:
            if chat is None:
                await db.execute("DELETE FROM approvers_chats WHERE account = ?", (account,))
                return
            await db.execute(
                "INSERT INTO approvers_chats (account, chat, data, set_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET "
                "chat = excluded.chat, data = excluded.data, set_by = excluded.set_by, "
                "updated_at = excluded.updated_at",
                (account, chat, json.dumps(data), set_by, iso_utc(at)),
            )

    async def approvers_chat(self, account: str) -> ApproversChat | None:
        row = await self._one(
            "SELECT account, chat, data, set_by, updated_at FROM approvers_chats WHERE account = ?",
            (account,),
        )
        if row is None:
            return None
        account, chat, data, by, updated = row
        return ApproversChat(account, chat, json.loads(data), by, _time(updated))

    async def request_approval(
        self, approval: NewApproval, *, notice: str | None = None
    ) -> Approval | None:
        a = approval
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET revision = revision + 1 WHERE id = ? AND phase = 'DRAFT' "
                "AND text <> '' AND revision = ? AND NOT EXISTS "
                "(SELECT 1 FROM approvals WHERE campaign_id = campaigns.id)",
                (a.campaign_id, a.revision),
            )
            if cursor.rowcount != 1:
                return None
            rows = await db.execute_fetchall(
                f"INSERT INTO approvals (campaign_id, revision, chat, state, requested_by, "
                "credits, threshold, data, requested_at, expires_at) "
                "VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?) "
                f"RETURNING {_COLUMNS}",
                (
                    a.campaign_id,
                    a.revision + 1,
                    a.chat,
                    a.requested_by,
                    a.credits,
                    a.threshold,
                    json.dumps(a.data),
                    iso_utc(a.requested_at),
                    iso_utc(a.expires_at),
                ),
            )
            if notice is not None:
                await db.execute(
                    "INSERT INTO notices (chat, subject, data, created_at, updated_at) "
                    "VALUES (?, ?, '{}', ?, ?) ON CONFLICT (chat, subject) DO NOTHING",
                    (a.chat, notice, iso_utc(a.requested_at), iso_utc(a.requested_at)),
                )
        return _approval(next(iter(rows)))

    async def get_approval(self, campaign_id: int) -> Approval | None:
        row = await self._one(
            f"SELECT {_COLUMNS} FROM approvals WHERE campaign_id = ?", (campaign_id,)
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
        try:
            async with self._write() as db:
                cursor = await db.execute(
                    "UPDATE approvals SET state = ?, decided_by = ?, decided_name = ?, "
                    "decided_at = ? WHERE campaign_id = ? AND state = 'PENDING' "
                    "AND expires_at > ? AND requested_by <> ? "
                    "AND NOT EXISTS (SELECT 1 FROM campaigns WHERE id = approvals.campaign_id "
                    "AND created_by = ?)",
                    (
                        ApprovalState.APPROVED if approve else ApprovalState.REJECTED,
                        by,
                        by_name,
                        iso_utc(at),
                        campaign_id,
                        iso_utc(at),
                        by,
                        by,
                    ),
                )
                if cursor.rowcount != 1:
                    return False
                await _settle_campaign(db, campaign_id, confirm=approve, at=at)
        except _Changed:
            return False
        return True

    async def expire_approvals(self, at: datetime) -> list[Approval]:
        due = await self._one(
            "SELECT 1 FROM approvals WHERE state = 'PENDING' AND expires_at <= ? LIMIT 1",
            (iso_utc(at),),
        )
        if due is None:
            return []  # the usual answer, read without taking the write lock
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "UPDATE approvals SET state = 'EXPIRED', decided_at = ? "
                f"WHERE state = 'PENDING' AND expires_at <= ? RETURNING {_COLUMNS}",
                (iso_utc(at), iso_utc(at)),
            )
            expired = [_approval(row) for row in rows]
            for approval in expired:
                await _settle_campaign(db, approval.campaign_id, confirm=False, at=at)
        return expired


class _Changed(Exception):
    """An approved draft was no longer at the approved revision: the decision is undone
    (never leaves this module)."""


async def _settle_campaign(
    db: aiosqlite.Connection, campaign_id: int, *, confirm: bool, at: datetime
) -> None:
    """The campaign's side of a decision, in the decision's transaction: only the
    revision the approval was asked for is confirmed (else :class:`_Changed`, and the
    transaction is rolled back); a campaign already cancelled stays so."""
    if not confirm:
        await db.execute(
            "UPDATE campaigns SET phase = 'CANCELLED' WHERE id = ? AND phase = 'DRAFT'",
            (campaign_id,),
        )
        return
    cursor = await db.execute(
        "UPDATE campaigns SET phase = 'CONFIRMED', confirmed_at = ?, work = 'SEND', "
        "generation = generation + 1 WHERE id = ? AND phase = 'DRAFT' AND revision = "
        "(SELECT revision FROM approvals WHERE campaign_id = ?)",
        (iso_utc(at), campaign_id, campaign_id),
    )
    if cursor.rowcount != 1:
        raise _Changed
