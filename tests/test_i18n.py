"""The message catalogue: compiled from its .po files, chosen by PLANGEN_LANG, --lang or the locale."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plangen import i18n

build = pytest.importorskip("plangen.i18n.build")


def test_every_mo_is_compiled_from_its_po() -> None:
    pos = build.po_files()
    assert pos, "no catalogue"
    for po in pos:
        assert po.with_suffix(".mo").read_bytes() == build.compiled(po), f"{po.name}: run python -m plangen.i18n.build"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "C"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "zh"),
        ({"PLANGEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"PLANGEN_LANG": "zh", "LC_ALL": "en_US.UTF-8"}, "zh"),
    ],
)
def test_language_is_chinese_unless_english_is_asked_for(environ: dict[str, str], expected: str) -> None:
    assert i18n.detect(environ) == expected


def _plangen(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items() if k not in ("PLANGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, env={**clean, **env})


@pytest.mark.chinese
def test_click_speaks_chinese_by_default_and_english_when_asked() -> None:
    zh = _plangen("nosuch")
    assert zh.returncode == 2 and "错误：没有命令 'nosuch'。" in zh.stderr and "Error" not in zh.stderr
    for en in (_plangen("--lang", "en", "nosuch"), _plangen("nosuch", PLANGEN_LANG="en"), _plangen("nosuch", LANG="en_US.UTF-8")):
        assert en.returncode == 2 and "Error: No such command 'nosuch'." in en.stderr
    assert _plangen("-h").stdout.startswith("用法：")


def test_a_message_renders_in_the_language_in_force() -> None:
    message = i18n.msg("cli.error", "Error: {message}", message="x")
    try:
        i18n.set_language("zh")
        assert str(message) == "错误：x"
        i18n.set_language("en")
        assert str(message) == "Error: x"
        assert message.as_json() == {"code": "cli.error", "message": "Error: x", "params": {"message": "x"}}
    finally:
        i18n.set_language(None)
