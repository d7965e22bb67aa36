"""``plangen fix``: documents from anywhere recognised into the document model and written to GB/T 9704.

Every document of the corpus (tests/fix_corpus) must come out with no ``plangen check`` findings but
the ones the report hands to a person, no OOXML schema errors, and every character of its text kept
apart from whitespace, typed heading numbers and the normalisations the report lists.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from fix_corpus import build

from plangen import text as T
from plangen.check import check
from plangen.document import Heading, Paragraph, Signature, Table, Title
from plangen.fix import UnreadableInput, fix_document, output_name
from plangen.fix.sources import decode
from plangen.testing import requires_libreoffice, slow
from plangen.testing import soffice as find_soffice
from plangen.testing.ooxml import ooxml_errors

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBER = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]\s*[、.．]?|[一二三四五六七八九十]+\s*[、.．,，]|\d{1,2}\s*(?:[、,，]|[.．](?!\d)))")


def corpus() -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in build.SEEDS]
    docs += [(f"messy_{p.stem}.docx", build.messy_docx(build.seed_lines(p))) for p in build.SEEDS]
    docs += [
        ("default.docx", build.default_docx()),
        ("table.docx", build.table_docx()),
        ("clean.txt", build.CLEAN_TEXT.encode("utf-8")),
        ("wrapped.md", build.WRAPPED_TEXT.encode("utf-8")),
        ("gb18030.txt", build.CLEAN_TEXT.encode("gb18030")),
        ("utf16.txt", build.CLEAN_TEXT.encode("utf-16")),
        ("issued.txt", build.ISSUED_TEXT.encode("utf-8")),
    ]
    return docs


CORPUS = corpus()


def paragraph_texts(data: bytes, *, markdown: bool = False, text: bool = False) -> list[str]:
    """The text of every paragraph (table cells too) in reading order."""
    if text:
        decoded, _ = decode(data, "x")
        lines = decoded.splitlines()
        if markdown:
            lines = [re.sub(r"\\([_*\\])", r"\1", re.sub(r"^\s{0,3}#{1,6}\s+", "", line)).replace("**", "") for line in lines]
        return lines
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        from lxml import etree

        root = etree.fromstring(zf.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def comparable(lines: list[str]) -> str:
    """Whitespace out, typed heading numbers off, each line through text.normalise."""
    out = []
    for line in lines:
        line = T.strip_invisible(line, keep_newlines=False).strip(" \u3000\xa0")
        line = NUMBER.sub("", line)
        out.append(re.sub(r"\s", "", T.normalise(line)))
    return "".join(out)


def kept(name: str, data: bytes) -> None:
    result = fix_document(name, data)
    is_text = not name.endswith(".docx")
    before = comparable(paragraph_texts(data, markdown=is_text, text=is_text))
    for change in result.report.changes:
        if change.code == "heading-split":  # the report's own map: a heading's closing mark moved or added
            before = before.replace(re.sub(r"\s", "", change.before), re.sub(r"\s", "", change.after), 1)
    after = comparable(paragraph_texts(result.data))
    assert after == before, f"{name}: text changed"


@pytest.mark.parametrize(("name", "data"), CORPUS, ids=[n for n, _ in CORPUS])
def test_every_character_of_the_text_is_kept(name: str, data: bytes) -> None:
    kept(name, data)


@pytest.mark.parametrize(("name", "data"), CORPUS, ids=[n for n, _ in CORPUS])
def test_output_passes_check_but_for_what_the_report_hands_to_a_person(name: str, data: bytes, tmp_path: Path) -> None:
    result = fix_document(name, data)
    out = tmp_path / "out.docx"
    out.write_bytes(result.data)
    assert ooxml_errors(out) == []
    findings = check(out)
    person = result.report.for_person
    for finding in findings:
        assert finding.rule == "placeholder", finding.line()
    placeholders = {c.before for c in person if c.code == "placeholder"}
    assert {re.search(r"residue '(.*)'", f.message).group(1) for f in findings} == placeholders  # type: ignore[union-attr]
    assert result.exit_code == (1 if person else 0)


def test_check_findings_before_and_after_on_the_messy_corpus() -> None:
    """The clerk-typed files break many rules; fixed, only placeholders (handed to a person) remain."""
    for name, data in CORPUS:
        if not name.startswith("messy_"):
            continue
        before = {f.rule for f in check(data, name=name)}
        assert {"body-font", "line-pitch", "ascii-punctuation", "zero-padded-date"} <= before, before
        after = {f.rule for f in check(fix_document(name, data).data, name=name)}
        assert after <= {"placeholder"}


def test_structure_of_a_clerks_file_is_recognised() -> None:
    result = fix_document("messy.docx", build.messy_docx(build.seed_lines(build.SEEDS[1])))
    blocks = result.document.blocks
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "社建发〔2024〕7号"
    assert isinstance(blocks[1], Title) and blocks[1].text == "康养社区建设规划设计标准篇二"
    assert isinstance(blocks[2], Paragraph) and blocks[2].kind == "flush" and blocks[2].text == "各社区居委会："
    assert blocks[-1] == Signature("东湖街道办事处", "2024年4月1日")
    level1 = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert level1 == ["指导思想", "活动内容", "活动方式", "活动要求"]
    renumbered = {(c.before, c.after) for c in result.report.changes if c.code == "renumbered"}
    assert ("三、", "二、") in renumbered  # the skipped number, corrected and reported
    codes = {c.code for c in result.report.changes}
    assert {"document-number", "title", "addressee", "signature", "spacing-removed", "empty-removed", "lines-joined", "normalised"} <= codes


def test_the_document_number_line_is_handed_to_a_person() -> None:
    result = fix_document("messy.docx", build.messy_docx(["关于开展安全检查的通知", "请各单位认真落实。"], signer=None))
    (item,) = [c for c in result.report.for_person if c.code == "document-number"]
    assert item.after == "社建发〔2024〕7号"
    assert result.exit_code == 1


def test_table_and_attachment_note() -> None:
    result = fix_document("table.docx", build.table_docx())
    blocks = result.document.blocks
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.header == ["序号", "责任单位", "检查内容"]
    assert table.rows[1] == ["2", "河湾社区", "低洼点，排水沟"]
    assert table.rows[0][2] == "塘坝（2座）"
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "附件：1.汛期安全检查表" in texts and "2.责任人名单" in texts
    assert not any(isinstance(b, Heading) and "名单" in b.text for b in blocks)
    assert blocks[-1] == Signature("桃源镇人民政府", "2024年5月20日")
    assert result.exit_code == 0
    assert check(result.data, name="table.docx") == []


def test_default_python_docx_document_keeps_levels_bold_and_underline() -> None:
    result = fix_document("default.docx", build.default_docx())
    blocks = result.document.blocks
    assert isinstance(blocks[0], Title) and blocks[0].text == "青石社区垃圾分类宣传周活动方案"
    assert [(b.level, b.text) for b in blocks if isinstance(b, Heading)] == [(1, "活动时间"), (1, "活动内容"), (2, "入户宣传"), (2, "集中展示")]
    doc = open_docx(io.BytesIO(result.data))
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.text == "重点讲解厨余垃圾的投放" and r.bold for r in runs)
    assert any(r.text == "登记居民意见" and r.underline for r in runs)
    assert [p.text for p in doc.paragraphs if p.text.startswith(("一、", "二、", "（一）", "（二）"))] == ["一、活动时间", "二、活动内容", "（一）入户宣传", "（二）集中展示"]


def test_a_bold_line_among_numbered_headings_is_kept_and_handed_to_a_person() -> None:
    text = "关于做好防汛工作的通知\n\n一、总体要求\n\n**重点部位**\n\n加强巡查。\n\n二、工作措施\n\n落实值班。\n"
    result = fix_document("x.md", text.encode())
    (item,) = [c for c in result.report.for_person if c.code == "level-unknown"]
    assert item.after == "重点部位"
    assert "markup-removed" in {c.code for c in result.report.changes}
    bold = [b for b in result.document.blocks if isinstance(b, Paragraph) and b.text == "重点部位"]
    assert bold and bold[0].runs[0].bold
    assert result.exit_code == 1


def test_wrong_and_skipped_numbers_are_renumbered_and_reported() -> None:
    text = "关于开展大走访活动的通知\n一、目标\n开展走访。\n三、步骤\n(一)动员\n部署工作。\n(三)实施\n入户走访。\n五、要求\n认真落实。\n"
    result = fix_document("x.txt", text.encode())
    changes = [(c.before, c.after) for c in result.report.changes if c.code == "renumbered"]
    assert changes == [("三、", "二、"), ("(三)", "（二）"), ("五、", "三、")]
    assert check(result.data, name="x") == []
    assert result.exit_code == 0


def test_the_authors_consistent_numbering_is_kept_even_where_a_level_is_skipped() -> None:
    """（一） under 一、, 1. right under 二、: each style counts 1, 2, 3… under its parent, so the
    author's numbers stay (GB/T 9704 lets a document skip a level), and 1. keeps the look of level 3."""
    text = "实施方案\n一、总体要求\n(一)目标\n做好工作。\n二、步骤\n1.动员阶段。部署工作。\n"
    result = fix_document("x.txt", text.encode())
    headings = [(b.level, b.text, b.number) for b in result.document.blocks if isinstance(b, Heading)]
    assert headings == [(1, "总体要求", None), (2, "目标", None), (1, "步骤", None), (2, "动员阶段。", "1.")]
    assert result.report.for_person == []
    assert check(result.data, name="x.txt") == []
    assert "1.动员阶段。部署工作。" in [p.text for p in open_docx(io.BytesIO(result.data)).paragraphs]


def test_lines_broken_inside_sentences_are_joined() -> None:
    result = fix_document("wrapped.md", build.WRAPPED_TEXT.encode())
    paragraphs = [b.text for b in result.document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == [
        "各单位要提高认识，把供暖保障作为冬季民生工作的重点，摸清辖区内供暖薄弱环节，建立问题台账，逐项明确责任人和完成时限，确保居民温暖过冬。",
        "物业服务企业要在供暖前完成管网检修，发现问题及时处理，并向社区报告。",
    ]


def test_a_two_line_title_is_joined() -> None:
    result = fix_document("x.txt", "关于印发青山社区2024年\n爱国卫生月活动方案的通知\n各居民小组：\n现将方案印发给你们。\n".encode())
    assert result.document.blocks[0] == Title("关于印发青山社区2024年爱国卫生月活动方案的通知", (13,))  # broken where the source broke it
    assert result.document.blocks[1] == Paragraph([result.document.blocks[1].runs[0]], kind="flush")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_in_every_chinese_encoding(encoding: str) -> None:
    result = fix_document("x.txt", build.CLEAN_TEXT.encode(encoding))
    assert result.document.title == "关于开展夏季消防安全宣传活动的通知"
    assert result.exit_code == 0


def test_unreadable_inputs_say_why() -> None:
    with pytest.raises(UnreadableInput, match=r"not a \.docx"):
        fix_document("x.docx", b"plain text")
    with pytest.raises(UnreadableInput, match=r"\.pdf"):
        fix_document("x.pdf", b"%PDF")


def test_placeholders_are_not_invented_away() -> None:
    result = fix_document("x.txt", "20xx年工作方案\n请于20xx年□月底前完成，由XX负责。\n".encode())
    found = [c.before for c in result.report.for_person if c.code == "placeholder"]
    assert found == ["20xx", "20xx", "□", "XX"]
    assert "20xx年□月" in result.document.text()
    assert result.exit_code == 1


# ---------------------------------------------------------------- command line

def plangen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_writes_beside_the_input_and_never_overwrites_it(tmp_path: Path) -> None:
    src = tmp_path / "通知.txt"
    src.write_text(build.CLEAN_TEXT, encoding="utf-8")
    run = plangen("fix", str(src))
    assert run.returncode == 0, run.stderr
    out = tmp_path / output_name(src)
    assert out.name == "通知（已修正）.docx" and out.is_file()
    assert src.read_text(encoding="utf-8") == build.CLEAN_TEXT
    assert "title recognised" in run.stdout


def test_cli_in_place_keeps_a_backup(tmp_path: Path) -> None:
    src = tmp_path / "来文.docx"
    original = build.table_docx()
    src.write_bytes(original)
    run = plangen("fix", "--in-place", str(src))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "来文.bak.docx").read_bytes() == original
    assert src.read_bytes() != original and check(src) == []


def test_cli_dry_run_writes_nothing_and_json_has_stable_keys(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("20xx年工作要点\n\n一、目标\n\n做好工作。\n", encoding="utf-8")
    run = plangen("fix", "--dry-run", "--json", str(src))
    assert run.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    (row,) = json.loads(run.stdout)
    assert set(row) == {"source", "output", "exit_code", "error", "changes", "for_person"}
    assert row["output"] is None and row["exit_code"] == 1
    assert set(row["for_person"][0]) == {"code", "where", "before", "after", "note", "for_person", "line"}
    assert row["for_person"][0]["code"] == "placeholder"


def test_cli_folder_on_all_cores_with_one_unreadable_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"{i}.txt").write_text(build.CLEAN_TEXT, encoding="utf-8")
    (src / "broken.docx").write_bytes(b"not a zip")
    run = plangen("fix", str(src), "-o", str(tmp_path / "out"), "--jobs", "2")
    assert run.returncode == 2
    assert "broken.docx" in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{i}（已修正）.docx" for i in range(6)]
    assert plangen("fix", str(src)).returncode == 2  # beside the inputs this time
    assert len(list(src.glob("*（已修正）.docx"))) == 6
    again = plangen("fix", str(src), "--dry-run", "--json")  # earlier outputs are not fixed again
    rows = json.loads(again.stdout)
    assert len(rows) == 7
    assert all(set(row) == {"source", "output", "exit_code", "error", "changes", "for_person"} for row in rows)
    (broken,) = [row for row in rows if row["exit_code"] == 2]
    assert broken["source"].endswith("broken.docx") and "not a .docx" in broken["error"]


@pytest.mark.chinese
def test_report_speaks_chinese_by_default(tmp_path: Path) -> None:
    import os

    src = tmp_path / "a.txt"
    src.write_text("20xx年工作要点\n\n一、目标\n\n做好工作。\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PLANGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    run = subprocess.run([sys.executable, "-m", "plangen", "fix", str(src)], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "识别出标题" in run.stdout and "占位符" in run.stdout


@requires_libreoffice
@slow
def test_a_file_saved_by_libreoffice_and_a_doc(tmp_path: Path) -> None:
    """The messy file round-tripped through LibreOffice (.docx and the old binary .doc) fixes the same way."""
    soffice = find_soffice()
    assert soffice is not None
    src = tmp_path / "messy.docx"
    src.write_bytes(build.messy_docx(build.seed_lines(build.SEEDS[2])))
    for target in ("doc", "docx:MS Word 2007 XML"):
        subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", target,
                        "--outdir", str(tmp_path / "lo"), str(src)], check=True, capture_output=True, timeout=180)
    for saved in (tmp_path / "lo" / "messy.docx", tmp_path / "lo" / "messy.doc"):
        result = fix_document(saved)
        assert result.document.title == "康养社区建设规划设计标准篇三"
        assert {f.rule for f in check(result.data, name=saved.name)} <= {"placeholder"}
        if saved.suffix == ".doc":
            assert result.report.changes[0].code == "converted"
        else:
            kept(saved.name, saved.read_bytes())


ISSUED = build.ISSUED_TEXT


def test_an_issued_document_gets_its_header_and_colophon_laid_out(tmp_path: Path) -> None:
    result = fix_document("n.txt", ISSUED.encode())
    blocks = result.document.blocks
    assert [b.text for b in blocks[:2]] == ["青山县人民政府办公室文件", "青政办发〔2024〕12号"]  # type: ignore[union-attr]
    assert blocks[2] == Title("关于做好2024年春季植树造林工作的通知")  # fits one line
    assert Signature("青山县人民政府办公室", "2024年3月5日") in blocks
    assert [b.text for b in blocks[-2:]] == ["抄送：县委办公室。", "青山县人民政府办公室 2024年3月5日印发"]  # type: ignore[union-attr]
    assert result.report.for_person == [] and result.exit_code == 0
    assert {"header", "document-number", "colophon"} <= {c.code for c in result.report.changes}
    lines = [c.line for c in result.report.changes]
    assert lines == sorted(lines)  # the report reads in document order
    out = tmp_path / "n.docx"
    out.write_bytes(result.data)
    assert check(out) == [] and ooxml_errors(out) == []
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:color w:val="FF0000"' in xml and "青政办发〔2024〕12号" in xml and "印发" in xml
    kept("n.txt", ISSUED.encode())


def test_a_header_without_its_mark_is_kept_as_text_for_a_person() -> None:
    text = ISSUED.split("\n", 1)[1]  # no 某某文件 line: the number alone is not laid out as a header
    result = fix_document("n.txt", text.encode())
    assert sorted(c.code for c in result.report.for_person) == ["colophon", "colophon", "document-number"]
    assert check(result.data, name="n.docx") == []


def test_short_lines_of_a_list_are_not_joined_and_mixed_fonts_make_no_heading() -> None:
    """A calendar of short lines without end marks, typed in a Word file with no empty paragraphs
    between them, some runs in 楷体: twelve paragraphs stay twelve, none is taken for a heading."""
    result = fix_document("m.docx", build.messy_docx(build.seed_lines(build.SEEDS[3])))
    months = [b.text for b in result.document.blocks if isinstance(b, Paragraph) and re.match(r"20xx年\d+月主题", b.text)]
    assert len(months) == 12
    assert not [c for c in result.report.changes if c.code in ("level-unknown", "lines-joined")]
    assert not any(r.bold for b in result.document.blocks if isinstance(b, Paragraph) for r in b.runs)


def test_a_run_in_heading_closed_by_the_writer_is_reported() -> None:
    text = "工作方案\n一、目标\n（一）任务\n1.宣传发动\n开展宣传。\n"
    result = fix_document("x.txt", text.encode())
    assert ("宣传发动", "宣传发动。") in [(c.before, c.after) for c in result.report.changes if c.code == "heading-split"]
    kept("x.txt", text.encode())


def test_an_empty_document_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no text"):
        fix_document("x.txt", b"\n \n\xe3\x80\x80\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    run = plangen("fix", str(tmp_path / "empty.txt"))
    assert run.returncode == 2 and "empty.txt: has no text to fix" in run.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "empty.txt"]


def test_word_automatic_numbering_is_read_as_the_numbers_a_reader_sees() -> None:
    """Headings numbered by Word's list numbering carry no number in their text: fix counts them as
    Word does (numbering.xml) and treats the number as typed."""
    doc = open_docx()
    doc.add_paragraph("社区消防演练方案").alignment = 1
    doc.add_paragraph("为提高居民自救能力，制定本方案。")
    for text in ("演练时间", "演练内容", "工作要求"):
        doc.add_paragraph(text, style="List Number")
        doc.add_paragraph("按社区统一安排进行。")
    out = io.BytesIO()
    doc.save(out)
    result = fix_document("auto.docx", out.getvalue())
    assert [(b.level, b.text) for b in result.document.blocks if isinstance(b, Heading)] == [(1, "演练时间"), (1, "演练内容"), (1, "工作要求")]
    assert [(c.before, c.after) for c in result.report.changes if c.code == "renumbered"] == [("1.", "一、"), ("2.", "二、"), ("3.", "三、")]
    assert "list-numbering" in {c.code for c in result.report.changes}
    assert check(result.data, name="auto.docx") == []


def test_bold_lines_as_the_only_headings_are_the_first_level() -> None:
    doc = open_docx()
    doc.add_paragraph("关于开展邻里节活动的通知").alignment = 1
    for head, body in (("活动时间", "2024年5月18日。"), ("活动地点", "社区文化广场。")):
        doc.add_paragraph().add_run(head).bold = True
        doc.add_paragraph(body)
    out = io.BytesIO()
    doc.save(out)
    result = fix_document("b.docx", out.getvalue())
    assert [(b.level, b.text) for b in result.document.blocks if isinstance(b, Heading)] == [(1, "活动时间"), (1, "活动地点")]
    assert result.exit_code == 0 and check(result.data, name="b.docx") == []


def test_a_doc_without_libreoffice_says_so_in_one_line(tmp_path: Path) -> None:
    import os

    src = tmp_path / "旧文件.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    env = {**os.environ, "PATH": str(tmp_path)}  # no soffice on it
    run = subprocess.run([sys.executable, "-m", "plangen", "fix", str(src)], capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert run.stderr.splitlines()[0] == f"plangen: error: {src}: cannot read .doc files without LibreOffice; install it (apt install libreoffice-writer) or save the file as .docx in Word or WPS"


def test_a_paragraph_never_ends_at_a_comma_and_fixing_twice_changes_nothing_more() -> None:
    text = "工作方案\n\n一、目标\n\n各单位要明确责任，\n\n按期完成任务。\n"
    first = fix_document("x.txt", text.encode())
    assert [b.text for b in first.document.blocks if isinstance(b, Paragraph)] == ["各单位要明确责任，按期完成任务。"]
    for name, data in CORPUS:
        again = fix_document("again.docx", fix_document(name, data).data)
        assert not [c for c in again.report.changes if c.code in ("renumbered", "lines-joined", "heading-split", "level-guessed", "normalised")], name
        assert again.document.blocks == fix_document(name, data).document.blocks, name
