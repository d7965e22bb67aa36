"""The message catalogue: every sentence a user reads goes through :func:`_` (or a :class:`Msg`).

Chinese is the interface; English is kept for those who ask (``PLANGEN_LANG=en``, ``--lang en``, or
an English locale such as ``en_US.UTF-8``; a C/POSIX locale gives Chinese). The source strings
(gettext msgids) are English; the Chinese lives in ``locale/zh_CN/LC_MESSAGES/*.po``, compiled to
``.mo`` with Babel (``python -m plangen.i18n.build``) and read at run time with the standard
library's :mod:`gettext`, so nothing is loaded but a small binary file. One ``.po`` per area of the
code keeps parallel work from colliding; they are read as one catalogue.

Errors carry a stable code and parameters (:class:`Msg`), so the CLI, ``--json`` output and the web
app render the same message, each in the reader's language.
"""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_GETTEXT_LANG = {"zh": "zh_CN", "en": "en"}

_chosen: str | None = None
_catalogues: dict[str, gettext.NullTranslations] = {}
_added: list[tuple[Path, str]] = []
"""Catalogues plugins ship (:func:`add_catalogue`), read after plangen's own."""


def add_catalogue(folder: str | Path, domain: str) -> None:
    """Chain a plugin's own catalogue into the lookup: ``folder/zh_CN/LC_MESSAGES/<domain>.mo``.

    A plugin outside plangen keeps its Chinese next to its code and calls this once at import, so
    its ``msg()`` and ``_()`` messages are translated like plangen's own. plangen's catalogue is
    consulted first; adding the same folder and domain twice changes nothing."""
    entry = (Path(folder).resolve(), domain)
    if entry not in _added:
        _added.append(entry)
        _catalogues.clear()  # re-read on next use, with the new one chained in


def detect(environ: dict[str, str] | None = None) -> str:
    """``PLANGEN_LANG``, then the locale variables in gettext's order; Chinese unless English is asked for."""
    env = os.environ if environ is None else environ
    wanted = env.get("PLANGEN_LANG", "").strip().lower()
    if wanted:
        return "en" if wanted.startswith("en") else "zh"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def language() -> str:
    """The language in force: the one set with :func:`set_language`, else the detected one."""
    return _chosen or detect()


def set_language(lang: str | None) -> None:
    """Pin the language (``--lang``); None goes back to detection. Click's own texts follow too."""
    global _chosen
    _chosen = None if lang is None else ("en" if lang.lower().startswith("en") else "zh")
    _install_for_click()


def catalogue() -> gettext.NullTranslations:
    """Every ``*.mo`` of the language, read as one (English: the msgids themselves); read once per language."""
    lang = language()
    if lang not in _catalogues:
        found: gettext.NullTranslations = gettext.NullTranslations()
        if lang != "en":
            folder = LOCALE_DIR / _GETTEXT_LANG[lang] / "LC_MESSAGES"
            files = sorted(folder.glob("*.mo")) if folder.is_dir() else []
            files += [f for base, domain in _added if (f := base / _GETTEXT_LANG[lang] / "LC_MESSAGES" / f"{domain}.mo").is_file()]
            if files:
                with open(files[0], "rb") as fh:
                    found = gettext.GNUTranslations(fh)
                for extra in files[1:]:
                    with open(extra, "rb") as fh:
                        found.add_fallback(gettext.GNUTranslations(fh))
        _catalogues[lang] = found
    return _catalogues[lang]


def _(msgid: str, /, **params: Any) -> str:
    """The sentence in the reader's language, with ``{name}`` fields filled in."""
    text = catalogue().gettext(msgid)
    return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where it is translated later (tables built at import time)."""
    return msgid


@dataclass(frozen=True)
class Msg:
    """A message as data: a stable ``code`` for scripts, the msgid, and its parameters."""

    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return _(self.text, **self.params) if self.params else _(self.text)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "params": {k: str(v) for k, v in self.params.items()}}


def msg(code: str, text: str, /, **params: Any) -> Msg:
    return Msg(code, text, params)


def _install_for_click() -> None:
    """Click translates its own words (Usage, Options, "No such option") with gettext's global
    domain: point that domain at our catalogue, and the language at the chosen one."""
    lang = language()
    os.environ["LANGUAGE"] = _GETTEXT_LANG[lang]
    gettext.bindtextdomain("plangen", str(LOCALE_DIR))
    gettext.textdomain("plangen")
