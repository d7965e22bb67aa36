"""What a plan type must be to be registered, checked when its plugin registers it.

Why here and not when a plan is made: a plan type without its example wrote a 0-byte file on
``plangen new``, a field without a Chinese label showed its English name to a clerk, a field keyed
联系人 beside the shared contact made one of the two unreachable, and a field named ``plan`` hid the
template variable of that name. Each of these is the plugin author's mistake, so it is reported
once, naming the plugin, before any user meets it; the plan type is then left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from plangen.i18n import _
from plangen.inputs.common import PlanInput
from plangen.inputs.envelope import ENVELOPE_KEYS
from plangen.inputs.walk import models_in
from plangen.plugins.plantype import OMITTABLE, PlanType

TEMPLATE_VARIABLES = (
    "plan", "plan_type", "br",  # plangen's own (api.context_for, templating.jinja)
    "range", "dict", "lipsum", "cycler", "joiner", "namespace",  # jinja2's default globals
    "loop", "self", "super", "caller", "varargs", "kwargs",  # names jinja2 gives a meaning in templates
)
"""Names a template already means something by: an input field of that name would hide it."""

_CJK = re.compile(r"[\u3400-\u9fff]")


def _shared_keys() -> dict[str, str]:
    """Every top-level key plangen itself owns (the shared fields in both spellings, the envelope) →
    how to name it in a message."""
    keys = {key: key for key in ENVELOPE_KEYS}
    for name, info in PlanInput.model_fields.items():
        label = f"{info.alias}（{name}）" if info.alias else name
        keys[name] = label
        if info.alias:
            keys[info.alias] = label
    return keys


def _own_fields(model: type[BaseModel]) -> Iterator[tuple[str, str, Any]]:
    """(path, label, field info) of every field the plugin declared itself: the plan type's own
    fields and those of the models they hold, but not the shared ones plangen declares."""
    seen: set[type[BaseModel]] = set()
    stack: list[tuple[str, type[BaseModel]]] = [("", model)]
    while stack:
        prefix, current = stack.pop()
        if current in seen or current.__module__.startswith("plangen."):
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            if current is model and name in PlanInput.model_fields:
                continue
            yield f"{prefix}{name}", info.alias or "", info
            stack.extend((f"{prefix}{name}.", inner) for inner in models_in(info.annotation))


def problems(plan_type: PlanType) -> list[str]:
    """What is wrong with a plan type, one sentence each (empty when it may be registered)."""
    found: list[str] = []
    folder = plan_type.templates_dir
    if folder is None or not (Path(folder) / plan_type.template).is_file():
        found.append(_("its template {template} is not in {folder}", template=plan_type.template,
                       folder=folder or _("a templates/ folder beside the module of its model")))
    if not plan_type.example.strip():
        found.append(_("it has no example input (templates/{name}.example.yaml), so plangen new would print nothing",
                       name=plan_type.name))
    shared = _shared_keys()
    for path, label, _info in _own_fields(plan_type.model):
        if not _CJK.search(label):
            found.append(_("field {field} has no Chinese label; declare it with zh(\"中文名\", …)", field=path))
        if "." in path:
            continue
        for key in (path, label):
            if key in shared:
                found.append(_("field {field} uses the key {key}, which already means {shared}; rename the field",
                               field=path, key=key, shared=shared[key]))
        if path in TEMPLATE_VARIABLES:
            found.append(_("field {field} has the name of a template variable; rename the field", field=path))
    for name in plan_type.omits:
        if name not in OMITTABLE:
            found.append(_("omits={omits} names {name}, which is not a shared block it can leave out ({allowed})",
                           omits=plan_type.omits, name=name, allowed=", ".join(OMITTABLE)))
    return found
