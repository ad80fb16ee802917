"""uSendit's status enumerations, as typed values with a human sentence each.

Every enumeration of the WSDL is a :class:`ProviderStatus`; ``explanation``
gives the English sentence (translations are keyed by the same value).
"""

from __future__ import annotations

from enum import StrEnum

EXPLANATIONS: dict[str, str] = {
    "SUCCESS": "Done.",
    # Why the bot itself stopped a send (not uSendit's statuses).
    "PROVIDER_UNAVAILABLE": "uSendit could not be reached; press Continue to try again.",
    "INVALID_REQUEST": "The text or sender holds a character an SMS cannot carry.",
    "SCHEDULE_OK": "The messages were scheduled.",
    "SCHEDULE_OK_WARNING": "The messages were scheduled, but some recipients were rejected.",
    "SCHEDULE_UNKNOWN": "uSendit knows no such schedule for this account.",
    "SCHEDULE_ERROR": "uSendit could not schedule the messages.",
    "USER_UNKNOWN": "uSendit does not know this username and password.",
    "USER_NOT_ALLOWED": "This account is not allowed to do that.",
    "USER_PENDING_SMS_CONFIRMATION_CODE": (
        "The account is not confirmed yet: enter the code uSendit sent by SMS."
    ),
    "PENDING_SMS_CONFIRMATION_CODE": (
        "The account is not confirmed yet: enter the code uSendit sent by SMS."
    ),
    "INSUFFICIENT_CREDITS": "The account does not have enough credits for this send.",
    "SMS_LIST_EMPTY": "There were no messages to send.",
    "SMS_LIST_EXCEEDS_MAX_LENGTH": "Too many messages in one request.",
    "SMS_LIST_ALL_RECIPIENTS_INVALID": "Every recipient was rejected.",
    "INTERNAL_CONFIGURATION_ERROR": "uSendit has an internal configuration error.",
    "PROCESS_SCHEDULE_LIST_ERROR": "uSendit failed while processing the list of messages.",
    "SCHEDULED": "Scheduled.",
    "MSISDN_EMPTY": "The phone number is empty.",
    "MSISDN_EXCEEDS_MAX_LENGTH": "The phone number is too long.",
    "MSISDN_INVALID": "The phone number is not valid.",
    "MSISDN_MOBILE_OPERATOR_UNKNOWN": "No mobile operator is known for this number.",
    "MSISDN_INVALID_ROUTE": "uSendit cannot deliver to this number's country or network.",
    "MESSAGE_TEXT_EMPTY": "The message text is empty.",
    "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH": "The message text is too long.",
    "SENDER_EXCEEDS_MAX_LENGTH": "The sender is too long (11 letters or 16 digits at most).",
    "SENDER_NOT_ALLOWED": "This sender name is not allowed.",
    "PRIORITY_INVALID": "The priority is not valid.",
    "EXPIRATION_DATETIME_INVALID": "The expiration time is not valid.",
    "GENERIC_ERROR": "uSendit reported an unexpected error.",
    "OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE": (
        "This account's billing type has no credit balance to show."
    ),
    "NO_CREDIT_PACKS_AVAILABLE": "No credit packs are on sale right now.",
    "INVALID_PACK_ID": "There is no credit pack with that number.",
    "ERROR_GENERATING_PAYMENT_REFERENCE": "uSendit could not create the payment reference.",
    "CALLER_UNKNOWN": "uSendit does not know this application (caller).",
    "MISSING_INVOICE_INFO": "The account has no invoice details yet.",
    "PROMOTIONAL_CAMPAIGN_NOT_EXISTS": "That promotional code does not exist.",
    "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE": "That promotional code is not active.",
    "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION": (
        "That promotional code has been used the maximum number of times."
    ),
    "PROMOTIONAL_CAMPAIGN_INVALID_PACK": "That promotional code does not apply to this pack.",
    "ERROR": "The text could not be counted.",
    "GSM7": "GSM 7-bit alphabet.",
    "UCS2": "UCS-2 (Unicode).",
    "EMPTY_CONFIRMATION_CODE": "The confirmation code is empty.",
    "INVALID_CONFIRMATION_CODE": "The confirmation code is wrong.",
    "ACCOUNT_ALREADY_CONFIRMED": "The account is already confirmed.",
    "NO_MORE_RETRIES_ALLOWED": "The code cannot be sent again: too many tries.",
    "ERROR_RESENDING_SMS_CONFIRMATION": "uSendit could not send the code again.",
    "USERNAME_EMPTY": "The username is empty.",
    "USERNAME_NOT_ALLOWED": "That username is not allowed.",
    "USERNAME_EXCEEDS_MAX_LENGTH": "The username is too long.",
    "PASSWORD_EXCEEDS_MAX_LENGTH": "The password is too long.",
    "PASSWORD_INVALID": "The password does not meet uSendit's rules.",
    "EMAIL_EXCEEDS_MAX_LENGTH": "The email address is too long.",
    "EMAIL_INVALID": "The email address is not valid.",
    "MSISDN_ALREADY_IN_USE": "That phone number already has an account.",
    "ACCOUNT_NAME_EMPTY": "The account name is empty.",
    "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH": "The account name is too long.",
    "ACCOUNT_NAME_NOT_ALLOWED": "That account name is not allowed.",
    "ERROR_SENDING_SMS_CONFIRMATION": "uSendit could not send the confirmation SMS.",
    "ACCOUNT_VALIDATION_ERROR": "uSendit could not validate the account details.",
    "USERNAME_OR_EMAIL_ALREADY_IN_USE": "That username or email address is already in use.",
    "ACCOUNT_INFO_EMPTY": "The account details are missing.",
    "INVOICE_INFO_EMPTY": "The invoice details are missing.",
    "INVOICE_INFO_INVALID": "The invoice details are not valid.",
    "PT": "Portugal.",
    "OTHER": "Other.",
    "SMS_MARKETING": "SMS marketing.",
    "EMAIL_MARKETING": "Email marketing.",
    "FACEBOOK": "Facebook.",
    "LINKED_IN": "LinkedIn.",
    "RECOMMENDATION": "A recommendation.",
    "COMMERCIAL_AGENT": "A commercial agent.",
    "INTERNET_SEARCH": "An internet search.",
    "TV_SPOT": "A TV spot.",
    "WEB_SITE_SPOT": "A website ad.",
}


class ProviderStatus(StrEnum):
    """A value of one of uSendit's enumerations."""

    @property
    def explanation(self) -> str:
        """One English sentence saying what this value means to a user."""
        return EXPLANATIONS[self.value]


class ScheduleStatus(ProviderStatus):
    SCHEDULE_OK = "SCHEDULE_OK"
    SCHEDULE_OK_WARNING = "SCHEDULE_OK_WARNING"
    USER_UNKNOWN = "USER_UNKNOWN"
    USER_PENDING_SMS_CONFIRMATION_CODE = "USER_PENDING_SMS_CONFIRMATION_CODE"
    USER_NOT_ALLOWED = "USER_NOT_ALLOWED"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    SMS_LIST_EMPTY = "SMS_LIST_EMPTY"
    SMS_LIST_EXCEEDS_MAX_LENGTH = "SMS_LIST_EXCEEDS_MAX_LENGTH"
    SMS_LIST_ALL_RECIPIENTS_INVALID = "SMS_LIST_ALL_RECIPIENTS_INVALID"
    INTERNAL_CONFIGURATION_ERROR = "INTERNAL_CONFIGURATION_ERROR"
    PROCESS_SCHEDULE_LIST_ERROR = "PROCESS_SCHEDULE_LIST_ERROR"
    SCHEDULE_ERROR = "SCHEDULE_ERROR"


class GetScheduleStatus(ProviderStatus):
    SCHEDULE_OK = "SCHEDULE_OK"
    SCHEDULE_OK_WARNING = "SCHEDULE_OK_WARNING"
    USER_UNKNOWN = "USER_UNKNOWN"
    USER_NOT_ALLOWED = "USER_NOT_ALLOWED"
    SMS_LIST_ALL_RECIPIENTS_INVALID = "SMS_LIST_ALL_RECIPIENTS_INVALID"
    SCHEDULE_ERROR = "SCHEDULE_ERROR"
    SCHEDULE_UNKNOWN = "SCHEDULE_UNKNOWN"


class ScheduleMessageStatus(ProviderStatus):
    SCHEDULED = "SCHEDULED"
    MSISDN_EMPTY = "MSISDN_EMPTY"
    MSISDN_EXCEEDS_MAX_LENGTH = "MSISDN_EXCEEDS_MAX_LENGTH"
    MSISDN_INVALID = "MSISDN_INVALID"
    MSISDN_MOBILE_OPERATOR_UNKNOWN = "MSISDN_MOBILE_OPERATOR_UNKNOWN"
    MSISDN_INVALID_ROUTE = "MSISDN_INVALID_ROUTE"
    MESSAGE_TEXT_EMPTY = "MESSAGE_TEXT_EMPTY"
    MESSAGE_TEXT_EXCEEDS_MAX_LENGTH = "MESSAGE_TEXT_EXCEEDS_MAX_LENGTH"
    SENDER_EXCEEDS_MAX_LENGTH = "SENDER_EXCEEDS_MAX_LENGTH"
    SENDER_NOT_ALLOWED = "SENDER_NOT_ALLOWED"
    PRIORITY_INVALID = "PRIORITY_INVALID"
    EXPIRATION_DATETIME_INVALID = "EXPIRATION_DATETIME_INVALID"


class GetPartnerEventsStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    USER_NOT_ALLOWED = "USER_NOT_ALLOWED"
    GENERIC_ERROR = "GENERIC_ERROR"


class AuthenticateResultStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    PENDING_SMS_CONFIRMATION_CODE = "PENDING_SMS_CONFIRMATION_CODE"
    GENERIC_ERROR = "GENERIC_ERROR"


class GetCreditsStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE = "OPERATION_INCOMPATIBLE_WITH_BILLING_TYPE"
    GENERIC_ERROR = "GENERIC_ERROR"


class GetCreditPacksStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    PENDING_SMS_CONFIRMATION_CODE = "PENDING_SMS_CONFIRMATION_CODE"
    NO_CREDIT_PACKS_AVAILABLE = "NO_CREDIT_PACKS_AVAILABLE"
    GENERIC_ERROR = "GENERIC_ERROR"


class BuyCreditsStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    PENDING_SMS_CONFIRMATION_CODE = "PENDING_SMS_CONFIRMATION_CODE"
    INVALID_PACK_ID = "INVALID_PACK_ID"
    ERROR_GENERATING_PAYMENT_REFERENCE = "ERROR_GENERATING_PAYMENT_REFERENCE"
    CALLER_UNKNOWN = "CALLER_UNKNOWN"
    MISSING_INVOICE_INFO = "MISSING_INVOICE_INFO"
    GENERIC_ERROR = "GENERIC_ERROR"


class BuyCreditsWithPromotionalCodeStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    PENDING_SMS_CONFIRMATION_CODE = "PENDING_SMS_CONFIRMATION_CODE"
    INVALID_PACK_ID = "INVALID_PACK_ID"
    ERROR_GENERATING_PAYMENT_REFERENCE = "ERROR_GENERATING_PAYMENT_REFERENCE"
    CALLER_UNKNOWN = "CALLER_UNKNOWN"
    MISSING_INVOICE_INFO = "MISSING_INVOICE_INFO"
    GENERIC_ERROR = "GENERIC_ERROR"
    PROMOTIONAL_CAMPAIGN_NOT_EXISTS = "PROMOTIONAL_CAMPAIGN_NOT_EXISTS"
    PROMOTIONAL_CAMPAIGN_NOT_ACTIVE = "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE"
    PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION = (
        "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION"
    )
    PROMOTIONAL_CAMPAIGN_INVALID_PACK = "PROMOTIONAL_CAMPAIGN_INVALID_PACK"


class CharactersCountStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


class MsgEncoding(ProviderStatus):
    GSM7 = "GSM7"
    UCS2 = "UCS2"


class ConfirmAccountStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    EMPTY_CONFIRMATION_CODE = "EMPTY_CONFIRMATION_CODE"
    INVALID_CONFIRMATION_CODE = "INVALID_CONFIRMATION_CODE"
    ACCOUNT_ALREADY_CONFIRMED = "ACCOUNT_ALREADY_CONFIRMED"
    GENERIC_ERROR = "GENERIC_ERROR"


class ResendConfirmationCodeStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USER_UNKNOWN = "USER_UNKNOWN"
    NO_MORE_RETRIES_ALLOWED = "NO_MORE_RETRIES_ALLOWED"
    ERROR_RESENDING_SMS_CONFIRMATION = "ERROR_RESENDING_SMS_CONFIRMATION"
    ACCOUNT_ALREADY_CONFIRMED = "ACCOUNT_ALREADY_CONFIRMED"
    GENERIC_ERROR = "GENERIC_ERROR"


class CreateAccountStatus(ProviderStatus):
    SUCCESS = "SUCCESS"
    USERNAME_EMPTY = "USERNAME_EMPTY"
    USERNAME_NOT_ALLOWED = "USERNAME_NOT_ALLOWED"
    USERNAME_EXCEEDS_MAX_LENGTH = "USERNAME_EXCEEDS_MAX_LENGTH"
    PASSWORD_EXCEEDS_MAX_LENGTH = "PASSWORD_EXCEEDS_MAX_LENGTH"
    PASSWORD_INVALID = "PASSWORD_INVALID"
    EMAIL_EXCEEDS_MAX_LENGTH = "EMAIL_EXCEEDS_MAX_LENGTH"
    EMAIL_INVALID = "EMAIL_INVALID"
    MSISDN_EXCEEDS_MAX_LENGTH = "MSISDN_EXCEEDS_MAX_LENGTH"
    MSISDN_INVALID = "MSISDN_INVALID"
    MSISDN_ALREADY_IN_USE = "MSISDN_ALREADY_IN_USE"
    ACCOUNT_NAME_EMPTY = "ACCOUNT_NAME_EMPTY"
    ACCOUNT_NAME_EXCEEDS_MAX_LENGTH = "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH"
    ACCOUNT_NAME_NOT_ALLOWED = "ACCOUNT_NAME_NOT_ALLOWED"
    CALLER_UNKNOWN = "CALLER_UNKNOWN"
    ERROR_SENDING_SMS_CONFIRMATION = "ERROR_SENDING_SMS_CONFIRMATION"
    ACCOUNT_VALIDATION_ERROR = "ACCOUNT_VALIDATION_ERROR"
    USERNAME_OR_EMAIL_ALREADY_IN_USE = "USERNAME_OR_EMAIL_ALREADY_IN_USE"
    ACCOUNT_INFO_EMPTY = "ACCOUNT_INFO_EMPTY"
    INVOICE_INFO_EMPTY = "INVOICE_INFO_EMPTY"
    INVOICE_INFO_INVALID = "INVOICE_INFO_INVALID"
    GENERIC_ERROR = "GENERIC_ERROR"


class Country(ProviderStatus):
    PT = "PT"
    OTHER = "OTHER"


class HowDidYouMeetUs(ProviderStatus):
    SMS_MARKETING = "SMS_MARKETING"
    EMAIL_MARKETING = "EMAIL_MARKETING"
    FACEBOOK = "FACEBOOK"
    LINKED_IN = "LINKED_IN"
    RECOMMENDATION = "RECOMMENDATION"
    COMMERCIAL_AGENT = "COMMERCIAL_AGENT"
    INTERNET_SEARCH = "INTERNET_SEARCH"
    TV_SPOT = "TV_SPOT"
    WEB_SITE_SPOT = "WEB_SITE_SPOT"
    OTHER = "OTHER"
