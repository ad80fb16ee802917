"""The delivery window in the /send conversation: its question (with an "Any time"
button), its refusals, and the preview's line about it.

The window itself (what people type, how it is stored, when it opens) is
:mod:`bot.send_window`; this module only words it for a :class:`~bot.turn.Turn`.
"""

from __future__ import annotations

from datetime import datetime

from bot.chat import Button, Reply
from bot.problems import Problem
from bot.records import Campaign
from bot.send_window import ZonedWindow, next_opening
from bot.turn import Turn
from bot.views import local_time, window_words

ANY_TIME_ACTION = "send:anytime"


def any_time_button(turn: Turn) -> tuple[tuple[Button, ...], ...]:
    return ((Button(turn.t("button.any_time"), ANY_TIME_ACTION),),)


async def ask_window(turn: Turn) -> None:
    """The question after "when": a daily window typed, or the button for none."""
    await turn.say("send.ask_window", zone=turn.timezone, buttons=any_time_button(turn))


async def refuse_window(turn: Turn, problem: Problem) -> None:
    """Why a typed window cannot be used, with the way out (no window)."""
    await turn.send(Reply(problem.words(turn.t, turn.explain), buttons=any_time_button(turn)))


def preview_lines(turn: Turn, campaign: Campaign, now: datetime) -> list[str]:
    """The preview's word on the window: what it is, and when delivery starts if the
    window is closed when the campaign goes (its schedule, or now)."""
    window = ZonedWindow.from_stored(campaign.window)
    if window is None:
        return []
    lines = [turn.t("send.preview_window", window=window_words(turn.t, turn.timezone, window))]
    goes = campaign.schedule_at or now
    opens = next_opening(window.window, goes, window.zone)
    if opens > goes:
        lines.append(
            turn.t(
                "send.preview_window_opens",
                when=local_time(opens, turn.timezone),
                zone=turn.timezone,
            )
        )
    return lines
