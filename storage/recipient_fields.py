"""How both backends keep a recipient's file line and values (a personalised text's
fields) in one text column: ``line``, then each value, separated by U+001F (the
unit separator). A JSON array ``[line, value, ...]`` stands in for the rare row whose
values hold that character themselves (it starts with ``[``, never a digit).

Why not JSON for every row: a 100,000-row file is stored as soon as it is read,
whatever the text turns out to be, and ``json.dumps`` per row cost three times the
insert itself; a join costs next to nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

_SEPARATOR = "\x1f"


def encode_row(line: int, values: Sequence[str]) -> str:
    """One recipient's line and values, as stored."""
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1 or not values:
        return json.dumps([line, *values], ensure_ascii=False)
    return f"{line}{_SEPARATOR}{joined}"


def decode_row(stored: str) -> tuple[int, tuple[str, ...]]:
    """What :func:`encode_row` stored."""
    if stored.startswith("["):
        line, *values = json.loads(stored)
        return int(line), tuple(values)
    line_text, *values = stored.split(_SEPARATOR)
    return int(line_text), tuple(values)
