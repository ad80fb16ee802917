"""The sandbox speaks SOAP 1.1 like an ASMX service: WSDL, schema checks, faults."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from lxml import etree

from bot.sandbox import SandboxServer

DEMO = {"username": "demo", "password": "demo"}


async def test_wsdl_served_with_own_address(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        for query in ("WSDL", "wsdl", "Wsdl"):
            response = await client.get(f"{sandbox.endpoint}?{query}")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/xml")
            root = etree.fromstring(response.content)
            address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
            assert address is not None
            assert address.get("location") == sandbox.endpoint
            assert root.get("targetNamespace") == "http://api.usendit.pt/v1/"
        page = await client.get(sandbox.endpoint)
        assert page.status_code == 200
        assert "SendMessages" in page.text


def _every_request(sms: Any) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "CreateAccount",
            {
                "newAccount": {
                    "AccountName": "Loja",
                    "Username": "loja",
                    "Password": "secret1",
                    "Email": "loja@example.org",
                    "Country": "PT",
                    "Msisdn": "351919999999",
                    "HowDidYouFindUs": "OTHER",
                    "AllowMarketingCampaigns": False,
                },
                "invoiceInfo": {"Name": "Loja Lda", "TaxIdentificationNumber": "123456789"},
                "caller": "usendit-bot",
            },
        ),
        ("ConfirmAccount", {**DEMO, "confirmationCode": "123456"}),
        ("ResendConfirmationCode", DEMO),
        ("AuthenticateUser", DEMO),
        ("GetCredits", DEMO),
        ("GetCreditPacks", DEMO),
        ("BuyCredits", {**DEMO, "packId": 1, "caller": "usendit-bot"}),
        (
            "BuyCreditsWithPromotionalCode",
            {**DEMO, "packId": 1, "code": "WELCOME10", "caller": "usendit-bot"},
        ),
        ("SendMessages", {**DEMO, "partnerEventId": "p-1", "smsList": {"Sms": [sms()]}}),
        ("GetPartnerEvents", {**DEMO, "partnerEventId": "p-1"}),
        ("GetSchedule", {**DEMO, "eventId": 1}),
        ("SmsCharCounter", {"messageText": "Olá"}),
    ]


async def test_every_operation_answers_valid_xml(soap: Any, make_sms: Any) -> None:
    requests = _every_request(make_sms)
    wsdl_ops = set(soap.server.sandbox.service.operations)
    assert {op for op, _ in requests} == wsdl_ops
    for operation, fields in requests:
        answer = await soap.call(operation, **fields)  # validates against the schema
        assert answer.result is not None, operation
        assert answer.fault is None


async def test_soap_action_is_optional_but_must_match(soap: Any) -> None:
    body = soap.envelope("GetCredits", DEMO)
    answer = soap.read("GetCredits", await soap.post(body))
    assert answer["Credits"] == "500"
    wrong = soap.read("GetCredits", await soap.post(body, f"{soap.namespace}SendMessages"))
    assert wrong.fault is not None
    assert wrong.fault[0] == "soap:Client"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<soap:Envelope><oops", "well-formed"),
        (b"", "well-formed"),
        (b"<notsoap/>", "not a SOAP envelope"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"/>',
            "no Body",
        ),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/>'
            b"</e:Envelope>",
            "no operation",
        ),
    ],
)
async def test_malformed_requests_get_client_faults(soap: Any, body: bytes, message: str) -> None:
    answer = soap.read("GetCredits", await soap.post(body))
    assert answer.status == 500
    assert answer.fault is not None
    assert answer.fault[0] == "soap:Client"
    assert message in answer.fault[1]


async def test_soap12_envelope_is_a_version_mismatch(soap: Any) -> None:
    body = soap.envelope("GetCredits", DEMO).replace(
        b"http://schemas.xmlsoap.org/soap/envelope/", b"http://www.w3.org/2003/05/soap-envelope"
    )
    answer = soap.read("GetCredits", await soap.post(body))
    assert answer.fault is not None
    assert answer.fault[0] == "soap:VersionMismatch"


async def test_unknown_operation_and_namespace_get_faults(soap: Any) -> None:
    unknown = soap.read("Nope", await soap.post(soap.envelope("DeleteEverything", DEMO)))
    assert unknown.fault is not None
    assert "DeleteEverything" in unknown.fault[1]
    other_ns = soap.envelope("GetCredits", DEMO).replace(
        soap.namespace.encode(), b"http://example.org/other/"
    )
    wrong = soap.read("GetCredits", await soap.post(other_ns))
    assert wrong.fault is not None
    assert wrong.fault[0] == "soap:Client"


@pytest.mark.parametrize(
    ("operation", "fields"),
    [
        ("GetCredits", {"password": "demo", "username": "demo"}),  # wrong order
        ("GetCredits", {**DEMO, "extra": "x"}),
        ("BuyCredits", {**DEMO, "caller": "bot"}),  # packId is required
        ("BuyCredits", {**DEMO, "packId": "one", "caller": "bot"}),
        ("GetSchedule", {**DEMO, "eventId": "1.5"}),
        (
            "SendMessages",
            {**DEMO, "partnerEventId": "p", "smsList": {"Sms": [{"Msisdn": "351912345678"}]}},
        ),
    ],
)
async def test_invalid_requests_get_client_faults(
    soap: Any, operation: str, fields: dict[str, Any]
) -> None:
    answer = await soap.call(operation, **fields)
    assert answer.status == 500
    assert answer.fault is not None
    assert answer.fault[0] == "soap:Client"
    assert "schema" in answer.fault[1]
    assert "demo" not in answer.fault[1] or "password" not in answer.fault[1]
    state = await soap.state()
    assert state["calls"][operation] == 1
    assert state["events"] == []


async def test_state_counts_calls(soap: Any) -> None:
    await soap.call("GetCredits", **DEMO)
    await soap.call("GetCredits", **DEMO)
    await soap.call("SmsCharCounter", messageText="x")
    await soap.call("GetCredits", username="demo")  # valid schema, wrong password
    state = await soap.state()
    assert state["calls"] == {"GetCredits": 3, "SmsCharCounter": 1}
    assert all("password" not in account for account in state["accounts"])


async def test_explicit_accounts_and_closed_port() -> None:
    async with SandboxServer(accounts=["ana:p:w:d:42"]) as server:
        assert server.state.accounts["ana"].password == "p:w:d"
        assert server.state.accounts["ana"].credits == 42
        port = server.port
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.post(f"http://127.0.0.1:{port}/v1/remoteusendit.asmx", content=b"x")


def test_network_guard_refuses_remote_hosts() -> None:
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
