"""The top-level templates/ folder holds user overrides; its example must work exactly as templates/README.md says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from plangen.testing import docx as R

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_override_adds_one_requirement_and_keeps_every_other_section(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    custom = tmp_path / "custom.docx"
    for extra, out in (([], plain), (["--templates", str(ROOT / "templates")], custom)):
        done = subprocess.run(
            [sys.executable, "-m", "plangen", *extra, "generate", str(ROOT / "samples" / "hygiene-month.yaml"), "-o", str(out)],
            capture_output=True, text=True, cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
    before, after = R.paragraphs(plain), R.paragraphs(custom)
    texts = [p.text for p in after]
    at = texts.index("（四）注重安全防护")  # numbered on after the built-in three requirements
    assert after[at].style == "Heading2" and texts[at - 2].startswith("（三）强化督导检查")
    assert "消杀药械" in texts[at + 1]
    assert texts[:at] + texts[at + 2:] == [p.text for p in before]


def _generate(tmp_path: Path, out: str, env: dict[str, str], *extra: str) -> Path:
    import os

    path = tmp_path / out
    done = subprocess.run(
        [sys.executable, "-m", "plangen", *extra, "generate", str(ROOT / "samples" / "hygiene-month.yaml"), "-o", str(path)],
        capture_output=True, text=True, env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    return path


def test_compiled_templates_are_kept_between_runs_and_never_served_stale(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    overrides = tmp_path / "mine"
    overrides.mkdir()
    template = overrides / "hygiene-month.md.j2"
    template.write_text('{% extends "default:hygiene-month.md.j2" %}{% block goal %}## 工作目标\n\n第一稿。\n\n{% endblock %}\n', encoding="utf-8")
    env = {"PLANGEN_CACHE_DIR": str(cache)}
    first = _generate(tmp_path, "1.docx", env, "--templates", str(overrides))
    kept = sorted(p.name for p in cache.iterdir())
    assert kept and all(name.endswith(".cache") for name in kept)  # the override, the built-in and its partial
    template.write_text(template.read_text(encoding="utf-8").replace("第一稿", "第二稿"), encoding="utf-8")
    second = _generate(tmp_path, "2.docx", env, "--templates", str(overrides))
    assert "第一稿。" in R.text(first) and "第二稿。" in R.text(second) and "第一稿" not in R.text(second)
    off = tmp_path / "off"
    off.mkdir(mode=0o700)
    _generate(tmp_path, "3.docx", {"PLANGEN_CACHE_DIR": str(off), "PLANGEN_NO_CACHE": "1"})
    assert list(off.iterdir()) == []


def test_a_template_folder_cannot_run_code(tmp_path: Path) -> None:
    """Templates run sandboxed: an override that reaches for os.system stops with a template error, nothing runs."""
    folder = tmp_path / "evil"
    folder.mkdir()
    marker = tmp_path / "pwned"
    (folder / "hygiene-month.md.j2").write_text(
        '{% extends "default:hygiene-month.md.j2" %}\n{% block opening %}\n'
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "plangen", "--templates", str(folder), "generate", str(ROOT / "samples" / "hygiene-month.yaml"),
         "-o", str(tmp_path / "out.docx")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert not marker.exists()
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "unsafe" in done.stderr, done.stderr
    assert not (tmp_path / "out.docx").exists()
