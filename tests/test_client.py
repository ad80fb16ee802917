"""The zeep client against the sandbox over real HTTP on 127.0.0.1.

Sending and its faults run on both SendMessages paths: the fast one
(:mod:`bot.usendit.fast_send`) and zeep's (``fast_send=False``).
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_api import arm_fault, sandbox_state

from bot.errors import (
    MalformedResponse,
    OutcomeUnknown,
    ProviderFault,
    ProviderUnavailable,
    UsenditBotError,
)
from bot.usendit.client import Credentials, UsenditClient, bundled_wsdl
from bot.usendit.models import InvoiceInfo, NewAccount, Sms
from bot.usendit.statuses import (
    AuthenticateResultStatus,
    BuyCreditsStatus,
    BuyCreditsWithPromotionalCodeStatus,
    CharactersCountStatus,
    ConfirmAccountStatus,
    CreateAccountStatus,
    GetCreditPacksStatus,
    GetCreditsStatus,
    GetPartnerEventsStatus,
    GetScheduleStatus,
    MsgEncoding,
    ResendConfirmationCodeStatus,
    ScheduleMessageStatus,
    ScheduleStatus,
)

DEMO = Credentials("demo", "demo")


@pytest.fixture
async def client(sandbox: Any, request: pytest.FixtureRequest) -> AsyncIterator[UsenditClient]:
    fast = getattr(request, "param", True)
    async with UsenditClient(endpoint=sandbox.endpoint, timeout=1.0, fast_send=fast) as usendit:
        assert usendit.fast_send is fast
        yield usendit


both_paths = pytest.mark.parametrize("client", [True, False], ids=["fast", "zeep"], indirect=True)


async def _arm(sandbox: Any, **fault: Any) -> None:
    await arm_fault(sandbox.url, **fault)


async def _state(sandbox: Any) -> dict[str, Any]:
    return await sandbox_state(sandbox.url)


def _sms(msisdn: str = "351912345678", text: str = "Hello", **extra: Any) -> Sms:
    return Sms(msisdn=msisdn, text=text, partner_msg_id=f"p-{msisdn}", **extra)


class TestAccount:
    async def test_authenticate(self, client: UsenditClient) -> None:
        ok = await client.authenticate_user(DEMO)
        assert ok.status is AuthenticateResultStatus.SUCCESS
        assert ok.user_credits == 500
        wrong = await client.authenticate_user(Credentials("demo", "nope"))
        assert wrong.status is AuthenticateResultStatus.USER_UNKNOWN
        assert wrong.status.explanation

    async def test_get_credits(self, client: UsenditClient) -> None:
        ok = await client.get_credits(DEMO)
        assert (ok.status, ok.credits) == (GetCreditsStatus.SUCCESS, 500)
        wrong = await client.get_credits(Credentials("ghost", "x"))
        assert wrong.status is GetCreditsStatus.USER_UNKNOWN

    async def test_signup_confirm_resend(self, client: UsenditClient, sandbox: Any) -> None:
        new = NewAccount(
            account_name="Padaria Lopes",
            username="padaria",
            password="pao-quente-1",
            email="geral@padaria.pt",
            msisdn="351913333333",
        )
        invoice = InvoiceInfo(
            name="Padaria Lopes Lda",
            address="Rua Direita 1",
            tax_identification_number="501234567",
            country="PT",
            city="Lisboa",
            zip_code="1100-001",
            email="faturas@padaria.pt",
        )
        created = await client.create_account(new, invoice)
        assert created.status is CreateAccountStatus.SUCCESS
        again = await client.create_account(new, invoice)
        assert again.status is not CreateAccountStatus.SUCCESS
        account = Credentials("padaria", "pao-quente-1")
        pending = await client.authenticate_user(account)
        assert pending.status is AuthenticateResultStatus.PENDING_SMS_CONFIRMATION_CODE
        wrong = await client.confirm_account(account, "000000")
        assert wrong.status is ConfirmAccountStatus.INVALID_CONFIRMATION_CODE
        resent = await client.resend_confirmation_code(account)
        assert resent.status is ResendConfirmationCodeStatus.SUCCESS
        outbox = [sms for sms in (await _state(sandbox))["outbox"] if sms["username"] == "padaria"]
        assert len(outbox) == 2
        code = re.findall(r"\b\d{6}\b", outbox[-1]["text"])[-1]
        done = await client.confirm_account(account, code)
        assert done.status is ConfirmAccountStatus.SUCCESS
        twice = await client.confirm_account(account, code)
        assert twice.status is ConfirmAccountStatus.ACCOUNT_ALREADY_CONFIRMED
        assert (await client.authenticate_user(account)).status is AuthenticateResultStatus.SUCCESS

    async def test_signup_validation(self, client: UsenditClient) -> None:
        new = NewAccount(
            account_name="X", username="", password="pw", email="not-an-email", msisdn="1"
        )
        invoice = InvoiceInfo(
            name="X",
            address="Y",
            tax_identification_number="1",
            country="PT",
            city="Z",
            zip_code="1",
            email="a@b.pt",
        )
        result = await client.create_account(new, invoice)
        assert result.status is CreateAccountStatus.USERNAME_EMPTY


class TestCredits:
    async def test_packs(self, client: UsenditClient) -> None:
        result = await client.get_credit_packs(DEMO)
        assert result.status is GetCreditPacksStatus.SUCCESS
        assert result.packs
        assert all(p.credits > 0 and p.price > 0 for p in result.packs)
        assert result.packs[0].tax_percentage == Decimal("23")

    async def test_buy_and_pay(self, client: UsenditClient) -> None:
        packs = (await client.get_credit_packs(DEMO)).packs
        bought = await client.buy_credits(DEMO, packs[0].id)
        assert bought.status is BuyCreditsStatus.SUCCESS
        assert bought.entity
        assert bought.payment_reference
        assert bought.amount
        assert bought.credit_card_link is not None
        async with httpx.AsyncClient() as http:
            (await http.get(bought.credit_card_link)).raise_for_status()
            (await http.get(bought.credit_card_link)).raise_for_status()
        after = await client.get_credits(DEMO)
        assert after.credits == 500 + packs[0].credits
        invalid = await client.buy_credits(DEMO, 999)
        assert invalid.status is BuyCreditsStatus.INVALID_PACK_ID

    @pytest.mark.parametrize(
        ("code", "pack", "status"),
        [
            ("WELCOME10", 1, BuyCreditsWithPromotionalCodeStatus.SUCCESS),
            ("SUMMER2019", 1, BuyCreditsWithPromotionalCodeStatus.PROMOTIONAL_CAMPAIGN_NOT_ACTIVE),
            ("NOPE", 1, BuyCreditsWithPromotionalCodeStatus.PROMOTIONAL_CAMPAIGN_NOT_EXISTS),
            ("BIGPACK", 1, BuyCreditsWithPromotionalCodeStatus.PROMOTIONAL_CAMPAIGN_INVALID_PACK),
            ("WELCOME10", 999, BuyCreditsWithPromotionalCodeStatus.INVALID_PACK_ID),
        ],
    )
    async def test_promotional_codes(
        self,
        client: UsenditClient,
        code: str,
        pack: int,
        status: BuyCreditsWithPromotionalCodeStatus,
    ) -> None:
        result = await client.buy_credits_with_promotional_code(DEMO, pack, code)
        assert result.status is status

    async def test_promotional_code_redemption_limit(self, client: UsenditClient) -> None:
        statuses = [
            (await client.buy_credits_with_promotional_code(DEMO, 1, "FIRST3")).status
            for _ in range(4)
        ]
        ok = BuyCreditsWithPromotionalCodeStatus.SUCCESS
        assert statuses[:3] == [ok, ok, ok]
        assert (
            statuses[3]
            is BuyCreditsWithPromotionalCodeStatus.PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION
        )


@both_paths
class TestSending:
    async def test_send_then_find_it(self, client: UsenditClient) -> None:
        when = datetime.now(UTC) + timedelta(days=1)
        sent = await client.send_messages(
            DEMO,
            "pe-1",
            [_sms("351912345678", schedule=when), _sms("351961234567", "Olá, ç", schedule=when)],
        )
        assert sent.status is ScheduleStatus.SCHEDULE_OK
        assert sent.scheduled
        assert sent.accepted_recipients == 2
        assert sent.credits_spent == 2
        assert {m.status for m in sent.messages} == {ScheduleMessageStatus.SCHEDULED}
        events = await client.get_partner_events(DEMO, "pe-1")
        assert events.status is GetPartnerEventsStatus.SUCCESS
        assert [e.event_id for e in events.events] == [sent.event_id]
        schedule = await client.get_schedule(DEMO, sent.event_id)
        assert schedule.status is GetScheduleStatus.SCHEDULE_OK
        assert schedule.found
        assert schedule.credits_spent == 2
        assert {m.partner_msg_id for m in schedule.messages} == {
            "p-351912345678",
            "p-351961234567",
        }
        none = await client.get_partner_events(DEMO, "pe-never")
        assert (none.status, none.events) == (GetPartnerEventsStatus.SUCCESS, [])
        missing = await client.get_schedule(DEMO, 987654)
        assert missing.status is GetScheduleStatus.SCHEDULE_UNKNOWN

    async def test_some_rejected(self, client: UsenditClient) -> None:
        sent = await client.send_messages(
            DEMO, "pe-2", [_sms("351912345678"), _sms("abc"), _sms("351912345679", "")]
        )
        assert sent.status is ScheduleStatus.SCHEDULE_OK_WARNING
        assert (sent.accepted_recipients, sent.rejected_recipients) == (1, 2)
        by_number = {m.msisdn: m.status for m in sent.messages}
        assert by_number["abc"] is ScheduleMessageStatus.MSISDN_INVALID
        assert by_number["351912345679"] is ScheduleMessageStatus.MESSAGE_TEXT_EMPTY

    async def test_business_refusals(self, client: UsenditClient) -> None:
        empty = await client.send_messages(DEMO, "pe-3", [])
        assert empty.status is ScheduleStatus.SMS_LIST_EMPTY
        unknown = await client.send_messages(Credentials("demo", "bad"), "pe-3", [_sms()])
        assert unknown.status is ScheduleStatus.USER_UNKNOWN
        costly = await client.send_messages(DEMO, "pe-3", [_sms(text="x" * 1600)] * 1)
        assert costly.status is not ScheduleStatus.SCHEDULE_OK
        many = [_sms(f"3519123{i:05d}") for i in range(501)]
        broke = await client.send_messages(DEMO, "pe-4", many)
        assert broke.status is ScheduleStatus.INSUFFICIENT_CREDITS
        assert (await client.get_partner_events(DEMO, "pe-4")).events == []

    async def test_char_counter(self, client: UsenditClient) -> None:
        plain = await client.sms_char_counter("a" * 161)
        assert plain.status is CharactersCountStatus.SUCCESS
        assert (plain.encoding, plain.segments) == (MsgEncoding.GSM7, 2)
        accented = await client.sms_char_counter("Olá")
        assert (accented.encoding, accented.segments) == (MsgEncoding.UCS2, 1)


@both_paths
class TestFaults:
    async def test_stall_after_commit_is_outcome_unknown(
        self, client: UsenditClient, sandbox: Any
    ) -> None:
        await _arm(sandbox, operation="SendMessages", mode="stall_after_commit", seconds=5)
        with pytest.raises(OutcomeUnknown) as caught:
            await client.send_messages(DEMO, "pe-stall", [_sms()])
        assert caught.value.operation == "SendMessages"
        events = await client.get_partner_events(DEMO, "pe-stall")
        assert len(events.events) == 1
        assert [e["partner_event_id"] for e in (await _state(sandbox))["events"]] == ["pe-stall"]

    async def test_drop_after_commit_is_outcome_unknown(
        self, client: UsenditClient, sandbox: Any
    ) -> None:
        await _arm(sandbox, operation="SendMessages", mode="drop_after_commit")
        with pytest.raises(OutcomeUnknown):
            await client.send_messages(DEMO, "pe-drop", [_sms()])
        assert len((await client.get_partner_events(DEMO, "pe-drop")).events) == 1

    async def test_http_500_is_outcome_unknown(self, client: UsenditClient, sandbox: Any) -> None:
        await _arm(sandbox, operation="SendMessages", mode="http_500", commit=True)
        with pytest.raises(OutcomeUnknown) as caught:
            await client.send_messages(DEMO, "pe-500", [_sms()])
        assert not isinstance(caught.value, MalformedResponse)
        assert len((await client.get_partner_events(DEMO, "pe-500")).events) == 1

    async def test_soap_fault_keeps_code_and_message(
        self, client: UsenditClient, sandbox: Any
    ) -> None:
        await _arm(sandbox, operation="GetCredits", mode="soap_fault")
        with pytest.raises(ProviderFault) as caught:
            await client.get_credits(DEMO)
        assert caught.value.code is not None
        assert "Server" in caught.value.code
        assert caught.value.detail

    async def test_malformed_answer(self, client: UsenditClient, sandbox: Any) -> None:
        await _arm(sandbox, operation="SendMessages", mode="malformed")
        with pytest.raises(MalformedResponse):
            await client.send_messages(DEMO, "pe-bad", [_sms()])
        assert (await client.get_partner_events(DEMO, "pe-bad")).events == []

    async def test_latency_past_the_timeout(self, client: UsenditClient, sandbox: Any) -> None:
        await _arm(sandbox, operation="AuthenticateUser", mode="latency", seconds=3)
        with pytest.raises(OutcomeUnknown):
            await client.authenticate_user(DEMO)

    async def test_refused_connection_never_left(self, client: UsenditClient) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        endpoint = f"http://127.0.0.1:{port}/v1/remoteusendit.asmx"
        fast = client.fast_send
        async with UsenditClient(endpoint=endpoint, timeout=1.0, fast_send=fast) as usendit:
            with pytest.raises(ProviderUnavailable) as caught:
                await usendit.send_messages(DEMO, "pe-x", [_sms()])
        assert isinstance(caught.value, UsenditBotError)
        assert not isinstance(caught.value, OutcomeUnknown)


class TestWsdl:
    async def test_wsdl_from_the_sandbox_url(self, sandbox: Any) -> None:
        async with UsenditClient(wsdl=f"{sandbox.url}/v1/remoteusendit.asmx?WSDL") as usendit:
            assert usendit.address == sandbox.endpoint
            assert (await usendit.authenticate_user(DEMO)).user_credits == 500
            assert usendit.fast_send  # compiled from the WSDL the sandbox served
            assert (await usendit.send_messages(DEMO, "pe-url", [_sms()])).scheduled

    async def test_namespace_comes_from_the_wsdl(self, tmp_path: Path, sandbox: Any) -> None:
        text = bundled_wsdl().read_text(encoding="utf-8")
        moved = tmp_path / "other.wsdl"
        moved.write_text(text.replace("http://api.usendit.pt/v1/", "urn:example:usendit"))
        async with UsenditClient(wsdl=moved, endpoint=sandbox.endpoint) as usendit:
            assert usendit.namespace == "urn:example:usendit"
            assert usendit.fast_send

    async def test_unreadable_wsdl(self, tmp_path: Path) -> None:
        broken = tmp_path / "broken.wsdl"
        broken.write_text("<not-wsdl")
        with pytest.raises(UsenditBotError):
            await UsenditClient(wsdl=broken).start()


async def test_password_never_logged(sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Tr0ub4dor-unique-9931"
    account = Credentials("demo", secret)
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logging.getLogger(name).setLevel(logging.DEBUG)
    async with UsenditClient(endpoint=sandbox.endpoint, timeout=1.0) as usendit:
        await usendit.authenticate_user(account)
        await usendit.send_messages(account, "pe-log", [_sms()])
        await usendit.create_account(
            NewAccount(
                account_name="A",
                username="zz",
                password=secret,
                email="a@b.pt",
                msisdn="351919999999",
            ),
            InvoiceInfo(
                name="A",
                address="B",
                tax_identification_number="1",
                country="PT",
                city="C",
                zip_code="1",
                email="a@b.pt",
            ),
        )
        await _arm(sandbox, operation="AuthenticateUser", mode="latency", seconds=3)
        with pytest.raises(OutcomeUnknown) as caught:
            await usendit.authenticate_user(account)
    assert any("AuthenticateUser" in r.getMessage() for r in caplog.records)
    assert any("***" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in str(record.args)
    assert secret not in str(caught.value)
    assert secret not in repr(account)
