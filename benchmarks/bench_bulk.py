"""Issue 11's goals in one run, each beside its floor or peer measured in the same run.

Usage:
    python benchmarks/bench_bulk.py [--sizes 1000,10000,100000] [--quick]

On this machine only. The sandbox runs as its own process (``usendit-bot
sandbox`` with a state file, on a free port of 127.0.0.1); each bot is
``BotApp`` on SQLite in a fresh child process of this script, driven as an
adapter drives the desk; the floors run in this process. Prints one table, a
row per goal (``--quick``: 1k recipients only), then what the rows are made of:

- bot CPU per recipient from the CSV until every part is accepted (``/send``, a
  CSV of N distinct PT mobiles attached, the text, the default sender, now, any time,
  Confirm, until the campaign is DONE; ``process_time`` of the bot's process,
  its threads included; best of 3 campaigns up to 10k), at each size; floor:
  the same N recipients as SendMessages of 1000 Sms written from an escaped
  template, posted with httpx to the same sandbox, each answer read with lxml
  ``iterparse`` (best of as many);
- the bot's peak RSS (``ru_maxrss``) once the largest CSV is accepted;
- a personalised campaign beside an equal plain one, 10k each (``--quick``: 1k), the
  same CSV and pipeline as above (best of 3 each): the text ``Olá {nome}, ...``
  renders each row's name, the plain one is ``Olá Cliente, ...`` (both UCS-2, two
  segments); both figures and their ratio;
- /balance through the desk, one after another (median, p99) and from 200
  chats at once (throughput, errors), beside bare zeep ``AuthenticateUser``
  calls on the same WSDL and endpoint, one of each in turn;
- /count: ``count_segments`` beside a ``str.translate`` counter (from
  ``bench_count_sandbox.py``), the worst of its four texts at 10k characters;
- the sandbox's CPU per SendMessages of 1000 once it stores every message of
  the run, beside a fresh sandbox process taking the same calls in turn
  (``/proc/<pid>/stat``);
- the event loop during the largest send: another chat's /balance p99, and
  the loop's lag (how late a 10 ms sleep wakes), beside the same bot idle, in
  a run of its own (so these probes count in no CPU row). There a second
  sandbox, in this process, answers what the chats ask and passes the
  campaign's calls on to the sandbox process, as uSendit answers one client
  during another's send: one single-threaded sandbox would queue each
  /balance behind a whole 1000-Sms call, and time itself rather than the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import os
import resource
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import zeep
from aiohttp import web
from bench_count_sandbox import TEXTS, best_rate, floor_count
from cryptography.fernet import Fernet
from lxml import etree
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport

from bot.app import BotApp
from bot.campaign_status import CampaignState
from bot.campaigns import DEFAULT_CHUNK_SIZE
from bot.chat import Attachment, Command, Identity, Reply
from bot.desk import Desk
from bot.sandbox.routes import Sandbox
from bot.segments import count_segments
from bot.settings import Settings
from bot.usendit.client import bundled_wsdl

NS = "http://api.usendit.pt/v1/"
SOAP_PATH = "/v1/remoteusendit.asmx"
TEXT = "Natal na Loja & Cia: -20% em tudo ate domingo! Responda SAIR."
TEXTS_BY_KIND = {
    "bulk": TEXT,
    "plain": "Olá Cliente, " + TEXT,
    "personal": "Olá {nome}, " + TEXT,
}
"""The texts a send child may take: the bulk rows', and the personalised pair's."""
PERSONAL_SIZE = 10_000
CREDITS = 10_000_000
BOT, FLOOR, PROBE = ("rich", "rich-pass"), ("floor", "floor-pass"), ("probe", "probe-pass")
CHUNK = DEFAULT_CHUNK_SIZE
CROWD = 200
CAMPAIGN_CALLS = ("SendMessages", "GetPartnerEvents", "GetSchedule")
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}SendMessages"'}
ANSWER_TAGS = (f"{{{NS}}}ScheduleStatus", f"{{{NS}}}SmsScheduled")
_ids = itertools.count(1)
Json = dict[str, Any]


def numbers(count: int, first: int = 0) -> list[str]:
    """``count`` distinct PT mobiles, 351910000000 + ``first`` on."""
    return [str(351_910_000_000 + first + n) for n in range(count)]


def csv_file(count: int, first: int = 0) -> bytes:
    rows = (
        f"Cliente {n};+351 {msisdn[3:6]} {msisdn[6:9]} {msisdn[9:]}\n"
        for n, msisdn in enumerate(numbers(count, first))
    )
    return ("Nome;Telemóvel\n" + "".join(rows)).encode()


def envelope(account: tuple[str, str], event: str, msisdns: Sequence[str], text: str) -> bytes:
    """SendMessages from a template, the text escaped once."""
    body = escape(text)
    sms = "".join(
        f"<Sms><PartnerMsgId>{event}-{n}</PartnerMsgId><Msisdn>{msisdn}</Msisdn>"
        f"<Priority>1</Priority><MessageText>{body}</MessageText>"
        "<WorkingDays>false</WorkingDays><IsFlash>false</IsFlash></Sms>"
        for n, msisdn in enumerate(msisdns)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<SendMessages xmlns="{NS}"><username>{account[0]}</username>'
        f"<password>{account[1]}</password><partnerEventId>{event}</partnerEventId>"
        f"<smsList>{sms}</smsList></SendMessages></soap:Body></soap:Envelope>"
    ).encode()


def read_answer(content: bytes) -> tuple[str | None, list[dict[str, str | None]]]:
    """The status and every message's result of a SendMessages answer, by iterparse."""
    status, results = None, []
    for _, element in etree.iterparse(io.BytesIO(content), tag=ANSWER_TAGS):
        if element.tag == ANSWER_TAGS[0]:
            status = element.text
        else:
            results.append({child.tag: child.text for child in element})
            element.clear()
    return status, results


def p99(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


# --- the bot's side (a child process) ------------------------------------------------


class Outbox:
    """The notices' channel for ``console:`` chats: shown nowhere, at no cost."""

    prefix = "console:"

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def show(self, chat: str, ref: str | None, reply: Reply) -> str | None:
        return ref or f"m{next(_ids)}"


@dataclass
class Chat:
    """One console user in a chat of their own, acting as an adapter does."""

    desk: Desk
    user: str

    @property
    def chat_id(self) -> str:
        return f"console:{self.user}"

    async def do(self, **fields: Any) -> list[Reply]:
        replies: list[Reply] = []

        async def sink(reply: Reply) -> None:
            replies.append(reply)

        identity = Identity("console", self.user)
        command = Command(f"bench:{next(_ids)}", identity, self.chat_id, **fields)
        await self.desk.handle(command, sink)
        return replies

    async def balance(self) -> bool:
        """/balance; whether it told the credits."""
        return any(" left on " in reply.text for reply in await self.do(name="balance"))


def button(replies: list[Reply], prefix: str) -> str:
    for reply in replies:
        for row in reply.buttons:
            for choice in row:
                if choice.action.startswith(prefix):
                    return choice.action
    raise RuntimeError(f"no {prefix} button in {[reply.text for reply in replies]}")


async def send_file(app: BotApp, chat: Chat, content: bytes, count: int, text: str = TEXT) -> float:
    """/send with ``content`` attached, the text, the default sender, now, any time, Confirm;
    back once every part is accepted. The CPU seconds until the draft was stored."""
    started = time.process_time()
    await chat.do(name="send")
    await chat.do(attachments=(Attachment("clientes.csv", content, "text/csv"),))
    drafted = time.process_time() - started
    replies = await chat.do(args=text)
    if any(choice.action == "send:keep" for reply in replies for row in reply.buttons
           for choice in row):  # fmt: skip
        replies = await chat.do(action="send:keep")  # a plain text's accents, kept
    replies = await chat.do(action=button(replies, "send:nosender"))
    replies = await chat.do(action=button(replies, "send:now"))
    replies = await chat.do(action=button(replies, "send:anytime"))  # no delivery window
    confirm = button(replies, "send:confirm:")
    await chat.do(action=confirm)
    while await app.store.pending_jobs(chat=chat.chat_id):
        await asyncio.sleep(0.05)
    status = await app.desk.engine.status(int(confirm.split(":")[2]))
    if status.state is not CampaignState.DONE or status.accepted != count:
        raise RuntimeError(f"campaign {status.state.value}, {status.accepted} of {count} accepted")
    return drafted


@dataclass
class Watch:
    """Another chat's /balance times, the loop's lags, and the /balance that failed."""

    balance: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    errors: int = 0


@contextlib.asynccontextmanager
async def watching(desk: Desk, watch: Watch | None = None) -> AsyncIterator[Watch]:
    """/balance from another chat, one after another, and the loop's lag, while it lasts
    (added to ``watch``)."""
    watch, done = watch or Watch(), asyncio.Event()
    watcher = Chat(desk, "watcher")

    async def ask() -> None:
        while not done.is_set():
            started = time.perf_counter()
            told = await watcher.balance()
            watch.balance.append(time.perf_counter() - started)
            watch.errors += not told
            await asyncio.sleep(0.02)

    async def sample() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            watch.lag.append(time.perf_counter() - started - 0.01)

    tasks = [asyncio.create_task(ask()), asyncio.create_task(sample())]
    try:
        yield watch
    finally:
        done.set()  # let a /balance under way finish: a cancel could stop it mid-write
        await asyncio.gather(*tasks)


def settings_for(endpoint: str, folder: Path) -> Settings:
    return Settings(
        _env_file=None,
        usendit_endpoint=endpoint,
        usendit_username=BOT[0],
        usendit_password=BOT[1],
        usendit_timeout=60,
        database_url=f"sqlite:///{folder}/bot.db",
        secret_key=Fernet.generate_key().decode(),
        bot_admins=["console:*"],
    )


async def bot_sends(
    endpoint: str, folder: Path, size: int, repeats: int, watch: int, text: str = TEXT
) -> Json:
    """CSV to accepted in one bot process, ``repeats`` campaigns; ``watch``: with the probes,
    and that many seconds of them idle before and after each."""
    figures: dict[str, Any] = {"cpu": [], "drafted": [], "wall": []}
    async with BotApp(settings_for(endpoint, folder), [Outbox()]) as app:
        chat = Chat(app.desk, "sender")
        await send_file(app, chat, csv_file(20, 9_000_000), 20, text)  # every path once
        content = csv_file(size)
        idle, busy = Watch(), Watch()
        for _ in range(repeats):
            if watch:
                async with watching(app.desk, idle):
                    await asyncio.sleep(watch)
            cpu, wall = time.process_time(), time.perf_counter()
            async with watching(app.desk, busy) if watch else contextlib.nullcontext():
                drafted = await send_file(app, chat, content, size, text)
            figures["cpu"].append(time.process_time() - cpu)
            figures["wall"].append(time.perf_counter() - wall)
            figures["drafted"].append(drafted)
            while await app.store.pending_notices():  # the last progress shown, untimed
                await asyncio.sleep(0.05)
            if watch:  # idle before and after: the machine's other load changes meanwhile
                async with watching(app.desk, idle):
                    await asyncio.sleep(watch)
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if watch:
        for name, seen in (("idle", idle), ("busy", busy)):
            figures[name] = {"balance": seen.balance, "lag": seen.lag, "errors": seen.errors}
    return figures


async def bot_balance(endpoint: str, folder: Path, calls: int, crowds: int) -> Json:
    """/balance through the desk beside bare zeep AuthenticateUser: ``calls`` of each in
    turn, then ``crowds`` rounds of 200 at once."""
    async with (
        BotApp(settings_for(endpoint, folder)) as app,
        httpx.AsyncClient(timeout=60) as http,
    ):
        with httpx.Client() as wsdl_http:
            transport = AsyncTransport(client=http, wsdl_client=wsdl_http)
            client = zeep.AsyncClient(str(bundled_wsdl()), transport=transport)
        binding = client.wsdl.bindings[f"{{{NS}}}RemoteUsenditSoap"]
        service = AsyncServiceProxy(client, binding, address=endpoint)

        async def bare() -> bool:
            answer = await service.AuthenticateUser(username=BOT[0], password=BOT[1])
            return bool(answer.AuthenticateResultStatus == "SUCCESS")

        chats = [Chat(app.desk, f"u{n}") for n in range(CROWD)]
        ways: dict[str, Callable[[], Any]] = {"desk": chats[0].balance, "bare": bare}
        times: dict[str, list[float]] = {"desk": [], "bare": []}
        for _ in range(20):  # warm: the desk learns the account's facts once
            for way in ways.values():
                await way()
        for _ in range(calls):  # one of each in turn: both see the same machine
            for name, way in ways.items():
                started = time.perf_counter()
                if not await way():
                    raise RuntimeError(f"/balance {name} failed")
                times[name].append(time.perf_counter() - started)
        crowd = {"desk": [c.balance for c in chats], "bare": [bare] * CROWD}
        rates: dict[str, list[float]] = {"desk": [], "bare": []}
        errors = {"desk": 0, "bare": 0}
        for burst in crowd.values():  # warm: both pools open their connections
            await asyncio.gather(*(call() for call in burst))
        for _ in range(crowds):
            for name, burst in crowd.items():
                started = time.perf_counter()
                told = await asyncio.gather(*(call() for call in burst), return_exceptions=True)
                rates[name].append(CROWD / (time.perf_counter() - started))
                errors[name] += sum(result is not True for result in told)
    return {"times": times, "rates": rates, "errors": errors}


def child_main(options: argparse.Namespace) -> None:
    folder = Path(options.folder)
    folder.mkdir()
    if options.child == "balance":
        run = bot_balance(options.endpoint, folder, options.calls, options.crowds)
    else:
        text = TEXTS_BY_KIND[options.text]
        run = bot_sends(
            options.endpoint, folder, options.size, options.repeats, options.watch, text
        )
    print(json.dumps(asyncio.run(run)))


# --- this process: the sandboxes, the floors, the table -----------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def sandbox_process(state: Path) -> AsyncIterator[tuple[str, int]]:
    """``usendit-bot sandbox``, its state in ``state``: its endpoint and pid."""
    port = free_port()
    accounts = [f"{user}:{password}:{CREDITS}" for user, password in (BOT, FLOOR, PROBE)]
    command = ["-m", "bot.cli", "sandbox", f"--port={port}", f"--state={state}"]
    command += [f"--account={spec}" for spec in accounts]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, stdout=asyncio.subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}{SOAP_PATH}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(endpoint + "?WSDL")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
        yield endpoint, process.pid
    finally:
        process.terminate()
        await process.wait()


@contextlib.asynccontextmanager
async def router(campaigns: str) -> AsyncIterator[str]:
    """A sandbox in this process that answers what a chat asks (AuthenticateUser,
    GetCredits...) itself and passes a campaign's calls on to ``campaigns``."""
    chats = Sandbox(accounts=[f"{BOT[0]}:{BOT[1]}:{CREDITS}"])
    async with httpx.AsyncClient(timeout=120) as http:

        async def route(request: web.Request) -> web.StreamResponse:
            action = request.headers.get("SOAPAction", "").strip('"').rpartition("/")[2]
            if action not in CAMPAIGN_CALLS:
                return await chats.handle_soap(request)
            headers = {name: request.headers[name] for name in ("Content-Type", "SOAPAction")}
            answer = await http.post(campaigns, content=await request.read(), headers=headers)
            kind = {"Content-Type": answer.headers.get("Content-Type", "text/xml")}
            return web.Response(body=answer.content, status=answer.status_code, headers=kind)

        app = web.Application()
        app.router.add_post(SOAP_PATH, route)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            port = free_port()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            yield f"http://127.0.0.1:{port}{SOAP_PATH}"
        finally:
            await runner.cleanup()
            chats.close()


async def floor_seconds(http: httpx.AsyncClient, endpoint: str, size: int, run: str) -> float:
    """CPU seconds of this process to send ``size`` recipients as the floor does."""
    msisdns = numbers(size)
    started = time.process_time()
    for seq, first in enumerate(range(0, size, CHUNK)):
        part = msisdns[first : first + CHUNK]
        body = envelope(FLOOR, f"floor-{run}-{seq}", part, TEXT)
        answer = await http.post(endpoint, content=body, headers=HEADERS)
        answer.raise_for_status()
        status, results = read_answer(answer.content)
        if status != "SCHEDULE_OK" or len(results) != len(part):
            raise RuntimeError(f"floor part {seq}: {status}, {len(results)} of {len(part)}")
    return time.process_time() - started


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sandbox_calls(http: httpx.AsyncClient, sandboxes: list[tuple[str, int]]) -> list[float]:
    """Each sandbox's CPU seconds for one SendMessages of 1000 Sms: the median of 8 calls
    (after 2), one to each in turn, so that all see the machine's other load alike."""
    spent: list[list[float]] = [[] for _ in sandboxes]
    for n in range(10):
        body = envelope(PROBE, f"probe-{n}", numbers(CHUNK, n * CHUNK), TEXT)
        for (endpoint, pid), seen in zip(sandboxes, spent, strict=True):
            started = cpu_of(pid)
            (await http.post(endpoint, content=body, headers=HEADERS)).raise_for_status()
            seen.append(cpu_of(pid) - started)
    return [statistics.median(seen[2:]) for seen in spent]


def count_row() -> tuple[float, float, str]:
    """(ours, floor) characters per second, for the text where ours is furthest behind."""
    worst: tuple[float, float, str] | None = None
    for kind, sentence in TEXTS.items():
        text = (sentence * (10_000 // len(sentence) + 1))[:10_000]
        ours, floor = best_rate([count_segments, floor_count], text)
        if worst is None or ours / floor < worst[0] / worst[1]:
            worst = (ours, floor, kind)
    assert worst is not None
    return worst


@dataclass
class Figures:
    """What one run measured, to be tabled."""

    sizes: list[int]
    fresh: float = 0.0
    full: float = 0.0
    stored: int = 0
    count: tuple[float, float, str] = (0.0, 0.0, "")
    balance: Json = field(default_factory=dict)
    sends: dict[int, tuple[float, Json]] = field(default_factory=dict)
    """Per size: the floor's CPU seconds, and the bot's figures."""
    personal: dict[str, Json] = field(default_factory=dict)
    """The personalised pair: the bot's figures for "plain" and "personal"."""
    health: Json = field(default_factory=dict)


async def child(folder: Path, kind: str, endpoint: str, **options: int | str) -> Json:
    """This file run again as a bot process of its own; its figures."""
    command = [__file__, f"--child={kind}", f"--endpoint={endpoint}", f"--folder={folder}"]
    command += [f"--{name}={value}" for name, value in options.items()]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the bot process ({kind}) ended with {process.returncode}")
    figures: Json = json.loads(out.splitlines()[-1])
    return figures


async def measure(sizes: list[int], quick: bool, began: float) -> Figures:
    run = Figures(sizes)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        async with (
            sandbox_process(folder / "sandbox.db") as (endpoint, pid),
            httpx.AsyncClient(timeout=120) as http,
        ):
            run.count = count_row()
            progress(began, "/count measured")
            calls, crowds, idle = (100, 2, 2) if quick else (300, 5, 4)
            run.balance = await child(
                folder / "balance", "balance", endpoint, calls=calls, crowds=crowds
            )
            progress(began, "/balance measured")
            await floor_seconds(http, endpoint, 100, "warm")
            run.stored = 100
            for size in sizes:
                repeats = 3 if size <= 10_000 else 1
                floors = [
                    await floor_seconds(http, endpoint, size, f"{size}-{n}") for n in range(repeats)
                ]
                got = await child(
                    folder / f"send-{size}", "send", endpoint, size=size, repeats=repeats
                )
                run.sends[size] = (min(floors), got)
                run.stored += 2 * size * repeats + 20
                progress(began, f"{label(size)}: the floor and the bot measured")
            pair = 1000 if quick else PERSONAL_SIZE
            for kind in ("plain", "personal"):
                run.personal[kind] = await child(
                    folder / f"{kind}-{pair}", "send", endpoint, size=pair, repeats=3, text=kind
                )
                run.stored += 2 * pair * 3 + 20
            progress(began, f"{label(pair)} personalised and plain measured")
            async with router(endpoint) as routed:
                run.health = await child(
                    folder / "watch", "send", routed, size=max(sizes), watch=idle
                )
            run.stored += max(sizes) + 20
            progress(began, f"the loop during the {label(max(sizes))} send measured")
            async with sandbox_process(folder / "fresh.db") as fresh:
                run.full, run.fresh = await sandbox_calls(http, [(endpoint, pid), fresh])
            progress(began, "the sandbox measured")
    return run


class Table:
    """Rows of (what, figure, floor or peer, ratio, goal, met), printed as Markdown."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(
        self,
        what: str,
        figure: str,
        peer: str = "",
        ratio: float | None = None,
        *,
        most: float | None = None,
        least: float | None = None,
        goal: str = "",
        met: bool | None = True,
    ) -> None:
        """A row; ``most``/``least``: the goal is a ratio at most/least that; ``met``
        None: a row with no goal of its own."""
        if ratio is not None and most is not None:
            goal, met = f"≤ {most:g}x{goal}", met and ratio <= most
        if ratio is not None and least is not None:
            goal, met = f"≥ {least:g}x{goal}", met and ratio >= least
        shown = "" if ratio is None else f"{ratio:.2f}x"
        verdict = "" if met is None else "yes" if met else "**NO**"
        self.rows.append((what, figure, peer, shown, goal, verdict))

    def print(self) -> None:
        head = ("what", "figure", "floor or peer, same run", "ratio", "goal", "met")
        widths = [max(len(row[n]) for row in [head, *self.rows]) for n in range(len(head))]
        for row in [head, tuple("-" * width for width in widths), *self.rows]:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def table_of(run: Figures) -> Table:
    table, largest = Table(), max(run.sizes)
    for size, (floor, got) in run.sends.items():
        bot, what = min(got["cpu"]), f"bot CPU per recipient, CSV to accepted, {label(size)}"
        per = f"{floor / size * 1e6:.1f} µs (template + iterparse)"
        table.add(what, f"{bot / size * 1e6:.1f} µs", per, bot / floor, most=2)
    pair = run.personal["plain"], run.personal["personal"]
    size = 1000 if run.sizes == [1000] else PERSONAL_SIZE
    plain, personal = (min(got["cpu"]) / size * 1e6 for got in pair)
    what = f"bot CPU per recipient, personalised text (Olá {{nome}}), {label(size)}"
    table.add(what, f"{personal:.1f} µs", f"{plain:.1f} µs (plain)", personal / plain, met=None)
    rss = run.sends[largest][1]["rss_mb"]
    what = f"a {largest:,}-recipient CSV: accepted, peak RSS"
    table.add(what, f"{rss:.0f} MB", goal="< 200 MB", met=rss < 200)
    times = run.balance["times"]
    for name, pick in (("median", statistics.median), ("p99", p99)):
        desk, bare = pick(times["desk"]) * 1e3, pick(times["bare"]) * 1e3
        what = f"/balance through the desk, {name}"
        table.add(what, f"{desk:.2f} ms", f"{bare:.2f} ms (bare zeep)", desk / bare, most=1.3)
    rates, errors = run.balance["rates"], run.balance["errors"]
    desk, bare = statistics.median(rates["desk"]), statistics.median(rates["bare"])
    ours, peer = (
        f"{desk:,.0f}/s, {errors['desk']} errors",
        f"{bare:,.0f}/s, {errors['bare']} errors",
    )
    table.add(
        f"{CROWD} chats asking /balance at once",
        ours,
        peer,
        desk / bare,
        least=0.8,
        goal=", 0 errors",
        met=errors["desk"] == 0,
    )
    counted, floor, kind = run.count
    what, peer = (
        f"/count, characters per second ({kind}, 10k)",
        f"{floor / 1e6:.1f} M/s (str.translate)",
    )
    table.add(what, f"{counted / 1e6:.1f} M/s", peer, counted / floor, least=0.5)
    what = f"sandbox CPU per SendMessages of 1000, {run.stored:,} stored"
    table.add(
        what,
        f"{run.full * 1e3:.0f} ms",
        f"{run.fresh * 1e3:.0f} ms (a fresh one)",
        run.full / run.fresh,
        most=1.25,
        goal=" (constant)",
    )
    idle, busy = run.health["idle"], run.health["busy"]
    late, calm = p99(busy["balance"]), p99(idle["balance"])
    what = f"/balance p99 from another chat during the {label(largest)} send"
    table.add(
        what,
        f"{late * 1e3:.1f} ms, {busy['errors']} errors",
        f"{calm * 1e3:.1f} ms (idle)",
        late / calm,
        most=2,
        goal=", 0 errors",
        met=busy["errors"] == 0,
    )
    busy_lag, idle_lag = (
        f"{p99(seen['lag']) * 1e3:.1f} / {max(seen['lag']) * 1e3:.0f} ms" for seen in (busy, idle)
    )
    what = f"event loop lag p99 / max during the {label(largest)} send"
    table.add(what, busy_lag, idle_lag + " (idle)", goal="(the measure)", met=None)
    return table


def print_notes(run: Figures) -> None:
    """What the CPU rows are made of, and what the loop's run took."""
    for size, (_, got) in run.sends.items():
        best = got["cpu"].index(min(got["cpu"]))
        cpu, drafted, wall = got["cpu"][best], got["drafted"][best], got["wall"][best]
        print(
            f"{label(size)}: {drafted / size * 1e6:.1f} µs/rcpt to read the file and store the "
            f"draft, {(cpu - drafted) / size * 1e6:.1f} from the text to accepted; {wall:.1f} s"
        )
    health, largest = run.health, max(run.sizes)
    print(
        f"with the probes: {health['wall'][0]:.1f} s, {health['cpu'][0] / largest * 1e6:.1f} "
        f"µs/rcpt; /balance median {statistics.median(health['busy']['balance']) * 1e3:.1f} "
        f"ms busy, {statistics.median(health['idle']['balance']) * 1e3:.1f} ms idle"
    )


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def progress(began: float, what: str) -> None:
    print(f"[{time.perf_counter() - began:5.0f} s] {what}", file=sys.stderr, flush=True)


async def main(sizes: list[int], quick: bool) -> None:
    began, load = time.perf_counter(), os.getloadavg()
    run = await measure(sizes, quick, began)
    table_of(run).print()
    print()
    print_notes(run)
    print(
        f"{time.perf_counter() - began:.0f} s in all; load average {load[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="1k recipients only, fewer rounds")
    for hidden in ("--child", "--endpoint", "--folder"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    for hidden, default in (("--size", 1000), ("--repeats", 1), ("--calls", 300), ("--crowds", 5)):
        parser.add_argument(hidden, type=int, default=default, help=argparse.SUPPRESS)
    parser.add_argument("--watch", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--text", default="bulk", choices=TEXTS_BY_KIND, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child_main(options)
    else:
        sizes = [1000] if options.quick else [int(size) for size in options.sizes.split(",")]
        asyncio.run(main(sizes, options.quick))
