"""Approval of big sends: the rule, the one decision, the races, expiry, on the console.

The store's side runs on SQLite and PostgreSQL (two replicas on PostgreSQL for the
concurrent presses); the desk's side runs against the sandbox over HTTP, whose
recorded calls prove that no SendMessages leaves before a second person approves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import test_store_contract as contract
from chat_driver import Person, desk_settings, in_chat, settled, text
from sandbox_api import sandbox_state
from test_store_contract import NOW

from bot.app import BotApp
from bot.chat import Reply
from bot.records import (
    ApprovalState,
    AuditAction,
    CampaignPhase,
    DraftChange,
    NewApproval,
    Work,
)
from bot.sandbox import SandboxServer
from bot.store import Store

open_store = contract.open_store
store = contract.store
replicas = contract.replicas

TEAM = "console:team"
NUMBERS = "912000001,912000002,912000003"


def _asked(campaign_id: int, revision: int = 0, minutes: int = 60) -> NewApproval:
    return NewApproval(
        campaign_id=campaign_id,
        revision=revision,
        chat="chat:approvers",
        requested_by="console:author",
        credits=5,
        threshold=2,
        data={"author": {"lang": "pt", "chat": "console:1"}},
        requested_at=NOW,
        expires_at=NOW + timedelta(minutes=minutes),
    )


class TestStore:
    async def test_asking_holds_the_draft(self, store: Store) -> None:
        draft = await store.create_campaign(contract._draft())
        asked = await store.request_approval(_asked(draft.id))
        assert asked is not None
        assert (asked.state, asked.chat, asked.credits) == (
            ApprovalState.PENDING,
            "chat:approvers",
            5,
        )
        assert asked.data == {"author": {"lang": "pt", "chat": "console:1"}}
        assert await store.get_approval(draft.id) == asked
        assert await store.request_approval(_asked(draft.id, revision=1)) is None  # one, ever
        held = await store.get_campaign(draft.id)
        assert held is not None
        assert (held.phase, held.revision) == (CampaignPhase.DRAFT, 1)
        # Its author's preview (revision 0, or the new one) can no longer confirm it,
        # nor can it be edited or cancelled under the approvers' eyes.
        assert not await store.confirm_campaign(draft.id, NOW, 0)
        assert not await store.confirm_campaign(draft.id, NOW, 1)
        assert not await store.confirm_campaign(draft.id, NOW)
        change = DraftChange(text="Other", sender=None, schedule_at=None, segments=1)
        assert await store.update_draft(draft.id, change) is None
        assert not await store.cancel_campaign(draft.id)
        assert await store.pending_jobs() == 0

    async def test_the_request_s_message_is_asked_with_it(self, store: Store) -> None:
        """The request and the notice that shows it in the approvers' chat are one
        transaction: a request refused adds no message, an accepted one is never without."""
        refused = await store.create_campaign(contract._draft(key="r"))
        assert await store.request_approval(_asked(refused.id, revision=4), notice="q:r") is None
        draft = await store.create_campaign(contract._draft())
        assert await store.request_approval(_asked(draft.id), notice=f"approval:{draft.id}")
        due = await store.claim_notices("chat:", "t", NOW, timedelta(seconds=30))
        assert [(n.chat, n.subject) for n in due] == [("chat:approvers", f"approval:{draft.id}")]

    async def test_only_a_draft_at_its_revision_is_asked_for(self, store: Store) -> None:
        draft = await store.create_campaign(contract._draft())
        assert await store.request_approval(_asked(draft.id, revision=3)) is None
        assert await store.cancel_campaign(draft.id)
        assert await store.request_approval(_asked(draft.id)) is None

    async def test_approve_confirms_with_the_send_in_one_step(self, store: Store) -> None:
        draft = await store.create_campaign(contract._draft())  # made by console:me
        await store.request_approval(_asked(draft.id))
        asked = await store.get_approval(draft.id)
        assert not await store.decide_approval(
            draft.id, approve=True, by="console:author", by_name="Me", at=NOW
        )  # who pressed Confirm never decides
        assert not await store.decide_approval(
            draft.id, approve=False, by="console:me", by_name="Me", at=NOW
        )  # nor who made the draft, when another pressed Confirm
        assert await store.get_approval(draft.id) == asked  # both refusals changed nothing
        assert await store.decide_approval(
            draft.id, approve=True, by="console:boss", by_name="Boss", at=NOW
        )
        decided = await store.get_approval(draft.id)
        assert decided is not None
        assert (decided.state, decided.decided_by, decided.decided_name, decided.decided_at) == (
            ApprovalState.APPROVED, "console:boss", "Boss", NOW,
        )  # fmt: skip
        campaign = await store.get_campaign(draft.id)
        assert campaign is not None
        assert (campaign.phase, campaign.work) == (CampaignPhase.CONFIRMED, Work.SEND)
        assert await store.pending_jobs() == 1
        assert not await store.decide_approval(
            draft.id, approve=False, by="console:other", by_name="O", at=NOW
        )  # a second decision counts for nothing

    async def test_reject_cancels(self, store: Store) -> None:
        draft = await store.create_campaign(contract._draft())
        await store.request_approval(_asked(draft.id))
        assert await store.decide_approval(
            draft.id, approve=False, by="console:boss", by_name="Boss", at=NOW
        )
        campaign = await store.get_campaign(draft.id)
        assert campaign is not None
        assert (campaign.phase, campaign.work) == (CampaignPhase.CANCELLED, None)
        assert await store.expire_approvals(NOW + timedelta(days=1)) == []

    async def test_two_approvers_at_once_one_decides(self, replicas: tuple[Store, Store]) -> None:
        one, two = replicas
        for _ in range(5):
            draft = await one.create_campaign(contract._draft(key=f"k{_}"))
            await one.request_approval(_asked(draft.id))
            results = await asyncio.gather(
                one.decide_approval(draft.id, approve=True, by="console:a", by_name="A", at=NOW),
                two.decide_approval(draft.id, approve=False, by="console:b", by_name="B", at=NOW),
                two.decide_approval(draft.id, approve=True, by="console:c", by_name="C", at=NOW),
            )
            assert sorted(results) == [False, False, True]
            decided = await one.get_approval(draft.id)
            campaign = await one.get_campaign(draft.id)
            assert decided is not None
            assert campaign is not None
            winner = ["console:a", "console:b", "console:c"][results.index(True)]
            assert decided.decided_by == winner
            expected = CampaignPhase.CANCELLED if winner == "console:b" else CampaignPhase.CONFIRMED
            assert campaign.phase is expected

    async def test_expiry_refuses_a_late_press_and_cancels(
        self, replicas: tuple[Store, Store]
    ) -> None:
        one, two = replicas
        draft = await one.create_campaign(contract._draft())
        await one.request_approval(_asked(draft.id, minutes=60))
        assert await one.expire_approvals(NOW + timedelta(minutes=59)) == []
        late = NOW + timedelta(minutes=60)
        assert not await one.decide_approval(
            draft.id, approve=True, by="console:boss", by_name="Boss", at=late
        )  # refused by the same conditional update, before the expiry ran
        first, second = await asyncio.gather(one.expire_approvals(late), two.expire_approvals(late))
        assert sorted([len(first), len(second)]) == [0, 1]  # told once
        [expired] = first or second
        assert expired.state is ApprovalState.EXPIRED
        campaign = await one.get_campaign(draft.id)
        assert campaign is not None
        assert campaign.phase is CampaignPhase.CANCELLED
        assert await one.pending_jobs() == 0

    async def test_thresholds_and_approvers_chats(self, store: Store) -> None:
        assert await store.approval_threshold("chat:1") is None
        await store.set_approval_threshold("chat:1", 500, "me", NOW)
        await store.set_approval_threshold("chat:1", 700, "me", NOW)
        assert await store.approval_threshold("chat:1") == 700
        assert await store.approval_threshold("chat:2") is None
        await store.set_approval_threshold("chat:1", None, "me", NOW)
        assert await store.approval_threshold("chat:1") is None
        assert await store.approvers_chat("demo") is None
        await store.set_approvers_chat("demo", "chat:boss", {"lang": "es"}, "me", NOW)
        found = await store.approvers_chat("demo")
        assert found is not None
        assert (found.chat, found.data, found.set_by) == ("chat:boss", {"lang": "es"}, "me")
        await store.set_approvers_chat("demo", None, {}, "me", NOW)
        assert await store.approvers_chat("demo") is None


# --- on the console, against the sandbox ---------------------------------------------------


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    senders = ["console:sender", "console:other"]
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path, bot_senders=senders)) as started:
        yield started


def team(app: BotApp, user: str) -> Person:
    return in_chat(app, user=user, chat=TEAM, private=False)


def buttons(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for row in r.buttons for b in row]


async def sends(sandbox: SandboxServer) -> int:
    return int((await sandbox_state(sandbox.url))["calls"].get("SendMessages", 0))


async def ask(app: BotApp, author: Person) -> tuple[int, list[Reply]]:
    """``author`` drafts 3 one-part SMS and confirms them; the campaign id and what the
    chat was shown (the request among it)."""
    preview = await author.send(f"/send {NUMBERS} Hi")
    [confirm] = [a for a in buttons(preview) if a.startswith("send:confirm:")]
    shown = await author.press(confirm)
    return int(confirm.split(":")[2]), shown


async def test_a_big_send_waits_for_a_second_person(app: BotApp, sandbox: SandboxServer) -> None:
    boss, author = team(app, "me"), team(app, "sender")
    assert "need no approval" in text(await boss.send("/approval"))
    assert "more than 2 credits" in text(await boss.send("/approval 2"))
    cid, shown = await ask(app, author)
    said = text(shown)
    assert f"#{cid} takes 3 credits, over the approval limit of 2 credits" in said
    assert f"Approval needed: #{cid} by console:sender, 3 recipients, 3 credits" in said
    assert "Text: Hi" in said
    assert buttons(shown)[-2:] == [f"approval:yes:{cid}", f"approval:no:{cid}"]
    assert "Waiting for approval by a sender or admin other than console:sender" in text(
        await author.send(f"/status {cid}")
    )
    await settled(app)
    assert await sends(sandbox) == 0  # the worker has nothing to send
    # The author can neither approve, nor confirm, edit or cancel it meanwhile.
    assert f"You made #{cid}" in text(await author.press(f"approval:yes:{cid}"))
    for verb in ("confirm", "edit", "cancel"):
        said = text(await author.press(f"send:{verb}:{cid}:1"))
        assert f"#{cid} is waiting for approval" in said
    viewer = team(app, "viewer")
    assert "sender role" in text(await viewer.press(f"approval:yes:{cid}"))
    assert await sends(sandbox) == 0
    decided = await boss.press(f"approval:yes:{cid}")
    await settled(app)
    said = text(decided + await author.send(f"/status {cid}"))
    assert f"You approved #{cid}: it is being sent." in said
    assert "Approved by console:me." in said
    assert f"console:me approved #{cid}: it is being sent." in said  # the author's chat is told
    assert await sends(sandbox) == 1
    assert "already approved by console:me" in text(
        await boss.press(f"approval:yes:{cid}")
    )  # double tap
    assert await sends(sandbox) == 1


async def test_two_approvers_at_once(app: BotApp, sandbox: SandboxServer) -> None:
    boss, author, other = team(app, "me"), team(app, "sender"), team(app, "other")
    await boss.send("/approval 2")
    cid, _ = await ask(app, author)
    one, two = await asyncio.gather(
        boss.press(f"approval:yes:{cid}"), other.press(f"approval:no:{cid}")
    )
    said = [text(one), text(two)]
    won = [s for s in said if s.startswith(("You approved", "You rejected"))]
    lost = [s for s in said if "already" in s]
    assert len(won) == 1, said
    assert len(lost) == 1, said
    await settled(app)
    approval = await app.store.get_approval(cid)
    assert approval is not None
    assert approval.decided_name in ("console:me", "console:other")
    assert f"by {approval.decided_name}" in lost[0]
    assert await sends(sandbox) == (1 if approval.state is ApprovalState.APPROVED else 0)
    # One decision in the audit log too: the winner's, and no entry for the press that lost.
    entries = await app.store.audit_entries(chats=[], account="demo", limit=100)
    decisions = [e for e in entries if e.action in (AuditAction.APPROVE, AuditAction.REJECT)]
    assert [(e.action, e.who, e.what.get("campaign")) for e in decisions] == [
        (
            AuditAction.APPROVE if approval.state is ApprovalState.APPROVED else AuditAction.REJECT,
            approval.decided_by,
            cid,
        )
    ]


async def test_rejected_and_its_author_is_told(app: BotApp, sandbox: SandboxServer) -> None:
    boss, author = team(app, "me"), team(app, "sender")
    await boss.send("/approval 2")
    cid, _ = await ask(app, author)
    said = text(await boss.press(f"approval:no:{cid}"))
    assert f"You rejected #{cid}" in said
    assert f"console:me rejected #{cid}: nothing was sent." in said
    assert "Rejected by console:me" in text(await author.send(f"/status {cid}"))
    campaign = await app.store.get_campaign(cid)
    assert campaign is not None
    assert campaign.phase is CampaignPhase.CANCELLED
    await settled(app)
    assert await sends(sandbox) == 0


async def test_expiry_while_waiting(app: BotApp, sandbox: SandboxServer) -> None:
    boss, author = team(app, "me"), team(app, "sender")
    await boss.send("/approval 2")
    cid, _ = await ask(app, author)
    approvals = app.desk.approvals
    later = approvals.clock() + approvals.patience + timedelta(seconds=1)
    approvals.clock = lambda: later
    # Pressed after its time, before any expiry ran: refused, and expired there and then.
    said = text(await boss.press(f"approval:yes:{cid}"))
    assert f"The approval of #{cid} expired" in said
    assert f"Nobody approved #{cid} in time: nothing was sent." in said  # the author is told
    assert "Expired: nobody decided in time" in said  # the request, without its buttons
    assert await approvals.expire_due() == []
    campaign = await app.store.get_campaign(cid)
    assert campaign is not None
    assert campaign.phase is CampaignPhase.CANCELLED
    await settled(app)
    assert await sends(sandbox) == 0


async def test_the_loop_expires_and_tells(app: BotApp) -> None:
    boss, author = team(app, "me"), team(app, "sender")
    await boss.send("/approval 2")
    cid, _ = await ask(app, author)
    approvals = app.desk.approvals
    later = approvals.clock() + approvals.patience
    approvals.clock = lambda: later
    [expired] = await approvals.expire_due()
    assert expired.campaign_id == cid
    notice = [n for n in await _notices(app) if n.subject == f"approval-outcome:{cid}"]
    reply = await app.desk.render_notice(notice[0])
    assert reply is not None
    assert reply.text.startswith(f"Nobody approved #{cid} in time")


async def _notices(app: BotApp) -> list:  # type: ignore[type-arg]
    found = []
    for number in range(1, 50):
        notice = await app.store.get_notice(number)
        if notice is not None:
            found.append(notice)
    return found


async def test_under_the_threshold_sends_at_once(app: BotApp, sandbox: SandboxServer) -> None:
    boss, author = team(app, "me"), team(app, "sender")
    await boss.send("/approval 3")  # 3 credits is not over 3
    cid, shown = await ask(app, author)
    assert not [a for a in buttons(shown) if a.startswith("approval:")]
    await settled(app)
    assert await app.store.get_approval(cid) is None
    assert await sends(sandbox) == 1


async def test_approvers_chat_elsewhere(app: BotApp, sandbox: SandboxServer) -> None:
    boss_here = in_chat(app, user="me", chat="console:boss")
    await boss_here.send("/lang pt")
    assert "são pedidas nesta conversa" in text(await boss_here.send("/aprovacao conversa"))
    # The approvers' chat's own limit holds every campaign of the account, wherever made.
    await boss_here.send("/aprovacao 2")
    alone = in_chat(app, user="sender", chat="console:sender")
    _, shown = await ask(app, alone)
    assert "in the approvers' chat" in text(shown)  # no stepping around it in private
    author = team(app, "sender")
    cid, shown = await ask(app, author)
    assert "in the approvers' chat" in text(shown)
    assert not [a for a in buttons(shown) if a.startswith("approval:")]  # not in this chat
    notices = await boss_here.send("/status")  # what the approvers' chat was shown
    assert f"Aprovação pedida: #{cid} de console:sender" in text(notices)
    # Pressed in a chat that is not the approvers' (a forged or copied action): refused.
    assert "já não é válido" in text(await team(app, "me").press(f"approval:yes:{cid}"))
    said = text(await boss_here.press(f"approval:yes:{cid}"))
    assert f"Aprovou #{cid}" in said
    await settled(app)
    assert await sends(sandbox) == 1


async def test_only_an_admin_sets_it_and_bad_input_is_told(app: BotApp) -> None:
    sender = team(app, "sender")
    assert "admin role" in text(await sender.send("/approval 100"))
    assert "admin role" in text(await sender.send("/approval chat"))
    boss = team(app, "me")
    for bad in ("abc", "-5", "0", "99999999999", "chat now", "1 2", "²", "2.5", "2,50"):
        assert "Use: /approval <credits>" in text(await boss.send(f"/approval {bad}"))
    await boss.send("/approval 1,000")
    assert "more than 1,000 credits" in text(await sender.send("/approval"))
    assert "need no approval now" in text(await boss.send("/approval off"))
    # The limit's changes are in the audit log, as every setting is.
    entries = await app.store.audit_entries(chats=[], account="demo", limit=20)
    assert [e.what.get("value") for e in entries if e.what.get("setting") == "approval"] == [
        "off", 1000,
    ]  # fmt: skip
    await boss.send("/lang es")
    assert "más de 100 créditos" in text(await boss.send("/aprobacion 100"))


async def test_the_engine_sends_nothing_before_approval(
    app: BotApp, sandbox: SandboxServer
) -> None:
    """Below the desk: a draft held by its approval is neither confirmed by the engine nor
    run by it or the worker; the approval's decision alone hands it to the worker."""
    engine = app.desk.engine
    draft = await engine.create(
        account="demo", created_by="console:sender", chat=TEAM,
        recipients=["351912000001", "351912000002"], text="Hi",
    )  # fmt: skip
    asked = await app.store.request_approval(
        NewApproval(
            campaign_id=draft.id, revision=draft.revision, chat=TEAM,
            requested_by="console:sender", credits=2, threshold=1, data={},
            requested_at=NOW, expires_at=NOW + timedelta(days=3650),
        )
    )  # fmt: skip
    assert asked is not None
    assert not await engine.confirm(draft.id)
    assert not await engine.confirm(draft.id, draft.revision + 1)
    step = await engine.run(draft.id, Work.SEND)  # as a worker would, had it the campaign
    assert step.done
    app.worker.wake()
    await settled(app)
    assert await app.store.chunks(draft.id) == []
    assert await sends(sandbox) == 0
    assert await app.store.decide_approval(
        draft.id, approve=True, by="console:me", by_name="me", at=NOW
    )
    app.worker.wake()
    await settled(app)
    state = await sandbox_state(sandbox.url)
    assert state["calls"].get("SendMessages", 0) == 1
    assert sorted(m["msisdn"] for e in state["events"] for m in e["messages"]) == [
        "351912000001", "351912000002",
    ]  # fmt: skip
