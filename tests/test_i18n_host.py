"""The plugin host's warnings and the file errors read in Chinese by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _plangen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd, env=dict(os.environ))


@pytest.mark.chinese
def test_a_missing_plugins_folder_is_warned_in_chinese(tmp_path: Path) -> None:
    done = _plangen(tmp_path, "--plugins-dir", str(tmp_path / "无此文件夹"), "types")
    assert done.returncode == 0
    assert f"插件文件夹 {tmp_path / '无此文件夹'} 不存在" in done.stderr


@pytest.mark.chinese
def test_a_broken_drop_in_plugin_is_named_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("raise ImportError('缺少模块')\n", encoding="utf-8")
    done = _plangen(tmp_path, "--plugins-dir", str(tmp_path), "types")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"插件“broken”加载失败（{tmp_path / 'broken.py'}:1）：ImportError: 缺少模块" in done.stderr


@pytest.mark.chinese
def test_an_existing_output_file_is_refused_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("已有内容\n", encoding="utf-8")
    done = _plangen(tmp_path, "new", "hygiene-month", "-o", "plan.yaml")
    assert done.returncode == 2
    assert "plan.yaml 已存在；请换一个文件名，或先删除它" in done.stderr


@pytest.mark.chinese
def test_a_template_fault_is_explained_in_chinese(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "hygiene-month.md.j2").write_text("# 标题\n\n1. 第一项\n2. 第二项\n", encoding="utf-8")
    done = _plangen(tmp_path, "--templates", str(mine), "generate", str(ROOT / "samples" / "hygiene-month.yaml"), "-o", "out")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "不支持编号列表；请用标题（####），以保证序号连续" in done.stderr
