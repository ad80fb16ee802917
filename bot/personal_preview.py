"""What a chat shows of a personalised text: the problems before Confirm, with the
file's lines, and the preview's facts (the longest message, a sample of three, the
encoding, the segments per message from fewest to most, the credits as their sum).

Each problem kind shows its first :data:`~bot.personal_text.SHOWN_LINES` lines and
then "and N more": a list of 100,000 with an empty column must not answer in a
100,000-line message.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.personal_text import SHOWN_LINES, PersonalReport, Summary
from bot.segments import MAX_SEGMENTS
from bot.turn import Turn


def _lines(turn: Turn, items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN_LINES])
    if len(items) > SHOWN_LINES:
        shown += turn.t("personal.more", count=len(items) - SHOWN_LINES)
    return shown


def braced(names: Sequence[str]) -> str:
    """Field names as a text writes them: ``{Nome}, {Encomenda}``."""
    return ", ".join("{" + name + "}" for name in names)


def report_lines(turn: Turn, report: PersonalReport) -> list[str]:
    """Why a personalised text does not fit the list, a line per kind."""
    lines = [turn.t("personal.title")]
    if report.unknown:
        if report.columns:
            lines.append(
                turn.t(
                    "personal.unknown",
                    count=len(report.unknown),
                    fields=braced(report.unknown),
                    columns=braced(report.columns),
                )
            )
        else:
            lines.append(
                turn.t(
                    "personal.no_columns", count=len(report.unknown), fields=braced(report.unknown)
                )
            )
    if report.empty:
        items = [f"{line} ({column})" for line, column in report.empty]
        lines.append(turn.t("personal.empty", count=len(items), lines=_lines(turn, items)))
    if report.unsendable:
        items = [str(line) for line in report.unsendable]
        lines.append(turn.t("personal.unsendable", count=len(items), lines=_lines(turn, items)))
    if report.too_long:
        items = [
            turn.t("personal.line_segments", line=line, segments=segments)
            for line, segments in report.too_long
        ]
        lines.append(
            turn.t(
                "personal.too_long",
                count=len(items),
                lines=_lines(turn, items),
                max=MAX_SEGMENTS,
            )
        )
    return lines


def preview_facts(
    turn: Turn, summary: Summary, *, recipients: int, sender: str, when: str, balance: int
) -> list[str]:
    """The preview's facts for a personalised campaign, after its template."""
    if summary.ucs2 == 0:
        encoding = "GSM-7"
    elif summary.ucs2 == summary.messages:
        encoding = "UCS-2"
    else:
        encoding = turn.t("personal.mixed", count=summary.ucs2, total=summary.messages)
    lines = [
        turn.t("personal.longest", line=summary.longest_line, segments=summary.max_segments),
        summary.longest,
        turn.t("personal.samples", count=len(summary.samples)),
        *(f"• {sample}" for sample in summary.samples),
        "—",
        turn.t(
            "personal.facts",
            recipients=recipients,
            encoding=encoding,
            low=summary.min_segments,
            high=summary.max_segments,
            needed=summary.credits,
            balance=balance,
            sender=sender,
            when=when,
        ),
    ]
    return lines
