"""SQLite waits for the disk on money writes only: a claim or a wizard's step commits
at the resting synchronous = NORMAL in one statement, and each money write turns FULL
on for itself."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import UTC, datetime
from pathlib import Path

from bot.records import NewCampaign
from storage.sqlite import SqliteStore

NORMAL, FULL = 1, 2


async def test_cheap_writes_leave_money_writes_full(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db") as store:
        statements: list[str] = []
        await store.db.set_trace_callback(statements.append)
        assert await store.claim("e1", datetime.now(UTC))
        [claim] = statements  # one statement, its own transaction, at NORMAL
        assert claim.startswith("INSERT INTO claims")
        assert not await store.claim("e1", datetime.now(UTC))  # claimed once
        statements.clear()
        assert await store.begin_turn("e2", datetime.now(UTC), "console:me", "console:me")
        [begun] = statements  # the claim and what the turn reads: one statement too
        assert begun.startswith("INSERT INTO claims")
        statements.clear()
        await store.create_campaign(
            NewCampaign(key="k", account="demo", created_by="console:me", chat="console:me",
                        text="Hi", sender=None, schedule_at=None, segments=1,
                        recipients=("351910000000",))
        )  # fmt: skip
        said = [" ".join(s.split()[:4]) for s in statements]
        assert said[0] == "PRAGMA synchronous = FULL"  # a money write waits for the disk
        assert said[1] == "BEGIN IMMEDIATE"
        commit = said.index("COMMIT")
        assert said[commit + 1] == "PRAGMA synchronous = NORMAL"  # back to rest after it
        await store.db.set_trace_callback(None)
        assert await store._pragma("PRAGMA synchronous") == NORMAL


async def test_a_write_cancelled_midway_leaves_the_store_whole(tmp_path: Path) -> None:
    """A task cancelled while its write is queued (a worker stopping): the transaction
    is ended and the resting safety level restored, so the next write goes through."""
    async with SqliteStore(tmp_path / "bot.db") as store:
        for attempt in range(100):

            async def claims(attempt: int = attempt) -> None:
                n = 0
                while True:
                    n += 1
                    await store.claim(f"e{attempt}-{n}", datetime.now(UTC))
                    # A money write (FULL for itself) cancelled anywhere in it, too.
                    await store.add_notice("console:me", f"s{n}", {}, datetime.now(UTC))

            task = asyncio.create_task(claims())
            await asyncio.sleep(random.random() * 0.004)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            assert await store.claim(f"after-{attempt}", datetime.now(UTC))
        assert await store._pragma("PRAGMA synchronous") == NORMAL
