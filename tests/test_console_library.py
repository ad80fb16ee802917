"""Templates, saved lists and the opt-out list on the console: buttons as numbered
choices, ``@path`` attaching a file to ``/optout add``; in process against a sandbox,
and as a newcomer meets it (``usendit-bot`` in a subprocess, fed by a pipe). What
reached the sandbox is read from its state (the subprocess's, from the state file it
leaves beside its database)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from chat_driver import child_env, desk_settings
from sandbox_api import sandbox_state

from adapters.console import ConsoleChat
from bot.app import BotApp
from bot.sandbox import SandboxServer


async def reached(sandbox: SandboxServer) -> list[tuple[str, str]]:
    state = await sandbox_state(sandbox.url)
    return [(m["msisdn"], m["text"]) for event in state["events"] for m in event["messages"]]


async def test_a_session_with_a_template_a_list_and_the_opt_out_list(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    stop = tmp_path / "stop.txt"
    stop.write_text("912345678\n")
    lines = [
        f"/optout add @{stop}",
        "/template save promo Promo só hoje",
        "/send 912345678,913333333,914444444 First",
        "3",  # Cancel
        "/list save clientes",
        "/send",
        "1",  # the list's button: clientes (3)
        "1",  # the template's button: promo
        "1",  # default sender
        "1",  # send now
        "1",  # any time (no delivery window)
        "1",  # confirm
    ]
    out = io.StringIO()
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as app:
        chat = ConsoleChat(app.desk, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
        await app.add_channel(chat)
        await chat.run("test")
        await chat.finish(app)
    said = out.getvalue()
    assert "1 number read from stop.txt" in said
    assert "1 of them is on the opt-out list and is left out" in said
    assert "List clientes saved: 2 numbers, from campaign #1" in said
    assert "[1] clientes (2)" in said
    assert "[1] promo" in said
    assert "Left out" not in said.split("clientes (2)")[1]  # the list was saved without it
    assert "Campaign #2: done" in said
    assert sorted(await reached(sandbox)) == [
        ("351913333333", "Promo só hoje"),
        ("351914444444", "Promo só hoje"),
    ]


@pytest.mark.slow
async def test_a_newcomer_keeps_a_template_and_an_opt_out(tmp_path: Path) -> None:
    (tmp_path / "stop.csv").write_text("Nome;Telemóvel\nAna;913333333\n")
    lines = [
        "/optout add @stop.csv",
        "/optout",
        "/template save promo Black Friday: -30%",
        "/template",
        "/send 912345678,913333333 template:promo",
        "1",  # confirm
        "/status",
    ]
    done = subprocess.run(  # the bot under test is another process: nothing else runs here
        [sys.executable, "-m", "bot.cli"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(tmp_path),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "1 number is on the opt-out list of demo" in out
    assert "• promo — Black Friday: -30%" in out
    assert "Left out: 1 number on the opt-out list" in out
    assert "Excluded: 1 number on the opt-out list" in out
    # The embedded sandbox keeps its state beside the database: open it again and look.
    async with SandboxServer(
        host="127.0.0.1", port=0, state_file=tmp_path / "bot.sandbox.db"
    ) as sandbox:
        assert await reached(sandbox) == [("351912345678", "Black Friday: -30%")]
