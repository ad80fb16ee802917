"""A reply's file, rendered by each adapter from the core's file on disk.

Telegram sends it with sendDocument (to the person's private chat when the reply
is secret and asked in a group); Slack shares it by its external upload
(files.getUploadURLExternal, the bytes, files.completeUploadExternal), in the
direct message where it was asked, else in the person's direct message with the
bot; the console writes a copy and prints its path. Each against the platform's
fake on 127.0.0.1, the bytes compared with the file's.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fake_bot_api import BotApi, FakeRequest
from fake_slack_api import FakeSlackApi
from slack_sdk.web.async_client import AsyncWebClient
from telegram import Bot

from adapters.console import ConsoleChat
from adapters.slack_replies import Place, SlackReplies
from adapters.telegram_replies import ChatSink, Outbox
from bot.chat import Reply, ReplyFile

TOKEN = "123456:TEST"


@pytest.fixture
def results(tmp_path: Path) -> ReplyFile:
    path = tmp_path / "core" / "export-1.csv"
    path.parent.mkdir()
    rows = ["number,status"] + [f"+35191{n:07d},DELIVERED" for n in range(20_000)]
    path.write_bytes(("\n".join(rows) + "\n").encode())
    return ReplyFile(path, "campaign-12.csv")


async def _telegram(api: BotApi, reply: Reply, *, chat_id: int, private: bool) -> None:
    bot = Bot(TOKEN, request=FakeRequest(api), get_updates_request=FakeRequest(api))
    async with bot:

        async def language() -> str:
            return "en"

        sink = ChatSink(
            Outbox(bot),
            chat_id=chat_id,
            user_id=42,
            private=private,
            message_id=None,
            language=language,
        )
        await sink(reply)


async def test_telegram_sends_the_file_as_a_document(results: ReplyFile) -> None:
    api = BotApi()
    await _telegram(api, Reply("Results of #12", file=results), chat_id=42, private=True)
    assert api.texts() == ["Results of #12"]
    [(chat, upload)] = api.documents()
    assert chat == 42
    assert upload.filename == "campaign-12.csv"
    assert upload.content == results.path.read_bytes()


async def test_telegram_sends_a_secret_file_to_the_private_chat(results: ReplyFile) -> None:
    api = BotApi()
    reply = Reply("Results of #12", file=results, secret=True)
    await _telegram(api, reply, chat_id=-100200, private=False)
    [(chat, upload)] = api.documents()
    assert chat == 42  # the person, not the group
    assert upload.content == results.path.read_bytes()


async def test_telegram_without_a_file_sends_no_document(results: ReplyFile) -> None:
    api = BotApi()
    await _telegram(api, Reply("no file here"), chat_id=42, private=True)
    assert api.documents() == []


async def _slack(api: FakeSlackApi, place: Place, reply: Reply) -> None:
    client = AsyncWebClient(token=api.token, base_url=api.base_url)

    async def language(key: str, locale: str | None) -> str:
        return "en"

    await SlackReplies(client, language).deliver(place, reply)


async def test_slack_shares_the_file_in_the_direct_message(results: ReplyFile) -> None:
    async with FakeSlackApi() as api:
        place = Place(team="T1", channel="D42", user="U42", thread="1700000000.000001")
        await _slack(api, place, Reply("Results of #12", file=results))
        assert api.texts() == ["Results of #12"]
        [(channel, title, content)] = api.shared_files()
        assert (channel, title) == ("D42", "campaign-12.csv")
        assert content == results.path.read_bytes()
        [asked] = api.of("files.getUploadURLExternal")
        assert int(asked.params["length"]) == results.path.stat().st_size
        [done] = api.of("files.completeUploadExternal")
        assert done.params.get("thread_ts") == "1700000000.000001"


async def test_slack_sends_a_file_asked_in_a_channel_to_the_person(results: ReplyFile) -> None:
    async with FakeSlackApi() as api:
        place = Place(team="T1", channel="C1", user="U42")
        await _slack(api, place, Reply("Results of #12", file=results))
        # The text stays ephemeral in the channel; the numbers go to the person alone.
        assert [c.method for c in api.calls if c.method.startswith("chat.")] == [
            "chat.postEphemeral"
        ]
        [(channel, _, content)] = api.shared_files()
        assert channel == "DU42"  # conversations.open with the person
        assert content == results.path.read_bytes()


async def test_slack_upload_failure_is_logged_not_raised(
    results: ReplyFile, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlackApi() as api:
        api.fail_next("files.getUploadURLExternal", error="not_allowed_token_type")
        place = Place(team="T1", channel="D42", user="U42")
        await _slack(api, place, Reply("Results of #12", file=results))
        assert api.shared_files() == []
        assert "could not deliver a reply to Slack" in caplog.text


async def test_console_writes_a_copy_and_prints_its_path(
    results: ReplyFile, tmp_path: Path
) -> None:
    out = io.StringIO()
    exports = tmp_path / "exports"
    chat = ConsoleChat(None, stdin=io.StringIO(), stdout=out, exports=exports)  # type: ignore[arg-type]
    await chat.render(Reply("Results of #12", file=results))
    await chat.render(Reply("Results of #12 again", file=results))
    first, second = exports / "campaign-12.csv", exports / "campaign-12-2.csv"
    assert first.read_bytes() == results.path.read_bytes()
    assert second.read_bytes() == results.path.read_bytes()  # never over the first
    printed = out.getvalue().splitlines()
    assert printed == [
        "Results of #12",
        f"  ⤓ {first.resolve()}",
        "Results of #12 again",
        f"  ⤓ {second.resolve()}",
    ]


async def test_console_says_when_the_copy_cannot_be_written(
    results: ReplyFile, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    out = io.StringIO()
    chat = ConsoleChat(None, stdin=io.StringIO(), stdout=out, exports=blocked)  # type: ignore[arg-type]
    await chat.render(Reply("Results of #12", file=results))
    assert out.getvalue().splitlines()[1].startswith(f"  ⤓ {blocked / 'campaign-12.csv'}: ")
