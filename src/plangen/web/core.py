"""What the app's modules share: the :class:`Web` state of a running app and the helpers every page
uses (reading an uploaded input, the input as YAML, downloads with Chinese names, problems by field).

Kept apart from :mod:`plangen.web.app` so the pages modules import it without importing the app.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import shutil
import subprocess
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from plangen.errors import InputError, PlangenError, Problem
from plangen.i18n import _
from plangen.inputs.envelope import FONT_KEYS, TYPE_KEYS, split, with_type
from plangen.inputs.reading import MAX_INPUT_BYTES, decode, parse_text
from plangen.plugins import Registry, get_registry
from plangen.plugins.plantype import PlanType
from plangen.web import forms
from plangen.web.store import Store

HERE = Path(__file__).resolve().parent
MAX_BODY = 20 * 1024 * 1024
"""Largest request body (an upload): 20 MB."""
MAX_FIELD = 1024 * 1024
"""Largest form field that is not a file (multipart): the longest text a plan has is a few KB."""
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


class Web:
    """Everything a request needs: the store, the plan types, the templates, the secret."""

    def __init__(self, data_dir: Path, registry: Registry | None = None) -> None:
        self.store = Store(data_dir)
        self.registry = registry or get_registry()
        self.plugins_dirs: tuple[Path, ...] = ()
        """Drop-in plugin folders of ``plangen --plugins-dir``: a batch job loads them as the server did."""
        self.secret = self.store.secret()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.globals["_"] = _
        from plangen import libreoffice as office

        self.office = office.soffice() is not None and shutil.which("pdftoppm") is not None
        """LibreOffice (and poppler) are here: PDF downloads and the exact pages view are offered."""
        self.env.globals["office"] = self.office
        self.env.globals["substitute_fonts"] = substitute_fonts
        self.exact = data_dir / "exact"
        self.batches = data_dir / "batches"
        self.fixes = data_dir / "fixes"
        """格式修正: the fixed documents kept for download (:mod:`plangen.web.fixes`)."""
        self.converts = office.soffice() is not None
        """LibreOffice is here: 格式修正 takes .doc and .wps too."""
        self.env.globals["converts"] = self.converts
        self.jobs: dict[str, subprocess.Popen[bytes]] = {}
        """Batch id → its job process (Popen), while this server runs."""
        self.last_pages: dict[int, Any] = {}
        """Draft id → the preview of its last correct version: shown while the form has a mistake, after a
        reload too (while this server runs)."""

    def good_pages(self, draft_id: int, pages: Any) -> Any:
        """The preview to show: these pages, remembered, or the last correct ones when there are none."""
        if pages:
            if len(self.last_pages) > 500:
                self.last_pages.pop(next(iter(self.last_pages)))
            self.last_pages[draft_id] = pages
            return pages
        return self.last_pages.get(draft_id)

    def csrf(self, request: Request) -> str:
        sid = request.state.sid
        return hmac.new(self.secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(csrf=self.csrf(request), **context)
        return HTMLResponse(html, status_code=status)

    async def checked_form(self, request: Request) -> Any:
        """The posted form, after the CSRF check (header from htmx, or the hidden field)."""
        given = request.headers.get(CSRF_HEADER)
        if given is not None and not hmac.compare_digest(given.encode("latin-1", "replace"), self.csrf(request).encode()):
            raise HTTPException(403, "csrf")  # htmx sends it as a header: refused before the body is read
        form = await request.form(max_files=2, max_fields=5000, max_part_size=MAX_FIELD)
        field = given or form.get(CSRF_FIELD) or ""
        if not isinstance(field, str) or not hmac.compare_digest(field.encode("utf-8", "replace"), self.csrf(request).encode()):
            raise HTTPException(403, "csrf")
        return form

    def plan_type(self, name: str) -> PlanType:
        found = self.registry.plan_types.get(name)
        if found is None:
            raise HTTPException(404)
        return found

    def draft(self, value: str) -> Any:
        if not is_number(value):
            raise HTTPException(404)
        draft = self.store.get(int(value))
        if draft is None or draft.plan_type not in self.registry.plan_types:
            raise HTTPException(404)
        return draft

    def example_values(self, kind: PlanType) -> dict[str, Any]:
        """The form's starting values: the type's example, moved to the current year (its dates, edition
        and other years, as ``plangen next`` moves them), as the form shows it."""
        try:
            raw = yaml.safe_load(this_year(kind.example)) if kind.example else {}
        except yaml.YAMLError:
            raw = {}
        return forms.to_form_values(forms.model_nodes(kind.model), raw or {})


def web_of(request: Request) -> Web:
    """The running app's :class:`Web` (set by :func:`plangen.web.app.build_app`): what every view reads."""
    web: Web = request.app.state.web
    return web


def is_number(value: str) -> bool:
    """A draft or history number in a URL: ASCII digits only (``str.isdigit`` takes ² and ①, ``int`` does not)."""
    return value.isascii() and value.isdigit() and len(value) <= 12


def read_input(web: Web, data: bytes) -> tuple[PlanType, dict[str, Any]] | str:
    """An uploaded YAML/JSON/TOML input → (plan type, its fields), or the Chinese reason it cannot be used."""
    if len(data) > MAX_INPUT_BYTES:
        return _("This file is larger than an input file can be (2 MB); choose the plan's YAML file.")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or data[:2] == b"\x1f\x8b" or b"\x00" in data[:4096]:
        return _("This is not a YAML file (it is a zip or another binary file); choose the plan's YAML file.")
    try:
        mapping = parse_text(decode(data, "upload"), "upload", suffix=".yaml")
        envelope, _body = split(mapping)  # type and 类型 both given: refused as the CLI refuses it
        kind = web.registry.plan_type(envelope.plan_type) if isinstance(envelope.plan_type, str) else None
        if kind is None:
            raise InputError(Problem(_("The file names no plan type (type:).")))
    except (InputError, PlangenError) as exc:
        return _("This file cannot be opened as a plan input: {reason}", reason=str(exc).removeprefix("upload: "))
    return kind, {k: v for k, v in mapping.items() if k not in (*TYPE_KEYS, *FONT_KEYS)}  # a base's columns stay


def input_yaml(kind: PlanType, data: dict[str, Any]) -> str:
    """The draft as the CLI's input file, with a first line saying what it is."""
    text = "# " + _("{title} — plangen input; open it in plangen serve, or: plangen generate FILE", title=kind.title) + "\n"
    return text + yaml.safe_dump(with_type(kind.name, data), allow_unicode=True, sort_keys=False, width=1000)


def title_of(kind: PlanType, data: dict[str, Any]) -> str:
    unit = data.get("unit") if isinstance(data.get("unit"), dict) else {}
    name = unit.get("name", "") if isinstance(unit, dict) else ""
    return f"{name}{kind.title}" if isinstance(name, str) else kind.title


def problems_for(problems: list[Problem], kind: PlanType) -> list[dict[str, str]]:
    """Each problem with the form path it belongs beside, the field's Chinese name, and for a problem of a
    whole group (成文日期比开始日期早…) every field of the group its message names, to show it beside each."""
    nodes = forms.model_nodes(kind.model)
    out = []
    for p in problems:
        path = forms.problem_path(p.field)
        message = str(p.message)
        named = forms.named_fields(nodes, path, message)
        out.append({"field": path, "fields": " ".join(named or [path]), "label": forms.label_of(nodes, path) or p.field, "message": message})
    return out


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]")
"""Control, zero-width, direction (U+202E turns ``exe.docx`` round) and variation characters."""


def clean_file_name(name: str) -> str:
    """A file name fit to offer for download: no invisible or direction characters, no path, no NUL."""
    clean = _INVISIBLE.sub("", name).replace("/", "_").replace("\\", "_").strip().lstrip(".")
    return clean or "download"


def attachment(data: bytes, filename: str, media_type: str) -> Response:
    """A download whose Chinese name survives: an ASCII fallback and the UTF-8 name (RFC 6266/5987)."""
    filename = clean_file_name(filename)
    suffix = Path(filename).suffix
    fallback = "plan" + suffix if suffix in (".docx", ".yaml", ".zip", ".pdf", ".csv", ".xlsx", ".png") else "download"
    quoted = urllib.parse.quote(filename, safe="")
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"},
    )


def this_year(example: str, today: date | None = None) -> str:
    """An example input moved on to the current year, so a new draft does not start with last years'
    dates. What moving a year empties for the clerk to write anew (the year's theme) keeps the example's
    words: the example stays a valid plan."""
    from plangen.inputs.nextyear import next_year

    year = (today or date.today()).year
    try:
        original = yaml.safe_load(example)
    except yaml.YAMLError:
        return example
    text = example
    for _attempt in range(20):
        data = yaml.safe_load(text)
        found = data.get("year", data.get("年度")) if isinstance(data, dict) else None
        if found is None:
            found = _start_year(data)
        if not isinstance(found, int) or found >= year:
            break
        text = next_year(text)
    if text == example or not isinstance(original, dict):
        return text
    moved = yaml.safe_load(text)
    emptied = {k: v for k, v in original.items() if isinstance(moved, dict) and moved.get(k) in ("", None) and v not in ("", None)}
    return _restore(text, emptied) if emptied else text


def _start_year(data: Any) -> int | None:
    dates = data.get("dates", data.get("日期")) if isinstance(data, dict) else None
    start = dates.get("start", dates.get("开始")) if isinstance(dates, dict) else None
    return start.year if isinstance(start, date) else None


def _restore(text: str, values: dict[str, Any]) -> str:
    """``key: ""  # …`` lines given their example value back (the comment that asks for this year's is kept)."""
    for key, value in values.items():
        def given(m: re.Match[str], value: Any = value) -> str:
            return m.group(1) + json.dumps(value, ensure_ascii=False)

        text = re.sub(rf'^({re.escape(key)}\s*:\s*)""', given, text, count=1, flags=re.M)
    return text


def download_name(plan: Any, *, notice: bool = False) -> str:
    """The file name of a download, with the plan's year (东街社区-2026年爱国卫生月活动方案.docx), so next
    year's file is not named as this year's and the history tells them apart."""
    from plangen import api

    name = api.default_filename(plan, notice=notice)
    year = getattr(plan.data, "year", None)
    dates = getattr(plan.data, "dates", None)
    if not isinstance(year, int):
        start = getattr(dates, "start", None) or getattr(dates, "issued", None)
        year = start.year if isinstance(start, date) else None
    stem, suffix = name.rsplit(".", 1)
    if year is None or f"{year}年" in stem:
        return name
    unit, sep, kind = stem.partition("-")
    return api.safe_filename(f"{unit}{sep}{year}年{kind}" if sep else f"{year}年{stem}") + "." + suffix


OFFICIAL_FONTS = ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312")


@functools.lru_cache(maxsize=1)
def substitute_fonts() -> tuple[str, ...]:
    """The official fonts this server does not have (its PDFs set them in free look-alikes): fontconfig
    answers another family for them."""
    if shutil.which("fc-match") is None:
        return ()
    missing = []
    for family in OFFICIAL_FONTS:
        try:
            found = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        if family not in found:
            missing.append(family)
    return tuple(missing)
