"""The preview is the paper: its lines and pages are LibreOffice's lines and pages of the same .docx.

Both tests print with LibreOffice (slow). The first runs bench/preview_paper.py's measurement on every
sample and two generated plans of every type; the second reads the preview in Chromium, as a clerk
sees it on the form, downloads the .docx from the same page and compares the two.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plangen.plugins import get_registry
from plangen.testing import requires_libreoffice

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import preview_paper as bench  # noqa: E402

LINES_SAME = 98.0  # per cent of lines that break at the same character
PAGES_SAME = 95.0  # per cent of pages that hold the same lines (one line off moves the rest of its page)


def _report(results: list[bench.Result]) -> str:
    return "\n".join(f"{r.name}: {r.same_lines}/{r.lines} lines, {r.same_pages}/{r.pages} pages; {'; '.join(r.notes)}" for r in results)


@pytest.mark.slow
@requires_libreoffice
def test_the_preview_breaks_lines_and_pages_where_libreoffice_does() -> None:
    results = bench.measure(per_type=2)
    assert len(results) >= 6 + 2 * len(get_registry().plan_types), _report(results)
    lines, pages = bench.totals(results)
    assert lines >= LINES_SAME and pages >= PAGES_SAME, _report(results)
    assert all(r.lines > 40 and r.same_pages >= r.pages - 1 for r in results), _report(results)
    # LibreOffice's rules (a fifth of the font height between Chinese and digits, no character spacing after
    # a portion's or a line's last character) are the metrics' rules: every page of these plans is the paper's
    assert [r.name for r in results if r.same_pages != r.pages or r.same_lines != r.lines] == [], _report(results)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@requires_libreoffice
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_the_preview_in_the_browser_is_the_downloaded_paper(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from webforms import live_server

    kinds = sorted(get_registry().plan_types)
    shown: dict[str, list[list[str]]] = {}
    overflowing: list[str] = []
    with live_server(tmp_path / "data") as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--lang=zh-CN"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for kind in kinds:
            page.goto(f"{base}/new/{kind}")
            page.wait_for_selector('#status[data-problems="0"]')
            page.wait_for_selector("#preview .page")
            shown[kind] = page.eval_on_selector_all(
                "#preview .page",
                "pages => pages.map(p => [...p.querySelectorAll('.ln:not(.row):not(.blank)')]"
                ".map(l => l.textContent.replace(/\\s+/g, '')).filter(t => t))",
            )
            # every line stays inside the type area in the browser's fonts too (a hanging mark aside)
            overflowing += page.eval_on_selector_all(
                "#preview .ln:not(.row)",
                "ls => ls.filter(l => { const r = document.createRange(); r.selectNodeContents(l);"
                " const box = l.parentElement.getBoundingClientRect();"
                " return r.getBoundingClientRect().right > box.right + 24; }).map(l => l.textContent)",
            )
            with page.expect_download() as info:
                page.locator('#downloads a[href$="plan.docx"]').click()
            info.value.save_as(tmp_path / f"{kind}.docx")
        browser.close()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *[str(tmp_path / f"{k}.docx") for k in kinds]], capture_output=True, check=True, timeout=600)
    results = [bench.compare(k, bench.pdf_pages(tmp_path / f"{k}.pdf"), shown[k]) for k in kinds]
    assert all(r.lines > 40 for r in results), _report(results)
    lines, pages = bench.totals(results)
    assert lines >= LINES_SAME and pages >= PAGES_SAME, _report(results)
    assert all(r.same_pages >= r.pages - 1 for r in results), _report(results)
    assert not overflowing, overflowing
