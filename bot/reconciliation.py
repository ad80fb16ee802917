"""Finding out what uSendit did with a part whose answer never came (the provider's rule:
a timeout says nothing; never resend before asking).

A chunk left IN_FLIGHT (a process died mid-call) or UNKNOWN (a timeout, a
dropped connection, an unreadable answer) is settled only through
GetPartnerEvents, then GetSchedule: one event -> ACCEPTED; several ->
DUPLICATE (kept and reported); none -> NOT_SENT, and only once the quiet
window has passed since the call. Every decision is written only if the
chunk is still at the send attempt it was taken on, so an old look never
overrides a newer (re)send. :class:`Reconciler` does this for the engine
(``bot.campaigns``), which sends; nothing here sends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from bot.campaign_status import (
    CampaignStatus,
    ProgressCallback,
    chunk_result,
    combine,
    merge_results,
)
from bot.errors import (
    CampaignError,
    OutcomeUnknown,
    ProviderFault,
    ProviderUnavailable,
    UsenditBotError,
)
from bot.records import CampaignPhase, Chunk, ChunkResult, ChunkState
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.statuses import GetPartnerEventsStatus

log = logging.getLogger(__name__)

AccountResolver = Callable[[str], Awaitable[Credentials]]
"""Gives the credentials of the account a campaign bills, by its username."""


class Reconciler:
    """Settles unsure chunks from uSendit's own records, and refreshes accepted ones.

    :param quiet_window: how long after a call an empty GetPartnerEvents is
        trusted to mean "never sent". Kept above twice the client timeout.
    :param poll_interval: seconds between passes while waiting.
    """

    def __init__(
        self,
        store: Store,
        client: UsenditClient,
        accounts: AccountResolver,
        *,
        quiet_window: timedelta,
        poll_interval: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.client = client
        self.accounts = accounts
        self.quiet_window = quiet_window
        self.poll_interval = poll_interval
        self.clock = clock

    async def status(self, campaign_id: int) -> CampaignStatus:
        campaign = await self.store.get_campaign(campaign_id)
        if campaign is None:
            raise CampaignError(f"there is no campaign {campaign_id}")
        return combine(campaign, await self.store.chunks(campaign_id))

    async def found_late(self, account: Credentials, chunk: Chunk) -> bool:
        """Ask uSendit once more about a NOT_SENT chunk before resending it: True when
        it has the chunk after all (then recorded), or cannot say right now."""
        found = await self.client.get_partner_events(account, chunk.partner_event_id)
        if found.status is not GetPartnerEventsStatus.SUCCESS:
            raise CampaignError("uSendit cannot be asked about this campaign right now")
        if not found.events:
            return False
        await self.record_events(
            account, chunk, sorted({e.event_id for e in found.events}), [chunk.state]
        )
        return True

    async def settle_pass(self, account: Credentials, chunks: Sequence[Chunk]) -> bool:
        """One look at every unsure chunk; True when any was settled."""
        settled = False
        for chunk in chunks:
            if not chunk.state.unsettled:
                continue
            try:
                settled = (await self.settle(chunk, account)) is not chunk.state or settled
            except (ProviderUnavailable, OutcomeUnknown, ProviderFault) as exc:
                log.warning("reconciling %s failed for now: %s", chunk.partner_event_id, exc)
        return settled

    async def settle(self, chunk: Chunk, account: Credentials | None = None) -> ChunkState:
        """One reconciliation of an IN_FLIGHT or UNKNOWN chunk through GetPartnerEvents.

        Decisions are written only if the chunk is still at the send attempt they
        were taken on, so an old look never overrides a newer (re)send.
        """
        if not chunk.state.unsettled:
            return chunk.state
        if account is None:
            campaign = await self.store.get_campaign(chunk.campaign_id)
            assert campaign is not None
            account = await self.accounts(campaign.account)
        asked_at = self.clock()  # the window is judged as of the question, not the answer
        found = await self.client.get_partner_events(account, chunk.partner_event_id)
        if found.status is not GetPartnerEventsStatus.SUCCESS:
            log.warning(
                "chunk %s cannot be checked: GetPartnerEvents said %s",
                chunk.partner_event_id,
                found.status.value,
            )
            return chunk.state
        event_ids = sorted({e.event_id for e in found.events})
        expected = [ChunkState.IN_FLIGHT, ChunkState.UNKNOWN]
        if event_ids:
            return await self.record_events(account, chunk, event_ids, expected)
        now = self.clock()
        if asked_at - (chunk.sent_at or chunk.updated_at) < self.quiet_window:
            # Too early to tell: a call may still be under way (ours, or one a
            # crashed process left behind). Leave the chunk as it is.
            return chunk.state
        written = await self.store.settle_chunk(
            chunk.id,
            ChunkState.NOT_SENT,
            expected=expected,
            at=now,
            reason="no event at uSendit after the quiet window",
            attempt=chunk.attempts,
        )
        return ChunkState.NOT_SENT if written else chunk.state

    async def record_events(
        self,
        account: Credentials,
        chunk: Chunk,
        event_ids: list[int],
        expected: Sequence[ChunkState],
    ) -> ChunkState:
        """The provider has events for this chunk: ACCEPTED with its data, or DUPLICATE."""
        results = []
        for event_id in event_ids:
            schedule = await self.client.get_schedule(account, event_id)
            if schedule.found:
                results.append(chunk_result(schedule))
            else:
                results.append(ChunkResult((event_id,), 0, 0, 0, schedule.status.value, ()))
        state = ChunkState.ACCEPTED if len(event_ids) == 1 else ChunkState.DUPLICATE
        if state is ChunkState.DUPLICATE:
            log.error(
                "DUPLICATE SEND: partnerEventId %s has %d events at uSendit (%s)",
                chunk.partner_event_id,
                len(event_ids),
                ", ".join(map(str, event_ids)),
            )
        written = await self.store.settle_chunk(
            chunk.id,
            state,
            expected=expected,
            at=self.clock(),
            result=merge_results(results),
            attempt=chunk.attempts,
        )
        return state if written else chunk.state

    async def settle_campaign(
        self,
        campaign_id: int,
        progress: ProgressCallback | None = None,
        *,
        max_wait: float | None = None,
    ) -> CampaignStatus:
        """Reconcile a campaign's unsure chunks until none is left, polling meanwhile.

        With ``max_wait`` (seconds), gives up polling after that long and leaves
        what is still unsure UNKNOWN, for a later pass (the provider may be down).
        """
        loop = asyncio.get_running_loop()
        deadline = None if max_wait is None else loop.time() + max_wait
        checked = False
        while True:
            unsure = [c for c in await self.store.chunks(campaign_id) if c.state.unsettled]
            checked = checked or bool(unsure)
            for chunk in unsure:
                try:
                    await self.settle(chunk)
                except UsenditBotError as exc:
                    # Never let one chunk (uSendit down, an account without credentials,
                    # a locked database...) stop the others from being reconciled: it
                    # stays unsure, for the next pass.
                    log.warning("reconciling %s failed for now: %s", chunk.partner_event_id, exc)
            status = await self.status(campaign_id)
            settled = not any(c.state.unsettled for c in status.chunks)
            if settled or (deadline is not None and loop.time() >= deadline):
                if progress is not None and checked:
                    await progress(status.progress)
                return status
            await asyncio.sleep(self.poll_interval)

    async def recover(self, *, max_wait: float | None = None) -> list[CampaignStatus]:
        """Settle every IN_FLIGHT or UNKNOWN chunk of every campaign (run at start).

        ``max_wait`` bounds the polling of the whole pass (by default, until settled).
        """
        campaign_ids = sorted({c.campaign_id for c in await self.store.unsettled_chunks()})
        loop = asyncio.get_running_loop()
        deadline = None if max_wait is None else loop.time() + max_wait
        settled = []
        for campaign_id in campaign_ids:
            left = None if deadline is None else max(0.0, deadline - loop.time())
            settled.append(await self.settle_campaign(campaign_id, max_wait=left))
        return settled

    async def refresh(self, campaign_id: int) -> CampaignStatus:
        """Update accepted chunks from GetSchedule and look for late duplicates."""
        campaign = await self.store.get_campaign(campaign_id)
        if campaign is None or campaign.phase is not CampaignPhase.CONFIRMED:
            raise CampaignError(f"campaign {campaign_id} is not a confirmed campaign")
        account = await self.accounts(campaign.account)
        for chunk in await self.store.chunks(campaign_id):
            if chunk.state is not ChunkState.ACCEPTED:
                continue
            found = await self.client.get_partner_events(account, chunk.partner_event_id)
            if found.status is not GetPartnerEventsStatus.SUCCESS:
                continue
            event_ids = sorted({e.event_id for e in found.events} | set(chunk.event_ids))
            if not event_ids:
                continue  # a part that needed no call (every number excluded): nothing to record
            await self.record_events(account, chunk, event_ids, [ChunkState.ACCEPTED])
        return await self.status(campaign_id)
