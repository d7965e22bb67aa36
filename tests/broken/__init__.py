"""Deliberately broken Word documents, for proving that every ``plangen check`` rule fires.

Two kinds:

- :data:`BREAKS`: one edit per rule id, applied to the XML of a generated (clean) plan or notice, so
  each broken copy differs from a passing file in exactly one respect;
- :func:`badly_made_plan`: a plan typed by hand with python-docx's default template (Letter paper,
  Calibri, no Chinese fonts, no page numbers) with the usual mistakes in its text.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_docx
from docx.shared import Pt, RGBColor
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}

Parts = dict[str, etree._Element]
Edit = Callable[[Parts], None]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert found, f"nothing at {path}"
    return found[0]


def _set(el: etree._Element, **attrs: str) -> None:
    for key, value in attrs.items():
        el.set(w(key), value)


def _child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = parent.find(w(tag))
    if el is None:
        el = etree.SubElement(parent, w(tag))
    _set(el, **attrs)
    return el


def _style(parts: Parts, style_id: str) -> etree._Element:
    return _one(parts["word/styles.xml"], f"//w:style[@w:styleId='{style_id}']")


def _paragraph(parts: Parts, starts: str) -> etree._Element:
    """The first body paragraph whose text starts with ``starts``."""
    for p in parts["word/document.xml"].iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).startswith(starts):
            return p
    raise AssertionError(f"no paragraph starting with {starts!r}")


def _replace_text(parts: Parts, old: str, new: str) -> None:
    for t in parts["word/document.xml"].iter(w("t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new, 1)
            return
    raise AssertionError(f"no text {old!r}")


def _run_props(p: etree._Element) -> etree._Element:
    run = next(r for r in p.iter(w("r")) if "".join(t.text or "" for t in r.iter(w("t"))).strip())
    rpr = run.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        run.insert(0, rpr)
    return rpr


def _direct_rfonts(rpr: etree._Element, east_asia: str) -> None:
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        fonts = etree.Element(w("rFonts"))
        rpr.insert(0, fonts)
    _set(fonts, eastAsia=east_asia, hAnsi=east_asia)


def _body_sect(parts: Parts) -> etree._Element:
    return _one(parts["word/document.xml"], "/w:document/w:body/w:sectPr")


def letter_paper(parts: Parts) -> None:
    for pg in parts["word/document.xml"].iter(w("pgSz")):
        _set(pg, w="12240", h="15840")


def narrow_top_margin(parts: Parts) -> None:
    for mar in parts["word/document.xml"].iter(w("pgMar")):
        _set(mar, top="1440")


def loose_lines(parts: Parts) -> None:
    _set(_one(_style(parts, "Normal"), "w:pPr/w:spacing"), line="620")


def no_character_tightening(parts: Parts) -> None:
    spacing = _one(_style(parts, "Normal"), "w:rPr/w:spacing")
    spacing.getparent().remove(spacing)


def title_in_heiti(parts: Parts) -> None:
    _set(_one(_style(parts, "Title"), "w:rPr/w:rFonts"), eastAsia="黑体", hAnsi="黑体")


def small_title(parts: Parts) -> None:
    _set(_one(_style(parts, "Title"), "w:rPr/w:sz"), val="36")


def body_run_in_songti(parts: Parts) -> None:
    _direct_rfonts(_run_props(_paragraph(parts, "今年爱国卫生月活动的主题")), "宋体")


def body_run_small(parts: Parts) -> None:
    _child(_run_props(_paragraph(parts, "今年爱国卫生月活动的主题")), "sz", val="28")


def heading1_in_fangsong(parts: Parts) -> None:
    _set(_one(_style(parts, "Heading1"), "w:rPr/w:rFonts"), eastAsia="仿宋_GB2312", hAnsi="仿宋_GB2312")


def heading2_large(parts: Parts) -> None:
    rpr = _one(_style(parts, "Heading2"), "w:rPr")
    _child(rpr, "sz", val="36")


def paragraph_without_indent(parts: Parts) -> None:
    p = _paragraph(parts, "今年爱国卫生月活动的主题")
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    _child(ppr, "ind", firstLine="0", firstLineChars="0")


def skipped_heading_number(parts: Parts) -> None:
    _replace_text(parts, "三、活动内容", "四、活动内容")


def orphan_level(parts: Parts) -> None:
    _replace_text(parts, "一、活动主题", "（一）活动主题")


def placeholder(parts: Parts) -> None:
    _replace_text(parts, "活动时间为2024年", "活动时间为20xx年")


def ascii_colon(parts: Parts) -> None:
    _replace_text(parts, "联系人：", "联系人:")


def bad_document_number(parts: Parts) -> None:
    _replace_text(parts, "城发〔2024〕8号", "城发[2024]8号")


def zero_padded_date(parts: Parts) -> None:
    _replace_text(parts, "2024年4月1日", "2024年04月01日")


def red_text(parts: Parts) -> None:
    _child(_run_props(_paragraph(parts, "今年爱国卫生月活动的主题")), "color", val="C00000")


def no_odd_footer(parts: Parts) -> None:
    ref = _one(parts["word/document.xml"], "//w:sectPr/w:footerReference[@w:type='default']")
    ref.getparent().remove(ref)


def shared_footer(parts: Parts) -> None:
    el = _one(parts["word/settings.xml"], "//w:evenAndOddHeaders")
    el.getparent().remove(el)


def hyphen_page_number(parts: Parts) -> None:
    for t in parts["word/footer1.xml"].iter(w("t")):
        t.text = (t.text or "").replace("—", "-")


def page_number_in_times(parts: Parts) -> None:
    _set(_one(_style(parts, "Footer"), "w:rPr/w:rFonts"), ascii="Times New Roman", eastAsia="Times New Roman")


def centred_page_number(parts: Parts) -> None:
    _set(_one(parts["word/footer1.xml"], "//w:jc"), val="center")


# notice only
def numbered_colophon(parts: Parts) -> None:
    """The colophon section loses its own (empty) footers and so inherits the numbered ones."""
    for ref in _body_sect(parts).findall(w("footerReference")):
        ref.getparent().remove(ref)
    for sect in parts["word/document.xml"].iter(w("sectPr")):
        if sect.getparent().tag == w("pPr") and sect.find(w("type")) is not None:
            for ref in sect.findall(w("footerReference")):
                sect.remove(ref)


def black_mark(parts: Parts) -> None:
    _set(_one(parts["word/document.xml"], "//w:body/w:p[1]//w:color"), val="000000")


def no_separator(parts: Parts) -> None:
    border = _one(parts["word/document.xml"], "//w:pBdr")
    border.getparent().remove(border)


def large_colophon(parts: Parts) -> None:
    for sz in _one(parts["word/document.xml"], "//w:tbl[last()]").iter(w("sz")):
        sz.set(w("val"), "32")


def thin_colophon_rules(parts: Parts) -> None:
    _set(_one(parts["word/document.xml"], "//w:tbl[last()]/w:tblPr/w:tblBorders/w:top"), sz="2")


def _signature_pages(parts: Parts) -> tuple[int, int]:
    """(estimated last page of body text, page of the signer) of the document in ``parts``."""
    from plangen.gbt9704.page_estimate import estimate
    from plangen.ooxml import reader

    doc = reader.from_parts("broken", parts["word/document.xml"], parts["word/styles.xml"])
    layout = estimate(doc)
    signer = next(p for p in doc.paragraphs if p.style == "Signature")
    body = [p for p in doc.paragraphs if p.number < signer.number and p.text.strip() and p.table is None]
    return max(max(layout.lines_on[p.number]) for p in body), min(layout.lines_on[signer.number])


def signature_alone(parts: Parts) -> None:
    """Body ending on a page's last line, without the keep-with-next chain: the signature goes over alone."""
    document = parts["word/document.xml"]
    for keep in document.xpath("//w:body/w:p/w:pPr/w:keepNext", namespaces=NS):
        keep.getparent().remove(keep)
    signer = _one(document, "//w:p[w:pPr/w:pStyle/@w:val='Signature']")
    blank = signer.getprevious()
    for _ in range(60):
        last_body, signed = _signature_pages(parts)
        if signed > last_body:
            return
        line = etree.Element(w("p"))
        etree.SubElement(line, w("r")).append(etree.fromstring(f'<w:t xmlns:w="{W}">以上工作按计划推进。</w:t>'))
        blank.addprevious(line)
    raise AssertionError("the body never reached the foot of a page")


BREAKS: dict[str, Edit] = {
    "page-size": letter_paper,
    "page-margins": narrow_top_margin,
    "line-pitch": loose_lines,
    "chars-per-line": no_character_tightening,
    "title-font": title_in_heiti,
    "title-size": small_title,
    "body-font": body_run_in_songti,
    "body-size": body_run_small,
    "heading-font": heading1_in_fangsong,
    "heading-size": heading2_large,
    "first-line-indent": paragraph_without_indent,
    "heading-sequence": skipped_heading_number,
    "heading-level": orphan_level,
    "placeholder": placeholder,
    "ascii-punctuation": ascii_colon,
    "document-number": bad_document_number,
    "zero-padded-date": zero_padded_date,
    "text-colour": red_text,
    "page-number-missing": no_odd_footer,
    "page-number-odd-even": shared_footer,
    "page-number-format": hyphen_page_number,
    "page-number-font": page_number_in_times,
    "page-number-position": centred_page_number,
    "signature-alone": signature_alone,
}
NOTICE_BREAKS: dict[str, Edit] = {
    "page-number-on-colophon": numbered_colophon,
    "notice-mark": black_mark,
    "notice-separator": no_separator,
    "colophon-font": large_colophon,
    "colophon-rules": thin_colophon_rules,
}


def broken_copy(source: Path, target: Path, *edits: Edit) -> Path:
    """Copy ``source`` to ``target`` with the XML edits applied (the zip is otherwise unchanged)."""
    shutil.copyfile(source, target)
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        parts: Parts = {n: etree.fromstring(zin.read(n)) for n in names if n.endswith(".xml") and n.startswith("word/")}
        raw = {n: zin.read(n) for n in names}
    for edit in edits:
        edit(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            data = etree.tostring(parts[name], xml_declaration=True, encoding="UTF-8", standalone=True) if name in parts else raw[name]
            zout.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def badly_made_plan(target: Path) -> Path:
    """A plan as a hurried clerk might type it in Word's default template."""
    doc = new_docx()
    doc.add_paragraph("城关镇东街社区20xx年爱国卫生月活动方案").runs[0].font.size = Pt(18)
    doc.add_paragraph("为深入开展爱国卫生运动,根据《关于深入开展爱国卫生运动的实施意见》（城发[2024]8号）精神,制定本方案。")
    doc.add_paragraph("一、活动主题")
    doc.add_paragraph("今年的主题是“美丽中国 健康相伴”，活动时间为2024年04月01日至4月30日。")
    doc.add_paragraph("三、工作目标")
    doc.add_paragraph("（二）清理卫生死角")
    red = doc.add_paragraph().add_run("全面清理楼道庭院和背街小巷的积存垃圾。")
    red.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    doc.add_paragraph("联系人:孙明怡，联系电话:0523-88229815。")
    doc.save(str(target))
    return target
