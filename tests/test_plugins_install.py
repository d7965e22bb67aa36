"""From a fresh install, as the issue checks it: plangen installed with pip into a new virtual
environment (no system site-packages), then a scaffolded plugin and the survey-report package
installed beside it with pip, each used through the ``plangen`` command and tested by its own tests.

One environment serves the whole module: building it is the slow part (about half a minute).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from plangen.testing import docx as R
from plangen.testing import slow

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "plugins" / "survey-report"
pytestmark = slow  # building the fresh environment takes tens of seconds


@dataclass
class Env:
    home: Path  # a working folder outside the source tree
    venv: Path

    def environ(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("PLANGEN_", "PYTHON", "VIRTUAL_ENV"))}
        # the assertions read the English messages (the Chinese interface is tested elsewhere)
        return {**keep, "PLANGEN_LANG": "en", "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(self, *args: str | Path, timeout: int = 600, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, cwd=cwd or self.home, env=self.environ(), timeout=timeout
        )

    def plangen(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return self.run(self.venv / "bin" / "plangen", *args, timeout=120)

    def pip_install(self, *targets: str | Path) -> None:
        result = self.run(self.venv / "bin" / "python", "-m", "pip", "install", "-q", *targets)
        assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    home = tmp_path_factory.mktemp("fresh-install")
    venv = home / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    env = Env(home=home, venv=venv)
    env.pip_install(ROOT, "pytest")  # a regular (non-editable) install: the wheel must carry everything
    return env


@pytest.fixture(scope="module")
def with_plugins(env: Env) -> Path:
    """Scaffold flood-drill with the installed plangen, then pip install it and survey-report."""
    scaffold = env.home / "plangen-flood-drill"
    made = env.plangen("plugin", "new", "flood-drill", "-o", scaffold, "--title", "防汛演练方案")
    assert made.returncode == 0, made.stderr
    env.pip_install(scaffold, SURVEY)
    return scaffold


def test_fresh_install_lists_its_plugins(env: Env) -> None:
    result = env.plangen("plugins", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["hygiene-month"]["source"] == "entry point plangen_plans.hygiene_month (plangen)"
    assert rows["hygiene-month"]["plan_types"] == [{"name": "hygiene-month", "title": "爱国卫生月活动方案"}]
    # the installed package is the one in the new environment, not the source tree
    where = env.run(env.venv / "bin" / "python", "-c",
                    "import plangen, plangen_plans.hygiene_month as h; print(plangen.__file__); print(h.PLAN_TYPE.templates_dir)")
    assert where.returncode == 0, where.stderr
    lines = where.stdout.splitlines()
    assert len(lines) == 2 and lines[1].endswith("templates"), lines
    for line in lines:
        assert line.startswith(str(env.venv)), line


def test_the_installed_package_is_marked_typed(env: Env) -> None:
    """The wheel carries py.typed, or type checkers would treat every plangen name as Any."""
    code = "import pathlib, plangen; print((pathlib.Path(plangen.__file__).parent / 'py.typed').is_file())"
    where = env.run(env.venv / "bin" / "python", "-c", code)
    assert where.stdout.strip() == "True", where.stderr

def test_a_broken_drop_in_is_named_and_built_ins_still_generate(env: Env) -> None:
    folder = env.home / "dropins"
    folder.mkdir(exist_ok=True)
    (folder / "raises.py").write_text("import json\nraise ImportError('needs a module that is not installed')\n", encoding="utf-8")
    listed = env.plangen("--plugins-dir", folder, "types")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert [line for line in listed.stderr.splitlines() if "'raises'" in line] == [
        f"plangen: warning: plugin 'raises' failed to load ({folder / 'raises.py'}:2): ImportError: needs a module that is not installed"
    ]
    assert "hygiene-month" in listed.stdout
    made = env.plangen("--plugins-dir", folder, "generate", ROOT / "samples" / "hygiene-month.yaml", "-o", env.home / "built-in")
    assert made.returncode == 0, made.stderr
    assert "Traceback" not in made.stderr
    [docx] = (env.home / "built-in").glob("*.docx")
    assert R.paragraphs(docx)[0].style == "Title"


def test_scaffolded_plugin_installs_lists_and_generates(env: Env, with_plugins: Path) -> None:
    types = env.plangen("types")
    assert types.returncode == 0, types.stderr
    rows = [line.split() for line in types.stdout.splitlines()]
    assert ["flood-drill", "防汛演练方案"] in rows and ["survey-report", "社区建设调研报告"] in rows
    assert env.plangen("new", "flood-drill", "-o", env.home / "flood.yaml").returncode == 0
    made = env.plangen("generate", env.home / "flood.yaml", "-o", env.home / "flood-out")
    assert made.returncode == 0, made.stderr
    docx = env.home / "flood-out" / "东街社区-防汛演练方案.docx"
    assert made.stdout.strip() == str(docx)
    paras = R.paragraphs(docx)
    assert paras[0].text.replace("\n", "") == "城关镇东街社区防汛演练方案"
    assert [p.text for p in paras if p.style == "Heading1"][:3] == ["一、工作目标", "二、主要任务", "三、实施步骤"]
    listed = {row["name"]: row for row in json.loads(env.plangen("plugins", "--json").stdout)}
    assert listed["flood-drill"]["source"] == "entry point plangen_flood_drill.plugin (plangen-flood-drill)"
    assert listed["flood-drill"]["version"] == "0.1.0"


def test_the_scaffold_and_survey_report_pass_their_own_tests(env: Env, with_plugins: Path) -> None:
    result = env.run(
        env.venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", with_plugins / "tests", SURVEY / "tests",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary


def test_survey_report_generates_from_its_sample(env: Env, with_plugins: Path) -> None:
    where = env.run(env.venv / "bin" / "python", "-c", "import plangen_survey_report; print(plangen_survey_report.__file__)")
    assert where.stdout.startswith(str(env.venv)), where.stdout  # the installed copy, not plugins/survey-report
    made = env.plangen("generate", SURVEY / "samples" / "survey-report.yaml", "-o", env.home / "report")
    assert made.returncode == 0, made.stderr
    docx = env.home / "report" / "松川县民政局-社区建设调研报告.docx"
    paras = R.paragraphs(docx)
    assert paras[0].text.replace("\n", "") == "关于县城社区建设情况的调研报告"
    assert [p.text for p in paras if p.style == "Heading1"] == ["一、基本情况", "二、存在的问题", "三、对策建议"]
    table = R.part(docx, "word/document.xml")
    assert table.count("<w:tbl>") == 1 and "龙潭社区" in table and "1858" in table
