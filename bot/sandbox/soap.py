"""SOAP 1.1 on the sandbox side: the WSDL, request parsing and validation, responses, faults.

Everything is read from the WSDL that was loaded: the target namespace, the
operation names, their SOAPActions and the XML schema (the ``xs:schema``
inside ``wsdl:types``, compiled with :class:`lxml.etree.XMLSchema`). Requests
are validated against that schema before any business rule runs, and
responses are built in the schema's field order from :data:`Node` trees.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias, cast

from lxml import etree

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

BUNDLED_WSDL = Path(__file__).resolve().parent.parent / "usendit" / "remoteusendit.wsdl"

Value: TypeAlias = "str | int | bool | Decimal | list[Node] | None"
"""A field value: a scalar, absent (``None``, the element is left out) or children."""
Node: TypeAlias = "tuple[str, Value]"
"""One element of a response: its local name and its value."""


class SoapFault(Exception):
    """A request the sandbox answers with a SOAP 1.1 Fault."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _parser() -> etree.XMLParser:
    # No entities, no network, no DTD: the body is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class ServiceDescription:
    """The loaded WSDL: namespace, operations, SOAPActions and the compiled schema."""

    def __init__(self, wsdl: bytes) -> None:
        self._wsdl = wsdl
        root = etree.fromstring(wsdl, _parser())
        tns = root.get("targetNamespace")
        if not tns:
            raise ValueError("the WSDL has no targetNamespace")
        self.namespace: str = tns
        self.operations: tuple[str, ...] = tuple(
            str(op.get("name"))
            for op in root.iterfind(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation")
        )
        self.soap_actions: dict[str, str] = {}
        for op in root.iterfind(f"{{{WSDL_NS}}}binding/{{{WSDL_NS}}}operation"):
            action = op.find(f"{{{WSDL_SOAP_NS}}}operation")
            if action is not None:
                self.soap_actions[str(op.get("name"))] = str(action.get("soapAction", ""))
        source = root.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
        if source is None:
            raise ValueError("the WSDL embeds no xs:schema")
        # The schema's QName values (type="tns:Sms") use prefixes declared on
        # wsdl:definitions, so the standalone copy must declare them too.
        nsmap = {k: v for k, v in root.nsmap.items() if k is not None}
        nsmap.update({k: v for k, v in source.nsmap.items() if k is not None})
        schema_root = etree.Element(source.tag, attrib=dict(source.attrib), nsmap=nsmap)
        for child in source:
            schema_root.append(copy.deepcopy(child))
        self.schema = etree.XMLSchema(schema_root)

    @classmethod
    def bundled(cls) -> ServiceDescription:
        """The WSDL shipped in ``bot/usendit``."""
        return cls(BUNDLED_WSDL.read_bytes())

    def wsdl_for(self, location: str) -> bytes:
        """The WSDL with every ``soap:address`` pointing at ``location``."""
        root = etree.fromstring(self._wsdl, _parser())
        for address in root.iter(f"{{{WSDL_SOAP_NS}}}address"):
            address.set("location", location)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))

    def identify(self, body: bytes, soap_action: str | None) -> tuple[str, etree._Element]:
        """Return (operation, request element) of a SOAP 1.1 request, or raise SoapFault.

        The operation is the Body's first element; a SOAPAction header, when
        given, must name the same operation. The element is a standalone copy.
        """
        try:
            root = etree.fromstring(body, _parser())
        except etree.XMLSyntaxError as exc:
            raise SoapFault("Client", f"The request is not well-formed XML: {exc.msg}") from exc
        if etree.QName(root).localname != "Envelope":
            raise SoapFault("Client", "The request is not a SOAP envelope.")
        if root.tag != f"{{{SOAP11_ENV}}}Envelope":
            raise SoapFault("VersionMismatch", "Only SOAP 1.1 envelopes are accepted.")
        body_el = root.find(f"{{{SOAP11_ENV}}}Body")
        if body_el is None:
            raise SoapFault("Client", "The envelope has no Body.")
        request = next((el for el in body_el if isinstance(el.tag, str)), None)
        if request is None:
            raise SoapFault("Client", "The Body holds no operation element.")
        qname = etree.QName(request)
        if qname.namespace != self.namespace or qname.localname not in self.operations:
            raise SoapFault(
                "Client", f"Server did not recognize the operation {qname.localname!r}."
            )
        operation = qname.localname
        if soap_action is not None:
            action = soap_action.strip().strip('"')
            if action and action != self.soap_actions.get(operation):
                raise SoapFault(
                    "Client",
                    f"Server did not recognize the value of HTTP Header SOAPAction: {action}.",
                )
        return operation, copy.deepcopy(request)

    def validate(self, element: etree._Element) -> None:
        """Raise a Client SoapFault unless ``element`` matches the WSDL's schema."""
        try:
            self.schema.assertValid(element)
        except etree.DocumentInvalid as exc:
            raise SoapFault("Client", f"The request does not match the schema: {exc}") from exc

    def response(self, operation: str, result: list[Node]) -> bytes:
        """The envelope of ``<OperationResponse><OperationResult>...``."""
        envelope = etree.Element(f"{{{SOAP11_ENV}}}Envelope", nsmap={"soap": SOAP11_ENV})
        body = etree.SubElement(envelope, f"{{{SOAP11_ENV}}}Body")
        wrapper = etree.SubElement(
            body, f"{{{self.namespace}}}{operation}Response", nsmap=_default_ns(self.namespace)
        )
        _render(wrapper, [(f"{operation}Result", result)], self.namespace)
        return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def _default_ns(namespace: str) -> dict[str, str]:
    # lxml takes None as the default prefix; its stubs only allow str keys.
    return cast(dict[str, str], {None: namespace})


def _scalar(value: str | int | bool | Decimal) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _render(parent: etree._Element, nodes: list[Node], namespace: str) -> None:
    for name, value in nodes:
        if value is None:
            continue
        element = etree.SubElement(parent, f"{{{namespace}}}{name}")
        if isinstance(value, list):
            _render(element, value, namespace)
        else:
            element.text = _scalar(value)


def fault_envelope(code: str, message: str) -> bytes:
    """A SOAP 1.1 Fault, as ASMX sends it (with HTTP 500)."""
    envelope = etree.Element(f"{{{SOAP11_ENV}}}Envelope", nsmap={"soap": SOAP11_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP11_ENV}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP11_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap:{code}"
    etree.SubElement(fault, "faultstring").text = message
    etree.SubElement(fault, "detail")
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


@dataclass(frozen=True)
class Params:
    """Typed access to the fields of a validated request element."""

    element: etree._Element
    namespace: str

    def _find(self, name: str) -> etree._Element | None:
        return self.element.find(f"{{{self.namespace}}}{name}")

    def has(self, name: str) -> bool:
        return self._find(name) is not None

    def text(self, name: str) -> str | None:
        """The field's text; ``None`` when absent or nil, ``""`` when empty."""
        found = self._find(name)
        if found is None or found.get(f"{{{XSI_NS}}}nil") in ("true", "1"):
            return None
        return found.text or ""

    def integer(self, name: str) -> int | None:
        raw = self.text(name)
        return None if raw is None else int(raw.strip())

    def boolean(self, name: str) -> bool:
        return (self.text(name) or "").strip() in ("true", "1")

    def child(self, name: str) -> Params | None:
        found = self._find(name)
        if found is None or found.get(f"{{{XSI_NS}}}nil") in ("true", "1"):
            return None
        return Params(found, self.namespace)

    def children(self, name: str) -> list[Params | None]:
        """Repeated elements; a nil item is ``None``."""
        return [
            None if item.get(f"{{{XSI_NS}}}nil") in ("true", "1") else Params(item, self.namespace)
            for item in self.element.iterfind(f"{{{self.namespace}}}{name}")
        ]
