"""历史: every plan downloaded, made again from its stored input, opened as a draft, or moved on a year."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from plangen.errors import InputError
from plangen.i18n import _
from plangen.inputs.envelope import TYPE_KEYS
from plangen.web import service
from plangen.web.core import Web, attachment, is_number, web_of
from plangen.web.shield import cross_site
from plangen.web.views.drafts import DOCX

log = logging.getLogger("plangen.web")


def _generated(request: Request) -> Any:
    web = web_of(request)
    value = request.path_params["id"]
    item = web.store.generated(int(value)) if is_number(value) else None
    if item is None or item.plan_type not in web.registry.plan_types:
        raise HTTPException(404)
    return item


def _input_of(item: Any, text: str | None = None) -> dict[str, Any]:
    """The stored input read as the CLI reads a file (InputError when it no longer parses)."""
    from plangen.inputs.reading import parse_text

    data = parse_text(item.input if text is None else text, "history", suffix=".yaml")
    return {k: v for k, v in data.items() if k not in TYPE_KEYS}


def _unusable(request: Request, web: Web, problems: list[Any]) -> Response:
    return web.page(request, "message.html", status=422, message=_("This input no longer makes a plan: {reason}", reason=service.reasons(problems)))


async def history_page(request: Request) -> Response:
    web = web_of(request)
    items = await run_in_threadpool(web.store.history, 300)
    titles = {k.name: k.title for k in web.registry.plan_types.values()}
    kinds = {"docx": _("Word document"), "notice": _("Notice version"), "pdf": "PDF"}
    return web.page(request, "history.html", items=items, titles=titles, kinds=kinds,
                    when=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)))


async def history_docx(request: Request) -> Response:
    web = web_of(request)
    item = _generated(request)
    kind = web.plan_type(item.plan_type)

    def make() -> service.Made | list[Any]:
        try:
            body = _input_of(item)
        except InputError as exc:
            return exc.problems
        return service.docx(web, kind, body, notice=item.kind == "notice", notice_if_issuer=True)

    made = await run_in_threadpool(make)
    if isinstance(made, list):
        return _unusable(request, web, made)
    if item.kind == "pdf" and web.office:  # a PDF row made again is a PDF
        from plangen.libreoffice import PreviewError
        from plangen.web.office import pdf_of

        try:
            pdf = await run_in_threadpool(pdf_of, made.data)
        except PreviewError as exc:
            log.error("PDF again of history item %s: %s", item.id, exc)
            return web.page(request, "message.html", status=503, message=_("LibreOffice could not make the PDF; the .docx download still works."))
        name = str(Path(made.name).with_suffix(".pdf"))
        if not cross_site(request.headers):
            await run_in_threadpool(web.store.record, kind.name, item.title, name, "pdf", item.input, item.draft)
        return attachment(pdf, name, "application/pdf")
    if not cross_site(request.headers):
        await run_in_threadpool(web.store.record, kind.name, item.title, made.name, item.kind, item.input, item.draft)
    return attachment(made.data, made.name, DOCX)


async def _reopen(request: Request, next_year: bool) -> Response:
    web = web_of(request)
    item = _generated(request)
    await web.checked_form(request)
    kind = web.plan_type(item.plan_type)
    try:
        if next_year:
            from plangen.inputs.nextyear import next_year as moved

            body = _input_of(item, moved(item.input))
        else:
            body = _input_of(item)
    except InputError as exc:
        return _unusable(request, web, exc.problems)
    return await service.new_draft(web, kind, body)


async def history_open(request: Request) -> Response:
    """A new draft of a generated plan's input."""
    return await _reopen(request, next_year=False)


async def history_next(request: Request) -> Response:
    """A new draft of a generated plan's input moved on a year (``plangen next``)."""
    return await _reopen(request, next_year=True)
