"""The web app as a clerk working alone uses it, in Chromium: mistakes shown where they are, on any
screen (a 390 px phone), with the keyboard and with a screen reader (axe-core finds nothing serious)."""

from __future__ import annotations

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


def _page(browser: Any, width: int = 1280, height: int = 900, *, bypass_csp: bool = False) -> Any:
    """A Chinese page; ``bypass_csp`` only to inject axe-core, which the app's own CSP (tested in
    test_web_browser_faults) rightly refuses as an inline script."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True,
                                  bypass_csp=bypass_csp)
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


@pytest.mark.slow
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


def _pages(page: Any, server: str) -> list[str]:
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    form = page.url
    return [server + "/", form, server + "/check", server + "/fix", server + "/batch", server + "/history"]


def _serious(page: Any) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                          ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")
    return list(found)


@pytest.mark.slow  # twelve pages through axe-core: about a minute
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_has_no_serious_accessibility_violation_and_fits_the_screen(browser: Any, server: str, width: int) -> None:
    assert AXE.exists() and (AXE.parent / "LICENSE").exists()
    page = _page(browser, width, 800, bypass_csp=True)
    for url in _pages(page, server):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert _serious(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url  # no sideways scrolling
    page.context.close()


def test_on_a_phone_the_preview_is_behind_a_button(browser: Any, server: str) -> None:
    page = _page(browser, 390, 844)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    preview = page.locator("#preview")
    assert not preview.is_visible()
    page.get_by_role("button", name="查看预览").click()
    toggle = page.locator(".preview-toggle")
    assert preview.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    box = page.locator("#preview .page").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # a whole page on the screen
    page.get_by_role("button", name="收起预览").click()
    assert not preview.is_visible()
    # the form's fields take the screen's width, one under the other
    field = page.locator('input[name="unit.name"]').bounding_box()
    assert field is not None and field["width"] > 250
    page.context.close()


def test_the_keyboard_reaches_the_downloads_at_once_and_stays_on_moved_rows(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到下载"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "下载 Word 文档（.docx）"

    rows = page.locator('.rows[data-path="leadership.deputies"]')
    rows.locator("button.add").click()
    page.fill('input[name="leadership.deputies[1].name"]', "周晓梅")
    down = rows.locator("button.down").first
    down.focus()
    page.keyboard.press("Enter")
    assert page.input_value('input[name="leadership.deputies[0].name"]') == "周晓梅"
    focused = page.evaluate("[document.activeElement.className, document.activeElement.closest('.row').querySelector('input').value]")
    assert focused[0] == "down" and focused[1] != "周晓梅"  # the moved row's ↓ keeps the focus
    up = rows.locator(".row").nth(1).locator("button.up")
    up.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.className") == "up"
    rows.locator(".row").first.locator("button.remove").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "leadership.deputies[0].name"  # on the row that took its place
    assert page.evaluate("document.activeElement.tagName") != "BODY"
    page.context.close()


def test_screen_readers_hear_chinese_names_without_stars_and_required_fields(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    names = page.evaluate("[...document.querySelectorAll('.row-tools button')].map(b => b.getAttribute('aria-label'))")
    assert names and all(n and not set(n) & set("↑↓✕") and ("上移" in n or "下移" in n or "删除" in n) for n in names)
    # every input named; names without * or help text
    unit = page.get_by_role("textbox", name="名称", exact=True).first
    assert unit.get_attribute("aria-required") == "true"
    snapshot = page.locator("#plan").aria_snapshot()
    assert "*" not in snapshot
    lists = page.evaluate("[...document.querySelectorAll('.field.bare input')].map(i => i.getAttribute('aria-label'))")
    assert lists and all(lists)
    # a field of an optional group (发文) has no star: it may be left empty
    issuer = page.locator('fieldset[data-path="issuer"]')
    if issuer.count():
        assert issuer.locator(".req").count() == 0
    page.context.close()


@pytest.mark.slow  # LibreOffice makes the PDFs
def test_downloads_are_named_with_the_year_and_a_pdf_made_again_is_a_pdf(browser: Any, server: str, tmp_path: Path) -> None:
    from plangen.testing import soffice

    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    with page.expect_download() as info:
        page.locator('#downloads a[href$="plan.docx"]').click()
    assert info.value.suggested_filename == f"东街社区-{Y}年爱国卫生月活动方案.docx"
    if soffice() is None:
        page.context.close()
        return
    from plangen.web.core import substitute_fonts

    if substitute_fonts():  # the PDF is made with look-alike fonts here: the page says so
        sync_api.expect(page.locator("#downloads .fonts-note")).to_contain_text(substitute_fonts()[0])
    with page.expect_download(timeout=120_000) as info:
        page.locator("#downloads a.pdf").click(no_wait_after=True)
        sync_api.expect(page.locator("#downloads .progress")).to_contain_text("正在生成 PDF")  # a sign while it is made
    assert info.value.suggested_filename == f"东街社区-{Y}年爱国卫生月活动方案.pdf"
    page.goto(server + "/history")
    row = page.locator("table.history tbody tr").filter(has_text=".pdf").first
    with page.expect_download(timeout=120_000) as info:
        row.get_by_role("link", name="重新生成").click()
    path = tmp_path / "again.pdf"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".pdf") and path.read_bytes().startswith(b"%PDF")
    page.context.close()


def test_serve_on_the_office_network_prints_links_colleagues_can_open(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from webforms import free_port

    from plangen.cli.serve import lan_addresses

    if not lan_addresses():
        pytest.skip("this machine has no network address but loopback")
    port = free_port()
    env = {**os.environ, "PLANGEN_LANG": "zh", "CI": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "plangen", "serve", "--host", "0.0.0.0", "--port", str(port), "--new-token",
                             "--no-browser", "--data", str(tmp_path / "data")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "127.0.0.1" in lines[0]
    assert "同事请在各自电脑上打开 http://" in lines[1] and "127.0.0.1" not in lines[1] and "?token=" in lines[1], lines


def test_the_batch_page_starts_from_the_draft_just_made(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/civilised-county")
    page.wait_for_selector('#status[data-problems="0"]')
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    draft = page.url.rsplit("/", 1)[1]
    page.locator("header nav").get_by_role("link", name="批量生成").click()
    assert page.input_value('select[name="base"]') == draft
    page.context.close()


def test_the_survey_reports_team_is_optional_and_nothing_in_it_is_required(browser: Any, server: str) -> None:
    """The survey report's 调研组 (the shared leadership block) may be left empty: nothing in it is marked
    required, so a clerk is not asked for a 组长 the report does not need. (A plan type that never prints
    the block leaves it out altogether: ``PlanType.omits``, tested in tests/test_plugins_fail_alone.py.)"""
    page = _page(browser)
    page.goto(server + "/new/survey-report")
    page.wait_for_selector('#status[data-problems="0"]')
    team = page.locator('fieldset[data-path="leadership"]')
    if team.count():
        assert team.locator('[aria-required="true"]').count() == 0
        assert team.locator(".req, abbr.req").count() == 0
    page.context.close()


@pytest.mark.slow  # Chromium, two saves
def test_a_shared_date_mistake_and_a_plan_type_mistake_show_at_once_each_beside_its_fields(browser: Any, server: str) -> None:
    """成文日期 after the period (every plan's check) and a wrong 届次 (the 爱国卫生月's own check) at once."""
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    _saved(page, lambda: page.fill('input[name="edition"]', "30"))
    page.wait_for_selector('#status[data-problems="1"]')
    _saved(page, lambda: page.fill('input[name="dates.issued"]', f"{Y}-05-25"))
    page.wait_for_selector('#status[data-problems="2"]')
    for field in ("dates.issued", "dates.end"):
        sync_api.expect(page.locator(f'.err[data-for="{field}"]')).to_contain_text("成文日期")
        assert page.get_attribute(f'input[name="{field}"]', "aria-invalid") == "true"
    for field in ("edition", "year"):
        sync_api.expect(page.locator(f'.err[data-for="{field}"]')).to_contain_text("届次 30")
        assert page.get_attribute(f'input[name="{field}"]', "aria-invalid") == "true"


@pytest.mark.slow  # Chromium
def test_a_villages_name_turns_the_examples_words_into_the_villages_in_the_form(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/new/hygiene-month")
    page.wait_for_selector('#status[data-problems="0"]')
    assert page.input_value('input[name="cooperating[1]"]') == "社区卫生服务站"
    page.fill('input[name="unit.parent"]', "石门乡")
    _saved(page, lambda: page.fill('input[name="unit.name"]', "桃园村"))
    sync_api.expect(page.locator('input[name="cooperating[1]"]')).to_have_value("村卫生室")
    assert page.input_value('input[name="cooperating[0]"]') == "驻村单位"
    assert page.input_value('input[name="leadership.leader.post"]') == "村党组织书记"
    sync_api.expect(page.locator("#mended")).to_contain_text("社区卫生服务站 → 村卫生室")
    page.wait_for_selector('#status[data-problems="0"]')
    page.reload()
    assert page.input_value('input[name="cooperating[1]"]') == "村卫生室"
