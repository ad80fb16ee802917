"""Figures for the paths that grow with a campaign's size; prints them, asserts nothing.

Usage:
    python benchmarks/bench_campaign.py [--recipients 20000] [--chunk 1000] [--zeep-send]

Runs on this machine only: the sandbox on 127.0.0.1, SQLite in a temporary
folder. Measures reading a recipients file, storing the draft, and sending it
end to end (SOAP over HTTP, one IN_FLIGHT commit per chunk), beside a floor:
the same parts posted as prebuilt envelopes, the sandbox and HTTP alone; and,
per recipient, what building a SendMessages request and reading its answer
cost with zeep and on the fast path (``--zeep-send`` sends through zeep).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import zeep
from lxml import etree
from zeep.helpers import serialize_object

from bot.campaigns import CampaignEngine
from bot.recipient_files import parse_file
from bot.sandbox import SandboxServer
from bot.segments import count_segments
from bot.usendit.client import Credentials, UsenditClient, bundled_wsdl
from bot.usendit.fast_send import FastOperation
from bot.usendit.models import ScheduleResult, Sms
from bot.usendit.transport import RedactingAsyncTransport
from storage.sqlite import SqliteStore


async def resolve(username: str) -> Credentials:
    return Credentials(username, "bench")


def figure(label: str, seconds: float, count: int, unit: str) -> None:
    print(f"{label:<34} {seconds:8.3f} s   {count / seconds:12,.0f} {unit}/s")


async def main(recipients: int, chunk: int, fast_send: bool) -> None:
    numbers = [f"3519{1 + i % 3}{i:07d}" for i in range(recipients)]
    csv = "Nome;Telemóvel\n" + "".join(f"Cliente {i};{n}\n" for i, n in enumerate(numbers))
    started = time.perf_counter()
    parsed = parse_file("clientes.csv", csv.encode(), "PT", max_rows=max(50_000, recipients))
    figure("parse_file (CSV, header sniffed)", time.perf_counter() - started, recipients, "rows")

    text = "Promoção de Natal: -20% em tudo na loja até domingo! " * 2
    started = time.perf_counter()
    for _ in range(10_000):
        count_segments(text)
    figure("count_segments (UCS-2, 2 segments)", time.perf_counter() - started, 10_000, "texts")

    with tempfile.TemporaryDirectory() as folder:
        credits = recipients * 2 + 10
        async with (
            SandboxServer(
                accounts=[
                    f"bench:bench:{credits}",
                    f"floor:floor:{credits}",
                    f"codec:codec:{chunk * 2}",
                ],
                max_sms=5000,
            ) as sandbox,
            UsenditClient(endpoint=sandbox.endpoint, timeout=60, fast_send=fast_send) as client,
            SqliteStore(Path(folder) / "bench.db") as store,
        ):
            engine = CampaignEngine(store, client, resolve, chunk_size=chunk)
            started = time.perf_counter()
            campaign = await engine.create(
                account="bench",
                created_by="bench",
                chat="bench",
                text=text,
                recipients=parsed.numbers,
            )
            await engine.confirm(campaign.id)
            elapsed = time.perf_counter() - started
            figure("create draft (store recipients)", elapsed, recipients, "rcpt")
            started = time.perf_counter()
            status = await engine.send(campaign.id)
            elapsed = time.perf_counter() - started
            path = "fast path" if client.fast_send else "zeep"
            label = f"send ({len(status.chunks)} parts of {chunk}, {path})"
            figure(label, elapsed, recipients, "rcpt")
            print(f"state {status.state.value}, accepted {status.accepted}, "
                  f"credits {status.credits_spent}")  # fmt: skip
            assert client.namespace is not None
            elapsed = await provider_floor(sandbox.endpoint, client.namespace, parsed.numbers,
                                           text, chunk)  # fmt: skip
            figure("floor: the same parts, raw SOAP", elapsed, recipients, "rcpt")
            await codec_figures(sandbox.endpoint, parsed.numbers[:chunk], text)


def per_recipient(label: str, run: Callable[[], object], count: int, rounds: int = 5) -> float:
    """The best of ``rounds`` runs of ``run``, in µs per recipient; printed."""
    best = min(_timed(run) for _ in range(rounds))
    micros = best / count * 1e6
    print(f"{label:<34} {micros:8.1f} µs/rcpt")
    return micros


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


async def codec_figures(endpoint: str, numbers: tuple[str, ...], text: str) -> None:
    """SendMessages for one chunk, without the network: building the request and
    reading a real answer of the sandbox, with zeep and on the fast path."""
    wsdl = zeep.Client(str(bundled_wsdl()))
    binding = next(iter(next(iter(wsdl.wsdl.services.values())).ports.values())).binding
    fast = FastOperation.compile(wsdl, binding, "SendMessages", endpoint)
    messages = [
        Sms(msisdn=number, text=text, partner_msg_id=f"codec-{i}")
        for i, number in enumerate(numbers)
    ]
    arguments = UsenditClient().send_messages_arguments(
        Credentials("codec", "codec"), "codec-1", messages
    )
    request = fast.request(arguments)
    assert request is not None
    async with httpx.AsyncClient(timeout=60) as http:
        with httpx.Client() as wsdl_http:
            transport = RedactingAsyncTransport(client=http, wsdl_client=wsdl_http)
            answer = await transport.post_message(endpoint, request, fast.headers, "SendMessages")
    operation = binding.get("SendMessages")
    count = len(messages)
    zeep_build = per_recipient(
        "build request, zeep",
        lambda: etree.tostring(
            wsdl.create_message(wsdl.service, "SendMessages", **arguments), encoding="utf-8"
        ),
        count,
    )
    fast_build = per_recipient("build request, fast path", lambda: fast.request(arguments), count)
    zeep_read = per_recipient(
        "read answer, zeep",
        lambda: serialize_object(binding.process_reply(wsdl, operation, answer), dict),
        count,
    )
    fast_read = per_recipient("read answer, fast path", lambda: fast.read(answer), count)
    read = fast.read(answer)
    per_recipient(
        "type the result (pydantic, both)", lambda: ScheduleResult.model_validate(read), count
    )
    print(
        f"build + read per recipient: zeep {zeep_build + zeep_read:.1f} µs, "
        f"fast path {fast_build + fast_read:.1f} µs "
        f"({(zeep_build + zeep_read) / (fast_build + fast_read):.0f}x)"
    )


async def provider_floor(
    endpoint: str, namespace: str, numbers: tuple[str, ...], text: str, chunk: int
) -> float:
    """The sandbox and HTTP alone: prebuilt SendMessages envelopes posted one after
    another (another account, so the bot's campaign is untouched), answers not read."""
    body = escape(text)
    envelopes = []
    for seq, first in enumerate(range(0, len(numbers), chunk)):
        sms = "".join(
            f"<Sms><PartnerMsgId>floor-{first + n}</PartnerMsgId><Msisdn>{msisdn}</Msisdn>"
            f"<Priority>1</Priority><MessageText>{body}</MessageText>"
            "<WorkingDays>false</WorkingDays><IsFlash>false</IsFlash></Sms>"
            for n, msisdn in enumerate(numbers[first : first + chunk])
        )
        envelopes.append(
            '<?xml version="1.0" encoding="utf-8"?>'
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            f'<SendMessages xmlns="{namespace}"><username>floor</username>'
            f"<password>floor</password><partnerEventId>floor-c{seq}</partnerEventId>"
            f"<smsList>{sms}</smsList></SendMessages></soap:Body></soap:Envelope>"
        )
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"{namespace}SendMessages"',
    }
    async with httpx.AsyncClient(timeout=60) as http:
        started = time.perf_counter()
        for envelope in envelopes:
            (
                await http.post(endpoint, content=envelope.encode(), headers=headers)
            ).raise_for_status()
        return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--zeep-send", action="store_true", help="send through zeep")
    options = parser.parse_args()
    asyncio.run(main(options.recipients, options.chunk, not options.zeep_send))
