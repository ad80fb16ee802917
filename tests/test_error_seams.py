"""Only our errors cross a seam: foreign ones are wrapped where they enter, with their cause.

- Text no request can carry (NUL, vertical tab...) is refused before zeep sees it,
  with a reply in the user's language, and nothing reaches uSendit.
- A broken answer (undecodable body, a redirect loop, not XML) surfaces as one of
  ``bot.errors``, never as an httpx, zeep or lxml exception; the faults come from a
  small aiohttp server on 127.0.0.1 and from the sandbox's ``/_sandbox/faults``.
- ``/balance`` still answers when GetCredits or GetCreditPacks fails, and says so in
  the log.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import zeep.exceptions
from aiohttp import web
from chat_driver import Person, bot_settings, settled, text
from lxml import etree
from sandbox_api import arm_fault, sandbox_state

from bot.app import BotApp
from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.chat import Identity
from bot.chunk_send import INVALID_REQUEST
from bot.errors import (
    CampaignError,
    ErrorPage,
    InvalidRequest,
    MalformedResponse,
    OutcomeUnknown,
    ProviderError,
    ProviderFault,
    UsenditBotError,
)
from bot.i18n import translate
from bot.records import ChunkState, NewCampaign
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from bot.usendit.models import Sms
from bot.usendit.transport import RedactingAsyncTransport
from storage.sqlite import SqliteStore

DEMO = Credentials("demo", "demo")
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
FOREIGN = (
    httpx.HTTPError,
    zeep.exceptions.Error,
    etree.LxmlError,
    ValueError,
    LookupError,
    TypeError,
)
"""What used to escape: httpx's, zeep's and lxml's errors, and the builtins zeep raises
reading an answer it cannot make sense of."""


def assert_ours(exc: BaseException) -> None:
    """``exc`` is one of ours, and no foreign class (nor a subclass of one)."""
    assert isinstance(exc, UsenditBotError)
    assert not isinstance(exc, FOREIGN)
    assert not type(exc).__module__.startswith(("zeep", "httpx", "lxml"))


async def _calls(sandbox: SandboxServer) -> dict[str, int]:
    calls: dict[str, int] = (await sandbox_state(sandbox.url))["calls"]
    return calls


# --- text no request can carry ----------------------------------------------------


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    settings = bot_settings(sandbox.endpoint, tmp_path, usendit_timeout=2)
    async with BotApp(settings) as started:
        yield started


def portuguese(app: BotApp) -> Person:
    return Person(app.desk, user=Identity("console", "me"), locale="pt-PT", app=app)


class TestUnsendableText:
    @pytest.mark.parametrize("bad", ["\x00", "\x0b"])
    async def test_count_says_so_in_the_users_language(
        self, app: BotApp, sandbox: SandboxServer, bad: str
    ) -> None:
        me = portuguese(app)
        before = await _calls(sandbox)
        reply = text(await me.send(f"/count Olá{bad}mundo"))
        assert "um carácter que um SMS não pode levar" in reply
        assert f"U+{ord(bad):04X}" in reply
        assert translate("pt", "error.internal") not in reply
        assert await _calls(sandbox) == before  # not even SmsCharCounter was called
        # The process keeps serving, in the same language.
        assert "A uSendit conta o mesmo" in text(await me.send("/count Olá mundo"))
        assert "500" in text(await me.send("/balance"))

    async def test_one_line_send_drafts_nothing_and_sends_nothing(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = portuguese(app)
        replies = await me.send("/send 351912345678 Promo\x00 hoje")
        reply = text(replies)
        assert "um carácter que um SMS não pode levar" in reply
        assert "U+0000" in reply
        assert translate("pt", "error.internal") not in reply
        assert not [button for r in replies for row in r.buttons for button in row]
        assert await app.store.list_campaigns() == []
        state = await sandbox_state(sandbox.url)
        assert state["events"] == []
        assert "SendMessages" not in state["calls"]
        # Still serving: the same send without the NUL drafts a campaign.
        preview = text(await me.send("/send 351912345678 Promo hoje"))
        assert "Campanha n.º 1" in preview
        assert len(await app.store.list_campaigns()) == 1

    async def test_a_password_answer_is_deleted_and_its_characters_never_told(
        self, app: BotApp, caplog: pytest.LogCaptureFixture
    ) -> None:
        me = Person(app.desk, app=app)
        await me.send("/login")
        await me.send("demo")
        caplog.set_level(logging.DEBUG)
        replies = await me.send("de\x0bmo")
        assert replies[0].delete_command
        assert "Password holds a character an SMS cannot carry;" in text(replies)
        assert "U+000B" not in text(replies)
        assert "de\x0bmo" not in caplog.text
        # The wizard still waits for the password: the right one links the account.
        linked = await me.send("demo")
        assert linked[0].delete_command
        assert "Linked to demo" in text(linked)
        one_line = await me.send("/login demo de\x00mo")
        assert one_line[0].delete_command
        assert "U+0000" not in text(one_line)

    async def test_the_client_refuses_before_anything_leaves(self, sandbox: SandboxServer) -> None:
        async with UsenditClient(endpoint=sandbox.endpoint, timeout=2) as client:
            before = await _calls(sandbox)
            with pytest.raises(InvalidRequest) as counted:
                await client.sms_char_counter("a\x00b")
            assert (counted.value.operation, counted.value.field) == (
                "SmsCharCounter",
                "messageText",
            )
            assert counted.value.characters == ("\x00",)
            sms = Sms(msisdn="351912345678", text="ok", sender="Loja\x1b")
            with pytest.raises(InvalidRequest) as sent:
                await client.send_messages(DEMO, "pe-bad-sender", [sms])
            assert sent.value.field == "Sender"
            assert "smsList.Sms[0].Sender" in str(sent.value)
            secret = "pa\x00ss-distinctive"
            with pytest.raises(InvalidRequest) as auth:
                await client.authenticate_user(Credentials("demo", secret))
            assert auth.value.field == "password"
            assert auth.value.characters == ()
            assert secret not in str(auth.value)
            assert "U+0000" not in str(auth.value)
            assert await _calls(sandbox) == before
        for caught in (counted, sent, auth):
            assert_ours(caught.value)
            assert not isinstance(caught.value, ProviderError)  # uSendit was never asked

    async def test_the_engine_refuses_a_draft_with_it(self, tmp_path: Path) -> None:
        async with SqliteStore(tmp_path / "bot.db") as store:
            engine = CampaignEngine(store, UsenditClient(), lambda _: _account())
            with pytest.raises(CampaignError, match="U\\+0000"):
                await engine.create(
                    account="demo",
                    created_by="console:me",
                    chat="console",
                    text="a\x00b",
                    recipients=["351912345678"],
                )
            assert await store.list_campaigns() == []

    async def test_a_stored_text_stops_the_campaign_with_nothing_sent(
        self, sandbox: SandboxServer, tmp_path: Path
    ) -> None:
        """A campaign stored before the check (or by another tool), sent by the worker:
        SendMessages is refused by the client, so its chunk goes back to PENDING (never
        UNKNOWN: there is nothing to reconcile), the campaign stops with its reason and
        is not retried (the worker has no work left), and uSendit never hears of it."""
        settings = bot_settings(sandbox.endpoint, tmp_path, usendit_timeout=2, chunk_size=2)
        async with BotApp(settings) as app:
            campaign = await app.store.create_campaign(
                NewCampaign(
                    key="k-stored",
                    account="demo",
                    created_by="console:me",
                    chat="console:me",
                    text="Promo\x00",
                    sender=None,
                    schedule_at=None,
                    segments=1,
                    recipients=("351912345678", "351912345679", "351912345670"),
                )
            )
            assert await app.desk.engine.confirm(campaign.id)
            app.worker.wake()
            await settled(app, within=10)
            status = await app.desk.engine.status(campaign.id)
            assert "500" in text(await Person(app.desk, app=app).send("/balance"))
        assert status.state is CampaignState.STOPPED
        assert status.campaign.reason == INVALID_REQUEST
        assert [c.state for c in status.chunks] == [ChunkState.PENDING, ChunkState.PENDING]
        assert [c.attempts for c in status.chunks] == [1, 0]  # tried once, never again
        state = await sandbox_state(sandbox.url)
        assert state["events"] == []
        assert "SendMessages" not in state["calls"]


async def _account() -> Credentials:
    return DEMO


# --- answers that cannot be read ----------------------------------------------------


@dataclass
class Broken:
    """A local HTTP server answering every request with one fault; counts the hits."""

    mode: str = "ok"
    hits: list[str] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        self.hits.append(request.path)
        xml = {"Content-Type": "text/xml; charset=utf-8"}
        if self.mode == "undecodable":
            # Says gzip, is not: httpx cannot decode the body.
            return web.Response(
                body=b"\x1f\x8bnot gzip at all", headers={**xml, "Content-Encoding": "gzip"}
            )
        if self.mode == "redirect_loop":
            raise web.HTTPTemporaryRedirect(location=request.path)
        if self.mode == "not_xml":
            return web.Response(
                text="<html><body>Service Temporarily Busy", content_type="text/html"
            )
        if self.mode == "no_body":
            return web.Response(body=f'<s:Envelope xmlns:s="{SOAP_ENV}"/>'.encode(), headers=xml)
        if self.mode == "empty_body":
            envelope = f'<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body/></s:Envelope>'
            return web.Response(body=envelope.encode(), headers=xml)
        if self.mode == "gzip_ok":
            return web.Response(
                body=gzip.compress(b"<nope/>"), headers={**xml, "Content-Encoding": "gzip"}
            )
        raise AssertionError(f"unknown mode {self.mode}")


@pytest.fixture
async def broken() -> AsyncIterator[Broken]:
    server = Broken()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.url = f"http://127.0.0.1:{port}/v1/remoteusendit.asmx"
    try:
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture
async def broken_client(broken: Broken) -> AsyncIterator[UsenditClient]:
    async with UsenditClient(endpoint=broken.url, timeout=2) as client:
        yield client


def _sms() -> list[Sms]:
    return [Sms(msisdn="351912345678", text="Hello", partner_msg_id="p-1")]


class TestUnreadableAnswers:
    async def test_an_undecodable_body_is_malformed(
        self, broken: Broken, broken_client: UsenditClient
    ) -> None:
        broken.mode = "undecodable"
        with pytest.raises(MalformedResponse) as caught:
            await broken_client.send_messages(DEMO, "pe-gzip", _sms())
        assert_ours(caught.value)
        assert isinstance(caught.value.__cause__, httpx.DecodingError)
        assert caught.value.operation == "SendMessages"

    async def test_a_redirect_is_never_followed_and_is_outcome_unknown(
        self, broken: Broken, broken_client: UsenditClient
    ) -> None:
        broken.mode = "redirect_loop"
        with pytest.raises(OutcomeUnknown) as caught:
            await broken_client.send_messages(DEMO, "pe-loop", _sms())
        assert_ours(caught.value)
        assert not isinstance(caught.value, MalformedResponse)
        assert "307" in str(caught.value)
        assert len(broken.hits) == 1  # the SendMessages was not POSTed again elsewhere

    async def test_a_redirect_loop_followed_by_httpx_is_outcome_unknown(
        self, broken: Broken
    ) -> None:
        """At the transport itself, with a client told to follow redirects: httpx's
        TooManyRedirects comes out as ours, since the request did leave."""
        broken.mode = "redirect_loop"
        envelope = etree.fromstring(
            f'<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body><GetCredits xmlns="urn:x"/></s:Body>'
            "</s:Envelope>"
        )
        async with httpx.AsyncClient(follow_redirects=True, max_redirects=3) as http:
            with httpx.Client() as wsdl_http:
                transport = RedactingAsyncTransport(client=http, wsdl_client=wsdl_http)
                with pytest.raises(OutcomeUnknown) as caught:
                    await transport.post_xml(broken.url, envelope, {})
        assert_ours(caught.value)
        assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)
        assert caught.value.operation == "GetCredits"
        assert len(broken.hits) == 4

    @pytest.mark.parametrize("mode", ["not_xml", "no_body", "empty_body", "gzip_ok"])
    async def test_a_200_that_is_not_a_soap_answer_is_malformed(
        self, broken: Broken, broken_client: UsenditClient, mode: str
    ) -> None:
        broken.mode = mode
        with pytest.raises(MalformedResponse) as caught:
            await broken_client.get_credits(DEMO)
        assert_ours(caught.value)
        assert caught.value.__cause__ is not None  # the foreign error, kept

    @pytest.mark.parametrize(
        ("mode", "expected"),
        [
            ("malformed", MalformedResponse),
            ("http_500", ErrorPage),
            ("soap_fault", ProviderFault),
        ],
    )
    async def test_the_sandboxs_faults(
        self, sandbox: SandboxServer, mode: str, expected: type[ProviderError]
    ) -> None:
        await arm_fault(sandbox.url, operation="GetCredits", mode=mode)
        async with UsenditClient(endpoint=sandbox.endpoint, timeout=2) as client:
            with pytest.raises(expected) as caught:
                await client.get_credits(DEMO)
            assert type(caught.value) is expected
            assert_ours(caught.value)
            # The same client goes on working after it.
            assert (await client.get_credits(DEMO)).credits == 500


# --- /balance with a call failing ---------------------------------------------------------


SECRET = "Kq7-distinctive-balance-pass"


@pytest.fixture
async def ana(tmp_path: Path) -> AsyncIterator[tuple[BotApp, SandboxServer]]:
    """The bot on a sandbox whose default account has a password worth looking for."""
    async with SandboxServer(host="127.0.0.1", port=0, accounts=[f"ana:{SECRET}:50"]) as sandbox:
        settings = bot_settings(
            sandbox.endpoint,
            tmp_path,
            usendit_username="ana",
            usendit_password=SECRET,
            usendit_timeout=2,
        )
        async with BotApp(settings) as started:
            yield started, sandbox


def _no_secret(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(record.args)


class TestBalance:
    @pytest.mark.parametrize("mode", ["soap_fault", "http_500", "malformed"])
    async def test_get_credits_failing_still_answers_authenticate_credits(
        self,
        ana: tuple[BotApp, SandboxServer],
        caplog: pytest.LogCaptureFixture,
        mode: str,
    ) -> None:
        app, sandbox = ana
        await arm_fault(sandbox.url, operation="GetCredits", mode=mode)
        caplog.set_level(logging.DEBUG)
        reply = text(await Person(app.desk, app=app).send("/balance"))
        assert reply == "50 credits left on ana."
        warned = [
            r
            for r in caplog.records
            if r.name == "bot.plain_commands" and "GetCredits" in r.getMessage()
        ]
        assert [r.levelno for r in warned] == [logging.WARNING]
        assert (await _calls(sandbox))["GetCredits"] == 1
        _no_secret(caplog)

    async def test_get_credit_packs_failing_keeps_the_username(
        self, ana: tuple[BotApp, SandboxServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        app, sandbox = ana
        await arm_fault(sandbox.url, operation="GetCreditPacks", mode="soap_fault")
        caplog.set_level(logging.DEBUG)
        reply = text(await Person(app.desk, app=app).send("/balance"))
        assert reply == "50 credits left on ana."
        assert any(
            r.name == "bot.plain_commands" and "GetCreditPacks" in r.getMessage()
            for r in caplog.records
        )
        _no_secret(caplog)

    async def test_both_failing_still_answers(
        self, ana: tuple[BotApp, SandboxServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        app, sandbox = ana
        await arm_fault(sandbox.url, operation="GetCredits", mode="http_500")
        await arm_fault(sandbox.url, operation="GetCreditPacks", mode="malformed")
        with caplog.at_level(logging.WARNING, logger="bot.plain_commands"):
            reply = text(await Person(app.desk, app=app).send("/balance"))
        assert reply == "50 credits left on ana."
        assert "GetCredits failed" in caplog.text
        assert "GetCreditPacks failed" in caplog.text
        _no_secret(caplog)
