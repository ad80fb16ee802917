"""Templates, saved lists and the opt-out list through the Slack adapter: signed requests
in, the desk, the fake Web API out, the sandbox's own records checked.

``/sms template save``, ``/sms list save``, the send form offering both as selects
(and checking them beside their fields), ``/sms optout add`` then a file shared in
the channel.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_api import sandbox_state
from test_slack import Rig, said, slack_rig

from adapters.slack_blocks import SEND_CALLBACK
from bot.sandbox import SandboxServer

_ids = itertools.count(1)


@pytest.fixture
async def slack(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


async def reached(sandbox: SandboxServer) -> list[tuple[str, str]]:
    state = await sandbox_state(sandbox.url)
    return [(m["msisdn"], m["text"]) for event in state["events"] for m in event["messages"]]


async def submit(rig: Rig, metadata: str, typed: dict[str, str], picked: dict[str, str]) -> Any:
    """The send form as Slack submits it: typed inputs, and the options picked in selects."""
    values: dict[str, Any] = {
        block: {"value": {"type": "plain_text_input", "value": value or None}}
        for block, value in typed.items()
    }
    for block, value in picked.items():
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        values[block] = {"value": {"type": "static_select", "selected_option": option}}
    return await rig.interaction(
        {
            "type": "view_submission",
            "team": {"id": "T1", "domain": "example"},
            "user": {"id": "U1", "team_id": "T1"},
            "api_app_id": "A1",
            "trigger_id": f"trigger.lib.{next(_ids)}",
            "view": {
                "id": f"VLIB{next(_ids)}",
                "type": "modal",
                "callback_id": SEND_CALLBACK,
                "private_metadata": metadata,
                "hash": "h",
                "state": {"values": values},
            },
        }
    )


async def open_form(rig: Rig) -> dict[str, Any]:
    opened = len(rig.api.of("views.open"))
    await rig.command("send")
    await rig.api.wait_for(lambda api: len(api.of("views.open")) > opened)
    view: dict[str, Any] = rig.api.of("views.open")[-1].params["view"]
    return view


class TestSlack:
    async def test_the_form_offers_the_chat_s_templates_and_lists(
        self, slack: Rig, sandbox: SandboxServer
    ) -> None:
        plain = await open_form(slack)
        assert [b["block_id"] for b in plain["blocks"]] == [
            "recipients",
            "text",
            "sender",
            "when",
            "window",
        ]

        await slack.command("template save promo Black Friday: -30% today")
        await slack.api.wait_for_text("Template promo saved")
        await slack.command("send 912345678,913333333 First")
        await slack.api.wait_for_text("ready to send")
        await slack.command("list save vip")
        await slack.api.wait_for_text("List vip saved: 2 numbers")
        await slack.press("send:cancel:1")
        await slack.api.wait_for_text("Nothing was sent")

        view = await open_form(slack)
        blocks = [b["block_id"] for b in view["blocks"]]
        assert blocks == ["recipients", "list", "text", "template", "sender", "when", "window"]
        by_id = {b["block_id"]: b for b in view["blocks"]}
        assert [o["value"] for o in by_id["template"]["element"]["options"]] == ["promo"]
        assert [o["value"] for o in by_id["list"]["element"]["options"]] == ["vip"]
        assert by_id["text"]["optional"] is True  # a template may give the text

        metadata = view["private_metadata"]
        both = await submit(slack, metadata, {"text": "Typed too"}, {"template": "promo"})
        assert both.json()["response_action"] == "errors"
        assert "template" in both.json()["errors"]
        unknown = await submit(slack, metadata, {"recipients": "list:nope"}, {"template": "promo"})
        assert "no saved list nope" in unknown.json()["errors"]["recipients"]

        await slack.command("optout add 913333333")
        await slack.api.wait_for_text("1 number put on the opt-out list")
        done = await submit(slack, metadata, {}, {"list": "vip", "template": "promo"})
        assert done.status_code == 200
        assert done.text == ""
        await slack.api.wait_for_text("Left out: 1 number on the opt-out list")
        preview = said(slack.api)[-1].params
        assert "Black Friday: -30% today" in preview["text"]
        assert "Recipients: 1" in preview["text"]
        await slack.press("send:confirm:2:1")
        await slack.api.wait_for(lambda api: "Accepted: 1" in "\n".join(api.texts("chat.update")))
        assert await reached(sandbox) == [("351912345678", "Black Friday: -30% today")]

    async def test_an_opt_out_file_shared_after_the_command(
        self, slack: Rig, sandbox: SandboxServer
    ) -> None:
        await slack.command("optout add")
        await slack.api.wait_for_text("share a CSV/TXT file")
        slack.api.files["F9"] = "Nome;Telemóvel\r\nAna;912345678\r\nRui;913333333\r\n".encode()
        await slack.message(
            "",
            subtype="file_share",
            files=[{"id": "F9", "name": "stop.csv", "size": 50, "mimetype": "text/csv",
                    "url_private": slack.api.file_url("F9")}],
        )  # fmt: skip
        await slack.api.wait_for_text("2 numbers put on the opt-out list")
        assert "2 numbers read from stop.csv" in slack.api.all_text()
        await slack.command("optout")
        await slack.api.wait_for_text("2 numbers are on the opt-out list of demo")
        await slack.command("send 912345678,914444444 Hi there")
        await slack.api.wait_for_text("ready to send")
        await slack.press("send:confirm:1:1")
        await slack.api.wait_for(lambda api: "Accepted: 1" in "\n".join(api.texts("chat.update")))
        assert await reached(sandbox) == [("351914444444", "Hi there")]
        async with httpx.AsyncClient() as http:  # the sandbox's state is the proof
            state = (await http.get(f"{sandbox.url}/_sandbox/state")).json()
        assert "351912345678" not in str(state["events"])

    async def test_a_viewer_lists_but_cannot_save(self, slack: Rig) -> None:
        await slack.command("template save promo Hi")
        await slack.api.wait_for_text("Template promo saved")
        await slack.command("template save other Hi", user="U2")
        await slack.api.wait_for_text("needs the sender role")
        await slack.command("template", user="U2")
        await slack.api.wait_for_text("1 template in this chat")
