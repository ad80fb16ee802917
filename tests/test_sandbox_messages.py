"""SendMessages, GetPartnerEvents, GetSchedule and SmsCharCounter: real rules, real money."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from conftest import SoapCaller, sms

from bot.sandbox import SandboxServer
from bot.sandbox.state import FIRST_EVENT_ID, FIRST_MSG_ID

DEMO = {"username": "demo", "password": "demo"}
FUTURE = (datetime.now(UTC) + timedelta(days=2)).isoformat()
LATER = (datetime.now(UTC) + timedelta(days=3)).isoformat()
PAST = (datetime.now(UTC) - timedelta(days=1)).isoformat()


async def send(soap: Any, items: list[Any], partner: str = "p-1", **auth: str) -> Any:
    return await soap.call(
        "SendMessages", **(auth or DEMO), partnerEventId=partner, smsList={"Sms": items}
    )


@pytest.mark.parametrize(
    ("item", "status", "segments"),
    [
        (sms(), "SCHEDULED", 1),
        (sms("912345678"), "SCHEDULED", 1),
        (sms("258841234567"), "SCHEDULED", 1),
        (sms("34612345678"), "SCHEDULED", 1),
        (sms(text="a" * 161), "SCHEDULED", 2),
        (sms(text="ã" * 71), "SCHEDULED", 2),
        (sms(text="a" * 918), "SCHEDULED", 6),
        (sms(Sender="Loja Ana 11"), "SCHEDULED", 1),
        (sms(Sender="1" * 16), "SCHEDULED", 1),
        (sms(ExpirationDatetime=LATER, ScheduleDatetime=FUTURE), "SCHEDULED", 1),
        (sms(ExpirationDatetime="2099-01-01T10:00:00"), "SCHEDULED", 1),
        (sms(None), "MSISDN_EMPTY", 0),
        (sms(""), "MSISDN_EMPTY", 0),
        (sms("3519123456789012"), "MSISDN_EXCEEDS_MAX_LENGTH", 0),
        (sms("+351912345678"), "MSISDN_INVALID", 0),
        (sms("35191234"), "MSISDN_INVALID", 0),
        (sms("812345678"), "MSISDN_INVALID", 0),
        (sms("3519123456"), "MSISDN_INVALID", 0),
        (sms("351212345678"), "MSISDN_MOBILE_OPERATOR_UNKNOWN", 0),
        (sms("258211234567"), "MSISDN_MOBILE_OPERATOR_UNKNOWN", 0),
        (sms("447911123456"), "MSISDN_INVALID_ROUTE", 0),
        (sms(text=""), "MESSAGE_TEXT_EMPTY", 0),
        (sms(text=None), "MESSAGE_TEXT_EMPTY", 0),
        (sms(text="a" * 919), "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH", 0),
        (sms(Sender="Loja-Ana"), "SENDER_NOT_ALLOWED", 0),
        (sms(Sender="Loja Ana 123"), "SENDER_EXCEEDS_MAX_LENGTH", 0),
        (sms(Sender="1" * 17), "SENDER_EXCEEDS_MAX_LENGTH", 0),
        (sms(Priority=7), "PRIORITY_INVALID", 0),
        (sms(Priority=-1), "PRIORITY_INVALID", 0),
        (sms(ExpirationDatetime=PAST), "EXPIRATION_DATETIME_INVALID", 0),
        (
            sms(ExpirationDatetime=FUTURE, ScheduleDatetime=LATER),
            "EXPIRATION_DATETIME_INVALID",
            0,
        ),
    ],
)
async def test_message_statuses(soap: Any, item: Any, status: str, segments: int) -> None:
    answer = await send(soap, [sms(PartnerMsgId="ok"), {**item, "PartnerMsgId": "x"}])
    (_, checked) = answer.all("SmsScheduledList/SmsScheduled")
    got = {el.tag.split("}")[1]: el.text for el in checked}
    assert got["ScheduleMessageStatus"] == status
    assert got["NumberSMS"] == str(segments)
    assert got["PartnerMsgId"] == "x"
    expected = "SCHEDULE_OK" if status == "SCHEDULED" else "SCHEDULE_OK_WARNING"
    assert answer["ScheduleStatus"] == expected
    assert answer["CreditsSpent"] == str(1 + segments)
    assert answer["AcceptedRecipients"] == ("2" if status == "SCHEDULED" else "1")


async def test_send_records_event_and_charges(soap: Any) -> None:
    items = [
        sms("351911111111", "€" * 80, PartnerMsgId="m1"),  # 160 septets: 1
        sms("351922222222", "ã" * 71, PartnerMsgId="m2"),  # 2
        sms("351212345678", "x", PartnerMsgId="m3"),  # rejected
    ]
    answer = await send(soap, items, "camp-1")
    assert answer["ScheduleStatus"] == "SCHEDULE_OK_WARNING"
    assert answer["EventId"] == str(FIRST_EVENT_ID)
    assert answer["PartnerEventId"] == "camp-1"
    assert answer["TotalScheduledSMS"] == "3"
    assert (answer["TotalRecipients"], answer["AcceptedRecipients"]) == ("3", "2")
    assert answer["RejectedRecipients"] == "1"
    assert answer["CreditsSpent"] == "3"
    ids = [el.text for el in answer.all("SmsScheduledList/SmsScheduled/MsgId")]
    assert ids == [str(FIRST_MSG_ID), str(FIRST_MSG_ID + 1), "0"]
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "497"

    schedule = await soap.call("GetSchedule", **DEMO, eventId=FIRST_EVENT_ID)
    assert schedule["ScheduleStatus"] == "SCHEDULE_OK_WARNING"
    assert schedule["CreditsSpent"] == "3"
    assert len(schedule.all("SmsScheduledList/SmsScheduled")) == 3

    (event,) = (await soap.state())["events"]
    assert event["partner_event_id"] == "camp-1"
    assert (event["accepted"], event["rejected"], event["credits_spent"]) == (2, 1, 3)
    assert event["username"] == "demo"


async def test_same_partner_event_id_is_not_deduplicated(soap: Any) -> None:
    first = await send(soap, [sms()], "dup")
    second = await send(soap, [sms()], "dup")
    await send(soap, [sms()], "other")
    assert (first["EventId"], second["EventId"]) == (str(FIRST_EVENT_ID), str(FIRST_EVENT_ID + 1))
    events = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="dup")
    assert events["PartnerEventsStatus"] == "SUCCESS"
    assert [el.text for el in events.all("PartnerEvents/PartnerEvent/EventId")] == [
        str(FIRST_EVENT_ID),
        str(FIRST_EVENT_ID + 1),
    ]
    none = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="never")
    assert none["PartnerEventsStatus"] == "SUCCESS"
    assert none.all("PartnerEvents/PartnerEvent") == []


async def test_send_list_statuses() -> None:
    async with (
        SandboxServer(accounts=["poor:pw:1", "ana:pw:10"], max_sms=3) as server,
        httpx.AsyncClient() as client,
    ):
        soap = SoapCaller(server, client)
        await soap.load()
        poor = {"username": "poor", "password": "pw"}
        empty = await soap.call("SendMessages", **poor, partnerEventId="p")
        assert empty["ScheduleStatus"] == "SMS_LIST_EMPTY"
        empty = await send(soap, [], **poor)
        assert empty["ScheduleStatus"] == "SMS_LIST_EMPTY"
        many = await send(soap, [sms()] * 4, **poor)
        assert many["ScheduleStatus"] == "SMS_LIST_EXCEEDS_MAX_LENGTH"
        broke = await send(soap, [sms(), sms("351933333333")], **poor)
        assert broke["ScheduleStatus"] == "INSUFFICIENT_CREDITS"
        assert broke["EventId"] == "0"
        invalid = await send(soap, [sms("1"), sms(text="")], **poor)
        assert invalid["ScheduleStatus"] == "SMS_LIST_ALL_RECIPIENTS_INVALID"
        assert invalid["EventId"] == "0"
        statuses = invalid.all("SmsScheduledList/SmsScheduled/ScheduleMessageStatus")
        assert [s.text for s in statuses] == ["MSISDN_INVALID", "MESSAGE_TEXT_EMPTY"]
        ok = await send(soap, [sms()], **poor)
        assert ok["ScheduleStatus"] == "SCHEDULE_OK"
        assert server.state.accounts["poor"].credits == 0
        assert len(server.state.events) == 1
        # ana cannot see poor's event
        ana = {"username": "ana", "password": "pw"}
        other = await soap.call("GetSchedule", **ana, eventId=FIRST_EVENT_ID)
        assert other["ScheduleStatus"] == "SCHEDULE_UNKNOWN"
        unknown = await send(soap, [sms()], username="ana", password="x")
        assert unknown["ScheduleStatus"] == "USER_UNKNOWN"


async def test_pending_and_unknown_users(soap: Any) -> None:
    soap.server.state.accounts["demo"].confirmed = False
    answer = await send(soap, [sms()])
    assert answer["ScheduleStatus"] == "USER_PENDING_SMS_CONFIRMATION_CODE"
    events = await soap.call("GetPartnerEvents", **DEMO, partnerEventId="p")
    assert events["PartnerEventsStatus"] == "USER_NOT_ALLOWED"
    schedule = await soap.call("GetSchedule", **DEMO, eventId=FIRST_EVENT_ID)
    assert schedule["ScheduleStatus"] == "USER_NOT_ALLOWED"
    wrong = {"username": "demo", "password": "x"}
    events = await soap.call("GetPartnerEvents", **wrong, partnerEventId="p")
    assert events["PartnerEventsStatus"] == "USER_UNKNOWN"
    schedule = await soap.call("GetSchedule", **wrong, eventId=FIRST_EVENT_ID)
    assert schedule["ScheduleStatus"] == "USER_UNKNOWN"
    soap.server.state.accounts["demo"].confirmed = True
    schedule = await soap.call("GetSchedule", **DEMO, eventId=42)
    assert (schedule["ScheduleStatus"], schedule["EventId"]) == ("SCHEDULE_UNKNOWN", "42")


@pytest.mark.parametrize(
    ("text", "chars", "units", "encoding", "segments"),
    [
        ("", 0, 0, "GSM7", 0),
        ("Olá", 3, 3, "UCS2", 1),
        ("Ola €", 5, 6, "GSM7", 1),
        ("a" * 161, 161, 161, "GSM7", 2),
        ("\U0001f600" * 35, 35, 70, "UCS2", 1),
    ],
)
async def test_sms_char_counter(
    soap: Any, text: str, chars: int, units: int, encoding: str, segments: int
) -> None:
    answer = await soap.call("SmsCharCounter", messageText=text)
    assert answer["CharactersCountStatus"] == "SUCCESS"
    assert answer["CharactersNumber"] == str(chars)
    assert answer["CharactersTotalNumber"] == str(units)
    assert answer["Encoding"] == encoding
    assert answer["SegmentsNumber"] == str(segments)


async def test_sms_char_counter_without_text(soap: Any) -> None:
    answer = await soap.call("SmsCharCounter")
    assert answer["CharactersCountStatus"] == "ERROR"
