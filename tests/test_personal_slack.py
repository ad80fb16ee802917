"""A personalised campaign through Slack (the rig of tests/test_slack.py: signed requests
into the ASGI app, a fake Web API): the send form's text with fields, its file shared
in the conversation, the problems with the file's lines, a new text typed in the
conversation, the preview, and what reached the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sandbox_api import sandbox_messages, sandbox_state
from test_slack import Rig, said, slack_rig

from adapters.slack_blocks import SEND_CALLBACK
from bot.sandbox import SandboxServer

CSV = "Nome;Telemóvel;Loja\r\nAna;912345678;Porto\r\nRui;913333333;\r\nZé;914444444;Braga\r\n"


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


async def test_the_send_form_then_the_conversation(rig: Rig, sandbox: SandboxServer) -> None:
    await rig.command("send")
    await rig.api.wait_for(lambda api: bool(api.of("views.open")))
    metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
    form = {"recipients": "", "text": "Ola {nome}, a loja {loja} espera-o", "sender": "Loja"}
    await rig.submit(SEND_CALLBACK, form, metadata)
    await rig.api.wait_for_text("share the CSV or TXT file")
    rig.api.files["F1"] = CSV.encode()
    await rig.message(
        "",
        subtype="file_share",
        files=[{"id": "F1", "name": "clientes.csv", "size": len(CSV.encode()),
                "mimetype": "text/csv", "url_private": rig.api.file_url("F1")}],
    )  # fmt: skip
    await rig.api.wait_for_text("Empty value on line 3 (Loja).")
    await rig.api.wait_for_text("Now the text of the message.")
    assert "Columns you can use in the text: {Nome}, {Loja}" in rig.api.all_text()
    await rig.message("Ola {nome}, ate breve")  # typed in the conversation
    await rig.api.wait_for_text("ready to send")
    shown = said(rig.api)[-1].params
    preview = shown["text"]
    assert "Longest message (line 2, 1 segment):\nOla Ana, ate breve" in preview
    assert "Segments per message: 1 to 1\nCredits needed: 3 " in preview
    assert "Sender: Loja" in preview  # the form's sender kept
    values = [e["value"] for b in shown["blocks"] if b["type"] == "actions"
              for e in b["elements"]]  # fmt: skip
    assert values == ["send:confirm:1:1", "send:edit:1", "send:cancel:1"]  # no GSM-7 offer
    await rig.press(values[0])
    await rig.api.wait_for(lambda api: "Accepted: 3" in "\n".join(api.texts("chat.update")))
    messages = sandbox_messages(await sandbox_state(sandbox.url))
    assert {m["msisdn"]: (m["text"], m["sender"]) for m in messages} == {
        "351912345678": ("Ola Ana, ate breve", "Loja"),
        "351913333333": ("Ola Rui, ate breve", "Loja"),
        "351914444444": ("Ola Zé, ate breve", "Loja"),
    }
