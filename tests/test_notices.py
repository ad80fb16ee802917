"""The outbox: notices coalesced, delivered at least once and shown once, edits that
survive a restart, rate limits honoured, and a slow chat that never slows a send."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sandbox_api import sandbox_state

from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.chat import Reply
from bot.notices import Courier, NoticeBoard, RetryLater
from bot.records import Notice
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from bot.worker import CampaignWorker
from storage.sqlite import SqliteStore


class Channel:
    """A chat that records what it shows; ``slow`` seconds per edit; ``refuse`` RetryAfters."""

    prefix = "test:"

    def __init__(self, *, slow: float = 0.0, refuse: int = 0) -> None:
        self.shown: list[tuple[str, str | None, str]] = []
        self.slow = slow
        self.refuse = refuse
        self.editing = 0
        self._ids = itertools.count(1)

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        if self.refuse:
            self.refuse -= 1
            raise RetryLater(0.2)
        if ref is not None and self.slow:
            self.editing += 1
            try:
                await asyncio.sleep(self.slow)
            finally:
                self.editing -= 1
        self.shown.append((chat, ref, reply.text))
        return ref or f"m{next(self._ids)}"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "bot.db") as opened:
        yield opened


async def versions(notice: Notice) -> Reply | None:
    return Reply(f"version {notice.version}")


def courier(store: SqliteStore, board: NoticeBoard, channel: Channel, owner: str = "c1") -> Courier:
    return Courier(
        store, board, channel, versions, owner=owner, edit_interval=0.3, poll_interval=0.05
    )


async def until(check: Callable[[], Awaitable[bool] | bool], within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_notice_is_posted_then_edited_with_its_last_version(store: SqliteStore) -> None:
    board = NoticeBoard(store)
    channel = Channel()
    delivery = courier(store, board, channel)
    await delivery.start()
    try:
        await board.follow("test:1", 7, {"lang": "en"})
        await until(lambda: len(channel.shown) == 1)
        for _ in range(5):  # five changes in a burst: coalesced, the last one shown
            await board.changed(7)
        assert await delivery.flush(5)
    finally:
        await delivery.stop()
    assert channel.shown[0] == ("test:1", None, "version 1")
    edits = channel.shown[1:]
    assert 1 <= len(edits) < 5
    assert {ref for _, ref, _ in edits} == {"m1"}
    assert edits[-1][2] == "version 6"


async def test_an_edit_after_a_restart_edits_the_same_message(store: SqliteStore) -> None:
    board = NoticeBoard(store)
    first = Channel()
    delivery = courier(store, board, first, owner="before")
    await delivery.start()
    await board.follow("test:1", 7, {})
    assert await delivery.flush(5)
    await delivery.stop()
    # Another process (or this one restarted) delivers the next change.
    second = Channel()
    again = courier(store, NoticeBoard(store), second, owner="after")
    await again.start()
    try:
        await NoticeBoard(store).changed(7)
        assert await again.flush(5)
    finally:
        await again.stop()
    assert second.shown == [("test:1", "m1", "version 2")]


async def test_a_rate_limit_is_waited_out_and_nothing_is_lost(store: SqliteStore) -> None:
    board = NoticeBoard(store)
    channel = Channel(refuse=2)
    delivery = courier(store, board, channel)
    await delivery.start()
    try:
        await board.follow("test:1", 7, {})
        assert await delivery.flush(5)
    finally:
        await delivery.stop()
    assert channel.shown == [("test:1", None, "version 1")]


async def test_a_leased_notice_is_shown_again_when_its_courier_dies(store: SqliteStore) -> None:
    board = NoticeBoard(store)
    await board.follow("test:1", 7, {})
    # A courier took it and died before recording the delivery.
    taken = await store.claim_notices("test:", "dead", datetime.now(UTC), timedelta(seconds=0.3))
    assert len(taken) == 1
    channel = Channel()
    delivery = courier(store, board, channel, owner="alive")
    await delivery.start()
    try:
        await until(lambda: len(channel.shown) == 1)
    finally:
        await delivery.stop()
    assert await store.pending_notices() == 0


async def test_a_slow_chat_never_holds_up_the_send(
    store: SqliteStore, sandbox: SandboxServer
) -> None:
    """Each edit takes 4 s: the five parts are all sent while the first edit still hangs."""

    async def resolve(username: str) -> Credentials:
        return Credentials(username, username)

    async with UsenditClient(endpoint=sandbox.endpoint, timeout=5.0) as client:
        engine = CampaignEngine(store, client, resolve, chunk_size=1)
        board = NoticeBoard(store)
        channel = Channel(slow=4.0)
        delivery = courier(store, board, channel)
        worker = CampaignWorker(store, engine, changed=board.changed, owner="w", poll_interval=0.05)
        campaign = await engine.create(
            account="demo",
            created_by="test:me",
            chat="test:1",
            text="Sale",
            recipients=[f"35191{i:07d}" for i in range(5)],
        )
        assert await engine.confirm(campaign.id)
        await board.follow("test:1", campaign.id, {})
        await delivery.start()
        await worker.start()
        try:
            await until(lambda: channel.editing > 0)
            await until(lambda: no_work(store), within=3.5)
            assert channel.editing > 0  # the first edit is still on its way
            assert (await engine.status(campaign.id)).state is CampaignState.DONE
            assert len((await sandbox_state(sandbox.url))["events"]) == 5
            assert await delivery.flush(15)
        finally:
            await worker.stop()
            await delivery.stop()
    # The last version is what stays on screen, whatever the slow edits skipped.
    final = await store.claim_notices("test:", "check", datetime.now(UTC), timedelta(0))
    assert final == []
    row = await store._one("SELECT version, shown_version FROM notices")
    assert row[0] == row[1]
    assert channel.shown[-1][2] == f"version {row[0]}"


async def no_work(store: SqliteStore) -> bool:
    return await store.pending_jobs() == 0
