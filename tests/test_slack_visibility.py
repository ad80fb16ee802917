"""Who sees what in Slack: in a channel every answer is the asker's alone (ephemeral);
in a direct message with the bot replies are plain messages; a campaign's progress
is the channel's, where the campaign was made.

The rig of tests/test_slack.py: signed requests into the ASGI app, a fake Web API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_slack import Rig, said, slack_rig

from bot.sandbox import SandboxServer


@pytest.fixture
async def rig(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(sandbox, tmp_path) as started:
        yield started


class TestInAChannel:
    @pytest.mark.parametrize(
        ("typed", "user", "shown"),
        [
            ("balance", "U1", "500 credits"),
            ("help", "U1", "/sms balance"),
            ("count Hello", "U1", "Segments: 1"),
            ("status", "U1", "No campaigns here yet"),
            ("history", "U1", "No campaigns here yet"),
            ("nothing", "U1", "/sms help"),
            ("send 912345678 Hi", "U2", "needs the sender role"),  # a refusal
            ("balance", "U9", "slack:T1/U9"),  # someone without a role
            ("send 12 Hi", "U1", "12"),  # a number that is none
        ],
    )
    async def test_an_answer_is_only_for_the_person_who_asked(
        self, rig: Rig, typed: str, user: str, shown: str
    ) -> None:
        await rig.command(typed, user=user, channel="C1")
        await rig.api.wait_for_text(shown)
        await rig.settle()
        assert rig.api.of("chat.postMessage") == []
        assert {(c.params["channel"], c.params["user"]) for c in said(rig.api)} == {("C1", user)}

    async def test_a_campaign_made_in_a_dm_is_never_shown_to_a_channel(self, rig: Rig) -> None:
        await rig.command("send 912345678 Private plans", channel="D1")
        await rig.api.wait_for_text("ready to send")
        assert {c.params["channel"] for c in rig.api.of("chat.postMessage")} == {"D1"}
        before = len(rig.api.calls)
        await rig.command("status 1", channel="C5")
        await rig.command("history mine", channel="C5")
        await rig.api.wait_for(lambda api: len(api.of("chat.postEphemeral")) == 2)
        await rig.settle()
        channel = [c for c in rig.api.calls[before:] if c.params.get("channel") == "C5"]
        assert {c.method for c in channel} <= {"chat.postEphemeral"}
        assert all(c.params["user"] == "U1" for c in channel)

    async def test_the_preview_is_the_maker_s_and_the_progress_the_channel_s(
        self, rig: Rig
    ) -> None:
        await rig.command("send 912345678,913333333 Hello team", channel="C1")
        await rig.api.wait_for_text("ready to send")
        assert {(c.method, c.params["user"]) for c in said(rig.api)} == {
            ("chat.postEphemeral", "U1")
        }
        await rig.press("send:confirm:1:1", ephemeral=True)
        await rig.api.wait_for(lambda api: "Accepted: 2" in "\n".join(api.texts("chat.update")))
        (progress,) = rig.api.of("chat.postMessage")
        assert progress.params["channel"] == "C1"
        assert "sending" in progress.params["text"]
        assert {c.params["ts"] for c in rig.api.of("chat.update")} == {progress.response["ts"]}

    async def test_a_group_dm_is_not_private(self, rig: Rig) -> None:
        await rig.command("balance", channel="G7")
        await rig.api.wait_for_text("500 credits")
        assert rig.api.of("chat.postMessage") == []
        assert rig.api.of("chat.postEphemeral")[0].params["user"] == "U1"


class TestInADirectMessage:
    async def test_replies_are_plain_messages(self, rig: Rig) -> None:
        await rig.command("balance", channel="D1")
        await rig.api.wait_for_text("500 credits")
        (call,) = said(rig.api)
        assert call.method == "chat.postMessage"
        assert call.params["channel"] == "D1"

    async def test_a_dm_the_bot_is_not_in_answers_through_the_response_url(self, rig: Rig) -> None:
        """``/sms balance`` typed in a DM between two people: only its asker sees it."""
        rig.api.outside.add("D8")
        await rig.command("balance", channel="D8")
        await rig.api.wait_for(lambda api: bool(api.of("hook")))
        hook = rig.api.of("hook")[0].params
        assert hook["response_type"] == "ephemeral"
        assert "500 credits" in hook["text"]
