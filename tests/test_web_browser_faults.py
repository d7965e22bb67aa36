"""``plangen serve`` in Chromium when things go wrong: a save the server refuses, two tabs on one draft,
and the strict Content-Security-Policy (nothing on any page is blocked by it)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from webforms import live_server  # noqa: E402

from plangen.testing import slow  # noqa: E402

pytestmark = pytest.mark.chinese

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "office-token-2024"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium); .ci/run installs it")
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu", "--lang=zh-CN"])
        yield found
        found.close()


def _saved_data(data: Path, draft: int) -> dict[str, Any]:
    row = sqlite3.connect(data / "plangen.sqlite3").execute("SELECT data FROM drafts WHERE id=?", (draft,)).fetchone()
    return dict(json.loads(row[0]))


def _posted(page: Any) -> Any:
    return page.expect_response(lambda r: r.request.method == "POST" and "/draft/" in r.url)


def test_a_refused_autosave_says_unsaved_why_and_retry_and_keeps_the_text(browser: Any, tmp_path: Path) -> None:
    """The server restarted with a new token (here: the session cookie is gone): the save gets 403."""
    with live_server(tmp_path / "data", token=TOKEN) as base:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(f"{base}/new/hygiene-month?token={TOKEN}")
            page.wait_for_url("**/draft/*")
            assert "token" not in page.url
            page.wait_for_selector("#preview .page")
            cookies = context.cookies()
            context.clear_cookies()
            with _posted(page) as refused:
                page.fill('input[name="unit.name"]', "梧桐社区")
            assert refused.value.status == 403
            box = page.locator("#savefail")
            box.wait_for(state="visible")
            assert "未保存" in box.inner_text() and "访问令牌" in box.inner_text()
            assert page.locator("#savefail .retry").is_visible()
            assert page.input_value('input[name="unit.name"]') == "梧桐社区"  # typed text kept in the page
            assert _saved_data(tmp_path / "data", 1)["unit"]["name"] != "梧桐社区"
            page.fill('input[name="theme"]', "清洁家园 你我同行")  # more typing while unsaved stays too
            context.add_cookies(cookies)
            with _posted(page) as retried:
                page.click("#savefail .retry")
            assert retried.value.status == 200
            box.wait_for(state="hidden")
            saved = _saved_data(tmp_path / "data", 1)
            assert saved["unit"]["name"] == "梧桐社区" and saved["theme"] == "清洁家园 你我同行"
        finally:
            context.close()


def test_two_tabs_on_one_draft_the_later_save_is_told_and_can_keep_its_text(browser: Any, tmp_path: Path) -> None:
    with live_server(tmp_path / "data") as base:
        context = browser.new_context(locale="zh-CN")
        first, second = context.new_page(), context.new_page()
        try:
            for page in (first, second):
                page.set_default_timeout(15_000)
            first.goto(base + "/new/hygiene-month")
            first.wait_for_url("**/draft/*")
            second.goto(first.url)
            second.wait_for_selector("#preview .page")
            with _posted(first) as one:
                first.fill('input[name="unit.name"]', "柳岸社区")
            assert one.value.status == 200
            with _posted(second) as two:
                second.fill('input[name="theme"]', "爱卫同行 健康先行")
            assert two.value.status == 409
            box = second.locator("#savefail")
            box.wait_for(state="visible")
            text = box.inner_text()
            assert "未保存" in text and "另一个标签页或窗口" in text
            assert second.locator("#savefail .reload").is_visible() and second.locator("#savefail .keep").is_visible()
            assert _saved_data(tmp_path / "data", 1)["unit"]["name"] == "柳岸社区"  # nothing silently reverted
            assert second.input_value('input[name="theme"]') == "爱卫同行 健康先行"
            # leaving the field posts it once more (a 409, the box stays); the click then saves with "keep mine"
            with second.expect_response(lambda r: r.request.method == "POST" and "/draft/" in r.url and r.status == 200):
                second.click("#savefail .keep")
            box.wait_for(state="hidden")
            assert _saved_data(tmp_path / "data", 1)["theme"] == "爱卫同行 健康先行"
        finally:
            context.close()


def test_no_page_breaks_the_content_security_policy(browser: Any, tmp_path: Path) -> None:
    with live_server(tmp_path / "data") as base:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        try:
            page.goto(base + "/")
            page.get_by_role("link", name="爱国卫生月活动方案").click()
            page.wait_for_url("**/draft/*")
            page.wait_for_selector("#preview .page")
            page.locator('.rows[data-path="leadership.deputies"] > button.add').click()  # app.js runs
            with _posted(page):
                page.fill('input[name="unit.name"]', "松林社区")  # htmx runs
            page.press('input[name="unit.name"]', "Enter")  # the form never submits itself
            assert "/draft/" in page.url
            for path in ("/batch", "/check", "/fix", "/history"):
                page.goto(base + path)
                page.wait_for_load_state("load")
            assert blocked == []
        finally:
            context.close()


@slow  # the server's thread waits for the browser's keep-alive connection before it stops: ten seconds
def test_a_stopped_server_is_said_and_what_is_typed_stays(browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        with live_server(tmp_path / "data") as base:
            page.goto(base + "/new/hygiene-month")
            page.wait_for_url("**/draft/*")
            page.wait_for_selector("#preview .page")
        page.fill('input[name="unit.name"]', "石桥社区")  # the server has stopped
        box = page.locator("#savefail")
        box.wait_for(state="visible")
        assert "未保存" in box.inner_text() and "连不上服务器" in box.inner_text()
        assert page.input_value('input[name="unit.name"]') == "石桥社区"
    finally:
        context.close()
