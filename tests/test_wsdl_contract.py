"""The bundled WSDL matches the contract page, table by table.

The page is ``usendit-contract.md`` (``../shared/`` beside the checkout, with a
copy in ``tests/data`` so the test also runs without it; when both exist they
must agree, so a change of the page is noticed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from bot.usendit.client import bundled_wsdl

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
HERE = Path(__file__).parent
COPY = HERE / "data" / "usendit-contract.md"
SHARED = HERE.parent.parent / "shared" / "usendit-contract.md"

SIMPLE = {
    "string": "string",
    "int": "int",
    "bool": "boolean",
    "dateTime": "dateTime",
    "decimal/double": "decimal",
    "short": "short",
}


def _section(text: str, title: str) -> list[list[str]]:
    """The rows (cells) of the first table after the heading ``title``."""
    part = text.split(f"## {title}", 1)[1]
    rows = []
    for line in part.splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not set(line) <= set("|- "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # the header


def _page() -> str:
    return COPY.read_text(encoding="utf-8")


def test_copy_is_the_shared_page() -> None:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SHARED.read_text(encoding="utf-8") == _page()


@pytest.fixture(scope="module")
def schema() -> etree._Element:
    doc = etree.parse(str(bundled_wsdl()))
    found = doc.find(f".//{{{XS}}}schema")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def wsdl() -> etree._ElementTree:
    return etree.parse(str(bundled_wsdl()))


def _local(qname: str) -> str:
    return qname.split(":", 1)[-1]


def _fields(node: etree._Element) -> list[tuple[str, str, bool, bool]]:
    seq = node.find(f"{{{XS}}}sequence")
    if seq is None:
        seq = node.find(f"{{{XS}}}complexType/{{{XS}}}sequence")
    assert seq is not None
    return [
        (
            el.get("name", ""),
            _local(el.get("type", "")),
            el.get("minOccurs") == "1",
            el.get("nillable") == "true",
        )
        for el in seq
    ]


def _contract_fields(spec: str) -> list[tuple[str, str, bool, bool]]:
    fields = []
    for raw in spec.split(";"):
        words = raw.replace("`", "").split()
        name = words[0]
        rest = [w for w in words[1:] if not w.startswith("(") and not w.endswith(")")]
        required = "req" in rest
        rest = [w for w in rest if w != "req"]
        # A field without a type is a string, unless required: then it is the
        # enumeration of the same name ("ConfirmAccountStatus req").
        kind = rest[0] if rest else ("enum" if required else "string")
        nillable = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind == "enum":
            kind = name
        fields.append((name, SIMPLE.get(kind, kind), required, nillable))
    return fields


def test_operations_and_arguments(wsdl: etree._ElementTree, schema: etree._Element) -> None:
    rows = _section(_page(), "Operations (v1)")
    assert len(rows) == 12
    port_ops = [op.get("name") for op in wsdl.findall(f"{{{WSDL}}}portType/{{{WSDL}}}operation")]
    assert sorted(port_ops) == sorted(row[0] for row in rows)
    for name, arguments, result, _ in rows:
        element = schema.find(f"{{{XS}}}element[@name='{name}']")
        assert element is not None, name
        expected = []
        for arg in arguments.split(","):
            arg_name, _, kind = arg.strip().partition(":")
            kind = kind.strip() or "string"
            expected.append((arg_name.strip(), SIMPLE.get(kind, kind)))
        assert [(n, t) for n, t, _, _ in _fields(element)] == expected, name
        response = schema.find(f"{{{XS}}}element[@name='{name}Response']")
        assert response is not None, name
        assert _fields(response) == [(f"{name}Result", result, False, False)], name
        binding_op = wsdl.find(f"{{{WSDL}}}binding/{{{WSDL}}}operation[@name='{name}']")
        assert binding_op is not None
        soap_op = binding_op.find(f"{{{SOAP}}}operation")
        assert soap_op is not None
        assert soap_op.get("soapAction", "").endswith(f"/{name}")
        assert soap_op.get("style") == "document"


def test_every_type_field_by_field(schema: etree._Element) -> None:
    rows = _section(_page(), "Types, fields in sequence order")
    names = set()
    for name, spec in rows:
        names.add(name)
        node = schema.find(f"{{{XS}}}complexType[@name='{name}']")
        assert node is not None, name
        array = re.fullmatch(r"(\w+)\[\].*", spec)
        if array:
            item = array.group(1)
            assert _fields(node) == [(item, item, False, True)], name
            continue
        assert _fields(node) == _contract_fields(spec), name
    declared = {n.get("name") for n in schema.findall(f"{{{XS}}}complexType")}
    arrays = {"ArrayOfPack", "ArrayOfPartnerEvent"}  # named in fields, not in their own rows
    assert declared == names | arrays


def test_every_enumeration_value(schema: etree._Element) -> None:
    rows = _section(_page(), "Enumerations (xs:string restrictions)")
    expected: dict[str, list[str]] = {}
    for name, spec in rows:
        values: list[str] = []
        based = re.match(r"the (\w+) values plus (.*)", spec)
        if based:
            values = list(expected[based.group(1)])
            spec = based.group(2)
        values += [v.strip() for v in spec.split(",")]
        expected[name] = values
    declared = {}
    for node in schema.findall(f"{{{XS}}}simpleType"):
        declared[node.get("name")] = [
            e.get("value") for e in node.findall(f"{{{XS}}}restriction/{{{XS}}}enumeration")
        ]
    assert declared == expected


def test_service_and_port_names(wsdl: etree._ElementTree) -> None:
    root = wsdl.getroot()
    assert root.get("targetNamespace") == "http://api.usendit.pt/v1/"
    service = root.find(f"{{{WSDL}}}service")
    assert service is not None
    assert service.get("name") == "RemoteUsendit"
    port = service.find(f"{{{WSDL}}}port")
    assert port is not None
    assert port.get("name") == "RemoteUsenditSoap"
