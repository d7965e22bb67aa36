"""The command line: thin click commands over plangen.api. Errors become messages in :func:`main` only.

Subcommands are imported only when one runs (:class:`LazyGroup`), so ``plangen --help`` and
``plangen --version`` start without importing pydantic, jinja2 or the plugins.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from plangen.cli.context import CONTEXT, echo, error_line, help_through_echo, never_crash_on_encoding
from plangen.cli.help import TranslatingContext, localise, translate_help
from plangen.errors import InputError, PlangenError, Terminated
from plangen.i18n import _

# name → (module, attribute, the first paragraph of its help as `plangen --help` lists it).
# tests/test_cli_lazy.py keeps the texts equal to the commands' own docstrings.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "batch": ("plangen.cli.batch", "batch_cmd", "Make one plan per row of ROSTER (.xlsx or .csv) into the folder after -o."),
    "check": ("plangen.cli.check", "check_cmd", "Check .docx FILES against GB/T 9704-2012: page, fonts, sizes, spacing, indents, heading numbers, punctuation, placeholders, document numbers, dates, colour and page numbers."),
    "fix": ("plangen.cli.fix", "fix_cmd", "Fix documents from anywhere (.docx, .txt, .md; .doc and .wps through LibreOffice) into GB/T 9704 .docx files, with a report of every change."),
    "generate": ("plangen.cli.commands", "generate_cmd", "Generate a .docx plan from each input FILE."),
    "learn": ("plangen.cli.learn", "learn_cmd", "Learn a plan type from last year's FILE (.docx, .doc, .wps, .txt, .md): writes DIR/NAME/."),
    "new": ("plangen.cli.commands", "new_cmd", "Print a commented example input for TYPE that validates and generates as it is."),
    "next": ("plangen.cli.commands", "next_cmd", "Write next year's input from this year's FILE: dates moved, year and edition counted on, theme emptied to fill."),
    "plugin": ("plangen.cli.plugins", "plugin_group", "Write a plugin of your own: plangen plugin new NAME -o DIR."),
    "plugins": ("plangen.cli.plugins", "plugins_cmd", "List the loaded plugins: name, version, where each came from, its plan types and hooks."),
    "preview": ("plangen.cli.preview", "preview_cmd", "Write FILE.pdf and FILE.png (page 1) next to each .docx, through LibreOffice headless."),
    "serve": ("plangen.cli.serve", "serve_cmd", "Start the web app: write plans in the browser, with a live page preview and downloads."),
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
            command = getattr(import_module(module), attr)
            localise([command])
            _help_through_echo(command)
            self.add_command(command, cmd_name)
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
            if command is not None and command.hidden:
                continue
            text = LAZY_COMMANDS[name][2] if name in LAZY_COMMANDS else (command.help or "" if command else "")
            stand_in = click.Command(name, help=translate_help(text))  # translated, then shortened as click does
            rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, text) for name, text in rows])


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-V``: the same line click's version_option prints, without importing importlib.metadata up front."""
    if not value or ctx.resilient_parsing:
        return
    from plangen import __version__

    echo(_("plangen, version {version}", version=__version__))
    ctx.exit()


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--plugins-dir", "plugins_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also load drop-in plugins (*.py) from this folder. Repeatable; env PLANGEN_PLUGINS_DIR.")
@click.option("--templates", "templates_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Your own template folder, searched before the plan types' own. Repeatable; env PLANGEN_TEMPLATES_DIR.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--lang", type=click.Choice(["zh", "en"]), expose_value=False,
              help="Language of what plangen prints: zh (default) or en. Env PLANGEN_LANG, or an English locale.")
@click.pass_context
def cli(ctx: click.Context, plugins_dirs: tuple[str, ...], templates_dirs: tuple[str, ...], quiet: bool) -> None:
    """plangen — Chinese community work plans as GB/T 9704-2012 Word documents.

    \b
    Start with:  plangen types
                 plangen new hygiene-month -o plan.yaml
                 plangen generate plan.yaml -o out/
    """
    ctx.ensure_object(dict).update(plugins_dirs=plugins_dirs, templates_dirs=templates_dirs, quiet=quiet)


cli.context_class = TranslatingContext
help_through_echo(cli)


def _help_through_echo(command: click.Command) -> None:
    help_through_echo(command)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _help_through_echo(sub)



def _lang_from(args: list[str]) -> str | None:
    """``--lang en`` / ``--lang=en`` anywhere on the line: read before click, so every word click
    prints (usage, errors) is already in that language."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


# Options of the whole program, accepted after the command too (`plangen generate x.yaml -q`).
_GLOBAL_FLAGS = ("-q", "--quiet")
_GLOBAL_WITH_VALUE = ("--lang", "--plugins-dir", "--templates")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move the global options found after the command name to before it, where click expects them.

    Only exact option tokens move (with their value); ``--`` ends the scan. No command defines an
    option of these names, so nothing a command means is taken from it."""
    front: list[str] = []
    i = 0
    while i < len(args):  # the options before the command, with their values
        arg = args[i]
        if arg in _GLOBAL_WITH_VALUE:
            front += args[i : i + 2]
            i += 2
        elif arg.startswith("-") and arg != "--":
            front.append(arg)
            i += 1
        else:
            break
    if i >= len(args) or args[i] == "--":
        return args
    command, rest, moved, tail = args[i], args[i + 1 :], [], []
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--":
            tail += rest[j:]
            break
        if arg in _GLOBAL_FLAGS or any(arg.startswith(f"{name}=") for name in _GLOBAL_WITH_VALUE):
            moved.append(arg)
        elif arg in _GLOBAL_WITH_VALUE and j + 1 < len(rest):
            moved += rest[j : j + 2]
            j += 1
        else:
            tail.append(arg)
        j += 1
    return [*front, *moved, command, *tail]


def main(argv: list[str] | None = None) -> None:
    """Entry point: the one place that turns errors into a message and an exit code."""
    from plangen import i18n

    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    i18n.set_language(_lang_from(args))
    never_crash_on_encoding()
    try:
        code = cli.main(args=args, prog_name="plangen", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)  # ctx.exit(n) comes back as a return value here
    except InputError as exc:
        for line in exc.lines():
            echo(error_line(line), err=True)
        sys.exit(exc.exit_code)
    except PlangenError as exc:
        echo(error_line(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show(file=sys.stderr)  # our stream, with its error handler (click's own ignores an ASCII one)
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        if isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated):  # click wraps it in Abort
            echo(_("plangen: stopped (SIGTERM); no partial files were left"), err=True)
            sys.exit(143)
        echo(_("plangen: interrupted; no partial files were left"), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)


def run() -> None:
    """The console command (and ``python -m plangen``): :func:`main`, then a quick exit.

    Why: tearing the interpreter down (freeing every module and object) costs ~30 ms of a ~0.25 s
    ``plangen generate``. The exit handlers still run and the streams are flushed; the quick exit is
    skipped while another thread is alive, so nothing a thread still has to do is cut short.
    In-process callers (tests, other programs) call :func:`main`, which raises SystemExit as usual.
    """
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if not isinstance(code, int):
            if code is not None:
                print(code, file=sys.stderr)
            code = 0 if code is None else 1
        import threading

        if threading.active_count() > 1:
            raise
        import atexit

        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can be said
                code = code or 1
        os._exit(code)
