"""Replies in English, Portuguese or Spanish, with CLDR plurals and numbers (Babel).

Catalogs live in :mod:`bot.locales` (one module per language, same keys and
placeholders). Provider statuses are translated under ``status.<VALUE>``,
falling back to the English sentence of :mod:`bot.usendit.statuses`.

The catalogs are Python modules rather than gettext ``.po`` files: a test walks
every key of every language with its parameters (``tests/test_i18n_keys.py``),
and Python dicts keep them typed (mypy checks a :class:`~bot.locales.Plural`'s
forms) and importable with no compile step (``.po`` to ``.mo``) to forget.
What gettext would bring comes from Babel instead: CLDR's plural rules
(``Locale.plural_form``) and number and currency formats.

:func:`translate` writes each parameter as the reader's locale does:

* ``int``, ``float``, ``Decimal``: digits grouped and a decimal mark per CLDR
  (``12,345`` in English, ``12 345`` in Portugal, ``12.345`` in Spain);
* :class:`Money`: the amount with its currency (``€6.00``, ``6,00 €``);
* anything else: ``str()``.

Identifiers are the exception: a parameter named in :data:`IDENTIFIERS`
(``id``, ``pack``, ``line``, ``first``) is written with its digits as given.
Campaign ``#12345`` grouped as ``#12.345`` could not be typed back into
``/status 12345``, and a line number or a pack number labels a thing rather
than counting it. The rule goes by name, not by type, so callers pass plain
ints for both and no call site has to wrap its numbers.

A missing parameter never raises: it is logged and shown as ``{name}`` (as
Fluent shows ``{$name}``), so the person still gets an answer.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_timedelta
from babel.numbers import format_currency, format_decimal

from bot.locales import Catalog, Message, Plural, en, es, pt
from bot.usendit.statuses import EXPLANATIONS

log = logging.getLogger(__name__)

LANGUAGES = ("en", "pt", "es")
CATALOGS: dict[str, Catalog] = {"en": en.MESSAGES, "pt": pt.MESSAGES, "es": es.MESSAGES}
STATUS_CATALOGS: dict[str, dict[str, str]] = {
    "en": EXPLANATIONS,
    "pt": pt.STATUSES,
    "es": es.STATUSES,
}
CLDR_LOCALES = {"en": "en", "pt": "pt_PT", "es": "es"}
"""The CLDR locale of each language. Portuguese is Portugal's, as the catalog
is (telemóvel, ficheiro, Multibanco): its plural rule counts 0 as ``other``
("0 destinatários"), where Brazil's says "0 destinatário"."""

IDENTIFIERS = frozenset({"id", "pack", "line", "first"})
"""Parameters that name a thing (a campaign, a pack, a line of a file): their
digits are written as given, never grouped (see the module docstring)."""

_ERRORS = (KeyError, IndexError, ValueError, AttributeError, TypeError)
"""What a template that does not fit its parameters raises (``{0}``, ``{x:d}``...)."""


@dataclass(frozen=True)
class Money:
    """An amount of money: :func:`translate` writes it with its currency, per locale."""

    amount: Decimal
    currency: str = "EUR"

    @classmethod
    def parse(cls, text: str | None, currency: str = "EUR") -> Money | str:
        """The amount uSendit sent as text (``"7.38"``), or that text when it is no number."""
        try:
            return cls(Decimal(str(text).strip()), currency)
        except InvalidOperation:
            return text or ""


def pick_language(locale: str | None, default: str) -> str:
    """``pt-BR`` -> ``pt``; a platform locale we do not speak -> ``default``."""
    if locale:
        base = locale.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


@cache
def cldr_locale(lang: str) -> Locale:
    """The Babel locale a language's numbers and plurals follow."""
    return Locale.parse(CLDR_LOCALES.get(lang, "en"))


def translate(lang: str, key: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` (English when missing), filled with ``params``.

    A :class:`~bot.locales.Plural` takes the form its ``by`` parameter's number
    calls for. Never raises: a missing key gives the key, a template that does
    not fit its parameters gives the English one, both logged.
    """
    if lang not in CATALOGS:
        lang = "en"
    message = CATALOGS[lang].get(key)
    if message is None and lang != "en":
        log.error("no %s message %r; English used", lang, key)
        lang, message = "en", en.MESSAGES.get(key)
    if message is None:
        log.error("no message %r", key)
        return key
    try:
        return render(lang, message, params, where=f"{lang}:{key}")
    except _ERRORS:
        log.exception("message %r in %s does not fit its parameters", key, lang)
    english = en.MESSAGES.get(key)
    if lang != "en" and english is not None:
        try:
            return render("en", english, params, where=f"en:{key}")
        except _ERRORS:
            log.exception("message %r in en does not fit its parameters", key)
    return key


def render(lang: str, message: Message, params: Mapping[str, Any], *, where: str) -> str:
    """One message filled in: its plural form chosen, its numbers written per locale."""
    locale = cldr_locale(lang)
    template = choose_form(locale, message, params, where=where)
    shown = {name: str(v) if name in IDENTIFIERS else v for name, v in params.items()}
    return _Filler(locale, where).vformat(template, (), shown)


def choose_form(
    locale: Locale, message: Message, params: Mapping[str, Any], *, where: str = "?"
) -> str:
    """The template of ``message`` for these parameters (nested plurals resolved)."""
    while isinstance(message, Plural):
        number = params.get(message.by)
        if isinstance(number, Money):
            number = number.amount
        if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
            log.error("message %s is plural by %r, given %r", where, message.by, number)
            message = message.other
            continue
        message = message.form(locale.plural_form(number))
    return message


class _Filler(string.Formatter):
    """``str.format`` with numbers and money per locale, and a missing parameter shown."""

    def __init__(self, locale: Locale, where: str) -> None:
        self.locale = locale
        self.where = where

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            log.error("message %s is missing parameter %r", self.where, key)
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:  # written out in a template: Python's own rules
            return format(value, format_spec)
        if isinstance(value, Money):
            return format_currency(value.amount, value.currency, locale=self.locale)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float | Decimal):
            return format_decimal(value, locale=self.locale)
        return format(value, format_spec)


def duration(lang: str, span: timedelta) -> str:
    """A span of time as a person says it in ``lang`` ("15 minutes", "15 minutos")."""
    return format_timedelta(span, locale=cldr_locale(lang), threshold=1.1)


def explain(lang: str, status: str) -> str:
    """A provider status (``USER_UNKNOWN``...) as one sentence in ``lang``."""
    sentence = STATUS_CATALOGS.get(lang, EXPLANATIONS).get(status) or EXPLANATIONS.get(status)
    return sentence or status


# --- commands ---------------------------------------------------------------------


def command_name(lang: str, command: str) -> str:
    """A command as ``lang`` spells it (``buy`` -> ``comprar`` in pt); the English otherwise."""
    name = CATALOGS.get(lang, en.MESSAGES).get("command." + command)
    return name if isinstance(name, str) and name else command


def command_usage(lang: str, command: str) -> str:
    """A command with its arguments as ``lang`` spells them: ``contar <texto>``."""
    name = command_name(lang, command)
    if "args." + command not in en.MESSAGES:
        return name
    return f"{name} {translate(lang, 'args.' + command)}"


def command_aliases() -> dict[str, str]:
    """Every language's name of each command, to the command it names (``comprar`` -> ``buy``).

    The catalogs are the one place command names are spelled; the desk accepts
    all of them, whatever language the person reads.
    """
    aliases: dict[str, str] = {}
    for lang, catalog in CATALOGS.items():
        for key, name in catalog.items():
            command = key.removeprefix("command.")
            if command == key or not isinstance(name, str) or name == command:
                continue
            if aliases.setdefault(name, command) != command:
                log.error("/%s names both %s and %s (%s)", name, aliases[name], command, lang)
    return aliases


def every_spelling(key: str) -> frozenset[str]:
    """A word as every language writes it (``history.mine``: mine, minhas, mías)."""
    found = (catalog.get(key) for catalog in CATALOGS.values())
    return frozenset(word.lower() for word in found if isinstance(word, str))
