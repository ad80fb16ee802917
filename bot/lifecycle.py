"""The one lifecycle of every I/O boundary: started once, stopped once, or ``async with``."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class Service(ABC):
    """Something with resources to open and release (a store, a client, a server)."""

    @abstractmethod
    async def start(self) -> None:
        """Open what the service needs; calling it twice is harmless."""

    @abstractmethod
    async def stop(self) -> None:
        """Release it; calling it twice is harmless."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class Loop(Service):
    """A service that is one task running :meth:`forever` from start to stop (a watch,
    the approvals' expiry, the scheduled-send reports)."""

    loop_name = "loop"
    _task: asyncio.Task[None] | None = None

    @abstractmethod
    async def forever(self) -> None:
        """Run until cancelled; a failure of one round must not end it."""

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.forever(), name=self.loop_name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
