"""Plan types without code: a folder with ``plantype.yaml``, a template and an example input.

:mod:`.spec` reads and checks the folder, :mod:`.model` builds the pydantic input model from its
fields, :mod:`.plugin` turns each folder into a plugin the registry loads like any other, and
:mod:`.learn` writes such a folder from last year's document (``plangen learn``).
"""

from __future__ import annotations

SPEC_FILE = "plantype.yaml"

__all__ = ["SPEC_FILE"]
