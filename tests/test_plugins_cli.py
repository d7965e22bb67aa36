"""Plugins as a user meets them on the command line: drop-in folders, broken plugins, template
overrides, ``plangen plugins`` and hook tracing. Real processes, so stderr is exactly what a user sees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from plangen.testing import docx as R

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "plugin_fixtures"
HYGIENE = ROOT / "samples" / "hygiene-month.yaml"
PILOT = FIXTURES / "pilot_templates" / "pilot.example.yaml"


def plangen(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PLANGEN_") or k == "PLANGEN_LANG"}  # the suite reads English
    return subprocess.run(
        [sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd, timeout=60,
        env={**environ, **env},
    )


def mine(stderr: str, name: str) -> list[str]:
    """The stderr lines about one plugin (other plugins under construction may warn too)."""
    return [line for line in stderr.splitlines() if f"'{name}'" in line]


def test_a_drop_in_that_raises_on_import_is_named_and_the_rest_still_work(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "explodes.py").write_text("raise RuntimeError('no config file for this plugin')\n", encoding="utf-8")
    (folder / "half.py").write_text("def broken(:\n", encoding="utf-8")
    types = plangen("--plugins-dir", str(folder), "types")
    assert types.returncode == 0
    assert "Traceback" not in types.stderr
    assert mine(types.stderr, "explodes") == [
        f"plangen: warning: plugin 'explodes' failed to load ({folder / 'explodes.py'}:1): RuntimeError: no config file for this plugin"
    ]
    [half] = mine(types.stderr, "half")
    assert half.startswith(f"plangen: warning: plugin 'half' failed to load ({folder / 'half.py'}:1)") and "SyntaxError" in half
    assert any(line.split() == ["hygiene-month", "爱国卫生月活动方案"] for line in types.stdout.splitlines())
    made = plangen("--plugins-dir", str(folder), "generate", str(HYGIENE), "-o", str(tmp_path / "out"))
    assert made.returncode == 0, made.stderr
    assert "Traceback" not in made.stderr and len(mine(made.stderr, "explodes")) == 1
    [docx] = (tmp_path / "out").glob("*.docx")
    assert "爱国卫生月" in R.paragraphs(docx)[0].text


def test_the_env_var_names_a_drop_in_folder_too(tmp_path: Path) -> None:
    result = plangen("types", PLANGEN_PLUGINS_DIR=str(FIXTURES))
    assert result.returncode == 0, result.stderr
    assert any(line.split() == ["pilot", "试点工作方案"] for line in result.stdout.splitlines())


def test_a_misspelt_hook_in_a_drop_in_drops_only_that_plugin(tmp_path: Path) -> None:
    (tmp_path / "typo.py").write_text(
        "from plangen.hookspecs import hookimpl\n\n@hookimpl\ndef plangen_adjust_documents(document, plan, plan_type):\n    pass\n",
        encoding="utf-8",
    )
    result = plangen("--plugins-dir", str(tmp_path), "types")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"plangen: warning: plugin 'typo' ({tmp_path / 'typo.py'}:3) is left out: it implements unknown hook "
        "'plangen_adjust_documents'; did you mean 'plangen_adjust_document'? (see docs/plugins.md)"
    ]
    assert any(line.split() == ["hygiene-month", "爱国卫生月活动方案"] for line in result.stdout.splitlines())


def test_a_drop_in_generates_its_own_plan_type(tmp_path: Path) -> None:
    result = plangen("--plugins-dir", str(FIXTURES), "generate", str(PILOT), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    docx = tmp_path / "东街社区-试点工作方案.docx"
    assert result.stdout.strip() == str(docx)
    text = R.text(docx)
    assert "本次试点的要点是“先行先试、稳步推开”。" in text and "本方案由试点插件补充说明。" in text


def test_plugins_lists_where_each_came_from(tmp_path: Path) -> None:
    result = plangen("--plugins-dir", str(FIXTURES), "plugins", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["pilot"] == {
        "name": "pilot",
        "version": "1.2.3",
        "source": str(FIXTURES / "pilot.py"),
        "plan_types": [{"name": "pilot", "title": "试点工作方案"}],
        "hooks": ["plangen_adjust_document", "plangen_prepare_jinja", "plangen_register_checks", "plangen_register_plan_types"],
    }
    hygiene = rows["hygiene-month"]
    assert hygiene["source"] == "entry point plangen_plans.hygiene_month (plangen)"
    assert hygiene["plan_types"] == [{"name": "hygiene-month", "title": "爱国卫生月活动方案"}]
    assert hygiene["version"]
    text = plangen("--plugins-dir", str(FIXTURES), "plugins")
    block = text.stdout.split("pilot 1.2.3\n", 1)[1].splitlines()[:3]
    assert block == [
        f"    from: {FIXTURES / 'pilot.py'}",
        "    plan types: pilot (试点工作方案)",
        "    hooks: plangen_adjust_document, plangen_prepare_jinja, plangen_register_checks, plangen_register_plan_types",
    ]


def test_load_plugins_leaves_out_the_rest() -> None:
    result = plangen("--plugins-dir", str(FIXTURES), "plugins", "--json", PLANGEN_LOAD_PLUGINS="pilot")
    assert [row["name"] for row in json.loads(result.stdout)] == ["pilot"]
    assert result.stderr == ""


def test_user_templates_override_and_extend_the_default(tmp_path: Path) -> None:
    mine_dir = tmp_path / "my-templates"
    mine_dir.mkdir()
    (mine_dir / "pilot.md.j2").write_text(
        '{% extends "default:pilot.md.j2" %}\n'
        "{% block content %}\n## 工作要点\n\n本社区的试点要点是{{ note }}。\n\n## 保障措施\n\n由社区居委会统筹落实。\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = plangen("--plugins-dir", str(FIXTURES), "--templates", str(mine_dir), "generate", str(PILOT), "-o", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    paras = R.paragraphs(next((tmp_path / "a").glob("*.docx")))
    assert paras[0].text == "城关镇东街社区试点工作方案"  # the title block comes from the default
    assert [p.text for p in paras if p.style == "Heading1"] == ["一、工作要点", "二、保障措施"]
    assert "本社区的试点要点是先行先试、稳步推开。" in [p.text for p in paras]
    # the same through the environment variable
    env = plangen("--plugins-dir", str(FIXTURES), "generate", str(PILOT), "-o", str(tmp_path / "b"), PLANGEN_TEMPLATES_DIR=str(mine_dir))
    assert env.returncode == 0, env.stderr
    assert "二、保障措施" in R.text(next((tmp_path / "b").glob("*.docx")))
    # without the override the plan is as the plugin wrote it
    plain = plangen("--plugins-dir", str(FIXTURES), "generate", str(PILOT), "-o", str(tmp_path / "c"))
    assert plain.returncode == 0, plain.stderr
    assert "保障措施" not in R.text(next((tmp_path / "c").glob("*.docx")))


def test_a_missing_templates_folder_is_a_warning(tmp_path: Path) -> None:
    result = plangen("--templates", str(tmp_path / "nope"), "types")
    assert result.returncode == 0
    assert f"plangen: warning: templates folder {tmp_path / 'nope'} does not exist" in result.stderr.splitlines()


def test_trace_hooks_prints_calls_on_stderr(tmp_path: Path) -> None:
    result = plangen("--plugins-dir", str(FIXTURES), "generate", str(PILOT), "-o", str(tmp_path), PLANGEN_TRACE_HOOKS="1", PLANGEN_LOAD_PLUGINS="pilot")
    assert result.returncode == 0, result.stderr
    hooks = [line.split("(")[0].removeprefix("plangen: hook ") for line in result.stderr.splitlines()]
    assert hooks == ["plangen_register_plan_types", "plangen_prepare_jinja", "plangen_adjust_document", "plangen_register_checks"]
