"""The server store: PostgreSQL through psycopg 3 and its async connection pool.

``PostgresStore(dsn)`` takes the URL as Heroku and managed services give it
(``postgres://`` or ``postgresql://``, ``?sslmode=...``). At start the schema
is migrated under an advisory lock (several replicas starting at once
migrate once) and the pool is opened; at stop it is closed. Every state
change that guards money is one conditional statement returning whether it
applied; campaigns and notices are leased with ``FOR UPDATE SKIP LOCKED``,
so any number of replicas share the work. Failures surface as
:class:`~bot.errors.StoreError`, never with the password.

Usage::

    async with PostgresStore("postgres://user:secret@db.example:5432/bot") as store:
        await store.pending_jobs()
"""

from __future__ import annotations

from bot.store import Store
from storage.postgres_approvals import ApprovalTables
from storage.postgres_audit import AuditTables
from storage.postgres_campaigns import CampaignTables
from storage.postgres_chat import ChatTables
from storage.postgres_jobs import JobTables
from storage.postgres_lists import ListTables
from storage.postgres_outbox import OutboxTables
from storage.postgres_reports import ReportTables
from storage.postgres_watch import WatchTables


class PostgresStore(
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
    """:class:`~bot.store.Store` on PostgreSQL (``PostgresStore(dsn, min_size=1, max_size=10)``)."""
