"""Draft → plan → preview or .docx, or the problems that stop it: written once for every page on top of
:mod:`plangen.api`, so the form, the downloads, the history and the PDF validate and check as the CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from plangen import api
from plangen.errors import InputError, Problem
from plangen.i18n import _
from plangen.inputs.envelope import with_type
from plangen.plugins.plantype import PlanType
from plangen.web import forms, html_pages
from plangen.web.core import Web, download_name, title_of


def plan_of(web: Web, kind: PlanType, data: dict[str, Any]) -> api.Plan:
    """The draft's fields validated as the CLI validates an input file of this plan type."""
    return api.plan_from_mapping(with_type(kind.name, data), registry=web.registry)


def checked(web: Web, kind: PlanType, data: dict[str, Any]) -> tuple[api.Plan | None, list[Problem], Markup | None]:
    """Validate and check as the CLI does and render the preview: (plan or None, problems, preview html)."""
    try:
        plan = plan_of(web, kind, data)
        doc = api.checked_document(plan, registry=web.registry)
    except InputError as exc:
        return None, exc.problems, None
    return plan, [], html_pages.render(doc)


@dataclass(frozen=True)
class Made:
    """A plan made into a .docx, with the file name it is downloaded under."""

    plan: api.Plan
    name: str
    data: bytes
    notice: bool


def docx(web: Web, kind: PlanType, data: dict[str, Any], *, notice: bool = False, notice_if_issuer: bool = False) -> Made | list[Problem]:
    """The .docx of these fields, or the problems that stop it.

    ``notice``: the notice version (关于印发…的通知); without an issuer (发文) that is a problem to fill in,
    unless ``notice_if_issuer`` (a history row made again), which quietly makes the plain plan instead."""
    try:
        plan = plan_of(web, kind, data)
        if notice and plan.data.issuer is None:
            if not notice_if_issuer:
                raise InputError(Problem(_("Fill in the issuer (发文) to download the notice version."), field="issuer"))
            notice = False
        return Made(plan, download_name(plan, notice=notice), api.render_docx(plan, registry=web.registry, notice=notice)[1], notice)
    except InputError as exc:
        return exc.problems


def reasons(problems: list[Problem]) -> str:
    """Problems as one line for a message page."""
    return "; ".join(str(p.message) for p in problems)


async def new_draft(web: Web, kind: PlanType, body: dict[str, Any], *, as_input: bool = True) -> Response:
    """A new draft of these fields and the way to its form; ``as_input``: the fields are an input file's
    (converted to the form's values), else already the form's."""
    values = forms.to_form_values(forms.model_nodes(kind.model), body) if as_input else body
    draft_id = await run_in_threadpool(web.store.create, kind.name, values, title_of(kind, values))
    return RedirectResponse(f"/draft/{draft_id}", status_code=303)
