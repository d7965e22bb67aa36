"""Look before making all: what the first rows' plans will say, before a batch writes anything.

One implementation for ``plangen batch --dry-run``, the library and the web mapping page: which row was
taken as the header, which column fills what (in a clerk's words), which columns are not used, and for
the first three rows the unit and its level, 组长 X（post）, 副组长…, 成员…, 联系人 — or that row's problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from plangen import api
from plangen.batch.mapping import ColumnMap, chinese_label, merge_row, path_text, resolve_loose
from plangen.batch.options import BatchOptions, quoted
from plangen.batch.roster import Cell
from plangen.batch.worker import Job
from plangen.errors import InputError, Problem
from plangen.i18n import _
from plangen.plugins import Registry, get_registry
from plangen.roster_words import ROLE_FIELDS, ROLE_LABELS

SHOWN_ROWS = 3


@dataclass(frozen=True)
class RowPreview:
    """One row's plan as it will read: its unit, level and people, or why it will make no plan."""

    row: int
    unit: str = ""
    level: str = ""
    people: tuple[tuple[str, str], ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class BatchPreview:
    header_row: int
    columns: tuple[tuple[str, str], ...]
    """(header, what it fills in a clerk's words)."""
    unused: tuple[str, ...]
    rows: tuple[RowPreview, ...]
    stop: str = ""
    """Why the batch would not start as it is (the same people in every plan), or ""."""
    notes: tuple[str, ...] = field(default=())


def describe_columns(columns: ColumnMap, model: Any) -> tuple[tuple[str, str], ...]:
    """Each used column and what it fills: 书记 → 组长, 联系电话 → 联系人 › 电话."""
    by_field = {path: role for role, path in ROLE_FIELDS.items()}
    out = []
    for header, targets in columns.columns.items():
        said = [ROLE_LABELS.get(t.role or by_field.get(t.text, "")) or chinese_label(model, t.text) for t in targets]
        out.append((header, _(", ").join(s for s in said if s)))
    return tuple(out)


def preview(options: BatchOptions, registry: Registry | None = None, rows: int = SHOWN_ROWS, *,
            base: Mapping[str, Any] | None = None) -> BatchPreview:
    """The first ``rows`` plans as they will read, without writing anything; ``base``: the base already
    read (else ``options.base`` is)."""
    from plangen.batch.setup import prepare_data
    from plangen.inputs.reading import load_file

    registry = registry or get_registry(options.plugins_dirs)
    data = load_file(options.base) if base is None else base
    stop = ""
    try:
        setup = prepare_data(data, options, registry)
    except InputError as exc:
        if options.same_people or not any(getattr(p.message, "code", "") == "batch.same-people" for p in exc.problems):
            raise
        stop = "；".join(str(p.message) for p in exc.problems)
        setup = prepare_data(data, replace(options, same_people=True), registry)
    job, roster = setup.job, setup.roster
    model = registry.plan_type(job.plan_type).model
    shown: list[RowPreview] = []
    try:
        for row in roster.rows():
            if row.blank:
                continue
            shown.append(_row(row.number, row.cells, row.problems, job, registry, model))
            if len(shown) >= rows:
                break
    finally:
        roster.close()
    unused = tuple(h for h in roster.headers if h and h not in job.columns.columns)
    notes = tuple(str(n) for n in roster.notes) + (tuple(str(w) for w in setup.warnings) if not stop else ())
    notes += _base_words(job, model, shown)
    return BatchPreview(roster.header_row, describe_columns(job.columns, model), unused, tuple(shown), stop, notes)


def _row(number: int, cells: dict[str, Cell], problems: list[Problem], job: Job, registry: Registry, model: Any) -> RowPreview:
    if problems:
        return RowPreview(number, problem="；".join(str(p.message) for p in problems))
    try:
        merged = merge_row(job.base, cells, job.columns)
        plan = api.plan_from_mapping(merged, source=job.source, row=number, registry=registry)
    except InputError as exc:
        return RowPreview(number, problem="；".join(_located(job.columns, model, p) for p in exc.problems))
    data = plan.data
    people: list[tuple[str, str]] = []
    leadership = getattr(data, "leadership", None)
    if leadership is not None:
        people += [(label, names) for label, names in leadership.roster()]
        office = getattr(leadership, "office", None)
        if office is not None and office.director is not None:
            people.append(("办公室主任", office.director.label))
    contact = getattr(data, "contact", None)
    if contact is not None:
        people.append(("联系人", f"{contact.person}（{contact.phone}）"))
    return RowPreview(number, data.unit.full_name, data.unit.level, tuple(people))


def _located(columns: ColumnMap, model: Any, problem: Problem) -> str:
    """A row's problem with the column it came from, in a clerk's words."""
    column = columns.column_for(problem.field, model) if problem.field else ""
    where = quoted(column) if column else chinese_label(model, problem.field) if problem.field else ""
    return _("column {column}: {message}", column=where, message=problem.message) if where else str(problem.message)


def _texts(node: Any, path: str) -> list[tuple[str, str]]:
    """(path, text) of every text in the base, lists and groups walked."""
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _texts(value, f"{path}.{key}" if path else str(key))]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in _texts(value, f"{path}[{i + 1}]")]
    return []


def _base_words(job: Job, model: Any, rows: list[RowPreview]) -> tuple[str, ...]:
    """A row of another level than the base (a 村 over a 社区 base) still gets the base's shared text:
    say which of it speaks of the base's level (协作单位 社区卫生服务站), so the clerk can check it."""
    rules = job.columns.rules
    if rules is None or rules.base_level is None:
        return ()
    others = sorted({r.level for r in rows if r.level and r.level != rules.base_level})
    if not others:
        return ()
    filled = {t.text for ts in job.columns.columns.values() for t in ts}
    if rules.location is not None:  # the office follows the row's level (社区居委会 → 村民委员会)
        filled.add(rules.location.text)
    word = rules.base_level
    found = []
    for path, text in _texts(job.base, ""):
        try:
            english = path_text(resolve_loose(model, path))
        except ValueError:
            continue
        if word in text and not any(english.startswith(f) for f in filled) and not english.startswith(("columns", "type")):
            found.append(f"{chinese_label(model, path)}“{text}”")
    if not found:
        return ()
    return (_("the base's text speaks of a {base} and is the same in the plans of a {levels}: {texts}; check that it suits them",
              base=word, levels=_(", ").join(others), texts=_("; ").join(found[:8])),)


def preview_lines(found: BatchPreview) -> list[str]:
    """The preview as the terminal prints it (``plangen batch --dry-run``)."""
    lines = [_("Header: row {row}", row=found.header_row)]
    lines += [_("  column {header} → {fills}", header=quoted(h), fills=f) for h, f in found.columns]
    if found.unused:
        lines.append(_("Columns not used: {columns}", columns=_(", ").join(str(quoted(h)) for h in found.unused)))
    for row in found.rows:
        if row.problem:
            lines.append(_("Row {row}: makes no plan: {problem}", row=row.row, problem=row.problem))
            continue
        lines.append(_("Row {row}: {unit} ({level})", row=row.row, unit=row.unit, level=row.level))
        lines += [f"  {label}：{names}" for label, names in row.people]
    return lines
