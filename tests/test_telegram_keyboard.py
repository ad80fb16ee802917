"""A private chat's keyboard: Balance, Send and Status one tap away, in the person's
language, and the balance in the answer to /start (issue 12, item 27). The rig is
tests/test_telegram.py's."""

from __future__ import annotations

import test_telegram as rig
from fake_bot_api import message_update
from test_telegram import ADMIN, GROUP, STRANGER, VIEWER, Telegram, joined

from bot.i18n import LANGUAGES, translate

app = rig.app
tg = rig.tg


def labels(keyboard: dict[str, object] | None) -> list[str]:
    assert keyboard is not None
    rows = keyboard["keyboard"]
    assert isinstance(rows, list)
    return [
        button["text"] if isinstance(button, dict) else button for row in rows for button in row
    ]


class TestTheKeyboard:
    async def test_start_shows_it_with_the_balance(self, tg: Telegram) -> None:
        before = len(tg.api.calls)
        texts = await tg.say(ADMIN, "/start")
        assert "/balance" in texts[0]  # what I do
        assert "500 credits" in texts[-1]  # and the balance, in the same answer
        keyboard = tg.keyboard(before)
        assert labels(keyboard) == ["Balance", "Send", "Status"]
        assert keyboard is not None
        assert keyboard["is_persistent"] is True
        assert keyboard["resize_keyboard"] is True
        # It takes the place of the inline Balance button: one keyboard per message.
        first = tg.api.of("sendMessage")[len(tg.api.of("sendMessage")) - len(texts)]
        assert "inline_keyboard" not in first["reply_markup"]

    async def test_help_shows_it_in_the_person_s_language_with_what_they_may(
        self, tg: Telegram
    ) -> None:
        before = len(tg.api.calls)
        await tg.say(VIEWER, "/ajuda")  # Vera reads Portuguese, and may not send
        assert labels(tg.keyboard(before)) == ["Saldo", "Estado"]

    async def test_lang_shows_it_in_the_new_language(self, tg: Telegram) -> None:
        before = len(tg.api.calls)
        await tg.say(ADMIN, "/lang es")
        assert labels(tg.keyboard(before)) == ["Saldo", "Enviar", "Estado"]

    async def test_not_in_a_group_nor_for_a_stranger(self, tg: Telegram) -> None:
        before = len(tg.api.calls)
        await tg.say(ADMIN, "/help@usendit_bot", where=GROUP)
        await tg.say(STRANGER, "/start")
        assert tg.keyboard(before) is None
        assert "reply_markup" not in tg.api.of("sendMessage")[-1]  # the stranger's refusal


class TestPressingIt:
    async def test_balance_is_one_tap(self, tg: Telegram) -> None:
        texts = await tg.say(ADMIN, "Balance")
        assert len(texts) == 1
        assert "500 credits" in texts[0]
        assert "500 créditos" in joined(await tg.say(VIEWER, "Saldo"))

    async def test_send_and_status(self, tg: Telegram) -> None:
        assert "Who gets it?" in joined(await tg.say(ADMIN, "Send"))
        assert "No campaigns here yet" in joined(await tg.say(ADMIN, "Status"))

    async def test_a_label_from_before_a_lang_still_works(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/lang pt")
        assert "500 créditos" in joined(await tg.say(ADMIN, "Balance"))

    async def test_balance_during_send_keeps_the_wizard(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        assert "500 credits" in joined(await tg.say(ADMIN, "Balance"))
        assert "1 recipient" in joined(await tg.say(ADMIN, "+351912345678"))

    async def test_a_label_is_a_password_when_one_is_asked(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/login demo")
        update = message_update(ADMIN, "Status")
        texts = await tg.feed(update)
        assert tg.api.of("deleteMessage")[-1]["message_id"] == update["message"]["message_id"]
        assert "does not know that username and password" in joined(texts)

    async def test_in_a_group_a_label_is_only_text(self, tg: Telegram) -> None:
        assert await tg.say(ADMIN, "Balance", where=GROUP) == []

    def test_no_label_means_two_commands(self) -> None:
        from adapters.telegram import KEYBOARD  # here: a module without it fails this test only

        meaning: dict[str, set[str]] = {}
        for lang in LANGUAGES:
            for name in KEYBOARD:
                meaning.setdefault(translate(lang, f"adapter.keyboard.{name}"), set()).add(name)
        assert {label: names for label, names in meaning.items() if len(names) > 1} == {}
