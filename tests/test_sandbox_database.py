"""The sandbox's state file: what a restart reads back, the old JSON migrated, the state stream."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SoapCaller, sms

from bot.sandbox import SandboxServer, database
from bot.sandbox.database import SandboxStateError, StateDatabase
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

DEMO = {"username": "demo", "password": "demo"}


def full_state(db: StateDatabase) -> SandboxState:
    """A state with every kind of row, every optional field set somewhere."""
    state = SandboxState.initial(db.events, ["ana:p:w:7"])
    state.accounts["zé"] = Account(
        username="zé",
        password="secret1",
        account_name="Zé Lda",
        email="ze@example.org",
        msisdn="351919999999",
        credits=0,
        confirmed=False,
        confirmation_code="123456",
        resends=2,
        verification_key="k" * 32,
    )
    state.outbox.append(OutboxSms("zé", "351919999999", "código 123456"))
    state.payments["tok"] = Payment(
        "tok", "demo", 2, 500, "33.83", "11249", "123456789", "WELCOME10", "2024-01-01T00:00:00"
    )
    state.promo_redemptions["FIRST3"] = 2
    state.calls.update({"SendMessages": 3, "GetCredits": 1})
    messages = [
        MessageRecord(state.new_msg_id(), "m-1", "351911111111", "SCHEDULED", 2, "Loja", "Olá"),
        MessageRecord(state.new_msg_id(), "m-2", "351922222222", "SCHEDULED", 2, None, "Olá"),
        MessageRecord(0, None, "1", "MSISDN_INVALID", 0),
    ]
    for partner in ("camp-1", None):
        event_id = state.new_event_id()
        counts = {"recipients": 3, "accepted": 2, "rejected": 1, "total_sms": 4, "credits_spent": 4}
        state.events.append(
            Event(event_id, partner, "demo", "SCHEDULE_OK_WARNING", **counts, messages=messages)
        )
    return state


def test_a_restart_reads_back_every_field(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    db = StateDatabase(path)
    state = full_state(db)
    db.save(state)
    expected = state.public()
    accounts = state.accounts
    db.close()

    again = StateDatabase(path)
    loaded = again.load()
    assert loaded is not None
    assert loaded.public() == expected
    assert loaded.accounts == accounts
    assert (loaded.next_event_id, loaded.next_msg_id) == (FIRST_EVENT_ID + 2, FIRST_MSG_ID + 2)
    assert loaded.find_event("demo", FIRST_EVENT_ID) == next(iter(loaded.events))
    assert loaded.find_event("ana", FIRST_EVENT_ID) is None
    assert loaded.events.by_partner("demo", "camp-1") == [("camp-1", FIRST_EVENT_ID)]
    assert loaded.events.by_partner("demo", "") == [(None, FIRST_EVENT_ID + 1)]
    # A text is stored once however many messages carry it.
    assert again.connection.execute("SELECT count(*) FROM texts").fetchone() == (1,)
    again.close()


def test_only_changed_rows_are_written_and_removed_ones_deleted(tmp_path: Path) -> None:
    db = StateDatabase(tmp_path / "sandbox.db")
    state = full_state(db)
    db.save(state)
    statements: list[str] = []
    db.connection.set_trace_callback(statements.append)
    db.save(state)
    assert statements == []
    state.accounts["demo"].credits -= 1
    del state.payments["tok"]
    db.save(state)
    writes = [" ".join(s.split()[:3]) for s in statements if s.startswith(("INSERT", "DELETE"))]
    assert writes == ["INSERT INTO accounts", "DELETE FROM payments"]
    db.close()


async def test_an_account_changed_in_place_is_saved_with_the_next_call(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    async with SandboxServer(state_file=path) as server, httpx.AsyncClient() as client:
        server.state.accounts["demo"].credits = 7
        soap = SoapCaller(server, client)
        await soap.load()
        assert (await soap.call("GetCredits", **DEMO))["Credits"] == "7"
    async with SandboxServer(state_file=path) as server:
        assert server.state.accounts["demo"].credits == 7
        assert server.state.calls == {"GetCredits": 1}


async def test_reset_empties_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    async with SandboxServer(state_file=path) as server, httpx.AsyncClient() as client:
        soap = SoapCaller(server, client)
        await soap.load()
        await soap.call("SendMessages", **DEMO, partnerEventId="p", smsList={"Sms": [sms()]})
        assert len(server.state.events) == 1
        server.reset()
        assert len(server.state.events) == 0
    async with SandboxServer(state_file=path) as server:
        assert len(server.state.events) == 0
        assert server.state.accounts["demo"].credits == 500
        assert server.state.calls == {}


def test_closing_undoes_a_call_left_open(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    db = StateDatabase(path)
    state = SandboxState.initial(db.events)
    db.save(state)
    state.events.append(Event(state.new_event_id(), "p", "demo", "SCHEDULE_OK", 0, 0, 0, 0, 0, []))
    db.close()
    db.close()
    again = StateDatabase(path)
    loaded = again.load()
    assert loaded is not None
    assert len(loaded.events) == 0
    assert loaded.next_event_id == FIRST_EVENT_ID
    again.close()


def old_json() -> dict[str, Any]:
    """A state file as the sandbox wrote it before the database: the whole state as JSON."""
    message = {
        "msg_id": FIRST_MSG_ID,
        "partner_msg_id": "m-1",
        "msisdn": "351911111111",
        "status": "SCHEDULED",
        "number_sms": 1,
        "sender": None,
        "text": "Olá",
    }
    demo = {
        "username": "demo",
        "password": "demo",
        "account_name": "Demo Account",
        "email": "demo@sandbox.invalid",
        "msisdn": "351910000000",
        "credits": 499,
        "confirmed": True,
        "confirmation_code": None,
        "resends": 0,
        "verification_key": None,
        "created_at": "2024-01-01T00:00:00+00:00",
    }
    return {
        "accounts": {"demo": demo},
        "outbox": [],
        "events": [
            {
                "event_id": FIRST_EVENT_ID,
                "partner_event_id": "kept",
                "username": "demo",
                "status": "SCHEDULE_OK",
                "recipients": 1,
                "accepted": 1,
                "rejected": 0,
                "total_sms": 1,
                "credits_spent": 1,
                "messages": [message],
                "created_at": "2024-01-01T00:00:00+00:00",
            }
        ],
        "payments": {},
        "promo_redemptions": {},
        "calls": {"SendMessages": 1},
        "next_event_id": FIRST_EVENT_ID + 1,
        "next_msg_id": FIRST_MSG_ID + 1,
    }


@pytest.mark.parametrize("name", ["sandbox.json", "sandbox.db"])
async def test_an_old_json_state_file_is_migrated(tmp_path: Path, name: str) -> None:
    """At the path given, or (for a new name) beside it with the ``.json`` suffix."""
    legacy = tmp_path / "sandbox.json"
    legacy.write_text(json.dumps(old_json()), encoding="utf-8")
    path = tmp_path / name
    async with SandboxServer(state_file=path) as server, httpx.AsyncClient() as client:
        assert server.state.accounts["demo"].credits == 499
        soap = SoapCaller(server, client)
        await soap.load()
        found = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="kept")
        assert [e.text for e in found.all("PartnerEvents/PartnerEvent/EventId")] == [
            str(FIRST_EVENT_ID)
        ]
        again = await soap.call(
            "SendMessages", **DEMO, partnerEventId="new", smsList={"Sms": [sms()]}
        )
        assert again["EventId"] == str(FIRST_EVENT_ID + 1)
        state = await soap.state()
        assert state["calls"] == {"SendMessages": 2, "GetPartnerEvents": 1}
        assert state["events"][0]["messages"][0]["text"] == "Olá"
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert json.loads((tmp_path / "sandbox.json.old").read_text()) == old_json()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({name, "sandbox.json.old"})


async def test_the_state_route_streams_what_public_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small batches, so that the stream crosses batch ends inside and between events.
    monkeypatch.setattr(database, "_EVENTS_BATCH", 2)
    monkeypatch.setattr(database, "_MESSAGES_BATCH", 3)
    async with SandboxServer() as server, httpx.AsyncClient() as client:
        soap = SoapCaller(server, client)
        await soap.load()
        for n in (1, 3, 7, 6, 2):
            items = [
                sms(f"35191{n}{i:06d}", text=f"€ {i % 2} “x”", PartnerMsgId=f"m-{n}-{i}")
                for i in range(n)
            ] + [sms("1")] * (n > 2)
            await soap.call("SendMessages", **DEMO, partnerEventId=f"p-{n}", smsList={"Sms": items})
        streamed = await soap.state()
        expected = server.state.public()
        assert len(expected["events"]) == 5
        assert streamed == {**json.loads(json.dumps(expected)), "faults": []}
        # The events of one moment: those recorded from ``below`` on are left out.
        pieces = "".join(server.state.events.public_json(below=FIRST_EVENT_ID + 2))
        assert [e["event_id"] for e in json.loads(pieces)] == [FIRST_EVENT_ID, FIRST_EVENT_ID + 1]


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    StateDatabase(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {database.SCHEMA_VERSION + 1}")
    with pytest.raises(SandboxStateError, match="newer"):
        StateDatabase(path)
