"""``plangen --help`` lists every command without importing them, and its listing stays true."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib import import_module

import pytest

from plangen.cli import LAZY_COMMANDS, cli

HEAVY = ("pydantic", "jinja2", "yaml", "pluggy", "markdown_it", "docx", "openpyxl", "lunar_python", "importlib.metadata",
         "plangen.api", "plangen.plugins", "plangen.cli.commands")


def _imported_after(*args: str) -> set[str]:
    code = ("import sys\nfrom plangen.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sys.modules), file=sys.stderr)") % (list(args),)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {m for m in done.stderr.split() if m in HEAVY}


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    assert _imported_after(*args) == set()


def test_version_needs_only_the_package_metadata() -> None:
    assert _imported_after("-V") == {"importlib.metadata"}


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_each_listed_help_is_the_commands_own(name: str) -> None:
    module, attr, listed = LAZY_COMMANDS[name]
    command = getattr(import_module(module), attr)
    assert command.name == name
    assert listed == inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")


def test_help_lists_the_same_rows_as_the_loaded_commands() -> None:
    """The listing built from LAZY_COMMANDS is what click prints once every command is imported."""
    lazy = subprocess.run([sys.executable, "-m", "plangen", "--help"], capture_output=True, text=True, check=True).stdout
    ctx = cli.make_context("plangen", ["--help"], resilient_parsing=True)
    for name in LAZY_COMMANDS:
        cli.get_command(ctx, name)
    assert set(LAZY_COMMANDS) <= set(cli.commands)
    assert cli.get_help(ctx) == lazy.rstrip("\n")
    assert "  generate  Generate a .docx plan from each input FILE.\n" in lazy
    assert "  check     Check .docx FILES against GB/T 9704-2012: page, fonts, sizes,...\n" in lazy
