"""Shared pieces of the click commands. Each command group beyond the basics lives in its own module
here and is added to the CLI in :mod:`plangen.cli` with one line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from plangen.plugins import Registry

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def registry(ctx: click.Context) -> Registry:
    """The plugin registry for this invocation; plugin warnings are printed once, on stderr."""
    obj = ctx.ensure_object(dict)
    if "registry" not in obj:
        from plangen.plugins import get_registry  # here, not at the top: `plangen --help` needs no plugins

        reg = get_registry([Path(p) for p in obj.get("plugins_dirs", ())], [Path(p) for p in obj.get("templates_dirs", ())])
        for warning in reg.warnings:
            click.echo(f"plangen: warning: {warning}", err=True)
        obj["registry"] = reg
    return obj["registry"]


def say(ctx: click.Context, message: str) -> None:
    """Results on stdout, unless --quiet."""
    if not ctx.ensure_object(dict).get("quiet"):
        click.echo(message)


def quiet(ctx: click.Context) -> bool:
    return bool(ctx.ensure_object(dict).get("quiet"))
