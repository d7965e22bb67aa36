"""The library API: one function per step, and :func:`generate` that does them all for one plan.

``plangen generate`` and ``plangen batch`` both call these; so would any other front end.

    input mapping → PlanType + validated model → template → markup → Document → guard → .docx bytes
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangen import files, markup, prewrite, templating
from plangen.document import Document
from plangen.errors import InputError, PluginError, Problem
from plangen.i18n import Msg, msg
from plangen.inputs.common import PlanInput
from plangen.inputs.envelope import Envelope, split
from plangen.inputs.fields import validate
from plangen.inputs.reading import load_file
from plangen.plugins import Registry, get_registry
from plangen.plugins.plantype import PlanType
from plangen.writer import FontProfile, font_profile, write_docx


@dataclass(frozen=True)
class Plan:
    """A validated input, ready to be rendered."""

    plan_type: PlanType
    data: PlanInput
    fonts: FontProfile
    source: str = ""
    row: int | None = None


def plan_type_of(envelope: Envelope, registry: Registry) -> PlanType:
    """The plan type an input's envelope names, with a message that lists the known ones when it names none."""
    name = envelope.plan_type
    if name is None:
        known = ", ".join(sorted(registry.plan_types))
        raise InputError(Problem(msg(
            "input.no-type", "says no plan type; add a first line such as `type: {example}` (known: {known})",
            example=next(iter(sorted(registry.plan_types)), "NAME"), known=known), field="type"))
    if not isinstance(name, str):
        raise InputError(Problem(msg("input.type-not-name", "must be the name of a plan type"), field="type"))
    return registry.plan_type(name)


def plan_from_mapping(
    mapping: Mapping[str, Any],
    *,
    source: str = "",
    row: int | None = None,
    registry: Registry | None = None,
    fonts: str | dict[str, Any] | None = None,
) -> Plan:
    """Validate one input mapping (a parsed file, or a roster row merged over a base file)."""
    registry = registry or get_registry()
    try:
        envelope, body = split(mapping)
        plan_type = plan_type_of(envelope, registry)
        profile = font_profile(fonts if fonts is not None else envelope.fonts)
    except InputError as exc:
        raise exc.located(file=source, row=row) from None
    data = validate(plan_type.model, body, file=source, row=row)
    return Plan(plan_type=plan_type, data=data, fonts=profile, source=source, row=row)


def load_plan(path: str | os.PathLike[str], *, registry: Registry | None = None, fonts: str | dict[str, Any] | None = None) -> Plan:
    path = Path(path)
    registry = registry or get_registry()
    return plan_from_mapping(load_file(path, registry=registry), source=str(path), registry=registry, fonts=fonts)


def context_for(plan: Plan) -> dict[str, Any]:
    """The template's variables: the input's fields, ``plan``, ``plan_type`` and the plan type's own
    ``context()``. A context key may fill in a field the user left out (a worked-out default), but one
    that replaces a value the user gave, or ``plan``/``plan_type``, would silently print something
    else than the input says: that is a PluginError naming the plan type, its plugin and the key."""
    data = plan.data
    context: dict[str, Any] = {name: getattr(data, name) for name in type(data).model_fields}
    context["plan"] = data
    context["plan_type"] = plan.plan_type
    if plan.plan_type.context is not None:
        extra = plan.plan_type.context(data)
        given = data.model_fields_set
        clashes = sorted(
            key for key in extra
            if key in ("plan", "plan_type") or (key in given and extra[key] != context[key])
        )
        if clashes:
            kind = plan.plan_type
            raise PluginError(msg(
                "plugin.context-clash",
                "plan type {name} (plugin {plugin}): context() returns {keys}, which would replace the input field "
                "or variable of that name; rename the key in context()",
                name=repr(kind.name), plugin=repr(kind.plugin or "unknown"), keys=", ".join(map(repr, clashes))))
        context.update(extra)
    return context


def build_document(plan: Plan, *, registry: Registry | None = None) -> Document:
    """Render the plan type's template and parse it into the document model, then let plugins adjust it."""
    registry = registry or get_registry()
    plan_dirs = [t.templates_dir for t in registry.plan_types.values() if t.templates_dir is not None]
    own = plan.plan_type.templates_dir
    if own is not None:
        plan_dirs.remove(own)
        plan_dirs.insert(0, own)
    env = registry.environment(plan_dirs)
    text = templating.render(env, plan.plan_type.template, context_for(plan))
    doc = markup.parse(text, source=plan.plan_type.template)
    registry.hook.plangen_adjust_document(document=doc, plan=plan.data, plan_type=plan.plan_type)
    return doc


def checked_document(plan: Plan, *, registry: Registry | None = None) -> Document:
    """The plan's document once the guard has passed it (the CLI's checks, also what the web previews);
    raises GuardError naming the plan's file and row."""
    registry = registry or get_registry()
    doc = build_document(plan, registry=registry)
    try:
        prewrite.check_document(
            doc, plan=plan.data, template=plan.plan_type.template, extra_rules=registry.check_rules(), plugin=plan.plan_type.plugin, rendered=True
        )
    except InputError as exc:
        raise exc.located(file=plan.source, row=plan.row) from None
    return doc


def render_docx(plan: Plan, *, registry: Registry | None = None, notice: bool = False) -> tuple[Document, bytes]:
    """The checked document and its .docx bytes; raises GuardError instead of producing a bad file.

    ``notice``: issue the plan under a notice (关于印发《…》的通知) with header block and colophon."""
    registry = registry or get_registry()
    doc = checked_document(plan, registry=registry)
    try:
        if notice:
            from plangen import issuing
            from plangen.writer.notice import write_notice_docx

            words = issuing.notice_for(plan.data, doc)
            issuing.check_notice(words)
            return doc, write_notice_docx(doc, words, plan.fonts, subject=plan.plan_type.title)
    except InputError as exc:
        raise exc.located(file=plan.source, row=plan.row) from None
    return doc, write_docx(doc, plan.fonts, subject=plan.plan_type.title)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def safe_filename(name: str, *, limit: int = 80) -> str:
    """A file name that is valid on Windows and Linux and cannot climb out of its folder."""
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = re.sub(r"_+", "_", name).replace("..", "_")
    if not name or _RESERVED.match(name):
        name = f"_{name}" if name else "plan"
    return name[:limit]


def default_filename(plan: Plan, *, notice: bool = False) -> str:
    """东街社区-爱国卫生月活动方案.docx; issued under a notice: 东街社区-关于印发爱国卫生月活动方案的通知.docx."""
    kind = f"关于印发{plan.plan_type.title}的通知" if notice else plan.plan_type.title
    return safe_filename(f"{plan.data.unit.name}-{kind}") + ".docx"


def output_path(plan: Plan, output: str | os.PathLike[str] | None, *, notice: bool = False) -> Path:
    """``-o`` may name a .docx file or a folder (existing, or ending with a slash); default: here."""
    name = default_filename(plan, notice=notice)
    if output is None:
        return Path.cwd() / name
    text = os.fspath(output)
    out = Path(text)
    if out.is_dir() or text.endswith(("/", os.sep)) or out.suffix.lower() != ".docx":
        return out / name
    return out


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write to a new temporary file beside ``path`` and rename it, so no reader ever sees half a file and a
    link at ``path`` is refused, not written through (:func:`plangen.files.write_atomic`). ``exclusive``:
    refuse to replace anything already at ``path``."""
    files.write_atomic(path, data, exclusive=exclusive)


def generate(
    source: str | os.PathLike[str] | Mapping[str, Any],
    output: str | os.PathLike[str] | None = None,
    *,
    registry: Registry | None = None,
    fonts: str | dict[str, Any] | None = None,
    notice: bool = False,
    on_kept: Callable[[Msg], None] | None = None,
) -> Path:
    """Generate one plan from an input file (or mapping) and write it; returns the path written.

    A file already at that path that plangen did not make, or that was edited since, is moved aside as
    ``NAME.kept.docx`` first (``on_kept`` hears of it), as ``plangen batch`` does."""
    registry = registry or get_registry()
    if isinstance(source, Mapping):
        plan = plan_from_mapping(source, registry=registry, fonts=fonts)
    else:
        plan = load_plan(source, registry=registry, fonts=fonts)
    _, data = render_docx(plan, registry=registry, notice=notice)
    path = output_path(plan, output, notice=notice)
    if os.path.lexists(path) and not made_unedited(path):
        kept = files.move_aside(path)
        if on_kept is not None:
            on_kept(msg("generate.kept-aside", "{name} was not made by plangen or was edited since; it was kept as {kept} and the "
                        "new plan written as {name}", name=path.name, kept=kept.name))
    write_atomic(path, data)
    return path


def made_unedited(path: Path) -> bool:
    """Whether ``path`` is a plain .docx plangen wrote and nobody saved since: its core properties name
    plangen as creator and no one as last editor, and it has no ``docProps/app.xml`` (Word and WPS write
    both when they save). Anything else is someone's document, and is moved aside, never overwritten."""
    import zipfile

    from plangen.ooxml import safe_zip

    if files.kind(path) != "file":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/app.xml" in zf.namelist():
                return False
            core = safe_zip.read_part(zf, "docProps/core.xml", limit=64 * 1024)
    except (OSError, zipfile.BadZipFile, KeyError, safe_zip.PartRefused, ValueError):
        return False
    return b"<dc:creator>plangen</dc:creator>" in core and b"lastModifiedBy" not in core
