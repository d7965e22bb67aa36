"""Setting a batch up before any row runs: base file, envelope, column map, roster header, hash salt."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from plangen import __version__, api
from plangen.batch.mapping import (ColumnMap, build_column_map, fixed_people, joined_aliases, keep_posts, mapping_from, prepare_base)
from plangen.batch.options import BatchOptions
from plangen.batch.roster import RosterFile, open_roster
from plangen.batch.worker import Job
from plangen.errors import InputError, Problem
from plangen.i18n import Msg, _, language, msg
from plangen.batch.options import quoted
from plangen.inputs.envelope import COLUMN_KEYS, first, without_columns
from plangen.inputs.envelope import split as envelope_of
from plangen.inputs.reading import load_file
from plangen.plugins import Registry
from plangen.writer import font_profile


def digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Setup:
    """A batch ready to run: the job for the workers, the open roster, and the salt of every row's input hash."""

    job: Job
    roster: RosterFile
    salt: str
    """What, besides the row, decides a plan's content: the journal's hashes include it."""
    warnings: tuple[Msg, ...] = ()
    """Said once per batch, before any row runs."""


UNIT_NAME = ("unit", "name")


def _require_unit_name(columns: ColumnMap, headers: list[str], layers: list[tuple[str, dict[str, list[str] | None]]],
                       model: Any, roster: str) -> None:
    """Each row is a unit: without a column for its name, every plan would be the base's unit under
    numbered file names. A misspelt header (社区明称) is the usual cause, so the error offers the
    header it was probably meant to be."""
    if any(t.path == UNIT_NAME for targets in columns.columns.values() for t in targets):
        return
    known = [h for _, mapping in layers for h, paths in mapping.items()
             if paths and any(p.replace(" ", "") in ("unit.name", "单位.名称") for p in paths)]
    known += [h for h, t in joined_aliases(model).items() if t.path == UNIT_NAME]
    hints = []
    for header in columns.unknown:
        guess = difflib.get_close_matches(header, known, n=1, cutoff=0.5)
        if guess:
            hints.append(_("column {header}: did you mean {guess}?", header=quoted(header), guess=quoted(guess[0])))
    hint = _("; ").join(hints) if hints else _("name the column {header}", header=quoted(known[0] if known else "unit.name"))
    raise InputError(Problem(msg(
        "batch.no-unit-name-column",
        "no column gives the unit's name (unit.name), so every plan would be the base's unit; {hint} "
        "(or map the right column to unit.name with `columns:` in the base file or --columns)", hint=hint), file=roster))


def _fixed_person_warning(source: str, where: str, who: str, leaf: str, model: Any) -> Msg:
    """One line naming the person the base gives every plan, and the two ways to make it per-unit."""
    header = next((h for h, t in joined_aliases(model).items() if t.text == where), "")
    params = {"file": source, "field": where, "person": who, "leaf": leaf, "header": quoted(header)}
    if header:
        return msg("batch.same-person", "{file}: {field} ({person}) is the same person in every plan, since no roster column "
                   "fills it; add a column {header} to the roster, or map a column to it with `columns:` in the base file "
                   "(e.g. 联系人: {leaf}), or remove it from the base", **params)
    return msg("batch.same-person", "{file}: {field} ({person}) is the same person in every plan, since no roster column "
               "fills it; map a column to it with `columns:` in the base file (e.g. 联系人: {leaf}), or remove it from the base",
               **params)


def prepare(options: BatchOptions, registry: Registry) -> Setup:
    """Read the base and the roster header, build the column map. Problems here stop the batch (exit 2)."""
    base = load_file(options.base)
    source = str(options.base)
    try:
        envelope, _rest = envelope_of(base)
        plan_type = api.plan_type_of(envelope, registry)
        fonts = options.fonts if options.fonts is not None else envelope.fonts
        font_profile(fonts)
    except InputError as exc:
        raise exc.located(file=source) from None
    layers = [(_("plan type {name} (roster_columns)", name=plan_type.name), mapping_from(plan_type.roster_columns, source=plan_type.name))]
    if envelope.columns is not None:
        layers.append((source, mapping_from(envelope.columns, source=source, field=envelope.key("columns"))))
    if options.columns is not None:
        mapping = load_file(options.columns)
        try:  # a --columns file is the mapping itself, or holds it under columns:/列映射:
            inner = first(mapping, COLUMN_KEYS) if any(k in mapping for k in COLUMN_KEYS) else mapping
        except InputError as exc:
            raise exc.located(file=str(options.columns)) from None
        layers.append((str(options.columns), mapping_from(inner, source=str(options.columns))))
    body = without_columns(base)  # type and fonts stay: each merged row is validated as a whole input
    roster = open_roster(options.roster, sheet=options.sheet)
    try:
        columns = build_column_map(plan_type.model, roster.headers, layers)
        if not columns.columns:
            raise InputError(Problem(msg(
                "batch.no-column-matches",
                "none of its columns ({headers}) fills a field of {type}; map them with `columns:` in the base file or --columns",
                headers=", ".join(h for h in roster.headers if h), type=plan_type.name), file=str(options.roster)))
        _require_unit_name(columns, roster.headers, layers, plan_type.model, str(options.roster))
        columns = keep_posts(columns, body)
    except BaseException:
        roster.close()
        raise
    warnings = tuple(_fixed_person_warning(source, *found, plan_type.model) for found in fixed_people(body, columns, plan_type.model))
    templates = tuple(getattr(registry, "templates_dirs", ()))
    job = Job(prepare_base(body, columns, plan_type.model), columns, plan_type.name, str(options.roster), fonts,
              tuple(options.plugins_dirs), templates, language=language())
    plugin_version = next((p.version for p in registry.plugins if p.name == plan_type.plugin), "")
    salt = digest([__version__, plan_type.name, plugin_version, body, columns.describe(), fonts,
                    [str(t) for t in templates], os.environ.get("PLANGEN_TEMPLATES_DIR", "")])
    return Setup(job, roster, salt, warnings)
