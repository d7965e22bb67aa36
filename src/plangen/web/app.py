"""The ASGI app behind ``plangen serve``: Starlette, server-rendered Jinja2 pages, htmx from the package.

Security, the same rules as the CLI: with a token (required off loopback) every route asks for the
session cookie that a first visit with ``?token=`` sets; every POST carries a CSRF token bound to the
session; request bodies are capped (:data:`MAX_BODY`); no route takes a path, only plan type names
and draft numbers; and no stack trace reaches the browser (a Chinese message does, the trace is logged).
"""

from __future__ import annotations

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
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangen.i18n import _
from plangen.plugins import Registry
from plangen.web import faults, learning
from plangen.web.core import MAX_BODY, Web
from plangen.web.routes import ROUTES
from plangen.web.shield import FormTooLarge, Shield, Throttle, allowed_hosts, capped

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


# ---- the app ----------------------------------------------------------------------------------


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
    learning.install(web)  # the data folder's own plan types (从文件新建方案类型)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(Shield, hosts=allowed_hosts(host)), Middleware(Guard, secret=web.secret, token=token)],
        exception_handlers=_error_handlers(web),
    )
    app.state.web = web
    return app
