"""Plan types without code: a plan-type folder works as a plan type, and ``plangen learn`` makes one
from last year's document that regenerates it and serves another unit and year with no trace of the
old one. Sources: tests/data/learn/README.md (public plans) and tests/seed_docs.py (the seed)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from procs import run_cli
from seed_docs import write_all

from plangen.inputs.nextyear import next_year
from plangen.testing.ooxml import assert_valid_ooxml

DATA = Path(__file__).resolve().parent / "data"
CLEAN_UP = DATA / "plan-types"
REAL = sorted((DATA / "learn").glob("*.txt"))
NEW_PEOPLE = iter([])  # filled per test


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def generate(plugins: Path, source: Path, out: Path) -> Path:
    code, stdout, stderr = run_cli("--plugins-dir", str(plugins), "generate", str(source), "-o", str(out))
    assert code == 0, stderr
    return Path(stdout.strip().splitlines()[-1])


def test_folder_is_a_plan_type_everywhere(tmp_path: Path) -> None:
    code, out, _ = run_cli("--plugins-dir", str(CLEAN_UP), "types")
    assert code == 0 and "clean-up" in out and "楼道杂物清理行动方案" in out
    code, example, _ = run_cli("--plugins-dir", str(CLEAN_UP), "new", "clean-up")
    assert code == 0 and "buildings: [3号楼, 5号楼, 8号楼]" in example
    path = generate(CLEAN_UP, CLEAN_UP / "clean-up" / "clean-up.example.yaml", tmp_path)
    text = text_of(path)
    assert "城关镇东街社区2024年第六次" in text  # edition counted from 2019
    assert "集中清理3号楼、5号楼和8号楼楼道内的楼道杂物" in text and "韩立新（社区消防专干）负责技术指导" in text
    assert "第二组" in text and "5号楼和8号楼" in text  # the table field
    assert_valid_ooxml(path)
    code, out, _ = run_cli("--plugins-dir", str(CLEAN_UP), "check", str(path))
    assert code == 0, out
    nxt = tmp_path / "next.yaml"
    assert run_cli("--plugins-dir", str(CLEAN_UP), "next", str(CLEAN_UP / "clean-up" / "clean-up.example.yaml"), "-o", str(nxt))[0] == 0
    assert "第七次" in text_of(generate(CLEAN_UP, nxt, tmp_path / "n"))


def test_bad_input_names_the_chinese_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((CLEAN_UP / "clean-up" / "clean-up.example.yaml").read_text(encoding="utf-8").replace("focus: 楼道杂物", "focus: 别的"), encoding="utf-8")
    code, out, err = run_cli("--plugins-dir", str(CLEAN_UP), "generate", str(bad), "-o", str(tmp_path / "o"))
    assert code == 2 and "focus" in err and "电动车违规充电" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.docx"))


def test_broken_folder_is_dropped_with_one_warning_naming_its_file(tmp_path: Path) -> None:
    shutil.copytree(CLEAN_UP / "clean-up", tmp_path / "types" / "clean-up")
    broken = tmp_path / "types" / "broken"
    broken.mkdir()
    (broken / "plantype.yaml").write_text("name: flood-plan\ntitle: 防汛应急预案\nfields:\n  - {key: level, label: 响应级别, kind: 颜色}\n", encoding="utf-8")
    code, out, err = run_cli("--plugins-dir", str(tmp_path / "types"), "types")
    assert code == 0 and "clean-up" in out and "flood-plan" not in out
    warnings = [line for line in err.splitlines() if "broken" in line]
    assert len(warnings) == 1 and str(broken / "plantype.yaml") in warnings[0] and "颜色" in warnings[0]


def _other_unit(example: str, old_unit: str, new_unit: str, names: dict[str, str]) -> str:
    """Next year's input for another unit: ``plangen next`` moves dates and the year on, then the
    unit and the people are replaced as the other office would type them."""
    text = next_year(example)
    text = re.sub(r"^(theme:).*$", r"\1 平安万家 幸福同行", text, flags=re.M)
    text = re.sub(r"^(docno_\d+:).*$", r"\1 上发〔2025〕3号", text, flags=re.M)
    text = re.sub(r"^(\s*parent:).*$", r"\1 临江区", text, flags=re.M)
    text = re.sub(r"^(places_\d+:).*?(#.*)?$", r"\1 [东城街道, 西城街道]  \2", text, flags=re.M)
    text = re.sub(r"(?<!\d)(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?!\d)", "0731-5550123", text)
    text = text.replace(old_unit, new_unit)
    for old, new in names.items():
        text = text.replace(old, new)
    return text


INVENTED = ["岳明轩", "房若晴", "冉志刚", "覃雅琴", "敖文清", "查晓峰", "邝佳怡", "禹立群", "鄢书航", "訾晨阳"]


def _learn_and_regenerate(source: Path, tmp_path: Path, new_unit: str) -> tuple[str, str, dict[str, object]]:
    out = tmp_path / "types"
    code, stdout, err = run_cli("learn", str(source), "-o", str(out))
    assert code == 0, err
    assert "单位名称" in err  # it says what it made into fields, in Chinese
    folder = Path(stdout.strip().splitlines()[-1])
    again_code, _, again_err = run_cli("learn", str(source), "-o", str(out))
    assert again_code == 2 and "--force" in again_err  # an edited folder is never overwritten silently
    example = next(folder.glob("*.example.yaml")).read_text(encoding="utf-8")
    # the example regenerates the source
    again = text_of(generate(out, next(folder.glob("*.example.yaml")), tmp_path / "same"))
    unit = re.search(r"^  name: (\S+)", example, re.M).group(1)  # type: ignore[union-attr]
    year = int(re.search(r"^year: (\d{4})", example, re.M).group(1))  # type: ignore[union-attr]
    people = set(re.findall(r"[\u4e00-\u9fff]{2,3}(?=（|\"|,|\]|$| )", " ".join(
        re.findall(r"^(?:  (?:leader|deputies|members)|person_\d+|contact): (.+?)\s+#", example, re.M))))
    people = {p for p in people if p not in ("person", "phone")}
    names = dict(zip(sorted(people), INVENTED))
    other = tmp_path / "other.yaml"
    other.write_text(_other_unit(example, unit, new_unit, names), encoding="utf-8")
    path = generate(out, other, tmp_path / "other")
    assert_valid_ooxml(path)
    code, report, _ = run_cli("--plugins-dir", str(out), "check", str(path))
    assert code == 0, report
    return again, text_of(path), {"unit": unit, "year": year, "people": people, "names": names, "example": example}


@pytest.mark.parametrize("source", REAL, ids=[p.stem for p in REAL])
def test_real_plan_learned_and_regenerated_for_another_unit(source: Path, tmp_path: Path) -> None:
    original = source.read_text(encoding="utf-8")
    again, other, facts = _learn_and_regenerate(source, tmp_path, "临江镇")
    # the example regenerates the source's wording (normalised): its first sentence is there as written
    body = [line for line in original.splitlines()[1:] if len(line) > 40][0]
    assert body[12:30] in again.replace("\n", "")
    unit, year = str(facts["unit"]), int(facts["year"])  # type: ignore[call-overload]
    core = unit[:-1]
    assert unit not in other and core not in other, "the old unit is still in the new plan"
    assert f"{year}年" not in other, "the old year is still in the new plan"
    for person in facts["people"]:  # type: ignore[attr-defined]
        assert person not in other
    assert "临江" in other
    if re.search(r"\d{4}年\d{1,2}月\d{1,2}日", original):
        assert f"{year + 1}年" in other, "the dates did not move to the new year"
    edition = re.search(r"第(\d+|[一二三四五六七八九十]+)个", original)
    if edition and "edition" in str(facts["example"]):
        assert edition.group(0) not in other.replace("第一", "")  # the edition counted on


def test_seed_documents_typed_in_word_are_learned(tmp_path: Path) -> None:
    hygiene, visit = write_all(tmp_path / "seed")
    again, other, facts = _learn_and_regenerate(hygiene, tmp_path / "h", "临江县")
    assert "青田" not in other and "2024年" not in other and "严可心" not in other and "6123457" not in other
    assert "联系人：岳明轩，联系电话：0731-5550123。" in other
    assert "2025年4月是第37个全国爱国卫生月" in other and "第37个爱国卫生月" in other
    assert "4月1日至4月8日" in other  # dates moved with the year, the month-day kept
    assert "“平安万家 幸福同行”" in other
    assert "鹤城街道" not in other and "妇联、东城街道、西城街道等部门" in other
    assert "2024年4月是第36个全国爱国卫生月" in again
    again, other, facts = _learn_and_regenerate(visit, tmp_path / "v", "湘江镇")
    assert "姜畲" not in other and "雨湖区" not in other and "方启航" not in other
    assert "组长：" in other and "湘江镇" in other and "临江区" in other
    assert "上发〔2025〕3号" in other
    assert "方启航（镇党委书记）" in again and "雨秘〔2024〕65号" in again


def test_batch_fills_a_folder_type_from_its_roster_columns(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("社区名称,街道,行动日期\n南门社区,城关镇,2024-06-16\n北塘社区,城关镇,2024-06-22\n西河社区,城关镇,2024-13-01\n", encoding="utf-8")
    args = ("--plugins-dir", str(CLEAN_UP), "batch", str(roster), "-b", str(CLEAN_UP / "clean-up" / "clean-up.example.yaml"),
            "-o", str(tmp_path / "out"), "-j", "1", "--index", "none")
    code, out, err = run_cli(*args)  # the folder type's people (技术指导, 志愿者) are in no column: asked first
    assert code == 2 and "技术指导" in err and not list((tmp_path / "out").glob("*.docx")), err
    code, out, err = run_cli(*args, "--same-people")
    assert code == 1, err  # one bad row: the others are still made
    made = sorted(p.name for p in (tmp_path / "out").glob("*.docx"))
    assert made == ["北塘社区-楼道杂物清理行动方案.docx", "南门社区-楼道杂物清理行动方案.docx"]
    assert "2024年6月22日" in text_of(tmp_path / "out" / made[0])
    assert "row 4" in err or "第4行" in err


def test_validate_and_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "types" / "clean-up"
    shutil.copytree(CLEAN_UP / "clean-up", folder)
    example = folder / "clean-up.example.yaml"
    assert run_cli("--plugins-dir", str(tmp_path / "types"), "validate", str(example))[0] == 0
    folder = tmp_path / "types2" / "clean-up"  # a new folder: the registry of this process is not reused
    shutil.copytree(CLEAN_UP / "clean-up", folder)
    example = folder / "clean-up.example.yaml"
    template = folder / "clean-up.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("{{ site }}", "{{ ''.__class__.__mro__ }}"), encoding="utf-8")
    code, _, err = run_cli("--plugins-dir", str(tmp_path / "types2"), "validate", str(example))
    assert code == 1 and "clean-up.md.j2" in err and "Traceback" not in err
    shutil.copytree(folder, tmp_path / "types3" / "clean-up")
    folder = tmp_path / "types3" / "clean-up"
    (folder / "clean-up.md.j2").unlink()
    code, out, err = run_cli("--plugins-dir", str(tmp_path / "types3"), "types")
    assert "clean-up" not in out and str(folder / "clean-up.md.j2") in err


def test_plugin_new_from_a_folder_makes_a_package(tmp_path: Path) -> None:
    import importlib.util

    from plangen import api
    from plangen.plugins import build_registry

    dest = tmp_path / "pkg"
    code, out, err = run_cli("plugin", "new", "tidy-up", "--from", str(CLEAN_UP / "clean-up"), "-o", str(dest))
    assert code == 0, err
    assert 'tidy-up = "plangen_tidy_up.plugin"' in (dest / "pyproject.toml").read_text(encoding="utf-8")
    spec = importlib.util.spec_from_file_location("plangen_tidy_up_plugin", dest / "plangen_tidy_up" / "plugin.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = build_registry(extra=[("tidy-up", module)], entry_points_too=False)
    assert registry.plan_types["tidy-up"].title == "楼道杂物清理行动方案"
    path = api.generate(dest / "plangen_tidy_up" / "plantype" / "tidy-up.example.yaml", tmp_path / "out", registry=registry)
    assert "楼道杂物清理行动方案" in text_of(path)
    code, _, err = run_cli("plugin", "new", "bad-one", "--from", str(tmp_path), "-o", str(tmp_path / "p2"))
    assert code == 2 and str(tmp_path / "plantype.yaml") in err


@pytest.mark.slow
def test_a_doc_file_is_learned_through_libreoffice(tmp_path: Path) -> None:
    """.doc (Word 97) as many offices still keep last year's file: converted by LibreOffice first."""
    import subprocess

    from plangen.libreoffice import soffice

    office = soffice()
    if office is None:
        pytest.skip("LibreOffice is not installed")
    hygiene_docx, _visit = write_all(tmp_path / "seed")
    subprocess.run([office, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(hygiene_docx)],
                   check=True, capture_output=True, timeout=180)
    doc = next((tmp_path / "doc").glob("*.doc"))
    again, other, _facts = _learn_and_regenerate(doc, tmp_path / "d", "临江县")
    assert "2025年4月是第37个全国爱国卫生月" in other and "青田" not in other


def test_a_file_without_text_or_title_is_refused_naming_it(tmp_path: Path) -> None:
    empty, line = tmp_path / "空白.txt", tmp_path / "一句话.txt"
    empty.write_text("", encoding="utf-8")
    line.write_text("只有一句话。\n", encoding="utf-8")
    for source, words in ((empty, ("no text", "没有可以学习的文字")), (line, ("no title", "没有找到标题"))):
        code, out, err = run_cli("learn", str(source), "-o", str(tmp_path / "out"))
        assert code == 2 and str(source) in err and any(w in err for w in words) and "Traceback" not in err
    assert not (tmp_path / "out").exists()
