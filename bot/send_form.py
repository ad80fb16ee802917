"""The /send form's fields and their checks, one field at a time or the whole form at once.

A campaign's recipients, text, sender, time and delivery window are read by the same functions
whether they come one by one (the step-by-step wizard of Telegram and the
console) or together (Slack's modal, :func:`check_form`). Each check gives the
value or a :class:`Problem`, which a chat words in its user's language; a
platform that shows errors beside a form's fields (Slack's
``response_action: errors``) gets them by field name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.problems import Problem as Problem  # (re-exported: checks return it)
from bot.recipients import RecipientList, parse_text
from bot.segments import MAX_SEGMENTS, count_segments
from bot.send_window import ZonedWindow, read_window
from bot.usendit.models import code_points, illegal_characters
from bot.usendit.rules import check_sender

FIELDS = ("recipients", "text", "sender", "when", "window", "template", "list")
NOW_WORDS = frozenset({"", "now", "agora", "ahora", "ja", "já", "ya"})
NONE_WORDS = frozenset(
    {"", "-", "none", "nenhum", "ninguno", "default", "padrão", "predeterminado"}
)
SHOWN_REJECTS = 3
"""How many refused numbers a form's field error names (a chat reply names more)."""
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%d/%m %H:%M")


@dataclass(frozen=True)
class SendForm:
    """What a person typed in each field of a whole form (an empty field is ``""``)."""

    recipients: str
    text: str
    sender: str = ""
    when: str = ""
    window: str = ""
    """The daily delivery window (``09:00-20:00 working days``); empty: any time."""
    template: str = ""
    """A template of the chat chosen for the text (its name)."""
    list: str = ""
    """A saved list of the chat chosen for the recipients (its name)."""

    @classmethod
    def of(cls, values: Mapping[str, str]) -> SendForm:
        return cls(**{name: str(values.get(name) or "") for name in FIELDS})


@dataclass(frozen=True)
class Chosen:
    """What a form's names stand for, looked up in the store before the form is checked
    (``bot.send_choices``): the chosen template's text, the chosen list's numbers (typed
    as ``list:<name>`` or picked), or why a name stands for nothing, by field."""

    text: str | None = None
    recipients: RecipientList | None = None
    problems: Mapping[str, Problem] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedForm:
    """A whole form whose every field was read (``recipients`` empty: a file comes next)."""

    recipients: RecipientList
    text: str
    sender: str | None
    when: datetime | None
    window: ZonedWindow | None = None


def parse_when(text: str, zone: str, now: datetime, lang: str = "en") -> datetime | None:
    """A future moment in ``zone`` from what a person types; None when unreadable.

    Exact forms first (``2026-12-01 09:30``, ``01/12/2026 09:30``, ``01/12 09:30``,
    ``09:30``), rolled over when they name a moment already gone this day (a time) or
    this year (a day and month). Then the ways people say it, in their language or in
    English, read by dateparser: ``tomorrow 9:00``, ``amanhã 9h``, ``mañana a las 9``,
    ``in 2 hours``, ``daqui a 2 horas``, ``sexta 18h``.
    """
    text = " ".join(text.split())
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    exact = _exact_when(text, tz, local_now)
    if exact is not None:
        return exact
    return _said_when(text, zone, local_now, lang)


def _exact_when(text: str, tz: ZoneInfo, local_now: datetime) -> datetime | None:
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(part) for part in text.split(":"))
        if hour > 23 or minute > 59:
            return None
        moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if moment <= local_now:
            moment = _same_wall_time(moment + timedelta(days=1), tz)  # 07:00, said at 08:00
        return moment
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone set below
        except ValueError:
            continue
        moment = parsed.replace(tzinfo=tz)
        if "%Y" not in pattern:
            moment = moment.replace(year=local_now.year)
            if moment <= local_now:
                moment = moment.replace(year=local_now.year + 1)  # 05/01 said in December
        return moment
    return None


def _same_wall_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """The same clock time on another day, whatever the offset that day."""
    return moment.replace(tzinfo=None).replace(tzinfo=tz)


_AT_HOUR = re.compile(r"\b(?:às|as|a las|at|à)\s+(\d{1,2})\b(?![:h.\d])", re.IGNORECASE)
_HOUR_H = re.compile(r"\b(\d{1,2})h(\d{2})?\b", re.IGNORECASE)
_LINK_WORDS = re.compile(r"\b(?:às|as|a las|at|à|el|on)\b", re.IGNORECASE)
_IN_SPANS = (("daqui a ", "em "), ("dentro de ", "en "))


def _said_when(text: str, zone: str, local_now: datetime, lang: str) -> datetime | None:
    """What dateparser reads, once the forms it misreads are put its way: ``18h`` and
    ``às 9`` as ``18:00`` and ``9:00`` (else ``sexta 18h`` is the 18th), ``daqui a``
    and ``dentro de`` as ``em`` and ``en``."""
    import dateparser  # a second to load its data: only when a person says a time

    said = _AT_HOUR.sub(lambda m: f" {m[1]}:00", text)
    said = _HOUR_H.sub(lambda m: f"{m[1]}:{m[2] or '00'}", said)
    said = _LINK_WORDS.sub(" ", said).lower()
    for phrase, plain in _IN_SPANS:
        said = said.replace(phrase, plain)
    found = dateparser.parse(
        " ".join(said.split()),
        languages=list(dict.fromkeys([lang, "en"])),
        settings={
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": zone,
            "TO_TIMEZONE": zone,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
        },
    )
    if found is None:
        return None
    return found.astimezone(ZoneInfo(zone))


def exists_in(moment: datetime) -> bool:
    """Whether a local clock time happens at all (not in the hour clocks skip in spring)."""
    there = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return there.replace(tzinfo=None) == moment.replace(tzinfo=None)


def check_text(text: str) -> Problem | None:
    """A text an SMS can carry, within uSendit's segment limit."""
    if not text.strip():
        return Problem("form.error.text")
    bad = illegal_characters(text)
    if bad:
        return Problem("form.error.unsendable", {"chars": code_points(bad)})
    counted = count_segments(text)
    if counted.segments > MAX_SEGMENTS:
        return Problem("send.text_too_long", {"segments": counted.segments, "max": MAX_SEGMENTS})
    return None


def read_sender(text: str) -> tuple[str | None, Problem | None]:
    """The sender typed (None: the account's default), or why uSendit would refuse it."""
    text = text.strip()
    sender = None if text.lower() in NONE_WORDS else text
    status = check_sender(sender)
    if status is not None:
        return None, Problem("", status=status)
    return sender, None


def read_when(
    text: str, zone: str, now: datetime, lang: str = "en"
) -> tuple[datetime | None, Problem | None]:
    """When to send (None: now), or why the time cannot be used."""
    if text.strip().lower() in NOW_WORDS:
        return None, None
    moment = parse_when(text, zone, now, lang)
    if moment is None:
        return None, Problem("send.when_unreadable", {"zone": zone})
    if not exists_in(moment):
        return None, Problem("send.when_skipped", {"zone": zone})
    if moment <= now:
        return None, Problem("send.when_past")
    return moment, None


def recipients_problem(parsed: RecipientList) -> Problem | None:
    """A typed list with a number that cannot get an SMS, or with none at all.

    (Duplicates are dropped quietly: they change nothing.)
    """
    invalid = parsed.invalid
    if invalid:
        shown = ", ".join(r.raw for r in invalid[:SHOWN_REJECTS])
        more = len(invalid) - SHOWN_REJECTS
        return Problem(
            "form.error.recipients_invalid",
            {"numbers": f"{shown} (+{more})" if more > 0 else shown},
        )
    if not parsed.numbers:
        return Problem("form.error.recipients")
    return None


def check_form(
    form: SendForm,
    *,
    region: str,
    zone: str,
    now: datetime,
    lang: str = "en",
    chosen: Chosen | None = None,
) -> CheckedForm | dict[str, Problem]:
    """Every field of a whole form read at once: the values, or a problem per field.

    ``chosen`` gives what the form's template and list stand for; a template's text
    then replaces the text field (which must be left empty), a list's numbers the
    recipients."""
    chosen = chosen or Chosen()
    problems: dict[str, Problem] = dict(chosen.problems)
    if chosen.recipients is not None:
        recipients = chosen.recipients
    else:
        recipients = parse_text(form.recipients, region)
        problem = recipients_problem(recipients)
        if problem is not None and form.recipients.strip() and "recipients" not in problems:
            problems["recipients"] = problem  # (left empty: a file is shared in the chat next)
    text = form.text
    if chosen.text is not None:
        text = chosen.text
        if form.text.strip():
            problems["template"] = Problem("form.error.template_and_text")
    problem = check_text(text)
    if problem is not None and "template" not in problems:
        problems["text"] = problem
    sender, problem = read_sender(form.sender)
    if problem is not None:
        problems["sender"] = problem
    when, problem = read_when(form.when, zone, now, lang)
    if problem is not None:
        problems["when"] = problem
    window = read_window(form.window, zone, when or now)
    if isinstance(window, Problem):
        problems["window"] = window
        window = None
    if problems:
        return problems
    return CheckedForm(
        recipients=recipients, text=text.strip(), sender=sender, when=when, window=window
    )
