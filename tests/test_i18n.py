"""The i18n helpers: plurals, numbers and money per locale, command names per language.

The catalogs themselves (every key, placeholder and form of every language)
are walked in ``test_i18n_keys.py``.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from bot import i18n
from bot.i18n import Money, translate
from bot.locales import Plural, es
from bot.usendit.statuses import EXPLANATIONS

NBSP = "\xa0"  # CLDR keeps "6,00 €" and "12 345" on one line


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
    assert translate("pt", "status.title", id=7, state="x") == "Campanha n.º 7: x"


def test_lang_ok_names_the_language() -> None:
    assert "português" in translate("pt", "lang.ok")
    assert "español" in translate("es", "lang.ok")


def test_explain() -> None:
    assert i18n.explain("es", "USER_UNKNOWN") == es.STATUSES["USER_UNKNOWN"]
    assert i18n.explain("es", "USER_UNKNOWN") != EXPLANATIONS["USER_UNKNOWN"]
    assert i18n.explain("pt", "NOT_A_STATUS") == "NOT_A_STATUS"
    assert i18n.explain("en", "USER_UNKNOWN") == EXPLANATIONS["USER_UNKNOWN"]


class TestPlurals:
    @pytest.mark.parametrize(
        ("lang", "one", "two"),
        [
            ("en", "1 recipient from list.txt.", "2 recipients from list.txt."),
            ("pt", "1 destinatário de list.txt.", "2 destinatários de list.txt."),
            ("es", "1 destinatario de list.txt.", "2 destinatarios de list.txt."),
        ],
    )
    def test_one_and_two_recipients(self, lang: str, one: str, two: str) -> None:
        assert translate(lang, "recipients.summary", count=1, source="list.txt") == one
        assert translate(lang, "recipients.summary", count=2, source="list.txt") == two

    @pytest.mark.parametrize("lang", ["en", "pt", "es"])
    def test_zero_is_plural(self, lang: str) -> None:
        # Portugal's rule, not Brazil's: "0 destinatários".
        zero = translate(lang, "recipients.summary", count=0, source="x")
        assert zero == translate(lang, "recipients.summary", count=2, source="x").replace("2", "0")

    def test_a_plural_chosen_by_another_parameter(self) -> None:
        assert translate("en", "balance.ok", credits=1, account="A") == "1 credit left on A."
        assert translate("pt", "balance.ok", credits=1, account="A") == "Resta 1 crédito em A."
        assert translate("es", "balance.ok", credits=3, account="A") == "Quedan 3 créditos en A."

    def test_two_numbers_in_one_sentence(self) -> None:
        offer = translate("en", "send.ucs2_offer", segments=2, plain_segments=1, plain="x")
        assert "2 segments per number" in offer
        assert "GSM-7, 1 segment:" in offer

    def test_the_parts_agree_with_their_count(self) -> None:
        assert translate("pt", "status.not_sent", count=1) == (
            "1 parte não foi enviada; pode ser reenviada."
        )
        assert translate("pt", "status.not_sent", count=3).startswith("3 partes não foram")
        assert translate("en", "status.unknown", count=1).startswith("1 part is being checked")

    def test_a_category_without_a_form_reads_as_other(self) -> None:
        # CLDR's "many" (a round million in pt and es) has no form of its own.
        assert i18n.cldr_locale("es").plural_form(1_000_000) == "many"
        million = translate("es", "recipients.summary", count=1_000_000, source="x")
        assert million == "1.000.000 destinatarios de x."

    def test_a_plural_without_its_number_is_logged_not_raised(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR):
            got = translate("en", "recipients.summary", count="many", source="x")
        assert got == "many recipients from x."
        assert "plural by 'count'" in caplog.text

    def test_forms_fall_back_to_other(self) -> None:
        plural = Plural(one="a", other="b")
        assert plural.form("one") == "a"
        assert plural.form("many") == "b"
        assert plural.form("by") == "b"
        assert plural.forms() == {"one": "a", "other": "b"}


class TestNumbers:
    @pytest.mark.parametrize(
        ("lang", "shown"),
        [("en", "12,345"), ("pt", f"12{NBSP}345"), ("es", "12.345")],
    )
    def test_counts_are_grouped_per_locale(self, lang: str, shown: str) -> None:
        assert translate(lang, "balance.ok", credits=12345, account="A").count(shown) == 1

    @pytest.mark.parametrize("lang", ["en", "pt", "es"])
    def test_identifiers_keep_their_digits(self, lang: str) -> None:
        assert "12345" in translate(lang, "status.title", id=12345, state="x")
        progress = dict(done=1, total=2, accepted=1, rejected=0)
        assert "12345" in translate(lang, "send.progress", id=12345, **progress)
        line = translate(lang, "recipients.rejected.DUPLICATE", line=10001, raw="9", first=10000)
        assert "10001" in line
        assert "10000" in line

    @pytest.mark.parametrize(
        ("lang", "price"),
        [("en", "€6.00"), ("pt", f"6,00{NBSP}€"), ("es", f"6,00{NBSP}€")],
    )
    def test_money_per_locale(self, lang: str, price: str) -> None:
        line = translate(
            lang,
            "packs.line",
            id=1,
            description="Pack",
            credits=100,
            price=Money(Decimal("6")),
            tax=Decimal("23"),
            total=Money(Decimal("7.38")),
        )
        assert price in line
        assert "6.00 €" not in line

    def test_money_reads_as_6_00_euros_in_portuguese_and_spanish(self) -> None:
        for lang in ("pt", "es"):
            payment = dict(pack=1, entity="1", reference="2", link="x")
            shown = translate(lang, "buy.ok", amount=Money(Decimal("6")), **payment)
            assert "6,00 €" in shown.replace(NBSP, " ")

    def test_money_parsed_from_uSendit_text(self) -> None:
        assert Money.parse("7.38") == Money(Decimal("7.38"))
        assert Money.parse("n/a") == "n/a"
        assert Money.parse(None) == ""

    def test_decimals_per_locale(self) -> None:
        assert "6,5" in translate("pt", "balance.ok", credits=Decimal("6.5"), account="A")

    def test_strings_and_booleans_as_given(self) -> None:
        assert translate("en", "status.reason", reason="12345") == "Reason: 12345"
        assert translate("en", "status.reason", reason=True) == "Reason: True"


class TestNeverRaises:
    def test_a_missing_parameter_is_shown_and_logged(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR):
            got = translate("en", "send.insufficient")
        assert got.startswith("Not enough credits: this send needs {needed}")
        assert "missing parameter 'needed'" in caplog.text

    def test_a_missing_key_gives_the_key(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.ERROR):
            assert translate("pt", "no.such.key") == "no.such.key"
        assert "no.such.key" in caplog.text

    def test_an_unknown_language_is_english(self) -> None:
        assert translate("fr", "cancel.ok") == "Cancelled."

    def test_a_template_that_does_not_fit_falls_back(
        self, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        monkeypatch.setitem(i18n.CATALOGS["pt"], "status.reason", "Motivo: {reason:d}")
        with caplog.at_level(logging.ERROR):
            assert translate("pt", "status.reason", reason="x") == "Reason: x"
        assert "does not fit" in caplog.text


class TestCommands:
    def test_each_language_names_its_commands(self) -> None:
        assert i18n.command_name("pt", "buy") == "comprar"
        assert i18n.command_name("es", "history") == "historial"
        assert i18n.command_name("en", "buy") == "buy"
        assert i18n.command_name("fr", "buy") == "buy"
        assert i18n.command_name("pt", "no_such_command") == "no_such_command"

    def test_usage_in_the_reader_s_words(self) -> None:
        assert i18n.command_usage("pt", "count") == "contar <texto>"
        assert i18n.command_usage("es", "buy") == "comprar <paquete> [código]"
        assert i18n.command_usage("en", "balance") == "balance"

    def test_aliases_come_from_every_catalog(self) -> None:
        aliases = i18n.command_aliases()
        assert aliases["comprar"] == "buy"
        assert aliases["ajuda"] == aliases["ayuda"] == "help"
        assert "buy" not in aliases  # English names are the commands themselves

    def test_mine_in_every_language(self) -> None:
        assert i18n.every_spelling("history.mine") == {"mine", "minhas", "mías"}
