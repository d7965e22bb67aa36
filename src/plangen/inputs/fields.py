"""Building blocks for input models: bilingual keys, text and date field types, error flattening.

Every key is accepted in English and in Chinese (``unit`` / ``单位``): declare fields with :func:`zh`.
Text fields run through :func:`plangen.text.normalise` and are refused when they carry a placeholder,
template syntax or an emoji, so the error names the field the text came from.
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import re
import typing
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticUndefined

from plangen import text as T
from plangen.errors import InputError, Problem
from plangen.i18n import N_, Msg, language, msg
from plangen.inputs.paths import FieldPath
from plangen.inputs.walk import field_named, inner_model
from plangen.inputs.walk import key_names as key_names  # where models and plugins have always found it


class InputModel(BaseModel):
    """Base of every input model: unknown keys are errors, English and Chinese keys both work."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        frozen=True,
        str_strip_whitespace=True,
        # schemas are built on first use: a run that generates one plan type does not pay for the others
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _one_or_many(cls, data: Any) -> Any:
        """Any list field takes one item written alone: ``副组长: {name: 刘芳, post: 社区主任}`` means a
        list of one, as the README shows it; a list of names may also be one line joined with 、."""
        if not isinstance(data, dict):
            return data
        changed: dict[str, Any] | None = None
        for name, info in cls.model_fields.items():
            if typing.get_origin(info.annotation) is not list:
                continue
            for key in filter(None, (name, info.alias)):  # the name, and the alias if there is one
                value = data.get(key)
                kind = _item_kind(typing.get_args(info.annotation))
                if isinstance(value, dict):
                    wrapped: Any = [value]
                elif isinstance(value, str) and kind == "name":
                    wrapped = [part for part in _LIST_SEPARATORS.split(value.strip()) if part]
                elif isinstance(value, list) and kind == "name" and any(isinstance(v, str) and "，" in v for v in value):
                    # [丁燕，冯军] typed with the input method's comma: names never hold "，", so it separates
                    wrapped = [p for v in value for p in (_IME_COMMA.split(v) if isinstance(v, str) else [v]) if p != ""]
                elif kind == "date" and isinstance(value, (str, date, int)) and not isinstance(value, bool):
                    wrapped = [value]
                else:
                    continue
                changed = dict(data) if changed is None else changed
                changed[key] = wrapped
        return data if changed is None else changed

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """Every :func:`cross_check` of the model, all run: their problems are reported together."""
        run_cross_checks(self)
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _cross_checks_despite_field_errors(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        """When fields fail, the cross checks that need only the others still run: every problem at once."""
        try:
            return handler(data)
        except ValidationError as exc:
            from plangen.inputs.partial_checks import with_cross_checks

            more = with_cross_checks(cls, data, exc, cross_checks_of(cls), Problems())
            if more is None:
                raise
            raise more from None

    @model_validator(mode="before")
    @classmethod
    def _yes_no(cls, data: Any) -> Any:
        """A yes-or-no field takes 是/否 (要/不要, 有/无) as a clerk writes it, as well as true/false."""
        if not isinstance(data, dict):
            return data
        out = data
        for name, info in cls.model_fields.items():
            if info.annotation not in (bool, bool | None):
                continue
            for key in (name, info.alias):
                value = data.get(key) if key else None
                if isinstance(value, str) and value.strip() in _YES_NO:
                    out = dict(out) if out is data else out
                    out[key] = _YES_NO[value.strip()]
        return out


_YES_NO = {"是": True, "要": True, "有": True, "需要": True, "否": False, "不": False, "不要": False, "无": False, "不需要": False}
_LIST_SEPARATORS = re.compile(r"\s*[、，,；;\n]+\s*")
_IME_COMMA = re.compile(r"\s*，+\s*")


def _item_kind(args: tuple[Any, ...]) -> str:
    """What a list holds, for :meth:`InputModel._one_or_many`: "name" (one-line text up to 40
    characters, which may come as one line joined with 、), "date", or "" (anything else)."""
    if not args or typing.get_origin(args[0]) is not typing.Annotated:
        return ""
    base, *meta = typing.get_args(args[0])
    if base is date:
        return "date"
    limits = [getattr(inner, "max_length", None) for m in meta for inner in getattr(m, "metadata", ())]
    return "name" if base is str and any(n is not None and n <= 40 for n in limits) else ""


CHOICE_LABELS = "x-choice-labels"
"""JSON Schema key of a choice field's Chinese names, by stored value (the form shows these)."""


def zh(chinese: str, default: Any = PydanticUndefined, *, description: str = "", labels: dict[str, str] | None = None,
       **kwargs: Any) -> Any:
    """A field whose key may also be written in Chinese. ``description`` feeds the JSON Schema;
    ``labels`` are the Chinese names of a choice field's values (stored values stay as they are)."""
    if labels:
        kwargs["json_schema_extra"] = {CHOICE_LABELS: dict(labels)}
    return Field(default, alias=chinese, description=description or None, **kwargs)


def _normalised(*, keep_newlines: bool) -> BeforeValidator:
    """Normalise before the length is checked: text of zero-width characters only is empty, not 3 long."""

    def clean(value: Any) -> Any:
        return T.normalise(value, keep_newlines=keep_newlines) if isinstance(value, str) else value

    return BeforeValidator(clean)


def _text_validator(*, keep_newlines: bool) -> AfterValidator:
    def check(value: str) -> str:
        value = T.normalise(value, keep_newlines=keep_newlines)  # idempotent; str_strip_whitespace ran in between
        problem = T.text_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


_CLEAN = _normalised(keep_newlines=False)
_CHECK = _text_validator(keep_newlines=False)

Name = Annotated[str, Field(min_length=1, max_length=40), _CLEAN, _CHECK]
"""A person's or unit's name, a phone number, a short label."""
Line = Annotated[str, Field(min_length=1, max_length=200), _CLEAN, _CHECK]
"""A title, a theme, one sentence."""
Para = Annotated[str, Field(min_length=1, max_length=2000), _normalised(keep_newlines=True), _text_validator(keep_newlines=True)]
"""A paragraph or a few; blank lines separate paragraphs."""


def _docno_shape(value: str) -> str:
    if not T.DOCNO_RE.search(value):
        raise ValueError(msg("input.not-docno", "{value} is not a document number like 建发〔2024〕35号", value=repr(value)))
    return value


DocNo = Annotated[str, Field(min_length=1, max_length=40), _CLEAN, _CHECK, AfterValidator(_docno_shape)]
"""A document number (发文字号); [] and 【】 around the year become 〔〕, zero padding and 第 are removed."""

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


FIRST_DAY = date(1949, 10, 1)
LAST_DAY = date(2100, 12, 31)
"""Dates a plan can carry: from the founding of the PRC, whose organs' documents GB/T 9704 lays out, to
2100 (the bound of every year field). 0001-01-01 or 2200 is a slip of the keyboard, not a plan date."""


def parse_date(value: Any) -> Any:
    """2024-04-01, 2024/4/1, 2024.4.1, 2024年4月1日 or 20240401; an impossible day is named as such."""
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    if isinstance(value, int) and not isinstance(value, bool) and 10000101 <= value <= 99991231:
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(msg("input.date-form", "a date is written like 2024-04-01 or 2024年4月1日", given=_given(value)))
    s = T.strip_invisible(value, keep_newlines=False).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                day = date(y, mo, d)
            except ValueError:
                raise ValueError(msg("input.no-such-day", "{value} is not a real date", value=s)) from None
            return _plausible(day)
    raise ValueError(msg("input.not-date", "{value} is not a date; write it like 2024-04-01 or 2024年4月1日", value=repr(s), text=s))


def _plausible(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(msg("input.implausible-date",
                             "{day} is not a plausible date for a plan (between {first} and {last}); check the year",
                             day=day.isoformat(), first=FIRST_DAY.year, last=LAST_DAY.year))
    return day


Day = Annotated[date, BeforeValidator(parse_date)]


def parse_year(value: Any) -> Any:
    """2024, "2024", 2024.0 or 2024年 → 2024: a year typed as text or saved by a spreadsheet as a float is still a year."""
    if isinstance(value, bool):
        raise ValueError(msg("input.not-year", "must be a whole number such as 2024", given=_given(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        s = unicodedata.normalize("NFKC", T.strip_invisible(value, keep_newlines=False)).strip().removesuffix("年").strip()
        if re.fullmatch(r"\d{4}", s):
            return int(s)
    raise ValueError(msg("input.not-year-value", "must be a whole number such as 2024, not {value}",
                         value=repr(str(value)[:20]), given=_given(value)))


Year = Annotated[int, BeforeValidator(parse_year)]
"""A year such as 2024; give the range with ``zh("年度", ge=…, le=…)``."""


def _model_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The nested model class a location points into, for "did you mean" suggestions."""
    current = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        spot = field_named(current, str(part))
        if spot is None:
            return None
        current = inner_model(spot.info.annotation)
    return current


class Problems(ValueError):
    """Every problem one model validator finds, raised together so the user sees them all at once.

    A validator that checks several independent things (the edition against the year, a task listed
    twice, a deadline out of the period) collects each problem and raises once at the end::

        found = Problems()
        with found.at():                      # a check that raises ValueError(Msg)
            check_deadline(...)
        found.add(msg(...), "edition")        # or a problem found directly, at a field of the model
        found.raise_any()

    Each problem keeps the field it belongs to, relative to the model (``()`` for the whole model, whose
    message names the fields): :func:`problems_from` turns them into one located problem each."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[tuple[Any, ...], Msg | str]] = []

    def add(self, message: Msg | str, *loc: Any) -> None:
        self.items.append((loc, message))

    @contextlib.contextmanager
    def at(self, *loc: Any) -> Iterator[None]:
        """Run a check; a ValueError it raises becomes one of the problems (at ``loc``)."""
        try:
            yield
        except Problems as inner:
            self.items.extend((loc + where, message) for where, message in inner.items)
        except ValueError as exc:
            self.add(exc.args[0] if exc.args and isinstance(exc.args[0], (Msg, str)) else str(exc), *loc)

    def raise_any(self) -> None:
        if self.items:
            raise self

    def __str__(self) -> str:
        return "; ".join(str(message) for _, message in self.items)


_CHECK_MARK = "__plangen_cross_check__"
_Method = TypeVar("_Method", bound=Callable[..., Any])


def cross_check(method: _Method) -> _Method:
    """Mark a model method as a check between fields, run on the fields that are valid.

    pydantic stops at the first model validator that fails, so two independent mistakes (a 成文日期
    after the period, checked by :class:`PlanInput`, and a 届次 that contradicts the year, checked by
    the plan type) would come one at a time. Every cross check of a model and of its base classes runs
    (bases first) and all their problems are reported together, with the fields' own errors when some
    fields are wrong (a check reading one of those waits for it: :mod:`plangen.inputs.partial_checks`).
    A check takes no argument and raises
    ``ValueError(msg(...))`` for one problem, or collects several in :class:`Problems` (each at its
    field); what it returns is ignored. A subclass method of the same name replaces the base's check."""
    setattr(method, _CHECK_MARK, True)
    return method


_CROSS_CHECKS: weakref.WeakKeyDictionary[type[BaseModel], tuple[str, ...]] = weakref.WeakKeyDictionary()


def cross_checks_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of a model's cross checks, its bases' first, each once."""
    if model not in _CROSS_CHECKS:
        names = dict.fromkeys(name for klass in reversed(model.__mro__) for name, value in list(vars(klass).items())
                              if inspect.isfunction(value) and getattr(value, _CHECK_MARK, False))
        _CROSS_CHECKS[model] = tuple(n for n in names if getattr(getattr(model, n, None), _CHECK_MARK, False))
    return _CROSS_CHECKS[model]


def run_cross_checks(instance: BaseModel) -> None:
    """Run every cross check of ``instance``; raise :class:`Problems` with all they found, if any."""
    found = Problems()
    for name in cross_checks_of(type(instance)):
        with found.at():
            getattr(instance, name)()
    found.raise_any()


def _field_path(loc: tuple[Any, ...]) -> str:
    """A pydantic location as people read it (``dates.phases[2].end``: they count from 1)."""
    return str(FieldPath(loc))


_TYPE_NAMES = {
    "int": N_("int"), "float": N_("float"), "bool": N_("bool"), "list": N_("list"), "dict": N_("dict"),
    "NoneType": N_("NoneType"), "date": N_("date"), "datetime": N_("datetime"), "str": N_("str"),
}
"""Python type names as a message shows them ("must be text, not int"): the Chinese says 整数, 列表…"""


def _type_name(value: Any) -> Msg | str:
    name = type(value).__name__
    return msg("type." + name, _TYPE_NAMES[name]) if name in _TYPE_NAMES else name


def _given(value: Any) -> Msg:
    """The value the user gave, as a message shows it after "not": 文本“abc”, 小数 2.5, 列表…"""
    if isinstance(value, str):
        return msg("value.text", "text {value}", value=repr(value[:30]), text=value[:30])
    if isinstance(value, (dict, list)) or value is None:
        return msg("value.kind", "{kind}", kind=_type_name(value))
    return msg("value.other", "{kind} {value}", kind=_type_name(value), value=repr(value)[:30])


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as a list joined with 、 for the Chinese (the quoted names stay)."""
    names = re.findall(r"'([^']*)'", expected)
    return "、".join(names) if names else expected


_BY_TYPE: dict[str, tuple[str, str]] = {
    # pydantic error type → (code, msgid); the ctx of the error and the derived params below fill it in
    "missing": ("input.missing", N_("is required")),
    "string_too_short": ("input.empty", N_("must not be empty")),
    "list_type": ("input.not-list", N_("must be a list (one item per line starting with '- ')")),
    "tuple_type": ("input.not-list", N_("must be a list (one item per line starting with '- ')")),
    "model_type": ("input.not-mapping", N_("must be a mapping of keys and values")),
    "model_attributes_type": ("input.not-mapping", N_("must be a mapping of keys and values")),
    "dict_type": ("input.not-mapping", N_("must be a mapping of keys and values")),
    "greater_than_equal": ("input.too-small", N_("must be at least {ge}")),
    "greater_than": ("input.too-small", N_("must be greater than {gt}")),
    "less_than_equal": ("input.too-big", N_("must be at most {le}")),
    "less_than": ("input.too-big", N_("must be less than {lt}")),
    "bool_type": ("input.not-bool", N_("must be true or false")),
    "bool_parsing": ("input.not-bool", N_("must be true or false")),
    "float_type": ("input.not-number", N_("must be a number")),
    "float_parsing": ("input.not-number", N_("must be a number")),
    "finite_number": ("input.not-number", N_("must be a number")),
    "date_type": ("input.not-date", N_("must be a date like 2024-04-01")),
    "date_parsing": ("input.not-date", N_("must be a date like 2024-04-01")),
    "date_from_datetime_parsing": ("input.not-date", N_("must be a date like 2024-04-01")),
    "date_from_datetime_inexact": ("input.not-date", N_("must be a date like 2024-04-01")),
    "datetime_type": ("input.not-date", N_("must be a date like 2024-04-01")),
    "datetime_parsing": ("input.not-date", N_("must be a date like 2024-04-01")),
    "url_parsing": ("input.not-url", N_("must be a web address such as https://example.cn")),
    "url_type": ("input.not-url", N_("must be a web address such as https://example.cn")),
    "url_scheme": ("input.not-url", N_("must be a web address such as https://example.cn")),
    "string_pattern_mismatch": ("input.pattern", N_("does not have the expected form")),
    "frozen_instance": ("input.frozen", N_("cannot be changed")),
    "is_instance_of": ("input.wrong-type", N_("has the wrong type")),
    "union_tag_invalid": ("input.bad-tag", N_("names an unknown kind; use one of {expected_tags}")),
    "union_tag_not_found": ("input.no-tag", N_("needs the key {discriminator}")),
}


def _clean_message(err: Any) -> Msg | str:
    """One pydantic error as a message of the catalogue, keyed by its error *type* (not pydantic's
    English sentence), so every validation error reads in the user's language."""
    kind = err["type"]
    raw: str = err["msg"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind in ("value_error", "assertion_error"):
        # our validators raise ValueError(Msg): keep the Msg, so it is worded in the reader's language
        cause = ctx.get("error")
        first = cause.args[0] if isinstance(cause, BaseException) and cause.args else None
        if isinstance(first, Msg):
            return first
        return raw.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_too_long":
        length = len(given) if isinstance(given, str) else "too many"
        return msg("input.too-long", "is too long ({length} characters; at most {max_length})",
                   length=length, max_length=ctx.get("max_length"))
    if kind == "string_type":
        return msg("input.not-text", "must be text, not {kind}", kind=_type_name(given), given=_given(given))
    if kind.startswith("int_"):
        return msg("input.not-integer", "must be a whole number", given=_given(given))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        return msg("input.not-one-of", "must be one of {expected}", expected=expected, choices=_choices(expected),
                   given=_given(given))
    if kind in ("too_long", "too_short"):
        count = ctx.get("actual_length")
        if kind == "too_long":
            return msg("input.too-many-items", "has too many items ({count}; at most {max_length})",
                       count=count, max_length=ctx.get("max_length"))
        return msg("input.too-few-items", "needs at least {min_length} item(s)", min_length=ctx.get("min_length"))
    if kind in _BY_TYPE:
        code, text = _BY_TYPE[kind]
        return msg(code, text, **{k: v for k, v in ctx.items() if isinstance(v, (str, int, float))})
    return msg("input.invalid", "{detail}", detail=raw[0].lower() + raw[1:] if raw else kind)


def _display_loc(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic reports the Chinese alias for a missing key; show ``theme（主题）`` so either is found."""
    owner = _model_at(model, loc[:-1])
    if owner is None or not loc or isinstance(loc[-1], int):
        return loc
    name = key_names(owner).get(str(loc[-1]))
    if name is None:
        return loc
    alias = owner.model_fields[name].alias
    if not alias:
        return loc[:-1] + (name,)
    # a Chinese reader is shown the Chinese key first: 单位.名称（name）
    return loc[:-1] + (f"{alias}（{name}）" if language() == "zh" else f"{name}（{alias}）",)


def problems_from(exc: ValidationError, model: type[BaseModel], *, prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """Flatten pydantic errors into one located problem each, with "did you mean" for unknown keys.

    A misspelt key also makes the real key "missing"; that second report is dropped, so one typo
    gives one line.
    """
    errors = exc.errors(include_url=False)
    missing = {tuple(e["loc"]): e for e in errors if e["type"] == "missing"}
    explained: set[tuple[Any, ...]] = set()
    problems: list[Problem] = []
    for err in errors:
        if err["type"] != "extra_forbidden":
            continue
        parent = tuple(err["loc"])[:-1]
        owner = _model_at(model, parent)
        key = str(err["loc"][-1])
        message: Msg = msg("input.unknown-key", "unknown key {key}", key=repr(key), text=key)
        if owner is not None:
            names = key_names(owner)
            guess = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
            if guess:
                message = msg("input.unknown-key", "unknown key {key}; did you mean {guess}?",
                              key=repr(key), text=key, guess=repr(guess[0]), guess_text=guess[0])
                field = owner.model_fields[names[guess[0]]]
                for spelled in (names[guess[0]], field.alias):
                    if parent + (spelled,) in missing:
                        explained.add(parent + (spelled,))
            else:
                accepted = [f"{n}/{i.alias}" if i.alias else n for n, i in owner.model_fields.items()]
                message = msg("input.unknown-key", "unknown key {key}; accepted here: {accepted}",
                              key=repr(key), text=key, accepted=", ".join(accepted), accepted_zh="、".join(accepted))
        problems.append(Problem(message, field=_field_path(tuple(prefix) + parent + (key,))))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" or loc in explained:
            continue
        shown = _display_loc(model, loc) if err["type"] == "missing" else loc
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, Problems):
            problems.extend(Problem(message, field=_field_path(tuple(prefix) + loc + where)) for where, message in cause.items)
            continue
        problems.append(Problem(_clean_message(err), field=_field_path(tuple(prefix) + shown)))
    return problems


def validate(model: type[BaseModel], data: dict[str, Any], *, file: str = "", row: int | None = None) -> Any:
    """Validate ``data`` against ``model`` or raise an InputError with every problem located."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, model)).located(file=file, row=row) from None


_ACCEPTS_TEXT: weakref.WeakKeyDictionary[type[BaseModel], bool] = weakref.WeakKeyDictionary()
"""Weak: the models of drop-in plugins reloaded in a long-lived process must not be kept alive."""


def accepts_text(model: type[BaseModel]) -> bool:
    """Whether a model takes a plain string as shorthand (Person takes 张三（社区主任）, Basis takes 《…》（…号））."""
    if model not in _ACCEPTS_TEXT:
        try:
            model.model_validate("甲乙")
            ok = True
        except ValidationError as exc:
            ok = not any(e["loc"] == () and e["type"] in ("model_type", "model_attributes_type", "dict_type")
                         for e in exc.errors(include_url=False))
        _ACCEPTS_TEXT[model] = ok
    return _ACCEPTS_TEXT[model]
