"""Which roster column fills which input field, and how one row is laid over the base input.

A column is matched, in this order, by

1. a mapping of the roster's own headers to field paths: the base file's ``columns:`` (``列映射:``) or a
   ``--columns`` file, over the plan type's ``roster_columns`` defaults (``社区名称: unit.name``);
2. a field path written in English or Chinese keys: ``unit.name``, ``单位.名称``, ``leadership.deputies[1]``;
3. the Chinese keys run together, as people head columns: ``单位名称``, ``领导小组成员``;
4. the headers offices write (:mod:`plangen.roster_words`): 书记 → 组长, 主任 → 副组长, 委员 → 成员, 联系电话….

A row is merged *into* the base (deep merge); a cell that fills a list (成员, 协作单位…) is split on 、，, and
line breaks, and a blank cell keeps the base's value — except for people. A column that names a person fills
the whole person, with the post a unit of the row's level gives that role (a 村's 书记 is 村党组织书记, never
the base's 社区党委书记); a blank person cell leaves the person out, or fails the row when the plan needs one.
The row's kind comes from its 类别 column or its name, never silently from the base.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from plangen.batch.options import quoted
from plangen.batch.roster import Cell, Number, clean_header
from plangen.errors import InputError, Problem
from plangen.i18n import _, msg
from plangen.inputs.common import WORDS
from plangen.inputs.fields import accepts_text
from plangen.inputs.paths import FieldPath
from plangen.inputs.paths import PathPart as PathPart  # batch code and tests know it from here
from plangen.inputs.walk import field_named, fields, is_list, is_model, key_names, list_item, steps, walk
from plangen.roster_words import CONTACT, LEADER, ROLE_FIELDS, ROLE_LABELS, UNUSED, header_role, kind_of_cell, kind_of_name, post_for

Step = tuple[PathPart, str | None, Any]
LIST_SEPARATORS = re.compile(r"\s*[、，,；;\n]+\s*")
_TRUE = {"是", "对", "真", "有", "√", "y", "yes", "true", "1"}
_FALSE = {"否", "错", "假", "无", "×", "n", "no", "false", "0"}


@dataclass(frozen=True)
class Target:
    """A field a column fills: its path in English field names, and how a cell becomes its value."""

    path: tuple[PathPart, ...]
    kind: str = "text"
    """``text``; ``list`` (split the cell); ``bool`` (是/否); ``int`` (a CSV has only text; 2024 is a number)."""
    steps: tuple[Step, ...] = field(default=(), compare=False, repr=False)
    """The path worked out against the model once: (part, its Chinese key, what lies below it)."""
    posts: tuple[str | None, ...] = field(default=(), compare=False)
    """Posts the base gives the person (or people) this column replaces: kept for a row of the base's
    level when nothing better is known (邓怡 under 书记 over a base 叶兰（社区党委书记） → 邓怡（社区党委书记）)."""
    role: str | None = field(default=None, compare=False)
    """The person this column names (:mod:`plangen.roster_words`: leader, deputy, member…), or None."""
    header: str = field(default="", compare=False)
    """The column's header, which may carry the post (社区党委书记)."""

    @property
    def text(self) -> str:
        return path_text(self.path)

    def value(self, cell: Cell) -> Any:
        if self.kind == "list":
            if isinstance(cell, date):
                return [cell]
            return [part for part in LIST_SEPARATORS.split(cell) if part]
        if self.kind == "int" and isinstance(cell, str) and re.fullmatch(r"[+-]?\d+", cell.strip()):
            return int(cell)
        if self.kind == "bool" and isinstance(cell, str):
            word = cell.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        return cell


    def people(self, cell: str, level: str | None) -> Any:
        """The person (or people) a cell names, each with the post a unit of ``level`` gives that role:
        written in the cell (林秀云（村党支部书记）), else from the header or the base when of this
        level, else the level's usual post (:func:`plangen.roster_words.post_for`)."""
        def person(name: str, base: str | None) -> Any:
            if _HAS_POST.search(name):
                return name
            post = post_for(self.role or "", level, header=self.header, base=base)
            return {"name": name, "post": post} if post else name

        if self.kind == "list":
            names = [part for part in LIST_SEPARATORS.split(cell) if part]
            posts = self.posts * len(names) if len(self.posts) == 1 else self.posts
            return [person(n, posts[i] if i < len(posts) else None) for i, n in enumerate(names)]
        return person(cell.strip(), self.posts[0] if self.posts else None)


_HAS_POST = re.compile(r"[（(].+[）)]\s*$")


def path_text(path: tuple[PathPart, ...]) -> str:
    """("leadership", "deputies", 0, "name") → leadership.deputies[1].name (people count from 1)."""
    return str(FieldPath(path))


def parse_path(text: str) -> list[PathPart]:
    """``a.b[2].c`` or ``a.b.2.c`` → ["a", "b", 1, "c"]; Chinese keys work the same way."""
    return list(FieldPath.parse(text).parts)


def resolve(model: type[BaseModel], text: str) -> Target:
    """A field path (English or Chinese keys) → Target, or ValueError saying what is wrong with it."""
    parts = FieldPath.parse(text)
    if not parts:
        raise ValueError(msg("columns.not-a-path", "is not a field path"))
    path = FieldPath()
    walked: list[Step] = []
    current: Any = model
    info: Any = None
    for part in parts:
        if isinstance(part, int):
            if not is_list(current):
                raise ValueError(msg("columns.not-a-list", "{path} is not a list; [{position}] does not apply",
                                     path=str(path) or _("the input"), position=part + 1))
            if part < 0:
                raise ValueError(msg("columns.position-from-1", "list positions count from 1"))
            most = _max_items(info)
            if part >= most:
                raise BeyondList(msg("columns.beyond-list", "{path} holds at most {most} items; [{position}] is beyond it",
                                     path=str(path), most=most, position=part + 1))
            path /= part
            current = list_item(current)
            walked.append((part, None, current))
            continue
        if not is_model(current):
            raise ValueError(msg("columns.no-part", "{path} has no part {part}", path=str(path), part=quoted(part)))
        spot = field_named(current, part, path)
        if spot is None:
            raise _unknown_key(current, part, path)
        path, info, current = spot.path, spot.info, spot.annotation
        walked.append((spot.name, info.alias, current))
    kind = "list" if is_list(current) else "bool" if current is bool else "int" if current is int else "text"
    if kind == "text" and is_model(current) and not accepts_text(current):
        raise ValueError(msg("columns.group", "{path} is a group of fields ({fields}); map the column to one of them",
                             path=str(path), fields=", ".join(_labels(current))))
    return Target(path.parts, kind, tuple(walked))


def _unknown_key(model: type[BaseModel], part: str, under: FieldPath) -> ValueError:
    """A key the model does not have, with the nearest one it has (or all it has)."""
    keys = key_names(model)
    guess = difflib.get_close_matches(part, list(keys), n=1, cutoff=0.5)
    hint = _("; did you mean {guess}?", guess=quoted(guess[0])) if guess else _("; known here: {keys}", keys=", ".join(_labels(model)))
    if under:
        return ValueError(msg("columns.unknown-key-under", "unknown key {key} under {where}{hint}", key=quoted(part), where=str(under), hint=hint))
    return ValueError(msg("columns.unknown-key", "unknown key {key}{hint}", key=quoted(part), hint=hint))


class BeyondList(ValueError):
    """A list position past the list's bound: an error, not a header that matches nothing."""


MAX_LIST_POSITION = 100
"""A column may fill item [N] of a list up to the list's own bound, or this when it declares none:
``deputies[100000000]`` would otherwise make a hundred million empty items before the row is refused."""


def _max_items(info: Any) -> int:
    """The ``max_length`` a list field declares, else :data:`MAX_LIST_POSITION`."""
    for meta in getattr(info, "metadata", ()) or ():
        most = getattr(meta, "max_length", None)
        if isinstance(most, int):
            return min(most, MAX_LIST_POSITION)
    return MAX_LIST_POSITION


def _labels(model: type[BaseModel]) -> list[str]:
    return [f"{n}/{i.alias}" if i.alias else n for n, i in model.model_fields.items()]


def leaf_paths(model: type[BaseModel], *, depth: int = 4) -> list[tuple[tuple[PathPart, ...], tuple[str, ...]]]:
    """Every field a single cell can fill: (path, Chinese keys along it), in declaration order."""

    def group(annotation: Any) -> bool:
        return is_model(annotation) and not accepts_text(annotation)

    out: list[tuple[tuple[PathPart, ...], tuple[str, ...]]] = []
    for spot in walk(model, enter=lambda spot: group(spot.annotation) and len(spot.path) < depth):
        annotation = spot.annotation
        if group(annotation) or (is_list(annotation) and group(list_item(annotation))):
            continue  # a group is filled field by field; a list of groups (phases…) cannot be written in one cell
        out.append((spot.path.parts, spot.labels))
    return out


# ---- the column map ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnMap:
    """Roster header → the fields it fills. ``ignored`` columns were mapped to nothing on purpose."""

    columns: dict[str, tuple[Target, ...]]
    ignored: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    rules: RowRules | None = None
    """How a row's level is told and what follows from it; set by :func:`assign_roles`."""

    def column_for(self, field: str, model: type[BaseModel]) -> str:
        """The roster column a problem's field path came from, or "" when the base file supplied it."""
        try:
            path = resolve_loose(model, field)
        except ValueError:
            return ""
        best, best_len = "", -1
        for header, targets in self.columns.items():
            for target in targets:
                n = len(target.path)
                related = path[:n] == target.path or target.path[: len(path)] == path
                if related and n > best_len:
                    best, best_len = header, n
        return best

    def describe(self) -> list[tuple[str, str]]:
        return [(h, ", ".join(t.text for t in ts)) for h, ts in self.columns.items()]


def _known_steps(model: type[BaseModel], text: str) -> Iterator[tuple[PathPart, Any]]:
    """Each part of ``text`` the model knows, as (field name or 0-based index, the field's info or None
    for an index); ends quietly at the first part the model does not have."""
    for part, spot in steps(model, FieldPath.parse(text)):
        yield part, (spot.info if spot is not None else None)


def resolve_loose(model: type[BaseModel], text: str) -> tuple[PathPart, ...]:
    """Like :func:`resolve` but for error locations: stops quietly where the model ends."""
    path = [step for step, _info in _known_steps(model, text)]
    if not path:
        raise ValueError(text)
    return tuple(path)


def joined_aliases(model: type[BaseModel]) -> dict[str, Target]:
    """单位名称 → unit.name: the Chinese keys of a path run together, where that is unambiguous."""
    seen: dict[str, Target | None] = {}
    for path, chinese in leaf_paths(model):
        key = "".join(chinese)
        target = resolve(model, path_text(path))
        seen[key] = None if key in seen and seen[key] != target else target
    return {k: v for k, v in seen.items() if v is not None}


def mapping_from(value: Any, *, source: str, field: str = "columns") -> dict[str, list[str] | None]:
    """Check the shape of a ``columns:`` mapping: header → path, list of paths, or nothing (ignore)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(Problem(msg("columns.not-a-mapping", "must map roster column headers to field paths, e.g. 社区名称: unit.name"), field=field, file=source))
    out: dict[str, list[str] | None] = {}
    for key, target in value.items():
        header = clean_header(key)
        if target is None or target is False or target == "":
            out[header] = None
        elif isinstance(target, str):
            out[header] = [target]
        elif isinstance(target, list) and target and all(isinstance(t, str) and t for t in target):
            out[header] = list(target)
        else:
            raise InputError(Problem(msg("columns.bad-target", "must be a field path such as unit.name, a list of them, or nothing to ignore the column"),
                                     field=f"{field}.{key}", file=source))
    return out


def build_column_map(
    model: type[BaseModel],
    headers: list[str],
    layers: list[tuple[str, dict[str, list[str] | None]]],
) -> ColumnMap:
    """Match every header. ``layers`` are (where from, mapping), later ones overriding earlier ones."""
    explicit: dict[str, tuple[str, list[str] | None]] = {}
    for origin, mapping in layers:
        for header, paths in mapping.items():
            explicit[header] = (origin, paths)
    problems: list[Problem] = []
    joined: dict[str, Target] | None = None
    columns: dict[str, tuple[Target, ...]] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    for header in headers:
        if not header:
            continue
        if header in explicit:
            origin, paths = explicit[header]
            if paths is None:
                ignored.append(header)
                continue
            targets = []
            for text in paths:
                try:
                    targets.append(resolve(model, text))
                except ValueError as exc:
                    problems.append(Problem(msg("columns.bad-path", "column {header} → {path}: {problem}", header=quoted(header), path=quoted(text),
                                                problem=exc.args[0] if exc.args else exc), field=f"columns.{header}", file=origin))
            columns[header] = tuple(targets)
            continue
        try:
            columns[header] = (resolve(model, header),)
            continue
        except BeyondList as exc:  # the header names a real list, at a position beyond its bound
            problems.append(Problem(msg("columns.beyond-list-header", "column {header}: {problem}", header=quoted(header),
                                        problem=exc.args[0] if exc.args else exc)))
            continue
        except ValueError:
            pass
        if joined is None:
            joined = joined_aliases(model)
        if header in joined:
            columns[header] = (joined[header],)
        elif (said := _by_vocabulary(model, header)) is not None:
            if said:
                columns[header] = said
            else:
                ignored.append(header)
        else:
            unknown.append(header)
    if problems:
        raise InputError(problems)
    _direct_wins(columns, explicit)
    _refuse_overlaps(columns, model)
    return ColumnMap(columns, tuple(ignored), tuple(unknown))


def _by_vocabulary(model: type[BaseModel], header: str) -> tuple[Target, ...] | None:
    """A header as offices write it (书记, 主任, 委员, 联系电话, 类别…) → its field; () for a column
    offices keep for themselves (序号, 备注); None when the vocabulary does not know it."""
    found = header_role(header)
    if found is None:
        return None
    role = found[0]
    if role == UNUSED:
        return ()
    try:
        return (resolve(model, ROLE_FIELDS[role]),)
    except (KeyError, ValueError):
        return None


def _direct_wins(columns: dict[str, tuple[Target, ...]], explicit: Mapping[str, Any]) -> None:
    """A column that names a field itself (领导小组.办公室.主任) fills it, not a second field a mapping
    gives another column (联系人: [contact.person, leadership.office.director.name]): that one is dropped."""
    direct = [t.path for h, ts in columns.items() if len(ts) == 1 and h not in explicit for t in ts]
    direct += [t.path for h, ts in columns.items() if len(ts) == 1 and h in explicit for t in ts]
    for header, targets in list(columns.items()):
        if len(targets) < 2:
            continue
        kept = tuple(t for t in targets if not any(p[: len(t.path)] == t.path or t.path[: len(p)] == p for p in direct))
        if kept != targets:
            columns[header] = kept or targets[:1]


def _refuse_overlaps(columns: dict[str, tuple[Target, ...]], model: type[BaseModel]) -> None:
    """Two columns filling the same field (or one inside the other) would silently overwrite each other."""
    owners: list[tuple[tuple[PathPart, ...], str]] = []
    for header, targets in columns.items():
        for target in targets:
            for path, other in owners:
                n = min(len(path), len(target.path))
                if other != header and path[:n] == target.path[:n]:
                    where = path_text(path if len(path) <= len(target.path) else target.path)
                    raise InputError(Problem(msg(
                        "columns.overlap", "columns {first} and {second} both give {path}; keep one of them (rename or delete the other)",
                        first=quoted(other), second=quoted(header), path=chinese_label(model, where))))
            owners.append((target.path, header))


# ---- people in the base ------------------------------------------------------------------------------

def _person_model(annotation: Any) -> bool:
    """Whether a field holds a person (a model named Person, or a list of them)."""
    if is_list(annotation):
        annotation = list_item(annotation)
    return is_model(annotation) and annotation.__name__ == "Person"


def _at(base: Any, target: Target) -> Any:
    node = base
    for part, alias, _kind in target.steps:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, Mapping):
                return None
            node = node.get(_spelling(node, part, alias))
    return node


def _post_of(value: Any, model: Any) -> str | None:
    if isinstance(value, BaseModel):
        return getattr(value, "post", None)
    try:
        return getattr(model.model_validate(value), "post", None)
    except ValidationError:
        return None


@dataclass(frozen=True)
class RowRules:
    """What a row's level decides, worked out once per batch: the base's own level, where a row says
    its kind (类别) and name, and the base's words of its level that a row of another level replaces."""

    base_level: str | None
    kind: Target | None = None
    """unit.kind, set to the row's level so nothing of the base's kind is left."""
    kind_column: str = ""
    name_column: str = ""
    location: Target | None = None
    """leadership.office.location when the base gives its level's office (社区居委会): a 村 row gets 村民委员会."""


_PERSON_ROLES = {"leader": "leader", "deputies": "deputy", "members": "member", "director": "director"}


def _person_target(target: Target, header: str, base: Any) -> Target:
    """A column naming a person (or people) → a target of the whole person, with its role, the header
    and the posts the base gives: its post is then chosen per row, by the row's level."""
    if target.path[-2:] == ("contact", "person") or target.path == ("contact", "person"):
        return Target(target.path, target.kind, target.steps, (), CONTACT, header)
    for depth in range(len(target.steps), 0, -1):
        part, _alias, below = target.steps[depth - 1]
        if below is None or not _person_model(below):
            continue
        steps = target.steps[:depth]
        path = target.path[:depth]
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        role = _PERSON_ROLES.get(name, "person")
        kind = "list" if is_list(below) else "text"
        whole = Target(path, kind, steps)
        value = _at(base, whole)
        model = list_item(below) if is_list(below) else below
        values = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        posts = tuple(_post_of(v, model) for v in values)
        return Target(path, kind, steps, posts if any(posts) else (), role, header)
    return target


def assign_roles(columns: ColumnMap, base: Mapping[str, Any], model: type[BaseModel]) -> ColumnMap:
    """Columns that name people fill whole persons whose posts follow each row's level; and the rules
    by which a row's level is told (its 类别 column, else its name)."""
    changed = {header: tuple(_person_target(t, header, base) for t in targets) for header, targets in columns.columns.items()}
    kind_column = next((h for h, ts in changed.items() for t in ts if t.path == ("unit", "kind")), "")
    name_column = next((h for h, ts in changed.items() for t in ts if t.path == ("unit", "name")), "")
    unit = base.get("unit", base.get("单位"))
    base_level = None
    if isinstance(unit, Mapping):
        told = unit.get("kind", unit.get("类别"))
        base_level = kind_of_cell(str(told)) if told else kind_of_name(str(unit.get("name", unit.get("名称", ""))))
    try:
        kind = resolve(model, "unit.kind")
    except ValueError:
        kind = None
    location = None
    try:
        where = resolve(model, "leadership.office.location")
        if base_level is not None and isinstance(_at(base, where), str):
            location = where
    except ValueError:
        pass
    rules = RowRules(base_level, kind, kind_column, name_column, location)
    return ColumnMap(changed, columns.ignored, columns.unknown, rules)


def row_level(cells: Mapping[str, Cell], rules: RowRules) -> str | None:
    """The row's level: its 类别 cell, else its name (…村 → 村), else None (the caller decides)."""
    if rules.kind_column and isinstance(said := cells.get(rules.kind_column), str):
        level = kind_of_cell(said)
        if level is None:
            raise InputError(Problem(msg("row.unknown-kind", "the kind {kind} is none of 社区, 村, 镇, 乡, 街道, 县, 区; write one of them",
                                         kind=quoted(said)), field="unit.kind"))
        return level
    name = cells.get(rules.name_column) if rules.name_column else None
    return kind_of_name(name) if isinstance(name, str) else None


def fixed_people(base: Mapping[str, Any], columns: ColumnMap, model: type[BaseModel]) -> list[tuple[str, str, str]]:
    """(field path, who, the path a column of names would fill) for each person the base names that no roster column replaces: the same person
    would appear in every unit's plan, which is almost never right (another community's office director)."""
    paths = [t.path for targets in columns.columns.values() for t in targets]
    found: list[tuple[str, str, str]] = []

    def covered(path: tuple[PathPart, ...]) -> bool:
        return any(p[: len(path)] == path or path[: len(p)] == p for p in paths)

    def label(value: Any, annotation: Any) -> str:
        items = value if isinstance(value, list) else [value]
        person = list_item(annotation) if is_list(annotation) else annotation
        out = []
        for item in items:
            try:
                out.append(person.model_validate(item).label)
            except ValidationError:
                out.append(str(item))
        return "、".join(out)

    def visit(node: Any, current: type[BaseModel], at: FieldPath) -> None:
        if not isinstance(node, Mapping):
            return
        for spot in fields(current, at):
            key = _spelling(node, spot.name, spot.info.alias)
            if key not in node or node[key] in (None, "", []):
                continue
            value, annotation, here = node[key], spot.annotation, spot.path.parts
            if _person_model(annotation) or (current.__name__ == "Contact" and spot.name == "person"):
                if not covered(here):
                    one = _person_model(annotation) and not is_list(annotation)
                    who = label(value, annotation) if _person_model(annotation) else str(value)
                    found.append((path_text(here), who, path_text(here) + (".name" if one else "")))
            elif is_model(annotation):
                visit(value, annotation, spot.path)
            elif is_list(annotation) and is_model(list_item(annotation)) and isinstance(value, list):
                for i, item in enumerate(value):
                    visit(item, list_item(annotation), spot.path / i)

    visit(base, model, FieldPath())
    return found


# ---- merging a row over the base --------------------------------------------------------------------

def _spelling(node: Mapping[str, Any], name: str, alias: str | None) -> str:
    """The key the base already uses for a field (English or Chinese), so a row never adds a second one."""
    if name in node or not alias or alias not in node:
        return name
    return alias


def _as_mapping(value: Any, model: Any) -> dict[str, Any]:
    """Text in the base where a row fills a part (叶兰（社区党委书记） under leader.name) → its fields."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and is_model(model):
        try:
            return model.model_validate(value).model_dump(exclude_unset=True)
        except ValidationError:
            return {}
    return {}


def set_path(root: dict[str, Any], target: Target, value: Any) -> None:
    """Put ``value`` at the target's path inside ``root``, copying (never mutating) the containers on the way."""
    node: Any = root
    steps = target.steps
    for depth, (part, alias, below) in enumerate(steps):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            key: Any = part
        else:
            key = _spelling(node, part, alias)
        if depth == len(steps) - 1:
            node[key] = value
            return
        child = node[key] if (isinstance(part, int) or key in node) else None
        if isinstance(steps[depth + 1][0], int):
            child = list(child) if isinstance(child, list) else ([child] if child else [])
        else:
            child = _as_mapping(child, below)
        node[key] = child
        node = child


def prepare_base(base: Mapping[str, Any], columns: ColumnMap, model: type[BaseModel]) -> dict[str, Any]:
    """The base with text turned into fields wherever a column fills a part of it, done once for all rows.

    Nothing is added: a group the base leaves out stays out, so a blank cell still means "not given".
    """
    root = dict(base)
    for targets in columns.columns.values():
        for target in targets:
            node: Any = root
            for depth, (part, alias, below) in enumerate(target.steps[:-1]):
                if isinstance(part, int):
                    if not isinstance(node, list) or part >= len(node):
                        break
                    key: Any = part
                else:
                    if not isinstance(node, dict):
                        break
                    key = _spelling(node, part, alias)
                    if key not in node:
                        break
                child = node[key]
                if isinstance(target.steps[depth + 1][0], int):
                    child = list(child) if isinstance(child, list) else ([child] if child else [])
                else:
                    child = _as_mapping(child, below)
                node[key] = child
                node = child
    return root


def merge_row(base: Mapping[str, Any], cells: Mapping[str, Cell], columns: ColumnMap) -> dict[str, Any]:
    """The row's input: the base with each mapped, non-blank cell laid over it. People follow the row:
    a blank person cell leaves that person out (or fails the row when the plan needs one), never the
    base's person; posts and the office follow the row's level, never the base's when the row says otherwise."""
    rules = columns.rules
    if rules is not None and rules.name_column and rules.name_column not in cells:
        raise InputError(Problem(msg("row.name-blank", "the column {header} is blank: each row is one unit and needs its name",
                                     header=quoted(rules.name_column)), field="unit.name"))
    level = row_level(cells, rules) if rules is not None else None
    if rules is not None and level is None and rules.base_level is not None:
        name = cells.get(rules.name_column, "")
        raise InputError(Problem(msg(
            "row.kind-unknown", "the name {name} does not say whether it is a 社区, a 村, a 镇 or another kind of unit, and the plan "
            "would take the base's kind ({kind}); add a column 类别 and write the unit's kind in it",
            name=quoted(name), kind=rules.base_level), field="unit.name"))
    merged = dict(base)
    dropped: list[Target] = []
    for header, targets in columns.columns.items():
        cell = cells.get(header)
        for target in targets:
            if target.role is not None:
                if cell is None or cell == "":
                    if target.role in (LEADER, CONTACT):
                        raise InputError(Problem(msg("row.person-blank", "the column {header} is blank: the plan needs its {role}; write the name in",
                                                     header=quoted(header), role=_role_label(target.role)), field=target.text))
                    dropped.append(target)
                    continue
                set_path(merged, target, target.people(str(cell), level) if target.role != CONTACT else target.value(cell))
                continue
            if cell is None:
                continue
            if isinstance(cell, Number) and target.kind == "text" and is_phone(target):
                _refuse_lost_zero(cell, target)
            set_path(merged, target, target.value(cell))
    for target in dropped:
        _leave_out(merged, target)
    if rules is not None and level is not None:
        if rules.kind is not None:
            set_path(merged, rules.kind, level)
        if rules.location is not None and rules.base_level != level:
            said = _at(merged, rules.location)
            old = WORDS.get(rules.base_level or "")
            if old is not None and said in (old.office, old.government) and level in WORDS:
                set_path(merged, rules.location, WORDS[level].office)
    return merged


def _role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def _leave_out(merged: dict[str, Any], target: Target) -> None:
    """A blank person cell: that person is not in this row's plan (an empty list, or no item there)."""
    if isinstance(target.path[-1], int):
        holder = Target(target.path[:-1], "list", target.steps[:-1])
        items = _at(merged, holder)
        if isinstance(items, list) and target.path[-1] < len(items):
            set_path(merged, holder, [v for i, v in enumerate(items) if i != target.path[-1]])
        return
    set_path(merged, target, [] if target.kind == "list" else None)


_PHONE_NAMES = re.compile(r"phone|mobile|tel|fax|电话|手机|传真|号码")
_INTACT_PHONE = re.compile(r"1[3-9]\d{9}|[48]00\d{7}|\d{1,8}")
"""Numbers that lose nothing as numbers: mobiles (13812345678), 400/800 numbers, local numbers without area code."""


def is_phone(target: Target) -> bool:
    """A phone-like field (电话, 手机, phone…): text, whose leading zero a number cell cannot carry."""
    if not target.steps:
        return False
    name, alias, _ = target.steps[-1]
    return bool(_PHONE_NAMES.search(f"{name} {alias or ''}".lower()))


def _refuse_lost_zero(cell: Number, target: Target) -> None:
    """An area-code number stored as a number has lost its 0 (05511234567 → 5511234567): refuse, never guess."""
    if _INTACT_PHONE.fullmatch(cell):
        return
    raise InputError(Problem(msg(
        "row.phone-lost-zero",
        "holds the number {number}, which Excel stored as a number and so dropped its leading zero (0{number}?); "
        "format the column as text in Excel (or start the cell with ') and type the number again", number=cell),
        field=target.text))


def chinese_label(model: type[BaseModel], path: str) -> str:
    """A field as the form names it: unit.name → 单位 › 名称; leadership.deputies[1].name → 领导小组 › 副组长 1 › 姓名.
    What a clerk reads in errors.csv, on the terminal and in the web page instead of a field path."""
    labels: list[str] = []
    for step, info in _known_steps(model, path):
        if info is None:
            if labels:
                labels[-1] += f" {int(step) + 1}"
        else:
            labels.append(info.alias or str(step))
    return " › ".join(labels) if labels else path
