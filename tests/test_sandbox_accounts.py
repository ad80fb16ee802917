"""Accounts, packs and payments behave like uSendit, every status reachable."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from bot.sandbox import SandboxServer

DEMO = {"username": "demo", "password": "demo"}
WRONG = {"username": "demo", "password": "nope"}


def new_account(**changes: Any) -> dict[str, Any]:
    account = {
        "AccountName": "Loja da Ana",
        "Username": "ana",
        "Password": "secret1",
        "Email": "ana@example.org",
        "Country": "PT",
        "Msisdn": "351919999999",
        "HowDidYouFindUs": "INTERNET_SEARCH",
        "AllowMarketingCampaigns": False,
    }
    account.update(changes)
    return account


INVOICE = {"Name": "Ana Lda", "TaxIdentificationNumber": "123456789", "Country": "PT"}


async def create(soap: Any, account: Any = None, invoice: Any = INVOICE, caller: Any = "bot"):
    return await soap.call(
        "CreateAccount",
        newAccount=new_account() if account is None else account,
        invoiceInfo=invoice,
        caller=caller,
    )


@pytest.mark.parametrize(
    ("account", "invoice", "caller", "status"),
    [
        (None, INVOICE, "bot", "SUCCESS"),
        ({}, INVOICE, "bot", "ACCOUNT_NAME_EMPTY"),
        (new_account(), None, "bot", "INVOICE_INFO_EMPTY"),
        (new_account(), {"Name": ""}, "bot", "INVOICE_INFO_EMPTY"),
        (new_account(), INVOICE, "", "CALLER_UNKNOWN"),
        (new_account(), INVOICE, None, "CALLER_UNKNOWN"),
        (new_account(AccountName=" "), INVOICE, "bot", "ACCOUNT_NAME_EMPTY"),
        (new_account(AccountName="x" * 101), INVOICE, "bot", "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH"),
        (new_account(AccountName="<b>"), INVOICE, "bot", "ACCOUNT_NAME_NOT_ALLOWED"),
        (new_account(Username=""), INVOICE, "bot", "USERNAME_EMPTY"),
        (new_account(Username="a" * 51), INVOICE, "bot", "USERNAME_EXCEEDS_MAX_LENGTH"),
        (new_account(Username="ana maria"), INVOICE, "bot", "USERNAME_NOT_ALLOWED"),
        (new_account(Password="p" * 51), INVOICE, "bot", "PASSWORD_EXCEEDS_MAX_LENGTH"),
        (new_account(Password="short"), INVOICE, "bot", "PASSWORD_INVALID"),
        (new_account(Email="a" * 95 + "@x.org"), INVOICE, "bot", "EMAIL_EXCEEDS_MAX_LENGTH"),
        (new_account(Email="ana.example.org"), INVOICE, "bot", "EMAIL_INVALID"),
        (new_account(Msisdn="3519199999999999"), INVOICE, "bot", "MSISDN_EXCEEDS_MAX_LENGTH"),
        (new_account(Msisdn="351212345678"), INVOICE, "bot", "MSISDN_INVALID"),
        (new_account(Msisdn="351910000000"), INVOICE, "bot", "MSISDN_ALREADY_IN_USE"),
        (new_account(Username="DEMO"), INVOICE, "bot", "USERNAME_OR_EMAIL_ALREADY_IN_USE"),
        (
            new_account(Email="demo@sandbox.invalid"),
            INVOICE,
            "bot",
            "USERNAME_OR_EMAIL_ALREADY_IN_USE",
        ),
        (new_account(), {"Name": "Ana Lda"}, "bot", "INVOICE_INFO_INVALID"),
        (
            new_account(),
            {**INVOICE, "TaxIdentificationNumber": "12345"},
            "bot",
            "INVOICE_INFO_INVALID",
        ),
    ],
)
async def test_create_account_statuses(
    soap: Any, account: Any, invoice: Any, caller: Any, status: str
) -> None:
    answer = await create(soap, account if account != {} else None, invoice, caller)
    if account == {}:  # newAccount sent empty: everything but the required enums missing
        answer = await soap.call(
            "CreateAccount",
            newAccount={"Country": "PT", "HowDidYouFindUs": "OTHER", "AllowMarketingCampaigns": 0},
            invoiceInfo=invoice,
            caller=caller,
        )
    assert answer["CreateAccountStatus"] == status
    assert (answer["VerificationKey"] is not None) == (status == "SUCCESS")


async def test_create_without_account_info(soap: Any) -> None:
    answer = await soap.call("CreateAccount", invoiceInfo=INVOICE, caller="bot")
    assert answer["CreateAccountStatus"] == "ACCOUNT_INFO_EMPTY"


async def test_signup_confirm_and_resend(soap: Any) -> None:
    assert (await create(soap))["CreateAccountStatus"] == "SUCCESS"
    ana = {"username": "ana", "password": "secret1"}
    auth = await soap.call("AuthenticateUser", **ana)
    assert auth["AuthenticateResultStatus"] == "PENDING_SMS_CONFIRMATION_CODE"
    assert auth["UserCredits"] == "0"
    packs = await soap.call("GetCreditPacks", **ana)
    assert packs["GetCreditPacksStatus"] == "PENDING_SMS_CONFIRMATION_CODE"
    buy = await soap.call("BuyCredits", **ana, packId=1, caller="bot")
    assert buy["BuyCreditsStatus"] == "PENDING_SMS_CONFIRMATION_CODE"

    state = await soap.state()
    (outbox,) = state["outbox"]
    assert outbox["msisdn"] == "351919999999"
    code = re.search(r"\d{6}", outbox["text"])
    assert code is not None
    account = next(a for a in state["accounts"] if a["username"] == "ana")
    assert account == {**account, "confirmed": False, "credits": 0}
    assert account["confirmation_code"] == code.group()

    for _ in range(3):
        resend = await soap.call("ResendConfirmationCode", **ana)
        assert resend["ResendConfirmationCodeStatus"] == "SUCCESS"
    resend = await soap.call("ResendConfirmationCode", **ana)
    assert resend["ResendConfirmationCodeStatus"] == "NO_MORE_RETRIES_ALLOWED"
    state = await soap.state()
    assert len(state["outbox"]) == 4
    latest = re.search(r"\d{6}", state["outbox"][-1]["text"])
    assert latest is not None

    confirm = await soap.call("ConfirmAccount", **ana, confirmationCode="")
    assert confirm["ConfirmAccountStatus"] == "EMPTY_CONFIRMATION_CODE"
    bad = "000000" if latest.group() != "000000" else "111111"
    confirm = await soap.call("ConfirmAccount", **ana, confirmationCode=bad)
    assert confirm["ConfirmAccountStatus"] == "INVALID_CONFIRMATION_CODE"
    confirm = await soap.call("ConfirmAccount", **WRONG, confirmationCode=latest.group())
    assert confirm["ConfirmAccountStatus"] == "USER_UNKNOWN"
    confirm = await soap.call("ConfirmAccount", **ana, confirmationCode=latest.group())
    assert confirm["ConfirmAccountStatus"] == "SUCCESS"
    confirm = await soap.call("ConfirmAccount", **ana, confirmationCode=latest.group())
    assert confirm["ConfirmAccountStatus"] == "ACCOUNT_ALREADY_CONFIRMED"
    resend = await soap.call("ResendConfirmationCode", **ana)
    assert resend["ResendConfirmationCodeStatus"] == "ACCOUNT_ALREADY_CONFIRMED"
    resend = await soap.call("ResendConfirmationCode", username="ghost", password="x")
    assert resend["ResendConfirmationCodeStatus"] == "USER_UNKNOWN"
    auth = await soap.call("AuthenticateUser", **ana)
    assert auth["AuthenticateResultStatus"] == "SUCCESS"


@pytest.mark.parametrize(
    ("fields", "status", "credits"),
    [
        (DEMO, "SUCCESS", "500"),
        (WRONG, "USER_UNKNOWN", "0"),
        ({"username": "ghost", "password": "demo"}, "USER_UNKNOWN", "0"),
        ({}, "USER_UNKNOWN", "0"),
    ],
)
async def test_authenticate_and_credits(
    soap: Any, fields: dict[str, str], status: str, credits: str
) -> None:
    auth = await soap.call("AuthenticateUser", **fields)
    assert (auth["AuthenticateResultStatus"], auth["UserCredits"]) == (status, credits)
    got = await soap.call("GetCredits", **fields)
    assert (got["GetCreditsStatus"], got["Credits"]) == (status, credits)


async def test_credit_packs(soap: Any) -> None:
    packs = await soap.call("GetCreditPacks", **DEMO)
    assert packs["GetCreditPacksStatus"] == "SUCCESS"
    assert packs["AccountName"] == "Demo Account"
    items = packs.all("Packs/Pack")
    assert len(items) == 4
    first = {el.tag.split("}")[1]: el.text for el in items[0]}
    assert first == {
        "Id": "1",
        "Description": "Pack 100 SMS",
        "Credits": "100",
        "Price": "6.00",
        "TaxPercentage": "23",
    }
    wrong = await soap.call("GetCreditPacks", **WRONG)
    assert wrong["GetCreditPacksStatus"] == "USER_UNKNOWN"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({**DEMO, "packId": 2, "caller": "bot"}, "SUCCESS"),
        ({**WRONG, "packId": 2, "caller": "bot"}, "USER_UNKNOWN"),
        ({**DEMO, "packId": 99, "caller": "bot"}, "INVALID_PACK_ID"),
        ({**DEMO, "packId": 2, "caller": ""}, "CALLER_UNKNOWN"),
    ],
)
async def test_buy_credits_statuses(soap: Any, fields: dict[str, Any], status: str) -> None:
    answer = await soap.call("BuyCredits", **fields)
    assert answer["BuyCreditsStatus"] == status
    assert (answer["PaymentReference"] is not None) == (status == "SUCCESS")


async def test_payment_link_adds_credits_once(soap: Any) -> None:
    answer = await soap.call("BuyCredits", **DEMO, packId=1, caller="usendit-bot")
    assert answer["BuyCreditsStatus"] == "SUCCESS"
    assert re.fullmatch(r"\d{5}", answer["Entity"] or "")
    assert re.fullmatch(r"\d{9}", answer["PaymentReference"] or "")
    assert answer["Amount"] == "7.38"
    assert answer["AccountName"] == "Demo Account"
    link = answer["CreditCardLink"] or ""
    assert link.startswith(f"{soap.server.url}/_sandbox/pay/")
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "500"

    async with httpx.AsyncClient() as client:
        first = await client.get(link)
        assert first.status_code == 200
        assert "Payment accepted" in first.text
        second = await client.get(link)
        assert second.status_code == 200
        assert "Already paid" in second.text
        missing = await client.get(f"{soap.server.url}/_sandbox/pay/nope")
        assert missing.status_code == 404
    assert (await soap.call("GetCredits", **DEMO))["Credits"] == "600"


@pytest.mark.parametrize(
    ("pack", "code", "status", "amount"),
    [
        (1, "WELCOME10", "SUCCESS", "6.64"),
        (1, "welcome10", "SUCCESS", "6.64"),
        (3, "BIGPACK", "SUCCESS", "49.20"),
        (1, "BIGPACK", "PROMOTIONAL_CAMPAIGN_INVALID_PACK", None),
        (1, "SUMMER2019", "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE", None),
        (1, "NOPE", "PROMOTIONAL_CAMPAIGN_NOT_EXISTS", None),
        (9, "WELCOME10", "INVALID_PACK_ID", None),
    ],
)
async def test_promotional_codes(
    soap: Any, pack: int, code: str, status: str, amount: str | None
) -> None:
    answer = await soap.call(
        "BuyCreditsWithPromotionalCode", **DEMO, packId=pack, code=code, caller="bot"
    )
    assert answer["BuyCreditsWithPromotionalCodeStatus"] == status
    assert answer["Amount"] == amount


async def test_promotional_code_exhausted(soap: Any) -> None:
    fields = {**DEMO, "packId": 2, "code": "FIRST3", "caller": "bot"}
    for _ in range(3):
        answer = await soap.call("BuyCreditsWithPromotionalCode", **fields)
        assert answer["BuyCreditsWithPromotionalCodeStatus"] == "SUCCESS"
        assert answer["Amount"] == "16.91"
    answer = await soap.call("BuyCreditsWithPromotionalCode", **fields)
    status = answer["BuyCreditsWithPromotionalCodeStatus"]
    assert status == "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION"
    assert (await soap.state())["promo_redemptions"] == {"FIRST3": 3}
    other = await soap.call("BuyCreditsWithPromotionalCode", **{**fields, **WRONG})
    assert other["BuyCreditsWithPromotionalCodeStatus"] == "USER_UNKNOWN"


async def test_sandbox_server_direct_helpers(sandbox: SandboxServer) -> None:
    assert sandbox.state.accounts["demo"].credits == 500
    sandbox.state.accounts["demo"].credits = 7
    sandbox.reset()
    assert sandbox.state.accounts["demo"].credits == 500
