"""A part's per-number outcomes packed into one row (SQLite's ``part_outcomes``).

A part's answer is a thousand outcomes; stored as a thousand rows they were the
store's largest cost of a send, about 6 µs a number in place (the B-tree insert,
its key, two foreign-key lookups). Packed, a part is one row: its outcomes as
one flat JSON array (``PartnerMsgId, Msisdn, MsgId, status, NumberSMS`` for each
number in turn, written by the C encoder at about half a microsecond a number)
and its refusals counted by status, so ``/status`` never unpacks them.

An answer read again (a GetSchedule refresh, a reconciliation) is merged into
what the part holds: a number's outcome, keyed by its PartnerMsgId and MsgId,
replaced by the later one, every other kept. Outcomes are read in the order
SQLite's ``ORDER BY msg_id, partner_msg_id`` gave them (UTF-8's byte order is
the code points').
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from bot.records import MessageOutcome

ACCEPTED_STATUS = "SCHEDULED"
"""A number uSendit took: every other status is a refusal."""

_WIDTH = len(MessageOutcome._fields)
_KEY = itemgetter(0, 2)  # PartnerMsgId, MsgId
_ORDER = itemgetter(2, 0)  # MsgId, PartnerMsgId
_INT64 = (-(2**63), 2**63 - 1)
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def packed(held: str | None, outcomes: Sequence[MessageOutcome]) -> tuple[str, str]:
    """The part's outcomes once ``outcomes`` are stored over ``held`` (what the part
    holds, packed, or ``None``), and its refusals by status; both as JSON."""
    kept: Iterable[Sequence[Any]]
    if held is None and len(set(map(_KEY, outcomes))) == len(outcomes):
        kept = outcomes  # the first answer, each number once: as it came
    else:
        rows = {_KEY(row): row for row in unpacked(held)} if held is not None else {}
        rows.update(zip(map(_KEY, outcomes), outcomes, strict=True))
        kept = rows.values()
    flat: list[Any] = list(chain.from_iterable(kept))
    integers = flat[2::_WIDTH] + flat[4::_WIDTH]
    if integers and (min(integers) < _INT64[0] or max(integers) > _INT64[1]):
        # As a row's INTEGER column refused it before: never stored as something else.
        raise OverflowError("an outcome's MsgId or NumberSMS is beyond SQLite's integers")
    refusals = Counter(flat[3::_WIDTH])
    refusals.pop(ACCEPTED_STATUS, None)
    return _encode(flat), _encode(refusals)


def unpacked(held: str) -> list[MessageOutcome]:
    """A part's packed outcomes."""
    flat = json.loads(held)
    return list(map(MessageOutcome._make, zip(*[iter(flat)] * _WIDTH, strict=True)))


def in_order(outcomes: list[MessageOutcome]) -> list[MessageOutcome]:
    """By MsgId, then PartnerMsgId: the order the store reads them in."""
    outcomes.sort(key=_ORDER)
    return outcomes


REFUSALS = "SELECT r.key, sum(r.value) FROM part_outcomes AS p, json_each(p.refusals) AS r "
"""The refusals by status of the parts a ``WHERE`` on ``p.chunk_id`` picks (GROUP BY 1)."""

__all__ = ["ACCEPTED_STATUS", "REFUSALS", "in_order", "packed", "unpacked"]
