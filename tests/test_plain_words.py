"""Plain Chinese in everything a clerk reads: every message of the catalogue, every form field's help
and every choice. No field paths (dates.issued), no true/false, no Word's inner names (docDefaults,
firstLineChars, w:evenAndOddHeaders, PAGE域, 缇); in the web pages and the form's help, no command
lines, file formats or programs either (plangen batch, .yaml, LibreOffice).

The command line's own help may name its commands and options: a user of the command line types them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from plangen.plugins import get_registry
from plangen.web.forms import Node, model_nodes

LOCALE = Path(__file__).resolve().parent.parent / "src" / "plangen" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"

# words no clerk knows, wherever they are read
JARGON = re.compile(
    r"(?<![\w/.])(?:[a-z_]+\.)+[a-z_]+(?:\[\d+\])?(?![\w(])"  # a field path: dates.issued, unit.county
    r"|\b(?:true|false)\b|docDefaults|firstLineChars|\bw:\w+|PAGE\s*域|缇|OOXML"
)
# words of the command line and file formats, out of place in the web pages and the form
COMMAND_WORDS = re.compile(r"plangen [a-z]+|\.ya?ml\b|\bYAML\b|LibreOffice|soffice|--[a-z-]+")
NOT_PATHS = {"GB/T", "example.cn"}


PLUGIN_CATALOGUES = {p.stem: p for p in (LOCALE.parents[5] / "plugins").glob("*/*/locale/zh_CN/LC_MESSAGES/*.po")}
"""The catalogues the plan types outside the core ship (survey-report's): their clerks read them too."""


def _catalogue(domain: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a .po file, header left out."""
    text = PLUGIN_CATALOGUES.get(domain, LOCALE / f"{domain}.po").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if ids and strs:
            msgid = "".join(ast.literal_eval(s) for s in re.findall(r'".*"', ids.group(1)))
            msgstr = "".join(ast.literal_eval(s) for s in re.findall(r'".*"', strs.group(1)))
            if msgid:
                out.append((msgid, msgstr))
    return out


def _jargon(text: str, pattern: re.Pattern[str]) -> list[str]:
    text = re.sub(r"\{[^{}]*\}", "", text)  # placeholders are filled with the clerk's own words
    text = re.sub(r"https?://\S+|[\w-]+\.(?:docx|xlsx|csv|zip|pdf|png|md|txt|doc|wps|ya?ml|json|toml)\b", "", text)
    return [m for m in pattern.findall(text) if m not in NOT_PATHS]


DOMAINS = sorted([p.stem for p in LOCALE.glob("*.po")] + list(PLUGIN_CATALOGUES))


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_message_of_the_catalogue_uses_words_a_clerk_does_not_know(domain: str) -> None:
    entries = _catalogue(domain)
    assert entries
    # a roster's column mapping is written with field paths (社区名称: unit.name): those messages teach it
    bad = [f"{msgstr}  ⟵ {_jargon(msgstr, JARGON)}" for _, msgstr in entries
           if _jargon(msgstr, JARGON) and "字段路径" not in msgstr and "--columns" not in msgstr]
    if domain == "plangen-web":  # the console's own lines and the options' help are for whoever starts the server
        bad += [f"{msgstr}  ⟵ {_jargon(msgstr, COMMAND_WORDS)}" for msgid, msgstr in entries
                if _jargon(msgstr, COMMAND_WORDS) and not msgid.startswith("plangen serve") and "--" not in msgid]
    assert not bad, "\n".join(bad)


def _walk(nodes: list[Node], path: str = "") -> list[tuple[str, Node]]:
    out = []
    for node in nodes:
        here = f"{path} › {node.label}" if path else node.label
        out.append((here, node))
        out += _walk(node.children, here)
        if node.item is not None:
            out += _walk(node.item.children if node.item.kind == "group" else [node.item], here)
    return out


@pytest.mark.parametrize("kind", sorted(get_registry().plan_types))
def test_every_help_and_choice_of_the_form_is_plain_chinese(kind: str) -> None:
    fields = _walk(model_nodes(get_registry().plan_types[kind].model))
    assert len(fields) > 10
    bad = [f"{where}: {node.help}" for where, node in fields if _jargon(node.help, JARGON) or _jargon(node.help, COMMAND_WORDS)]
    bad += [f"{where}: {node.help}" for where, node in fields if re.search(r"[A-Za-z]{2,}", re.sub(r"GB/T|PDF|Word|WPS", "", node.help))]
    for where, node in fields:
        for choice in node.choices:
            label = node.labels.get(choice, choice)
            if re.search(r"[A-Za-z]", label):
                bad.append(f"{where}: the choice {choice} has no Chinese name")
    assert not bad, "\n".join(bad)


def test_the_detector_sees_paths_and_inner_names() -> None:
    """The patterns catch what the issue found, and leave the clerk's own words alone."""
    for found in ["成文日期 dates.issued（2024-03-25）", "省略时取 unit.county", "不需要时写 false", "在 docDefaults 中设置",
                  "首行缩进2字符（firstLineChars 200）", "（w:evenAndOddHeaders）", "页脚中有PAGE域", "579缇"]:
        assert _jargon(found, JARGON), found
    for found in ["与 plangen batch 相同", "保存输入文件（.yaml）", "LibreOffice 实际排版"]:
        assert _jargon(found, COMMAND_WORDS), found
    for fine in ["成文日期（2024-03-25）比开始日期（2026-04-01）早737天", "GB/T 9704-2012", "{file}：第3行", "东街社区.docx"]:
        assert not _jargon(fine, JARGON) and not _jargon(fine, COMMAND_WORDS), fine
