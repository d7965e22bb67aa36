"""survey-report, tested the way a user gets it: installed with pip, found through its entry point.

Run from anywhere after ``pip install ./plugins/survey-report``: ``pytest plugins/survey-report/tests``.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest
import yaml
from docx import Document

from plangen import InputError, api, plugins
from plangen.testing import docx as R
from plangen.testing.ooxml import assert_valid_ooxml

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "survey-report.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(autouse=True)
def _fresh_registry():
    plugins.reset()
    yield
    plugins.reset()


def plangen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd)


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.style_id, p.text) for p in Document(str(path)).paragraphs]


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plugins.reset()
    return api.generate(SAMPLE, tmp_path_factory.mktemp("survey"))


@pytest.mark.parametrize("fonts", ["gb", "windows"])
def test_the_report_is_valid_ooxml(fonts: str, tmp_path: Path) -> None:
    """Word and WPS refuse what LibreOffice forgives: every part validates against the ECMA-376 schemas."""
    assert_valid_ooxml(api.generate(SAMPLE, tmp_path, fonts=fonts))


def test_the_figures_table_reads_well(sample_docx: Path) -> None:
    """Columns sized by their text: no character alone on a cell's last line; a header too long for its
    column breaks only before its unit (用房面积 / （平方米）), never inside it (用房面积（平方 / 米）)."""
    from plangen.testing import tables

    tables.assert_tables_read_well(sample_docx, allow_unit_line=True)


def test_installed_distribution_declares_the_entry_point() -> None:
    dist = distribution("plangen-survey-report")
    eps = [ep for ep in dist.entry_points if ep.group == "plangen"]
    assert [(ep.name, ep.value) for ep in eps] == [("survey-report", "plangen_survey_report.plugin")]
    registry = plugins.get_registry()
    info = next(p for p in registry.plugins if p.name == "survey-report")
    assert info.version == dist.version == "0.1.0"
    assert info.plan_types == ["survey-report"]
    assert info.hooks == ["plangen_prepare_jinja", "plangen_register_plan_types"]


def test_cli_lists_the_type_and_the_plugin(tmp_path: Path) -> None:
    types = plangen("types", cwd=tmp_path)
    assert types.returncode == 0, types.stderr
    assert any(line.split() == ["survey-report", "社区建设调研报告"] for line in types.stdout.splitlines())
    listed = plangen("plugins", "--json", cwd=tmp_path)
    import json

    row = next(r for r in json.loads(listed.stdout) if r["name"] == "survey-report")
    assert row["plan_types"] == [{"name": "survey-report", "title": "社区建设调研报告"}]
    assert "plangen-survey-report" in row["source"]


def test_new_gives_an_example_that_generates(tmp_path: Path) -> None:
    made = plangen("new", "survey-report", "-o", "input.yaml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    out = plangen("generate", "input.yaml", "-o", "out/", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    path = tmp_path / "out" / "城关镇-社区建设调研报告.docx"
    texts = [t for _, t in paragraphs(path)]
    assert texts[0].replace("\n", "") == "关于城关镇城区社区建设情况的调研报告"
    body = "\n".join(texts)
    assert "对城关镇城区5个社区进行了专题调研" in body
    # worked out from the five rows: 20 + 13 staff, 835 m² in all, 3 below 200 m², the smallest 南苑社区
    assert "共有社区工作人员33名，其中正式人员20名、聘用人员13名，平均每个社区6.6名" in body
    assert "用房总面积835平方米，平均每个社区167平方米，达到200平方米标准的有2个" in body
    assert "3个社区办公和活动用房面积不足200平方米，占调研社区总数的60%，其中南苑社区仅有65平方米" in body
    assert "年需经费96.5万元，上级财政补助40万元，56.5万元的缺口" in body


def test_title_sections_and_numbering(sample_docx: Path) -> None:
    paras = paragraphs(sample_docx)
    assert paras[0][0] == "Title"
    assert paras[0][1].replace("\n", "") == "关于县城社区建设情况的调研报告"
    level1 = [t for s, t in paras if s == "Heading1"]
    assert level1 == ["一、基本情况", "二、存在的问题", "三、对策建议"]
    level2 = [t for s, t in paras if s == "Heading2"]
    assert level2 == [
        "（一）社区概况", "（二）工作成效",
        "（一）硬件设施仍有短板", "（二）工作机制尚不健全", "（三）队伍素质有待提升", "（四）信息化水平不高",
        "（一）加大投入力度，补齐设施短板", "（二）理顺体制机制，推动资源下沉", "（三）强化教育培训，建强社区队伍",
        "（四）推进智慧社区建设",
    ]
    assert paras[-2:] == [("Signature", "松川县民政局"), ("Date", "2024年4月12日")]


def test_figures_table_is_a_word_table_with_totals(sample_docx: Path) -> None:
    doc = Document(str(sample_docx))
    assert len(doc.tables) == 1
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["社区", "正式人员（名）", "聘用人员（名）", "用房面积（平方米）", "年度经费（万元）"]
    assert rows[1] == ["锦江社区", "6", "4", "460", "24"]
    assert rows[2] == ["新华社区", "5", "4", "380", "21.5"]
    assert rows[-1] == ["合计", "34", "23", "1858", "130.5"]
    assert len(rows) == 1 + 8 + 1
    # the header row repeats on every page and is styled as a header, the others as table text
    xml = zipfile.ZipFile(sample_docx).read("word/document.xml").decode("utf-8")
    table = xml[xml.index("<w:tbl>"): xml.index("</w:tbl>")]
    assert table.count("<w:tblHeader/>") == 1
    assert 'w:val="TableHeader"' in table and 'w:val="TableText"' in table


def test_user_findings_mix_with_the_catalogue(sample_docx: Path) -> None:
    body = "\n".join(t for _, t in paragraphs(sample_docx))
    assert "为贯彻落实《关于加强和完善城乡社区治理的实施意见》（松发〔2023〕17号）精神" in body
    assert "2023年，县城8个社区全部建成党群服务中心" in body  # achievements given replace the default
    assert "近年来，县城把社区建设" not in body
    assert "5个社区办公和活动用房面积不足300平方米，占调研社区总数的62%，其中龙潭社区仅有72平方米" in body
    assert "平均年龄46岁，大专以上学历的占58%" in body
    assert "将前述经费缺口纳入财政预算" in body  # the 74.4 gap is stated once, under the problems
    assert body.count("74.4万元") == 1
    # a catalogue heading with the user's own text under it
    assert "将社区工作者纳入全县人才培养总体规划" in body
    assert "每年对社区工作人员普遍轮训一次" not in body


def test_no_residue_in_the_report(sample_docx: Path) -> None:
    doc = Document(str(sample_docx))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    for residue in ("20xx", "xx", "__", "□", "{{", "None", "nan", "[", "]"):
        assert residue not in text


def _mapping(**changes: object) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_a_community_listed_twice_is_an_input_error(tmp_path: Path) -> None:
    rows = _mapping()["社区"]
    with pytest.raises(InputError) as info:
        api.generate(_mapping(社区=[*rows, rows[0]]), tmp_path)
    assert "锦江社区 is listed twice" in str(info.value)
    assert not list(tmp_path.iterdir())


def test_independent_mistakes_of_a_report_come_at_once_each_at_its_place(tmp_path: Path) -> None:
    rows = _mapping()["社区"]
    data = _mapping(社区=[*rows, rows[0]], 配备目标={"目标年度": 2001, "正式人员": 5})
    data["日期"]["成文日期"] = f"{data['日期']['开始'].year - 2}-01-05"  # another year's date: the shared check
    with pytest.raises(InputError) as info:
        api.generate(data, tmp_path)
    found = [(p.field, str(p.message)) for p in info.value.problems]
    assert len(found) == 3, found
    assert (f"communities[{len(rows) + 1}]", "community 锦江社区 is listed twice") in found
    assert any("targets.year 2001 is before the survey" in m for _, m in found), found
    assert any("does not follow the work it reports on" in m for _, m in found), found
    assert not list(tmp_path.iterdir())


def test_an_unknown_problem_word_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("  - 工作机制\n", "  - 工作作风\n", 1), encoding="utf-8")
    result = plangen("generate", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "bad.yaml" in lines[0] and "问题[2]" in lines[0] and "工作作风" in lines[0]
    assert not (tmp_path / "out").exists()


def test_wording_follows_the_figures_when_every_community_meets_the_standard(tmp_path: Path) -> None:
    data = _mapping(用房标准=50)
    del data["人员经费"], data["队伍情况"]
    path = api.generate(data, tmp_path)
    body = "\n".join(t for _, t in paragraphs(path))
    assert "各社区用房面积均达到50平方米的标准" in body
    assert "各社区办公和活动用房面积虽已达到50平方米的标准" in body
    assert "面积不足" not in body and "力争用两年左右时间" not in body
    assert "年需经费" not in body and "平均年龄" not in body  # optional facts left out, sentences with them too


def _example() -> dict:
    import yaml

    from plangen_survey_report import model

    path = Path(model.__file__).parent / "templates" / "survey-report.example.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_organ_not_place_acts_and_signs(tmp_path: Path) -> None:
    """The unit acts and signs as its organ (城关镇人民政府; 镇党委、镇政府), never as a place."""
    path = api.generate(_example(), tmp_path)
    text = R.text(path)
    assert "城关镇人民政府组织调研组" in text
    assert "近年来，镇党委、镇政府把社区建设作为" in text
    assert "城关镇城区把社区建设" not in text
    assert R.paragraphs(path)[-2].text == "城关镇人民政府"


def test_staffing_targets_and_the_organisational_recommendation(tmp_path: Path) -> None:
    text = R.text(api.generate(_example(), tmp_path))
    assert "建议由镇党委一名副书记专职分管社区工作" in text
    assert "到2026年，每个社区配备正式人员4名、聘用人员3名，大专以上学历人员比例达到80%，平均年龄控制在45岁以内，党团员比例达到50%。" in text
    assert "北关社区正式人员不足4名" in text
    # every figure once: the averages and the money gap are not stated again under problems or recommendations
    for figure in ("平均年龄49岁", "42.5%", "56.5万元", "6.6名"):
        assert text.count(figure) == 1, figure


def test_a_street_recommends_its_own_party_organ(tmp_path: Path) -> None:
    data = _example()
    data["unit"] = {"name": "东街街道"}
    data.pop("targets")
    text = R.text(api.generate(data, tmp_path))
    assert "建议由街道党工委一名副书记专职分管社区工作" in text
    assert "从前述年龄和学历结构看" in text
    data.pop("staff_profile")
    text = R.text(api.generate(data, tmp_path / "b"))
    assert "从前述年龄" not in text  # nothing stated before to refer to
    data["problems"] = ["硬件设施", "队伍素质"]
    text = R.text(api.generate(data, tmp_path / "c"))
    assert "将56.5万元的经费缺口纳入财政预算" in text  # the gap was not stated under the problems
