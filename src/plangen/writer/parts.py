"""The fixed parts of the package (styles, settings, fonts, footers), their content types and relationships.

They depend only on the font profile, so they are built once per profile and reused for every plan
of a batch. The package is deliberately slim: no theme, no numbering part, no unused styles.
"""

from __future__ import annotations

from functools import lru_cache

from plangen.gbt9704 import layout as L
from plangen.gbt9704.fonts import ALTERNATES, FontProfile
from plangen.writer.order import children, element
from plangen.writer.package import DECL as DECL  # re-exported: every part begins with it

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

MAIN = "word/document.xml"
CORE = "docProps/core.xml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
XML_TYPE = "application/xml"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_TYPE = _WML + "document.main+xml"
FOOTER_TYPE = _WML + "footer+xml"
FOOTNOTES_TYPE = _WML + "footnotes+xml"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_REL = R_NS + "/"
OFFICE_DOCUMENT_REL = _REL + "officeDocument"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
FOOTER_REL = _REL + "footer"
FOOTNOTES_REL = _REL + "footnotes"
IMAGE_REL = _REL + "image"

ODD_FOOTER_ID = "rId4"
EVEN_FOOTER_ID = "rId5"
FIXED_PARTS = (
    ("word/styles.xml", _WML + "styles+xml", "rId1", _REL + "styles"),
    ("word/settings.xml", _WML + "settings+xml", "rId2", _REL + "settings"),
    ("word/fontTable.xml", _WML + "fontTable+xml", "rId3", _REL + "fontTable"),
    ("word/footer1.xml", FOOTER_TYPE, ODD_FOOTER_ID, FOOTER_REL),
    ("word/footer2.xml", FOOTER_TYPE, EVEN_FOOTER_ID, FOOTER_REL),
)
"""(part name, content type, relationship id from the document, relationship type) of the parts
that depend only on the font profile, in package order."""

SETTINGS = (
    DECL + f'<w:settings xmlns:w="{W_NS}">'
    + children(
        "settings",
        '<w:zoom w:percent="100"/>',
        "<w:evenAndOddHeaders/>",  # page numbers right on odd pages, left on even pages
        '<w:defaultTabStop w:val="420"/>',
        '<w:characterSpacingControl w:val="doNotCompress"/>',
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>',
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>',
    )
    + "</w:settings>"
)


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _xml_escape(value: str, entities: dict[str, str] | None = None) -> str:
    """xml.sax.saxutils.escape, without the 20 ms its import of urllib and ssl adds to every start."""
    value = value.translate(_XML_ESCAPES)
    for char, entity in (entities or {}).items():
        value = value.replace(char, entity)
    return value


def xml_attr(value: str) -> str:
    return _xml_escape(value, {'"': "&quot;"})


def rfonts(chinese: str, latin: str) -> str:
    """Chinese font for eastAsia and for hAnsi (quotes, dashes, ellipses), a Latin face for ASCII."""
    c, lat = xml_attr(chinese), xml_attr(latin)
    return f'<w:rFonts w:ascii="{lat}" w:hAnsi="{c}" w:eastAsia="{c}" w:cs="{lat}" w:hint="eastAsia"/>'


def _para_style(
    style_id: str,
    name: str,
    ppr: str,
    rpr: str,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    outline: int | None = None,
) -> str:
    outline_xml = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return style_xml(
        "paragraph",
        style_id,
        f'<w:name w:val="{name}"/>',
        f'<w:basedOn w:val="{based_on}"/>' if based_on else "",
        f'<w:next w:val="{next_style}"/>' if next_style else "",
        "<w:qFormat/>",
        element("pPr", ppr, outline_xml),
        element("rPr", rpr),
    )


def style_xml(kind: str, style_id: str, *fragments: str, default: bool = False) -> str:
    """A ``w:style`` with its children in schema order whatever the call order (build pPr/rPr with element())."""
    flag = ' w:default="1"' if default else ""
    return f'<w:style w:type="{kind}"{flag} w:styleId="{style_id}">{children("style", *fragments)}</w:style>'


@lru_cache(maxsize=8)
def styles_xml(fonts: FontProfile) -> str:
    """Named styles carrying every font, size, spacing and indent rule, so runs stay bare."""
    body = rfonts(fonts.body, fonts.latin)
    exact = f'<w:spacing w:before="0" w:after="0" w:line="{L.LINE_PITCH}" w:lineRule="exact"/>'
    indent2 = f'<w:ind w:firstLine="{2 * L.CHAR}" w:firstLineChars="200"/>'
    no_indent = '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
    size = f'<w:sz w:val="{L.BODY_SIZE}"/><w:szCs w:val="{L.BODY_SIZE}"/>'
    black = '<w:color w:val="000000"/>'
    defaults = (
        "<w:docDefaults><w:rPrDefault>"
        + element("rPr", body, black, '<w:kern w:val="0"/>', size, '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')
        + "</w:rPrDefault><w:pPrDefault>"
        + element("pPr", exact)
        + "</w:pPrDefault></w:docDefaults>"
    )
    normal = style_xml(
        "paragraph",
        "Normal",
        '<w:name w:val="Normal"/><w:qFormat/>',
        element("pPr", '<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>', exact, indent2, '<w:jc w:val="both"/>'),
        element("rPr", body, black, f'<w:spacing w:val="{L.CHAR_SPACING}"/>', size),
        default=True,
    )
    title_size = f'<w:sz w:val="{L.TITLE_SIZE}"/><w:szCs w:val="{L.TITLE_SIZE}"/>'
    styles = [
        normal,
        _para_style(
            "Title", "Title", f'<w:keepNext/><w:snapToGrid w:val="0"/>{no_indent}<w:jc w:val="center"/>',
            f'{rfonts(fonts.title, fonts.latin)}<w:b w:val="0"/><w:spacing w:val="0"/>{title_size}', next_style="Normal",
        ),
        _para_style("Heading1", "heading 1", "<w:keepNext/>", f'{rfonts(fonts.heading1, fonts.latin)}<w:b w:val="0"/>', outline=0),
        _para_style("Heading2", "heading 2", "<w:keepNext/>", f'{rfonts(fonts.heading2, fonts.latin)}<w:b w:val="0"/>', outline=1),
        _para_style("Heading3", "heading 3", "", '<w:b w:val="0"/>', outline=2),
        _para_style("Heading4", "heading 4", "", '<w:b w:val="0"/>', outline=3),
        _para_style("Flush", "Body Text Flush", no_indent, ""),
        # the heading fonts for a level-1 or level-2 heading that runs into its paragraph (一、元旦：…)
        style_xml("character", "Heading1Char", '<w:name w:val="Heading 1 Char"/>', element("rPr", rfonts(fonts.heading1, fonts.latin))),
        style_xml("character", "Heading2Char", '<w:name w:val="Heading 2 Char"/>', element("rPr", rfonts(fonts.heading2, fonts.latin))),
        _para_style("Signature", "Signature", f'{no_indent}<w:jc w:val="right"/>', ""),
        _para_style("Date", "Date", f'{no_indent}<w:jc w:val="right"/>', ""),
        _para_style(
            "TableText", "Table Text",
            f'<w:spacing w:before="0" w:after="0" w:line="{L.TABLE_LINE}" w:lineRule="exact"/><w:snapToGrid w:val="0"/>{no_indent}<w:jc w:val="left"/>',
            f'<w:spacing w:val="0"/><w:sz w:val="{L.TABLE_SIZE}"/><w:szCs w:val="{L.TABLE_SIZE}"/>',
        ),
        _para_style(
            "TableHeader", "Table Header", '<w:keepNext/><w:jc w:val="center"/>',
            f'{rfonts(fonts.heading1, fonts.latin)}', based_on="TableText",
        ),
        _para_style(
            "Footer", "footer",
            f'<w:spacing w:before="0" w:after="0" w:line="{L.PAGE_NUMBER_SIZE * 10}" w:lineRule="exact"/><w:snapToGrid w:val="0"/>{no_indent}',
            f'{rfonts(fonts.page_number, fonts.page_number)}<w:spacing w:val="0"/>'
            f'<w:sz w:val="{L.PAGE_NUMBER_SIZE}"/><w:szCs w:val="{L.PAGE_NUMBER_SIZE}"/>',
        ),
    ]
    return DECL + f'<w:styles xmlns:w="{W_NS}">{defaults}{"".join(styles)}</w:styles>'


@lru_cache(maxsize=8)
def font_table_xml(fonts: FontProfile) -> str:
    """Declares each font as a GB2312 (charset 86) face, with the Windows name as its alternate."""
    names = dict.fromkeys([fonts.title, fonts.body, fonts.heading1, fonts.heading2, fonts.page_number])
    out = []
    for name in names:
        alt = ALTERNATES.get(name)
        alt_xml = f'<w:altName w:val="{xml_attr(alt)}"/>' if alt else ""
        out.append(f'<w:font w:name="{xml_attr(name)}">{alt_xml}<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    out.append(f'<w:font w:name="{xml_attr(fonts.latin)}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return DECL + f'<w:fonts xmlns:w="{W_NS}">{"".join(out)}</w:fonts>'


def _footer(align: str, indent_side: str) -> str:
    """— N — with a PAGE field; odd pages right with one character of right indent, even pages left."""
    t = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        DECL + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>'
        + element("pPr", '<w:pStyle w:val="Footer"/>', f'<w:ind w:{indent_side}="{L.PAGE_NUMBER_INDENT}"/>', f'<w:jc w:val="{align}"/>')
        + f"{t.format('— ')}{field}{t.format(' —')}</w:p></w:ftr>"
    )


FOOTER_ODD = _footer("right", "right")
FOOTER_EVEN = _footer("left", "left")

SECTION = element(
    "sectPr",
    f'<w:footerReference w:type="default" r:id="{ODD_FOOTER_ID}"/>',
    f'<w:footerReference w:type="even" r:id="{EVEN_FOOTER_ID}"/>',
    f'<w:pgSz w:w="{L.PAGE_W}" w:h="{L.PAGE_H}"/>',
    f'<w:pgMar w:top="{L.MARGIN_TOP}" w:right="{L.MARGIN_RIGHT}" w:bottom="{L.MARGIN_BOTTOM}" w:left="{L.MARGIN_LEFT}" '
    f'w:header="{L.HEADER_DISTANCE}" w:footer="{L.FOOTER_DISTANCE}" w:gutter="0"/>',
    '<w:pgNumType w:fmt="decimal"/>',
    f'<w:docGrid w:type="lines" w:linePitch="{L.LINE_PITCH}"/>',
)


def core_xml(title: str, subject: str) -> str:
    return (
        DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_escape(title)}</dc:title><dc:subject>{_xml_escape(subject)}</dc:subject>"
        "<dc:creator>plangen</dc:creator></cp:coreProperties>"
    )


def fixed_parts(fonts: FontProfile) -> list[tuple[str, str]]:
    """(name, XML) of the parts of :data:`FIXED_PARTS`, for ``fonts``."""
    xml = (styles_xml(fonts), SETTINGS, font_table_xml(fonts), FOOTER_ODD, FOOTER_EVEN)
    return [(name, text) for (name, *_), text in zip(FIXED_PARTS, xml, strict=True)]
