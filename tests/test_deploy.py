"""What a platform deploys from the repository: the Procfile, requirements.txt, and the
dependencies the code imports, each declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from bot.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
OURS = {"bot", "adapters", "storage"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[\[<>=~! ;]", spec, maxsplit=1)[0] for spec in project["dependencies"]}
    return {name.lower().replace("_", "-") for name in names}


def imported() -> set[str]:
    """Top-level modules the packages import, the standard library's left out."""
    found: set[str] = set()
    for package in OURS:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - OURS - set(sys.stdlib_module_names) - {"__future__"}


def test_every_imported_library_is_declared() -> None:
    owners = packages_distributions()
    missing = {
        module: owners.get(module)
        for module in imported()
        if not {d.lower().replace("_", "-") for d in owners.get(module, [])} & declared()
    }
    assert missing == {}


def test_requirements_install_the_project_itself() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["."]


def test_the_procfile_runs_commands_that_exist() -> None:
    commands = set(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for line in (ROOT / "Procfile").read_text().splitlines():
        _, _, run = line.partition(":")
        words = run.split()
        assert words[0] == "usendit-bot", line
        assert words[1] in commands, line
    assert {line.split(":")[0] for line in (ROOT / "Procfile").read_text().splitlines()} == {
        "web",
        "worker",
    }


def test_a_bot_on_the_real_usendit_never_imports_the_sandbox() -> None:
    """The sandbox (its web server, its state) is imported only by a process that runs
    it: every other start is a quarter of a second shorter."""
    probe = "import sys, bot.app, bot.cli; print('bot.sandbox' in sys.modules)"
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"
