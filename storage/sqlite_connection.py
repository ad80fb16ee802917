"""The embedded store: SQLite on disk through aiosqlite.

One connection, opened at start and closed at stop. WAL, ``synchronous=FULL``
and a busy timeout are set and read back (a database that will not take them
is refused); the connection then rests at ``synchronous=NORMAL``, for a chat's
writes, and every money write turns FULL on for itself (:meth:`_write`). Every
write is one ``BEGIN IMMEDIATE`` transaction, serialized by one lock, so a
conditional update is atomic against other tasks and other processes. The schema
is versioned (``PRAGMA user_version``) and migrated at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import SchemaMismatch, StoreError
from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
_SYNCHRONOUS_FULL = 2


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise StoreError("naive datetimes are not stored; give a timezone")
    # One fixed width, so that stored times compare as text.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


async def _run_anyway(db: aiosqlite.Connection, statement: str) -> None:
    """Queue ``statement`` on the connection's thread even if this task is cancelled
    meanwhile (aiosqlite runs its calls in order); an error of it is of no interest
    (a ROLLBACK with no transaction open)."""
    done = asyncio.ensure_future(db.execute(statement))
    done.add_done_callback(lambda f: f.cancelled() or f.exception())
    with contextlib.suppress(sqlite3.Error):
        await asyncio.shield(done)


class SqliteConnection:
    """The one connection of a store, its settings, its schema and its write lock."""

    def __init__(self, path: str | Path, *, sender: bool = False) -> None:
        self.path = Path(path)
        self.sender = sender
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._sender_lock: int | None = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the store is not started")
        return self._db

    async def start(self) -> None:
        if self._db is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise StoreError(
                f"cannot use {self.path}: {exc.filename} is a file, not a folder"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot create the folder of {self.path}: {exc.strerror}") from exc
        if self.sender:
            self._hold_sender_lock()
        try:
            db = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            await self.stop()
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self._db = db
        try:
            await self._configure()
            await self._migrate()
        except sqlite3.Error as exc:
            await self.stop()
            raise StoreError(
                f"{self.path} cannot be used as the bot's database ({exc}): move it away, "
                "or point DATABASE_URL at another file"
            ) from exc
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None
        if self._sender_lock is not None:
            os.close(self._sender_lock)  # closing the file releases the lock
            self._sender_lock = None

    def _hold_sender_lock(self) -> None:
        """Be the one process that sends from this file, or refuse to start."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"cannot open {lock_path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StoreError(
                f"another usendit-bot process (pid {holder}) is already using {self.path}: "
                "SQLite carries one process; use PostgreSQL (DATABASE_URL=postgresql://...) "
                "to run several"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._sender_lock = fd

    async def _pragma(self, statement: str) -> Any:
        async with self.db.execute(statement) as cursor:
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def _configure(self) -> None:
        await self._pragma(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await self._pragma("PRAGMA journal_mode = WAL")
        await self._pragma("PRAGMA synchronous = FULL")
        await self._pragma("PRAGMA foreign_keys = ON")
        found = (
            await self._pragma("PRAGMA journal_mode"),
            await self._pragma("PRAGMA synchronous"),
            await self._pragma("PRAGMA busy_timeout"),
            await self._pragma("PRAGMA foreign_keys"),
        )
        if found != ("wal", _SYNCHRONOUS_FULL, BUSY_TIMEOUT_MS, 1):
            raise SchemaMismatch(
                f"{self.path} refused the settings a safe store needs "
                f"(journal_mode, synchronous, busy_timeout, foreign_keys = {found})"
            )
        # At rest, NORMAL: a chat's writes (a claim, a wizard's step) outnumber money
        # writes, and each is then one trip to the connection's thread; every money
        # write turns FULL on for itself (``_write``).
        await self._pragma("PRAGMA synchronous = NORMAL")

    async def _migrate(self) -> None:
        async with self._write() as db:
            async with db.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            version = int(row[0]) if row else 0
            if version > len(MIGRATIONS):
                raise SchemaMismatch(
                    f"{self.path} has schema version {version}; this code knows "
                    f"{len(MIGRATIONS)}: upgrade usendit-bot"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script:
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {number}")
                log.info("store %s migrated to schema version %d", self.path, number)

    @asynccontextmanager
    async def _write(self, *, money: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One BEGIN IMMEDIATE transaction, the only writer of this process.

        A failure of SQLite inside it (locked, read-only, full, a broken file, a
        constraint) rolls it back and is raised as :class:`StoreError`.

        A money write (the default: campaigns, parts, accounts) waits for the disk:
        ``synchronous = FULL`` is turned on for it, and back to the resting NORMAL
        after; the FULL commit also makes the earlier NORMAL ones durable.
        ``money=False`` (a chat event's claim, a wizard's step, a preference)
        commits at NORMAL: safe from a process that dies, and on a power cut it loses
        at most that last write, which a person repeats.
        """
        async with self._write_lock:
            db = self.db
            committed = False
            try:
                with _wrapped(self.path):
                    if money:
                        await db.execute("PRAGMA synchronous = FULL")
                    await db.execute("BEGIN IMMEDIATE")
                with _wrapped(self.path):
                    yield db
                with _wrapped(self.path):
                    await db.execute("COMMIT")
                committed = True
            finally:
                # Also when the task is cancelled mid-write: aiosqlite still runs what was
                # queued (a BEGIN among it), so the transaction is always ended and the
                # safety level put back before the next writer goes.
                if not committed:
                    await _run_anyway(db, "ROLLBACK")
                if money:
                    await _run_anyway(db, "PRAGMA synchronous = NORMAL")

    async def _one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        rows = await self._all(sql, args)
        return rows[0] if rows else None

    async def _all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        # One trip to the connection's thread (execute, fetch and close there), not
        # three: a chat command reads a handful of rows, each trip a thread wake-up.
        with _wrapped(self.path):
            return list(await self.db.execute_fetchall(sql, args))

    async def _write_one(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """One statement that is its own transaction (SQLite runs a lone statement
        atomically), written without waiting for the disk, as ``_write(money=False)``;
        its RETURNING rows. A chat event's claim is one: one trip to the thread."""
        async with self._write_lock:
            with _wrapped(self.path):
                return list(await self.db.execute_fetchall(sql, args))


@contextlib.contextmanager
def _wrapped(path: Path) -> Iterator[None]:
    """sqlite3's errors as the store's own, the original kept as the cause."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"the database {path} failed: {exc}") from exc
