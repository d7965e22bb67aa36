"""Wording: jinja2 templates rendered to markup.

User text is data, never template source: it is passed in as values, and every value printed by
``{{ }}`` is escaped for the markup, so ``{{ 1+1 }}`` or ``## heading`` typed into a field stays text.
Undefined variables fail loudly (StrictUndefined), and printing ``None`` is an error rather than a
"None" in a plan. Environments are built once per template search path and reused, so a batch
compiles each template once.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions
import jinja2.runtime
import jinja2.sandbox

from plangen import joins
from plangen import text as T
from plangen.errors import TemplateError
from plangen.i18n import N_, msg
from plangen.markup.parser import TITLE_BREAK

_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~&\"'=:$%^@"
_ESCAPE = str.maketrans({c: "\\" + c for c in _MD_SPECIAL})


class Raw(str):
    """Markup produced on purpose by a template helper; printed without escaping."""


class _BlockReference(jinja2.runtime.BlockReference):
    """``{{ super() }}`` in an override: the parent block is markup already, not user text to escape."""

    def __call__(self) -> str:
        return Raw(super().__call__())

    @property
    def super(self) -> Any:  # ``{{ super.super() }}``
        parent = jinja2.runtime.BlockReference.super.fget(self)  # type: ignore[attr-defined]
        return _raw_block(parent)


def _raw_block(ref: Any) -> Any:
    if isinstance(ref, jinja2.runtime.BlockReference) and not isinstance(ref, _BlockReference):
        return _BlockReference(ref.name, ref._context, ref._stack, ref._depth)
    return ref


class _Context(jinja2.runtime.Context):
    def super(self, name: str, current: Any) -> Any:
        return _raw_block(super().super(name, current))


def escape(value: str) -> str:
    """Make user text inert in the markup: ASCII punctuation backslashed, lines joined."""
    if "\n" in value:
        value = re.sub(r"\s*\n\s*", "", value)
    return value.translate(_ESCAPE)


def _finalize(value: Any) -> str:
    if isinstance(value, Raw):
        return value
    if isinstance(value, str):
        return escape(value)
    if value is None:
        raise TemplateError(msg("template.printed-none", "the template printed None: a value it uses is missing; guard it with {guard}", guard="{% if %}"))
    if isinstance(value, bool):
        raise TemplateError(msg("template.printed-bool", "the template printed a true/false value; use {guard} instead", guard="{% if %}"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return T.cn_date(value)
    if isinstance(value, (list, tuple, dict, set)):
        raise TemplateError(msg("template.printed-collection", "the template printed a {kind}; join it with a filter such as |names",
                                 kind=type(value).__name__))
    return escape(str(value))


def _names(items: Iterable[Any], sep: str = "、") -> str:
    out = []
    for item in items:
        out.append(item.label if hasattr(item, "label") else item.name if hasattr(item, "name") else str(item))
    return sep.join(out)


def _enumerate_cn(items: Sequence[Any]) -> str:
    """A、B和C — how Chinese prose lists two or more things."""
    words = [getattr(i, "label", i) if not isinstance(i, str) else i for i in items]
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + "和" + words[-1]


def _cited(items: Iterable[Any]) -> str:
    return "、".join(b.cited for b in items)


def _paragraphs(value: str | None) -> list[str]:
    if not value:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]


def _sentence(value: str) -> str:
    """End a clause with one final mark (the ``para`` rule of :mod:`plangen.joins`)."""
    return joins.para(value)


_OPEN, _CLOSE = "“「‘", "”」’"


def _balanced(text: str) -> bool:
    """True when every opening quote in ``text`` is closed after it, so the text can stand inside a pair."""
    depth = 0
    for ch in text:
        if ch in "“「":
            depth += 1
        elif ch in "”」":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def quoted(value: str) -> str:
    """User text inside the template's own quotes: “爱卫新篇章 健康‘心’生活”.

    A pair the user typed around the whole text is dropped (the template quotes it), and quotes inside
    become single quotes, as nested quotes are written in Chinese (input normalisation has already made
    quotes in Chinese text full width)."""
    text = str(value).strip()
    while len(text) > 2 and text[0] in "“「" and text[-1] in "”」" and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    if _balanced(text):  # a stray, unpaired mark is the user's text as typed: left alone
        text = text.replace("“", "‘").replace("”", "’").replace("「", "‘").replace("」", "’")
    return f"“{text}”"


def filters() -> dict[str, Any]:
    return {
        "cn_date": T.cn_date,
        "cn_month_day": T.cn_month_day,
        "cn_num": T.cn_number,
        "cn_count": T.cn_count,
        "xun": T.xun,
        "names": _names,
        "enumerate_cn": _enumerate_cn,
        "cited": _cited,
        "paragraphs": _paragraphs,
        "sentence": _sentence,
        "quoted": quoted,
        **joins.filters(),
    }


PARTIALS = Path(__file__).resolve().parent / "partials"
"""Partials every plan type may include, such as ``_leadership.md.j2`` (the 领导小组 of :class:`PlanInput`)."""


def build_environment(
    user_dirs: Sequence[Path],
    plan_dirs: Sequence[Path],
    plugin_hook: Any = None,
    *,
    prepare: Callable[[jinja2.Environment], None] | None = None,
) -> jinja2.Environment:
    """A jinja2 environment: the user's override folders first, then the plan types' own folders.

    ``default:NAME`` skips the overrides, so an override can extend the original with
    ``{% extends "default:hygiene-month.md.j2" %}``. Plugins add to it through ``prepare`` (the
    registry's, which tells apart two plugins adding one name) or, bare, through ``plugin_hook``.
    """
    defaults = [*map(str, plan_dirs), str(PARTIALS)]
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(defaults)}, delimiter=":"),
            jinja2.FileSystemLoader([*map(str, user_dirs), *defaults]),
        ]
    )
    # Sandboxed: a template (a --templates folder, a colleague's override, a plugin's) can read the plan's
    # values and call the filters, but not reach Python internals (``''.__class__.__mro__``, os.system).
    # It costs little, as templates are compiled once per process (README, "Reliability: hostile input").
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=400,
        bytecode_cache=_bytecode_cache(),
    )
    env.context_class = _Context
    env.filters.update(filters())
    env.globals["br"] = Raw(TITLE_BREAK)
    if prepare is not None:
        prepare(env)
    elif plugin_hook is not None:
        plugin_hook.plangen_prepare_jinja(environment=env)
    return env


def user_dirs_from_env() -> list[str]:
    return [p for p in os.environ.get("PLANGEN_TEMPLATES_DIR", "").split(os.pathsep) if p]


ENVIRONMENTS_KEPT = 8
"""Environments kept per cache: one per set of template folders in use, which a process has few of.
A registry keeps its own (:meth:`plangen.plugins.Registry.environment`), so they go with it."""


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling is most of what one ``plangen generate`` spends
    in jinja2 (~15 ms of a ~0.2 s start). Jinja's own per-user folder (owner-only, checked), or
    ``PLANGEN_CACHE_DIR``; ``PLANGEN_NO_CACHE=1`` turns it off. Entries are keyed by the template's
    source checksum, so an edited template is never served stale."""
    if os.environ.get("PLANGEN_NO_CACHE", "") not in ("", "0"):
        return None
    try:
        return jinja2.FileSystemBytecodeCache(os.environ.get("PLANGEN_CACHE_DIR") or None)
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time, as before
        return None


class EnvironmentCache:
    """Environments by template search path, the oldest dropped past ``ENVIRONMENTS_KEPT``."""

    def __init__(self, limit: int = ENVIRONMENTS_KEPT) -> None:
        self.limit = limit
        self._envs: OrderedDict[tuple[Any, ...], jinja2.Environment] = OrderedDict()

    def __len__(self) -> int:
        return len(self._envs)

    def get(
        self,
        plan_dirs: Sequence[Path],
        user_dirs: Sequence[Path],
        build: Callable[[list[Path], Sequence[Path]], jinja2.Environment],
        *extra_key: Any,
    ) -> jinja2.Environment:
        key = (tuple(map(str, user_dirs)), tuple(user_dirs_from_env()), tuple(map(str, plan_dirs)), *extra_key)
        env = self._envs.get(key)
        if env is None:
            env = build([*user_dirs, *map(Path, user_dirs_from_env())], plan_dirs)
            self._envs[key] = env
            while len(self._envs) > self.limit:
                self._envs.popitem(last=False)
        else:
            self._envs.move_to_end(key)
        return env


_envs = EnvironmentCache()


def environment(plan_dirs: Sequence[Path], user_dirs: Sequence[Path] = (), plugin_hook: Any = None) -> jinja2.Environment:
    """An environment without a registry (kept for callers of the old API); bounded, so hook objects
    of registries long gone do not pile up. ``Registry.environment`` is what plangen itself uses."""
    return _envs.get(plan_dirs, user_dirs, lambda users, plans: build_environment(users, plans, plugin_hook), plugin_hook)


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """The template rendered with ``context``; a mistake in a template is a TemplateError in the reader's
    language naming the template file and line, never jinja2's English or a traceback."""
    try:
        return env.get_template(template).render(context)
    except TemplateError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(msg("template.not-found", "template {name!r} not found (looked in the user, plugin and default folders)",
                                name=exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(msg("template.syntax", "template {template}, line {line}: {error}",
                                template=_shown(exc.filename or exc.name or template), line=exc.lineno,
                                error=syntax_message(exc.message or ""))) from None
    except jinja2.exceptions.SecurityError as exc:
        name, line = _failing_line(exc, template)
        raise TemplateError(msg("template.sandbox", "template {template}, line {line}: {error} (templates run sandboxed: they read the "
                                "plan's values and call filters, nothing else)", template=name, line=line, error=exc)) from None
    except jinja2.UndefinedError as exc:
        name, line = _failing_line(exc, template)
        raise TemplateError(msg("template.undefined", "template {template}, line {line}: {error}",
                                template=name, line=line, error=undefined_message(str(exc)))) from None
    except jinja2.TemplateError as exc:
        name, line = _failing_line(exc, template)
        raise TemplateError(msg("template.runtime", "template {template}, line {line}: {error}",
                                template=name, line=line, error=exc.message or type(exc).__name__)) from None


def _shown(filename: str) -> str:
    """A template as its author knows it: the file name, not the folder it was found in."""
    return Path(filename).name if os.sep in filename or "/" in filename else filename


def _failing_line(exc: BaseException, template: str) -> tuple[str, int | str]:
    """(template, line) of the innermost template frame in the traceback: jinja2 rewrites tracebacks
    so that the frames of compiled templates carry the template's file name and line."""
    found: tuple[str, int | str] = (template, "?")
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".jinja2", ".md", ".txt")) or filename == template:
            found = (_shown(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


_UNDEFINED = (
    (re.compile(r"^'([^']+)' is undefined$"), "template.undefined-name", N_("the variable {name} is not defined")),
    (re.compile(r"^'([^']+)' has no attribute '([^']+)'$"), "template.no-attribute", N_("{owner} has no attribute {name}")),
    (re.compile(r"^([^'\s]+) has no element (.+)$"), "template.no-element", N_("{owner} has no element {name}")),
)


def undefined_message(text: str) -> Any:
    """jinja2's English for an undefined value, as a message of the catalogue (kept as it is when not recognised)."""
    for pattern, code, english in _UNDEFINED:
        m = pattern.match(text.strip())
        if m:
            owner, name = (m.group(1), m.group(2)) if m.lastindex == 2 else ("", m.group(1))
            return msg(code, english, owner=owner.removesuffix(" object").rsplit(".", 1)[-1], name=name)
    return text


_UNCLOSED = N_("the template ends before a block is closed; add the missing {{% endif %}}, {{% endfor %}} or {{% endblock %}}")
_SYNTAX = (
    (re.compile(r"^Encountered unknown tag '(\w+)'"), "template.unknown-tag",
     N_("unknown tag {what}; a block must be closed with its own end tag ({{% endif %}}, {{% endfor %}}, {{% endblock %}})")),
    (re.compile(r"^[Uu]nexpected end of template"), "template.unclosed", _UNCLOSED),
    (re.compile(r"^unexpected '(.+)'$"), "template.unexpected", N_("{what} does not belong here")),
    (re.compile(r"^expected token '(.+)', got '(.+)'$"), "template.expected", N_("expected {what} but found {found}")),
    (re.compile(r"^[Nn]o filter named '(.+)'"), "template.no-filter", N_("there is no filter named {what}")),
    (re.compile(r"^[Nn]o test named '(.+)'"), "template.no-test", N_("there is no test named {what}")),
)


def syntax_message(text: str) -> Any:
    """jinja2's English for a syntax error, as a message of the catalogue (kept as it is when not recognised)."""
    for pattern, code, english in _SYNTAX:
        m = pattern.match(text.strip())
        if m:
            return msg(code, english, what=m.group(1) if m.lastindex else "", found=m.group(2) if (m.lastindex or 0) >= 2 else "")
    return text
