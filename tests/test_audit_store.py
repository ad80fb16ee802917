"""The store contract of the audit log, on both backends (as ``test_store_contract.py``):
entries appended and read back newest first, a scope (a chat, or an account from any
chat), pages for the export, and the table refusing every UPDATE and DELETE."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import test_store_contract as contract
from test_store_contract import NOW

from bot.records import AuditAction, AuditEntry, NewAuditEntry
from bot.store import Store
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

open_store = contract.open_store  # the same backends, one fresh database per test
store = contract.store


def _entry(
    n: int = 0,
    *,
    chat: str = "telegram:1",
    account: str | None = "demo",
    action: AuditAction = AuditAction.CONFIRM,
) -> NewAuditEntry:
    return NewAuditEntry(
        at=NOW + timedelta(seconds=n),
        who="telegram:42",
        who_name="Ana Sá",
        chat=chat,
        platform="telegram",
        account=account,
        action=action,
        what={"campaign": n, "credits": 30, "promo": False, "name": "promoção"},
    )


class TestAuditLog:
    async def test_an_entry_is_kept_as_given(self, store: Store) -> None:
        kept = await store.add_audit_entry(_entry(1))
        assert kept == AuditEntry(**vars(_entry(1)), id=kept.id)
        anonymous = await store.add_audit_entry(
            NewAuditEntry(
                at=NOW, who="slack:T1/U2", who_name=None, chat="slack:T1/C7", platform="slack",
                account=None, action=AuditAction.SETTING, what={"setting": "lang", "value": "pt"},
            )
        )  # fmt: skip
        assert anonymous.id > kept.id
        [read] = await store.audit_entries(chats=["slack:T1/C7"], account=None, limit=5)
        assert read == anonymous
        assert read.at == NOW
        assert read.at.utcoffset() == timedelta(0)

    async def test_the_newest_first_at_most_n(self, store: Store) -> None:
        ids = [(await store.add_audit_entry(_entry(n))).id for n in range(5)]
        newest = await store.audit_entries(chats=["telegram:1"], account=None, limit=3)
        assert [e.id for e in newest] == ids[::-1][:3]
        assert [e.what["campaign"] for e in newest] == [4, 3, 2]
        assert await store.audit_entries(chats=["telegram:1"], account=None, limit=0) == []

    async def test_the_scope_is_the_chat_or_the_account(self, store: Store) -> None:
        here = await store.add_audit_entry(_entry(1, chat="telegram:1", account=None))
        mine_elsewhere = await store.add_audit_entry(_entry(2, chat="slack:T1/C7"))
        other_account = await store.add_audit_entry(_entry(3, chat="slack:T1/C7", account="x"))
        here_other = await store.add_audit_entry(_entry(4, chat="telegram:1", account="x"))
        found = await store.audit_entries(chats=["telegram:1"], account="demo", limit=10)
        assert [e.id for e in found] == [here_other.id, mine_elsewhere.id, here.id]
        only_chat = await store.audit_entries(chats=["telegram:1"], account=None, limit=10)
        assert [e.id for e in only_chat] == [here_other.id, here.id]
        assert other_account.id not in {e.id for e in found}
        both = await store.audit_entries(chats=["telegram:1", "slack:T1/C7"], account=None, limit=9)
        assert [e.id for e in both] == [here_other.id, other_account.id, mine_elsewhere.id, here.id]
        assert await store.audit_entries(chats=[], account="x", limit=9) == [
            here_other,
            other_account,
        ]
        assert await store.audit_entries(chats=[], account=None, limit=9) == []

    async def test_pages_walk_the_whole_log_once(self, store: Store) -> None:
        ids = [(await store.add_audit_entry(_entry(n))).id for n in range(7)]
        seen: list[int] = []
        before = None
        while page := await store.audit_entries(
            chats=["telegram:1"], account="demo", limit=3, before=before
        ):
            assert len(page) <= 3
            seen += [e.id for e in page]
            before = page[-1].id
        assert seen == ids[::-1]


def _raw_sqlite(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute(statement)
    raw.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET what = '{}'",
        "UPDATE audit_log SET who = 'someone else' WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ],
)
class TestNeverEdited:
    async def test_sqlite_refuses(self, tmp_path: Path, statement: str) -> None:
        path = tmp_path / "audit.db"
        async with SqliteStore(path) as backend:
            kept = await backend.add_audit_entry(_entry(1))
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                _raw_sqlite(path, statement)
            assert await backend.audit_entries(chats=["telegram:1"], account=None, limit=5) == [
                kept
            ]

    async def test_postgres_refuses(self, postgres_url: str, statement: str) -> None:
        async with PostgresStore(postgres_url) as backend:
            kept = await backend.add_audit_entry(_entry(1))
            async with await psycopg.AsyncConnection.connect(postgres_url) as raw:
                with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
                    await raw.execute(statement)
            assert await backend.audit_entries(chats=["telegram:1"], account=None, limit=5) == [
                kept
            ]


async def test_postgres_refuses_truncate(postgres_url: str) -> None:
    async with PostgresStore(postgres_url) as backend:
        kept = await backend.add_audit_entry(_entry(1))
        async with await psycopg.AsyncConnection.connect(postgres_url) as raw:
            with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
                await raw.execute("TRUNCATE audit_log")
        assert await backend.audit_entries(chats=["telegram:1"], account=None, limit=5) == [kept]
