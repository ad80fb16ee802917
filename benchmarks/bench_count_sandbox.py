"""The counter and the sandbox on the bulk path, each beside a floor; prints, asserts nothing.

Usage:
    python benchmarks/bench_count_sandbox.py [--messages 100000] [--chunk 1000]

1. ``/count``: characters per second of :func:`bot.segments.count_segments`
   beside a bare ``str.translate`` pass over the same text with the GSM table
   (the least any counter that looks at every character with ``str.translate``
   does), measured in the same run, rounds interleaved, best round of each.
2. The sandbox with a state file (SQLite in a temporary folder), filled by
   SendMessages calls of ``--chunk`` Sms over HTTP, as the bot sends them:
   the cost of one call, and of what it persists (the event, its messages,
   the commit), when 1k, 20k, 100k ... messages are stored, beside a floor
   (the same rows inserted into a bare table with one commit); then the
   process's peak RSS and the state file's size after ``--messages``.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bot.sandbox import SandboxServer
from bot.segments import GSM7_BASIC, count_segments

NAMESPACE = "http://api.usendit.pt/v1/"
FLOOR_TABLE = str.maketrans(dict.fromkeys(GSM7_BASIC))
TEXTS = {
    "GSM-7 plain": "Promocao de Natal: -20% em tudo na loja ate domingo! Responda SAIR. ",
    "GSM-7 extension": "Natal [loja]: -20€ em tudo {até domingo}! Use ~NATAL | SAIR. ",
    "UCS-2 accents": "Promoção de Natal: -20% em tudo na loja até domingo! Não perca. ",
    "UCS-2 emoji": "Promoção 🎄 de Natal: -20% em tudo na loja 🎁 até domingo! ",
}
SIZES = {"short": 150, "10k": 10_000}


def floor_count(text: str) -> int:
    return len(text.translate(FLOOR_TABLE))


def best_rate(functions: list[Callable[[str], Any]], text: str) -> list[float]:
    """Characters per second of each function on ``text``, best of interleaved rounds."""
    calls = max(20, 400_000 // len(text))
    best = [float("inf")] * len(functions)
    for _ in range(15):
        for n, function in enumerate(functions):
            started = time.perf_counter()
            for _ in range(calls):
                function(text)
            best[n] = min(best[n], time.perf_counter() - started)
    return [len(text) * calls / seconds for seconds in best]


def counter_figures() -> None:
    print("/count, characters per second (count_segments beside one str.translate pass)")
    for kind, sentence in TEXTS.items():
        for size, length in SIZES.items():
            text = (sentence * (length // len(sentence) + 1))[:length]
            counted = count_segments(text)
            ours, floor = best_rate([count_segments, floor_count], text)
            print(
                f"  {kind:<16} {size:>5} ({counted.encoding.value}, {counted.segments:3} parts)"
                f"  {ours / 1e6:7.1f} M/s   floor {floor / 1e6:7.1f} M/s   {ours / floor:5.2f}x"
            )


def envelope(seq: int, chunk: int, text: str) -> bytes:
    sms = "".join(
        f"<Sms><PartnerMsgId>b-{seq}-{n}</PartnerMsgId><Msisdn>3519{1 + n % 3}{n:07d}</Msisdn>"
        f"<Priority>1</Priority><MessageText>{text}</MessageText>"
        "<WorkingDays>false</WorkingDays><IsFlash>false</IsFlash></Sms>"
        for n in range(chunk)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<SendMessages xmlns="{NAMESPACE}"><username>bench</username>'
        f"<password>bench</password><partnerEventId>bench-{seq}</partnerEventId>"
        f"<smsList>{sms}</smsList></SendMessages></soap:Body></soap:Envelope>"
    ).encode()


def insert_floor(folder: Path, chunk: int, text: str) -> float:
    """Seconds to insert one call's rows into a bare table and commit (best of 5)."""
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE m (a INTEGER, b INTEGER, c TEXT, d TEXT, e TEXT, f INTEGER, g TEXT)")
    rows = [(1, n, f"b-0-{n}", f"35191{n:07d}", "SCHEDULED", 2, text) for n in range(chunk)]
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        best = min(best, time.perf_counter() - started)
    db.close()
    return best


def files_size(folder: Path, pattern: str) -> int:
    return sum(path.stat().st_size for path in folder.glob(pattern))


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process, in MB."""
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[1]) * resource.getpagesize()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return current / 2**20, peak / 2**20


async def sandbox_figures(messages: int, chunk: int) -> None:
    text = "Promocao de Natal: -20% em tudo na loja ate domingo! Responda SAIR para cancelar."
    calls = max(1, messages // chunk)
    marks = sorted({m for m in (1_000, 20_000, 100_000, 1_000_000) if m < calls * chunk})
    marks.append(calls * chunk)
    bodies = [envelope(seq, chunk, text) for seq in range(4)]
    invalid = envelope(0, chunk, text).replace(b"<Msisdn>3519", b"<Msisdn>0")
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"{NAMESPACE}SendMessages"',
    }
    print(f"\nsandbox with a state file, {calls} SendMessages of {chunk} Sms over HTTP")
    print("  (per call: the whole call; persisting: the event, its messages and the commit)")
    before = rss_mb()[0]
    with tempfile.TemporaryDirectory() as folder:
        floor = insert_floor(Path(folder), chunk, text)
        path = Path(folder) / "sandbox.db"
        async with (
            SandboxServer(accounts=[f"bench:bench:{calls * chunk + 10}"], state_file=path,
                          max_sms=max(chunk, 5000)) as server,
            httpx.AsyncClient(timeout=120) as http,
        ):  # fmt: skip
            database = server.sandbox.database
            persisting = [0.0]

            def timed(function: Callable[[Any], None]) -> Callable[[Any], None]:
                def run(value: Any) -> None:
                    started = time.perf_counter()
                    function(value)
                    persisting[0] += time.perf_counter() - started

                return run

            database.save = timed(database.save)  # type: ignore[method-assign]
            database.events.append = timed(database.events.append)  # type: ignore[method-assign]

            async def post(body: bytes) -> None:
                response = await http.post(server.endpoint, content=body, headers=headers)
                response.raise_for_status()

            await post(invalid)  # warms the parser and the schema up; records nothing
            window: list[tuple[float, float]] = []
            started = time.perf_counter()
            for seq in range(calls):
                persisting[0] = 0.0
                call_started = time.perf_counter()
                await post(bodies[seq % 4])
                window = [*window[-4:], (time.perf_counter() - call_started, persisting[0])]
                stored = (seq + 1) * chunk
                if stored in marks:
                    call, persist = (
                        sorted(column)[len(column) // 2] for column in zip(*window, strict=True)
                    )
                    current, peak = rss_mb()
                    print(
                        f"  {stored:>9,} stored  call {call * 1000:7.1f} ms   persisting "
                        f"{persist * 1000:6.2f} ms (floor {floor * 1000:5.2f} ms)   "
                        f"RSS {current:6.1f} MB (peak {peak:6.1f})"
                    )
            elapsed = time.perf_counter() - started
            assert len(server.state.events) == calls
        size = files_size(Path(folder), "sandbox.db*")
    print(
        f"  {calls * chunk:,} messages in {elapsed:.1f} s ({calls * chunk / elapsed:,.0f}/s); "
        f"RSS {before:.1f} MB before, peak {rss_mb()[1]:.1f} MB; state file {size / 2**20:.1f} MB"
    )
    print("  (the median of the last 5 calls at each mark; floor: the same rows into a bare table)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--skip-count", action="store_true", help="only the sandbox figures")
    options = parser.parse_args()
    if not options.skip_count:
        counter_figures()
    asyncio.run(sandbox_figures(options.messages, options.chunk))
