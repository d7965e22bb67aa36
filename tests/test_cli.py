"""The command line as a user meets it: real processes, exit codes, one-line errors, no stray files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from on_pilot import EXAMPLE

from plangen.testing import docx as R

ROOT = Path(__file__).resolve().parent.parent


def plangen(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd, timeout=60,
        input=None if stdin is None else stdin.decode(),
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str, code: int = 2) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("plangen: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_types_lists_name_and_chinese_title() -> None:
    result = plangen("types")
    assert result.returncode == 0
    assert any(line.split() == ["hygiene-month", "爱国卫生月活动方案"] for line in result.stdout.splitlines())


def test_version_and_short_help() -> None:
    assert plangen("--version").stdout.startswith("plangen, version ")
    for args in (["-h"], ["generate", "-h"], ["new", "--help"]):
        result = plangen(*args)
        assert result.returncode == 0 and "Usage:" in result.stdout


@pytest.mark.usefixtures("pilot_only")
def test_new_prints_an_example_that_validates_and_generates(tmp_path: Path) -> None:
    result = plangen("new", "pilot")
    assert result.returncode == 0 and result.stdout == EXAMPLE.read_text(encoding="utf-8")
    example = tmp_path / "plan.yaml"
    assert plangen("new", "pilot", "-o", str(example)).returncode == 0
    assert example.read_text(encoding="utf-8") == result.stdout
    assert plangen("validate", str(example)).returncode == 0
    out = plangen("generate", str(example), "-o", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    made = Path(out.stdout.strip())
    assert made.parent == tmp_path / "out" and made.suffix == ".docx"
    assert R.paragraphs(made)[0].text == "城关镇东街社区试点工作方案"
    again = plangen("new", "pilot", "-o", str(example))
    assert_one_line_error(again, "already exists")


@pytest.mark.usefixtures("pilot_only")
def test_generate_to_an_explicit_docx_path(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "plan.docx"
    result = plangen("generate", str(EXAMPLE), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert R.paragraphs(target)[0].style == "Title"
    assert [p.name for p in target.parent.iterdir()] == ["plan.docx"]  # no temporary file left behind


def test_schema_offers_english_and_chinese_keys() -> None:
    result = plangen("schema", "hygiene-month")
    schema = json.loads(result.stdout)
    props = schema["properties"]
    for english, chinese in (("unit", "单位"), ("theme", "主题"), ("year", "年度"), ("type", "类型")):
        assert english in props and chinese in props
    unit = schema["$defs"]["Unit"]["properties"]
    assert "name" in unit and "名称" in unit
    assert schema["additionalProperties"] is False


def _bad_input(tmp_path: Path, text: str, name: str = "plan.yaml", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


SAMPLE = (ROOT / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (SAMPLE.replace("theme:", "theem:"), ["plan.yaml", "theem", "did you mean 'theme'"]),
        (SAMPLE.replace("  issued: 2024-03-25", "  issued: 2024-03-25\n  start: 2024-04-30\n  end: 2024-04-01"),
         ["plan.yaml", "dates", "ends (2024-04-01) before it starts (2024-04-30)"]),
        (SAMPLE.replace("theme: 美丽中国 健康相伴", "theme: [unclosed"), ["plan.yaml", "YAML syntax error at line", "column"]),
        (SAMPLE.replace("year: 2024 ", "year: 2024\nedition: 30 "), ["edition 30 contradicts year 2024"]),
        (SAMPLE.replace("2024-03-25", "2024-02-30"), ["dates.issued", "2024-02-30 is not a real date"]),
        (SAMPLE.replace("name: 东街社区", "name: xx社区"), ["unit.name", "placeholder"]),
        (SAMPLE.replace("type: hygiene-month", "type: no-such-plan"), ["unknown plan type 'no-such-plan'"]),
        ("", ["is empty"]),
        ("- a\n- b\n", ["holds a list"]),
    ],
)
def test_bad_input_gives_one_line_exit_2_and_no_file(tmp_path: Path, text: str, needles: list[str]) -> None:
    path = _bad_input(tmp_path, text)
    out = tmp_path / "out"
    result = plangen("generate", str(path), "-o", str(out))
    assert_one_line_error(result, *needles)
    assert not out.exists() or not any(out.iterdir())


def test_missing_file(tmp_path: Path) -> None:
    result = plangen("generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert_one_line_error(result, "nope.yaml", "no such file")


@pytest.mark.usefixtures("pilot_only")
def test_gb18030_and_bom_files_read_like_utf8(tmp_path: Path) -> None:
    for encoding, prefix in (("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")):
        path = tmp_path / f"{encoding}.yaml"
        path.write_bytes(prefix + EXAMPLE.read_text(encoding="utf-8").encode(encoding))
        result = plangen("generate", str(path), "-o", str(tmp_path / encoding))
        assert result.returncode == 0, result.stderr
        assert "城关镇东街社区" in R.text(Path(result.stdout.strip()))


def test_json_and_toml_inputs(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "荷叶社区", "parent": "城关镇"}, "year": 2026, "theme": "健康家园 人人共建"}
    (tmp_path / "p.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        'type = "hygiene-month"\nyear = 2026\ntheme = "健康家园 人人共建"\n[unit]\nname = "荷叶社区"\nparent = "城关镇"\n', encoding="utf-8"
    )
    for name in ("p.json", "p.toml"):
        result = plangen("generate", str(tmp_path / name), "-o", str(tmp_path / name.replace(".", "_")))
        assert result.returncode == 0, result.stderr
        assert "2026年4月是第38个全国爱国卫生月" in R.text(Path(result.stdout.strip()))
    broken = tmp_path / "b.json"
    broken.write_text('{"type": "hygiene-month",\n "year": }', encoding="utf-8")
    assert_one_line_error(plangen("validate", str(broken)), "b.json", "JSON syntax error at line 2")


def test_validate_reports_every_file(tmp_path: Path) -> None:
    good = _bad_input(tmp_path, SAMPLE, "good.yaml")
    bad = _bad_input(tmp_path, SAMPLE.replace("year: 2024", "year: 1900"), "bad.yaml")
    result = plangen("validate", str(good), str(bad))
    assert result.returncode == 2
    assert "good.yaml: ok" in result.stdout
    assert result.stderr.count("bad.yaml") == 1
    assert "bad.yaml: year: must be at least 1989" in result.stderr


def test_notice_and_plain_plan_get_different_default_names(tmp_path: Path) -> None:
    sample = str(ROOT / "samples" / "hygiene-month-notice.yaml")
    plain = plangen("generate", sample, "-o", str(tmp_path))
    notice = plangen("generate", sample, "--notice", "-o", str(tmp_path))
    assert plain.returncode == 0 and notice.returncode == 0, notice.stderr
    assert Path(plain.stdout.strip()).name == "东街社区-爱国卫生月活动方案.docx"
    assert Path(notice.stdout.strip()).name == "东街社区-关于印发爱国卫生月活动方案的通知.docx"
    assert len(list(tmp_path.glob("*.docx"))) == 2


def test_exit_codes_set_by_a_command_reach_the_shell(tmp_path: Path) -> None:
    """A command ending with ctx.exit(n) must give n, not 0 (click returns it in non-standalone mode)."""
    import click

    from plangen import cli as cli_module

    @click.command("exit-three")
    @click.pass_context
    def exit_three(ctx: click.Context) -> None:
        ctx.exit(3)

    cli_module.cli.add_command(exit_three)
    try:
        with pytest.raises(SystemExit) as done:
            cli_module.main(["exit-three"])
        assert done.value.code == 3
        with pytest.raises(SystemExit) as done:
            cli_module.main(["types"])
        assert done.value.code == 0
    finally:
        cli_module.cli.commands.pop("exit-three")
