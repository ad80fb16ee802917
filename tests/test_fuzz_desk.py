"""Random input never breaks the bot: the desk and the console take any line, any
button payload and any file, and answer without the internal error or a crash.

One bot (on its own sandbox, on a loop in a thread of its own) takes every example;
each example is a short conversation: commands in every language with random
arguments, answers to whatever wizard is open, forged button data and random CSV
bytes. Unicode is drawn from every category: NUL and control characters, RTL marks,
other scripts' digits (``²``), emoji, lone surrogates, and 10k-character strings.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest
from chat_driver import Person, bot_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console import ConsoleChat
from bot.app import BotApp
from bot.chat import Attachment, Identity, Reply
from bot.i18n import LANGUAGES, command_name, translate
from bot.sandbox import SandboxServer

pytestmark = pytest.mark.slow
T = TypeVar("T")
COMMANDS = [
    "start",
    "help",
    "balance",
    "count",
    "status",
    "history",
    "packs",
    "lang",
    "timezone",
    "cancel",
    "send",
    "buy",
    "signup",
    "confirm",
    "resend",
    "login",
    "logout",
]
NAMES = sorted({command_name(lang, c) for lang in LANGUAGES for c in COMMANDS} | {"balnce", ""})
INTERNAL = {translate(lang, "error.internal") for lang in LANGUAGES}
EXAMPLES = 700
"""Examples of up to 25 inputs each: about 10k inputs, in well under a minute."""

texts = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=None), max_size=30),
    st.sampled_from(
        ["²", "٣", "\x00", "\u202e", "@", "@a\x00b", "+351 912 345 678", "912345678",
         "99999999999999999999", "9" * 5000, "-1", "now", "-", "2099-12-24 10:00", "07:00",
         "ç" * 70, "💥" * 40, "x" * 10_000, "Olá {nome}", "'", '"', "\\", ";", "\n\n"]
    ),
)  # fmt: skip
actions = st.one_of(
    st.builds(
        lambda area, verb, parts: ":".join([area, verb, *parts]),
        st.sampled_from(["send", "count", "account", "menu", "x", ""]),
        st.sampled_from(
            [
                "confirm",
                "edit",
                "cancel",
                "resend",
                "resendok",
                "wait",
                "continue",
                "plain",
                "gsm7",
                "keep",
                "nosender",
                "now",
                "create",
                "balance",
                "²",
            ]
        ),
        st.lists(
            st.one_of(
                st.sampled_from(["1", "2", "0", "²", "99999999999999999999"]), st.text(max_size=5)
            ),
            max_size=3,
        ),
    ),
    st.text(max_size=70),
)
csv_bytes = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda header, rows: (header + "\n" + "\n".join(rows)).encode(),
        st.sampled_from(["nome;email;telemovel", "phone", "a,b,c", "número", ""]),
        st.lists(st.text(max_size=30), max_size=8),
    ),
)
inputs = st.one_of(
    st.tuples(st.just("command"), st.sampled_from(NAMES), texts),
    st.tuples(st.just("text"), texts, st.none()),
    st.tuples(st.just("press"), actions, st.none()),
    st.tuples(st.just("file"), st.sampled_from(["a.csv", "b.txt", "x.xlsx", ""]), csv_bytes),
    st.tuples(st.just("sendfile"), st.sampled_from(["a.csv", "b.txt"]), csv_bytes),
)


class Rig:
    """A started bot on a loop of its own; :meth:`run` waits for a coroutine there."""

    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sandbox = SandboxServer(host="127.0.0.1", port=0)
        self.run(self.sandbox.start())
        settings_ = bot_settings(
            self.sandbox.endpoint, tmp, usendit_timeout=3, bot_admins=["console:me"]
        )
        self.app = BotApp(settings_)
        self.run(self.app.start())

    def run(self, work: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        done: Future[T] = asyncio.run_coroutine_threadsafe(work, self.loop)
        return done.result(timeout)

    def close(self) -> None:
        self.run(self.app.stop())
        self.run(self.sandbox.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Errors(logging.Handler):
    """Every ERROR our code logs (a failed command is logged whole before its answer)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    started = Rig(tmp_path_factory.mktemp("fuzz"))
    try:
        yield started
    finally:
        started.close()


@pytest.fixture(scope="module")
def errors() -> Iterator[Errors]:
    handler = Errors()
    logger = logging.getLogger("bot")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


async def converse(person: Person, steps: list[tuple[str, Any, Any]]) -> list[Reply]:
    said: list[Reply] = []
    for kind, first, second in steps:
        if kind == "command":
            said += await person.send(f"/{first} {second}")
        elif kind == "text":
            said += await person.send(first)
        elif kind == "press":
            said += await person.press(first)
        else:
            if kind == "sendfile":  # a file where one is asked for
                said += await person.send("/send")
            said += await person.send(files=(Attachment(first, second),))
    return said


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(st.lists(inputs, min_size=1, max_size=25), st.booleans())
def test_the_desk_answers_any_input(
    rig: Rig, errors: Errors, steps: list[tuple[str, Any, Any]], in_group: bool
) -> None:
    errors.records.clear()
    chat = "console:group" if in_group else "console:me"
    person = Person(rig.app.desk, user=Identity("console", "me"), chat_id=chat)
    said = rig.run(converse(person, steps))
    for reply in said:
        assert reply.text.strip(), "an empty answer"
        assert reply.text not in INTERNAL, reply.text
    assert [r.getMessage() for r in errors.records] == []


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(st.lists(texts, min_size=1, max_size=15))
def test_the_console_takes_any_line(rig: Rig, errors: Errors, lines: list[str]) -> None:
    errors.records.clear()
    out = io.StringIO()
    chat = ConsoleChat(rig.app.desk, stdin=io.StringIO(), stdout=out, user="fuzz")

    async def feed() -> None:
        for line in lines:
            command = chat.command_for(line.replace("\n", " "))
            if command is not None:
                await rig.app.desk.handle(command, chat.render)

    rig.run(feed())
    assert not any(sentence in out.getvalue() for sentence in INTERNAL), out.getvalue()
    assert [r.getMessage() for r in errors.records] == []
