"""The command line: thin click commands over plangen.api. Errors become messages in :func:`main` only.

Subcommands are imported only when one runs (:class:`LazyGroup`), so ``plangen --help`` and
``plangen --version`` start without importing pydantic, jinja2 or the plugins.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from plangen.cli.context import CONTEXT
from plangen.errors import InputError, PlangenError

# name → (module, attribute, the first paragraph of its help as `plangen --help` lists it).
# tests/test_cli_lazy.py keeps the texts equal to the commands' own docstrings.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "batch": ("plangen.cli.batch", "batch_cmd", "Make one plan per row of ROSTER (.xlsx or .csv) into the folder after -o."),
    "check": ("plangen.cli.check", "check_cmd", "Check .docx FILES against GB/T 9704-2012: page, fonts, sizes, spacing, indents, heading numbers, punctuation, placeholders, document numbers, dates, colour and page numbers."),
    "generate": ("plangen.cli.commands", "generate_cmd", "Generate a .docx plan from each input FILE."),
    "new": ("plangen.cli.commands", "new_cmd", "Print a commented example input for TYPE that validates and generates as it is."),
    "next": ("plangen.cli.commands", "next_cmd", "Write next year's input from this year's FILE: dates moved, year and edition counted on, theme emptied to fill."),
    "plugin": ("plangen.cli.plugins", "plugin_group", "Write a plugin of your own: plangen plugin new NAME -o DIR."),
    "plugins": ("plangen.cli.plugins", "plugins_cmd", "List the loaded plugins: name, version, where each came from, its plan types and hooks."),
    "preview": ("plangen.cli.preview", "preview_cmd", "Write FILE.pdf and FILE.png (page 1) next to each .docx, through LibreOffice headless."),
    "schema": ("plangen.cli.commands", "schema_cmd", "Print the JSON Schema of TYPE's input (for editor completion)."),
    "types": ("plangen.cli.commands", "types_cmd", "List the plan types that are installed: name and Chinese title."),
    "validate": ("plangen.cli.commands", "validate_cmd", "Check input FILES without writing anything; renders each plan and runs the guard."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; the listing in ``--help`` comes from
    :data:`LAZY_COMMANDS` so showing it imports nothing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module, attr, _ = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(import_module(module), attr), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's own, but a command not imported yet is described by its entry in LAZY_COMMANDS."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None:
                if command.hidden:
                    continue
                rows.append((name, command.get_short_help_str(limit)))
            else:
                stand_in = click.Command(name, help=LAZY_COMMANDS[name][2])  # shortened exactly as click does
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-V``: the same line click's version_option prints, without importing importlib.metadata up front."""
    if not value or ctx.resilient_parsing:
        return
    from plangen import __version__

    click.echo(f"plangen, version {__version__}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--plugins-dir", "plugins_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also load drop-in plugins (*.py) from this folder. Repeatable; env PLANGEN_PLUGINS_DIR.")
@click.option("--templates", "templates_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Your own template folder, searched before the plan types' own. Repeatable; env PLANGEN_TEMPLATES_DIR.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def cli(ctx: click.Context, plugins_dirs: tuple[str, ...], templates_dirs: tuple[str, ...], quiet: bool) -> None:
    """plangen — Chinese community work plans as GB/T 9704-2012 Word documents.

    \b
    Start with:  plangen types
                 plangen new hygiene-month -o plan.yaml
                 plangen generate plan.yaml -o out/
    """
    ctx.ensure_object(dict).update(plugins_dirs=plugins_dirs, templates_dirs=templates_dirs, quiet=quiet)



def main(argv: list[str] | None = None) -> None:
    """Entry point: the one place that turns errors into a message and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="plangen", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)  # ctx.exit(n) comes back as a return value here
    except InputError as exc:
        for line in exc.lines():
            click.echo(f"plangen: error: {line}", err=True)
        sys.exit(exc.exit_code)
    except PlangenError as exc:
        click.echo(f"plangen: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("plangen: interrupted; no partial files were left", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
