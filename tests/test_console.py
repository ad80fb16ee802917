"""The console chat as a newcomer meets it: `usendit-bot` in a subprocess, fed by a pipe."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from chat_driver import child_env
from sandbox_api import sandbox_messages
from test_sandbox_inbox import Console

from adapters.console import ConsoleChat
from bot.chat import Button

pytestmark = pytest.mark.slow


def run_console(tmp_path: Path, lines: list[str], *args: str) -> str:
    env = child_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_newcomer_session_on_the_embedded_sandbox(tmp_path: Path) -> None:
    out = run_console(
        tmp_path,
        [
            "/balance",
            "/count Olá",
            "/send",
            "912345678 913333333",
            "Black Friday: -30% today",
            "1",  # default sender
            "Send now",
            "Any time",
            "1",  # confirm
            "/status",
            "/lang es",
            "/balance",
        ],
    )
    first = out.splitlines()[0]
    assert "sandbox" in first
    assert re.search(r"http://127\.0\.0\.1:\d+/_sandbox/state", first)  # where to look
    assert "500 credits left on Demo Account" in out
    assert "UCS-2" in out
    assert "[1] Confirm   [2] Edit   [3] Cancel" in out
    assert "↻ Campaign #1: done" in out
    assert "Accepted: 2, rejected: 0, credits spent: 2" in out
    # The worker sends meanwhile: the balance may be read before or after it.
    assert re.search(r"Quedan (498|500) créditos", out)
    # The state stays on disk beside the database: a second session sees it.
    again = run_console(tmp_path, ["/history"], "console")
    assert "Black Friday" in again


def test_a_window_typed_on_the_console_reaches_the_sandbox(tmp_path: Path) -> None:
    """The window step of a live console session: a window across midnight refused, a
    good one in the preview, and every message the sandbox took carries it."""
    console = Console(tmp_path)
    try:
        base = console.wait_for(r"(http://127\.0\.0\.1:\d+)/_sandbox/").group(1)
        console.type("/send", "912345678 913333333", "Hello", "1", "Send now")
        console.wait_for(r"Deliver only at some hours.*\n.*\[1\] Any time")
        console.type("22:00-06:00")
        console.wait_for("across midnight")
        console.type("9h-20h, working days")
        console.wait_for(r"Delivered only 09:00.20:00, working days")
        console.type("1")  # confirm
        console.wait_for(r"Campaign #1: done")
        state = httpx.get(f"{base}/_sandbox/state", timeout=10).json()
    finally:
        errors = console.close()
    assert console.process.returncode == 0, errors
    messages = sandbox_messages(state)
    assert sorted(m["msisdn"] for m in messages) == ["351912345678", "351913333333"]
    assert {(m["begin_time"], m["end_time"], m["working_days"]) for m in messages} == {
        ("09:00:00", "20:00:00", True)
    }


def test_attaching_a_file(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("912345678\n913333333\nnot-a-number\n")
    out = run_console(tmp_path, ["/send", "@list.txt", "/cancel"])
    assert "2 recipients from list.txt" in out
    assert "not-a-number" in out
    assert "Cancelled" in out
    missing = run_console(tmp_path, ["/send", "@nowhere.csv"])
    assert "cannot read" in missing


def test_buttons_by_number_or_label() -> None:
    chat = ConsoleChat(desk=None, stdin=sys.stdin, stdout=sys.stdout)  # type: ignore[arg-type]
    chat._buttons = [Button("Confirm", "send:confirm:1"), Button("Cancel", "send:cancel:1")]
    pressed = chat.command_for("2")
    assert pressed is not None
    assert pressed.action == "send:cancel:1"
    by_label = chat.command_for("confirm")
    assert by_label is not None
    assert by_label.action == "send:confirm:1"
    typed = chat.command_for("/count@bot hello world")
    assert typed is not None
    assert (typed.name, typed.args) == ("count", "hello world")
    assert chat.command_for("   ") is None


def test_lines_that_are_no_choice_or_no_file() -> None:
    out = io.StringIO()
    chat = ConsoleChat(None, stdin=io.StringIO(), stdout=out)  # type: ignore[arg-type]
    chat._buttons = [Button("Confirm", "send:confirm:1")]
    assert chat.command_for("²") is not None
    assert chat.command_for("²").action is None  # type: ignore[union-attr]
    assert chat.command_for("9" * 5000).action is None  # type: ignore[union-attr]
    assert chat.command_for("/help @a\x00b") is None  # said why, and nothing is asked
    assert "not a file name" in out.getvalue()
    assert chat.command_for("/send @no-such-file.csv") is None
    assert out.getvalue().count("cannot read") == 2


def test_a_campaigns_results_written_beside_and_their_path_printed(tmp_path: Path) -> None:
    run_console(tmp_path, ["/send 912345678,+33612345678 Hi", "1"])  # confirm, then waits
    out = run_console(tmp_path, ["/status 1", "Export results (CSV)"])
    assert "Results of #1: 2 numbers, one row each." in out
    written = tmp_path / "exports" / "campaign-1.csv"
    assert f"⤓ {written.resolve()}" in out
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "number,status,reason,uSendit message id,SMS (parts)"
    assert lines[1].startswith("+351912345678,SCHEDULED,,")
    assert lines[2].startswith("+33612345678,MSISDN_INVALID_ROUTE,")
