"""The console on a real terminal (a pty): a prompt, and a password never shown."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chat_driver import child_env

pytestmark = pytest.mark.slow
PASSWORD = "s3cr3t-pw-71"


def read_until(
    fd: int, wanted: str, seen: list[str], *, since: int = 0, within: float = 30.0
) -> None:
    """Read the terminal until ``wanted`` shows after the first ``since`` characters."""
    deadline = time.monotonic() + within
    while wanted not in "".join(seen)[since:]:
        left = deadline - time.monotonic()
        assert left > 0, f"no {wanted!r} in {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen.append(os.read(fd, 4096).decode(errors="replace"))
            except OSError:  # the child closed the terminal
                break


def test_a_password_is_read_without_being_shown(tmp_path: Path) -> None:
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=tmp_path,
        env=child_env(tmp_path),
        close_fds=True,
    )
    os.close(child)
    seen: list[str] = []
    try:
        read_until(main, "> ", seen)  # the prompt
        os.write(main, b"/login demo\n")
        read_until(main, "not shown as you type", seen)
        assert "delete your message" not in "".join(seen)  # no promise a terminal can't keep
        asked = "".join(seen).index("not shown as you type")
        read_until(main, "> ", seen, since=asked)  # the prompt: the person types after it
        os.write(main, PASSWORD.encode() + b"\n")
        read_until(main, "Nothing was saved", seen)
        os.write(main, b"/quit\n")
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    assert PASSWORD not in "".join(seen)
    assert process.returncode == 0
