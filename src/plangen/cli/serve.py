"""``plangen serve``: the web app for the office — forms, live page preview, downloads."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sqlite3
import threading
import webbrowser
from pathlib import Path

import click

from plangen.cli.context import CONTEXT, registry
from plangen.i18n import _


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost; anything else (0.0.0.0 too) is reachable from the network."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def data_reason(exc: BaseException) -> str:
    """Why the data folder cannot be used, in the user's words."""
    import errno

    from plangen.web.store import StoreError

    if isinstance(exc, StoreError):
        return _("its database was made by a newer plangen; upgrade plangen")
    if isinstance(exc, OSError):
        return {errno.EACCES: _("no permission to write there"), errno.EPERM: _("no permission to write there"),
                errno.EROFS: _("the disk is read-only"), errno.ENOSPC: _("the disk is full"),
                errno.ENOTDIR: _("a file of that name is in the way"), errno.ENOENT: _("the folder cannot be made there"),
                errno.EEXIST: _("a file of that name is in the way")}.get(exc.errno or 0, _("the folder cannot be used"))
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return _("the disk is read-only")
    if "unable to open" in text:
        return _("the database file cannot be made there")
    return text


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("plangen", appauthor=False))


@click.command("serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; another than loopback (0.0.0.0 for the office network) needs --token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="PLANGEN_TOKEN", default=None, help="Access token every visitor needs (env PLANGEN_TOKEN); required off loopback.")
@click.option("--new-token", is_flag=True, help="Make up a random access token and print the link with it.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None, help="Folder for the drafts database (default: the user's data folder).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, token: str | None, new_token: bool, data_dir: str | None, no_browser: bool) -> None:
    """Start the web app: write plans in the browser, with a live page preview and downloads.

    Open http://127.0.0.1:8000 on this PC. For the office network use --host 0.0.0.0 with --token
    (or --new-token) and give colleagues the printed link.
    """
    if new_token and not token:
        token = secrets.token_urlsafe(18)
    if token is not None and len(token) < 8:
        click.echo(_("plangen serve: the access token must be at least 8 characters long."), err=True)
        ctx.exit(2)
    if not is_loopback(host) and not token:
        click.echo(_("plangen serve: listening on {host} opens the app to the network; give an access token with --token or PLANGEN_TOKEN (or --new-token).", host=host), err=True)
        ctx.exit(2)
    import logging

    import uvicorn

    from plangen.web.app import build_app
    from plangen.web.store import StoreError

    folder = Path(data_dir) if data_dir else default_data_dir()
    plugins_dirs = tuple(Path(p) for p in ctx.ensure_object(dict).get("plugins_dirs", ()))
    try:
        app = build_app(folder, token=token, registry=registry(ctx), plugins_dirs=plugins_dirs, host=host)
    except (OSError, sqlite3.Error, StoreError) as exc:
        click.echo(_("plangen serve: cannot keep drafts in {folder}: {reason}. Choose a folder you can write to with --data.",
                     folder=folder, reason=data_reason(exc)), err=True)
        ctx.exit(2)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    link = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    if token:
        link += f"?token={token}"
    click.echo(_("plangen serve: open {link} (data in {folder}); Ctrl+C stops it.", link=link, folder=folder))
    if host in ("0.0.0.0", "::"):  # colleagues cannot open 127.0.0.1: the links they can open
        query = f"?token={token}" if token else ""
        for address in lan_addresses():
            click.echo(_("plangen serve: colleagues open {link}", link=f"http://{address}:{port}/{query}"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not no_browser and not os.environ.get("CI"):
        threading.Timer(1.0, webbrowser.open, args=(link,)).start()
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on the office network (not loopback): the one it reaches other
    networks by, then any other its name resolves to. Asking costs no traffic (a UDP socket only picks a route)."""
    import socket

    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    return [a for i, a in enumerate(found) if a not in found[:i] and not a.startswith(("127.", "0."))]
