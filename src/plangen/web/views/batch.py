"""批量生成: upload a roster and a base, correct the column map with a look at the first plans, run the
batch in a process of its own and follow it, download the plans, the index and the rows with problems.
Batches are only named by their random hex id (:func:`plangen.web.batch.folder_of`)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import yaml
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from plangen.errors import InputError
from plangen.i18n import _
from plangen.web import batch as B
from plangen.web.core import Web, attachment, is_number, read_input, web_of
from plangen.web.jobstate import BatchMeta, JobState, alive

CHUNK = 1024 * 1024


def _drafts_by_type(web: Web) -> list[tuple[Any, list[Any]]]:
    kinds = sorted(web.registry.plan_types.values(), key=lambda k: k.name)
    drafts = web.store.recent(500)
    return [(k, [d for d in drafts if d.plan_type == k.name]) for k in kinds]


async def batch_page(request: Request) -> Response:
    return await _batch_page(request)


async def _batch_page(request: Request, message: str | None = None, status: int = 200) -> Response:
    web = web_of(request)
    groups = await run_in_threadpool(_drafts_by_type, web)
    batches = await run_in_threadpool(B.recent, web.batches)
    titles = {k.name: k.title for k in web.registry.plan_types.values()}
    # the draft just made (the one changed last) is the base a clerk means, unless one is named
    asked = request.query_params.get("draft", "")
    latest = max((d for _, drafts in groups for d in drafts), key=lambda d: (d.updated, d.id), default=None)
    selected = int(asked) if asked.isdigit() else (latest.id if latest else None)
    return web.page(request, "batch.html", status=status, groups=groups, message=message, batches=batches, titles=titles, selected=selected,
                    when=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)))


def _folder(request: Request) -> tuple[str, Path, BatchMeta]:
    web = web_of(request)
    batch_id = request.path_params["id"]
    try:
        where = B.folder_of(web.batches, batch_id)
    except KeyError:
        raise HTTPException(404) from None
    meta = BatchMeta.load(where)
    if meta is None or meta.plan_type not in web.registry.plan_types:
        raise HTTPException(404)
    return batch_id, where, meta


async def batch_create(request: Request) -> Response:
    web = web_of(request)
    form = await web.checked_form(request)
    roster = form.get("roster")
    if not isinstance(roster, UploadFile) or not roster.filename:
        return await _batch_page(request, _("Choose the roster (.xlsx or .csv) to upload."), 400)
    head = await roster.read(8192)
    try:
        suffix = B.roster_suffix(roster.filename, head)
    except B.Refused as exc:
        return await _batch_page(request, str(exc), 400)
    base_file = form.get("base_file")
    choice = str(form.get("base") or "")
    if isinstance(base_file, UploadFile) and base_file.filename:
        found = read_input(web, await base_file.read(2 * 1024 * 1024 + 1))
        if isinstance(found, str):
            return await _batch_page(request, found, 400)
        kind, data = found
        title = kind.title
    elif is_number(choice):
        draft = web.draft(choice)
        kind, data, title = web.plan_type(draft.plan_type), draft.data, draft.title
    else:
        return await _batch_page(request, _("Choose the base draft, or upload a base YAML file."), 400)
    await run_in_threadpool(B.prune, web.batches, B.KEPT_BATCHES - 1)
    batch_id = B.new_id()
    where = web.batches / batch_id
    where.mkdir(parents=True)
    try:
        with (where / f"roster{suffix}").open("wb") as fh:
            fh.write(head)
            while chunk := await roster.read(CHUNK):
                fh.write(chunk)
        B.base_path(where).write_text(B.base_yaml(kind.name, data), encoding="utf-8")  # written once: the map chosen later goes in job.json
        headers = await run_in_threadpool(B.headers_of, where / f"roster{suffix}")
    except InputError as exc:
        shutil.rmtree(where, ignore_errors=True)
        reason = "; ".join(str(p.message) for p in exc.problems)
        return await _batch_page(request, _("This roster cannot be read: {reason}", reason=reason), 400)
    except BaseException:
        shutil.rmtree(where, ignore_errors=True)
        raise
    name = Path(roster.filename.replace("\\", "/")).name[:120]
    BatchMeta(kind.name, headers, name, title or kind.title, time.time()).save(where)
    return RedirectResponse(f"/batch/{batch_id}", status_code=303)


async def batch_show(request: Request) -> Response:
    return await _batch_show(request)


async def _batch_show(request: Request, message: str | None = None, status: int = 200,
                      chosen: dict[str, str | None] | None = None, same_people: bool = False) -> Response:
    web = web_of(request)
    batch_id, where, meta = _folder(request)
    kind = web.plan_type(meta.plan_type)
    state = JobState.load(where)
    columns: list[B.Column] = []
    choices: list[tuple[str, str]] = []
    look: Any = None
    if state is None:
        columns = B.current_columns(kind, meta.headers, _base(where))
        if chosen is not None:
            columns = [B.Column(c.index, c.header, chosen.get(c.header) or B.UNUSED, c.known) for c in columns]
        choices = B.field_choices(kind, [c.chosen for c in columns])
        mapping = chosen if chosen is not None else {c.header: c.chosen or None for c in columns}
        look = await run_in_threadpool(B.preview_of, where, mapping, web.registry, same_people)
    return web.page(request, "batch_run.html", status=status, id=batch_id, meta=meta, kind=kind, columns=columns,
                    choices=choices, message=message, state=state, look=look, same_people=same_people,
                    **_status_context(web, batch_id, where, state))


def _base(where: Path) -> dict[str, Any]:
    """The base as uploaded (its own ``columns:`` included), for the map the page starts from."""
    return yaml.safe_load(B.base_path(where).read_text(encoding="utf-8")) or {}


def _status_context(web: Web, batch_id: str, where: Path, state: JobState | None) -> dict[str, Any]:
    if state is not None and state.running:
        job = web.jobs.get(batch_id)
        ended = job.poll() is not None if job is not None else not alive(state.pid)
        state = state.settled(where, ended)  # the job stopped without saying so (killed), or a restarted server finds it gone
    rows, count = B.bad_rows(where) if state is not None and state.state == "done" else ([], 0)
    return {"st": state, "bad": rows, "bad_count": count}


async def batch_run(request: Request) -> Response:
    web = web_of(request)
    batch_id, where, meta = _folder(request)
    form = await web.checked_form(request)
    if JobState.load(where) is not None:
        return RedirectResponse(f"/batch/{batch_id}", status_code=303)
    kind = web.plan_type(meta.plan_type)
    columns = B.current_columns(kind, meta.headers, _base(where))
    allowed = {c[0] for c in B.field_choices(kind, [c.chosen for c in columns])} | {B.UNUSED}
    chosen: dict[str, str | None] = {}
    for c in columns:
        value = form.get(f"col{c.index}", B.UNUSED)
        if not isinstance(value, str) or value not in allowed:
            raise HTTPException(400)
        chosen[c.header] = value or None
    same_people = form.get("same_people") == "1"
    if form.get("action") == "preview":  # look again with the corrected map; nothing runs
        return await _batch_show(request, chosen=chosen, same_people=same_people)
    try:
        await run_in_threadpool(B.check_map, where, chosen, web.registry, same_people)
    except InputError as exc:
        reason = "; ".join(str(p.message) for p in exc.problems)
        return await _batch_show(request, _("This column map cannot be used: {reason}", reason=reason), 400,
                                 chosen=chosen, same_people=same_people)
    web.jobs[batch_id] = await run_in_threadpool(B.start, where.resolve(), chosen, web.plugins_dirs,
                                                 tuple(getattr(web.registry, "templates_dirs", ())), same_people)
    return RedirectResponse(f"/batch/{batch_id}", status_code=303)


async def batch_status(request: Request) -> Response:
    web = web_of(request)
    batch_id, where, meta = _folder(request)
    state = JobState.load(where)
    if state is None:
        raise HTTPException(404)
    return web.page(request, "_batch_status.html", id=batch_id, meta=meta, **_status_context(web, batch_id, where, state))


async def batch_file(request: Request) -> Response:
    web = web_of(request)
    batch_id, where, meta = _folder(request)
    what = request.path_params["what"]
    state = JobState.load(where) or JobState("starting")
    out = where / "out"
    kind = web.plan_type(meta.plan_type)
    if what == "plans.zip" and state.zip:
        path, name, media = out / "plans.zip", f"{kind.title}（批量）.zip", "application/zip"
    elif what == "index" and state.index in ("index.csv", "index.xlsx"):
        path = out / str(state.index)
        name = _("index of the plans") + path.suffix
        media = "text/csv; charset=utf-8" if path.suffix == ".csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif what == "errors.csv" and state.errors:
        path, name, media = out / "errors.csv", _("rows with problems") + ".csv", "text/csv; charset=utf-8"
    else:
        raise HTTPException(404)
    if not path.is_file():
        raise HTTPException(404)
    response = attachment(b"", name, media)
    return FileResponse(path, media_type=media, headers={"content-disposition": response.headers["content-disposition"]})
