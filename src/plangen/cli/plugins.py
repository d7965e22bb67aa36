"""``plangen plugins`` (what is loaded, from where) and ``plangen plugin new`` (scaffold a plan type)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from plangen import scaffold
from plangen.cli.context import CONTEXT, echo, quiet, registry, say
from plangen.cli.help import TranslatingGroup
from plangen.i18n import _


@click.command("plugins", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def plugins_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the loaded plugins: name, version, where each came from, its plan types and hooks.

    Plugins that failed to load are named in warnings on stderr.
    """
    reg = registry(ctx)
    rows: list[dict[str, Any]] = [
        {
            "name": info.name,
            "version": info.version,
            "source": info.source,
            "plan_types": [{"name": t, "title": reg.plan_types[t].title} for t in info.plan_types],
            "hooks": info.hooks,
        }
        for info in sorted(reg.plugins, key=lambda i: i.name)
    ]
    if as_json:
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        say(ctx, _("no plugins are loaded"))
    for row in rows:
        echo(f"{row['name']} {row['version']}".rstrip())
        echo("    " + _("from: {source}", source=row["source"]))
        types = _(", ").join(f"{t['name']} ({t['title']})" for t in row["plan_types"]) or _("none")
        echo("    " + _("plan types: {types}", types=types))
        echo("    " + _("hooks: {hooks}", hooks=_(", ").join(row["hooks"]) or _("none")))


@click.group("plugin", cls=TranslatingGroup, context_settings=CONTEXT)
def plugin_group() -> None:
    """Write a plugin of your own: plangen plugin new NAME -o DIR."""


@plugin_group.command("new", context_settings=CONTEXT)
@click.argument("name")
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Folder to create (default: ./plangen-NAME).")
@click.option("--title", help=f"Chinese title of the new document kind, e.g. 防汛演练方案 (default {scaffold.DEFAULT_TITLE}).")
@click.option("--from", "from_folder", type=click.Path(file_okay=False), help="Package this plan-type folder (plantype.yaml, template, example) instead of a Python skeleton.")
@click.pass_context
def plugin_new(ctx: click.Context, name: str, output: str | None, title: str | None, from_folder: str | None) -> None:
    """Create an installable plugin package for a new plan type NAME (e.g. flood-drill).

    \b
    It holds pyproject.toml with the `plangen` entry point, the plugin module, the input model,
    the template, an example input and a test. Then:
        pip install ./DIR && plangen types && plangen new NAME -o input.yaml
    """
    dest = Path(output or f"plangen-{name}")
    if from_folder:
        from plangen.declarative.installable import create_from_folder

        written = create_from_folder(name, Path(from_folder), dest)
    else:
        written = scaffold.create(name, dest, title=title)
    for path in written:
        say(ctx, str(path))
    if not quiet(ctx):
        echo(_("next: {commands}", commands=f"pip install {install_path(dest)} && plangen new {name} -o input.yaml && plangen generate input.yaml"), err=True)


def install_path(dest: Path) -> str:
    """``dest`` as pip reads it as a folder, never as a package name to fetch from an index: a bare
    ``plangen-x`` would install whatever package of that name the index holds (dependency confusion)."""
    import shlex

    text = str(dest)
    if not dest.is_absolute() and not text.startswith(("./", "../", ".\\", "..\\")):
        text = f".{os.sep}{text}"
    return shlex.quote(text)
