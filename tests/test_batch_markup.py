"""The chunk cache behind markup.parse (what makes a batch fast) gives exactly what one full parse gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from plangen.errors import TemplateError
from plangen.markup import cache as markup_cache
from plangen.markup import parser as markup

LINES = [
    "# 城关镇东街社区\u20632024年活动方案", "## 活动主题", "### 工作要求", "#### 清理卫生死角", "##### 细则",
    "全面清理楼道庭院的积存垃圾。", "**加强领导。**各网格要落实责任。", "东街社区", "南街社区将采取明查暗访的方式。",
    "- 宣传栏", "- 微信公众号", "  续行文字", "    缩进四格的文字", "1. 有序列表", "| 月份 | 主题 |", "|---|---|",
    "| 1月 | 春节 |", "```roster", "组长：叶兰（社区党委书记）", "成员：丁燕、冯军", "```", "```signature", "城关镇东街社区",
    "2024年3月25日", "```flush", "  ```", "~~~", "---", "", "", "", "\t", "文字 ``` 中间", "\\# 不是标题",
]


def full(text: str) -> tuple[str, object]:
    try:
        return "ok", markup.parse_uncached(text, source="t")
    except TemplateError as exc:
        return "error", str(exc)


def cached(text: str) -> tuple[str, object]:
    try:
        return "ok", markup.parse(text, source="t").blocks
    except TemplateError as exc:
        return "error", str(exc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25), st.lists(st.sampled_from(LINES), max_size=25))
@example(["- 宣传栏", "", "- 宣传栏", "", "# 城关镇东街社区\u20632024年活动方案"], ["- 宣传栏"])  # a cached heading between two new lists
@example(["- 宣传栏"], ["  续行文字", "| 月份 | 主题 |", "|---|---|"])  # an indented line after a blank continues the list item
def test_cached_parse_equals_full_parse(first: list[str], second: list[str]) -> None:
    markup_cache.clear()
    a, b = "\n".join(first), "\n".join(second)
    for text in (a, b, a, a + "\n\n" + b, b, a):  # fresh, then partly and wholly from the cache
        assert cached(text) == full(text), text


def test_cached_blocks_are_copies() -> None:
    markup_cache.clear()
    text = "# 标题\n\n第一段。\n\n第二段。\n"
    for _ in range(3):
        doc = markup.parse(text)
        doc.blocks[1].runs[0].text = "被插件改过"
    assert markup.parse(text).blocks[1].runs[0].text == "第一段。"


def test_fences_are_never_cut() -> None:
    assert markup_cache.chunks("段落\n\n```roster\n组长：甲\n\n成员：乙\n```\n\n尾") == ["段落", "```roster\n组长：甲\n\n成员：乙\n```", "尾"]
    assert markup_cache.chunks("```roster\n组长：甲\n") is None  # unclosed: parsed whole
    assert markup_cache.chunks("- ```\n  a\n\n  ```") is None  # a fence inside a list item
