"""Inputs whose size is the attack: zip packages whose entries lie about their size (a document.xml
declaring 4 KB that inflates to hundreds of MB; every zip plangen opens is read a chunk at a time with a
running cap), and texts too long for ``plangen fix`` to lay out within 5 s of CPU.

Measured processes (tests/procs.py: 5 s of CPU, 200 MB): before, ``plangen check`` on the 200 MB one
peaked at twice that."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import hostile_docx as H
import pytest
from procs import Measured, run_plangen

from plangen.testing import slow

MB = 200


def one_line(result: Measured, what: str, *parts: str) -> str:
    result.within_budget(what)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(("plangen: error: ", "plangen：错误：")) and "Traceback" not in result.stderr, result.stderr[-2000:]
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = H.lying_bomb(tmp_path_factory.mktemp("bomb") / "通知.docx", MB)
    assert path.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("word/document.xml").file_size == 4096  # the lie
    return path


def test_check_reads_a_lying_part_within_budget(bomb: Path, tmp_path: Path) -> None:
    one_line(run_plangen(["check", str(bomb)], tmp_path), "check", "通知.docx", "word/document.xml")


def test_fix_reads_a_lying_part_within_budget(bomb: Path, tmp_path: Path) -> None:
    one_line(run_plangen(["fix", str(bomb), "-o", str(tmp_path / "out")], tmp_path), "fix", "通知.docx")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _lying_roster(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["社区名称", "组长"])
    book.active.append(["东街社区", "韩立平"])
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                declared = len(data)
                with out.open("xl/workbook.xml", "w") as part:
                    part.write(data)
                    for _ in range(MB):
                        part.write(b" " * (1 << 20))
            else:
                out.writestr(info.filename, data)
    return H.lie_about(path, "xl/workbook.xml", declared)


@slow  # making 200 MB of deflate and a batch process: seconds
def test_a_roster_with_a_lying_part_is_refused_before_openpyxl_reads_it(tmp_path: Path) -> None:
    roster = _lying_roster(tmp_path / "名册.xlsx")
    base = Path(__file__).resolve().parent.parent / "samples" / "hygiene-month.yaml"
    result = run_plangen(["batch", str(roster), "--base", str(base), "-o", str(tmp_path / "out")], tmp_path)
    one_line(result, "batch", "名册.xlsx", "xl/workbook.xml")


@pytest.mark.chinese
def test_the_web_check_and_fix_refuse_a_lying_docx_in_chinese(bomb: Path, tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient
    from webforms import BASE, csrf_of

    from plangen.web import app as webapp

    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    csrf = csrf_of(client.get("/").text)
    for page in ("/check", "/fix"):
        r = client.post(page, data={"csrf": csrf}, files={"file": ("通知.docx", bomb.read_bytes(), "application/octet-stream")})
        assert r.status_code == 400 and "无法读取该文档" in r.text and "word/document.xml" in r.text, (page, r.text[-800:])


def test_an_honest_package_reads_as_before(tmp_path: Path) -> None:
    from plangen.ooxml import safe_zip

    path = H.minimal(tmp_path / "ok.docx", "<w:p><w:r><w:t>一、工作目标</w:t></w:r></w:p>")
    with zipfile.ZipFile(path) as zf:
        assert safe_zip.verify(zf, kind=".docx") is None
        assert safe_zip.read_part(zf, "word/document.xml", limit=1 << 20) == zf.read("word/document.xml")
        with pytest.raises(safe_zip.PartRefused):
            safe_zip.read_part(zf, "word/document.xml", limit=10)


# ---- a long .txt for plangen fix: refused at once, not minutes of CPU ---------------------------------


@pytest.mark.parametrize(("shape", "expected"), [
    ("\n".join("通知" for _ in range(300_000)), "300,000"),   # 2 MB of short lines: was 16 s of CPU
    ("社区" * 1_100_000, "6.3 MB"),                           # one long line, past the text cap
])
def test_fix_refuses_a_text_too_long_to_fix_within_budget(tmp_path: Path, shape: str, expected: str) -> None:
    source = tmp_path / "长文.txt"
    source.write_text(shape, encoding="utf-8")
    result = run_plangen(["fix", str(source), "-o", str(tmp_path / "out")], tmp_path)
    line = one_line(result, "fix", "长文.txt", expected.replace(" MB", ""))
    assert "fix it in parts" in line or "分成几部分" in line


@pytest.mark.chinese
def test_the_web_fix_refuses_a_long_text_in_chinese(tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient
    from webforms import BASE, csrf_of

    from plangen.web import app as webapp

    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    csrf = csrf_of(client.get("/").text)
    text = "\n".join("通知" for _ in range(300_000)).encode()
    r = client.post("/fix", data={"csrf": csrf}, files={"file": ("长文.txt", text, "text/plain")})
    assert r.status_code == 400 and "300,000 行" in r.text and "分成几部分" in r.text
