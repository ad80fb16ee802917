"""The Telegram adapter on the real python-telegram-bot Application.

Updates are fed as Telegram sends them (``Update.de_json``); the Bot API is a
fake ``BaseRequest`` (tests/fake_bot_api.py) that records every call, so the
assertions are on the calls the bot would make: methods and key parameters.
The desk behind is the real one, on the sandbox and SQLite.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from chat_driver import bot_settings, settled
from fake_bot_api import (
    BOT_ID,
    BOT_USER,
    BotApi,
    FakeBotApiServer,
    FakeRequest,
    chat,
    document,
    message_update,
    press_update,
    user,
)
from starlette.applications import Starlette
from telegram import Update

from adapters.telegram import TelegramAdapter, parse_command, webhook_url
from adapters.telegram_notices import TelegramChannel
from adapters.telegram_replies import ChatSink, split_text
from adapters.web import build_web_app
from bot.app import BotApp
from bot.chat import Button, Reply
from bot.errors import ConfigurationError
from bot.notices import RetryLater
from bot.recipient_files import FILE_MB, MAX_FILE_BYTES
from bot.sandbox import SandboxServer
from bot.settings import Settings

TOKEN = "123:ABC"
ADMIN = user(1001, "Ana", "en")
VIEWER = user(1002, "Vera", "pt")
STRANGER = user(999, "Zé", "es")
GROUP = chat(-100123, "supergroup")


def settings_for(endpoint: str, tmp_path: Path, **extra: Any) -> Settings:
    return bot_settings(
        endpoint,
        tmp_path,
        bot_admins=["telegram:1001"],
        bot_viewers=["telegram:1002"],
        telegram_bot_token=TOKEN,
        **extra,
    )


def changed(settings: Settings, **changes: Any) -> Settings:
    """The same settings with some fields changed (validated, unlike model_copy)."""
    return Settings(_env_file=None, **{**settings.model_dump(), **changes})


class Telegram:
    """The adapter under test, and the people talking to it."""

    def __init__(self, adapter: TelegramAdapter, api: BotApi, app: BotApp) -> None:
        self.adapter = adapter
        self.api = api
        self.app = app

    async def feed(self, update: dict[str, Any]) -> list[str]:
        """Process one update; the texts sent or edited because of it, the worker's
        notices included."""
        before = len(self.api.calls)
        await self.adapter.application.process_update(Update.de_json(update, self.adapter.bot))
        await settled(self.app)
        return self.api.texts(before)

    async def say(self, who: dict[str, Any], text: str, **kw: Any) -> list[str]:
        return await self.feed(message_update(who, text, **kw))

    async def press(self, who: dict[str, Any], data: str, **kw: Any) -> list[str]:
        """Press a button on the bot's last message."""
        message_id = self.api.last_message_id
        return await self.feed(press_update(who, data, message_id=message_id, **kw))

    def buttons(self) -> list[str]:
        """callback_data of the last message sent with an inline keyboard."""
        for params in reversed(self.api.of("sendMessage")):
            markup = params.get("reply_markup") or {}
            if "inline_keyboard" in markup:
                return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
        return []

    def keyboard(self, since: int = 0) -> dict[str, Any] | None:
        """The last persistent keyboard (a reply keyboard) sent since call ``since``."""
        for call in reversed(self.api.calls[since:]):
            markup = call.params.get("reply_markup") or {}
            if call.method == "sendMessage" and "keyboard" in markup:
                return dict(markup)
        return None


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(settings_for(sandbox.endpoint, tmp_path)) as started:
        yield started


@pytest.fixture
async def tg(app: BotApp, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Telegram]:
    api = BotApi()
    adapter = TelegramAdapter(app.desk, app.settings, request=FakeRequest(api))
    await adapter.start()
    await app.add_channel(TelegramChannel(app.settings, request=FakeRequest(api)))
    try:
        yield Telegram(adapter, api, app)
    finally:
        await adapter.stop()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors


def joined(texts: list[str]) -> str:
    return "\n".join(texts)


TWO_SEGMENTS_WITH_ACCENTS = (
    "Olá, até já: a sua encomenda chegou à loja; pode levantá-la amanhã às 9h."
)
"""UCS-2 in two segments; without its accents, GSM-7 in one."""


class TestStart:
    async def test_commands_published_in_three_languages(self, tg: Telegram) -> None:
        published = tg.api.of("setMyCommands")
        by_language = {p.get("language_code"): p["commands"] for p in published}
        assert set(by_language) == {None, "en", "pt", "es"}
        english = {c["command"]: c["description"] for c in by_language["en"]}
        portuguese = {c["command"]: c["description"] for c in by_language["pt"]}
        assert english["balance"] == "credits left"
        assert portuguese["saldo"] == "créditos disponíveis"  # each language's own names
        assert {"comprar", "contar", "enviar"} <= set(portuguese)
        assert {"start", "help", "balance", "send", "login"} <= set(english)
        assert tg.api.of("setChatMenuButton") == [{"menu_button": {"type": "commands"}}]
        assert tg.api.of("setWebhook") == []  # polling unless a webhook URL is set

    async def test_a_token_is_required(self, app: BotApp) -> None:
        settings = changed(app.settings, telegram_bot_token=None)
        with pytest.raises(ConfigurationError):
            TelegramAdapter(app.desk, settings)

    async def test_a_refused_token_is_a_configuration_error(self, app: BotApp) -> None:
        api = BotApi()
        api.fail("getMe", 401, "Unauthorized")
        adapter = TelegramAdapter(app.desk, app.settings, request=FakeRequest(api))
        with pytest.raises(ConfigurationError, match="TELEGRAM_BOT_TOKEN"):
            await adapter.start()

    async def test_a_webhook_needs_its_secret(self, app: BotApp) -> None:
        settings = changed(app.settings, telegram_webhook_url="https://x.example")
        adapter = TelegramAdapter(app.desk, settings, request=FakeRequest(BotApi()))
        with pytest.raises(ConfigurationError, match="SECRET"):
            await adapter.start()


class TestCommands:
    async def test_start_and_help_list_the_commands_with_a_balance_button(
        self, tg: Telegram
    ) -> None:
        """In a group, the Balance button is inline (a private chat has its keyboard)."""
        for command in ("/start@usendit_bot", "/help@usendit_bot"):
            texts = await tg.say(ADMIN, command, where=GROUP)
            assert "/balance" in joined(texts)
            assert "/buy" in joined(texts)
            assert tg.buttons() == ["menu:balance"]
            assert "parse_mode" not in tg.api.of("sendMessage")[-1]
            assert tg.keyboard() is None
        texts = await tg.press(ADMIN, "menu:balance", where=GROUP)
        assert "500" in joined(texts)
        assert tg.api.of("answerCallbackQuery")

    async def test_viewer_help_hides_what_they_cannot_do(self, tg: Telegram) -> None:
        texts = joined(await tg.say(VIEWER, "/help"))  # Vera reads Portuguese
        assert "/saldo" in texts
        assert "/comprar" not in texts

    async def test_balance(self, tg: Telegram) -> None:
        texts = await tg.say(ADMIN, "/balance")
        assert len(texts) == 1
        assert "500" in texts[0]
        assert tg.api.of("sendMessage")[-1]["chat_id"] == 1001

    async def test_count_offers_gsm7_and_the_button_works(self, tg: Telegram) -> None:
        texts = joined(await tg.say(ADMIN, "/count " + TWO_SEGMENTS_WITH_ACCENTS))
        assert "UCS" in texts or "UTF-16" in texts
        assert tg.buttons() == ["count:gsm7"]
        assert "GSM" in joined(await tg.press(ADMIN, "count:gsm7"))

    async def test_status_history_packs_buy(self, tg: Telegram) -> None:
        assert await tg.say(ADMIN, "/status")
        assert await tg.say(ADMIN, "/history")
        packs = joined(await tg.say(ADMIN, "/packs"))
        assert "/buy" in packs
        bought = joined(await tg.say(ADMIN, "/buy 1"))
        assert "€" in bought

    async def test_lang_timezone_cancel(self, tg: Telegram) -> None:
        assert "Lisbon" in joined(await tg.say(ADMIN, "/timezone"))
        assert "Madrid" in joined(await tg.say(ADMIN, "/timezone Europe/Madrid"))
        english = joined(await tg.say(ADMIN, "/cancel"))
        await tg.say(ADMIN, "/lang pt")
        portuguese = joined(await tg.say(ADMIN, "/cancel"))
        assert portuguese != english

    async def test_unknown_command_and_stray_text_are_answered_by_the_desk(
        self, tg: Telegram
    ) -> None:
        assert "/frobnicate" in joined(await tg.say(ADMIN, "/frobnicate"))
        assert "/help" in joined(await tg.say(ADMIN, "hello there"))

    async def test_unknown_user_is_refused_with_their_id(self, tg: Telegram) -> None:
        texts = await tg.say(STRANGER, "/balance")
        assert len(texts) == 1
        assert "telegram:999" in texts[0]

    async def test_replayed_update_has_one_effect(self, tg: Telegram) -> None:
        update = message_update(ADMIN, "/balance")
        assert len(await tg.feed(update)) == 1
        assert await tg.feed(update) == []

    async def test_replayed_button_press_has_one_effect(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/help")
        press = press_update(ADMIN, "menu:balance", message_id=tg.api.last_message_id)
        assert len(await tg.feed(press)) == 1
        assert await tg.feed(press) == []
        # Both presses are answered (the spinner stops), only one reaches the desk.
        assert len(tg.api.of("answerCallbackQuery")) == 2


class TestClaims:
    async def test_a_redelivered_update_is_answered_once(self, tg: Telegram) -> None:
        update = message_update(ADMIN, "/balance", update_id=4242)
        assert await tg.feed(update)
        assert await tg.feed(update) == []

    async def test_update_ids_that_start_again_are_answered(self, tg: Telegram) -> None:
        """The Bot API may restart update ids after a week without updates: a claim is
        kept a day, and names the bot, so a reused id is new once its claim is gone."""
        assert await tg.feed(message_update(ADMIN, "/balance", update_id=7))
        assert await tg.app.store.claim("telegram:123:7", datetime.now(UTC)) is False
        await tg.app.store.prune_claims(datetime.now(UTC) + timedelta(days=1))
        assert "credits" in " ".join(await tg.feed(message_update(ADMIN, "/help", update_id=7)))

    async def test_a_press_is_keyed_by_its_callback_query(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/help")
        message_id = tg.api.last_message_id
        press = press_update(ADMIN, "menu:balance", message_id=message_id)
        assert await tg.feed(press)
        query = press["callback_query"]["id"]
        assert await tg.app.store.claim(f"telegram:123:cb:{query}", datetime.now(UTC)) is False
        assert await tg.feed({**press, "update_id": press["update_id"] + 1}) == []


class TestGroups:
    async def test_command_addressed_to_this_bot(self, tg: Telegram) -> None:
        texts = await tg.say(ADMIN, "/balance@usendit_bot", where=GROUP)
        assert "500" in joined(texts)
        assert tg.api.of("sendMessage")[-1]["chat_id"] == GROUP["id"]

    async def test_command_for_another_bot_and_chatter_are_ignored(self, tg: Telegram) -> None:
        assert await tg.say(ADMIN, "/balance@other_bot", where=GROUP) == []
        assert await tg.say(ADMIN, "lunch at one?", where=GROUP) == []

    async def test_reply_to_the_bot_answers_its_question(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send", where=GROUP)
        question = {
            "message_id": tg.api.last_message_id,
            "date": 0,
            "chat": GROUP,
            "from": BOT_USER,
            "text": "?",
        }
        texts = await tg.say(ADMIN, "+351912345678", where=GROUP, reply_to=question)
        assert len(texts) == 2  # one recipient taken; the next question
        assert "1" in texts[0]

    async def test_login_with_password_is_refused_and_deleted(self, tg: Telegram) -> None:
        update = message_update(ADMIN, "/login demo demo", where=GROUP)
        texts = await tg.feed(update)
        deleted = tg.api.of("deleteMessage")
        assert deleted == [{"chat_id": GROUP["id"], "message_id": update["message"]["message_id"]}]
        assert len(texts) == 2  # private chats only; change the password
        assert "private" in texts[0]

    async def test_viewer_pressing_confirm_is_refused(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send@usendit_bot +351912345678 Hello team", where=GROUP)
        confirm = next(b for b in tg.buttons() if b.startswith("send:confirm:"))
        texts = await tg.press(VIEWER, confirm, where=GROUP)
        assert len(texts) == 1
        assert "remetente" in texts[0] or "sender" in texts[0]
        # Nothing was sent: the admin can still confirm it.
        sent = await tg.press(ADMIN, confirm, where=GROUP)
        assert "Accepted: 1" in sent[-1]


class TestLogin:
    async def test_private_login_deletes_the_password_message(self, tg: Telegram) -> None:
        update = message_update(ADMIN, "/login demo demo")
        texts = await tg.feed(update)
        assert tg.api.of("deleteMessage") == [
            {"chat_id": 1001, "message_id": update["message"]["message_id"]}
        ]
        assert "demo" in joined(texts)
        assert "500" in joined(texts)

    async def test_password_asked_then_deleted(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/login demo")
        update = message_update(ADMIN, "demo")
        await tg.feed(update)
        assert tg.api.of("deleteMessage")[-1]["message_id"] == update["message"]["message_id"]
        # The deletion comes before the answer.
        methods = [c.method for c in tg.api.calls]
        assert methods.index("deleteMessage") < len(methods) - 1
        assert methods[-1] == "sendMessage"

    async def test_a_viewer_s_private_login_is_refused_for_the_role_and_deleted(
        self, tg: Telegram
    ) -> None:
        """In a private chat the password was typed where passwords go: the refusal is the
        role's, not "private chats only" nor "you wrote a password in a group"."""
        update = message_update(VIEWER, "/login demo demo")
        texts = await tg.feed(update)
        assert texts == ["Lamento, isso requer o papel de administrador."]  # Vera reads pt
        assert tg.api.of("deleteMessage") == [
            {"chat_id": 1002, "message_id": update["message"]["message_id"]}
        ]

    async def test_failed_deletion_warns_to_change_the_password(self, tg: Telegram) -> None:
        tg.api.fail("deleteMessage", 400, "Bad Request: message can't be deleted")
        texts = await tg.say(ADMIN, "/login demo demo")
        assert any("change the password" in text for text in texts)


class TestSend:
    async def test_one_line_send_then_confirm_edits_the_progress_line(self, tg: Telegram) -> None:
        preview = joined(await tg.say(ADMIN, "/send +351912345678,+351913333333 Hello"))
        assert "2" in preview
        confirm = next(b for b in tg.buttons() if b.startswith("send:confirm:"))
        texts = await tg.press(ADMIN, confirm)
        sending = tg.api.sent()[-1]
        edits = tg.api.of("editMessageText")
        assert edits, texts
        assert texts[0] == sending["text"]
        assert {e["message_id"] for e in edits} == {sending["message_id"]}
        assert all(e["chat_id"] == 1001 for e in edits)
        # Edits are throttled, identical texts skipped, and the last one (the summary) lands.
        assert len(edits) <= 3
        assert len({e["text"] for e in edits}) == len(edits)
        assert edits[-1]["text"] != sending["text"]
        status = joined(await tg.say(ADMIN, "/status"))
        assert "2" in status

    async def test_full_wizard_with_a_csv_and_buttons(self, tg: Telegram) -> None:
        assert await tg.say(ADMIN, "/send")
        csv = b"name,phone\nAna,+351912345678\nRui,912345679\nbad,12\n"
        tg.api.files["F1"] = csv
        upload = message_update(ADMIN, document=document("F1", "team.csv", len(csv)))
        texts = joined(await tg.feed(upload))
        assert "2" in texts  # two numbers taken, one line rejected
        assert tg.api.of("getFile") == [{"file_id": "F1"}]
        assert tg.api.of("download")
        texts = joined(await tg.say(ADMIN, TWO_SEGMENTS_WITH_ACCENTS))
        assert tg.buttons() == ["send:gsm7", "send:keep"]
        await tg.press(ADMIN, "send:gsm7")
        assert tg.buttons() == ["send:nosender"]
        await tg.press(ADMIN, "send:nosender")
        assert tg.buttons() == ["send:now"]
        await tg.press(ADMIN, "send:now")
        assert tg.buttons() == ["send:anytime"]
        preview = joined(await tg.press(ADMIN, "send:anytime"))
        assert "Ola, até ja" in preview  # é is GSM-7, á is not
        assert "GSM-7, 1 segment" in preview
        confirm, edit, cancel = tg.buttons()
        assert (confirm, edit, cancel) == ("send:confirm:1:1", "send:edit:1", "send:cancel:1")
        await tg.press(ADMIN, confirm)
        summary = tg.api.of("editMessageText")[-1]["text"]
        assert "2" in summary
        # A second tap on Confirm sends nothing again.
        edits = len(tg.api.of("editMessageText"))
        again = await tg.press(ADMIN, confirm)
        assert len(again) == 1
        assert len(tg.api.of("editMessageText")) == edits

    async def test_too_large_document_is_refused_before_downloading(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        upload = message_update(ADMIN, document=document("BIG", "all.csv", MAX_FILE_BYTES + 1))
        texts = await tg.feed(upload)
        assert len(texts) == 1
        assert f"{FILE_MB} MB" in texts[0]
        assert tg.api.of("getFile") == []

    async def test_unknown_users_files_are_not_downloaded(self, tg: Telegram) -> None:
        tg.api.files["F2"] = b"+351912345678\n"
        upload = message_update(STRANGER, document=document("F2", "x.csv", 14))
        texts = await tg.feed(upload)
        assert "telegram:999" in joined(texts)
        assert tg.api.of("getFile") == []

    async def test_document_caption_is_the_command(self, tg: Telegram) -> None:
        tg.api.files["F3"] = b"+351912345678\n"
        upload = message_update(
            ADMIN, document=document("F3", "one.txt", 14, "text/plain"), caption="/count Hi"
        )
        assert "GSM" in joined(await tg.feed(upload))
        assert tg.api.of("getFile") == []  # /count takes no file: it is not downloaded


class TestSignup:
    async def test_signup_starts_in_private(self, tg: Telegram) -> None:
        texts = await tg.say(ADMIN, "/signup")
        assert len(texts) == 2
        assert "/cancel" in texts[0]
        await tg.say(ADMIN, "ACME")
        assert await tg.say(ADMIN, "/cancel")
        assert "/help" in joined(await tg.say(ADMIN, "ACME"))  # the wizard is gone


class TestFloodControl:
    async def test_retry_after_waits_and_resends(
        self, tg: Telegram, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PTB_TIMEDELTA", "true")
        tg.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        loop = asyncio.get_running_loop()
        began = loop.time()
        texts = await tg.say(ADMIN, "/balance")
        assert loop.time() - began >= 1
        assert len(tg.api.of("sendMessage")) == 2
        assert "500" in texts[-1]


class TestWebhook:
    @pytest.fixture
    async def hooked(self, app: BotApp) -> AsyncIterator[tuple[TelegramAdapter, BotApi]]:
        settings = changed(
            app.settings,
            telegram_webhook_url="https://bot.example.com",
            telegram_webhook_secret="s3cret-Token_1",
        )
        api = BotApi()
        adapter = TelegramAdapter(app.desk, settings, request=FakeRequest(api))
        await adapter.start()
        try:
            yield adapter, api
        finally:
            await adapter.stop()

    @staticmethod
    def client(adapter: TelegramAdapter) -> httpx.AsyncClient:
        web: Starlette = build_web_app([adapter])  # lifespan not run: the fixture started it
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot")

    async def test_start_sets_the_webhook_with_its_secret(
        self, hooked: tuple[TelegramAdapter, BotApi]
    ) -> None:
        _, api = hooked
        (hook,) = api.of("setWebhook")
        assert hook["url"] == "https://bot.example.com/telegram/webhook"
        assert hook["secret_token"] == "s3cret-Token_1"
        assert hook["allowed_updates"] == ["message", "callback_query"]

    @pytest.mark.parametrize("header", [None, "wrong", "s3cret-Token_"])
    async def test_wrong_or_missing_secret_is_forbidden(
        self, hooked: tuple[TelegramAdapter, BotApi], header: str | None
    ) -> None:
        adapter, api = hooked
        headers = {} if header is None else {"X-Telegram-Bot-Api-Secret-Token": header}
        before = len(api.calls)
        async with self.client(adapter) as client:
            response = await client.post(
                "/telegram/webhook", json=message_update(ADMIN, "/balance"), headers=headers
            )
        assert response.status_code == 403
        await asyncio.sleep(0.1)
        assert api.calls[before:] == []

    async def test_right_secret_is_processed(self, hooked: tuple[TelegramAdapter, BotApi]) -> None:
        adapter, api = hooked
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
        async with self.client(adapter) as client:
            bad = await client.post("/telegram/webhook", content=b"{nope", headers=headers)
            assert bad.status_code == 400
            response = await client.post(
                "/telegram/webhook", json=message_update(ADMIN, "/balance"), headers=headers
            )
        assert response.status_code == 200
        for _ in range(100):
            if api.of("sendMessage"):
                break
            await asyncio.sleep(0.05)
        assert "500" in api.of("sendMessage")[-1]["text"]


class TestPolling:
    @pytest.mark.parametrize("started_first", [False, True])
    async def test_polling_answers_an_update(self, app: BotApp, started_first: bool) -> None:
        api = BotApi()
        api.updates.append(message_update(ADMIN, "/balance", update_id=77))
        async with FakeBotApiServer(api, TOKEN) as server:
            settings = changed(app.settings, telegram_api_base_url=server.url)
            adapter = TelegramAdapter(app.desk, settings)
            if started_first:  # as adapters/runner.py does: start(), run_polling(), stop()
                await adapter.start()
            polling = asyncio.create_task(adapter.run_polling())
            try:
                for _ in range(200):
                    if api.of("sendMessage"):
                        break
                    await asyncio.sleep(0.05)
            finally:
                polling.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await polling
        methods = [call.method for call in api.calls]
        assert "getMe" in methods
        assert "deleteWebhook" in methods
        assert "getUpdates" in methods
        (sent,) = api.of("sendMessage")
        assert str(sent["chat_id"]) == "1001"
        assert "500" in str(sent["text"])
        assert not adapter.application.running
        await adapter.stop()  # a second stop is harmless


class TestReplies:
    """The sink on its own: what each kind of Reply becomes."""

    @staticmethod
    def sink(tg: Telegram, chat_id: int = 1001, message_id: int | None = 7) -> ChatSink:
        async def language() -> str:
            return "pt"

        return ChatSink(
            tg.adapter.outbox,
            chat_id=chat_id,
            user_id=1001,
            private=chat_id > 0,
            message_id=message_id,
            language=language,
        )

    async def test_a_notice_is_posted_then_edited_by_its_message_id(self, tg: Telegram) -> None:
        channel = TelegramChannel(tg.app.settings, request=FakeRequest(tg.api))
        await channel.open()
        try:
            ref = await channel.show("telegram:1001", None, Reply("0%"))
            assert ref == str(tg.api.sent()[-1]["message_id"])
            buttons = ((Button("Again", "x:1"),),)
            assert await channel.show("telegram:1001", ref, Reply("done", buttons)) == ref
            edit = tg.api.of("editMessageText")[-1]
            assert (edit["text"], str(edit["message_id"])) == ("done", ref)
            assert edit["reply_markup"]["inline_keyboard"]
            # An edit that changes nothing is refused by Telegram: it is shown all the same.
            tg.api.fail("editMessageText", 400, "Bad Request: message is not modified")
            assert await channel.show("telegram:1001", ref, Reply("done", buttons)) == ref
        finally:
            await channel.close()

    async def test_an_edit_telegram_refuses_is_sent_anew(self, tg: Telegram) -> None:
        channel = TelegramChannel(tg.app.settings, request=FakeRequest(tg.api))
        await channel.open()
        try:
            first = await channel.show("telegram:1001", None, Reply("0%"))
            tg.api.fail("editMessageText", 400, "Bad Request: message to edit not found")
            second = await channel.show("telegram:1001", first, Reply("50%"))
            assert second != first
            assert tg.api.of("sendMessage")[-1]["text"] == "50%"
            assert await channel.show("telegram:1001", second, Reply("100%")) == second
            assert str(tg.api.of("editMessageText")[-1]["message_id"]) == second
        finally:
            await channel.close()

    # PTB 22 warns inside RetryAfter until retry_after becomes a timedelta.
    @pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
    async def test_flood_control_is_handed_back_to_the_courier(self, tg: Telegram) -> None:
        channel = TelegramChannel(tg.app.settings, request=FakeRequest(tg.api))
        await channel.open()
        try:
            tg.api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
            with pytest.raises(RetryLater) as refused:
                await channel.show("telegram:1001", None, Reply("0%"))
            assert refused.value.seconds == 7
        finally:
            await channel.close()

    async def test_long_text_is_split_with_buttons_on_the_last_piece(self, tg: Telegram) -> None:
        lines = "\n".join(f"+35191234{n:04d} accepted" for n in range(400))
        await self.sink(tg)(Reply(lines, buttons=((Button("More", "x:more"),),)))
        first, second = tg.api.of("sendMessage")[-2:]
        assert len(first["text"]) <= 4096
        assert "reply_markup" not in first
        assert second["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x:more"

    async def test_telegram_failures_never_reach_the_desk(self, tg: Telegram) -> None:
        tg.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
        await self.sink(tg)(Reply("hello"))  # logged, not raised

    async def test_a_secret_goes_to_the_private_chat(self, tg: Telegram) -> None:
        sink = self.sink(tg, chat_id=GROUP["id"])
        await sink(Reply("for your eyes", secret=True))
        assert tg.api.of("sendMessage")[-1] == {"chat_id": 1001, "text": "for your eyes"}
        tg.api.fail("sendMessage", 403, "Forbidden: bot can't initiate conversation")
        await sink(Reply("for your eyes", secret=True))
        last = tg.api.of("sendMessage")[-1]
        assert last["chat_id"] == GROUP["id"]
        assert "privada" in last["text"]  # the adapter's own sentence, in the user's language

    async def test_the_command_is_deleted_once(self, tg: Telegram) -> None:
        sink = self.sink(tg)
        await sink(Reply("a", delete_command=True))
        await sink(Reply("b", delete_command=True))
        assert tg.api.of("deleteMessage") == [{"chat_id": 1001, "message_id": 7}]


class TestPieces:
    def test_parse_command(self) -> None:
        assert parse_command("/balance", "usendit_bot") == ("balance", "")
        assert parse_command("/Balance@USendit_Bot  ", "usendit_bot") == ("Balance", "")
        assert parse_command("/send +351 1\nline two", None) == ("send", "+351 1\nline two")
        assert parse_command("/balance@other_bot", "usendit_bot") is None
        assert parse_command(" plain text ", "usendit_bot") == (None, "plain text")

    def test_webhook_url(self) -> None:
        assert webhook_url("https://h.example") == "https://h.example/telegram/webhook"
        assert webhook_url("https://h.example/") == "https://h.example/telegram/webhook"
        assert webhook_url("https://h.example/tg/hook") == "https://h.example/tg/hook"

    def test_split_text(self) -> None:
        text = "\n".join(f"line {n}" for n in range(2000))
        pieces = split_text(text)
        assert all(len(p) <= 4096 for p in pieces)
        assert "\n".join(pieces) == text
        assert split_text("x" * 5000) == ["x" * 4096, "x" * 904]
        assert BOT_ID
