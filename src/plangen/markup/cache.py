"""Parse only the parts of a plan's markup that have not been seen before.

A batch renders one template hundreds of times, and most of its paragraphs come out the same for
every row; only those naming the unit or the people differ. markdown-it-py is the slowest step of a
plan, so the markup is cut into chunks at blank lines (never inside a fenced block), a chunk seen
before is taken from a cache, and all new chunks are parsed together in one markdown-it call.

Cutting at blank lines cannot change the result for this dialect: headings, paragraphs, tables and
fences end at a blank line (a fence is never cut), and a bullet list split into pieces still gives one
paragraph per item. Anything the cutter cannot place safely (an indented or unclosed fence, a block
that spans two chunks) is parsed as a whole and not cached.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from plangen.document import (
    Block,
    Heading,
    PageBreak,
    Paragraph,
    Roster,
    Run,
    Signature,
    Table,
    Title,
)

_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})")
_CACHE_LIMIT = 4096
_SEEN_LIMIT = 50_000
_cache: dict[str, tuple[Block, ...]] = {}
_seen: set[int] = set()


def chunks(markup: str) -> list[str] | None:
    """The markup cut at blank lines outside fences, or None when a fence is not plainly placed."""
    out: list[str] = []
    current: list[str] = []
    fence = ""
    for line in markup.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "```" in line or "~~~" in line:
            m = _FENCE.match(line)
            if m is None:
                return None  # in a list item, indented, or mid-line: leave it to the full parser
            marker = m.group(2)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line[m.end():].strip(" \t"):
                fence = ""
        if not fence and not line.strip(" \t"):
            if current:
                out.append("\n".join(current))
                current = []
        else:
            if not current and out and line[:1] in (" ", "\t"):
                current = [out.pop(), ""]  # an indented line may continue the list item above: no cut before it
            current.append(line)
    if fence:
        return None
    if current:
        out.append("\n".join(current))
    return out


def clone(block: Block) -> Block:
    """A copy a caller may change (plugins adjust documents) without touching the cache."""
    if isinstance(block, Paragraph):
        return Paragraph([Run(r.text, r.bold, r.underline) for r in block.runs], block.kind)
    if isinstance(block, Heading):
        return Heading(block.level, block.text, block.number, block.run_in)
    if isinstance(block, Title):
        return Title(block.text, block.breaks)
    if isinstance(block, Signature):
        return Signature(block.signer, block.date)
    if isinstance(block, PageBreak):
        return PageBreak()
    if isinstance(block, Table):
        return Table(list(block.header), [list(r) for r in block.rows], block.caption, block.merged)
    if isinstance(block, Roster):
        return Roster(list(block.lines))
    return copy.deepcopy(block)


def cached_blocks(markup: str, parse: Callable[[str], list[Any]], convert: Callable[[list[Any]], list[Block]]) -> list[Block]:
    """``convert(parse(markup))``, with chunks seen before taken from the cache."""
    pieces = chunks(markup)
    if pieces is None:
        return convert(parse(markup))
    results: list[list[Block] | None] = []
    missed: list[int] = []
    for i, piece in enumerate(pieces):
        hit = _cache.get(piece)
        if hit is None:
            missed.append(i)
            results.append(None)
        else:
            results.append([clone(b) for b in hit])
    if missed and not _parse_missed(pieces, missed, results, parse, convert):
        return convert(parse(markup))
    return [block for blocks in results if blocks for block in blocks]


def _parse_missed(
    pieces: list[str],
    missed: list[int],
    results: list[list[Block] | None],
    parse: Callable[[str], list[Any]],
    convert: Callable[[list[Any]], list[Block]],
) -> bool:
    """Parse the new chunks in one call and give each its own tokens, by the lines they came from.

    False when a block ran over the joint of two new chunks that a cached chunk separates in the
    markup: joined without it they made a block the markup does not have (two lists around a heading
    become one list), so the caller parses the markup whole.
    """
    texts = [pieces[i] for i in missed]
    starts: list[int] = []
    line = 0
    for text in texts:
        starts.append(line)
        line += text.count("\n") + 2  # the chunk's lines and the blank line after it
    groups: list[list[Any]] = [[] for _ in texts]
    cacheable = [True] * len(texts)
    current = 0
    for token in parse("\n\n".join(texts)):
        if token.level == 0 and token.nesting >= 0 and token.map:
            first = bisect_right(starts, token.map[0]) - 1
            last = bisect_right(starts, token.map[1] - 1) - 1
            if last != first or first < current:  # a block running over a chunk boundary
                span = range(min(first, current), max(first, last) + 1)
                if any(missed[k + 1] != missed[k] + 1 for k in span[:-1]):
                    return False
                for k in span:
                    cacheable[k] = False
            current = max(current, first)
        groups[current].append(token)
    for k, index in enumerate(missed):
        blocks = convert(groups[k])
        results[index] = blocks
        if cacheable[k]:
            _remember(texts[k], blocks)
    return True


def _remember(piece: str, blocks: list[Block]) -> None:
    """Cache a chunk the second time it is seen: a row's own paragraphs are never seen twice."""
    digest = hash(piece)
    if digest not in _seen:
        if len(_seen) >= _SEEN_LIMIT:
            _seen.clear()
        _seen.add(digest)
        return
    if len(_cache) < _CACHE_LIMIT:
        _cache[piece] = tuple(clone(b) for b in blocks)


def clear() -> None:
    """Forget every cached chunk (tests; a long-lived process that changed templates)."""
    _cache.clear()
    _seen.clear()
