"""uSendit's field rules known from its clients, shared by the bot and the sandbox."""

from __future__ import annotations

import re

SENDER_PATTERN = re.compile(r"[A-Za-z0-9 ]+")
SENDER_MAX_LETTERS = 11
SENDER_MAX_DIGITS = 16


def check_sender(sender: str | None) -> str | None:
    """The ScheduleMessageStatus a sender forces, or ``None`` when it is fine.

    At most 11 characters when alphanumeric, 16 when only digits.
    """
    if not sender:
        return None
    if not SENDER_PATTERN.fullmatch(sender):
        return "SENDER_NOT_ALLOWED"
    limit = SENDER_MAX_DIGITS if sender.isdigit() else SENDER_MAX_LETTERS
    if len(sender) > limit:
        return "SENDER_EXCEEDS_MAX_LENGTH"
    return None
