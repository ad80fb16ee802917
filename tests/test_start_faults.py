"""A database that cannot be used stops the start with one clear line, never a traceback."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main


def _random(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 20)


def _garbage_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"garbage" * 100)


def _truncated(path: Path) -> None:
    whole = path.with_suffix(".whole")
    with sqlite3.connect(whole) as db:
        db.execute("CREATE TABLE t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 100,)] * 2000)
    db.close()
    path.write_bytes(whole.read_bytes()[:20_000])


CASES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "random bytes": ("bot.db", _random, "cannot be used as the bot's database"),
    "a garbage header": ("bot.db", _garbage_header, "cannot be used as the bot's database"),
    "a truncated file": ("bot.db", _truncated, "cannot be used as the bot's database"),
    "a folder that is a file": ("afile/bot.db", lambda p: None, "is a file, not a folder"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_database_is_one_line(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, spoil, said = CASES[case]
    monkeypatch.chdir(tmp_path)
    if case == "a folder that is a file":
        (tmp_path / "afile").write_text("not a folder")
    else:
        spoil(tmp_path / name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / name}")
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert main(["console"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("usendit-bot: ")
    assert said in err[0]
