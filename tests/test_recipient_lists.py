"""Saved recipient lists through the desk, against the sandbox: ``/list save`` (the last
upload, or a campaign by id), ``/list``, ``/list show``, ``/list delete``, and a list
taken in /send (``list:<name>``, its button, the one-line form). What reached the
sandbox is read from its state."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chat_driver import desk_settings, in_chat, labels, text
from sandbox_api import sandbox_state

from bot.app import BotApp
from bot.chat import Attachment
from bot.sandbox import SandboxServer


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as started:
        yield started


async def reached(sandbox: SandboxServer) -> list[str]:
    state = await sandbox_state(sandbox.url)
    return [m["msisdn"] for event in state["events"] for m in event["messages"]]


class TestListCommands:
    async def test_the_last_upload_saved_shown_and_deleted(self, app: BotApp) -> None:
        me = in_chat(app)
        assert "No saved lists in this chat yet" in text(await me.send("/list"))
        assert "given no numbers in this chat yet" in text(await me.send("/list save vip"))
        await me.send("/send")
        csv = "Nome;Telemóvel\r\nAna;912345678\r\nRui;+351 913 333 333\r\nZé;912345678\r\n"
        await me.send(files=(Attachment("clientes.csv", csv.encode()),))
        await me.send("/cancel")  # the upload counts even if that send never went
        saved = text(await me.send("/list save VIP"))
        assert "List vip saved: 2 numbers, from campaign #1" in saved
        assert "list:vip" in saved
        listed = text(await me.send("/list"))
        assert "• vip: 2 numbers, last used: never" in listed
        shown = text(await me.send("/list show vip"))
        assert "List vip: 2 numbers" in shown
        assert "+351912345678, +351913333333" in shown  # stored as the drafts keep them
        stored = await app.store.find_recipient_list("console:me", "vip")
        assert stored is not None
        assert await app.store.recipient_list_numbers(stored.id) == [
            "351912345678",
            "351913333333",
        ]
        assert "List vip deleted" in text(await me.send("/list delete vip"))
        assert "no saved list vip" in text(await me.send("/list show vip"))

    async def test_a_campaign_by_its_id(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/send 912345678,913333333,914444444 First")
        await me.press("Cancel")
        await me.send("/send 915555555 Second")
        assert "3 numbers, from campaign #1" in text(await me.send("/list save all #1"))
        assert "1 number, from campaign #2" in text(await me.send("/list save last"))
        assert "replaced: now 1 number, from campaign #2" in text(await me.send("/list save all 2"))
        assert "No campaign 9 in this chat" in text(await me.send("/list save x #9"))
        assert "No campaign ² in this chat" in text(await me.send("/list save x #²"))
        # Another chat's campaign is not this chat's to save.
        team = in_chat(app, chat="console:team", private=False)
        assert "No campaign 1 in this chat" in text(await team.send("/list save mine #1"))

    async def test_lists_are_kept_per_chat(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/send 912345678 Hi")
        await me.send("/list save vip")
        team = in_chat(app, chat="console:team")
        assert "No saved lists in this chat" in text(await team.send("/list"))
        assert "no saved list vip" in text(await team.send("/send list:vip Hi"))

    @pytest.mark.parametrize(
        ("line", "said"),
        [
            ("/list save " + "n" * 40, "A name has 1 to 32 letters"),
            ("/list save a,b", "A name has 1 to 32 letters"),
            ("/list save", "Use: /list save <name>"),
            ("/list whatever", "Use: /list save <name>"),
            ("/list delete nada", "There is no saved list nada in this chat"),
        ],
    )
    async def test_bad_input_gets_a_short_true_answer(
        self, app: BotApp, line: str, said: str
    ) -> None:
        me = in_chat(app)
        await me.send("/send 912345678 Hi")
        answer = text(await me.send(line))
        assert said in answer
        assert len(answer) < 300
        assert await app.store.list_recipient_lists("console:me") == []

    async def test_a_viewer_reads_and_a_sender_saves(self, app: BotApp) -> None:
        sender = in_chat(app, "sender")
        await sender.send("/send 912345678 Hi")
        viewer = in_chat(app, "viewer")
        assert "needs the sender role" in text(await viewer.send("/list save vip"))
        assert "saved" in text(await sender.send("/list save vip"))
        assert "• vip: 1 number" in text(await viewer.send("/list"))
        assert "+351912345678" in text(await viewer.send("/list show vip"))
        assert "needs the sender role" in text(await viewer.send("/list delete vip"))
        assert "needs the sender role" in text(await viewer.send("/send list:vip Hi"))


class TestListsInSend:
    async def test_typed_as_the_recipients_and_its_last_use(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/send 912345678,913333333 First")
        await me.press("Cancel")
        await me.send("/list save vip")
        await me.send("/send")
        got = text(await me.send("LIST: vip"))
        assert "2 recipients from list:vip" in got
        await me.send("Hello vip")
        await me.press("Default sender")
        await me.press("Send now")
        assert "Recipients: 2" in text(await me.press("Any time"))
        await me.press("Confirm")
        assert sorted(await reached(sandbox)) == ["351912345678", "351913333333"]
        used = text(await me.send("/list"))
        assert re.search(r"• vip: 2 numbers, last used: \d{4}-\d{2}-\d{2} \d{2}:\d{2}", used)

    async def test_by_its_button_at_the_recipients_step(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/send 912345678,913333333,914444444 x")
        await me.send("/list save three")
        await me.press("Cancel")
        asked = await me.send("/send")
        assert labels(asked) == ["three (3)"]
        assert "3 recipients from list:three" in text(await me.press("three (3)"))
        assert "Now the text" in text(me.last)
        await me.send("Button list")
        await me.press("Default sender")
        await me.press("Send now")
        await me.press("Any time")
        assert "done" in text(await me.press("Confirm"))
        assert len(await reached(sandbox)) == 3

    async def test_on_one_line_in_portuguese(self, app: BotApp, sandbox: SandboxServer) -> None:
        falante = in_chat(app, locale="pt-PT")
        await falante.send("/enviar 912345678 Olá")
        await falante.press("Cancelar")
        assert "Lista vip guardada" in text(await falante.send("/lista guardar vip"))
        preview = text(await falante.send("/enviar lista:vip Olá de novo"))
        assert "1 destinatário de lista:vip" in preview
        await falante.press("Confirmar")
        assert await reached(sandbox) == ["351912345678"]

    async def test_the_opt_out_list_applies_to_a_saved_list(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/send 912345678,913333333 x")
        await me.send("/list save vip")
        await me.press("Cancel")
        await me.send("/optout add 913333333")
        preview = text(await me.send("/send list:vip Promo"))
        assert "Left out: 1 number on the opt-out list" in preview
        await me.press("Confirm")
        assert await reached(sandbox) == ["351912345678"]

    async def test_a_forged_or_foreign_list_button_is_refused(self, app: BotApp) -> None:
        team = in_chat(app, chat="console:team")
        await team.send("/send 912345678 x")
        await team.send("/list save theirs")
        theirs = await app.store.find_recipient_list("console:team", "theirs")
        assert theirs is not None
        me = in_chat(app)
        await me.send("/send")
        assert "no longer valid" in text(await me.press(f"send:list:{theirs.id}"))
        assert "no longer valid" in text(await me.press("send:list:" + "9" * 30))
        assert "1 recipient" in text(await me.send("912345678"))
