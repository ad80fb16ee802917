"""Typed values going to and coming from uSendit.

Field aliases are the SOAP element names, so a model validates straight from
what zeep parsed and dumps (``by_alias=True``) straight into a request.
Pythonic names are what the rest of the code uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetPydanticSchema,
    TypeAdapter,
    ValidationError,
    WrapValidator,
    field_validator,
)

from bot.usendit.statuses import (
    AuthenticateResultStatus,
    BuyCreditsStatus,
    BuyCreditsWithPromotionalCodeStatus,
    CharactersCountStatus,
    ConfirmAccountStatus,
    Country,
    CreateAccountStatus,
    GetCreditPacksStatus,
    GetCreditsStatus,
    GetPartnerEventsStatus,
    GetScheduleStatus,
    HowDidYouMeetUs,
    MsgEncoding,
    ResendConfirmationCodeStatus,
    ScheduleMessageStatus,
    ScheduleStatus,
)

# Everything XML 1.0 cannot carry (its Char production): NUL and the other C0
# controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF. lxml refuses
# to serialise these, so no SOAP request can hold them.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def has_illegal_characters(text: str) -> bool:
    """Whether ``text`` has a character no request to uSendit can carry."""
    return _XML_ILLEGAL.search(text) is not None


def illegal_characters(text: str) -> tuple[str, ...]:
    """The characters of ``text`` no request to uSendit can carry, each once, in order."""
    return tuple(dict.fromkeys(_XML_ILLEGAL.findall(text)))


def code_points(characters: Iterable[str]) -> str:
    """Characters as code points (``U+0000, U+000B``): readable in any language."""
    return ", ".join(f"U+{ord(c):04X}" for c in characters)


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")


def _unwrap(value: Any, item: str) -> Any:
    """ASMX wraps arrays (``<Packs><Pack/>...</Packs>``); absent means empty."""
    if value is None:
        return []
    if isinstance(value, dict):
        inner = value.get(item)
        return [] if inner is None else inner
    return value


# --- inputs -----------------------------------------------------------------


class Sms(_Model):
    """One message of a SendMessages request.

    Times are timezone-aware here; the client converts them to the provider's
    local time, which is what uSendit expects.
    """

    partner_msg_id: str | None = Field(default=None, alias="PartnerMsgId")
    sender: str | None = Field(default=None, alias="Sender")
    msisdn: str = Field(alias="Msisdn")
    mobile_operator: int | None = Field(default=None, alias="MobileOperator")
    expiration: AwareDatetime | None = Field(default=None, alias="ExpirationDatetime")
    priority: int = Field(default=1, alias="Priority")
    text: str = Field(alias="MessageText")
    schedule: AwareDatetime | None = Field(default=None, alias="ScheduleDatetime")
    begin_time: AwareDatetime | None = Field(default=None, alias="BeginTime")
    end_time: AwareDatetime | None = Field(default=None, alias="EndTime")
    working_days: bool = Field(default=False, alias="WorkingDays")
    is_flash: bool = Field(default=False, alias="IsFlash")


@dataclass(frozen=True)
class SmsBatch:
    """The Sms of one request that differ only in id, number and text (a campaign's
    part): what they share is given once, validated once, as an :class:`Sms`
    (``shared``, whose id, number and text are ignored), and each message is a
    ``(partner_msg_id, msisdn, text)`` triple. A part of 1000 then costs no model
    per message (:meth:`~bot.usendit.client.UsenditClient.send_batch`)."""

    shared: Sms
    each: Sequence[tuple[str, str, str]]


class NewAccount(_Model):
    account_name: str = Field(alias="AccountName")
    username: str = Field(alias="Username")
    password: str = Field(alias="Password", repr=False)
    email: str = Field(alias="Email")
    country: Country = Field(default=Country.PT, alias="Country")
    msisdn: str = Field(alias="Msisdn")
    how_did_you_find_us: HowDidYouMeetUs = Field(
        default=HowDidYouMeetUs.OTHER, alias="HowDidYouFindUs"
    )
    allow_marketing_campaigns: bool = Field(default=False, alias="AllowMarketingCampaigns")


class InvoiceInfo(_Model):
    name: str = Field(alias="Name")
    address: str = Field(alias="Address")
    tax_identification_number: str = Field(alias="TaxIdentificationNumber")
    country: str = Field(alias="Country")
    city: str = Field(alias="City")
    zip_code: str = Field(alias="ZipCode")
    email: str = Field(alias="Email")


# --- results ----------------------------------------------------------------


class AuthenticateResult(_Model):
    status: AuthenticateResultStatus = Field(alias="AuthenticateResultStatus")
    message: str | None = Field(default=None, alias="AuthenticateResultMessage")
    user_credits: int = Field(alias="UserCredits")


class CreditsResult(_Model):
    status: GetCreditsStatus = Field(alias="GetCreditsStatus")
    message: str | None = Field(default=None, alias="GetCreditsMessage")
    credits: int = Field(alias="Credits")


class Pack(_Model):
    id: int = Field(alias="Id")
    description: str | None = Field(default=None, alias="Description")
    credits: int = Field(alias="Credits")
    price: Decimal = Field(alias="Price")
    tax_percentage: Decimal = Field(alias="TaxPercentage")


class CreditPacksResult(_Model):
    status: GetCreditPacksStatus = Field(alias="GetCreditPacksStatus")
    message: str | None = Field(default=None, alias="GetCreditPacksMessage")
    packs: list[Pack] = Field(default_factory=list, alias="Packs")
    account_name: str | None = Field(default=None, alias="AccountName")

    @field_validator("packs", mode="before")
    @classmethod
    def _packs(cls, value: Any) -> Any:
        return _unwrap(value, "Pack")


class _PaymentData(_Model):
    entity: str | None = Field(default=None, alias="Entity")
    payment_reference: str | None = Field(default=None, alias="PaymentReference")
    amount: str | None = Field(default=None, alias="Amount")
    credit_card_link: str | None = Field(default=None, alias="CreditCardLink")
    account_name: str | None = Field(default=None, alias="AccountName")


class BuyCreditsResult(_PaymentData):
    status: BuyCreditsStatus = Field(alias="BuyCreditsStatus")
    message: str | None = Field(default=None, alias="BuyCreditsMessage")


class PromotionalBuyCreditsResult(_PaymentData):
    status: BuyCreditsWithPromotionalCodeStatus = Field(alias="BuyCreditsWithPromotionalCodeStatus")
    message: str | None = Field(default=None, alias="BuyCreditsWithPromotionalCodeMessage")


class SmsScheduled(NamedTuple):
    """One number's line of a SendMessages or GetSchedule answer.

    A tuple, not a model: an answer holds a thousand of them, and validating them as
    plain tuples (:data:`_SCHEDULED_ROWS`) costs a fifth of as many models.
    """

    msg_id: int
    partner_msg_id: str | None
    msisdn: str | None
    status: ScheduleMessageStatus
    number_sms: int


class _SmsScheduledRow(_Model):
    """How a row is checked where the plain tuples cannot be: as it always was."""

    msg_id: int = Field(alias="MsgId")
    partner_msg_id: str | None = Field(default=None, alias="PartnerMsgId")
    msisdn: str | None = Field(default=None, alias="Msisdn")
    status: ScheduleMessageStatus = Field(alias="ScheduleMessageStatus")
    number_sms: int = Field(alias="NumberSMS")


_SCHEDULED_ROWS: TypeAdapter[
    tuple[tuple[int, str | None, str | None, ScheduleMessageStatus, int], ...]
] = TypeAdapter(tuple[tuple[int, str | None, str | None, ScheduleMessageStatus, int], ...])
_scheduled_leaves = itemgetter(
    "MsgId", "PartnerMsgId", "Msisdn", "ScheduleMessageStatus", "NumberSMS"
)


def _scheduled(
    value: Any, models: Callable[[Any], list[_SmsScheduledRow]]
) -> tuple[SmsScheduled, ...]:
    """``SmsScheduledList`` as zeep serialises it (``{"SmsScheduled": [row...]}``): rows
    that are dicts of every leaf by element name are checked as plain tuples; any other
    value is checked by ``models``, a :class:`_SmsScheduledRow` a row, which accepts,
    refuses and reports (each problem at its row) as that model always did."""
    rows = _unwrap(value, "SmsScheduled")
    if type(rows) is list and set(map(type, rows)) <= {dict}:
        try:
            return tuple(
                map(
                    SmsScheduled._make,
                    _SCHEDULED_ROWS.validate_python(list(map(_scheduled_leaves, rows))),
                )
            )
        except (KeyError, ValidationError):
            pass  # a leaf left out, or a value refused: the models say which and where
    return tuple(
        SmsScheduled(row.msg_id, row.partner_msg_id, row.msisdn, row.status, row.number_sms)
        for row in models(rows)
    )


class _ScheduleData(_Model):
    message: str | None = Field(default=None, alias="ScheduleMessage")
    event_id: int = Field(alias="EventId")
    partner_event_id: str | None = Field(default=None, alias="PartnerEventId")
    total_scheduled_sms: int = Field(alias="TotalScheduledSMS")
    total_recipients: int = Field(alias="TotalRecipients")
    accepted_recipients: int = Field(alias="AcceptedRecipients")
    rejected_recipients: int = Field(alias="RejectedRecipients")
    messages: Annotated[
        tuple[SmsScheduled, ...],
        GetPydanticSchema(lambda _type, schema: schema(list[_SmsScheduledRow])),
        WrapValidator(_scheduled),
    ] = Field(default=(), alias="SmsScheduledList")
    credits_spent: int = Field(alias="CreditsSpent")


class ScheduleResult(_ScheduleData):
    """What SendMessages answers."""

    status: ScheduleStatus = Field(alias="ScheduleStatus")

    @property
    def scheduled(self) -> bool:
        """Whether uSendit took the send (possibly with some recipients rejected)."""
        return self.status in (ScheduleStatus.SCHEDULE_OK, ScheduleStatus.SCHEDULE_OK_WARNING)


class GetScheduleResult(_ScheduleData):
    """What GetSchedule answers about one event."""

    status: GetScheduleStatus = Field(alias="ScheduleStatus")

    @property
    def found(self) -> bool:
        return self.status in (GetScheduleStatus.SCHEDULE_OK, GetScheduleStatus.SCHEDULE_OK_WARNING)


class PartnerEvent(_Model):
    partner_event_id: str | None = Field(default=None, alias="PartnerEventId")
    event_id: int = Field(alias="EventId")


class PartnerEventsResult(_Model):
    status: GetPartnerEventsStatus = Field(alias="PartnerEventsStatus")
    message: str | None = Field(default=None, alias="ScheduleMessage")
    events: list[PartnerEvent] = Field(default_factory=list, alias="PartnerEvents")

    @field_validator("events", mode="before")
    @classmethod
    def _events(cls, value: Any) -> Any:
        return _unwrap(value, "PartnerEvent")


class CharactersCountResult(_Model):
    status: CharactersCountStatus = Field(alias="CharactersCountStatus")
    message: str | None = Field(default=None, alias="CharactersCountMessage")
    characters: int = Field(alias="CharactersNumber")
    total_characters: int = Field(alias="CharactersTotalNumber")
    encoding: MsgEncoding = Field(alias="Encoding")
    segments: int = Field(alias="SegmentsNumber")


class CreateAccountResult(_Model):
    status: CreateAccountStatus = Field(alias="CreateAccountStatus")
    message: str | None = Field(default=None, alias="CreateAccountMessage")
    verification_key: str | None = Field(default=None, alias="VerificationKey")


class ConfirmAccountResult(_Model):
    status: ConfirmAccountStatus = Field(alias="ConfirmAccountStatus")
    message: str | None = Field(default=None, alias="ConfirmAccountMessage")


class ResendConfirmationCodeResult(_Model):
    status: ResendConfirmationCodeStatus = Field(alias="ResendConfirmationCodeStatus")
    message: str | None = Field(default=None, alias="ResendConfirmationCodeMessage")


__all__ = [
    "AuthenticateResult",
    "BuyCreditsResult",
    "CharactersCountResult",
    "ConfirmAccountResult",
    "CreateAccountResult",
    "CreditPacksResult",
    "CreditsResult",
    "GetScheduleResult",
    "InvoiceInfo",
    "NewAccount",
    "Pack",
    "PartnerEvent",
    "PartnerEventsResult",
    "PromotionalBuyCreditsResult",
    "ResendConfirmationCodeResult",
    "ScheduleResult",
    "Sms",
    "SmsScheduled",
    "code_points",
    "illegal_characters",
]
