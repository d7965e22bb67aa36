"""``plangen batch`` and ``plangen new TYPE --roster``: thin click layers over :mod:`plangen.batch`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from plangen.cli.context import CONTEXT, echo, error_line, quiet, say, warning_line
from plangen.cli.context import registry as _registry
from plangen.errors import PlangenError
from plangen.i18n import _, msg


class _Progress:
    """A progress bar on stderr (a terminal only), started once the roster's size is known."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def start(self, total: int) -> None:
        if self.enabled:
            self.bar = click.progressbar(length=max(total, 1), label=_("making plans"), file=sys.stderr, show_pos=True, show_eta=True)
            self.bar.__enter__()

    def step(self, n: int) -> None:
        if self.bar is not None:
            self.bar.length = max(self.bar.length, self.bar.pos + n)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            bar, self.bar = self.bar, None
            bar.__exit__(None, None, None)


@click.command("batch", context_settings=CONTEXT)
@click.argument("roster", type=click.Path(dir_okay=False))
@click.option("-b", "--base", required=True, type=click.Path(dir_okay=False),
              help="The input every row is laid over (its `type:` says the plan type; `columns:` maps roster headers).")
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(file_okay=False),
              help="Folder for the plans (created if needed); nothing is written outside it.")
@click.option("--columns", type=click.Path(dir_okay=False),
              help="YAML/JSON file mapping roster headers to field paths (社区名称: unit.name); overrides the base's `columns:`.")
@click.option("--sheet", help="Sheet of an .xlsx roster, by name or number (default: the first).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--force", is_flag=True, help="Make every plan again, even those already made from the same input.")
@click.option("--zip", "make_zip", is_flag=True, help="Also pack the plans and the index into DIR/plans.zip.")
@click.option("--index", "index", type=click.Choice(["auto", "csv", "xlsx", "none"]), default="auto", show_default=True,
              help="Index of row → file; auto: xlsx for an .xlsx roster, csv otherwise.")
@click.option("--fonts", help="Font profile: gb (default), windows, or a YAML/JSON file mapping elements to fonts.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON for scripts.")
@click.option("--same-people", is_flag=True,
              help="Confirm that a person no column names (组长, 联系人…) is the base's in every plan; without it the batch stops.")
@click.option("--dry-run", is_flag=True, help="Write nothing: show the header row, what each column fills and what the first three plans will say.")
@click.pass_context
def batch_cmd(ctx: click.Context, roster: str, base: str, output: str, columns: str | None, sheet: str | None,
              jobs: int | None, force: bool, make_zip: bool, index: str, fonts: str | None, as_json: bool,
              same_people: bool = False, dry_run: bool = False) -> None:
    """Make one plan per row of ROSTER (.xlsx or .csv) into the folder after -o.

    \b
    Example:  plangen batch samples/communities.csv --base samples/hygiene-month.yaml -o out
    Rows that fail are listed in DIR/errors.csv and the exit code is 1; the other rows still get
    their plans. Running again skips plans already made from the same input (unless --force).
    """
    from plangen.batch import BatchOptions, run_batch
    from plangen.batch.options import iter_failures

    reg = _registry(ctx)
    font_spec: Any = fonts
    if fonts is not None and fonts not in ("gb", "windows"):
        from plangen.inputs.reading import load_file

        font_spec = load_file(Path(fonts))
    options = BatchOptions(
        roster=Path(roster), base=Path(base), output=Path(output), columns=Path(columns) if columns else None,
        sheet=sheet, jobs=jobs, force=force, zip=make_zip, index=index, fonts=font_spec,
        plugins_dirs=tuple(Path(p) for p in ctx.ensure_object(dict).get("plugins_dirs", ())), same_people=same_people,
    )
    if dry_run:
        from plangen.batch.dry_run import preview, preview_lines

        found = preview(options, reg)
        for line in found.notes:
            echo(warning_line(line), err=True)
        for line in preview_lines(found):
            echo(line)
        if found.stop:
            from plangen.errors import InputError, Problem

            raise InputError(Problem(msg("batch.same-people-dry-run", "the batch would stop before writing anything: {reason}",
                                         reason=found.stop), file=roster))
        return
    progress = _Progress(enabled=not quiet(ctx) and not as_json and sys.stderr.isatty())
    try:
        result = run_batch(options, registry=reg, progress=progress.step, on_start=progress.start)
    finally:
        progress.close()
    for warning in result.warnings:
        echo(warning_line(warning), err=True)
    for line in iter_failures(result):
        echo(error_line(_("{file}: {message}", file=roster, message=line)), err=True)
    if result.failed > len(result.first_failures):
        echo(error_line(_("… {count} more failed rows in {file}", count=result.failed - len(result.first_failures),
                          file=result.errors)), err=True)
    if as_json:
        echo(json.dumps(summary_json(result), ensure_ascii=False, indent=2))
    else:
        say(ctx, summary_line(result))
        for path in (result.index, result.zip):
            if path is not None:
                say(ctx, str(path))
    if result.failed:
        raise PlangenError(msg("batch.rows-failed", "{failed} of {rows} rows failed; see {file}",
                               failed=result.failed, rows=result.rows, file=result.errors))


def summary_json(result: Any) -> dict[str, Any]:
    """``batch --json``: stable English keys for scripts (README, "JSON output for scripts")."""
    from plangen.batch.options import Note

    return {
        "made": result.made, "skipped": result.skipped, "failed": result.failed, "blank": result.blank,
        "seconds": round(result.seconds, 3), "output": str(result.output),
        "index": str(result.index) if result.index else None, "errors": str(result.errors) if result.errors else None,
        "zip": str(result.zip) if result.zip else None,
        "warnings": [Note.of(w).as_json() if not isinstance(w, Note) else w.as_json() for w in result.warnings],
    }


def summary_line(result: Any) -> str:
    """``made 20, skipped 0, failed 0 in 1.2 s (17 plans/s) → out``, in the reader's language."""
    rate = result.made / result.seconds if result.seconds > 0 else 0.0
    line = _("made {made}, skipped {skipped}, failed {failed}", made=result.made, skipped=result.skipped, failed=result.failed)
    if result.blank:
        line += _(", {blank} blank rows ignored", blank=result.blank)
    line += _(" in {seconds} s", seconds=f"{result.seconds:.1f}")
    if result.made:
        line += _(" ({rate} plans/s)", rate=f"{rate:.0f}")
    return line + f" → {result.output}"


def write_example_roster(ctx: click.Context, type_name: str, output: str | None) -> None:
    """``plangen new TYPE --roster``: an example roster with every column TYPE accepts."""
    from plangen import api
    from plangen.batch.example import example_roster, roster_bytes, roster_suffix

    plan_type = _registry(ctx).plan_type(type_name)
    headers, rows = example_roster(plan_type)
    path = Path(output) if output else None
    data = roster_bytes(headers, rows, roster_suffix(path))
    if path is None:
        echo(data.decode("utf-8-sig"), nl=False)
        return
    api.write_atomic(path, data, exclusive=True)  # never replaces a file, nor follows a link
    say(ctx, str(path))
