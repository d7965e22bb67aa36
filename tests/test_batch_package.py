"""The .docx packager the batch relies on: byte for byte what zipfile writes, cache or no cache."""

from __future__ import annotations

import io
import zipfile

from plangen.writer.package import Package, package


def zipfile_bytes(parts: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def test_same_bytes_as_zipfile_first_time_and_from_the_cache() -> None:
    static = ("word/styles.xml", "<w:styles>" + "<w:style/>" * 200 + "</w:styles>")
    for n in range(3):  # the static part is compressed the first two times, then served from the cache
        parts = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", f"<w:body>东街社区{n}</w:body>"), static,
                 ("word/附件.xml", "<x>中文名</x>")]
        data = package(parts)
        assert data == zipfile_bytes(parts)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None
            assert zf.read("word/document.xml").decode("utf-8") == f"<w:body>东街社区{n}</w:body>"
            assert zf.getinfo("word/附件.xml").flag_bits & 0x800


def test_empty_part_and_empty_package() -> None:
    assert package([("a.xml", "")]) == zipfile_bytes([("a.xml", "")])
    assert package([]) == zipfile_bytes([])


def test_package_writes_content_types_and_relationships_from_its_entries() -> None:
    """Parts keep the place they were first put (a replaced body too); types and rels come from data."""
    pkg = Package()
    pkg.default("xml", "application/xml")
    pkg.relate("", "rId1", "urn:doc", "word/document.xml")
    pkg.put("word/document.xml", "<old/>", "text/x-main")
    pkg.relate("word/document.xml", "rId7", "urn:footer", "footer&1.xml")
    pkg.put("word/footer1.xml", "<ftr/>", "text/x-footer")
    pkg.put("word/document.xml", "<new/>")  # replaced where it stands, no second type entry
    with zipfile.ZipFile(io.BytesIO(pkg.zip())) as zf:
        assert zf.namelist() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                 "word/_rels/document.xml.rels", "word/footer1.xml"]
        assert zf.read("word/document.xml") == b"<new/>"
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
        package_rels = zf.read("_rels/.rels").decode()
    assert types.endswith('<Default Extension="xml" ContentType="application/xml"/>'
                          '<Override PartName="/word/document.xml" ContentType="text/x-main"/>'
                          '<Override PartName="/word/footer1.xml" ContentType="text/x-footer"/></Types>')
    assert rels.endswith('<Relationship Id="rId7" Type="urn:footer" Target="footer&amp;1.xml"/></Relationships>')
    assert '<Relationship Id="rId1" Type="urn:doc" Target="word/document.xml"/>' in package_rels
