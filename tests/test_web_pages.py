"""``plangen serve``'s 批量生成, 格式检查, 格式修正 and 历史 pages over HTTP: the flows, the hostile uploads, the rules
(CSRF on every POST, no path named by a request, no trace to the browser)."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette")

import yaml
from docx import Document as Docx
from starlette.testclient import TestClient
from webforms import BASE, clerks_docx, csrf_of, make_draft

from plangen.testing import requires_libreoffice, slow
from plangen.web import app as webapp
from plangen.web.store import MIGRATIONS, Store

pytestmark = pytest.mark.chinese
ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = ROOT / "samples" / "communities.csv"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)


def no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "/site-packages/" not in text and str(ROOT) not in text


def a_draft(client: TestClient, kind: str = "hygiene-month") -> tuple[str, str]:
    """A saved draft: (its id, the CSRF token of this session)."""
    r = make_draft(client, kind)
    return str(r.url.path).rsplit("/", 1)[1], csrf_of(r.text)


def upload_roster(client: TestClient, csrf: str, content: bytes, name: str = "名册.csv", **data: str) -> object:
    return client.post("/batch", data={"csrf": csrf, **data}, files={"roster": (name, content, "application/octet-stream")},
                       follow_redirects=True)


def chosen(html: str) -> dict[str, str]:
    """The mapping form as the browser posts it: each select's selected option ("" when none is)."""
    out = {}
    for name, body in re.findall(r'<select name="(col\d+)"[^>]*>(.*?)</select>', html, re.S):
        found = re.search(r'<option value="([^"]*)" selected', body)
        out[name] = found.group(1) if found else ""
    return out


def run_to_end(client: TestClient, url: str, csrf: str, mapping: dict[str, str]) -> str:
    """Run with the box ticked that confirms the draft's people no column gives (its 办公室主任…)."""
    r = client.post(url + "/run", data={"csrf": csrf, **mapping, "same_people": "1"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(url + "/status").text
        if 'data-state="running"' not in status and 'data-state="starting"' not in status:
            return status
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def docx_names(data: bytes) -> list[str]:
    return [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".docx")]


# ---- 批量生成 -------------------------------------------------------------------------------------

def test_batch_page_lists_drafts_by_plan_type(client: TestClient) -> None:
    draft, _csrf = a_draft(client)
    page = client.get("/batch").text
    assert "批量生成" in page and 'name="roster"' in page and 'name="base_file"' in page
    assert '<optgroup label="爱国卫生月活动方案">' in page and f'<option value="{draft}"' in page


def test_a_roster_and_a_draft_make_a_zip_of_plans_an_index_and_run_in_another_process(client: TestClient, tmp_path: Path) -> None:
    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), "communities.csv", base=draft)
    assert r.status_code == 200 and re.fullmatch(r"/batch/[0-9a-f]{16}", r.url.path)
    url = str(r.url.path)
    mapping = chosen(r.text)
    # the headers are matched as plangen batch matches them, shown with the fields' Chinese names
    assert mapping == {"col0": "unit.name", "col1": "unit.parent", "col2": "leadership.leader", "col3": "leadership.deputies",
                       "col4": "leadership.members", "col5": "contact.person", "col6": "contact.phone"}
    assert '<option value="unit.name" selected>单位 › 名称</option>' in r.text
    # the draft's office director is in no column: the page says so and the batch waits for the box
    refused = client.post(url + "/run", data={"csrf": csrf, **mapping})
    assert refused.status_code == 400 and "办公室主任 孙明怡" in refused.text and "每份方案都写同样的人" in refused.text
    assert "leadership" not in refused.text.split("<main", 1)[1].split("<select", 1)[0]
    started = client.post(url + "/run", data={"csrf": csrf, **mapping, "same_people": "1"}, follow_redirects=True)
    assert 'id="batch-status"' in started.text and "<progress" in started.text
    job = client.app.state.web.jobs[url.rsplit("/", 1)[1]]  # type: ignore[attr-defined]
    assert job.pid != os.getpid()  # the batch runs in a process of its own
    deadline = time.monotonic() + 120
    while 'data-state="done"' not in (status := client.get(url + "/status").text):
        assert time.monotonic() < deadline and 'data-state="failed"' not in status, status
        assert client.get("/").status_code == 200  # other pages answer meanwhile
        time.sleep(0.1)
    assert "生成方案 20 份" in status and "bad-rows" not in status
    assert "已确认：每份方案都写同样的办公室主任 孙明怡" in status  # the library's note, as confirmed in the page
    assert str(client.app.state.web.batches) not in status and "base.yaml" not in status  # type: ignore[attr-defined]
    z = client.get(url + "/files/plans.zip")
    assert z.status_code == 200 and "filename*=UTF-8''" in z.headers["content-disposition"]
    names = docx_names(z.content)
    assert len(names) == 20 and "东街社区-爱国卫生月活动方案.docx" in names
    assert "index.csv" in zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    path = tmp_path / "one.docx"
    path.write_bytes(zipfile.ZipFile(io.BytesIO(z.content)).read("南街社区-爱国卫生月活动方案.docx"))
    text = "\n".join(p.text for p in Docx(str(path)).paragraphs)
    assert "南街社区" in text and "邓怡" in text
    index = client.get(url + "/files/index")
    assert index.status_code == 200 and "东街社区" in index.content.decode("utf-8-sig")
    # a second run of the same batch is refused (it goes to the page, which shows the result)
    again = client.post(url + "/run", data={"csrf": csrf, **mapping}, follow_redirects=True)
    assert 'data-state="done"' in again.text


def test_the_mapping_corrected_in_the_page_is_the_one_used(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    roster = "片区,带头人,备注\n东湖社区,林海,无\n西湖社区,陈静,无\n".encode()
    r = upload_roster(client, csrf, roster, base=draft)
    mapping = chosen(r.text)
    assert mapping["col0"] == "" and "未识别" in r.text  # 片区 and 带头人 are not headers plangen knows
    mapping.update(col0="unit.name", col1="leadership.leader", col2="")
    status = run_to_end(client, str(r.url.path), csrf, mapping)
    assert "生成方案 2 份" in status
    z = client.get(str(r.url.path) + "/files/plans.zip")
    assert sorted(docx_names(z.content)) == ["东湖社区-爱国卫生月活动方案.docx", "西湖社区-爱国卫生月活动方案.docx"]
    doc = Docx(io.BytesIO(zipfile.ZipFile(io.BytesIO(z.content)).read("东湖社区-爱国卫生月活动方案.docx")))
    assert "林海" in "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_a_mapping_without_the_units_name_is_refused_in_the_page(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), base=draft)
    mapping = chosen(r.text) | {"col0": ""}
    refused = client.post(str(r.url.path) + "/run", data={"csrf": csrf, **mapping})
    assert refused.status_code == 400 and "该列对应关系无法使用" in refused.text and "单位名称" in refused.text
    no_trace(refused.text)
    forged = client.post(str(r.url.path) + "/run", data={"csrf": csrf, **mapping, "col0": "__class__"})
    assert forged.status_code == 400


def test_bad_rows_are_a_table_and_the_good_rows_plans_are_delivered(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    lines = COMMUNITIES.read_text(encoding="utf-8-sig").splitlines()
    bad = [lines[0], lines[1], ",城关镇,李某,王某,甲、乙,丙,0523-88229815", lines[2], lines[3].replace("0523-", "0523-x")]
    r = upload_roster(client, csrf, "\n".join(bad).encode(), base=draft)
    status = run_to_end(client, str(r.url.path), csrf, chosen(r.text))
    assert 'data-state="done"' in status and "有问题的行 2 行" in status and "生成方案 2 份" in status
    table = re.search(r'<table class="grid bad-rows">.*?</table>', status, re.S)
    assert table is not None
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]+)</td></tr>", table.group(0))
    assert [(row, column) for row, column, _m in cells] == [("3", "社区名称"), ("5", "联系电话")]
    z = client.get(str(r.url.path) + "/files/plans.zip")
    assert sorted(docx_names(z.content)) == ["东街社区-爱国卫生月活动方案.docx", "南街社区-爱国卫生月活动方案.docx"]
    errors = client.get(str(r.url.path) + "/files/errors.csv")
    assert errors.status_code == 200 and "社区名称" in errors.content.decode("utf-8-sig")


def test_an_xlsx_roster_and_an_uploaded_base_yaml(client: TestClient) -> None:
    from openpyxl import Workbook

    _draft, csrf = a_draft(client)
    book = Workbook()
    ws = book.active
    ws.append(["社区名称", "社区党委书记"])
    ws.append(["新华社区", "赵明"])
    buffer = io.BytesIO()
    book.save(buffer)
    base = (ROOT / "samples" / "hygiene-month.yaml").read_bytes()
    r = client.post("/batch", data={"csrf": csrf}, follow_redirects=True,
                    files={"roster": ("名册.xlsx", buffer.getvalue(), "application/octet-stream"), "base_file": ("base.yaml", base, "text/yaml")})
    assert r.status_code == 200 and chosen(r.text) == {"col0": "unit.name", "col1": "leadership.leader.name"}  # the base's own columns:
    status = run_to_end(client, str(r.url.path), csrf, chosen(r.text))
    assert "生成方案 1 份" in status
    index = client.get(str(r.url.path) + "/files/index")
    assert index.status_code == 200 and index.content.startswith(b"PK")  # an .xlsx roster gets an .xlsx index


def _bomb_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * 300_000_000 + b"</a>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("名册.xlsx", "社区名称\n东街社区\n".encode(), "不是 Excel 工作簿"),
    ("名册.csv", b"PK\x03\x04" + b"\x00" * 100, "不是文本文件"),
    ("名册.csv", b"\x00\x01\x02binary" * 50, "不是文本文件"),
    ("名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .xls"),
    ("名册.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .xls"),
    ("名册.txt", b"a,b\n", ".xlsx 或 .csv"),
    ("../../etc/passwd.csv", b"", "无法读取该花名册"),
    ("名册.csv", "社区名称\n".encode("utf-16-le")[:7] + b"\xff", "无法读取该花名册"),
    ("名册.xlsx", None, "无法读取该花名册"),
])
def test_hostile_rosters_are_refused_with_a_chinese_message(client: TestClient, name: str, content: bytes | None, expected: str) -> None:
    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, _bomb_xlsx() if content is None else content, name, base=draft)
    assert r.status_code == 400 and expected in r.text, r.text
    no_trace(r.text)
    batches = client.app.state.web.batches  # type: ignore[attr-defined]
    assert not batches.exists() or list(batches.iterdir()) == []  # nothing left behind
    assert not Path("/etc/passwd.csv").exists()


def test_a_batch_needs_a_base_and_a_roster(client: TestClient) -> None:
    _draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes())
    assert r.status_code == 400 and "请选择底稿" in r.text
    r = client.post("/batch", data={"csrf": csrf, "base": "1"})
    assert r.status_code == 400 and "请选择要上传的花名册" in r.text
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), base="999")
    assert r.status_code == 404
    r = client.post("/batch", data={"csrf": csrf}, files={"roster": ("a.csv", COMMUNITIES.read_bytes(), "text/csv"),
                                                          "base_file": ("b.yaml", b"- a list\n", "text/yaml")})
    assert r.status_code == 400 and "无法作为方案输入打开该文件" in r.text


def test_batch_urls_name_no_path(client: TestClient) -> None:
    for path in ("/batch/..%2f..%2fetc", "/batch/0123456789abcdef", "/batch/0123456789ABCDEF", "/batch/../data",
                 "/batch/0123456789abcdef/status", "/batch/0123456789abcdef/files/plans.zip"):
        r = client.get(path)
        assert r.status_code == 404, path
        no_trace(r.text)
    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), base=draft)
    url = str(r.url.path)
    for what in ("plans.zip", "index", "errors.csv", "..%2fbase.yaml", "base.yaml", "roster.csv"):
        assert client.get(f"{url}/files/{what}").status_code == 404, what  # nothing before the run
    assert client.get(url + "/status").status_code == 404


# ---- 格式检查 -------------------------------------------------------------------------------------

def _check(client: TestClient, content: bytes, name: str = "文件.docx") -> object:
    csrf = csrf_of(client.get("/check").text)
    return client.post("/check", data={"csrf": csrf}, files={"file": (name, content, "application/octet-stream")})


def test_check_shows_the_findings_of_a_broken_docx_with_where_they_are(client: TestClient) -> None:
    doc = Docx()
    doc.add_heading("关于开展卫生大扫除的通知", 0)
    doc.add_paragraph("一、工作目标")
    doc.add_paragraph("全体居民积极参与。")
    buffer = io.BytesIO()
    doc.save(buffer)
    r = _check(client, buffer.getvalue(), "草稿.docx")
    assert r.status_code == 200
    count = int(re.search(r'id="findings" data-count="(\d+)"', r.text).group(1))  # type: ignore[union-attr]
    assert count > 3 and f"草稿.docx：发现 {count} 处问题" in r.text
    rules = re.findall(r'<li data-rule="([a-z-]+)"><span class="where">([^<]+)</span>', r.text)
    assert {"page-size", "page-margins", "heading-font"} <= {rule for rule, _where in rules}
    assert any(where.startswith("第") and ("段" in where or "节" in where) for _rule, where in rules)  # 第3段（…）
    # grouped by rule: each rule once, named by what it asks for, with how many places; no rule ids shown
    groups = re.findall(r'<details class="rule" data-rule="([a-z-]+)" data-count="(\d+)"', r.text)
    assert len(groups) == len({g for g, _n in groups}) and sum(int(n) for _g, n in groups) == count
    shown = re.sub(r"<[^>]+>", " ", r.text)
    assert not re.search(r"page-size|heading-font|page-margins", shown) and "纸张" in shown
    assert 'href="/fix"' in r.text and "格式修正" in r.text


def test_a_generated_plan_has_no_findings(client: TestClient) -> None:
    draft, _csrf = a_draft(client)
    data = client.get(f"/draft/{draft}/plan.docx").content
    r = _check(client, data)
    assert r.status_code == 200 and 'data-count="0"' in r.text and "未发现问题" in r.text


@pytest.mark.parametrize(("content", "expected"), [
    (b"just text", "不是 .docx 文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .doc"),
    (b"PK\x03\x04broken zip", "无法读取该文档"),
    (None, "无法读取该文档"),
])
def test_hostile_documents_are_refused_with_a_chinese_message(client: TestClient, content: bytes | None, expected: str) -> None:
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", b"<a>" + b"0" * 300_000_000 + b"</a>")
        content = buffer.getvalue()
    r = _check(client, content)
    assert r.status_code == 400 and expected in r.text, r.text
    no_trace(r.text)


def test_check_refuses_more_than_20_mb(client: TestClient) -> None:
    r = _check(client, b"PK\x03\x04" + b"0" * (21 * 1024 * 1024))
    assert r.status_code == 413 and "20 MB" in r.text


# ---- 格式修正 -------------------------------------------------------------------------------------

def _fix(client: TestClient, content: bytes, name: str = "通知.docx") -> object:
    csrf = csrf_of(client.get("/fix").text)
    return client.post("/fix", data={"csrf": csrf}, files={"file": (name, content, "application/octet-stream")})


def report_rows(html: str, table: str) -> list[tuple[str, list[str]]]:
    """(code, cell texts) of each row of the report's table ``table`` (changes or person)."""
    body = re.search(rf'<table class="grid" id="{table}">(.*?)</table>', html, re.S)
    assert body is not None, table
    return [(code, [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)])
            for code, row in re.findall(r'<tr data-code="([a-z-]+)">(.*?)</tr>', body.group(1), re.S)]


def test_fix_reports_the_changes_and_what_needs_a_person_and_the_download_reads_back(client: TestClient) -> None:
    from plangen.check import check

    r = _fix(client, clerks_docx())
    assert r.status_code == 200, r.text
    assert "通知.docx：已修正，另有 1 处须人工处理" in r.text
    changes, person = report_rows(r.text, "changes"), report_rows(r.text, "person")
    assert ("renumbered", ["第 7 段“三、工作安排”", "标题重新编号", "三、", "二、"]) in changes
    assert ("renumbered", ["第 9 段“四、工作要求”", "标题重新编号", "四、", "三、"]) in changes
    normalised = [cells for code, cells in changes if code == "normalised"]
    assert any("年04月01日" in before and "年4月1日" in after and "，" in after for _w, _what, before, after in normalised)
    assert any(before.endswith("通知如下:") and after.endswith("通知如下：") for _w, _what, before, after in normalised)
    assert {"title", "addressee", "signature", "spacing-removed", "empty-removed"} <= {code for code, _cells in changes}
    assert person == [("placeholder", ["第 8 段“活动时间为2024年04…”", "占位符须人工填写", "XX", "请填写实际内容"])]

    href = re.search(r'<a id="download" href="(/fix/[0-9a-f]{32}/fixed\.docx)" download>下载 通知（已修正）\.docx</a>', r.text)
    assert href is not None, r.text
    download = client.get(href.group(1))
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"plan.docx\"; filename*=UTF-8''%E9%80%9A%E7%9F%A5%EF%BC%88%E5%B7%B2%E4%BF%AE%E6%AD%A3%EF%BC%89.docx")
    texts = [p.text for p in Docx(io.BytesIO(download.content)).paragraphs]
    headings = [t.split("、", 1)[0] for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == ["一", "二", "三"]  # the skipped 二、 is gone, nothing is numbered 四、
    whole = "".join(texts)
    assert "2024年4月1日至2024年4月30日，由XX同志具体负责。" in whole and "2024年04月" not in whole and "," not in whole
    assert {f.rule for f in check(download.content, name="通知（已修正）.docx")} == {"placeholder"}


def test_fix_takes_pasted_text_in_gb18030(client: TestClient) -> None:
    text = "关于做好防汛工作的通知\n\n一、提高认识\n各单位要高度重视,确保安全.\n\n三、落实责任\n层层压实责任.\n"
    r = _fix(client, text.encode("gb18030"), "防汛.txt")
    assert r.status_code == 200 and "防汛.txt：已修正" in r.text, r.text
    assert ("renumbered", ["第 6 行“三、落实责任”", "标题重新编号", "三、", "二、"]) in report_rows(r.text, "changes")
    href = re.search(r'href="(/fix/[0-9a-f]{32}/fixed\.docx)"', r.text).group(1)  # type: ignore[union-attr]
    texts = [p.text for p in Docx(io.BytesIO(client.get(href).content)).paragraphs]
    assert "二、落实责任" in texts and "各单位要高度重视，确保安全。" in texts


def _broken_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b"0" * 300_000_000 + b"</a>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("通知.docx", b"just text", "不是 .docx 文件"),
    ("通知.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .doc"),
    ("通知.docx", b"PK\x03\x04broken zip", "无法读取该文档"),
    ("通知.docx", None, "无法读取该文档"),
    ("通知.txt", b"%PDF-1.7 binary", "内容不是文本"),
    ("通知.txt", b" \r\n \n", "没有可修正的文字"),
    ("通知.txt", b"\x80\xff\x80 text", "无法读取该文档：无法读取：文字编码不是 UTF-8、UTF-16 或 GB18030"),
    ("通知.pdf", b"%PDF-1.7", "请选择 .docx、.txt 或 .md 文件"),
    ("通知", b"text", "请选择 .docx、.txt 或 .md 文件"),
])
def test_fix_refuses_what_it_cannot_read_with_a_chinese_message(client: TestClient, name: str, content: bytes | None, expected: str) -> None:
    r = _fix(client, _broken_zip() if content is None else content, name)
    assert r.status_code == 400 and expected in r.text, r.text
    assert 'id="download"' not in r.text
    no_trace(r.text)


def test_fix_of_a_doc_says_what_to_do_without_libreoffice_and_names_no_server_path(client: TestClient) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    web = client.app.state.web  # type: ignore[attr-defined]
    web.converts = False
    r = _fix(client, ole, "旧文件.doc")
    assert r.status_code == 400 and "没有转换程序" in r.text and "另存为 .docx" in r.text
    web.converts = True  # LibreOffice (whether or not it is here) fails on this file: its reason, without its temporary path
    r = _fix(client, ole, "旧文件.doc")
    assert r.status_code == 400 and "无法读取该文档" in r.text
    no_trace(r.text)
    assert "/tmp" not in r.text and "plangen-fix-" not in r.text and str(client.app.state.web.fixes.parent) not in r.text  # type: ignore[attr-defined]
    from plangen.web.fixes import reason

    said = reason("旧文件.doc：LibreOffice 无法转换（Error: /tmp/plangen-fix-x1/in.doc: read failed, C:\\Temp\\in.doc）", "旧文件.doc")
    assert said == "LibreOffice 无法转换（Error: … read failed, …）"
    assert reason("a.txt：无法读取：文字编码不是 UTF-8、UTF-16 或 GB18030；请另存为 UTF-8/GB18030 后重试", "a.txt").endswith("UTF-8/GB18030 后重试")


def test_fix_refuses_more_than_20_mb(client: TestClient) -> None:
    r = _fix(client, b"PK\x03\x04" + b"0" * (21 * 1024 * 1024))
    assert r.status_code == 413 and "20 MB" in r.text


def test_fixed_files_are_named_by_random_ids_only_and_old_ones_are_removed(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen.web import fixes

    monkeypatch.setattr(fixes, "KEPT_FIXES", 2)
    links = []
    for n in range(3):
        r = _fix(client, f"通知{n}\n\n一、事项\n内容.\n".encode(), f"通知{n}.txt")
        links.append(re.search(r'href="(/fix/[0-9a-f]{32}/fixed\.docx)"', r.text).group(1))  # type: ignore[union-attr]
        time.sleep(0.02)
    assert client.get(links[0]).status_code == 404  # the oldest is gone
    assert [client.get(link).status_code for link in links[1:]] == [200, 200]
    for path in ("/fix/../plangen.sqlite3/fixed.docx", "/fix/" + "0" * 32 + "/fixed.docx", "/fix/abc/fixed.docx",
                 "/fix/" + links[1].split("/")[2].upper() + "/fixed.docx", "/fix/%2e%2e%2fsecret/fixed.docx"):
        r = client.get(path)
        assert r.status_code == 404, path
        no_trace(r.text)


# ---- 历史 -----------------------------------------------------------------------------------------

def test_every_download_is_in_the_history_and_can_be_made_again(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    assert "尚未生成文档" in client.get("/history").text
    first = client.get(f"/draft/{draft}/plan.docx")
    page = client.get("/history").text
    rows = re.findall(r'<tr data-id="(\d+)">', page)
    assert len(rows) == 1 and f"东街社区-{date.today().year}年爱国卫生月活动方案.docx" in page and "Word 文档" in page
    again = client.get(f"/history/{rows[0]}/plan.docx")
    assert again.status_code == 200 and again.headers["content-disposition"] == first.headers["content-disposition"]
    text = "\n".join(p.text for p in Docx(io.BytesIO(again.content)).paragraphs)
    assert "东街社区" in text
    assert len(re.findall(r'<tr data-id="(\d+)">', client.get("/history").text)) == 2  # making it again is a generation too


def test_history_opens_the_input_again_in_the_form(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    client.get(f"/draft/{draft}/plan.docx")
    item = re.findall(r'<tr data-id="(\d+)">', client.get("/history").text)[0]
    r = client.post(f"/history/{item}/open", data={"csrf": csrf}, follow_redirects=True)
    assert r.status_code == 200 and str(r.url.path) != f"/draft/{draft}"
    assert 'value="东街社区"' in r.text and f'name="year" value="{date.today().year}"' in r.text


def test_next_years_plan_moves_the_dates_and_empties_the_theme(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    client.get(f"/draft/{draft}/plan.docx")
    item = re.findall(r'<tr data-id="(\d+)">', client.get("/history").text)[0]
    r = client.post(f"/history/{item}/next", data={"csrf": csrf}, follow_redirects=True)
    assert r.status_code == 200
    year = date.today().year + 1  # the draft started this year
    assert f'name="year" value="{year}"' in r.text and f'name="dates.issued" value="{year}-03-25"' in r.text
    assert re.search(r'<input type="text" name="theme" value=""[ >]', r.text)
    assert '<li data-field="theme"' in r.text  # the theme is asked for, beside its field
    from webforms import form_pairs

    pairs = [(k, "清洁家园 健康生活" if k == "theme" else v) for k, v in form_pairs(r.text)]
    filled = client.post(str(r.url.path), data=dict(pairs), headers={"X-CSRF-Token": csrf}).text
    assert 'data-problems="0"' in filled and f"第{year - 1988}个爱国卫生月" in filled and f"第{year - 1989}个" not in filled  # the edition follows the year


def test_history_urls_and_posts(client: TestClient) -> None:
    _draft, csrf = a_draft(client)
    for path in ("/history/1/plan.docx", "/history/x/plan.docx", "/history/..%2f1/plan.docx", "/history/99999999999999/plan.docx"):
        assert client.get(path).status_code == 404, path
    assert client.post("/history/1/open", data={"csrf": csrf}).status_code == 404


def test_every_new_post_needs_the_csrf_token(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    client.get(f"/draft/{draft}/plan.docx")
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), base=draft)
    url = str(r.url.path)
    for target in ("/batch", url + "/run", "/check", "/fix", "/history/1/open", "/history/1/next"):
        for headers in ({}, {"X-CSRF-Token": "0" * 64}):
            refused = client.post(target, data={"base": draft}, headers=headers,
                                  files={"roster": ("a.csv", COMMUNITIES.read_bytes(), "text/csv")})
            assert refused.status_code == 403 and "安全令牌" in refused.text, target


def test_the_first_database_is_migrated_and_keeps_its_drafts(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "plangen.sqlite3")
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO drafts (plan_type, data, title, created, updated) VALUES ('hygiene-month', '{}', '旧草稿', 0, 0)")
    db.commit()
    db.close()
    store = Store(tmp_path)
    assert store.get(1) is not None and store.get(1).title == "旧草稿"  # type: ignore[union-attr]
    assert store.history() == [] and store.record("hygiene-month", "t", "f.docx", "docx", "type: x\n", 1) == 1
    assert sqlite3.connect(store.path).execute("SELECT version FROM schema_version").fetchone()[0] == len(MIGRATIONS) == 3


def test_pages_of_the_home_and_nav(client: TestClient) -> None:
    home = client.get("/").text
    for href, text in (("/batch", "批量生成"), ("/check", "格式检查"), ("/fix", "格式修正"), ("/history", "历史")):
        assert f'<a href="{href}">{text}</a>' in home
        assert client.get(href).status_code == 200
    assert yaml  # (yaml used by helpers of other tests)


# ---- PDF and the exact pages ----------------------------------------------------------------------

def test_without_libreoffice_no_pdf_or_exact_pages_are_offered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen import libreoffice as office

    monkeypatch.setattr(office, "soffice", lambda: None)
    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    draft, _csrf = a_draft(client)
    page = client.get(f"/draft/{draft}").text
    assert "plan.pdf" not in page and "/exact" not in page and "下载 Word 文档" in page
    assert client.get(f"/draft/{draft}/plan.pdf").status_code == 404
    assert client.get(f"/draft/{draft}/exact").status_code == 404


@slow
@requires_libreoffice
def test_pdf_and_the_exact_pages_with_libreoffice(client: TestClient) -> None:
    draft, _csrf = a_draft(client)
    page = client.get(f"/draft/{draft}").text
    assert f'href="/draft/{draft}/plan.pdf"' in page and "精确页面" in page
    r = client.get(f"/draft/{draft}/plan.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and "%2Epdf" not in r.headers["content-disposition"]
    assert r.headers["content-disposition"].endswith(".pdf")
    assert "PDF" in client.get("/history").text
    exact = client.get(f"/draft/{draft}/exact")
    assert exact.status_code == 200
    images = re.findall(r'<img src="(/exact/[0-9a-f]{32}/\d+\.png)"', exact.text)
    assert len(images) >= 2
    png = client.get(images[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    for bad in ("/exact/../1.png", "/exact/" + "0" * 32 + "/1.png", "/exact/xyz/1.png"):
        assert client.get(bad).status_code == 404


def test_the_batch_page_lists_recent_batches_and_old_ones_are_removed(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen.web import batch as B

    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), "第一批.csv", base=draft)
    run_to_end(client, str(r.url.path), csrf, chosen(r.text))
    page = client.get("/batch").text
    assert "最近的批量生成" in page and f'href="{r.url.path}"' in page and "第一批.csv" in page and "方案 20 份" in page
    monkeypatch.setattr(B, "KEPT_BATCHES", 2)
    for n in range(3):
        upload_roster(client, csrf, COMMUNITIES.read_bytes(), f"第{n + 2}批.csv", base=draft)
        time.sleep(0.01)
    root = client.app.state.web.batches  # type: ignore[attr-defined]
    assert len(list(root.iterdir())) == 2  # the oldest went, plans and all
    page = client.get("/batch").text
    assert "第一批.csv" not in page and "第4批.csv" in page and "尚未确认列对应关系" in page


def test_a_restarted_server_knows_whether_a_batch_job_still_runs(client: TestClient, tmp_path: Path) -> None:
    from plangen.web import batch as B

    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, COMMUNITIES.read_bytes(), base=draft)
    url = str(r.url.path)
    folder = client.app.state.web.batches / url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    restarted = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    B.write_json(folder / "status.json", {"state": "running", "done": 5, "total": 20, "pid": os.getpid()})
    assert 'data-state="running"' in restarted.get(url + "/status").text and 'value="5"' in restarted.get(url + "/status").text
    dead = __import__("subprocess").Popen(["true"])
    dead.wait()
    B.write_json(folder / "status.json", {"state": "running", "done": 5, "total": 20, "pid": dead.pid})
    status = restarted.get(url + "/status").text
    assert 'data-state="failed"' in status and "批量生成已停止" in status


def test_a_bases_own_columns_show_with_chinese_names(client: TestClient) -> None:
    _draft, csrf = a_draft(client)
    base = (ROOT / "samples" / "hygiene-month.yaml").read_bytes()
    r = client.post("/batch", data={"csrf": csrf}, follow_redirects=True,
                    files={"roster": ("a.csv", COMMUNITIES.read_bytes(), "text/csv"), "base_file": ("base.yaml", base, "text/yaml")})
    assert '<option value="leadership.deputies[1].name" selected>领导小组 › 副组长 1 › 姓名</option>' in r.text
    assert '<option value="contact.person, leadership.office.director.name" selected>联系人 › 联系人 ＋ 领导小组 › 办公室 › 主任 › 姓名</option>' in r.text
    status = run_to_end(client, str(r.url.path), csrf, chosen(r.text))
    assert "生成方案 20 份" in status and "warnings" not in status  # the base's map leaves no one fixed


def test_an_input_that_no_longer_validates_says_why_when_made_again(client: TestClient) -> None:
    store = client.app.state.web.store  # type: ignore[attr-defined]
    text = (ROOT / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8").replace("issued: 2024-03-25", "issued: 2024-02-30")
    item = store.record("hygiene-month", "旧方案", "旧方案.docx", "docx", text, None)
    r = client.get(f"/history/{item}/plan.docx")
    assert r.status_code == 422 and "该输入已无法生成方案" in r.text and "2024-02-30" in r.text
    no_trace(r.text)
    csrf = csrf_of(client.get("/history").text)
    for action in ("open", "next"):
        r = client.post(f"/history/{item}/{action}", data={"csrf": csrf}, follow_redirects=True)
        assert r.status_code in (200, 422), action  # a form to correct, or the reason; never a crash
        no_trace(r.text)


def test_a_drop_in_plugins_plan_type_batches_in_the_job_process(tmp_path: Path) -> None:
    """``plangen --plugins-dir DIR serve``: the job process loads the same drop-in plugins as the server."""
    from plangen import plugins

    fixtures = ROOT / "tests" / "plugin_fixtures"
    registry = plugins.get_registry([fixtures])
    client = TestClient(webapp.build_app(tmp_path / "data", registry=registry, plugins_dirs=(fixtures,)), raise_server_exceptions=False, base_url=BASE)
    draft, csrf = a_draft(client, "pilot")
    r = upload_roster(client, csrf, "单位名称\n东湖社区\n西湖社区\n".encode(), base=draft)
    assert '<optgroup label="试点工作方案">' in client.get("/batch").text
    status = run_to_end(client, str(r.url.path), csrf, chosen(r.text))
    assert "生成方案 2 份" in status, status
    z = client.get(str(r.url.path) + "/files/plans.zip")
    assert len(docx_names(z.content)) == 2


def test_a_roster_over_20_mb_is_refused_before_it_is_read(client: TestClient) -> None:
    draft, csrf = a_draft(client)
    r = upload_roster(client, csrf, b"a,b\n" + b"1,2\n" * (5_500_000), base=draft)
    assert r.status_code == 413 and "20 MB" in r.text  # type: ignore[attr-defined]
    batches = client.app.state.web.batches  # type: ignore[attr-defined]
    assert not batches.exists() or list(batches.iterdir()) == []
