"""Compile the catalogue (``.po`` → ``.mo``) and list the messages it lacks. Needs Babel
(``pip install 'plangen[i18n]'``; the test extra has it too), imported only when a catalogue is read
or compiled: at run time the standard library reads the ``.mo`` files and nothing imports this module.

    python -m plangen.i18n.build            # compile every .po
    python -m plangen.i18n.build --missing  # msgids in the source with no Chinese, exit 1 if any
    python -m plangen.i18n.build FOLDER     # compile a plugin's own catalogue (FOLDER/zh_CN/LC_MESSAGES/*.po)
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from plangen.i18n import LOCALE_DIR

SOURCE = Path(__file__).resolve().parent.parent  # src/plangen
SOURCES = (SOURCE, SOURCE.parent / "plangen_plans")  # the core and the built-in plan types
KEYWORDS = {"_": None, "N_": None, "msg": (2,)}


def _babel(part: str) -> ModuleType:
    """One of Babel's modules, or a one-line reason and exit 2 when Babel is not installed."""
    import importlib

    try:
        return importlib.import_module(f"babel.messages.{part}")
    except ImportError:
        sys.exit("plangen.i18n.build needs Babel: pip install 'plangen[i18n]'")


def _read_po(fh: Any) -> Any:
    return _babel("pofile").read_po(fh)


def po_files(folder: Path = LOCALE_DIR) -> list[Path]:
    return sorted(folder.glob("*/LC_MESSAGES/*.po"))


def compiled(po: Path) -> bytes:
    """The .mo bytes Babel makes of one .po (fuzzy entries left out, as gettext would)."""
    with open(po, "rb") as fh:
        catalog = _read_po(fh)
    out = io.BytesIO()
    _babel("mofile").write_mo(out, catalog)
    return out.getvalue()


def translated() -> dict[str, str]:
    """Every msgid with its Chinese, over all .po files."""
    found: dict[str, str] = {}
    for po in po_files():
        with open(po, "rb") as fh:
            for message in _read_po(fh):
                if message.id and message.string:
                    found[str(message.id)] = str(message.string)
    return found


def extracted(sources: tuple[Path, ...] = SOURCES) -> dict[str, list[str]]:
    """msgid → where it is used, for every ``_()``, ``N_()`` and ``msg(code, …)`` in src/plangen and
    src/plangen_plans (or the given source folders: a plugin's package)."""
    found: dict[str, list[str]] = {}
    method_map = [("**.py", "python")]
    for source in sources:
        if not source.is_dir():
            continue
        for filename, lineno, message, _comments, _context in _babel("extract").extract_from_dir(
            str(source), method_map=method_map, keywords=KEYWORDS, comment_tags=()
        ):
            text = message if isinstance(message, str) else next((m for m in message if m), "")
            if text:
                found.setdefault(text, []).append(f"{source.name}/{filename}:{lineno}")
    return found


def cli_texts() -> dict[str, list[str]]:
    """Every help text of the command line (commands, their options, the listing), loaded as
    ``--help`` shows them: click takes these from docstrings and ``help=``, which Babel cannot see."""
    import inspect

    import click

    from plangen.cli import LAZY_COMMANDS, cli

    found: dict[str, list[str]] = {}

    def add(text: str | None, where: str) -> None:
        if text:
            found.setdefault(inspect.cleandoc(text).partition("\f")[0], []).append(where)

    def walk(command: click.Command, path: str) -> None:
        add(command.help, path)
        for param in command.params:
            add(getattr(param, "help", None), f"{path} {param.name}")
        if isinstance(command, click.Group):
            for name in command.list_commands(click.Context(command)):
                sub = command.get_command(click.Context(command), name)
                if sub is not None:
                    walk(sub, f"{path} {name}")

    for name, (_module, _attr, listed) in LAZY_COMMANDS.items():
        add(listed, f"plangen {name} (listing)")
    walk(cli, "plangen")
    return found


def missing() -> dict[str, list[str]]:
    have = translated()
    wanted = {**cli_texts(), **extracted()}
    return {k: v for k, v in wanted.items() if k not in have}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--missing", action="store_true", help="list msgids without a translation")
    parser.add_argument("folders", nargs="*", type=Path, help="a plugin's locale folder to compile instead of plangen's")
    args = parser.parse_args()
    if args.missing:
        gaps = missing()
        for text, where in sorted(gaps.items()):
            print(f"{where[0]}: {text!r}")
        sys.exit(1 if gaps else 0)
    for po in [p for folder in args.folders for p in po_files(folder)] if args.folders else po_files():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(po.with_suffix(".mo"))


if __name__ == "__main__":
    main()
