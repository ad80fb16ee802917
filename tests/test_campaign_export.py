"""A campaign's results as a CSV file, from /status's Export button, against the sandbox.

One row per number with what became of it: uSendit's status (MsgId, status,
NumberSMS), a refusal's reason in the reader's language, a number the opt-out list
kept out marked as excluded. The file is read from what the sink was handed and
checked against what the sandbox itself recorded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chat_driver import desk_settings, in_chat, labels, settled, text
from sandbox_api import sandbox_messages, sandbox_state

from bot.app import BotApp
from bot.campaign_export import CampaignExport, cell
from bot.sandbox import SandboxServer

PEOPLE = "912345678,913333333,+33612345678,914444444"


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as started:
        yield started


def rows(content: bytes, separator: str) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads the accents right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


async def sent_campaign(app: BotApp, lang: str = "en") -> int:
    """Four numbers: two accepted, one refused by uSendit (no route to France), one put
    on the opt-out list after the preview (left out at the send)."""
    me = in_chat(app)
    if lang != "en":
        await me.send(f"/lang {lang}")
    replies = await me.send(f"/send {PEOPLE} Promo")
    confirm = next(b for b in (x.action for r in replies for row in r.buttons for x in row))
    assert confirm.startswith("send:confirm:")
    await me.send("/optout add 914444444")
    await me.press(confirm)
    await settled(app)
    return int(confirm.split(":")[2])


async def test_the_export_has_one_row_per_number(app: BotApp, sandbox: SandboxServer) -> None:
    cid = await sent_campaign(app)
    me = in_chat(app)
    status = await me.send(f"/status {cid}")
    assert "Export results (CSV)" in labels(status)
    said = text(await me.press("Export results (CSV)"))
    assert f"Results of #{cid}: 4 numbers, one row each." in said
    [(name, content)] = me.files
    assert name == f"campaign-{cid}.csv"
    header, *body = rows(content, ",")
    assert header == ["number", "status", "reason", "uSendit message id", "SMS (parts)"]
    by_number = {row[0]: row for row in body}
    assert list(by_number) == ["+351912345678", "+351913333333", "+33612345678", "+351914444444"]
    recorded = {m["msisdn"]: m for m in sandbox_messages(await sandbox_state(sandbox.url))}
    for number in ("+351912345678", "+351913333333"):
        row = by_number[number]
        assert row[1] == "SCHEDULED"
        assert row[2] == ""
        assert row[3] == str(recorded[number[1:]]["msg_id"])
        assert row[4] == "1"
    refused = by_number["+33612345678"]
    assert refused[1] == "MSISDN_INVALID_ROUTE"
    assert refused[2] == "uSendit cannot deliver to this number's country or network."
    assert by_number["+351914444444"][1:3] == [
        "EXCLUDED",
        "On the opt-out list: never sent, never charged.",
    ]
    assert "351914444444" not in recorded  # never in any SendMessages


async def test_in_portuguese_with_the_separator_of_its_spreadsheets(app: BotApp) -> None:
    cid = await sent_campaign(app, "pt")
    me = in_chat(app)
    await me.send(f"/status {cid}")
    said = text(await me.press("Exportar resultados (CSV)"))
    assert "4 números, uma linha cada" in said
    header, *body = rows(me.files[0][1], ";")
    assert header[:3] == ["número", "estado", "motivo"]
    refused = next(row for row in body if row[0] == "+33612345678")
    assert refused[2] == "A uSendit não consegue entregar no país ou na rede deste número."


async def test_in_a_group_the_file_goes_to_the_person_alone(app: BotApp) -> None:
    cid = await sent_campaign(app)
    group = in_chat(app, chat="console:me")
    group.private = False
    await group.send(f"/status {cid}")
    await group.press("Export results (CSV)")
    [reply] = [r for r in group.last if r.file is not None]
    assert reply.secret


async def test_a_draft_offers_no_export_and_a_stranger_gets_none(app: BotApp) -> None:
    me = in_chat(app)
    replies = await me.send(f"/send {PEOPLE} Promo")
    cid = next(
        int(b.action.split(":")[2])
        for r in replies
        for row in r.buttons
        for b in row
        if b.action.startswith("send:confirm:")
    )
    assert "Export results (CSV)" not in labels(await me.send(f"/status {cid}"))
    # A viewer in another chat, where the campaign was not made: not theirs to read.
    other = in_chat(app, user="viewer", chat="console:viewer")
    said = text(await other.press(f"status:export:{cid}"))
    assert said == f"No campaign {cid} in this chat."
    assert other.files == []


async def test_the_file_is_written_a_part_at_a_time(app: BotApp, tmp_path: Path) -> None:
    """A campaign of several parts: every number once, in the order sent, and the core's
    copy removed after the reply."""
    app.desk.engine.chunk_size = 3
    people = ",".join(f"9{n:08d}" for n in range(12000000, 12000010))
    me = in_chat(app)
    replies = await me.send(f"/send {people} Hi")
    confirm = next(
        b.action for r in replies for row in r.buttons for b in row if "confirm" in b.action
    )
    await me.press(confirm)
    await settled(app)
    cid = int(confirm.split(":")[2])
    export, count = await CampaignExport(app.store, "en", folder=tmp_path).write(cid)
    assert count == 10
    numbers = [row[0] for row in rows(export.path.read_bytes(), ",")[1:]]
    assert numbers == [f"+3519{n:08d}" for n in range(12000000, 12000010)]
    assert len(await app.store.chunks(cid)) == 4
    await me.send(f"/status {cid}")
    await me.press("Export results (CSV)")
    assert list(tmp_path.glob("campaign-*.csv")) == [export.path]  # only the one kept above


def test_free_text_never_becomes_a_spreadsheet_formula() -> None:
    assert cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [cell(t) for t in ("+1", "-2", "@SUM(A1)", "\tx", "\rx")] == [
        "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx",
    ]  # fmt: skip
    assert cell("Olá Ana = 5") == "Olá Ana = 5"  # only a formula's first character counts
    assert cell("") == ""
