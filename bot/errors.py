"""The one exception root of usendit-bot, and the tree under it.

::

    UsenditBotError
    ├── ConfigurationError          settings that cannot work together
    ├── ProviderError               anything from talking to uSendit
    │   ├── ProviderUnavailable     the request provably never left: safe to try again
    │   ├── OutcomeUnknown          it may have been processed: reconcile, never retry
    │   │   └── MalformedResponse   an answer came back but could not be read
    │   └── ProviderFault           a SOAP Fault, with its code and message
    ├── StoreError                  the store refused or failed
    │   └── SchemaMismatch          the database is not what this code expects
    └── CampaignError               a campaign cannot do what was asked
        ├── InsufficientCredits     the balance does not cover it; nothing sent
        └── AccountRejected         uSendit refused the account

Foreign exceptions are wrapped where they enter (``raise ... from exc``), so
the original stays reachable as ``__cause__`` while callers only ever catch
ours. Messages never carry a password or a token.
"""

from __future__ import annotations


class UsenditBotError(Exception):
    """Root of every error usendit-bot raises on purpose."""


class ConfigurationError(UsenditBotError):
    """The settings given cannot work together."""


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


class ProviderFault(ProviderError):
    """uSendit answered with a SOAP Fault.

    ``code`` is the fault code (``soap:Client``, ``soap:Server``...), ``detail``
    the fault's message as the provider wrote it.
    """

    def __init__(self, message: str, *, operation: str, code: str | None, detail: str) -> None:
        super().__init__(message, operation=operation)
        self.code = code
        self.detail = detail


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
