"""The basic commands: ``types``, ``new``, ``schema``, ``validate`` and ``generate``.

They live apart from :mod:`plangen.cli` so that ``plangen --help`` (which only lists them) does not
import the library behind them; :mod:`plangen.api` (templates, markup, guard, writer) is imported only
by the commands that render, so ``types``, ``new`` and ``schema`` start without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from plangen.cli.context import CONTEXT, echo, say, warning_line
from plangen.cli.context import registry as _registry
from plangen.errors import InputError
from plangen.files import write_atomic
from plangen.i18n import _, msg


@click.command("types", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def types_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the plan types that are installed: name and Chinese title."""
    registry = _registry(ctx)
    rows = sorted(registry.plan_types.values(), key=lambda t: t.name)
    if as_json:
        echo(json.dumps([{"name": t.name, "title": t.title, "plugin": t.plugin} for t in rows], ensure_ascii=False, indent=2))
        return
    width = max((len(t.name) for t in rows), default=0)
    for t in rows:
        echo(f"{t.name.ljust(width)}  {t.title}")


@click.command("new", context_settings=CONTEXT)
@click.argument("type_name", metavar="TYPE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the example to this file instead of printing it.")
@click.option("--roster", is_flag=True, help="Instead: an example roster (.csv, or .xlsx after -o) for `plangen batch`, a column per field.")
@click.pass_context
def new_cmd(ctx: click.Context, type_name: str, output: str | None, roster: bool = False) -> None:
    """Print a commented example input for TYPE that validates and generates as it is."""
    if roster:
        from plangen.cli.batch import write_example_roster

        return write_example_roster(ctx, type_name, output)
    plan_type = _registry(ctx).plan_type(type_name)
    text = plan_type.example
    if output:
        path = Path(output)
        write_atomic(path, text.encode("utf-8"), exclusive=True)  # never replaces a file, nor follows a link
        say(ctx, str(path))
    else:
        echo(text, nl=False)


@click.command("schema", context_settings=CONTEXT)
@click.argument("type_name", metavar="TYPE")
@click.pass_context
def schema_cmd(ctx: click.Context, type_name: str) -> None:
    """Print the JSON Schema of TYPE's input (for editor completion)."""
    from plangen.schema import input_schema

    echo(json.dumps(input_schema(_registry(ctx).plan_type(type_name)), ensure_ascii=False, indent=2))


@click.command("next", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write next year's input (printed when left out).")
@click.pass_context
def next_cmd(ctx: click.Context, file: str, output: str | None) -> None:
    """Write next year's input from this year's FILE: dates moved, year and edition counted on, theme emptied to fill."""
    import yaml

    from plangen.inputs.nextyear import earlier_references, next_year_file, plan_year

    text = next_year_file(Path(file), Path(output) if output else None)
    if output is None:
        echo(text, nl=False)
    else:
        say(ctx, _("wrote {file}; fill in the theme, then run plangen validate {file}", file=output))
    data = yaml.safe_load(text)
    year = plan_year(data)
    earlier = earlier_references(data, year) if year else []
    if earlier:  # a warning: on stderr, so the input printed on stdout stays a clean file
        echo(_("Please check these documents and numbers of earlier years, left as they were: {items}", items="、".join(earlier)), err=True)


@click.command("validate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_context
def validate_cmd(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check input FILES without writing anything; renders each plan and runs the guard."""
    from plangen import api

    registry = _registry(ctx)
    problems: list[InputError] = []
    for name in files:
        try:
            plan = api.load_plan(name, registry=registry)
            api.render_docx(plan, registry=registry)
            say(ctx, _("{file}: ok ({title})", file=name, title=plan.plan_type.title))
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise InputError([p for exc in problems for p in exc.problems])


@click.command("generate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(), help="A .docx path, or a folder (default name: unit-plan title.docx).")
@click.option("--fonts", help="Font profile: gb (default), windows, or a YAML/JSON file mapping elements to fonts.")
@click.option("--notice", is_flag=True,
              help="Issue the plan under a notice (关于印发《…》的通知) with header block and colophon; the input needs an issuer: block.")
@click.option("--pdf", is_flag=True, help="Also write a PDF next to each .docx (needs LibreOffice).")
@click.pass_context
def generate_cmd(ctx: click.Context, files: tuple[str, ...], output: str | None, fonts: str | None, notice: bool = False, pdf: bool = False) -> None:
    """Generate a .docx plan from each input FILE."""
    from plangen import api

    registry = _registry(ctx)
    if len(files) > 1 and output and output.lower().endswith(".docx"):
        raise InputError(msg("generate.output-not-folder", "several inputs need a folder after -o, not a .docx file name"))
    spec = _font_spec(fonts)
    if pdf:
        from plangen.libreoffice import require_soffice, to_pdf

        require_soffice()
    written = []
    for name in files:
        path = api.generate(name, output, registry=registry, fonts=spec, notice=notice,
                            on_kept=lambda m: echo(warning_line(m), err=True))
        say(ctx, str(path))
        written.append(path)
    for made in to_pdf(written) if pdf else []:
        say(ctx, str(made))


def _font_spec(value: str | None) -> Any:
    if value is None or value in ("gb", "windows"):
        return value
    from plangen.inputs.reading import load_file

    return load_file(Path(value))
