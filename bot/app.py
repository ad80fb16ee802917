"""Wiring: settings in, a started desk out (store, provider client, engine, roles).

:class:`BotApp` is the one place that builds the object graph, for every
entry point (console, Telegram, Slack, serve). On start it reconciles every
unsure chunk before anyone is served, then keeps reconciling in the
background what the provider could not answer yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.accounts import AccountBook
from bot.campaigns import CampaignEngine
from bot.desk import Desk, DeskConfig
from bot.errors import ConfigurationError, ProviderError
from bot.lifecycle import Service
from bot.roles import RolePolicy
from bot.sandbox import SandboxServer
from bot.settings import Settings
from bot.usendit.client import Credentials, UsenditClient
from bot.vault import Vault
from storage.sqlite import SqliteStore

log = logging.getLogger(__name__)

SANDBOX_ACCOUNT = Credentials("demo", "demo")
RECONCILE_EVERY = 30.0


def _now() -> datetime:
    return datetime.now(UTC)


class BotApp(Service):
    """Everything the adapters need, started and stopped together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sandbox: SandboxServer | None = None
        self.store = SqliteStore(settings.sqlite_path)
        self._client: UsenditClient | None = None
        self._desk: Desk | None = None
        self._engine: CampaignEngine | None = None
        self._reconciler: asyncio.Task[None] | None = None

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise ConfigurationError("the app is not started")
        return self._desk

    @property
    def on_sandbox(self) -> bool:
        return self.sandbox is not None

    async def start(self) -> None:
        settings = self.settings
        data_dir = settings.sqlite_path.parent
        default: Credentials | None = None
        if settings.use_sandbox:
            # The sandbox keeps its state beside the database, so reconciliation
            # after a restart finds the events it recorded.
            self.sandbox = SandboxServer(
                host="127.0.0.1", port=0, state_file=self._beside(".sandbox.json")
            )
            await self.sandbox.start()
            client = UsenditClient(endpoint=self.sandbox.endpoint, timeout=settings.usendit_timeout)
            default = SANDBOX_ACCOUNT
        else:
            client = UsenditClient(
                wsdl=settings.usendit_wsdl_url,
                endpoint=settings.usendit_endpoint,
                timeout=settings.usendit_timeout,
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
        # Never trust "no event" before any call of ours could have finished.
        quiet = timedelta(seconds=max(120.0, 2 * settings.usendit_timeout + 10))
        engine = CampaignEngine(self.store, client, accounts.by_username, quiet_window=quiet)
        self._engine = engine
        try:
            await engine.recover(max_wait=engine.patience)
        except Exception:
            # Serve anyway: what could not be settled is retried in the background.
            log.exception("could not reconcile unsure sends at start; will keep trying")
        self._reconciler = asyncio.create_task(self._reconcile_forever(engine))
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
            ),
        )
        log.info("usendit-bot ready (data in %s)", data_dir)

    def _beside(self, suffix: str) -> Path:
        path = self.settings.sqlite_path
        return path.with_name(path.stem + suffix)

    async def _reconcile_forever(self, engine: CampaignEngine) -> None:
        while True:
            await asyncio.sleep(RECONCILE_EVERY)
            try:
                await engine.recover(max_wait=0)
            except ProviderError as exc:
                log.info("background reconciliation postponed: %s", exc)
            except Exception:
                log.exception("background reconciliation failed; trying again later")

    async def stop(self) -> None:
        if self._reconciler is not None:
            self._reconciler.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reconciler
            self._reconciler = None
        if self._client is not None:
            await self._client.stop()
        await self.store.stop()
        if self.sandbox is not None:
            await self.sandbox.stop()
            self.sandbox = None
        self._desk = None
