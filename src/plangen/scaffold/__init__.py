"""``plangen plugin new``: write an installable plugin package for a new plan type.

The files beside this module are the package's templates (``*.tmpl``). They hold jinja2 and Python
source themselves, so they are filled by plain token replacement (``[[name]]``), not by a template
engine that would read their own ``{{ }}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from plangen import files
from plangen.batch.options import quoted
from plangen.errors import InputError, OutputError, Problem
from plangen.i18n import msg

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
TITLE_RE = re.compile(r"^[\u4e00-\u9fff（）《》“”、]{2,30}$")
DEFAULT_TITLE = "专项工作方案"
_SUFFIXES = ("实施方案", "工作方案", "活动方案", "工作计划", "实施办法", "方案", "预案", "计划", "办法")
"""Endings that already say what kind of document the title is: kept, never followed by 工作方案."""
_DEFAULT_KIND = "工作方案"

# template file (beside this module) → path in the new package; tokens are allowed in the target.
FILES: dict[str, str] = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "package/__init__.py.tmpl": "[[module]]/__init__.py",
    "package/model.py.tmpl": "[[module]]/model.py",
    "package/plugin.py.tmpl": "[[module]]/plugin.py",
    "package/templates/plan.md.j2.tmpl": "[[module]]/templates/[[name]].md.j2",
    "package/templates/example.yaml.tmpl": "[[module]]/templates/[[name]].example.yaml",
    "tests/conftest.py.tmpl": "tests/conftest.py",
    "tests/test_plugin.py.tmpl": "tests/test_[[slug]].py",
}


@dataclass(frozen=True)
class TypeNames:
    """Every spelling of the new plan type's name the files need."""

    name: str  # flood-drill: the plan type and entry-point name
    title: str  # 防汛演练方案
    subject: str  # 防汛演练: what the plan is about, used in its wording
    kind: str = _DEFAULT_KIND  # 方案, 预案, 工作计划…: what the document title ends in after the subject

    @property
    def noun(self) -> str:
        """How the document calls itself in its own text: 本方案, 本预案, 本计划, 本办法."""
        return self.kind[-2:]

    @property
    def slug(self) -> str:
        return self.name.replace("-", "_")

    @property
    def module(self) -> str:
        return f"plangen_{self.slug}"

    @property
    def dist(self) -> str:
        return f"plangen-{self.name}"

    @property
    def cls(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("-"))

    def tokens(self) -> dict[str, str]:
        return {
            "name": self.name, "title": self.title, "subject": self.subject, "slug": self.slug,
            "module": self.module, "dist": self.dist, "cls": self.cls, "kind": self.kind, "noun": self.noun,
        }


def names(name: str, title: str | None = None) -> TypeNames:
    """Check the name and title a user gave and work out the rest."""
    if not NAME_RE.fullmatch(name) or len(name) > 40:
        raise InputError(Problem(msg("scaffold.bad-name", "{name} is not a plan type name: use lowercase letters, digits and hyphens, like flood-drill", name=quoted(name)), field="NAME"))
    title = (title or DEFAULT_TITLE).strip()
    if not TITLE_RE.fullmatch(title):
        raise InputError(Problem(msg("scaffold.bad-title", "{title} is not a Chinese document title like 防汛演练方案", title=quoted(title)), field="--title"))
    for suffix in _SUFFIXES:
        if title.endswith(suffix) and len(title) > len(suffix):
            return TypeNames(name=name, title=title, subject=title[: -len(suffix)], kind=suffix)
    return TypeNames(name=name, title=title, subject=title)


def fill(text: str, tokens: dict[str, str]) -> str:
    out = re.sub(r"\[\[(\w+)\]\]", lambda m: tokens[m.group(1)], text)
    return out


def create(name: str, dest: Path, *, title: str | None = None) -> list[Path]:
    """Write the plugin package into ``dest`` (new or empty); return the files written."""
    spelled = names(name, title)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(Problem(msg("scaffold.folder-not-empty", "{folder} already exists and is not an empty folder; choose another -o", folder=dest), field="-o"))
    tokens = spelled.tokens()
    root = resources.files(__name__)
    written: list[Path] = []
    try:
        for source, target in FILES.items():
            path = dest / fill(target, tokens)
            # created exclusively: a file or link that appears in the folder meanwhile is never written through
            files.write_atomic(path, fill(root.joinpath(source).read_text(encoding="utf-8"), tokens).encode("utf-8"), exclusive=True)
            written.append(path)
    except OSError as exc:
        raise OutputError(msg("scaffold.cannot-write", "cannot write the plugin into {folder}: {reason}", folder=dest, reason=exc.strerror or exc)) from None
    return written
