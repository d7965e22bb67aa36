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


def read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(Problem("is a folder, not an input file", file=str(path)))
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(Problem(f"is {size:,} bytes; an input file holds at most {MAX_INPUT_BYTES:,}", file=str(path)))
        return path.read_bytes()
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
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"only the value {str(value)[:30]!r}"
        raise InputError(Problem(f"holds {kind}; an input must be a mapping of keys such as `type:` and `unit:`", file=name))
    return value


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name)) from None


def _parse_toml(text: str, name: str) -> Any:
    import tomllib  # only TOML inputs pay for it (a cold start reads YAML)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(f"TOML syntax error: {exc}", file=name)) from None


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates (pydantic parses and reports them) and with a size bound."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, name: str) -> Any:
    try:
        loader = _Loader(text)
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
