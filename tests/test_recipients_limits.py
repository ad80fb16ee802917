"""How big a list may be: the caps (settings, passed in by the caller) and what reading
at the cap costs."""

from __future__ import annotations

import tracemalloc

import pytest

from bot.recipient_files import FILE_MB, MAX_FILE_BYTES, MAX_ROWS, parse_file
from bot.recipients import RecipientsError, RecipientsErrorCode, parse_text
from bot.settings import Settings

PT1 = "351912345678"


def shop_file(rows: int, *, size: int) -> bytes:
    """``rows`` distinct PT mobiles in a semicolon CSV with a header, padded to ``size`` bytes."""
    header = "Nome;Telemóvel;Notas\n"
    body = [f"Cliente {n};9{'1236'[n % 4]}{n:07d};" for n in range(rows)]
    pad = max(0, (size - len(header.encode()) - sum(len(r) + 1 for r in body)) // rows)
    return (header + "".join(f"{row}{'x' * pad}\n" for row in body)).encode()


def test_the_default_caps_are_the_settings_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.max_recipients, settings.max_file_bytes) == (MAX_ROWS, MAX_FILE_BYTES)
    assert (MAX_ROWS, MAX_FILE_BYTES, FILE_MB) == (100_000, 10_000_000, "10")


def test_the_caps_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_RECIPIENTS", "500")
    monkeypatch.setenv("MAX_FILE_MB", "2.5")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.max_recipients, settings.max_file_bytes) == (500, 2_500_000)


@pytest.mark.parametrize(("name", "value"), [("MAX_RECIPIENTS", "0"), ("MAX_FILE_MB", "51")])
def test_caps_out_of_range_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name.lower()):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_file_of_100k_rows_and_10_mb_is_read_whole() -> None:
    content = shop_file(100_000, size=10_000_000)
    assert 9_900_000 < len(content) <= 10_000_000
    result = parse_file("clientes.csv", content)
    assert len(result.numbers) == 100_000
    assert result.numbers[0] == PT1[:3] + "910000000"
    assert result.rejected == ()


def test_one_row_over_the_cap_is_refused_with_the_cap() -> None:
    content = shop_file(101, size=0)
    assert len(parse_file("ok.csv", content, max_rows=101).numbers) == 101
    with pytest.raises(RecipientsError) as info:
        parse_file("many.csv", content, max_rows=100)
    assert (info.value.code, info.value.limit) == (RecipientsErrorCode.TOO_MANY_ROWS, 100)
    with pytest.raises(RecipientsError) as info:
        parse_file("big.csv", content, max_bytes=len(content) - 1)
    assert (info.value.code, info.value.limit) == (
        RecipientsErrorCode.FILE_TOO_LARGE,
        len(content) - 1,
    )


def test_typed_text_takes_the_cap_its_caller_passes() -> None:
    text = "912345678, 913333444\nabc"
    assert len(parse_text(text).rejected) == 1  # no cap unless one is passed
    assert len(parse_text(text, max_entries=3).numbers) == 2
    with pytest.raises(RecipientsError) as info:
        parse_text(text, max_entries=2)
    assert (info.value.code, info.value.limit) == (RecipientsErrorCode.TOO_MANY_ROWS, 2)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"1111 " * 2_000_000, id="one-line-of-2M-tokens"),
        pytest.param(b"Tel\n" + b"1111 " * 1_999_999, id="one-cell-of-2M-tokens"),
    ],
)
def test_a_hostile_10_mb_line_is_read_in_bounded_memory(content: bytes) -> None:
    # Each token is one entry, taken as the cap is counted: two million are never held.
    tracemalloc.start()
    try:
        with pytest.raises(RecipientsError) as info:
            parse_file("x.txt", content, max_rows=1_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code in {
        RecipientsErrorCode.TOO_MANY_ROWS,
        RecipientsErrorCode.NO_PHONE_COLUMN,
    }
    assert peak < 60 * 2**20


@pytest.mark.slow
def test_reading_100k_rows_of_10_mb_stays_well_under_200_mb() -> None:
    content = shop_file(100_000, size=10_000_000)
    tracemalloc.start()
    try:
        parse_file("clientes.csv", content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20
