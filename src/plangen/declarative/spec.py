"""``plantype.yaml``: what a declarative plan type says about itself, read and checked.

Every problem is an :class:`~plangen.errors.InputError` naming the folder and the file (exit 2), so
a clerk who edited the YAML by hand is told where to look, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plangen.declarative import SPEC_FILE
from plangen.errors import InputError, Problem
from plangen.i18n import msg

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# every kind, by its English name and the Chinese a clerk may write instead
KINDS: dict[str, str] = {
    "text": "text", "文本": "text", "long text": "long text", "long-text": "long text", "长文本": "long text",
    "date": "date", "日期": "date", "number": "number", "数字": "number", "year": "year", "年度": "year",
    "choice": "choice", "选项": "choice", "list": "list", "列表": "list", "person": "person", "人员": "person",
    "people": "people", "人员名单": "people", "table": "table", "表格": "table",
}
# the shared fields of every plan (PlanInput) and the template's own names: a field may not take them
RESERVED = frozenset({"unit", "dates", "leadership", "basis", "issuer", "contact", "signature", "type",
                      "plan", "plan_type", "br", "loop", "self"})


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    """One field a user fills in."""

    key: str
    label: str
    kind: str
    required: bool = True
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    count_from: int | None = None
    """For a number: when left out, the edition counted from ``year`` (this year is the first)."""


@dataclass(frozen=True)
class TypeSpec:
    """A whole ``plantype.yaml``."""

    folder: Path
    name: str
    title: str
    fields: tuple[FieldSpec, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""
    roster_columns: dict[str, str] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"

    @property
    def example_file(self) -> str:
        return f"{self.name}.example.yaml"


def _where(folder: Path, file: str = SPEC_FILE) -> str:
    return str(folder / file)


def problem(folder: Path, text: Any, *, file: str = SPEC_FILE, field_name: str = "") -> InputError:
    """The one error of this module: the folder's file named, a Chinese message, exit 2."""
    return InputError(Problem(text, field=field_name, file=_where(folder, file)))


def read_spec(folder: Path) -> TypeSpec:
    """Read ``folder/plantype.yaml`` and check it, its template and its example are there."""
    path = folder / SPEC_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise problem(folder, msg("declarative.unreadable", "cannot be read: {error}", error=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise problem(folder, msg("declarative.not-utf8", "is not UTF-8 text; save it as UTF-8")) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise problem(folder, msg("declarative.bad-yaml", "is not valid YAML (line {line}); check indents and colons",
                                  line=(line or 0) + 1)) from None
    if not isinstance(data, dict):
        raise problem(folder, msg("declarative.not-mapping", "must hold keys such as name, title and fields"))
    name = str(_get(data, "name", "名称") or "").strip()
    if not NAME_RE.fullmatch(name) or len(name) > 40:
        raise problem(folder, msg("declarative.bad-name", "name {name!r} is not a plan type name: lowercase letters, digits and hyphens, like flood-plan",
                                  name=name), field_name="name")
    title = str(_get(data, "title", "标题") or "").strip()
    if not re.fullmatch(r"[\u4e00-\u9fff（）《》“”、]{2,40}", title):
        raise problem(folder, msg("declarative.bad-title", "title {title!r} must be the Chinese name of the document kind, like 防汛应急预案",
                                  title=title), field_name="title")
    raw_fields = _get(data, "fields", "字段") or []
    if not isinstance(raw_fields, list):
        raise problem(folder, msg("declarative.fields-not-list", "fields must be a list, one item per field"), field_name="fields")
    fields = tuple(_field(folder, i, item) for i, item in enumerate(raw_fields, 1))
    seen: set[str] = set()
    for f in fields:
        if f.key in seen or f.label in seen:
            raise problem(folder, msg("declarative.field-twice", "field {key!r} is declared twice", key=f.key if f.key in seen else f.label),
                          field_name="fields")
        seen |= {f.key, f.label}
    roster = _get(data, "roster_columns", "名册列") or {}
    if not isinstance(roster, dict):
        raise problem(folder, msg("declarative.roster-not-mapping", "roster_columns must map a roster's column header to a field"),
                      field_name="roster_columns")
    aliases = _get(data, "aliases", "别名") or []
    spec = TypeSpec(folder=folder, name=name, title=title, fields=fields,
                    aliases=tuple(str(a) for a in (aliases if isinstance(aliases, list) else [aliases])),
                    description=str(_get(data, "description", "说明") or ""),
                    roster_columns={str(k): str(v) for k, v in roster.items()})
    for file in (spec.template, spec.example_file):
        if not (folder / file).is_file():
            raise problem(folder, msg("declarative.missing-file", "the folder has no {file}; a plan type folder holds plantype.yaml, {file} and its example",
                                      file=file), file=file)
    return spec


def _get(data: dict[str, Any], english: str, chinese: str) -> Any:
    return data[english] if english in data else data.get(chinese)


def _field(folder: Path, index: int, item: Any) -> FieldSpec:
    where = f"fields[{index}]"
    if not isinstance(item, dict):
        raise problem(folder, msg("declarative.field-not-mapping", "field {index} must have key, label and kind", index=index), field_name=where)
    key = str(_get(item, "key", "键") or "").strip()
    label = str(_get(item, "label", "名称") or "").strip()
    kind_text = str(_get(item, "kind", "类型") or "text").strip()
    if not KEY_RE.fullmatch(key) or key in RESERVED:
        raise problem(folder, msg("declarative.bad-key", "field key {key!r} must be lowercase English letters, digits and _ (and not unit, dates, leadership, contact …)",
                                  key=key), field_name=where)
    if not re.search(r"[\u4e00-\u9fff]", label) or len(label) > 20:
        raise problem(folder, msg("declarative.bad-label", "field {key!r} needs a Chinese label of up to 20 characters", key=key), field_name=where)
    kind = KINDS.get(kind_text)
    if kind is None:
        raise problem(folder, msg("declarative.bad-kind", "field {key!r}: unknown kind {kind!r}; the kinds are {kinds}",
                                  key=key, kind=kind_text, kinds="、".join(k for k in KINDS if re.search(r"[\u4e00-\u9fff]", k))),
                      field_name=where)
    choices = tuple(str(c) for c in (_get(item, "choices", "选项") or []))
    if kind == "choice" and not choices:
        raise problem(folder, msg("declarative.no-choices", "field {key!r} is a choice but lists no choices", key=key), field_name=where)
    columns = tuple(_column(folder, where, n, c) for n, c in enumerate(_get(item, "columns", "列") or [], 1))
    if kind == "table" and not columns:
        raise problem(folder, msg("declarative.no-columns", "field {key!r} is a table but lists no columns", key=key), field_name=where)
    has_default = "default" in item or "默认" in item
    required = bool(_get(item, "required", "必填")) if ("required" in item or "必填" in item) else not has_default
    count_from = _get(item, "count_from", "起算年度")
    return FieldSpec(key=key, label=label, kind=kind, required=required and not has_default,
                     default=_get(item, "default", "默认"), help=str(_get(item, "help", "说明") or ""),
                     choices=choices, columns=columns, count_from=int(count_from) if count_from else None)


def _column(folder: Path, where: str, n: int, item: Any) -> Column:
    if isinstance(item, str):
        item = {"key": f"c{n}", "label": item}
    if not isinstance(item, dict):
        raise problem(folder, msg("declarative.bad-column", "a table column must have key and label"), field_name=where)
    key = str(_get(item, "key", "键") or "").strip()
    label = str(_get(item, "label", "名称") or "").strip()
    if not KEY_RE.fullmatch(key) or not label:
        raise problem(folder, msg("declarative.bad-column", "a table column must have key and label"), field_name=where)
    return Column(key, label)
