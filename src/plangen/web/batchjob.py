"""The process that runs one web batch: ``python -m plangen.web.batchjob FOLDER``.

A process of its own (not a thread of the server): the batch's own worker processes render the rows,
and the server only reads ``status.json`` (:class:`plangen.web.jobstate.JobState`), so other users'
pages never wait for a roster.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from plangen.i18n import _
from plangen.web.batch import base_path, base_with, roster_path
from plangen.web.jobstate import BatchMeta, JobSettings, JobState

log = logging.getLogger("plangen.web.batchjob")


def run(folder: Path) -> int:
    from plangen.batch import BatchOptions, run_batch
    from plangen.errors import PlangenError
    from plangen.plugins import get_registry

    before = JobState.load(folder)
    state = JobState("running", started=before.started if before else time.time(), pid=os.getpid())
    last = 0.0

    def on_start(total: int) -> None:
        nonlocal state
        state = state.but(total=total)
        state.save(folder)

    def progress(n: int) -> None:
        nonlocal last, state
        state = state.but(done=state.done + n)
        now = time.monotonic()
        if now - last > 0.2:
            last = now
            state.save(folder)

    roster = roster_path(folder)
    meta = BatchMeta.load(folder)

    def shown(text: str) -> str:
        """A message without the server's folders: the base and roster by the names the user knows."""
        text = text.replace(str(base_path(folder)), _("the base draft")).replace(str(roster), meta.roster if meta else roster.name)
        return text.replace(str(folder) + os.sep, "").replace(str(folder), "")

    job = JobSettings.load(folder)
    plugins_dirs = tuple(Path(p) for p in job.plugins_dirs)
    options = BatchOptions(roster=roster, base=base_path(folder), output=folder / "out", zip=True, plugins_dirs=plugins_dirs,
                           same_people=job.same_people)
    try:
        registry = get_registry(plugins_dirs, [Path(p) for p in job.templates_dirs])
        base = base_with(folder, job.columns)  # the base as uploaded, with the map chosen in the page
        result = run_batch(options, registry=registry, progress=progress, on_start=on_start, base=base)
    except PlangenError as exc:
        state.but(state="failed", message=shown(str(exc))).save(folder)
        return 2
    except Exception:
        log.exception("batch in %s failed", folder)
        state.but(state="failed", message="").save(folder)
        return 1
    state.but(
        state="done", done=result.rows, total=max(result.rows, state.total),
        made=result.made + result.skipped, failed=result.failed, blank=result.blank,
        seconds=round(result.seconds, 2), warnings=[shown(w) for w in result.warnings],
        index=result.index.name if result.index else None, errors=result.errors is not None,
        zip=result.zip is not None, finished=time.time(),
    ).save(folder)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(run(Path(sys.argv[1]).resolve()))
