"""Personalised texts: parsing, rendering and the checks with the file's lines; the
engine sending each Sms its own text (read back from the sandbox's own records) and
charging the sum; the store keeping it on both backends."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_api import sandbox_messages, sandbox_state

from bot.campaign_export import CampaignExport
from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.errors import CampaignError, InsufficientCredits
from bot.personal_drafts import INLINE_ROWS
from bot.personal_text import (
    PersonalTextError,
    Summary,
    fold_text,
    has_fields,
    parse_template,
    render_all,
)
from bot.recipient_files import parse_file
from bot.records import ChunkState, DraftChange, NewCampaign
from bot.sandbox import SandboxServer
from bot.segments import MAX_SEGMENTS, count_segments, to_gsm7
from bot.store import Store
from bot.usendit.client import Credentials, UsenditClient
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

CSV = (
    "Nome;Telemóvel;Encomenda\n"
    "Ana;912345678;A-1\n"
    "Rui;913333444;B-22\n"
    "Inês;916666777;C-333\n"
    "Zé;915555666;D-4444\n"
).encode()


def rows_of(content: bytes) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    parsed = parse_file("clientes.csv", content)
    return parsed.columns, list(zip(parsed.lines, parsed.values, strict=True))


# --- parsing and rendering ---------------------------------------------------------


def test_a_csv_keeps_its_other_columns_per_number() -> None:
    parsed = parse_file("clientes.csv", CSV)
    assert parsed.columns == ("Nome", "Encomenda")
    assert parsed.lines == (2, 3, 4, 5)
    assert parsed.values[2] == ("Inês", "C-333")


def test_a_file_with_only_numbers_has_no_columns() -> None:
    parsed = parse_file("n.csv", b"912345678\n913333444\n")
    assert parsed.columns == ()
    assert parsed.values == ()


def test_fields_match_case_and_accent_insensitively() -> None:
    header, rows = rows_of(CSV)
    rendered = render_all("Olá {NOME}, a encomenda {encomênda} chegou", header, rows)
    assert [text for text, _ in rendered.texts] == [
        "Olá Ana, a encomenda A-1 chegou",
        "Olá Rui, a encomenda B-22 chegou",
        "Olá Inês, a encomenda C-333 chegou",
        "Olá Zé, a encomenda D-4444 chegou",
    ]


def test_double_braces_are_literal_and_a_text_without_fields_is_as_typed() -> None:
    header, rows = rows_of(CSV)
    rendered = render_all("{{code}} {Nome} }} {", header, rows)
    assert rendered.texts[0][0] == "{code} Ana } {"
    assert not has_fields("Promo {{50%}} {")
    assert has_fields("Olá {nome}")


def test_an_unknown_field_names_the_known_columns_in_their_spelling() -> None:
    header, rows = rows_of(CSV)
    with pytest.raises(PersonalTextError) as caught:
        render_all("Olá {nome} {morada}", header, rows)
    assert caught.value.report.unknown == ("morada",)
    assert caught.value.report.columns == ("Nome", "Encomenda")


def test_empty_values_and_long_texts_are_reported_with_their_lines() -> None:
    long_value = "x" * 1000
    content = (
        f"Nome;Telemóvel\nAna;912345678\n;913333444\n{long_value};916666777\n;915555666\n"
    ).encode()
    header, rows = rows_of(content)
    with pytest.raises(PersonalTextError) as caught:
        render_all("Olá {nome}", header, rows)
    report = caught.value.report
    assert report.empty == [(3, "Nome"), (5, "Nome")]
    assert report.too_long == [(4, count_segments("Olá " + long_value).segments)]
    assert report.too_long[0][1] > MAX_SEGMENTS


def test_the_summary_shows_the_longest_a_sample_and_the_sum() -> None:
    content = CSV.replace("Inês".encode(), b"Ines").replace(b"C-333", b"C-3")
    header, rows = rows_of(content)
    rendered = render_all("Ola {Nome}, encomenda {Encomenda}" + " " * 137, header, rows)
    summary = rendered.summary
    assert summary.messages == 4
    assert summary.samples == tuple(text for text, _ in rendered.texts[:3])
    assert summary.longest_line == 5  # Zé's: the only one over 160 septets
    assert (summary.min_segments, summary.max_segments) == (1, 2)
    assert summary.credits == sum(segments for _, segments in rendered.texts)
    assert Summary.from_stored(summary.stored()) == summary


def test_the_gsm7_offer_folds_every_rendered_text() -> None:
    content = "Nome;Telemóvel\nJoão;912345678\nConceição;913333444\n".encode()
    header, rows = rows_of(content)
    text = "Olá {Nome}, a sua encomenda chegou" + "." * 40
    plain = render_all(text, header, rows)
    assert plain.summary.ucs2 == 2
    assert plain.summary.plain_credits == 2 < plain.summary.credits
    folded = render_all(text, header, rows, fold=True)
    assert [t for t, _ in folded.texts] == [to_gsm7(t) for t, _ in plain.texts]
    assert folded.summary.ucs2 == 0
    assert folded.summary.credits == 2


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300).filter(
    lambda v: v.strip() == v and "\n" not in v
)


@settings(max_examples=60, deadline=None)
@given(st.lists(names, min_size=1, max_size=8), st.sampled_from(["Olá {a}!", "{a}{{x}}{b}"]))
def test_stored_segments_are_the_rendered_texts_count(values: list[str], text: str) -> None:
    header = ("a", "b")
    rows = [(line, (value, value[::-1])) for line, value in enumerate(values, start=2)]
    try:
        rendered = render_all(text, header, rows)
    except PersonalTextError:
        return
    for rendered_text, segments in rendered.texts:
        assert segments == count_segments(rendered_text).segments
    assert rendered.summary.credits == sum(count_segments(t).segments for t, _ in rendered.texts)
    assert parse_template(text, header).unknown == ()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_the_fast_fold_is_to_gsm7(text: str) -> None:
    assert fold_text(text) == to_gsm7(text)


# --- the engine against the sandbox ------------------------------------------------


async def resolve(username: str) -> Credentials:
    return Credentials(username, {"demo": "demo", "poor": "poor-pass"}[username])


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(host="127.0.0.1", port=0, accounts=["poor:poor-pass:5"]) as server:
        yield server


@pytest.fixture
async def engine(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[CampaignEngine]:
    async with (
        UsenditClient(endpoint=sandbox.endpoint, timeout=2) as client,
        SqliteStore(tmp_path / "bot.db") as store,
    ):
        yield CampaignEngine(
            store,
            client,
            resolve,
            chunk_size=3,
            quiet_window=timedelta(seconds=0.3),
            poll_interval=0.05,
        )


async def personal_draft(engine: CampaignEngine, content: bytes, text: str, account: str = "demo"):
    parsed = parse_file("clientes.csv", content)
    campaign = await engine.create(
        account=account,
        created_by="me",
        chat="c",
        recipients=parsed.numbers,
        columns=parsed.columns,
        lines=parsed.lines,
        values=parsed.values,
    )
    edited = await engine.edit(campaign.id, text=text)
    assert edited is not None
    return edited


async def test_each_sms_reaching_usendit_carries_its_own_text(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    long_tail = " Obrigado pela preferência, volte sempre à nossa loja." * 2
    campaign = await personal_draft(
        engine, CSV, "Olá {nome}, a encomenda {Encomenda} chegou." + long_tail
    )
    texts = {
        "351912345678": "Olá Ana, a encomenda A-1 chegou." + long_tail,
        "351913333444": "Olá Rui, a encomenda B-22 chegou." + long_tail,
        "351916666777": "Olá Inês, a encomenda C-333 chegou." + long_tail,
        "351915555666": "Olá Zé, a encomenda D-4444 chegou." + long_tail,
    }
    expected = sum(count_segments(t).segments for t in texts.values())
    assert campaign.estimated_credits == expected
    assert campaign.text.startswith("Olá {nome}")
    assert await engine.confirm(campaign.id)
    status = await engine.send(campaign.id)
    assert status.state is CampaignState.DONE
    state = await sandbox_state(sandbox.url)
    got = {m["msisdn"]: m["text"] for m in sandbox_messages(state)}
    assert got == texts
    assert sum(e["credits_spent"] for e in state["events"]) == expected == status.credits_spent
    exported, count = await CampaignExport(engine.store, "pt").write(campaign.id)
    try:
        rows = list(csv.reader(io.StringIO(exported.path.read_text("utf-8-sig")), delimiter=";"))
    finally:
        exported.path.unlink()
    assert count == 4
    assert rows[0][-1] == "Texto"
    assert {row[0]: row[-1] for row in rows[1:]} == {"+" + n: t for n, t in texts.items()}


async def test_the_opt_out_list_takes_its_numbers_rows_and_credits_with_them(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    """Left out at the draft (Rui), and at the send (Zé, listed after the draft): the
    others keep their own rows, and the credits lose the left-out messages' own."""
    now = datetime.now(UTC)
    await engine.store.add_opt_outs("demo", ["351913333444"], "me", now)
    text = "Olá {nome}" + " {encomenda}" * 20  # Zé's D-4444 makes his the longest
    campaign = await personal_draft(engine, CSV, text)
    assert campaign.recipient_count == 3
    assert campaign.opted_out == 1
    kept = {"351912345678": "Ana", "351916666777": "Inês", "351915555666": "Zé"}
    orders = {"Ana": "A-1", "Inês": "C-333", "Zé": "D-4444"}
    texts = {n: f"Olá {name}" + f" {orders[name]}" * 20 for n, name in kept.items()}
    segments = {n: count_segments(t).segments for n, t in texts.items()}
    assert campaign.estimated_credits == sum(segments.values())
    await engine.store.add_opt_outs("demo", ["351915555666"], "me", now)
    assert await engine.confirm(campaign.id)
    status = await engine.send(campaign.id)
    assert status.state is CampaignState.DONE
    state = await sandbox_state(sandbox.url)
    got = {m["msisdn"]: m["text"] for m in sandbox_messages(state)}
    del texts["351915555666"]
    assert got == texts
    spent = sum(e["credits_spent"] for e in state["events"])
    assert spent == campaign.estimated_credits - segments["351915555666"]


async def test_the_balance_check_charges_the_sum_over_the_messages(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    # Five credits: one segment per recipient would fit, the long rendered texts do not.
    content = "Nome;Telemóvel\nAna;912345678\n" + "x" * 700 + ";913333444\n"
    campaign = await personal_draft(engine, content.encode(), "Ola {nome}", account="poor")
    assert campaign.estimated_credits == 1 + count_segments("Ola " + "x" * 700).segments
    assert campaign.estimated_credits > 5
    assert await engine.confirm(campaign.id)
    with pytest.raises(InsufficientCredits) as caught:
        await engine.run(campaign.id, (await engine.store.get_campaign(campaign.id)).work)
    assert caught.value.needed == campaign.estimated_credits
    assert sandbox_messages(await sandbox_state(sandbox.url)) == []


async def test_a_plain_text_after_a_personal_one_goes_to_all_as_typed(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    campaign = await personal_draft(engine, CSV, "Olá {nome}")
    edited = await engine.edit(campaign.id, text="Hello all")
    assert edited is not None
    assert edited.personal is None
    assert edited.credits is None
    assert await engine.confirm(campaign.id)
    await engine.send(campaign.id)
    texts = {m["text"] for m in sandbox_messages(await sandbox_state(sandbox.url))}
    assert texts == {"Hello all"}


async def test_fields_with_typed_numbers_are_unknown(engine: CampaignEngine) -> None:
    campaign = await engine.create(
        account="demo", created_by="me", chat="c", recipients=["351912345678"]
    )
    with pytest.raises(PersonalTextError) as caught:
        await engine.edit(campaign.id, text="Olá {nome}")
    assert caught.value.report.unknown == ("nome",)
    assert caught.value.report.columns == ()


# --- the store, on both backends ---------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    opener: Callable[[], Store]
    if request.param == "sqlite":
        opener = lambda: SqliteStore(tmp_path / "s.db")  # noqa: E731
    else:
        url: str = request.getfixturevalue("postgres_url")
        opener = lambda: PostgresStore(url)  # noqa: E731
    async with opener() as backend:
        yield backend


async def test_the_store_keeps_values_texts_and_credits(store: Store) -> None:
    created = await store.create_campaign(
        NewCampaign(
            key="p1",
            account="demo",
            created_by="me",
            chat="c",
            text="",
            sender=None,
            schedule_at=None,
            segments=0,
            recipients=("351910000001", "351910000002", "351910000003"),
            columns=("Nome", "Cidade"),
            lines=(2, 4, 5),
            values=(("Ana", "Porto"), ("Rui", ""), ("Zé", "Br\x1fga")),  # the separator too
        )
    )
    assert created.columns == ("Nome", "Cidade")
    assert created.personal is None
    assert await store.recipient_rows(created.id) == [
        (2, ("Ana", "Porto")),
        (4, ("Rui", "")),
        (5, ("Zé", "Br\x1fga")),
    ]
    texts = (("Olá Ana", 1), ("Olá Rui" + "!" * 200, 2), ("Olá Zé", 1))
    change = DraftChange(
        text="Olá {Nome}", sender=None, schedule_at=None, segments=2,
        texts=texts, credits=4, personal='{"x": 1}',
    )  # fmt: skip
    edited = await store.update_draft(created.id, change)
    assert edited is not None
    assert (edited.estimated_credits, edited.personal) == (4, '{"x": 1}')
    got = await store.recipients(created.id, 0, 2)
    assert [r.text for r in got] == [t for t, _ in texts]
    assert await store.recipient_credits(created.id, [(0, 0), (1, 2)]) == 4
    await store.exclude_recipients(created.id, [1], datetime.now(UTC))
    assert await store.recipient_credits(created.id, [(0, 2)]) == 2  # its own 2 left out
    plain = await store.update_draft(
        created.id, DraftChange(text="Hi", sender=None, schedule_at=None, segments=1)
    )
    assert plain is not None
    assert plain.credits is None
    assert plain.estimated_credits == 3
    assert [r.text for r in await store.recipients(created.id, 0, 2)] == [None, None, None]
    assert await store.recipient_credits(created.id, [(0, 2)]) == 2


async def test_a_long_file_is_drafted_off_the_loop_with_its_rows_aligned(
    engine: CampaignEngine,
) -> None:
    """Past INLINE_ROWS the numbers are deduped and checked in a thread: the same draft,
    each number keeping the first row it came with, and a bad one still refused."""
    count = INLINE_ROWS + 500
    rows = [f"+35191{n:07d};Cliente {n}" for n in range(count)]
    rows.insert(7, "35191" + f"{3:07d}" + ";Repetido")  # a number given twice: first row wins
    content = ("Telemóvel;nome\n" + "\n".join(rows) + "\n").encode()
    campaign = await personal_draft(engine, content, "Olá {nome}")
    assert campaign.recipient_count == count
    kept = await engine.store.recipient_rows(campaign.id)
    assert [values for _, values in kept[:4]] == [(f"Cliente {n}",) for n in range(4)]
    assert [line for line, _ in kept[7:9]] == [10, 11]  # past the repeat, on line 9
    with pytest.raises(CampaignError, match="12345"):
        await engine.create(
            account="demo", created_by="me", chat="c",
            recipients=[f"35191{n:07d}" for n in range(count)] + ["12345"],
        )  # fmt: skip


async def test_a_personalised_part_without_its_texts_is_never_sent_as_the_template(
    engine: CampaignEngine, sandbox: SandboxServer
) -> None:
    """Should a recipient's rendered text be missing (the stored draft damaged, or an edit
    racing its rendering), the part is not sent at all: "Olá {nome}" never reaches anyone."""
    campaign = await personal_draft(engine, CSV, "Olá {nome}")
    assert await engine.confirm(campaign.id)
    store = engine.store
    assert isinstance(store, SqliteStore)
    await store.db.execute(
        "UPDATE recipients SET text = NULL WHERE campaign_id = ? AND seq = 1", (campaign.id,)
    )
    status = await engine.send(campaign.id)
    assert status.campaign.reason == "INVALID_REQUEST"
    assert status.chunks[0].state is ChunkState.PENDING  # provably not sent
    texts = [m["text"] for m in sandbox_messages(await sandbox_state(sandbox.url))]
    assert not any("{" in text for text in texts)
    assert texts == []  # the first part stopped the campaign before any call
