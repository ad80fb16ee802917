"""What the inbox page reads: the phones most recently messaged, and one phone's messages.

Only accepted messages reach a phone, so only they are here. Every read is
by primary key and bounded, so that a page costs the same with a hundred
messages stored as with a million, and holds only itself in memory:

- one phone's messages, newest first, follow its chain (``phones`` gives
  the newest, each message the one before it, see :mod:`.migration`), a page
  at a time from a keyset (the message to start at, never an OFFSET);
- the phones most recently messaged are found by walking the newest
  messages backwards, at most :data:`SCAN` of them a page, keeping each
  phone at its newest message (so a phone is listed once over all pages).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.sandbox.numbers import phone_of
from bot.sandbox.state import MessageRecord

SCAN = 2000
"""The most messages one page of phones walks through."""

Key = tuple[int, int]
"""Where a message is: (event_id, position)."""

_TOP = (2**63 - 1, 0)
_SELECT_PHONE = "SELECT phone, last_event, last_position, messages FROM phones WHERE phone = ?"
_SELECT_NEWEST = (
    "SELECT event_id, position, msisdn FROM messages "
    "WHERE (event_id, position) < (?, ?) AND msg_id > 0 "
    "ORDER BY event_id DESC, position DESC LIMIT ?"
)
_SELECT_CHAIN = """
WITH RECURSIVE chain (event_id, position, n) AS (
    SELECT ?, ?, 1
    UNION ALL
    SELECT m.prev_event, m.prev_position, c.n + 1 FROM chain AS c
    JOIN messages AS m ON m.event_id = c.event_id AND m.position = c.position
    WHERE m.prev_event IS NOT NULL AND c.n < ?
)
SELECT m.event_id, m.position, m.msg_id, m.partner_msg_id, m.msisdn, m.status, m.number_sms,
    m.sender, t.text, g.schedule, g.expiration, g.begin_time, g.end_time,
    coalesce(g.working_days, 0), g.deliver_at, e.created_at, e.username
FROM chain AS c
JOIN messages AS m ON m.event_id = c.event_id AND m.position = c.position
JOIN events AS e ON e.event_id = m.event_id
LEFT JOIN texts AS t ON t.text_id = m.text_id
LEFT JOIN timings AS g ON g.timing_id = m.timing_id
ORDER BY c.n
"""


@dataclass(frozen=True)
class Phone:
    """A phone that received messages: its number, where its newest one is, how many."""

    number: str
    newest: Key
    messages: int


@dataclass(frozen=True)
class Received:
    """A message as its phone got it: the record, where it is, when accepted, by whom."""

    key: Key
    message: MessageRecord
    accepted_at: str
    username: str


class Inbox:
    """Reads the phones' inboxes from the sandbox's database connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def phone(self, number: str) -> Phone | None:
        row = self._db.execute(_SELECT_PHONE, (number,)).fetchone()
        return None if row is None else Phone(row[0], (row[1], row[2]), row[3])

    def messages(self, phone: Phone, start: Key | None, limit: int) -> list[Received]:
        """Up to ``limit`` of the phone's messages from ``start`` (its newest when
        ``None``) back, newest first; a ``start`` that is not the phone's gives none."""
        at = phone.newest if start is None else start
        received = []
        for row in self._db.execute(_SELECT_CHAIN, (*at, limit)):
            message = MessageRecord(*row[2:15])
            if not message.msisdn or phone_of(message.msisdn) != phone.number:
                break
            message.working_days = bool(message.working_days)
            received.append(Received((row[0], row[1]), message, row[15], row[16]))
        return received

    def recent_phones(self, before: Key | None, limit: int) -> tuple[list[Phone], Key | None]:
        """Up to ``limit`` phones whose newest message comes before ``before`` (from the
        top when ``None``), the most recent first, and where the next page starts
        (``None`` when no message is left to walk)."""
        rows = self._db.execute(_SELECT_NEWEST, (*(before or _TOP), SCAN)).fetchall()
        seen: set[str] = set()
        phones: list[Phone] = []
        walked = 0
        for event_id, position, msisdn in rows:
            walked += 1
            number = phone_of(msisdn)
            if number in seen:
                continue
            seen.add(number)
            phone = self.phone(number)
            if phone is not None and phone.newest == (event_id, position):
                phones.append(phone)
                if len(phones) == limit:
                    break
        if walked < len(rows) or len(rows) == SCAN:
            last = rows[walked - 1]
            return phones, (last[0], last[1])
        return phones, None
