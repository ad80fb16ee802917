"""The embedded store: SQLite on disk through aiosqlite.

One connection, opened at start and closed at stop. WAL, ``synchronous=FULL``
and a busy timeout are set and read back (a database that will not take them
is refused). Every write is one ``BEGIN IMMEDIATE`` transaction, serialized
by one lock, so a conditional update is atomic against other tasks and other
processes. The schema is versioned (``PRAGMA user_version``) and migrated at
start.

SQLite carries one sending process: ``SqliteStore(path, sender=True)`` (what
the bot opens) holds an exclusive lock on ``<path>.lock`` while started, and
refuses to start while another process holds it.
"""

from __future__ import annotations

from bot.store import Store
from storage.sqlite_approvals import ApprovalTables
from storage.sqlite_audit import AuditTables
from storage.sqlite_campaigns import CampaignTables
from storage.sqlite_chat import ChatTables
from storage.sqlite_jobs import JobTables
from storage.sqlite_lists import ListTables
from storage.sqlite_outbox import OutboxTables
from storage.sqlite_reports import ReportTables
from storage.sqlite_watch import WatchTables


class SqliteStore(
    CampaignTables,
    JobTables,
    ChatTables,
    OutboxTables,
    ListTables,
    WatchTables,
    ReportTables,
    ApprovalTables,
    AuditTables,
    Store,
):
    """:class:`~bot.store.Store` on one SQLite file (``SqliteStore(path)``)."""
