"""Wiring: settings in, a started desk out (store, provider client, engine, worker, outbox).

:class:`BotApp` is the one place that builds the object graph, for every
entry point (console, Telegram, Slack, serve, worker). It serves at once: the
campaign worker it starts settles unsure sends in the background, and every
chat's notices are delivered by a courier per platform channel.

Stopping (:meth:`BotApp.drain`, then :meth:`BotApp.stop`) follows DESIGN's
order: take no new work, finish or hand back the chunk in flight within
``SHUTDOWN_GRACE``, give the leases back, deliver the pending notices, and
close the store last.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.accounts import AccountBook
from bot.approvals import Approvals
from bot.audit import Audit
from bot.campaigns import CampaignEngine
from bot.credit_watch import CreditWatch
from bot.desk import Desk, DeskConfig
from bot.errors import ConfigurationError, StoreError
from bot.lifecycle import Service
from bot.notices import Courier, NoticeBoard, NoticeChannel
from bot.roles import Role, RolePolicy
from bot.schedule_reports import ScheduleReports
from bot.settings import Settings
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from bot.vault import Vault
from bot.worker import CampaignWorker, worker_name
from storage import open_store

if TYPE_CHECKING:
    from bot.sandbox import SandboxServer

log = logging.getLogger(__name__)

SANDBOX_ACCOUNT = Credentials("demo", "demo")
MIN_FLUSH = 2.0
"""Seconds the pending notices get at a stop, even when the grace went to the send."""
SWITCH_INTERVAL = 0.0005
"""The most seconds a thread keeps the GIL while another asks for it (``sys``'s 0.005);
set for the process at start and kept, as ``gc.freeze`` is."""
YOUNG_OBJECTS = 5000
"""How many new container objects the collector lets pile up before a young collection
(``gc``'s 700); set for the process at start and kept, as the switch interval is."""


def _now() -> datetime:
    return datetime.now(UTC)


class BotApp(Service):
    """Everything the adapters need, started and stopped together."""

    def __init__(
        self,
        settings: Settings,
        channels: Sequence[NoticeChannel] = (),
        *,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.settings = settings
        self.clock = clock
        """The desk's, the outbox's and the watches' time (the worker's leases keep the
        machine's): a test moves it to a campaign's schedule."""
        self.sandbox: SandboxServer | None = None
        self.store: Store = open_store(settings.database_url, sender=True)
        self.owner = worker_name()
        self._channels = list(channels)
        self._client: UsenditClient | None = None
        self._desk: Desk | None = None
        self._worker: CampaignWorker | None = None
        self._board: NoticeBoard | None = None
        self._watch: CreditWatch | None = None
        self._reports: ScheduleReports | None = None
        self._approvals: Approvals | None = None
        self._couriers: list[Courier] = []
        self._drained = False

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise ConfigurationError("the app is not started")
        return self._desk

    @property
    def worker(self) -> CampaignWorker:
        if self._worker is None:
            raise ConfigurationError("the app is not started")
        return self._worker

    @property
    def schedule_reports(self) -> ScheduleReports:
        if self._reports is None:
            raise ConfigurationError("the app is not started")
        return self._reports

    @property
    def on_sandbox(self) -> bool:
        return self.sandbox is not None

    async def start(self) -> None:
        settings = self.settings
        if settings.on_postgres and settings.secret_key is None:
            raise ConfigurationError(
                "with PostgreSQL, set SECRET_KEY: every replica must open the same passwords"
            )
        try:
            await self._start()
        except BaseException:
            # Not a catch: whatever ended the start (ours, a bug, a cancel), what was
            # started is stopped again, and the error goes on up unchanged.
            await self.stop()
            raise

    async def _start(self) -> None:
        settings = self.settings
        default: Credentials | None = None
        if settings.use_sandbox:
            # Imported only here: a process on the real uSendit never loads the sandbox
            # (its web server and state, a quarter of a second at every start).
            from bot.sandbox import SandboxServer, SandboxStateError

            # The sandbox keeps its state beside the database, so reconciliation
            # after a restart finds the events it recorded.
            self.sandbox = SandboxServer(
                host="127.0.0.1", port=0, state_file=self._beside(".sandbox.db")
            )
            try:
                await self.sandbox.start()
            except SandboxStateError as exc:
                self.sandbox = None
                raise StoreError(str(exc)) from exc
            client = UsenditClient(
                endpoint=self.sandbox.endpoint,
                timeout=settings.usendit_timeout,
                fast_send=settings.usendit_fast_send,
            )
            default = SANDBOX_ACCOUNT
        else:
            client = UsenditClient(
                wsdl=settings.usendit_wsdl_url,
                endpoint=settings.usendit_endpoint,
                timeout=settings.usendit_timeout,
                fast_send=settings.usendit_fast_send,
                wsdl_copy=self._beside(".wsdl"),
            )
            if settings.usendit_username and settings.usendit_password:
                default = Credentials(
                    settings.usendit_username, settings.usendit_password.get_secret_value()
                )
        self._client = client
        await client.start()
        await self.store.start()
        secret = settings.secret_key.get_secret_value() if settings.secret_key else None
        vault = Vault.from_setting(secret, self._beside(".key"))
        accounts = AccountBook(self.store, vault, default, _now)
        engine = CampaignEngine(
            self.store,
            client,
            accounts.by_username,
            chunk_size=settings.chunk_size,
            quiet_window=timedelta(seconds=settings.quiet_seconds),
            poll_interval=min(5.0, settings.quiet_seconds / 4),
        )
        board = NoticeBoard(self.store, self.clock)
        self._board = board
        watch = CreditWatch(
            self.store,
            client,
            accounts.by_username,
            board,
            every=timedelta(minutes=settings.credit_check_minutes),
            clock=self.clock,
        )
        self._watch = watch
        reports = ScheduleReports(self.store, engine.reconciler, board, clock=self.clock)
        self._reports = reports

        async def ended(campaign_id: int) -> None:
            await watch.after_campaign(campaign_id)
            await reports.after_campaign(campaign_id)

        worker = CampaignWorker(
            self.store,
            engine,
            changed=board.changed,
            owner=self.owner,
            lease=timedelta(seconds=settings.worker_lease),
            ended=ended,
        )
        self._worker = worker
        audit = Audit(self.store, accounts, self.clock)
        approvals = Approvals(
            self.store,
            board,
            patience=timedelta(minutes=settings.approval_minutes),
            wake_worker=worker.wake,
            clock=self.clock,
            audit=audit,
        )
        self._approvals = approvals
        self._desk = Desk(
            store=self.store,
            client=client,
            engine=engine,
            accounts=accounts,
            roles=RolePolicy(settings.bot_admins, settings.bot_senders, settings.bot_viewers),
            config=DeskConfig(
                region=settings.default_region,
                timezone=settings.default_timezone,
                language=settings.default_language,
                sandbox=self.on_sandbox,
                max_recipients=settings.max_recipients,
                max_file_bytes=settings.max_file_bytes,
            ),
            notices=board,
            wake_worker=worker.wake,
            credit_watch=watch,
            clock=self.clock,
            approvals=approvals,
            audit=audit,
        )
        await self._desk.session.audit.record_roles(
            {
                Role.ADMIN: settings.bot_admins,
                Role.SENDER: settings.bot_senders,
                Role.VIEWER: settings.bot_viewers,
            }
        )
        for channel in self._channels:
            await self.add_channel(channel)
        await worker.start()
        await watch.start()
        await reports.start()
        await approvals.start()
        # What start loaded (zeep's reading of the WSDL, phone metadata, catalogs...) lives
        # as long as the process. Frozen, the collector stops walking it on each full
        # collection: during a 100k send those walks stalled the loop up to 100 ms.
        gc.collect()
        gc.freeze()
        # A thread reading a 100k-row file, or writing a part's request, holds the GIL up
        # to the switch interval each time the loop's thread asks for it (5 ms by
        # default); a chat's /balance asks a dozen times, and took 100-270 ms during a
        # file's reading. At 0.5 ms it waits at most that much each time.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        # A part's thousand rows, tuples and answers outlive a young collection at 700;
        # each one walked them and, ten at a time, an older one walked them again: a
        # second of a 100k send's CPU went to it. At 5000 most are gone before it runs,
        # and the CPU a recipient fell by 2-3 µs in paired runs.
        young, *older = gc.get_threshold()
        if young:  # 0: the process runs without the collector, and keeps it so
            gc.set_threshold(max(young, YOUNG_OBJECTS), *older)
        log.info(
            "usendit-bot ready: store %s, uSendit %s, worker %s",
            "PostgreSQL" if settings.on_postgres else settings.sqlite_path,
            self.sandbox.endpoint if self.sandbox is not None else "as configured",
            self.owner,
        )

    async def add_channel(self, channel: NoticeChannel) -> None:
        """Deliver the notices of ``channel``'s chats from this process."""
        if self._board is None:
            self._channels.append(channel)
            return
        courier = Courier(
            self.store, self._board, channel, self.desk.render_notice, owner=self.owner
        )
        self._couriers.append(courier)
        await courier.start()

    def _beside(self, suffix: str) -> Path:
        path = self.settings.sqlite_path
        return path.with_name(path.stem + suffix)

    async def drain(self) -> None:
        """Stop taking work, finish or hand back the runs in flight, deliver the notices."""
        if self._drained:
            return
        self._drained = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.shutdown_grace
        if self._watch is not None:
            await self._watch.stop()
        if self._reports is not None:
            await self._reports.stop()
        if self._approvals is not None:
            await self._approvals.stop()
        if self._worker is not None:
            await self._worker.stop(self.settings.shutdown_grace)
        left = max(MIN_FLUSH, deadline - loop.time())
        for courier in self._couriers:
            if not await courier.flush(left):
                log.warning("notices of %s left for the next start", courier.channel.prefix)
            left = max(0.5, deadline - loop.time())

    async def stop(self) -> None:
        # What start froze is the collector's again (a process that starts another app,
        # as tests do, would otherwise never free the cycles of this one).
        gc.unfreeze()
        await self.drain()
        for courier in self._couriers:
            await courier.stop()
        self._couriers = []
        if self._client is not None:
            await self._client.stop()
        await self.store.stop()
        if self.sandbox is not None:
            await self.sandbox.stop()
            self.sandbox = None
        self._desk = None
