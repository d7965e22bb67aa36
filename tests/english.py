"""Finds English sentences in what a user reads: the acceptance test of the Chinese interface (issue 12).

A sentence is three or more English words in a row (letters only, separated by spaces). What a
Chinese user may rightly see in Latin letters is taken out first, so it never joins a run:

- identifiers: anything holding ``-``, ``_``, ``.``, ``/``, ``\\``, ``=``, ``:``, ``@``, ``+``, ``<``
  or a digit (file names, paths, option names ``--x``, field paths ``unit.name``, rule ids
  ``page-size``, ``GB/T 9704``, ``U+2014``, ``A4``, URLs);
- ALL-CAPS words (metavars such as FILE and TYPE, and acronyms: PAGE, ASCII, JSON, MB);
- the program's own name with a command after it (``plangen check``);
- text in backticks or quotes (“…”, ‘…’, '…', "…", 「…」), which holds what the user typed or what
  the file contains, not words plangen chose;
- JSON keys (``"rule":``), stable English identifiers for scripts.

Short English is caught too: a line with no Chinese at all and three English words in it (``made 20,
skipped 0, failed 0``; a CSV header ``row,column,field,problem``), and English labels (``Usage:``,
``Options:``, ``plan types:``, ``plangen: error:``).
"""

from __future__ import annotations

import re

WORD = r"[A-Za-z]+(?:'[a-z]+)?"
SENTENCE = re.compile(rf"\b{WORD}(?:[ \t]+{WORD}){{2,}}\b")
"""Three or more words separated only by blanks: a comma, a CJK character or an identifier ends a run."""

_BREAK = " ⌧ "
_QUOTED = re.compile(r"`[^`\n]*`|“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|《[^》\n]*》|'[^'\n]{0,80}'|\"[^\"\n]{0,80}\"")
_JSON_KEY = re.compile(r"\"[A-Za-z_][\w-]*\"\s*:")
_PROGRAM = re.compile(r"\bplangen(?:[ \t]+[a-z]+){0,2}")
_IDENTIFIER = re.compile(r"\S*[-_./\\=:@+<>\d\[\]{}()|$%#*]\S*")
_CAPS = re.compile(r"[ \t]*\b[A-Z][A-Z]+s?\b")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_LABEL = re.compile(r"(?m)^[ \t]*(?:[A-Z][a-z]+(?:[ \t][a-z]+)?|[a-z]+(?:[ \t][a-z]+)+):(?=\s|$)")
"""``Usage:``, ``Options:``, ``plan types:`` (a YAML key, ``name:``, has no blank and is left alone)."""
_WORD_LABEL = re.compile(r"(?m)^[ \t]*[a-z]{2,}:(?=[ \t])")
_PREFIX = re.compile(r"\bplangen: (?:error|warning):")


def english_sentences(text: str, *, yaml: bool = False) -> list[str]:
    """The English sentences left in ``text`` once identifiers, quotes and names are taken out.

    ``yaml``: the text is a YAML input, whose keys (``name:``) are identifiers; elsewhere a line that
    starts with an English word and a colon (``next: pip install…``, ``hooks: …``) is an English label."""
    found = [m.group() for m in _PREFIX.finditer(text)] + [m.group().strip() for m in _LABEL.finditer(text)]
    if not yaml:
        found += [m.group().strip() for m in _WORD_LABEL.finditer(text)]
    text = _JSON_KEY.sub(_BREAK, text)
    text = _QUOTED.sub(_BREAK, text)
    # Latin punctuation that ends a token but is not part of an identifier
    text = re.sub(r"[,;!?]", _BREAK, text)
    text = _identifiers_out(text)
    text = _PROGRAM.sub(_BREAK, text)
    text = _CAPS.sub("", text)  # an acronym or metavar neither counts nor breaks: "Print a JSON array of findings"
    found += [m.group() for m in SENTENCE.finditer(text)]
    for line in text.splitlines():
        words = re.findall(rf"\b{WORD}\b", line)
        if len(words) >= 3 and not _CJK.search(line) and not SENTENCE.search(line):
            found.append(" ".join(words))
    return found


def _identifiers_out(text: str) -> str:
    """Each blank-separated token with an identifier character (or a CJK neighbour hiding one) replaced by a break."""
    out = []
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        # A token may glue Latin to Chinese (``plangen：错误：x.yaml：``); judge each Latin piece on its own.
        pieces = re.split(r"([^\x00-\x7f]+)", token)
        out.append("".join(_BREAK if piece and not re.search(r"[^\x00-\x7f]", piece) and _IDENTIFIER.fullmatch(piece) else piece
                           for piece in pieces))
    return "".join(out)
