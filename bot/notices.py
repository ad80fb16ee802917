"""The outbox: notices the core keeps up to date in chats, and the couriers that show them.

The worker never talks to a chat platform. It bumps the version of the
``campaign:<id>`` notices in the store (:meth:`NoticeBoard.changed`); each
adapter's :class:`NoticeChannel` shows them, through a :class:`Courier` that
claims due notices under a short lease, renders each one from the live state
(so coalesced versions show the latest), posts it the first time and edits
the same message later (the platform's message id is stored as ``ref``, so an
edit after a restart edits that message). A notice is shown at most about
once a second per message (:data:`EDIT_INTERVAL`), the last version always,
and at least once: a courier that dies before recording a delivery leaves the
lease to expire, and another one shows it again (an edit, so it is shown once;
only a first post whose message id was never recorded is posted a second time).
A notice that keeps failing is never dropped, only tried less often.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.chat import Reply
from bot.errors import ChatPlatformError, UsenditBotError
from bot.lifecycle import Service
from bot.records import Notice
from bot.store import Store

log = logging.getLogger(__name__)

EDIT_INTERVAL = 1.0
NOTICE_LEASE = timedelta(seconds=30)
POLL_INTERVAL = 0.5
SLOW_DOWN_AFTER = 8
"""Failed deliveries of one notice (backing off) before it is tried only every SLOW_RETRY."""
SLOW_RETRY = 600.0


def _now() -> datetime:
    return datetime.now(UTC)


def campaign_subject(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


class RetryLater(ChatPlatformError):
    """The platform asked to wait (Telegram's RetryAfter, Slack's 429) before the next call."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the chat platform asks to wait {seconds:.0f} s")
        self.seconds = seconds


class NoticeChannel(Protocol):
    """One platform's way of showing notices (implemented by each adapter)."""

    prefix: str
    """The chats it serves: ``telegram:``, ``slack:``, ``console:``."""

    async def open(self) -> None:
        """Connect (called by the courier, and again after a failure to connect)."""

    async def close(self) -> None: ...

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        """Post ``reply`` in ``chat`` (``ref`` None) or edit message ``ref`` with it.

        Returns the platform's id of the message now showing it. Raises
        :class:`RetryLater` when the platform asks to wait, and
        :class:`~bot.errors.ChatPlatformError` for any other failure of the
        platform (its library's errors wrapped at this seam).
        """


Render = Callable[[Notice], Awaitable[Reply | None]]
"""A notice as a reply, from the live state (None: nothing to show any more)."""


class NoticeBoard:
    """The core's side of the outbox: follow a campaign in a chat; say it changed."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = _now) -> None:
        self.store = store
        self.clock = clock
        self._bells: list[asyncio.Event] = []

    def bell(self) -> asyncio.Event:
        """An event set whenever a notice may be due (a courier in this process waits on it)."""
        event = asyncio.Event()
        self._bells.append(event)
        return event

    def ring(self) -> None:
        for event in self._bells:
            event.set()

    async def follow(self, chat: str, campaign_id: int, data: dict[str, Any]) -> None:
        """Keep ``chat`` shown how campaign ``campaign_id`` goes (``data``: how to word it)."""
        await self.store.add_notice(chat, campaign_subject(campaign_id), data, self.clock())
        self.ring()

    async def changed(self, campaign_id: int) -> None:
        if await self.store.touch_notices(campaign_subject(campaign_id), self.clock()):
            self.ring()


class Courier(Service):
    """Delivers one channel's due notices until stopped; :meth:`flush` waits for them."""

    def __init__(
        self,
        store: Store,
        board: NoticeBoard,
        channel: NoticeChannel,
        render: Render,
        *,
        owner: str,
        clock: Callable[[], datetime] = _now,
        edit_interval: float = EDIT_INTERVAL,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.store = store
        self.channel = channel
        self.render = render
        self.owner = f"{owner}/{channel.prefix}"
        self.clock = clock
        self.edit_interval = edit_interval
        self.poll_interval = poll_interval
        self._bell = board.bell()
        self._task: asyncio.Task[None] | None = None
        self._failures: dict[int, int] = {}
        self._open = False

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._deliver_forever(), name=self.owner)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._open:
            self._open = False
            try:
                await self.channel.close()
            except Exception:
                # The platform's boundary: a channel hands its library's errors through
                # (see NoticeChannel.show), and a failed close must not stop the shutdown.
                log.exception("closing the %s notice channel failed", self.channel.prefix)

    async def flush(self, within: float) -> bool:
        """Wait (at most ``within`` seconds) until no notice of this channel is due."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            try:
                if not await self.store.pending_notices(chat_prefix=self.channel.prefix):
                    return True
            except UsenditBotError as exc:
                log.warning("cannot tell whether notices are left: %s", exc)
                return False
            if loop.time() >= deadline:
                return False
            self._bell.set()
            await asyncio.sleep(min(0.1, max(0.0, deadline - loop.time())))

    async def _deliver_forever(self) -> None:
        while True:
            self._bell.clear()
            try:
                delivered = await self.deliver_due()
            except UsenditBotError as exc:
                # The store failed: try again shortly.
                log.warning(
                    "delivering %s notices failed (%s); trying again", self.channel.prefix, exc
                )
                delivered = 0
                await asyncio.sleep(self.poll_interval)
            except Exception:
                # The courier's last resort: a bug, or a platform's error while opening
                # its channel, must not end the delivery of every later notice.
                log.exception("delivering %s notices failed; trying again", self.channel.prefix)
                delivered = 0
                await asyncio.sleep(self.poll_interval)
            if not delivered:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._bell.wait(), self.poll_interval)

    async def deliver_due(self) -> int:
        """Show every notice due now (each in its own task: one slow chat holds up no other)."""
        if not self._open:
            await self.channel.open()
            self._open = True
        due = await self.store.claim_notices(
            self.channel.prefix, self.owner, self.clock(), NOTICE_LEASE
        )
        await asyncio.gather(*(self._deliver(notice) for notice in due))
        return len(due)

    async def _deliver(self, notice: Notice) -> None:
        backoff = min(2.0 ** self._failures.get(notice.id, 0), 60.0)
        try:
            reply = await self.render(notice)
        except UsenditBotError as exc:
            log.warning("could not render a notice for %s: %s", notice.chat, exc)
            await self._failed(notice, backoff)
            return
        ref = notice.ref
        try:
            if reply is not None:
                ref = await self.channel.show(notice.chat, notice.ref, reply)
        except RetryLater as exc:
            await self._failed(notice, exc.seconds, count=False)
            return
        except ChatPlatformError as exc:
            log.warning("could not show a notice in %s: %s", notice.chat, exc)
            await self._failed(notice, backoff)
            return
        except Exception:
            # Not the platform: a bug in a channel. Logged whole, and the notice is
            # kept and tried again like any other failure.
            log.exception("showing a notice in %s failed", notice.chat)
            await self._failed(notice, backoff)
            return
        self._failures.pop(notice.id, None)
        now = self.clock()
        await self.store.notice_shown(
            notice.id,
            notice.version,
            self.owner,
            ref=ref,
            at=now,
            next_at=now + timedelta(seconds=self.edit_interval),
        )

    async def _failed(self, notice: Notice, wait: float, *, count: bool = True) -> None:
        failures = self._failures.get(notice.id, 0) + (1 if count else 0)
        self._failures[notice.id] = failures
        now = self.clock()
        if failures >= SLOW_DOWN_AFTER:
            # Never dropped (it may be a campaign's last word), only tried less often.
            log.error("a notice in %s failed %d times; trying every %.0f s", notice.chat,
                      failures, SLOW_RETRY)  # fmt: skip
            wait = SLOW_RETRY
        await self.store.notice_failed(notice.id, self.owner, now + timedelta(seconds=wait))
