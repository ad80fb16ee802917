"""Every message key of every language, walked with its parameters.

Fails on a key missing from a language, on placeholders that differ between
languages, on a message that does not render (or logs an error) with its
parameters, on plural forms a language has no category for, on English left
in the Portuguese or Spanish catalog, on a command mentioned in a language
under another language's name, and on a key the code asks for that no
catalog has.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.i18n import CATALOGS, LANGUAGES, STATUS_CATALOGS, cldr_locale, translate
from bot.locales import Message, Plural, en
from bot.usendit.statuses import EXPLANATIONS

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ["pt", "es"]
KEYS = sorted(en.MESSAGES)

SAME_IN_EVERY_LANGUAGE = {
    # Telegram sends /start itself, in English, whatever the person reads.
    "command.start",
    # Arguments that are symbols or codes, not words.
    "args.status",
    "args.lang",
    # A formula of counts already worded by unit.* keys.
    "status.recipients",
}
SAME_STATUS = {"GSM7", "UCS2", "FACEBOOK", "LINKED_IN", "PT"}
"""Provider statuses whose sentence reads the same in every language (names, codes)."""

ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|please|with|and|is|are|not|this|that|from|for|of|to|has|have|"
    r"was|were|been|will|would|could|there|here|which|what|when|who|again)\b",
    re.IGNORECASE,
)
"""Common English words no Portuguese or Spanish sentence has."""

COMMAND = re.compile(r"[a-z0-9_]{1,32}")
"""Telegram's rule for a command name (setMyCommands), which every platform can type."""

MENTION = re.compile(r"(?<![\w/])/([a-z_]+)\b")


def forms(message: Message) -> Iterator[str]:
    """Every template of a message (each form of each nested plural)."""
    if isinstance(message, Plural):
        for form in message.forms().values():
            yield from forms(form)
    else:
        yield message


def placeholders(message: Message) -> set[str]:
    """The parameters a message reads: its fields, and the numbers its plurals go by."""
    found = {
        re.split(r"[.\[]", name)[0]
        for template in forms(message)
        for _, name, _, _ in string.Formatter().parse(template)
        if name is not None
    }
    if isinstance(message, Plural):
        found.add(message.by)
        for form in message.forms().values():
            found |= placeholders(form)
    return found


def plurals(message: Message) -> Iterator[Plural]:
    if isinstance(message, Plural):
        yield message
        for form in message.forms().values():
            yield from plurals(form)


ALL = list(LANGUAGES)


def failures(lang: str, check: Callable[[str, Message], object]) -> dict[str, object]:
    """``check(key, message)`` for each key of ``lang``: what it found wrong, by key."""
    found = {key: check(key, CATALOGS[lang][key]) for key in KEYS if key in CATALOGS[lang]}
    return {key: wrong for key, wrong in found.items() if wrong}


# --- keys and placeholders ----------------------------------------------------------


@pytest.mark.parametrize("lang", TRANSLATED)
def test_same_keys_as_english(lang: str) -> None:
    assert sorted(set(en.MESSAGES) - set(CATALOGS[lang])) == [], "missing"
    assert sorted(set(CATALOGS[lang]) - set(en.MESSAGES)) == [], "not in English"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_same_placeholders_as_english(lang: str) -> None:
    def differs(key: str, message: Message) -> object:
        ours, english = placeholders(message), placeholders(en.MESSAGES[key])
        return ours != english and (sorted(ours), sorted(english))

    assert failures(lang, differs) == {}


@pytest.mark.parametrize("lang", ALL)
def test_no_empty_form(lang: str) -> None:
    assert failures(lang, lambda _, m: not all(form.strip() for form in forms(m))) == {}


# --- rendering ----------------------------------------------------------------------

SAMPLES = (0, 1, 2, 5, 12345, 1_000_000, "word")


@pytest.mark.parametrize("lang", ALL)
def test_renders_with_its_parameters(lang: str, caplog: pytest.LogCaptureFixture) -> None:
    """Each parameter as each sample (a plural's number stays a number), no error logged."""

    def wrong(key: str, message: Message) -> object:
        for value in SAMPLES:
            params: dict[str, object] = {name: value for name in placeholders(message)}
            if isinstance(value, str):
                params |= {plural.by: 2 for plural in plurals(message)}
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                shown = translate(lang, key, **params)
            if caplog.records or not shown.strip() or re.search(r"\{\w+\}", shown):
                return (value, shown, caplog.text)
        return None

    assert failures(lang, wrong) == {}


@pytest.mark.parametrize("lang", ALL)
def test_never_raises_without_its_parameters(lang: str) -> None:
    """A missing parameter is shown as ``{name}`` (and logged), never a KeyError."""

    def wrong(key: str, message: Message) -> object:
        shown = translate(lang, key)
        numbers = {plural.by for plural in plurals(message)}
        return {n for n in placeholders(message) - numbers if f"{{{n}}}" not in shown}

    assert failures(lang, wrong) == {}


@pytest.mark.parametrize("lang", ALL)
def test_plural_forms_are_the_language_s_categories(lang: str) -> None:
    categories = cldr_locale(lang).plural_form.tags | {"other"}

    def wrong(_: str, message: Message) -> object:
        return [
            sorted(plural.forms())
            for plural in plurals(message)
            if not set(plural.forms()) <= categories
            or ("one" in categories and "one" not in plural.forms())
        ]

    assert failures(lang, wrong) == {}


@pytest.mark.parametrize("lang", ALL)
def test_no_form_left_in_parentheses(lang: str) -> None:
    """ "recipient(s)", "segmento(s)": a Plural says it properly."""
    left = re.compile(r"\w\((s|es|as|os)\)")
    assert failures(lang, lambda _, m: [f for f in forms(m) if left.search(f)]) == {}


# --- English left in a translation ------------------------------------------------


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated(lang: str) -> None:
    def english(key: str, message: Message) -> object:
        if key in SAME_IN_EVERY_LANGUAGE:
            return None
        same = set(forms(en.MESSAGES[key])) & set(forms(message))
        words = {
            w for f in forms(message) for w in ENGLISH_WORDS.findall(re.sub(r"\{\w+\}", "", f))
        }
        return same or words

    assert failures(lang, english) == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_statuses_translated(lang: str) -> None:
    statuses = STATUS_CATALOGS[lang]
    assert set(statuses) == set(EXPLANATIONS)
    assert [key for key, text in statuses.items() if not text.strip()] == []
    same = {key for key, text in statuses.items() if text == EXPLANATIONS[key]}
    assert same <= SAME_STATUS
    english = {key for key, text in statuses.items() if ENGLISH_WORDS.search(text)}
    assert english == set()


def test_the_heuristic_catches_english() -> None:
    assert ENGLISH_WORDS.search("Buy one with /comprar, please")
    assert not ENGLISH_WORDS.search("Compre um com /comprar <número>, por favor.")


# --- commands -----------------------------------------------------------------------


def commands() -> list[str]:
    return [key.removeprefix("command.") for key in KEYS if key.startswith("command.")]


def test_english_names_are_the_commands() -> None:
    for command in commands():
        assert en.MESSAGES["command." + command] == command
        assert "help." + command in en.MESSAGES


@pytest.mark.parametrize("lang", ALL)
def test_command_names_fit_telegram_and_differ(lang: str) -> None:
    names = [str(CATALOGS[lang]["command." + command]) for command in commands()]
    assert [name for name in names if not COMMAND.fullmatch(name)] == []
    assert len(set(names)) == len(names)


def test_no_name_means_two_commands() -> None:
    meaning: dict[str, set[str]] = {}
    for catalog in CATALOGS.values():
        for command in commands():
            meaning.setdefault(str(catalog["command." + command]), set()).add(command)
    assert {name: found for name, found in meaning.items() if len(found) > 1} == {}


@pytest.mark.parametrize("lang", ALL)
def test_commands_mentioned_in_the_language_s_own_names(lang: str) -> None:
    """pt says /comprar, not /buy: every /name in a message is a command of its language."""
    own = {str(CATALOGS[lang]["command." + command]) for command in commands()}

    def foreign(_: str, message: Message) -> object:
        return {name for form in forms(message) for name in MENTION.findall(form)} - own

    assert failures(lang, foreign) == {}


@pytest.mark.parametrize("lang", ALL)
def test_the_history_word_is_in_its_arguments(lang: str) -> None:
    assert str(CATALOGS[lang]["history.mine"]) in str(CATALOGS[lang]["args.history"])


# --- keys the code asks for ---------------------------------------------------------

ASKED = re.compile(
    r"""(?:\bt|\.say|\bnotice|translate\(\s*[\w.()]+\s*,|CommandSpec\([^)]*?,)"""
    r"""\(?\s*["']([a-z_]+\.[A-Za-z0-9_.]*[A-Za-z0-9_])["']\s*[,)]"""
)


def asked_keys() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("bot", "adapters"):
        for path in (ROOT / folder).rglob("*.py"):
            if "locales" in path.parts or "sandbox" in path.parts:
                continue
            for key in ASKED.findall(path.read_text(encoding="utf-8")):
                found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def test_the_scan_finds_keys() -> None:
    asked = asked_keys()
    assert {"help.intro", "balance.ok", "recipients.summary"} <= set(asked)


def test_every_key_the_code_asks_for_exists() -> None:
    missing = {key: where for key, where in asked_keys().items() if key not in en.MESSAGES}
    assert missing == {}
