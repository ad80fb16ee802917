"""The campaign engine: "send this text to these numbers", exactly once.

The protocol (DESIGN.md, "The send protocol"; the provider's own rule: a
timeout says nothing, the server keeps processing, never resend before
finding out):

1. :meth:`CampaignEngine.create` stores a DRAFT with its recipients and cost.
2. :meth:`CampaignEngine.confirm` is one conditional update DRAFT -> CONFIRMED,
   which also asks the worker (``bot.worker``) to SEND it.
3. :meth:`CampaignEngine.run`, under the worker's lease, cuts it in chunks,
   each with a partnerEventId derived from stored ids, and commits a chunk
   IN_FLIGHT before its SendMessages call.
4. An answer moves the chunk to ACCEPTED or REJECTED; a timeout, a dropped
   connection, a fault or an unreadable answer moves it to UNKNOWN. A request
   that provably never left (uSendit unreachable, or refused by the client as
   unsendable) moves it back to PENDING (one part's send: ``bot.chunk_send``).
5. UNKNOWN (and IN_FLIGHT found after a crash) is settled only by
   GetPartnerEvents then GetSchedule (``bot.reconciliation``): one event ->
   ACCEPTED; several -> DUPLICATE (kept, reported); none -> NOT_SENT, but only
   once a quiet window has passed since the call. A NOT_SENT chunk is sent again, with the
   same partnerEventId and after asking uSendit once more, by the worker (at
   most :data:`AUTO_SENDS` sends of a chunk) or on a deliberate Resend.

:meth:`CampaignEngine.send` and :meth:`~CampaignEngine.resend` (and the
reconciler's ``recover``) do the same here and now, outside any lease:
for tests and tools, never while a worker may hold the campaign.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.campaign_status import (
    CampaignStatus,
    ProgressCallback,
)
from bot.chunk_send import Checkpoint, ChunkSender, Sent
from bot.errors import (
    AccountRejected,
    CampaignError,
    InsufficientCredits,
)
from bot.exclusions import EveryoneOptedOut, Exclusions
from bot.personal_drafts import INLINE_ROWS, credits_to_send, kept_rows, personalise
from bot.reconciliation import AccountResolver, Reconciler
from bot.records import (
    Campaign,
    CampaignPhase,
    Chunk,
    ChunkState,
    DraftChange,
    NewCampaign,
    Work,
)
from bot.segments import count_segments
from bot.send_window import ZonedWindow, window_problem
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import code_points, illegal_characters
from bot.usendit.statuses import AuthenticateResultStatus

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 1000
AUTO_SENDS = 3
"""Sends of one chunk the worker makes by itself; more take a person's Resend."""
MSISDN = re.compile(r"[1-9][0-9]{7,14}")

Changed = Callable[[], Awaitable[None]]
"""Awaited after every change of a campaign that a chat should show."""


@dataclass(frozen=True)
class Step:
    """How one :meth:`CampaignEngine.run` ended.

    ``done``: nothing is left to do until someone asks again. Otherwise the run
    is taken again after ``retry_in`` seconds; ``failed`` when uSendit could not
    be reached (the worker backs off, and gives up after a while).
    """

    done: bool
    retry_in: float = 0.0
    failed: bool = False
    resent: bool = False
    """A person's Resend was carried out: later runs only SEND (a few times, not forever)."""


def _checked_numbers(given: Sequence[str]) -> tuple[list[str], list[str]]:
    """The numbers given, deduped in order without ``+`` and blanks, and those of them
    that are not international digits."""
    unique = list(dict.fromkeys(given))
    if all(map(MSISDN.fullmatch, unique)):
        return unique, []  # a file's numbers, read already: none has a blank or a "+"
    unique = list(dict.fromkeys(r.strip().lstrip("+") for r in given if r.strip()))
    return unique, [r for r in unique if not MSISDN.fullmatch(r)]


def _now() -> datetime:
    return datetime.now(UTC)


class CampaignEngine:
    """Creates, confirms, sends and reconciles campaigns.

    :param quiet_window: how long after a call an empty GetPartnerEvents is
        trusted to mean "never sent". Kept above twice the client timeout.
    :param poll_interval: seconds between reconciliation passes while waiting.
    """

    def __init__(
        self,
        store: Store,
        client: UsenditClient,
        accounts: AccountResolver,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        quiet_window: timedelta = timedelta(minutes=2),
        poll_interval: float = 5.0,
        clock: Callable[[], datetime] = _now,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        if chunk_size < 1:
            raise CampaignError("chunk_size must be at least 1")
        self.store = store
        self.client = client
        self.accounts = accounts
        self.chunk_size = chunk_size
        self.quiet_window = quiet_window
        self.poll_interval = poll_interval
        self.clock = clock
        self.exclusions = Exclusions(store, clock)
        self.chunks = ChunkSender(
            store, client, self.exclusions, clock=clock, checkpoint=checkpoint
        )
        self.reconciler = Reconciler(
            store,
            client,
            accounts,
            quiet_window=quiet_window,
            poll_interval=poll_interval,
            clock=clock,
        )

    # --- drafting ---------------------------------------------------------------

    async def create(
        self,
        *,
        account: str,
        created_by: str,
        chat: str,
        recipients: Iterable[str],
        text: str = "",
        sender: str | None = None,
        schedule_at: datetime | None = None,
        window: ZonedWindow | None = None,
        columns: Sequence[str] = (),
        lines: Sequence[int] = (),
        values: Sequence[tuple[str, ...]] = (),
    ) -> Campaign:
        """Store a DRAFT. Recipients are international digits (``351912345678``), deduped here,
        without those on ``account``'s opt-out list (:mod:`bot.exclusions`; when that is
        every one, :class:`~bot.exclusions.EveryoneOptedOut`).

        The text may come later (:meth:`edit`): a draft without one cannot be confirmed.
        ``columns``: a file's other columns, with each recipient's ``lines`` and ``values``
        (aligned with ``recipients``): the fields of a personalised text.
        """
        recipients = list(recipients)
        # A file of 100k numbers takes tens of milliseconds to dedupe and check: off the
        # event loop, which other chats are waiting on (a short list costs less inline).
        if len(recipients) > INLINE_ROWS:
            unique, bad = await asyncio.to_thread(_checked_numbers, recipients)
        else:
            unique, bad = _checked_numbers(recipients)
        if bad:
            raise CampaignError(f"not international phone numbers: {', '.join(bad[:5])}")
        if not unique:
            raise CampaignError("a campaign needs at least one recipient")
        change = self._change(text, sender, schedule_at, window)
        kept, opted_out = await self.exclusions.split(account, unique)
        if not kept:
            raise EveryoneOptedOut(opted_out)
        if not columns or (kept == recipients and len(lines) == len(values) == len(kept)):
            pass  # each number given once as it is kept, none opted out: rows as given
        elif len(recipients) > INLINE_ROWS:
            lines, values = await asyncio.to_thread(kept_rows, recipients, lines, values, kept)
        else:
            lines, values = kept_rows(recipients, lines, values, kept)
        return await self.store.create_campaign(
            NewCampaign(
                key=secrets.token_hex(8),
                account=account,
                created_by=created_by,
                chat=chat,
                text=change.text,
                sender=change.sender,
                schedule_at=change.schedule_at,
                segments=change.segments,
                window=change.window,
                recipients=tuple(kept),
                opted_out=opted_out,
                columns=tuple(columns),
                lines=tuple(lines),
                values=tuple(values),
            )
        )

    async def edit(
        self,
        campaign_id: int,
        *,
        text: str,
        sender: str | None = None,
        schedule_at: datetime | None = None,
        window: ZonedWindow | None = None,
        fold: bool = False,
    ) -> Campaign | None:
        """A DRAFT's text, sender, schedule and delivery window, changed in place (its
        recipients stay). None once it is no longer a DRAFT (confirmed or cancelled meanwhile).

        A text with ``{fields}`` gives each recipient its own text (:mod:`bot.personal_drafts`;
        ``fold``: each folded to GSM-7), or raises
        :class:`~bot.personal_text.PersonalTextError`."""
        if not text:
            raise CampaignError("a campaign needs a text")
        change = self._change(text, sender, schedule_at, window)
        change = await personalise(self.store, campaign_id, change, fold=fold)
        return await self.store.update_draft(campaign_id, change)

    def _change(
        self,
        text: str,
        sender: str | None,
        schedule_at: datetime | None,
        window: ZonedWindow | None = None,
    ) -> DraftChange:
        for what, value in (("text", text), ("sender", sender or "")):
            unsendable = illegal_characters(value)
            if unsendable:
                # No request to uSendit could carry it: refuse the draft, not the send.
                raise CampaignError(
                    f"the {what} has characters no SMS can carry: {code_points(unsendable)}"
                )
        if schedule_at is not None:
            if schedule_at.tzinfo is None:
                raise CampaignError("a schedule time needs a timezone")
            if schedule_at <= self.clock():
                raise CampaignError("the schedule time is in the past")
        if window is not None and window_problem(
            window.window, window.zone, schedule_at or self.clock()
        ):
            raise CampaignError("uSendit cannot open this window: it runs across its midnight")
        return DraftChange(
            text=text,
            sender=sender or None,
            schedule_at=schedule_at,
            segments=count_segments(text).segments,
            window=None if window is None else window.stored(),
        )

    async def confirm(self, campaign_id: int, revision: int | None = None) -> bool:
        """DRAFT -> CONFIRMED, when it has a text and (if given) is still at ``revision``.
        False when it was already confirmed (or cancelled, or changed since)."""
        if await self.store.get_campaign(campaign_id) is None:
            raise CampaignError(f"there is no campaign {campaign_id}")
        return await self.store.confirm_campaign(campaign_id, self.clock(), revision)

    async def cancel(self, campaign_id: int) -> bool:
        """DRAFT -> CANCELLED. False once confirmed: a confirmed campaign is not called back."""
        return await self.store.cancel_campaign(campaign_id)

    async def status(self, campaign_id: int) -> CampaignStatus:
        return await self.reconciler.status(campaign_id)

    # --- sending ----------------------------------------------------------------

    async def run(
        self,
        campaign_id: int,
        work: Work,
        *,
        stopping: Callable[[], bool] = lambda: False,
        changed: Changed | None = None,
    ) -> Step:
        """One run of a campaign's work, as the worker does it under the campaign's lease.

        Settles the unsure chunks first (a crashed process's IN_FLIGHT chunk among
        them), then sends the chunks never sent, then resends the ones uSendit
        provably never got (after the quiet window; with ``Work.SEND`` at most
        :data:`AUTO_SENDS` attempts each, with ``Work.RESEND`` whatever the count),
        each looked up once more first. ``changed`` is awaited after every change
        a chat should show; ``stopping`` is asked before every SendMessages (after
        its chunk is committed too) and, when true, the run hands the rest back.

        Raises :class:`InsufficientCredits` or :class:`AccountRejected` (the
        campaign stops, its reason stored) and :class:`ProviderError` from the
        balance check (nothing was decided: try later).
        """
        campaign = await self.store.get_campaign(campaign_id)
        if campaign is None or campaign.phase is not CampaignPhase.CONFIRMED:
            return Step(done=True)
        account = await self.accounts(campaign.account)
        chunks = await self.store.plan_chunks(campaign_id, self.chunk_size, self.clock())

        async def report() -> None:
            if changed is not None:
                await changed()

        resent = False

        def step(**outcome: Any) -> Step:
            return Step(resent=resent, **outcome)

        if all(c.attempts == 0 for c in chunks):
            await report()  # the first run: the chat sees its parts planned
        while True:
            if await self.reconciler.settle_pass(account, chunks):
                await report()
            chunks = await self.store.chunks(campaign_id)
            sendable = [c for c in chunks if self._sendable(c, work)]
            if not sendable:
                unsure = any(c.state.unsettled for c in chunks)
                return step(done=not unsure, retry_in=self.poll_interval if unsure else 0.0)
            if stopping():
                return step(done=False)
            fresh = [c for c in sendable if c.state is not ChunkState.NOT_SENT]
            if fresh or work is Work.RESEND:
                needed = await credits_to_send(self.store, campaign, sendable)
                await self._check_balance(campaign, account, needed)
                await self.store.set_campaign_reason(campaign_id, None)
            for chunk in sendable:
                if stopping():
                    return step(done=False)
                if chunk.state is ChunkState.NOT_SENT and await self.reconciler.found_late(
                    account, chunk
                ):
                    await report()
                    continue
                if not await self.store.begin_send(chunk.id, [chunk.state], self.clock()):
                    continue  # changed meanwhile: looked at again on the next pass
                if work is Work.RESEND and chunk.state is ChunkState.NOT_SENT:
                    resent = True
                outcome = await self.chunks.send(campaign, account, chunk, stopping)
                await report()
                if outcome is Sent.UNAVAILABLE:
                    return step(done=False, retry_in=self.poll_interval, failed=True)
                if outcome is Sent.STOP:
                    return step(done=True)
                if outcome is Sent.HANDED_BACK:
                    return step(done=False)
            chunks = await self.store.chunks(campaign_id)

    @staticmethod
    def _sendable(chunk: Chunk, work: Work) -> bool:
        if chunk.state in (ChunkState.PENDING, ChunkState.SKIPPED):
            return work is not Work.SETTLE
        if chunk.state is ChunkState.NOT_SENT:
            return work is Work.RESEND or (work is Work.SEND and chunk.attempts < AUTO_SENDS)
        return False

    async def send(
        self, campaign_id: int, progress: ProgressCallback | None = None
    ) -> CampaignStatus:
        """Do a campaign's SEND work here and now (tests, tools): :meth:`run` until it is
        done, or has failed, or :attr:`patience` has passed with chunks still unsure."""
        return await self._drive(campaign_id, Work.SEND, progress)

    async def resend(
        self, campaign_id: int, progress: ProgressCallback | None = None
    ) -> CampaignStatus:
        """Deliberately send the NOT_SENT chunks again, each with its same partnerEventId,
        each looked up at uSendit once more first."""
        return await self._drive(campaign_id, Work.RESEND, progress)

    async def _drive(
        self, campaign_id: int, work: Work, progress: ProgressCallback | None
    ) -> CampaignStatus:
        await self._confirmed(campaign_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience

        async def changed() -> None:
            await self._report(campaign_id, progress)

        while True:
            step = await self.run(campaign_id, work, changed=changed)
            if step.done or step.failed or loop.time() >= deadline:
                return await self.status(campaign_id)
            await asyncio.sleep(min(step.retry_in, max(0.0, deadline - loop.time())))

    async def _confirmed(self, campaign_id: int) -> Campaign:
        campaign = await self.store.get_campaign(campaign_id)
        if campaign is None:
            raise CampaignError(f"there is no campaign {campaign_id}")
        if campaign.phase is not CampaignPhase.CONFIRMED:
            raise CampaignError(f"campaign {campaign_id} is {campaign.phase.value}, not confirmed")
        return campaign

    async def _check_balance(self, campaign: Campaign, account: Credentials, needed: int) -> None:
        auth = await self.client.authenticate_user(account)
        if auth.status is not AuthenticateResultStatus.SUCCESS:
            reason = auth.status.value
            await self.store.set_campaign_reason(campaign.id, reason)
            raise AccountRejected(auth.status.explanation, status=reason)
        if auth.user_credits < needed:
            reason = f"INSUFFICIENT_CREDITS: needs {needed}, has {auth.user_credits}"
            await self.store.set_campaign_reason(campaign.id, reason)
            raise InsufficientCredits(
                f"this send needs {needed} credits and the account has {auth.user_credits}",
                needed=needed,
                available=auth.user_credits,
            )

    async def _report(self, campaign_id: int, progress: ProgressCallback | None) -> None:
        if progress is not None:
            await progress((await self.status(campaign_id)).progress)

    @property
    def patience(self) -> float:
        """How long a send waits for unsure chunks: the quiet window and a few polls."""
        return self.quiet_window.total_seconds() + 3 * self.poll_interval
