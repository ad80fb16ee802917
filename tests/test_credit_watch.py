"""Pushes about an account's credits, through the desk and the outbox, against the sandbox.

A low-credit alert (``/alert <credits>``) fires once when a campaign takes the account
below it, not again while it stays below, and again after a payment lifts it above
and another campaign takes it under; a /buy is followed by "payment received" once
its card link is paid. What the chat is shown comes back through the outbox, as any
platform's channel would show it. The store's side is checked on both backends.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import test_store_contract as contract
from chat_driver import desk_settings, in_chat, settled, text
from test_store_contract import NOW

from bot.app import BotApp
from bot.sandbox import SandboxServer
from bot.store import Store

open_store = contract.open_store
store = contract.store


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as started:
        yield started


def numbers(count: int, first: int = 0) -> str:
    return ",".join(f"91{n:07d}" for n in range(first, first + count))


async def send(app: BotApp, count: int, first: int = 0) -> str:
    """A campaign of ``count`` one-part SMS, confirmed; what the chat was shown meanwhile."""
    me = in_chat(app)
    replies = await me.send(f"/send {numbers(count, first)} Hi")
    confirm = next(
        b.action for r in replies for row in r.buttons for b in row if "confirm" in b.action
    )
    shown = text(await me.press(confirm))
    await settled(app)
    return shown


async def alerts_shown(app: BotApp) -> list[str]:
    """Every low-credit push so far, as its chat shows it. The worker reads the credits
    after each campaign; reading them here too makes the count exact (a reading that
    changes nothing pushes nothing)."""
    await app.desk.credit_watch.check("demo")
    shown = []
    for notice in await _notices(app):
        if notice.subject.startswith("credits:"):
            reply = await app.desk.render_notice(notice)
            assert reply is not None
            shown.append(reply.text)
    return shown


async def test_the_alert_fires_once_per_crossing(app: BotApp) -> None:
    me = in_chat(app)
    assert "No low-credit alert for demo" in text(await me.send("/alert"))
    assert "less than 495 credits" in text(await me.send("/alert 495"))  # 500 now: above
    assert "less than 495 credits" in text(await me.send("/alert"))
    await send(app, 3)  # 497 left: above
    assert await alerts_shown(app) == []
    await send(app, 3, 10)  # 494: below, alerted
    low = "Credits running low: demo has 494 left, below the alert at 495."
    assert [shown.split(" /")[0] for shown in await alerts_shown(app)] == [low]
    await send(app, 2, 20)  # 492: still below, no second alert
    assert len(await alerts_shown(app)) == 1
    alerts = await app.store.credit_alerts("demo")
    assert [(a.below, a.crossings) for a in alerts] == [(True, 1)]


async def test_a_payment_lifts_the_alert_and_rearms_it(app: BotApp) -> None:
    me = in_chat(app)
    await me.send("/alert 499")
    await send(app, 2)  # 498: below, alerted once
    said = text(await me.send("/buy 1"))
    link = re.search(r"https?://\S+/_sandbox/pay/\S+", said)
    assert link is not None
    [watch] = await app.store.payment_watches(app.desk.clock())
    assert (watch.account, watch.chat, watch.baseline) == ("demo", "console:me", 498)
    async with httpx.AsyncClient() as http:
        (await http.get(link.group(0).rstrip(".)"))).raise_for_status()
    await app.desk.credit_watch.check("demo")
    assert await app.store.payment_watches(app.desk.clock()) == []  # told, once
    [alert] = await app.store.credit_alerts("demo")
    assert (alert.below, alert.crossings) == (False, 1)  # above again: the next crossing alerts


async def test_the_payment_push_reaches_the_chat(app: BotApp) -> None:
    me = in_chat(app)
    said = text(await me.send("/buy 1"))
    link = re.search(r"https?://\S+/_sandbox/pay/\S+", said)
    assert link is not None
    async with httpx.AsyncClient() as http:
        (await http.get(link.group(0).rstrip(".)"))).raise_for_status()
    await app.desk.credit_watch.check("demo")
    notices = [n for n in await _notices(app) if n.subject.startswith("payment:")]
    assert len(notices) == 1
    reply = await app.desk.render_notice(notices[0])
    assert reply is not None
    assert re.fullmatch(
        r"Payment received: [\d,]+ credits added, demo now has [\d,]+\.", reply.text
    )
    await app.desk.credit_watch.check("demo")  # a second reading tells nothing more
    assert len([n for n in await _notices(app) if n.subject.startswith("payment:")]) == 1


async def _notices(app: BotApp) -> list:  # type: ignore[type-arg]
    found = []
    for number in range(1, 50):
        notice = await app.store.get_notice(number)
        if notice is not None:
            found.append(notice)
    return found


async def test_only_an_admin_sets_it_and_bad_input_is_told(app: BotApp) -> None:
    viewer = in_chat(app, user="viewer", chat="console:viewer")
    assert "admin role" in text(await viewer.send("/alert 100"))
    me = in_chat(app)
    for bad in ("abc", "-5", "0", "99999999999", "2.5", "2,50", "1.000,5"):
        assert "Use: /alert <credits>" in text(await me.send(f"/alert {bad}"))
    await me.send("/alert 100")
    assert "is off in this chat" in text(await me.send("/alert off"))
    assert "No low-credit alert" in text(await me.send("/alert off"))
    await me.send("/lang pt")
    assert "menos de 100 créditos" in text(await me.send("/alerta 100"))


async def test_set_while_already_below_alerts_at_once(app: BotApp) -> None:
    me = in_chat(app)
    await me.send("/alert 1000")
    [shown] = await alerts_shown(app)
    assert shown.startswith("Credits running low: demo has 500 left, below the alert at 1,000.")


class TestStore:
    async def test_one_reading_decides_each_crossing(self, store: Store) -> None:
        alert = await store.set_credit_alert("demo", "chat:1", 100, {"lang": "pt"}, "me", NOW)
        assert (alert.below, alert.crossings, alert.data) == (False, 0, {"lang": "pt"})
        assert await store.mark_credit_alert("demo", "chat:1", below=True, at=NOW)
        assert not await store.mark_credit_alert("demo", "chat:1", below=True, at=NOW)
        assert await store.mark_credit_alert("demo", "chat:1", below=False, at=NOW)
        assert await store.mark_credit_alert("demo", "chat:1", below=True, at=NOW)
        [again] = await store.credit_alerts("demo")
        assert (again.below, again.crossings) == (True, 2)
        await store.set_credit_alert("demo", "chat:1", 50, {}, "me", NOW)  # replaced, re-armed
        [replaced] = await store.credit_alerts()
        assert (replaced.threshold, replaced.below, replaced.crossings) == (50, False, 2)
        assert await store.delete_credit_alert("demo", "chat:1")
        assert not await store.delete_credit_alert("demo", "chat:1")
        assert await store.credit_alerts() == []

    async def test_a_payment_watch_ends_once_or_expires(self, store: Store) -> None:
        watch = await store.add_payment_watch("demo", "chat:1", 7, {"lang": "es"}, NOW,
                                              NOW + timedelta(days=1))  # fmt: skip
        other = await store.add_payment_watch(
            "demo", "chat:2", 9, {}, NOW, NOW + timedelta(hours=1)
        )
        assert [w.id for w in await store.payment_watches(NOW)] == [watch.id, other.id]
        assert await store.end_payment_watch(watch.id)
        assert not await store.end_payment_watch(watch.id)
        assert await store.payment_watches(NOW + timedelta(hours=2)) == []  # the other expired
