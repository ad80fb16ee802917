"""The async uSendit client: one method per SOAP operation, typed in and out.

The WSDL is parsed once, when the client starts; every call after that is
one HTTP POST. Errors (see :mod:`bot.errors`):

- :class:`~bot.errors.ProviderUnavailable`: the request never left; safe to retry.
- :class:`~bot.errors.OutcomeUnknown`: it may have been processed. Must be
  reconciled (for a send, with :meth:`UsenditClient.get_partner_events`),
  never retried blindly: uSendit keeps processing after a client timeout.
- :class:`~bot.errors.ProviderFault`: a SOAP Fault, code and message kept.
- :class:`~bot.errors.MalformedResponse` (an ``OutcomeUnknown``): an answer came
  back that could not be read.
- :class:`~bot.errors.InvalidRequest`: an argument no request can carry (a
  character XML cannot hold), refused before zeep sees it; nothing was sent.

A call goes in three steps, so each failure is told apart: zeep builds the
envelope and our transport posts it (``raw_response``: zeep stops there);
zeep reads the answer; pydantic types it. No zeep, lxml or httpx exception
gets out of this module.

SendMessages, the one call that grows with a campaign, takes a fast path
(:mod:`bot.usendit.fast_send`, ``fast_send=True``, the default): its request
is written and its answer read without zeep, from what zeep read in the WSDL,
through the same transport, timeouts and error steps. Where that path declines
(a Fault, an answer of another shape, a WSDL it does not cover), zeep does the
step as for every other operation.

There is no retry logic here on purpose; the callers decide.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import zeep
import zeep.exceptions
from lxml import etree
from pydantic import BaseModel, ValidationError
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.proxy import AsyncServiceProxy

from bot.errors import (
    ConfigurationError,
    InvalidRequest,
    MalformedResponse,
    OutcomeUnknown,
    ProviderFault,
    ProviderUnavailable,
)
from bot.lifecycle import Service
from bot.usendit.fast_send import FastOperation, Repeated, Unsupported, expanded
from bot.usendit.models import (
    AuthenticateResult,
    BuyCreditsResult,
    CharactersCountResult,
    ConfirmAccountResult,
    CreateAccountResult,
    CreditPacksResult,
    CreditsResult,
    GetScheduleResult,
    InvoiceInfo,
    NewAccount,
    PartnerEventsResult,
    PromotionalBuyCreditsResult,
    ResendConfirmationCodeResult,
    ScheduleResult,
    Sms,
    SmsBatch,
    code_points,
    has_illegal_characters,
    illegal_characters,
)
from bot.usendit.transport import RedactingAsyncTransport

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

CALLER = "usendit-bot"
PROVIDER_TIMEZONE = "Europe/Lisbon"


_NO_TEXT = frozenset({int, float, bool, datetime})
_SMS_FIELDS = tuple((name, field.alias or name) for name, field in Sms.model_fields.items())
_SMS_TIMES = ("ExpirationDatetime", "ScheduleDatetime", "BeginTime", "EndTime")
# What each Sms of a batch has of its own, as zeep names it.
_BATCH_KEYS = ("PartnerMsgId", "Msisdn", "MessageText")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a call's arguments, with where it sits (``smsList.Sms[0].MessageText``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _any_unsendable(arguments: Mapping[str, Any]) -> bool:
    """Whether any string of the arguments has a character XML cannot carry (a newline,
    which it can, joins them, so no two strings make one character)."""
    texts: list[str] = []
    stack: list[Any] = [arguments]
    while stack:
        value = stack.pop()
        kind = type(value)  # the plain types first: isinstance on an ABC is slow
        if kind is str:
            texts.append(value)
        elif kind is dict:
            stack.extend(value.values())
        elif kind is list or kind is tuple:
            stack.extend(value)
        elif value is None or kind in _NO_TEXT:
            continue
        elif isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return has_illegal_characters("\n".join(texts))


def refuse_unsendable(operation: str, arguments: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidRequest` if any string in ``arguments`` has a character no
    SOAP request can carry. Checked before zeep builds anything, so nothing leaves;
    a password's characters are never told."""
    if not _any_unsendable(arguments):
        return  # the common case, in one regex pass over every string at once
    for path, text in _strings(arguments, ""):
        bad = illegal_characters(text)
        if not bad:
            continue
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        secret = "password" in name.lower()
        told = "" if secret else f" ({code_points(bad)})"
        raise InvalidRequest(
            f"{operation}: {path} has a character uSendit cannot take{told}; nothing was sent",
            operation=operation,
            field=name,
            characters=() if secret else bad,
        )


def _decode(
    operation: str,
    model: type[M],
    fast: FastOperation | None,
    zeep_client: Any,
    binding: Any,
    response: Any,
) -> M:
    """The answer as ``model``: read by the fast path if it can, else by zeep."""
    data = fast.read(response) if fast is not None else None
    if data is None:
        raw = _read(zeep_client, binding, operation, response)
        if raw is None:
            raise MalformedResponse(
                f"{operation}: uSendit sent an empty answer", operation=operation
            )
        data = serialize_object(raw, dict)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MalformedResponse(
            f"{operation}: uSendit's answer does not fit the contract "
            f"({exc.error_count()} problem(s)); it may have been processed",
            operation=operation,
        ) from exc


def _read(zeep_client: Any, binding: Any, operation: str, response: Any) -> Any:
    """zeep's reading of an answer, its Fault as ProviderFault, any failure as
    MalformedResponse."""
    try:
        return binding.process_reply(zeep_client, binding.get(operation), response)
    except Fault as exc:
        code = str(exc.code) if exc.code is not None else None
        message = str(exc.message or "")
        raise ProviderFault(
            f"{operation}: uSendit answered with a SOAP fault {code}: {message}",
            operation=operation,
            code=code,
            detail=message,
        ) from exc
    except Exception as exc:
        # The seam: zeep reading an answer it cannot make sense of raises its own
        # Error (XMLSyntaxError, XMLParseError, EntitiesForbidden...) but also
        # builtins (TypeError for an Envelope without a Body, IndexError for an
        # empty Body). Whichever it is, the request left and the answer is unreadable.
        raise MalformedResponse(
            f"{operation}: uSendit's answer could not be read ({type(exc).__name__}); "
            "it may have been processed",
            operation=operation,
        ) from exc


def bundled_wsdl() -> Path:
    """The path of the WSDL shipped inside the package."""
    return Path(str(resources.files("bot.usendit").joinpath("remoteusendit.wsdl")))


@dataclass(frozen=True)
class Credentials:
    """A uSendit username and password. The password never shows in a repr."""

    username: str
    password: str = field(repr=False)


class UsenditClient(Service):
    """Speaks uSendit's SOAP API. Start it with ``async with`` or :meth:`start`.

    :param wsdl: a WSDL path or URL; the bundled one when ``None``.
    :param endpoint: the SOAP address to call; the WSDL's own when ``None``.
    :param timeout: seconds one operation may take, end to end.
    :param provider_timezone: the provider's local time, which Sms times are sent in.
    :param caller: the application name uSendit knows this integration by.
    :param fast_send: write SendMessages requests and read their answers without
        zeep (:mod:`bot.usendit.fast_send`); ``False`` keeps zeep for them too.
    :param wsdl_copy: where to keep the last WSDL fetched from a URL: when the URL
        cannot be fetched at a later start (uSendit down), the copy is used, so the
        bot starts and says uSendit cannot be reached rather than not starting.
    """

    def __init__(
        self,
        *,
        wsdl: str | Path | None = None,
        endpoint: str | None = None,
        timeout: float = 30.0,
        provider_timezone: str = PROVIDER_TIMEZONE,
        caller: str = CALLER,
        fast_send: bool = True,
        wsdl_copy: Path | None = None,
    ) -> None:
        self._wsdl = str(wsdl) if wsdl is not None else str(bundled_wsdl())
        self._wsdl_copy = wsdl_copy if self._wsdl.startswith(("http://", "https://")) else None
        self._endpoint = endpoint
        self._timeout = timeout
        self._zone = ZoneInfo(provider_timezone)
        self.caller = caller
        self._fast_send = fast_send
        self._fast: dict[str, FastOperation] = {}
        self._http: httpx.AsyncClient | None = None
        self._zeep: Any = None
        self._binding: Any = None
        self._service: Any = None
        self.namespace: str | None = None
        self.address: str | None = None

    async def start(self) -> None:
        """Load and parse the WSDL (once) and open the HTTP connection pool."""
        if self._service is not None:
            return
        http = httpx.AsyncClient(timeout=httpx.Timeout(self._timeout))
        try:
            # Loading the WSDL is synchronous in zeep; keep it off the event loop.
            client = await asyncio.to_thread(self._load_wsdl_or_copy, http)
        except (
            httpx.HTTPError,
            httpx.InvalidURL,
            zeep.exceptions.Error,
            etree.LxmlError,
            OSError,
            ValueError,
        ) as exc:
            await http.aclose()
            raise ProviderUnavailable(
                f"could not load the uSendit WSDL from {self._wsdl} ({type(exc).__name__})",
                operation="WSDL",
            ) from exc
        services = list(client.wsdl.services.values())
        if not services or not services[0].ports:
            await http.aclose()
            raise ConfigurationError(f"the WSDL at {self._wsdl} defines no service port")
        port = next(iter(services[0].ports.values()))
        self.address = self._endpoint or port.binding_options["address"]
        self.namespace = port.binding.port_type.name.namespace
        self._service = AsyncServiceProxy(client, port.binding, address=self.address)
        self._zeep = client
        self._binding = port.binding
        self._fast = self._compile_fast(client, port.binding, self.address)
        self._http = http
        log.info("uSendit client ready: %s (namespace %s)", self.address, self.namespace)

    def _compile_fast(self, client: Any, binding: Any, address: str) -> dict[str, FastOperation]:
        if not self._fast_send:
            return {}
        try:
            fast = FastOperation.compile(client, binding, "SendMessages", address)
        except Unsupported as exc:
            log.warning("SendMessages goes through zeep: %s", exc)
            return {}
        return {fast.operation: fast}

    @property
    def fast_send(self) -> bool:
        """Whether SendMessages is on the fast path (started, asked for, and compiled)."""
        return "SendMessages" in self._fast

    def _load_wsdl_or_copy(self, http: httpx.AsyncClient) -> Any:
        """The WSDL from its URL (a copy kept of it), or the copy when the URL fails."""
        copy = self._wsdl_copy
        try:
            client = self._load_wsdl(http, self._wsdl)
        except (httpx.HTTPError, zeep.exceptions.Error, etree.LxmlError, OSError) as exc:
            if copy is None or not copy.is_file():
                raise
            log.warning(
                "uSendit's WSDL cannot be fetched from %s (%s): using the copy kept in %s",
                self._wsdl,
                type(exc).__name__,
                copy,
            )
            return self._load_wsdl(http, str(copy))
        if copy is not None:
            self._keep_copy(copy)
        return client

    def _keep_copy(self, copy: Path) -> None:
        """Best effort: a copy of the WSDL just loaded, written whole or not at all."""
        try:
            with httpx.Client(timeout=httpx.Timeout(self._timeout)) as wsdl_http:
                answer = wsdl_http.get(self._wsdl)
                answer.raise_for_status()
            etree.fromstring(answer.content)  # only a document that parses is kept
            partial = copy.with_name(copy.name + ".part")
            partial.write_bytes(answer.content)
            partial.replace(copy)
        except (httpx.HTTPError, etree.LxmlError, OSError) as exc:
            log.info("could not keep a copy of uSendit's WSDL in %s: %s", copy, exc)

    def _load_wsdl(self, http: httpx.AsyncClient, wsdl: str) -> Any:
        with httpx.Client(timeout=httpx.Timeout(self._timeout)) as wsdl_http:
            transport = RedactingAsyncTransport(client=http, wsdl_client=wsdl_http)
            # raw_response: zeep stops after posting, and _call has it read the answer
            # as a step of its own, so a failure to build a request is told apart
            # from a failure to read an answer.
            settings = zeep.Settings(raw_response=True)
            return zeep.AsyncClient(wsdl, transport=transport, settings=settings)

    async def stop(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            await self._http.aclose()
        self._http = None
        self._service = None
        self._zeep = None
        self._binding = None
        self._fast = {}

    async def _call(self, operation: str, model: type[M], **arguments: Any) -> M:
        if self._service is None:
            raise ConfigurationError("UsenditClient used before start()")
        # Kept for this call: a stop() meanwhile must not leave it half a client.
        zeep_client, binding, address = self._zeep, self._binding, self.address
        fast = self._fast.get(operation)
        method = getattr(self._service, operation)
        # A SendMessages of thousands of Sms takes milliseconds to write and as many to
        # read: the fast path does both in a thread, and the loop goes on serving other
        # chats meanwhile (the GIL changes hands every few ms: sys.getswitchinterval).
        # It checks its own request for characters XML cannot carry, in one pass; where
        # it declines, they are looked for before zeep builds anything.
        message = await asyncio.to_thread(fast.request, arguments) if fast is not None else None
        if message is None:
            arguments = expanded(arguments)
            refuse_unsendable(operation, arguments)
        try:
            # httpx's timeout is per network step; this bounds the whole call.
            async with asyncio.timeout(self._timeout * 2):
                if fast is not None and message is not None:
                    response = await zeep_client.transport.post_message(
                        address, message, fast.headers, operation
                    )
                else:
                    response = await method(**arguments)
        except TimeoutError as exc:
            raise OutcomeUnknown(
                f"{operation}: no answer within {self._timeout * 2:g}s; it may have been processed",
                operation=operation,
            ) from exc
        except (zeep.exceptions.Error, ValueError) as exc:
            # Our transport lets only our own errors out, and with raw_response zeep
            # does nothing after it: these come from building the envelope (a value
            # zeep's schema or lxml refuses), before anything was sent.
            raise InvalidRequest(
                f"{operation}: the request could not be built ({type(exc).__name__}); "
                "nothing was sent",
                operation=operation,
            ) from exc
        if fast is not None:
            return await asyncio.to_thread(
                _decode, operation, model, fast, zeep_client, binding, response
            )
        return _decode(operation, model, None, zeep_client, binding, response)

    def _provider_time(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        return moment.astimezone(self._zone).replace(tzinfo=None)

    def _sms_payload(self, sms: Sms) -> dict[str, Any]:
        # model_dump(by_alias=True), which costs more than the rest of a request's Sms.
        payload = {alias: getattr(sms, name) for name, alias in _SMS_FIELDS}
        for name in _SMS_TIMES:
            if payload[name] is not None:
                payload[name] = self._provider_time(payload[name])
        return payload

    # --- account --------------------------------------------------------------

    async def authenticate_user(self, account: Credentials) -> AuthenticateResult:
        """Checks the access data and state of an account; returns its credits."""
        return await self._call(
            "AuthenticateUser",
            AuthenticateResult,
            username=account.username,
            password=account.password,
        )

    async def get_credits(self, account: Credentials) -> CreditsResult:
        """The credits left on the account."""
        return await self._call(
            "GetCredits", CreditsResult, username=account.username, password=account.password
        )

    async def create_account(
        self, new_account: NewAccount, invoice: InvoiceInfo
    ) -> CreateAccountResult:
        """Creates an account; uSendit sends a confirmation code by SMS to its Msisdn."""
        return await self._call(
            "CreateAccount",
            CreateAccountResult,
            newAccount=new_account.model_dump(by_alias=True),
            invoiceInfo=invoice.model_dump(by_alias=True),
            caller=self.caller,
        )

    async def confirm_account(self, account: Credentials, code: str) -> ConfirmAccountResult:
        """Confirms a new account with the code it received by SMS."""
        return await self._call(
            "ConfirmAccount",
            ConfirmAccountResult,
            username=account.username,
            password=account.password,
            confirmationCode=code,
        )

    async def resend_confirmation_code(self, account: Credentials) -> ResendConfirmationCodeResult:
        """Sends the confirmation code again."""
        return await self._call(
            "ResendConfirmationCode",
            ResendConfirmationCodeResult,
            username=account.username,
            password=account.password,
        )

    # --- credits --------------------------------------------------------------

    async def get_credit_packs(self, account: Credentials) -> CreditPacksResult:
        """The packs of credits on sale."""
        return await self._call(
            "GetCreditPacks",
            CreditPacksResult,
            username=account.username,
            password=account.password,
        )

    async def buy_credits(self, account: Credentials, pack_id: int) -> BuyCreditsResult:
        """Payment data (Multibanco, card link) for a pack."""
        return await self._call(
            "BuyCredits",
            BuyCreditsResult,
            username=account.username,
            password=account.password,
            packId=pack_id,
            caller=self.caller,
        )

    async def buy_credits_with_promotional_code(
        self, account: Credentials, pack_id: int, code: str
    ) -> PromotionalBuyCreditsResult:
        """Payment data for a pack bought with a promotional code."""
        return await self._call(
            "BuyCreditsWithPromotionalCode",
            PromotionalBuyCreditsResult,
            username=account.username,
            password=account.password,
            packId=pack_id,
            code=code,
            caller=self.caller,
        )

    # --- sending --------------------------------------------------------------

    async def send_messages(
        self, account: Credentials, partner_event_id: str, messages: list[Sms]
    ) -> ScheduleResult:
        """Schedules a send. Costs money.

        An :class:`~bot.errors.OutcomeUnknown` from here means the send may
        have happened: reconcile with :meth:`get_partner_events` for the same
        ``partner_event_id`` before anything else.
        """
        return await self._call(
            "SendMessages",
            ScheduleResult,
            **self.send_messages_arguments(account, partner_event_id, messages),
        )

    async def send_batch(
        self, account: Credentials, partner_event_id: str, batch: SmsBatch
    ) -> ScheduleResult:
        """:meth:`send_messages` for Sms that differ only in id, number and text: the
        same request, without a model per message. Costs money, as that does."""
        return await self._call(
            "SendMessages",
            ScheduleResult,
            **self.batch_arguments(account, partner_event_id, batch),
        )

    def send_messages_arguments(
        self, account: Credentials, partner_event_id: str, messages: list[Sms]
    ) -> dict[str, Any]:
        """SendMessages' arguments as zeep takes them (element names; times in the
        provider's local time): what either path writes into the request."""
        return self._arguments(
            account, partner_event_id, [self._sms_payload(sms) for sms in messages]
        )

    def batch_payloads(self, batch: SmsBatch) -> list[dict[str, Any]]:
        """Each message of ``batch`` as :meth:`_sms_payload` writes an :class:`Sms`: the
        shared fields written once, then each one's id, number and text."""
        return self._repeated(batch).expand()

    def batch_arguments(
        self, account: Credentials, partner_event_id: str, batch: SmsBatch
    ) -> dict[str, Any]:
        """:meth:`send_batch`'s arguments: the Sms list a :class:`Repeated`, which the
        fast path writes row by row and :func:`expanded` makes zeep's list of."""
        return self._arguments(account, partner_event_id, self._repeated(batch))

    def _repeated(self, batch: SmsBatch) -> Repeated:
        return Repeated(self._sms_payload(batch.shared), _BATCH_KEYS, batch.each)

    @staticmethod
    def _arguments(
        account: Credentials, partner_event_id: str, payloads: list[dict[str, Any]] | Repeated
    ) -> dict[str, Any]:
        return {
            "username": account.username,
            "password": account.password,
            "partnerEventId": partner_event_id,
            "smsList": {"Sms": payloads},
        }

    async def get_partner_events(
        self, account: Credentials, partner_event_id: str
    ) -> PartnerEventsResult:
        """Every provider event created for one partnerEventId of this account."""
        return await self._call(
            "GetPartnerEvents",
            PartnerEventsResult,
            username=account.username,
            password=account.password,
            partnerEventId=partner_event_id,
        )

    async def get_schedule(self, account: Credentials, event_id: int) -> GetScheduleResult:
        """One event's schedule, like SendMessages returned it."""
        return await self._call(
            "GetSchedule",
            GetScheduleResult,
            username=account.username,
            password=account.password,
            eventId=event_id,
        )

    async def sms_char_counter(self, text: str) -> CharactersCountResult:
        """uSendit's own count of a text: encoding and real number of segments."""
        return await self._call("SmsCharCounter", CharactersCountResult, messageText=text)
