"""The HTTP transport under zeep: redacts secrets and sorts failures.

zeep's own ``AsyncTransport`` logs whole envelopes, passwords included, at
DEBUG. This subclass (zeep's documented extension point) logs them redacted
and turns httpx's failures into our errors, split by one question: could the
request have reached the provider?
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
from lxml import etree
from zeep.transports import AsyncTransport

from bot.errors import OutcomeUnknown, ProviderUnavailable

log = logging.getLogger("bot.usendit.transport")

_SECRET_ELEMENT = re.compile(
    rb"(<(?:[\w.-]+:)?(?:password|Password)(?:\s[^>]*)?>)(.*?)(</(?:[\w.-]+:)?(?:password|Password)>)",
    re.DOTALL,
)

# Exceptions raised before any byte of the request could have been written.
_NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.InvalidURL,
    httpx.LocalProtocolError,
)


def redact(message: bytes) -> bytes:
    """The envelope with every password element's text replaced by ``***``."""
    return _SECRET_ELEMENT.sub(rb"\1***\3", message)


def operation_of(envelope: Any) -> str:
    """The operation an envelope calls: the local name of the Body's first child."""
    body = envelope.find("{*}Body")
    if body is None or len(body) == 0:
        return "unknown"
    return str(etree.QName(body[0]).localname)


class RedactingAsyncTransport(AsyncTransport):  # type: ignore[misc]
    """zeep's async transport, with redacted logs and our error classes."""

    def __init__(self, client: httpx.AsyncClient, wsdl_client: httpx.Client) -> None:
        super().__init__(client=client, wsdl_client=wsdl_client)
        # zeep's parent sets a logger that would print envelopes; ours redacts.
        self.logger = log

    async def post_xml(self, address: str, envelope: Any, headers: dict[str, str]) -> Any:
        operation = operation_of(envelope)
        message: bytes = etree.tostring(envelope, encoding="utf-8", xml_declaration=False)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("POST %s %s:\n%s", address, operation, redact(message).decode("utf-8"))
        try:
            response = await self.client.post(address, content=message, headers=headers)
        except _NEVER_SENT as exc:
            raise ProviderUnavailable(
                f"{operation}: could not reach uSendit ({type(exc).__name__})",
                operation=operation,
            ) from exc
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise OutcomeUnknown(
                f"{operation}: no answer from uSendit after the request left "
                f"({type(exc).__name__}); it may have been processed",
                operation=operation,
            ) from exc
        body = response.content
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "answer %s %s (HTTP %d):\n%s",
                address,
                operation,
                response.status_code,
                redact(body).decode("utf-8", "replace"),
            )
        if response.status_code != 200 and b"Fault" not in body:
            raise OutcomeUnknown(
                f"{operation}: uSendit answered HTTP {response.status_code} without a SOAP "
                "answer; it may have been processed",
                operation=operation,
            )
        return self.new_response(response)
