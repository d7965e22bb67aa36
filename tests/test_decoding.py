"""plangen.inputs.decoding: the one order in which input files, pasted texts and CSV rosters are read,
and the one error (naming the file, in Chinese) for what is not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangen.errors import InputError
from plangen.inputs.decoding import UnreadableText, decode_text, decoded, file_encoding

TEXT = "城关镇东街社区\nunit: 东街社区\n关于开展2024年爱国卫生月活动的通知\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("utf-8-sig"), "utf-8"),
    (TEXT.encode("utf-16"), "utf-16"),  # Notepad's "Unicode": a BOM, little-endian
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),  # Excel's "CSV (逗号分隔)" on Chinese Windows
], ids=["utf-8", "utf-8-bom", "utf-16-bom-le", "utf-16-bom-be", "utf-16-le", "utf-16-be", "gb18030", "gbk"])
def test_every_encoding_a_clerk_saves_in_is_read(data: bytes, encoding: str, tmp_path: Path) -> None:
    assert decode_text(data, source="a.yaml") == TEXT
    assert decoded(data, source="a.yaml") == (TEXT, encoding)
    path = tmp_path / "名册.csv"
    path.write_bytes(data)
    with path.open(encoding=file_encoding(path), newline="") as fh:
        assert fh.read() == TEXT  # the streamed guess reads the file as the whole-bytes guess does


def test_utf16_without_a_bom_is_told_by_its_byte_order() -> None:
    """Chinese alone in UTF-16 has few NUL bytes; the line breaks and ASCII decide the byte order."""
    text = "一二三\n" * 50 + "name: 东街社区\n"
    assert decoded(text.encode("utf-16-be"), source="x") == (text, "utf-16-be")
    assert decoded(text.encode("utf-16-le"), source="x") == (text, "utf-16-le")


def _problem(exc: pytest.ExceptionInfo[UnreadableText]) -> tuple[str, str, str]:
    [problem] = exc.value.problems
    return problem.file, problem.code, str(exc.value)


def test_bytes_in_no_encoding_name_the_file_and_say_what_to_do() -> None:
    with pytest.raises(UnreadableText) as exc:
        decode_text(bytes(range(256)) * 4, source="binary.yaml")
    assert isinstance(exc.value, InputError) and exc.value.exit_code == 2
    assert _problem(exc) == ("binary.yaml", "text.undecodable",
                             "binary.yaml: cannot read: the text is neither UTF-8 nor GB18030 nor UTF-16; save it as UTF-8 and try again")


def test_the_message_is_chinese_for_a_chinese_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGEN_LANG", "zh")
    with pytest.raises(UnreadableText) as exc:
        decode_text(b"\x80\xff\x80 text", source="通知.txt")
    assert str(exc.value) == "通知.txt：无法读取：文字编码不是 UTF-8、UTF-16 或 GB18030；请另存为 UTF-8 后重试"


def test_broken_utf16_after_a_bom_is_named_as_utf16(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGEN_LANG", "zh")
    with pytest.raises(UnreadableText) as exc:
        decode_text(b"\xff\xfe" + "社区".encode("utf-16-le") + b"\x00\xd8", source="a.yaml")  # a lone surrogate
    assert _problem(exc)[:2] == ("a.yaml", "text.bad-utf16")
    assert str(exc.value) == "a.yaml：像是 UTF-16 编码（记事本的“Unicode”），但无法解码；请另存为 UTF-8 编码"


def test_text_that_decodes_only_with_nul_characters_is_binary() -> None:
    with pytest.raises(UnreadableText) as exc:
        decode_text(b"PK\x03\x04" + b"\x00" * 101, source="a.yaml")  # odd length: not UTF-16
    assert _problem(exc)[:2] == ("a.yaml", "text.binary")


def test_a_roster_in_no_encoding_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UnreadableText) as exc:
        file_encoding(path)
    assert _problem(exc)[:2] == (str(path), "text.undecodable")
    with pytest.raises(UnreadableText) as exc:
        file_encoding(path, source="名册.csv")
    assert _problem(exc)[0] == "名册.csv"


def test_the_roster_guess_reads_past_the_first_block(tmp_path: Path) -> None:
    """UTF-8 for 100 KB, then one GBK line: the whole file decides (streamed), not its start."""
    path = tmp_path / "名册.csv"
    path.write_bytes(("社区名称,书记\n" + "东街社区,叶兰\n" * 6000).encode("utf-8") + "南街社区,陶刚\n".encode("gbk"))
    assert file_encoding(path) == "gb18030"
