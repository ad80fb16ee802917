"""The sandbox's delivery window: BeginTime, EndTime, WorkingDays checked, recorded, obeyed.

The rules are the sandbox's own (:mod:`bot.sandbox.delivery`): a daily window in
Lisbon time, both ends or none, EndTime after BeginTime, a refused window is the
message's EXPIRATION_DATETIME_INVALID; a message is delivered at the first moment
inside its window (and on a working day if asked), by the sandbox's clock.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from conftest import SoapCaller, sms
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_api import move_clock, sandbox_messages

from bot.sandbox import SandboxServer
from bot.sandbox.database import StateDatabase
from bot.sandbox.delivery import Window
from bot.sandbox.inbox import Inbox
from bot.sandbox.migration import SCHEMA_V1

DEMO = {"username": "demo", "password": "demo"}
LISBON = ZoneInfo("Europe/Lisbon")
WEDNESDAY_NIGHT = datetime(2031, 5, 7, 21, 30, tzinfo=LISBON)
"""A Wednesday at 21:30 in Lisbon (summer time, UTC+1)."""


def windowed(
    begin: str | None = None, end: str | None = None, working_days: bool = False, **fields: Any
) -> dict[str, Any]:
    """An Sms with a window; ``None`` leaves that end nil."""
    item = sms(**fields)
    item["BeginTime"] = item["BeginTime"] if begin is None else begin
    item["EndTime"] = item["EndTime"] if end is None else end
    item["WorkingDays"] = working_days
    return item


async def send(soap: SoapCaller, items: list[dict[str, Any]]) -> Any:
    return await soap.call("SendMessages", **DEMO, partnerEventId="w", smsList={"Sms": items})


@pytest.mark.parametrize(
    ("begin", "end", "working_days", "status"),
    [
        ("2031-05-07T09:00:00", "2031-05-07T20:00:00", False, "SCHEDULED"),
        ("2031-05-07T09:00:00", "2031-05-07T20:00:00", True, "SCHEDULED"),
        (None, None, True, "SCHEDULED"),
        # Only the time of day counts: the dates may be anything.
        ("2040-01-01T09:00:00", "2020-06-01T09:00:01", False, "SCHEDULED"),
        # With offsets: 08:00Z is 09:00 in Lisbon in summer, 18:30-01:00 is 20:30 there.
        ("2031-05-07T08:00:00Z", "2031-05-07T18:30:00-01:00", False, "SCHEDULED"),
        # The same, read in Lisbon: 21:00 Lisbon and 20:00 UTC (21:00 Lisbon): empty.
        ("2031-05-07T21:00:00", "2031-05-07T20:00:00Z", False, "EXPIRATION_DATETIME_INVALID"),
        ("2031-05-07T09:00:00", None, False, "EXPIRATION_DATETIME_INVALID"),
        (None, "2031-05-07T20:00:00", True, "EXPIRATION_DATETIME_INVALID"),
        ("2031-05-07T09:00:00", "2031-05-07T09:00:00", False, "EXPIRATION_DATETIME_INVALID"),
        ("2031-05-07T22:00:00", "2031-05-08T06:00:00", False, "EXPIRATION_DATETIME_INVALID"),
        ("2031-05-07T20:00:00", "2031-05-07T09:00:00", False, "EXPIRATION_DATETIME_INVALID"),
        ("2031-05-07T24:00:00", "2031-05-07T20:00:00", False, "EXPIRATION_DATETIME_INVALID"),
    ],
)
async def test_window_statuses(
    soap: SoapCaller, begin: str | None, end: str | None, working_days: bool, status: str
) -> None:
    answer = await send(soap, [sms(PartnerMsgId="plain"), windowed(begin, end, working_days)])
    statuses = [s.text for s in answer.all("SmsScheduledList/SmsScheduled/ScheduleMessageStatus")]
    assert statuses == ["SCHEDULED", status]
    # A refused window costs nothing and leaves the rest of the list alone.
    assert answer["ScheduleStatus"] == (
        "SCHEDULE_OK" if status == "SCHEDULED" else "SCHEDULE_OK_WARNING"
    )
    assert answer["CreditsSpent"] == ("2" if status == "SCHEDULED" else "1")


async def test_an_expiration_before_the_window_opens_is_refused(soap: SoapCaller) -> None:
    soap.server.state.clock.set(WEDNESDAY_NIGHT)
    window = ("2031-05-07T09:00:00", "2031-05-07T20:00:00")
    before_it_opens = windowed(*window, ExpirationDatetime="2031-05-08T08:59:00")
    after_it_opens = windowed(*window, ExpirationDatetime="2031-05-08T09:01:00")
    # Friday night to the Saturday after: no working day in between.
    weekend = windowed(
        *window, working_days=True, ScheduleDatetime="2031-05-09T21:00:00",
        ExpirationDatetime="2031-05-11T23:00:00",
    )  # fmt: skip
    answer = await send(soap, [before_it_opens, after_it_opens, weekend])
    statuses = [s.text for s in answer.all("SmsScheduledList/SmsScheduled/ScheduleMessageStatus")]
    assert statuses == ["EXPIRATION_DATETIME_INVALID", "SCHEDULED", "EXPIRATION_DATETIME_INVALID"]


async def test_what_each_message_carried_is_in_the_state(soap: SoapCaller) -> None:
    soap.server.state.clock.set(WEDNESDAY_NIGHT)
    items = [
        windowed(
            "2031-05-07T09:00:00", "2031-05-07T20:00:00", True,
            msisdn="912345678", text="Olá <b>&", Sender="Loja", PartnerMsgId="a",
            ScheduleDatetime="2031-05-09T19:59:00", ExpirationDatetime="2031-05-20T00:00:00",
        ),
        sms("351212345678", "rejected all the same", PartnerMsgId="b"),
    ]  # fmt: skip
    await send(soap, items)
    (event,) = (await soap.state())["events"]
    first, second = event["messages"]
    assert {k: first[k] for k in first if k not in ("msg_id", "number_sms")} == {
        "partner_msg_id": "a",
        "msisdn": "912345678",
        "status": "SCHEDULED",
        "sender": "Loja",
        "text": "Olá <b>&",
        "schedule": "2031-05-09T19:59:00+01:00",
        "expiration": "2031-05-20T00:00:00+01:00",
        "begin_time": "09:00:00",
        "end_time": "20:00:00",
        "working_days": True,
        "deliver_at": "2031-05-09T19:59:00+01:00",  # inside Friday's window
        "delivery": "WAITING",
    }
    # A rejected message is recorded with what it carried, and reaches no phone.
    assert (second["status"], second["text"], second["delivery"]) == (
        "MSISDN_MOBILE_OPERATOR_UNKNOWN",
        "rejected all the same",
        None,
    )
    assert second["deliver_at"] is None
    assert sandbox_messages(await soap.state(), "912345678") == [first]


async def test_delivery_waits_for_the_window_by_the_sandbox_clock(soap: SoapCaller) -> None:
    base = soap.server.url
    await move_clock(base, now=WEDNESDAY_NIGHT.isoformat())
    items = [
        windowed("2031-05-07T09:00:00", "2031-05-07T20:00:00", PartnerMsgId="thursday"),
        windowed(None, None, True, PartnerMsgId="now"),  # Wednesday is a working day
        sms(PartnerMsgId="plain"),
    ]
    await send(soap, items)
    await move_clock(base, now=datetime(2031, 5, 10, 10, tzinfo=LISBON).isoformat())  # Saturday
    await send(
        soap, [windowed("2031-05-07T09:00:00", "2031-05-07T20:00:00", True, PartnerMsgId="monday")]
    )

    def by_partner(state: dict[str, Any]) -> dict[str, tuple[str | None, str]]:
        return {
            m["partner_msg_id"]: (m["deliver_at"], m["delivery"])
            for e in state["events"]
            for m in e["messages"]
        }

    assert by_partner(await soap.state()) == {
        "thursday": ("2031-05-08T09:00:00+01:00", "DELIVERED"),  # the clock is past it now
        "now": (None, "DELIVERED"),
        "plain": (None, "DELIVERED"),
        "monday": ("2031-05-12T09:00:00+01:00", "WAITING"),
    }
    until_monday = datetime(2031, 5, 12, 9, tzinfo=LISBON) - datetime(
        2031, 5, 10, 10, tzinfo=LISBON
    )
    await move_clock(base, advance=until_monday.total_seconds() - 1)
    assert by_partner(await soap.state())["monday"][1] == "WAITING"
    await move_clock(base, advance=2)
    assert by_partner(await soap.state())["monday"][1] == "DELIVERED"
    # GetSchedule keeps answering SCHEDULED: v1 has no delivery status.
    schedule = await soap.call("GetSchedule", **DEMO, eventId=soap.server.state.next_event_id - 1)
    statuses = schedule.all("SmsScheduledList/SmsScheduled/ScheduleMessageStatus")
    assert [s.text for s in statuses] == ["SCHEDULED"]


async def test_the_clock_route(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    async with SandboxServer(state_file=path) as server, httpx.AsyncClient() as http:
        url = f"{server.url}/_sandbox/clock"
        for bad in ([], {"now": "soon"}, {"now": ""}, {"advance": "x"}, {"advance": 1e300}, {}):
            response = await http.post(url, json=bad)
            assert response.status_code == 400, bad
            assert "error" in response.json()
        assert (await http.post(url, content=b"{")).status_code == 400
        assert (await http.post(url, json={"now": "9999-12-31T00:00:00"})).status_code == 400
        moved = await move_clock(server.url, now="2031-05-07T21:30:00")
        assert moved["now"].startswith("2031-05-07T21:30")
        assert (await http.get(url)).json()["now"].startswith("2031-05-07T21:3")
    # The clock is kept with the state: a restart does not turn time back.
    async with SandboxServer(state_file=path) as server, httpx.AsyncClient() as http:
        assert server.state.clock.now().astimezone(LISBON).date().isoformat() == "2031-05-07"
        reset = await http.post(f"{server.url}/_sandbox/clock", json={"reset": True})
        assert reset.status_code == 200
        assert abs(server.state.clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
        await move_clock(server.url, advance=3600)
        await http.post(f"{server.url}/_sandbox/reset")
        assert server.state.clock.offset == timedelta(0)


def test_across_the_october_clock_change() -> None:
    saturday_night = datetime(2025, 10, 25, 21, 0, tzinfo=LISBON)  # summer time
    window = Window(time(9), time(20))
    # Sunday 09:00 is winter time: 09:00 UTC, 25 hours after Saturday's 08:00 UTC.
    assert window.first_delivery(saturday_night) == datetime(2025, 10, 26, 9, tzinfo=UTC)
    working = Window(time(9), time(20), working_days=True)
    assert working.first_delivery(saturday_night) == datetime(2025, 10, 27, 9, tzinfo=UTC)
    weekdays = Window(working_days=True)
    assert weekdays.first_delivery(saturday_night) == datetime(2025, 10, 27, 0, tzinfo=UTC)


MINUTE = timedelta(minutes=1)
APRIL = datetime(2025, 4, 1, tzinfo=UTC)


def oracle(earliest: datetime, window: Window) -> datetime:
    """The first whole minute from ``earliest`` whose Lisbon wall time is inside the window
    (found minute by minute; Lisbon is UTC+1 all the weeks these examples span)."""
    local = earliest.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=1)
    while True:
        wall = local.time()
        inside = window.begin is None or (window.begin <= wall < window.end)  # type: ignore[operator]
        if inside and (not window.working_days or local.weekday() < 5):
            return (local - timedelta(hours=1)).replace(tzinfo=UTC)
        local += MINUTE


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(0, int((datetime(2025, 10, 15, tzinfo=UTC) - APRIL) / MINUTE)),
    begin=st.integers(0, 24 * 60 - 2),
    length=st.integers(1, 24 * 60 - 1),
    working_days=st.booleans(),
    windowless=st.booleans(),
)
def test_the_first_delivery_is_the_first_minute_inside(
    minutes: int, begin: int, length: int, working_days: bool, windowless: bool
) -> None:
    earliest = APRIL + minutes * MINUTE
    end = min(begin + length, 24 * 60 - 1)
    window = (
        Window(working_days=working_days)
        if windowless
        else Window(time(begin // 60, begin % 60), time(end // 60, end % 60), working_days)
    )
    assert window.status is None
    assert window.first_delivery(earliest) == oracle(earliest, window)


async def test_a_version_1_state_file_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(f"{SCHEMA_V1} PRAGMA user_version = 1;")
        raw.execute(
            "INSERT INTO counters VALUES ('next_event_id', 700003), ('next_msg_id', 91000004)"
        )
        raw.execute("INSERT INTO texts VALUES (1, 'first'), (2, 'second')")
        for event_id in (700001, 700002):
            raw.execute(
                "INSERT INTO events VALUES (?, 'p', 'demo', 'SCHEDULE_OK', 2, 2, 0, 2, 2, "
                "'2024-01-01T00:00:00+00:00')",
                (event_id,),
            )
        raw.executemany(
            "INSERT INTO messages VALUES (?, ?, ?, NULL, ?, ?, 1, NULL, ?)",
            [
                (700001, 0, 91000001, "912345678", "SCHEDULED", 1),
                (700001, 1, 0, "1", "MSISDN_INVALID", None),
                (700002, 0, 91000002, "351912345678", "SCHEDULED", 2),
                (700002, 1, 91000003, "351933333333", "SCHEDULED", 2),
            ],
        )
    database = StateDatabase(path)
    try:
        assert database.connection.execute("PRAGMA user_version").fetchone() == (2,)
        inbox = Inbox(database.connection)
        phone = inbox.phone("351912345678")
        assert phone is not None
        assert phone.messages == 2  # 912345678 and 351912345678 are one phone
        received = inbox.messages(phone, None, 10)
        assert [(r.message.msg_id, r.message.text) for r in received] == [
            (91000002, "second"),
            (91000001, "first"),
        ]
        loaded = database.load()
        assert loaded is not None
        messages = [m for e in loaded.public()["events"] for m in e["messages"]]
        assert [m["delivery"] for m in messages] == ["DELIVERED", None, "DELIVERED", "DELIVERED"]
        assert {m["begin_time"] for m in messages} == {None}
    finally:
        database.close()
    # Opening it again changes nothing more.
    StateDatabase(path).close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM phones").fetchone() == (2,)
