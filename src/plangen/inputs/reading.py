"""Turn an input file (YAML, JSON or TOML; UTF-8, UTF-16 or GB18030, see :mod:`plangen.inputs.decoding`) into a plain mapping.

Bad files give an InputError naming the file and, for syntax errors, the line and column: people type
these files by hand, usually in Notepad, and need to know where to look.
"""

from __future__ import annotations

import functools
import json
import re
import warnings
from pathlib import Path
from typing import Any

import yaml

from plangen.errors import InputError, InputWarning, Problem
from plangen.i18n import N_, Msg, _, msg
from plangen.inputs.decoding import decode_text

MAX_INPUT_BYTES = 2_000_000
MAX_YAML_NODES = 50_000
"""Values an input may expand to once aliases are followed (an alias bomb expands to billions)."""
MAX_WRITTEN_VALUES = 20_000
"""Keys and values an input file may hold as written. A plan's input holds a few hundred; the bound is
checked while the file is parsed, so a 2 MB file of 150,000 keys is refused in a fraction of a second."""


def decode(data: bytes, name: str) -> str:
    """The text of an input file (:func:`plangen.inputs.decoding.decode_text`), under the name callers know."""
    return decode_text(data, source=name)


def read_bytes(path: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """At most ``limit`` bytes of a file, pipe or device: one byte more is read to tell a file too big.

    The size on disk is not trusted: /dev/stdin, a pipe or /dev/zero has none, and would grow without bound.
    """
    try:
        if path.is_dir():
            raise InputError(Problem(msg("input.folder", "is a folder, not an input file"), file=str(path)))
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise InputError(Problem(msg("input.too-big", "is more than {limit:,} bytes; an input file holds at most {limit:,}", limit=limit), file=str(path)))
        return data
    except FileNotFoundError:
        raise InputError(Problem(msg("input.no-file", "no such file"), file=str(path))) from None
    except PermissionError:
        raise InputError(Problem(msg("input.denied", "permission denied"), file=str(path))) from None
    except OSError as exc:
        raise InputError(Problem(exc.strerror or str(exc), file=str(path))) from None


def load_file(path: Path, *, registry: Any = None) -> dict[str, Any]:
    """Read and parse one input file into a mapping; ``registry``'s plan types tell which words are keys."""
    data = read_bytes(path)
    return parse_text(decode_text(data, source=str(path)), str(path), suffix=path.suffix.lower(), registry=registry)


_STRAY_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_text(text: str, name: str, *, suffix: str = ".yaml", registry: Any = None) -> dict[str, Any]:
    if "\x00" in text:
        raise InputError(Problem(msg("input.binary", "is a binary file, not a text input"), file=name))
    # Control characters are removed from all text (README, "Normalisation"); PyYAML would refuse them.
    text = _STRAY_CONTROLS.sub("", text)
    if not text.strip():
        raise InputError(Problem(msg("input.empty-file", "is empty; start from `plangen new TYPE`"), file=name))
    if suffix == ".json":
        value = _parse_json(text, name)
    elif suffix == ".toml":
        value = _parse_toml(text, name)
    else:
        value = _parse_yaml(text, name, known_keys(registry))
    _count_values(value, name)
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise InputError(Problem(msg(
                "input.not-mapping-file", "holds a list; an input must be a mapping of keys such as `type:` and `unit:`"),
                file=name))
        raise InputError(Problem(msg(
            "input.scalar-file", "holds only the value {value}; an input must be a mapping of keys such as `type:` and `unit:`",
            value=repr(str(value)[:30])), file=name))
    return value


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=lambda pairs: _unique_pairs(pairs, name))
    except json.JSONDecodeError as exc:
        raise InputError(Problem(msg("input.json-syntax", "JSON syntax error at line {line}, column {column}: {detail}",
                                     line=exc.lineno, column=exc.colno, detail=_(_JSON_ERRORS.get(exc.msg, exc.msg))),
                                 file=name)) from None


# What the json module says, in the reader's language (its messages are fixed English phrases).
_JSON_ERRORS = {
    "Expecting property name enclosed in double quotes": N_("Expecting property name enclosed in double quotes"),
    "Expecting value": N_("Expecting value"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid control character at": N_("Invalid control character at"),
    "Invalid \\escape": N_("Invalid \\escape"),
    "Extra data": N_("Extra data"),
}


def _unique_pairs(pairs: list[tuple[str, Any]], name: str) -> dict[str, Any]:
    """A JSON object with a key given twice is refused: the last would silently win."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(Problem(msg("input.duplicate-key-json",
                                         "the key {key} is given twice in one object; keep one (otherwise the last would silently win)",
                                         key=repr(key), text=key), file=name))
        out[key] = value
    return out


def _parse_toml(text: str, name: str) -> Any:
    import tomllib  # only TOML inputs pay for it (a cold start reads YAML)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(msg("input.toml-syntax", "TOML syntax error: {detail}", detail=str(exc)), file=name)) from None


def _count_values(value: Any, name: str) -> None:
    """JSON and TOML parse in C and fast; their values are counted afterwards against the same bound."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_WRITTEN_VALUES:
            raise _too_many(name)
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _too_many(name: str) -> InputError:
    return InputError(Problem(msg(
        "input.too-many-values",
        "holds more than {limit:,} keys and values; a plan's input holds a few hundred: is this the right file?",
        limit=MAX_WRITTEN_VALUES), file=name))


_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(yaml.SafeLoader):
    """Safe YAML as people mean it, with size bounds.

    - no implicit dates (pydantic parses and reports them);
    - booleans are YAML 1.2's true/false only: ``on``, ``yes``, ``no`` are words (a key ``on:`` is a key);
    - every plain key is a string (``2024:`` is the key "2024");
    - a key given twice in one mapping is refused, naming both lines (the last would silently win);
    - at most :data:`MAX_WRITTEN_VALUES` nodes are composed, counted while parsing.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self.name = ""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._nodes += 1
        if self._nodes > MAX_WRITTEN_VALUES:
            raise _too_many(self.name)
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: Any) -> Any:
        node = super().compose_mapping_node(anchor)
        seen: dict[Any, yaml.Node] = {}
        for key, _value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.style is None and key.tag != "tag:yaml.org,2002:merge":
                key.tag = _STR  # plain keys are text: on/yes/2024/null as keys are names, not values
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            ident = (key.tag, key.value)
            first = seen.get(ident)
            if first is not None:
                raise InputError(Problem(msg(
                    "input.duplicate-key",
                    "the key {key} is given twice in one mapping, at lines {first} and {second}; keep one "
                    "(otherwise the last would silently win)",
                    key=repr(key.value), text=key.value, first=first.start_mark.line + 1,
                    second=key.start_mark.line + 1), file=self.name))
            seen[ident] = key
        return node


_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, _YAML12_BOOL if tag == _BOOL else regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, name: str, keys: frozenset[str] = frozenset()) -> Any:
    """Parse YAML; typing slips of a Chinese input method are mended where the intent is certain (with a
    warning naming the line) and otherwise named by line with what to change, before PyYAML's message."""
    for i, line in _lines_outside_blocks(text):
        if _WIDE_INDENT.match(line) and _KEY_LINE.match(line.lstrip(" \t\u3000")):
            raise InputError(Problem(_wide_indent(i + 1), file=name))
    text, notes = _mend_ime(text, keys)
    try:
        value = _load_yaml(text, name)
    except InputError as exc:
        slip = _ime_slip(text, exc)
        if slip is not None:
            raise InputError(Problem(slip, file=name)) from None
        raise
    for note in notes:
        warnings.warn(InputWarning(Problem(note, file=name)), stacklevel=2)
    return value


def _load_yaml(text: str, name: str) -> Any:
    try:
        loader = _Loader(text)
        loader.name = name
    except yaml.YAMLError as exc:
        raise InputError(Problem(msg("input.yaml", "YAML error: {detail}", detail=str(exc)), file=name)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(Problem(msg("input.empty-file", "is empty; start from `plangen new TYPE`"), file=name))
        _bound_size(node, name)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what: Msg | str = _yaml_problem(exc.problem or exc.context or "invalid YAML")
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what = msg("input.yaml-context", "{what} ({context} that starts at line {line}, column {column})",
                       what=what, context=_yaml_problem(exc.context), line=exc.context_mark.line + 1, column=exc.context_mark.column + 1)
        if mark:
            problem = msg("input.yaml-syntax", "YAML syntax error at line {line}, column {column}: {what}",
                          line=mark.line + 1, column=mark.column + 1, what=what)
        else:
            problem = msg("input.yaml-syntax", "YAML syntax error: {what}", what=what)
        raise InputError(Problem(problem, file=name, row=None)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(msg("input.yaml", "YAML error: {detail}", detail=str(exc)), file=name)) from None
    except RecursionError:
        raise InputError(Problem(msg("input.too-deep", "YAML nesting is too deep"), file=name)) from None
    finally:
        loader.dispose()


_YAML_PROBLEMS = {
    "could not find expected ':'": N_("could not find expected ':'"),
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "did not find expected key": N_("did not find expected key"),
    "did not find expected '-' indicator": N_("did not find expected '-' indicator"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "found character '\\t' that cannot start any token": N_("found character '\\t' that cannot start any token"),
    "found undefined alias": N_("found undefined alias"),
    "while scanning a simple key": N_("while scanning a simple key"),
    "while scanning a quoted scalar": N_("while scanning a quoted scalar"),
    "while parsing a block mapping": N_("while parsing a block mapping"),
    "while parsing a block collection": N_("while parsing a block collection"),
    "while parsing a flow sequence": N_("while parsing a flow sequence"),
    "while parsing a flow mapping": N_("while parsing a flow mapping"),
    "while scanning a plain scalar": N_("while scanning a plain scalar"),
}
"""PyYAML's most frequent complaints, worded for the reader; others are shown as PyYAML says them."""


def _yaml_problem(text: str) -> Msg | str:
    found = _YAML_PROBLEMS.get(text)
    if found is not None:
        return msg("yaml." + text, found)
    return text


# ---- typing slips of a Chinese input method -------------------------------------------------------

_KEY_LINE = re.compile(
    r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[^\s:：#'\"\[\]{},&*!|>%@`\-][^\s:：#'\"]*?)(?P<colon>：|:(?=[^\s]))(?P<rest>.*)$"
)
_BLOCK_HEADER = re.compile(r"[:：]\s*[|>][+-]?[0-9]?[+-]?\s*(?:#.*)?$")
_WIDE_INDENT = re.compile(r"^[ \t]*\u3000[ \t\u3000]*")
_FLOW_COMMA = re.compile(r"[\[{][^\]}]*，")


def _lines_outside_blocks(text: str) -> list[tuple[int, str]]:
    """(index, line) of every line that is not inside a ``|`` or ``>`` block scalar (whose text is the
    user's own and is never mended)."""
    out: list[tuple[int, str]] = []
    block_indent: int | None = None
    for i, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        out.append((i, line))
        if _BLOCK_HEADER.search(line.split(" #")[0] if " #" in line else line):
            block_indent = indent
    return out


def _mend_ime(text: str, keys: frozenset[str]) -> tuple[str, list[Msg]]:
    """A known key at the start of a line followed by a full-width colon (``单位：``) or by a colon with
    no space (``name:东街社区``) can only mean a key: it is read as one, and a note says so per line."""
    lines = text.split("\n")
    notes: list[Msg] = []
    for i, line in _lines_outside_blocks(text):
        m = _KEY_LINE.match(line)
        if not m or m["key"] not in keys:
            continue
        rest = m["rest"]
        if m["colon"] == "：":
            notes.append(msg("input.ime-colon-read",
                             "line {line}: the full-width colon \"：\" after {key} was read as \":\"",
                             line=i + 1, key=m["key"]))
            rest = rest.lstrip(" \u3000")
        else:
            notes.append(msg("input.ime-space-read",
                             "line {line}: a space was added after the colon of {key} (write \"{key}: value\")",
                             line=i + 1, key=m["key"]))
        lines[i] = f"{m['lead']}{m['key']}:" + (f" {rest}" if rest.strip() else rest)
    return "\n".join(lines), notes


def _ime_slip(text: str, error: InputError) -> Msg | None:
    """When YAML refuses the file, the first input-method slip in it, named by line with what to change:
    it is nearly always the cause, and PyYAML points elsewhere (often at the next line)."""
    if not error.problems or not str(error.problems[0].code).startswith("input.yaml"):
        return None
    for i, line in _lines_outside_blocks(text):
        if line.lstrip().startswith("#"):
            continue
        if _WIDE_INDENT.match(line):
            return _wide_indent(i + 1)
        m = _KEY_LINE.match(line)
        if m and m["colon"] == "：":
            return msg("input.ime-colon",
                       "line {line}: full-width colon \"：\" after {key}; change it to a half-width \":\" followed by a space",
                       line=i + 1, key=m["key"])
        if m and m["colon"] == ":" and not line.lstrip().startswith(("http:", "https:")):
            return msg("input.ime-space",
                       "line {line}: no space after the colon of {key}; write \"{key}: \" with a space after the colon",
                       line=i + 1, key=m["key"])
        if _FLOW_COMMA.search(line):
            return msg("input.ime-comma",
                       "line {line}: full-width comma \"，\" between items in [ ] or {{ }}; separate them with a half-width \",\"",
                       line=i + 1)
    return None


def _wide_indent(line: int) -> Msg:
    return msg("input.ime-wide-indent",
               "line {line}: the indentation holds full-width spaces (U+3000); indent with half-width spaces only",
               line=line)


def known_keys(registry: Any = None) -> frozenset[str]:
    """Every key the plan types of ``registry`` accept (English and Chinese; without a registry, the
    fields every plan shares) and the envelope's: a word before a colon that is one of these is a key,
    whatever colon was typed. The registry is the caller's: reading a file never loads plugins. The set
    is computed once per registry and kept on it (:meth:`~plangen.plugins.registry.Registry.memo`)."""
    if registry is None:
        return _shared_keys()
    memo = getattr(registry, "memo", None)
    if memo is None:  # a stand-in with plan_types only
        return _keys_of([t.model for t in registry.plan_types.values()])
    keys: frozenset[str] = memo("input-keys", lambda: _keys_of([t.model for t in registry.plan_types.values()]))
    return keys


@functools.cache
def _shared_keys() -> frozenset[str]:
    return _keys_of([])


def _keys_of(models: list[Any]) -> frozenset[str]:
    """The envelope's keys and every field name and alias of PlanInput and ``models``, nested models too."""
    from plangen.inputs.common import PlanInput
    from plangen.inputs.envelope import ENVELOPE_KEYS
    from plangen.inputs.walk import fields, models_below

    keys: set[str] = set(ENVELOPE_KEYS)
    for model in models_below(PlanInput, *models):
        for spot in fields(model):
            keys.update(spot.keys)
    return frozenset(keys)


def _bound_size(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs ("billion laughs") before they are expanded into objects.

    Aliases share nodes, so the expanded size is computed over the graph with memoisation.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > 100:
            raise InputError(Problem(msg("input.too-deep", "YAML nesting is too deep (more than 100 levels)"), file=name))
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = MAX_YAML_NODES + 1  # a node that contains itself counts as too big
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > MAX_YAML_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > MAX_YAML_NODES:
                    break
        sizes[key] = total
        return total

    if size(root, 0) > MAX_YAML_NODES:
        raise InputError(
            Problem(msg("input.alias-bomb", "expands to more than {limit:,} values (an alias bomb?); write the values out",
                        limit=MAX_YAML_NODES), file=name)
        )
