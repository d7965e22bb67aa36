"""Shared pieces of the click commands. Each command group beyond the basics lives in its own module
here and is added to the CLI in :mod:`plangen.cli` with one line.

Every line the command line prints goes through :func:`echo`, which writes to ``sys.stdout`` /
``sys.stderr`` themselves: click's own echo takes an ASCII stream for a misconfigured one and writes
UTF-8 bytes to it anyway, which a GBK or ASCII console shows as garbage. Our streams carry the
``plangen-nearest`` error handler (:func:`never_crash_on_encoding`), so what the encoding lacks is
written as its nearest equivalent, never as a UnicodeEncodeError.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plangen.i18n import _

if TYPE_CHECKING:
    from plangen.plugins import Registry

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
NEAREST = "plangen-nearest"


def echo(message: Any = "", err: bool = False, nl: bool = True) -> None:
    """Print one message (stdout, or stderr with ``err``) in the stream's own encoding, whatever it is."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # pythonw: no console at all
        return
    text = f"{message}\n" if nl else str(message)
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a stream that could not take our error handler (in-process callers)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, _handler()).decode(encoding, "replace"))
    stream.flush()


def error_line(text: Any) -> str:
    """``plangen: error: …`` — the prefix of every error, in the reader's language."""
    return _("plangen: error: {message}", message=text)


def warning_line(text: Any) -> str:
    """``plangen: warning: …`` — the prefix of every warning, in the reader's language."""
    return _("plangen: warning: {message}", message=text)


def registry(ctx: click.Context) -> Registry:
    """The plugin registry for this invocation; plugin warnings are printed once, on stderr."""
    obj = ctx.ensure_object(dict)
    if "registry" not in obj:
        from plangen.plugins import get_registry  # here, not at the top: `plangen --help` needs no plugins

        reg = get_registry([Path(p) for p in obj.get("plugins_dirs", ())], [Path(p) for p in obj.get("templates_dirs", ())])
        for warning in reg.warnings:
            echo(warning_line(warning), err=True)
        obj["registry"] = reg
    found: Registry = obj["registry"]
    return found


def say(ctx: click.Context, message: Any) -> None:
    """Results on stdout, unless --quiet."""
    if not ctx.ensure_object(dict).get("quiet"):
        echo(message)


def quiet(ctx: click.Context) -> bool:
    return bool(ctx.ensure_object(dict).get("quiet"))


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-h``: as click's own, but printed through :func:`echo`."""
    if not value or ctx.resilient_parsing:
        return
    echo(ctx.get_help())
    ctx.exit()


def help_through_echo(command: click.Command) -> None:
    """Make ``command``'s ``-h/--help`` print through :func:`echo` (click's prints through click.echo)."""
    if getattr(command, "_plangen_help", False):
        return
    original = command.get_help_option

    def get_help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.callback = _show_help
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    command._plangen_help = True  # type: ignore[attr-defined]


def _handler() -> str:
    never_crash_on_encoding(reconfigure=False)
    return NEAREST


def never_crash_on_encoding(reconfigure: bool = True) -> None:
    """A console or file in GBK or ASCII cannot show every character plangen prints (− — “ ” ✓ and,
    in ASCII, Chinese): such characters are written as their nearest equivalent (NFKC, then a short
    table) or ``?``, never as a UnicodeEncodeError that loses the whole report."""
    import codecs
    import contextlib

    try:
        codecs.lookup_error(NEAREST)
    except LookupError:
        codecs.register_error(NEAREST, nearest)
    if not reconfigure:
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure_stream = getattr(stream, "reconfigure", None)
        # strict: stdout by default; backslashreplace: stderr by default (\uff1a is no help to a reader)
        if reconfigure_stream is not None and getattr(stream, "errors", "strict") in ("strict", "backslashreplace"):
            with contextlib.suppress(ValueError, OSError):  # a detached or closed stream: leave it as it is
                reconfigure_stream(errors=NEAREST)


_NEAREST = {"\u2212": "-", "\u2014": "--", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
            "\u201d": '"', "\u2026": "...", "\u00d7": "x", "\u2713": "v", "\u2717": "x", "\u00b1": "+/-",
            "\u2192": "->", "\u3001": ",", "\u3002": ".", "\u300a": "<<", "\u300b": ">>"}


def nearest(error: UnicodeError) -> tuple[str, int]:
    import unicodedata

    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start : error.end]:
        for candidate in (unicodedata.normalize("NFKC", ch), _NEAREST.get(ch, "?")):
            try:
                candidate.encode(error.encoding)
            except (UnicodeEncodeError, LookupError):
                continue
            out.append(candidate)
            break
        else:
            out.append("?")
    return "".join(out), error.end
