"""A campaign's results file on Telegram (sendDocument) and Slack (the external upload,
to the person's direct message), from the Export button of /status."""

from __future__ import annotations

from pathlib import Path

import test_telegram as telegram_rig
from chat_driver import settled
from test_campaign_export import rows
from test_slack import slack_rig
from test_telegram import ADMIN, Telegram

from bot.app import BotApp
from bot.sandbox import SandboxServer

app = telegram_rig.app
tg = telegram_rig.tg


async def test_telegram_sends_the_results_as_a_document(tg: Telegram, app: BotApp) -> None:
    await tg.say(ADMIN, "/send +351912345678,+33612345678 Hi")
    await tg.press(ADMIN, next(b for b in tg.buttons() if b.startswith("send:confirm:")))
    await settled(app)
    await tg.say(ADMIN, "/status 1")
    assert "status:export:1" in tg.buttons()
    await tg.press(ADMIN, "status:export:1")
    [(chat, upload)] = tg.api.documents()
    assert chat == ADMIN["id"]
    assert upload.filename == "campaign-1.csv"
    body = rows(upload.content, ",")[1:]
    assert [(row[0], row[1]) for row in body] == [
        ("+351912345678", "SCHEDULED"),
        ("+33612345678", "MSISDN_INVALID_ROUTE"),
    ]


async def test_slack_uploads_the_results_to_the_person(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    async with slack_rig(sandbox, tmp_path) as rig:
        await rig.command("send +351912345678,+33612345678 Hi", channel="C7")
        await rig.api.wait_for_text("Campaign #1, ready to send")
        await rig.press("send:confirm:1:1", channel="C7")
        await rig.api.wait_for(lambda api: "Accepted: 1" in "\n".join(api.texts("chat.update")))
        await rig.command("status 1", channel="C7")
        await rig.api.wait_for(lambda api: "done" in api.texts("chat.postEphemeral")[-1])
        await rig.press("status:export:1", channel="C7", ephemeral=True)
        await rig.api.wait_for(lambda api: bool(api.shared_files()))
        [(channel, title, content)] = rig.api.shared_files()
        assert (channel, title) == ("DU1", "campaign-1.csv")  # the person's DM, not C7
        assert [row[0] for row in rows(content, ",")[1:]] == ["+351912345678", "+33612345678"]
