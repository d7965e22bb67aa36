"""Defences in front of the app, before any route or form parser runs (pure ASGI middleware).

- Host: only the names this server is reached by are answered. A page on another site can point its own
  name at 127.0.0.1 (DNS rebinding) and would otherwise read and change every draft; its requests carry
  its own name as Host. IP literals cannot be rebound, so a server on the network answers them.
- Origin: a POST (any method but GET/HEAD/OPTIONS) from another site is refused before its body is read,
  by the Origin header or, without it, by Sec-Fetch-Site; a cross-site fetch of a page from another site
  (an ``<img>`` pointing at a download) is refused too. A top-level link from elsewhere still opens.
- Body: a form posted without files (urlencoded) is capped at :data:`MAX_FORM` before it is parsed; the
  parser would otherwise hold a 13 MB field many times over.
- Headers: a strict Content-Security-Policy (htmx and the app's script are served from /static), no
  framing, no MIME sniffing, no Referer to other sites (a token link never leaks).
- Wrong tokens: each address gets :data:`GUESSES` tries per :data:`WINDOW` seconds, then 429 without the
  token even being compared.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.parse
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangen.i18n import _

MAX_FORM = 1024 * 1024
"""A whole plan form posted by autosave is a few KB; 1 MB leaves room for the longest text fields."""
GUESSES = 10
WINDOW = 60.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""``style-src-attr`` for the preview's line heights (``style="height:…"``); no inline script anywhere."""
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: with it Chromium posts forms with "Origin: null"
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "127.0.0.1", "::1"})


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a server listening on ``host`` answers; ``*`` among them: any IP literal too (a
    wildcard address, reached by the PC's addresses on the office network).

    Loopback names are always in: the PC running plangen opens it as 127.0.0.1 or localhost.
    """
    names = set(LOOPBACK_NAMES)
    bare = host.strip().strip("[]").lower()
    if bare in ("0.0.0.0", "::", ""):
        for name in (socket.gethostname(), socket.getfqdn()):
            if name:
                names |= {name.lower(), name.lower().split(".")[0]}
        return frozenset(names | {"*"})
    names.add(bare)
    return frozenset(names)


def host_name(value: str) -> str:
    """The name of a Host header without its port (``[::1]:8000`` → ``::1``)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(name: str, allowed: Iterable[str]) -> bool:
    allowed = frozenset(allowed)
    if name in allowed:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or "*" in allowed


def _page(status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    body = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>plangen</title>'
            f'<body><p class="error">{Markup.escape(message)}</p></body></html>')
    return HTMLResponse(body, status_code=status, headers=headers)


class Throttle:
    """Wrong-token tries per client address: at most :data:`GUESSES` in any :data:`WINDOW` seconds."""

    def __init__(self, guesses: int = GUESSES, window: float = WINDOW) -> None:
        self.guesses, self.window = guesses, window
        self.tries: dict[str, list[float]] = {}

    def blocked(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        now = time.monotonic()
        recent = [t for t in self.tries.get(client, []) if now - t < self.window]
        if recent:
            self.tries[client] = recent
        else:
            self.tries.pop(client, None)
        return self.window - (now - recent[0]) if len(recent) >= self.guesses else 0.0

    def wrong(self, client: str) -> None:
        self.tries.setdefault(client, []).append(time.monotonic())
        if len(self.tries) > 10_000:  # many addresses: forget the oldest rather than grow
            self.tries.pop(next(iter(self.tries)))


class Shield:
    """Host, Origin/Sec-Fetch, the form body cap and the security headers, around the whole app."""

    def __init__(self, app: ASGIApp, *, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((k, v) for k, v in HEADERS if k not in present)]
            await send(message)

        refused = self.refusal(scope)
        if refused is not None:
            await refused(scope, receive, secured)
            return
        await self.app(scope, capped(receive) if _is_plain_form(scope) else receive, secured)

    def refusal(self, scope: Scope) -> HTMLResponse | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        name = host_name(headers.get("host", ""))
        if not host_allowed(name, self.hosts):
            return _page(421, _("This address is not the one plangen serve was started on; open the link it printed."))
        method = scope.get("method", "GET")
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site", "")
        if method not in SAFE_METHODS:
            if origin is not None and not _same_origin(origin, headers.get("host", ""), scope):
                return _page(403, _("This request came from another website and was refused."))
            if origin is None and site not in ("", "same-origin", "none"):
                return _page(403, _("This request came from another website and was refused."))
        elif site in ("cross-site", "same-site") and headers.get("sec-fetch-mode", "navigate") != "navigate":
            return _page(403, _("This request came from another website and was refused."))
        if _is_plain_form(scope):
            length = headers.get("content-length", "0")
            if length.isascii() and length.isdigit() and int(length) > MAX_FORM:
                return _page(413, _("The form is larger than 1 MB; shorten the longest text and try again."))
        return None


def cross_site(headers: Any) -> bool:
    """Whether the browser says this request was started by another site (a link elsewhere to a download):
    it may be answered, but it changes nothing (no history row)."""
    return str(headers.get("sec-fetch-site", "")).lower() in ("cross-site", "same-site")


def _same_origin(origin: str, host: str, scope: Scope) -> bool:
    parsed = urllib.parse.urlsplit(origin)
    return parsed.scheme in ("http", "https") and parsed.netloc.lower() == host.strip().lower()


def _is_plain_form(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return not value.lower().startswith(b"multipart/")
    return scope.get("method", "GET") not in SAFE_METHODS


class FormTooLarge(Exception):
    """A form body without files grew past :data:`MAX_FORM` while it was read (no Content-Length)."""


def capped(receive: Receive, limit: int = MAX_FORM, too_large: type[Exception] = FormTooLarge) -> Receive:
    """``receive`` that counts the body as it streams in and raises ``too_large`` past ``limit`` bytes
    (a body sent in chunks has no Content-Length to check first)."""
    received = 0

    async def limited() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large()
        return message

    return limited
