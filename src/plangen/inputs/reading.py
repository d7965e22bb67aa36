"""Turn an input file (YAML, JSON or TOML; UTF-8, UTF-8 with BOM or GB18030) into a plain mapping.

Bad files give an InputError naming the file and, for syntax errors, the line and column: people type
these files by hand, usually in Notepad, and need to know where to look.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from plangen.errors import InputError, Problem

MAX_INPUT_BYTES = 2_000_000
MAX_YAML_NODES = 50_000
"""Values an input may expand to once aliases are followed (an alias bomb expands to billions)."""
MAX_WRITTEN_VALUES = 20_000
"""Keys and values an input file may hold as written. A plan's input holds a few hundred; the bound is
checked while the file is parsed, so a 2 MB file of 150,000 keys is refused in a fraction of a second."""


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which is what Chinese Windows calls "ANSI"."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(Problem("cannot be read as text: it is neither UTF-8 nor GB18030", file=name)) from None
    if "\x00" in text:
        raise InputError(Problem("is a binary file, not a text input", file=name))
    return text


def read_bytes(path: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """At most ``limit`` bytes of a file, pipe or device: one byte more is read to tell a file too big.

    The size on disk is not trusted: /dev/stdin, a pipe or /dev/zero has none, and would grow without bound.
    """
    try:
        if path.is_dir():
            raise InputError(Problem("is a folder, not an input file", file=str(path)))
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise InputError(Problem(f"is more than {limit:,} bytes; an input file holds at most {limit:,}", file=str(path)))
        return data
    except FileNotFoundError:
        raise InputError(Problem("no such file", file=str(path))) from None
    except PermissionError:
        raise InputError(Problem("permission denied", file=str(path))) from None
    except OSError as exc:
        raise InputError(Problem(exc.strerror or str(exc), file=str(path))) from None


def load_file(path: Path) -> dict[str, Any]:
    """Read and parse one input file into a mapping."""
    data = read_bytes(path)
    return parse_text(decode(data, str(path)), str(path), suffix=path.suffix.lower())


_STRAY_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_text(text: str, name: str, *, suffix: str = ".yaml") -> dict[str, Any]:
    if "\x00" in text:
        raise InputError(Problem("is a binary file, not a text input", file=name))
    # Control characters are removed from all text (README, "Normalisation"); PyYAML would refuse them.
    text = _STRAY_CONTROLS.sub("", text)
    if not text.strip():
        raise InputError(Problem("is empty; start from `plangen new TYPE`", file=name))
    if suffix == ".json":
        value = _parse_json(text, name)
    elif suffix == ".toml":
        value = _parse_toml(text, name)
    else:
        value = _parse_yaml(text, name)
    _count_values(value, name)
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"only the value {str(value)[:30]!r}"
        raise InputError(Problem(f"holds {kind}; an input must be a mapping of keys such as `type:` and `unit:`", file=name))
    return value


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=lambda pairs: _unique_pairs(pairs, name))
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name)) from None


def _unique_pairs(pairs: list[tuple[str, Any]], name: str) -> dict[str, Any]:
    """A JSON object with a key given twice is refused: the last would silently win."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(Problem(f"the key {key!r} is given twice in one object; keep one (otherwise the last would silently win)", file=name))
        out[key] = value
    return out


def _parse_toml(text: str, name: str) -> Any:
    import tomllib  # only TOML inputs pay for it (a cold start reads YAML)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(f"TOML syntax error: {exc}", file=name)) from None


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
    return InputError(Problem(
        f"holds more than {MAX_WRITTEN_VALUES:,} keys and values; a plan's input holds a few hundred: is this the right file?",
        file=name))


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
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.style is None and key.tag != "tag:yaml.org,2002:merge":
                key.tag = _STR  # plain keys are text: on/yes/2024/null as keys are names, not values
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            ident = (key.tag, key.value)
            first = seen.get(ident)
            if first is not None:
                raise InputError(Problem(
                    f"the key {key.value!r} is given twice in one mapping, at lines {first.start_mark.line + 1} "
                    f"and {key.start_mark.line + 1}; keep one (otherwise the last would silently win)",
                    file=self.name))
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


def _parse_yaml(text: str, name: str) -> Any:
    try:
        loader = _Loader(text)
        loader.name = name
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML error: {exc}", file=name)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(Problem("is empty; start from `plangen new TYPE`", file=name))
        _bound_size(node, name)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} that starts at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        raise InputError(Problem(f"YAML syntax error{where}: {what}", file=name)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML error: {exc}", file=name)) from None
    except RecursionError:
        raise InputError(Problem("YAML nesting is too deep", file=name)) from None
    finally:
        loader.dispose()


def _bound_size(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs ("billion laughs") before they are expanded into objects.

    Aliases share nodes, so the expanded size is computed over the graph with memoisation.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > 100:
            raise InputError(Problem("YAML nesting is too deep (more than 100 levels)", file=name))
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
            Problem(f"expands to more than {MAX_YAML_NODES:,} values (an alias bomb?); write the values out", file=name)
        )
