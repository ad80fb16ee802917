"""Random input to /template, /list and /optout (and the /send steps that take a list or a
template) never breaks the desk: no internal error, no logged failure, never an empty
answer. The rig, the error catcher and the strategies are tests/test_fuzz_desk.py's."""

from __future__ import annotations

from typing import Any

import test_fuzz_desk as fuzz
from chat_driver import Person
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_desk import INTERNAL, Errors, Rig, converse, csv_bytes, texts

from bot.chat import Identity
from bot.i18n import LANGUAGES, command_name, translate
from bot.saved_names import VERBS

rig = fuzz.rig
errors = fuzz.errors

COMMANDS = ("template", "list", "optout", "send")
NAMES = sorted({command_name(lang, c) for lang in LANGUAGES for c in COMMANDS})
WORDS = sorted({translate(lang, "verb." + verb) for lang in LANGUAGES for verb in VERBS})
names = st.one_of(
    st.sampled_from(["promo", "vip", "Promo", "a" * 33, "²", "x.y-z_1", "#1", "list:vip"]),
    st.text(max_size=12),
)
arguments = st.builds(
    lambda verb, name, rest: " ".join(part for part in (verb, name, rest) if part),
    st.one_of(st.sampled_from(WORDS), st.text(max_size=6)),
    names,
    st.one_of(st.just(""), texts, st.sampled_from(["#1", "1", "912345678 913333333"])),
)
references = st.builds(
    lambda head, name: f"{head}:{name}",
    st.sampled_from(["list", "lista", "template", "modelo", "plantilla", "LIST"]),
    names,
)
presses = st.builds(
    lambda verb, number: f"send:{verb}:{number}",
    st.sampled_from(["list", "tpl"]),
    st.one_of(st.integers(0, 5).map(str), st.sampled_from(["²", "9" * 30, "", "1:2"])),
)
inputs = st.one_of(
    st.tuples(st.just("command"), st.sampled_from(NAMES), arguments),
    st.tuples(st.just("command"), st.sampled_from(NAMES), references),
    st.tuples(st.just("text"), st.one_of(references, texts), st.none()),
    st.tuples(st.just("press"), presses, st.none()),
    st.tuples(st.just("file"), st.sampled_from(["stop.csv", "b.txt"]), csv_bytes),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(st.lists(inputs, min_size=1, max_size=15), st.booleans())
def test_the_library_commands_answer_any_input(
    rig: Rig, errors: Errors, steps: list[tuple[str, Any, Any]], in_group: bool
) -> None:
    errors.records.clear()
    chat = "console:group" if in_group else "console:me"
    person = Person(rig.app.desk, user=Identity("console", "me"), chat_id=chat)
    said = rig.run(converse(person, [("command", "optout", "add"), *steps]))
    for reply in said:
        assert reply.text.strip(), "an empty answer"
        assert reply.text not in INTERNAL, reply.text
    assert [r.getMessage() for r in errors.records] == []
