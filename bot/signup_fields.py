"""The /signup answers and their checks, for the country the account is invoiced in.

uSendit invoices in any country, so the tax number and the postcode are checked
as that country writes them: Portugal's NIF with its check digit, Spain's
NIF/NIE/CIF, the postcode forms of the countries most accounts come from, and a
loose shape (letters and digits) elsewhere. The mobile number is read in that
country too, and a number that is not understood asks for the country code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import phonenumbers

from bot.recipients import normalize

SignupStep = Literal[
    "account_name",
    "username",
    "password",
    "email",
    "country",
    "msisdn",
    "invoice_name",
    "tax_id",
    "address",
    "city",
    "zip_code",
    "review",
]
SIGNUP_FIELDS: tuple[SignupStep, ...] = get_args(SignupStep)[:-1]
"""Asked in this order; the country comes before what is read by it."""

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,50}")
SPAIN_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
POSTCODES = {
    "PT": (re.compile(r"\d{4}-\d{3}"), "1234-567"),
    "ES": (re.compile(r"\d{5}"), "28001"),
    "FR": (re.compile(r"\d{5}"), "75001"),
    "DE": (re.compile(r"\d{5}"), "10115"),
    "IT": (re.compile(r"\d{5}"), "00184"),
    "BR": (re.compile(r"\d{5}-?\d{3}"), "01310-100"),
    "US": (re.compile(r"\d{5}(?:-\d{4})?"), "94103"),
    "GB": (re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", re.IGNORECASE), "SW1A 1AA"),
}
LOOSE_POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{1,11}")
LOOSE_TAX_ID = re.compile(r"[A-Za-z0-9]{4,20}")
TAX_EXAMPLES = {"PT": "123456789", "ES": "12345678Z"}


@dataclass(frozen=True)
class Refusal:
    """Why an answer is refused: a message key and its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def portuguese_nif(value: str) -> bool:
    """Nine digits whose last is the mod-11 check digit of the first eight."""
    if not re.fullmatch(r"[1-9]\d{8}", value):
        return False
    weights = range(9, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(value[:8], weights, strict=True))
    check = 11 - total % 11
    return int(value[8]) == (0 if check >= 10 else check)


def spanish_tax_id(value: str) -> bool:
    """A NIF (8 digits and its letter), an NIE (X, Y or Z, 7 digits, a letter) or a
    CIF (a letter, 7 digits, a digit or letter)."""
    value = value.upper()
    if re.fullmatch(r"\d{8}[A-Z]", value):
        return SPAIN_LETTERS[int(value[:8]) % 23] == value[8]
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", value):
        number = "XYZ".index(value[0]) * 10_000_000 + int(value[1:8])
        return SPAIN_LETTERS[number % 23] == value[8]
    return re.fullmatch(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]", value) is not None


def tidy(step: str, value: str) -> str:
    """An answer as it is kept: a tax number without spaces, dots or dashes; a country
    as its code."""
    if step == "tax_id":
        return re.sub(r"[\s.-]", "", value).upper()
    if step == "country":
        return value.strip().upper()
    return value.strip()


def check_field(step: str, value: str, country: str) -> Refusal | None:
    """Why an answer to ``step`` cannot be taken (None: it can), in ``country``."""
    if step == "account_name":
        return None if 0 < len(value) <= 100 else Refusal("signup.bad.account_name")
    if step == "username":
        return None if USERNAME.fullmatch(value) else Refusal("signup.bad.username")
    if step == "password":
        return None if 6 <= len(value) <= 50 else Refusal("signup.bad.password")
    if step == "email":
        return None if EMAIL.fullmatch(value) and len(value) <= 100 else Refusal("signup.bad.email")
    if step == "country":
        return None if value in phonenumbers.SUPPORTED_REGIONS else Refusal("signup.bad.country")
    if step == "msisdn":
        return (
            None
            if normalize(value, country)
            else Refusal("signup.bad.msisdn", {"country": country})
        )
    if step == "tax_id":
        return _tax_id(value, country)
    if step == "zip_code":
        return _postcode(value, country)
    return None if 0 < len(value) <= 100 else Refusal("signup.bad.required")


def _tax_id(value: str, country: str) -> Refusal | None:
    if country == "PT":
        valid = portuguese_nif(value)
    elif country == "ES":
        valid = spanish_tax_id(value)
    else:
        valid = LOOSE_TAX_ID.fullmatch(value) is not None
    if valid:
        return None
    example = TAX_EXAMPLES.get(country)
    if example is None:
        return Refusal("signup.bad.tax_id_free", {"country": country})
    return Refusal("signup.bad.tax_id", {"country": country, "example": example})


def _postcode(value: str, country: str) -> Refusal | None:
    pattern, example = POSTCODES.get(country, (LOOSE_POSTCODE, None))
    if pattern.fullmatch(value.strip()):
        return None
    if example is None:
        return Refusal("signup.bad.zip_code_free", {"country": country})
    return Refusal("signup.bad.zip_code", {"country": country, "example": example})


def question(step: str, country: str) -> tuple[str, dict[str, Any]]:
    """The question for ``step`` and its parameters (an example in that country's form)."""
    if step == "tax_id":
        example = TAX_EXAMPLES.get(country)
        if example is None:
            return "signup.ask.tax_id_free", {"country": country}
        return "signup.ask.tax_id", {"country": country, "example": example}
    if step == "zip_code":
        example = POSTCODES.get(country, (None, None))[1]
        if example is None:
            return "signup.ask.zip_code_free", {"country": country}
        return "signup.ask.zip_code", {"country": country, "example": example}
    return "signup.ask." + step, {}
