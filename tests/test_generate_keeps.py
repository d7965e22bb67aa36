"""``plangen generate -o`` never overwrites someone's file: what plangen did not make, or what was edited
since, is moved aside as ``NAME.kept.docx`` (as ``plangen batch`` does); its errors end in the reader's
language."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from on_pilot import EXAMPLE as BASE
from on_pilot import OUTPUT_NAME as NAME
from procs import run_cli

pytestmark = pytest.mark.usefixtures("pilot_only")


def test_a_file_plangen_did_not_make_is_kept_aside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / NAME).write_bytes(b"the clerk's own notes")
    code, stdout, stderr = run_cli("generate", str(BASE), "-o", str(out) + "/")
    assert code == 0, stderr
    kept = out / NAME.replace(".docx", ".kept.docx")
    assert kept.read_bytes() == b"the clerk's own notes" and kept.name in stderr and stderr.count("\n") == 1
    with zipfile.ZipFile(out / NAME) as zf:
        assert "东街社区" in zf.read("word/document.xml").decode("utf-8")


def test_a_plan_plangen_made_is_replaced_and_one_edited_in_word_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", str(BASE), "-o", str(out) + "/")[0] == 0
    code, _out, stderr = run_cli("generate", str(BASE), "-o", str(out) + "/")  # its own, unedited: replaced quietly
    assert code == 0 and stderr == "" and sorted(p.name for p in out.iterdir()) == [NAME]
    edited = out / NAME  # saved again by Word: it writes docProps/app.xml and who edited it last
    with zipfile.ZipFile(edited) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(b"</cp:coreProperties>", b"<cp:lastModifiedBy>\xe7\x8e\x8b\xe5\x8a\x9e\xe4\xba\x8b\xe5\x91\x98</cp:lastModifiedBy></cp:coreProperties>")
    parts["docProps/app.xml"] = b"<Properties><Application>Microsoft Office Word</Application></Properties>"
    with zipfile.ZipFile(edited, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = edited.read_bytes()
    code, _out, stderr = run_cli("generate", str(BASE), "-o", str(edited))
    assert code == 0 and ("kept.docx" in stderr)
    assert (out / NAME.replace(".docx", ".kept.docx")).read_bytes() == before


@pytest.mark.chinese
def test_an_output_under_a_file_says_why_in_chinese(tmp_path: Path) -> None:
    code, _out, stderr = run_cli("generate", str(BASE), "-o", "/dev/full/x.docx")
    assert code == 1 and stderr.count("\n") == 1
    assert "/dev/full" in stderr and "同名文件" in stderr and "File exists" not in stderr
