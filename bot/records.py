"""What the store keeps, as plain typed records (no SQL, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class CampaignPhase(StrEnum):
    """Where a campaign is in its life; sending progress lives in its chunks."""

    DRAFT = "DRAFT"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class Work(StrEnum):
    """What a confirmed campaign asks of the worker (None once nothing is left to do).

    SEND: send the parts never sent, settle the unsure ones, resend (a few times)
    the parts uSendit provably never got. RESEND: a person asked to resend the
    parts uSendit never got, whatever the count. SETTLE: only settle unsure parts.
    """

    SEND = "SEND"
    RESEND = "RESEND"
    SETTLE = "SETTLE"


class ChunkState(StrEnum):
    """One chunk (one SendMessages call) of a campaign.

    PENDING -> IN_FLIGHT (committed before the call) -> ACCEPTED | REJECTED | UNKNOWN.
    UNKNOWN (and IN_FLIGHT found after a crash) -> ACCEPTED | DUPLICATE | NOT_SENT,
    settled only through GetPartnerEvents. NOT_SENT -> IN_FLIGHT only on a
    deliberate resend, with the same partnerEventId. SKIPPED: never sent
    because an earlier chunk hit a reason to stop (insufficient credits).
    """

    PENDING = "PENDING"
    IN_FLIGHT = "IN_FLIGHT"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    UNKNOWN = "UNKNOWN"
    NOT_SENT = "NOT_SENT"
    DUPLICATE = "DUPLICATE"
    SKIPPED = "SKIPPED"

    @property
    def unsettled(self) -> bool:
        """The provider may have this chunk's send and we do not know the outcome."""
        return self in (ChunkState.IN_FLIGHT, ChunkState.UNKNOWN)


@dataclass(frozen=True)
class NewCampaign:
    """A campaign before it is stored: recipients already normalised and deduped."""

    key: str
    account: str
    created_by: str
    chat: str
    text: str
    sender: str | None
    schedule_at: datetime | None
    segments: int
    recipients: tuple[str, ...]
    opted_out: int = 0
    """Numbers of the list given that the opt-out list left out (not among ``recipients``)."""
    window: str | None = None
    """The daily delivery window as ``bot.send_window.ZonedWindow`` stores it; None: any time."""
    columns: tuple[str, ...] = ()
    """A file's other columns (the fields a personalised text may use); () for none."""
    lines: tuple[int, ...] = ()
    """With ``columns``: each recipient's line in the file (aligned with ``recipients``)."""
    values: tuple[tuple[str, ...], ...] = ()
    """With ``columns``: each recipient's values of them (aligned with ``recipients``)."""


@dataclass(frozen=True)
class DraftChange:
    """A DRAFT's text, sender and schedule as a person edits them (recipients stay)."""

    text: str
    sender: str | None
    schedule_at: datetime | None
    segments: int
    window: str | None = None
    """The daily delivery window, stored (``bot.send_window.ZonedWindow``); None: any time."""
    texts: tuple[tuple[str, int], ...] | None = None
    """A personalised text: each recipient's rendered text and segments, in seq order;
    None: those stored stay if ``personal`` is given (the same text rendered before),
    else every recipient gets ``text`` (any earlier rendered texts are dropped)."""
    credits: int | None = None
    """With ``personal``: the messages' segments' sum, what the campaign costs."""
    personal: str | None = None
    """The preview's summary of a personalised text, stored (``bot.personal_text.Summary``);
    None: one text for all."""


@dataclass(frozen=True)
class Campaign:
    id: int
    key: str
    account: str
    created_by: str
    chat: str
    text: str
    sender: str | None
    schedule_at: datetime | None
    segments: int
    recipient_count: int
    phase: CampaignPhase
    reason: str | None
    created_at: datetime
    confirmed_at: datetime | None
    work: Work | None = None
    """What is asked of the worker; None when nothing is (yet, or any more)."""
    lease_owner: str | None = None
    lease_expires: datetime | None = None
    revision: int = 0
    """Bumped by every change of a DRAFT; Confirm names the revision its preview showed."""
    opted_out: int = 0
    """Numbers the opt-out list left out when the draft was made (never its recipients)."""
    window: str | None = None
    """The daily delivery window every Sms carries, stored as
    ``bot.send_window.ZonedWindow`` keeps it; None: any time."""
    columns: tuple[str, ...] = ()
    """The recipients file's other columns: the fields a personalised text may use."""
    credits: int | None = None
    """A personalised campaign's cost: the sum of its messages' segments (then
    ``segments`` is the longest one's); None: ``segments`` per recipient."""
    personal: str | None = None
    """A personalised campaign's preview summary, stored (``bot.personal_text.Summary``);
    None: one text for everyone."""

    @property
    def estimated_credits(self) -> int:
        if self.credits is not None:
            return self.credits
        return self.segments * self.recipient_count


class Recipient(NamedTuple):
    """One number of a campaign (a tuple: a part reads a thousand)."""

    seq: int
    msisdn: str
    partner_msg_id: str
    text: str | None = None
    """Its own rendered text (a personalised campaign); None: the campaign's text."""


@dataclass(frozen=True)
class Chunk:
    id: int
    campaign_id: int
    seq: int
    partner_event_id: str
    first_recipient: int
    last_recipient: int
    state: ChunkState
    attempts: int
    event_ids: tuple[int, ...]
    accepted: int
    rejected: int
    credits_spent: int
    status: str | None
    reason: str | None
    sent_at: datetime | None
    updated_at: datetime
    excluded: int = 0
    """Recipients of this chunk left out of its SendMessages: on the opt-out list at send
    time (even when added after the draft was made). Counted in :attr:`size`."""

    @property
    def size(self) -> int:
        return self.last_recipient - self.first_recipient + 1

    @property
    def kept(self) -> int:
        """Recipients of this chunk not (yet) excluded."""
        return self.size - self.excluded


class MessageOutcome(NamedTuple):
    """The provider's word on one recipient (a tuple: a part's answer makes a thousand,
    and the store writes them as they are)."""

    partner_msg_id: str
    msisdn: str
    msg_id: int
    status: str
    number_sms: int


@dataclass(frozen=True)
class ChunkResult:
    """What the provider said about a chunk that it took."""

    event_ids: tuple[int, ...]
    accepted: int
    rejected: int
    credits_spent: int
    status: str
    messages: tuple[MessageOutcome, ...]


@dataclass(frozen=True)
class Conversation:
    """A wizard's saved state: which one, and its answers so far."""

    key: str
    name: str
    data: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class TurnContext:
    """What every chat event needs read before it is answered, read at once: the
    person's chosen language and time zone, and the wizard open in the conversation."""

    lang: str | None
    timezone: str | None
    wizard: Conversation | None
    link: AccountLink | None = None
    """The account the person acts with, as stored; None: not read with the rest."""


@dataclass(frozen=True)
class AccountLink:
    """The account an identity is linked to (``/login``), read with a turn's context."""

    username: str | None
    """None: linked to none (the default account, if any, is theirs)."""
    secret: bytes | None = field(repr=False)
    """The linked account's sealed password; None if it is not stored. Never shown."""


@dataclass(frozen=True)
class Job:
    """A campaign taken by one worker under a lease (owner, expiry, renewed while it works).

    ``generation`` counts the requests made of the campaign: a release that
    says "done" clears the work only if no newer request came meanwhile.
    """

    campaign_id: int
    work: Work
    generation: int
    owner: str
    expires: datetime
    failures: int
    """Consecutive runs that ended in a provider failure (for the backoff)."""


@dataclass(frozen=True)
class Notice:
    """One message the bot keeps up to date in a chat (the outbox).

    ``subject`` says what it shows (``campaign:5``); ``data`` how (language,
    timezone, how commands are spelled). ``version`` grows at every change of
    the subject; the notice is due while it is above ``shown_version``. ``ref``
    is the platform's id of the message once posted (Telegram ``message_id``,
    Slack ``ts``), so later versions edit that message, even after a restart.
    """

    id: int
    chat: str
    subject: str
    data: dict[str, Any]
    version: int
    shown_version: int
    ref: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def due(self) -> bool:
        return self.version > self.shown_version


@dataclass(frozen=True)
class Template:
    """An SMS text a chat keeps by name (``/template save promo Hello!``)."""

    id: int
    chat: str
    name: str
    text: str
    created_by: str
    updated_at: datetime


@dataclass(frozen=True)
class SavedList:
    """Recipients a chat keeps by name (``/list save vip``); its numbers are read apart
    (:meth:`~bot.store.Store.recipient_list_numbers`): there may be 100,000 of them."""

    id: int
    chat: str
    name: str
    size: int
    created_by: str
    updated_at: datetime
    last_used_at: datetime | None
    """When a /send last took its numbers; None: never."""


@dataclass(frozen=True)
class CreditAlert:
    """A chat's low-credit alert for one linked uSendit account.

    ``below`` is whether the last reading was under ``threshold`` (the alert fired
    then, once); it goes back to False only when a reading is at or above it again,
    so each crossing alerts once. ``crossings`` counts the alerts fired; ``data`` is
    how to word them (language, how commands are spelled)."""

    account: str
    chat: str
    threshold: int
    below: bool
    crossings: int
    data: dict[str, Any]
    set_by: str
    updated_at: datetime


@dataclass(frozen=True)
class PaymentWatch:
    """A /buy waiting for its payment: the chat that bought is told when the account's
    credits rise above ``baseline`` (the credits when it bought), until ``until``."""

    id: int
    account: str
    chat: str
    baseline: int
    data: dict[str, Any]
    started_at: datetime
    until: datetime


class ApprovalState(StrEnum):
    """A big campaign's request for a second person's approval (``bot.approvals``).

    PENDING -> APPROVED (the campaign CONFIRMED in the same transaction) | REJECTED |
    EXPIRED (the campaign CANCELLED in the same transaction). Exactly one decision.
    """

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True)
class NewApproval:
    """An approval asked for a DRAFT at ``revision`` (the one its author confirmed)."""

    campaign_id: int
    revision: int
    chat: str
    """The approvers' chat, where the request is pushed and pressed."""
    requested_by: str
    credits: int
    threshold: int
    data: dict[str, Any]
    """How to word it: the author's name and wording, the approvers' chat's wording."""
    requested_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Approval:
    campaign_id: int
    chat: str
    state: ApprovalState
    requested_by: str
    credits: int
    threshold: int
    data: dict[str, Any]
    requested_at: datetime
    expires_at: datetime
    decided_by: str | None = None
    decided_name: str | None = None
    """How the person who decided is called (their platform name, else their id)."""
    decided_at: datetime | None = None


@dataclass(frozen=True)
class ApproversChat:
    """Where the approval requests of one uSendit account's campaigns are pushed
    (named by an admin running ``/approval chat`` there); ``data``: how that chat is
    spoken to (the wording of the admin who named it)."""

    account: str
    chat: str
    data: dict[str, Any]
    set_by: str
    updated_at: datetime


class AuditAction(StrEnum):
    """What the audit log records: the actions that spend money or change access
    (``bot/audit.py`` says where each is recorded)."""

    CONFIRM = "confirm"
    CONTINUE = "continue"
    RESEND = "resend"
    APPROVE = "approve"
    REJECT = "reject"
    BUY = "buy"
    SIGNUP = "signup"
    SIGNUP_CONFIRM = "signup_confirm"
    LOGIN = "login"
    LOGOUT = "logout"
    ROLE = "role"
    SETTING = "setting"
    OPTOUT_ADD = "optout_add"
    OPTOUT_REMOVE = "optout_remove"
    TEMPLATE_SAVE = "template_save"
    TEMPLATE_DELETE = "template_delete"
    LIST_SAVE = "list_save"
    LIST_DELETE = "list_delete"


@dataclass(frozen=True)
class NewAuditEntry:
    """One action, as the audit log keeps it: never a password, a code or a text."""

    at: datetime
    who: str
    """The person's identity as roles name it (``telegram:42``, ``slack:T1/U2``)."""
    who_name: str | None
    """Their display name, when the platform gives one."""
    chat: str
    platform: str
    account: str | None
    """The uSendit account acted on or with (its name only), if any."""
    action: AuditAction
    what: dict[str, str | int | bool]
    """The action's object: a campaign id, credits, a pack, a setting and its value..."""


@dataclass(frozen=True)
class AuditEntry(NewAuditEntry):
    """An entry of the audit log, as stored (never changed, never deleted)."""

    id: int
