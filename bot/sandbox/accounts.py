"""Account and billing operations of the sandbox.

Rules chosen (the real service does not publish them):

- CreateAccount: ``newAccount`` absent -> ACCOUNT_INFO_EMPTY; ``invoiceInfo``
  absent or all empty -> INVOICE_INFO_EMPTY; ``caller`` empty ->
  CALLER_UNKNOWN (any non-empty caller is known); AccountName empty / over
  100 / holding ``<>"`` -> ACCOUNT_NAME_*; Username empty / over 50 / outside
  ``[A-Za-z0-9._-]`` -> USERNAME_*; Password over 50 -> PASSWORD_EXCEEDS_MAX_LENGTH,
  under 6 -> PASSWORD_INVALID; Email over 100 / not ``x@y.z`` -> EMAIL_*;
  Msisdn over 15 -> MSISDN_EXCEEDS_MAX_LENGTH, not a routable mobile ->
  MSISDN_INVALID, held by another account -> MSISDN_ALREADY_IN_USE; username
  or email taken -> USERNAME_OR_EMAIL_ALREADY_IN_USE; invoice Name or
  TaxIdentificationNumber empty, or a PT NIF that is not 9 digits ->
  INVOICE_INFO_INVALID. A new account starts unconfirmed with 0 credits; a
  6-digit code goes to the outbox.
- ResendConfirmationCode issues a new code, at most 3 times.
- BuyCredits / BuyCreditsWithPromotionalCode issue a Multibanco reference and
  a card link to ``/_sandbox/pay/<token>`` on the sandbox; MISSING_INVOICE_INFO
  is never returned (every sandbox account has invoice data).
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

from bot.sandbox import catalog
from bot.sandbox.context import Context, Operation
from bot.sandbox.numbers import check_msisdn
from bot.sandbox.soap import Node, Params
from bot.sandbox.state import Account, OutboxSms, Payment

MAX_RESENDS = 3
_USERNAME = re.compile(r"[A-Za-z0-9._-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _send_code(ctx: Context, account: Account) -> None:
    account.confirmation_code = _code()
    ctx.state.outbox.append(
        OutboxSms(
            username=account.username,
            msisdn=account.msisdn,
            text=f"uSendit: o seu codigo de confirmacao e {account.confirmation_code}",
            created_at=ctx.state.clock.now().isoformat(timespec="seconds"),
        )
    )


def _create_status(ctx: Context, p: Params) -> str:
    new = p.child("newAccount")
    invoice = p.child("invoiceInfo")
    if new is None:
        return "ACCOUNT_INFO_EMPTY"
    invoice_fields = (
        "Name",
        "Address",
        "TaxIdentificationNumber",
        "Country",
        "City",
        "ZipCode",
        "Email",
    )
    if invoice is None or not any((invoice.text(f) or "").strip() for f in invoice_fields):
        return "INVOICE_INFO_EMPTY"
    if not (p.text("caller") or "").strip():
        return "CALLER_UNKNOWN"
    name = (new.text("AccountName") or "").strip()
    if not name:
        return "ACCOUNT_NAME_EMPTY"
    if len(name) > 100:
        return "ACCOUNT_NAME_EXCEEDS_MAX_LENGTH"
    if any(c in name for c in '<>"'):
        return "ACCOUNT_NAME_NOT_ALLOWED"
    username = new.text("Username") or ""
    if not username:
        return "USERNAME_EMPTY"
    if len(username) > 50:
        return "USERNAME_EXCEEDS_MAX_LENGTH"
    if not _USERNAME.fullmatch(username):
        return "USERNAME_NOT_ALLOWED"
    password = new.text("Password") or ""
    if len(password) > 50:
        return "PASSWORD_EXCEEDS_MAX_LENGTH"
    if len(password) < 6:
        return "PASSWORD_INVALID"
    email = (new.text("Email") or "").strip()
    if len(email) > 100:
        return "EMAIL_EXCEEDS_MAX_LENGTH"
    if not _EMAIL.fullmatch(email):
        return "EMAIL_INVALID"
    msisdn = (new.text("Msisdn") or "").strip()
    if len(msisdn) > 15:
        return "MSISDN_EXCEEDS_MAX_LENGTH"
    if check_msisdn(msisdn) != "SCHEDULED":
        return "MSISDN_INVALID"
    accounts = ctx.state.accounts.values()
    if any(a.msisdn == msisdn for a in accounts):
        return "MSISDN_ALREADY_IN_USE"
    if any(
        a.username.lower() == username.lower() or a.email.lower() == email.lower() for a in accounts
    ):
        return "USERNAME_OR_EMAIL_ALREADY_IN_USE"
    nif = (invoice.text("TaxIdentificationNumber") or "").strip()
    country = (invoice.text("Country") or "").strip().upper()
    if not (invoice.text("Name") or "").strip() or not nif:
        return "INVOICE_INFO_INVALID"
    if country in ("PT", "PORTUGAL") and not re.fullmatch(r"\d{9}", nif):
        return "INVOICE_INFO_INVALID"
    return "SUCCESS"


def create_account(ctx: Context, p: Params) -> list[Node]:
    status = _create_status(ctx, p)
    key: str | None = None
    if status == "SUCCESS":
        new = p.child("newAccount")
        assert new is not None
        key = secrets.token_hex(16)
        account = Account(
            username=new.text("Username") or "",
            password=new.text("Password") or "",
            account_name=(new.text("AccountName") or "").strip(),
            email=(new.text("Email") or "").strip(),
            msisdn=(new.text("Msisdn") or "").strip(),
            credits=0,
            confirmed=False,
            verification_key=key,
        )
        ctx.state.accounts[account.username] = account
        _send_code(ctx, account)
    return [
        ("CreateAccountStatus", status),
        ("CreateAccountMessage", _message(status)),
        ("VerificationKey", key),
    ]


def confirm_account(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    code = (p.text("confirmationCode") or "").strip()
    if account is None:
        status = "USER_UNKNOWN"
    elif account.confirmed:
        status = "ACCOUNT_ALREADY_CONFIRMED"
    elif not code:
        status = "EMPTY_CONFIRMATION_CODE"
    elif code != account.confirmation_code:
        status = "INVALID_CONFIRMATION_CODE"
    else:
        account.confirmed = True
        account.confirmation_code = None
        status = "SUCCESS"
    return [("ConfirmAccountStatus", status), ("ConfirmAccountMessage", _message(status))]


def resend_confirmation_code(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    if account is None:
        status = "USER_UNKNOWN"
    elif account.confirmed:
        status = "ACCOUNT_ALREADY_CONFIRMED"
    elif account.resends >= MAX_RESENDS:
        status = "NO_MORE_RETRIES_ALLOWED"
    else:
        account.resends += 1
        _send_code(ctx, account)
        status = "SUCCESS"
    return [
        ("ResendConfirmationCodeStatus", status),
        ("ResendConfirmationCodeMessage", _message(status)),
    ]


def authenticate_user(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    if account is None:
        status, credits = "USER_UNKNOWN", 0
    else:
        credits = account.credits
        status = "SUCCESS" if account.confirmed else "PENDING_SMS_CONFIRMATION_CODE"
    return [
        ("AuthenticateResultStatus", status),
        ("AuthenticateResultMessage", _message(status)),
        ("UserCredits", credits),
    ]


def get_credits(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    status = "USER_UNKNOWN" if account is None else "SUCCESS"
    return [
        ("GetCreditsStatus", status),
        ("GetCreditsMessage", _message(status)),
        ("Credits", 0 if account is None else account.credits),
    ]


def get_credit_packs(ctx: Context, p: Params) -> list[Node]:
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    packs: list[Node] | None = None
    if account is None:
        status = "USER_UNKNOWN"
    elif not account.confirmed:
        status = "PENDING_SMS_CONFIRMATION_CODE"
    else:
        status = "SUCCESS"
        packs = [
            (
                "Pack",
                [
                    ("Id", pack.id),
                    ("Description", pack.description),
                    ("Credits", pack.credits),
                    ("Price", pack.price),
                    ("TaxPercentage", catalog.TAX_PERCENTAGE),
                ],
            )
            for pack in catalog.PACKS
        ]
    return [
        ("GetCreditPacksStatus", status),
        ("GetCreditPacksMessage", _message(status)),
        ("Packs", packs),
        ("AccountName", None if account is None else account.account_name),
    ]


def _buy(ctx: Context, p: Params, promo_code: str | None) -> tuple[str, list[Node]]:
    """Return the status and the payment fields (Entity .. AccountName)."""
    account = ctx.state.authenticate(p.text("username"), p.text("password"))
    if account is None:
        return "USER_UNKNOWN", []
    name: list[Node] = [("AccountName", account.account_name)]
    if not account.confirmed:
        return "PENDING_SMS_CONFIRMATION_CODE", name
    pack = catalog.find_pack(p.integer("packId") or 0)
    if pack is None:
        return "INVALID_PACK_ID", name
    if not (p.text("caller") or "").strip():
        return "CALLER_UNKNOWN", name
    discount = Decimal(0)
    if promo_code is not None:
        promo = catalog.find_promo(promo_code)
        if promo is None:
            return "PROMOTIONAL_CAMPAIGN_NOT_EXISTS", name
        if not promo.active:
            return "PROMOTIONAL_CAMPAIGN_NOT_ACTIVE", name
        used = ctx.state.promo_redemptions.get(promo.code, 0)
        if promo.max_redemptions is not None and used >= promo.max_redemptions:
            return "PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION", name
        if promo.pack_ids is not None and pack.id not in promo.pack_ids:
            return "PROMOTIONAL_CAMPAIGN_INVALID_PACK", name
        ctx.state.promo_redemptions[promo.code] = used + 1
        discount = promo.discount_percent
        promo_code = promo.code
    token = secrets.token_urlsafe(16)
    payment = Payment(
        token=token,
        username=account.username,
        pack_id=pack.id,
        credits=pack.credits,
        amount=catalog.amount_with_tax(pack.price, discount),
        entity=catalog.MULTIBANCO_ENTITY,
        reference=f"{secrets.randbelow(10**9):09d}",
        promo_code=promo_code,
    )
    ctx.state.payments[token] = payment
    return "SUCCESS", [
        ("Entity", payment.entity),
        ("PaymentReference", payment.reference),
        ("Amount", payment.amount),
        ("CreditCardLink", f"{ctx.base_url}/_sandbox/pay/{token}"),
        *name,
    ]


def buy_credits(ctx: Context, p: Params) -> list[Node]:
    status, fields = _buy(ctx, p, None)
    return [("BuyCreditsStatus", status), ("BuyCreditsMessage", _message(status)), *fields]


def buy_credits_with_promotional_code(ctx: Context, p: Params) -> list[Node]:
    status, fields = _buy(ctx, p, p.text("code") or "")
    return [
        ("BuyCreditsWithPromotionalCodeStatus", status),
        ("BuyCreditsWithPromotionalCodeMessage", _message(status)),
        *fields,
    ]


def _message(status: str) -> str:
    return "Success" if status == "SUCCESS" else status.replace("_", " ").capitalize()


OPERATIONS: dict[str, Operation] = {
    "CreateAccount": create_account,
    "ConfirmAccount": confirm_account,
    "ResendConfirmationCode": resend_confirmation_code,
    "AuthenticateUser": authenticate_user,
    "GetCredits": get_credits,
    "GetCreditPacks": get_credit_packs,
    "BuyCredits": buy_credits,
    "BuyCreditsWithPromotionalCode": buy_credits_with_promotional_code,
}
