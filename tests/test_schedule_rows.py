"""An answer's thousand ``SmsScheduled`` are checked as plain tuples, not as a model each.

The authority is the model each row was before: a pydantic model of the five leaves
(by element name, extra leaves ignored, the two optional ones ``None`` when absent).
Any ``SmsScheduledList`` zeep could hand over, and many it never would, is accepted
by both or refused by both, and reads the same.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.usendit.models import GetScheduleResult, ScheduleResult
from bot.usendit.statuses import ScheduleMessageStatus


class _RowModel(BaseModel):
    """``SmsScheduled`` as it was validated before: a model a row."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")
    msg_id: int = Field(alias="MsgId")
    partner_msg_id: str | None = Field(default=None, alias="PartnerMsgId")
    msisdn: str | None = Field(default=None, alias="Msisdn")
    status: ScheduleMessageStatus = Field(alias="ScheduleMessageStatus")
    number_sms: int = Field(alias="NumberSMS")


class _Oracle(BaseModel):
    messages: list[_RowModel]


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


def _oracle(rows: Any) -> list[tuple[Any, ...]] | None:
    inner = rows.get("SmsScheduled") if isinstance(rows, dict) else rows
    if rows is None or inner is None:
        inner = []
    try:
        checked = _Oracle.model_validate({"messages": inner})
    except ValidationError:
        return None
    return [
        (m.msg_id, m.partner_msg_id, m.msisdn, m.status, m.number_sms) for m in checked.messages
    ]


@settings(max_examples=400, deadline=None)
@given(
    rows=st.one_of(
        st.builds(lambda rows: {"SmsScheduled": rows}, st.lists(_row, max_size=4)),
        st.sampled_from([None, {}, {"SmsScheduled": None}, "text", 5]),
    )
)
@example(
    rows={"SmsScheduled": [{"MsgId": 1, "ScheduleMessageStatus": "SCHEDULED", "NumberSMS": 2}]}
)
@example(rows={"SmsScheduled": [{"MsgId": "12", "ScheduleMessageStatus": "X", "NumberSMS": 1}]})
@example(rows={"SmsScheduled": [[1, "p", "m", "SCHEDULED", 1]]})
@example(rows={"SmsScheduled": [{"MsgId": 1, "ScheduleMessageStatus": "SCHEDULED"}]})
def test_the_rows_are_checked_as_a_model_of_each_would_check_them(rows: Any) -> None:
    expected = _oracle(rows)
    for model in (ScheduleResult, GetScheduleResult):
        try:
            read = model.model_validate(_answer(rows))
        except ValidationError:
            assert expected is None, f"{model.__name__} refused rows a model takes"
            continue
        assert expected is not None, f"{model.__name__} took rows a model refuses"
        assert [tuple(m) for m in read.messages] == expected
        assert all(type(m.status) is ScheduleMessageStatus for m in read.messages)
