"""``plangen check`` in Chinese, the default language: findings (message, location, expected), the
``--rules`` descriptions, the summary and the one-line error for a file it cannot read.

The four text rules shared with the guard (placeholder, ascii-punctuation, document-number,
zero-padded-date) take their messages from plangen.prewrite, converted with the core; they are held
apart below so this file says which words are check's own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import broken
import hostile_docx as H
import pytest
from english import english_sentences

from plangen import api
from plangen.check import RULES, check
from plangen.check.findings import described

pytestmark = pytest.mark.chinese

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GUARD_RULES = {"placeholder", "ascii-punctuation", "document-number", "zero-padded-date"}
"""Rules whose message is the guard's own (plangen.prewrite.TEXT_RULES)."""


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def plangen(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The program as a user runs it: no PLANGEN_LANG and no locale, so the default language."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PLANGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, timeout=120,
                          env={**clean, **env}, cwd=cwd)


@pytest.fixture(scope="module")
def broken_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One document per rule id, broken in just that respect (tests/broken)."""
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("broken-zh")
    plan = api.generate(SAMPLES / "hygiene-month.yaml", out / "plan.docx")
    notice = api.generate(SAMPLES / "hygiene-month-notice.yaml", out / "notice.docx", notice=True)
    docs = {rule: broken.broken_copy(plan, out / f"{rule}.docx", edit) for rule, edit in broken.BREAKS.items()}
    docs |= {rule: broken.broken_copy(notice, out / f"{rule}.docx", edit) for rule, edit in broken.NOTICE_BREAKS.items()}
    docs["badly-made"] = broken.badly_made_plan(out / "badly-made.docx")
    docs["clean"] = plan
    return docs


def _findings_by_rule(docs: dict[str, Path]) -> dict[str, list]:
    found: dict[str, list] = {}
    for path in docs.values():
        for finding in check(path):
            found.setdefault(finding.rule, []).append(finding)
    return found


def test_every_rule_reports_in_chinese(broken_docs: dict[str, Path]) -> None:
    """Each rule's message, location and expectation are Chinese, with no English sentence left."""
    found = _findings_by_rule(broken_docs)
    assert set(RULES) <= set(found)
    for rule, findings in found.items():
        if rule in GUARD_RULES:
            continue
        for f in findings:
            assert has_chinese(f.message), (rule, f.message)
            assert has_chinese(f.location) or f.location.startswith(("第", "表")), (rule, f.location)
            for text in (f.message, f.location, f.expected, f.line()):
                assert english_sentences(text) == [], (rule, text)


def test_the_guard_rules_report_in_chinese_too(broken_docs: dict[str, Path]) -> None:
    found = _findings_by_rule(broken_docs)
    for rule in GUARD_RULES:
        for f in found[rule]:
            assert has_chinese(f.message) and english_sentences(f.line()) == [], (rule, f.message)


def test_locations_and_groups_read_as_chinese(broken_docs: dict[str, Path]) -> None:
    findings = check(broken_docs["badly-made"])
    sequence = [f for f in findings if f.rule == "heading-sequence"]
    assert [f.location for f in sequence] == ["第5段（三、工作目标）", "第6段（（二）清理卫生死角）"]
    assert sequence[0].message == "标题序号不连续：“一、”之后是“三、”" and sequence[0].expected == "二、"
    assert sequence[0].line() == f"{broken_docs['badly-made']}：heading-sequence：第5段（三、工作目标）：标题序号不连续：“一、”之后是“三、”；应为：二、"
    margins = next(f for f in findings if f.rule == "page-margins")
    assert margins.message.startswith("页边距不符：上25.4毫米（应为37毫米）、")
    assert margins.expected == "上37毫米、下35毫米、左28毫米、右26毫米（误差±1毫米）"
    font = next(f for f in findings if f.rule == "body-font")
    assert font.message == "正文字体为宋体" and font.expected.startswith("仿宋_GB2312")
    assert "及另外4段（在文档的默认格式中设置）" in font.location  # one style, many paragraphs: one finding
    (loose,) = check(broken.broken_copy(broken_docs["clean"], broken_docs["clean"].with_name("loose.docx"), broken.loose_lines))
    assert loose.message == "行距为固定值31磅（每页20行）" and "段（在样式“Normal”中设置）" in loose.location


def test_the_cli_prints_findings_and_summary_in_chinese(broken_docs: dict[str, Path]) -> None:
    bad, clean = broken_docs["heading-sequence"], broken_docs["clean"]
    result = plangen("check", str(bad), str(clean))
    assert result.returncode == 1, result.stderr
    assert f"{bad}：heading-sequence：第9段（四、活动内容）：标题序号不连续：“二、”之后是“四、”；应为：三、" in result.stdout.splitlines()
    assert f"{clean}：合格" in result.stdout.splitlines()
    assert re.fullmatch(r"发现\d+个问题，涉及1类", result.stderr.strip()), result.stderr
    assert english_sentences(result.stdout + result.stderr) == []


def test_json_keeps_english_keys_with_chinese_texts(broken_docs: dict[str, Path]) -> None:
    result = plangen("check", "--json", str(broken_docs["page-size"]))
    (item,) = [i for i in json.loads(result.stdout) if i["rule"] == "page-size"]
    assert set(item) == {"file", "rule", "message", "location", "expected", "code", "params"}
    assert item["rule"] == "page-size" and item["code"] == "check.page-size"
    assert item["message"] == "纸张为216毫米×279毫米" and item["params"] == {"width": "216", "height": "279"}
    assert item["expected"] == "A4纵向，210毫米×297毫米" and item["location"] == "第1节（页面设置）"
    english = plangen("check", "--json", str(broken_docs["page-size"]), PLANGEN_LANG="en")
    assert [i["message"] for i in json.loads(english.stdout) if i["code"] == "check.page-size"] == ["paper is 216 × 279 mm"]  # the same code, the other language


def test_rules_are_described_in_chinese() -> None:
    result = plangen("check", "--rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    for line in lines:
        rule, what = line.split(None, 1)
        assert has_chinese(what) and english_sentences(what) == [], line
        assert what == described(rule)
    assert "page-margins             页边距上37毫米、下35毫米、左28毫米、右26毫米（误差±1毫米），版心156毫米×225毫米" in lines


def _junk(path: Path) -> Path:
    path.write_bytes(b"not a zip at all")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: _junk(d / "junk.docx"), "无法读取：不是.docx（zip）文件"),
        (lambda d: d / "missing.docx", "无法读取：文件不存在"),
        (lambda d: H.ole(d / "old.doc"), "无法读取：是设有密码（已加密）的Office文件或旧版.doc文件，不是.docx文件；请取消密码，或在Word中另存为.docx"),
        (lambda d: H.flagged_encrypted(H.many_headings(d / "s.docx", 3), d / "locked.docx"), "已加密（部件"),
        (lambda d: H.method(H.many_headings(d / "s.docx", 3), d / "odd.docx", 12), "使用了bzip2压缩（部件"),
    ],
    ids=["not-zip", "missing", "ole", "encrypted", "bzip2"],
)
def test_an_unreadable_file_gets_one_chinese_line(make, expected: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = plangen("check", str(path))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"plangen：错误：{path}：") and expected in line, line
    assert english_sentences(line) == [], line
