"""The bot's counter (:mod:`bot.segments`) agrees with the sandbox's (:mod:`bot.sandbox.gsm`)
and with :func:`reference`, the definition walked one character at a time.

They are written apart, so any text on which they differ is a bug in one of
them: the strategies aim at where counters go wrong, i.e. extension
characters (2 septets), non-BMP characters (2 UTF-16 units), and either of
them placed on a part boundary (septet 153 of 153, unit 67 of 67) or around
the one-part limit (160 septets, 70 units). The bot's counter takes a
different road for ASCII text, for other GSM text, for UCS-2 text, and walks
only multipart texts with 2-unit characters: the strategies reach each road.
"""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.sandbox import gsm
from bot.segments import Encoding, SegmentCount, count_segments, is_gsm7

BASIC = "".join(sorted(gsm.BASIC_CHARACTERS))
EXTENSION = "".join(sorted(gsm.EXTENSION_CHARACTERS))
GSM = BASIC + EXTENSION
# Latin letters with marks: a few are in the GSM alphabet (é è ù ì ò Ç Ä Ö Ñ Ü à ...),
# most are not, and a single one of those makes the text UCS-2.
ACCENTED = "áàâãäåçéèêëíìîïñóòôõöúùûüýÿÁÀÂÃÄÅÇÉÈÊËÍÌÎÏÑÓÒÔÕÖÚÙÛÜÝŒœŠšŽžĉğış"
NON_GSM_BMP = "ãõâêôçÁÍÓÚ¢©®°±µ¶·«»–—‘’“”…•→中文한국어Жж\u00a0\u200b\ufeff"
EMOJI = "😀😂🥲👍🏽🎉🇵🇹❤️🚀"  # flags and skin tones are pairs of non-BMP characters


def sized_texts(alphabet: st.SearchStrategy[str] | str, longest: int) -> st.SearchStrategy[str]:
    """Texts of a length drawn evenly up to ``longest``, so that multipart ones are common."""
    return st.integers(min_value=0, max_value=longest).flatmap(
        lambda size: st.text(alphabet=alphabet, min_size=size, max_size=size)
    )


basic_texts = sized_texts(BASIC, 400)
gsm_texts = sized_texts(GSM, 950)
accented_texts = sized_texts(BASIC + ACCENTED, 300)
non_bmp = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
emoji = st.sampled_from(list(EMOJI)) | st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
ucs2_texts = sized_texts(
    st.sampled_from(list(BASIC + ACCENTED + NON_GSM_BMP)) | non_bmp | emoji, 500
)


def reference(text: str) -> SegmentCount:
    """What :func:`count_segments` must return, one character at a time."""
    non_gsm = tuple(dict.fromkeys(char for char in text if not is_gsm7(char)))
    if non_gsm:
        encoding, single, multi = Encoding.UCS2, 70, 67
        widths = [2 if ord(char) > 0xFFFF else 1 for char in text]
    else:
        encoding, single, multi = Encoding.GSM7, 160, 153
        widths = [2 if char in "\f^{}\\[~]|€" else 1 for char in text]
    units = sum(widths)
    if units <= single:
        return SegmentCount(encoding, units, 1 if units else 0, single - units, non_gsm)
    segments, used = 1, 0
    for width in widths:
        if used + width > multi:
            segments, used = segments + 1, 0
        used += width
    return SegmentCount(encoding, units, segments, multi - used, non_gsm)


def _agree(text: str) -> None:
    bot = count_segments(text)
    sandbox = gsm.count(text)
    assert (bot.encoding.value, bot.units, bot.segments) == (
        sandbox.encoding.value,
        sandbox.units,
        sandbox.segments,
    ), f"text={text!r}"
    assert bot == reference(text), f"text={text!r}"


def _check(text: str) -> None:
    """``_agree`` inside a property test, recording what kind of text it was.

    ``pytest --hypothesis-show-statistics`` shows how the examples spread.
    """
    counted = gsm.count(text)
    event(f"{counted.encoding.value}, {'multipart' if counted.segments > 1 else 'one part'}")
    event(f"a 2-unit character split would be: {_naive_split(text)}")
    _agree(text)


def _naive_split(text: str) -> bool:
    """Whether a counter cutting at fixed unit offsets would cut inside a character."""
    encoding = gsm.encoding_for(text)
    costs = [gsm.cost(char, encoding) for char in text]
    if sum(costs) <= (gsm.GSM7_SINGLE if encoding is gsm.Encoding.GSM7 else gsm.UCS2_SINGLE):
        return False
    part = gsm.GSM7_PART if encoding is gsm.Encoding.GSM7 else gsm.UCS2_PART
    used = 0
    for char_cost in costs:
        if char_cost == 2 and used % part == part - 1:
            return True
        used += char_cost
    return False


@st.composite
def on_boundaries(
    draw: st.DrawFn, filler: st.SearchStrategy[str], special: st.SearchStrategy[str], part: int
) -> str:
    """A multipart text with 2-unit ``special`` characters around part boundaries.

    Filler characters cost 1 unit. After one or more parts ``k``, a special
    character starts at (0-based) unit ``k * part + d - 1``, ``d`` in -2..2:
    for parts of 153 that is units 150..154 after part 1, 303..307 after
    part 2. At unit ``part - 1`` (the last of a part) it must move whole to
    the next part; on either side it must not move. Half of the texts end
    just short of, on, or just past a whole number of parts, where a counter
    that splits a character, or divides the total by the part size, is one
    part off.
    """
    parts = draw(st.integers(min_value=1, max_value=5))
    if draw(st.booleans()):
        length = (parts + 1) * part + draw(st.integers(min_value=-2, max_value=1))
    else:
        length = parts * part + draw(st.integers(min_value=3, max_value=part))
    boundaries = draw(
        st.lists(st.integers(min_value=1, max_value=parts), min_size=1, max_size=parts, unique=True)
    )
    starts = sorted(k * part + draw(st.integers(min_value=-2, max_value=2)) - 1 for k in boundaries)
    fill = iter(draw(st.text(alphabet=filler, min_size=length, max_size=length)))
    chars: list[str] = []
    units = 0
    while units < length:
        if starts and units >= starts[0]:
            starts.pop(0)
            chars.append(draw(special))
            units += 2
        else:
            chars.append(next(fill))
            units += 1
    return "".join(chars)


gsm_boundaries = on_boundaries(
    st.sampled_from(list(BASIC)), st.sampled_from(list(EXTENSION)), gsm.GSM7_PART
)
# Mostly characters outside GSM, so that the filler is UCS-2 even where no emoji is drawn.
ucs2_filler = st.sampled_from(list("ãõ" + ACCENTED + NON_GSM_BMP))
ucs2_boundaries = on_boundaries(ucs2_filler, emoji | non_bmp, gsm.UCS2_PART)
# A character of the other kind at a boundary: an extension character in a UCS-2
# text costs 1 unit, a BMP non-GSM character in a GSM text turns it into UCS-2.
mixed_boundaries = on_boundaries(
    st.sampled_from(list(BASIC)), st.sampled_from(list(EXTENSION + "ã")) | emoji, gsm.UCS2_PART
) | on_boundaries(ucs2_filler, st.sampled_from(list(EXTENSION)), gsm.UCS2_PART)


ASCII_BASIC = "".join(c for c in BASIC if c.isascii())
ASCII_EXTENSION = "".join(c for c in EXTENSION if c.isascii())
# ASCII characters outside GSM (controls, the backtick, DEL) and characters a
# str may hold that UTF-16 cannot encode: lone surrogates, which cost 1 unit
# each even when a high one is followed by a low one.
ODD = ["\x00", "\x1b", "\t", "\x7f", "`", "\ud800", "\udbff", "\udc00", "\udfff"]
ascii_texts = sized_texts(ASCII_BASIC + ASCII_EXTENSION, 950)
ascii_boundaries = on_boundaries(
    st.sampled_from(list(ASCII_BASIC)), st.sampled_from(list(ASCII_EXTENSION)), gsm.GSM7_PART
)
odd_texts = sized_texts(st.sampled_from(list(BASIC + EXTENSION + ACCENTED) + ODD) | emoji, 400)
lone_surrogate_boundaries = on_boundaries(
    ucs2_filler | st.sampled_from(ODD),
    st.sampled_from(["\ud83d\ude00", "\udbff\udfff"]) | emoji,
    gsm.UCS2_PART,
)


@st.composite
def around_one_part(
    draw: st.DrawFn, filler: st.SearchStrategy[str], special: st.SearchStrategy[str], single: int
) -> str:
    """A text within 3 units of the one-part limit, with up to 4 2-unit characters,
    the last one often at its very end."""
    total = single + draw(st.integers(min_value=-3, max_value=3))
    specials = [draw(special) for _ in range(draw(st.integers(min_value=0, max_value=4)))]
    size = total - 2 * len(specials)
    chars = list(draw(st.text(alphabet=filler, min_size=size, max_size=size)))
    for char in specials:
        chars.insert(draw(st.integers(min_value=0, max_value=len(chars))), char)
    if specials and draw(st.booleans()):
        chars.append(specials[0])
        chars.remove(specials[0])
    return "".join(chars)


one_part_limits = (
    around_one_part(st.sampled_from(list(BASIC)), st.sampled_from(list(EXTENSION)), 160)
    | around_one_part(
        st.sampled_from(list(ASCII_BASIC)), st.sampled_from(list(ASCII_EXTENSION)), 160
    )
    | around_one_part(ucs2_filler, emoji | non_bmp, 70)
)


@settings(max_examples=150, deadline=None)
@given(basic_texts)
def test_basic_alphabet(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(gsm_texts)
def test_basic_and_extension(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(accented_texts)
def test_accented_latin(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(ucs2_texts)
def test_ucs2_and_non_bmp(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(gsm_boundaries)
def test_extension_characters_on_part_boundaries(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(ucs2_boundaries)
def test_non_bmp_characters_on_part_boundaries(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(mixed_boundaries)
def test_other_kind_on_part_boundaries(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(ascii_texts)
def test_ascii_basic_and_extension(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(ascii_boundaries)
def test_ascii_extension_characters_on_part_boundaries(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(odd_texts)
def test_controls_and_lone_surrogates(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(lone_surrogate_boundaries)
def test_lone_surrogates_on_part_boundaries(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(one_part_limits)
def test_around_the_one_part_limit(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1000))
def test_any_text(text: str) -> None:
    _check(text)


def test_every_character_alone() -> None:
    """Every BMP character (surrogates aside) and every 256th beyond: the tables agree.

    A character alone shows whether it is GSM and what it costs; the other
    tests draw from a few hundred characters only.
    """
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    chars += [chr(c) for c in range(0x10000, 0x110000, 256)]
    for char in chars:
        _agree(char)
