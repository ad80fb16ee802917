"""What a campaign scheduled for later did when its time came, told in its chat.

A scheduled campaign is handed to uSendit at once (SendMessages with each
Sms's ScheduleDatetime): the chat sees it accepted, then hears nothing while
uSendit holds it. When its time comes, :class:`ScheduleReports`:

1. reads uSendit's word again: GetPartnerEvents and GetSchedule for every part
   it took (``Reconciler.refresh``: a late duplicate is found there too);
2. in one store transaction marks the campaign reported and adds a
   ``schedule:<id>`` notice (the report) to every chat that follows the
   campaign, and bumps the ``campaign:<id>`` notices, so the campaign's own
   message is edited to say it went out. Of several replicas one reports;
   a crash before the transaction reports again at the next start, one after
   it has the report in the outbox already.

A campaign whose send is not over (work asked of the worker, a part unsure)
waits: the worker's end of a campaign wakes the service. uSendit unreachable,
or refusing, delays the report to the next round; it is never skipped. The
service sleeps until the next schedule (at most :data:`POLL`), so a report
reaches the chat within seconds of its time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.errors import CampaignError, ProviderError, StoreError
from bot.lifecycle import Loop
from bot.notices import NoticeBoard, campaign_subject
from bot.reconciliation import Reconciler
from bot.store import Store

log = logging.getLogger(__name__)

POLL = 30.0
"""Longest sleep between rounds (a campaign scheduled meanwhile wakes it anyway)."""
RETRY = 15.0
"""Sleep after a round that left a due report for later (uSendit or the store failed)."""
PATIENCE = timedelta(minutes=30)
"""How long after its time a report waits for uSendit to answer: then the chat is told
what uSendit last said (stored at the send), rather than nothing."""


def _now() -> datetime:
    return datetime.now(UTC)


def schedule_subject(campaign_id: int) -> str:
    """The outbox subject of a scheduled campaign's report."""
    return f"schedule:{campaign_id}"


class ScheduleReports(Loop):
    """Reports each scheduled campaign once, when its time has come."""

    loop_name = "schedule-reports"

    def __init__(
        self,
        store: Store,
        reconciler: Reconciler,
        board: NoticeBoard,
        *,
        poll: float = POLL,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.store = store
        self.reconciler = reconciler
        self.board = board
        self.poll = poll
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look again now (a campaign ended, or one was scheduled)."""
        self._wake.set()

    async def after_campaign(self, campaign_id: int) -> None:
        """The worker ended a campaign: a report may be due (or its time nearer)."""
        self.wake()

    async def report_due(self) -> int:
        """Report every campaign whose time has come; how many were reported here.
        A campaign uSendit could not be asked about now is left for the next round."""
        reported = 0
        for campaign_id in await self.store.schedule_reports_due(self.clock()):
            try:
                await self.reconciler.refresh(campaign_id)
            except (ProviderError, CampaignError) as exc:
                if not await self._overdue(campaign_id):
                    log.warning("campaign %d not reported yet: %s", campaign_id, exc)
                    continue
                log.warning("campaign %d reported as last known: %s", campaign_id, exc)
            if await self.store.report_schedule(
                campaign_id,
                self.clock(),
                follows=campaign_subject(campaign_id),
                subject=schedule_subject(campaign_id),
            ):
                log.info("campaign %d: its schedule came, reported", campaign_id)
                reported += 1
        if reported:
            self.board.ring()
        return reported

    async def _overdue(self, campaign_id: int) -> bool:
        campaign = await self.store.get_campaign(campaign_id)
        due = campaign.schedule_at if campaign is not None else None
        return due is None or self.clock() - due > PATIENCE

    async def _round(self) -> float:
        """One round; how long to sleep before the next."""
        now = self.clock()
        try:
            await self.report_due()
            left = await self.store.schedule_reports_due(now, limit=1)
            upcoming = await self.store.next_schedule_report(self.clock())
        except StoreError as exc:
            log.warning("scheduled-send reports: %s", exc)
            return RETRY
        if left:
            return RETRY  # due but waiting: for its send, or for uSendit
        if upcoming is None:
            return self.poll
        return min(self.poll, max(0.0, (upcoming - self.clock()).total_seconds()))

    async def forever(self) -> None:
        while True:
            self._wake.clear()
            try:
                wait = await self._round()
            except Exception:
                # The loop's last resort: a bug must not end every later report.
                log.exception("scheduled-send reports: the round failed")
                wait = RETRY
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
