"""从文件新建方案类型: upload last year's file, see the proposed fields highlighted and named in
Chinese, keep, rename or drop them, mark another passage as a field, and save: the plan type is
written to the data folder's ``plan-types/`` and appears on 首页 at once.

The proposal between requests is a JSON file under ``learn/`` named by a random hex id; every POST
goes through the CSRF check; the upload is read in memory within the 20 MB cap.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from plangen.declarative.learned import Learned, shown
from plangen.declarative.spec import NAME_RE
from plangen.errors import PlangenError
from plangen.i18n import _
from plangen.web.core import MAX_BODY, Web

TYPES = "plan-types"
_ID = re.compile(r"^[0-9a-f]{16}$")
_LABEL = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z（）]{1,20}$")
_TITLE = re.compile(r"^[\u4e00-\u9fff（）《》“”、]{2,40}$")


def types_dir(web: Web) -> Path:
    return web.store.path.parent / TYPES


def install(web: Web) -> None:
    """Make the data folder's plan types part of the app: loaded now, and by batch workers too."""
    folder = types_dir(web)
    folder.mkdir(parents=True, exist_ok=True)
    web.plugins_dirs = (*web.plugins_dirs, folder)
    if any(p.is_dir() for p in folder.iterdir()):
        reload_registry(web)


def reload_registry(web: Web) -> None:
    """Load the plugins again, the data folder's plan types included (a new one appears at once)."""
    from plangen.plugins.loading import plugins_dirs_from_env
    from plangen.plugins.registry import build_registry

    dirs = list(dict.fromkeys([*plugins_dirs_from_env(), *web.plugins_dirs]))
    web.registry = build_registry(dirs, templates_dirs=getattr(web.registry, "templates_dirs", ()))


def _path(web: Web, learn_id: str) -> Path:
    if not _ID.fullmatch(learn_id):
        raise HTTPException(404)
    return web.store.path.parent / "learn" / f"{learn_id}.json"


def _load(web: Web, learn_id: str) -> Learned:
    path = _path(web, learn_id)
    if not path.is_file():
        raise HTTPException(404)
    return Learned.from_json(json.loads(path.read_text(encoding="utf-8")))


def _save(web: Web, learn_id: str, learned: Learned) -> None:
    path = _path(web, learn_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(learned.to_json(), ensure_ascii=False, default=str), encoding="utf-8")


def _propose(data: bytes, filename: str) -> Learned:
    from plangen.declarative.learn import propose

    return propose(Path(filename), data, label=filename)


def _follows_unit(segment: Any) -> bool:
    """A level word (我县, 各乡镇（街道）, 镇党委): printed from the unit, not a field of its own."""
    return bool(segment.field == "unit.name" and segment.expr not in ("{{ unit.name }}", "{{ unit.full_name }}"))


def routes(web: Web) -> list[Route]:
    install(web)

    async def learn_page(request: Request) -> Response:
        return web.page(request, "learn.html", learned=None, message="")

    async def upload(request: Request) -> Response:
        form = await web.checked_form(request)
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            return web.page(request, "learn.html", status=400, learned=None, message=_("Choose last year's file to learn from."))
        data = await file.read(MAX_BODY + 1)
        name = Path(file.filename).name
        try:
            learned = await run_in_threadpool(_propose, data, name)
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
        await run_in_threadpool(_save, web, learn_id, learned)
        return RedirectResponse(f"/learn/{learn_id}", status_code=303)

    def show(request: Request, learn_id: str, learned: Learned, message: str = "", status: int = 200) -> Response:
        labels = {f.path: f.label for f in learned.fields}
        values = {f.path: shown(f.value) for f in learned.fields}
        return web.page(request, "learn.html", status=status, learned=learned, learn_id=learn_id, labels=labels,
                        values=values, message=message, follows=_follows_unit)

    async def review(request: Request) -> Response:
        learn_id = request.path_params["id"]
        return show(request, learn_id, await run_in_threadpool(_load, web, learn_id))

    async def mark(request: Request) -> Response:
        learn_id = request.path_params["id"]
        form = await web.checked_form(request)
        learned = await run_in_threadpool(_load, web, learn_id)
        passage = str(form.get("passage") or "").strip()
        label = str(form.get("label") or "").strip()
        if not _LABEL.fullmatch(label):
            return show(request, learn_id, learned, _("Give the new field a Chinese name of up to 20 characters."), 400)
        if learned.mark(passage, label) is None:
            return show(request, learn_id, learned, _("{passage!r} is not in the fixed text; select a passage that is not a field yet.", passage=passage[:40]), 400)
        await run_in_threadpool(_save, web, learn_id, learned)
        return RedirectResponse(f"/learn/{learn_id}", status_code=303)

    async def save(request: Request) -> Response:
        learn_id = request.path_params["id"]
        form = await web.checked_form(request)
        learned = await run_in_threadpool(_load, web, learn_id)
        for f in list(learned.fields):
            if form.get(f"keep.{f.path}") != "1" and f.path not in ("unit.name", "dates.start", "dates.end"):
                learned.remove(f.path)
                continue
            label = str(form.get(f"label.{f.path}") or "").strip()
            if label and label != f.label:
                if not _LABEL.fullmatch(label):
                    return show(request, learn_id, learned, _("Field names are Chinese, up to 20 characters: {label!r}.", label=label), 400)
                f.label = label
        name, title = str(form.get("name") or "").strip(), str(form.get("title") or "").strip()
        taken = {n for t in web.registry.plan_types.values() for n in t.names()}
        if not NAME_RE.fullmatch(name) or len(name) > 40:
            return show(request, learn_id, learned, _("The short name is lowercase letters, digits and hyphens, like flood-plan."), 400)
        if not _TITLE.fullmatch(title):
            return show(request, learn_id, learned, _("The title is the Chinese name of the document kind, like 防汛应急预案."), 400)
        if name in taken or title in taken:
            return show(request, learn_id, learned, _("A plan type named {name} already exists; choose another name and title.", name=name if name in taken else title), 400)
        learned.name, learned.title = name, title
        error = await run_in_threadpool(_write, web, learned)
        if error:
            return show(request, learn_id, learned, error, 400)
        return RedirectResponse(f"/?added={name}", status_code=303)

    return [
        Route("/learn", learn_page),
        Route("/learn", upload, methods=["POST"]),
        Route("/learn/{id}", review),
        Route("/learn/{id}/mark", mark, methods=["POST"]),
        Route("/learn/{id}/save", save, methods=["POST"]),
    ]


def _write(web: Web, learned: Learned) -> str:
    """Write the folder and load it; a folder that does not load is taken away again (message returned)."""
    from plangen.declarative.emit import write_folder
    from plangen.declarative.plugin import load_folder

    folder = write_folder(learned, types_dir(web))
    try:
        load_folder(folder)
    except PlangenError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return str(exc)
    reload_registry(web)
    return ""
