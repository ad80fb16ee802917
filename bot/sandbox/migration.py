"""The sandbox's state file from before the database: JSON, migrated once.

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
from pathlib import Path
from typing import Any

from bot.sandbox.database import StateDatabase
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

_SQLITE_HEADER = b"SQLite format 3\x00"


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
