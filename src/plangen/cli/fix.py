"""``plangen fix IN… [-o OUT]``: any document in (Word, WPS, pasted text), a GB/T 9704 .docx out,
with a report of every change and of what a person must still settle.

Exit codes: 0 every file fixed clean, 1 fixed with items for a person, 2 a file could not be read or
written (its one-line reason on stderr; the other files are still fixed).
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plangen.cli.context import CONTEXT, quiet
from plangen.i18n import _

if TYPE_CHECKING:
    from plangen.fix.report import Report


@dataclass
class Outcome:
    """What fixing one file came to, sent back from a worker process."""

    source: str
    output: str | None
    code: int
    report: Report | None = None
    error: str = ""


@click.command("fix", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", type=click.Path(), help="Folder to write into (or, for one input, the .docx to write); default: beside each input.")
@click.option("--in-place", is_flag=True, help="Replace each .docx input with its fixed version; the original is kept as NAME.bak.docx.")
@click.option("--dry-run", is_flag=True, help="Only print the report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON with stable English keys.")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes for many files (default: all cores).")
@click.pass_context
def fix_cmd(ctx: click.Context, inputs: tuple[str, ...], output: str | None, in_place: bool, dry_run: bool, as_json: bool, jobs: int) -> None:
    """Fix documents from anywhere (.docx, .txt, .md; .doc and .wps through LibreOffice) into GB/T 9704 .docx files, with a report of every change.

    \b
    Writes NAME（已修正）.docx beside each input (or into the folder after -o); the input is never
    changed unless --in-place. A folder is fixed file by file on all cores. Exit code 0 when every
    file is fixed clean, 1 when something is left for a person (placeholders, unclear heading
    levels), 2 when a file cannot be read.
    """
    from plangen.fix import SUFFIXES

    if not inputs:
        raise click.UsageError(_("give at least one document or folder to fix"))
    if in_place and output:
        raise click.UsageError(_("--in-place and -o cannot be used together"))
    files: list[Path] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not _ours(p)))
        else:
            files.append(path)
    if not files:
        raise click.UsageError(_("no documents to fix in {inputs}", inputs=", ".join(inputs)))
    target = Path(output) if output else None
    if target is not None and target.suffix.lower() == ".docx" and len(files) > 1:
        raise click.UsageError(_("-o {output} names one file, but there are {n} documents to fix; give a folder", output=output, n=len(files)))
    single_file = target is not None and len(files) == 1 and target.suffix.lower() == ".docx"
    plans = [(str(f), str(_output_for(f, target, single_file, in_place)), dry_run, in_place) for f in files]
    workers = min(len(plans), jobs or os.cpu_count() or 1)
    if workers > 1:
        import multiprocessing

        method = "fork" if sys.platform.startswith("linux") else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
            outcomes = list(pool.map(_fix_one, plans, chunksize=max(1, len(plans) // (workers * 4))))
    else:
        outcomes = [_fix_one(plan) for plan in plans]
    _print(ctx, outcomes, as_json, dry_run)
    code = max((o.code for o in outcomes), default=0)
    if code:
        sys.exit(code)


def _ours(path: Path) -> bool:
    """An output or backup of an earlier run, or Word's lock file: never fixed again."""
    return "（已修正）" in path.stem or path.name.endswith(".bak.docx") or path.name.startswith("~$")


def _output_for(source: Path, target: Path | None, single_file: bool, in_place: bool) -> Path:
    from plangen.fix import output_name

    if in_place:
        return source
    if single_file and target is not None:
        return target
    folder = target if target is not None else source.parent
    return folder / output_name(source)


def _fix_one(plan: tuple[str, str, bool, bool]) -> Outcome:
    """Fix one file and write it (atomically); runs in a worker process for a folder."""
    from plangen import files
    from plangen.errors import OutputError
    from plangen.fix import UnreadableInput, fix_document
    from plangen.inputs.decoding import UnreadableText

    source, output, dry_run, in_place = plan
    src, out = Path(source), Path(output)
    if in_place and src.suffix.lower() != ".docx":
        return Outcome(source, None, 2, error=_("{file}: --in-place replaces .docx files only; use -o for other files", file=source))
    if not in_place and out.exists() and out.resolve() == src.resolve():
        return Outcome(source, None, 2, error=_("{file}: the output would overwrite the input; use --in-place or another -o", file=source))
    try:
        data = src.read_bytes()
    except OSError as exc:
        return Outcome(source, None, 2, error=_("{file}: cannot read: {reason}", file=source, reason=exc.strerror or str(exc)))
    try:
        result = fix_document(src, data)
    except (UnreadableInput, UnreadableText) as exc:
        return Outcome(source, None, 2, error=str(exc))
    if dry_run:
        return Outcome(source, None, result.exit_code, result.report)
    try:
        if in_place:
            backup = src.with_name(src.stem + ".bak.docx")
            if not backup.exists():  # the first original is the one worth keeping
                files.write_atomic(backup, data, exclusive=True)
        files.write_atomic(out, result.data)
    except OutputError as exc:
        return Outcome(source, None, 2, result.report, error=str(exc))
    return Outcome(source, output, result.exit_code, result.report)


def _print(ctx: click.Context, outcomes: list[Outcome], as_json: bool, dry_run: bool) -> None:
    for o in outcomes:
        if o.error:
            click.echo(_("plangen: error: {message}", message=o.error), err=True)
    if as_json:
        rows: list[dict[str, Any]] = []
        for o in outcomes:
            row: dict[str, Any] = {"source": o.source, "output": o.output, "exit_code": o.code, "error": o.error, "changes": [], "for_person": []}
            if o.report is not None:
                row.update(o.report.as_json())
                row["source"] = o.source
            rows.append(row)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if quiet(ctx):
        return
    for o in outcomes:
        if o.report is None:
            continue
        report = o.report
        head = _("{source} → {output}", source=o.source, output=o.output) if o.output else _("{source} (dry run, nothing written)", source=o.source) if dry_run else o.source
        click.echo(head)
        for change in report.changes:
            if not change.person:
                click.echo("  " + change.text())
        person = report.for_person
        if person:
            click.echo("  " + _("{n} items for a person:", n=len(person)))
            for change in person:
                click.echo("  ! " + change.text())
    fixed = sum(1 for o in outcomes if o.report is not None)
    left = sum(1 for o in outcomes if o.code == 1)
    click.echo(_("{fixed} of {total} documents fixed, {left} with items for a person", fixed=fixed, total=len(outcomes), left=left), err=True)
