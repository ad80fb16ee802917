"""The /send fields are read one way: a whole form (Slack's modal) and the step-by-step
wizard (Telegram, the console) give the same value or the same problem for each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from chat_driver import Person, bot_settings, text

from bot.app import BotApp
from bot.i18n import explain, translate
from bot.sandbox import SandboxServer
from bot.send_form import CheckedForm, SendForm, check_form

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ZONE = "Europe/Lisbon"


def t(key: str, **params: object) -> str:
    return translate("en", key, **params)


def problems(**fields: str) -> dict[str, str]:
    form = SendForm.of({"recipients": "912345678", "text": "Hello", **fields})
    checked = check_form(form, region="PT", zone=ZONE, now=NOW)
    if isinstance(checked, CheckedForm):
        return {}
    return {name: p.words(t, lambda status: explain("en", status)) for name, p in checked.items()}


def test_a_good_form_is_read_whole() -> None:
    form = SendForm.of(
        {"recipients": "912345678\n+351 913 333 333, 912345678", "text": " Olá ", "sender": "Loja",
         "when": "2026-12-24 10:00"}
    )  # fmt: skip
    checked = check_form(form, region="PT", zone=ZONE, now=NOW)
    assert isinstance(checked, CheckedForm)
    assert checked.recipients.numbers == ("351912345678", "351913333333")  # duplicates dropped
    assert (checked.text, checked.sender) == ("Olá", "Loja")
    assert checked.when == datetime(2026, 12, 24, 10, 0, tzinfo=UTC)  # Lisbon is UTC in winter


def test_every_field_gets_its_own_problem() -> None:
    found = problems(recipients="912345678, 12, abc", text="x" * 1000, sender="Loja!!", when="x")
    assert set(found) == {"recipients", "text", "sender", "when"}
    assert "12, abc" in found["recipients"]
    assert "at most 6" in found["text"]
    assert "not allowed" in found["sender"]
    assert "could not read" in found["when"]


def test_many_refused_numbers_are_counted_not_listed() -> None:
    bad = ", ".join(f"{n}" for n in range(10, 20))
    assert problems(recipients=bad)["recipients"].endswith("10, 11, 12 (+7).")


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "\x01 hidden"), ("when", "01/01/2020 10:00"), ("sender", "A" * 12)],
)
def test_an_empty_or_unsendable_field(field: str, value: str) -> None:
    assert set(problems(**{field: value})) == {field}


def test_recipients_left_empty_wait_for_a_file() -> None:
    assert problems(recipients="") == {}


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    settings = bot_settings(sandbox.endpoint, tmp_path, bot_admins=["console:me"])
    async with BotApp(settings) as started:
        yield started


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "x" * 1000), ("sender", "Loja!!"), ("when", "soon"), ("when", "01/01/2020 10:00")],
)
async def test_the_wizard_says_what_the_form_says(app: BotApp, field: str, value: str) -> None:
    me = Person(app.desk)
    await me.send("/send")
    await me.send("912345678")
    answers = {"text": "Hello", "sender": "-"}
    for step in ("text", "sender", "when"):
        if step == field:
            reply = text(await me.send(value))
            break
        await me.send(answers[step])
    expected = problems(**{field: value})[field]
    assert reply == expected
