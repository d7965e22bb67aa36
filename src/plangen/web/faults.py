"""Bad luck on the server's side, told as it is: a full disk, a client that went away.

A full disk (SQLite's "database or disk is full", or ENOSPC/EDQUOT writing a file) means nothing was
saved: the page says so, names the folder whose disk is full, and keeps what was typed. A client that
closes the tab mid-upload is no error of the server's: one line at INFO, no traceback.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from plangen.i18n import _

log = logging.getLogger("plangen.web")

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk or quota."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _FULL:
            return True
        if isinstance(seen, sqlite3.Error) and ("disk is full" in str(seen) or getattr(seen, "sqlite_errorcode", None) == 13):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full_message(folder: Path) -> str:
    return _("Not saved: the disk holding plangen's data folder ({folder}) is full. Free some space on it and try again; "
             "what you typed is still in the page.", folder=str(folder))


async def client_gone(request: Request, exc: Exception) -> Response:
    """The browser closed the connection (a cancelled upload): nobody reads an answer, and nothing is wrong."""
    log.info("client went away during %s %s", request.method, request.url.path)
    return Response(status_code=400)
