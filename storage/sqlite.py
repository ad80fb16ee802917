"""The embedded store: SQLite on disk through aiosqlite.

One connection, opened at start and closed at stop. WAL, ``synchronous=FULL``
and a busy timeout are set and read back (a database that will not take them
is refused). Every write is one ``BEGIN IMMEDIATE`` transaction, serialized
by one lock, so a conditional update is atomic against other tasks and other
processes. The schema is versioned (``PRAGMA user_version``) and migrated at
start.
"""

from __future__ import annotations

from storage.base import Store
from storage.sqlite_campaigns import CampaignTables
from storage.sqlite_chat import ChatTables


class SqliteStore(CampaignTables, ChatTables, Store):
    """:class:`~storage.base.Store` on one SQLite file (``SqliteStore(path)``)."""
