"""``plangen serve`` in a real browser (Playwright driving Debian's chromium), as office staff use it.

Skipped only when no chromium is installed (.ci/run installs it). Set PLANGEN_WEB_SCREENSHOTS=DIR to
keep screenshots of the home page and of the form with its preview (docs/web-home.png, web-form.png),
of the check and fix pages (web-check.png, web-fix.png).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from docx import Document as Docx  # noqa: E402
from webforms import clerks_docx, live_server  # noqa: E402

pytestmark = pytest.mark.chinese

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--lang=zh-CN"]  # the browser's own words (file inputs) in Chinese, as on staff PCs


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium); .ci/run installs it")
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield found
        found.close()


@contextmanager
def _chinese_page(browser: Any, width: int, height: int, *, timeout: int) -> Iterator[Any]:
    """A page as staff see it: Chinese locale, downloads kept; closed with its context."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(timeout)
    try:
        yield page
    finally:
        context.close()


def _shot(page: object, name: str) -> None:
    folder = os.environ.get("PLANGEN_WEB_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name))  # type: ignore[attr-defined]


def test_a_plan_from_the_home_page_to_a_checked_docx(browser: object, tmp_path: Path) -> None:
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1440, 900, timeout=15_000) as page:
        page.goto(base + "/")
        assert page.title() == "plangen 工作方案"
        _shot(page, "web-home.png")
        page.get_by_role("link", name="爱国卫生月活动方案").click()
        page.wait_for_url("**/draft/*")
        page.wait_for_selector("#preview .page")

        def saved(action: object) -> None:
            """Do ``action`` and wait for the draft to be saved (the form posts as the user types)."""
            with page.expect_response(lambda r: r.request.method == "POST" and "/draft/" in r.url):
                action()  # type: ignore[operator]

        # the unit, the year (with this year's dates), the leadership
        page.fill('input[name="unit.name"]', "青山社区")
        page.fill('input[name="unit.parent"]', "河东街道")
        page.fill('input[name="year"]', "2025")
        page.fill('input[name="dates.issued"]', "2025-03-25")
        page.fill('input[name="report.deadline"]', "2025-05-06")
        page.fill('input[name="leadership.leader.name"]', "王立新")
        page.fill('input[name="leadership.leader.post"]', "社区党委书记")
        page.locator('.rows[data-path="leadership.deputies"] > button.add').click()
        page.fill('input[name="leadership.deputies[1].name"]', "周晓梅")
        saved(lambda: page.fill('input[name="leadership.deputies[1].post"]', "社区居委会主任"))
        page.wait_for_selector('#status[data-problems="0"]')

        # an impossible period: the error shows beside the dates, and the preview keeps the last good pages
        page.fill('input[name="dates.start"]', "2025-04-20")
        saved(lambda: page.fill('input[name="dates.end"]', "2025-04-02"))
        error = page.locator('.err[data-for="dates.end"]')  # beside both dates the message names
        sync_api.expect(error).to_contain_text("2025-04-02")
        sync_api.expect(page.locator('.err[data-for="dates.start"]')).to_contain_text("2025-04-02")
        assert page.locator("#preview .page").count() >= 1
        _shot(page, "web-form-error.png")

        # fixed: the error goes, the preview shows the new unit
        saved(lambda: page.fill('input[name="dates.end"]', "2025-04-30"))
        sync_api.expect(error).to_be_empty()
        page.wait_for_selector('#status[data-problems="0"]')
        sync_api.expect(page.locator("#preview .page").first).to_contain_text("河东街道青山社区")
        sync_api.expect(page.locator("#preview")).to_contain_text("周晓梅（社区居委会主任）")
        _shot(page, "web-form.png")

        # reload mid-form: the draft is there, the added row too
        page.reload()
        assert page.input_value('input[name="unit.name"]') == "青山社区"
        assert page.input_value('input[name="leadership.deputies[1].name"]') == "周晓梅"
        assert page.input_value('input[name="dates.end"]') == "2025-04-30"

        # the .docx: downloaded, read back, and checked by plangen check
        with page.expect_download() as info:
            page.get_by_role("link", name="下载 Word 文档（.docx）").click()
        download = info.value
        assert download.suggested_filename.endswith(".docx") and "青山社区" in download.suggested_filename
        path = tmp_path / "plan.docx"
        download.save_as(path)
        text = "\n".join(p.text for p in Docx(str(path)).paragraphs)
        assert "河东街道青山社区" in text and "王立新" in text
        check = subprocess.run([sys.executable, "-m", "plangen", "check", str(path)], capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr

        # the home page lists the draft
        page.goto(base + "/")
        sync_api.expect(page.locator(".drafts")).to_contain_text("青山社区爱国卫生月活动方案")


def test_rows_are_added_removed_and_reordered(browser: object, tmp_path: Path) -> None:
    with live_server(tmp_path / "data") as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.set_default_timeout(15_000)
        page.goto(base + "/new/hygiene-month")
        page.wait_for_selector("#preview .page")
        members = page.locator('.rows[data-path="leadership.members"]')
        names = lambda: [members.locator(f'input[name="leadership.members[{i}].name"]').input_value() for i in range(members.locator(".items > .row").count())]
        assert names() == ["丁燕", "冯军", "陆丽杰"]
        members.locator(".items > .row").nth(2).locator("button.up").click()
        assert names() == ["丁燕", "陆丽杰", "冯军"]
        members.locator(".items > .row").nth(0).locator("button.remove").click()
        assert names() == ["陆丽杰", "冯军"]
        with page.expect_response(lambda r: r.request.method == "POST"):
            members.locator("> button.add").click()
        page.fill('input[name="leadership.members[2].name"]', "林海")
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.locator('input[name="leadership.members[2].name"]').dispatch_event("change")
        sync_api.expect(page.locator("#preview")).to_contain_text("陆丽杰、冯军、林海")
        page.reload()
        assert names() == ["陆丽杰", "冯军", "林海"]
        page.close()


def test_the_access_link_sets_the_session(browser: object, tmp_path: Path) -> None:
    with live_server(tmp_path / "data", token="office-token-2024") as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(base + "/")
        assert "访问令牌" in page.content()
        page.goto(base + "/?token=office-token-2024")
        assert page.url == base + "/" and page.get_by_text("爱国卫生月活动方案").count() >= 1
        page.close()


def test_a_roster_becomes_a_zip_of_plans_in_the_batch_page(browser: object, tmp_path: Path) -> None:
    """Upload samples/communities.csv with a 爱国卫生月 draft as the base: 20 plans in the zip."""
    import zipfile

    roster = Path(__file__).resolve().parent.parent / "samples" / "communities.csv"
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1280, 900, timeout=30_000) as page:
        page.goto(base + "/")
        page.get_by_role("link", name="爱国卫生月活动方案").click()
        page.wait_for_selector("#preview .page")
        page.goto(base + "/")
        page.locator("ul.entries").get_by_role("link", name="批量生成").click()
        page.wait_for_url("**/batch")
        page.set_input_files('input[name="roster"]', str(roster))
        page.select_option('select[name="base"]', label="东街社区爱国卫生月活动方案 · #1")
        page.get_by_role("button", name="下一步：核对列对应关系").click()
        page.wait_for_selector("#mapping")
        # the headers are matched; one is corrected in the page and put back
        row = page.locator('tr[data-header="联系人"] select')
        assert row.input_value() == "contact.person"
        row.select_option("")
        row.select_option(label="联系人 › 联系人")
        _shot(page, "web-batch-mapping.png")
        # the draft's 办公室主任 is in no column: confirmed, the same in every plan
        page.get_by_label("每份方案都写同样的人", exact=False).check()
        page.get_by_role("button", name="开始生成").click()
        sync_api.expect(page.locator("#batch-status")).to_have_attribute("data-state", "done", timeout=60_000)  # a busy machine
        sync_api.expect(page.locator("#batch-status")).to_contain_text("生成方案 20 份")
        _shot(page, "web-batch.png")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载全部方案（.zip）").click()
        path = tmp_path / "plans.zip"
        info.value.save_as(path)
        assert info.value.suggested_filename.endswith(".zip")
        with zipfile.ZipFile(path) as z:
            plans = [n for n in z.namelist() if n.endswith(".docx")]
            assert len(plans) == 20
            (tmp_path / "one.docx").write_bytes(z.read("河西社区-爱国卫生月活动方案.docx"))
        text = "\n".join(p.text for p in Docx(str(tmp_path / "one.docx")).paragraphs)
        assert "河西社区" in text


def test_a_broken_docx_shows_its_findings_in_the_check_page(browser: object, tmp_path: Path) -> None:
    broken = Docx()  # python-docx's default template: Letter paper, Calibri/宋体, no page numbers
    broken.add_paragraph("关于做好春季爱国卫生工作的通知")
    broken.add_paragraph("一、总体要求")
    broken.add_paragraph("各网格要高度重视。")
    path = tmp_path / "草稿.docx"
    broken.save(str(path))
    with live_server(tmp_path / "data") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.set_default_timeout(30_000)
        page.goto(base + "/")
        page.locator("ul.entries").get_by_role("link", name="格式检查").click()
        page.wait_for_url("**/check")
        page.set_input_files('input[name="file"]', str(path))
        page.get_by_role("button", name="检查").click()
        findings = page.locator("#findings")
        sync_api.expect(findings).to_contain_text("草稿.docx：发现")
        sync_api.expect(findings.locator('li[data-rule="page-size"]')).to_contain_text("第1节")
        sync_api.expect(findings.locator('li[data-rule="heading-font"]').first).to_contain_text("第2段")
        assert findings.locator("li[data-rule]").count() >= 5
        findings.get_by_role("link", name="用“格式修正”自动改正这些问题").click()
        page.wait_for_url("**/fix")
        _shot(page, "web-check.png")
        page.close()


def test_a_clerks_docx_is_fixed_in_the_fix_page_and_downloaded(browser: object, tmp_path: Path) -> None:
    """格式修正: upload a messy .docx, read the report, download NAME（已修正）.docx and read it back."""
    source = tmp_path / "通知.docx"
    source.write_bytes(clerks_docx())
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1280, 1000, timeout=30_000) as page:
        page.goto(base + "/")
        page.locator("header nav").get_by_role("link", name="格式修正").click()
        page.wait_for_url("**/fix")
        page.set_input_files('input[name="file"]', str(source))
        page.get_by_role("button", name="修正").click()
        fixed = page.locator("#fixed")
        sync_api.expect(fixed).to_contain_text("通知.docx：已修正，另有 1 处须人工处理")
        sync_api.expect(page.locator('#person tr[data-code="placeholder"]')).to_contain_text("XX")
        renumbered = page.locator('#changes tr[data-code="renumbered"]')
        sync_api.expect(renumbered).to_have_count(2)
        sync_api.expect(renumbered.first).to_contain_text("三、二、")
        _shot(page, "web-fix.png")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载 通知（已修正）.docx").click()
        assert info.value.suggested_filename == "通知（已修正）.docx"
        path = tmp_path / "fixed.docx"
        info.value.save_as(path)
        texts = [p.text for p in Docx(str(path)).paragraphs]
        assert "二、工作安排" in texts and "三、工作要求" in texts and not any(t.startswith("四、") for t in texts)
        assert any("2024年4月1日" in t for t in texts)
        check = subprocess.run([sys.executable, "-m", "plangen", "check", "--json", str(path)], capture_output=True, text=True, timeout=120)
        assert '"placeholder"' in check.stdout and check.stdout.count('"rule"') == 1, check.stdout


def test_next_years_plan_from_the_history(browser: object, tmp_path: Path) -> None:
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1280, 900, timeout=30_000) as page:
        page.goto(base + "/new/hygiene-month")
        page.wait_for_selector("#preview .page")
        with page.expect_download():
            page.get_by_role("link", name="下载 Word 文档（.docx）").click()
        page.locator("header nav").get_by_role("link", name="历史").click()
        page.wait_for_url("**/history")
        sync_api.expect(page.locator("table.history tbody tr")).to_have_count(1)
        sync_api.expect(page.locator("table.history")).to_contain_text(f"东街社区-{date.today().year}年爱国卫生月活动方案.docx")
        _shot(page, "web-history.png")
        page.get_by_role("button", name="据此生成下一年度方案").click()
        page.wait_for_url("**/draft/*")
        year = date.today().year + 1  # the new draft started this year; its next year's plan
        assert page.input_value('input[name="year"]') == str(year)
        assert page.input_value('input[name="dates.issued"]') == f"{year}-03-25"
        sync_api.expect(page.locator('.err[data-for="theme"]')).not_to_be_empty()  # the theme is asked for
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.fill('input[name="theme"]', "清洁家园 健康生活")
        sync_api.expect(page.locator("#preview")).to_contain_text(f"第{year - 1988}个爱国卫生月")


def test_an_office_roster_is_previewed_corrected_and_each_plan_is_its_row(browser: object, tmp_path: Path) -> None:
    """A 镇 office's roster (title row, 书记/主任/委员, 社区 and 村 mixed) over the form's draft: the page
    shows what the first three plans will say, a corrected column is looked at again, people the roster
    lacks stop the batch until confirmed, and every plan in the zip names its own row's people."""
    import zipfile

    from office_rosters import UNITS, assert_plan_is_its_rows, titled_xlsx

    roster = titled_xlsx(tmp_path / "城关镇名册.xlsx")
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1280, 1000, timeout=30_000) as page:
        page.goto(base + "/")
        page.get_by_role("link", name="爱国卫生月活动方案").click()
        page.wait_for_selector("#preview .page")
        page.goto(base + "/batch")
        page.set_input_files('input[name="roster"]', str(roster))
        page.select_option('select[name="base"]', label="东街社区爱国卫生月活动方案 · #1")
        page.get_by_role("button", name="下一步：核对列对应关系").click()
        page.wait_for_selector("#mapping")
        assert page.locator('tr[data-header="书记"] select').input_value() == "leadership.leader"
        assert page.locator('tr[data-header="主任"] select').input_value() == "leadership.deputies"
        assert page.locator('tr[data-header="委员"] select').input_value() == "leadership.members"
        look = page.locator("#look")
        sync_api.expect(look).to_contain_text("以第3行为表头")
        sync_api.expect(look).to_contain_text("未使用的列：序号")
        rows = look.locator("tr.plan-row")
        sync_api.expect(rows).to_have_count(3)
        sync_api.expect(rows.nth(0).locator(".unit")).to_have_text("城关镇东街社区（社区）")
        sync_api.expect(rows.nth(0).locator(".people")).to_contain_text("组长：周文清（社区党委书记）")
        sync_api.expect(rows.nth(1).locator(".unit")).to_have_text("城关镇桃园村（村）")
        sync_api.expect(rows.nth(1).locator(".people")).to_contain_text("组长：谢振宇（村党组织书记）")
        sync_api.expect(rows.nth(1).locator(".people")).to_contain_text("副组长：韩春花（村委会主任）")
        sync_api.expect(rows.nth(1).locator(".people")).to_contain_text("成员：唐磊、曹芳")
        _shot(page, "web-batch-preview.png")
        # the draft's office director is in no column: said before anything runs, in a clerk's words
        stop = look.locator(".same-people")
        sync_api.expect(stop).to_contain_text("办公室主任")
        for machine in ("columns:", "leadership", "contact.", "YAML"):
            assert machine not in page.locator("main").inner_text()
        # a column chosen wrong is corrected and looked at again
        page.locator('tr[data-header="委员"] select').select_option("")
        page.get_by_role("button", name="按现在的对应关系再看一遍").click()
        page.wait_for_selector("#mapping")
        sync_api.expect(page.locator("#look")).to_contain_text("未使用的列：序号、委员")
        sync_api.expect(page.locator("#look tr.plan-row").nth(1).locator(".people")).not_to_contain_text("唐磊")
        page.locator('tr[data-header="委员"] select').select_option("leadership.members")
        page.get_by_role("button", name="按现在的对应关系再看一遍").click()
        sync_api.expect(page.locator("#look tr.plan-row").nth(1).locator(".people")).to_contain_text("成员：唐磊、曹芳")
        # without the box ticked the batch does not start
        page.get_by_role("button", name="开始生成").click()
        sync_api.expect(page.locator("p.error[role=alert]").first).to_contain_text("办公室主任")
        assert page.locator("#batch-status").count() == 0
        page.get_by_label("每份方案都写同样的人", exact=False).check()
        page.get_by_role("button", name="开始生成").click()
        sync_api.expect(page.locator("#batch-status")).to_have_attribute("data-state", "done", timeout=60_000)
        sync_api.expect(page.locator("#batch-status")).to_contain_text("生成方案 8 份")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载全部方案（.zip）").click()
        path = tmp_path / "plans.zip"
        info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        for unit in UNITS:
            one = tmp_path / f"{unit.name}.docx"
            one.write_bytes(z.read(f"{unit.name}-爱国卫生月活动方案.docx"))
            others = [n for u in UNITS if u is not unit for n in (u.secretary, u.director, u.contact, *u.members.split("、"))]
            assert_plan_is_its_rows(one, unit, others)
