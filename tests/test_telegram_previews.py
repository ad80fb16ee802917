"""A /send preview in Telegram: its buttons after Confirm and Cancel, and the offer of the
text without accents only where it saves a segment (issue 12, item 16). The rig is
tests/test_telegram.py's."""

from __future__ import annotations

import test_telegram as rig
from fake_bot_api import press_update
from test_telegram import ADMIN, GROUP, TWO_SEGMENTS_WITH_ACCENTS, VIEWER, Telegram, joined

app = rig.app
tg = rig.tg


async def preview(tg: Telegram, where: dict[str, object] | None = None) -> tuple[int, str]:
    """A one-line /send's preview: its message id, and its Confirm button."""
    extra = {} if where is None else {"where": where}
    await tg.say(ADMIN, "/send@usendit_bot +351912345678 Hello team", **extra)
    confirm = next(b for b in tg.buttons() if b.startswith("send:confirm:"))
    return tg.api.last_message_id, confirm


class TestButtonsAfterwards:
    async def test_confirm_takes_the_buttons_off_the_preview(self, tg: Telegram) -> None:
        shown, confirm = await preview(tg)
        texts = await tg.press(ADMIN, confirm)
        assert "Accepted: 1" in texts[-1]
        assert tg.api.of("editMessageReplyMarkup") == [{"chat_id": 1001, "message_id": shown}]

    async def test_cancel_takes_them_off_too(self, tg: Telegram) -> None:
        shown, _ = await preview(tg)
        cancel = next(b for b in tg.buttons() if b.startswith("send:cancel:"))
        assert "cancelled" in joined(await tg.press(ADMIN, cancel))
        assert tg.api.of("editMessageReplyMarkup") == [{"chat_id": 1001, "message_id": shown}]

    async def test_an_old_button_pressed_again_is_still_refused(self, tg: Telegram) -> None:
        shown, confirm = await preview(tg)
        await tg.press(ADMIN, confirm)
        # The client may still show it (an edit that failed, a second device): harmless.
        again = await tg.feed(press_update(ADMIN, confirm, message_id=shown))
        assert again == ["Campaign #1 was already confirmed or cancelled; nothing more was done."]
        assert len(tg.api.of("editMessageReplyMarkup")) == 2  # asked again: changes nothing

    async def test_a_refused_press_leaves_the_buttons_for_who_may(self, tg: Telegram) -> None:
        shown, confirm = await preview(tg, where=GROUP)
        await tg.feed(press_update(VIEWER, confirm, message_id=shown, where=GROUP))
        assert tg.api.of("editMessageReplyMarkup") == []
        await tg.feed(press_update(ADMIN, confirm, message_id=shown, where=GROUP))
        assert tg.api.of("editMessageReplyMarkup") == [
            {"chat_id": GROUP["id"], "message_id": shown}
        ]

    async def test_telegram_refusing_the_edit_is_only_a_log_line(self, tg: Telegram) -> None:
        _, confirm = await preview(tg)
        tg.api.fail("editMessageReplyMarkup", 400, "Bad Request: message can't be edited")
        assert "Accepted: 1" in (await tg.press(ADMIN, confirm))[-1]


class TestTheOfferWithoutAccents:
    async def test_no_offer_when_it_saves_no_segment(self, tg: Telegram) -> None:
        texts = joined(await tg.say(ADMIN, "/count Olá"))
        assert "UCS-2" in texts
        assert "Without accents" not in texts
        assert tg.buttons() == []

    async def test_no_offer_when_it_stays_over_the_limit(self, tg: Telegram) -> None:
        # UCS-2 in 16 segments; without accents GSM-7 in 7, still over uSendit's 6.
        texts = joined(await tg.say(ADMIN, "/count " + "á" + "a" * 1000))
        assert "at most 6 segments" in texts
        assert "Without accents" not in texts
        assert tg.buttons() == []

    async def test_an_offer_where_it_saves_one(self, tg: Telegram) -> None:
        texts = joined(await tg.say(ADMIN, "/count " + TWO_SEGMENTS_WITH_ACCENTS))
        assert "Without accents it is GSM-7, 1 segment" in texts
        assert tg.buttons() == ["count:gsm7"]

    async def test_send_asks_no_question_when_it_saves_no_segment(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        await tg.say(ADMIN, "+351912345678")
        texts = joined(await tg.say(ADMIN, "Olá, até já"))
        assert "Accents" not in texts
        assert tg.buttons() == ["send:nosender"]  # straight to the sender
