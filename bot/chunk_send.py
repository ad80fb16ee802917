"""One part of a campaign sent: its SendMessages and the answer recorded.

A part (chunk) arrives committed IN_FLIGHT by :meth:`~bot.campaigns.CampaignEngine.run`.
Its recipients are read and asked against the opt-out list once more, each Sms gets
its own text (a personalised campaign's, else the campaign's), the campaign's sender,
schedule and daily window, and the call is made unless the run is stopping. What
uSendit answered settles the part, always by a conditional update from IN_FLIGHT at
this attempt (a reconciliation that settled it first wins):

- accepted: ACCEPTED with every message's outcome;
- an error that does not say nothing was scheduled: UNKNOWN (reconciled, never
  assumed);
- refused for the account's sake (credits, a password changed): SKIPPED, sent again
  by Continue once mended; refused for the part's own sake: REJECTED;
- uSendit unreachable, or the request refused by the client as unsendable: back to
  PENDING (provably never left);
- a timeout, a dropped connection, a fault, an unreadable answer: UNKNOWN.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Any

from bot.campaign_status import chunk_result
from bot.errors import InvalidRequest, OutcomeUnknown, ProviderFault, ProviderUnavailable
from bot.exclusions import Exclusions, nothing_sent
from bot.records import Campaign, Chunk, ChunkResult, ChunkState
from bot.send_window import sms_window
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import ScheduleResult, Sms, SmsBatch
from bot.usendit.statuses import ScheduleStatus

log = logging.getLogger(__name__)

INVALID_REQUEST = "INVALID_REQUEST"
"""The reason stored when the client refused a chunk's request as unsendable."""

Checkpoint = Callable[[str, Chunk], Awaitable[None]]
"""Called at named points of a send ("in_flight", "answered"); tests kill the process there."""


class Sent(Enum):
    """How one part's send ended, for the run that sent it."""

    GO_ON = "go on"
    STOP = "stop"  # nothing more of this campaign can go through
    UNAVAILABLE = "unavailable"  # provably not sent: try later
    HANDED_BACK = "handed back"  # not sent: the run is stopping or its lease is in doubt


# Business statuses after which the provider has surely not scheduled anything.
_NOTHING_SCHEDULED = {
    ScheduleStatus.USER_UNKNOWN,
    ScheduleStatus.USER_PENDING_SMS_CONFIRMATION_CODE,
    ScheduleStatus.USER_NOT_ALLOWED,
    ScheduleStatus.INSUFFICIENT_CREDITS,
    ScheduleStatus.SMS_LIST_EMPTY,
    ScheduleStatus.SMS_LIST_EXCEEDS_MAX_LENGTH,
    ScheduleStatus.SMS_LIST_ALL_RECIPIENTS_INVALID,
}
# Refusals about the account, not the part: once mended (credits bought, the account
# confirmed or linked again), the very same part can be sent.
_ACCOUNT_REFUSALS = {
    ScheduleStatus.USER_UNKNOWN,
    ScheduleStatus.USER_PENDING_SMS_CONFIRMATION_CODE,
    ScheduleStatus.USER_NOT_ALLOWED,
    ScheduleStatus.INSUFFICIENT_CREDITS,
}
# After these nothing more of this campaign can go through: stop, skip the rest.
_STOP_CAMPAIGN = {
    ScheduleStatus.USER_UNKNOWN,
    ScheduleStatus.USER_PENDING_SMS_CONFIRMATION_CODE,
    ScheduleStatus.USER_NOT_ALLOWED,
    ScheduleStatus.INSUFFICIENT_CREDITS,
    ScheduleStatus.SMS_LIST_EXCEEDS_MAX_LENGTH,
}


async def _result_of(answer: ScheduleResult) -> ChunkResult:
    """The answer's result, its thousand outcomes made in a thread: the loop goes on
    serving other chats meanwhile."""
    return await asyncio.to_thread(chunk_result, answer)


class ChunkSender:
    """Sends one IN_FLIGHT part and records what uSendit said of it."""

    def __init__(
        self,
        store: Store,
        client: UsenditClient,
        exclusions: Exclusions,
        *,
        clock: Callable[[], datetime],
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.exclusions = exclusions
        self.clock = clock
        self._checkpoint = checkpoint

    async def _mark(self, point: str, chunk: Chunk) -> None:
        if self._checkpoint is not None:
            await self._checkpoint(point, chunk)

    async def send(
        self,
        campaign: Campaign,
        account: Credentials,
        chunk: Chunk,
        stopping: Callable[[], bool] = lambda: False,
    ) -> Sent:
        """One SendMessages for an IN_FLIGHT chunk, its answer stored; none when
        ``stopping()`` says so just before the call."""
        chunk = await self.store.get_chunk(chunk.id) or chunk  # as committed IN_FLIGHT
        await self._mark("in_flight", chunk)
        recipients = await self.store.recipients(
            campaign.id, chunk.first_recipient, chunk.last_recipient
        )
        # Asked again now: a number put on the opt-out list since the draft never goes.
        recipients = await self.exclusions.sendable(campaign, chunk, recipients)
        begin, end, working_days = sms_window(campaign.window, campaign.schedule_at or self.clock())
        # What every Sms of the part shares is checked once; each one differs only in its
        # id, number and (personalised) text, stored and checked at the draft.
        shared = Sms(
            sender=campaign.sender, msisdn="", text=campaign.text, schedule=campaign.schedule_at,
            begin_time=begin, end_time=end, working_days=working_days,
        )  # fmt: skip
        batch = SmsBatch(
            shared, [(r.partner_msg_id, r.msisdn, r.text or campaign.text) for r in recipients]
        )
        in_flight = [ChunkState.IN_FLIGHT]
        attempt = chunk.attempts
        if stopping():
            # The lease may have lapsed while the store or this process hung since the
            # commit: another worker may have taken the chunk over, found no event and
            # sent it. Never send then; give it back if it is still at our attempt.
            await self.store.settle_chunk(
                chunk.id, ChunkState.PENDING, expected=in_flight, at=self.clock(), attempt=attempt
            )
            log.warning("campaign %d chunk %d handed back unsent", campaign.id, chunk.seq)
            return Sent.HANDED_BACK
        if campaign.personal is not None and any(r.text is None for r in recipients):
            # A personalised campaign whose rendered texts are gone (an edit raced the
            # rendering): never send the template itself, "Olá {nome}". Provably not sent;
            # the campaign stops with its reason for a person to look at.
            await self.store.settle_chunk(
                chunk.id, ChunkState.PENDING, expected=in_flight, at=self.clock(), attempt=attempt
            )
            await self.store.set_campaign_reason(campaign.id, INVALID_REQUEST)
            log.error("campaign %d chunk %d: personalised texts missing", campaign.id, chunk.seq)
            return Sent.STOP
        if not batch.each:  # every recipient excluded: no call at all
            await self.store.settle_chunk(
                chunk.id, ChunkState.ACCEPTED, expected=in_flight, at=self.clock(),
                result=nothing_sent(), attempt=attempt,
            )  # fmt: skip
            return Sent.GO_ON
        try:
            answer = await self.client.send_batch(account, chunk.partner_event_id, batch)
        except ProviderUnavailable as exc:
            # Provably never left: back to PENDING, and stop; a later send() goes on.
            await self.store.settle_chunk(
                chunk.id, ChunkState.PENDING, expected=in_flight, at=self.clock(), attempt=attempt
            )
            await self.store.set_campaign_reason(campaign.id, "PROVIDER_UNAVAILABLE")
            log.warning("campaign %d chunk %d not sent: %s", campaign.id, chunk.seq, exc)
            return Sent.UNAVAILABLE
        except InvalidRequest as exc:
            # Refused by the client before anything was sent: provably never left,
            # like ProviderUnavailable, so back to PENDING. Never UNKNOWN (as for
            # OutcomeUnknown): reconciling would wait out the quiet window for an event
            # that cannot exist, then resend the same refused bytes. And not a retry
            # later either (UNAVAILABLE): the same request is refused every time, so
            # the campaign stops here with its reason, for a person to look at.
            await self.store.settle_chunk(
                chunk.id, ChunkState.PENDING, expected=in_flight, at=self.clock(), attempt=attempt
            )
            await self.store.set_campaign_reason(campaign.id, INVALID_REQUEST)
            log.warning("campaign %d chunk %d cannot be sent: %s", campaign.id, chunk.seq, exc)
            return Sent.STOP
        except (OutcomeUnknown, ProviderFault) as exc:
            await self.store.settle_chunk(
                chunk.id,
                ChunkState.UNKNOWN,
                expected=in_flight,
                at=self.clock(),
                reason=type(exc).__name__,
                attempt=attempt,
            )
            log.warning("campaign %d chunk %d outcome unknown: %s", campaign.id, chunk.seq, exc)
            return Sent.GO_ON
        await self._mark("answered", chunk)

        async def record(state: ChunkState, **data: Any) -> None:
            written = await self.store.settle_chunk(
                chunk.id, state, expected=in_flight, at=self.clock(), attempt=attempt, **data
            )
            if not written:
                # A reconciliation pass settled it first from the provider's own records.
                log.info(
                    "chunk %s was settled meanwhile; answer not stored", chunk.partner_event_id
                )

        if answer.scheduled:
            await record(ChunkState.ACCEPTED, result=await _result_of(answer))
            return Sent.GO_ON
        if answer.status not in _NOTHING_SCHEDULED:
            # An error that does not say nothing was scheduled: find out, never assume.
            await record(ChunkState.UNKNOWN, status=answer.status.value, reason=answer.status.value)
            return Sent.GO_ON
        if answer.status in _ACCOUNT_REFUSALS:
            # Refused for the account's sake (no credits, a password changed...): provably
            # nothing scheduled, and the same part can go once that is mended, so it is
            # SKIPPED with the reason, and Continue sends it with the rest.
            await record(ChunkState.SKIPPED, status=answer.status.value, reason=answer.status.value)
        else:
            await record(
                ChunkState.REJECTED, result=await _result_of(answer), reason=answer.status.value
            )
        if answer.status in _STOP_CAMPAIGN:
            await self.skip_rest(campaign.id, answer.status.value)
            return Sent.STOP
        return Sent.GO_ON

    async def skip_rest(self, campaign_id: int, reason: str) -> None:
        await self.store.set_campaign_reason(campaign_id, reason)
        for chunk in await self.store.chunks(campaign_id):
            if chunk.state in (ChunkState.PENDING, ChunkState.NOT_SENT):
                await self.store.settle_chunk(
                    chunk.id,
                    ChunkState.SKIPPED,
                    expected=[chunk.state],
                    at=self.clock(),
                    reason=reason,
                )
