"""The opt-out list through the desk, against the sandbox: ``/optout``, ``/optout add``
(typed, a file attached, a file shared right after), ``/optout remove``, and every
send leaving its numbers out: at the draft (the preview says how many) and at the
send, for a number put on the list after the preview. What reached the sandbox is
read from its state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chat_driver import desk_settings, in_chat, text
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


class TestOptOutCommands:
    async def test_add_remove_and_count(self, app: BotApp) -> None:
        me = in_chat(app)
        assert "0 numbers are on the opt-out list of demo" in text(await me.send("/optout"))
        added = text(await me.send("/optout add 912345678, +351 913 333 333\nabc\n212345678"))
        assert "2 numbers read from text" in added
        assert "Line 2: abc is not a valid phone number" in added
        assert "Line 3: 212345678 is not a mobile number" in added
        assert "2 numbers put on the opt-out list" in added
        assert "now has 2 numbers" in added
        again = text(await me.send("/optout add 912345678 914444444"))
        assert "1 number put on the opt-out list. 1 was on it already." in again
        assert "3 numbers are on the opt-out list" in text(await me.send("/optout"))
        removed = text(await me.send("/optout remove 912345678 915555555"))
        assert "1 number taken off the opt-out list. 1 was not on it." in removed
        assert await app.store.opted_out("demo", ["351912345678", "351913333333"]) == {
            "351913333333"
        }

    async def test_a_file_attached_to_the_command(self, app: BotApp) -> None:
        me = in_chat(app)
        csv = "Nome;Telemóvel\r\nAna;912345678\r\nRui;913333333\r\nZé;12\r\n".encode()
        said = text(await me.send("/optout add", files=(Attachment("stop.csv", csv),)))
        assert "2 numbers read from stop.csv" in said
        assert "Line 4: 12 is not a valid phone number" in said
        assert await app.store.count_opt_outs("demo") == 2

    async def test_a_file_shared_right_after(self, app: BotApp) -> None:
        me = in_chat(app)
        assert "share a CSV/TXT file" in text(await me.send("/optout add"))
        assert await app.desk.open_wizard("console:me|console:me") == ("optout", "numbers")
        assert "not a CSV" in text(await me.send(files=(Attachment("x.csv", b"\x00\x01" * 90),)))
        assert "No valid number" in text(await me.send("hello"))  # still asked
        said = text(await me.send(files=(Attachment("stop.txt", b"912345678\n913333333\n"),)))
        assert "2 numbers put on the opt-out list" in said
        assert await app.desk.open_wizard("console:me|console:me") is None
        assert "not waiting for an answer" in text(await me.send("914444444"))
        assert await app.store.count_opt_outs("demo") == 2

    async def test_the_wizard_can_be_cancelled(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/optout add")
        assert "Cancelled" in text(await me.send("/cancel"))
        assert await app.store.count_opt_outs("demo") == 0

    @pytest.mark.parametrize(
        ("line", "said"),
        [
            ("/optout remove", "Use: /optout add <numbers>"),
            ("/optout frobnicate 912345678", "Use: /optout add <numbers>"),
            ("/optout add abc, 12", "No valid number"),
            ("/optout add " + "9" * 5000, "No valid number"),
        ],
    )
    async def test_bad_input_gets_a_short_true_answer(
        self, app: BotApp, line: str, said: str
    ) -> None:
        answer = text(await in_chat(app).send(line))
        assert said in answer
        assert await app.store.count_opt_outs("demo") == 0

    async def test_a_viewer_reads_the_count_and_a_sender_changes_the_list(
        self, app: BotApp
    ) -> None:
        viewer = in_chat(app, "viewer")
        assert "0 numbers are on the opt-out list" in text(await viewer.send("/optout"))
        assert "needs the sender role" in text(await viewer.send("/optout add 912345678"))
        assert "needs the sender role" in text(await viewer.send("/optout add"))
        assert "needs the sender role" in text(await viewer.send("/optout remove 912345678"))
        assert "1 number put" in text(await in_chat(app, "sender").send("/optout add 912345678"))
        assert "1 number is on the opt-out list" in text(await viewer.send("/optout"))

    async def test_one_list_for_the_account_in_every_chat(self, app: BotApp) -> None:
        await in_chat(app).send("/optout add 912345678")
        team = in_chat(app, "sender", chat="console:team")
        assert "1 number is on the opt-out list of demo" in text(await team.send("/optout"))

    async def test_in_portuguese_and_spanish(self, app: BotApp) -> None:
        falante = in_chat(app, locale="pt-PT")
        said = text(await falante.send("/exclusoes adicionar 912345678"))
        assert "1 número posto na lista de exclusão" in said
        hablante = in_chat(app, locale="es-ES")
        said = text(await hablante.send("/exclusiones quitar 912345678"))
        assert "1 número quitado de la lista de exclusión" in said


class TestEverySendExcludesThem:
    async def test_the_preview_says_how_many_were_left_out(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/optout add 913333333")
        await me.send("/send")
        got = text(await me.send("912345678, 913333333, 914444444"))
        assert "3 recipients from text" in got
        assert "1 of them is on the opt-out list and is left out" in got
        await me.send("Hello")
        await me.press("Default sender")
        await me.press("Send now")
        preview = text(await me.press("Any time"))
        assert "Recipients: 2" in preview
        assert "Credits needed: 2" in preview
        assert "Left out: 1 number on the opt-out list" in preview
        done = text(await me.press("Confirm"))
        assert "Excluded: 1 number on the opt-out list" in done
        assert sorted(await reached(sandbox)) == ["351912345678", "351914444444"]

    async def test_a_number_listed_after_the_preview_is_never_sent(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        preview = text(await me.send("/send 912345678,913333333 Hello"))
        assert "Recipients: 2" in preview
        assert "Left out" not in preview
        waiting = me.last
        await in_chat(app, "sender").send("/optout add 913333333")
        me.last = waiting
        done = text(await me.press("Confirm"))
        assert "done" in done
        assert "Accepted: 1, rejected: 0, credits spent: 1" in done
        assert "Excluded: 1 number on the opt-out list" in done
        assert await reached(sandbox) == ["351912345678"]
        status = text(await me.send("/status"))
        assert "Excluded: 1 number" in status
        assert "rejected: 0" in status

    async def test_nobody_left_to_send_to(self, app: BotApp, sandbox: SandboxServer) -> None:
        me = in_chat(app)
        await me.send("/optout add 912345678 913333333")
        said = text(await me.send("/send 912345678,913333333 Hello"))
        assert "All 2 numbers are on the opt-out list: there is nobody to send to" in said
        assert await app.store.list_campaigns() == []
        await me.send("/send")
        assert "That number is on the opt-out list" in text(await me.send("912345678"))
        assert (await sandbox_state(sandbox.url))["events"] == []
