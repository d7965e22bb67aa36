"""从文件新建方案类型 in a real browser: upload last year's Word file, see the proposed fields, rename
one, drop one, mark another passage by selecting it, save, and write next year's plan from 首页."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from docx import Document as Docx  # noqa: E402
from seed_docs import hygiene  # noqa: E402
from test_web_browser import _chinese_page, _shot, browser  # noqa: E402,F401  (the browser fixture)
from webforms import live_server  # noqa: E402

pytestmark = pytest.mark.chinese

SELECT = """(passage) => {
  const text = document.getElementById("learn-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(passage);
    if (at >= 0 && !node.parentElement.closest("mark")) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + passage.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      text.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_a_plan_type_from_last_years_file(browser: object, tmp_path: Path) -> None:  # noqa: F811  (the fixture imported above)
    source = hygiene(tmp_path / "青田县爱国卫生月活动方案.docx")
    with live_server(tmp_path / "data") as base, _chinese_page(browser, 1440, 900, timeout=20_000) as page:
        page.goto(base + "/")
        page.get_by_role("link", name="从文件新建方案类型").click()
        page.set_input_files('input[name="file"]', str(source))
        page.get_by_role("button", name="读取文件").click()
        page.wait_for_url("**/learn/*")

        # the proposed fields, highlighted and named in Chinese
        unit = page.locator('mark.lf[data-field="unit.name"]').first
        sync_api.expect(unit).to_contain_text("青田县")
        sync_api.expect(unit.locator("small")).to_have_text("单位名称")
        sync_api.expect(page.locator('mark.lf[data-field="theme"]')).to_contain_text("美丽中国 健康相伴")
        sync_api.expect(page.locator('mark.lf[data-field="edition"]').first).to_contain_text("36")

        # mark another passage by selecting it: the form is filled, the passage becomes a field
        assert page.evaluate(SELECT, "省级卫生县城复评")
        assert page.input_value("#mark-passage") == "省级卫生县城复评"
        page.fill("#mark-label", "创建目标")
        page.get_by_role("button", name="设为填写项").click()
        page.wait_for_url("**/learn/*")
        sync_api.expect(page.locator('mark.lf[data-field="text_1"]').first).to_contain_text("省级卫生县城复评")

        _shot(page, "web-learn.png")

        # rename one field, drop another, name the type, save
        page.fill('input[name="label.theme"]', "活动主题")
        page.uncheck('input[name="keep.date_1"]')
        page.fill('input[name="title"]', "县级爱国卫生月活动方案")
        page.fill('input[name="name"]', "county-hygiene")
        page.get_by_role("button", name="保存方案类型").click()
        page.wait_for_url("**/?added=county-hygiene")

        # on 首页 at once, with its form ready
        page.get_by_role("link", name="县级爱国卫生月活动方案").click()
        page.wait_for_url("**/draft/*")
        page.wait_for_selector("#preview .page")
        assert page.input_value('input[name="theme"]') == "美丽中国 健康相伴"
        sync_api.expect(page.locator("form")).to_contain_text("活动主题")
        assert page.input_value('input[name="text_1"]') == "省级卫生县城复评"
        assert page.locator('input[name="date_1"]').count() == 0
        page.fill('input[name="unit.name"]', "临江县")
        with page.expect_response(lambda r: r.request.method == "POST" and "/draft/" in r.url):
            page.fill('input[name="text_1"]', "国家卫生县城复审")
        sync_api.expect(page.locator("#preview")).to_contain_text("确保我县成功通过国家卫生县城复审")
        sync_api.expect(page.locator("#preview .page").first).to_contain_text("临江县")
        page.wait_for_selector('#status[data-problems="0"]')

        # the .docx, and the history that remembers it
        with page.expect_download() as info:
            page.get_by_role("link", name="下载 Word 文档（.docx）").click()
        path = tmp_path / "plan.docx"
        info.value.save_as(path)
        text = "\n".join(p.text for p in Docx(str(path)).paragraphs)
        assert "临江县" in text and "国家卫生县城复审" in text and "青田" not in text
        page.goto(base + "/history")
        sync_api.expect(page.locator("main")).to_contain_text("县级爱国卫生月活动方案")
    folder = tmp_path / "data" / "plan-types" / "county-hygiene"
    assert (folder / "plantype.yaml").is_file() and "label: 活动主题" in (folder / "plantype.yaml").read_text(encoding="utf-8")
