"""首页 and the draft form: a new draft, showing and saving it with its preview, its .docx and its YAML,
and a draft opened from an uploaded input file."""

from __future__ import annotations

import functools
import secrets

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from plangen import api, sample_words
from plangen.i18n import _
from plangen.inputs.envelope import without_columns
from plangen.inputs.nextyear import earlier_references, plan_year
from plangen.inputs.reading import MAX_INPUT_BYTES
from plangen.web import forms, service
from plangen.web.core import CSRF_FIELD, attachment, input_yaml, problems_for, read_input, title_of, web_of
from plangen.web.shield import cross_site
from plangen.web.store import Conflict

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def conflict(version: int) -> Response:
    """409: another tab or window saved this draft since this form loaded it (its version is ``version``)."""
    text = _("This draft was changed in another tab or window after this page opened. Load that version, or keep "
             "yours and replace it.")
    return HTMLResponse(f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>plangen</title><body>'
                        f'<p class="error" data-version="{version}">{Markup.escape(text)}</p></body></html>', status_code=409)


async def home(request: Request) -> Response:
    web = web_of(request)
    kinds = sorted(web.registry.plan_types.values(), key=lambda k: k.name)
    drafts = await run_in_threadpool(web.store.recent, 12)
    titles = {k.name: k.title for k in kinds}
    return web.page(request, "home.html", kinds=kinds, drafts=drafts, titles=titles)


async def new_draft_page(request: Request) -> Response:
    """A link to a new draft only shows this page; the draft is made by its form's POST (app.js sends it at
    once), so another site's ``<img src=/new/…>`` makes nothing."""
    web = web_of(request)
    kind = web.plan_type(request.path_params["name"])
    return web.page(request, "new.html", kind=kind)


async def new_draft(request: Request) -> Response:
    web = web_of(request)
    kind = web.plan_type(request.path_params["name"])
    await web.checked_form(request)
    return await service.new_draft(web, kind, web.example_values(kind), as_input=False)


async def show_draft(request: Request) -> Response:
    web = web_of(request)
    draft = web.draft(request.path_params["id"])
    kind = web.plan_type(draft.plan_type)
    plan, problems, pages = await run_in_threadpool(service.checked, web, kind, draft.data)
    year = plan_year(draft.data)
    return web.page(
        request, "form.html", draft=draft, kind=kind, nodes=forms.model_nodes(kind.model), tab=secrets.token_hex(8),
        earlier=earlier_references(draft.data, year) if year else [],
        values=draft.data, problems=problems_for(problems, kind), pages=web.good_pages(draft.id, pages),
        notice=plan is not None and plan.data.issuer is not None,
    )


async def save_draft(request: Request) -> Response:
    web = web_of(request)
    draft = web.draft(request.path_params["id"])
    kind = web.plan_type(draft.plan_type)
    form = await web.checked_form(request)
    pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in (CSRF_FIELD, "_version", "_tab", "_keep")]
    data = forms.form_to_mapping(forms.model_nodes(kind.model), pairs)
    # the example's words, for the unit typed: a 村's draft shows 村卫生室 as soon as the 村 is named
    data, mended = sample_words.mend_input(data, kind.example, getattr(kind.model, "example_own_level", ()))
    given = str(form.get("_version") or "")
    base = int(given) if given.isascii() and given.isdigit() and len(given) < 12 else None
    if form.get("_keep") == "1":
        base = None  # "保留我的内容" after a conflict: this save replaces whatever was saved since
    try:
        await run_in_threadpool(functools.partial(web.store.save, draft.id, data, title_of(kind, data), base=base,
                                                  writer=str(form.get("_tab") or "")[:64]))
    except Conflict as exc:
        return conflict(int(exc.args[0]))
    plan, problems, pages = await run_in_threadpool(service.checked, web, kind, data)
    web.good_pages(draft.id, pages)
    return web.page(request, "_result.html", problems=problems_for(problems, kind), pages=pages, oob=True,
                    draft=draft, notice=plan is not None and plan.data.issuer is not None,
                    mended=[(forms.form_name(loc), old, new) for loc, old, new in mended])


async def download_docx(request: Request) -> Response:
    web = web_of(request)
    draft = web.draft(request.path_params["id"])
    kind = web.plan_type(draft.plan_type)
    notice = request.query_params.get("notice") == "1"
    made = await run_in_threadpool(functools.partial(service.docx, web, kind, draft.data, notice=notice))
    if isinstance(made, list):
        return web.page(request, "problems.html", status=422, draft=draft, problems=problems_for(made, kind))
    if not cross_site(request.headers):
        await run_in_threadpool(web.store.record, kind.name, draft.title or kind.title, made.name, "notice" if notice else "docx",
                                input_yaml(kind, draft.data), draft.id)
    return attachment(made.data, made.name, DOCX)


async def download_yaml(request: Request) -> Response:
    web = web_of(request)
    draft = web.draft(request.path_params["id"])
    kind = web.plan_type(draft.plan_type)
    text = input_yaml(kind, draft.data)
    name = api.safe_filename(draft.title or kind.title) + ".yaml"
    return attachment(text.encode("utf-8"), name, "application/x-yaml; charset=utf-8")


async def open_yaml(request: Request) -> Response:
    web = web_of(request)
    form = await web.checked_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return web.page(request, "message.html", status=400, message=_("Choose a YAML file to open."))
    found = read_input(web, await upload.read(MAX_INPUT_BYTES + 1))
    if isinstance(found, str):
        return web.page(request, "message.html", status=400, message=found)
    kind, body = found
    return await service.new_draft(web, kind, without_columns(body))
