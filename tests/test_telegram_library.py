"""Templates, saved lists, the opt-out list and a delivery window through the Telegram
adapter (the rig is tests/test_telegram.py's): buttons as inline keyboards, what
reached the sandbox read from its state."""

from __future__ import annotations

import test_telegram as rig
from sandbox_api import sandbox_messages, sandbox_state
from test_telegram import ADMIN, VIEWER, Telegram, joined

from bot.app import BotApp
from bot.sandbox import SandboxServer

app = rig.app
tg = rig.tg


async def reached(sandbox: SandboxServer) -> list[tuple[str, str]]:
    state = await sandbox_state(sandbox.url)
    return [(m["msisdn"], m["text"]) for event in state["events"] for m in event["messages"]]


async def test_a_template_and_a_list_by_their_buttons(
    tg: Telegram, app: BotApp, sandbox: SandboxServer
) -> None:
    assert "Template promo saved" in joined(await tg.say(ADMIN, "/template save promo Só hoje!"))
    await tg.say(ADMIN, "/send +351912345678,+351913333333 First")
    assert "List vip saved: 2 numbers" in joined(await tg.say(ADMIN, "/list save vip"))
    await tg.press(ADMIN, "send:cancel:1")
    await tg.say(ADMIN, "/optout add 913333333")
    await tg.say(ADMIN, "/send")
    saved = await app.store.find_recipient_list("telegram:1001", "vip")
    template = await app.store.find_template("telegram:1001", "promo")
    assert saved is not None
    assert template is not None
    assert tg.buttons() == [f"send:list:{saved.id}"]
    assert "2 recipients from list:vip" in joined(await tg.press(ADMIN, tg.buttons()[0]))
    assert tg.buttons() == [f"send:tpl:{template.id}"]
    await tg.press(ADMIN, tg.buttons()[0])
    await tg.press(ADMIN, "send:nosender")
    await tg.press(ADMIN, "send:now")
    preview = joined(await tg.press(ADMIN, "send:anytime"))
    assert "Só hoje!" in preview
    assert "Left out: 1 number on the opt-out list" in preview
    await tg.press(ADMIN, next(b for b in tg.buttons() if b.startswith("send:confirm:")))
    assert await reached(sandbox) == [("351912345678", "Só hoje!")]


async def test_a_viewer_reads_the_opt_out_count_in_portuguese(tg: Telegram) -> None:
    await tg.say(ADMIN, "/optout add 912345678")
    said = joined(await tg.say(VIEWER, "/exclusoes"))
    assert "1 número está na lista de exclusão de demo" in said
    assert "papel" in joined(await tg.say(VIEWER, "/exclusoes adicionar 913333333"))


async def test_an_opt_out_file_as_a_caption_or_right_after(
    tg: Telegram, app: BotApp, sandbox: SandboxServer
) -> None:
    from fake_bot_api import document, message_update

    csv = b"name,phone\nAna,+351912345678\nbad,12\n"
    tg.api.files["F1"] = csv
    upload = message_update(
        ADMIN, document=document("F1", "stop.csv", len(csv)), caption="/optout add"
    )
    said = joined(await tg.feed(upload))
    assert "1 number read from stop.csv" in said
    assert "Line 3: 12 is not a valid phone number" in said
    assert "share a CSV/TXT file" in joined(await tg.say(ADMIN, "/optout add"))
    tg.api.files["F2"] = b"913333333\n"
    said = joined(await tg.feed(message_update(ADMIN, document=document("F2", "more.txt", 10))))
    assert "1 number put on the opt-out list" in said
    assert await app.store.count_opt_outs("demo") == 2
    # A viewer's file is not even downloaded.
    downloads = len(tg.api.of("getFile"))
    tg.api.files["F3"] = b"914444444\n"
    viewer_upload = message_update(
        VIEWER, document=document("F3", "x.txt", 10), caption="/exclusoes adicionar"
    )
    assert "papel" in joined(await tg.feed(viewer_upload))
    assert len(tg.api.of("getFile")) == downloads
    await tg.say(ADMIN, "/send +351912345678,+351913333333,+351914444444 Hi")
    await tg.press(ADMIN, next(b for b in tg.buttons() if b.startswith("send:confirm:")))
    assert await reached(sandbox) == [("351914444444", "Hi")]


async def test_a_delivery_window_typed_in_the_wizard_reaches_every_sms(
    tg: Telegram, sandbox: SandboxServer
) -> None:
    await tg.say(ADMIN, "/send")
    await tg.say(ADMIN, "+351912345678, +351913333333")
    await tg.say(ADMIN, "Hello")
    await tg.press(ADMIN, "send:nosender")
    await tg.press(ADMIN, "send:now")
    assert tg.buttons() == ["send:anytime"]
    refused = "\n".join(await tg.say(ADMIN, "22h-6h"))
    assert "across midnight" in refused
    preview = "\n".join(await tg.say(ADMIN, "9h-20h, working days"))
    assert "Delivered only 09:00–20:00, working days" in preview
    await tg.press(ADMIN, next(b for b in tg.buttons() if b.startswith("send:confirm:")))
    messages = sandbox_messages(await sandbox_state(sandbox.url))
    assert sorted(m["msisdn"] for m in messages) == ["351912345678", "351913333333"]
    assert {(m["begin_time"], m["end_time"], m["working_days"]) for m in messages} == {
        ("09:00:00", "20:00:00", True)
    }
