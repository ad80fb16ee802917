"""A low-credit alert pushed to a Telegram chat through the outbox (the rig is
tests/test_telegram.py's): the push arrives as a message of its own, in Portuguese for
the admin who asked in Portuguese."""

from __future__ import annotations

import asyncio

import test_telegram as rig
from test_telegram import ADMIN, Telegram

from bot.app import BotApp

app = rig.app
tg = rig.tg


async def test_the_alert_arrives_as_a_message(tg: Telegram, app: BotApp) -> None:
    await tg.say(ADMIN, "/idioma pt")
    await tg.say(ADMIN, "/alerta 1000")  # 500 credits: below already
    for _ in range(250):
        if any("Créditos a acabar" in t for t in tg.api.texts()):
            break
        await asyncio.sleep(0.02)
    [pushed] = [t for t in tg.api.texts() if "Créditos a acabar" in t]
    assert "demo tem 500, abaixo do alerta de 1\u00a0000." in pushed  # pt_PT groups with a space
