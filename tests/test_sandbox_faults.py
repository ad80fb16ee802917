"""Every fault mode, the control routes and the state file."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SoapCaller, sms
from lxml import etree

from bot.sandbox import FaultMode, SandboxServer
from bot.sandbox.state import FIRST_EVENT_ID

DEMO = {"username": "demo", "password": "demo"}


def send_body(soap: Any, partner: str = "p-1") -> bytes:
    return soap.envelope(
        "SendMessages", {**DEMO, "partnerEventId": partner, "smsList": {"Sms": [sms()]}}
    )


async def arm(soap: Any, **fault: Any) -> httpx.Response:
    return await soap.client.post(f"{soap.server.url}/_sandbox/faults", json=fault)


async def test_stall_after_commit_times_out_but_commits(soap: Any) -> None:
    response = await arm(soap, operation="SendMessages", mode="stall_after_commit", seconds=2)
    assert response.status_code == 200
    with pytest.raises(httpx.ReadTimeout):
        await soap.post(send_body(soap, "stalled"), timeout=0.5)
    state = await soap.state()
    (event,) = state["events"]
    assert event["partner_event_id"] == "stalled"
    assert state["calls"]["SendMessages"] == 1
    assert state["faults"] == []
    found = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="stalled")
    assert [e.text for e in found.all("PartnerEvents/PartnerEvent/EventId")] == [
        str(FIRST_EVENT_ID)
    ]


async def test_drop_after_commit_closes_connection(soap: Any) -> None:
    await arm(soap, operation="SendMessages", mode="drop_after_commit")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        await soap.post(send_body(soap, "dropped"))
    state = await soap.state()
    assert [e["partner_event_id"] for e in state["events"]] == ["dropped"]
    # the next call is normal again
    answer = soap.read("SendMessages", await soap.post(send_body(soap, "next")))
    assert answer["ScheduleStatus"] == "SCHEDULE_OK"


@pytest.mark.parametrize("commit", [False, True])
async def test_http_500(soap: Any, commit: bool) -> None:
    await arm(soap, operation="SendMessages", mode="http_500", commit=commit)
    response = await soap.post(send_body(soap))
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert len((await soap.state())["events"]) == int(commit)


@pytest.mark.parametrize("commit", [False, True])
async def test_soap_fault(soap: Any, commit: bool) -> None:
    await arm(soap, operation="SendMessages", mode="soap_fault", commit=commit)
    answer = soap.read("SendMessages", await soap.post(send_body(soap)))
    assert answer.fault is not None
    assert answer.fault[0] == "soap:Server"
    assert len((await soap.state())["events"]) == int(commit)


@pytest.mark.parametrize("commit", [False, True])
async def test_malformed(soap: Any, commit: bool) -> None:
    await arm(soap, operation="SendMessages", mode="malformed", commit=commit)
    response = await soap.post(send_body(soap))
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        soap.read("SendMessages", response)
    assert len((await soap.state())["events"]) == int(commit)


async def test_latency_then_normal_answer_and_count(soap: Any) -> None:
    await arm(soap, operation="GetCredits", mode="latency", seconds=0.3, count=2)
    for _ in range(2):
        started = time.monotonic()
        answer = await soap.call("GetCredits", **DEMO)
        assert time.monotonic() - started >= 0.3
        assert answer["Credits"] == "500"
    started = time.monotonic()
    await soap.call("GetCredits", **DEMO)
    assert time.monotonic() - started < 0.3
    assert (await soap.state())["calls"]["GetCredits"] == 3


async def test_faults_only_hit_their_operation_and_clear(soap: Any) -> None:
    await arm(soap, operation="SendMessages", mode="http_500", count=5)
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "500"
    listed = await soap.client.get(f"{soap.server.url}/_sandbox/faults")
    assert listed.json()["faults"][0]["count"] == 5
    cleared = await soap.client.delete(f"{soap.server.url}/_sandbox/faults")
    assert cleared.json() == {"faults": []}
    answer = soap.read("SendMessages", await soap.post(send_body(soap)))
    assert answer["ScheduleStatus"] == "SCHEDULE_OK"


@pytest.mark.parametrize(
    "fault",
    [
        {"operation": "Nope", "mode": "latency"},
        {"operation": "SendMessages", "mode": "explode"},
        {"operation": "SendMessages", "mode": "latency", "count": 0},
        {"operation": "SendMessages", "mode": "latency", "seconds": -1},
        {"operation": "SendMessages", "mode": "http_500", "commit": "yes"},
        ["not", "an", "object"],
    ],
)
async def test_bad_fault_requests(soap: Any, fault: Any) -> None:
    response = await soap.client.post(f"{soap.server.url}/_sandbox/faults", json=fault)
    assert response.status_code == 400
    assert "error" in response.json()


async def test_bad_fault_json(soap: Any) -> None:
    response = await soap.client.post(f"{soap.server.url}/_sandbox/faults", content=b"{")
    assert response.status_code == 400


async def test_arm_fault_helper_and_reset(soap: Any) -> None:
    soap.server.arm_fault("GetCredits", FaultMode.SOAP_FAULT)
    answer = await soap.call("GetCredits", **DEMO)
    assert answer.fault is not None
    with pytest.raises(ValueError, match="unknown operation"):
        soap.server.arm_fault("Nope", "latency")
    soap.server.arm_fault("GetCredits", "soap_fault")
    await soap.call("SendMessages", **DEMO, partnerEventId="x", smsList={"Sms": [sms()]})
    reset = await soap.client.post(f"{soap.server.url}/_sandbox/reset")
    assert reset.status_code == 200
    state = await soap.state()
    assert state["events"] == []
    assert state["faults"] == []
    assert state["calls"] == {}
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "500"


async def test_state_file_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    async with (
        SandboxServer(state_file=path, accounts=["ana:pw:10"]) as first,
        httpx.AsyncClient() as client,
    ):
        soap = SoapCaller(first, client)
        await soap.load()
        answer = await soap.call(
            "SendMessages", **DEMO, partnerEventId="kept", smsList={"Sms": [sms()]}
        )
        assert answer["EventId"] == str(FIRST_EVENT_ID)
    with contextlib.closing(sqlite3.connect(path)) as saved:
        query = "SELECT credits FROM accounts WHERE username = 'demo'"
        assert saved.execute(query).fetchall() == [(499,)]
    async with SandboxServer(state_file=path) as second:
        assert second.state.accounts["demo"].credits == 499
        assert second.state.accounts["ana"].credits == 10
        async with httpx.AsyncClient() as client:
            soap = SoapCaller(second, client)
            await soap.load()
            found = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="kept")
            assert [e.text for e in found.all("PartnerEvents/PartnerEvent/EventId")] == [
                str(FIRST_EVENT_ID)
            ]
            again = await soap.call(
                "SendMessages", **DEMO, partnerEventId="kept", smsList={"Sms": [sms()]}
            )
            assert again["EventId"] == str(FIRST_EVENT_ID + 1)
            assert (await soap.state())["calls"] == {"SendMessages": 2, "GetPartnerEvents": 1}


async def test_accounts_named_at_a_restart_join_the_kept_state(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    async with (
        SandboxServer(state_file=path, accounts=["ana:pw:10"]) as first,
        httpx.AsyncClient() as client,
    ):
        soap = SoapCaller(first, client)
        await soap.load()
        ana = {"username": "ana", "password": "pw"}
        await soap.call("SendMessages", **ana, partnerEventId="a", smsList={"Sms": [sms()]})
    async with SandboxServer(state_file=path, accounts=["ana:pw:10", "zed:zp:77"]) as second:
        assert second.state.accounts["zed"].credits == 77  # named now: it is there
        assert second.state.accounts["ana"].credits == 9  # kept: its spending stays
