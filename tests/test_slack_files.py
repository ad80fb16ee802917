"""Recipients files shared in Slack: the ones an event names only by id (Slack Connect's
``check_file_info``, a free workspace's ``hidden_by_limit``) are read through
``files.info``; a file that is refused says why, and nothing else.

The rig of tests/test_slack.py: signed requests into the ASGI app, a fake Web API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from test_slack import Rig, slack_rig

from bot.recipient_files import FILE_MB, MAX_FILE_BYTES
from bot.sandbox import SandboxServer

CSV = "Nome;Telemóvel\r\nAna;912345678\r\nRui;913333333\r\n".encode()


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


async def share(rig: Rig, *files: dict[str, Any]) -> None:
    await rig.message("", subtype="file_share", files=list(files))


class TestFilesInfo:
    async def test_a_slack_connect_file_is_read_through_files_info(self, rig: Rig) -> None:
        await rig.ask_for_file()
        rig.api.files["F2"] = CSV
        rig.api.file_info["F2"] = {
            "id": "F2",
            "name": "clientes.csv",
            "mimetype": "text/csv",
            "size": len(CSV),
            "url_private": rig.api.file_url("F2"),
            "url_private_download": rig.api.file_url("F2"),
        }
        # What a message event carries for a file shared from another organisation.
        stub = {"id": "F2", "mode": "file_access", "file_access": "check_file_info",
                "created": 0, "timestamp": 0, "user": ""}  # fmt: skip
        await share(rig, stub)
        await rig.api.wait_for_text("ready to send")
        assert "from clientes.csv" in rig.api.all_text()
        assert "Recipients: 2" in rig.api.texts()[-1]
        assert [c.params["file"] for c in rig.api.of("files.info")] == ["F2"]
        assert rig.api.of("files.download")[0].headers["Authorization"] == "Bearer xoxb-test"

    async def test_a_file_hidden_by_limit_is_asked_for_again(self, rig: Rig) -> None:
        await rig.ask_for_file()
        rig.api.files["F3"] = CSV
        rig.api.file_info["F3"] = {"id": "F3", "name": "lista.csv", "size": len(CSV),
                                   "url_private_download": rig.api.file_url("F3")}  # fmt: skip
        await share(rig, {"id": "F3", "mode": "hidden_by_limit", "name": "lista.csv"})
        await rig.api.wait_for_text("ready to send")
        assert rig.api.of("files.info")

    async def test_a_file_still_hidden_only_says_so(self, rig: Rig) -> None:
        await rig.ask_for_file()
        rig.api.file_info["F4"] = {"id": "F4", "mode": "hidden_by_limit", "name": "old.csv"}
        before = len(rig.api.texts())
        await share(rig, {"id": "F4", "mode": "hidden_by_limit", "name": "old.csv"})
        await rig.api.wait_for_text("could not download old.csv")
        await rig.settle()
        assert rig.api.texts()[before:] == ["I could not download old.csv. Please send it again."]
        assert not rig.api.of("files.download")

    async def test_files_info_refused(self, rig: Rig) -> None:
        await rig.ask_for_file()
        before = len(rig.api.texts())
        await share(rig, {"id": "F5", "file_access": "check_file_info"})
        await rig.api.wait_for_text("could not download")
        await rig.settle()
        assert len(rig.api.texts()) == before + 1


class TestRefusedFiles:
    async def test_a_refused_file_says_only_why(self, rig: Rig) -> None:
        await rig.ask_for_file()
        before = len(rig.api.texts())
        await share(rig, {"id": "F6", "name": "big.csv", "size": MAX_FILE_BYTES + 1,
                          "url_private": rig.api.file_url("big")})  # fmt: skip
        await rig.api.wait_for_text(f"larger than {FILE_MB} MB")
        await rig.settle()
        after = rig.api.texts()[before:]
        assert len(after) == 1
        assert "big.csv is larger than" in after[0]
        assert not rig.api.of("files.download")
        # The question still waits: a good file is taken next.
        rig.api.files["F7"] = CSV
        await share(rig, {"id": "F7", "name": "ok.csv", "size": len(CSV),
                          "url_private": rig.api.file_url("F7")})  # fmt: skip
        await rig.api.wait_for_text("ready to send")

    async def test_one_refused_one_read(self, rig: Rig) -> None:
        await rig.ask_for_file()
        rig.api.files["F8"] = CSV
        await share(
            rig,
            {"id": "F9", "name": "x.csv", "size": 10, "url_private": "https://evil.example/x"},
            {"id": "F8", "name": "ok.csv", "size": len(CSV), "url_private": rig.api.file_url("F8")},
        )
        await rig.api.wait_for_text("ready to send")
        assert "could not download x.csv" in rig.api.all_text()
        assert [c.params["name"] for c in rig.api.of("files.download")] == ["F8"]
