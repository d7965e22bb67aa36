"""The command line: thin click commands over plangen.api. Errors become messages in :func:`main` only."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from plangen import __version__, api
from plangen.cli.context import CONTEXT, say
from plangen.cli.context import registry as _registry
from plangen.errors import InputError, PlangenError

@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="plangen")
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


@cli.command("types", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def types_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the plan types that are installed: name and Chinese title."""
    registry = _registry(ctx)
    rows = sorted(registry.plan_types.values(), key=lambda t: t.name)
    if as_json:
        click.echo(json.dumps([{"name": t.name, "title": t.title, "plugin": t.plugin} for t in rows], ensure_ascii=False, indent=2))
        return
    width = max((len(t.name) for t in rows), default=0)
    for t in rows:
        click.echo(f"{t.name.ljust(width)}  {t.title}")


@cli.command("new", context_settings=CONTEXT)
@click.argument("type_name", metavar="TYPE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the example to this file instead of printing it.")
@click.option("--roster", is_flag=True, help="Instead: an example roster (.csv, or .xlsx after -o) for `plangen batch`, a column per field.")
@click.pass_context
def new_cmd(ctx: click.Context, type_name: str, output: str | None, roster: bool = False) -> None:
    """Print a commented example input for TYPE that validates and generates as it is."""
    if roster:
        return write_example_roster(ctx, type_name, output)
    plan_type = _registry(ctx).plan_type(type_name)
    text = plan_type.example
    if output:
        path = Path(output)
        if path.exists():
            raise InputError(f"{path} already exists; choose another name or delete it first")
        api.write_atomic(path, text.encode("utf-8"))
        say(ctx, str(path))
    else:
        click.echo(text, nl=False)


@cli.command("schema", context_settings=CONTEXT)
@click.argument("type_name", metavar="TYPE")
@click.pass_context
def schema_cmd(ctx: click.Context, type_name: str) -> None:
    """Print the JSON Schema of TYPE's input (for editor completion)."""
    from plangen.schema import input_schema

    click.echo(json.dumps(input_schema(_registry(ctx).plan_type(type_name)), ensure_ascii=False, indent=2))


@cli.command("validate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_context
def validate_cmd(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check input FILES without writing anything; renders each plan and runs the guard."""
    registry = _registry(ctx)
    problems: list[InputError] = []
    for name in files:
        try:
            plan = api.load_plan(name, registry=registry)
            api.render_docx(plan, registry=registry)
            say(ctx, f"{name}: ok ({plan.plan_type.title})")
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise InputError([p for exc in problems for p in exc.problems])


@cli.command("generate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(), help="A .docx path, or a folder (default name: unit-plan title.docx).")
@click.option("--fonts", help="Font profile: gb (default), windows, or a YAML/JSON file mapping elements to fonts.")
@click.option("--notice", is_flag=True, help="Issue the plan under a notice (关于印发《…》的通知) with header block and colophon; the input needs an issuer: block.")
@click.option("--pdf", is_flag=True, help="Also write a PDF next to each .docx (needs LibreOffice).")
@click.pass_context
def generate_cmd(ctx: click.Context, files: tuple[str, ...], output: str | None, fonts: str | None, notice: bool = False, pdf: bool = False) -> None:
    """Generate a .docx plan from each input FILE."""
    registry = _registry(ctx)
    if len(files) > 1 and output and output.lower().endswith(".docx"):
        raise InputError("several inputs need a folder after -o, not a .docx file name")
    spec = _font_spec(fonts)
    if pdf:
        from plangen.preview import require_soffice, to_pdf

        require_soffice()
    written = []
    for name in files:
        path = api.generate(name, output, registry=registry, fonts=spec, notice=notice)
        say(ctx, str(path))
        written.append(path)
    for made in to_pdf(written) if pdf else []:
        say(ctx, str(made))


def _font_spec(value: str | None) -> Any:
    if value is None or value in ("gb", "windows"):
        return value
    from plangen.inputs.reading import load_file

    return load_file(Path(value))


# Commands that live in their own modules (one line each).
from plangen.cli.plugins import plugin_group, plugins_cmd  # noqa: E402
cli.add_command(plugins_cmd)
cli.add_command(plugin_group)
from plangen.cli.batch import batch_cmd, write_example_roster  # noqa: E402
cli.add_command(batch_cmd)
from plangen.cli.check import check_cmd  # noqa: E402
cli.add_command(check_cmd)
from plangen.cli.preview import preview_cmd  # noqa: E402
cli.add_command(preview_cmd)


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
