"""Every setting is checked at start, and a wrong one is named in one line, never with
its value (a value may be a token or a password)."""

from __future__ import annotations

import io
import socket
import threading
from pathlib import Path

import pytest

from bot.cli import main

SECRETISH = "xoxb-not-a-real-token-but-secret"


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"PORT": "abc"}, "usendit-bot: PORT: Input should be a valid integer"),
        ({"DEFAULT_TIMEZONE": "Mars/Base"}, "usendit-bot: DEFAULT_TIMEZONE 'Mars/Base' is not"),
        ({"DEFAULT_REGION": "XX"}, "usendit-bot: DEFAULT_REGION 'XX' is not a country code"),
        ({"USENDIT_TIMEOUT": "-1"}, "usendit-bot: USENDIT_TIMEOUT: Input should be greater"),
        ({"DEFAULT_LANGUAGE": "fr"}, "usendit-bot: DEFAULT_LANGUAGE must be one of en, pt, es"),
    ],
)
def test_a_wrong_setting_is_one_line(
    env: dict[str, str],
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SECRETISH)
    assert main(["console"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(said)
    assert len(err.strip().splitlines()) == 1
    assert "pydantic" not in err
    assert SECRETISH not in err


def test_every_wrong_setting_is_named_and_no_value_is_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORT", SECRETISH)
    monkeypatch.setenv("USENDIT_TIMEOUT", SECRETISH)
    assert main(["console"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert sorted(line.split(":")[1].strip() for line in lines) == ["PORT", "USENDIT_TIMEOUT"]
    assert all(SECRETISH not in line for line in lines)


def test_a_bad_sandbox_account_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "--account", "bad"])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "usendit-bot sandbox: error: argument --account: an account is given as user:pass:credits"
    )
    assert "Traceback" not in "\n".join(err)


def test_a_taken_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["sandbox", "--port", str(port)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"usendit-bot: the sandbox cannot listen on 127.0.0.1:{port}")


def test_a_failure_during_start_stops_what_started(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad SECRET_KEY is found once the store is open: the start stops it and exits 1
    (it used to print the error, then hang on the store's thread)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "garbage")
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert main(["console"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["usendit-bot: SECRET_KEY must be Fernet keys (32 url-safe base64 bytes), "
                   "comma-separated"]  # fmt: skip
    assert threading.active_count() == 1 or all(
        t.daemon for t in threading.enumerate() if t is not threading.main_thread()
    )
