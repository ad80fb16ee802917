"""When a message reaches its phone: the daily window, working days and the sandbox's clock.

The contract says only that BeginTime, EndTime and WorkingDays "restrict
delivery to a daily window and to working days", and that scheduling times
are the provider's local time. The rest is chosen here, each with its reason:

- BeginTime and EndTime are ``xs:dateTime`` because ASMX serialises a .NET
  ``DateTime`` and has no time-of-day type: only their time of day counts,
  read in the provider's time (Europe/Lisbon; a value with an offset is
  converted first, one without is Lisbon time). Their dates are ignored.
- The window is both ends or neither. One end alone describes no daily
  window; guessing the missing end ("until midnight") would accept what the
  real service may refuse, and a test double that is stricter than the
  service catches a client that lost a field, where a lenient one hides it.
- The window is ``[BeginTime, EndTime)`` each day, and EndTime's time of day
  must be after BeginTime's: an empty window (09:00-09:00) or one that wraps
  midnight (22:00-06:00) is refused, as the same "not after" rule the
  sandbox applies to ExpirationDatetime.
- A refused window, like a date that cannot be read, is the message's
  EXPIRATION_DATETIME_INVALID: ScheduleMessageStatus has no status of its own
  for the window, every field the service checks is reported per Sms, and
  EXPIRATION_DATETIME_INVALID is the one status the contract has for an Sms
  whose times cannot make a delivery. A whole-call status (SCHEDULE_ERROR,
  PROCESS_SCHEDULE_LIST_ERROR) would also refuse the good messages of the
  list, which no per-message field does anywhere else in the contract.
- WorkingDays: Monday to Friday, by the date in Lisbon. The contract names no
  holidays, so the sandbox knows none.
- A message is delivered at the first moment, from its acceptance or its
  ScheduleDatetime if later, that is inside its window and, if asked, on a
  working day. An ExpirationDatetime not after that moment is
  EXPIRATION_DATETIME_INVALID: the sandbox's rule for an expiration not
  after ScheduleDatetime, applied to the moment the window lets it go.
- Delivery is decided when the message is accepted (its moment is stored)
  and read against the clock when anyone looks: no task moves statuses and
  no query scans for due messages, so a look costs the same at any size.
  GetSchedule still answers SCHEDULED: v1 has no delivery status.
- The clock is the machine's, moved by an offset a test or a person sets
  (``/_sandbox/clock``), kept in the state file so that a restart does not
  turn time back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WINDOW_INVALID = "EXPIRATION_DATETIME_INVALID"
"""What a message with a window that cannot open gets (see the module's reasons)."""
WORKING_WEEKDAYS = range(5)
"""Monday (0) to Friday (4)."""
CLOCK_YEARS = range(1970, 9000)


def provider_zone() -> tzinfo:
    """Europe/Lisbon, the provider's time (the machine's zone where tzdata is missing)."""
    try:
        return ZoneInfo("Europe/Lisbon")
    except ZoneInfoNotFoundError:  # pragma: no cover - system without tzdata
        return datetime.now(UTC).astimezone().tzinfo or UTC


def parse_datetime(raw: str | None) -> datetime | None:
    """An aware moment from an ``xs:dateTime``; without an offset it is Lisbon time.

    Raises ValueError for a valid ``xs:dateTime`` Python cannot read (24:00:00)."""
    if raw is None or not raw.strip():
        return None
    value = datetime.fromisoformat(raw.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=provider_zone())
    return value


def local_iso(moment: datetime) -> str:
    """How the sandbox writes a moment down: ISO 8601 in Lisbon time, with its offset."""
    return moment.astimezone(provider_zone()).isoformat()


@dataclass(frozen=True)
class Window:
    """A message's delivery restriction as the sandbox read it (either end may be missing)."""

    begin: time | None = None
    end: time | None = None
    working_days: bool = False

    @classmethod
    def read(cls, begin: str | None, end: str | None, working_days: bool) -> Window:
        """The window of an Sms's BeginTime and EndTime (time of day in Lisbon).

        Raises ValueError for a date Python cannot read."""
        return cls(_time_of_day(begin), _time_of_day(end), working_days)

    @property
    def status(self) -> str | None:
        """The ScheduleMessageStatus the window forces, or ``None`` when it can open."""
        if self.begin is None and self.end is None:
            return None
        if self.begin is None or self.end is None or self.end <= self.begin:
            return WINDOW_INVALID
        return None

    def first_delivery(self, earliest: datetime) -> datetime:
        """The first moment from ``earliest`` inside the window, on a working day if asked.

        The window must be valid (:attr:`status` is ``None``)."""
        if self.begin is None and not self.working_days:
            return earliest
        zone = provider_zone()
        start = earliest.astimezone(UTC)
        day = earliest.astimezone(zone).date()
        # A valid window opens on every day, and a week holds five working days.
        for _ in range(8):
            if not self.working_days or day.weekday() in WORKING_WEEKDAYS:
                opens, closes = self._bounds(day, zone)
                moment = max(start, opens)
                if moment < closes:
                    return moment
            day += timedelta(days=1)
        raise ValueError("the window never opens")  # pragma: no cover - excluded by status

    def _bounds(self, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
        """The day's window as UTC moments (the whole day without one)."""
        opens = datetime.combine(day, self.begin or time(0), zone)
        closes = (
            datetime.combine(day, self.end, zone)
            if self.end is not None and self.begin is not None
            else datetime.combine(day + timedelta(days=1), time(0), zone)
        )
        return opens.astimezone(UTC), closes.astimezone(UTC)


def _time_of_day(raw: str | None) -> time | None:
    moment = parse_datetime(raw)
    if moment is None:
        return None
    return moment.astimezone(provider_zone()).time().replace(tzinfo=None)


class Clock:
    """The sandbox's time: the machine's, moved by ``offset``."""

    def __init__(self, offset: timedelta | None = None) -> None:
        self.offset = offset or timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set(self, moment: datetime) -> None:
        """From now on the clock reads ``moment`` (an aware datetime), then runs on."""
        self._move(moment - datetime.now(UTC))

    def advance(self, seconds: float) -> None:
        self._move(self.offset + timedelta(seconds=seconds))

    def move(self, order: object) -> None:
        """Obey a ``/_sandbox/clock`` order: ``{"now": iso}`` (Lisbon time without an
        offset), ``{"advance": seconds}`` or ``{"reset": true}``; raises ValueError or
        TypeError for anything else."""
        if not isinstance(order, dict):
            raise TypeError("the order must be a JSON object")
        if order.get("reset") is True:
            self.reset()
        elif "now" in order:
            moment = parse_datetime(str(order["now"]))
            if moment is None:
                raise ValueError("now must be an ISO moment")
            self.set(moment)
        elif "advance" in order:
            self.advance(float(order["advance"]))
        else:
            raise ValueError('give "now", "advance" or "reset"')

    def _move(self, offset: timedelta) -> None:
        """Take ``offset`` unless it leaves the years a message can be dated in, where
        the clock would soon fail to tell the time at all."""
        moment = datetime.now(UTC) + offset
        if not CLOCK_YEARS.start <= moment.year < CLOCK_YEARS.stop:
            raise ValueError(f"the sandbox's clock stays within the years {CLOCK_YEARS}")
        self.offset = offset

    def reset(self) -> None:
        self.offset = timedelta(0)

    @property
    def offset_microseconds(self) -> int:
        """The offset as it is stored (a whole number, so that a save compares equal)."""
        return (self.offset // timedelta(microseconds=1)) if self.offset else 0

    def public(self) -> dict[str, str | float]:
        return {"now": local_iso(self.now()), "offset_seconds": self.offset.total_seconds()}
