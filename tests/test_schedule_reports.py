"""Scheduled-send reports: when a campaign's time comes, GetSchedule is read again and
its chat is told, once, with the campaign's own message edited.

The store's part runs on both backends (the ``store`` and ``replicas`` fixtures of
tests/test_store_contract.py); the service runs on SQLite against the sandbox over
real HTTP, with a clock the test moves.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import test_store_contract as contract
from sandbox_api import arm_fault, sandbox_state
from test_store_contract import NOW, _confirmed

from bot.campaign_report import CampaignReports
from bot.campaigns import CampaignEngine
from bot.notices import NoticeBoard, campaign_subject
from bot.records import Notice
from bot.sandbox import SandboxServer
from bot.schedule_reports import PATIENCE, ScheduleReports, schedule_subject
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from storage.sqlite import SqliteStore

open_store = contract.open_store
store = contract.store
replicas = contract.replicas
LEASE = timedelta(seconds=30)


async def _sent(store: Store, key: str = "k1", chat: str = "console:1") -> int:
    """A confirmed campaign scheduled for NOW + 1 day, its send over (work cleared)."""
    cid = await _confirmed(store, key=key, chat=chat)
    job = await store.claim_job("w", NOW, LEASE)
    assert job is not None
    assert job.campaign_id == cid
    assert await store.release_job(job, NOW, done=True)
    return cid


class TestStore:
    async def test_due_only_when_its_time_has_come_and_its_send_is_over(self, store: Store) -> None:
        cid = await _confirmed(store)
        due = NOW + timedelta(days=1)
        assert await store.schedule_reports_due(due) == []  # the worker still has it
        assert await store.next_schedule_report(NOW) == due
        job = await store.claim_job("w", NOW, LEASE)
        assert job is not None
        await store.release_job(job, NOW, done=True)
        assert await store.schedule_reports_due(due - timedelta(seconds=1)) == []
        assert await store.schedule_reports_due(due) == [cid]
        assert await store.next_schedule_report(due) is None  # none after it

    async def test_a_draft_or_a_cancelled_campaign_is_never_due(self, store: Store) -> None:
        draft = await store.create_campaign(contract._draft(key="d"))
        cancelled = await store.create_campaign(contract._draft(key="c"))
        assert await store.cancel_campaign(cancelled.id)
        later = NOW + timedelta(days=2)
        assert await store.schedule_reports_due(later) == []
        assert await store.next_schedule_report(NOW) is None
        assert draft.id != cancelled.id

    async def test_reported_once_with_a_notice_in_every_following_chat(self, store: Store) -> None:
        cid = await _sent(store)
        follows, subject = campaign_subject(cid), schedule_subject(cid)
        await store.add_notice("console:1", follows, {"lang": "pt"}, NOW)
        await store.add_notice("telegram:7", follows, {"lang": "es", "timezone": "UTC"}, NOW)
        before = {n.chat: n.version for n in await _notices(store, follows)}
        at = NOW + timedelta(days=1)
        assert await store.report_schedule(cid, at, follows=follows, subject=subject)
        assert not await store.report_schedule(cid, at, follows=follows, subject=subject)
        reports = {n.chat: n for n in await _notices(store, subject)}
        assert set(reports) == {"console:1", "telegram:7"}
        assert reports["telegram:7"].data == {"lang": "es", "timezone": "UTC"}
        assert all(n.version > n.shown_version for n in reports.values())  # due to deliver
        after = {n.chat: n.version for n in await _notices(store, follows)}
        assert after == {chat: version + 1 for chat, version in before.items()}  # edited
        assert await store.schedule_reports_due(at + timedelta(days=1)) == []

    async def test_without_a_follower_the_report_goes_to_the_campaign_s_chat(
        self, store: Store
    ) -> None:
        cid = await _sent(store, chat="slack:T1:C9")
        assert await store.report_schedule(
            cid, NOW, follows=campaign_subject(cid), subject=schedule_subject(cid)
        )
        [report] = await _notices(store, schedule_subject(cid))
        assert (report.chat, report.data) == ("slack:T1:C9", {})

    async def test_of_two_replicas_reporting_at_once_one_reports(
        self, replicas: tuple[Store, Store]
    ) -> None:
        first, second = replicas
        cid = await _sent(first)
        follows, subject = campaign_subject(cid), schedule_subject(cid)
        await first.add_notice("console:1", follows, {}, NOW)
        results = await asyncio.gather(
            *(
                replica.report_schedule(cid, NOW, follows=follows, subject=subject)
                for replica in (first, second, first, second)
            )
        )
        assert sorted(results) == [False, False, False, True]
        assert len(await _notices(first, subject)) == 1


async def _notices(store: Store, subject: str) -> list[Notice]:
    """The notices about ``subject`` (claimed from the outbox, then given back)."""
    found = await store.claim_notices("", "t", NOW + timedelta(days=9), LEASE, limit=100)
    for notice in found:
        await store.notice_failed(notice.id, "t", NOW)
    every = [n for n in found if n.subject == subject]
    shown = [await store.get_notice(n.id) for n in every]
    return [n for n in shown if n is not None]


# --- the service, against the sandbox ----------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def resolve(username: str) -> Credentials:
    return Credentials(username, username)


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "bot.db") as opened:
        yield opened


@pytest.fixture
async def engine(sqlite: SqliteStore, sandbox: SandboxServer) -> AsyncIterator[CampaignEngine]:
    async with UsenditClient(endpoint=sandbox.endpoint, timeout=2.0) as client:
        yield CampaignEngine(
            sqlite, client, resolve, chunk_size=2, quiet_window=timedelta(seconds=0.5),
            poll_interval=0.1,
        )  # fmt: skip


async def _scheduled(engine: CampaignEngine, when: datetime) -> int:
    """Three numbers (one uSendit refuses) scheduled for ``when``, sent, followed in pt."""
    campaign = await engine.create(
        account="demo", created_by="console:me", chat="console:me", text="Amanhã há promoção",
        recipients=["351912345678", "351913333333", "351212345678"], schedule_at=when,
    )  # fmt: skip
    assert await engine.confirm(campaign.id)
    await engine.store.add_notice(
        "console:me", campaign_subject(campaign.id), {"lang": "pt", "timezone": "UTC"}, when
    )
    job = await engine.store.claim_job("w", datetime.now(UTC), LEASE)
    assert job is not None
    await engine.send(campaign.id)
    await engine.store.release_job(job, datetime.now(UTC), done=True)
    return campaign.id


async def _calls(sandbox: SandboxServer, operation: str) -> int:
    return int((await sandbox_state(sandbox.url))["calls"].get(operation, 0))


class TestService:
    async def test_at_its_time_get_schedule_is_read_and_the_chat_told_once(
        self, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        clock = Clock()
        board = NoticeBoard(engine.store, clock)
        reports = ScheduleReports(engine.store, engine.reconciler, board, clock=clock)
        when = clock.now + timedelta(hours=3)
        cid = await _scheduled(engine, when)
        asked = await _calls(sandbox, "GetSchedule")
        assert await reports.report_due() == 0  # its time has not come
        assert await _calls(sandbox, "GetSchedule") == asked
        clock.now = when
        bell = board.bell()
        assert await reports.report_due() == 1
        assert bell.is_set()
        assert await _calls(sandbox, "GetSchedule") > asked  # uSendit asked again
        assert await reports.report_due() == 0
        [report] = await _notices(engine.store, schedule_subject(cid))
        text = await _rendered(engine, report, clock)
        assert text.startswith(f"⏰ Campanha agendada n.º {cid}: chegou a hora")
        assert "Aceites: 2" in text
        assert "rejeitadas: 1" in text
        [campaign] = await _notices(engine.store, campaign_subject(cid))
        assert "a hora já chegou" in await _rendered(engine, campaign, clock)

    async def test_usendit_failing_delays_the_report_then_it_says_what_it_last_knew(
        self, engine: CampaignEngine, sandbox: SandboxServer
    ) -> None:
        clock = Clock()
        board = NoticeBoard(engine.store, clock)
        reports = ScheduleReports(engine.store, engine.reconciler, board, clock=clock)
        when = clock.now + timedelta(minutes=5)
        cid = await _scheduled(engine, when)
        clock.now = when
        # uSendit failing every GetPartnerEvents from now on: only the overdue rule reports.
        await arm_fault(sandbox.url, operation="GetPartnerEvents", mode="soap_fault", count=99)
        assert await reports.report_due() == 0  # left for the next round
        assert await _notices(engine.store, schedule_subject(cid)) == []
        clock.now = when + PATIENCE + timedelta(seconds=1)
        assert await reports.report_due() == 1  # overdue: told what was stored
        assert len(await _notices(engine.store, schedule_subject(cid))) == 1

    async def test_the_loop_reports_within_seconds_of_the_time(
        self, engine: CampaignEngine
    ) -> None:
        clock = Clock()
        board = NoticeBoard(engine.store, clock)
        reports = ScheduleReports(engine.store, engine.reconciler, board, poll=60.0, clock=clock)
        when = clock.now + timedelta(hours=1)
        cid = await _scheduled(engine, when)
        async with reports:
            await asyncio.sleep(0.2)
            assert await _notices(engine.store, schedule_subject(cid)) == []
            clock.now = when
            reports.wake()  # a worker's end of a campaign, or the clock reaching it
            for _ in range(100):
                if await _notices(engine.store, schedule_subject(cid)):
                    break
                await asyncio.sleep(0.05)
            assert len(await _notices(engine.store, schedule_subject(cid))) == 1


async def _rendered(engine: CampaignEngine, notice: Notice, clock: Clock) -> str:
    reports = CampaignReports(
        engine.store, engine, mentions=re.compile(r"(?!)"), language="en",
        timezone="UTC", clock=clock,
    )  # fmt: skip
    reply = await reports.render_notice(notice)
    assert reply is not None
    return reply.text
