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
- The answer's long list (a thousand ``SmsScheduled``), when written in the plain
  form, is read from its text (:mod:`bot.usendit.xml_rows`), and lxml reads the
  rest of the document with a marker in its place.
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
from typing import Any

from lxml import etree
from zeep.wsdl.messages.soap import DocumentMessage

from bot.usendit.models import has_illegal_characters
from bot.usendit.xml_rows import RowList
from bot.usendit.xml_shapes import (
    Checked,
    Decline,
    Reader,
    Repeated,
    Unsupported,
    Writer,
    compile_reader,
    compile_writer,
    shape_of,
)

log = logging.getLogger(__name__)


# zeep reads attributes (xsi:nil, xsi:type...) and drops comments; read here, any of
# them would need zeep's rules, so one look in C finds them and declines.
_ANYTHING_BUT_ELEMENTS_AND_TEXT = etree.XPath(
    "boolean(//@* | //comment() | //processing-instruction())"
)


_LIBXML2_MAX_TEXT = 10_000_000
"""libxml2's XML_MAX_TEXT_LENGTH: the longest text node it builds without XML_PARSE_HUGE."""


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
        write: Writer,
        envelope_tag: str,
        body_tag: str,
        response_tag: str,
        read: Reader,
        result_key: str,
        huge_tree: bool,
        rows: RowList | None = None,
    ) -> None:
        self.operation = operation
        self.headers = dict(headers)
        self._head = head
        self._tail = tail
        self._write = write
        self._envelope_tag = envelope_tag
        self._body_tag = body_tag
        self._response_tag = response_tag
        self._read_response = read
        self._result_key = result_key
        self._huge_tree = huge_tree
        self._rows = rows

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
        request_shape = shape_of(message_in.body.type, namespace, prefix, writing=True)
        for child in list(wrapper):
            wrapper.remove(child)
        marker = f"fast-send-{uuid.uuid4().hex}"
        wrapper.text = marker
        framed = etree.tostring(envelope, encoding="utf-8", xml_declaration=False).decode()
        head, _, tail = framed.partition(marker)
        if not tail or marker in tail:
            raise Unsupported("zeep's envelope could not be framed")

        response = message_out.body
        response_shape = shape_of(response.type, namespace, prefix, writing=False)
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
            compile_writer(request_shape),
            envelope.tag,
            body_tag,
            response.qname.text,
            compile_reader(response_shape),
            response_shape.fields[0].key,
            bool(settings.xml_huge_tree),
            RowList.of(response_shape),
        )

    @property
    def row_list(self) -> RowList | None:
        """The answer's list read from its text (:mod:`bot.usendit.xml_rows`), if any."""
        return self._rows

    def request(self, arguments: Mapping[str, Any]) -> bytes | None:
        """The request's bytes for these arguments (zeep's names and values), as zeep's
        transport would post them; ``None`` when zeep must build this one, or when a
        value has a character XML cannot carry (for the caller to refuse, saying where).
        """
        out = [self._head]
        try:
            self._write(arguments if type(arguments) is dict else dict(arguments), out.append)
        except Decline:
            log.debug("%s: request left to zeep", self.operation)
            return None
        out.append(self._tail)
        # The markup is plain ASCII and escaping adds none: one pass over the request
        # finds such a character in any value (the repeated rows were checked value by
        # value, each distinct one once).
        if has_illegal_characters("".join(part for part in out if type(part) is not Checked)):
            return None
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
        content = response.content
        # The long list, in its plain form, is read from the text; lxml reads the rest.
        # Unless huge_tree is on, libxml2 (and zeep with it) refuses a text node of
        # 10,000,000 bytes or more: an answer that long has its list read in the tree.
        cut = (
            self._rows.cut(content)
            if self._rows is not None and (self._huge_tree or len(content) < _LIBXML2_MAX_TEXT)
            else None
        )
        if cut is not None:
            content, rows = cut
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=self._huge_tree)
        root = etree.fromstring(content, parser)
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
        read = self._read_response(wrapper)
        if read is None:
            return None
        if cut is not None:
            if docinfo.encoding.lower() not in ("utf-8", "utf8"):
                return None  # the rows were read as UTF-8
            assert self._rows is not None
            if not self._rows.fill(wrapper, read, rows):
                return None
        result = read[self._result_key]
        return result if isinstance(result, dict) else None


def expanded(value: Any) -> Any:
    """``value`` with every :class:`Repeated` in it the list it stands for: the
    arguments as zeep takes them."""
    if type(value) is Repeated:
        return value.expand()
    if type(value) is dict:
        return {key: expanded(item) for key, item in value.items()}
    if type(value) is list:
        return [expanded(item) for item in value]
    return value


__all__ = ["FastOperation", "Repeated", "Unsupported", "expanded"]
