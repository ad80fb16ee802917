"""Sending operations of the sandbox: SendMessages, GetPartnerEvents, GetSchedule, SmsCharCounter.

Rules chosen (documented, since the real service does not publish them):

- Each Sms is checked in order: Msisdn (see :mod:`bot.sandbox.numbers`),
  MessageText empty -> MESSAGE_TEXT_EMPTY, more than
  :data:`MAX_SEGMENTS` segments -> MESSAGE_TEXT_EXCEEDS_MAX_LENGTH, Sender,
  Priority outside 0..3 -> PRIORITY_INVALID, ExpirationDatetime not after
  now or not after ScheduleDatetime -> EXPIRATION_DATETIME_INVALID. Dates
  without an offset are Europe/Lisbon time. A nil ``<Sms>`` is MSISDN_EMPTY.
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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.context import Context, Operation
from bot.sandbox.gsm import Encoding, count
from bot.sandbox.numbers import check_msisdn, check_sender
from bot.sandbox.soap import Node, Params
from bot.sandbox.state import Event, MessageRecord, now_utc

PRIORITIES = range(4)
MAX_SEGMENTS = 6
"""The most segments one message may take; longer is MESSAGE_TEXT_EXCEEDS_MAX_LENGTH."""


def _provider_zone() -> ZoneInfo | None:
    try:
        return ZoneInfo("Europe/Lisbon")
    except ZoneInfoNotFoundError:  # pragma: no cover - system without tzdata
        return None


def _datetime(raw: str | None) -> datetime | None:
    if raw is None or not raw.strip():
        return None
    value = datetime.fromisoformat(raw.strip())
    if value.tzinfo is None:
        zone = _provider_zone()
        value = value.replace(tzinfo=zone) if zone else value.astimezone()
    return value


def _check_sms(sms: Params | None) -> tuple[str, int]:
    """The message's status and its segments."""
    if sms is None:
        return "MSISDN_EMPTY", 0
    status = check_msisdn(sms.text("Msisdn"))
    if status != "SCHEDULED":
        return status, 0
    text = sms.text("MessageText") or ""
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
    try:
        expiration = _datetime(sms.text("ExpirationDatetime"))
        schedule = _datetime(sms.text("ScheduleDatetime"))
    except ValueError:  # valid xs:dateTime that Python cannot read, e.g. 24:00:00
        return "EXPIRATION_DATETIME_INVALID", 0
    if expiration is not None and (
        expiration <= now_utc() or (schedule is not None and expiration <= schedule)
    ):
        return "EXPIRATION_DATETIME_INVALID", 0
    return "SCHEDULED", segments


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
    messages: list[MessageRecord] = []
    for sms in items:
        status, segments = _check_sms(sms)
        messages.append(
            MessageRecord(
                msg_id=0,
                partner_msg_id=sms.text("PartnerMsgId") if sms else None,
                msisdn=sms.text("Msisdn") if sms else None,
                status=status,
                number_sms=segments,
                sender=sms.text("Sender") if sms else None,
                text=sms.text("MessageText") if sms and status == "SCHEDULED" else None,
            )
        )
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
