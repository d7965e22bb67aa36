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
    code = (f"import sys\nfrom plangen.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sys.modules), file=sys.stderr)")
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


RENDERING = ("jinja2", "markdown_it", "docx", "lxml", "openpyxl", "plangen.api", "plangen.writer", "plangen.templating",
             "plangen.prewrite", "plangen.markup")


def _loaded_after(args: list[str]) -> tuple[set[str], set[str]]:
    """(modules of :data:`RENDERING` imported, input models whose validator was built) after one command."""
    code = (
        f"import sys\nfrom plangen.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "from pydantic import BaseModel\n"
        "def subs(c):\n    for s in c.__subclasses__():\n        yield s\n        yield from subs(s)\n"
        "built = {m.__qualname__ for m in subs(BaseModel) if m.__dict__.get('__pydantic_complete__') and m.__module__.startswith('plangen')}\n"
        "print(' '.join(sys.modules), file=sys.stderr)\nprint('BUILT ' + ' '.join(sorted(built)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules, _, built = done.stderr.rpartition("BUILT ")
    return {m for m in modules.split() if m in RENDERING}, set(built.split())


@pytest.mark.parametrize("args", [["types"], ["new", "hygiene-month"], ["schema", "hygiene-month"]])
def test_listing_and_examples_do_not_load_the_renderer(args: list[str]) -> None:
    """``types``, ``new`` and ``schema`` neither render nor write a .docx: no jinja2, markdown-it or writer."""
    imported, _ = _loaded_after(args)
    assert imported == set()


def test_only_the_model_of_the_type_read_is_built() -> None:
    _, built = _loaded_after(["types"])
    assert built == set()
    _, built = _loaded_after(["schema", "hygiene-month"])
    assert "HygieneMonth" in built
    assert not built & {"CivilisedCounty", "VisitCampaign", "CulturalCalendar", "SurveyReport"}
