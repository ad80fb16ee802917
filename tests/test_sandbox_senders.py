"""The sandbox's own sender rules (:func:`bot.sandbox.numbers.check_sender`).

Written apart from the bot's :func:`bot.usendit.rules.check_sender`; both
follow the contract's field facts (11 characters alphanumeric, 16 digits
numeric), and they must agree on every sender.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sandbox.numbers import check_sender
from bot.usendit.rules import check_sender as bot_check_sender


@pytest.mark.parametrize(
    ("sender", "status"),
    [
        (None, None),
        ("", None),
        ("Loja", None),
        ("Loja Ana 11", None),  # 11 characters
        ("Loja Ana 123", "SENDER_EXCEEDS_MAX_LENGTH"),  # 12
        ("1" * 16, None),
        ("1" * 17, "SENDER_EXCEEDS_MAX_LENGTH"),
        ("351912345678", None),  # 12 digits: numeric
        ("35191 234567", "SENDER_EXCEEDS_MAX_LENGTH"),  # a space makes it alphanumeric
        ("Loja-Ana", "SENDER_NOT_ALLOWED"),
        ("Loja_Ana", "SENDER_NOT_ALLOWED"),
        ("Joãozinho", "SENDER_NOT_ALLOWED"),
        ("١٢٣", "SENDER_NOT_ALLOWED"),  # digits, but not ASCII
        ("Loja-Ana-Ana-Ana", "SENDER_NOT_ALLOWED"),  # a bad character before the length
    ],
)
def test_sender(sender: str | None, status: str | None) -> None:
    assert check_sender(sender) == status


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aZ09 -_.+ã١")), max_size=20)
    | st.text(alphabet="0123456789", min_size=10, max_size=20)
    | st.text(alphabet="abcXYZ 7", min_size=8, max_size=14)
)
def test_sender_rules_agree_with_the_bot(sender: str) -> None:
    assert check_sender(sender) == bot_check_sender(sender)
