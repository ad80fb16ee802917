"""The delivery window as people say it, in English, Portuguese and Spanish."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.send_form import Problem
from bot.send_window import Window, next_opening, parse_window

NINE_TO_EIGHT = Window(time(9), time(20))


@pytest.mark.parametrize(
    "typed",
    [
        "09:00-20:00",
        "9h-20h",
        "9 to 20",
        "only between 09:00 and 20:00",
        "from 9am to 8pm",
        "9:00 – 20:00",
        "entre as 9h e as 20h",
        "das 9h às 20h",
        "de 9 a 20",
        "entre las 9 y las 20",
        "desde las 9:00 hasta las 20:00",
        "  09.00 - 20.00 ",
    ],
)
def test_a_daily_window(typed: str) -> None:
    assert parse_window(typed) == NINE_TO_EIGHT


@pytest.mark.parametrize(
    "typed",
    [
        "working days",
        "Weekdays only",
        "dias úteis",
        "só dias úteis",
        "días laborables",
        "de lunes a viernes",
    ],
)
def test_working_days(typed: str) -> None:
    assert parse_window(typed) == Window(working_days=True)


@pytest.mark.parametrize(
    "typed",
    [
        "9h-20h working days",
        "working days 9h-20h",
        "9h-20h, dias úteis",
        "de 9 a 20 días laborables",
    ],
)
def test_both(typed: str) -> None:
    assert parse_window(typed) == Window(time(9), time(20), working_days=True)


@pytest.mark.parametrize("typed", ["", "any time", "sempre", "cualquier hora"])
def test_no_window(typed: str) -> None:
    window = parse_window(typed)
    assert isinstance(window, Window)
    assert window.any_time


@pytest.mark.parametrize("typed", ["22:00-06:00", "9h-9h", "20 to 9"])
def test_a_window_must_end_after_it_begins(typed: str) -> None:
    found = parse_window(typed)
    assert isinstance(found, Problem)
    assert found.key == "window.backwards"


@pytest.mark.parametrize("typed", ["soon", "25:00-26:00", "9:75-10:00", "13pm-2pm", "weekends"])
def test_unreadable(typed: str) -> None:
    found = parse_window(typed)
    assert isinstance(found, Problem)
    assert found.key == "window.unreadable"


def test_until_midnight() -> None:
    assert parse_window("18h-24h") == Window(time(18), time(23, 59))


@pytest.mark.parametrize(
    "window",
    [Window(), NINE_TO_EIGHT, Window(working_days=True), Window(time(8, 30), time(12), True)],
)
def test_stored_and_read_back(window: Window) -> None:
    assert Window.from_stored(window.stored()) == window


def test_times_are_the_persons_own() -> None:
    day = datetime(2026, 12, 1, 12, tzinfo=UTC)
    begin, end = NINE_TO_EIGHT.times_on(day, "Europe/Madrid")
    assert begin is not None
    assert end is not None
    assert begin.isoformat() == "2026-12-01T09:00:00+01:00"
    assert end.isoformat() == "2026-12-01T20:00:00+01:00"
    assert Window(working_days=True).times_on(day, "Europe/Lisbon") == (None, None)


def test_next_opening() -> None:
    friday_night = datetime(2026, 12, 4, 21, tzinfo=UTC)  # a Friday, 21:00 in Lisbon
    weekdays = Window(time(9), time(20), working_days=True)
    assert next_opening(weekdays, friday_night, "Europe/Lisbon").isoformat() == (
        "2026-12-07T09:00:00+00:00"  # Monday
    )
    inside = datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert next_opening(weekdays, inside, "Europe/Lisbon") == inside
