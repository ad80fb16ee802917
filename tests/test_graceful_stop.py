"""SIGTERM in the middle of a send, in every mode, and a start while uSendit is down.

Each test runs ``usendit-bot`` in subprocesses, as a deployment does: the sandbox
(with a latency fault on SendMessages, so a 5-part campaign takes a few seconds)
and the fake Telegram Bot API are served by this test's event loop on 127.0.0.1.
A campaign is confirmed through the mode itself (or, for ``worker``, by the test
as another replica would), SIGTERM arrives once uSendit has accepted the first
part, and the process must stop cleanly within SHUTDOWN_GRACE, saying nothing
false ("Nothing was sent"). The next start then finishes the campaign with no
button pressed, each part sent exactly once.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from chat_driver import KEY, child_env
from fake_bot_api import BotApi, FakeBotApiServer, message_update, press_update, user
from sandbox_api import arm_fault, events_by_partner_id, sandbox_state

from bot.campaigns import CampaignEngine
from bot.notices import NoticeBoard
from bot.records import Campaign, Chunk, ChunkState, Work
from bot.sandbox import SandboxServer
from bot.usendit.client import Credentials, UsenditClient
from storage import open_store

pytestmark = pytest.mark.slow

TOKEN = "123:GRACEFUL"
WEBHOOK_SECRET = "graceful-webhook-secret"
ADMIN = 1001
NUMBERS = [f"+35191234567{n}" for n in range(1, 6)]
PARTS = len(NUMBERS)
GRACE = 3.0
MARGIN = 4.0
"""Seconds allowed beyond SHUTDOWN_GRACE for the interpreter's own teardown."""
LATENCY = 0.8
FALSE_CLAIM = re.compile("nothing was sent", re.IGNORECASE)
TRACEBACK = "Traceback (most recent call last)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(tmp_path: Path, endpoint: str, database: str, **values: str) -> dict[str, str]:
    """The settings of the brief: one Sms per part, short timeouts, a 3 s grace."""
    return child_env(
        tmp_path,
        USENDIT_ENDPOINT=endpoint,
        USENDIT_USERNAME="demo",
        USENDIT_PASSWORD="demo",
        USENDIT_TIMEOUT="2",
        QUIET_WINDOW="5",
        WORKER_LEASE="3",
        CHUNK_SIZE="1",
        SHUTDOWN_GRACE=str(GRACE),
        DATABASE_URL=database,
        **values,
    )


class Bot:
    """One ``usendit-bot`` subprocess; its output read as it comes, each stdout line
    with the loop time it was read at."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.out: list[tuple[float, str]] = []
        self.err: list[str] = []
        assert process.stdout is not None
        assert process.stderr is not None
        self._pumps = [
            asyncio.create_task(self._pump(process.stdout, self.out)),
            asyncio.create_task(self._pump_err(process.stderr)),
        ]

    @staticmethod
    async def _pump(stream: asyncio.StreamReader, lines: list[tuple[float, str]]) -> None:
        loop = asyncio.get_running_loop()
        while raw := await stream.readline():
            lines.append((loop.time(), raw.decode(errors="replace").rstrip("\n")))

    async def _pump_err(self, stream: asyncio.StreamReader) -> None:
        while raw := await stream.readline():
            self.err.append(raw.decode(errors="replace"))

    @property
    def stdout(self) -> str:
        return "\n".join(line for _, line in self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def type(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(line + "\n" for line in lines).encode())

    def close_stdin(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    async def line(self, wanted: Callable[[str], bool], within: float) -> tuple[float, str]:
        """The first stdout line ``wanted`` accepts (with when it was read), waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            for at, line in self.out:
                if wanted(line):
                    return at, line
            if self.process.returncode is not None and all(p.done() for p in self._pumps):
                pytest.fail(f"the bot ended without that line:\n{self.stdout}\n{self.stderr}")
            if loop.time() > deadline:
                pytest.fail(f"no such line within {within} s:\n{self.stdout}\n{self.stderr}")
            await asyncio.sleep(0.02)

    async def ended(self, within: float) -> int:
        """The exit code, once the process ended (within ``within`` seconds) and its
        output is read to the end."""
        try:
            code = await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            await asyncio.gather(*self._pumps)
            pytest.fail(f"still running after {within} s:\n{self.stdout}\n{self.stderr}")
        await asyncio.wait_for(asyncio.gather(*self._pumps), 5)
        return code

    async def terminate(self, within: float) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds the process took to end."""
        loop = asyncio.get_running_loop()
        sent = loop.time()
        self.process.send_signal(signal.SIGTERM)
        code = await self.ended(within)
        return code, loop.time() - sent


@pytest.fixture
async def launch(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """Starts ``usendit-bot ARGS`` in ``tmp_path``; whatever is still running at the
    end of the test is killed."""
    started: list[Bot] = []

    async def start(*args: str, env: dict[str, str], stdin: bool = False) -> Bot:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            *args,
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        bot = Bot(process)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()


async def until(check: Callable[[], Any], within: float, what: str, bot: Bot) -> Any:
    """Poll the coroutine function ``check`` until it returns something true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        found = await check()
        if found:
            return found
        if bot.process.returncode is not None:
            pytest.fail(f"{what}: the bot ended first:\n{bot.stdout}\n{bot.stderr}")
        if loop.time() > deadline:
            pytest.fail(f"{what}: not within {within} s:\n{bot.stdout}\n{bot.stderr}")
        await asyncio.sleep(0.05)


async def campaign_and_chunks(
    database: str, cid: int | None = None
) -> tuple[Campaign, list[Chunk]]:
    """The campaign (the only one, without ``cid``) and its parts, read from the store
    the bot uses (SQLite opened as a reader, so the running bot keeps its lock)."""
    async with open_store(database) as store:
        if cid is None:
            campaigns = await store.list_campaigns(limit=2)
            assert len(campaigns) == 1, campaigns
            campaign: Campaign | None = campaigns[0]
        else:
            campaign = await store.get_campaign(cid)
        assert campaign is not None
        return campaign, await store.chunks(campaign.id)


def buttons_sent(api: BotApi) -> list[str]:
    """Every callback_data of every inline keyboard the bot sent or edited in."""
    found: list[str] = []
    for call in api.calls:
        if call.method not in ("sendMessage", "editMessageText"):
            continue
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup:
            found += [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    return found


async def confirm_button(api: BotApi, bot: Bot) -> str:
    async def offered() -> str | None:
        return next((b for b in buttons_sent(api) if b.startswith("send:confirm:")), None)

    found: str = await until(offered, 30, "the preview with Confirm", bot)
    return found


async def healthy(base: str, bot: Bot) -> None:
    async def answers() -> bool:
        try:
            async with httpx.AsyncClient() as http:
                return (await http.get(f"{base}/healthz")).status_code == 200
        except httpx.TransportError:
            return False

    await until(answers, 30, "GET /healthz", bot)


async def post_update(base: str, update: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{base}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
    assert response.status_code == 200, response.text


async def resolve(username: str) -> Credentials:
    return Credentials(username, username)


async def confirm_as_another_replica(database: str) -> int:
    """What a chat-serving replica records on Confirm: the confirmed campaign, and the
    Telegram chat that follows it (so the worker's notices have a chat to go to)."""
    async with open_store(database) as store:
        engine = CampaignEngine(store, UsenditClient(), resolve, chunk_size=1)
        campaign = await engine.create(
            account="demo",
            created_by=f"telegram:{ADMIN}",
            chat=f"telegram:{ADMIN}",
            text="Hello",
            recipients=[n.lstrip("+") for n in NUMBERS],
        )
        assert await engine.confirm(campaign.id)
        wording = {"lang": "en", "timezone": "Europe/Lisbon", "prefix": "/"}
        await NoticeBoard(store).follow(f"telegram:{ADMIN}", campaign.id, wording)
        return campaign.id


def no_false_claims(*texts: str) -> None:
    for text in texts:
        assert not FALSE_CLAIM.search(text), text


@pytest.mark.parametrize("mode", ["console", "telegram", "serve", "worker"])
async def test_sigterm_mid_send_stops_in_the_grace_and_the_next_start_finishes(
    mode: str,
    sandbox: SandboxServer,
    tmp_path: Path,
    launch: Callable[..., Any],
    request: pytest.FixtureRequest,
) -> None:
    await arm_fault(
        sandbox.url, operation="SendMessages", mode="latency", seconds=LATENCY, count=1000
    )
    if mode == "worker":
        database = str(request.getfixturevalue("postgres_url"))
    else:
        database = f"sqlite:///{tmp_path}/bot.db"
    api = BotApi()
    async with FakeBotApiServer(api, TOKEN) as telegram_api:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        extra: dict[str, str] = {}
        if mode != "console":
            extra.update(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=telegram_api.url,
                BOT_ADMINS=f"telegram:{ADMIN}",
            )
        if mode == "serve":
            extra.update(
                PORT=str(port),
                TELEGRAM_WEBHOOK_URL="https://bot.example.com",
                TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            )
        if mode == "worker":
            extra.update(SECRET_KEY=KEY)
        env = bot_env(tmp_path, sandbox.endpoint, database, **extra)
        args = "worker" if mode == "worker" else mode

        # --- the first run: confirmed through the mode, SIGTERM after part 1 ----------
        cid: int | None = None
        if mode == "worker":
            cid = await confirm_as_another_replica(database)
        bot = await launch(args, env=env, stdin=mode == "console")
        one_line = f"/send {','.join(NUMBERS)} Hello"
        if mode == "console":
            await bot.line(lambda line: line.startswith("usendit-bot console"), 30)
            bot.type(one_line)
            _, choices = await bot.line(lambda line: "] Confirm" in line, 30)
            found = re.search(r"\[(\d+)\] Confirm", choices)
            assert found is not None, choices
            bot.type(found.group(1))  # stdin stays open: a person still at the terminal
        elif mode == "telegram":
            api.updates.append(message_update(user(ADMIN), one_line))
            data = await confirm_button(api, bot)
            api.updates.append(press_update(user(ADMIN), data, message_id=api.last_message_id))
        elif mode == "serve":
            await healthy(base, bot)
            await post_update(base, message_update(user(ADMIN), one_line))
            data = await confirm_button(api, bot)
            await post_update(base, press_update(user(ADMIN), data, message_id=api.last_message_id))

        async def first_part_accepted() -> bool:
            return len((await sandbox_state(sandbox.url))["events"]) >= 1

        await until(first_part_accepted, 30, "uSendit accepting part 1", bot)
        code, took = await bot.terminate(GRACE + MARGIN + 1)
        first_out, first_err = bot.stdout, bot.stderr
        assert code == 0, first_err
        assert took <= GRACE + MARGIN, f"{took:.1f} s to stop\n{first_err}"
        assert TRACEBACK not in first_err, first_err
        no_false_claims(first_out, first_err, *api.texts())

        campaign, chunks = await campaign_and_chunks(database, cid)
        cid = campaign.id
        states = [c.state for c in chunks]
        assert len(chunks) == PARTS, states
        assert ChunkState.IN_FLIGHT not in states, states  # the part in flight was finished
        assert ChunkState.ACCEPTED in states, states
        assert ChunkState.PENDING in states, states  # stopped mid-send, not after it
        assert campaign.work is Work.SEND, campaign  # the rest is still asked for
        assert campaign.lease_owner is None, campaign  # handed back at once
        if mode != "console":
            assert api.texts(), "the chat was never shown the campaign"

        # --- the next start: the campaign completes, no button pressed ----------------
        shown_before = len(api.calls)
        if mode == "console":
            # End of input at once: the console waits for its chat's campaigns, then ends.
            again = await launch("console", env=env, stdin=True)
            again.close_stdin()
            code = await again.ended(30)
            assert code == 0, again.stderr
        else:
            again = await launch(args, env=env)

            async def all_accepted() -> bool:
                _, chunks = await campaign_and_chunks(database, cid)
                return all(c.state is ChunkState.ACCEPTED for c in chunks)

            await until(all_accepted, 30, "every part ACCEPTED", again)

            async def final_notice() -> bool:
                return any(f"Accepted: {PARTS}," in t for t in api.texts(shown_before))

            await until(final_notice, 15, "the final status in the chat", again)
            code, _ = await again.terminate(GRACE + MARGIN + 1)
            assert code == 0, again.stderr
        assert TRACEBACK not in again.stderr, again.stderr
        no_false_claims(again.stdout, again.stderr, *api.texts())
        if mode == "console":
            assert f"Accepted: {PARTS}," in again.stdout, again.stdout

    campaign, chunks = await campaign_and_chunks(database, cid)
    assert [c.state for c in chunks] == [ChunkState.ACCEPTED] * PARTS
    assert campaign.work is None, campaign
    state = await sandbox_state(sandbox.url)
    events = events_by_partner_id(state)
    for chunk in chunks:
        assert events.get(chunk.partner_event_id) == list(chunk.event_ids), (chunk, events)
        assert len(chunk.event_ids) == 1, chunk
    assert len(state["events"]) == PARTS, state["events"]
    assert state["calls"]["SendMessages"] == PARTS, state["calls"]


async def unsure_campaign(database: str) -> int:
    """A confirmed two-part campaign of the console chat whose first part is UNKNOWN
    (its SendMessages may or may not have reached uSendit) and second still PENDING."""
    async with open_store(database) as store:
        engine = CampaignEngine(store, UsenditClient(), resolve, chunk_size=1)
        campaign = await engine.create(
            account="demo",
            created_by="console:me",
            chat="console:me",
            text="Hello",
            recipients=[n.lstrip("+") for n in NUMBERS[:2]],
        )
        assert await engine.confirm(campaign.id)
        now = datetime.now(UTC)
        first = (await store.plan_chunks(campaign.id, 1, now))[0]
        assert await store.begin_send(first.id, [ChunkState.PENDING], now)
        assert await store.settle_chunk(
            first.id,
            ChunkState.UNKNOWN,
            expected=[ChunkState.IN_FLIGHT],
            at=now,
            reason="OutcomeUnknown",
        )
        return campaign.id


async def test_a_start_with_usendit_down_serves_at_once(
    tmp_path: Path, launch: Callable[..., Any]
) -> None:
    database = f"sqlite:///{tmp_path}/bot.db"
    cid = await unsure_campaign(database)
    down = f"http://127.0.0.1:{free_port()}/v1/remoteusendit.asmx"  # nothing listens there
    bot = await launch("console", env=bot_env(tmp_path, down, database), stdin=True)
    banner_at, banner = await bot.line(lambda line: line.startswith("usendit-bot console"), 30)
    assert "connected to uSendit" in banner, banner
    bot.type("/help", f"/status {cid}")
    bot.close_stdin()
    help_at, _ = await bot.line(lambda line: "bulk-SMS desk" in line, 10)
    assert help_at - banner_at < 2.0, f"/help answered {help_at - banner_at:.1f} s after the banner"
    _, checking = await bot.line(lambda line: "being checked with uSendit" in line, 10)
    assert checking.startswith("1 part is being checked"), checking
    _, progress = await bot.line(lambda line: line.startswith(f"Campaign #{cid}:"), 1)
    # At the end of input the console waits (up to a minute) for its chat's campaign,
    # which cannot go on while uSendit is down: SIGTERM is the bounded way out.
    await asyncio.sleep(0.5)
    assert bot.process.returncode is None, bot.stdout
    code, took = await bot.terminate(GRACE + MARGIN + 1)
    assert code == 0, bot.stderr
    assert took <= GRACE + MARGIN, f"{took:.1f} s to stop\n{bot.stderr}"
    assert TRACEBACK not in bot.stderr, bot.stderr
    no_false_claims(bot.stdout, bot.stderr)
    _, chunks = await campaign_and_chunks(database, cid)
    # Nothing was decided without uSendit: the part is still unsure, the other unsent.
    assert [c.state for c in chunks] == [ChunkState.UNKNOWN, ChunkState.PENDING], progress
