"""从文件新建方案类型 behind its pages (:mod:`plangen.web.views.learn`): the proposals kept between
requests, and the data folder's ``plan-types/``, written and loaded so a saved type appears on 首页 at once.

The proposal between requests is a JSON file under ``learn/`` named by a random hex id; every POST
goes through the CSRF check; the upload is read in memory within the 20 MB cap.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException

from plangen.declarative.learned import Learned
from plangen.errors import PlangenError
from plangen.web.core import Web

TYPES = "plan-types"
_ID = re.compile(r"^[0-9a-f]{16}$")


def types_dir(web: Web) -> Path:
    return web.store.path.parent / TYPES


def install(web: Web) -> None:
    """Make the data folder's plan types part of the app: loaded now, and by batch workers too."""
    folder = types_dir(web)
    folder.mkdir(parents=True, exist_ok=True)
    web.plugins_dirs = (*web.plugins_dirs, folder)
    if any(p.is_dir() for p in folder.iterdir()):
        reload_registry(web)


def reload_registry(web: Web) -> None:
    """Load the plugins again, the data folder's plan types included (a new one appears at once)."""
    from plangen.plugins.loading import plugins_dirs_from_env
    from plangen.plugins.registry import build_registry

    dirs = list(dict.fromkeys([*plugins_dirs_from_env(), *web.plugins_dirs]))
    web.registry = build_registry(dirs, templates_dirs=getattr(web.registry, "templates_dirs", ()))


def _path(web: Web, learn_id: str) -> Path:
    if not _ID.fullmatch(learn_id):
        raise HTTPException(404)
    return web.store.path.parent / "learn" / f"{learn_id}.json"


def load(web: Web, learn_id: str) -> Learned:
    path = _path(web, learn_id)
    if not path.is_file():
        raise HTTPException(404)
    return Learned.from_json(json.loads(path.read_text(encoding="utf-8")))


def save(web: Web, learn_id: str, learned: Learned) -> None:
    path = _path(web, learn_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(learned.to_json(), ensure_ascii=False, default=str), encoding="utf-8")


def proposal(data: bytes, filename: str) -> Learned:
    from plangen.declarative.learn import propose

    return propose(Path(filename), data, label=filename)


def follows_unit(segment: Any) -> bool:
    """A level word (我县, 各乡镇（街道）, 镇党委): printed from the unit, not a field of its own."""
    return bool(segment.field == "unit.name" and segment.expr not in ("{{ unit.name }}", "{{ unit.full_name }}"))


def write(web: Web, learned: Learned) -> str:
    """Write the folder and load it; a folder that does not load is taken away again (message returned)."""
    from plangen.declarative.emit import write_folder
    from plangen.declarative.plugin import load_folder

    folder = write_folder(learned, types_dir(web))
    try:
        load_folder(folder)
    except PlangenError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return str(exc)
    reload_registry(web)
    return ""
