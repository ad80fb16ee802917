"""The sandbox's world: accounts, the SMS outbox, events, payments, call counts.

Kept in memory; with a state file it is loaded at start and written
atomically (temporary file + ``os.replace``) after every call that reached an
operation. The file holds passwords in clear: it is a test double's state,
never a real account's. The public view (:meth:`SandboxState.public`, served
at ``/_sandbox/state``) leaves passwords out.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - the sandbox's published demo account
DEMO_CREDITS = 500


FIRST_EVENT_ID = 700001
FIRST_MSG_ID = 91000001


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
    msg_id: int
    partner_msg_id: str | None
    msisdn: str | None
    status: str
    number_sms: int
    sender: str | None = None
    text: str | None = None


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
    accounts: dict[str, Account] = field(default_factory=dict)
    outbox: list[OutboxSms] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    payments: dict[str, Payment] = field(default_factory=dict)
    promo_redemptions: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    # uSendit's ids are large numbers; starting far from 1 keeps them from being
    # mistaken for a bot's own campaign numbers.
    next_event_id: int = FIRST_EVENT_ID
    next_msg_id: int = FIRST_MSG_ID

    @classmethod
    def initial(cls, account_specs: list[str] | None = None) -> SandboxState:
        """The seeded world: ``demo``/``demo`` with 500 credits, plus the given accounts."""
        state = cls()
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
        return next(
            (e for e in self.events if e.event_id == event_id and e.username == username), None
        )

    def public(self) -> dict[str, Any]:
        """The JSON view served at ``/_sandbox/state`` (no passwords)."""
        return {
            "accounts": [account.public() for account in self.accounts.values()],
            "outbox": [asdict(sms) for sms in self.outbox],
            "events": [asdict(event) for event in self.events],
            "payments": [asdict(payment) for payment in self.payments.values()],
            "promo_redemptions": dict(self.promo_redemptions),
            "calls": dict(self.calls),
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxState:
        events = []
        for raw in data.get("events", []):
            messages = [MessageRecord(**m) for m in raw.get("messages", [])]
            events.append(Event(**{**raw, "messages": messages}))
        return cls(
            accounts={k: Account(**v) for k, v in data.get("accounts", {}).items()},
            outbox=[OutboxSms(**o) for o in data.get("outbox", [])],
            events=events,
            payments={k: Payment(**v) for k, v in data.get("payments", {}).items()},
            promo_redemptions=dict(data.get("promo_redemptions", {})),
            calls=dict(data.get("calls", {})),
            next_event_id=int(data.get("next_event_id", FIRST_EVENT_ID)),
            next_msg_id=int(data.get("next_msg_id", FIRST_MSG_ID)),
        )


def load_state(path: Path) -> SandboxState | None:
    """The state saved at ``path``, or ``None`` when there is none yet."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return SandboxState.from_json(json.loads(raw))


def save_state(state: SandboxState, path: Path) -> None:
    """Write ``state`` to ``path`` atomically: a reader sees the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.to_json(), handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
