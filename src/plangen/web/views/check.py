"""格式检查: upload a .docx, see what breaks GB/T 9704 grouped by the rule it breaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from plangen.errors import PlangenError
from plangen.i18n import _
from plangen.web.core import clean_file_name, web_of

MAX_DOCX = 20 * 1024 * 1024


async def check_page(request: Request) -> Response:
    return web_of(request).page(request, "check.html", findings=None, filename=None, message=None, groups=[])


async def check_upload(request: Request) -> Response:
    web = web_of(request)
    form = await web.checked_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return web.page(request, "check.html", status=400, findings=None, filename=None, message=_("Choose a .docx file to check."))
    data = await upload.read(MAX_DOCX + 1)
    name = clean_file_name(Path(upload.filename.replace("\\", "/")).name)[:120] or "document.docx"
    message = None
    if len(data) > MAX_DOCX:
        message = _("The upload is larger than 20 MB; choose a smaller file.")
    elif data[:8].startswith(b"\xd0\xcf\x11\xe0"):
        message = _("This is an old .doc file (or an encrypted .docx); open it in Word or WPS, save it as .docx without a password, and upload that.")
    elif not data.startswith(b"PK\x03\x04"):
        message = _("This is not a .docx file; choose a Word document saved as .docx.")
    findings = None
    if message is None:
        from plangen.check import UnreadableFile, check

        try:
            findings = await run_in_threadpool(check, data, name=name, extra_rules=web.registry.check_rules())
        except (UnreadableFile, PlangenError) as exc:
            message = _("This document cannot be read: {reason}", reason=str(exc).removeprefix(name + ": "))
    return web.page(request, "check.html", status=400 if message else 200, findings=findings, filename=name, message=message,
                    groups=by_rule(findings or []))


def by_rule(findings: list[Any]) -> list[dict[str, Any]]:
    """Findings grouped by the rule they break, in the order first found: a clerk reads one rule with its
    places (第3段、第5段…) instead of the same line sixty times; the rule is named by what it asks for."""
    from plangen.check.findings import RULES, described

    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        group = groups.setdefault(f.rule, {"rule": f.rule, "title": described(f.rule) if f.rule in RULES else f.message, "findings": []})
        group["findings"].append(f)
    return list(groups.values())
