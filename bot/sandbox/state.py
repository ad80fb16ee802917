"""The sandbox's world: accounts, the SMS outbox, events, payments, call counts.

The small part of the world (accounts, the outbox, payments, promotional
redemptions, calls per operation, the next ids) is plain objects in memory,
which operations and tests change directly. Events and their messages, the
part that grows with every SendMessages, live only in the database
(:mod:`bot.sandbox.database`): :class:`SandboxState.events` is a view of
them, so memory stays the same after a million messages as after ten. The
database holds passwords in clear: it is a test double's state, never a real
account's. The public view (:meth:`SandboxState.public`, and
``/_sandbox/state``) leaves passwords out, and gives each message its
``delivery`` as the sandbox's clock reads it now (see :mod:`.delivery`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.sandbox.delivery import Clock

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - the sandbox's published demo account
DEMO_CREDITS = 500


FIRST_EVENT_ID = 700001
FIRST_MSG_ID = 91000001


class EventLog(Protocol):
    """Where the events live (``bot.sandbox.database`` keeps them in SQLite, indexed)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Event]: ...

    def append(self, event: Event) -> None: ...

    def find(self, username: str, event_id: int) -> Event | None: ...

    def by_partner(self, username: str, partner_event_id: str) -> list[tuple[str | None, int]]: ...

    def public_json(self, below: int, now: datetime | None = None) -> Iterator[str]:
        """The events with ids under ``below``, as a JSON array in pieces, each
        message's delivery read at ``now`` (the machine's time by default)."""
        ...


def now_utc() -> datetime:
    return datetime.now(UTC)


def _stamp() -> str:
    return now_utc().isoformat(timespec="seconds")


@dataclass
class Account:
    username: str
    password: str
    account_name: str
    email: str
    msisdn: str
    credits: int
    confirmed: bool
    confirmation_code: str | None = None
    resends: int = 0
    verification_key: str | None = None
    created_at: str = field(default_factory=_stamp)

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        del data["password"]
        return data


@dataclass
class OutboxSms:
    """An SMS the sandbox would have sent itself (confirmation codes)."""

    username: str
    msisdn: str
    text: str
    created_at: str = field(default_factory=_stamp)


@dataclass
class MessageRecord:
    """One Sms of a SendMessages call, as the sandbox read it, accepted or not.

    ``schedule``, ``expiration`` and ``deliver_at`` are ISO moments in Lisbon
    time; ``begin_time``/``end_time`` the window's times of day
    (``HH:MM:SS``), as given even when the window was refused. ``deliver_at``
    is when an accepted message reaches its phone, ``None`` when that was at
    once (its event's ``created_at``); a rejected message has none.
    """

    msg_id: int
    partner_msg_id: str | None
    msisdn: str | None
    status: str
    number_sms: int
    sender: str | None = None
    text: str | None = None
    schedule: str | None = None
    expiration: str | None = None
    begin_time: str | None = None
    end_time: str | None = None
    working_days: bool = False
    deliver_at: str | None = None

    def delivery(self, now: datetime) -> str | None:
        """DELIVERED or WAITING (for its window or schedule) at ``now``; ``None`` when
        the message was rejected."""
        if self.status != "SCHEDULED":
            return None
        if self.deliver_at is None or datetime.fromisoformat(self.deliver_at) <= now:
            return "DELIVERED"
        return "WAITING"

    def public(self, now: datetime) -> dict[str, Any]:
        return {**asdict(self), "delivery": self.delivery(now)}


@dataclass
class Event:
    event_id: int
    partner_event_id: str | None
    username: str
    status: str
    recipients: int
    accepted: int
    rejected: int
    total_sms: int
    credits_spent: int
    messages: list[MessageRecord]
    created_at: str = field(default_factory=_stamp)


@dataclass
class Payment:
    token: str
    username: str
    pack_id: int
    credits: int
    amount: str
    entity: str
    reference: str
    promo_code: str | None = None
    paid_at: str | None = None
    created_at: str = field(default_factory=_stamp)


def parse_account_spec(spec: str) -> Account:
    """A confirmed account from ``user:pass:credits`` (the password may hold ``:``)."""
    username, sep, rest = spec.partition(":")
    password, sep2, credits = rest.rpartition(":")
    if not sep or not sep2 or not username or not password:
        raise ValueError("an account is given as user:pass:credits")
    try:
        amount = int(credits)
    except ValueError:
        raise ValueError("an account's credits must be an integer") from None
    if amount < 0:
        raise ValueError("an account's credits cannot be negative")
    return Account(
        username=username,
        password=password,
        account_name=username,
        email=f"{username}@sandbox.invalid",
        msisdn="",
        credits=amount,
        confirmed=True,
    )


@dataclass
class SandboxState:
    events: EventLog
    """Every event recorded, oldest first, in the database."""
    accounts: dict[str, Account] = field(default_factory=dict)
    outbox: list[OutboxSms] = field(default_factory=list)
    payments: dict[str, Payment] = field(default_factory=dict)
    promo_redemptions: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    # uSendit's ids are large numbers; starting far from 1 keeps them from being
    # mistaken for a bot's own campaign numbers.
    next_event_id: int = FIRST_EVENT_ID
    next_msg_id: int = FIRST_MSG_ID
    clock: Clock = field(default_factory=Clock)
    """The sandbox's time, which decides expiry and delivery (:mod:`.delivery`)."""

    @classmethod
    def initial(cls, events: EventLog, account_specs: list[str] | None = None) -> SandboxState:
        """The seeded world: ``demo``/``demo`` with 500 credits, plus the given accounts.

        ``events`` must be empty (a cleared database's)."""
        state = cls(events)
        demo = Account(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            account_name="Demo Account",
            email="demo@sandbox.invalid",
            msisdn="351910000000",
            credits=DEMO_CREDITS,
            confirmed=True,
        )
        state.accounts[demo.username] = demo
        for spec in account_specs or []:
            account = parse_account_spec(spec)
            state.accounts[account.username] = account
        return state

    def authenticate(self, username: str | None, password: str | None) -> Account | None:
        """The account, when both username and password match."""
        account = self.accounts.get(username or "")
        if account is None or password is None or account.password != password:
            return None
        return account

    def count_call(self, operation: str) -> None:
        self.calls[operation] = self.calls.get(operation, 0) + 1

    def new_event_id(self) -> int:
        event_id = self.next_event_id
        self.next_event_id += 1
        return event_id

    def new_msg_id(self) -> int:
        msg_id = self.next_msg_id
        self.next_msg_id += 1
        return msg_id

    def find_event(self, username: str, event_id: int) -> Event | None:
        return self.events.find(username, event_id)

    def public_head(self) -> dict[str, Any]:
        """The public view without its events (the small part, in memory)."""
        return {
            "accounts": [account.public() for account in self.accounts.values()],
            "outbox": [asdict(sms) for sms in self.outbox],
            "payments": [asdict(payment) for payment in self.payments.values()],
            "promo_redemptions": dict(self.promo_redemptions),
            "calls": dict(self.calls),
            "clock": {"offset_seconds": self.clock.offset.total_seconds()},
        }

    def public(self) -> dict[str, Any]:
        """The public view, every event with its messages, as one dict.

        Meant for tests and small states: ``/_sandbox/state`` streams the same
        view instead, so that a big state is never held in memory whole."""
        now = self.clock.now()
        return {
            **self.public_head(),
            "events": [
                {**asdict(event), "messages": [m.public(now) for m in event.messages]}
                for event in self.events
            ],
        }
