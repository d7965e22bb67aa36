"""``plangen plugin new``: the files it writes, checked in process (quick). Installing the result
with pip into a fresh environment is tests/test_plugins_install.py."""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plangen import api, plugins
from plangen.cli import cli, main
from plangen.testing import docx as R


def scaffold(tmp_path: Path, *args: str) -> Path:
    dest = tmp_path / "plangen-flood-drill"
    result = CliRunner().invoke(cli, ["plugin", "new", "flood-drill", "-o", str(dest), *args])
    assert result.exit_code == 0, result.output
    return dest


@pytest.fixture
def imported(tmp_path: Path):
    """Import the scaffolded package from its folder, and forget it afterwards."""
    dest = scaffold(tmp_path, "--title", "防汛演练方案")
    sys.path.insert(0, str(dest))
    try:
        yield dest, importlib.import_module("plangen_flood_drill.plugin")
    finally:
        sys.path.remove(str(dest))
        for name in [m for m in sys.modules if m.startswith("plangen_flood_drill")]:
            del sys.modules[name]


def test_the_package_has_every_part(tmp_path: Path) -> None:
    dest = scaffold(tmp_path)
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "plangen_flood_drill/__init__.py",
        "plangen_flood_drill/model.py",
        "plangen_flood_drill/plugin.py",
        "plangen_flood_drill/templates/flood-drill.example.yaml",
        "plangen_flood_drill/templates/flood-drill.md.j2",
        "pyproject.toml",
        "tests/conftest.py",
        "tests/test_flood_drill.py",
    ]
    project = tomllib.loads((dest / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "plangen-flood-drill"
    assert project["project"]["entry-points"]["plangen"] == {"flood-drill": "plangen_flood_drill.plugin"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["plangen_flood_drill"]
    assert "plangen" in project["project"]["dependencies"]
    for path in dest.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\[\[\w+\]\]", text), path  # every token filled in (Callable[[…], …] is Python)
    compile((dest / "tests" / "test_flood_drill.py").read_text(encoding="utf-8"), "test_flood_drill.py", "exec")


def test_the_default_title_is_generic_and_valid(tmp_path: Path) -> None:
    dest = scaffold(tmp_path)
    plugin = (dest / "plangen_flood_drill" / "plugin.py").read_text(encoding="utf-8")
    assert 'title="专项工作方案"' in plugin
    example = yaml.safe_load((dest / "plangen_flood_drill/templates/flood-drill.example.yaml").read_text(encoding="utf-8"))
    assert example["type"] == "flood-drill"


def test_the_scaffolded_plan_type_generates_its_example(imported, tmp_path: Path) -> None:
    _dest, module = imported
    registry = plugins.build_registry(extra=[("flood-drill", module)], entry_points_too=False)
    plan_type = registry.plan_type("防汛演练方案")
    assert plan_type.name == "flood-drill" and plan_type.plugin == "flood-drill"
    out = api.generate(yaml.safe_load(plan_type.example), tmp_path / "out", registry=registry)
    assert out.name == "东街社区-防汛演练方案.docx"
    paras = R.paragraphs(out)
    assert paras[0].style == "Title" and paras[0].text.replace("\n", "") == "城关镇东街社区防汛演练方案"
    assert [p.text for p in paras if p.style == "Heading1"] == ["一、工作目标", "二、主要任务", "三、实施步骤", "四、组织领导", "五、工作要求"]
    steps = [p.text for p in paras if p.style == "Heading2"][3:6]
    assert steps == ["（一）动员部署阶段（6月1日至6月6日）", "（二）组织实施阶段（6月7日至6月24日）", "（三）总结提升阶段（6月25日至6月30日）"]
    assert "成立城关镇东街社区防汛演练工作领导小组" in R.text(out)
    assert (paras[-2].text, paras[-1].text) == ("东街社区居民委员会", "2024年5月27日")


@pytest.mark.parametrize(("title", "subject", "heading", "noun"), [
    ("防汛应急预案", "防汛应急", "防汛应急预案", "预案"),  # not 防汛应急预案工作方案
    ("消防安全工作计划", "消防安全", "消防安全工作计划", "计划"),
    ("积分管理办法", "积分管理", "积分管理办法", "办法"),
    ("防汛演练活动方案", "防汛演练", "防汛演练活动方案", "方案"),
    ("防汛演练", "防汛演练", "防汛演练工作方案", "方案"),  # a bare subject gets the usual ending
])
def test_the_title_keeps_the_kind_of_document_it_ends_in(tmp_path: Path, title: str, subject: str, heading: str, noun: str) -> None:
    from plangen.scaffold import names

    spelled = names("flood-drill", title)
    assert (spelled.subject, spelled.subject + spelled.kind, spelled.noun) == (subject, heading, noun)
    dest = scaffold(tmp_path, "--title", title)
    template = (dest / "plangen_flood_drill" / "templates" / "flood-drill.md.j2").read_text(encoding="utf-8")
    assert f"{{{{ subject }}}}{spelled.kind}\n" in template and f"制定本{noun}。" in template
    tests = (dest / "tests" / "test_flood_drill.py").read_text(encoding="utf-8")
    assert f'== "城关镇东街社区{heading}"' in tests


def test_the_emergency_plan_generates_under_its_own_title(tmp_path: Path) -> None:
    dest = scaffold(tmp_path, "--title", "防汛应急预案")
    sys.path.insert(0, str(dest))
    try:
        module = importlib.import_module("plangen_flood_drill.plugin")
        registry = plugins.build_registry(extra=[("flood-drill", module)], entry_points_too=False)
        out = api.generate(yaml.safe_load(registry.plan_types["flood-drill"].example), tmp_path / "out", registry=registry)
    finally:
        sys.path.remove(str(dest))
        for name in [m for m in sys.modules if m.startswith("plangen_flood_drill")]:
            del sys.modules[name]
    paras = R.paragraphs(out)
    assert paras[0].text.replace("\n", "") == "城关镇东街社区防汛应急预案"
    assert "为扎实做好防汛应急工作" in R.text(out) and "制定本预案。" in R.text(out) and "工作方案" not in R.text(out)


def test_the_scaffold_template_can_be_extended(imported, tmp_path: Path) -> None:
    _dest, module = imported
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "flood-drill.md.j2").write_text(
        '{% extends "default:flood-drill.md.j2" %}{% block goal %}## 工作目标\n\n确保汛期群众生命财产安全。\n\n{% endblock %}',
        encoding="utf-8",
    )
    registry = plugins.build_registry(extra=[("flood-drill", module)], entry_points_too=False, templates_dirs=[mine])
    out = api.generate(yaml.safe_load(registry.plan_types["flood-drill"].example), tmp_path / "out", registry=registry)
    text = R.text(out)
    assert "确保汛期群众生命财产安全。" in text and "健全工作机制" not in text
    assert "二、主要任务" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["Flood_Drill"], "is not a plan type name"),
        (["flood-drill", "--title", "flood drill plan"], "is not a Chinese document title"),
    ],
)
def test_bad_names_are_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plugin", "new", *args, "-o", str(tmp_path / "x")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]
    assert not (tmp_path / "x").exists()


def test_an_existing_folder_is_not_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["plugin", "new", "flood-drill", "-o", str(tmp_path)])
    assert exit_.value.code == 2
    assert "already exists and is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
