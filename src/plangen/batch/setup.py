"""Setting a batch up before any row runs: base file, envelope, column map, roster header, hash salt."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plangen import __version__, api
from plangen.batch.mapping import ColumnMap, assign_roles, build_column_map, fixed_people, joined_aliases, mapping_from, prepare_base
from plangen.batch.options import BatchOptions, quoted
from plangen.batch.roster import RosterFile, open_roster
from plangen.batch.worker import Job
from plangen.errors import InputError, Problem
from plangen.i18n import Msg, _, language, msg
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
    hint = _("; ").join(hints) if hints else _("name the column {header}", header=quoted("单位名称"))
    raise InputError(Problem(msg(
        "batch.no-unit-name-column",
        "no column gives the unit's name, so every plan would be the base's unit; {hint}", hint=hint), file=roster))


_SUGGESTED = {"leadership.leader": ("组长", "书记"), "leadership.deputies": ("副组长", "主任"), "leadership.members": ("成员", "委员"),
              "leadership.office.director": ("办公室主任", "办公室主任"), "contact.person": ("联系人", "联系人")}


def _same_people(found: list[tuple[str, str, str]], model: Any) -> tuple[str, str, str]:
    """(roles, who, headers) in a clerk's words: 组长、副组长; 组长 叶兰（社区党委书记）; “书记”、“主任”."""
    from plangen.batch.mapping import chinese_label

    roles, who, headers = [], [], []
    for where, person, _leaf in found:
        role, header = _SUGGESTED.get(where, (chinese_label(model, where), chinese_label(model, where)))
        roles.append(role)
        who.append(f"{role} {person}")
        headers.append(str(quoted(header)))
    return "、".join(roles), "；".join(who), "、".join(headers)


def _refuse_same_people(found: list[tuple[str, str, str]], model: Any, roster: str, confirmed: bool) -> Msg | None:
    """People the base would give every plan stop the batch before anything is written, unless confirmed."""
    if not found:
        return None
    roles, who, headers = _same_people(found, model)
    if confirmed:
        return msg("batch.same-people-confirmed", "as confirmed, every plan names the same {who}", who=who)
    raise InputError(Problem(msg(
        "batch.same-people",
        "no column names the {roles} of each unit, so every plan would name the base's {who}; add the columns {headers} "
        "to the roster, or confirm that every plan names these same people (--same-people on the command line, "
        "the box “every plan names the same people” on the web page)", roles=roles, who=who, headers=headers), file=roster))


def prepare(options: BatchOptions, registry: Registry) -> Setup:
    """Read the base and the roster header, build the column map. Problems here stop the batch (exit 2)."""
    return prepare_data(load_file(options.base), options, registry)


def prepare_data(base: Mapping[str, Any], options: BatchOptions, registry: Registry) -> Setup:
    """:func:`prepare` of a base already read (the web's draft with the column map chosen in its page);
    ``options.base`` only names it in messages."""
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
                "none of its columns ({headers}, header row {row}) is one a plan can use; head them as offices do: 单位名称, 书记, 主任, 委员, 联系人, 联系电话",
                headers=_(", ").join(h for h in roster.headers if h), row=roster.header_row, type=plan_type.name), file=str(options.roster)))
        _require_unit_name(columns, roster.headers, layers, plan_type.model, str(options.roster))
        columns = assign_roles(columns, body, plan_type.model)
        same = _refuse_same_people(fixed_people(body, columns, plan_type.model), plan_type.model, str(options.roster), options.same_people)
    except BaseException:
        roster.close()
        raise
    warnings = (same,) if same is not None else ()
    templates = tuple(getattr(registry, "templates_dirs", ()))
    job = Job(prepare_base(body, columns, plan_type.model), columns, plan_type.name, str(options.roster), fonts,
              tuple(options.plugins_dirs), templates, language=language())
    plugin_version = next((p.version for p in registry.plugins if p.name == plan_type.plugin), "")
    salt = digest([__version__, plan_type.name, plugin_version, body, columns.describe(), fonts,
                    [str(t) for t in templates], os.environ.get("PLANGEN_TEMPLATES_DIR", "")])
    return Setup(job, roster, salt, warnings)
