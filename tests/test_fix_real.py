"""``plangen fix`` on thirty real public documents (tests/fix_corpus/real, sources and licence in its
README), each in two of the shapes clerks produce: the structure found must be the one expected
(版头, 发文字号, title lines, 主送, numbers kept or renumbered, later parts, signature and date, 附注,
版记, aligned lists), ``plangen check`` must find nothing on fix's own output that is not handed to a
person, the OOXML must be valid, and no Han character or digit may be lost."""

from __future__ import annotations

import pytest
from fix_corpus import real_shapes, scorecard

from plangen.document import Heading, Paragraph, Signature, Title
from plangen.fix import fix_document

CASES = real_shapes.cases()


@pytest.mark.parametrize(("stem", "shape"), CASES, ids=[f"{s}.{k}" for s, k in CASES])
def test_a_real_document_comes_out_fit_to_file(stem: str, shape: str) -> None:
    outcome = scorecard.run(stem, shape)
    assert outcome.differences == []
    assert outcome.findings == []
    assert outcome.ooxml == []
    assert outcome.lost == ""


def test_the_corpus_is_thirty_real_documents_in_every_shape() -> None:
    assert len(real_shapes.TEXTS) >= 30
    assert set(real_shapes.EXPECTED) == {p.stem for p in real_shapes.TEXTS}
    assert {shape for _s, shape in CASES} == set(real_shapes.SHAPES)


def test_signature_date_and_note_after_it() -> None:
    result = fix_document("x.txt", (real_shapes.HERE / "04_census_2013.txt").read_bytes())
    blocks = result.document.blocks
    assert blocks[-2:] == [Signature("国务院办公厅", "2013年4月29日"), Paragraph(blocks[-1].runs)]  # type: ignore[union-attr]
    assert blocks[-1].text == "（此件公开发布）"  # type: ignore[union-attr]
    assert [c.after for c in result.report.changes if c.code == "note"] == ["（此件公开发布）"]


def test_a_notice_and_the_plan_it_issues_are_two_parts() -> None:
    result = fix_document("x.txt", (real_shapes.HERE / "21_minjian_2025.txt").read_bytes())
    blocks = result.document.blocks
    titles = [b.text for b in blocks if isinstance(b, Title)]
    assert titles == ["国务院办公厅印发《关于进一步促进民间投资发展的若干措施》的通知", "关于进一步促进民间投资发展的若干措施"]
    assert [c.after for c in result.report.changes if c.code == "part"] == ["关于进一步促进民间投资发展的若干措施"]
    assert not [b for b in blocks if isinstance(b, Heading)]  # thirteen numbered measures are items, kept as typed
    assert [c for c in result.report.changes if c.code == "renumbered"] == []


def test_continuous_numbering_across_sections_is_kept_and_a_broken_one_renumbered() -> None:
    text = "工作方案\n一、总体要求\n（一）目标\n做好工作。\n（二）原则\n依法办事。\n二、主要任务\n（三）宣传\n开展宣传。\n（四）培训\n组织培训。\n"
    result = fix_document("x.txt", text.encode())
    labels = [p.text[:5] for p in scorecard_paragraphs(result.data) if p.text.startswith("（")]
    assert labels == ["（一）目标", "（二）原则", "（三）宣传", "（四）培训"]
    assert [c for c in result.report.changes if c.code == "renumbered"] == []
    broken = text.replace("（四）培训", "（六）培训")
    result = fix_document("x.txt", broken.encode())
    assert [(c.before, c.after) for c in result.report.changes if c.code == "renumbered"] == [("（三）", "（一）"), ("（六）", "（二）")]


def test_a_run_in_heading_stays_run_in_with_its_own_mark() -> None:
    result = fix_document("x.txt", (real_shapes.HERE / "01_holiday_2018.txt").read_bytes())
    texts = [p.text for p in scorecard_paragraphs(result.data)]
    assert "一、元旦：1月1日放假，与周末连休。" in texts
    assert not [c for c in result.report.changes if c.code in ("heading-split", "renumbered")]


def test_an_attachment_starts_its_own_numbering_on_a_new_page() -> None:
    text = ("关于开展检查的通知\n各单位：\n现将有关事项通知如下。\n一、检查范围\n全县。\n二、检查方式\n自查。\n附件：检查清单\n某县人民政府办公室\n2024年3月1日\n"
            "附件\n检查清单\n一、消防设施\n逐项检查。\n二、用电安全\n逐项检查。\n")
    result = fix_document("x.txt", text.encode())
    numbers = [p.text[:2] for p in scorecard_paragraphs(result.data) if p.text[:1] and p.text[0] in "一二三四"]
    assert numbers == ["一、", "二、", "一、", "二、"]
    assert [c for c in result.report.changes if c.code == "renumbered"] == []
    assert 'w:type="page"' in scorecard_xml(result.data)


def test_markdown_as_pasted() -> None:
    text = ("# 关于开展读书月活动的通知\n\n<!-- 第二稿\n请核对 -->\n\n各科室：\n\n## 活动时间\n\n4月1日至30日。\n\n## 活动安排\n\n### 集中阅读\n\n"
            "#### 每周一次\n\n周五下午。\n\n| 科室 | 负责人 |\n| --- | --- |\n| 办公室 | 方明 |\n| 财务科 | 林青 |\n")
    result = fix_document("x.md", text.encode())
    blocks = result.document.blocks
    assert [(b.level, b.text) for b in blocks if isinstance(b, Heading)][:3] == [(1, "活动时间"), (1, "活动安排"), (2, "集中阅读")]
    (table,) = [b for b in blocks if b.__class__.__name__ == "Table"]
    assert table.header == ["科室", "负责人"] and table.rows == [["办公室", "方明"], ["财务科", "林青"]]  # type: ignore[attr-defined]
    assert "第二稿" not in result.document.text() and "|" not in result.document.text()
    assert [c.after for c in result.report.changes if c.code == "comments-removed"] == ["2 lines"]


def test_what_the_fixed_file_cannot_carry_is_listed_with_where_it_was() -> None:
    name, data = real_shapes.build("04_census_2013", "office.docx")
    result = fix_document(name, data)
    manual = [c for c in result.report.for_person if c.code == "manual"]
    said = " ".join(c.before for c in manual)
    assert "此处表述请再斟酌" in said and "联系人：周明远" in said
    assert all(c.where.startswith("paragraph ") for c in manual)


def test_a_seal_picture_is_kept_where_it_was() -> None:
    import io
    import zipfile

    from plangen.testing.ooxml import ooxml_errors

    name, data = real_shapes.build("04_census_2013", "office.docx")
    result = fix_document(name, data)
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        assert zf.read("word/media/image1.png") == real_shapes.seal_png()
    xml = scorecard_xml(result.data)
    (paragraph,) = [p for p in xml.split("<w:p>") if 'r:embed="rIdImage0"' in p]
    assert "自动撤销。" in paragraph  # the paragraph the seal was in
    assert [c.after for c in result.report.changes if c.code == "pictures"] == ["1 pictures"]
    assert ooxml_errors(result.data) == []


def test_a_footnote_stays_a_footnote() -> None:
    import io
    import re
    import zipfile

    from plangen.testing.ooxml import ooxml_errors

    name, data = real_shapes.build("04_census_2013", "office.docx")
    result = fix_document(name, data)
    assert result.document.notes == ["据原件整理。"]
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        assert "据原件整理。" in zf.read("word/footnotes.xml").decode("utf-8")
    xml = scorecard_xml(result.data)
    assert xml.count('<w:footnoteReference w:id="1"/>') == 1
    before = xml.split('<w:footnoteReference w:id="1"/>')[0]
    assert re.sub(r"<[^>]+>", "", before).endswith("现将有关事项通知如下：")  # right after the sentence it was on
    assert ooxml_errors(result.data) == []
    assert not [c for c in result.report.for_person if "据原件整理" in c.before]


def scorecard_paragraphs(data: bytes) -> list[object]:
    import io

    from docx import Document as open_docx

    return list(open_docx(io.BytesIO(data)).paragraphs)


def scorecard_xml(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_a_56_row_table_keeps_its_merged_cells_and_gives_the_text_its_width() -> None:
    import re

    from plangen.check import check
    from plangen.testing.ooxml import ooxml_errors

    result = fix_document("t.docx", real_shapes.long_table_docx(56))
    xml = scorecard_xml(result.data)
    assert xml.count('<w:vMerge w:val="restart"/>') == 14 and xml.count("<w:vMerge/>") == 42
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert widths[2] / sum(widths) > 0.55  # the column with nearly all the text gets most of the width
    assert [c.after for c in result.report.changes if c.code == "table-merged"] == ["14 merged cells"]
    assert ooxml_errors(result.data) == [] and check(result.data, name="t.docx") == []


@pytest.mark.slow
def test_odt_and_rtf_of_a_real_document(tmp_path: object) -> None:
    """The pasted-Word shape of a State Council notice saved by LibreOffice as .odt and .rtf (as a
    clerk's older office suite saves it) comes out with the same structure."""
    import subprocess
    from pathlib import Path

    from plangen.testing import soffice as find_soffice

    program = find_soffice()
    if program is None:
        pytest.skip("LibreOffice is not installed")
    folder = Path(str(tmp_path))
    name, data = real_shapes.build("04_census_2013", "web.docx")
    (folder / "in.docx").write_bytes(data)
    from plangen.ooxml.reader import read

    direct = fix_document(folder / "in.docx")
    want = scorecard.structure(direct.document), [p.text for p in read(direct.data).paragraphs]
    for target in ("odt", "rtf"):
        subprocess.run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", target,
                        "--outdir", str(folder / "lo"), str(folder / "in.docx")], check=True, capture_output=True, timeout=180)
        result = fix_document(folder / "lo" / f"in.{target}")
        texts = [p.text for p in read(result.data).paragraphs]
        assert (scorecard.structure(result.document), texts) == want, target  # as the .docx itself comes out


def test_tracked_changes_are_taken_as_accepted_and_said_so() -> None:
    import io

    from docx import Document as new_docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = new_docx()
    doc.add_paragraph("关于开展防汛检查的通知")
    p = doc.add_paragraph("请各单位")
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="审核人" w:date="2024-05-01T00:00:00Z"><w:r><w:t>认真</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="审核人" w:date="2024-05-01T00:00:00Z"><w:r><w:delText>马上</w:delText></w:r></w:del>'))
    p.add_run("落实。")
    out = io.BytesIO()
    doc.save(out)
    result = fix_document("r.docx", out.getvalue())
    assert "请各单位认真落实。" in result.document.text() and "马上" not in result.document.text()
    (item,) = [c for c in result.report.for_person if c.code == "manual"]
    assert item.before == "tracked changes" and item.where.startswith("paragraph 2")
