"""A campaign sender in its own process, for the SIGKILL tests.

Usage:
    python tests/crash_worker.py --db FILE --endpoint URL --campaign ID
        [--kill-at POINT:SEQ] [--resend]

Recovers (as the bot does at start), sends the campaign, optionally resends
NOT_SENT chunks, and prints the final chunk states as JSON. With
``--kill-at in_flight:1`` it SIGKILLs itself at that checkpoint of chunk 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
from datetime import timedelta

from bot.campaigns import CampaignEngine
from bot.records import Chunk
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore


async def resolve(username: str) -> Credentials:
    return Credentials(username, username)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--campaign", type=int, required=True)
    parser.add_argument("--kill-at")
    parser.add_argument("--resend", action="store_true")
    args = parser.parse_args()

    async def checkpoint(point: str, chunk: Chunk) -> None:
        if args.kill_at == f"{point}:{chunk.seq}":
            os.kill(os.getpid(), signal.SIGKILL)

    async with (
        SqliteStore(args.db) as store,
        UsenditClient(endpoint=args.endpoint, timeout=2.0) as client,
    ):
        engine = CampaignEngine(
            store,
            client,
            resolve,
            chunk_size=2,
            quiet_window=timedelta(seconds=0.5),
            poll_interval=0.1,
            checkpoint=checkpoint,
        )
        await engine.reconciler.recover()
        status = await engine.send(args.campaign)
        if args.resend:
            status = await engine.resend(args.campaign)
        print(json.dumps([c.state.value for c in status.chunks]))


if __name__ == "__main__":
    asyncio.run(main())
