"""Files and other attachments in Telegram: read only where one is taken, answered where
they cannot be (issue 12, item 10). The rig is tests/test_telegram.py's."""

from __future__ import annotations

import test_telegram as rig
from fake_bot_api import (
    BOT_USER,
    contact,
    document,
    joined_the_group,
    message_update,
    photo,
    sticker,
)
from test_telegram import ADMIN, GROUP, VIEWER, Telegram, joined

from bot.recipient_files import FILE_MB, MAX_FILE_BYTES

app = rig.app
tg = rig.tg

CSV = b"name,phone\nAna,+351912345678\nRui,912345679\n"


class TestWhileSendWaits:
    async def test_a_photo_a_sticker_or_a_contact_is_told_what_is_taken(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        for media in (photo(), sticker(), contact()):
            texts = await tg.feed(message_update(ADMIN, media=media))
            assert texts == [
                "I cannot read numbers from that. Type them, "
                "or send a CSV or TXT file with one number per line."
            ]
        assert tg.api.of("getFile") == []
        # The wizard still waits for its recipients.
        assert "2 recipients" in joined(await tg.say(ADMIN, "+351912345678 +351912345679"))

    async def test_at_a_step_that_takes_text_it_says_so(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        await tg.say(ADMIN, "+351912345678")
        assert await tg.feed(message_update(ADMIN, media=sticker())) == [
            "I can only read text here: please type your answer."
        ]
        tg.api.files["F9"] = CSV
        upload = message_update(ADMIN, document=document("F9", "late.csv", len(CSV)))
        assert await tg.feed(upload) == ["I can only read text here: please type your answer."]
        assert tg.api.of("getFile") == []

    async def test_in_a_group_a_photo_answering_the_bot_is_told(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send@usendit_bot", where=GROUP)
        question = {
            "message_id": tg.api.last_message_id,
            "date": 0,
            "chat": GROUP,
            "from": BOT_USER,
            "text": "?",
        }
        texts = await tg.feed(message_update(ADMIN, where=GROUP, reply_to=question, media=photo()))
        assert len(texts) == 1
        assert "CSV" in texts[0]
        # Not answering the bot, it is not for us.
        assert await tg.feed(message_update(ADMIN, where=GROUP, media=photo())) == []

    async def test_someone_else_s_wizard_is_not_theirs(self, tg: Telegram) -> None:
        await tg.say(ADMIN, "/send")
        assert await tg.feed(message_update(VIEWER, media=photo())) == []


class TestOutsideAWizard:
    async def test_a_photo_or_a_service_message_gets_no_answer(self, tg: Telegram) -> None:
        assert await tg.feed(message_update(ADMIN, media=photo())) == []
        assert (
            await tg.feed(message_update(ADMIN, where=GROUP, media=joined_the_group(ADMIN))) == []
        )

    async def test_a_file_is_not_downloaded(self, tg: Telegram) -> None:
        tg.api.files["F1"] = CSV
        texts = await tg.feed(message_update(ADMIN, document=document("F1", "x.csv", len(CSV))))
        assert "/help" in joined(texts)  # the desk: not waiting for anything
        assert tg.api.of("getFile") == []
        assert tg.api.of("download") == []

    async def test_a_csv_with_the_caption_send_starts_send_with_its_recipients(
        self, tg: Telegram
    ) -> None:
        tg.api.files["F2"] = CSV
        upload = message_update(
            ADMIN, document=document("F2", "team.csv", len(CSV)), caption="/send"
        )
        texts = await tg.feed(upload)
        assert tg.api.of("getFile") == [{"file_id": "F2"}]
        assert "2 recipients" in texts[0]
        assert texts[-1] == "Now the text of the message."
        preview = joined(await tg.say(ADMIN, "Hello team"))
        assert preview  # the next question: the wizard goes on from the file's numbers

    async def test_a_viewer_s_csv_captioned_send_is_refused_unread(self, tg: Telegram) -> None:
        tg.api.files["F3"] = CSV
        upload = message_update(
            VIEWER, document=document("F3", "team.csv", len(CSV)), caption="/enviar"
        )
        texts = await tg.feed(upload)
        assert texts == ["Lamento, isso requer o papel de remetente."]
        assert tg.api.of("getFile") == []

    async def test_a_too_large_file_captioned_send_is_refused_unread(self, tg: Telegram) -> None:
        upload = message_update(
            ADMIN, document=document("BIG", "all.csv", MAX_FILE_BYTES + 1), caption="/send"
        )
        texts = await tg.feed(upload)
        assert len(texts) == 1
        assert f"{FILE_MB} MB" in texts[0]
        assert tg.api.of("getFile") == []
