"""Test helpers for the web app: read a page's form as a browser would post it, start a live server."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any


class FormReader(HTMLParser):
    """The (name, value) pairs a browser posts for ``<form id="plan">``: rows' templates left out,
    unchecked boxes left out, a select's selected option (or its first)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.in_template = 0
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input" and "name" in a and a["name"] != "csrf":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.pairs.append((a["name"], "on"))
            elif a.get("type") != "file":
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
        if self.in_template:
            return
        if tag == "select" and self.select is not None:
            chosen = next((v for v, s in self.options if s), self.options[0][0] if self.options else "")
            self.pairs.append((self.select, chosen))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.pairs.append((self.textarea, self.text))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and not self.in_template:
            self.text += data


def form_pairs(html: str) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(html)
    return reader.pairs


def csrf_of(html: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


BASE = "http://127.0.0.1"
"""Where the test clients send their requests: the server answers only the names it is reached by."""


def make_draft(client: Any, kind: str = "hygiene-month") -> Any:
    """A new draft of ``kind`` as the home page's card makes it: the page, then its POST; the draft's response."""
    page = client.get(f"/new/{kind}")
    assert page.status_code == 200, page.text
    return client.post(f"/new/{kind}", headers={"X-CSRF-Token": csrf_of(page.text)}, follow_redirects=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(data_dir: Path, **kwargs: Any) -> Iterator[str]:
    """``plangen serve``'s app on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    from plangen.web.app import build_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(data_dir, **kwargs), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def clerks_docx() -> bytes:
    """A notice as a clerk types it in Word's default template: 一、 typed by hand with 二、 skipped,
    half-width punctuation, zero-padded dates, spaces for indentation, an empty paragraph, mixed
    fonts, and an XX left to fill in."""
    import io

    from docx import Document as Docx
    from docx.shared import Pt

    doc = Docx()
    doc.add_paragraph("关于开展春季爱国卫生运动的通知")
    doc.add_paragraph("各居民小组:")
    doc.add_paragraph("    为进一步改善人居环境,经研究,决定开展春季爱国卫生运动.现将有关事项通知如下:")
    doc.add_paragraph("")
    doc.add_paragraph("一、工作目标")
    body = doc.add_paragraph("    全面清理卫生死角,做到无垃圾、无积水,群众满意.")
    body.runs[0].font.name = "Arial"
    body.runs[0].font.size = Pt(12)
    doc.add_paragraph("三、工作安排")
    doc.add_paragraph("活动时间为2024年04月01日至2024年04月30日,由XX同志具体负责.")
    doc.add_paragraph("四、工作要求")
    doc.add_paragraph("各小组要高度重视,认真落实.")
    doc.add_paragraph("青山社区居民委员会")
    doc.add_paragraph("2024年03月25日")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
