"""The audit log through the desk, against the sandbox: every action that spends money or
changes access leaves one entry (who, where, when, what), never a secret; ``/audit`` shows
the newest for admins only, in the reader's language and time zone, and exports the whole
log as a CSV file."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chat_driver import Person, bot_settings, desk_settings, in_chat, text
from sandbox_api import sandbox_state

import bot.audit
from bot.app import BotApp
from bot.chat import Command, Identity, Reply
from bot.records import AuditAction, AuditEntry
from bot.roles import Role
from bot.sandbox import SandboxServer
from bot.turn import Turn
from bot.views import local_time

LOGIN_SECRET = "Qv7-ana-distinctive"
SIGNUP_SECRET = "Kp4-signup-distinctive"
PROMO = "NOPE4711"


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(accounts=[f"ana:{LOGIN_SECRET}:50"]) as started:
        yield started


@pytest.fixture
async def app(server: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(server.endpoint, tmp_path)) as started:
        yield started


def action_of(replies: list[Reply], part: str) -> str:
    return next(b.action for r in replies for row in r.buttons for b in row if part in b.action)


async def entries(app: BotApp, chat: str = "console:me", account: str | None = None) -> list:
    return await app.store.audit_entries(chats=[chat], account=account, limit=1000)


async def signup(me: Person, server: SandboxServer) -> str:
    """A whole /signup with SIGNUP_SECRET, and its confirmation: the code it took."""
    await me.send("/signup")
    for answer in ["Padaria Lopes", "padaria", SIGNUP_SECRET, "geral@padaria.pt", "pt"]:
        await me.send(answer)
    for answer in ["913333333", "Padaria Lopes Lda", "501 234 560", "Rua Direita 1"]:
        await me.send(answer)
    await me.send("Lisboa")
    await me.send("1100-001")
    assert "/confirm" in text(await me.press("Create account"))
    outbox = (await sandbox_state(server.url))["outbox"]
    code = re.findall(r"\d{6}", outbox[-1]["text"])[-1]
    assert "confirmed" in text(await me.send(f"/confirm {code}"))
    return str(code)


async def every_action(app: BotApp, server: SandboxServer) -> str:
    """Each recorded action once (buy and login twice: once refused); the code taken."""
    me = in_chat(app)
    await me.send("/lang en")
    await me.send("/timezone Europe/Lisbon")
    await me.send("/alert 100")
    await me.send("/alert off")
    await me.send("/template save promo Hello there")
    await me.send("/template delete promo")
    preview = await me.send("/send +351912345678 Hi")
    await me.press(action_of(preview, "send:confirm:"))
    await me.press("send:continue:1")
    await me.press("send:resendok:1")
    await me.send("/list save vip #1")
    await me.send("/list delete vip")
    await me.send("/optout add 912345679 912345680")
    await me.send("/optout remove 912345679")
    assert "/_sandbox/pay/" in text(await me.send("/buy 1"))
    assert "does not exist" in text(await me.send(f"/buy 1 {PROMO}"))
    assert "Nothing was saved" in text(await me.send("/login ana wrong-password"))
    assert "Linked to ana" in text(await me.send(f"/login ana {LOGIN_SECRET}"))
    assert "Unlinked" in text(await me.send("/logout"))
    return await signup(me, server)


async def test_every_action_leaves_one_entry(app: BotApp, server: SandboxServer) -> None:
    started = datetime.now(UTC)
    await every_action(app, server)
    found = await entries(app)
    assert Counter(e.action for e in found) == {
        AuditAction.SETTING: 4,
        AuditAction.TEMPLATE_SAVE: 1,
        AuditAction.TEMPLATE_DELETE: 1,
        AuditAction.CONFIRM: 1,
        AuditAction.CONTINUE: 1,
        AuditAction.RESEND: 1,
        AuditAction.LIST_SAVE: 1,
        AuditAction.LIST_DELETE: 1,
        AuditAction.OPTOUT_ADD: 1,
        AuditAction.OPTOUT_REMOVE: 1,
        AuditAction.BUY: 2,
        AuditAction.LOGIN: 2,
        AuditAction.LOGOUT: 1,
        AuditAction.SIGNUP: 1,
        AuditAction.SIGNUP_CONFIRM: 1,
    }
    for entry in found:
        assert (entry.who, entry.chat, entry.platform) == ("console:me", "console:me", "console")
        assert started <= entry.at <= datetime.now(UTC)
    by = {(e.action, e.what.get("refused")): e for e in found}
    what = {key: (e.account, e.what) for key, e in by.items()}
    assert what[AuditAction.CONFIRM, None] == (
        "demo", {"campaign": 1, "credits": 1, "recipients": 1}
    )  # fmt: skip
    assert what[AuditAction.CONTINUE, None] == ("demo", {"campaign": 1})
    assert what[AuditAction.RESEND, None] == ("demo", {"campaign": 1})
    assert what[AuditAction.LIST_SAVE, None] == ("demo", {"name": "vip", "count": 1, "campaign": 1})
    assert what[AuditAction.OPTOUT_ADD, None] == ("demo", {"count": 2, "given": 2})
    assert what[AuditAction.OPTOUT_REMOVE, None] == ("demo", {"count": 1, "given": 1})
    assert what[AuditAction.TEMPLATE_SAVE, None][1] == {"name": "promo"}
    assert by[AuditAction.BUY, None].what["pack"] == 1
    assert by[AuditAction.BUY, None].what["promo"] is False
    assert by[AuditAction.BUY, None].what["amount"]
    [refused_buy] = [e for e in found if e.action == "buy" and "refused" in e.what]
    assert (refused_buy.account, refused_buy.what["promo"]) == ("demo", True)
    assert refused_buy.what["refused"] == "PROMOTIONAL_CAMPAIGN_NOT_EXISTS"
    assert what[AuditAction.LOGIN, None] == ("ana", {"username": "ana"})
    assert what[AuditAction.LOGIN, "USER_UNKNOWN"][0] == "ana"
    assert what[AuditAction.LOGOUT, None] == ("ana", {"username": "ana"})
    assert what[AuditAction.SIGNUP, None] == ("padaria", {"username": "padaria"})
    assert what[AuditAction.SIGNUP_CONFIRM, None] == ("padaria", {"username": "padaria"})
    settings = [(e.what["setting"], e.what["value"]) for e in found[::-1] if e.action == "setting"]
    assert settings == [("lang", "en"), ("timezone", "Europe/Lisbon"), ("alert", 100),
                        ("alert", "off")]  # fmt: skip


async def test_approvals_record_through_the_same_call(app: BotApp) -> None:
    command = Command(update_id="x", user=Identity("slack", "U2", team="T1"), chat_id="slack:C")
    turn = Turn(command, lambda _: None, "en", Role.ADMIN, "UTC", app.desk.mentions)  # type: ignore[arg-type,return-value]
    audit = app.desk.session.audit
    await audit.record(turn, AuditAction.APPROVE, campaign=7)
    await audit.record(turn, AuditAction.REJECT, campaign=8)
    found = await entries(app, chat="slack:C")
    assert [(e.action, e.what, e.who, e.account) for e in found] == [
        (AuditAction.REJECT, {"campaign": 8}, "slack:T1/U2", "demo"),
        (AuditAction.APPROVE, {"campaign": 7}, "slack:T1/U2", "demo"),
    ]
    said = [bot.audit.describe("pt", e) for e in found]
    assert said == ["rejeitou a campanha #8", "aprovou a campanha #7"]


async def test_no_password_or_code_in_any_entry_the_reply_or_the_export(
    app: BotApp, server: SandboxServer, tmp_path: Path
) -> None:
    code = await every_action(app, server)
    secrets = [LOGIN_SECRET, SIGNUP_SECRET, code, PROMO, "wrong-password", "Hello there"]
    me = in_chat(app)
    shown = text(await me.send("/audit 50"))
    assert "confirmed campaign #1" in shown
    await me.press("Export (CSV)")
    [(name, content)] = me.files
    assert name == "audit-log.csv"
    with sqlite3.connect(tmp_path / "bot.db") as raw:
        stored = repr(raw.execute("SELECT * FROM audit_log").fetchall())
    raw.close()
    assert "padaria" in stored
    assert "ana" in stored
    for secret in secrets:
        assert secret not in stored
        assert secret not in shown
        assert secret.encode() not in content
        assert secret not in repr(await entries(app, account="demo"))


def rows(content: bytes, separator: str) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


class TestTheCommand:
    async def test_only_admins_read_it(self, app: BotApp) -> None:
        for role in ("viewer", "sender"):
            person = in_chat(app, user=role, chat=f"console:{role}")
            refusal = text(await person.send("/buy 1"))
            assert "admin role" in refusal
            assert text(await person.send("/audit")) == refusal
            assert text(await person.press(bot.audit.EXPORT_ACTION)) == refusal
            assert person.files == []

    async def test_the_newest_n_in_the_reader_s_time_zone(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/timezone America/New_York")
        for n in range(bot.audit.MAX_SHOWN + 5):
            await me.send(f"/template save t{n} Hello {n}")
        lines = text(await me.send("/audit")).splitlines()
        assert lines[0] == "Audit log of demo and this chat, newest first:"
        assert len(lines) == 1 + bot.audit.SHOWN
        newest: AuditEntry = (await entries(app))[0]
        when = local_time(newest.at, "America/New_York")
        last = bot.audit.MAX_SHOWN + 4
        assert lines[1] == f"{when} · console:me in console:me: saved the template t{last}"
        assert len(text(await me.send("/audit 3")).splitlines()) == 4
        assert len(text(await me.send("/audit 999")).splitlines()) == 1 + bot.audit.MAX_SHOWN
        for bad in ("0", "-1", "abc", "٣", "1234567"):
            assert "Use /audit, or /audit <how many>" in text(await me.send(f"/audit {bad}"))

    async def test_in_the_reader_s_language(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/lang pt")
        await me.send("/optout add 912345679")
        lines = text(await me.send("/auditoria")).splitlines()
        assert lines[0] == "Registo de auditoria de demo e desta conversa, mais recentes primeiro:"
        assert lines[1].endswith("console:me em console:me: juntou 1 número à lista de exclusão")
        assert lines[2].endswith("mudou o idioma para pt")
        assert [b.label for r in me.last for row in r.buttons for b in row] == ["Exportar (CSV)"]

    async def test_the_scope_is_the_chat_and_the_account(self, app: BotApp) -> None:
        me = in_chat(app)
        group = in_chat(app, chat="console:team")
        await group.send("/template save here Hi")
        await me.send("/template save mine Hi")
        shown = text(await group.send("/audit"))
        assert "Audit log of demo and this chat" in shown
        assert "saved the template here" in shown
        assert "saved the template mine" in shown  # the same account, another chat
        elsewhere = in_chat(app, chat="console:other")
        await elsewhere.send(f"/login ana {LOGIN_SECRET}")
        await elsewhere.send("/template save ana_only Hi")
        # Now acting with ana: ana's entries from any chat, and this chat's; not demo's.
        ana = text(await group.send("/audit"))
        assert "Audit log of ana and this chat" in ana
        assert "linked the uSendit account ana" in ana
        assert "saved the template ana_only" in ana
        assert "saved the template here" in ana
        assert "saved the template mine" not in ana


class TestTheExport:
    async def test_every_entry_a_row_in_pages(
        self, app: BotApp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(bot.audit, "PAGE", 2)  # our own page size: several pages
        me = in_chat(app)
        for n in range(5):
            await me.send(f"/template save t{n} Hello {n}")
        await me.send("/audit")
        said = await me.press("Export (CSV)")
        found = await app.store.audit_entries(
            chats=["console:me", "settings"], account="demo", limit=99
        )
        assert len(found) == 5 + 3  # and the three roles the settings give
        assert text(said) == "The audit log: 8 entries, one row each."
        assert said[-1].secret is False  # a private chat: no need to hide it
        [(name, content)] = me.files
        assert name == "audit-log.csv"
        table = rows(content, ",")
        assert table[0] == ["entry", "when (UTC)", "who", "name", "chat", "platform", "account",
                            "action", "details", "description"]  # fmt: skip
        assert [row[0] for row in table[1:]] == [str(e.id) for e in found]
        first = table[1]
        assert first[2:8] == ["console:me", "", "console:me", "console", "demo", "template_save"]
        assert first[8] == '{"name": "t4"}'
        assert first[9] == "saved the template t4"
        assert datetime.fromisoformat(first[1]) - found[0].at < timedelta(seconds=1)

    async def test_portuguese_uses_semicolons(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/lang pt")
        await me.press(bot.audit.EXPORT_ACTION)
        [(_, content)] = me.files
        table = rows(content, ";")
        assert table[0][:3] == ["entrada", "quando (UTC)", "quem"]
        assert table[1][9] == "mudou o idioma para pt"

    async def test_outside_a_private_chat_it_goes_to_the_person(self, app: BotApp) -> None:
        group = in_chat(app, chat="console:team", private=False)
        await group.send("/template save here Hi")
        said = await group.press(bot.audit.EXPORT_ACTION)
        assert said[-1].secret is True
        assert said[-1].file is not None


class TestRoles:
    """Roles are the settings': a start records each role whose holders changed."""

    async def test_a_start_records_the_roles_that_changed(
        self, server: SandboxServer, tmp_path: Path
    ) -> None:
        async def started(**roles: list[str]) -> list[AuditEntry]:
            settings = desk_settings(server.endpoint, tmp_path, **roles)
            async with BotApp(settings) as bot:
                return await bot.store.audit_entries(chats=["settings"], account=None, limit=99)

        first = await started()
        assert [(e.who, e.chat, e.account) for e in first] == [("settings", "settings", None)] * 3
        assert sorted((e.what["role"], e.what["name"]) for e in first) == [
            ("admin", "console:me"),
            ("sender", "console:sender"),
            ("viewer", "console:viewer"),
        ]
        assert await started() == first  # the same roles: nothing new
        again = await started(bot_admins=["console:me", "telegram:7"], bot_viewers=[])
        assert await started(bot_admins=["telegram:7", "console:me"], bot_viewers=[]) == again
        new = [e for e in again if e not in first]
        assert sorted((e.what["role"], e.what["name"]) for e in new) == [
            ("admin", "console:me, telegram:7"),
            ("viewer", ""),
        ]
        changed = {"bot_admins": ["console:me", "telegram:7"], "bot_viewers": []}
        async with BotApp(desk_settings(server.endpoint, tmp_path, **changed)) as bot:
            shown = text(await in_chat(bot).send("/audit"))
        assert "settings in settings: nobody holds the viewer role now" in shown
        assert "the admin role is now held by console:me, telegram:7" in shown
        assert shown.count("role") == 5  # the newest first, the first start's too

    async def test_nothing_to_show(self, server: SandboxServer, tmp_path: Path) -> None:
        # No role given to anyone (the console user is admin by default): nothing recorded.
        async with BotApp(bot_settings(server.endpoint, tmp_path)) as bot:
            assert text(await in_chat(bot).send("/audit")) == "Nothing in the audit log yet."
