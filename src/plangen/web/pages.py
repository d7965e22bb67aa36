"""The pages beside the form: 批量生成 (batch), 格式检查 (check), 格式修正 (fix) and 历史 (history).

Same rules as the rest of the app: every POST through :meth:`Web.checked_form` (CSRF), uploads read
within the 20 MB body cap and checked by content, routes take only ids (hex for batches, numbers for
history), and library errors are shown as one Chinese sentence with the library's reason.
"""

from __future__ import annotations

import logging
import re
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
from starlette.routing import Route

from plangen import api
from plangen.errors import InputError, PlangenError, Problem
from plangen.i18n import _
from plangen.web import batch as B
from plangen.web import fixes as F
from plangen.web.core import Web, attachment, clean_file_name, download_name, input_yaml, is_number, problems_for, read_input, title_of
from plangen.web.shield import cross_site

log = logging.getLogger("plangen.web")
CHUNK = 1024 * 1024
MAX_DOCX = 20 * 1024 * 1024


def routes(web: Web) -> list[Route]:
    # ---- 批量生成 ------------------------------------------------------------------------------

    def drafts_by_type() -> list[tuple[Any, list[Any]]]:
        kinds = sorted(web.registry.plan_types.values(), key=lambda k: k.name)
        drafts = web.store.recent(500)
        return [(k, [d for d in drafts if d.plan_type == k.name]) for k in kinds]

    async def batch_page(request: Request, message: str | None = None, status: int = 200) -> Response:
        groups = await run_in_threadpool(drafts_by_type)
        batches = await run_in_threadpool(B.recent, web.batches)
        titles = {k.name: k.title for k in web.registry.plan_types.values()}
        # the draft just made (the one changed last) is the base a clerk means, unless one is named
        asked = request.query_params.get("draft", "")
        latest = max((d for _, drafts in groups for d in drafts), key=lambda d: (d.updated, d.id), default=None)
        selected = int(asked) if asked.isdigit() else (latest.id if latest else None)
        return web.page(request, "batch.html", status=status, groups=groups, message=message, batches=batches, titles=titles, selected=selected,
                        when=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)))

    def folder(request: Request) -> tuple[str, Path, dict[str, Any]]:
        batch_id = request.path_params["id"]
        try:
            where = B.folder_of(web.batches, batch_id)
        except KeyError:
            raise HTTPException(404) from None
        meta = B.read_json(where / "meta.json")
        if not isinstance(meta, dict) or meta.get("plan_type") not in web.registry.plan_types:
            raise HTTPException(404)
        return batch_id, where, meta

    async def batch_create(request: Request) -> Response:
        form = await web.checked_form(request)
        roster = form.get("roster")
        if not isinstance(roster, UploadFile) or not roster.filename:
            return await batch_page(request, _("Choose the roster (.xlsx or .csv) to upload."), 400)
        head = await roster.read(8192)
        try:
            suffix = B.roster_suffix(roster.filename, head)
        except B.Refused as exc:
            return await batch_page(request, str(exc), 400)
        base_file = form.get("base_file")
        choice = str(form.get("base") or "")
        if isinstance(base_file, UploadFile) and base_file.filename:
            found = read_input(web, await base_file.read(2 * 1024 * 1024 + 1))
            if isinstance(found, str):
                return await batch_page(request, found, 400)
            kind, data = found
            title = kind.title
        elif is_number(choice):
            draft = web.draft(choice)
            kind, data, title = web.plan_type(draft.plan_type), draft.data, draft.title
        else:
            return await batch_page(request, _("Choose the base draft, or upload a base YAML file."), 400)
        await run_in_threadpool(B.prune, web.batches, B.KEPT_BATCHES - 1)
        batch_id = B.new_id()
        where = web.batches / batch_id
        where.mkdir(parents=True)
        try:
            with (where / f"roster{suffix}").open("wb") as fh:
                fh.write(head)
                while chunk := await roster.read(CHUNK):
                    fh.write(chunk)
            (where / "base.yaml").write_text(B.base_yaml(kind.name, data), encoding="utf-8")
            headers = await run_in_threadpool(_headers, where / f"roster{suffix}")
        except InputError as exc:
            shutil.rmtree(where, ignore_errors=True)
            reason = "; ".join(str(p.message) for p in exc.problems)
            return await batch_page(request, _("This roster cannot be read: {reason}", reason=reason), 400)
        except BaseException:
            shutil.rmtree(where, ignore_errors=True)
            raise
        name = Path(roster.filename.replace("\\", "/")).name[:120]
        B.write_json(where / "meta.json", {"plan_type": kind.name, "headers": headers, "roster": name, "base": title or kind.title,
                                            "created": time.time()})
        return RedirectResponse(f"/batch/{batch_id}", status_code=303)

    async def batch_show(request: Request, message: str | None = None, status: int = 200,
                         chosen: dict[str, str | None] | None = None, same_people: bool = False) -> Response:
        batch_id, where, meta = folder(request)
        kind = web.plan_type(meta["plan_type"])
        state = B.read_json(where / "status.json")
        columns: list[B.Column] = []
        choices: list[tuple[str, str]] = []
        look: Any = None
        if state is None:
            base = yaml.safe_load((where / "base.yaml").read_text(encoding="utf-8")) or {}
            columns = B.current_columns(kind, meta["headers"], base)
            if chosen is not None:
                columns = [B.Column(c.index, c.header, chosen.get(c.header) or B.UNUSED, c.known) for c in columns]
            choices = B.field_choices(kind, [c.chosen for c in columns])
            mapping = chosen if chosen is not None else {c.header: c.chosen or None for c in columns}
            look = await run_in_threadpool(_preview, where, mapping, web.registry, same_people)
        return web.page(request, "batch_run.html", status=status, id=batch_id, meta=meta, kind=kind, columns=columns,
                        choices=choices, message=message, state=state, look=look, same_people=same_people,
                        **status_context(batch_id, where, state))

    def status_context(batch_id: str, where: Path, state: Any) -> dict[str, Any]:
        if isinstance(state, dict) and state.get("state") in ("starting", "running"):
            job = web.jobs.get(batch_id)
            ended = job.poll() is not None if job is not None else not B.alive(state.get("pid"))
            if ended:  # the job stopped without saying so (killed), or a restarted server finds it gone
                state = B.read_json(where / "status.json") or state
                if state.get("state") in ("starting", "running"):
                    state = {**state, "state": "failed", "message": ""}
        rows, count = B.bad_rows(where) if isinstance(state, dict) and state.get("state") == "done" else ([], 0)
        return {"st": state, "bad": rows, "bad_count": count}

    async def batch_run(request: Request) -> Response:
        batch_id, where, meta = folder(request)
        form = await web.checked_form(request)
        if B.read_json(where / "status.json") is not None:
            return RedirectResponse(f"/batch/{batch_id}", status_code=303)
        kind = web.plan_type(meta["plan_type"])
        base = yaml.safe_load((where / "base.yaml").read_text(encoding="utf-8")) or {}
        columns = B.current_columns(kind, meta["headers"], base)
        allowed = {c[0] for c in B.field_choices(kind, [c.chosen for c in columns])} | {B.UNUSED}
        chosen: dict[str, str | None] = {}
        for c in columns:
            value = form.get(f"col{c.index}", B.UNUSED)
            if not isinstance(value, str) or value not in allowed:
                raise HTTPException(400)
            chosen[c.header] = value or None
        same_people = form.get("same_people") == "1"
        if form.get("action") == "preview":  # look again with the corrected map; nothing runs
            return await batch_show(request, chosen=chosen, same_people=same_people)
        try:
            await run_in_threadpool(_prepare, where, chosen, web.registry, same_people)
        except InputError as exc:
            reason = "; ".join(str(p.message) for p in exc.problems)
            return await batch_show(request, _("This column map cannot be used: {reason}", reason=reason), 400,
                                    chosen=chosen, same_people=same_people)
        web.jobs[batch_id] = await run_in_threadpool(B.start, where.resolve(), chosen, web.plugins_dirs,
                                                     tuple(getattr(web.registry, "templates_dirs", ())), same_people)
        return RedirectResponse(f"/batch/{batch_id}", status_code=303)

    async def batch_status(request: Request) -> Response:
        batch_id, where, meta = folder(request)
        state = B.read_json(where / "status.json")
        if state is None:
            raise HTTPException(404)
        return web.page(request, "_batch_status.html", id=batch_id, meta=meta, **status_context(batch_id, where, state))

    async def batch_file(request: Request) -> Response:
        batch_id, where, meta = folder(request)
        what = request.path_params["what"]
        state = B.read_json(where / "status.json") or {}
        out = where / "out"
        kind = web.plan_type(meta["plan_type"])
        if what == "plans.zip" and state.get("zip"):
            path, name, media = out / "plans.zip", f"{kind.title}（批量）.zip", "application/zip"
        elif what == "index" and state.get("index") in ("index.csv", "index.xlsx"):
            path = out / state["index"]
            name = _("index of the plans") + path.suffix
            media = "text/csv; charset=utf-8" if path.suffix == ".csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif what == "errors.csv" and state.get("errors"):
            path, name, media = out / "errors.csv", _("rows with problems") + ".csv", "text/csv; charset=utf-8"
        else:
            raise HTTPException(404)
        if not path.is_file():
            raise HTTPException(404)
        response = attachment(b"", name, media)
        return FileResponse(path, media_type=media, headers={"content-disposition": response.headers["content-disposition"]})

    # ---- 格式检查 ------------------------------------------------------------------------------

    async def check_page(request: Request) -> Response:
        return web.page(request, "check.html", findings=None, filename=None, message=None, groups=[])

    async def check_upload(request: Request) -> Response:
        form = await web.checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return web.page(request, "check.html", status=400, findings=None, filename=None, message=_("Choose a .docx file to check."))
        data = await upload.read(MAX_DOCX + 1)
        name = clean_file_name(Path(upload.filename.replace("\\", "/")).name)[:120] or "document.docx"
        message = None
        if len(data) > MAX_DOCX:
            message = _("The upload is larger than 20 MB; choose a smaller file.")
        elif data[:8].startswith(b"\xd0\xcf\x11\xe0"):
            message = _("This is an old .doc file (or an encrypted .docx); open it in Word or WPS, save it as .docx without a password, and upload that.")
        elif not data.startswith(b"PK\x03\x04"):
            message = _("This is not a .docx file; choose a Word document saved as .docx.")
        findings = None
        if message is None:
            from plangen.check import UnreadableFile, check

            try:
                findings = await run_in_threadpool(check, data, name=name, extra_rules=web.registry.check_rules())
            except (UnreadableFile, PlangenError) as exc:
                message = _("This document cannot be read: {reason}", reason=str(exc).removeprefix(name + ": "))
        return web.page(request, "check.html", status=400 if message else 200, findings=findings, filename=name, message=message,
                        groups=_by_rule(findings or []))

    # ---- 格式修正 ------------------------------------------------------------------------------

    def fix_view(request: Request, status: int = 200, **context: Any) -> Response:
        values: dict[str, Any] = {"filename": None, "message": None, "changes": None, "person": [], "fix_id": None, "download": None}
        return web.page(request, "fix.html", status=status, **{**values, **context})

    async def fix_page(request: Request) -> Response:
        return fix_view(request)

    async def fix_upload(request: Request) -> Response:
        form = await web.checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return fix_view(request, 400, message=_("Choose a document to fix (.docx, .txt or .md)."))
        data = await upload.read(MAX_DOCX + 1)
        given = clean_file_name(Path(upload.filename.replace("\\", "/")).name)
        name = Path(given).stem[:100] + Path(given).suffix[:10] if given else "document.docx"
        if len(data) > MAX_DOCX:
            return fix_view(request, 400, filename=name, message=_("The upload is larger than 20 MB; choose a smaller file."))
        refused = F.refusal(name, data[:4096], web.converts)
        if refused is not None:
            return fix_view(request, 400, filename=name, message=refused)
        from plangen.fix import fix_document, output_name

        try:
            result = await run_in_threadpool(fix_document, name, data, name=name)
        except PlangenError as exc:
            return fix_view(request, 400, filename=name, message=_("This document cannot be read: {reason}", reason=F.reason(str(exc), name)))
        download = output_name(name)
        fix_id = await run_in_threadpool(F.keep, web.fixes, result.data, download)
        changes, person = F.rows(result.report)
        return fix_view(request, filename=name, changes=changes, person=person, fix_id=fix_id, download=download)

    async def fix_file(request: Request) -> Response:
        found = F.kept(web.fixes, request.path_params["id"])
        if found is None:
            raise HTTPException(404)
        path, name = found
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        response = attachment(b"", name, media)
        return FileResponse(path, media_type=media, headers={"content-disposition": response.headers["content-disposition"]})

    # ---- 历史 ------------------------------------------------------------------------------------

    def generated(request: Request) -> Any:
        value = request.path_params["id"]
        item = web.store.generated(int(value)) if is_number(value) else None
        if item is None or item.plan_type not in web.registry.plan_types:
            raise HTTPException(404)
        return item

    def input_of(item: Any, text: str | None = None) -> dict[str, Any]:
        """The stored input read as the CLI reads a file (InputError when it no longer parses)."""
        from plangen.inputs.reading import parse_text

        data = parse_text(item.input if text is None else text, "history", suffix=".yaml")
        return {k: v for k, v in data.items() if k not in ("type", "类型")}

    def unusable(request: Request, exc: InputError) -> Response:
        text = "; ".join(str(p.message) for p in exc.problems)
        return web.page(request, "message.html", status=422, message=_("This input no longer makes a plan: {reason}", reason=text))

    async def history_page(request: Request) -> Response:
        items = await run_in_threadpool(web.store.history, 300)
        titles = {k.name: k.title for k in web.registry.plan_types.values()}
        kinds = {"docx": _("Word document"), "notice": _("Notice version"), "pdf": "PDF"}
        return web.page(request, "history.html", items=items, titles=titles, kinds=kinds,
                        when=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)))

    async def history_docx(request: Request) -> Response:
        item = generated(request)
        kind = web.plan_type(item.plan_type)

        def make() -> tuple[str, bytes] | list[Problem]:
            try:
                plan = api.plan_from_mapping({"type": kind.name, **input_of(item)}, registry=web.registry)
                notice = item.kind == "notice" and plan.data.issuer is not None
                return download_name(plan, notice=notice), api.render_docx(plan, registry=web.registry, notice=notice)[1]
            except InputError as exc:
                return exc.problems

        made = await run_in_threadpool(make)
        if isinstance(made, list):
            text = "; ".join(str(p.message) for p in made)
            return web.page(request, "message.html", status=422, message=_("This input no longer makes a plan: {reason}", reason=text))
        name, data = made
        if item.kind == "pdf" and web.office:  # a PDF row made again is a PDF
            from plangen.libreoffice import PreviewError

            try:
                pdf = await run_in_threadpool(pdf_of, data)
            except PreviewError as exc:
                log.error("PDF again of history item %s: %s", item.id, exc)
                return web.page(request, "message.html", status=503, message=_("LibreOffice could not make the PDF; the .docx download still works."))
            name = str(Path(name).with_suffix(".pdf"))
            if not cross_site(request.headers):
                await run_in_threadpool(web.store.record, kind.name, item.title, name, "pdf", item.input, item.draft)
            return attachment(pdf, name, "application/pdf")
        if not cross_site(request.headers):
            await run_in_threadpool(web.store.record, kind.name, item.title, name, item.kind, item.input, item.draft)
        return attachment(data, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    async def history_open(request: Request) -> Response:
        item = generated(request)
        await web.checked_form(request)
        kind = web.plan_type(item.plan_type)
        try:
            return await new_draft(kind, input_of(item))
        except InputError as exc:
            return unusable(request, exc)

    async def history_next(request: Request) -> Response:
        item = generated(request)
        await web.checked_form(request)
        kind = web.plan_type(item.plan_type)
        from plangen.inputs.nextyear import next_year

        try:
            return await new_draft(kind, input_of(item, next_year(item.input)))
        except InputError as exc:
            return unusable(request, exc)

    async def new_draft(kind: Any, body: dict[str, Any]) -> Response:
        from plangen.web import forms

        values = forms.to_form_values(forms.model_nodes(kind.model), body)
        draft_id = await run_in_threadpool(web.store.create, kind.name, values, title_of(kind, values))
        return RedirectResponse(f"/draft/{draft_id}", status_code=303)

    return [
        Route("/batch", batch_page),
        Route("/batch", batch_create, methods=["POST"]),
        Route("/batch/{id}", batch_show),
        Route("/batch/{id}/run", batch_run, methods=["POST"]),
        Route("/batch/{id}/status", batch_status),
        Route("/batch/{id}/files/{what}", batch_file),
        Route("/check", check_page),
        Route("/check", check_upload, methods=["POST"]),
        Route("/fix", fix_page),
        Route("/fix", fix_upload, methods=["POST"]),
        Route("/fix/{id}/fixed.docx", fix_file),
        Route("/history", history_page),
        Route("/history/{id}/plan.docx", history_docx),
        Route("/history/{id}/open", history_open, methods=["POST"]),
        Route("/history/{id}/next", history_next, methods=["POST"]),
    ]


def _headers(path: Path) -> list[str]:
    from plangen.batch.roster import open_roster

    roster = open_roster(path)
    try:
        return list(roster.headers)
    finally:
        roster.close()


def _trial(folder: Path, columns: dict[str, str | None], same_people: bool) -> Any:
    """BatchOptions over a copy of the base that holds the chosen map (the caller removes the copy)."""
    from plangen.batch import BatchOptions

    base = yaml.safe_load((folder / "base.yaml").read_text(encoding="utf-8"))
    base.pop("列映射", None)
    base["columns"] = {h: (p.split(", ") if p and ", " in p else p) for h, p in columns.items()}
    trial = folder / f"base.check-{time.monotonic_ns()}.yaml"
    trial.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    roster = next(p for p in folder.iterdir() if p.name.startswith("roster."))
    return BatchOptions(roster=roster, base=trial, output=folder / "out", same_people=same_people)


def _prepare(folder: Path, columns: dict[str, str | None], registry: Any, same_people: bool = False) -> None:
    """What ``plangen batch`` checks before any row runs (a column for the unit's name, no overlaps, no
    person the same in every plan unless confirmed), on the chosen map, so a wrong choice is said in the
    page rather than by a failed job."""
    from plangen.batch.setup import prepare

    options = _trial(folder, columns, same_people)
    try:
        setup = prepare(options, registry)
        setup.roster.close()
    finally:
        options.base.unlink(missing_ok=True)


def _preview(folder: Path, columns: dict[str, str | None], registry: Any, same_people: bool) -> Any:
    """What the first three plans will say with this map (:mod:`plangen.batch.dry_run`), or the reason
    the map cannot be used, as one sentence."""
    from plangen.batch.dry_run import preview

    options = _trial(folder, columns, same_people)
    try:
        return preview(options, registry)
    except PlangenError as exc:
        return "; ".join(str(p.message) for p in exc.problems) if isinstance(exc, InputError) else str(exc)
    finally:
        options.base.unlink(missing_ok=True)


# ---- PDF and the exact pages (LibreOffice) ----------------------------------------------------------

EXACT_KEY = re.compile(r"^[0-9a-f]{32}$")
EXACT_KEPT = 50
"""Documents whose page images are kept (the most recent)."""


def pdf_of(docx: bytes) -> bytes:
    """The .docx as LibreOffice prints it."""
    import tempfile

    from plangen import libreoffice as office

    with tempfile.TemporaryDirectory(prefix="plangen-web-pdf-") as tmp:
        source = Path(tmp) / "plan.docx"
        source.write_bytes(docx)
        return office.to_pdf([source])[0].read_bytes()


def exact_pages(root: Path, docx: bytes) -> tuple[str, list[int]]:
    """PNGs of every page, cached by the document's hash: (key, page numbers)."""
    import hashlib
    import subprocess
    import tempfile

    key = hashlib.sha256(docx).hexdigest()[:32]
    folder = root / key
    if not (folder / "done").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="plangen-web-png-") as tmp:
            pdf = Path(tmp) / "plan.pdf"
            pdf.write_bytes(pdf_of(docx))
            program = shutil.which("pdftoppm") or "pdftoppm"
            subprocess.run([program, "-png", "-r", "96", str(pdf), str(Path(tmp) / "page")], check=True, timeout=120,
                           capture_output=True)
            for made in sorted(Path(tmp).glob("page-*.png")):
                number = int(made.stem.rsplit("-", 1)[1])
                shutil.move(str(made), folder / f"{number}.png")
        (folder / "done").write_text("")
        kept = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[EXACT_KEPT:]:  # every edit is a new document: keep the latest few
            shutil.rmtree(old, ignore_errors=True)
    pages = sorted(int(p.stem) for p in folder.glob("*.png"))
    return key, pages


def office_routes(web: Web) -> list[Route]:
    """Only when LibreOffice is installed; without it these pages do not exist and no link shows them."""
    from plangen.libreoffice import PreviewError
    from plangen.office_queue import OfficeBusy
    async def docx_of(request: Request) -> tuple[Any, Any, str, bytes] | Response:
        draft = web.draft(request.path_params["id"])
        kind = web.plan_type(draft.plan_type)

        def make() -> tuple[str, bytes] | list[Problem]:
            try:
                plan = api.plan_from_mapping({"type": kind.name, **draft.data}, registry=web.registry)
                return download_name(plan), api.render_docx(plan, registry=web.registry)[1]
            except InputError as exc:
                return exc.problems

        made = await run_in_threadpool(make)
        if isinstance(made, list):
            return web.page(request, "problems.html", status=422, draft=draft, problems=problems_for(made, kind))
        return draft, kind, made[0], made[1]

    async def download_pdf(request: Request) -> Response:
        got = await docx_of(request)
        if isinstance(got, Response):
            return got
        draft, kind, name, data = got
        try:
            pdf = await run_in_threadpool(pdf_of, data)
        except OfficeBusy as exc:  # the wait, said: how many are ahead
            return web.page(request, "message.html", status=503, message=str(exc))
        except PreviewError as exc:
            log.error("PDF of draft %s: %s", draft.id, exc)
            return web.page(request, "message.html", status=503, message=_("LibreOffice could not make the PDF; the .docx download still works."))
        name = str(Path(name).with_suffix(".pdf"))
        if not cross_site(request.headers):
            await run_in_threadpool(web.store.record, kind.name, draft.title or kind.title, name, "pdf", input_yaml(kind, draft.data), draft.id)
        return attachment(pdf, name, "application/pdf")

    async def exact_page(request: Request) -> Response:
        got = await docx_of(request)
        if isinstance(got, Response):
            return got
        draft, kind, _name, data = got
        try:
            key, numbers = await run_in_threadpool(exact_pages, web.exact, data)
        except OfficeBusy as exc:
            return web.page(request, "message.html", status=503, message=str(exc))
        except (PreviewError, OSError, subprocess_error()) as exc:
            log.error("exact pages of draft %s: %s", draft.id, exc)
            return web.page(request, "message.html", status=503, message=_("LibreOffice could not lay out the pages; the preview beside the form still works."))
        return web.page(request, "exact.html", draft=draft, title=draft.title or kind.title, key=key, pages=numbers)

    async def exact_png(request: Request) -> Response:
        key, number = request.path_params["key"], request.path_params["n"]
        if not EXACT_KEY.fullmatch(key) or not is_number(number) or len(number) > 4:
            raise HTTPException(404)
        path = web.exact / key / f"{int(number)}.png"
        if not path.is_file():
            raise HTTPException(404)
        return FileResponse(path, media_type="image/png")

    return [
        Route("/draft/{id}/plan.pdf", download_pdf),
        Route("/draft/{id}/exact", exact_page),
        Route("/exact/{key}/{n}.png", exact_png),
    ]


def subprocess_error() -> type[Exception]:
    import subprocess

    return subprocess.SubprocessError


def _by_rule(findings: list[Any]) -> list[dict[str, Any]]:
    """Findings grouped by the rule they break, in the order first found: a clerk reads one rule with its
    places (第3段、第5段…) instead of the same line sixty times; the rule is named by what it asks for."""
    from plangen.check.findings import RULES, described

    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        group = groups.setdefault(f.rule, {"rule": f.rule, "title": described(f.rule) if f.rule in RULES else f.message, "findings": []})
        group["findings"].append(f)
    return list(groups.values())
