"""What a bot sets for its whole process at start, for the bulk path's sake, and keeps."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from chat_driver import bot_settings

from bot.app import SWITCH_INTERVAL, YOUNG_OBJECTS, BotApp
from bot.sandbox import SandboxServer


async def test_a_started_bot_collects_young_objects_less_often_and_switches_sooner(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(700, 10, 10)
    sys.setswitchinterval(0.005)
    try:
        async with BotApp(bot_settings(sandbox.endpoint, tmp_path)):
            assert gc.get_threshold() == (YOUNG_OBJECTS, 10, 10)
            assert sys.getswitchinterval() == SWITCH_INTERVAL
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0
        # Kept after the stop, and never lowered: a process that asked for more keeps it.
        gc.set_threshold(YOUNG_OBJECTS * 2, 5, 5)
        async with BotApp(bot_settings(sandbox.endpoint, tmp_path)):
            assert gc.get_threshold() == (YOUNG_OBJECTS * 2, 5, 5)
    finally:
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)
