"""The sandbox's HTTP side: aiohttp routes, the in-process runner and the CLI entry point.

Routes:

=========================================  =====================================
``GET  /v1/remoteusendit.asmx?WSDL``       the WSDL, soap:address pointing here
``POST /v1/remoteusendit.asmx``            SOAP 1.1 (document/literal, wrapped)
``GET  /_sandbox/``                        the phones' inboxes, codes, payments
                                           (HTML, see :mod:`.inbox_page`;
                                           ``?number=`` one phone's inbox)
``GET  /_sandbox/state``                   accounts, outbox, events (each
                                           message with its delivery), payments,
                                           calls per operation, clock offset,
                                           armed faults (streamed: events are
                                           read as sent)
``GET|POST /_sandbox/clock``               the sandbox's time; move it with
                                           ``{"now": iso}``, ``{"advance": s}``
                                           or ``{"reset": true}``
``POST /_sandbox/faults``                  arm a fault (see :mod:`.faults`)
``GET|DELETE /_sandbox/faults``            list / clear the armed faults
``POST /_sandbox/reset``                   back to the initial state
``GET  /_sandbox/pay/<token>``             pay a BuyCredits reference by "card"
=========================================  =====================================

Usage::

    async with SandboxServer(port=0, accounts=["ana:secret:100"]) as sb:
        ...  # point a SOAP client at sb.wsdl_url

Request bodies are never logged: they carry passwords.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sandbox import accounts, inbox_page, messages
from bot.sandbox.context import DEFAULT_MAX_SMS, Context, Operation
from bot.sandbox.database import StateDatabase
from bot.sandbox.faults import Fault, FaultBoard, FaultMode
from bot.sandbox.inbox import Inbox
from bot.sandbox.migration import migrate_json_state
from bot.sandbox.numbers import phone_of
from bot.sandbox.soap import Params, ServiceDescription, SoapFault, fault_envelope
from bot.sandbox.state import SandboxState, parse_account_spec

logger = logging.getLogger(__name__)

SOAP_PATH = "/v1/remoteusendit.asmx"
OPERATIONS: dict[str, Operation] = {**accounts.OPERATIONS, **messages.OPERATIONS}
_XML = "text/xml"
_STREAM_CHUNK = 256 * 1024


class Sandbox:
    """The sandbox's behaviour behind the HTTP routes: state, faults, dispatch."""

    def __init__(
        self,
        *,
        accounts: list[str] | None = None,
        state_file: Path | None = None,
        max_sms: int = DEFAULT_MAX_SMS,
        service: ServiceDescription | None = None,
    ) -> None:
        self.service = service or ServiceDescription.bundled()
        self.account_specs = list(accounts or [])
        self.state_file = state_file
        self.max_sms = max_sms
        if state_file is not None:
            migrate_json_state(state_file)
        self.database = StateDatabase(state_file)
        self.inbox = Inbox(self.database.connection)
        try:
            loaded = self.database.load()
            self.state = loaded or SandboxState.initial(self.database.events, self.account_specs)
            if loaded is not None:
                # A kept state still takes the accounts named now (the banner lists them);
                # an account it already has keeps its credits and history.
                for spec in self.account_specs:
                    account = parse_account_spec(spec)
                    self.state.accounts.setdefault(account.username, account)
            self._save()
        except BaseException:
            self.database.close()
            raise
        self.faults = FaultBoard()
        self.stopping = asyncio.Event()

    def _save(self) -> None:
        """Commit the call: one transaction holds everything it changed."""
        self.database.save(self.state)

    def reset(self) -> None:
        self.database.clear()
        self.state = SandboxState.initial(self.database.events, self.account_specs)
        self.faults.clear()
        self._save()

    def close(self) -> None:
        """Close the state file (a temporary one is deleted)."""
        self.database.close()

    def arm(self, fault: Fault) -> None:
        self.faults.arm(fault)

    async def sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the sandbox stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(SOAP_PATH, self.handle_get)
        app.router.add_post(SOAP_PATH, self.handle_soap)
        app.router.add_get("/_sandbox", self.handle_inbox_slash)
        app.router.add_get(inbox_page.PAGE_PATH, self.handle_inbox)
        app.router.add_get("/_sandbox/state", self.handle_state)
        app.router.add_get("/_sandbox/clock", self.handle_clock)
        app.router.add_post("/_sandbox/clock", self.handle_clock_move)
        app.router.add_get("/_sandbox/faults", self.handle_faults_list)
        app.router.add_post("/_sandbox/faults", self.handle_faults_arm)
        app.router.add_delete("/_sandbox/faults", self.handle_faults_clear)
        app.router.add_post("/_sandbox/reset", self.handle_reset)
        app.router.add_get("/_sandbox/pay/{token}", self.handle_pay)
        return app

    # -- SOAP -------------------------------------------------------------

    async def handle_get(self, request: web.Request) -> web.StreamResponse:
        if any(key.lower() == "wsdl" for key in request.query):
            location = f"{request.scheme}://{request.host}{SOAP_PATH}"
            return web.Response(
                body=self.service.wsdl_for(location), content_type=_XML, charset="utf-8"
            )
        names = "".join(f"<li>{html.escape(op)}</li>" for op in self.service.operations)
        page = (
            "<html><body><h1>RemoteUsendit (sandbox)</h1>"
            f'<p><a href="{SOAP_PATH}?WSDL">Service description</a></p><ul>{names}</ul>'
            "</body></html>"
        )
        return web.Response(text=page, content_type="text/html")

    async def handle_soap(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            operation, element = self.service.identify(body, request.headers.get("SOAPAction"))
        except SoapFault as fault:
            logger.info("sandbox: rejected a request (%s)", fault.code)
            return _fault(fault.code, fault.message)
        self.state.count_call(operation)
        try:
            self.service.validate(element)
        except SoapFault as fault:
            self._save()
            logger.info("sandbox: %s rejected by the schema", operation)
            return _fault(fault.code, fault.message)
        armed = self.faults.take(operation)
        if armed is not None and not armed.commits:
            self._save()
            logger.info("sandbox: %s answered with fault %s", operation, armed.mode.value)
            return _faulty(armed.mode, None)
        if armed is not None and armed.mode is FaultMode.LATENCY:
            await self.sleep(armed.seconds)
        context = Context(self.state, f"{request.scheme}://{request.host}", self.max_sms)
        try:
            result = OPERATIONS[operation](context, Params(element, self.service.namespace))
        except Exception:
            logger.exception("sandbox: %s failed", operation)
            self._save()
            return _fault("Server", "Server was unable to process request.")
        self._save()
        answer = self.service.response(operation, result)
        logger.info("sandbox: %s answered", operation)
        if armed is None or armed.mode is FaultMode.LATENCY:
            return _xml(answer)
        if armed.mode is FaultMode.STALL_AFTER_COMMIT:
            await self.sleep(armed.seconds)
            return _xml(answer)
        if armed.mode is FaultMode.DROP_AFTER_COMMIT:
            if request.transport is not None:
                request.transport.close()
            # Nothing can be written any more; end the handler without a response.
            raise asyncio.CancelledError
        return _faulty(armed.mode, answer)

    # -- control routes ---------------------------------------------------

    async def handle_state(self, request: web.Request) -> web.StreamResponse:
        """The public view, streamed: events are read from the database a batch at a
        time while the response is written, so a big state is never in memory whole."""
        head = {**self.state.public_head(), "faults": self.faults.public()}
        pieces = self.state.events.public_json(
            below=self.state.next_event_id, now=self.state.clock.now()
        )
        response = web.StreamResponse(headers={"Content-Type": "application/json; charset=utf-8"})
        await response.prepare(request)
        await response.write((_dumps(head)[:-1] + ', "events": ').encode())
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= _STREAM_CHUNK:
                await response.write("".join(buffer).encode())
                buffer, size = [], 0
        await response.write(("".join(buffer) + "}").encode())
        await response.write_eof()
        return response

    async def handle_inbox_slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(inbox_page.PAGE_PATH)

    async def handle_inbox(self, request: web.Request) -> web.StreamResponse:
        """The inbox page: every phone, or one (``?number=``), a bounded page at a time."""
        try:
            start = _keyset(request.query.get("from"))
            older = _keyset(request.query.get("older"))
        except ValueError:
            return _page(400, "Bad request", "from and older take a message's place, as E.P.")
        now = self.state.clock.now()
        number = request.query.get("number", "").strip()[:32]
        if number:
            phone = self.inbox.phone(phone_of(number))
            shown = inbox_page.MESSAGES_PER_PAGE
            received = [] if phone is None else self.inbox.messages(phone, start, shown + 1)
            rest = received[shown].key if len(received) > shown else None
            page = inbox_page.inbox(number, phone, received[:shown], now, rest)
        else:
            phones, rest = self.inbox.recent_phones(older, inbox_page.PHONES_PER_PAGE)
            listed = [
                (p, self.inbox.messages(p, None, inbox_page.MESSAGES_PER_PHONE)) for p in phones
            ]
            page = inbox_page.overview(self.state, now, listed, rest)
        return web.Response(
            text=page,
            content_type="text/html",
            charset="utf-8",
            headers={
                "Content-Security-Policy": inbox_page.CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            },
        )

    async def handle_clock(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state.clock.public())

    async def handle_clock_move(self, request: web.Request) -> web.StreamResponse:
        """Set the sandbox's time (``now``, an ISO moment; Lisbon time without an offset),
        move it (``advance``, seconds) or give it back to the machine (``reset``)."""
        try:
            self.state.clock.move(await request.json())
        except (ValueError, TypeError, OverflowError) as exc:  # JSONDecodeError included
            return web.json_response({"error": str(exc)}, status=400)
        self._save()
        return web.json_response(self.state.clock.public())

    async def handle_faults_list(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"faults": self.faults.public()})

    async def handle_faults_arm(self, request: web.Request) -> web.StreamResponse:
        try:
            fault = Fault.from_json(await request.json(), self.service.operations)
        except (ValueError, json.JSONDecodeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.arm(fault)
        return web.json_response({"armed": fault.public(), "faults": self.faults.public()})

    async def handle_faults_clear(self, request: web.Request) -> web.StreamResponse:
        self.faults.clear()
        return web.json_response({"faults": []})

    async def handle_reset(self, request: web.Request) -> web.StreamResponse:
        self.reset()
        return web.json_response({"reset": True})

    async def handle_pay(self, request: web.Request) -> web.StreamResponse:
        payment = self.state.payments.get(request.match_info["token"])
        if payment is None:
            return _page(404, "Unknown payment", "This payment link does not exist.")
        if payment.paid_at is not None:
            return _page(200, "Already paid", f"This payment was completed at {payment.paid_at}.")
        account = self.state.accounts.get(payment.username)
        if account is None:
            return _page(410, "Account gone", "The account of this payment no longer exists.")
        payment.paid_at = self.state.clock.now().isoformat(timespec="seconds")
        account.credits += payment.credits
        self._save()
        logger.info("sandbox: payment of %s credits completed", payment.credits)
        return _page(
            200,
            "Payment accepted",
            f"{payment.amount} EUR paid: {payment.credits} credits added to "
            f"{account.account_name}.",
        )


def _keyset(raw: str | None) -> tuple[int, int] | None:
    """A page's keyset, a message's place written ``event_id.position``; raises
    ValueError when it is not one."""
    if raw is None or raw == "":
        return None
    event_id, dot, position = raw.partition(".")
    key = (int(event_id), int(position))
    if not dot or not all(0 <= n < 2**63 for n in key):
        raise ValueError(raw)
    return key


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _xml(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, content_type=_XML, charset="utf-8")


def _fault(code: str, message: str) -> web.Response:
    return _xml(fault_envelope(code, message), status=500)


def _page(status: int, title: str, text: str) -> web.Response:
    body = (
        f"<html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return web.Response(text=body, status=status, content_type="text/html")


def _faulty(mode: FaultMode, answer: bytes | None) -> web.Response:
    if mode is FaultMode.HTTP_500:
        return _page(500, "Internal Server Error", "Runtime Error (simulated by the sandbox).")
    if mode is FaultMode.SOAP_FAULT:
        return _fault(
            "Server", "Server was unable to process request. ---> Simulated by the sandbox."
        )
    garbage = answer or (
        b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap='
        b'"http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Resp'
    )
    return _xml(garbage[: max(len(garbage) // 2, 40)])
