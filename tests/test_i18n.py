"""The Portuguese and Spanish catalogs match the English one, and the i18n helpers."""

from __future__ import annotations

import string
from types import ModuleType

import pytest

from bot import i18n
from bot.locales import en, es, pt
from bot.usendit.statuses import EXPLANATIONS

LOCALES = [pytest.param(pt, id="pt"), pytest.param(es, id="es")]

# Status values whose sentence may read the same in every language.
SAME_IN_EVERY_LANGUAGE = {"GSM7", "UCS2", "FACEBOOK", "LINKED_IN", "PT"}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("locale", LOCALES)
def test_same_keys_as_english(locale: ModuleType) -> None:
    assert set(locale.MESSAGES) == set(en.MESSAGES)


@pytest.mark.parametrize("locale", LOCALES)
def test_same_placeholders_as_english(locale: ModuleType) -> None:
    different = {
        key: (placeholders(en.MESSAGES[key]), placeholders(template))
        for key, template in locale.MESSAGES.items()
        if key in en.MESSAGES and placeholders(template) != placeholders(en.MESSAGES[key])
    }
    assert different == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_empty_message(locale: ModuleType) -> None:
    assert [key for key, text in locale.MESSAGES.items() if not text.strip()] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_statuses_translate_every_explanation(locale: ModuleType) -> None:
    assert set(locale.STATUSES) == set(EXPLANATIONS)
    assert [key for key, text in locale.STATUSES.items() if not text.strip()] == []
    untranslated = {key for key, text in locale.STATUSES.items() if text == EXPLANATIONS[key]}
    assert untranslated <= SAME_IN_EVERY_LANGUAGE


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_lang_ok_is_translated(lang: str) -> None:
    assert i18n.translate(lang, "lang.ok") != i18n.translate("en", "lang.ok")


def test_lang_ok_names_the_language() -> None:
    assert "português" in i18n.translate("pt", "lang.ok")
    assert "español" in i18n.translate("es", "lang.ok")


@pytest.mark.parametrize(
    ("locale", "default", "expected"),
    [
        ("pt-BR", "en", "pt"),
        ("es_ES", "en", "es"),
        ("de", "en", "en"),
        (None, "pt", "pt"),
        ("", "es", "es"),
        ("EN-gb", "pt", "en"),
    ],
)
def test_pick_language(locale: str | None, default: str, expected: str) -> None:
    assert i18n.pick_language(locale, default) == expected


def test_translate_fills_placeholders() -> None:
    assert i18n.translate("pt", "status.title", id=7, state="x") == "Campanha n.º 7: x"


def test_explain() -> None:
    assert i18n.explain("es", "USER_UNKNOWN") == es.STATUSES["USER_UNKNOWN"]
    assert i18n.explain("es", "USER_UNKNOWN") != EXPLANATIONS["USER_UNKNOWN"]
    assert i18n.explain("pt", "NOT_A_STATUS") == "NOT_A_STATUS"
    assert i18n.explain("en", "USER_UNKNOWN") == EXPLANATIONS["USER_UNKNOWN"]
