"""The fast SendMessages path says and reads exactly what zeep does; zeep stays the authority.

- Requests: random Sms lists (every field, every kind of character a request can
  carry: XML-special, ``]]>``, CR, combining marks, non-BMP) written by
  :class:`FastOperation` are zeep's request for the same arguments, compared as
  canonical XML (C14N), for the bundled WSDL and one with another namespace.
- Answers: random SendMessages answers of the sandbox read both ways give the same
  result; where zeep cannot read one (a Fault, truncated XML...) the fast reader
  declines. The same answers, mutated (comments, attributes, odd integers, missing,
  repeated, reordered or foreign elements), are declined or read the same.
- End to end: the same headers and body on the wire, the same result or the same
  error for every kind of answer, the same sandbox state after a campaign, and a
  WSDL the fast path does not cover keeps zeep.
"""

from __future__ import annotations

import copy
import gzip
import json
import logging
import random
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import zeep
from aiohttp import web
from chat_driver import bot_settings
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError
from requests.models import Response
from requests.structures import CaseInsensitiveDict
from sandbox_api import sandbox_state
from zeep.helpers import serialize_object

from bot.app import BotApp
from bot.campaigns import CampaignEngine
from bot.errors import InvalidRequest, ProviderError, ProviderFault
from bot.sandbox import SandboxServer
from bot.settings import Settings
from bot.usendit.client import Credentials, UsenditClient, bundled_wsdl
from bot.usendit.fast_send import FastOperation, expanded
from bot.usendit.models import ScheduleResult, Sms, SmsBatch, illegal_characters
from bot.usendit.transport import RedactingAsyncTransport
from bot.usendit.xml_shapes import escape
from storage.sqlite import SqliteStore

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
BUNDLED_NS = "http://api.usendit.pt/v1/"
OTHER_NS = "urn:example:usendit:v9"
DEMO = Credentials("demo", "demo")


@dataclass
class Codec:
    """A zeep client on one WSDL, and the fast path compiled from it."""

    zeep: Any
    binding: Any
    fast: FastOperation

    def zeep_request(self, arguments: dict[str, Any]) -> bytes:
        """The bytes zeep's transport would post (``RedactingAsyncTransport.post_xml``)."""
        envelope = self.zeep.create_message(self.zeep.service, "SendMessages", **arguments)
        return bytes(etree.tostring(envelope, encoding="utf-8", xml_declaration=False))

    def zeep_read(self, response: Any) -> Any:
        """zeep's reading, as the client takes it (``serialize_object(..., dict)``)."""
        reply = self.binding.process_reply(self.zeep, self.binding.get("SendMessages"), response)
        return serialize_object(reply, dict)


def _codec(wsdl: Path) -> Codec:
    client = zeep.Client(str(wsdl))
    port = next(iter(next(iter(client.wsdl.services.values())).ports.values()))
    address = port.binding_options["address"]
    return Codec(
        client, port.binding, FastOperation.compile(client, port.binding, "SendMessages", address)
    )


@pytest.fixture(scope="module")
def codecs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Codec]:
    moved = tmp_path_factory.mktemp("wsdl") / "other.wsdl"
    text = bundled_wsdl().read_text(encoding="utf-8")
    moved.write_text(
        text.replace(BUNDLED_NS, OTHER_NS).replace("api.usendit.pt", "sms.example.org"),
        encoding="utf-8",
    )
    return {"bundled": _codec(bundled_wsdl()), "other": _codec(moved)}


def canonical(message: bytes) -> bytes:
    """C14N of the XML a server reads from ``message``."""
    return bytes(etree.tostring(etree.fromstring(message), method="c14n"))


# --- strategies ---------------------------------------------------------------------

# Every character a request can carry (controls but TAB, LF and CR cannot; ``tricky`` adds
# those and the C1 controls, which can); the filter is a guard that never fires.
legal = st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff").filter(
    lambda c: not illegal_characters(c)
)
tricky = st.sampled_from(
    [
        "&", "<", ">", '"', "'", "]]>", "&amp;", "&#13;", "<![CDATA[x]]>", "<!-- c -->",
        "\r", "\r\n", "\n", "\t", " ", "  ", "e\u0301", "\u0301\u0327", "\u200d",
        "😀", "👍🏽", "🇵🇹", "\U0010fffd", "\U00020000", "\ufffd", "\ue000", "\ud7ff",
        "\x7f", "\x85", "\u2028", "ç", "中文", "€",
    ]
)  # fmt: skip
texts = st.lists(st.one_of(tricky, st.text(legal, max_size=6)), max_size=8).map("".join)
ZONES = [UTC, ZoneInfo("Europe/Lisbon"), ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Kathmandu"),
         timezone(timedelta(hours=-3, minutes=-30))]  # fmt: skip
moments = st.datetimes(
    min_value=datetime(1900, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2200, 12, 30),  # noqa: DTZ001
    timezones=st.sampled_from(ZONES),
)
moments = moments | moments.map(lambda moment: moment.replace(microsecond=0))
int32 = st.integers(-(2**31), 2**31 - 1)
sms = st.fixed_dictionaries(
    {
        "partner_msg_id": st.none() | texts,
        "sender": st.none() | texts,
        "msisdn": texts,
        "mobile_operator": st.none() | int32,
        "expiration": st.none() | moments,
        "priority": int32,
        "text": texts,
        "schedule": st.none() | moments,
        "begin_time": st.none() | moments,
        "end_time": st.none() | moments,
        "working_days": st.booleans(),
        "is_flash": st.booleans(),
    }
).map(lambda fields: Sms(**fields))


# --- requests -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    wsdl=st.sampled_from(["bundled", "other"]),
    account=st.builds(Credentials, texts, texts),
    partner_event_id=texts,
    messages=st.lists(sms, max_size=6),
    zone=st.sampled_from(["Europe/Lisbon", "Atlantic/Azores", "Africa/Maputo"]),
)
def test_the_request_is_zeeps(
    codecs: dict[str, Codec],
    wsdl: str,
    account: Credentials,
    partner_event_id: str,
    messages: list[Sms],
    zone: str,
) -> None:
    codec = codecs[wsdl]
    arguments = UsenditClient(provider_timezone=zone).send_messages_arguments(
        account, partner_event_id, messages
    )
    fast = codec.fast.request(arguments)
    assert fast is not None  # written here, not left to zeep
    assert canonical(fast) == canonical(codec.zeep_request(arguments))
    event(f"{len(messages)} Sms")


@settings(max_examples=200, deadline=None)
@given(
    shared=sms,
    each=st.lists(st.tuples(texts, texts, texts), max_size=6),
    zone=st.sampled_from(["Europe/Lisbon", "Atlantic/Azores", "Africa/Maputo"]),
)
def test_a_batch_is_the_same_request_as_its_sms(
    shared: Sms, each: list[tuple[str, str, str]], zone: str
) -> None:
    """A part's batch (shared fields once, then id, number and text per message) gives
    the very arguments its Sms one by one give, so both paths write the same request."""
    client = UsenditClient(provider_timezone=zone)
    one_by_one = [
        shared.model_copy(update={"partner_msg_id": pmid, "msisdn": msisdn, "text": text})
        for pmid, msisdn, text in each
    ]
    arguments = client.send_messages_arguments(DEMO, "pe", one_by_one)
    assert client.batch_payloads(SmsBatch(shared, each)) == arguments["smsList"]["Sms"]
    for got, want in zip(client.batch_payloads(SmsBatch(shared, each)), arguments["smsList"]["Sms"],
                         strict=True):  # fmt: skip
        assert list(got) == list(want)  # the same fields, in the same order


# A part's values: random ones, or few drawn again and again (a campaign's one text);
# some hold the column separator, some a character no request can carry.
part_values = texts | st.sampled_from(["\u00a4", "a\u00a4b", "%s", "%%", "x\x00", "\x01", "\ud800"])


@st.composite
def part_rows(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    pool = draw(st.lists(part_values, min_size=1, max_size=4))
    value = st.sampled_from(pool) if draw(st.booleans()) else part_values
    return draw(st.lists(st.tuples(value, value, value), max_size=8))


@settings(max_examples=300, deadline=None)
@given(
    wsdl=st.sampled_from(["bundled", "other"]),
    shared=sms,
    each=part_rows(),
    zone=st.sampled_from(["Europe/Lisbon", "Atlantic/Azores", "Africa/Maputo"]),
)
def test_a_batch_is_written_as_its_list_of_sms(
    codecs: dict[str, Codec], wsdl: str, shared: Sms, each: list[tuple[str, str, str]], zone: str
) -> None:
    """The batch's rows, written into one Sms element's text, are the very bytes of the
    list they stand for (``expanded``), which is zeep's request; a value no request can
    carry declines both, for the client to refuse it saying where."""
    codec = codecs[wsdl]
    arguments = UsenditClient(provider_timezone=zone).batch_arguments(
        DEMO, "pe", SmsBatch(shared, each)
    )
    listed = expanded(arguments)
    fast = codec.fast.request(arguments)
    assert fast == codec.fast.request(listed)
    if any(illegal_characters(value) for row in each for value in row):
        assert fast is None
        event("declined")
    else:
        assert fast is not None
        assert canonical(fast) == canonical(codec.zeep_request(listed))
        event(f"{len(each)} rows, {len({row[2] for row in each})} texts")


def test_the_headers_and_framing_come_from_the_wsdl(codecs: dict[str, Codec]) -> None:
    bundled, other = codecs["bundled"].fast, codecs["other"].fast
    assert bundled.headers == {
        "SOAPAction": f'"{BUNDLED_NS}SendMessages"',
        "Content-Type": "text/xml; charset=utf-8",
    }
    assert other.headers["SOAPAction"] == f'"{OTHER_NS}SendMessages"'
    arguments = UsenditClient().send_messages_arguments(DEMO, "pe", [Sms(msisdn="1", text="x")])
    root = etree.fromstring(other.request(arguments) or b"")
    assert root[0][0].tag == f"{{{OTHER_NS}}}SendMessages"
    assert BUNDLED_NS.encode() not in (other.request(arguments) or b"")


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a["smsList"]["Sms"][0].update(Priority=None),  # required: zeep writes it
        lambda a: a["smsList"]["Sms"][0].update(Extra="x"),  # unknown: zeep's to refuse
        lambda a: a["smsList"]["Sms"].append(None),  # a nil item
        lambda a: a["smsList"]["Sms"][0].update(Priority="1"),  # not an int
        lambda a: a["smsList"]["Sms"][0].update(MessageText=b"bytes"),
        lambda a: a.update(smsList={"Sms": {"Msisdn": "1"}}),  # one item, not a list
    ],
)
def test_values_it_was_not_compiled_for_are_left_to_zeep(
    codecs: dict[str, Codec], change: Callable[[dict[str, Any]], None]
) -> None:
    arguments = UsenditClient().send_messages_arguments(DEMO, "pe", [Sms(msisdn="1", text="x")])
    change(arguments)
    assert codecs["bundled"].fast.request(arguments) is None


# --- answers --------------------------------------------------------------------------


def response(
    content: bytes, status: int = 200, content_type: str = "text/xml; charset=utf-8"
) -> Any:
    """An answer as the transport hands it on (zeep's ``new_response``)."""
    answer = Response()
    answer._content = content
    answer.status_code = status
    answer.headers = CaseInsensitiveDict({"Content-Type": content_type})
    answer.encoding = "utf-8"
    return answer


def agree_or_decline(codec: Codec, answer: Any, *, must_read: bool) -> str:
    """The fast reading is zeep's; where zeep fails, or (unless ``must_read``) where the
    fast reader is unsure, the fast reader declines. Returns which it was."""
    fast = codec.fast.read(answer)
    try:
        expected = codec.zeep_read(answer)
    except Exception:
        assert fast is None
        return "zeep fails, declined"
    if fast is None and not must_read:
        return "declined, zeep reads it"
    assert fast == expected
    assert typed(fast) == typed(expected)
    return "read the same"


def typed(data: Any) -> Any:
    """The result the client makes of it, or the errors pydantic finds."""
    try:
        return ScheduleResult.model_validate(data)
    except ValidationError as exc:
        return exc.errors(include_url=False)


def _int_leaves(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if len(el) == 0 and (el.text or "").lstrip("-").isdigit()]


MUTATIONS = [
    "comment", "pi", "nil", "attribute", "int", "drop", "repeat", "unqualified", "foreign",
    "swap", "doctype", "header", "text_in_leaf", "other_wrapper", "status_202", "multipart",
    "pretty",
]  # fmt: skip


def mutate(content: bytes, how: str, chance: random.Random) -> Any:
    """``content`` changed in one way, at a place ``chance`` chooses (a Random drawn by
    hypothesis before the answer is known: its draws never depend on the sandbox)."""
    root = etree.fromstring(content)
    elements = [el for el in root.iter() if el.tag != f"{{{SOAP_ENV}}}Envelope"]
    target = chance.choice(elements)
    if how == "pretty":
        return response(etree.tostring(root, pretty_print=True))
    if how == "comment" and target.getparent() is not None:
        target.addprevious(etree.Comment("x"))
    elif how == "pi":
        target.append(etree.ProcessingInstruction("x", "y"))
    elif how == "nil":
        target.set(f"{{{XSI}}}nil", "true")
    elif how == "attribute":
        target.set("id", "1")
    elif how == "int":
        leaves = _int_leaves(root)
        if leaves:
            odd = [" 7", "+7", "٣", "7.0", "", "1_0", "00", "-0"]
            chance.choice(leaves).text = chance.choice(odd)
    elif how == "drop" and target.getparent() is not None:
        target.getparent().remove(target)
    elif how == "repeat" and target.getparent() is not None:
        target.addnext(copy.deepcopy(target))
    elif how == "unqualified":
        # Written by hand: lxml would leave the default namespace in force.
        local = etree.QName(target).localname
        text = etree.tostring(root)
        return response(text.replace(f"<{local}>".encode(), f'<{local} xmlns="">'.encode(), 1))
    elif how == "foreign":
        target.tag = f"{{urn:other}}{etree.QName(target).localname}"
    elif how == "swap" and target.getnext() is not None:
        target.addprevious(target.getnext())
    elif how == "doctype":
        return response(b"<!DOCTYPE x [<!ENTITY e 'v'>]>" + etree.tostring(root))
    elif how == "header":
        root.insert(0, etree.Element(f"{{{SOAP_ENV}}}Header"))
    elif how == "text_in_leaf":
        leaves = [el for el in root.iter() if len(el) == 0]
        etree.SubElement(chance.choice(leaves), "b").text = "1"
    elif how == "other_wrapper":
        root[0][0].tag = f"{{{BUNDLED_NS}}}GetScheduleResponse"
    elif how == "status_202":
        return response(etree.tostring(root), status=202)
    elif how == "multipart":
        return response(etree.tostring(root), content_type='multipart/related; boundary="b"')
    return response(etree.tostring(root))


valid_numbers = st.sampled_from(["351912345678", "351961234567", "351931112223", "258848914919"])
numbers = valid_numbers | st.sampled_from(["abc", "", "3519", "35191234567890123"])
sandbox_sms = st.fixed_dictionaries(
    {
        "partner_msg_id": st.none() | texts,
        "sender": st.none()
        | st.sampled_from(["Loja", "LojaDoBairro12", "351912345678", "ab c"])
        | texts,
        "msisdn": valid_numbers | numbers | texts,
        "text": st.sampled_from(["Promo", "Olá", "x" * 161, "😀 promo", "", "x" * 1600])
        | texts.map(lambda text: text or "Promo"),
        "schedule": st.none()
        | st.sampled_from([timedelta(days=1), timedelta(days=-1)]).map(
            lambda delta: datetime.now(UTC) + delta
        ),
        "mobile_operator": st.none() | st.just(-1),
    }
).map(lambda fields: Sms(**fields))


@pytest.fixture
async def shop() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(accounts=["shop:pw:100000", "poor:pw:3"], max_sms=6) as server:
        yield server


@pytest.fixture
async def transport() -> AsyncIterator[RedactingAsyncTransport]:
    async with httpx.AsyncClient(timeout=5) as http:
        with httpx.Client() as wsdl_http:
            yield RedactingAsyncTransport(client=http, wsdl_client=wsdl_http)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one sandbox, on purpose
)
@given(
    account=st.sampled_from(
        [("shop", "pw")] * 6 + [("poor", "pw"), ("demo", "demo"), ("shop", "wrong"), ("ghost", "x")]
    ).map(lambda pair: Credentials(*pair)),
    partner_event_id=texts,
    messages=st.lists(sandbox_sms, max_size=8),
    fault=st.sampled_from([None] * 6 + ["soap_fault", "malformed", "http_500"]),
    commit=st.booleans(),
    chance=st.randoms(use_true_random=False),
)
async def test_sandbox_answers_read_as_zeep_reads_them(
    codecs: dict[str, Codec],
    shop: SandboxServer,
    transport: RedactingAsyncTransport,
    account: Credentials,
    partner_event_id: str,
    messages: list[Sms],
    fault: str | None,
    commit: bool,
    chance: random.Random,
) -> None:
    codec = codecs["bundled"]
    if fault is not None:
        shop.arm_fault("SendMessages", fault, commit=commit)
    arguments = UsenditClient().send_messages_arguments(account, partner_event_id, messages)
    request = codec.fast.request(arguments)
    assert request is not None
    try:
        answer = await transport.post_message(
            shop.endpoint, request, codec.fast.headers, "SendMessages"
        )
    except ProviderError:
        # The transport's verdict (an HTTP 500 page): the same seam for both paths.
        event(f"transport: {fault}")
        return
    # What the sandbox answered: zeep's reading, or the fast reader declines.
    event(f"answer: {agree_or_decline(codec, answer, must_read=fault is None)}")
    if fault is None:
        event(str((codec.fast.read(answer) or {})["ScheduleStatus"]))
        # Chosen by a Random: spread evenly (hypothesis's own choices favour the first).
        mutation = chance.choice(MUTATIONS)
        changed = mutate(answer.content, mutation, chance)
        outcome = agree_or_decline(codec, changed, must_read=False)
        event(f"mutated ({mutation}): {outcome}")


# --- the answer's list, read from its text ----------------------------------------------

LIST_LEAVES = ("MsgId", "PartnerMsgId", "Msisdn", "ScheduleMessageStatus", "NumberSMS")
INT_LEAVES = {"MsgId", "NumberSMS"}
list_texts = st.sampled_from(["c1-0", "351912345678", "SCHEDULED", "", "a>b", "x]y", "ç😀"]) | texts
list_ints = st.sampled_from(
    ["1", "91000001", "0", "00", "-5", "", " 7", "+7", "\u0663"]
) | st.integers(0, 2**40).map(str)
plain_texts = st.text(st.sampled_from("abcXYZ019-_ .,:ç€😀\t\n\x85"), max_size=12)
plain_ints = st.integers(0, 2**62).map(str) | st.sampled_from(["007", "-5", " 7", "+7", "1_0", ""])
plain_rows = st.fixed_dictionaries(
    {key: plain_ints if key in INT_LEAVES else plain_texts for key in LIST_LEAVES}
)
list_rows = plain_rows | st.fixed_dictionaries(
    {"MsgId": list_ints, "ScheduleMessageStatus": list_texts, "NumberSMS": list_ints},
    optional={"PartnerMsgId": list_texts, "Msisdn": list_texts},
)
LIST_MUTATIONS = [
    "pretty", "comment", "junk", "entity", "cdata", "cr", "control", "nonchar", "bad_utf8",
    "latin1", "prefixed", "other_default", "self_closed", "two_lists", "cdata_end", "swap",
    "drop", "extra", "nested",
]  # fmt: skip


def _row_xml(row: dict[str, str]) -> str:
    leaves = (f"<{k}>{escape(row[k])}</{k}>" for k in LIST_LEAVES if k in row)
    return f"<SmsScheduled>{''.join(leaves)}</SmsScheduled>"


def _plain(rows: list[dict[str, str]]) -> bool:
    """Whether the rows are in the form read from the text: every leaf there, no
    character that is markup or escaped, integers of plain ASCII digits."""
    for row in rows:
        if set(row) != set(LIST_LEAVES):
            return False
        for key, value in row.items():
            if key in INT_LEAVES and not (value.isascii() and value.isdecimal()):
                return False
            if any(c in value for c in "&<>]\r"):
                return False
    return True


def _list_mutated(rows: list[str], how: str, at: int, namespace: str) -> tuple[str, bytes, bytes]:
    """The list's rows changed in one way at row ``at``: (rows, bytes to find, bytes to
    put instead in the encoded answer)."""
    row = rows[at]
    text_leaf = "<ScheduleMessageStatus>"
    edits = {
        "comment": lambda: "<!--x-->" + row,
        "junk": lambda: "x" + row,
        "entity": lambda: row.replace(text_leaf, text_leaf + "&#65;"),
        "cdata": lambda: row.replace(text_leaf, text_leaf + "<![CDATA[A]]>"),
        "cr": lambda: row.replace(text_leaf, text_leaf + "A\r\nB"),
        "control": lambda: row.replace(text_leaf, text_leaf + "\x01"),
        "nonchar": lambda: row.replace(text_leaf, text_leaf + "\uffff"),
        "cdata_end": lambda: row.replace(text_leaf, text_leaf + "]]>"),
        "prefixed": lambda: row.replace(
            "<SmsScheduled>", f'<u:SmsScheduled xmlns:u="{namespace}">'
        ).replace("</SmsScheduled>", "</u:SmsScheduled>"),
        "other_default": lambda: row.replace("<SmsScheduled>", '<SmsScheduled xmlns="urn:x">'),
        "self_closed": lambda: re.sub(r"<NumberSMS>[^<]*</NumberSMS>", "<NumberSMS/>", row),
        "swap": lambda: re.sub(
            r"(<MsgId>[^<]*</MsgId>)(.*?)(<ScheduleMessageStatus>)",
            r"\2\1\3",
            row,
            count=1,
            flags=re.S,
        ),
        "drop": lambda: re.sub(r"<MsgId>[^<]*</MsgId>", "", row),
        "extra": lambda: row.replace("</SmsScheduled>", "<Surprise>1</Surprise></SmsScheduled>"),
        "nested": lambda: row.replace(text_leaf, text_leaf + "<b>1</b>"),
    }
    changed = list(rows)
    find, put = b"", b""
    if how == "pretty":
        return "".join("\n  " + row for row in rows), find, put
    if how in edits:
        changed[at] = edits[how]()
    elif how == "bad_utf8":
        find, put = text_leaf.encode(), text_leaf.encode() + b"\xff"
    elif how == "latin1":
        find, put = b'encoding="utf-8"', b'encoding="iso-8859-1"'
    joined = "".join(changed)
    if how == "two_lists":
        joined += f"</SmsScheduledList><SmsScheduledList>{rows[at]}"
    return joined, find, put


ROW = {"MsgId": "1", "PartnerMsgId": "ç-0", "Msisdn": "351", "ScheduleMessageStatus": "S"}


@settings(max_examples=300, deadline=None)
@example(name="bundled", rows=[ROW | {"NumberSMS": "1"}], how="latin1", at=0)
@example(name="other", rows=[ROW | {"NumberSMS": "1_0"}], how=None, at=0)
@given(
    name=st.sampled_from(["bundled", "other"]),
    rows=st.lists(plain_rows, min_size=1, max_size=6) | st.lists(list_rows, min_size=1, max_size=6),
    how=st.sampled_from([None] * 6 + LIST_MUTATIONS),
    at=st.integers(min_value=0),
)
def test_the_list_read_from_its_text_is_zeeps(
    codecs: dict[str, Codec], name: str, rows: list[dict[str, str]], how: str | None, at: int
) -> None:
    """An answer's SmsScheduledList in the plain form is read from its text, and reads
    as zeep reads it; in any other form (each mutation) it is left to the tree reader,
    which reads it the same or declines."""
    codec = codecs[name]
    namespace = BUNDLED_NS if name == "bundled" else OTHER_NS
    written = [_row_xml(row) for row in rows]
    find, put = b"", b""
    if how is None:
        inner = "".join(written)
    else:
        inner, find, put = _list_mutated(written, how, at % len(written), namespace)
    result = _result(SmsScheduledList=inner)
    content = _envelope(
        f'<SendMessagesResponse xmlns="{namespace}">{result}</SendMessagesResponse>'
    )
    if find:
        content = content.replace(find, put, 1)
    row_list = codec.fast.row_list
    assert row_list is not None
    # Only the document's encoding is known after the cut: an ISO-8859-1 one is then
    # declined whole (the rows were read as UTF-8).
    assert (row_list.cut(content) is not None) == (how in (None, "latin1") and _plain(rows))
    outcome = agree_or_decline(codec, response(content), must_read=False)
    event(f"{how or ('plain' if _plain(rows) else 'not plain')}: {outcome}")


def test_a_list_too_long_for_libxml2_is_refused_as_zeep_refuses_it(
    codecs: dict[str, Codec],
) -> None:
    """Without huge_tree, libxml2 refuses a text node of 10,000,000 bytes: zeep fails on
    such an answer, and the list is never read from the text around it."""
    row = ROW | {"NumberSMS": "1", "PartnerMsgId": "a" * 10_000_001}
    result = _result(SmsScheduledList=_row_xml(row))
    content = _envelope(
        f'<SendMessagesResponse xmlns="{BUNDLED_NS}">{result}</SendMessagesResponse>'
    )
    assert codecs["bundled"].fast.row_list is not None
    assert codecs["bundled"].fast.row_list.cut(content) is not None  # the plain form
    assert agree_or_decline(codecs["bundled"], response(content), must_read=False) == (
        "zeep fails, declined"
    )


# --- end to end -----------------------------------------------------------------------


@dataclass
class Canned:
    """A local HTTP server that records each request and answers with ``answer``."""

    answer: tuple[int, str, bytes] = (200, "text/xml; charset=utf-8", b"")
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((dict(request.headers), await request.read()))
        status, content_type, body = self.answer
        headers = {"Content-Type": content_type}
        if body.startswith(b"\x1f\x8b"):
            headers["Content-Encoding"] = "gzip"
        return web.Response(status=status, body=body, headers=headers)


@pytest.fixture
async def canned() -> AsyncIterator[Canned]:
    server = Canned()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1/remoteusendit.asmx"
    try:
        yield server
    finally:
        await runner.cleanup()


def _result(**fields: str) -> str:
    values = {
        "ScheduleStatus": "SCHEDULE_OK", "ScheduleMessage": "ok", "EventId": "7",
        "PartnerEventId": "pe &amp; co", "TotalScheduledSMS": "1", "TotalRecipients": "1",
        "AcceptedRecipients": "1", "RejectedRecipients": "0",
        "SmsScheduledList": "<SmsScheduled><MsgId>9</MsgId><PartnerMsgId>p</PartnerMsgId>"
        "<Msisdn>351912345678</Msisdn><ScheduleMessageStatus>SCHEDULED</ScheduleMessageStatus>"
        "<NumberSMS>1</NumberSMS></SmsScheduled>",
        "CreditsSpent": "1",
    } | fields  # fmt: skip
    inner = "".join(f"<{k}>{v}</{k}>" if v != "-" else "" for k, v in values.items())
    return f"<SendMessagesResult>{inner}</SendMessagesResult>"


def _envelope(body: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{extra}<soap:Envelope xmlns:soap="{SOAP_ENV}" '
        f'xmlns:xsi="{XSI}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    ).encode()


def _answer(result: str) -> bytes:
    return _envelope(f'<SendMessagesResponse xmlns="{BUNDLED_NS}">{result}</SendMessagesResponse>')


FAULT = _envelope(
    "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Boom &amp; more</faultstring>"
    "<detail/></soap:Fault>"
)
XML = "text/xml; charset=utf-8"
ANSWERS = {
    "ok": (200, XML, _answer(_result())),
    "pretty": (200, XML, etree.tostring(etree.fromstring(_answer(_result())), pretty_print=True)),
    "no_messages": (200, XML, _answer(_result(SmsScheduledList="-"))),
    "empty_list": (200, XML, _answer(_result(SmsScheduledList=""))),
    "empty_message": (200, XML, _answer(_result(ScheduleMessage=""))),
    "unknown_status": (200, XML, _answer(_result(ScheduleStatus="NEW_THING"))),
    "missing_event_id": (200, XML, _answer(_result(EventId="-"))),
    "odd_integer": (200, XML, _answer(_result(EventId=" 7 "))),
    "bad_integer": (200, XML, _answer(_result(EventId="seven"))),
    "nil_event_id": (200, XML, _answer(_result(EventId='-')).replace(
        b"<PartnerEventId>", b'<EventId xsi:nil="true"/><PartnerEventId>')),
    "comment": (200, XML, _answer(_result(ScheduleMessage="a<!-- c -->b"))),
    "unknown_element": (200, XML, _answer(_result(Surprise="1"))),
    "empty_result": (200, XML, _answer("<SendMessagesResult/>")),
    "no_result": (200, XML, _answer("")),
    "other_wrapper": (200, XML, _envelope(f'<GetCreditsResponse xmlns="{BUNDLED_NS}">'
                                          f"{_result()}</GetCreditsResponse>")),
    "fault_500": (500, XML, FAULT),
    "fault_200": (200, XML, FAULT),
    "html_200": (200, "text/html", b"<html><body>Busy"),
    "html_500": (500, "text/html", b"<html><body>Runtime Error</body></html>"),
    "truncated": (200, XML, _answer(_result())[:150]),
    "no_body": (200, XML, f'<s:Envelope xmlns:s="{SOAP_ENV}"/>'.encode()),
    "empty_body": (200, XML, f'<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body/></s:Envelope>'.encode()),
    "doctype": (200, XML, _envelope(_result(), "<!DOCTYPE x [<!ENTITY e 'v'>]>")),
    "gzip": (200, XML, gzip.compress(_answer(_result()))),
    "bad_gzip": (200, XML, b"\x1f\x8bnot gzip"),
    "empty_202": (202, XML, b""),
}  # fmt: skip


READ_FAST = {"ok", "pretty", "no_messages", "empty_list", "empty_message", "unknown_status"}
"""The answers the fast reader takes itself; it leaves every other one to zeep."""


@pytest.mark.parametrize("name", [name for name in ANSWERS if "gzip" not in name])
def test_every_kind_of_answer_is_read_as_zeep_reads_it(codecs: dict[str, Codec], name: str) -> None:
    status, content_type, body = ANSWERS[name]
    outcome = agree_or_decline(
        codecs["bundled"], response(body, status, content_type), must_read=name in READ_FAST
    )
    assert (outcome == "read the same") is (name in READ_FAST)


@pytest.mark.parametrize("name", list(ANSWERS))
async def test_every_kind_of_answer_ends_the_same_on_both_paths(
    canned: Canned, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The same result or the same error (class, message, fault code), and the same
    request on the wire: headers and body."""
    caplog.set_level(logging.DEBUG, logger="bot.usendit.fast_send")
    canned.answer = ANSWERS[name]
    messages = [Sms(msisdn="351912345678", text="Olá <&> 😀", partner_msg_id="p", sender="Loja")]
    ends = []
    for fast in (True, False):
        async with UsenditClient(endpoint=canned.url, timeout=2, fast_send=fast) as client:
            assert client.fast_send is fast
            try:
                ends.append(await client.send_messages(DEMO, "pe-1", messages))
            except ProviderError as exc:
                fault = (exc.code, exc.detail) if isinstance(exc, ProviderFault) else None
                ends.append((type(exc), str(exc), exc.operation, fault))
    assert ends[0] == ends[1]
    # The transport raises on the gzip that is none, the HTTP 500 page and the empty 202,
    # before anything is read.
    transport_only = {"bad_gzip", "html_500", "empty_202"}
    declined = "SendMessages: answer left to zeep" in caplog.text
    assert declined is (name not in READ_FAST | {"gzip"} | transport_only)
    assert "request left to zeep" not in caplog.text
    (fast_headers, fast_body), (zeep_headers, zeep_body) = canned.seen
    assert canonical(fast_body) == canonical(zeep_body)
    assert {k: v for k, v in fast_headers.items() if k != "Host"} == {
        k: v for k, v in zeep_headers.items() if k != "Host"
    }


@pytest.mark.parametrize(
    ("fault", "seconds"),
    [("stall_after_commit", 2.0), ("drop_after_commit", None), ("http_500", None),
     ("soap_fault", None), ("malformed", None), ("latency", 0.1)],
)  # fmt: skip
async def test_the_sandboxs_faults_end_the_same(
    sandbox: SandboxServer, fault: str, seconds: float | None
) -> None:
    ends = []
    for fast in (True, False):
        sandbox.arm_fault("SendMessages", fault, seconds=seconds)
        async with UsenditClient(endpoint=sandbox.endpoint, timeout=0.5, fast_send=fast) as client:
            try:
                result = await client.send_messages(
                    DEMO, "pe-f", [Sms(msisdn="351912345678", text="x")]
                )
                ends.append(result.model_copy(update={"event_id": 0, "messages": []}))
            except ProviderError as exc:
                ends.append((type(exc), str(exc)))
    assert ends[0] == ends[1]


@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
@pytest.mark.parametrize("where", ["text", "sender", "partner_event_id", "password"])
async def test_a_character_no_request_can_carry_is_refused_the_same(
    sandbox: SandboxServer, bad: str, where: str
) -> None:
    sms = Sms(
        msisdn="351912345678",
        text=f"a{bad}b" if where == "text" else "ok",
        sender=f"L{bad}" if where == "sender" else None,
    )
    account = Credentials("demo", f"de{bad}mo") if where == "password" else DEMO
    partner = f"pe{bad}" if where == "partner_event_id" else "pe"
    refusals = []
    for fast in (True, False):
        async with UsenditClient(endpoint=sandbox.endpoint, fast_send=fast) as client:
            with pytest.raises(InvalidRequest) as caught:
                await client.send_messages(account, partner, [sms])
        refusals.append((str(caught.value), caught.value.field, caught.value.characters))
    assert refusals[0] == refusals[1]
    assert "SendMessages" not in (await sandbox_state(sandbox.url))["calls"]


def _settled(state: dict[str, Any]) -> Any:
    """The sandbox's state without its clock."""
    if isinstance(state, dict):
        return {k: _settled(v) for k, v in state.items() if k != "created_at"}
    if isinstance(state, list):
        return [_settled(item) for item in state]
    return state


async def _campaign(tmp_path: Path, fast: bool) -> Any:
    async def resolve(username: str) -> Credentials:
        return DEMO

    async with (
        SandboxServer() as sandbox,
        UsenditClient(endpoint=sandbox.endpoint, timeout=2, fast_send=fast) as client,
        SqliteStore(tmp_path / f"fast-{fast}.db") as store,
    ):
        assert client.fast_send is fast
        engine = CampaignEngine(store, client, resolve, chunk_size=3)
        campaign = await engine.create(
            account="demo",
            created_by="console:me",
            chat="console",
            text='Promo <50%> & "já" ]]> 😀 e\u0301\r\nfim',
            sender="Loja",
            schedule_at=datetime(2031, 5, 4, 9, 30, tzinfo=UTC),
            recipients=[f"35191{i:07d}" for i in range(8)],
        )
        await engine.confirm(campaign.id)
        status = await engine.send(campaign.id)
        # A draft's key is random: its partnerEventIds are compared without it.
        key = status.chunks[0].partner_event_id.rsplit("-c", 1)[0]
        chunks = [(c.state, c.partner_event_id, c.event_ids) for c in status.chunks]
        seen = (status.state, status.accepted, status.credits_spent, chunks)
        state = _settled(await sandbox_state(sandbox.url))
        return json.loads(json.dumps([seen, state], default=str).replace(key, "KEY"))


async def test_a_campaign_leaves_the_same_sandbox_state_on_both_paths(tmp_path: Path) -> None:
    fast, zeep_ = await _campaign(tmp_path, True), await _campaign(tmp_path, False)
    assert fast == zeep_
    assert fast[0][:3] == ["DONE", 8, 8]
    assert len(fast[1]["events"]) == 3
    assert {m["text"] for e in fast[1]["events"] for m in e["messages"]} == {
        'Promo <50%> & "já" ]]> 😀 e\u0301\r\nfim'
    }


async def test_a_wsdl_the_fast_path_does_not_cover_keeps_zeep(
    sandbox: SandboxServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = bundled_wsdl().read_text(encoding="utf-8")
    anchor = (
        '<s:element minOccurs="1" maxOccurs="1" name="IsFlash" type="s:boolean" />\n'
        "        </s:sequence>"
    )
    assert anchor in text
    extended = tmp_path / "attribute.wsdl"
    extended.write_text(
        text.replace(anchor, anchor + '\n        <s:attribute name="Tag" type="s:string" />'),
        encoding="utf-8",
    )
    async with UsenditClient(wsdl=extended, endpoint=sandbox.endpoint) as client:
        assert client.fast_send is False
        sent = await client.send_messages(DEMO, "pe-w", [Sms(msisdn="351912345678", text="x")])
    assert sent.scheduled
    assert "SendMessages goes through zeep" in caplog.text


async def test_the_setting_turns_the_fast_path_off(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings(_env_file=None).usendit_fast_send is True
    monkeypatch.setenv("USENDIT_FAST_SEND", "false")
    assert Settings(_env_file=None).usendit_fast_send is False
    for fast in (True, False):
        settings = bot_settings(sandbox.endpoint, tmp_path / str(fast), usendit_fast_send=fast)
        (tmp_path / str(fast)).mkdir()
        async with BotApp(settings) as app:
            assert app.desk.engine.client.fast_send is fast
