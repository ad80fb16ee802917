"""A personalised campaign through the Telegram fake (the rig is tests/test_telegram.py's):
a CSV document with columns, a text with fields, the problems with the file's lines, the
preview (longest, sample, segments from fewest to most, credits as their sum), the GSM-7
offer folding every rendered text, and what reached the sandbox."""

from __future__ import annotations

import test_telegram as rig
from fake_bot_api import document, message_update
from sandbox_api import sandbox_messages, sandbox_state
from test_telegram import ADMIN, Telegram, joined

from bot.sandbox import SandboxServer
from bot.segments import count_segments, to_gsm7

app = rig.app
tg = rig.tg

CSV = "nome,telefone\nJoão,+351912345678\nConceição,912345679\n,913333444\n".encode()
TAIL = ", a sua encomenda chegou à loja; pode levantá-la amanhã às 9h."


async def test_a_personalised_campaign_with_the_gsm7_offer(
    tg: Telegram, sandbox: SandboxServer
) -> None:
    await tg.say(ADMIN, "/send")
    tg.api.files["P1"] = CSV
    texts = joined(await tg.feed(message_update(ADMIN, document=document("P1", "c.csv", len(CSV)))))
    assert "3 recipients from c.csv" in texts
    assert "Columns you can use in the text: {nome}" in texts
    refused = joined(await tg.say(ADMIN, "Olá {Nome}" + TAIL))
    assert "Empty value on line 4 (nome)." in refused
    # The empty row mended: a new file at a new /send.
    await tg.say(ADMIN, "/cancel")
    await tg.say(ADMIN, "/send")
    mended = CSV.replace(b",913333444", b"Ana,913333444")
    tg.api.files["P2"] = mended
    await tg.feed(message_update(ADMIN, document=document("P2", "c.csv", len(mended))))
    await tg.say(ADMIN, "Olá {Nome}" + TAIL)
    assert tg.buttons() == ["send:nosender"]  # no "without accents?" here: at the preview
    await tg.press(ADMIN, "send:nosender")
    await tg.press(ADMIN, "send:now")
    preview = joined(await tg.press(ADMIN, "send:anytime"))
    rendered = {name: "Olá " + name + TAIL for name in ("João", "Conceição", "Ana")}
    credits = sum(count_segments(t).segments for t in rendered.values())
    assert "Longest message (line 3, 2 segments):\nOlá Conceição" + TAIL in preview
    assert "• Olá João" + TAIL in preview
    assert "• Olá Ana" + TAIL in preview
    assert "Encoding: UCS-2\nSegments per message: 1 to 2" in preview  # Conceição's: 75 units
    assert credits == 4
    assert f"Credits needed: {credits} " in preview
    assert "Without accents every message would be GSM-7: 3 credits instead of 4." in preview
    plain = next(b for b in tg.buttons() if b.startswith("send:plain:"))
    again = joined(await tg.press(ADMIN, plain))
    assert "Encoding: GSM-7\nSegments per message: 1 to 1\nCredits needed: 3 " in again
    assert "Without accents" not in again
    confirm = next(b for b in tg.buttons() if b.startswith("send:confirm:"))
    await tg.press(ADMIN, confirm)
    got = {m["msisdn"]: m["text"] for m in sandbox_messages(await sandbox_state(sandbox.url))}
    assert got == {
        "351912345678": to_gsm7(rendered["João"]),
        "351912345679": to_gsm7(rendered["Conceição"]),
        "351913333444": to_gsm7(rendered["Ana"]),
    }
    assert "Conceicao" in got["351912345679"]  # the values folded too, not only the template
