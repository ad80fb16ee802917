"""The one lifecycle of every I/O boundary: started once, stopped once, or ``async with``."""

from __future__ import annotations

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
