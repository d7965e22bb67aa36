"""从文件新建方案类型: upload last year's file, see the proposed fields highlighted and named in
Chinese, keep, rename or drop them, mark another passage as a field, and save: the plan type is
written to the data folder's ``plan-types/`` and appears on 首页 at once (:mod:`plangen.web.learning`)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from plangen.declarative.learned import Learned, shown
from plangen.declarative.spec import NAME_RE
from plangen.errors import PlangenError
from plangen.i18n import _
from plangen.web import learning
from plangen.web.core import MAX_BODY, web_of

_LABEL = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z（）]{1,20}$")
_TITLE = re.compile(r"^[\u4e00-\u9fff（）《》“”、]{2,40}$")



async def learn_page(request: Request) -> Response:
    web = web_of(request)
    return web.page(request, "learn.html", learned=None, message="")


async def learn_upload(request: Request) -> Response:
    web = web_of(request)
    form = await web.checked_form(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return web.page(request, "learn.html", status=400, learned=None, message=_("Choose last year's file to learn from."))
    data = await file.read(MAX_BODY + 1)
    name = Path(file.filename).name
    try:
        learned = await run_in_threadpool(learning.proposal, data, name)
    except PlangenError as exc:
        return web.page(request, "learn.html", status=400, learned=None, message=str(exc))
    taken = {n for t in web.registry.plan_types.values() for n in t.names()}
    from plangen.declarative.learn import unique_title

    learned.title = unique_title(learned.title, list(web.registry.plan_types.values()))
    if learned.name in taken:
        n = 2
        while f"{learned.name}-{n}" in taken:
            n += 1
        learned.name = f"{learned.name}-{n}"
    learn_id = secrets.token_hex(8)
    await run_in_threadpool(learning.save, web, learn_id, learned)
    return RedirectResponse(f"/learn/{learn_id}", status_code=303)


def _show(request: Request, learn_id: str, learned: Learned, message: str = "", status: int = 200) -> Response:
    web = web_of(request)
    labels = {f.path: f.label for f in learned.fields}
    values = {f.path: shown(f.value) for f in learned.fields}
    return web.page(request, "learn.html", status=status, learned=learned, learn_id=learn_id, labels=labels,
                    values=values, message=message, follows=learning.follows_unit)


async def learn_review(request: Request) -> Response:
    web = web_of(request)
    learn_id = request.path_params["id"]
    return _show(request, learn_id, await run_in_threadpool(learning.load, web, learn_id))


async def learn_mark(request: Request) -> Response:
    web = web_of(request)
    learn_id = request.path_params["id"]
    form = await web.checked_form(request)
    learned = await run_in_threadpool(learning.load, web, learn_id)
    passage = str(form.get("passage") or "").strip()
    label = str(form.get("label") or "").strip()
    if not _LABEL.fullmatch(label):
        return _show(request, learn_id, learned, _("Give the new field a Chinese name of up to 20 characters."), 400)
    if learned.mark(passage, label) is None:
        return _show(request, learn_id, learned, _("{passage!r} is not in the fixed text; select a passage that is not a field yet.", passage=passage[:40]), 400)
    await run_in_threadpool(learning.save, web, learn_id, learned)
    return RedirectResponse(f"/learn/{learn_id}", status_code=303)


async def learn_save(request: Request) -> Response:
    web = web_of(request)
    learn_id = request.path_params["id"]
    form = await web.checked_form(request)
    learned = await run_in_threadpool(learning.load, web, learn_id)
    for f in list(learned.fields):
        if form.get(f"keep.{f.path}") != "1" and f.path not in ("unit.name", "dates.start", "dates.end"):
            learned.remove(f.path)
            continue
        label = str(form.get(f"label.{f.path}") or "").strip()
        if label and label != f.label:
            if not _LABEL.fullmatch(label):
                return _show(request, learn_id, learned, _("Field names are Chinese, up to 20 characters: {label!r}.", label=label), 400)
            f.label = label
    name, title = str(form.get("name") or "").strip(), str(form.get("title") or "").strip()
    taken = {n for t in web.registry.plan_types.values() for n in t.names()}
    if not NAME_RE.fullmatch(name) or len(name) > 40:
        return _show(request, learn_id, learned, _("The short name is lowercase letters, digits and hyphens, like flood-plan."), 400)
    if not _TITLE.fullmatch(title):
        return _show(request, learn_id, learned, _("The title is the Chinese name of the document kind, like 防汛应急预案."), 400)
    if name in taken or title in taken:
        return _show(request, learn_id, learned, _("A plan type named {name} already exists; choose another name and title.", name=name if name in taken else title), 400)
    learned.name, learned.title = name, title
    error = await run_in_threadpool(learning.write, web, learned)
    if error:
        return _show(request, learn_id, learned, error, 400)
    return RedirectResponse(f"/?added={name}", status_code=303)
