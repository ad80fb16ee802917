"""SQLite waits for the disk on money writes only: a claim or a wizard's step commits
with synchronous = NORMAL, and FULL is back for everything after it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.records import NewCampaign
from storage.sqlite import SqliteStore

FULL = 2


async def test_cheap_writes_leave_money_writes_full(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db") as store:
        statements: list[str] = []
        await store.db.set_trace_callback(statements.append)
        assert await store.claim("e1", datetime.now(UTC))
        first = [" ".join(s.split()[:4]) for s in statements]
        assert first[0] == "PRAGMA synchronous = NORMAL"
        assert first[-2].startswith("COMMIT")
        assert first[-1] == "PRAGMA synchronous = FULL"
        statements.clear()
        await store.create_campaign(
            NewCampaign(key="k", account="demo", created_by="console:me", chat="console:me",
                        text="Hi", sender=None, schedule_at=None, segments=1,
                        recipients=("351910000000",))
        )  # fmt: skip
        assert not any("synchronous" in s for s in statements)  # a money write: FULL as set
        await store.db.set_trace_callback(None)
        assert await store._pragma("PRAGMA synchronous") == FULL
