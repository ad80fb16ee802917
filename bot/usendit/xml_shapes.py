"""Element shapes read off zeep's description of a WSDL, and code that writes and reads them.

A shape is a complex type that is one plain sequence of elements (what
:mod:`bot.usendit.fast_send` covers); anything else is :class:`Unsupported`.
Each shape compiles into two Python functions whose source is generated here,
as :mod:`dataclasses` generates ``__init__``: a writer, straight-line code
appending the escaped XML of a value, and a reader, zeep's reading of an element
as a dict. A 1000-Sms request runs that code a thousand times, so it does no
per-field dispatch on kinds, and the names and tags it uses are constants bound
into its namespace, never spliced into the source: the WSDL can name an element
anything.

Both decline (:class:`Decline`) wherever zeep's own result could differ: a value
of another type than the one compiled for, an unknown key, elements out of order,
a leaf with children, an integer that is not plain digits.
"""

from __future__ import annotations

import uuid
from collections import abc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from zeep.xsd import ComplexType, Element, Sequence
from zeep.xsd.types.builtins import Boolean, DateTime, Integer, String

from bot.usendit.models import has_illegal_characters

# What a leaf holds; a complex element has a shape instead.
STRING, INT, BOOL, DATETIME, COMPLEX = range(5)

Writer = Callable[[object, Callable[[str], None]], None]
"""Appends a value's XML, element by element; raises :class:`Decline`."""
Reader = Callable[["etree._Element"], "dict[str, Any] | None"]
"""zeep's reading of one complex element; raises :class:`Decline`."""


class Unsupported(Exception):
    """The loaded WSDL has something this writer does not cover; zeep does the operation."""


class Decline(Exception):
    """This call's values, or this answer, are not exactly what was compiled for."""


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    """The name zeep takes the value by (``smsList``, ``MessageText``)."""
    tag: str
    """Clark notation, for reading: ``{namespace}Name``."""
    open: str
    close: str
    required: bool
    many: bool
    kind: int
    shape: Shape | None


@dataclass(frozen=True, slots=True)
class Shape:
    """A complex type: a sequence of elements, nothing else."""

    fields: tuple[Field, ...]
    keys: frozenset[str]


class Repeated:
    """A list of dicts that are all ``shared`` but for ``keys``, each row giving those
    keys' values (a campaign's part: the Sms differ in id, number and text only).

    The writer writes one element of it once, its ``keys`` holding markers, and each
    row is that element's text with the row's values, escaped, in the markers' place:
    no per-field code runs per row. What it writes is what the list would give
    (:meth:`expand`, which zeep gets instead); ``tests/test_fast_send.py`` holds both equal.
    """

    __slots__ = ("keys", "rows", "shared")

    def __init__(
        self, shared: dict[str, Any], keys: tuple[str, ...], rows: abc.Sequence[tuple[Any, ...]]
    ) -> None:
        self.shared = shared
        self.keys = keys
        self.rows = rows

    def expand(self) -> list[dict[str, Any]]:
        """The list of dicts itself (the shared keys' order kept)."""
        return [{**self.shared, **dict(zip(self.keys, row, strict=True))} for row in self.rows]


class Checked(str):
    """Text already checked for characters XML cannot carry: no second pass over it."""

    __slots__ = ()


def escape(text: str) -> str:
    """What lxml escapes in text: &, <, > and CR (a raw CR would be read back as LF)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _leaf_kind(xsd_type: Any, writing: bool) -> int:
    if isinstance(xsd_type, String):
        return STRING
    if isinstance(xsd_type, Integer):
        return INT
    if writing and isinstance(xsd_type, Boolean):
        return BOOL
    if writing and isinstance(xsd_type, DateTime):
        return DATETIME
    raise Unsupported(f"type {xsd_type!r} is not written or read here")


def shape_of(xsd_type: Any, namespace: str, prefix: str, writing: bool, depth: int = 0) -> Shape:
    """The shape of a zeep complex type, its elements written ``prefix:Name``; or
    :class:`Unsupported`."""
    if depth > 8:
        raise Unsupported("types nested deeper than this writer goes")
    if not isinstance(xsd_type, ComplexType):
        raise Unsupported(f"{xsd_type!r} is not a complex type")
    if xsd_type.attributes or xsd_type._extension is not None or xsd_type._restriction is not None:
        raise Unsupported(f"{xsd_type!r} has attributes or derives from another type")
    indicator = xsd_type._element
    if (
        not isinstance(indicator, Sequence)
        or indicator.min_occurs != 1
        or indicator.max_occurs != 1
    ):
        raise Unsupported(f"{xsd_type!r} is not one plain sequence")
    fields = []
    for name, element in indicator.elements_nested:
        if name is None or type(element) is not Element:
            raise Unsupported(f"{xsd_type!r} holds something other than elements")
        fields.append(_field(name, element, namespace, prefix, writing, depth))
    return Shape(tuple(fields), frozenset(field.key for field in fields))


def _field(
    name: str, element: Any, namespace: str, prefix: str, writing: bool, depth: int
) -> Field:
    qname = element.qname
    if element.default is not None:
        raise Unsupported(f"{qname} has a default value")
    if element.max_occurs not in (1, "unbounded") or element.min_occurs not in (0, 1):
        raise Unsupported(f"{qname} occurs {element.min_occurs}..{element.max_occurs} times")
    if qname.namespace == namespace:
        written = f"{prefix}:{qname.localname}"
    elif not qname.namespace:
        written = qname.localname
    else:
        raise Unsupported(f"{qname} is in another namespace")
    complex_ = isinstance(element.type, ComplexType)
    return Field(
        key=name,
        tag=qname.text,
        open=f"<{written}>",
        close=f"</{written}>",
        required=element.min_occurs >= 1,
        many=element.max_occurs == "unbounded",
        kind=COMPLEX if complex_ else _leaf_kind(element.type, writing),
        shape=shape_of(element.type, namespace, prefix, writing, depth + 1) if complex_ else None,
    )


def read_int(text: str) -> int:
    """Plain ASCII digits only: zeep's ``int()`` reads them the same; anything fancier
    ("+1", " 1", "1_0", other scripts' digits) is left to zeep."""
    digits = text[1:] if text[:1] == "-" else text
    if not (digits.isascii() and digits.isdecimal()):
        raise Decline
    return int(text)


def _text(element: etree._Element) -> str | None:
    if len(element):
        raise Decline  # a simple element with children
    return element.text  # zeep: an empty simple element is None, for strings too


def _int(element: etree._Element) -> int | None:
    text = _text(element)
    return None if text is None else read_int(text)


class _Module:
    """Generated functions and the constants they use, compiled together."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.lines: list[str] = []
        self.names: dict[str, object] = {
            "Decline": Decline,
            "datetime": datetime,
            "_text": _text,
            "_int": _int,
        }
        self.functions: dict[int, str] = {}

    def constant(self, value: object) -> str:
        name = f"_k{len(self.names)}"
        self.names[name] = value
        return name

    def function(self, shape: Shape, body: Callable[[_Module, Shape, str], None]) -> str:
        """The name of the function for ``shape``, written (with those it calls) once."""
        known = self.functions.get(id(shape))
        if known is None:
            known = self.functions[id(shape)] = f"_{self.role}{len(self.functions)}"
            body(self, shape, known)
        return known

    def build(self, name: str) -> Any:
        namespace = dict(self.names)
        exec(compile("\n".join(self.lines), f"<{self.role} shapes>", "exec"), namespace)  # noqa: S102
        return namespace[name]


# --- writing ----------------------------------------------------------------------


def compile_writer(shape: Shape) -> Writer:
    """A function writing a value of ``shape`` (a dict by zeep's names) as zeep would."""
    module = _Module("write")
    module.names.update(Repeated=Repeated, _repeat=_repeat)
    writer: Writer = module.build(module.function(shape, _writer))
    return writer


def _writer(module: _Module, shape: Shape, name: str) -> None:
    code: list[str] = [
        f"def {name}(value, append):",
        f"    if type(value) is not dict or not {module.constant(shape.keys)}.issuperset(value):",
        "        raise Decline",
    ]
    for field in shape.fields:
        code.append(f"    item = value.get({module.constant(field.key)})")
        if field.required:
            code += ["    if item is None:", "        raise Decline"]
            pad = "    "
        else:
            # zeep leaves an absent optional element out; a required one is zeep's to
            # write empty or nil.
            code.append("    if item is not None:")
            pad = "        "
        if field.many:
            if field.kind == COMPLEX:
                assert field.shape is not None
                code.append(f"{pad}if type(item) is Repeated:")
                if field.required:
                    code += [f"{pad}    if not item.rows:", f"{pad}        raise Decline"]
                code += [
                    f"{pad}    _repeat(item, {module.function(field.shape, _writer)}, "
                    f"{module.constant(field.open)}, {module.constant(field.close)}, append)",
                    f"{pad}else:",
                ]
                pad += "    "
            code += [f"{pad}if type(item) is not list:", f"{pad}    raise Decline"]
            if field.required:
                code += [f"{pad}if not item:", f"{pad}    raise Decline"]
            code.append(f"{pad}for one in item:")
            code += _write_one(module, field, "one", pad + "    ")
        else:
            code += _write_one(module, field, "item", pad)
    module.lines += [*code, ""]


def _write_one(module: _Module, field: Field, value: str, pad: str) -> list[str]:
    opened, closed = module.constant(field.open), module.constant(field.close)
    if field.kind == COMPLEX:
        assert field.shape is not None
        inner = module.function(field.shape, _writer)
        return [
            f"{pad}append({opened})",
            f"{pad}{inner}({value}, append)",
            f"{pad}append({closed})",
        ]
    checked, text = {
        STRING: (
            "str",
            f'{value}.replace("&", "&amp;").replace("<", "&lt;")'
            f'.replace(">", "&gt;").replace("\\r", "&#13;")',
        ),
        INT: ("int", f"str({value})"),
        BOOL: ("bool", f'("true" if {value} else "false")'),
        # zeep's DateTime.xmlvalue, the same expression.
        DATETIME: ("datetime", f'{value}.isoformat().replace("+00:00", "Z")'),
    }[field.kind]
    return [
        f"{pad}if type({value}) is not {checked}:",
        f"{pad}    raise Decline",
        f"{pad}append({opened} + {text} + {closed})",
    ]


def _repeat(
    repeated: Repeated,
    write: Writer,
    opened: str,
    closed: str,
    append: Callable[[str], None],
) -> None:
    """Appends the elements of ``repeated``, as ``write`` would one by one, as one
    :class:`Checked` text."""
    rows = repeated.rows
    if not rows:
        return  # as an empty list: nothing written, nothing judged
    if type(repeated.shared) is not dict or len(set(repeated.keys)) != len(repeated.keys):
        raise Decline
    token = uuid.uuid4().hex
    markers = [f"m{token}k{index}" for index in range(len(repeated.keys))]
    parts = [opened]
    write({**repeated.shared, **dict(zip(repeated.keys, markers, strict=True))}, parts.append)
    parts.append(closed)
    element = "".join(parts)
    if has_illegal_characters(element):
        raise Decline
    # Each marker written once, as given: a key of another kind than a string, or
    # one not written at all, is the generic writer's (and zeep's) to judge.
    if any(element.count(marker) != 1 for marker in markers):
        raise Decline
    found = sorted((element.index(marker), index) for index, marker in enumerate(markers))
    order = [index for _, index in found]
    pieces, position = [], 0
    for at, index in found:
        pieces.append(element[position:at].replace("%", "%%"))
        position = at + len(markers[index])
    pieces.append(element[position:].replace("%", "%%"))
    form = "%s".join(pieces)
    if set(map(type, rows)) != {tuple} or set(map(len, rows)) != {len(order)}:
        raise Decline
    columns = list(zip(*rows, strict=True))
    values = [_escaped_column(columns[index]) for index in order]
    append(Checked("".join(map(form.__mod__, zip(*values, strict=True)))))


_SEPARATOR = "\u00a4"  # any character; one a column's values hold is told by the count


def _escaped_column(column: tuple[Any, ...]) -> list[str]:
    """Each value of ``column`` escaped, a column at a time; Decline for a value that is
    not a string or that has a character XML cannot carry."""
    if set(map(type, column)) != {str}:
        raise Decline
    distinct = set(column)
    if len(distinct) * 2 <= len(column):  # a part's one text, say: each value once
        written = {value: _escaped_value(value) for value in distinct}
        return list(map(written.__getitem__, column))
    joined = _SEPARATOR.join(column)
    if joined.count(_SEPARATOR) != len(column) - 1:
        return [_escaped_value(value) for value in column]
    # Printable characters are all legal: only the others need the slower look.
    if not joined.isprintable() and has_illegal_characters(joined):
        raise Decline
    return escape(joined).split(_SEPARATOR)


def _escaped_value(value: str) -> str:
    if not value.isprintable() and has_illegal_characters(value):
        raise Decline
    return escape(value)


# --- reading ----------------------------------------------------------------------


def compile_reader(shape: Shape) -> Reader:
    """A function giving zeep's reading of an element of ``shape``, as
    ``serialize_object(..., dict)`` shows it.

    The document must be known to hold no attribute, comment or PI (checked once,
    in C, by the caller): children are elements, and text is all there is besides.
    """
    module = _Module("read")
    reader: Reader = module.build(module.function(shape, _reader))
    return reader


def _reader(module: _Module, shape: Shape, name: str) -> None:
    code = [
        f"def {name}(element):",
        "    children = element[:]",
        "    count = len(children)",
        "    if not count:",
        # zeep: a complex element with no children and no attributes is None.
        "        return None",
        "    at = 0",
    ]
    values = []
    for index, field in enumerate(shape.fields):
        # Fields in schema order, each taking the children that carry its tag: what
        # zeep's sequence reading does; a child no field takes is a surprise.
        value = f"v{index}"
        values.append(f"{module.constant(field.key)}: {value}")
        tag = module.constant(field.tag)
        if field.many:
            code += [
                f"    {value} = []",
                f"    while at < count and children[at].tag == {tag}:",
                f"        {value}.append({_read_one(module, field, 'children[at]')})",
                "        at += 1",
            ]
            if field.required:
                code += [f"    if not {value}:", "        raise Decline"]
        else:
            code += [
                f"    if at < count and children[at].tag == {tag}:",
                f"        {value} = {_read_one(module, field, 'children[at]')}",
                "        at += 1",
                "    else:",
                "        raise Decline" if field.required else f"        {value} = None",
            ]
    code += [
        "    if at != count:",
        "        raise Decline",
        f"    return {{{', '.join(values)}}}",
        "",
    ]
    module.lines += code


def _read_one(module: _Module, field: Field, child: str) -> str:
    if field.kind == COMPLEX:
        assert field.shape is not None
        return f"{module.function(field.shape, _reader)}({child})"
    return f"{'_int' if field.kind == INT else '_text'}({child})"
