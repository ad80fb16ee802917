"""Who may do what: viewer (balance, count, status; lists and reads a chat's templates and
saved lists, and the opt-out list's count), sender (send; saves and deletes templates and
lists, adds to and removes from the opt-out list), admin (the rest)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from fnmatch import fnmatchcase


class Role(IntEnum):
    NONE = 0
    VIEWER = 1
    SENDER = 2
    ADMIN = 3


class RolePolicy:
    """Roles from ``BOT_ADMINS``, ``BOT_SENDERS``, ``BOT_VIEWERS``.

    Entries are identities (``telegram:12345``, ``slack:T0/U0``), patterns
    (``console:*``, ``slack:T0/*``) or ``*``. With no entry naming a console
    user, the console user is admin (it is the person at the machine).
    """

    def __init__(
        self, admins: Iterable[str] = (), senders: Iterable[str] = (), viewers: Iterable[str] = ()
    ) -> None:
        self._entries = [
            (Role.ADMIN, list(admins)),
            (Role.SENDER, list(senders)),
            (Role.VIEWER, list(viewers)),
        ]
        self._console_default = not any(
            entry.startswith("console:") for _, entries in self._entries for entry in entries
        )

    def role_of(self, identity: str) -> Role:
        for role, entries in self._entries:
            if any(fnmatchcase(identity, entry) for entry in entries):
                return role
        if self._console_default and identity.startswith("console:"):
            return Role.ADMIN
        return Role.NONE
