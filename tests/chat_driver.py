"""Drives the desk the way an adapter does, collecting the replies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.chat import Attachment, Command, Identity, Reply
from bot.desk import Desk

_ids = itertools.count(1)


@dataclass
class Person:
    """One user in one chat, typing lines and pressing buttons."""

    desk: Desk
    user: Identity = field(default_factory=lambda: Identity("console", "me"))
    chat_id: str = "console:me"
    private: bool = True
    locale: str | None = None
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
            **fields,  # type: ignore[arg-type]
        )
        await self.desk.handle(command, sink)
        self.last = replies
        return replies


def text(replies: list[Reply]) -> str:
    return "\n".join(reply.text for reply in replies)


def labels(replies: list[Reply]) -> list[str]:
    return [button.label for reply in replies for row in reply.buttons for button in row]
