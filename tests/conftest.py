"""Shared fixtures: the network guard, the in-process sandbox and a raw SOAP caller.

Tests are offline: any connection to an address that is not loopback (or a
Unix socket) fails at once. The sandbox is spoken to with plain httpx and
hand-written XML, proving a SOAP client that is not zeep can use it; every
SOAP answer is validated against the schema of the WSDL the sandbox serves.
"""

from __future__ import annotations

import copy
import ipaddress
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import httpx
import psycopg
import pytest
from lxml import etree
from pg_cluster import server_url, with_database
from psycopg import sql

from bot.sandbox import SandboxServer

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _is_local(address: Any) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections to anything but loopback (like zeep's own tests/conftest.py)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address: Any) -> None:
        if not _is_local(address):
            raise OSError(f"tests are offline: connection to {address!r} refused")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server


class Nil:
    """An element sent as ``xsi:nil="true"``."""


NIL = Nil()


def to_xml(name: str, value: Any) -> str:
    """Hand-written XML: dicts are sequences (in order), lists repeat ``name``."""
    if isinstance(value, list):
        return "".join(to_xml(name, item) for item in value)
    if value is None:
        return ""
    if isinstance(value, Nil):
        return f'<{name} xsi:nil="true"/>'
    if isinstance(value, dict):
        inner = "".join(to_xml(k, v) for k, v in value.items())
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


def sms(msisdn: str | None = "351912345678", text: str | None = "Hello", **fields: Any) -> dict:
    """One Sms in schema order; keyword arguments replace fields."""
    item: dict[str, Any] = {
        "PartnerMsgId": fields.pop("PartnerMsgId", None),
        "Sender": fields.pop("Sender", None),
        "Msisdn": msisdn,
        "MobileOperator": fields.pop("MobileOperator", NIL),
        "ExpirationDatetime": fields.pop("ExpirationDatetime", NIL),
        "Priority": fields.pop("Priority", 1),
        "MessageText": text,
        "ScheduleDatetime": fields.pop("ScheduleDatetime", NIL),
        "BeginTime": NIL,
        "EndTime": NIL,
        "WorkingDays": False,
        "IsFlash": False,
    }
    assert not fields, f"unknown Sms fields {fields}"
    return item


@dataclass
class Answer:
    """A SOAP answer: the HTTP status, the envelope and the ``<OpResult>`` (if any)."""

    status: int
    root: etree._Element
    result: etree._Element | None
    namespace: str

    def __getitem__(self, path: str) -> str | None:
        """The text at ``A/B/C`` under the result (names without namespace)."""
        assert self.result is not None
        steps = "/".join(f"{{{self.namespace}}}{step}" for step in path.split("/"))
        found = self.result.find(steps)
        return None if found is None else found.text

    def all(self, path: str) -> list[etree._Element]:
        assert self.result is not None
        steps = "/".join(f"{{{self.namespace}}}{step}" for step in path.split("/"))
        return self.result.findall(steps)

    @property
    def fault(self) -> tuple[str, str] | None:
        found = self.root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
        if found is None:
            return None
        return found.findtext("faultcode") or "", found.findtext("faultstring") or ""


class SoapCaller:
    """Raw SOAP 1.1 over httpx, with every answer checked against the served schema."""

    def __init__(self, server: SandboxServer, client: httpx.AsyncClient) -> None:
        self.server = server
        self.client = client
        self.namespace = ""
        self.schema: etree.XMLSchema | None = None

    async def load(self) -> None:
        response = await self.client.get(self.server.wsdl_url)
        root = etree.fromstring(response.content)
        self.namespace = root.get("targetNamespace") or ""
        source = root.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
        assert source is not None
        nsmap = {k: v for k, v in root.nsmap.items() if k}
        schema_root = etree.Element(source.tag, dict(source.attrib), nsmap=nsmap)
        for child in source:
            schema_root.append(copy.deepcopy(child))
        self.schema = etree.XMLSchema(schema_root)

    def envelope(self, operation: str, fields: dict[str, Any]) -> bytes:
        inner = "".join(to_xml(k, v) for k, v in fields.items())
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="{XSI_NS}"><soap:Body>'
            f'<{operation} xmlns="{self.namespace}">{inner}</{operation}>'
            "</soap:Body></soap:Envelope>"
        ).encode()

    async def post(self, body: bytes, action: str | None = None, **kw: Any) -> httpx.Response:
        headers = {"Content-Type": "text/xml; charset=utf-8"}
        if action is not None:
            headers["SOAPAction"] = f'"{action}"'
        return await self.client.post(self.server.endpoint, content=body, headers=headers, **kw)

    def read(self, operation: str, response: httpx.Response) -> Answer:
        root = etree.fromstring(response.content)
        assert root.tag == f"{{{SOAP_ENV}}}Envelope"
        body = root.find(f"{{{SOAP_ENV}}}Body")
        assert body is not None
        wrapper = body[0]
        result = None
        if wrapper.tag == f"{{{self.namespace}}}{operation}Response":
            assert response.status_code == 200
            assert self.schema is not None
            self.schema.assertValid(copy.deepcopy(wrapper))
            result = wrapper.find(f"{{{self.namespace}}}{operation}Result")
        else:
            assert response.status_code == 500
        return Answer(response.status_code, root, result, self.namespace)

    async def call(self, operation: str, **fields: Any) -> Answer:
        body = self.envelope(operation, fields)
        response = await self.post(body, f"{self.namespace}{operation}")
        return self.read(operation, response)

    async def state(self) -> dict[str, Any]:
        response = await self.client.get(f"{self.server.url}/_sandbox/state")
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture
async def soap(sandbox: SandboxServer) -> AsyncIterator[SoapCaller]:
    async with httpx.AsyncClient(timeout=10) as client:
        caller = SoapCaller(sandbox, client)
        await caller.load()
        yield caller


@pytest.fixture
def make_sms() -> Callable[..., dict]:
    return sms


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The base URL of a PostgreSQL 15 server for the session: ``TEST_DATABASE_URL``, or a
    throwaway cluster on 127.0.0.1 (never skipped: a server that cannot start fails the tests)."""
    with server_url() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh empty database of ``postgres_server`` for one test, dropped after it."""
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
