"""The campaign worker: takes confirmed work from the store under a lease and does it.

Every process runs one (``usendit-bot worker`` runs nothing else). A worker
claims a campaign whose lease is free or expired, renews the lease while it
works, and runs :meth:`~bot.campaigns.CampaignEngine.run` on it: settle the
unsure chunks, send the rest, resend what uSendit provably never got. It
never waits for a chat platform: what a chat must show is written to the
outbox (``campaign:<id>`` notices) and delivered by the adapters' couriers.

A process that dies leaves its lease to expire (:data:`LEASE`); any worker
then takes the campaign over, settling the chunk it finds IN_FLIGHT first.
On :meth:`stop` the worker takes no new work, lets the chunk in flight finish
within the grace, and gives every lease back at once so another process can
go on without waiting for the lease to expire.

::

    CONFIRMED, work SEND ──claim──> running (lease renewed every LEASE/3)
        ├─ done ──────────────> work cleared (or kept: a newer request came)
        ├─ unsure chunks ─────> work kept, taken again after the poll interval
        ├─ uSendit down ──────> work kept, backoff; stopped after MAX_FAILURES
        └─ process dies ──────> lease expires; any worker takes it over
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.campaigns import CampaignEngine, Step
from bot.chunk_send import INVALID_REQUEST
from bot.errors import (
    AccountRejected,
    CampaignError,
    InsufficientCredits,
    InvalidRequest,
    ProviderError,
    StoreError,
    UsenditBotError,
)
from bot.lifecycle import Service
from bot.records import Job, Work
from bot.store import Store

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)
MAX_FAILURES = 8
"""Runs in a row that could not reach uSendit before the campaign stops (~10 min of backoff)."""
UNAVAILABLE = "PROVIDER_UNAVAILABLE"


CLAIM_TTL = timedelta(days=1)
"""How long a chat event's claim is kept: platforms redeliver within hours (Telegram keeps
an update for a day), and Telegram's update ids may start again after a quiet week."""
PRUNE_EVERY = timedelta(hours=1)


def _now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    """A name for this process's leases: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class _Lease:
    """Until when this run surely holds its lease (as of its last renewal)."""

    until: datetime
    margin: timedelta

    def safe(self, now: datetime) -> bool:
        # A margin for the call about to start: never begin a send on a lease about to go.
        return now < self.until - self.margin


def backoff(failures: int) -> float:
    """Seconds before trying again after ``failures`` failed runs in a row."""
    return float(min(5 * 2 ** max(failures - 1, 0), 300))


class CampaignWorker(Service):
    """Runs up to ``concurrency`` campaigns at once, each under its own lease."""

    def __init__(
        self,
        store: Store,
        engine: CampaignEngine,
        *,
        changed: Callable[[int], object],
        owner: str | None = None,
        concurrency: int = 4,
        lease: timedelta = LEASE,
        poll_interval: float = 1.0,
        clock: Callable[[], datetime] = _now,
        ended: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self._ended = ended
        """Told of each campaign whose work is done (the credit watch reads its account)."""
        self.engine = engine
        self.owner = owner or worker_name()
        self.concurrency = concurrency
        self.lease = lease
        self.poll_interval = poll_interval
        self.clock = clock
        self._changed = changed
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None
        self._running: dict[int, asyncio.Task[None]] = {}
        self._pruned_at: datetime | None = None

    async def start(self) -> None:
        if self._loop_task is None:
            self._stopping = False
            self._loop_task = asyncio.create_task(self._claim_forever(), name="campaign-worker")

    def wake(self) -> None:
        """Work was asked for: look at once rather than at the next poll."""
        self._wake.set()

    @property
    def busy(self) -> int:
        """How many campaigns this worker is running now."""
        return len(self._running)

    async def stop(self, grace: float = 10.0) -> None:
        """Take no new work; let the runs finish within ``grace``; hand back the rest."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        running = list(self._running.values())
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()  # a SendMessages still under way: its chunk stays IN_FLIGHT
            if late:
                log.warning("%d campaign(s) handed back mid-send after %.0f s", len(late), grace)
                await asyncio.wait(late, timeout=2.0)

    # --- claiming -----------------------------------------------------------------

    async def _prune(self) -> None:
        """Forget chat events claimed over :data:`CLAIM_TTL` ago, once every
        :data:`PRUNE_EVERY` (each replica does; deleting twice is harmless)."""
        now = self.clock()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            forgotten = await self.store.prune_claims(now - CLAIM_TTL)
        except StoreError as exc:
            log.warning("could not forget old chat events (%s); trying again later", exc)
            return
        if forgotten:
            log.info("forgot %d chat event(s) claimed over a day ago", forgotten)

    async def _claim_forever(self) -> None:
        while not self._stopping:
            self._wake.clear()
            await self._prune()
            claimed = False
            if len(self._running) < self.concurrency:
                try:
                    job = await self.store.claim_job(self.owner, self.clock(), self.lease)
                except StoreError as exc:
                    log.warning("could not look for campaigns to send (%s); trying again", exc)
                    job = None
                except Exception:
                    # The loop outlives any one failure, a bug included: if it ended, no
                    # campaign would be sent by this process again, and nobody would know.
                    log.exception("looking for campaigns to send failed; trying again")
                    job = None
                if job is not None and job.campaign_id in self._running:
                    # Our own run's lease lapsed (the store was away) and we took it
                    # again: that run goes on, under the renewed lease; never a second.
                    job = None
                if job is not None:
                    claimed = True
                    task = asyncio.create_task(self._run(job), name=f"campaign-{job.campaign_id}")
                    self._running[job.campaign_id] = task
                    task.add_done_callback(self._finished)
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    def _finished(self, task: asyncio.Task[None]) -> None:
        for campaign_id, running in list(self._running.items()):
            if running is task:
                del self._running[campaign_id]
        self._wake.set()  # a slot is free

    # --- one campaign -------------------------------------------------------------

    async def _run(self, job: Job) -> None:
        cid = job.campaign_id
        lost = asyncio.Event()
        held = _Lease(job.expires, self.lease / 5)  # renewed every third: never this close
        heartbeat = asyncio.create_task(self._renew(job, lost, held))
        step: Step | None = None
        failed = False
        reason: str | None = None
        try:
            step = await self.engine.run(
                cid,
                job.work,
                stopping=lambda: self._stopping or lost.is_set() or not held.safe(self.clock()),
                changed=lambda: self._touch(cid),
            )
        except (InsufficientCredits, AccountRejected) as exc:
            log.info("campaign %d stopped: %s", cid, exc)
            step = Step(done=True)
        except InvalidRequest as exc:
            # Nothing left, and the same request would be refused again: stop, and say why.
            log.warning("campaign %d stopped: %s", cid, exc)
            await self._note_reason(cid, INVALID_REQUEST)
            step = Step(done=True)
        except (ProviderError, CampaignError, StoreError) as exc:
            log.warning("campaign %d could not go on for now: %s", cid, exc)
            failed, reason = True, UNAVAILABLE if isinstance(exc, ProviderError) else None
        except asyncio.CancelledError:
            log.warning("campaign %d handed back by a stop", cid)
            raise
        except Exception:
            # The last resort of one campaign's run: what a run is expected to raise is
            # ours and handled above, so this is a bug. It must not stop the worker nor
            # the other campaigns: log it whole, and the campaign is tried again later.
            log.exception("campaign %d failed; it will be tried again", cid)
            failed = True
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            failed = failed or (step is not None and step.failed)
            if failed and job.failures + 1 >= MAX_FAILURES:
                # uSendit stayed out of reach: stop asking; the campaign shows Continue.
                log.warning("campaign %d stopped after %d failed tries", cid, MAX_FAILURES)
                await self._note_reason(cid, reason or UNAVAILABLE)
                step, failed = Step(done=True), False
            if step is not None and step.resent:
                await self._resend_done(cid)
            await self._release(job, step, failed=failed)
            if step is not None and step.done and job.work is not Work.SETTLE:
                await self._settle_left(cid)
            if step is not None and step.done and self._ended is not None:
                await self._ended(cid)  # logs its own failures: a push never stops a send
            if step is None or step.done or failed:
                await self._touch(cid)

    async def _renew(self, job: Job, lost: asyncio.Event, held: _Lease) -> None:
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                now = self.clock()
                ok = await self.store.renew_job(job.campaign_id, job.owner, now, self.lease)
                if ok:
                    held.until = now + self.lease
            except StoreError as exc:
                log.warning("could not renew the lease of campaign %d: %s", job.campaign_id, exc)
                continue
            except Exception:
                # A heartbeat that dies lets the lease lapse under a live send: keep beating.
                log.exception("renewing the lease of campaign %d failed", job.campaign_id)
                continue
            if not ok:
                log.warning("campaign %d was taken over by another worker", job.campaign_id)
                lost.set()
                return

    async def _release(self, job: Job, step: Step | None, *, failed: bool) -> None:
        now = self.clock()
        if step is not None and step.done:
            retry_at = None
        elif failed:
            retry_at = now + timedelta(seconds=backoff(job.failures + 1))
        else:
            retry_at = now + timedelta(seconds=step.retry_in if step is not None else 0.0)
        try:
            await self.store.release_job(
                job, now, done=step is not None and step.done, retry_at=retry_at, failed=failed
            )
        except StoreError as exc:
            # The lease then simply expires, and the campaign is taken again.
            log.warning("could not give back the lease of campaign %d: %s", job.campaign_id, exc)

    async def _resend_done(self, campaign_id: int) -> None:
        """A person's Resend went out once: what is left is the ordinary SEND work, whose
        own resends are bounded (AUTO_SENDS); another Resend takes another person."""
        try:
            await self.store.request_work(campaign_id, Work.SEND, self.clock())
        except StoreError as exc:
            log.warning("campaign %d: could not end its resend: %s", campaign_id, exc)

    async def _settle_left(self, campaign_id: int) -> None:
        """A run that stopped (credits, account, uSendit out of reach) may leave parts
        unsure: keep finding out about them, sending nothing more."""
        try:
            chunks = await self.store.chunks(campaign_id)
            if any(c.state.unsettled for c in chunks):
                await self.store.request_work(campaign_id, Work.SETTLE, self.clock())
        except StoreError as exc:
            log.warning(
                "campaign %d: could not ask to settle its unsure parts: %s", campaign_id, exc
            )

    async def _note_reason(self, campaign_id: int, reason: str) -> None:
        try:
            await self.store.set_campaign_reason(campaign_id, reason)
        except StoreError as exc:
            log.warning("could not store why campaign %d stopped: %s", campaign_id, exc)

    async def _touch(self, campaign_id: int) -> None:
        try:
            result = self._changed(campaign_id)
            if asyncio.iscoroutine(result):
                await result
        except UsenditBotError as exc:
            # Only the chats' view lags: the next change, or the next run, shows it.
            log.warning("could not note the progress of campaign %d: %s", campaign_id, exc)
