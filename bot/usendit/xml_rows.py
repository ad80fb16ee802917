"""An answer's long list of flat rows read from its text, without a tree.

SendMessages' answer is mostly its ``SmsScheduledList``: a thousand
``SmsScheduled`` of five leaves each. Read from lxml's tree, each leaf costs an
element proxy and a tag string, about 5 µs a row. Written as every SOAP server
writes it (no whitespace between elements, no prefix, attribute, entity, CDATA,
comment or CR), that list's text is a run of rows of one form:
``<SmsScheduled><MsgId>91000001</MsgId>...</SmsScheduled>``. A :class:`RowList`
reads them with one regular expression made from the shape (an integer leaf is
ASCII digits, a string leaf any text without ``<``), and takes the list only if
its rows cover its whole text, end to end.

The document around the list is still lxml's to read: :meth:`RowList.cut` gives
it back with the list's content replaced by a marker, for the tree reader to
check and read as before; :meth:`RowList.fill` then checks that the marker is
the text of the list element where the shape has it, and puts the rows in its
place. A list in any other form is not cut (``None``), and lxml reads the whole
answer as it always did. ``tests/test_fast_send.py`` holds both readings equal
to zeep's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from lxml import etree

from bot.usendit.xml_shapes import COMPLEX, INT, STRING, Field, Shape

# What the list's bytes may never hold: "&" (an entity to expand), "]" (a CDATA
# section, or "]]>" that XML forbids in text), CR (XML reads CR LF and a lone CR as
# LF), and the characters XML forbids (lxml refuses the whole answer): the C0
# controls but TAB and LF, and U+FFFE and U+FFFF.
_UNSAFE_BYTES = bytes(c for c in range(32) if c not in (9, 10)) + b"&]"
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())


@dataclass(frozen=True, slots=True)
class _Leaf:
    key: str
    local: str
    """The element's local name: ``MsgId``."""
    integer: bool


class RowList:
    """The one list of flat rows in a shape, read from the answer's text.

    Build it with :meth:`of`, which gives ``None`` for a shape without exactly
    one such list (the reader then reads everything from the tree).
    """

    def __init__(
        self, path: tuple[Field, ...], item: Field, leaves: tuple[_Leaf, ...], local: str
    ) -> None:
        self._path = path
        self._item_key = item.key
        self._lookup = "/".join(field.tag for field in path)
        self._keys = tuple(leaf.key for leaf in leaves)
        self._leaves = leaves
        self._open = f"<{local}>".encode()
        self._close = f"</{local}>".encode()
        # One row: the item's tags around each leaf's, an integer's text ASCII digits
        # (no sign, space or other script's digit: those are the tree's to read).
        tags = [(f"<{name}>", f"</{name}>") for name in (leaf.local for leaf in leaves)]
        item_tags = f"<{_local(item.tag)}>", f"</{_local(item.tag)}>"
        row = "".join(
            f"{re.escape(start)}({'[0-9]+' if leaf.integer else '[^<]*'}){re.escape(end)}"
            for leaf, (start, end) in zip(leaves, tags, strict=True)
        )
        self._row = re.compile(f"{re.escape(item_tags[0])}{row}{re.escape(item_tags[1])}")
        self._markup = sum(map(len, chain(item_tags, *tags)))
        """A row's characters that are not its leaves' text."""
        self._integers = tuple(leaf.integer for leaf in leaves)
        self._marker = f"rows-{uuid.uuid4().hex}"
        # One dict display per row, the keys bound as names, never put in the source.
        names = [f"k{n}" for n in range(len(leaves))]
        values = [f"v{n}" for n in range(len(leaves))]
        pairs = ", ".join(f"{name}: {value}" for name, value in zip(names, values, strict=True))
        self._dicts: Callable[[Iterable[tuple[Any, ...]]], list[dict[str, Any]]] = eval(  # noqa: S307
            f"lambda rows: [{{{pairs}}} for {', '.join(values)}, in rows]",
            dict(zip(names, self._keys, strict=True)),
        )

    @classmethod
    def of(cls, shape: Shape) -> RowList | None:
        """The row list of ``shape`` (a response's wrapper), if it has exactly one."""
        found = list(_row_lists(shape, ()))
        if len(found) != 1:
            return None
        path, item, leaves = found[0]
        return cls(path, item, leaves, _local(path[-1].tag))

    def cut(self, content: bytes) -> tuple[bytes, list[dict[str, Any]]] | None:
        """The answer with the list's content replaced by a marker, and the rows it
        held; ``None`` when the list is not there in the plain form (or is empty)."""
        start = content.find(self._open)
        end = content.rfind(self._close)
        if start < 0 or end <= start + len(self._open):
            return None
        start += len(self._open)
        held = content[start:end]
        if len(held.translate(None, _UNSAFE_BYTES)) != len(held):
            return None
        if not held.isascii() and any(bad in held for bad in _NONCHARACTERS):
            return None
        try:
            text = held.decode("utf-8")
        except UnicodeDecodeError:
            return None
        rows = self._rows(text)
        if rows is None:
            return None
        return content[:start] + self._marker.encode() + content[end:], rows

    def _rows(self, text: str) -> list[dict[str, Any]] | None:
        rows = self._row.findall(text)
        # Matches never overlap: their lengths add up to the text's only if they are
        # all of it, with nothing before, between or after them.
        if not rows or len(rows) * self._markup + len("".join(chain(*rows))) != len(text):
            return None
        columns: list[Iterable[Any]] = []
        for values, integer in zip(zip(*rows, strict=True), self._integers, strict=True):
            if integer:
                columns.append(map(int, values))  # ASCII digits: int() takes them all
            else:  # an empty element is None, as the tree reader gives it
                columns.append(values if all(values) else [value or None for value in values])
        return self._dicts(zip(*columns, strict=True))

    def fill(self, root: Any, read: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
        """Put ``rows`` where the marker is in ``read`` (the tree reader's result for
        ``root``, the response's wrapper); ``False`` if the marker is not the text of
        the list element the shape places."""
        element = root.find(self._lookup)
        if element is None or len(element) or element.text != self._marker:
            return False
        holder: Any = read
        for field in self._path[:-1]:
            holder = holder.get(field.key)
            if type(holder) is not dict:
                return False
        if holder.get(self._path[-1].key, ...) is not None:
            return False  # the tree reader saw children or no element: not the marker
        holder[self._path[-1].key] = {self._item_key: rows}
        return True


def _column(values: list[str], integer: bool) -> list[Any] | None:
    """A leaf's values as the tree reader gives them: an empty element is ``None``;
    an integer is plain ASCII digits (anything else, a sign included, is the tree's)."""
    if integer:
        joined = "".join(values)
        if not (all(values) and joined.isascii() and joined.isdecimal()):
            return None
        return list(map(int, values))
    return values if all(values) else [value or None for value in values]


def _row_lists(
    shape: Shape, path: tuple[Field, ...]
) -> Iterator[tuple[tuple[Field, ...], Field, tuple[_Leaf, ...]]]:
    """Each list of flat rows under ``shape``: a complex field (not repeated) whose one
    field is a repeated complex element of leaves, all in the list's namespace."""
    for field in shape.fields:
        if field.kind != COMPLEX or field.shape is None:
            continue
        here = (*path, field)
        inner = field.shape.fields
        if (
            not field.many
            and len(inner) == 1
            and inner[0].many
            and inner[0].shape is not None
            and _namespace(inner[0].tag) == _namespace(field.tag)
        ):
            leaves = _leaves(inner[0].shape, _namespace(field.tag))
            if leaves is not None:
                yield here, inner[0], leaves
                continue
        if not field.many:
            yield from _row_lists(field.shape, here)


def _leaves(shape: Shape, namespace: str) -> tuple[_Leaf, ...] | None:
    """Every field of ``shape`` as a leaf piece: all present once, each a string or
    an integer in ``namespace``; ``None`` otherwise."""
    leaves = []
    for field in shape.fields:
        if field.many or field.kind not in (STRING, INT) or _namespace(field.tag) != namespace:
            return None
        local = _local(field.tag)
        leaves.append(_Leaf(field.key, local, field.kind == INT))
    # One leaf would make findall give strings, not tuples: such a list is the tree's.
    return tuple(leaves) if len(leaves) > 1 else None


def _namespace(tag: str) -> str:
    return etree.QName(tag).namespace or ""


def _local(tag: str) -> str:
    return etree.QName(tag).localname


__all__ = ["RowList"]
