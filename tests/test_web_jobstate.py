"""The web batch's files, typed (plangen.web.jobstate): the base is written once, the chosen map is kept
in job.json and laid over it by the job, nothing is written only to be read back, and status.json files
written before this module (by a job still running, or in the history) still load."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient
from webforms import BASE, csrf_of, make_draft

from plangen.testing import slow
from plangen.web import app as webapp
from plangen.web.batch import base_with
from plangen.web.jobstate import BatchMeta, JobSettings, JobState

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = ROOT / "samples" / "communities.csv"


@slow  # runs a 20-row job process (CI runs it with PLANGEN_FULL_TESTS=1)
def test_a_batch_writes_its_base_once_and_keeps_the_chosen_map_in_job_json(tmp_path: Path) -> None:
    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    r = make_draft(client, "hygiene-month")
    draft, csrf = str(r.url.path).rsplit("/", 1)[1], csrf_of(r.text)
    r = client.post("/batch", data={"csrf": csrf, "base": draft}, files={"roster": ("名册.csv", COMMUNITIES.read_bytes(), "text/csv")},
                    follow_redirects=True)
    url = str(r.url.path)
    folder = client.app.state.web.batches / url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    base_before = (folder / "base.yaml").read_text(encoding="utf-8")
    meta = BatchMeta.load(folder)
    assert meta is not None and meta.plan_type == "hygiene-month" and meta.roster == "名册.csv" and "社区名称" in meta.headers
    assert JobState.load(folder) is None  # not started: the page shows the map

    mapping = {}
    for name, body in re.findall(r'<select name="(col\d+)"[^>]*>(.*?)</select>', r.text, re.S):
        found = re.search(r'<option value="([^"]*)" selected', body)
        mapping[name] = found.group(1) if found else ""
    assert "base.check" not in " ".join(p.name for p in folder.iterdir())  # the preview wrote no copy of the base
    r = client.post(url + "/run", data={"csrf": csrf, **mapping, "same_people": "1"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 120
    while (state := JobState.load(folder)) is not None and state.running and time.monotonic() < deadline:
        time.sleep(0.2)

    assert state is not None and state.state == "done" and state.made == 20 and state.zip and state.total == 20
    assert (folder / "base.yaml").read_text(encoding="utf-8") == base_before  # written once, when the batch was made
    settings = JobSettings.load(folder)
    assert settings.same_people and settings.columns is not None
    assert settings.columns["社区名称"] == "unit.name"
    assert not [p.name for p in folder.iterdir() if p.name.startswith("base.") and p.name != "base.yaml"]
    assert base_with(folder, settings.columns)["columns"] == settings.columns  # what the job laid over the base
    status = client.get(url + "/status").text
    assert 'data-state="done"' in status and "20" in status and "孙明怡" in status  # the page reads the same state
    assert "20 plan(s), 0 row(s) with problems" in client.get("/batch").text  # and so does the list of recent batches


def test_status_files_written_before_the_typed_state_still_load(tmp_path: Path) -> None:
    old_done = {"state": "done", "done": 20, "total": 20, "started": 1.5, "pid": 4242, "made": 19, "failed": 1, "blank": 0,
                "seconds": 3.25, "warnings": ["第3行：空"], "index": "index.csv", "errors": True, "zip": True, "finished": 9.0,
                "something_later": 1}
    (tmp_path / "status.json").write_text(json.dumps(old_done, ensure_ascii=False), encoding="utf-8")
    state = JobState.load(tmp_path)
    assert state == JobState("done", 20, 20, 1.5, 4242, None, 19, 1, 0, 3.25, ["第3行：空"], "index.csv", True, True, 9.0)
    state.save(tmp_path)
    assert JobState.load(tmp_path) == state

    (tmp_path / "status.json").write_text(json.dumps({"state": "running", "done": 5, "total": 20, "pid": 1}), encoding="utf-8")
    running = JobState.load(tmp_path)
    assert running is not None and running.running
    assert running.settled(tmp_path, ended=False) is running
    assert running.settled(tmp_path, ended=True) == running.but(state="failed", message="")  # gone without a word: failed

    (tmp_path / "status.json").write_text("{not json", encoding="utf-8")
    assert JobState.load(tmp_path) is None
    (tmp_path / "status.json").write_text(json.dumps({"done": 5}), encoding="utf-8")
    assert JobState.load(tmp_path) is None  # no state: not a file this module wrote


def test_a_job_started_before_job_json_held_the_map_runs_on_the_base_as_written(tmp_path: Path) -> None:
    """The old server wrote the chosen map into base.yaml itself; a job it left reads the base unchanged."""
    (tmp_path / "base.yaml").write_text("type: hygiene-month\ncolumns:\n  社区: unit.name\n", encoding="utf-8")
    (tmp_path / "job.json").write_text(json.dumps({"plugins_dirs": [], "templates_dirs": [], "same_people": True}), encoding="utf-8")
    settings = JobSettings.load(tmp_path)
    assert settings.columns is None and settings.same_people
    assert base_with(tmp_path, settings.columns) == {"type": "hygiene-month", "columns": {"社区": "unit.name"}}
    assert base_with(tmp_path, {"名称": "unit.name"}) == {"type": "hygiene-month", "columns": {"名称": "unit.name"}}
