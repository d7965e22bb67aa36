"""A draft's PDF and its exact pages (LibreOffice's layout as images). Without LibreOffice these pages
do not exist (404) and no link shows them."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from plangen.i18n import _
from plangen.web import service
from plangen.web.core import attachment, input_yaml, is_number, problems_for, web_of
from plangen.web.office import EXACT_KEY, exact_pages, pdf_of
from plangen.web.shield import cross_site

log = logging.getLogger("plangen.web")


async def _docx_of(request: Request) -> tuple[Any, Any, service.Made] | Response:
    web = web_of(request)
    if not web.office:
        raise HTTPException(404)
    draft = web.draft(request.path_params["id"])
    kind = web.plan_type(draft.plan_type)
    made = await run_in_threadpool(service.docx, web, kind, draft.data)
    if isinstance(made, list):
        return web.page(request, "problems.html", status=422, draft=draft, problems=problems_for(made, kind))
    return draft, kind, made


async def download_pdf(request: Request) -> Response:
    from plangen.libreoffice import PreviewError
    from plangen.office_queue import OfficeBusy

    web = web_of(request)
    got = await _docx_of(request)
    if isinstance(got, Response):
        return got
    draft, kind, made = got
    try:
        pdf = await run_in_threadpool(pdf_of, made.data)
    except OfficeBusy as exc:  # the wait, said: how many are ahead
        return web.page(request, "message.html", status=503, message=str(exc))
    except PreviewError as exc:
        log.error("PDF of draft %s: %s", draft.id, exc)
        return web.page(request, "message.html", status=503, message=_("LibreOffice could not make the PDF; the .docx download still works."))
    name = str(Path(made.name).with_suffix(".pdf"))
    if not cross_site(request.headers):
        await run_in_threadpool(web.store.record, kind.name, draft.title or kind.title, name, "pdf", input_yaml(kind, draft.data), draft.id)
    return attachment(pdf, name, "application/pdf")


async def exact_page(request: Request) -> Response:
    from plangen.libreoffice import PreviewError
    from plangen.office_queue import OfficeBusy

    web = web_of(request)
    got = await _docx_of(request)
    if isinstance(got, Response):
        return got
    draft, kind, made = got
    try:
        key, numbers = await run_in_threadpool(exact_pages, web.exact, made.data)
    except OfficeBusy as exc:
        return web.page(request, "message.html", status=503, message=str(exc))
    except (PreviewError, OSError, subprocess.SubprocessError) as exc:
        log.error("exact pages of draft %s: %s", draft.id, exc)
        return web.page(request, "message.html", status=503, message=_("LibreOffice could not lay out the pages; the preview beside the form still works."))
    return web.page(request, "exact.html", draft=draft, title=draft.title or kind.title, key=key, pages=numbers)


async def exact_png(request: Request) -> Response:
    web = web_of(request)
    if not web.office:
        raise HTTPException(404)
    key, number = request.path_params["key"], request.path_params["n"]
    if not EXACT_KEY.fullmatch(key) or not is_number(number) or len(number) > 4:
        raise HTTPException(404)
    path = web.exact / key / f"{int(number)}.png"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="image/png")
