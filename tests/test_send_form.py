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
from bot.send_form import CheckedForm, SendForm, check_form, parse_when, read_when
from bot.usendit.client import UsenditClient

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


LISBON_NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Lisbon is UTC in winter


@pytest.mark.parametrize(
    ("lang", "said", "expected"),
    [
        ("en", "tomorrow 9:00", "2026-12-02 09:00"),
        ("en", "in 2 hours", "2026-12-01 14:00"),
        ("en", "friday 18:00", "2026-12-04 18:00"),
        ("pt", "amanhã 9h", "2026-12-02 09:00"),
        ("pt", "amanhã às 9h30", "2026-12-02 09:30"),
        ("pt", "sexta 18h", "2026-12-04 18:00"),
        ("pt", "daqui a 2 horas", "2026-12-01 14:00"),
        ("es", "mañana 9:00", "2026-12-02 09:00"),
        ("es", "mañana a las 9", "2026-12-02 09:00"),
        ("es", "el viernes a las 18:00", "2026-12-04 18:00"),
        ("en", "07:00", "2026-12-02 07:00"),  # gone today: tomorrow
        ("en", "13:00", "2026-12-01 13:00"),
        ("en", "05/01 09:00", "2027-01-05 09:00"),  # gone this year: next year
        ("en", "24/12 10:00", "2026-12-24 10:00"),
        ("pt", "2026-12-24 10:00", "2026-12-24 10:00"),
    ],
)
def test_the_ways_people_say_a_time(lang: str, said: str, expected: str) -> None:
    moment = parse_when(said, ZONE, LISBON_NOON, lang)
    assert moment is not None
    assert moment.strftime("%Y-%m-%d %H:%M") == expected
    assert moment.tzinfo is not None


def test_what_is_no_time_is_unreadable() -> None:
    for said in ("banana", "32/13 25:00", "quando quiser"):
        assert parse_when(said, ZONE, LISBON_NOON, "pt") is None


@pytest.mark.parametrize(
    ("said", "utc"),
    [
        # Lisbon's clocks go forward on 28 March 2027 at 01:00 UTC, back on 31 October.
        ("2027-03-27 09:00", "2027-03-27 09:00"),
        ("2027-03-28 09:00", "2027-03-28 08:00"),
        ("2027-10-30 09:00", "2027-10-30 08:00"),
        ("2027-10-31 09:00", "2027-10-31 09:00"),
    ],
)
def test_summer_time_changes_are_kept(said: str, utc: str) -> None:
    moment = parse_when(said, ZONE, LISBON_NOON)
    assert moment is not None
    assert moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == utc


def test_an_hour_the_clocks_skip_is_refused() -> None:
    _, problem = read_when("2027-03-28 01:30", ZONE, LISBON_NOON)
    assert problem is not None
    assert problem.key == "send.when_skipped"
    when, problem = read_when("2027-10-31 01:30", ZONE, LISBON_NOON)  # happens twice: the first
    assert problem is None
    assert when is not None
    assert when.astimezone(UTC).strftime("%H:%M") == "00:30"


def test_a_time_across_the_change_reaches_the_provider_in_its_own_time() -> None:
    """The provider reads Sms times in Lisbon's time: a Sao Paulo 09:00 (UTC-3 all year)
    is 12:00 in Lisbon before the spring change and 13:00 after it."""
    client = UsenditClient(endpoint="http://127.0.0.1:9/none")
    before = parse_when("2027-03-27 09:00", "America/Sao_Paulo", LISBON_NOON)
    after = parse_when("2027-03-28 09:00", "America/Sao_Paulo", LISBON_NOON)
    assert client._provider_time(before) == datetime(2027, 3, 27, 12, 0)  # noqa: DTZ001
    assert client._provider_time(after) == datetime(2027, 3, 28, 13, 0)  # noqa: DTZ001
