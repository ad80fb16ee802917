"""A campaign's delivery window: the hours of the day, and whether only working days.

Each Sms that SendMessages takes can carry BeginTime, EndTime and WorkingDays,
which keep its delivery inside a daily window and off weekends. A person says
it the way a marketer does, in their language or in English:

- ``09:00-20:00``, ``9h-20h``, ``9 to 20``, ``between 9:00 and 20:00``,
  ``entre as 9h e as 20h``, ``de 9 a 20``, ``entre las 9 y las 20``;
- ``working days`` (``weekdays``, ``dias úteis``, ``días laborables``...);
- both at once (``9h-20h working days``), or ``any time`` for no window.

The hours are the person's own (their /timezone); the client turns them into the
provider's time. A window must end after it begins on the same day: uSendit's
window is daily and cannot wrap midnight (``22:00-06:00``), and an empty one
would deliver nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.problems import Problem

PROVIDER_ZONE = "Europe/Lisbon"
"""Where uSendit reads a window's times of day (``bot.usendit.client`` converts to it)."""

_WORKING_DAYS = (
    "working days",
    "working days only",
    "only working days",
    "weekdays",
    "weekdays only",
    "business days",
    "mon-fri",
    "dias uteis",
    "so dias uteis",
    "apenas dias uteis",
    "dias laborais",
    "dias laborables",
    "solo dias laborables",
    "dias habiles",
    "de segunda a sexta",
    "de lunes a viernes",
)
_ANY_TIME = (
    "any time",
    "anytime",
    "always",
    "qualquer hora",
    "sempre",
    "cualquier hora",
    "siempre",
)

# An hour: 9, 09, 9h, 9h30, 9:30, 09.30, 9am, 8 pm.
_HOUR = r"(\d{1,2})(?:\s*(?:[:.h]\s*(\d{2})?))?\s*(am|pm)?"
_FILLER = (
    r"(?:only|just|from|between|so|apenas|entre|das|de|desde|as|las|los|a|the|"
    r"hours?|horas?)"
)
_JOIN = r"(?:-|–|—|to|until|till|and|e|a|ate|y|hasta|as|las)"
_RANGE = re.compile(
    rf"^(?:{_FILLER}\s+)*{_HOUR}\s*(?:{_JOIN}\s*)+(?:{_FILLER}\s+)*{_HOUR}$", re.IGNORECASE
)


@dataclass(frozen=True)
class Window:
    """When the messages may be delivered: ``begin``..``end`` each day (the person's
    time), and only Monday to Friday when ``working_days``."""

    begin: time | None = None
    end: time | None = None
    working_days: bool = False

    @property
    def any_time(self) -> bool:
        return self.begin is None and not self.working_days

    def times_on(self, day: datetime, zone: str) -> tuple[datetime | None, datetime | None]:
        """BeginTime and EndTime as aware moments of ``day`` in ``zone`` (uSendit reads
        only their time of day), or ``(None, None)`` for no daily window."""
        if self.begin is None or self.end is None:
            return None, None
        local = day.astimezone(ZoneInfo(zone)).date()
        tz = ZoneInfo(zone)
        return (
            datetime.combine(local, self.begin, tzinfo=tz),
            datetime.combine(local, self.end, tzinfo=tz),
        )

    def stored(self) -> str:
        """The window as one short value (``09:00-20:00 working days``), to store and read back."""
        parts = []
        if self.begin is not None and self.end is not None:
            parts.append(f"{self.begin:%H:%M}-{self.end:%H:%M}")
        if self.working_days:
            parts.append("working days")
        return " ".join(parts)

    @classmethod
    def from_stored(cls, value: str | None) -> Window:
        """The window :meth:`stored` wrote (an empty or unknown value is no window)."""
        found = parse_window(value or "")
        return found if isinstance(found, Window) else cls()


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _clock(hour: str, minute: str | None, half: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    if h == 24 and m == 0:
        return time(23, 59)  # "until 24h": the end of the day
    if h > 23 or m > 59:
        return None
    return time(h, m)


def parse_window(text: str) -> Window | Problem:
    """The window a person typed, or why it cannot be one."""
    plain = _plain(text).replace(",", " ").strip(" .;")
    plain = " ".join(plain.split())
    if not plain or plain in _ANY_TIME:
        return Window()
    working = False
    for words in sorted(_WORKING_DAYS, key=len, reverse=True):
        if plain == words or plain.endswith(" " + words) or plain.startswith(words + " "):
            working = True
            plain = (plain[: -len(words)] if plain.endswith(words) else plain[len(words) :]).strip()
            plain = re.sub(r"^(?:on|em|en|nos|los)\s+|\s+(?:on|em|en|nos|los)$", "", plain).strip()
            break
    if not plain:
        return Window(working_days=True)
    found = _RANGE.match(plain)
    if found is None:
        return Problem("window.unreadable", {"text": text.strip()})
    begin = _clock(found.group(1), found.group(2), found.group(3))
    end = _clock(found.group(4), found.group(5), found.group(6))
    if begin is None or end is None:
        return Problem("window.unreadable", {"text": text.strip()})
    if end <= begin:
        return Problem("window.backwards", {"begin": f"{begin:%H:%M}", "end": f"{end:%H:%M}"})
    return Window(begin, end, working)


def next_opening(window: Window, moment: datetime, zone: str) -> datetime:
    """The first moment from ``moment`` on that ``window`` lets a message go (the
    person's ``zone``): what the preview says when the window is closed now."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    for days in range(8):
        day = (local + timedelta(days=days)).date()
        if window.working_days and day.weekday() >= 5:
            continue
        begin = datetime.combine(day, window.begin or time(0, 0), tzinfo=tz)
        end = datetime.combine(day, window.end, tzinfo=tz) if window.end else None
        start = max(begin, local) if days == 0 else begin
        if end is None or start < end:
            return start
    return local  # unreachable: a week always holds a working day


@dataclass(frozen=True)
class ZonedWindow:
    """A campaign's window with the zone its hours were said in (the author's /timezone),
    as the store keeps it in one value: ``Europe/Lisbon 09:00-20:00 working days``."""

    window: Window
    zone: str

    def stored(self) -> str | None:
        """The value to store; None for no window at all."""
        if self.window.any_time:
            return None
        return f"{self.zone} {self.window.stored()}"

    @classmethod
    def from_stored(cls, value: str | None) -> ZonedWindow | None:
        """What :meth:`stored` wrote; None for no window (or a value no version wrote)."""
        zone, _, rest = (value or "").partition(" ")
        if not zone or not rest:
            return None
        try:
            ZoneInfo(zone)
        except (ValueError, KeyError):
            return None
        window = Window.from_stored(rest)
        return None if window.any_time else cls(window, zone)

    def sms_fields(self, day: datetime) -> tuple[datetime | None, datetime | None, bool]:
        """BeginTime, EndTime and WorkingDays for the Sms of a campaign sent on ``day``."""
        begin, end = self.window.times_on(day, self.zone)
        return begin, end, self.window.working_days


def sms_window(stored: str | None, day: datetime) -> tuple[datetime | None, datetime | None, bool]:
    """BeginTime, EndTime and WorkingDays for every Sms of a campaign whose window is
    ``stored`` (None: none of them), sent on ``day``."""
    window = ZonedWindow.from_stored(stored)
    return (None, None, False) if window is None else window.sms_fields(day)


def window_problem(window: Window, zone: str, day: datetime) -> Problem | None:
    """Why uSendit could not open ``window`` (said in ``zone``) on ``day``: read in its own
    time, its end must still come after its beginning the same day (``09:00-20:00`` in
    New York is ``14:00-01:00`` in Lisbon, which wraps midnight there)."""
    begin, end = window.times_on(day, zone)
    if begin is None or end is None:
        return None
    there = ZoneInfo(PROVIDER_ZONE)
    opens, closes = begin.astimezone(there).timetz(), end.astimezone(there).timetz()
    if closes.replace(tzinfo=None) <= opens.replace(tzinfo=None):
        return Problem(
            "window.provider_wraps",
            {"begin": f"{opens:%H:%M}", "end": f"{closes:%H:%M}", "zone": PROVIDER_ZONE},
        )
    return None


def read_window(text: str, zone: str, day: datetime) -> ZonedWindow | Problem | None:
    """A window typed by someone in ``zone``, for a campaign sent on ``day``: the window
    (None for any time), or why it cannot be used."""
    found = parse_window(text)
    if isinstance(found, Problem):
        return found
    problem = window_problem(found, zone, day)
    if problem is not None:
        return problem
    return None if found.any_time else ZonedWindow(found, zone)
