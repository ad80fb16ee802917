"""The credit pushes on Slack (the rig is tests/test_slack.py's): a low-credit alert set
in a channel arrives there as a message of its own, and a /buy's payment, once its
card link is paid, is told in the channel that bought."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from test_slack import slack_rig

from bot.sandbox import SandboxServer


def posted(texts: list[str], fragment: str) -> list[str]:
    return [t for t in texts if fragment in t]


async def test_the_alert_and_the_payment_arrive_in_the_channel(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    async with slack_rig(sandbox, tmp_path) as rig:
        await rig.command("alert 1000", channel="C5")  # demo has 500: below at once
        await rig.api.wait_for_text("Credits running low")
        [alert] = [
            c for c in rig.api.of("chat.postMessage") if "Credits running low" in c.params["text"]
        ]
        assert alert.params["channel"] == "C5"
        assert "demo has 500 left, below the alert at 1,000. /sms packs" in alert.params["text"]

        await rig.command("buy 1", channel="C5")
        await rig.api.wait_for_text("/_sandbox/pay/")
        link = re.search(r"https?://\S+/_sandbox/pay/[\w-]+", rig.api.all_text())
        assert link is not None
        async with httpx.AsyncClient() as http:
            (await http.get(link.group(0))).raise_for_status()
        await rig.bot.desk.credit_watch.check("demo")  # the watch's next reading, now
        await rig.api.wait_for_text("Payment received")
        [paid] = [
            c for c in rig.api.of("chat.postMessage") if "Payment received" in c.params["text"]
        ]
        assert paid.params["channel"] == "C5"
        assert re.search(r"demo now has [\d,]+\.", paid.params["text"])
        # Paid once, told once; and the alert is not said again meanwhile.
        await rig.bot.desk.credit_watch.check("demo")
        await rig.settle()
        assert len(posted(rig.api.texts("chat.postMessage"), "Payment received")) == 1
        assert len(posted(rig.api.texts("chat.postMessage"), "Credits running low")) == 1
