"""The sandbox's state file: SQLite (stdlib ``sqlite3``), one transaction per call.

Why SQLite rather than an append-only journal: the sandbox must answer
GetPartnerEvents and GetSchedule for any event of a million-message
campaign. A journal keeps a write constant only by keeping an index of every
event in memory (or rescanning the file), and needs compaction written and
tested besides; SQLite gives the append, the indexes on disk, atomic commits
and a bounded page cache. So:

- each SOAP call (and each payment page) is one transaction, committed when
  the call is done; WAL with ``synchronous=NORMAL``: a commit survives the
  process being killed (what tests do to the bot and its embedded sandbox),
  not necessarily the machine losing power, which a test double's state
  does not need to survive;
- events and messages are written once, when recorded, and read back by
  index (``events_by_partner``, the primary keys): a call costs the same
  after a million messages as after ten, and none of them is held in memory;
- the small part of the world (accounts, outbox, payments, promotional
  redemptions, calls, next ids) stays in memory as plain objects: at each
  commit only its rows that differ from what was last written are written.
  The rows are compared, not flagged, so a test that changes an account
  directly has it saved with the next call, as before;
- a message text is stored once per distinct text (``texts``): a campaign
  sends the same text to every recipient;
- the inbox page (:mod:`.inbox`) reads by primary key too: each accepted
  message points at its phone's message before it, and ``phones`` keeps
  each phone's newest one, read and upserted once per phone of a call
  (see :mod:`.migration` for why a chain and not an index);
- without a state file the database is SQLite's private temporary file,
  deleted when the sandbox stops (memory stays bounded all the same).

The schema and its versions are in :mod:`bot.sandbox.migration`, which also
migrates a state file from before (the JSON the sandbox used to rewrite whole
after every call) before the sandbox opens it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.sandbox.delivery import Clock
from bot.sandbox.migration import SCHEMA_VERSION, build_schema, upgrade_schema
from bot.sandbox.numbers import international
from bot.sandbox.state import (
    FIRST_MSG_ID,
    Account,
    Event,
    MessageRecord,
    OutboxSms,
    Payment,
    SandboxState,
)

__all__ = ["SCHEMA_VERSION", "EventLog", "SandboxStateError", "StateDatabase"]

_EVENT_COLUMNS = (
    "event_id, partner_event_id, username, status, recipients, accepted, rejected, "
    "total_sms, credits_spent, created_at"
)
_EVENT_FIELDS = tuple(_EVENT_COLUMNS.split(", "))
_INSERT_EVENT = (
    "INSERT INTO events (event_id, partner_event_id, username, status, recipients, accepted, "
    "rejected, total_sms, credits_spent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_MESSAGE = (
    "INSERT INTO messages (event_id, position, msg_id, partner_msg_id, msisdn, status, "
    "number_sms, sender, text_id, timing_id, prev_event, prev_position) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TIMING = (
    "INSERT OR IGNORE INTO timings (key, schedule, expiration, begin_time, end_time, "
    "working_days, deliver_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SELECT_LAST = "SELECT phone, last_event, last_position FROM phones WHERE phone IN ({})"
_INSERT_PHONE = (
    "INSERT INTO phones (phone, last_event, last_position, messages) VALUES (?, ?, ?, ?)"
)
_UPDATE_PHONE = (
    "UPDATE phones SET last_event = ?, last_position = ?, messages = messages + ? WHERE phone = ?"
)
_NO_MESSAGE: tuple[int | None, int | None] = (None, None)
_PHONES_BATCH = 500
_SELECT_EVENTS = (
    "SELECT event_id, partner_event_id, username, status, recipients, accepted, rejected, "
    "total_sms, credits_spent, created_at FROM events "
    "WHERE event_id > ? AND event_id < ? ORDER BY event_id LIMIT ?"
)
_SELECT_EVENT = (
    "SELECT event_id, partner_event_id, username, status, recipients, accepted, rejected, "
    "total_sms, credits_spent, created_at FROM events WHERE event_id = ? AND username = ?"
)
_SELECT_MESSAGES = (
    "SELECT m.position, m.msg_id, m.partner_msg_id, m.msisdn, m.status, m.number_sms, "
    "m.sender, t.text, g.schedule, g.expiration, g.begin_time, g.end_time, "
    "coalesce(g.working_days, 0), g.deliver_at FROM messages m "
    "LEFT JOIN texts t ON t.text_id = m.text_id "
    "LEFT JOIN timings g ON g.timing_id = m.timing_id "
    "WHERE m.event_id = ? AND m.position > ? ORDER BY m.position LIMIT ?"
)
_SELECT_BY_PARTNER = (
    "SELECT partner_event_id, event_id FROM events "
    "WHERE username = ? AND partner_event_id = ? ORDER BY event_id"
)
_SELECT_BY_NO_PARTNER = (
    "SELECT partner_event_id, event_id FROM events "
    "WHERE username = ? AND (partner_event_id IS NULL OR partner_event_id = '') "
    "ORDER BY event_id"
)

# The small world, table by table: how a state's objects become rows (the
# first value is the key), the upsert that writes a row (keeping its rowid, so
# that the world reads back in the order it was made), the delete by key.
_ACCOUNT_FIELDS = tuple(f.name for f in fields(Account))
_OUTBOX_FIELDS = tuple(f.name for f in fields(OutboxSms))
_PAYMENT_FIELDS = tuple(f.name for f in fields(Payment))
_UPSERT = {
    "accounts": (
        "INSERT INTO accounts (username, password, account_name, email, msisdn, credits, "
        "confirmed, confirmation_code, resends, verification_key, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
        "password = excluded.password, account_name = excluded.account_name, "
        "email = excluded.email, msisdn = excluded.msisdn, credits = excluded.credits, "
        "confirmed = excluded.confirmed, confirmation_code = excluded.confirmation_code, "
        "resends = excluded.resends, verification_key = excluded.verification_key, "
        "created_at = excluded.created_at"
    ),
    "outbox": (
        "INSERT INTO outbox (position, username, msisdn, text, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (position) DO UPDATE SET "
        "username = excluded.username, msisdn = excluded.msisdn, text = excluded.text, "
        "created_at = excluded.created_at"
    ),
    "payments": (
        "INSERT INTO payments (token, username, pack_id, credits, amount, entity, reference, "
        "promo_code, paid_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (token) DO UPDATE SET username = excluded.username, "
        "pack_id = excluded.pack_id, credits = excluded.credits, amount = excluded.amount, "
        "entity = excluded.entity, reference = excluded.reference, "
        "promo_code = excluded.promo_code, paid_at = excluded.paid_at, "
        "created_at = excluded.created_at"
    ),
    "promo_redemptions": (
        "INSERT INTO promo_redemptions (code, redemptions) VALUES (?, ?) "
        "ON CONFLICT (code) DO UPDATE SET redemptions = excluded.redemptions"
    ),
    "calls": (
        "INSERT INTO calls (operation, calls) VALUES (?, ?) "
        "ON CONFLICT (operation) DO UPDATE SET calls = excluded.calls"
    ),
    "counters": (
        "INSERT INTO counters (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
    ),
}
_DELETE = {
    "accounts": "DELETE FROM accounts WHERE username = ?",
    "outbox": "DELETE FROM outbox WHERE position = ?",
    "payments": "DELETE FROM payments WHERE token = ?",
    "promo_redemptions": "DELETE FROM promo_redemptions WHERE code = ?",
    "calls": "DELETE FROM calls WHERE operation = ?",
    "counters": "DELETE FROM counters WHERE name = ?",
}
_CLEAR = (
    "DELETE FROM accounts",
    "DELETE FROM outbox",
    "DELETE FROM payments",
    "DELETE FROM promo_redemptions",
    "DELETE FROM calls",
    "DELETE FROM counters",
    "DELETE FROM messages",
    "DELETE FROM phones",
    "DELETE FROM texts",
    "DELETE FROM timings",
    "DELETE FROM events",
)
_EVENTS_BATCH = 200
_MESSAGES_BATCH = 1000
_ANY_ID = 2**63 - 1

Row = tuple[Any, ...]


def _world_rows(state: SandboxState) -> dict[str, dict[Any, Row]]:
    """The small world as rows, by table, by key."""
    return {
        "accounts": {
            a.username: tuple(getattr(a, name) for name in _ACCOUNT_FIELDS)
            for a in state.accounts.values()
        },
        "outbox": {
            n: (n, *(getattr(sms, name) for name in _OUTBOX_FIELDS))
            for n, sms in enumerate(state.outbox)
        },
        "payments": {
            p.token: tuple(getattr(p, name) for name in _PAYMENT_FIELDS)
            for p in state.payments.values()
        },
        "promo_redemptions": {code: (code, n) for code, n in state.promo_redemptions.items()},
        "calls": {operation: (operation, n) for operation, n in state.calls.items()},
        "counters": {
            "next_event_id": ("next_event_id", state.next_event_id),
            "next_msg_id": ("next_msg_id", state.next_msg_id),
            "clock_offset_us": ("clock_offset_us", state.clock.offset_microseconds),
        },
    }


class EventLog:
    """The recorded events, oldest first, read from and written to the database."""

    def __init__(self, database: StateDatabase) -> None:
        self._database = database

    @property
    def _db(self) -> sqlite3.Connection:
        return self._database.connection

    def append(self, event: Event) -> None:
        """Record ``event`` and its messages (committed with the call)."""
        self._database.begin()
        db = self._db
        db.execute(_INSERT_EVENT, tuple(getattr(event, name) for name in _EVENT_FIELDS))
        event_id, messages = event.event_id, event.messages
        text_ids = {text: self._text_id(text) for text in {m.text for m in messages} if text}
        timings = [_timing(m) for m in messages]
        timing_ids = {t: self._timing_id(t) for t in set(timings) if t}
        # Accepted numbers are valid ones: their phone is read without retyping them.
        phones = [international(m.msisdn) if m.msg_id and m.msisdn else None for m in messages]
        last = self._last_messages({phone for phone in phones if phone})
        known = set(last)
        counts: dict[str, int] = {}
        rows = []
        for position, (m, phone, timing) in enumerate(zip(messages, phones, timings, strict=True)):
            previous = _NO_MESSAGE
            if phone is not None:
                previous = last.get(phone, _NO_MESSAGE)
                last[phone] = (event_id, position)
                counts[phone] = counts.get(phone, 0) + 1
            rows.append(
                (
                    event_id,
                    position,
                    m.msg_id,
                    m.partner_msg_id,
                    m.msisdn,
                    m.status,
                    m.number_sms,
                    m.sender,
                    text_ids[m.text] if m.text else None,
                    timing_ids[timing] if timing else None,
                    *previous,
                )
            )
        db.executemany(_INSERT_MESSAGE, rows)
        db.executemany(_UPDATE_PHONE, [(*last[p], n, p) for p, n in counts.items() if p in known])
        db.executemany(
            _INSERT_PHONE, [(p, *last[p], n) for p, n in counts.items() if p not in known]
        )

    def _last_messages(self, phones: set[str]) -> dict[str, tuple[int | None, int | None]]:
        """Each phone's newest message so far, as (event_id, position), for those it has."""
        ordered = sorted(phones)
        found: dict[str, tuple[int | None, int | None]] = {}
        for start in range(0, len(ordered), _PHONES_BATCH):
            part = ordered[start : start + _PHONES_BATCH]
            query = _SELECT_LAST.format(", ".join("?" * len(part)))
            for phone, event_id, position in self._db.execute(query, part):
                found[phone] = (event_id, position)
        return found

    def _timing_id(self, timing: tuple[Any, ...]) -> int:
        key = json.dumps(timing)
        self._db.execute(_INSERT_TIMING, (key, *timing))
        row = self._db.execute("SELECT timing_id FROM timings WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    def _text_id(self, text: str) -> int:
        self._db.execute("INSERT OR IGNORE INTO texts (text) VALUES (?)", (text,))
        row = self._db.execute("SELECT text_id FROM texts WHERE text = ?", (text,)).fetchone()
        return int(row[0])

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def __iter__(self) -> Iterator[Event]:
        for row in self._event_rows(0, _ANY_ID):
            yield _event(row, self.messages(row[0]))

    def find(self, username: str, event_id: int) -> Event | None:
        """``username``'s event ``event_id``, with its messages."""
        row = self._db.execute(_SELECT_EVENT, (event_id, username)).fetchone()
        return None if row is None else _event(row, self.messages(event_id))

    def by_partner(self, username: str, partner_event_id: str) -> list[tuple[str | None, int]]:
        """(partnerEventId, EventId) of ``username``'s events for ``partner_event_id``,
        oldest first; an event recorded without one matches ``""``."""
        if partner_event_id:
            rows = self._db.execute(_SELECT_BY_PARTNER, (username, partner_event_id))
        else:
            rows = self._db.execute(_SELECT_BY_NO_PARTNER, (username,))
        return [(partner, int(event_id)) for partner, event_id in rows]

    def messages(self, event_id: int) -> list[MessageRecord]:
        """The messages of an event, in their order."""
        return [_message(row) for row in self._message_rows(event_id, -1, -1)]

    def _message_rows(self, event_id: int, after: int, limit: int) -> list[Row]:
        """Rows of ``position, *MessageRecord`` from position ``after + 1``."""
        return self._db.execute(_SELECT_MESSAGES, (event_id, after, limit)).fetchall()

    def _event_rows(self, after: int, below: int) -> Iterator[Row]:
        """Event rows with ids in (after, below), read a batch at a time."""
        while True:
            rows = self._db.execute(_SELECT_EVENTS, (after, below, _EVENTS_BATCH)).fetchall()
            yield from rows
            if len(rows) < _EVENTS_BATCH:
                return
            after = rows[-1][0]

    def public_json(self, below: int, now: datetime | None = None) -> Iterator[str]:
        """The JSON array of the public view's events with ids under ``below``, in pieces
        (each message's delivery read at ``now``).

        Each piece is read with queries of its own, so that a caller may wait
        between pieces (writing them out) while calls go on: the events recorded
        meanwhile have ids from ``below`` up and are left out, so the pieces
        make the view of one moment. Messages come last in each event.
        """
        at = now or datetime.now(UTC)
        yield "["
        for n, row in enumerate(self._event_rows(0, below)):
            head = json.dumps(dict(zip(_EVENT_FIELDS, row, strict=True)), ensure_ascii=False)
            yield ("" if n == 0 else ", ") + head[:-1] + ', "messages": ['
            after = -1
            while True:
                rows = self._message_rows(row[0], after, _MESSAGES_BATCH)
                if rows:
                    yield ("" if after < 0 else ", ") + ", ".join(
                        json.dumps(_message(r).public(at), ensure_ascii=False) for r in rows
                    )
                    after = rows[-1][0]
                if len(rows) < _MESSAGES_BATCH:
                    break
            yield "]}"
        yield "]"


def _timing(message: MessageRecord) -> tuple[Any, ...] | None:
    """The message's schedule, expiration, window and delivery, or ``None`` without any."""
    m = message
    timing = (m.schedule, m.expiration, m.begin_time, m.end_time, m.working_days, m.deliver_at)
    return timing if any(timing) else None


def _message(row: Row) -> MessageRecord:
    """A message from a row of ``position, *MessageRecord``."""
    message = MessageRecord(*row[1:])
    message.working_days = bool(message.working_days)
    return message


def _event(row: Row, messages: list[MessageRecord]) -> Event:
    return Event(**dict(zip(_EVENT_FIELDS, row, strict=True)), messages=messages)


class SandboxStateError(Exception):
    """The state file cannot be opened or read (a folder that is a file, not SQLite...)."""


class StateDatabase:
    """The database behind one sandbox: the events' log and the small world's rows.

    ``path`` is the state file (created when missing); ``None`` keeps the
    state in a temporary file for as long as the sandbox runs.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            if isinstance(exc, FileExistsError | NotADirectoryError):
                reason = f"{exc.filename} is a file, not a folder"
            elif isinstance(exc, OSError):
                reason = exc.strerror or str(exc)
            else:
                reason = str(exc)
            raise SandboxStateError(
                f"the sandbox cannot keep its state in {path}: {reason}"
            ) from exc
        self.events = EventLog(self)
        self._written: dict[str, dict[Any, Row]] = {table: {} for table in _UPSERT}
        self._closed = False

    def begin(self) -> None:
        """Open the call's transaction, unless it is open already."""
        if not self.connection.in_transaction:
            self.connection.execute("BEGIN IMMEDIATE")

    def load(self) -> SandboxState | None:
        """The state saved in the database, or ``None`` when there is none yet."""
        db = self.connection
        counters = dict(db.execute("SELECT name, value FROM counters").fetchall())
        if "next_event_id" not in counters:
            return None
        accounts: dict[str, Account] = {}
        for row in db.execute(
            "SELECT username, password, account_name, email, msisdn, credits, confirmed, "
            "confirmation_code, resends, verification_key, created_at FROM accounts ORDER BY rowid"
        ):
            account = Account(*row)
            account.confirmed = bool(account.confirmed)
            accounts[account.username] = account
        outbox = db.execute(
            "SELECT username, msisdn, text, created_at FROM outbox ORDER BY position"
        )
        payments = db.execute(
            "SELECT token, username, pack_id, credits, amount, entity, reference, promo_code, "
            "paid_at, created_at FROM payments ORDER BY rowid"
        )
        state = SandboxState(
            self.events,
            accounts=accounts,
            outbox=[OutboxSms(*row) for row in outbox],
            payments={row[0]: Payment(*row) for row in payments},
            promo_redemptions=dict(
                db.execute("SELECT code, redemptions FROM promo_redemptions ORDER BY rowid")
            ),
            calls=dict(db.execute("SELECT operation, calls FROM calls ORDER BY rowid")),
            next_event_id=int(counters["next_event_id"]),
            next_msg_id=int(counters.get("next_msg_id", FIRST_MSG_ID)),
            clock=Clock(timedelta(microseconds=int(counters.get("clock_offset_us", 0)))),
        )
        self._written = _world_rows(state)
        return state

    def save(self, state: SandboxState) -> None:
        """Write what changed in the small world and commit the call's transaction."""
        rows = _world_rows(state)
        for table, upsert in _UPSERT.items():
            written = self._written[table]
            current = rows[table]
            changed = [row for key, row in current.items() if written.get(key) != row]
            gone = [(key,) for key in written if key not in current]
            if changed or gone:
                self.begin()
            if gone:
                self.connection.executemany(_DELETE[table], gone)
            if changed:
                self.connection.executemany(upsert, changed)
        self._written = rows
        if self.connection.in_transaction:
            self.connection.execute("COMMIT")

    def clear(self) -> None:
        """Forget everything (committed with the next :meth:`save`)."""
        self.begin()
        for statement in _CLEAR:
            self.connection.execute(statement)
        self._written = {table: {} for table in _UPSERT}

    def close(self) -> None:
        """Close the database (a second close does nothing); a call left open is undone."""
        if self._closed:
            return
        self._closed = True
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self.connection.close()


def _connect(path: Path | None) -> sqlite3.Connection:
    # The event loop's thread is the only one using it; aiohttp may still start the
    # sandbox in one thread and serve it in another, hence no same-thread check.
    db = sqlite3.connect(
        "" if path is None else path, isolation_level=None, check_same_thread=False
    )
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        _check_version(path, version)
        if path is not None:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        else:
            db.execute("PRAGMA synchronous = OFF")
        if version == 0:
            build_schema(db)
        else:
            upgrade_schema(db, version)
    except BaseException:
        db.close()
        raise
    return db


def _check_version(path: Path | None, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SandboxStateError(
            f"the sandbox state {path} has schema version {version}, newer than this "
            f"sandbox's ({SCHEMA_VERSION})"
        )
