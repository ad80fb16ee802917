"""The HTTP transport under zeep: redacts secrets and sorts failures.

zeep's own ``AsyncTransport`` logs whole envelopes, passwords included, at
DEBUG. This subclass (zeep's documented extension point) logs them redacted
and turns httpx's failures into our errors, split by one question: could the
request have reached the provider?

It is the one seam between zeep and the network, so its last ``except``
catches ``httpx.HTTPError``, the root of httpx's errors (as python-telegram-bot's
``HTTPXRequest.do_request`` does): no httpx exception gets past it.

- raised before a byte could be written (:data:`_NEVER_SENT`: connect, pool,
  URL), or the client already stopped -> ProviderUnavailable;
- DecodingError (an answer came, its body cannot be decoded: bad gzip...) ->
  MalformedResponse;
- TooManyRedirects, timeouts after connecting, dropped connections, any other
  ``HTTPError``, and an HTTP error page that is no SOAP answer -> OutcomeUnknown.

Once the request has left, nothing raised here may pass for "never sent":
the client reads any foreign error from the envelope-and-post step as a
request zeep could not build.

Redirects are never followed (httpx's default, kept): following a 307 would
POST the same SendMessages again elsewhere. A redirect answer is no SOAP
answer, so OutcomeUnknown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import httpx
from lxml import etree
from zeep.transports import AsyncTransport

from bot.errors import ErrorPage, MalformedResponse, OutcomeUnknown, ProviderUnavailable

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
        message: bytes = etree.tostring(envelope, encoding="utf-8", xml_declaration=False)
        return await self.post_message(address, message, headers, operation_of(envelope))

    async def post_message(
        self, address: str, message: bytes, headers: Mapping[str, str], operation: str
    ) -> Any:
        """Post an envelope already written (zeep's, or the fast SendMessages one):
        the same logs, errors and answer object for both."""
        if log.isEnabledFor(logging.DEBUG):
            log.debug("POST %s %s:\n%s", address, operation, redact(message).decode("utf-8"))
        if self.client.is_closed:
            # httpx would raise a RuntimeError; nothing can have left.
            raise ProviderUnavailable(f"{operation}: the client is stopped", operation=operation)
        try:
            response = await self.client.post(address, content=message, headers=dict(headers))
        except _NEVER_SENT as exc:
            raise ProviderUnavailable(
                f"{operation}: could not reach uSendit ({type(exc).__name__})",
                operation=operation,
            ) from exc
        except httpx.DecodingError as exc:
            raise MalformedResponse(
                f"{operation}: uSendit's answer could not be decoded ({type(exc).__name__}); "
                "it may have been processed",
                operation=operation,
            ) from exc
        except httpx.HTTPError as exc:
            # The root of httpx's errors, last: timeouts after connecting, dropped
            # connections, TooManyRedirects... the request may have been processed.
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
            raise ErrorPage(
                f"{operation}: uSendit answered HTTP {response.status_code} without a SOAP "
                "answer; it may have been processed",
                operation=operation,
                status=response.status_code,
            )
        try:
            return self.new_response(response)
        except Exception as exc:
            # After the request left, nothing may pass for "never sent" (the client
            # reads any other error from here as a request zeep could not build).
            raise MalformedResponse(
                f"{operation}: uSendit's answer could not be taken ({type(exc).__name__}); "
                "it may have been processed",
                operation=operation,
            ) from exc
