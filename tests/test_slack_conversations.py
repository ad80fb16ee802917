"""Where a wizard's answer can come from in Slack: a channel, a group DM, a thread reply
also sent to the channel; and what the bot says when it asks in a conversation it is
not in (where it would never see the answer).

The rig of tests/test_slack.py: signed requests into the ASGI app, a fake Web API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_slack import Rig, slack_rig

from bot.sandbox import SandboxServer

NOT_A_MEMBER = "I am not in this conversation"


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


class TestAnswersArrive:
    async def test_in_a_group_dm(self, rig: Rig) -> None:
        """A group DM's messages (``message.mpim``) reach the wizard like a channel's."""
        await rig.ask_for_file(channel="G7")
        await rig.message("912345678", channel="G7", channel_type="mpim")
        await rig.api.wait_for_text("ready to send")
        assert {c.params["channel"] for c in rig.api.of("chat.postEphemeral")} == {"G7"}

    async def test_a_thread_reply_also_sent_to_the_channel(self, rig: Rig) -> None:
        await rig.ask_for_file()
        await rig.message("912345678", subtype="thread_broadcast", thread_ts="1700000000.000001")
        await rig.api.wait_for_text("ready to send")


class TestAskedWhereTheBotIsNot:
    async def test_a_question_in_a_channel_the_bot_is_not_in_says_where_to_answer(
        self, rig: Rig
    ) -> None:
        rig.api.outside.add("C9")
        await rig.command("send", channel="C9")
        await rig.api.wait_for(lambda api: bool(api.of("views.open")))
        metadata = rig.api.of("views.open")[0].params["view"]["private_metadata"]
        await rig.submit("usendit-send", {"recipients": "", "text": "Hi"}, metadata)
        # Each first fails as an ephemeral message (whose text counts in wait_for_text),
        # then goes through the response URL: wait for the hooks themselves.
        await rig.api.wait_for(lambda api: len(api.of("hook")) >= 2)
        hooks = [c.params for c in rig.api.of("hook")]
        assert all(h["response_type"] == "ephemeral" for h in hooks)
        # Both through the response URL (in whichever order the two posts land).
        assert any("share the CSV or TXT file" in h["text"] for h in hooks)
        (told,) = [h["text"] for h in hooks if NOT_A_MEMBER in h["text"]]
        assert "/invite" in told
        assert not rig.api.of("chat.postMessage")  # nothing in a channel nobody reads back

    async def test_the_wizard_in_a_channel_the_bot_is_not_in(self, rig: Rig) -> None:
        rig.api.outside.add("C9")
        rig.api.fail_next("views.open", error="expired_trigger_id")
        await rig.command("send", channel="C9")
        await rig.api.wait_for_text(NOT_A_MEMBER)
        assert "Who gets it?" in rig.api.all_text()

    async def test_an_answer_that_needs_no_more_says_nothing_more(self, rig: Rig) -> None:
        rig.api.outside.add("C9")
        await rig.command("balance", channel="C9")
        await rig.api.wait_for_text("500 credits")
        await rig.settle()
        assert NOT_A_MEMBER not in rig.api.all_text()

    async def test_a_channel_the_bot_is_in_says_nothing_of_it(self, rig: Rig) -> None:
        await rig.ask_for_file(channel="C2")
        await rig.settle()
        assert NOT_A_MEMBER not in rig.api.all_text()
