"""SMS counting at every boundary, each case checked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.segments import Encoding, SegmentCount, count_segments, is_gsm7, to_gsm7

G = Encoding.GSM7
U = Encoding.UCS2
EMOJI = "\U0001f600"  # two UTF-16 units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", SegmentCount(G, 0, 0, 160, ()), id="empty"),
        pytest.param("a", SegmentCount(G, 1, 1, 159, ()), id="one-char"),
        pytest.param("a" * 160, SegmentCount(G, 160, 1, 0, ()), id="gsm-160"),
        pytest.param("a" * 161, SegmentCount(G, 161, 2, 145, ()), id="gsm-161"),
        pytest.param("a" * 306, SegmentCount(G, 306, 2, 0, ()), id="gsm-306"),
        pytest.param("a" * 307, SegmentCount(G, 307, 3, 152, ()), id="gsm-307"),
        pytest.param("€" * 80, SegmentCount(G, 160, 1, 0, ()), id="ext-80-fills-one"),
        pytest.param("a" * 159 + "€", SegmentCount(G, 161, 2, 145, ()), id="ext-crosses-160"),
        # 152 basic + '€' (2 septets) fit one SMS, but split they cannot share
        # segment 1: the escape pair moves whole to segment 2.
        pytest.param("a" * 152 + "€", SegmentCount(G, 154, 1, 6, ()), id="ext-single"),
        pytest.param("a" * 152 + "€" + "a" * 10, SegmentCount(G, 164, 2, 141, ()), id="ext-at-153"),
        pytest.param(
            "a" * 151 + "€" + "a" * 10, SegmentCount(G, 163, 2, 143, ()), id="ext-fits-153"
        ),
        # Two-part message whose second part ends exactly on a moved escape pair.
        pytest.param(
            "a" * 152 + "€" + "a" * 151, SegmentCount(G, 305, 2, 0, ()), id="ext-moved-full"
        ),
        pytest.param(
            "a" * 152 + "€" + "a" * 152, SegmentCount(G, 306, 3, 152, ()), id="ext-moved-spills"
        ),
        # The same in an ASCII text, which the counter reads another way.
        pytest.param(
            "a" * 152 + "{" + "a" * 10, SegmentCount(G, 164, 2, 141, ()), id="ascii-ext-at-153"
        ),
        pytest.param(
            "a" * 151 + "{" + "a" * 10, SegmentCount(G, 163, 2, 143, ()), id="ascii-ext-fits-153"
        ),
        pytest.param("\f", SegmentCount(G, 2, 1, 158, ()), id="form-feed"),
        pytest.param("{}[]~|\\^", SegmentCount(G, 16, 1, 144, ()), id="all-extension"),
        pytest.param("é" * 160, SegmentCount(G, 160, 1, 0, ()), id="gsm-accent"),
        pytest.param("ã", SegmentCount(U, 1, 1, 69, ("ã",)), id="ucs2-one"),
        pytest.param("ã" * 70, SegmentCount(U, 70, 1, 0, ("ã",)), id="ucs2-70"),
        pytest.param("ã" * 71, SegmentCount(U, 71, 2, 63, ("ã",)), id="ucs2-71"),
        pytest.param("ã" * 134, SegmentCount(U, 134, 2, 0, ("ã",)), id="ucs2-134"),
        pytest.param("ã" * 135, SegmentCount(U, 135, 3, 66, ("ã",)), id="ucs2-135"),
        pytest.param("a" * 69 + "ç", SegmentCount(U, 70, 1, 0, ("ç",)), id="ucs2-mixed-70"),
        pytest.param(EMOJI * 35, SegmentCount(U, 70, 1, 0, (EMOJI,)), id="emoji-35"),
        pytest.param("a" * 69 + EMOJI, SegmentCount(U, 71, 2, 63, (EMOJI,)), id="emoji-at-70"),
        # 66 units + a surrogate pair: the pair moves whole to segment 2.
        pytest.param(
            "ã" * 66 + EMOJI + "a", SegmentCount(U, 69, 1, 1, ("ã", EMOJI)), id="emoji-single"
        ),
        pytest.param(
            "ã" * 66 + EMOJI + "a" * 3, SegmentCount(U, 71, 2, 62, ("ã", EMOJI)), id="emoji-at-67"
        ),
        pytest.param(
            "ã" * 65 + EMOJI + "a" * 4, SegmentCount(U, 71, 2, 63, ("ã", EMOJI)), id="emoji-fits-67"
        ),
        # Two lone surrogates are two characters of one unit each: they may be split.
        pytest.param(
            "ã" * 66 + "\ud83d\ude00" + "a" * 3,
            SegmentCount(U, 71, 2, 63, ("ã", "\ud83d", "\ude00")),
            id="lone-surrogates-at-67",
        ),
        pytest.param("\t", SegmentCount(U, 1, 1, 69, ("\t",)), id="tab"),
        pytest.param("é\x00", SegmentCount(U, 2, 1, 68, ("\x00",)), id="nul-beside-gsm-accent"),
        # UCS-2 extension chars cost one unit, not two.
        pytest.param("€ã", SegmentCount(U, 2, 1, 68, ("ã",)), id="ucs2-euro"),
        pytest.param("çãç", SegmentCount(U, 3, 1, 67, ("ç", "ã")), id="distinct-in-order"),
    ],
)
def test_count_segments(text: str, expected: SegmentCount) -> None:
    assert count_segments(text) == expected


def test_encoding_values() -> None:
    assert Encoding.GSM7.value == "GSM7"
    assert Encoding.UCS2.value == "UCS2"


def test_esc_is_not_a_character() -> None:
    assert not is_gsm7("\x1b")
    assert count_segments("\x1b").encoding is U


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("á ã â à", "a a a à"),
        ("Á Ã Â", "A A A"),
        ("õ ó ô ò", "o o o ò"),
        ("ç Ç", "c Ç"),
        ("ê í ú", "e i u"),
        ("é è ñ ü ì ù É Ñ Ü Ä Ö Å Æ Ø ß", "é è ñ ü ì ù É Ñ Ü Ä Ö Å Æ Ø ß"),
        ("“olá” ‘x’ – — …", "\"ola\" 'x' - - ..."),
        ("Promoção “já”…", 'Promocao "ja"...'),
        ("1º 2ª", "1o 2a"),
        (f"hi {EMOJI} ж", f"hi {EMOJI} ж"),
        ("", ""),
    ],
)
def test_to_gsm7(text: str, expected: str) -> None:
    assert to_gsm7(text) == expected


def test_to_gsm7_makes_portuguese_gsm() -> None:
    text = "Atenção: promoção válida até amanhã às 18h – não perca!"
    assert count_segments(to_gsm7(text)).encoding is G


@given(st.text(max_size=400))
def test_segments_hold_their_units(text: str) -> None:
    count = count_segments(text)
    if not text:
        assert count.segments == 0
        return
    single, multi = (160, 153) if count.encoding is G else (70, 67)
    if count.segments == 1:
        assert count.units <= single
        assert count.remaining == single - count.units
    else:
        assert count.units > single
        # Each segment loses at most one unit to an unsplittable pair.
        assert (multi - 1) * (count.segments - 1) < count.units <= multi * count.segments
        assert 0 <= count.remaining < multi


@given(st.text(max_size=200))
def test_to_gsm7_is_idempotent(text: str) -> None:
    once = to_gsm7(text)
    assert to_gsm7(once) == once
