"""The console chat: stdin lines in, replies out.

Usage:
    usendit-bot console        (also plain ``usendit-bot`` with no chat platform configured)

``/command args`` runs a command; other lines answer the current question;
buttons show as numbered choices (type the number or the label); ``@path``
attaches a file (a recipients CSV); an edited reply is printed again, marked
``↻``. A campaign's progress arrives as the worker sends it, between lines;
at the end of input the console waits (a while) for its campaigns to finish.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import shlex
import shutil
import sys
import termios
import threading
import uuid
from pathlib import Path
from typing import Any, TextIO

from bot.app import BotApp
from bot.chat import Attachment, Button, Command, Identity, Reply, ReplyFile
from bot.desk import Desk
from bot.turn import read_id

log = logging.getLogger(__name__)

FINISH_WAIT = 60.0
"""Seconds the console waits at the end of input for its campaigns and their notices."""


class ConsoleChat:
    """One person at a terminal (or a pipe), talking to the desk."""

    def __init__(
        self,
        desk: Desk,
        *,
        stdin: TextIO,
        stdout: TextIO,
        user: str = "me",
        exports: Path | None = None,
    ) -> None:
        self.desk = desk
        self.exports = exports if exports is not None else Path.cwd() / "exports"
        """Where a reply's file is written (a campaign's results), its path printed."""
        self.stdin = stdin
        self.stdout = stdout
        self.user = Identity("console", user)
        self.chat_id = f"console:{user}"
        self._session = uuid.uuid4().hex[:8]
        self._count = 0
        self._buttons: list[Button] = []
        self._shown = 0

    # --- the outbox's console channel ---------------------------------------------

    prefix = "console:"

    async def open(self) -> None:
        """The terminal is always there."""

    async def close(self) -> None:
        """Nothing to release."""

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        """A notice: printed when it arrives (an edit again, marked ↻)."""
        if chat != self.chat_id:
            return ref  # another console's chat: this terminal shows only its own
        await self.render(reply, edited=ref is not None)
        if ref is None:
            self._shown += 1
            ref = f"{self._session}:{self._shown}"
        return ref

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def render(self, reply: Reply, *, edited: bool = False) -> None:
        prefix = "↻ " if edited else ""
        self._print(prefix + reply.text)
        if reply.buttons:
            self._buttons = [button for row in reply.buttons for button in row]
            choices = "   ".join(f"[{n}] {b.label}" for n, b in enumerate(self._buttons, 1))
            self._print("  " + choices)
        if reply.file is not None:
            try:
                written = await asyncio.to_thread(_keep, reply.file, self.exports)
            except OSError as exc:
                self._print(f"  ⤓ {self.exports / reply.file.name}: {exc.strerror or exc}")
            else:
                self._print(f"  ⤓ {written}")

    def command_for(self, line: str) -> Command | None:
        """The Command a typed line stands for (None for a blank line)."""
        line = line.strip()
        if not line:
            return None
        pressed = self._pressed(line)
        if pressed is not None:
            return self._new(action=pressed.action)
        words, attachments, unread = self._attachments(line)
        if unread:
            return None  # the file named could not be attached: said so, nothing is asked
        text = " ".join(words) if attachments else line
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return self._new(name=name.split("@")[0], args=args.strip(), attachments=attachments)
        return self._new(args=text, attachments=attachments)

    def _new(self, **fields: Any) -> Command:
        self._count += 1
        update = f"console:{self._session}:{self._count}"
        return Command(
            update_id=update, user=self.user, chat_id=self.chat_id, deletes=False, **fields
        )

    def _pressed(self, line: str) -> Button | None:
        number = read_id(line)
        if number is not None and 1 <= number <= len(self._buttons):
            return self._buttons[number - 1]
        return next((b for b in self._buttons if b.label.lower() == line.lower()), None)

    def _attachments(self, line: str) -> tuple[list[str], tuple[Attachment, ...], bool]:
        """The line's words, the ``@path`` files attached, and whether one could not be."""
        try:
            words = shlex.split(line)
        except ValueError:
            return line.split(), (), False
        files: list[Attachment] = []
        rest: list[str] = []
        unread = False
        for word in words:
            if word.startswith("@") and len(word) > 1:
                path = Path(word[1:]).expanduser()
                try:
                    if path.stat().st_size > self.desk.config.max_file_bytes:
                        self._print(f"(file too large to attach: {path})")
                        unread = True
                        continue
                    files.append(Attachment(path.name, path.read_bytes()))
                except OSError as exc:
                    self._print(f"(cannot read {path}: {exc.strerror})")
                    unread = True
                except ValueError:  # a NUL in the path: no file can have that name
                    self._print(f"(cannot read {word[1:]!r}: not a file name)")
                    unread = True
            else:
                rest.append(word)
        return rest, tuple(files), unread

    async def run(self, banner: str) -> None:
        self._print(banner)
        terminal = _Terminal() if self.stdin.isatty() and self.stdout.isatty() else None
        lines = _lines_of(self.stdin) if terminal is None else None
        while True:
            if terminal is not None:
                wizard = await self.desk.open_wizard(f"{self.chat_id}|{self.user.key}")
                line = await terminal.read(hidden=wizard is not None and wizard[1] == "password")
            else:
                assert lines is not None
                line = await lines.get()
            if not line:
                return
            try:
                command = self.command_for(line)
                if command is None:
                    continue
                if command.name == "quit" or command.name == "exit":
                    return
                self._buttons = []
                await self.desk.handle(command, self.render)
            except Exception:
                # The last boundary of a terminal session: a line never ends it.
                log.exception("the console could not take a line")
                self._print("(that line could not be taken; the bot goes on)")

    async def finish(self, app: BotApp, wait: float = FINISH_WAIT) -> None:
        """At the end of input: wait for this chat's campaigns and their last notices."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        store = app.store
        while loop.time() < deadline:
            if not await store.pending_jobs(chat=self.chat_id) and not (
                await store.pending_notices(chat_prefix=self.chat_id)
            ):
                return
            await asyncio.sleep(0.1)
        self._print("(a campaign is still being sent; it goes on at the next start — see /status)")


def _keep(file: ReplyFile, folder: Path) -> Path:
    """A copy of the core's file in ``folder``, never over an earlier one."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(file.name).stem, Path(file.name).suffix
    for n in itertools.count(1):
        target = folder / (file.name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with target.open("xb") as out, file.path.open("rb") as source:
                shutil.copyfileobj(source, out)
        except FileExistsError:
            continue
        return target.resolve()
    raise AssertionError("unreachable")


class _Terminal:
    """A person at a terminal: a prompt, line editing (readline), and a password read
    without being shown. Lines are read on a daemon thread, one when asked for, so
    SIGTERM never waits for a line."""

    PROMPT = "> "

    def __init__(self) -> None:
        import readline  # noqa: F401 - input() gains line editing and history

        self._asks: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self._lines: asyncio.Queue[str] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._serve, name="console-terminal", daemon=True).start()

    async def read(self, *, hidden: bool) -> str:
        """The next line ("" at the end of input), hidden as it is typed when asked."""
        self._asks.put(hidden)
        return await self._lines.get()

    def _serve(self) -> None:
        while True:
            hidden = self._asks.get()
            try:
                line = (_unseen(self.PROMPT) if hidden else input(self.PROMPT)) + "\n"
            except (EOFError, OSError, ValueError, KeyboardInterrupt):
                line = ""
            try:
                self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            except RuntimeError:
                return  # the loop is closed: nobody is listening any more
            if not line:
                return


def _unseen(prompt: str) -> str:
    """A line typed on this terminal (stdin), its echo off meanwhile. Not getpass, which
    reads the process's controlling terminal, not necessarily the one stdin is."""
    fd = sys.stdin.fileno()
    before = termios.tcgetattr(fd)
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSADRAIN, quiet)  # before the prompt invites typing
    try:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = sys.stdin.readline()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, before)
        sys.stdout.write("\n")
    if not line:
        raise EOFError
    return line.rstrip("\n")


def _lines_of(stream: TextIO) -> asyncio.Queue[str]:
    """The stream's lines, read by a daemon thread ("" at the end).

    Not ``asyncio.to_thread``: a thread of the default executor blocked in
    ``readline`` would hold up the interpreter's exit after SIGTERM until the
    next line arrives; a daemon thread does not.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            try:
                line = stream.readline()
            except (OSError, ValueError):
                line = ""
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            except RuntimeError:
                return  # the loop is closed: nobody is listening any more
            if not line:
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return queue


async def run_console(app: BotApp) -> None:
    """The console chat on stdin/stdout until end of input."""
    if app.sandbox is not None:
        banner = (
            "usendit-bot console — on the local uSendit sandbox (account demo, no real SMS "
            f"or money). What the phones received: {app.sandbox.inbox_url} "
            f"(as JSON: {app.sandbox.url}/_sandbox/state). "
            "Type /help; /quit or Ctrl-D leaves."
        )
    else:
        banner = "usendit-bot console — connected to uSendit. Type /help; /quit or Ctrl-D leaves."
    chat = ConsoleChat(app.desk, stdin=sys.stdin, stdout=sys.stdout)
    await app.add_channel(chat)
    await chat.run(banner)
    await chat.finish(app)
