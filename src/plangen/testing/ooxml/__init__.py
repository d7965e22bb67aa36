"""Schema check of generated .docx files, for plangen's tests and for plugin authors' tests.

Word and WPS reject what LibreOffice forgives (children out of schema order, dangling relationships),
so every document plangen writes is validated in its tests against the ECMA-376 transitional schemas.
The checker (``ooxmlcheck.py``) and its schemas (``xsd/``) are vendored here unchanged from the
project's shared tools, see ``README.md`` in this folder for where the schemas come from; nothing is
fetched. In a plugin's tests::

    from plangen.testing.ooxml import assert_valid_ooxml
    assert_valid_ooxml(tmp_path / "plan.docx")

Needs lxml (a dependency of python-docx).
"""

from __future__ import annotations

import importlib
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ooxml_errors", "assert_valid_ooxml"]


class _Bytes(io.BytesIO):
    """The file's bytes, named in messages as the checker names a path."""

    def __format__(self, spec: str) -> str:
        return "<docx bytes>"


@lru_cache(maxsize=1)
def _checker() -> tuple[Any, Any, Any]:
    """The checker module, its compiled schema and the namespaces it understands (compiled once: ~1 s)."""
    module: Any = importlib.import_module("plangen.testing.ooxml.ooxmlcheck")
    schema, understood = module.load_schema()
    return module, schema, understood


def ooxml_errors(docx: Path | str | bytes) -> list[str]:
    """Every schema and package error in ``docx`` (a path or the file's bytes), one line each; [] if valid."""
    module, schema, understood = _checker()
    source: Any = _Bytes(docx) if isinstance(docx, bytes) else str(docx)
    errors, _notes = module.check_file(source, schema, understood, False)
    return list(errors)


def assert_valid_ooxml(docx: Path | str | bytes) -> None:
    """Fail with every error listed when ``docx`` does not validate (what Word would repair or refuse)."""
    errors = ooxml_errors(docx)
    assert not errors, f"{len(errors)} OOXML schema errors:\n" + "\n".join(errors)
