"""Which numbers and senders the sandbox accepts (rules chosen and documented here).

Msisdn, checked in this order:

- empty -> MSISDN_EMPTY;
- more than 15 characters -> MSISDN_EXCEEDS_MAX_LENGTH (E.164 maximum);
- anything but digits (a ``+`` included), fewer than 9 digits, a leading
  ``0``, or 9 digits not starting with ``9`` -> MSISDN_INVALID;
- 9 digits starting with ``9`` are a Portuguese national number (``351`` is
  assumed); other numbers must carry their country code;
- routed countries: Portugal ``351``, Mozambique ``258``, Spain ``34``;
  any other country code -> MSISDN_INVALID_ROUTE;
- a routed country's national part of the wrong length -> MSISDN_INVALID;
- a national part that is not a mobile range -> MSISDN_MOBILE_OPERATOR_UNKNOWN:
  Portugal 91/92/93/96, Mozambique 82-87, Spain 6/7 (e.g. the Lisbon
  landline ``351212345678``).

Sender: absent or empty uses the account's default; characters outside
``[A-Za-z0-9 ]`` -> SENDER_NOT_ALLOWED; all digits and more than 16, or
alphanumeric and more than 11 -> SENDER_EXCEEDS_MAX_LENGTH.

The phone a routable number reaches (:func:`phone_of`) is its international
form: ``912345678`` and ``351912345678`` are one phone, one inbox.
"""

from __future__ import annotations

import string

SENDER_CHARACTERS = frozenset(string.ascii_letters + string.digits + " ")
SENDER_MAX_LETTERS = 11
"""Most characters of an alphanumeric sender (the contract's field facts)."""
SENDER_MAX_DIGITS = 16
"""Most digits of a numeric sender (the contract's field facts)."""

_ROUTES: dict[str, tuple[int, tuple[str, ...]]] = {
    # country code: (national length, mobile prefixes)
    "351": (9, ("91", "92", "93", "96")),
    "258": (9, ("82", "83", "84", "85", "86", "87")),
    "34": (9, ("6", "7")),
}


def check_msisdn(msisdn: str | None) -> str:
    """The ScheduleMessageStatus a number gets: SCHEDULED when it is routable."""
    if not msisdn:
        return "MSISDN_EMPTY"
    if len(msisdn) > 15:
        return "MSISDN_EXCEEDS_MAX_LENGTH"
    if not msisdn.isascii() or not msisdn.isdigit() or len(msisdn) < 9 or msisdn[0] == "0":
        return "MSISDN_INVALID"
    if len(msisdn) == 9:
        if msisdn[0] != "9":
            return "MSISDN_INVALID"
        msisdn = "351" + msisdn
    for country, (length, prefixes) in _ROUTES.items():
        if msisdn.startswith(country):
            national = msisdn[len(country) :]
            if len(national) != length:
                return "MSISDN_INVALID"
            if not national.startswith(prefixes):
                return "MSISDN_MOBILE_OPERATOR_UNKNOWN"
            return "SCHEDULED"
    return "MSISDN_INVALID_ROUTE"


def check_sender(sender: str | None) -> str | None:
    """The ScheduleMessageStatus a sender forces, or ``None`` when it is accepted."""
    if not sender:
        return None
    if not all(char in SENDER_CHARACTERS for char in sender):
        return "SENDER_NOT_ALLOWED"
    numeric = all(char in string.digits for char in sender)
    if len(sender) > (SENDER_MAX_DIGITS if numeric else SENDER_MAX_LETTERS):
        return "SENDER_EXCEEDS_MAX_LENGTH"
    return None


def international(msisdn: str) -> str:
    """The international number of a routable ``msisdn`` (SCHEDULED by
    :func:`check_msisdn`): 9 digits are Portuguese."""
    return "351" + msisdn if len(msisdn) == 9 else msisdn


def phone_of(number: str) -> str:
    """The phone a number reaches, as a person may type it: spaces, ``+`` and ``00``
    are dropped, then 9 digits starting with 9 are Portuguese."""
    number = "".join(number.split())
    if number.startswith("+"):
        number = number[1:]
    elif number.startswith("00"):
        number = number[2:]
    if len(number) == 9 and number.startswith("9"):
        return international(number)
    return number


__all__ = ["check_msisdn", "check_sender", "international", "phone_of"]
