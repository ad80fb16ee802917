"""The server store's plumbing: a psycopg 3 connection pool, the schema, the error seam.

``DATABASE_URL`` goes to libpq as given, so every form a managed PostgreSQL
hands out works (``postgres://`` or ``postgresql://``, ``?sslmode=require``,
``key=value`` strings). At start one connection takes a transaction-scoped
advisory lock and applies the missing migrations (several replicas starting
at once migrate once; a database newer than this code is refused), then the
pool is opened and filled. Connections are in autocommit: a statement is
its own transaction, and work of several statements opens one explicitly.

Every psycopg error leaves as :class:`~bot.errors.StoreError` naming the
server (host, port, database), never the password.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from psycopg.abc import Params
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from bot.errors import SchemaMismatch, StoreError
from storage.postgres_migrations import MIGRATIONS, SCHEMA_VERSION_TABLE

log = logging.getLogger(__name__)

Connection = psycopg.AsyncConnection[TupleRow]
Row = tuple[Any, ...]
# What execute() takes on Python < 3.14 (no t-strings), across psycopg 3.2 and 3.3.
Query = LiteralString | bytes | sql.SQL | sql.Composed

OPEN_TIMEOUT = 30.0
"""Seconds ``start`` waits for the pool's first connections, and a caller for a free one."""

# The key of the advisory lock held while migrating ("usendit" in ASCII).
_MIGRATION_LOCK = 0x75_73_65_6E_64_69_74
_SCHEMES = ("postgresql://", "postgres://")


def utc(moment: datetime) -> datetime:
    """A moment to store: aware, in UTC (naive ones are refused, as by SQLite)."""
    if moment.tzinfo is None:
        raise StoreError("naive datetimes are not stored; give a timezone")
    return moment.astimezone(UTC)


def utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


def read_time(value: datetime | None) -> datetime | None:
    """A stored moment, in UTC whatever the session's TimeZone."""
    return None if value is None else value.astimezone(UTC)


def read_time_required(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _parse(dsn: str) -> dict[str, Any]:
    if "://" in dsn and not dsn.startswith(_SCHEMES):
        scheme = dsn.split("://", 1)[0]
        named = f"{scheme}://" if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) else "this"
        raise StoreError(f"{named} is not a PostgreSQL URL (postgresql:// or postgres://)")
    try:
        return conninfo_to_dict(dsn)
    except psycopg.Error:
        # libpq quotes the offending part, which may be the password: say nothing of it.
        raise StoreError(
            "the PostgreSQL URL cannot be read "
            "(expected postgresql://user:password@host:port/dbname?sslmode=...)"
        ) from None


class PostgresConnection:
    """The pool of a store, its schema and the one place psycopg errors are translated."""

    def __init__(self, dsn: str, *, min_size: int = 1, max_size: int = 10) -> None:
        params = _parse(dsn)
        self._dsn = dsn
        self._secrets = [str(params["password"])] if params.get("password") else []
        host = params.get("host") or params.get("hostaddr") or "localhost"
        port = params.get("port") or "5432"
        self.target = f"{host}:{port}/{params.get('dbname') or params.get('user') or ''}"
        self._min_size = min_size
        self._max_size = max_size
        self._pool = self._new_pool()
        self._started = False
        self._lifecycle = asyncio.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.target!r})"

    def _new_pool(self) -> AsyncConnectionPool[Connection]:
        return AsyncConnectionPool(
            self._dsn,
            connection_class=psycopg.AsyncConnection[TupleRow],
            kwargs={
                "autocommit": True,
                # A statement or a dead link must not hang a worker past its lease.
                "options": "-c statement_timeout=30000",
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
            },
            min_size=self._min_size,
            max_size=self._max_size,
            open=False,
            # A managed server drops idle connections: check each one before lending it.
            check=AsyncConnectionPool.check_connection,
            timeout=OPEN_TIMEOUT,
            name="usendit-bot",
        )

    # --- lifecycle --------------------------------------------------------------

    async def start(self) -> None:
        async with self._lifecycle:
            if self._started:
                return
            await self._migrate()
            try:
                await self._pool.open(wait=True, timeout=OPEN_TIMEOUT)
            except psycopg.Error as exc:
                await self._close_pool()
                raise self._error("opening the connection pool", exc) from exc
            self._started = True

    async def stop(self) -> None:
        async with self._lifecycle:
            if not self._started:
                return
            self._started = False
            await self._close_pool()

    async def _close_pool(self) -> None:
        # A closed pool cannot be opened again: the next start gets a fresh one.
        pool, self._pool = self._pool, self._new_pool()
        await pool.close()

    async def _migrate(self) -> None:
        try:
            conn = await psycopg.AsyncConnection.connect(self._dsn, autocommit=True)
        except psycopg.Error as exc:
            raise self._error("connecting", exc) from exc
        try:
            async with conn, conn.transaction():
                await self._migrate_on(conn)
        except psycopg.Error as exc:
            raise self._error("migrating the schema", exc) from exc

    async def _migrate_on(self, conn: Connection) -> None:
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        found = await (await conn.execute("SELECT to_regclass('schema_version')")).fetchone()
        if found is None or found[0] is None:
            await conn.execute(SCHEMA_VERSION_TABLE)
        row = await (
            await conn.execute("SELECT coalesce(max(version), 0) FROM schema_version")
        ).fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise SchemaMismatch(
                f"PostgreSQL {self.target} has schema version {version}; this code knows "
                f"{len(MIGRATIONS)}: upgrade usendit-bot"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in script:
                await conn.execute(statement)
            await conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
            log.info("store %s migrated to schema version %d", self.target, number)

    # --- the error seam ---------------------------------------------------------

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _error(self, doing: str, exc: psycopg.Error) -> StoreError:
        detail = self._redact(str(exc).strip()) or type(exc).__name__
        sqlstate = f" [{exc.sqlstate}]" if exc.sqlstate else ""
        return StoreError(f"PostgreSQL {self.target}: {doing} failed{sqlstate}: {detail}")

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """A connection of the pool (autocommit), every psycopg error translated."""
        if not self._started:
            raise StoreError("the store is not started")
        try:
            async with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise self._error("a query", exc) from exc

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        async with self._connection() as conn, conn.transaction():
            yield conn

    async def _one(self, query: Query, params: Params | None = None) -> Row | None:
        async with self._connection() as conn:
            cursor = await conn.execute(query, params)
            return await cursor.fetchone()

    async def _all(self, query: Query, params: Params | None = None) -> list[Row]:
        async with self._connection() as conn:
            cursor = await conn.execute(query, params)
            return await cursor.fetchall()

    async def _count(self, query: Query, params: Params | None = None) -> int:
        """Run one statement; how many rows it changed."""
        async with self._connection() as conn:
            cursor = await conn.execute(query, params)
            return cursor.rowcount
