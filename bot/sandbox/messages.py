"""Sending operations of the sandbox: SendMessages, GetPartnerEvents, GetSchedule, SmsCharCounter.

Rules chosen (documented, since the real service does not publish them):

- Each Sms is checked in order: Msisdn (see :mod:`bot.sandbox.numbers`),
  MessageText empty -> MESSAGE_TEXT_EMPTY, more than
  :data:`MAX_SEGMENTS` segments -> MESSAGE_TEXT_EXCEEDS_MAX_LENGTH, Sender,
  Priority outside 0..3 -> PRIORITY_INVALID, ExpirationDatetime not after
  now or not after ScheduleDatetime -> EXPIRATION_DATETIME_INVALID, then the
  delivery window (BeginTime, EndTime, WorkingDays) as :mod:`.delivery`
  rules it: a window that cannot open, or an expiration not after the
  moment the window lets the message go, is EXPIRATION_DATETIME_INVALID too.
  Dates without an offset are Europe/Lisbon time; "now" is the sandbox's
  clock. A nil ``<Sms>`` is MSISDN_EMPTY.
- Every message is recorded with what it carried (text, sender, schedule,
  expiration, window), rejected ones included, so that a test or a person
  sees what the sandbox was asked; an accepted one also with the moment it
  reaches its phone (:attr:`~.state.MessageRecord.deliver_at`).
- A call costs the sum of the accepted messages' segments, counted by the
  sandbox's own :func:`bot.sandbox.gsm.count` (never the bot's counter, which
  the sandbox is there to check). An event is recorded only when at
  least one message is accepted and the account can pay:
  INSUFFICIENT_CREDITS and SMS_LIST_ALL_RECIPIENTS_INVALID record nothing
  and answer EventId 0 (the latter still lists each message's status).
- Accepted messages get increasing MsgIds; rejected ones MsgId 0 and
  NumberSMS 0. The same partnerEventId may get any number of events: the
  sandbox, like the real service, does not deduplicate.
- A pending (unconfirmed) account gets USER_PENDING_SMS_CONFIRMATION_CODE on
  SendMessages and USER_NOT_ALLOWED on GetPartnerEvents and GetSchedule.
- SmsCharCounter: CharactersNumber is the text's length in Unicode code
  points (what the user typed); CharactersTotalNumber the septets (GSM-7)
  or UTF-16 units (UCS-2) it costs. A missing messageText is ERROR.
"""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.context import Context, Operation
from bot.sandbox.delivery import WINDOW_INVALID, Window, local_iso, parse_datetime
from bot.sandbox.gsm import Encoding, count
from bot.sandbox.numbers import check_msisdn, check_sender
from bot.sandbox.soap import Node, Params
from bot.sandbox.state import Event, MessageRecord

PRIORITIES = range(4)
MAX_SEGMENTS = 6
"""The most segments one message may take; longer is MESSAGE_TEXT_EXCEEDS_MAX_LENGTH."""


def _record(sms: Params | None, now: datetime) -> MessageRecord:
    """The message as the sandbox read it, with its status and, when accepted, its
    segments and delivery moment (its MsgId is given later, once the call is paid)."""
    if sms is None:
        return MessageRecord(0, None, None, "MSISDN_EMPTY", 0)
    record = MessageRecord(
        msg_id=0,
        partner_msg_id=sms.text("PartnerMsgId"),
        msisdn=sms.text("Msisdn"),
        status="SCHEDULED",
        number_sms=0,
        sender=sms.text("Sender"),
        text=sms.text("MessageText"),
        working_days=sms.boolean("WorkingDays"),
    )
    status, segments = _check(sms, record.text or "")
    try:
        expiration = parse_datetime(sms.text("ExpirationDatetime"))
        schedule = parse_datetime(sms.text("ScheduleDatetime"))
        window = Window.read(sms.text("BeginTime"), sms.text("EndTime"), record.working_days)
    except ValueError:  # valid xs:dateTime that Python cannot read, e.g. 24:00:00
        record.status = "EXPIRATION_DATETIME_INVALID" if status == "SCHEDULED" else status
        return record
    record.expiration = None if expiration is None else local_iso(expiration)
    record.schedule = None if schedule is None else local_iso(schedule)
    record.begin_time = None if window.begin is None else window.begin.isoformat()
    record.end_time = None if window.end is None else window.end.isoformat()
    if status != "SCHEDULED":
        record.status = status
        return record
    record.status, deliver = _timing(expiration, schedule, window, now)
    if record.status == "SCHEDULED":
        record.number_sms = segments
        if deliver > now:
            record.deliver_at = local_iso(deliver)
    return record


def _check(sms: Params, text: str) -> tuple[str, int]:
    """The status of what comes before the dates (number, text, sender, priority) and
    the segments the text takes."""
    status = check_msisdn(sms.text("Msisdn"))
    if status != "SCHEDULED":
        return status, 0
    if not text:
        return "MESSAGE_TEXT_EMPTY", 0
    segments = count(text).segments
    if segments > MAX_SEGMENTS:
        return "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH", 0
    sender_status = check_sender(sms.text("Sender"))
    if sender_status is not None:
        return sender_status, 0
    if sms.integer("Priority") not in PRIORITIES:
        return "PRIORITY_INVALID", 0
    return "SCHEDULED", segments


def _timing(
    expiration: datetime | None, schedule: datetime | None, window: Window, now: datetime
) -> tuple[str, datetime]:
    """The status the dates give and the moment the message would reach its phone."""
    if window.status is not None:
        return window.status, now
    if expiration is not None and (
        expiration <= now or (schedule is not None and expiration <= schedule)
    ):
        return "EXPIRATION_DATETIME_INVALID", now
    deliver = window.first_delivery(now if schedule is None else max(now, schedule))
    if expiration is not None and expiration <= deliver:
        return WINDOW_INVALID, now
    return "SCHEDULED", deliver


def _scheduled_list(messages: list[MessageRecord]) -> list[Node]:
    return [
        (
            "SmsScheduled",
            [
                ("MsgId", m.msg_id),
                ("PartnerMsgId", m.partner_msg_id),
                ("Msisdn", m.msisdn),
                ("ScheduleMessageStatus", m.status),
                ("NumberSMS", m.number_sms),
            ],
        )
        for m in messages
    ]


def _schedule_result(
    status: str,
    partner_event_id: str | None,
    *,
    event: Event | None = None,
    messages: list[MessageRecord] | None = None,
    recipients: int = 0,
) -> list[Node]:
    shown = event.messages if event is not None else messages
    accepted = sum(1 for m in shown or [] if m.status == "SCHEDULED")
    return [
        ("ScheduleStatus", status),
        ("ScheduleMessage", _message(status)),
        ("EventId", event.event_id if event else 0),
        ("PartnerEventId", partner_event_id),
        ("TotalScheduledSMS", event.total_sms if event else 0),
        ("TotalRecipients", event.recipients if event else recipients),
        ("AcceptedRecipients", accepted),
        ("RejectedRecipients", len(shown) - accepted if shown else 0),
        ("SmsScheduledList", None if shown is None else _scheduled_list(shown)),
        ("CreditsSpent", event.credits_spent if event else 0),
    ]


def send_messages(ctx: Context, p: Params) -> list[Node]:
    partner_event_id = p.text("partnerEventId")
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    if account is None:
        return _schedule_result("USER_UNKNOWN", partner_event_id)
    if not account.confirmed:
        return _schedule_result("USER_PENDING_SMS_CONFIRMATION_CODE", partner_event_id)
    sms_list = p.child("smsList")
    items = sms_list.children("Sms") if sms_list is not None else []
    if not items:
        return _schedule_result("SMS_LIST_EMPTY", partner_event_id)
    if len(items) > ctx.max_sms:
        return _schedule_result(
            "SMS_LIST_EXCEEDS_MAX_LENGTH", partner_event_id, recipients=len(items)
        )
    now = ctx.state.clock.now()
    messages = [_record(sms, now) for sms in items]
    accepted = [m for m in messages if m.status == "SCHEDULED"]
    if not accepted:
        return _schedule_result(
            "SMS_LIST_ALL_RECIPIENTS_INVALID",
            partner_event_id,
            messages=messages,
            recipients=len(items),
        )
    cost = sum(m.number_sms for m in accepted)
    if cost > account.credits:
        return _schedule_result("INSUFFICIENT_CREDITS", partner_event_id, recipients=len(items))
    account.credits -= cost
    for message in accepted:
        message.msg_id = ctx.state.new_msg_id()
    event = Event(
        event_id=ctx.state.new_event_id(),
        partner_event_id=partner_event_id,
        username=account.username,
        status="SCHEDULE_OK" if len(accepted) == len(messages) else "SCHEDULE_OK_WARNING",
        recipients=len(messages),
        accepted=len(accepted),
        rejected=len(messages) - len(accepted),
        total_sms=cost,
        credits_spent=cost,
        messages=messages,
        created_at=now.isoformat(timespec="seconds"),
    )
    ctx.state.events.append(event)
    return _schedule_result(event.status, partner_event_id, event=event)


def get_partner_events(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    partner_event_id = p.text("partnerEventId") or ""
    events: list[Node] | None = None
    if account is None:
        status = "USER_UNKNOWN"
    elif not account.confirmed:
        status = "USER_NOT_ALLOWED"
    else:
        status = "SUCCESS"
        events = [
            ("PartnerEvent", [("PartnerEventId", partner), ("EventId", event_id)])
            for partner, event_id in ctx.state.events.by_partner(account.username, partner_event_id)
        ]
    return [
        ("PartnerEventsStatus", status),
        ("ScheduleMessage", _message(status)),
        ("PartnerEvents", events),
    ]


def get_schedule(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    event_id = p.integer("eventId") or 0
    if account is None:
        fields = _schedule_result("USER_UNKNOWN", None)
    elif not account.confirmed:
        fields = _schedule_result("USER_NOT_ALLOWED", None)
    else:
        event = ctx.state.find_event(account.username, event_id)
        if event is None:
            fields = _schedule_result("SCHEDULE_UNKNOWN", None)
            fields[2] = ("EventId", event_id)
        else:
            fields = _schedule_result(event.status, event.partner_event_id, event=event)
    # GetScheduleResult puts CreditsSpent before SmsScheduledList.
    return [*fields[:8], fields[9], fields[8]]


def sms_char_counter(ctx: Context, p: Params) -> list[Node]:
    text = p.text("messageText")
    if text is None:
        return [
            ("CharactersCountStatus", "ERROR"),
            ("CharactersCountMessage", "messageText is missing"),
            ("CharactersNumber", 0),
            ("CharactersTotalNumber", 0),
            ("Encoding", Encoding.GSM7.value),
            ("SegmentsNumber", 0),
        ]
    counted = count(text)
    return [
        ("CharactersCountStatus", "SUCCESS"),
        ("CharactersCountMessage", "Success"),
        ("CharactersNumber", counted.characters),
        ("CharactersTotalNumber", counted.units),
        ("Encoding", counted.encoding.value),
        ("SegmentsNumber", counted.segments),
    ]


def _message(status: str) -> str:
    if status in ("SUCCESS", "SCHEDULE_OK"):
        return "Success"
    return status.replace("_", " ").capitalize()


OPERATIONS: dict[str, Operation] = {
    "SendMessages": send_messages,
    "GetPartnerEvents": get_partner_events,
    "GetSchedule": get_schedule,
    "SmsCharCounter": sms_char_counter,
}
