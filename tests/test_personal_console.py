"""A personalised campaign end to end on the console: `usendit-bot` in a subprocess,
a CSV attached with ``@path``, the problems told with the file's lines, the preview,
and what reached the embedded sandbox (read from its own records)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sandbox_api import sandbox_messages
from test_sandbox_inbox import Console

pytestmark = pytest.mark.slow

CSV = "Nome;Telemóvel;Encomenda\nAna;912345678;A-1\nRui;913333333;\nZé;914444444;C-3\n"


def test_a_personalised_campaign_on_the_console(tmp_path: Path) -> None:
    (tmp_path / "clientes.csv").write_text(CSV, encoding="utf-8")
    console = Console(tmp_path)
    try:
        base = console.wait_for(r"(http://127\.0\.0\.1:\d+)/_sandbox/").group(1)
        console.type("/send", "@clientes.csv")
        console.wait_for(r"Columns you can use in the text: \{Nome\}, \{Encomenda\}")
        console.type("Olá {nome}, a encomenda {morada} chegou")
        console.wait_for(r"No column is called \{morada\}\. The file's columns: \{Nome\}")
        console.type("Olá {nome}, a encomenda {encomenda} chegou")
        console.wait_for(r"Empty value on line 3 \(Encomenda\)\.")
        console.type("Olá {nome}, até já")
        console.wait_for("Sender name")
        console.type("1", "Send now", "Any time")
        preview = console.wait_for(r"Longest message \(line (\d), 1 segment\):\nOlá (\w+), até já")
        assert preview.groups() == ("2", "Ana")  # ties: the first line wins
        console.wait_for(r"Segments per message: 1 to 1\nCredits needed: 3 ")
        console.type("1")  # confirm
        console.wait_for(r"Campaign #1: done")
        state = httpx.get(f"{base}/_sandbox/state", timeout=10).json()
    finally:
        errors = console.close()
    assert console.process.returncode == 0, errors
    got = {m["msisdn"]: m["text"] for m in sandbox_messages(state)}
    assert got == {
        "351912345678": "Olá Ana, até já",
        "351913333333": "Olá Rui, até já",
        "351914444444": "Olá Zé, até já",
    }
