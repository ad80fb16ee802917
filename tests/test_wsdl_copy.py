"""With USENDIT_WSDL_URL, the last WSDL fetched is kept beside the database: a start while
uSendit is down uses it, and the bot answers that uSendit cannot be reached."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_driver import Person, bot_settings, text

from bot.app import BotApp
from bot.errors import ProviderUnavailable
from bot.sandbox import SandboxServer


async def test_a_start_with_uSendit_down_uses_the_kept_wsdl(tmp_path: Path) -> None:
    async with SandboxServer(host="127.0.0.1", port=0) as sandbox:
        settings = bot_settings(
            sandbox.endpoint, tmp_path, usendit_endpoint=None, usendit_wsdl_url=sandbox.wsdl_url
        )
        async with BotApp(settings) as first:
            assert "500 credits" in text(await Person(first.desk).send("/balance"))
    kept = tmp_path / "bot.wsdl"
    assert kept.read_bytes().startswith(b"<?xml")
    async with BotApp(settings) as second:  # uSendit (the sandbox) is gone now
        said = text(await Person(second.desk).send("/balance"))
        assert "uSendit cannot be reached right now" in said


async def test_without_a_kept_copy_the_start_says_why(tmp_path: Path) -> None:
    async with SandboxServer(host="127.0.0.1", port=0) as sandbox:
        url = sandbox.wsdl_url
    settings = bot_settings("http://127.0.0.1:9/x", tmp_path, usendit_wsdl_url=url)
    with pytest.raises(ProviderUnavailable, match="could not load the uSendit WSDL"):
        async with BotApp(settings):
            pass
