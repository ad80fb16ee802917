"""Reading recipients files of 1k, 10k and 100k rows, beside floors; prints, asserts nothing.

Usage:
    python benchmarks/bench_recipients.py [--sizes 1000,10000,100000] [--rounds 3]

For each size, a semicolon CSV as a shop exports it (header, name, phone,
e-mail) with what real lists hold: Portuguese mobiles spelled four ways, some
Spanish mobiles and Portuguese landlines, 8% repeats in another spelling, 4%
junk. Printed per row, best of ``--rounds``, rounds interleaved:

- ``parse_file``, the whole reading (decode, sniff, header, column, numbers);
- floor: a bare ``csv.reader`` pass over the decoded text;
- floor: bare ``phonenumbers.parse`` + ``number_type``, once per distinct phone
  cell, spread over the rows (what any reading that asks phonenumbers about
  every distinct entry pays; the PT fast path is why ``parse_file`` may beat it).

Then the same for a list of Spanish mobiles read with region ES (no fast path:
every distinct number goes through phonenumbers), and the peak memory of reading
a 100k-row file and a 10 MB file of 100k rows, each in a fresh process: its peak
RSS (``ru_maxrss``, the interpreter included) beside the RSS before reading, and
what tracemalloc saw the reading itself allocate at its peak.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

import phonenumbers
from phonenumbers import NumberParseException

from bot.recipient_files import parse_file

JUNK = ("abc", "91234", "n/d", "912 345 67", "")


def pt_list(rows: int, *, seed: int = 11, pad: int = 0) -> tuple[bytes, list[str]]:
    """A PT shop's CSV of ``rows`` data rows, and its phone cells; ``pad`` widens each row."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    phones: list[str] = []
    for _ in range(rows):
        draw = rng.random()
        if draw < 0.04:
            phones.append(rng.choice(JUNK))
            continue
        if draw < 0.12 and phones:
            earlier = rng.choice(phones).replace(" ", "").removeprefix("+351")
            phones.append(earlier if len(earlier) == 9 else rng.choice(phones))
            continue
        digits = f"{rng.randrange(10_000_000):07d}"
        if draw < 0.15:
            phones.append("21" + digits)  # a landline: NOT_MOBILE
        elif draw < 0.20:
            phones.append(f"+34 6{digits[:2]} {digits[2:5]} {digits[5:]}0")
        else:
            nsn = f"9{rng.choice('1236')}{digits}"
            spell = rng.randrange(4)
            if spell == 0:
                phones.append(nsn)
            elif spell == 1:
                phones.append(f"+351 {nsn[:3]} {nsn[3:6]} {nsn[6:]}")
            elif spell == 2:
                phones.append("+351" + nsn)
            else:
                phones.append("00351 " + nsn)
    filler = "x" * pad
    body = "".join(
        f"Cliente {n};{phone};cliente{n}@exemplo.pt{filler}\n" for n, phone in enumerate(phones)
    )
    return ("Nome;Telemóvel;Email\n" + body).encode(), phones


def es_list(rows: int, *, seed: int = 12) -> tuple[bytes, list[str]]:
    """Spanish mobiles, 8% repeated, to read with region ES."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    phones: list[str] = []
    for _ in range(rows):
        if phones and rng.random() < 0.08:
            phones.append(rng.choice(phones))
        else:
            phones.append(f"6{rng.randrange(100_000_000):08d}")
    body = "".join(f"Cliente {n};{phone}\n" for n, phone in enumerate(phones))
    return ("Nombre;Celular\n" + body).encode(), phones


def csv_floor(text: str) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def phonenumbers_floor(distinct: list[str], region: str) -> int:
    mobiles = 0
    for raw in distinct:
        try:
            number = phonenumbers.parse(raw, region)
        except NumberParseException:
            continue
        mobiles += phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    return mobiles


def best_seconds(functions: list[Callable[[], object]], rounds: int) -> list[float]:
    """The best of ``rounds`` runs of each function, rounds interleaved."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for n, function in enumerate(functions):
            started = time.perf_counter()
            function()
            best[n] = min(best[n], time.perf_counter() - started)
    return best


def figures(label: str, content: bytes, phones: list[str], region: str, rounds: int) -> None:
    rows = len(phones)
    text = content.decode("utf-8")
    distinct = list(dict.fromkeys(phones))
    parsed = parse_file("bench.csv", content, region, max_rows=rows)
    ours, reader, library = best_seconds(
        [
            lambda: parse_file("bench.csv", content, region, max_rows=rows),
            lambda: csv_floor(text),
            lambda: phonenumbers_floor(distinct, region),
        ],
        rounds,
    )
    per_row = 1e6 / rows
    print(
        f"  {label:<10} {rows:>7,} rows {len(content) / 1e6:5.1f} MB  parse_file "
        f"{ours * per_row:6.2f} µs/row   floors: csv.reader {reader * per_row:5.2f}, "
        f"phonenumbers {library * per_row:6.2f} µs/row "
        f"({library / len(distinct) * 1e6:5.1f} µs each of {len(distinct):,} distinct)"
    )
    print(
        f"  {'':<10} {len(parsed.numbers):,} numbers, {len(parsed.invalid):,} invalid, "
        f"{len(parsed.duplicates):,} repeats; {ours:.3f} s in all"
    )


def peak(rows: int, pad: int, traced: bool) -> None:
    """In a fresh process: build the file, then read it; print the memory figures."""
    content, _ = pt_list(rows, pad=pad)
    before = _rss_mb()
    if traced:
        tracemalloc.start()
        parse_file("bench.csv", content, max_rows=rows, max_bytes=len(content))
        print(f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f}")
        return
    parse_file("bench.csv", content, max_rows=rows, max_bytes=len(content))
    high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{before:.1f} {high:.1f} {len(content) / 1e6:.1f}")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _child(command: list[str]) -> str:
    """The output of this file run again (a fresh process, for its own peak RSS)."""
    run = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return run.stdout


def memory_figures(rows: int) -> None:
    print(f"\npeak memory reading {rows:,} rows, each in a fresh process")
    narrow = len(pt_list(rows)[0])
    # As exported, and padded to MAX_FILE_MB's 10 MB (a wider row costs only its bytes).
    for pad in (0, max(0, (10_000_000 - narrow) // rows)):
        command = [sys.executable, __file__, "--peak", str(rows), "--pad", str(pad)]
        rss = _child(command).split()
        traced = _child([*command, "--traced"]).strip()
        before, high, size = rss
        print(
            f"  {size:>5} MB file: peak RSS {high:>6} MB ({before} MB before reading); "
            f"the reading's own peak (tracemalloc) {traced} MB"
        )


def main(sizes: list[int], rounds: int) -> None:
    parse_file("warm.csv", pt_list(100)[0])  # phonenumbers loads its metadata once
    print("parse_file per row, beside floors measured in the same run (best of rounds)")
    for rows in sizes:
        content, phones = pt_list(rows)
        figures("PT list", content, phones, "PT", rounds if rows < 100_000 else max(1, rounds - 1))
    rows = min(max(sizes), 10_000)
    content, phones = es_list(rows)
    figures("ES list", content, phones, "ES", rounds)
    memory_figures(max(sizes))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peak", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pad", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.peak:
        peak(options.peak, options.pad, options.traced)
    else:
        main([int(size) for size in options.sizes.split(",")], options.rounds)
