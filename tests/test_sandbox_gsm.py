"""The sandbox's own SMS counting (:mod:`bot.sandbox.gsm`), alone and through SOAP.

Every expected number here is worked out by hand from TS 23.038 and the
concatenation limits (160/153 septets, 70/67 UTF-16 units), so these tests
fail if the sandbox counts like a naive counter: dividing the total by the
part size, splitting an extension character or a surrogate pair across two
parts, or counting code points instead of UTF-16 units.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from conftest import sms
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sandbox import gsm
from bot.sandbox.messages import MAX_SEGMENTS

DEMO = {"username": "demo", "password": "demo"}
GRIN = "\U0001f600"  # 😀, two UTF-16 units

# ceil(306 / 153) = 2, but "€" cannot take septets 153-154: part 1 is 152 "a",
# part 2 is "€" and 151 "a", part 3 the last "a".
EURO_ON_BOUNDARY = "a" * 152 + "€" + "a" * 152
# ceil(134 / 67) = 2, but the emoji cannot take units 67-68: part 1 is 66 "ã",
# part 2 the emoji and 65 "ã", part 3 the last "ã".
EMOJI_ON_BOUNDARY = "ã" * 66 + GRIN + "ã" * 66
# 918 septets = 6 x 153, yet 7 parts: each "€" starts a part one septet early.
SEVEN_PARTS_IN_918 = "a" * 152 + ("€" + "a" * 151) * 5 + "a"


def test_basic_table_is_ts_23_038() -> None:
    assert [len(row) for row in gsm.BASIC_TABLE] == [16] * 8
    table = "".join(gsm.BASIC_TABLE)
    assert len(set(table)) == 128
    # Positions that counters get wrong: $ and ¤, the capital Ç, the Greek capitals.
    assert (table[0x02], table[0x24], table[0x09], table[0x1B]) == ("$", "¤", "Ç", "\x1b")
    assert table[0x10:0x1B] == "Δ_ΦΓΛΩΠΨΣΘΞ"
    assert (table[0x0A], table[0x0D], table[0x40], table[0x60]) == ("\n", "\r", "¡", "¿")
    assert len(gsm.BASIC_CHARACTERS) == 127
    assert "\x1b" not in gsm.BASIC_CHARACTERS


def test_extension_table_is_ts_23_038() -> None:
    assert set("^{}\\[~]|€\f") == gsm.EXTENSION_CHARACTERS
    assert gsm.EXTENSION_TABLE[0x65] == "€"
    assert not gsm.EXTENSION_CHARACTERS & gsm.BASIC_CHARACTERS


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", gsm.Encoding.GSM7, 0, 0),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡¿ÄÖÑÜ§äöñüà", gsm.Encoding.GSM7, 42, 1),
        ("^{}\\[~]|€\f", gsm.Encoding.GSM7, 20, 1),
        ("ç", gsm.Encoding.UCS2, 1, 1),  # only the capital Ç is GSM
        ("Ola `", gsm.Encoding.UCS2, 5, 1),  # the backtick is not GSM
        ("\x1b", gsm.Encoding.UCS2, 1, 1),  # the escape code is not a character
        ("a" * 160, gsm.Encoding.GSM7, 160, 1),
        ("a" * 161, gsm.Encoding.GSM7, 161, 2),
        ("a" * 159 + "€", gsm.Encoding.GSM7, 161, 2),
        ("€" * 80, gsm.Encoding.GSM7, 160, 1),
        ("€" * 81, gsm.Encoding.GSM7, 162, 2),  # 76 + 5: 152 septets fit in a part
        ("a" * 153 * 6, gsm.Encoding.GSM7, 918, 6),
        (EURO_ON_BOUNDARY, gsm.Encoding.GSM7, 306, 3),
        (SEVEN_PARTS_IN_918, gsm.Encoding.GSM7, 918, 7),
        ("ã" * 70, gsm.Encoding.UCS2, 70, 1),
        ("ã" * 71, gsm.Encoding.UCS2, 71, 2),
        (GRIN * 35, gsm.Encoding.UCS2, 70, 1),
        (GRIN * 36, gsm.Encoding.UCS2, 72, 2),  # 33 + 3: 66 units fit in a part
        (EMOJI_ON_BOUNDARY, gsm.Encoding.UCS2, 134, 3),
        ("€" * 70 + "ã", gsm.Encoding.UCS2, 71, 2),  # "€" is one unit in UCS-2
    ],
)
def test_count(text: str, encoding: gsm.Encoding, units: int, segments: int) -> None:
    assert gsm.count(text) == gsm.SmsCount(encoding, len(text), units, segments)


def test_parts_keep_two_unit_characters_whole() -> None:
    assert gsm.split_parts(EURO_ON_BOUNDARY) == ["a" * 152, "€" + "a" * 151, "a"]
    assert gsm.split_parts(EMOJI_ON_BOUNDARY) == ["ã" * 66, GRIN + "ã" * 65, "ã"]
    assert gsm.split_parts(GRIN * 36) == [GRIN * 33, GRIN * 3]


_texts = st.text(
    alphabet=st.sampled_from(list("a€[ã"))
    | st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),
    max_size=700,
)


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_parts_are_full_and_within_limits(text: str) -> None:
    """The parts rebuild the text; each fits; none could have taken the next character."""
    counted = gsm.count(text)
    parts = gsm.split_parts(text)
    assert "".join(parts) == text
    assert len(parts) == counted.segments

    def units(chunk: str) -> int:
        return sum(gsm.cost(char, counted.encoding) for char in chunk)

    gsm7 = counted.encoding is gsm.Encoding.GSM7
    if len(parts) == 1:
        assert units(text) <= (gsm.GSM7_SINGLE if gsm7 else gsm.UCS2_SINGLE)
        return
    limit = gsm.GSM7_PART if gsm7 else gsm.UCS2_PART
    assert all(0 < units(part) <= limit for part in parts)
    assert all(units(part + following[0]) > limit for part, following in itertools.pairwise(parts))


@pytest.mark.parametrize(
    ("text", "chars", "units", "encoding", "segments"),
    [
        (EURO_ON_BOUNDARY, 305, 306, "GSM7", 3),
        (EMOJI_ON_BOUNDARY, 133, 134, "UCS2", 3),
        (GRIN * 36, 36, 72, "UCS2", 2),
        ("€" * 81, 81, 162, "GSM7", 2),
        (SEVEN_PARTS_IN_918, 913, 918, "GSM7", 7),
        ("Preço: 5€ {promo}", 17, 17, "UCS2", 1),
    ],
)
async def test_sms_char_counter_on_boundaries(
    soap: Any, text: str, chars: int, units: int, encoding: str, segments: int
) -> None:
    answer = await soap.call("SmsCharCounter", messageText=text)
    assert answer["CharactersCountStatus"] == "SUCCESS"
    assert answer["CharactersNumber"] == str(chars)
    assert answer["CharactersTotalNumber"] == str(units)
    assert answer["Encoding"] == encoding
    assert answer["SegmentsNumber"] == str(segments)


async def test_send_charges_the_parts_really_sent(soap: Any) -> None:
    items = [
        sms("351911111111", EURO_ON_BOUNDARY, PartnerMsgId="euro"),  # 3, not 2
        sms("351922222222", EMOJI_ON_BOUNDARY, PartnerMsgId="emoji"),  # 3, not 2
        sms("351933333333", SEVEN_PARTS_IN_918, PartnerMsgId="seven"),  # 7 > MAX_SEGMENTS
    ]
    answer = await soap.call("SendMessages", **DEMO, partnerEventId="b", smsList={"Sms": items})
    assert MAX_SEGMENTS == 6
    checked = answer.all("SmsScheduledList/SmsScheduled")
    got = [{el.tag.split("}")[1]: el.text for el in item} for item in checked]
    assert [(g["ScheduleMessageStatus"], g["NumberSMS"]) for g in got] == [
        ("SCHEDULED", "3"),
        ("SCHEDULED", "3"),
        ("MESSAGE_TEXT_EXCEEDS_MAX_LENGTH", "0"),
    ]
    assert answer["ScheduleStatus"] == "SCHEDULE_OK_WARNING"
    assert (answer["CreditsSpent"], answer["TotalScheduledSMS"]) == ("6", "6")
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "494"
