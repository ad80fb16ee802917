"""Campaigns, recipients, chunks and per-number outcomes in PostgreSQL.

The same rows and the same conditional updates as SQLite's
(``storage/sqlite_campaigns.py``); recipients go in by ``COPY``, in the
transaction that stores the draft.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from psycopg import sql

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
from storage.postgres_connection import (
    PostgresConnection,
    Row,
    read_time,
    read_time_required,
    utc,
    utc_or_none,
)
from storage.recipient_fields import decode_row, encode_row

NO_APPROVAL = sql.SQL("NOT EXISTS (SELECT 1 FROM approvals a WHERE a.campaign_id = campaigns.id)")
"""A DRAFT for which an approval was asked is changed only by the approval's decision
(``storage/*_approvals.py``): not edited, confirmed or cancelled by its author meanwhile."""

_CAMPAIGN_COLUMNS = sql.SQL(
    "id, key, account, created_by, chat, text, sender, schedule_at, segments, "
    "recipient_count, phase, reason, created_at, confirmed_at, work, lease_owner, lease_expires, "
    "revision, opted_out, delivery_window, field_names, credits, personal"
)
_CHUNK_COLUMNS = sql.SQL(
    "c.id, c.campaign_id, c.seq, c.partner_event_id, c.first_recipient, c.last_recipient, "
    "c.state, c.attempts, "
    "(SELECT coalesce(array_agg(e.event_id ORDER BY e.event_id), ARRAY[]::bigint[]) "
    "FROM chunk_events e WHERE e.chunk_id = c.id), "
    "c.accepted, c.rejected, c.credits_spent, c.status, c.reason, c.sent_at, c.updated_at, "
    "(SELECT count(*) FROM excluded_recipients x WHERE x.campaign_id = c.campaign_id "
    "AND x.seq BETWEEN c.first_recipient AND c.last_recipient)"
)

_INSERT_CAMPAIGN = sql.SQL(
    "INSERT INTO campaigns (key, account, created_by, chat, text, sender, schedule_at, "
    "segments, recipient_count, phase, created_at, opted_out, delivery_window, field_names) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'DRAFT', %s, %s, %s, %s) RETURNING {}"
).format(_CAMPAIGN_COLUMNS)
_GET_CAMPAIGN = sql.SQL("SELECT {} FROM campaigns WHERE id = %s").format(_CAMPAIGN_COLUMNS)
_FIND_BY_EVENT = sql.SQL(
    "SELECT {} FROM campaigns WHERE id = (SELECT c.campaign_id FROM chunk_events e "
    "JOIN chunks c ON c.id = e.chunk_id WHERE e.event_id = %s)"
).format(_CAMPAIGN_COLUMNS)
_LIST_CAMPAIGNS = sql.SQL(
    "SELECT {} FROM campaigns "
    "WHERE chat = coalesce(%s, chat) AND created_by = coalesce(%s, created_by) "
    "ORDER BY id DESC LIMIT %s"
).format(_CAMPAIGN_COLUMNS)
_CHUNKS_OF = sql.SQL("SELECT {} FROM chunks c WHERE c.campaign_id = %s ORDER BY c.seq").format(
    _CHUNK_COLUMNS
)
_GET_CHUNK = sql.SQL("SELECT {} FROM chunks c WHERE c.id = %s").format(_CHUNK_COLUMNS)
_UNSETTLED = sql.SQL(
    "SELECT {} FROM chunks c WHERE c.state IN ('IN_FLIGHT', 'UNKNOWN') "
    "ORDER BY c.campaign_id, c.seq"
).format(_CHUNK_COLUMNS)


def _campaign(row: Row) -> Campaign:
    (id_, key, account, by, chat, text, sender, schedule, segments, count, phase, reason,
     created, confirmed, work, lease_owner, lease_expires, revision, opted_out,
     window, field_names, credits, personal) = row  # fmt: skip
    return Campaign(
        id=id_,
        key=key,
        account=account,
        created_by=by,
        chat=chat,
        text=text,
        sender=sender,
        schedule_at=read_time(schedule),
        segments=segments,
        recipient_count=count,
        phase=CampaignPhase(phase),
        reason=reason,
        created_at=read_time_required(created),
        confirmed_at=read_time(confirmed),
        work=None if work is None else Work(work),
        lease_owner=lease_owner,
        lease_expires=read_time(lease_expires),
        revision=revision,
        opted_out=opted_out,
        window=window,
        columns=tuple(json.loads(field_names)) if field_names else (),
        credits=credits,
        personal=personal,
    )


def _chunk(row: Row) -> Chunk:
    (id_, campaign_id, seq, peid, first, last, state, attempts, events, accepted, rejected,
     credits, status, reason, sent_at, updated, excluded) = row  # fmt: skip
    return Chunk(
        id=id_,
        campaign_id=campaign_id,
        seq=seq,
        partner_event_id=peid,
        first_recipient=first,
        last_recipient=last,
        state=ChunkState(state),
        attempts=attempts,
        event_ids=tuple(events),
        accepted=accepted,
        rejected=rejected,
        credits_spent=credits,
        status=status,
        reason=reason,
        sent_at=read_time(sent_at),
        updated_at=read_time_required(updated),
        excluded=excluded,
    )


def partner_msg_id(key: str, seq: int) -> str:
    """The PartnerMsgId of recipient ``seq`` of the campaign with ``key`` (as SQLite's)."""
    return f"{key}-{seq}"


def partner_event_id(key: str, seq: int) -> str:
    """The partnerEventId of chunk ``seq`` of the campaign with ``key`` (as SQLite's)."""
    return f"{key}-c{seq}"


def _states(states: Sequence[ChunkState]) -> list[str]:
    return [ChunkState(state).value for state in states]


class CampaignTables(PostgresConnection):
    """The campaign half of :class:`~bot.store.Store`."""

    # --- campaigns ------------------------------------------------------------

    async def create_campaign(self, campaign: NewCampaign) -> Campaign:
        now = datetime.now(UTC)
        async with self._transaction() as conn:
            cursor = await conn.execute(
                _INSERT_CAMPAIGN,
                (
                    campaign.key,
                    campaign.account,
                    campaign.created_by,
                    campaign.chat,
                    campaign.text,
                    campaign.sender,
                    utc_or_none(campaign.schedule_at),
                    campaign.segments,
                    len(campaign.recipients),
                    now,
                    campaign.opted_out,
                    campaign.window,
                    json.dumps(campaign.columns, ensure_ascii=False) if campaign.columns else None,
                ),
            )
            row = await cursor.fetchone()
            assert row is not None
            created = _campaign(row)
            if campaign.columns:
                async with cursor.copy(
                    "COPY recipients (campaign_id, seq, msisdn, fields) FROM STDIN"
                ) as copy:
                    for seq, (msisdn, line, values) in enumerate(
                        zip(campaign.recipients, campaign.lines, campaign.values, strict=True)
                    ):
                        fields = encode_row(line, values)
                        await copy.write_row((created.id, seq, msisdn, fields))
            else:
                async with cursor.copy(
                    "COPY recipients (campaign_id, seq, msisdn) FROM STDIN"
                ) as copy:
                    for seq, msisdn in enumerate(campaign.recipients):
                        await copy.write_row((created.id, seq, msisdn))
        return created

    async def get_campaign(self, campaign_id: int) -> Campaign | None:
        row = await self._one(_GET_CAMPAIGN, (campaign_id,))
        return None if row is None else _campaign(row)

    async def find_campaign_by_event(self, event_id: int) -> Campaign | None:
        row = await self._one(_FIND_BY_EVENT, (event_id,))
        return None if row is None else _campaign(row)

    async def list_campaigns(
        self, *, chat: str | None = None, created_by: str | None = None, limit: int = 10
    ) -> list[Campaign]:
        rows = await self._all(_LIST_CAMPAIGNS, (chat, created_by, limit))
        return [_campaign(row) for row in rows]

    async def update_draft(self, campaign_id: int, change: DraftChange) -> Campaign | None:
        async with self._transaction() as conn:
            before = await (
                await conn.execute(
                    "SELECT personal FROM campaigns WHERE id = %s FOR NO KEY UPDATE",
                    (campaign_id,),
                )
            ).fetchone()
            cursor = await conn.execute(
                sql.SQL(
                    "UPDATE campaigns SET text = %s, sender = %s, schedule_at = %s, "
                    "segments = %s, delivery_window = %s, credits = %s, personal = %s, "
                    "revision = revision + 1 WHERE id = %s AND phase = 'DRAFT' AND {} "
                    "RETURNING {}"
                ).format(NO_APPROVAL, _CAMPAIGN_COLUMNS),
                (
                    change.text,
                    change.sender,
                    utc_or_none(change.schedule_at),
                    change.segments,
                    change.window,
                    change.credits if change.personal is not None else None,
                    change.personal,
                    campaign_id,
                ),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            if change.texts is not None:
                # 100k single-row updates are slow here: the texts go in by COPY, then
                # one UPDATE joins them.
                await cursor.execute(
                    "CREATE TEMP TABLE rendered (seq integer PRIMARY KEY, text text, "
                    "segments integer) ON COMMIT DROP"
                )
                async with cursor.copy("COPY rendered (seq, text, segments) FROM STDIN") as copy:
                    for seq, (text, segments) in enumerate(change.texts):
                        await copy.write_row((seq, text, segments))
                await cursor.execute(
                    "UPDATE recipients r SET text = x.text, segments = x.segments "
                    "FROM rendered x WHERE r.campaign_id = %s AND r.seq = x.seq",
                    (campaign_id,),
                )
            elif change.personal is None and before is not None and before[0] is not None:
                # Personalised before, one text for all now: their own texts go.
                await cursor.execute(
                    "UPDATE recipients SET text = NULL, segments = NULL WHERE campaign_id = %s",
                    (campaign_id,),
                )
        return _campaign(row)

    async def confirm_campaign(
        self, campaign_id: int, at: datetime, revision: int | None = None
    ) -> bool:
        changed = await self._count(
            sql.SQL(
                "UPDATE campaigns SET phase = 'CONFIRMED', confirmed_at = %s, work = 'SEND', "
                "generation = generation + 1 WHERE id = %s AND phase = 'DRAFT' AND text <> '' "
                "AND revision = coalesce(%s, revision) AND {}"
            ).format(NO_APPROVAL),
            (utc(at), campaign_id, revision),
        )
        return changed == 1

    async def cancel_campaign(self, campaign_id: int) -> bool:
        changed = await self._count(
            sql.SQL(
                "UPDATE campaigns SET phase = 'CANCELLED' WHERE id = %s AND phase = 'DRAFT' AND {}"
            ).format(NO_APPROVAL),
            (campaign_id,),
        )
        return changed == 1

    async def set_campaign_reason(self, campaign_id: int, reason: str | None) -> None:
        await self._count("UPDATE campaigns SET reason = %s WHERE id = %s", (reason, campaign_id))

    async def recipients(self, campaign_id: int, first: int, last: int) -> list[Recipient]:
        rows = await self._all(
            "SELECT r.seq, r.msisdn, c.key, r.text FROM recipients r JOIN campaigns c "
            "ON c.id = r.campaign_id WHERE r.campaign_id = %s AND r.seq BETWEEN %s AND %s "
            "ORDER BY r.seq",
            (campaign_id, first, last),
        )
        return [
            Recipient(seq, msisdn, partner_msg_id(key, seq), text)
            for seq, msisdn, key, text in rows
        ]

    async def recipient_rows(self, campaign_id: int) -> list[tuple[int, tuple[str, ...]]]:
        rows = await self._all(
            "SELECT fields FROM recipients WHERE campaign_id = %s "
            "AND fields IS NOT NULL ORDER BY seq",
            (campaign_id,),
        )
        return [decode_row(fields) for (fields,) in rows]

    async def recipient_credits(self, campaign_id: int, ranges: Sequence[tuple[int, int]]) -> int:
        total = 0
        for first, last in ranges:
            row = await self._one(
                "SELECT coalesce(sum(coalesce(r.segments, c.segments)), 0) FROM recipients r "
                "JOIN campaigns c ON c.id = r.campaign_id WHERE r.campaign_id = %s "
                "AND r.seq BETWEEN %s AND %s AND NOT EXISTS (SELECT 1 FROM excluded_recipients "
                "x WHERE x.campaign_id = r.campaign_id AND x.seq = r.seq)",
                (campaign_id, first, last),
            )
            total += 0 if row is None else int(row[0])
        return total

    # --- chunks ---------------------------------------------------------------

    async def plan_chunks(self, campaign_id: int, chunk_size: int, at: datetime) -> list[Chunk]:
        if chunk_size < 1:
            raise StoreError("chunk_size must be at least 1")
        now = utc(at)
        async with self._transaction() as conn:
            # The row lock makes "once" hold against another replica planning too.
            row = await (
                await conn.execute(
                    "SELECT key, recipient_count, phase FROM campaigns WHERE id = %s "
                    "FOR NO KEY UPDATE",
                    (campaign_id,),
                )
            ).fetchone()
            if row is None:
                raise StoreError(f"no campaign {campaign_id}")
            key, count, phase = row
            if phase != CampaignPhase.CONFIRMED:
                raise StoreError(f"campaign {campaign_id} is {phase}, not CONFIRMED")
            existing = await (
                await conn.execute(
                    "SELECT count(*) FROM chunks WHERE campaign_id = %s", (campaign_id,)
                )
            ).fetchone()
            if existing is not None and existing[0] == 0:
                async with conn.cursor() as cursor:
                    await cursor.executemany(
                        "INSERT INTO chunks (campaign_id, seq, partner_event_id, "
                        "first_recipient, last_recipient, state, updated_at) "
                        "VALUES (%s, %s, %s, %s, %s, 'PENDING', %s)",
                        [
                            (
                                campaign_id,
                                seq,
                                partner_event_id(key, seq),
                                first,
                                min(first + chunk_size, count) - 1,
                                now,
                            )
                            for seq, first in enumerate(range(0, count, chunk_size))
                        ],
                    )
        return await self.chunks(campaign_id)

    async def chunks(self, campaign_id: int) -> list[Chunk]:
        return [_chunk(row) for row in await self._all(_CHUNKS_OF, (campaign_id,))]

    async def get_chunk(self, chunk_id: int) -> Chunk | None:
        row = await self._one(_GET_CHUNK, (chunk_id,))
        return None if row is None else _chunk(row)

    async def unsettled_chunks(self) -> list[Chunk]:
        return [_chunk(row) for row in await self._all(_UNSETTLED)]

    async def begin_send(self, chunk_id: int, allowed: Sequence[ChunkState], at: datetime) -> bool:
        moment = utc(at)
        changed = await self._count(
            "UPDATE chunks SET state = 'IN_FLIGHT', attempts = attempts + 1, sent_at = %s, "
            "updated_at = %s WHERE id = %s AND state = ANY(%s)",
            (moment, moment, chunk_id, _states(allowed)),
        )
        return changed == 1

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
        moment = utc(at)
        # "attempts = coalesce(%s, attempts)" is always true when no attempt is given.
        if result is None:
            changed = await self._count(
                "UPDATE chunks SET state = %s, status = coalesce(%s, status), reason = %s, "
                "updated_at = %s WHERE id = %s AND state = ANY(%s) "
                "AND attempts = coalesce(%s::integer, attempts)",
                (state.value, status, reason, moment, chunk_id, _states(expected), attempt),
            )
            return changed == 1
        async with self._transaction() as conn:
            row = await (
                await conn.execute(
                    "UPDATE chunks SET state = %s, status = %s, reason = %s, accepted = %s, "
                    "rejected = %s, credits_spent = %s, updated_at = %s "
                    "WHERE id = %s AND state = ANY(%s) "
                    "AND attempts = coalesce(%s::integer, attempts) RETURNING campaign_id",
                    (
                        state.value,
                        status or result.status,
                        reason,
                        result.accepted,
                        result.rejected,
                        result.credits_spent,
                        moment,
                        chunk_id,
                        _states(expected),
                        attempt,
                    ),
                )
            ).fetchone()
            if row is None:
                return False
            (campaign_id,) = row
            async with conn.cursor() as cursor:
                await cursor.executemany(
                    "INSERT INTO chunk_events (event_id, chunk_id) VALUES (%s, %s) "
                    "ON CONFLICT (event_id) DO NOTHING",
                    [(event_id, chunk_id) for event_id in result.event_ids],
                )
                await cursor.executemany(
                    "INSERT INTO messages (campaign_id, msg_id, partner_msg_id, msisdn, status, "
                    "number_sms, chunk_id) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (campaign_id, partner_msg_id, msg_id) DO UPDATE SET "
                    "msisdn = excluded.msisdn, status = excluded.status, "
                    "number_sms = excluded.number_sms, chunk_id = excluded.chunk_id",
                    [
                        (
                            campaign_id,
                            m.msg_id,
                            m.partner_msg_id,
                            m.msisdn,
                            m.status,
                            m.number_sms,
                            chunk_id,
                        )
                        for m in result.messages
                    ],
                )
            return True

    async def refusal_counts(self, campaign_id: int) -> dict[str, int]:
        rows = await self._all(
            "SELECT status, count(*) FROM messages "
            "WHERE campaign_id = %s AND status <> 'SCHEDULED' GROUP BY status",
            (campaign_id,),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    async def chunk_outcomes(self, chunk_id: int) -> list[MessageOutcome]:
        rows = await self._all(
            "SELECT partner_msg_id, msisdn, msg_id, status, number_sms FROM messages "
            'WHERE chunk_id = %s ORDER BY msg_id, partner_msg_id COLLATE "C"',
            (chunk_id,),
        )
        return [MessageOutcome(*row) for row in rows]

    async def message_outcomes(self, campaign_id: int) -> list[MessageOutcome]:
        # COLLATE "C": the byte order SQLite sorts text in, whatever the database's locale.
        rows = await self._all(
            "SELECT partner_msg_id, msisdn, msg_id, status, number_sms FROM messages "
            'WHERE campaign_id = %s ORDER BY msg_id, partner_msg_id COLLATE "C"',
            (campaign_id,),
        )
        return [MessageOutcome(*row) for row in rows]
