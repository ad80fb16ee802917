"""Personalised texts: a recipients file's columns as fields of the SMS text.

``Olá {nome}, a sua encomenda {encomenda} chegou`` sent to a CSV with the
columns ``Nome`` and ``Encomenda`` gives each recipient its own text.

Decisions, and why:

- A placeholder is ``{`` + a field name + ``}``; the name is letters, digits,
  spaces, ``_``, ``-`` or ``.`` (at most :data:`MAX_NAME` characters), so a
  brace in running text ("{" alone, ":-}") is not mistaken for a field.
  ``{{`` and ``}}`` write one literal brace, as :meth:`str.format` does.
- A text with no placeholder is sent exactly as typed (its ``{{`` too): every
  plain campaign written before this module keeps its meaning.
- A field is matched to a column header case- and accent-insensitively
  (``{nome}``, ``{NOME}`` and ``{Nóme}`` all find ``Nome``); problems name the
  header in its own spelling.
- Before Confirm the whole list is rendered and checked, and each problem kind
  is reported with the file's line numbers (the first :data:`SHOWN_LINES`, then
  "and N more"): a field no column has (with the known columns), an empty value,
  characters no SMS can carry, a text over uSendit's :data:`MAX_SEGMENTS`.
- The GSM-7 offer folds every rendered text (template and values alike) with
  :func:`~bot.segments.to_gsm7`; the preview is then counted again.
- Rendering is one :meth:`str.format` call per row (the template compiled once
  into positional fields); counting uses :func:`~bot.segments.count_segments`,
  whose results are cached per distinct count. Callers run :func:`render_all`
  in a thread for large lists (``asyncio.to_thread``): it is pure.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.errors import CampaignError
from bot.segments import MAX_SEGMENTS, Encoding, count_segments, to_gsm7
from bot.usendit.models import illegal_characters

__all__ = [
    "MAX_NAME",
    "SHOWN_LINES",
    "PersonalReport",
    "PersonalTextError",
    "Rendered",
    "Summary",
    "Template",
    "fold_name",
    "fold_text",
    "has_fields",
    "parse_template",
    "render_all",
]

MAX_NAME = 64
SHOWN_LINES = 3
"""Lines shown per problem kind; the rest are counted ("and N more")."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([\w .\-]{1," + str(MAX_NAME) + r"})\}")


class _FoldTable(dict[int, str]):
    """``str.translate``'s table for :func:`~bot.segments.to_gsm7`, each character folded
    once when first met: the same result, at C speed over 100,000 texts."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = to_gsm7(chr(code))
        return folded


_FOLD = _FoldTable()


def fold_text(text: str) -> str:
    """:func:`~bot.segments.to_gsm7` of ``text`` (which folds character by character)."""
    return text.translate(_FOLD)


def fold_name(name: str) -> str:
    """A field or header name as matched: accents dropped, case folded, spaces trimmed."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def has_fields(text: str) -> bool:
    """Whether ``text`` holds at least one ``{field}``."""
    return any(match.group(1) for match in _TOKEN.finditer(text))


@dataclass(frozen=True)
class Template:
    """A text with fields, compiled against one header.

    ``fields`` are the names as typed, in order of first use; ``unknown`` those no
    column has; ``pattern`` refers to each known one by its index in the row.
    """

    text: str
    fields: tuple[str, ...]
    unknown: tuple[str, ...]
    pattern: str
    """The text as a :meth:`str.format` pattern over the row's values (``{0}`` ...)."""


def parse_template(text: str, header: Sequence[str]) -> Template:
    """Compile ``text`` against ``header`` (a file's column names)."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = fold_name(name)
        if folded:
            columns.setdefault(folded, index)
    used: dict[str, None] = {}
    unknown: dict[str, None] = {}
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(text[last : match.start()].replace("{", "{{").replace("}", "}}"))
        last = match.end()
        name = match.group(1)
        if name is None:
            out.append(match.group())  # "{{" or "}}": already a literal brace for format
            continue
        used.setdefault(name)
        found = columns.get(fold_name(name))
        if found is None:
            unknown.setdefault(name)
            out.append("")
        else:
            out.append(f"{{{found}}}")
    out.append(text[last:].replace("{", "{{").replace("}", "}}"))
    return Template(text, tuple(used), tuple(unknown), "".join(out))


@dataclass
class PersonalReport:
    """What stops a personalised text, by kind, with the file's line numbers."""

    unknown: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    """The known columns, as the header spells them (said with ``unknown``)."""
    empty: list[tuple[int, str]] = field(default_factory=list)
    """(line, column) of each empty value a field takes."""
    unsendable: list[int] = field(default_factory=list)
    too_long: list[tuple[int, int]] = field(default_factory=list)
    """(line, segments) of each rendered text over :data:`MAX_SEGMENTS`."""

    def __bool__(self) -> bool:
        return bool(self.unknown or self.empty or self.unsendable or self.too_long)


class PersonalTextError(CampaignError):
    """A personalised text cannot go to this list as it is (see :attr:`report`)."""

    def __init__(self, report: PersonalReport) -> None:
        super().__init__(
            f"the personalised text does not fit the list: unknown {list(report.unknown)}, "
            f"{len(report.empty)} empty values, {len(report.unsendable)} unsendable, "
            f"{len(report.too_long)} too long"
        )
        self.report = report


@dataclass(frozen=True)
class Summary:
    """What the preview shows of a personalised campaign, stored with it (JSON)."""

    messages: int
    credits: int
    min_segments: int
    max_segments: int
    ucs2: int
    """How many of the rendered texts need UCS-2."""
    longest: str
    longest_line: int
    samples: tuple[str, ...]
    folded: bool = False
    """The texts were folded to GSM-7 (the offer taken): later renders fold too."""
    plain_credits: int | None = None
    """The credits if folded to GSM-7, when that saves credits and stays in the limit."""

    def stored(self) -> str:
        data = {k: v for k, v in self.__dict__.items()}
        data["samples"] = list(self.samples)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_stored(cls, stored: str | None) -> Summary | None:
        if not stored:
            return None
        data = json.loads(stored)
        data["samples"] = tuple(data["samples"])
        return cls(**data)

    @property
    def encoding(self) -> Encoding:
        return Encoding.UCS2 if self.ucs2 else Encoding.GSM7


@dataclass(frozen=True)
class Rendered:
    """Every recipient's text (in the list's order) and segments, with the summary."""

    texts: tuple[tuple[str, int], ...]
    summary: Summary


def _render(
    template: Template, rows: Sequence[tuple[int, Sequence[str]]], fold: bool, keep: bool = True
) -> tuple[list[tuple[str, int]], PersonalReport, Summary | None]:
    """Render and check every row; ``keep``: the texts returned (else only counted: the
    GSM-7 offer's pass need not hold 100,000 more texts)."""
    report = PersonalReport()
    pattern = template.pattern
    indexes = sorted({int(i) for i in re.findall(r"(?<!\{)\{(\d+)\}", pattern)})
    texts: list[tuple[str, int]] = []
    credits = ucs2 = 0
    low, high = MAX_SEGMENTS + 1, 0
    longest, longest_key, longest_line = "", (-1, -1), 0
    for line, values in rows:
        for index in indexes:
            if index >= len(values) or not values[index]:
                report.empty.append((line, str(index)))
        text = pattern.format(*values, *([""] * (max(indexes, default=-1) + 1 - len(values))))
        if fold:
            text = fold_text(text)
        if illegal_characters(text):
            report.unsendable.append(line)
        counted = count_segments(text)
        segments = counted.segments
        if segments > MAX_SEGMENTS:
            report.too_long.append((line, segments))
        if keep or not texts:
            texts.append((text, segments))
        credits += segments
        ucs2 += counted.encoding is Encoding.UCS2
        low, high = min(low, segments), max(high, segments)
        key = (segments, len(text))
        if key > longest_key:
            longest, longest_key, longest_line = text, key, line
    if report or not texts:
        return texts, report, None
    summary = Summary(
        messages=len(rows),
        credits=credits,
        min_segments=low,
        max_segments=high,
        ucs2=ucs2,
        longest=longest,
        longest_line=longest_line,
        samples=tuple(text for text, _ in texts[:3]),
        folded=fold,
    )
    return texts, report, summary


def render_all(
    text: str,
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    *,
    fold: bool = False,
) -> Rendered:
    """Every row's text (``rows``: the file's line and the row's values, in the list's
    order), checked; :class:`PersonalTextError` with the problems by kind and line.

    ``fold``: each text folded to GSM-7 (the offer taken). Unless folded and when some
    text needs UCS-2, the folded credits are counted too, for the offer."""
    template = parse_template(to_gsm7(text) if fold else text, header)
    if template.unknown:
        raise PersonalTextError(
            PersonalReport(unknown=template.unknown, columns=tuple(h for h in header if h))
        )
    texts, report, summary = _render(template, rows, fold)
    if report:
        report.empty = [(line, header[int(i)]) for line, i in report.empty]
        raise PersonalTextError(report)
    assert summary is not None
    if not fold and summary.ucs2:
        _, plain_report, plain = _render(template, rows, True, keep=False)
        if (
            not plain_report
            and plain is not None
            and plain.ucs2 == 0
            and plain.credits < summary.credits
        ):
            summary = Summary(**{**summary.__dict__, "plain_credits": plain.credits})
    return Rendered(tuple(texts), summary)
