"""SendMessages without zeep on the way: the request written as text, the answer read with lxml.

Per recipient, zeep spends about 90 µs building a SendMessages request and 60 µs
reading its answer; a campaign's chunks are thousands of Sms. This module does
both for that one operation, several times faster, and zeep stays the authority:

- Everything is compiled, when the client starts, from zeep's own reading of the
  loaded WSDL: the envelope's framing (zeep builds an empty request once and the
  Sms are written inside it), the element names, their order and namespace, which
  are required, the SOAPAction and Content-Type headers zeep would send.
- A WSDL this writer does not cover (attributes, choices, other namespaces,
  types other than string, int, boolean and dateTime, WS-Addressing, plugins)
  compiles to :class:`Unsupported`, and the client keeps zeep for the operation.
- A call whose values are not exactly the plain types compiled for (a ``None``
  where the schema wants an element, an unknown key...) is declined: zeep builds
  that request as before.
- An answer is read only when it is exactly the shape compiled for (HTTP 200,
  one Envelope, one Body, one ``SendMessagesResponse``, every element in schema
  order, no attributes, comments, DTD or stray elements, integers in plain
  digits). Anything else (a Fault, an HTML page, truncated XML, a surprise) is
  declined, and zeep's reading makes of it what it always did, errors included.

``tests/test_fast_send.py`` proves, on random Sms lists and random sandbox
answers, that the bytes are zeep's request as canonical XML and that the answer
reads as the same result.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from zeep.wsdl.messages.soap import DocumentMessage
from zeep.xsd import ComplexType, Element, Sequence
from zeep.xsd.types.builtins import Boolean, DateTime, Integer, String

log = logging.getLogger(__name__)

# What a leaf holds; a complex element has a shape instead.
_STRING, _INT, _BOOL, _DATETIME, _COMPLEX = range(5)


# zeep reads attributes (xsi:nil, xsi:type...) and drops comments; read here, any of
# them would need zeep's rules, so one look in C finds them and declines.
_ANYTHING_BUT_ELEMENTS_AND_TEXT = etree.XPath(
    "boolean(//@* | //comment() | //processing-instruction())"
)


class Unsupported(Exception):
    """The loaded WSDL has something this writer does not cover; zeep does the operation."""


class _Decline(Exception):
    """This call's values, or this answer, are not exactly what was compiled for."""


@dataclass(frozen=True, slots=True)
class _Field:
    key: str
    """The name zeep takes the value by (``smsList``, ``MessageText``)."""
    tag: str
    """Clark notation, for reading: ``{namespace}Name``."""
    open: str
    close: str
    required: bool
    many: bool
    kind: int
    shape: _Shape | None


@dataclass(frozen=True, slots=True)
class _Shape:
    """A complex type: a sequence of elements, nothing else."""

    fields: tuple[_Field, ...]
    keys: frozenset[str]


def _escape(text: str) -> str:
    # What lxml escapes in text: &, <, > and CR (a raw CR would be read back as LF).
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _leaf_kind(xsd_type: Any, writing: bool) -> int:
    if isinstance(xsd_type, String):
        return _STRING
    if isinstance(xsd_type, Integer):
        return _INT
    if writing and isinstance(xsd_type, Boolean):
        return _BOOL
    if writing and isinstance(xsd_type, DateTime):
        return _DATETIME
    raise Unsupported(f"type {xsd_type!r} is not written or read here")


def _shape(xsd_type: Any, namespace: str, prefix: str, writing: bool, depth: int = 0) -> _Shape:
    if depth > 8:
        raise Unsupported("types nested deeper than this writer goes")
    if not isinstance(xsd_type, ComplexType):
        raise Unsupported(f"{xsd_type!r} is not a complex type")
    if xsd_type.attributes or xsd_type._extension is not None or xsd_type._restriction is not None:
        raise Unsupported(f"{xsd_type!r} has attributes or derives from another type")
    indicator = xsd_type._element
    if (
        not isinstance(indicator, Sequence)
        or indicator.min_occurs != 1
        or indicator.max_occurs != 1
    ):
        raise Unsupported(f"{xsd_type!r} is not one plain sequence")
    fields = []
    for name, element in indicator.elements_nested:
        if name is None or type(element) is not Element:
            raise Unsupported(f"{xsd_type!r} holds something other than elements")
        fields.append(_field(name, element, namespace, prefix, writing, depth))
    return _Shape(tuple(fields), frozenset(field.key for field in fields))


def _field(
    name: str, element: Any, namespace: str, prefix: str, writing: bool, depth: int
) -> _Field:
    qname = element.qname
    if element.default is not None:
        raise Unsupported(f"{qname} has a default value")
    if element.max_occurs not in (1, "unbounded") or element.min_occurs not in (0, 1):
        raise Unsupported(f"{qname} occurs {element.min_occurs}..{element.max_occurs} times")
    if qname.namespace == namespace:
        written = f"{prefix}:{qname.localname}"
    elif not qname.namespace:
        written = qname.localname
    else:
        raise Unsupported(f"{qname} is in another namespace")
    complex_ = isinstance(element.type, ComplexType)
    return _Field(
        key=name,
        tag=qname.text,
        open=f"<{written}>",
        close=f"</{written}>",
        required=element.min_occurs >= 1,
        many=element.max_occurs == "unbounded",
        kind=_COMPLEX if complex_ else _leaf_kind(element.type, writing),
        shape=_shape(element.type, namespace, prefix, writing, depth + 1) if complex_ else None,
    )


# --- writing ----------------------------------------------------------------------


def _write(shape: _Shape, value: object, out: list[str]) -> None:
    if type(value) is not dict or not shape.keys.issuperset(value):
        raise _Decline
    for field in shape.fields:
        item = value.get(field.key)
        if item is None:
            # zeep leaves an absent optional element out, and writes an empty or nil
            # one for a required element: that is zeep's to write.
            if field.required:
                raise _Decline
            continue
        if field.many:
            if type(item) is not list or (field.required and not item):
                raise _Decline
            for one in item:
                _write_one(field, one, out)
        else:
            _write_one(field, item, out)


def _write_one(field: _Field, value: object, out: list[str]) -> None:
    kind = field.kind
    if kind == _STRING:
        if type(value) is not str:
            raise _Decline
        out.append(f"{field.open}{_escape(value)}{field.close}")
    elif kind == _INT:
        if type(value) is not int:
            raise _Decline
        out.append(f"{field.open}{value}{field.close}")
    elif kind == _BOOL:
        if type(value) is not bool:
            raise _Decline
        out.append(f"{field.open}{'true' if value else 'false'}{field.close}")
    elif kind == _DATETIME:
        if type(value) is not datetime:
            raise _Decline
        # zeep's DateTime.xmlvalue, the same expression.
        out.append(f"{field.open}{value.isoformat().replace('+00:00', 'Z')}{field.close}")
    else:
        assert field.shape is not None
        out.append(field.open)
        _write(field.shape, value, out)
        out.append(field.close)


# --- reading ----------------------------------------------------------------------


def _read(shape: _Shape, element: etree._Element) -> dict[str, Any] | None:
    """zeep's reading of a complex element, or _Decline where it could differ.

    The document is known to hold no attribute, comment or PI (checked once, in C).
    """
    result: dict[str, Any] = {}
    fields = shape.fields
    count = len(fields)
    at = 0  # the field the next child may fill
    for child in element:
        tag = child.tag
        while at < count:
            field = fields[at]
            if field.tag == tag:
                break
            _nothing_more(field, result)
            at += 1
        else:
            raise _Decline  # out of order, repeated, or unknown: zeep's to judge
        if field.shape is not None:
            value = _read(field.shape, child)
        else:
            value = _read_leaf(field.kind, child)
        if field.many:
            result.setdefault(field.key, []).append(value)
        else:
            result[field.key] = value
            at += 1
    if not result:
        return None  # zeep: a complex element with no children and no attributes is None
    for field in fields[at:]:
        _nothing_more(field, result)
    return result


def _nothing_more(field: _Field, result: dict[str, Any]) -> None:
    if field.key not in result:
        if field.required:
            raise _Decline
        result[field.key] = [] if field.many else None


def _read_leaf(kind: int, element: etree._Element) -> Any:
    if len(element):
        raise _Decline  # a simple element with children
    text = element.text
    if text is None:
        return None  # zeep: an empty simple element is None, for strings too
    if kind == _INT:
        # Plain ASCII digits only: zeep's int() reads them the same; anything fancier
        # ("+1", " 1", "1_0", other scripts' digits) is left to zeep.
        digits = text[1:] if text[:1] == "-" else text
        if not (digits.isascii() and digits.isdecimal()):
            raise _Decline
        return int(text)
    return text


# --- the operation -------------------------------------------------------------------


class FastOperation:
    """One document/literal operation written and read without zeep.

    Build it with :meth:`compile`; :meth:`request` and :meth:`read` return
    ``None`` where zeep must do the work instead.
    """

    def __init__(
        self,
        operation: str,
        headers: Mapping[str, str],
        head: str,
        tail: str,
        request_shape: _Shape,
        envelope_tag: str,
        body_tag: str,
        response_tag: str,
        response_shape: _Shape,
        huge_tree: bool,
    ) -> None:
        self.operation = operation
        self.headers = dict(headers)
        self._head = head
        self._tail = tail
        self._request = request_shape
        self._envelope_tag = envelope_tag
        self._body_tag = body_tag
        self._response_tag = response_tag
        self._response = response_shape
        self._huge_tree = huge_tree

    @classmethod
    def compile(cls, zeep_client: Any, binding: Any, operation: str, address: str) -> FastOperation:
        """Compile ``operation`` of ``binding`` as zeep reads the WSDL, or raise Unsupported."""
        try:
            return cls._compile(zeep_client, binding, operation, address)
        except Unsupported:
            raise
        except Exception as exc:
            # zeep's internals are not an API: if they moved, zeep keeps the operation.
            raise Unsupported(f"zeep's description could not be read ({exc!r})") from exc

    @classmethod
    def _compile(
        cls, zeep_client: Any, binding: Any, operation: str, address: str
    ) -> FastOperation:
        settings = zeep_client.settings
        if not settings.strict:
            raise Unsupported("zeep is not strict: its reading of odd answers would differ")
        if zeep_client.plugins or zeep_client.wsse is not None:
            raise Unsupported("zeep plugins or WS-Security would change the request")
        soap = binding.get(operation)
        if soap is None:
            raise Unsupported(f"no operation {operation}")
        if soap.abstract.wsa_action:
            raise Unsupported("WS-Addressing would change the request")
        message_in, message_out = soap.input, soap.output
        for message in (message_in, message_out):
            if (
                type(message) is not DocumentMessage
                or message._is_body_wrapped
                or message.header.type._element
            ):
                raise Unsupported("not one document/literal body without SOAP headers")
        # zeep builds the request with no values once: its envelope, with the prefixes
        # and declarations it uses, frames every request written here.
        envelope, headers = binding._create(
            operation, (), {}, client=zeep_client, options={"address": address}
        )
        envelope_ns = binding.nsmap["soap-env"]
        body_tag = f"{{{envelope_ns}}}Body"
        if envelope.tag != f"{{{envelope_ns}}}Envelope" or [c.tag for c in envelope] != [body_tag]:
            raise Unsupported("zeep's envelope is not one Envelope with one Body")
        (wrapper,) = envelope[0]
        request_qname = message_in.body.qname
        if wrapper.tag != request_qname.text or wrapper.attrib or wrapper.prefix is None:
            raise Unsupported("zeep's request element is not the plain prefixed one expected")
        namespace, prefix = request_qname.namespace, wrapper.prefix
        request_shape = _shape(message_in.body.type, namespace, prefix, writing=True)
        for child in list(wrapper):
            wrapper.remove(child)
        marker = f"fast-send-{uuid.uuid4().hex}"
        wrapper.text = marker
        framed = etree.tostring(envelope, encoding="utf-8", xml_declaration=False).decode()
        head, _, tail = framed.partition(marker)
        if not tail or marker in tail:
            raise Unsupported("zeep's envelope could not be framed")

        response = message_out.body
        response_shape = _shape(response.type, namespace, prefix, writing=False)
        if len(response_shape.fields) != 1 or response_shape.fields[0].shape is None:
            raise Unsupported("the answer is not one wrapped result")
        result = response_shape.fields[0].shape
        if len(result.fields) < 2:
            raise Unsupported("zeep would unwrap a one-field result further")
        return cls(
            operation,
            headers,
            head,
            tail,
            request_shape,
            envelope.tag,
            body_tag,
            response.qname.text,
            response_shape,
            bool(settings.xml_huge_tree),
        )

    def request(self, arguments: Mapping[str, Any]) -> bytes | None:
        """The request's bytes for these arguments (zeep's names and values), as zeep's
        transport would post them; ``None`` when zeep must build this one."""
        out = [self._head]
        try:
            _write(self._request, arguments if type(arguments) is dict else dict(arguments), out)
        except _Decline:
            log.debug("%s: request left to zeep", self.operation)
            return None
        out.append(self._tail)
        return "".join(out).encode("utf-8")

    def read(self, response: Any) -> dict[str, Any] | None:
        """The result as ``serialize_object(zeep's reading, dict)`` gives it, from the
        transport's answer; ``None`` when zeep must read this one."""
        try:
            result = self._read(response)
        except Exception:
            # An untrusted answer: whatever this reading cannot take, zeep reads (and
            # fails on, with the errors callers know).
            result = None
        if result is None:
            log.debug("%s: answer left to zeep", self.operation)
        return result

    def _read(self, response: Any) -> dict[str, Any] | None:
        if response.status_code != 200:
            return None
        media = str(response.headers.get("Content-Type", "text/xml")).lower()
        if "multipart" in media:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=self._huge_tree)
        root = etree.fromstring(response.content, parser)
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            return None  # any DOCTYPE: zeep forbids DTDs and entities, with its own errors
        if _ANYTHING_BUT_ELEMENTS_AND_TEXT(root):
            return None
        if root.tag != self._envelope_tag or len(root) != 1:
            return None
        body = root[0]
        if body.tag != self._body_tag or len(body) != 1:
            return None
        wrapper = body[0]
        if wrapper.tag != self._response_tag:
            return None
        read = _read(self._response, wrapper)
        if read is None:
            return None
        result = read[self._response.fields[0].key]
        return result if isinstance(result, dict) else None


__all__ = ["FastOperation", "Unsupported"]
