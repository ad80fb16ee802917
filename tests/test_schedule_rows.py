"""An answer's thousand ``SmsScheduled`` are checked as plain tuples, not as a model each.

The authority is the model each row was before: a pydantic model of the five leaves
(by element name, extra leaves ignored, the two optional ones ``None`` when absent).
Any ``SmsScheduledList`` zeep could hand over, and many it never would, is accepted
by both or refused by both with the same problems at the same rows, and reads the same.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.usendit.models import GetScheduleResult, ScheduleResult, _unwrap
from bot.usendit.statuses import ScheduleMessageStatus


class _RowModel(BaseModel):
    """``SmsScheduled`` as it was validated before: a model a row."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")
    msg_id: int = Field(alias="MsgId")
    partner_msg_id: str | None = Field(default=None, alias="PartnerMsgId")
    msisdn: str | None = Field(default=None, alias="Msisdn")
    status: ScheduleMessageStatus = Field(alias="ScheduleMessageStatus")
    number_sms: int = Field(alias="NumberSMS")


class _OldMessages(BaseModel):
    """The list as it was checked: unwrapped, then a model a row."""

    messages: list[_RowModel] = Field(default_factory=list, alias="SmsScheduledList")

    @field_validator("messages", mode="before")
    @classmethod
    def _messages(cls, value: Any) -> Any:
        return _unwrap(value, "SmsScheduled")


_LEAVES = ("MsgId", "PartnerMsgId", "Msisdn", "ScheduleMessageStatus", "NumberSMS")
_values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["9", " 7", "-5", "+7", "1_0", "٣", "", "1.0", "x", "SCHEDULED"]),
    st.sampled_from([s.value for s in ScheduleMessageStatus]),
    st.text(max_size=6),
    st.floats(allow_nan=False),
    st.booleans(),
    st.just([1]),
)
_row = st.one_of(
    st.dictionaries(st.sampled_from([*_LEAVES, "Surprise"]), _values, max_size=7),
    st.fixed_dictionaries(
        {
            "MsgId": st.integers(min_value=0, max_value=2**63),
            "PartnerMsgId": st.one_of(st.none(), st.text(max_size=8)),
            "Msisdn": st.one_of(st.none(), st.text(max_size=8)),
            "ScheduleMessageStatus": st.sampled_from([s.value for s in ScheduleMessageStatus]),
            "NumberSMS": st.integers(min_value=0, max_value=9),
        }
    ),
    st.sampled_from([None, "row", 5, [1, 2, 3, 4, 5], (1, "p", "m", "SCHEDULED", 1)]),
    st.fixed_dictionaries(
        {"msg_id": st.integers(0, 9), "status": st.just("SCHEDULED"), "number_sms": st.just(1)},
        optional={"msisdn": st.text(max_size=3), "MsgId": st.integers(0, 9)},
    ),
)


def _answer(rows: Any) -> dict[str, Any]:
    return {
        "ScheduleStatus": "SCHEDULE_OK",
        "EventId": 1,
        "TotalScheduledSMS": 1,
        "TotalRecipients": 1,
        "AcceptedRecipients": 1,
        "RejectedRecipients": 0,
        "CreditsSpent": 1,
        "SmsScheduledList": rows,
    }


def _oracle(rows: Any) -> list[tuple[Any, ...]] | list[tuple[str, tuple[Any, ...]]]:
    """The rows as the old models read them, or the problems they found (kind, place)."""
    try:
        checked = _OldMessages.model_validate({"SmsScheduledList": rows})
    except ValidationError as exc:
        return [(error["type"], error["loc"]) for error in exc.errors()]
    return [
        (m.msg_id, m.partner_msg_id, m.msisdn, m.status, m.number_sms) for m in checked.messages
    ]


@settings(max_examples=400, deadline=None)
@given(
    rows=st.one_of(
        st.builds(lambda rows: {"SmsScheduled": rows}, st.lists(_row, max_size=4)),
        st.builds(lambda rows: {"SmsScheduled": tuple(rows)}, st.lists(_row, max_size=3)),
        st.sampled_from([None, {}, {"SmsScheduled": None}, "text", 5, {"SmsScheduled": ()}]),
    )
)
@example(
    rows={"SmsScheduled": [{"MsgId": 1, "ScheduleMessageStatus": "SCHEDULED", "NumberSMS": 2}]}
)
@example(rows={"SmsScheduled": [{"MsgId": "12", "ScheduleMessageStatus": "X", "NumberSMS": 1}]})
@example(rows={"SmsScheduled": [[1, "p", "m", "SCHEDULED", 1]]})
@example(rows={"SmsScheduled": [{"MsgId": 1, "ScheduleMessageStatus": "SCHEDULED"}]})
@example(rows={"SmsScheduled": [None, {"MsgId": 1, "ScheduleMessageStatus": "BOGUS"}]})
@example(rows={"SmsScheduled": [1, 1]})
def test_the_rows_are_checked_as_a_model_of_each_would_check_them(rows: Any) -> None:
    expected = _oracle(rows)
    for model in (ScheduleResult, GetScheduleResult):
        # The same rows, or the same problems at the same rows: a MalformedResponse
        # counts them.
        assert _read(model, rows) == expected


def _read(
    model: type[ScheduleResult | GetScheduleResult], rows: Any
) -> list[tuple[Any, ...]] | list[tuple[str, tuple[Any, ...]]]:
    try:
        read = model.model_validate(_answer(rows))
    except ValidationError as exc:
        return [(error["type"], error["loc"]) for error in exc.errors()]
    assert all(type(m.status) is ScheduleMessageStatus for m in read.messages)
    return [tuple(m) for m in read.messages]
