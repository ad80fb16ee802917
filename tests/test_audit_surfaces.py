"""The audit log on every surface: the console (numbered buttons, the file written to
``exports/``), Telegram (the Bot API fake: the file by sendDocument) and Slack (the Web
API fake: the file uploaded to the person's direct message), each entry saying who, on
which platform and in which chat."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import test_telegram as telegram_rig
from chat_driver import desk_settings
from test_slack import slack_rig
from test_telegram import ADMIN, GROUP, VIEWER, Telegram

from adapters.console import ConsoleChat
from bot.app import BotApp
from bot.audit import EXPORT_ACTION
from bot.records import AuditAction
from bot.sandbox import SandboxServer

app = telegram_rig.app
tg = telegram_rig.tg

SECRET = "Wm3-console-distinctive"


def rows(content: bytes, separator: str = ",") -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


async def test_the_console(tmp_path: Path) -> None:
    lines = [
        "/template save promo Hello there",
        f"/login ana {SECRET}",
        "/audit",
        "1",  # Export (CSV)
    ]
    out = io.StringIO()
    exports = tmp_path / "exports"
    async with (
        SandboxServer(accounts=[f"ana:{SECRET}:50"]) as sandbox,
        BotApp(desk_settings(sandbox.endpoint, tmp_path)) as bot,
    ):
        chat = ConsoleChat(
            bot.desk, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, exports=exports
        )
        await bot.add_channel(chat)
        await chat.run("test")
        await chat.finish(bot)
    said = out.getvalue()
    assert "Audit log of ana and this chat, newest first:" in said
    assert "console:me in console:me: linked the uSendit account ana" in said
    assert "[1] Export (CSV)" in said
    assert "The audit log: 5 entries, one row each." in said  # and the 3 roles given
    [written] = list(exports.iterdir())
    assert written.name == "audit-log.csv"
    assert str(written) in said
    content = written.read_bytes()
    [header, login, saved, *roles] = rows(content)
    assert header[0] == "entry"
    assert login[2:8] == ["console:me", "", "console:me", "console", "ana", "login"]
    # The template was saved while acting with demo, but in this chat: there too.
    assert saved[2:8] == ["console:me", "", "console:me", "console", "demo", "template_save"]
    assert "saved the template promo" in said
    assert [row[2:8] for row in roles] == [["settings", "", "settings", "settings", "", "role"]] * 3
    assert SECRET not in said.split("Audit log of")[1]
    assert SECRET.encode() not in content


async def test_telegram(tg: Telegram, app: BotApp) -> None:
    await tg.say(ADMIN, "/template save promo Hello there")
    shown = "\n".join(await tg.say(ADMIN, "/audit"))
    assert "Ana (telegram:1001) in telegram:1001: saved the template promo" in shown
    assert tg.buttons() == [EXPORT_ACTION]
    await tg.press(ADMIN, EXPORT_ACTION)
    [(chat, upload)] = tg.api.documents()
    assert chat == ADMIN["id"]
    assert upload.filename == "audit-log.csv"
    entry = rows(upload.content)[1]
    assert entry[2:8] == ["telegram:1001", "Ana", "telegram:1001", "telegram", "demo",
                          AuditAction.TEMPLATE_SAVE.value]  # fmt: skip
    # A viewer gets the refusal of every admin command, in their language, no file.
    refusal = await tg.say(VIEWER, "/comprar 1")
    assert await tg.say(VIEWER, "/auditoria") == refusal
    assert await tg.press(VIEWER, EXPORT_ACTION) == refusal
    assert len(tg.api.documents()) == 1


async def test_telegram_group_export_goes_to_the_person(tg: Telegram, app: BotApp) -> None:
    await tg.say(ADMIN, "/template save promo Hello there", where=GROUP)
    assert "saved the template promo" in "\n".join(await tg.say(ADMIN, "/audit", where=GROUP))
    await tg.press(ADMIN, EXPORT_ACTION, where=GROUP)
    [(chat, upload)] = tg.api.documents()
    assert chat == ADMIN["id"]  # the private chat, not the group
    assert rows(upload.content)[1][4] == f"telegram:{GROUP['id']}"


async def test_slack(sandbox: SandboxServer, tmp_path: Path) -> None:
    async with slack_rig(sandbox, tmp_path) as rig:
        await rig.command("template save promo Hello there", channel="C7")
        await rig.api.wait_for_text("promo")
        await rig.command("audit", channel="C7")
        await rig.api.wait_for_text("Audit log of demo and this chat")
        shown = rig.api.all_text()
        assert "slack:T1/U1 in slack:T1/C7: saved the template promo" in shown
        await rig.press(EXPORT_ACTION, channel="C7", ephemeral=True)
        await rig.api.wait_for(lambda api: bool(api.shared_files()))
        [(channel, title, content)] = rig.api.shared_files()
        assert (channel, title) == ("DU1", "audit-log.csv")  # the person's DM, not C7
        entry = rows(content)[1]
        assert entry[2:8] == ["slack:T1/U1", "", "slack:T1/C7", "slack", "demo", "template_save"]
        # A viewer gets the refusal of every admin command, and no file.
        refusals = []
        for typed in ("buy 1", "audit"):
            before = len(rig.api.texts())
            await rig.command(typed, user="U2", channel="C7")
            await rig.api.wait_for(lambda api, n=before: len(api.texts()) > n)
            refusals.append(rig.api.texts()[before:])
        assert refusals[0] == refusals[1]
        assert "admin" in refusals[1][0]
        assert len(rig.api.shared_files()) == 1
