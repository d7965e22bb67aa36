"""The .docx packager the batch relies on: byte for byte what zipfile writes, cache or no cache."""

from __future__ import annotations

import io
import zipfile

from plangen.writer.package import package


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
