"""Names a chat gives what it keeps (templates, recipient lists), the words that act on
them in every language (``save``, ``guardar``...), and how /send names one
(``list:vip``, ``template:promo``, in any language's command name).

A name is kept as typed but normalised (NFC, case-folded): ``Promo`` and
``promo`` are one template. It starts with a letter or digit and holds only
letters, digits, ``-``, ``_`` and ``.``, at most :data:`MAX_NAME` of them, so
it reads the same in a list, a button and a ``list:<name>`` typed back.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.i18n import every_spelling

MAX_NAME = 32
_NAME = re.compile(r"[^\W_][\w.-]*")

VERBS = ("save", "list", "show", "delete", "add", "remove")
"""What ``/template``, ``/list`` and ``/optout`` do, spelled in the catalogs as ``verb.<name>``."""


def read_name(text: str) -> str | None:
    """``Promo`` -> ``promo``; None for what is no name (too long, spaces, symbols)."""
    name = unicodedata.normalize("NFC", text.strip()).casefold()
    if not 1 <= len(name) <= MAX_NAME or not _NAME.fullmatch(name):
        return None
    return name


def _folded(word: str) -> str:
    """``añadir`` -> ``anadir``: as people type it without accents."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


@cache
def _verbs() -> dict[str, str]:
    found: dict[str, str] = {}
    for verb in VERBS:
        for word in every_spelling("verb." + verb):
            found[word] = verb
            found[_folded(word)] = verb
    return found


def read_verb(word: str) -> str | None:
    """The verb a word means in any language (``apagar`` -> ``delete``), or None."""
    lowered = word.strip().lower()
    return _verbs().get(lowered) or _verbs().get(_folded(lowered))


def split_words(text: str, parts: int) -> list[str]:
    """``text`` cut at runs of whitespace into at most ``parts`` pieces (the last keeps
    its inner spaces and new lines: a template's text)."""
    return re.split(r"\s+", text.strip(), maxsplit=parts - 1) if text.strip() else []


@cache
def _prefixes(command: str) -> frozenset[str]:
    return every_spelling("command." + command)


def reference(text: str, command: str) -> str | None:
    """``list:vip`` (or ``lista:vip``, any language's name of ``command``, any case)
    -> ``vip`` as typed; None when ``text`` is no such reference. What follows the colon
    must read as a name: "Modelo: novo iPhone" is an SMS text, not a template."""
    head, colon, rest = text.strip().partition(":")
    if not colon or head.strip().lower() not in _prefixes(command):
        return None
    return rest.strip() if read_name(rest) is not None else None
