"""Running the sandbox: in-process for tests (:class:`SandboxServer`), or blocking for the CLI.

Usage::

    async with SandboxServer(host="127.0.0.1", port=0) as sb:
        print(sb.wsdl_url)       # http://127.0.0.1:PORT/v1/remoteusendit.asmx?WSDL
        print(sb.inbox_url)      # http://127.0.0.1:PORT/_sandbox/ (the phones' inboxes)
        sb.arm_fault("SendMessages", "drop_after_commit")
        sb.state.events          # what was recorded

    run_sandbox("127.0.0.1", 8089, ["ana:secret:100"], None, 5000)  # until Ctrl-C
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from aiohttp import web

from bot.lifecycle import Service
from bot.sandbox.context import DEFAULT_MAX_SMS
from bot.sandbox.faults import DEFAULT_SECONDS, Fault, FaultMode
from bot.sandbox.inbox_page import PAGE_PATH
from bot.sandbox.routes import SOAP_PATH, Sandbox
from bot.sandbox.state import SandboxState


class SandboxServer(Service):
    """The sandbox listening on ``host:port`` inside the running event loop.

    ``port=0`` picks a free port; ``accounts`` are extra confirmed accounts
    given as ``user:pass:credits`` (``demo``/``demo`` with 500 credits always
    exists in a fresh state); ``state_file`` keeps the state across restarts (a SQLite
    database, see :mod:`bot.sandbox.database`; an old JSON state file is migrated).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        accounts: list[str] | None = None,
        state_file: Path | None = None,
        max_sms: int = DEFAULT_MAX_SMS,
    ) -> None:
        self.host = host
        self.port = port
        self._accounts = list(accounts or [])
        self._state_file = state_file
        self._max_sms = max_sms
        self._sandbox: Sandbox | None = None
        self._runner: web.AppRunner | None = None

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            raise RuntimeError("the sandbox is not started")
        return self._sandbox

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8089``."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host  # noqa: S104
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}{SOAP_PATH}"

    @property
    def wsdl_url(self) -> str:
        return f"{self.endpoint}?WSDL"

    @property
    def inbox_url(self) -> str:
        """The HTML page of what the phones received, the codes and the payments."""
        return f"{self.url}{PAGE_PATH}"

    @property
    def state(self) -> SandboxState:
        return self.sandbox.state

    def arm_fault(
        self,
        operation: str,
        mode: FaultMode | str,
        *,
        count: int = 1,
        seconds: float | None = None,
        commit: bool = False,
    ) -> None:
        """Arm a fault for the next ``count`` calls of ``operation``."""
        mode = FaultMode(mode)
        if operation not in self.sandbox.service.operations:
            raise ValueError(f"unknown operation {operation!r}")
        wait = DEFAULT_SECONDS.get(mode, 0.0) if seconds is None else seconds
        self.sandbox.arm(Fault(operation, mode, count, wait, commit))

    def clear_faults(self) -> None:
        self.sandbox.faults.clear()

    def reset(self) -> None:
        self.sandbox.reset()

    async def start(self) -> None:
        self._sandbox = Sandbox(
            accounts=self._accounts, state_file=self._state_file, max_sms=self._max_sms
        )
        runner = web.AppRunner(self._sandbox.app(), access_log=None, shutdown_timeout=1.0)
        try:
            await runner.setup()
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except BaseException:
                await runner.cleanup()
                raise
        except BaseException:
            self._sandbox.close()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._sandbox is not None:
            self._sandbox.close()


async def _serve(
    host: str, port: int, accounts: list[str], state_file: Path | None, max_sms: int
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    async with SandboxServer(host, port, accounts, state_file, max_sms) as server:
        users = ", ".join(["demo/demo", *(spec.split(":", 1)[0] for spec in accounts)])
        print(
            f"uSendit sandbox: WSDL at {server.wsdl_url} (accounts: {users}; "
            f"the phones' inboxes at {server.inbox_url}, "
            f"state at {server.url}/_sandbox/state). Ctrl-C stops.",
            flush=True,
        )
        await stop.wait()


def run_sandbox(
    host: str, port: int, accounts: list[str], state_file: Path | None, max_sms: int
) -> None:
    """Serve the sandbox until Ctrl-C or SIGTERM (the ``usendit-bot sandbox`` command)."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(host, port, accounts, state_file, max_sms))
