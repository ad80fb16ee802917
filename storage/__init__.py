"""Implementations of the core's store (:class:`bot.store.Store`): SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store


def open_store(database_url: str, *, sender: bool = False) -> Store:
    """The store ``DATABASE_URL`` names (not started yet).

    ``sqlite:///FILE``: the embedded store; with ``sender`` it refuses to start
    while another process sends from the same file. ``postgresql://`` or
    ``postgres://``: PostgreSQL, for any number of replicas.
    """
    if database_url.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresStore

        return PostgresStore(database_url)
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        raise ValueError("DATABASE_URL must start with sqlite:///, postgresql:// or postgres://")
    from storage.sqlite import SqliteStore

    return SqliteStore(Path(database_url[len(prefix) :]), sender=sender)
