"""Drives the desk the way an adapter does, collecting the replies; builds test settings."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from bot.app import BotApp
from bot.chat import Attachment, Command, Identity, Reply
from bot.desk import Desk
from bot.settings import Settings

_ids = itertools.count(1)
KEY = Fernet.generate_key().decode()


def child_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The environment for a ``usendit-bot`` subprocess: this one's, minus any of the
    bot's own settings, plus a database in ``tmp_path`` and ``values``."""
    ours = ("USENDIT_", "TELEGRAM_", "SLACK_", "BOT_", "DEFAULT_", "DATABASE_", "SECRET_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/bot.db"
    env.update(values)
    return env


async def start_bot(tmp_path: Path, *args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """``usendit-bot ARGS`` as a deployment runs it, in ``tmp_path``, output captured."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def bot_settings(endpoint: str, tmp_path: Path, **fields: Any) -> Settings:
    """Settings for a bot on the sandbox at ``endpoint``, its store in ``tmp_path``;
    no ``.env`` is read."""
    base: dict[str, Any] = {
        "usendit_endpoint": endpoint,
        "usendit_username": "demo",
        "usendit_password": "demo",
        "usendit_timeout": 5,
        "database_url": f"sqlite:///{tmp_path}/bot.db",
        "secret_key": KEY,
    }
    return Settings(_env_file=None, **{**base, **fields})  # type: ignore[call-arg]


def desk_settings(endpoint: str, tmp_path: Path, **fields: Any) -> Settings:
    """:func:`bot_settings` with a person of each role on the console: ``console:me`` is
    admin, ``console:sender`` sender, ``console:viewer`` viewer."""
    roles: dict[str, Any] = {
        "bot_admins": ["console:me"],
        "bot_senders": ["console:sender"],
        "bot_viewers": ["console:viewer"],
    }
    return bot_settings(endpoint, tmp_path, **{**roles, **fields})


def in_chat(app: BotApp, user: str = "me", chat: str = "console:me", **kw: Any) -> Person:
    """``user`` (a console identity) typing in ``chat``, the worker's notices coming back."""
    return Person(app.desk, user=Identity("console", user), chat_id=chat, app=app, **kw)


class Notices:
    """The outbox's channel for ``console:`` chats in tests: what each chat was shown.

    ``shown[chat]`` holds every notice as it was posted or edited; ``refs[chat]``
    the message each one was shown as (an edit keeps its message's ref).
    """

    prefix = "console:"

    def __init__(self) -> None:
        self.shown: dict[str, list[Reply]] = {}
        self.refs: dict[str, list[str]] = {}
        self._refs = itertools.count(1)

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        ref = ref or f"m{next(self._refs)}"
        self.shown.setdefault(chat, []).append(reply)
        self.refs.setdefault(chat, []).append(ref)
        return ref

    def take(self, chat: str) -> list[Reply]:
        return self.shown.pop(chat, [])

    def messages(self, chat: str) -> list[str]:
        """The refs of the messages ``chat`` was shown, one per post or edit, so far."""
        return list(self.refs.get(chat, []))


_channels: weakref.WeakKeyDictionary[BotApp, Notices] = weakref.WeakKeyDictionary()
"""Keyed by the app itself, never by ``id(app)``: a later test's app may be given the id
of an earlier one that is gone, and would then find that app's channel, not its own."""


async def notices_of(app: BotApp) -> Notices:
    """The capturing channel of ``app`` (added the first time)."""
    if app not in _channels:
        _channels[app] = Notices()
        await app.add_channel(_channels[app])
    return _channels[app]


async def settled(app: BotApp, chat: str | None = None, within: float = 30.0) -> None:
    """Wait until the worker has no work left for ``chat`` (or any) and its notices are shown."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while await app.store.pending_jobs(chat=chat) or await app.store.pending_notices(
        chat_prefix=chat or ""
    ):
        if loop.time() > deadline:
            raise TimeoutError(f"{chat}: work or notices still pending after {within} s")
        await asyncio.sleep(0.02)


@dataclass
class Person:
    """One user in one chat, typing lines and pressing buttons."""

    desk: Desk
    user: Identity = field(default_factory=lambda: Identity("console", "me"))
    chat_id: str = "console:me"
    private: bool = True
    locale: str | None = None
    prefix: str = "/"
    last: list[Reply] = field(default_factory=list)
    app: BotApp | None = None
    """With the app, what the worker then shows in this chat (the outbox) comes back too."""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    """Each reply's file (its name and bytes), read while the reply is delivered: the
    core deletes its copy once the sink has returned."""

    async def send(
        self, line: str = "", *, files: tuple[Attachment, ...] = (), update_id: str | None = None
    ) -> list[Reply]:
        name: str | None = None
        args = line
        if line.startswith("/"):
            name, _, args = line[1:].partition(" ")
        return await self._handle(name=name, args=args.strip(), attachments=files, update=update_id)

    async def press(self, label_or_action: str, update_id: str | None = None) -> list[Reply]:
        """Press a button of the last replies, by label (or give the action itself)."""
        action = label_or_action
        for reply in reversed(self.last):
            for row in reply.buttons:
                for button in row:
                    if button.label == label_or_action:
                        action = button.action
        return await self._handle(action=action, update=update_id)

    async def _handle(self, *, update: str | None, **fields: object) -> list[Reply]:
        replies: list[Reply] = []

        async def sink(reply: Reply) -> None:
            replies.append(reply)
            if reply.file is not None:
                self.files.append((reply.file.name, reply.file.path.read_bytes()))

        command = Command(
            update_id=update or f"test:{next(_ids)}",
            user=self.user,
            chat_id=self.chat_id,
            private=self.private,
            locale=self.locale,
            prefix=self.prefix,
            **fields,  # type: ignore[arg-type]
        )
        if self.app is not None:
            notices = await notices_of(self.app)
        await self.desk.handle(command, sink)
        if self.app is not None:
            await settled(self.app, self.chat_id)
            replies += notices.take(self.chat_id)
        self.last = replies
        return replies


def text(replies: list[Reply]) -> str:
    return "\n".join(reply.text for reply in replies)


def labels(replies: list[Reply]) -> list[str]:
    return [button.label for reply in replies for row in reply.buttons for button in row]
