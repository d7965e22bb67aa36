"""``plangen learn FILE -o DIR``: a plan type from last year's document, without code."""

from __future__ import annotations

from pathlib import Path

import click

from plangen.cli.context import CONTEXT, echo, registry, say
from plangen.i18n import _


@click.command("learn", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to write the plan-type folder NAME/ into (use it with --plugins-dir).")
@click.option("-n", "--name", help="Machine name of the new plan type, e.g. flood-plan (default: from the title).")
@click.option("--force", is_flag=True, help="Replace the plan-type folder if it exists already.")
@click.pass_context
def learn_cmd(ctx: click.Context, file: str, out_dir: str, name: str | None, force: bool) -> None:
    """Learn a plan type from last year's FILE (.docx, .doc, .wps, .txt, .md): writes DIR/NAME/.

    \b
    What changes from year to year and unit to unit becomes a field (unit, year, edition, dates,
    people, phone numbers, document numbers, theme); every other sentence stays fixed wording.
    Then:  plangen --plugins-dir DIR new NAME -o input.yaml
    """
    from plangen.declarative.emit import write_folder
    from plangen.declarative.learn import propose, unique_title
    from plangen.declarative.spec import NAME_RE
    from plangen.errors import InputError, Problem
    from plangen.i18n import msg

    if name is not None and not NAME_RE.fullmatch(name):
        raise InputError(Problem(msg("scaffold.bad-name", "{name} is not a plan type name: use lowercase letters, digits and hyphens, like flood-drill", name=repr(name)), field="--name"))
    learned = propose(file, name=name)
    reg = registry(ctx)
    learned.title = unique_title(learned.title, [t for t in reg.plan_types.values() if t.name != learned.name])
    if (Path(out_dir) / learned.name).exists() and not force:
        raise InputError(Problem(msg("learn.exists", "{folder} exists already; choose another name with -n, or replace it with --force",
                                     folder=Path(out_dir) / learned.name), field="-o"))
    folder = write_folder(learned, Path(out_dir))
    say(ctx, str(folder))
    for line in summary(learned):
        echo(line, err=True)
    echo(_("next: {commands}", commands=f"plangen --plugins-dir {out_dir} new {learned.name} -o input.yaml"), err=True)


def summary(learned: object) -> list[str]:
    """One line per field: its Chinese name, what the source said, and how often."""
    from plangen.declarative.learned import Learned, shown

    assert isinstance(learned, Learned)
    counts: dict[str, int] = {}
    for seg in learned.all_segments():
        if seg.field:
            counts[seg.field] = counts.get(seg.field, 0) + 1
    lines = [_("made into fields ({count}):", count=len(learned.fields))]
    for f in learned.fields:
        value = shown(f.value)
        lines.append("  " + _("{label}: {value} ({count} places)", label=f.label, value=value, count=counts.get(f.path, 0)))
    return lines
