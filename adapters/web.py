"""One ASGI app for ``usendit-bot serve``: Telegram's webhook, Slack's events, /healthz.

Usage:
    usendit-bot serve            (the Procfile's ``web``; listens on PORT)

Each chat adapter that takes HTTP contributes its routes; the app's lifespan
starts the bot (store, provider, reconciliation) and the adapters, and stops
them in reverse order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route


class WebAdapter(Protocol):
    """A chat adapter reachable over HTTP."""

    def routes(self) -> list[BaseRoute]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_web_app(adapters: Sequence[WebAdapter]) -> Starlette:
    """The ASGI app serving every adapter's routes plus ``GET /healthz``."""

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started: list[WebAdapter] = []
        try:
            for adapter in adapters:
                await adapter.start()
                started.append(adapter)
            yield
        finally:
            for adapter in reversed(started):
                await adapter.stop()

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for adapter in adapters:
        routes += adapter.routes()
    return Starlette(routes=routes, lifespan=lifespan)
