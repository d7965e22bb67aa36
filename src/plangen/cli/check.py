"""``plangen check FILE.docx…``: report every GB/T 9704 violation in Word files, generated or not.

Exit codes: 0 clean, 1 something found, 2 a file could not be read (its one-line reason on stderr;
the other files are still checked).
"""

from __future__ import annotations

import json
import sys

import click

from plangen.cli.context import CONTEXT, echo, quiet, registry
from plangen.i18n import _


@click.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of findings (file, rule, message, location, expected).")
@click.option("--rules", "list_rules", is_flag=True, help="List the rule ids and what each one checks, then exit.")
@click.pass_context
def check_cmd(ctx: click.Context, files: tuple[str, ...], as_json: bool, list_rules: bool) -> None:
    """Check .docx FILES against GB/T 9704-2012: page, fonts, sizes, spacing, indents, heading
    numbers, punctuation, placeholders, document numbers, dates, colour and page numbers.

    \b
    Each finding names the file, the rule id, where (paragraph number and first words) and what
    was expected. Exit code 0 when clean, 1 when anything is found, 2 when a file cannot be read.
    """
    from plangen.check import RULES, UnreadableFile, check
    from plangen.check.findings import described

    if list_rules:
        # plugins' rules too: the same ones `plangen generate` applies, named with their plugin
        rows = [(rule_id, described(rule_id)) for rule_id in RULES] + [
            (f"plugin:{getattr(rule, '__name__', 'rule')}", _described(rule, plugin))
            for plugin, rule in registry(ctx).check_rules_by_plugin()
        ]
        width = max(len(r) for r, _what in rows)
        for rule_id, what in rows:
            echo(f"{rule_id.ljust(width)}  {what}")
        return
    if not files:
        raise click.UsageError(_("give at least one .docx file to check"))
    extra = registry(ctx).check_rules()
    findings = []
    unreadable = False
    for name in files:
        try:
            found = check(name, extra_rules=extra)
        except UnreadableFile as exc:
            echo(_("plangen: error: {message}", message=exc), err=True)
            unreadable = True
            continue
        findings.extend(found)
        if not as_json:
            for finding in found:
                echo(finding.line())
            if not found and not quiet(ctx):
                echo(_("{file}: ok", file=name))
    if as_json:
        echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif findings and not quiet(ctx):
        echo(_summary(len(findings), len({f.rule for f in findings})), err=True)
    # findings are the answer, not an error: no message, just the exit code a script can test
    if unreadable:
        sys.exit(2)
    if findings:
        sys.exit(1)


def _summary(findings: int, kinds: int) -> str:
    """``12 findings of 3 kinds`` (English plurals chosen here; Chinese has none)."""
    if findings == 1:
        return _("1 finding of 1 kind")
    if kinds == 1:
        return _("{findings} findings of 1 kind", findings=findings)
    return _("{findings} findings of {kinds} kinds", findings=findings, kinds=kinds)


def _described(rule: object, plugin: str) -> str:
    """``rule of plugin 'NAME'``, then the first line of the rule's docstring when it has one (the
    plugin's own words, in the language its author wrote them in)."""
    doc = (getattr(rule, "__doc__", None) or "").strip().splitlines()
    if doc:
        return _("rule of plugin '{plugin}': {doc}", plugin=plugin, doc=doc[0].strip())
    return _("rule of plugin '{plugin}'", plugin=plugin)
