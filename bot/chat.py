"""The neutral chat vocabulary between the core and the adapters.

An adapter turns a platform event into a :class:`Command` and renders the
:class:`Reply` objects the core gives back, in its own idiom (inline
keyboards, Block Kit, numbered choices). Nothing here knows any platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Identity:
    """Who acts: ``platform`` plus the platform's stable user id (and Slack's team)."""

    platform: str
    user_id: str
    team: str | None = None
    name: str | None = None

    @property
    def key(self) -> str:
        """``telegram:<id>``, ``slack:<team>/<user>`` or ``console:<user>``, as in role settings."""
        if self.team:
            return f"{self.platform}:{self.team}/{self.user_id}"
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class Attachment:
    """A file the user sent along (a recipients list)."""

    name: str
    content: bytes
    mime: str | None = None


@dataclass(frozen=True)
class Command:
    """One chat event, platform-neutral.

    ``name`` is the command without its slash (``"balance"``), or ``None`` for
    plain text (an answer to a wizard's question). ``action`` is a pressed
    button's payload. ``update_id`` is unique per platform event and is
    claimed once, so a redelivered event has no second effect.
    """

    update_id: str
    user: Identity
    chat_id: str
    private: bool = True
    name: str | None = None
    args: str = ""
    action: str | None = None
    attachments: tuple[Attachment, ...] = ()
    form: Mapping[str, str] | None = None
    """A whole form submitted at once (Slack's modal), by field name."""
    locale: str | None = None
    prefix: str = "/"
    """How this platform spells a command in replies: ``/`` (``/help``) or ``/sms `` (Slack)."""
    deletes: bool = True
    """Whether the platform can delete the person's message (a chat can; a terminal
    cannot, and instead reads a password without showing it)."""

    @property
    def conversation(self) -> str:
        """Where a wizard lives: one per user per chat."""
        return f"{self.chat_id}|{self.user.key}"


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # at most 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class ReplyFile:
    """A file handed over with a reply (a campaign's results as CSV).

    The core writes it to disk before the reply, row by row, so a campaign of
    100k recipients is never held whole in memory, and deletes it once the sink
    has returned: an adapter reads it from ``path`` while it delivers the reply
    (Telegram's sendDocument, Slack's external upload, a copy on the console).
    """

    path: Path
    name: str
    """The name the person sees and saves it under (``campaign-12.csv``)."""
    media_type: str = "text/csv"


@dataclass(frozen=True)
class Reply:
    """Something to show.

    (A campaign's progress is not a reply: the worker keeps it up to date in
    the outbox, :mod:`bot.notices`.) ``delete_command`` asks the adapter to delete
    the user's message that triggered it (it held a password); an adapter that
    cannot must say so to the user. ``secret`` marks a reply that must only
    be shown to the user who asked (Slack's ephemeral messages); a secret reply's
    ``file`` goes to that person alone too (their private chat with the bot).
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    delete_command: bool = False
    secret: bool = False
    file: ReplyFile | None = None


ReplySink = Callable[[Reply], Awaitable[None]]
"""Where the core sends the replies to one command, as they happen."""
