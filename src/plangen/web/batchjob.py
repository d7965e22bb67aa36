"""The process that runs one web batch: ``python -m plangen.web.batchjob FOLDER``.

A process of its own (not a thread of the server): the batch's own worker processes render the rows,
and the server only reads ``status.json``, so other users' pages never wait for a roster.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from plangen.i18n import _
from plangen.web.batch import read_json, write_json

log = logging.getLogger("plangen.web.batchjob")


def run(folder: Path) -> int:
    from plangen.batch import BatchOptions, run_batch
    from plangen.errors import PlangenError
    from plangen.plugins import get_registry

    status = folder / "status.json"
    started = (read_json(status) or {}).get("started", time.time())
    state = {"state": "running", "done": 0, "total": 0, "started": started, "pid": os.getpid()}
    last = 0.0

    def on_start(total: int) -> None:
        state["total"] = total
        write_json(status, state)

    def progress(n: int) -> None:
        nonlocal last
        state["done"] += n
        now = time.monotonic()
        if now - last > 0.2:
            last = now
            write_json(status, state)

    roster = next(p for p in folder.iterdir() if p.name.startswith("roster."))
    meta = read_json(folder / "meta.json") or {}

    def shown(text: str) -> str:
        """A message without the server's folders: the base and roster by the names the user knows."""
        text = text.replace(str(folder / "base.yaml"), _("the base draft")).replace(str(roster), str(meta.get("roster", roster.name)))
        return text.replace(str(folder) + os.sep, "").replace(str(folder), "")

    job = read_json(folder / "job.json") or {}
    plugins_dirs = tuple(Path(p) for p in job.get("plugins_dirs", ()))
    options = BatchOptions(roster=roster, base=folder / "base.yaml", output=folder / "out", zip=True, plugins_dirs=plugins_dirs,
                           same_people=bool(job.get("same_people")))
    try:
        registry = get_registry(plugins_dirs, [Path(p) for p in job.get("templates_dirs", ())])
        result = run_batch(options, registry=registry, progress=progress, on_start=on_start)
    except PlangenError as exc:
        write_json(status, {**state, "state": "failed", "message": shown(str(exc))})
        return 2
    except Exception:
        log.exception("batch in %s failed", folder)
        write_json(status, {**state, "state": "failed", "message": ""})
        return 1
    write_json(status, {
        **state, "state": "done", "done": result.rows, "total": max(result.rows, state["total"]),
        "made": result.made + result.skipped, "failed": result.failed, "blank": result.blank,
        "seconds": round(result.seconds, 2), "warnings": [shown(w) for w in result.warnings],
        "index": result.index.name if result.index else None, "errors": result.errors is not None,
        "zip": result.zip is not None, "finished": time.time(),
    })
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(run(Path(sys.argv[1]).resolve()))
