"""The one exception root of usendit-bot, and the tree under it.

::

    UsenditBotError
    ├── ConfigurationError          settings that cannot work together
    ├── InvalidRequest              an argument uSendit could never take (a character
    │                               XML cannot carry): refused here, nothing left
    ├── ProviderError               anything from talking to uSendit
    │   ├── ProviderUnavailable     the request provably never left: safe to try again
    │   ├── OutcomeUnknown          it may have been processed: reconcile, never retry
    │   │   └── MalformedResponse   an answer came back but could not be read
    │   └── ProviderFault           a SOAP Fault, with its code and message
    ├── StoreError                  the store refused or failed
    │   └── SchemaMismatch          the database is not what this code expects
    ├── CampaignError               a campaign cannot do what was asked
    │   ├── InsufficientCredits     the balance does not cover it; nothing sent
    │   ├── AccountRejected         uSendit refused the account
    │   └── RecipientsError         (bot.recipients) numbers or a file that cannot be read
    └── RetryLater                  (bot.notices) a chat platform asks to wait

Where each foreign error is wrapped (one seam per boundary):

- ``bot.usendit.transport``, by "could the request have left?": httpx's
  ConnectError, ConnectTimeout, PoolTimeout, UnsupportedProtocol, InvalidURL
  and LocalProtocolError -> ProviderUnavailable; DecodingError ->
  MalformedResponse; TooManyRedirects, a non-SOAP HTTP error page and every
  other ``httpx.HTTPError`` (read/write timeouts, dropped connections) ->
  OutcomeUnknown.
- ``bot.usendit.client``: a string lxml would refuse, or zeep refusing to
  build the envelope -> InvalidRequest, before the transport is reached; zeep's
  ``Fault`` -> ProviderFault; zeep's root ``Error`` or anything else raised
  reading an answer, and pydantic's ``ValidationError`` of a result ->
  MalformedResponse; a WSDL that cannot be loaded -> ProviderUnavailable.
- ``storage``: ``sqlite3.Error`` and psycopg's errors -> StoreError.

Foreign exceptions are wrapped where they enter (``raise ... from exc``), so
the original stays reachable as ``__cause__`` while callers only ever catch
ours. Messages never carry a password or a token.
"""

from __future__ import annotations


class UsenditBotError(Exception):
    """Root of every error usendit-bot raises on purpose."""


class ConfigurationError(UsenditBotError):
    """The settings given cannot work together."""


class InvalidRequest(UsenditBotError):
    """An argument uSendit could never take; refused before anything was sent.

    Raised by the client, before zeep builds the envelope, for a string with a
    character XML 1.0 cannot carry (NUL, most control characters, lone
    surrogates, U+FFFE/U+FFFF): lxml would refuse it, and no retry can help.
    It is not a :class:`ProviderError`: uSendit was never asked, so nothing
    needs reconciling and "try again later" would be wrong.

    ``operation`` names the SOAP operation, ``field`` the element holding the
    value (``MessageText``, ``Sender``...) and ``characters`` the offending
    characters, except for a password, whose characters are never told.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        field: str | None = None,
        characters: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.field = field
        self.characters = characters


class ProviderError(UsenditBotError):
    """Talking to uSendit failed.

    ``operation`` names the SOAP operation that was being called.
    """

    def __init__(self, message: str, *, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class ProviderUnavailable(ProviderError):
    """The request provably never reached uSendit (connection refused, DNS, TLS).

    Nothing was processed, so the same call may be made again.
    """


class OutcomeUnknown(ProviderError):
    """The request may have reached uSendit, but no answer could be read.

    A timeout, a dropped connection, an HTTP error page or an unreadable body
    after the request left. uSendit keeps processing on its side, so the call
    may have taken effect: it must be reconciled (for a send, through
    GetPartnerEvents) and never retried blindly.
    """


class MalformedResponse(OutcomeUnknown):
    """An answer came back but was not a readable SOAP response."""


class ErrorPage(OutcomeUnknown):
    """uSendit answered an HTTP error (a 500 page, a proxy's 502) instead of SOAP."""

    def __init__(self, message: str, *, operation: str, status: int) -> None:
        super().__init__(message, operation=operation)
        self.status = status


class ProviderFault(ProviderError):
    """uSendit answered with a SOAP Fault.

    ``code`` is the fault code (``soap:Client``, ``soap:Server``...), ``detail``
    the fault's message as the provider wrote it.
    """

    def __init__(self, message: str, *, operation: str, code: str | None, detail: str) -> None:
        super().__init__(message, operation=operation)
        self.code = code
        self.detail = detail


class ChatPlatformError(UsenditBotError):
    """A chat platform (Telegram's Bot API, Slack's Web API) refused or failed a call.

    Raised by the adapters' notice channels in place of their library's own errors
    (telegram's NetworkError, slack_sdk's SlackApiError, aiohttp's ClientError...).
    """


class StoreError(UsenditBotError):
    """The store refused an operation or failed."""


class SchemaMismatch(StoreError):
    """The database was written by a newer version, or its settings are not ours."""


class CampaignError(UsenditBotError):
    """A campaign cannot do what was asked (wrong state, bad recipients...)."""


class InsufficientCredits(CampaignError):
    """The account's balance does not cover the campaign; nothing was sent."""

    def __init__(self, message: str, *, needed: int, available: int) -> None:
        super().__init__(message)
        self.needed = needed
        self.available = available


class AccountRejected(CampaignError):
    """uSendit refused the account (unknown, unconfirmed, not allowed)."""

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status
