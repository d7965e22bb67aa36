"""The ASGI app behind ``plangen serve``: Starlette, server-rendered Jinja2 pages, htmx from the package.

Security, the same rules as the CLI: with a token (required off loopback) every route asks for the
session cookie that a first visit with ``?token=`` sets; every POST carries a CSRF token bound to the
session; request bodies are capped (:data:`MAX_BODY`); no route takes a path, only plan type names
and draft numbers; and no stack trace reaches the browser (a Chinese message does, the trace is logged).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import secrets
import sqlite3
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangen import api, sample_words
from plangen.errors import InputError, Problem
from plangen.i18n import _
from plangen.inputs.nextyear import earlier_references, plan_year
from plangen.inputs.reading import MAX_INPUT_BYTES
from plangen.plugins import Registry
from plangen.plugins.plantype import PlanType
from plangen.web import faults, forms, learnpage, pages, preview
from plangen.web.core import CSRF_FIELD, CSRF_HEADER, HERE, MAX_BODY, Web, attachment, download_name, input_yaml, read_input  # noqa: F401
from plangen.web.core import problems_for as _problems
from plangen.web.core import title_of as _title
from plangen.web.shield import FormTooLarge, Shield, Throttle, allowed_hosts, capped, cross_site
from plangen.web.store import Conflict

log = logging.getLogger("plangen.web")

SESSION_COOKIE = "plangen_session"


class TooLarge(Exception):
    """The request body is larger than :data:`MAX_BODY`."""


# ---- sessions and tokens ----------------------------------------------------------------------


class Guard:
    """Pure ASGI middleware: body cap, the access token and the session cookie."""

    def __init__(self, app: ASGIApp, *, secret: bytes, token: str | None) -> None:
        self.app = app
        self.secret = secret
        self.token = token
        self.throttle = Throttle()

    def sign(self, sid: str) -> str:
        key = self.secret + (self.token or "").encode()
        return hmac.new(key, b"session:" + sid.encode(), hashlib.sha256).hexdigest()

    def session(self, scope: Scope) -> str | None:
        """The session id of a valid cookie, or None.

        Read leniently: other cookies of the same host (any port's: ``prefs={"theme":"dark"}``,
        ``note=a b``) are no reason to lose ours, as they are for :class:`http.cookies.SimpleCookie`.
        """
        headers: Iterable[tuple[bytes, bytes]] = scope.get("headers", [])  # ASGI: (name, value) byte strings
        for name, value in headers:
            if name != b"cookie":
                continue
            for pair in value.decode("latin-1").split(";"):
                key, _eq, given = pair.strip().partition("=")
                if key.strip() != SESSION_COOKIE:
                    continue
                sid, _sep, sig = given.strip().strip('"').partition(".")
                if sid and hmac.compare_digest(sig.encode("latin-1"), self.sign(sid).encode()):
                    return sid
        return None

    def cookie(self, sid: str) -> str:
        return f"{SESSION_COOKIE}={sid}.{self.sign(sid)}; Path=/; HttpOnly; SameSite=Lax"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"0")
        if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY:
            await _plain_error(413, _("The upload is larger than 20 MB; choose a smaller file."))(scope, receive, send)
            return
        sid = self.session(scope)
        new_cookie = None
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        if given and self.token is not None:
            # The link with the token: set the session and take the token out of the address bar and history,
            # to this server's own path (never "//elsewhere": a path of slashes is an address on another site).
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.throttle.blocked(client)
            if sid is None and wait:
                await _plain_error(429, _("Too many wrong access links from this computer; wait {seconds} seconds and use the link "
                                          "printed by plangen serve.", seconds=int(wait) + 1))(scope, receive, send)
                return
            if sid is None and not hmac.compare_digest(given.encode(), self.token.encode()):
                self.throttle.wrong(client)
                await _plain_error(403, _("This page needs the access link with its token; ask whoever started plangen serve for it."))(scope, receive, send)
                return
            response = RedirectResponse("/" + (scope.get("path", "/") or "/").lstrip("/"), status_code=303)
            if sid is None:
                response.headers["set-cookie"] = self.cookie(secrets.token_urlsafe(16))
            await response(scope, receive, send)
            return
        if sid is None:
            if self.token is not None:
                await _plain_error(403, _("This page needs the access link with its token; ask whoever started plangen serve for it."))(scope, receive, send)
                return
            sid = secrets.token_urlsafe(16)
            new_cookie = self.cookie(sid)
        scope.setdefault("state", {})["sid"] = sid

        limited = capped(receive, MAX_BODY, TooLarge)

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and new_cookie:
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"set-cookie", new_cookie.encode())]
            await send(message)

        await self.app(scope, limited, with_cookie)


def _plain_error(status: int, message: str) -> Response:
    return HTMLResponse(
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>plangen</title><body><p class="error">{Markup.escape(message)}</p></body></html>',
        status_code=status,
    )


def _conflict(version: int) -> Response:
    """409: another tab or window saved this draft since this form loaded it (its version is ``version``)."""
    text = _("This draft was changed in another tab or window after this page opened. Load that version, or keep "
             "yours and replace it.")
    return HTMLResponse(f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>plangen</title><body>'
                        f'<p class="error" data-version="{version}">{Markup.escape(text)}</p></body></html>', status_code=409)


# ---- the app ----------------------------------------------------------------------------------


def _check(web: Web, kind: PlanType, data: dict[str, Any]) -> tuple[Any, list[Problem], Markup | None]:
    """Validate as the CLI does and render the preview: (plan or None, problems, preview html)."""
    try:
        plan = api.plan_from_mapping({"type": kind.name, **data}, registry=web.registry)
        doc = api.build_document(plan, registry=web.registry)
        from plangen import guard

        guard.check_document(doc, plan=plan.data, template=kind.template, extra_rules=web.registry.check_rules(), plugin=kind.plugin, rendered=True)
    except InputError as exc:
        return None, exc.problems, None
    return plan, [], preview.render(doc)


def _error_handlers(web: Web) -> dict[Any, Callable[[Request, Exception], Awaitable[Response]]]:
    """Every error as one Chinese page: HTTP errors, caps, a full disk (507, naming the data folder), a client
    gone (nothing to answer), anything else (500, the trace to the log)."""

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        text = {
            403: _("The form has expired (its security token does not match); reload the page and try again."),
            404: _("There is no such page or draft."),
            405: _("This page cannot be used that way."),
            413: _("The upload is larger than 20 MB; choose a smaller file."),
        }.get(status, _("The request could not be handled."))
        return _plain_error(status, text)

    async def too_large(request: Request, exc: Exception) -> Response:
        return _plain_error(413, _("The upload is larger than 20 MB; choose a smaller file."))

    async def form_too_large(request: Request, exc: Exception) -> Response:
        return _plain_error(413, _("The form is larger than 1 MB; shorten the longest text and try again."))

    async def server_error(request: Request, exc: Exception) -> Response:
        full = faults.disk_full(exc)
        if full:
            log.error("disk full on %s %s: %s", request.method, request.url.path, exc)
            return _plain_error(507, faults.disk_full_message(web.store.path.parent))
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
        return _plain_error(500, _("Something went wrong on the server and nothing was changed; the details are in its log. "
                                   "What you typed is still in the page: try again."))

    return {
        HTTPException: http_error,
        TooLarge: too_large,
        FormTooLarge: form_too_large,
        ClientDisconnect: faults.client_gone,
        OSError: server_error,
        sqlite3.Error: server_error,
        Exception: server_error,
    }


def build_app(data_dir: Path, *, token: str | None = None, registry: Registry | None = None,
              plugins_dirs: tuple[Path, ...] = (), host: str = "127.0.0.1") -> Starlette:
    """The app over the data folder; ``token`` gates every route (needed off loopback); ``host`` is the
    address it listens on, which decides the Host names it answers (:func:`plangen.web.shield.allowed_hosts`)."""
    web = Web(data_dir, registry)
    web.plugins_dirs = tuple(plugins_dirs)

    async def home(request: Request) -> Response:
        kinds = sorted(web.registry.plan_types.values(), key=lambda k: k.name)
        drafts = await run_in_threadpool(web.store.recent, 12)
        titles = {k.name: k.title for k in kinds}
        return web.page(request, "home.html", kinds=kinds, drafts=drafts, titles=titles)

    async def new_draft_page(request: Request) -> Response:
        """A link to a new draft only shows this page; the draft is made by its form's POST (app.js sends it at
        once), so another site's ``<img src=/new/…>`` makes nothing."""
        kind = web.plan_type(request.path_params["name"])
        return web.page(request, "new.html", kind=kind)

    async def new_draft(request: Request) -> Response:
        kind = web.plan_type(request.path_params["name"])
        await web.checked_form(request)
        values = web.example_values(kind)
        draft_id = await run_in_threadpool(web.store.create, kind.name, values, _title(kind, values))
        return RedirectResponse(f"/draft/{draft_id}", status_code=303)

    async def show_draft(request: Request) -> Response:
        draft = web.draft(request.path_params["id"])
        kind = web.plan_type(draft.plan_type)
        plan, problems, pages = await run_in_threadpool(_check, web, kind, draft.data)
        year = plan_year(draft.data)
        return web.page(
            request, "form.html", draft=draft, kind=kind, nodes=forms.model_nodes(kind.model), tab=secrets.token_hex(8),
            earlier=earlier_references(draft.data, year) if year else [],
            values=draft.data, problems=_problems(problems, kind), pages=web.good_pages(draft.id, pages),
            notice=plan is not None and plan.data.issuer is not None,
        )

    async def save_draft(request: Request) -> Response:
        draft = web.draft(request.path_params["id"])
        kind = web.plan_type(draft.plan_type)
        form = await web.checked_form(request)
        pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in (CSRF_FIELD, "_version", "_tab", "_keep")]
        data = forms.form_to_mapping(forms.model_nodes(kind.model), pairs)
        data, mended = sample_words.mend_input(data, kind.example, getattr(kind.model, "example_own_level", ()))  # the example's words, for the unit typed
        given = str(form.get("_version") or "")
        base = int(given) if given.isascii() and given.isdigit() and len(given) < 12 else None
        if form.get("_keep") == "1":
            base = None  # "保留我的内容" after a conflict: this save replaces whatever was saved since
        try:
            await run_in_threadpool(functools.partial(web.store.save, draft.id, data, _title(kind, data), base=base,
                                                      writer=str(form.get("_tab") or "")[:64]))
        except Conflict as exc:
            return _conflict(int(exc.args[0]))
        plan, problems, pages = await run_in_threadpool(_check, web, kind, data)
        web.good_pages(draft.id, pages)
        return web.page(request, "_result.html", problems=_problems(problems, kind), pages=pages, oob=True,
                        draft=draft, notice=plan is not None and plan.data.issuer is not None,
                        mended=[(forms.form_name(loc), old, new) for loc, old, new in mended])

    async def download_docx(request: Request) -> Response:
        draft = web.draft(request.path_params["id"])
        kind = web.plan_type(draft.plan_type)
        notice = request.query_params.get("notice") == "1"

        def make() -> tuple[Any, bytes | list[Problem]]:
            try:
                plan = api.plan_from_mapping({"type": kind.name, **draft.data}, registry=web.registry)
                if notice and plan.data.issuer is None:
                    raise InputError(Problem(_("Fill in the issuer (发文) to download the notice version."), field="issuer"))
                return plan, api.render_docx(plan, registry=web.registry, notice=notice)[1]
            except InputError as exc:
                return None, exc.problems

        plan, result = await run_in_threadpool(make)
        if plan is None or not isinstance(result, bytes):
            return web.page(request, "problems.html", status=422, draft=draft, problems=_problems(result, kind))  # type: ignore[arg-type]
        name = download_name(plan, notice=notice)
        if not cross_site(request.headers):
            await run_in_threadpool(web.store.record, kind.name, draft.title or kind.title, name, "notice" if notice else "docx",
                                    input_yaml(kind, draft.data), draft.id)
        return attachment(result, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    async def download_yaml(request: Request) -> Response:
        draft = web.draft(request.path_params["id"])
        kind = web.plan_type(draft.plan_type)
        text = input_yaml(kind, draft.data)
        name = api.safe_filename(draft.title or kind.title) + ".yaml"
        return attachment(text.encode("utf-8"), name, "application/x-yaml; charset=utf-8")

    async def open_yaml(request: Request) -> Response:
        form = await web.checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return web.page(request, "message.html", status=400, message=_("Choose a YAML file to open."))
        found = read_input(web, await upload.read(MAX_INPUT_BYTES + 1))
        if isinstance(found, str):
            return web.page(request, "message.html", status=400, message=found)
        kind, body = found
        body = {k: v for k, v in body.items() if k not in ("columns", "列映射")}
        return await new_draft_from(kind, body)

    async def new_draft_from(kind: PlanType, body: dict[str, Any]) -> Response:
        values = forms.to_form_values(forms.model_nodes(kind.model), body)
        draft_id = await run_in_threadpool(web.store.create, kind.name, values, _title(kind, values))
        return RedirectResponse(f"/draft/{draft_id}", status_code=303)

    routes = [
        Route("/", home),
        Route("/new/{name}", new_draft_page),
        Route("/new/{name}", new_draft, methods=["POST"]),
        Route("/draft/{id}", show_draft),
        Route("/draft/{id}", save_draft, methods=["POST"]),
        Route("/draft/{id}/plan.docx", download_docx),
        Route("/draft/{id}/input.yaml", download_yaml),
        Route("/open", open_yaml, methods=["POST"]),
        *pages.routes(web),
        *learnpage.routes(web),  # 从文件新建方案类型 (loads the data folder's plan types)
        *(pages.office_routes(web) if web.office else []),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Shield, hosts=allowed_hosts(host)), Middleware(Guard, secret=web.secret, token=token)],
        exception_handlers=_error_handlers(web),
    )
    app.state.web = web
    return app


