"""Campaigns, recipients, chunks and per-number outcomes in SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.errors import StoreError
from bot.records import (
    Campaign,
    CampaignPhase,
    Chunk,
    ChunkResult,
    ChunkState,
    DraftChange,
    MessageOutcome,
    NewCampaign,
    Recipient,
    Work,
)
from storage.outcome_packs import REFUSALS, in_order, packed, unpacked
from storage.recipient_fields import decode_row, encode_row
from storage.sqlite_connection import SqliteConnection, iso_utc, parse_time

NO_APPROVAL = "NOT EXISTS (SELECT 1 FROM approvals a WHERE a.campaign_id = campaigns.id)"
"""A DRAFT for which an approval was asked is changed only by the approval's decision
(``storage/*_approvals.py``): not edited, confirmed or cancelled by its author meanwhile."""

_CAMPAIGN_COLUMNS = (
    "id, key, account, created_by, chat, text, sender, schedule_at, segments, "
    "recipient_count, phase, reason, created_at, confirmed_at, work, lease_owner, lease_expires, "
    "revision, opted_out, delivery_window, field_names, credits, personal"
)
_CHUNK_COLUMNS = (
    "c.id, c.campaign_id, c.seq, c.partner_event_id, c.first_recipient, c.last_recipient, "
    "c.state, c.attempts, "
    "(SELECT group_concat(e.event_id) FROM chunk_events e WHERE e.chunk_id = c.id), "
    "c.accepted, c.rejected, c.credits_spent, c.status, c.reason, c.sent_at, c.updated_at, "
    "(SELECT count(*) FROM excluded_recipients x WHERE x.campaign_id = c.campaign_id "
    "AND x.seq BETWEEN c.first_recipient AND c.last_recipient)"
)


def _campaign(row: Iterable[Any]) -> Campaign:
    (id_, key, account, by, chat, text, sender, schedule, segments, count, phase, reason,
     created, confirmed, work, lease_owner, lease_expires, revision,
     opted_out, window, field_names, credits, personal) = tuple(row)  # fmt: skip
    created_at = parse_time(created)
    assert created_at is not None
    return Campaign(
        id=id_,
        key=key,
        account=account,
        created_by=by,
        chat=chat,
        text=text,
        sender=sender,
        schedule_at=parse_time(schedule),
        segments=segments,
        recipient_count=count,
        phase=CampaignPhase(phase),
        reason=reason,
        created_at=created_at,
        confirmed_at=parse_time(confirmed),
        work=None if work is None else Work(work),
        lease_owner=lease_owner,
        lease_expires=parse_time(lease_expires),
        revision=revision,
        opted_out=opted_out,
        window=window,
        columns=tuple(json.loads(field_names)) if field_names else (),
        credits=credits,
        personal=personal,
    )


def _chunk(row: Iterable[Any]) -> Chunk:
    (id_, campaign_id, seq, peid, first, last, state, attempts, events, accepted, rejected,
     credits, status, reason, sent_at, updated, excluded) = tuple(row)  # fmt: skip
    updated_at = parse_time(updated)
    assert updated_at is not None
    return Chunk(
        id=id_,
        campaign_id=campaign_id,
        seq=seq,
        partner_event_id=peid,
        first_recipient=first,
        last_recipient=last,
        state=ChunkState(state),
        attempts=attempts,
        event_ids=tuple(sorted(int(e) for e in events.split(","))) if events else (),
        accepted=accepted,
        rejected=rejected,
        credits_spent=credits,
        status=status,
        reason=reason,
        sent_at=parse_time(sent_at),
        updated_at=updated_at,
        excluded=excluded,
    )


_PARTS_OF = "(SELECT id FROM chunks WHERE campaign_id = ?)"
"""A campaign's parts, by which its per-number outcomes are keyed."""

LOAD_ROWS = 1000
"""Recipients a draft stores per transaction; a longer draft takes several."""

_STORED = "NOT EXISTS (SELECT 1 FROM loading_campaigns l WHERE l.campaign_id = campaigns.id)"
"""Not a draft still being stored (:meth:`CampaignTables._load_campaign`)."""


def _recipient_rows(
    campaign: NewCampaign, first: int = 0, end: int | None = None
) -> Iterator[tuple[int, str, str | None]]:
    """Recipients ``first`` to ``end`` (all: the default): seq, number and fields (a
    file's other columns) as stored. Made as the connection's thread takes them."""
    numbers = campaign.recipients[first:end]
    if not campaign.columns:
        return ((seq, msisdn, None) for seq, msisdn in enumerate(numbers, start=first))
    return (
        (seq, msisdn, encode_row(line, values))
        for seq, (msisdn, line, values) in enumerate(
            zip(numbers, campaign.lines[first:end], campaign.values[first:end], strict=True),
            start=first,
        )
    )


def partner_msg_id(key: str, seq: int) -> str:
    """The PartnerMsgId of recipient ``seq`` of the campaign with ``key``."""
    return f"{key}-{seq}"


class CampaignTables(SqliteConnection):
    """The campaign half of :class:`~bot.store.Store`."""

    async def start(self) -> None:
        await super().start()
        if self.sender:  # the one process storing drafts in this file: any left are dead
            await self._drop_loading()

    # --- campaigns ------------------------------------------------------------

    async def create_campaign(self, campaign: NewCampaign) -> Campaign:
        # Checked here, the one place recipients are stored: an index would cost a draft
        # more than its rows do (migration 16).
        if len(set(campaign.recipients)) != len(campaign.recipients):
            raise StoreError("a campaign's recipients must be distinct: a number is repeated")
        if len(campaign.recipients) <= LOAD_ROWS:
            async with self._write() as db:
                campaign_id = await self._insert_campaign(db, campaign)
                await self._insert_recipients(db, campaign_id, _recipient_rows(campaign))
        else:
            campaign_id = await self._load_campaign(campaign)
        found = await self.get_campaign(campaign_id)
        assert found is not None
        return found

    async def _load_campaign(self, campaign: NewCampaign) -> int:
        """A draft of many recipients, :data:`LOAD_ROWS` of them per transaction: the one
        writer of the file is free between them, for another chat's claim or step. Seen
        by no one until its last row is in (``loading_campaigns``)."""
        async with self._write(money=False) as db:
            campaign_id = await self._insert_campaign(db, campaign)
            await db.execute(
                "INSERT INTO loading_campaigns (campaign_id) VALUES (?)", (campaign_id,)
            )
        try:
            for first in range(0, len(campaign.recipients), LOAD_ROWS):
                rows = _recipient_rows(campaign, first, first + LOAD_ROWS)
                async with self._write(money=False) as db:
                    await self._insert_recipients(db, campaign_id, rows)
            async with self._write() as db:  # durable, the rows before it too
                await db.execute(
                    "DELETE FROM loading_campaigns WHERE campaign_id = ?", (campaign_id,)
                )
        except BaseException:
            with contextlib.suppress(StoreError):  # else removed at the next start
                await self._drop_loading(campaign_id)
            raise
        return campaign_id

    async def _drop_loading(self, campaign_id: int | None = None) -> None:
        """Remove a draft that was never wholly stored (all of them when ``None``)."""
        async with self._write(money=False) as db:
            rows = await db.execute_fetchall(
                "SELECT campaign_id FROM loading_campaigns "
                "WHERE campaign_id = coalesce(?, campaign_id)",
                (campaign_id,),
            )
            for (loading,) in rows:
                await db.execute("DELETE FROM loading_campaigns WHERE campaign_id = ?", (loading,))
                await db.execute("DELETE FROM recipients WHERE campaign_id = ?", (loading,))
                await db.execute("DELETE FROM campaigns WHERE id = ?", (loading,))

    @staticmethod
    async def _insert_campaign(db: aiosqlite.Connection, campaign: NewCampaign) -> int:
        cursor = await db.execute(
            "INSERT INTO campaigns (key, account, created_by, chat, text, sender, "
            "schedule_at, segments, recipient_count, phase, created_at, opted_out, "
            "delivery_window, field_names) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', ?, ?, ?, ?)",
            (
                campaign.key,
                campaign.account,
                campaign.created_by,
                campaign.chat,
                campaign.text,
                campaign.sender,
                iso_utc(campaign.schedule_at),
                campaign.segments,
                len(campaign.recipients),
                iso_utc(datetime.now(UTC)),
                campaign.opted_out,
                campaign.window,
                json.dumps(campaign.columns, ensure_ascii=False) if campaign.columns else None,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @staticmethod
    async def _insert_recipients(
        db: aiosqlite.Connection, campaign_id: int, rows: Iterable[tuple[int, str, str | None]]
    ) -> None:
        await db.executemany(
            "INSERT INTO recipients (campaign_id, seq, msisdn, fields) VALUES (?, ?, ?, ?)",
            ((campaign_id, seq, msisdn, fields) for seq, msisdn, fields in rows),
        )

    async def get_campaign(self, campaign_id: int) -> Campaign | None:
        row = await self._one(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ? AND {_STORED}",
            (campaign_id,),
        )
        return None if row is None else _campaign(row)

    async def find_campaign_by_event(self, event_id: int) -> Campaign | None:
        row = await self._one(
            "SELECT c.campaign_id FROM chunk_events e JOIN chunks c ON c.id = e.chunk_id "
            "WHERE e.event_id = ?",
            (event_id,),
        )
        return None if row is None else await self.get_campaign(row[0])

    async def list_campaigns(
        self, *, chat: str | None = None, created_by: str | None = None, limit: int = 10
    ) -> list[Campaign]:
        rows = await self._all(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns "
            "WHERE chat = coalesce(?, chat) AND created_by = coalesce(?, created_by) "
            f"AND {_STORED} ORDER BY id DESC LIMIT ?",
            (chat, created_by, limit),
        )
        return [_campaign(row) for row in rows]

    async def update_draft(self, campaign_id: int, change: DraftChange) -> Campaign | None:
        async with self._write() as db:
            before = await (
                await db.execute("SELECT personal FROM campaigns WHERE id = ?", (campaign_id,))
            ).fetchone()
            cursor = await db.execute(
                "UPDATE campaigns SET text = ?, sender = ?, schedule_at = ?, segments = ?, "
                "delivery_window = ?, credits = ?, personal = ?, "
                "revision = revision + 1 WHERE id = ? AND phase = 'DRAFT' AND " + NO_APPROVAL,
                (
                    change.text,
                    change.sender,
                    iso_utc(change.schedule_at),
                    change.segments,
                    change.window,
                    change.credits if change.personal is not None else None,
                    change.personal,
                    campaign_id,
                ),
            )
            if cursor.rowcount != 1:
                return None
            if change.texts is not None:
                await db.executemany(
                    "UPDATE recipients SET text = ?, segments = ? "
                    "WHERE campaign_id = ? AND seq = ?",
                    (
                        (text, segments, campaign_id, seq)
                        for seq, (text, segments) in enumerate(change.texts)
                    ),
                )
            elif change.personal is None and before is not None and before[0] is not None:
                # Personalised before, one text for all now: their own texts go.
                await db.execute(
                    "UPDATE recipients SET text = NULL, segments = NULL WHERE campaign_id = ?",
                    (campaign_id,),
                )
        return await self.get_campaign(campaign_id)

    async def confirm_campaign(
        self, campaign_id: int, at: datetime, revision: int | None = None
    ) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET phase = 'CONFIRMED', confirmed_at = ?, work = 'SEND', "
                "generation = generation + 1 WHERE id = ? AND phase = 'DRAFT' AND text <> '' "
                "AND revision = coalesce(?, revision) AND " + NO_APPROVAL,
                (iso_utc(at), campaign_id, revision),
            )
            return cursor.rowcount == 1

    async def cancel_campaign(self, campaign_id: int) -> bool:
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE campaigns SET phase = 'CANCELLED' WHERE id = ? AND phase = 'DRAFT' "
                "AND " + NO_APPROVAL,
                (campaign_id,),
            )
            return cursor.rowcount == 1

    async def set_campaign_reason(self, campaign_id: int, reason: str | None) -> None:
        async with self._write() as db:
            await db.execute("UPDATE campaigns SET reason = ? WHERE id = ?", (reason, campaign_id))

    async def recipients(self, campaign_id: int, first: int, last: int) -> list[Recipient]:
        campaign = await self.get_campaign(campaign_id)
        if campaign is None:
            return []
        rows = await self._all(
            "SELECT seq, msisdn, text FROM recipients WHERE campaign_id = ? "
            "AND seq BETWEEN ? AND ? ORDER BY seq",
            (campaign_id, first, last),
        )
        # A part reads a thousand: tuple.__new__ is Recipient._make without its call.
        make, key = tuple.__new__, campaign.key
        return [
            make(Recipient, (seq, msisdn, partner_msg_id(key, seq), text))
            for seq, msisdn, text in rows
        ]

    async def recipient_rows(self, campaign_id: int) -> list[tuple[int, tuple[str, ...]]]:
        rows = await self._all(
            "SELECT fields FROM recipients WHERE campaign_id = ? AND fields IS NOT NULL "
            "ORDER BY seq",
            (campaign_id,),
        )
        return [decode_row(fields) for (fields,) in rows]

    async def recipient_credits(self, campaign_id: int, ranges: Sequence[tuple[int, int]]) -> int:
        total = 0
        for first, last in ranges:
            row = await self._one(
                "SELECT coalesce(sum(coalesce(r.segments, c.segments)), 0) FROM recipients r "
                "JOIN campaigns c ON c.id = r.campaign_id WHERE r.campaign_id = ? "
                "AND r.seq BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM excluded_recipients x "
                "WHERE x.campaign_id = r.campaign_id AND x.seq = r.seq)",
                (campaign_id, first, last),
            )
            total += 0 if row is None else int(row[0])
        return total

    # --- chunks ---------------------------------------------------------------

    async def plan_chunks(self, campaign_id: int, chunk_size: int, at: datetime) -> list[Chunk]:
        if chunk_size < 1:
            raise StoreError("chunk_size must be at least 1")
        async with self._write() as db:
            row = await (
                await db.execute(
                    "SELECT key, recipient_count, phase FROM campaigns WHERE id = ?",
                    (campaign_id,),
                )
            ).fetchone()
            if row is None:
                raise StoreError(f"no campaign {campaign_id}")
            key, count, phase = row
            if phase != CampaignPhase.CONFIRMED:
                raise StoreError(f"campaign {campaign_id} is {phase}, not CONFIRMED")
            existing = await (
                await db.execute(
                    "SELECT count(*) FROM chunks WHERE campaign_id = ?", (campaign_id,)
                )
            ).fetchone()
            if existing is not None and existing[0] == 0:
                now = iso_utc(at)
                await db.executemany(
                    "INSERT INTO chunks (campaign_id, seq, partner_event_id, first_recipient, "
                    "last_recipient, state, updated_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?)",
                    (
                        (
                            campaign_id,
                            seq,
                            f"{key}-c{seq}",
                            first,
                            min(first + chunk_size, count) - 1,
                            now,
                        )
                        for seq, first in enumerate(range(0, count, chunk_size))
                    ),
                )
        return await self.chunks(campaign_id)

    async def chunks(self, campaign_id: int) -> list[Chunk]:
        rows = await self._all(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.campaign_id = ? ORDER BY c.seq",
            (campaign_id,),
        )
        return [_chunk(row) for row in rows]

    async def get_chunk(self, chunk_id: int) -> Chunk | None:
        row = await self._one(f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.id = ?", (chunk_id,))
        return None if row is None else _chunk(row)

    async def unsettled_chunks(self) -> list[Chunk]:
        rows = await self._all(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c WHERE c.state IN ('IN_FLIGHT', 'UNKNOWN') "
            "ORDER BY c.campaign_id, c.seq"
        )
        return [_chunk(row) for row in rows]

    async def begin_send(self, chunk_id: int, allowed: Sequence[ChunkState], at: datetime) -> bool:
        marks = ", ".join("?" for _ in allowed)
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE chunks SET state = 'IN_FLIGHT', attempts = attempts + 1, sent_at = ?, "
                f"updated_at = ? WHERE id = ? AND state IN ({marks})",
                (iso_utc(at), iso_utc(at), chunk_id, *allowed),
            )
            return cursor.rowcount == 1

    async def settle_chunk(
        self,
        chunk_id: int,
        state: ChunkState,
        *,
        expected: Sequence[ChunkState],
        at: datetime,
        result: ChunkResult | None = None,
        status: str | None = None,
        reason: str | None = None,
        attempt: int | None = None,
    ) -> bool:
        marks = ", ".join("?" for _ in expected)
        # "attempts = coalesce(?, attempts)" is always true when no attempt is given.
        guard = f"WHERE id = ? AND state IN ({marks}) AND attempts = coalesce(?, attempts)"
        async with self._write() as db:
            if result is None:
                cursor = await db.execute(
                    "UPDATE chunks SET state = ?, status = coalesce(?, status), reason = ?, "
                    f"updated_at = ? {guard}",
                    (state, status, reason, iso_utc(at), chunk_id, *expected, attempt),
                )
                return cursor.rowcount == 1
            cursor = await db.execute(
                "UPDATE chunks SET state = ?, status = ?, reason = ?, accepted = ?, rejected = ?, "
                f"credits_spent = ?, updated_at = ? {guard}",
                (
                    state,
                    status or result.status,
                    reason,
                    result.accepted,
                    result.rejected,
                    result.credits_spent,
                    iso_utc(at),
                    chunk_id,
                    *expected,
                    attempt,
                ),
            )
            if cursor.rowcount != 1:
                return False
            await db.executemany(
                "INSERT OR IGNORE INTO chunk_events (event_id, chunk_id) VALUES (?, ?)",
                ((event_id, chunk_id) for event_id in result.event_ids),
            )
            if result.messages:
                held = await (
                    await db.execute(
                        "SELECT outcomes FROM part_outcomes WHERE chunk_id = ?", (chunk_id,)
                    )
                ).fetchone()
                # Packed in a thread: the loop goes on serving other chats meanwhile.
                outcomes, refusals = await asyncio.to_thread(
                    packed, held[0] if held else None, result.messages
                )
                await db.execute(
                    "INSERT OR REPLACE INTO part_outcomes (chunk_id, outcomes, refusals) "
                    "VALUES (?, ?, ?)",
                    (chunk_id, outcomes, refusals),
                )
            return True

    async def refusal_counts(self, campaign_id: int) -> dict[str, int]:
        rows = await self._all(
            f"{REFUSALS}WHERE p.chunk_id IN {_PARTS_OF} GROUP BY 1", (campaign_id,)
        )
        return {str(row[0]): int(row[1]) for row in rows}

    async def chunk_outcomes(self, chunk_id: int) -> list[MessageOutcome]:
        rows = await self._all("SELECT outcomes FROM part_outcomes WHERE chunk_id = ?", (chunk_id,))
        return in_order([outcome for (held,) in rows for outcome in unpacked(held)])

    async def message_outcomes(self, campaign_id: int) -> list[MessageOutcome]:
        rows = await self._all(
            f"SELECT outcomes FROM part_outcomes WHERE chunk_id IN {_PARTS_OF}", (campaign_id,)
        )
        return in_order([outcome for (held,) in rows for outcome in unpacked(held)])
