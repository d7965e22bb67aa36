"""A draft's PDF and its exact pages (LibreOffice's layout as images). Without LibreOffice these pages
do not exist (404) and no link shows them."""

from __future__ import annotations

import functools
import logging
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

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
T = TypeVar("T")


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


async def _in_office(request: Request, what: str, work: Callable[[], T], failed: str,
                     errors: tuple[type[BaseException], ...]) -> T | Response:
    """``work`` run by LibreOffice (through the office queue), or the page that says why it could not be:
    the wait (how many are ahead) or the failure, logged with ``what``."""
    from plangen.office_queue import OfficeBusy

    web = web_of(request)
    try:
        return await run_in_threadpool(work)
    except OfficeBusy as exc:  # the wait, said: how many are ahead
        return web.page(request, "message.html", status=503, message=str(exc))
    except errors as exc:
        log.error("%s: %s", what, exc)
        return web.page(request, "message.html", status=503, message=failed)


async def download_pdf(request: Request) -> Response:
    from plangen.libreoffice import PreviewError

    web = web_of(request)
    got = await _docx_of(request)
    if isinstance(got, Response):
        return got
    draft, kind, made = got
    pdf = await _in_office(request, f"PDF of draft {draft.id}", functools.partial(pdf_of, made.data),
                           _("LibreOffice could not make the PDF; the .docx download still works."), (PreviewError,))
    if isinstance(pdf, Response):
        return pdf
    name = str(Path(made.name).with_suffix(".pdf"))
    if not cross_site(request.headers):
        await run_in_threadpool(web.store.record, kind.name, draft.title or kind.title, name, "pdf", input_yaml(kind, draft.data), draft.id)
    return attachment(pdf, name, "application/pdf")


async def exact_page(request: Request) -> Response:
    from plangen.libreoffice import PreviewError

    web = web_of(request)
    got = await _docx_of(request)
    if isinstance(got, Response):
        return got
    draft, kind, made = got
    laid = await _in_office(request, f"exact pages of draft {draft.id}", functools.partial(exact_pages, web.exact, made.data),
                            _("LibreOffice could not lay out the pages; the preview beside the form still works."),
                            (PreviewError, OSError, subprocess.SubprocessError))
    if isinstance(laid, Response):
        return laid
    key, numbers = laid
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
