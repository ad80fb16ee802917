"""A 5-part send with a fast and a slow chat platform, side by side; asserts nothing.

Usage:
    python benchmarks/bench_slow_chat.py [--edit-seconds 4] [--parts 5]

The whole bot as ``usendit-bot`` wires it (BotApp: store, worker, outbox), on
this machine only: the sandbox on 127.0.0.1, SQLite in a temporary folder,
and a local Slack Web API that answers ``chat.update`` at once or after
``--edit-seconds``. Prints, for each, how long the parts took to be accepted
after Confirm (the send) and how long until the chat showed the result (the
notices): a slow chat should only move the second figure.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web
from cryptography.fernet import Fernet

from adapters.slack_notices import SlackChannel
from bot.app import BotApp
from bot.chat import Command, Identity, Reply
from bot.sandbox import SandboxServer
from bot.settings import Settings

TOKEN = "xoxb-bench"  # noqa: S105 - a local fake's token


class SlowSlack:
    """``chat.postMessage`` and ``chat.update``, the second after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.updates = 0
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> SlowSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/api/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "chat.update":
            await asyncio.sleep(self.delay)
            self.updates += 1
        return web.json_response({"ok": True, "ts": f"1.{next(self._ts):06d}"})


async def one_send(edit_seconds: float, parts: int, folder: Path) -> tuple[float, float, int]:
    async with SandboxServer(host="127.0.0.1", port=0) as sandbox, SlowSlack(edit_seconds) as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            usendit_endpoint=sandbox.endpoint,
            usendit_username="demo",
            usendit_password="demo",
            database_url=f"sqlite:///{folder}/bot.db",
            secret_key=Fernet.generate_key().decode(),
            slack_bot_token=TOKEN,
            slack_api_base_url=api.url,
            bot_senders=["slack:T1/U1"],
            chunk_size=1,
            shutdown_grace=30,
        )
        async with BotApp(settings, [SlackChannel(settings)]) as app:
            replies: list[Reply] = []

            async def sink(reply: Reply) -> None:
                replies.append(reply)

            def command(n: int, **fields: Any) -> Command:
                return Command(
                    update_id=f"bench:{n}",
                    user=Identity("slack", "U1", team="T1"),
                    chat_id="slack:T1/C1",
                    prefix="/sms ",
                    **fields,
                )

            numbers = ",".join(f"+35191{i:07d}" for i in range(parts))
            await app.desk.handle(command(1, name="send", args=f"{numbers} Hello"), sink)
            confirm = next(b.action for r in replies for row in r.buttons for b in row)
            started = time.perf_counter()
            await app.desk.handle(command(2, action=confirm), sink)
            while await app.store.pending_jobs():
                await asyncio.sleep(0.005)
            sent = time.perf_counter() - started
            while await app.store.pending_notices():
                await asyncio.sleep(0.005)
            shown = time.perf_counter() - started
            return sent, shown, api.updates


async def main(edit_seconds: float, parts: int) -> None:
    print(f"{parts}-part send after Confirm     parts accepted   chat shows result   edits")
    for label, delay in (("fast chat API", 0.0), (f"chat.update {edit_seconds:g} s", edit_seconds)):
        with tempfile.TemporaryDirectory() as folder:
            sent, shown, edits = await one_send(delay, parts, Path(folder))
        print(f"{label:<30} {sent:12.3f} s {shown:16.3f} s {edits:7d}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edit-seconds", type=float, default=4.0)
    parser.add_argument("--parts", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.edit_seconds, args.parts))
