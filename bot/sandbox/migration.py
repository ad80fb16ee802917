"""The sandbox's schema through its versions, and the JSON state file of before.

The schema's version is ``PRAGMA user_version``. A new database is built the
way an old one is upgraded: the first schema, then every step in turn, in
one transaction; so the steps an old state file takes are the ones every
test's database takes too. A step only adds (columns, tables, indexes) and
fills what it added from what is there, once.

- 1: accounts, outbox, payments, promotional redemptions, calls, counters,
  events, texts and messages.
- 2: each message's schedule, expiration, delivery window, working days and
  delivery moment (:mod:`.delivery`), stored once per distinct set of them
  (``timings``, as texts are): a campaign's messages share theirs, and each
  column bound per message costs about a third of a microsecond, so eight
  more columns nearly doubled what a call of 1000 spends writing its rows.
  Each accepted message points at the one its phone got before it
  (``prev_event``, ``prev_position``), and ``phones`` holds each phone's
  newest message and count (:func:`.numbers.phone_of`): the inbox page
  follows a phone's chain (:mod:`.inbox`). A chain, not an index on the
  messages, because an index by phone takes a write in a different page for
  nearly every message (a campaign's numbers are spread over it), which made
  a call of 1000 cost ten times as much once 300k messages were stored; the
  chain writes only the messages' rows, appended, and one row per phone.

Until the state file became SQLite (:mod:`bot.sandbox.database`), the sandbox
rewrote its whole state as one JSON document after every call. When the
sandbox starts on such a file (at the path it is given, or, for a path that
does not exist yet, at that path with a ``.json`` suffix), the JSON is read
and imported into a new database built beside it, which then takes the
path; the JSON is kept as ``<name>.old``. A state file that is a database
already is left alone.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.sandbox.numbers import phone_of
from bot.sandbox.state import (
    FIRST_EVENT_ID,
    FIRST_MSG_ID,
    Account,
    Event,
    MessageRecord,
    OutboxSms,
    Payment,
    SandboxState,
)

if TYPE_CHECKING:
    from bot.sandbox.database import StateDatabase

_SQLITE_HEADER = b"SQLite format 3\x00"

# The first schema, as a state file of version 1 has it; never changed, only stepped from.
SCHEMA_V1 = """
CREATE TABLE accounts (
    username TEXT PRIMARY KEY,
    password TEXT NOT NULL,
    account_name TEXT NOT NULL,
    email TEXT NOT NULL,
    msisdn TEXT NOT NULL,
    credits INTEGER NOT NULL,
    confirmed INTEGER NOT NULL,
    confirmation_code TEXT,
    resends INTEGER NOT NULL,
    verification_key TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE outbox (
    position INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    msisdn TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE payments (
    token TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    pack_id INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    amount TEXT NOT NULL,
    entity TEXT NOT NULL,
    reference TEXT NOT NULL,
    promo_code TEXT,
    paid_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE promo_redemptions (code TEXT PRIMARY KEY, redemptions INTEGER NOT NULL);
CREATE TABLE calls (operation TEXT PRIMARY KEY, calls INTEGER NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY,
    partner_event_id TEXT,
    username TEXT NOT NULL,
    status TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    total_sms INTEGER NOT NULL,
    credits_spent INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX events_by_partner ON events (username, partner_event_id);
CREATE TABLE texts (text_id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE messages (
    event_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    msg_id INTEGER NOT NULL,
    partner_msg_id TEXT,
    msisdn TEXT,
    status TEXT NOT NULL,
    number_sms INTEGER NOT NULL,
    sender TEXT,
    text_id INTEGER REFERENCES texts,
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
"""

_STEPS = (
    # 1 -> 2: what each message carried besides its text; each phone's chain of messages.
    """
CREATE TABLE timings (
    timing_id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    schedule TEXT,
    expiration TEXT,
    begin_time TEXT,
    end_time TEXT,
    working_days INTEGER NOT NULL,
    deliver_at TEXT
);
ALTER TABLE messages ADD COLUMN timing_id INTEGER REFERENCES timings;
ALTER TABLE messages ADD COLUMN prev_event INTEGER;
ALTER TABLE messages ADD COLUMN prev_position INTEGER;
CREATE TABLE phones (
    phone TEXT PRIMARY KEY,
    last_event INTEGER NOT NULL,
    last_position INTEGER NOT NULL,
    messages INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TEMP TABLE chain AS
    SELECT event_id, position, phone,
        lag(event_id) OVER older AS prev_event,
        lag(position) OVER older AS prev_position,
        row_number() OVER newer AS rank,
        count(*) OVER (PARTITION BY phone) AS messages
    FROM (
        SELECT event_id, position, sandbox_phone(msisdn) AS phone FROM messages
        WHERE msg_id > 0 AND msisdn IS NOT NULL
    )
    WINDOW older AS (PARTITION BY phone ORDER BY event_id, position),
        newer AS (PARTITION BY phone ORDER BY event_id DESC, position DESC);
UPDATE messages SET prev_event = c.prev_event, prev_position = c.prev_position
    FROM temp.chain AS c
    WHERE c.event_id = messages.event_id AND c.position = messages.position
        AND c.prev_event IS NOT NULL;
INSERT INTO phones (phone, last_event, last_position, messages)
    SELECT phone, event_id, position, messages FROM temp.chain WHERE rank = 1;
DROP TABLE temp.chain;
""",
)
SCHEMA_VERSION = 1 + len(_STEPS)


def build_schema(db: sqlite3.Connection) -> None:
    """Give an empty database the whole schema: the first one, then every step."""
    _run(db, "BEGIN", SCHEMA_V1, _STEPS)


def upgrade_schema(db: sqlite3.Connection, version: int) -> None:
    """Bring a database at schema ``version`` (1 or more) to :data:`SCHEMA_VERSION`."""
    if version < SCHEMA_VERSION:
        _run(db, "BEGIN IMMEDIATE", "", _STEPS[version - 1 :])


def _run(db: sqlite3.Connection, begin: str, base: str, steps: tuple[str, ...]) -> None:
    # A step fills its new columns with the sandbox's own rules, not a copy in SQL.
    db.create_function("sandbox_phone", 1, phone_of, deterministic=True)
    db.executescript(
        f"{begin}; {base} {''.join(steps)} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    )


def migrate_json_state(path: Path) -> None:
    """Turn the old JSON state at ``path`` (or at ``path`` with a ``.json`` suffix
    when ``path`` does not exist) into a database at ``path``; keep the JSON as ``.old``."""
    source = path
    if not path.exists():
        source = path.with_suffix(".json")
        if source == path or not source.exists():
            return
    raw = source.read_bytes()
    if raw.startswith(_SQLITE_HEADER) or not raw.lstrip().startswith(b"{"):
        return
    data = json.loads(raw)
    # Imported here: the database builds its schema with this module's steps.
    from bot.sandbox.database import StateDatabase

    building = path.with_name(path.name + ".migrating")
    for suffix in ("", "-journal", "-wal", "-shm"):  # from a migration cut short
        building.with_name(building.name + suffix).unlink(missing_ok=True)
    database = StateDatabase(building)
    try:
        database.connection.execute("PRAGMA journal_mode = DELETE")
        state = _state_from_json(database, data)
        database.save(state)
    finally:
        database.close()
    os.replace(source, source.with_name(source.name + ".old"))
    os.replace(building, path)


def _state_from_json(database: StateDatabase, data: dict[str, Any]) -> SandboxState:
    """The old JSON's state, its events written to ``database`` (not yet committed)."""
    for raw in data.get("events", []):
        messages = [MessageRecord(**m) for m in raw.get("messages", [])]
        database.events.append(Event(**{**raw, "messages": messages}))
    return SandboxState(
        database.events,
        accounts={k: Account(**v) for k, v in data.get("accounts", {}).items()},
        outbox=[OutboxSms(**o) for o in data.get("outbox", [])],
        payments={k: Payment(**v) for k, v in data.get("payments", {}).items()},
        promo_redemptions=dict(data.get("promo_redemptions", {})),
        calls=dict(data.get("calls", {})),
        next_event_id=int(data.get("next_event_id", FIRST_EVENT_ID)),
        next_msg_id=int(data.get("next_msg_id", FIRST_MSG_ID)),
    )
