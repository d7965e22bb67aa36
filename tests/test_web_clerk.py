"""The web app as a clerk working alone uses it, in Chromium: mistakes shown where they are, on any
screen (a 390 px phone), with the keyboard and with a screen reader (axe-core finds nothing serious)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from webforms import live_server  # noqa: E402

pytestmark = pytest.mark.chinese

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
Y = date.today().year


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine")
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--lang=zh-CN"])
        yield found
        found.close()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    with live_server(tmp_path / "data") as base:
        yield base


def _page(browser: Any, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def _saved(page: Any, action: Any) -> None:
    with page.expect_response(lambda r: r.request.method == "POST" and "/draft/" in r.url):
        action()


def test_a_mistake_between_two_dates_shows_beside_both_and_blocks_the_download_with_a_reason(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    # a new draft starts in the current year, so changing nothing gives no error
    assert page.input_value('input[name="year"]') == str(Y)
    assert page.input_value('input[name="dates.issued"]').startswith(f"{Y}-")
    assert page.locator("#preview .page").count() >= 3

    _saved(page, lambda: page.fill('input[name="dates.issued"]', f"{Y - 1}-03-25"))
    page.wait_for_selector('#status[data-problems="1"]')
    for field in ("dates.issued", "dates.start"):  # beside both fields the message names
        sync_api.expect(page.locator(f'.err[data-for="{field}"]')).to_contain_text("成文日期")
        assert page.get_attribute(f'input[name="{field}"]', "aria-invalid") == "true"
    assert "dates." not in page.locator("#problems").inner_text()  # the clerk's words, not field paths

    # no download link that would fail: the reason instead
    downloads = page.locator("#downloads")
    sync_api.expect(downloads).to_contain_text("改正上面的 1 处问题后才能下载")
    assert downloads.locator('a[href$="plan.docx"]').count() == 0
    # the preview keeps the last good pages, after a reload too
    assert page.locator("#preview .page").count() >= 3
    page.reload()
    page.wait_for_selector('#status[data-problems="1"]')
    assert page.locator("#preview .page").count() >= 3
    sync_api.expect(page.locator("#preview .page").first).to_contain_text(f"{Y}年")
    # a download asked for anyway (an old link) is a page that says why, not a failed download
    draft = page.url.rsplit("/", 1)[1]
    page.goto(f"{server}/draft/{draft}/plan.docx")
    sync_api.expect(page.locator("main")).to_contain_text("成文日期")
    sync_api.expect(page.get_by_role("link", name="返回表单")).to_be_visible()
    page.context.close()


def test_next_years_plan_asks_to_check_last_years_documents(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    with page.expect_download():
        page.locator('#downloads a[href$="plan.docx"]').click()
    page.goto(server + "/history")
    page.get_by_role("button", name="据此生成下一年度方案").click()
    page.wait_for_url("**/draft/*")
    assert page.input_value('input[name="year"]') == str(Y + 1)
    review = page.locator("#review")
    sync_api.expect(review).to_contain_text("请核对")
    sync_api.expect(review).to_contain_text("城发〔2024〕8号")  # the example's basis, kept as it was
    page.context.close()
