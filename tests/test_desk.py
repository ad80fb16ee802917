"""Every command and both wizards through the core, against the sandbox, on SQLite."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from chat_driver import Person, bot_settings, labels, notices_of, text
from sandbox_api import arm_fault, sandbox_messages, sandbox_state

from bot.app import BotApp
from bot.chat import Attachment, Identity
from bot.errors import StoreError
from bot.records import AuditEntry, CampaignPhase, NewAuditEntry, TurnContext
from bot.sandbox import SandboxServer
from bot.settings import Settings
from storage.sqlite import SqliteStore


def settings_for(endpoint: str, tmp_path: Path) -> Settings:
    return bot_settings(
        endpoint,
        tmp_path,
        usendit_timeout=2,
        bot_admins=["console:me", "telegram:1"],
        bot_senders=["console:sender"],
        bot_viewers=["console:viewer"],
    )


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(settings_for(sandbox.endpoint, tmp_path)) as started:
        yield started


@pytest.fixture
def me(app: BotApp) -> Person:
    return Person(app.desk, app=app)


def person(app: BotApp, user: str, chat: str = "console:me", **kw: object) -> Person:
    return Person(app.desk, user=Identity("console", user), chat_id=chat, app=app, **kw)  # type: ignore[arg-type]


class TestBasics:
    async def test_help_lists_what_the_role_allows(self, app: BotApp, me: Person) -> None:
        admin = text(await me.send("/help"))
        assert "/send" in admin
        assert "/buy" in admin
        assert labels(me.last) == ["Balance"]
        viewer = text(await person(app, "viewer").send("/start"))
        assert "/balance" in viewer
        assert "/send" not in viewer
        assert "/buy" not in viewer

    async def test_commands_are_spelled_as_the_platform_does(self, app: BotApp) -> None:
        slack = person(app, "me")
        slack.prefix = "/sms "
        listing = text(await slack.send("/help"))
        assert "/sms send [numbers text] — " in listing
        assert "\n/send" not in listing
        assert "I don't know /sms nothing. Type /sms help" in text(await slack.send("/nothing"))
        assert "Use: /sms confirm <code" in text(await slack.send("/confirm"))

    async def test_balance_and_its_button(self, me: Person) -> None:
        assert "500 credits left on Demo Account" in text(await me.send("/balance"))
        await me.send("/help")
        assert "500 credits" in text(await me.press("Balance"))

    async def test_unknown_user_is_refused_with_their_id(self, app: BotApp) -> None:
        stranger = Person(app.desk, user=Identity("telegram", "999"), chat_id="telegram:999")
        assert "telegram:999" in text(await stranger.send("/balance"))

    async def test_unknown_command_and_missing_arguments(self, me: Person) -> None:
        assert "/frobnicate" in text(await me.send("/frobnicate"))
        assert "/count" in text(await me.send("/count"))
        assert "/buy" in text(await me.send("/buy"))
        assert "/help" in text(await me.send("just some words"))

    async def test_a_replayed_update_has_no_second_effect(self, me: Person) -> None:
        first = await me.send("/balance", update_id="same-update")
        again = await me.send("/balance", update_id="same-update")
        assert first
        assert again == []

    async def test_provider_down_is_said_plainly(self, tmp_path: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        endpoint = f"http://127.0.0.1:{port}/v1/remoteusendit.asmx"
        async with BotApp(settings_for(endpoint, tmp_path)) as down:
            reply = text(await Person(down.desk).send("/balance"))
        assert "cannot be reached" in reply

    @pytest.mark.parametrize(
        ("mode", "said"),
        [
            ("http_500", "uSendit answered with an error page (HTTP 500)"),
            ("soap_fault", "uSendit reported an error of its own"),
            ("malformed", "uSendit's answer could not be read"),
        ],
    )
    async def test_each_provider_failure_has_its_own_sentence(
        self, sandbox: SandboxServer, me: Person, mode: str, said: str
    ) -> None:
        await arm_fault(sandbox.url, operation="AuthenticateUser", mode=mode)
        answer = text(await me.send("/balance"))
        assert said in answer
        assert "Nothing was charged" not in answer
        assert "did not answer in time" not in answer

    async def test_provider_timeout_is_not_called_a_failure(
        self, sandbox: SandboxServer, me: Person
    ) -> None:
        await arm_fault(sandbox.url, operation="AuthenticateUser", mode="stall_after_commit")
        assert "may still be working" in text(await me.send("/balance"))


class TestCount:
    @pytest.mark.parametrize(
        ("message", "segments", "encoding"),
        [("a" * 160, 1, "GSM-7"), ("a" * 161, 2, "GSM-7"), ("ç" * 70, 1, "UCS-2")],
    )
    async def test_counts(self, me: Person, message: str, segments: int, encoding: str) -> None:
        reply = text(await me.send(f"/count {message}"))
        assert f"Segments: {segments}" in reply
        assert encoding in reply
        assert "uSendit counts the same" in reply

    async def test_accents_offer_gsm7_and_the_button_adopts_it(self, me: Person) -> None:
        offer = "Olá, amanhã há promoção em todas as lojas: até 30% de desconto em tudo, só hoje!"
        reply = text(await me.send("/count " + offer))
        assert "UCS-2" in reply
        assert "á ã ç ó" in reply
        assert "Ola, amanha ha promocao" in reply
        adopted = text(await me.press("Use without accents"))
        assert "GSM-7" in adopted
        assert "UCS-2" not in adopted

    async def test_too_long_for_the_provider(self, me: Person) -> None:
        assert "at most 6 segments" in text(await me.send("/count " + "x" * 1000))


class TestSendWizard:
    async def test_the_whole_wizard(self, app: BotApp, me: Person, sandbox: SandboxServer) -> None:
        assert "numbers" in text(await me.send("/send"))
        got = text(await me.send("912345678, +351 913 333 333\n912345678\nabc\n212345678"))
        assert "2 recipients" in got
        assert "abc" in got
        assert "repeats line 1" in got
        assert "not a mobile" in got
        christmas = "Promoção de Natal: até 30% de desconto em todas as lojas, de hoje até domingo!"
        assert "Accents" in text(await me.send(christmas))  # UCS-2 in 2 segments, GSM-7 in 1
        await me.press("Use without accents")
        assert "Sender" in text(me.last)
        assert text(await me.send("Loja!!")) != ""  # refused, asked again
        assert "not allowed" in text(me.last)
        await me.send("Loja")
        assert "When" in text(me.last)
        assert "passed" in text(await me.send("01/01/2020 10:00"))
        assert "Deliver only at some hours" in text(await me.send("2099-12-24 10:00"))
        assert labels(me.last) == ["Any time"]
        assert "across midnight" in text(await me.send("22h-6h"))
        assert labels(me.last) == ["Any time"]  # refused, asked again
        assert "could not read" in text(await me.send("lunchtime"))
        preview = text(await me.send("9h-20h dias úteis"))
        assert "Delivered only 09:00–20:00, working days" in preview
        assert "delivery starts" not in preview  # a Thursday at 10:00: open
        assert "Recipients: 2" in preview
        assert "Credits needed: 2 (balance: 500)" in preview
        assert "2099-12-24 10:00" in preview
        assert labels(me.last) == ["Confirm", "Edit", "Cancel"]
        confirm = next(b.action for r in me.last for row in r.buttons for b in row)
        done = await me.press("Confirm")
        # One message, posted by the worker's notice then edited in place.
        assert len(done) >= 2
        assert len(set((await notices_of(app)).messages("console:me"))) == 1
        assert "done" in done[-1].text
        assert "credits spent: 2" in done[-1].text
        state = await sandbox_state(sandbox.url)
        assert [e["recipients"] for e in state["events"]] == [2]
        assert {m["sender"] for m in state["events"][0]["messages"]} == {"Loja"}
        windows = {
            (m["begin_time"], m["end_time"], m["working_days"]) for m in sandbox_messages(state)
        }
        assert windows == {("09:00:00", "20:00:00", True)}
        # A second press (another update) changes nothing.
        assert "already confirmed" in text(await me.press(confirm))
        assert len((await sandbox_state(sandbox.url))["events"]) == 1

    async def test_one_line_form_and_status(self, app: BotApp, me: Person) -> None:
        preview = text(await me.send("/send +351912345678,+351913333333 Hello there"))
        assert "Recipients: 2" in preview
        await me.press("Confirm")
        status = text(await me.send("/status"))
        assert "done" in status
        campaign_id = re.search(r"#(\d+)", status)
        assert campaign_id is not None
        assert "Accepted: 2" in text(await me.send(f"/status {campaign_id.group(1)}"))
        assert "No campaign 999" in text(await me.send("/status 999"))
        assert "Hello there" in text(await me.send("/history"))
        elsewhere = person(app, "me", chat="console:other-chat")
        assert "No campaigns" in text(await elsewhere.send("/history"))
        assert "Hello there" in text(await elsewhere.send("/history mine"))
        assert "Accepted: 2" in text(await elsewhere.send(f"/status {campaign_id.group(1)}"))
        stranger = person(app, "viewer", chat="console:other-chat")
        assert "No campaign" in text(await stranger.send(f"/status {campaign_id.group(1)}"))
        # In a group (others read along) the maker sees only that group's campaigns.
        group = person(app, "me", chat="console:group")
        group.private = False
        assert "No campaign" in text(await group.send(f"/status {campaign_id.group(1)}"))
        assert "No campaigns" in text(await group.send("/history mine"))
        event_id = (await app.store.chunks(int(campaign_id.group(1))))[0].event_ids[0]
        assert event_id > 1000
        assert "No campaign" in text(await me.send(f"/status {event_id + 1}"))
        assert f"#{campaign_id.group(1)}:" in text(await me.send(f"/status {event_id}"))

    async def test_a_recipients_file(self, me: Person) -> None:
        await me.send("/send")
        csv = "Nome;Telemóvel\r\nAna;912345678\r\nRui;913333333\r\nZé;123\r\n".encode()
        got = text(await me.send(files=(Attachment("clientes.csv", b"\xef\xbb\xbf" + csv),)))
        assert "2 recipients from clientes.csv" in got
        assert "123" in got
        broken = await me.send("/send")
        assert broken
        assert "not a CSV" in text(
            await me.send(files=(Attachment("x.csv", b"\x00\x01\x02" * 50),))
        )

    async def test_counting_in_the_middle_keeps_the_wizard(self, me: Person) -> None:
        await me.send("/send")
        await me.send("912345678")
        assert "Segments: 1" in text(await me.send("/count Hello"))
        assert "Sender" in text(await me.send("Hello everyone"))

    async def test_cancel_and_edit(self, me: Person, sandbox: SandboxServer) -> None:
        await me.send("/send 912345678 First text")
        edited = text(await me.press("Edit"))
        assert "1 recipient kept" in edited
        await me.send("Second text")
        await me.press("Default sender")
        await me.press("Send now")
        preview = text(await me.press("Any time"))
        assert "Second text" in preview
        assert "Nothing was sent" in text(await me.press("Cancel"))
        assert (await sandbox_state(sandbox.url))["events"] == []
        assert "nothing to cancel" in text(await me.send("/cancel"))

    async def test_edit_changes_the_same_draft(
        self, app: BotApp, me: Person, sandbox: SandboxServer
    ) -> None:
        first = await me.send("/send 912345678,913333333 First text")
        assert "Campaign #1" in text(first)
        await me.press("Edit")
        await me.send("Second text")
        await me.press("Default sender")
        await me.press("Send now")
        second = await me.press("Any time")
        assert "Campaign #1" in text(second)  # the same draft: no #2
        assert "Second text" in text(second)
        me.last = first
        assert "changed after that preview" in text(await me.press("Confirm"))
        assert (await sandbox_state(sandbox.url))["events"] == []
        me.last = second
        assert "done" in text(await me.press("Confirm"))
        (event,) = (await sandbox_state(sandbox.url))["events"]
        assert {m["text"] for m in event["messages"]} == {"Second text"}
        assert [(c.id, c.text, c.recipient_count) for c in await app.store.list_campaigns()] == [
            (1, "Second text", 2)
        ]
        history = text(await me.send("/history"))
        assert history.count("#1") == 1
        assert "#2" not in history

    async def test_the_saved_state_is_small_and_typed(self, app: BotApp, me: Person) -> None:
        await me.send("/send")
        numbers = ", ".join(f"9123456{i:02d}" for i in range(40))
        await me.send(numbers)
        saved = await app.store.get_conversation("console:me|console:me")
        assert saved is not None
        assert saved.data == {"step": "text", "campaign": 1}  # the numbers are the draft's
        assert len(await app.store.recipients(1, 0, 100)) == 40
        await app.store.save_conversation(
            "console:me|console:me", "send", {"step": "bogus", "numbers": ["1"]}, datetime.now(UTC)
        )
        assert "not waiting for an answer" in text(await me.send("Hello"))
        assert await app.store.get_conversation("console:me|console:me") is None

    async def test_an_abandoned_send_leaves_no_draft(self, app: BotApp, me: Person) -> None:
        await me.send("/send")
        await me.send("912345678")
        saved = await app.store.get_conversation("console:me|console:me")
        assert saved is not None
        old = datetime.now(UTC) - timedelta(hours=2)
        await app.store.save_conversation(saved.key, saved.name, saved.data, old)
        assert "expired" in text(await me.send("Some text"))
        campaign = await app.store.get_campaign(1)
        assert campaign is not None
        assert campaign.phase is CampaignPhase.CANCELLED

    async def test_roles_are_checked_for_the_presser(self, app: BotApp, me: Person) -> None:
        await me.send("/send 912345678 Hi")
        viewer = person(app, "viewer")
        viewer.last = me.last
        assert "sender role" in text(await viewer.press("Confirm"))
        sender = person(app, "sender")
        sender.last = me.last
        assert "done" in text(await sender.press("Confirm"))
        assert "admin role" in text(await sender.send("/buy 1"))
        assert "sender role" in text(await viewer.send("/send"))

    async def test_text_over_the_provider_limit(self, me: Person) -> None:
        await me.send("/send")
        await me.send("912345678")
        assert "at most 6" in text(await me.send("y" * 1000))

    async def test_wizard_survives_a_restart(self, sandbox: SandboxServer, tmp_path: Path) -> None:
        settings = settings_for(sandbox.endpoint, tmp_path)
        async with BotApp(settings) as first:
            await Person(first.desk).send("/send")
            await Person(first.desk).send("912345678")
        async with BotApp(settings) as second:
            again = Person(second.desk)
            assert "Sender" in text(await again.send("Plain text"))

    async def test_an_expired_wizard_says_so(self, app: BotApp, me: Person) -> None:
        await me.send("/send")
        old = datetime.now(UTC) - timedelta(hours=2)
        await app.store.save_conversation("console:me|console:me", "send", {"step": "text"}, old)
        assert "expired" in text(await me.send("Some text"))

    async def test_insufficient_credits_is_caught_before_sending(
        self, me: Person, sandbox: SandboxServer
    ) -> None:
        numbers = ",".join(f"35191{i:07d}" for i in range(120))
        long_text = "z" * 700  # 5 segments x 120 = 600 credits > 500
        preview = text(await me.send(f"/send {numbers} {long_text}"))
        assert "does not cover" in preview
        stopped = await me.press("Confirm")
        assert "needs 600" in text(stopped)
        assert labels(stopped) == ["Continue sending"]
        assert (await sandbox_state(sandbox.url))["events"] == []
        # Buy credits (the sandbox's card link pays), then carry on where it stopped.
        link = re.search(r"https?://\S+/_sandbox/pay/\S+", text(await me.send("/buy 3")))
        assert link is not None
        async with httpx.AsyncClient() as http:
            (await http.get(link.group(0).rstrip("."))).raise_for_status()
        assert "Continue sending" in labels(await me.send("/status"))
        done = text(await me.press("Continue sending"))
        assert "credits spent: 600" in done
        assert len((await sandbox_state(sandbox.url))["events"]) == 1


class TestAccounts:
    async def test_a_second_balance_is_one_round_trip(
        self, me: Person, sandbox: SandboxServer
    ) -> None:
        assert "500 credits left on Demo Account" in text(await me.send("/balance"))
        before = dict((await sandbox_state(sandbox.url))["calls"])
        assert "500 credits left on Demo Account" in text(await me.send("/balance"))
        after = (await sandbox_state(sandbox.url))["calls"]
        grew = {op: n - before.get(op, 0) for op, n in after.items() if n != before.get(op, 0)}
        assert grew == {"AuthenticateUser": 1}

    async def test_packs_and_buying(self, me: Person) -> None:
        packs = text(await me.send("/packs"))
        assert "7.38" in packs
        assert "33.83" in packs
        bought = text(await me.send("/buy 1"))
        assert "11249" in bought
        assert "/_sandbox/pay/" in bought
        assert "not active" in text(await me.send("/buy 1 SUMMER2019"))
        assert "does not exist" in text(await me.send("/buy 1 NOPE"))
        assert "no credit pack" in text(await me.send("/buy 77"))

    async def test_signup_confirm_and_resend(self, me: Person, sandbox: SandboxServer) -> None:
        await me.send("/signup")
        await me.send("Padaria Lopes")
        await me.send("padaria")
        asked = await me.send("segredo-123")
        assert asked[0].delete_command
        assert "not an email" in text(await me.send("nope"))
        for answer in ["geral@padaria.pt", "pt", "913333333", "Padaria Lopes Lda"]:
            await me.send(answer)
        assert "not a tax number of PT" in text(await me.send("501234567"))  # bad check digit
        for answer in ["501 234 560", "Rua Direita 1", "Lisboa", "1100-001"]:
            await me.send(answer)
        assert "Create this account?" in text(me.last)
        assert "segredo-123" not in text(me.last)
        created = text(await me.press("Create account"))
        assert "/confirm" in created
        assert "not confirmed" in text(await me.send("/balance"))
        assert "wrong" in text(await me.send("/confirm 000000"))
        outbox = (await sandbox_state(sandbox.url))["outbox"]
        code = re.findall(r"\d{6}", outbox[-1]["text"])[-1]
        assert "confirmed" in text(await me.send(f"/confirm {code}"))
        assert "already confirmed" in text(await me.send("/resend"))
        assert "0 credits" in text(await me.send("/balance"))
        assert "Unlinked" in text(await me.send("/logout"))
        assert "500 credits" in text(await me.send("/balance"))

    async def test_the_signup_state_is_typed_and_holds_the_password_sealed(
        self, app: BotApp, me: Person
    ) -> None:
        await me.send("/signup")
        await me.send("Padaria Lopes")
        await me.send("padaria")
        await me.send("segredo-123")
        saved = await app.store.get_conversation("console:me|console:me")
        assert saved is not None
        assert set(saved.data) == {"step", "account_name", "username", "sealed"}
        assert saved.data["step"] == "email"
        assert "segredo-123" not in str(saved.data)
        await app.store.save_conversation(
            saved.key, "signup", {"step": "email", "password": "plain"}, datetime.now(UTC)
        )
        assert "not waiting for an answer" in text(await me.send("geral@padaria.pt"))
        assert await app.store.get_conversation(saved.key) is None

    async def test_a_signup_outside_portugal(self, app: BotApp, me: Person) -> None:
        await me.send("/signup")
        for answer in ["Tienda Sol", "tiendasol", "secreto-99", "hola@sol.es"]:
            await me.send(answer)
        assert "two-letter code" in text(await me.send("Spain"))
        assert "Mobile number" in text(await me.send("es"))
        said = text(await me.send("91234"))
        assert "not a mobile number in ES" in said
        assert "country code" in said
        assert "Invoice name" in text(await me.send("+34 612 345 678"))
        assert "e.g. 12345678Z" in text(await me.send("Tienda Sol SL"))
        assert "it looks like 12345678Z" in text(await me.send("12345678A"))  # wrong letter
        await me.send("12345678Z")
        await me.send("Calle Mayor 1")
        assert "e.g. 28001" in text(await me.send("Madrid"))
        assert "it looks like 28001" in text(await me.send("1100-001"))
        review = text(await me.send("28013"))
        assert "tax no. 12345678Z" in review
        assert "28013 Madrid, ES" in review
        assert "34612345678" in review

    async def test_login_only_in_private(self, app: BotApp) -> None:
        group = Person(
            app.desk, user=Identity("telegram", "1"), chat_id="telegram:-100", private=False
        )
        refused = await group.send("/login demo demo")
        assert refused[0].delete_command
        assert "change it" in text(refused)
        stranger = Person(
            app.desk, user=Identity("telegram", "77"), chat_id="telegram:-100", private=False
        )
        unknown = await stranger.send("/login demo demo")
        assert unknown[0].delete_command
        assert "change it" in text(unknown)
        # In a private chat, where passwords go, someone who may not link one is refused
        # for that, and the message is deleted all the same.
        alone = Person(app.desk, user=Identity("telegram", "77"), chat_id="telegram:77")
        denied = await alone.send("/login demo demo")
        assert denied[0].delete_command
        assert "not allowed to use this bot" in text(denied)
        assert "change it" not in text(denied)

    async def test_login_keeps_the_password_only_encrypted(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        secret = "Zx9-distinctive-pass"
        caplog.set_level(logging.DEBUG)
        for name in list(logging.root.manager.loggerDict):
            logging.getLogger(name).setLevel(logging.DEBUG)
        async with (
            SandboxServer(accounts=[f"ana:{secret}:50"]) as sandbox,
            BotApp(settings_for(sandbox.endpoint, tmp_path)) as app,
        ):
            me = Person(app.desk)
            wrong = await me.send("/login ana not-the-password")
            assert wrong[0].delete_command
            assert "Nothing was saved" in text(wrong)
            await me.send("/login")
            await me.send("ana")
            linked = await me.send(secret)
            assert linked[0].delete_command
            assert "Linked to ana" in text(linked)
            assert "50 credits" in text(await me.send("/balance"))
        files = list(tmp_path.glob("bot.db*"))
        assert files
        for file in files:
            assert secret.encode() not in file.read_bytes()
        for record in caplog.records:
            assert secret not in record.getMessage()

    async def test_a_password_that_looks_like_a_command_is_still_a_password(
        self, me: Person
    ) -> None:
        await me.send("/login")
        await me.send("demo")
        answer = await me.send("/Hunter2")
        assert answer[0].delete_command
        assert "Nothing was saved" in text(answer)
        assert "Hunter2" not in text(answer)

    async def test_a_password_answer_is_deleted_even_when_uSendit_fails(
        self, me: Person, sandbox: SandboxServer
    ) -> None:
        await me.send("/login")
        await me.send("demo")
        await arm_fault(sandbox.url, operation="AuthenticateUser", mode="stall_after_commit")
        failed = await me.send("demo")
        assert failed[0].delete_command
        assert "may still be working" in text(failed)


class TestLanguages:
    async def test_portuguese_by_choice(self, me: Person) -> None:
        assert "português" in text(await me.send("/lang pt"))
        assert "créditos" in text(await me.send("/balance"))
        await me.send("/send 912345678 Olá")
        assert "Confirmar" in labels(me.last)

    async def test_spanish_from_the_platform_locale(self, app: BotApp) -> None:
        hablante = person(app, "me", locale="es-ES")
        assert "créditos" in text(await hablante.send("/saldo"))
        assert "no" in text(await hablante.send("/foo")).lower()

    async def test_help_in_portuguese_names_the_portuguese_commands(self, app: BotApp) -> None:
        falante = person(app, "me", locale="pt-PT")
        listing = text(await falante.send("/ajuda"))
        assert "/comprar <pacote> [código] — " in listing
        assert "/contar <texto> — " in listing
        assert "/buy" not in listing
        assert "Compre um com /comprar" in text(await falante.send("/pacotes"))
        assert "/contar Olá!" in text(await falante.send("/contar"))

    async def test_a_translated_login_with_a_password_in_a_group_is_deleted(
        self, app: BotApp
    ) -> None:
        group = person(app, "me", chat="console:group", private=False)
        refused = await group.send("/Associar demo demo")
        assert refused[0].delete_command

    async def test_english_is_the_default(self, me: Person) -> None:
        assert "credits left" in text(await me.send("/balance"))
        assert "Choose a language" in text(await me.send("/lang xx"))


class FlakyStore(SqliteStore):
    """The real SQLite store, whose chosen operations fail as a locked or full database
    makes them fail (the store's own error, as its seam promises)."""

    failing: frozenset[str] = frozenset()

    def _fail(self, operation: str) -> None:
        if operation in self.failing:
            raise StoreError(f"SQLite: {operation} failed: database is locked")

    async def begin_turn(
        self, event_id: str, at: datetime, identity: str, conversation: str | None
    ) -> TurnContext | None:
        self._fail("claim")  # the event's claim, with what its turn reads
        return await super().begin_turn(event_id, at, identity, conversation)

    async def confirm_campaign(
        self, campaign_id: int, at: datetime, revision: int | None = None
    ) -> bool:
        self._fail("confirm_campaign")
        return await super().confirm_campaign(campaign_id, at, revision)

    async def add_audit_entry(self, entry: NewAuditEntry) -> AuditEntry:
        self._fail("add_audit_entry")
        return await super().add_audit_entry(entry)


class AskedStore(SqliteStore):
    """The real SQLite store, telling which account reads a turn made of it."""

    asked: list[str]

    async def linked_account(self, identity: str) -> str | None:
        self.asked.append("linked_account")
        return await super().linked_account(identity)

    async def account_secret(self, username: str) -> bytes | None:
        self.asked.append("account_secret")
        return await super().account_secret(username)


async def test_a_linked_account_is_read_with_the_turns_claim(tmp_path: Path) -> None:
    async with SandboxServer(
        accounts=["demo:demo:500", "ana:ana-pass:50", "rui:rui-pass:70"]
    ) as sandbox:
        app = BotApp(settings_for(sandbox.endpoint, tmp_path))
        store = app.store = AskedStore(tmp_path / "bot.db", sender=True)
        store.asked = []
        async with app:
            me = Person(app.desk, app=app)
            assert "Linked to ana" in text(await me.send("/login ana ana-pass"))
            store.asked.clear()
            assert "50 credits" in text(await me.send("/balance"))
            assert store.asked == []  # the link and its sealed password came with the claim
            assert "Linked to rui" in text(await me.send("/login rui rui-pass"))
            assert "70 credits" in text(await me.send("/balance"))  # the new link, next turn
            await me.send("/logout")
            assert "500 credits" in text(await me.send("/balance"))  # the bot's own, again


class TestStoreFailures:
    @pytest.fixture
    async def flaky(self, sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
        app = BotApp(settings_for(sandbox.endpoint, tmp_path))
        app.store = FlakyStore(tmp_path / "bot.db", sender=True)
        async with app:
            yield app

    async def test_a_store_down_before_the_claim_did_nothing(self, flaky: BotApp) -> None:
        me = Person(flaky.desk, app=flaky)
        FlakyStore.failing = frozenset({"claim"})
        try:
            said = text(await me.send("/balance"))
        finally:
            FlakyStore.failing = frozenset()
        assert "database is not answering, so I did nothing" in said
        assert "500 credits" in text(await me.send("/balance"))  # and the bot lives on

    async def test_a_store_failing_at_confirm_never_says_nothing_was_sent(
        self, flaky: BotApp, sandbox: SandboxServer
    ) -> None:
        me = Person(flaky.desk, app=flaky)
        preview = await me.send("/send 912345678 Hello")
        FlakyStore.failing = frozenset({"confirm_campaign"})
        try:
            said = text(await me.press("Confirm"))
        finally:
            FlakyStore.failing = frozenset()
        assert "stopped answering while I was on it" in said
        assert "/status" in said
        assert "Nothing was sent" not in said
        assert "went wrong on our side" not in said
        assert (await sandbox_state(sandbox.url))["events"] == []
        me.last = preview
        assert "done" in text(await me.press("Confirm"))  # the same preview, once it is back

    async def test_an_audit_log_that_fails_does_not_stop_what_was_done(
        self, flaky: BotApp, sandbox: SandboxServer
    ) -> None:
        """Confirm has confirmed once its audit entry is written: a store failing there
        is logged, and the chat still follows the send to its end."""
        me = Person(flaky.desk, app=flaky)
        await me.send("/send 912345678 Hello")
        FlakyStore.failing = frozenset({"add_audit_entry"})
        try:
            said = text(await me.press("Confirm"))
        finally:
            FlakyStore.failing = frozenset()
        assert "Campaign #1: done" in said
        assert "database" not in said
        assert len((await sandbox_state(sandbox.url))["events"]) == 1


class TestResend:
    @pytest.fixture
    async def quick(self, sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
        settings = bot_settings(
            sandbox.endpoint, tmp_path, usendit_timeout=0.5, quiet_window=1.2,
            bot_admins=["console:me"],
        )  # fmt: skip
        async with BotApp(settings) as started:
            yield started

    async def test_a_resend_is_confirmed_with_its_risk_first(
        self, quick: BotApp, sandbox: SandboxServer
    ) -> None:
        me = Person(quick.desk, app=quick)
        # Three unreadable answers with nothing behind them: the worker's own sends are used
        # up, and the part is one uSendit provably never got.
        await arm_fault(sandbox.url, operation="SendMessages", mode="malformed", count=3)
        await me.send("/send 912345678 Hello")
        await me.press("Confirm")
        status = await me.send("/status")
        assert "can be resent" in text(status)
        # The reply to /status (the campaign's own notice may land after it too).
        assert labels(status[:1]) == ["Resend the unsent part", "Export results (CSV)"]
        asked = text(await me.press("Resend the unsent part"))
        assert "no trace of 1 part (1 recipient, 1 credit) for 1 second" in asked
        assert "sends it twice" in asked
        assert labels(me.last) == ["Yes, resend", "No, wait"]
        assert "Nothing was resent" in text(await me.press("No, wait"))
        assert (await sandbox_state(sandbox.url))["events"] == []
        await me.send("/status")
        await me.press("Resend the unsent part")
        assert "done" in text(await me.press("Yes, resend"))
        assert len((await sandbox_state(sandbox.url))["events"]) == 1


class TestOddInput:
    @pytest.mark.parametrize(
        ("line", "said"),
        [
            ("/status ²", "Use /status"),
            ("/status 99999999999999999999", "Use /status"),
            ("/buy ²", "Use: /buy"),
            ("/buy " + "9" * 5000, "Use: /buy"),
            ("/buy 99999999999", "Use: /buy"),
        ],
    )
    async def test_numbers_that_are_no_id_get_the_usage(
        self, me: Person, line: str, said: str
    ) -> None:
        assert said in text(await me.send(line))

    @pytest.mark.parametrize(
        "action", ["send:resend:²", "send:confirm:1:²", "send:confirm:" + "9" * 30, "send:edit:"]
    )
    async def test_forged_button_data_is_no_longer_valid(self, me: Person, action: str) -> None:
        assert "no longer valid" in text(await me.press(action))


class TestWizardManners:
    async def test_a_near_command_is_suggested(self, me: Person) -> None:
        assert "Did you mean /balance?" in text(await me.send("/balnce"))
        await me.send("/lang pt")
        assert "Queria dizer /saldo?" in text(await me.send("/sald"))
        await me.send("/idioma en")
        assert "Did you mean" not in text(await me.send("/xyzzy"))

    async def test_timezones_in_any_case(self, me: Person) -> None:
        assert "Europe/Madrid" in text(await me.send("/timezone europe/madrid"))
        assert "Europe/Madrid" in text(await me.send("/timezone"))

    async def test_a_zone_name_too_long_for_a_file_is_unknown(self, me: Person) -> None:
        said = text(await me.send("/timezone " + "9" * 3000))
        assert "9" * 40 + "…" in said
        assert "9" * 41 not in said
        assert "Europe/Madrid" not in said

    async def test_the_buttons_come_back_after_a_wrong_answer(self, me: Person) -> None:
        await me.send("/send")
        await me.send("912345678")
        await me.send("Hello")
        assert labels(await me.send("Loja!!")) == ["Default sender"]
        await me.press("Default sender")
        assert labels(await me.send("banana")) == ["Send now"]

    async def test_a_one_line_send_without_a_number_says_how(self, me: Person) -> None:
        said = text(await me.send("/send 12345 Hello"))
        assert "Use: /send +351912345678" in said
        assert "send them again" not in said
        assert "not waiting" in text(await me.send("912345678 Hello"))


async def test_the_configured_caps_reach_the_wizard(sandbox: SandboxServer, tmp_path: Path) -> None:
    settings = bot_settings(
        sandbox.endpoint, tmp_path, bot_admins=["console:me"], max_recipients=2, max_file_mb=0.001
    )
    async with BotApp(settings) as app:
        me = Person(app.desk, app=app)
        await me.send("/send")
        rows = "Telemóvel\n912345678\n913333333\n962222222\n".encode()
        assert "limit is 2" in text(await me.send(files=(Attachment("x.csv", rows),)))
        assert "limit is 2" in text(await me.send("912345678 913333333 962222222"))
        big = b"912345678\n" * 101  # 1010 bytes, over 0.001 MB
        assert "limit is 1,000 bytes" in text(await me.send(files=(Attachment("x.csv", big),)))
