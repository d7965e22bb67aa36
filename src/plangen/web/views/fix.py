"""格式修正: upload a document, get it back in GB/T 9704 form with the list of what was changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from plangen.errors import PlangenError
from plangen.i18n import _
from plangen.web import fixes as F
from plangen.web.core import attachment, clean_file_name, web_of
from plangen.web.views.check import MAX_DOCX
from plangen.web.views.drafts import DOCX


def _view(request: Request, status: int = 200, **context: Any) -> Response:
    values: dict[str, Any] = {"filename": None, "message": None, "changes": None, "person": [], "fix_id": None, "download": None}
    return web_of(request).page(request, "fix.html", status=status, **{**values, **context})


async def fix_page(request: Request) -> Response:
    return _view(request)


async def fix_upload(request: Request) -> Response:
    web = web_of(request)
    form = await web.checked_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _view(request, 400, message=_("Choose a document to fix (.docx, .txt or .md)."))
    data = await upload.read(MAX_DOCX + 1)
    given = clean_file_name(Path(upload.filename.replace("\\", "/")).name)
    name = Path(given).stem[:100] + Path(given).suffix[:10] if given else "document.docx"
    if len(data) > MAX_DOCX:
        return _view(request, 400, filename=name, message=_("The upload is larger than 20 MB; choose a smaller file."))
    refused = F.refusal(name, data[:4096], web.converts)
    if refused is not None:
        return _view(request, 400, filename=name, message=refused)
    from plangen.fix import fix_document, output_name

    try:
        result = await run_in_threadpool(fix_document, name, data, name=name)
    except PlangenError as exc:
        return _view(request, 400, filename=name, message=_("This document cannot be read: {reason}", reason=F.reason(str(exc), name)))
    download = output_name(name)
    fix_id = await run_in_threadpool(F.keep, web.fixes, result.data, download)
    changes, person = F.rows(result.report)
    return _view(request, filename=name, changes=changes, person=person, fix_id=fix_id, download=download)


async def fix_file(request: Request) -> Response:
    found = F.kept(web_of(request).fixes, request.path_params["id"])
    if found is None:
        raise HTTPException(404)
    path, name = found
    response = attachment(b"", name, DOCX)
    return FileResponse(path, media_type=DOCX, headers={"content-disposition": response.headers["content-disposition"]})
