"""Drives the desk the way an adapter does, collecting the replies; builds test settings."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

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

        command = Command(
            update_id=update or f"test:{next(_ids)}",
            user=self.user,
            chat_id=self.chat_id,
            private=self.private,
            locale=self.locale,
            prefix=self.prefix,
            **fields,  # type: ignore[arg-type]
        )
        await self.desk.handle(command, sink)
        self.last = replies
        return replies


def text(replies: list[Reply]) -> str:
    return "\n".join(reply.text for reply in replies)


def labels(replies: list[Reply]) -> list[str]:
    return [button.label for reply in replies for row in reply.buttons for button in row]
