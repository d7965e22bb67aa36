"""LibreOffice one or two at a time (plangen.office_queue): real threads, and the web app's answer when the
queue is full."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from plangen.office_queue import QUEUE, OfficeBusy, OfficeQueue


def test_at_most_two_conversions_run_at_once_and_the_rest_wait_their_turn() -> None:
    queue = OfficeQueue(slots=2, waiting=10)
    running, most, done = [0], [0], []
    lock = threading.Lock()

    def convert(n: int) -> None:
        with queue.slot():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1
        done.append(n)

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(done) == list(range(6)) and most[0] == 2


def test_a_full_queue_says_how_many_are_ahead_at_once() -> None:
    queue = OfficeQueue(slots=1, waiting=0)
    with queue.slot():
        started = time.monotonic()
        with pytest.raises(OfficeBusy) as busy, queue.slot():
            pass
        assert time.monotonic() - started < 1 and "1" in str(busy.value)
    with queue.slot():  # free again
        pass


@pytest.mark.chinese
def test_the_pdf_download_says_libreoffice_is_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient
    from webforms import BASE, make_draft

    from plangen.web import app as webapp

    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    if not client.app.state.web.office:  # type: ignore[attr-defined]
        pytest.skip("no LibreOffice here: the PDF route does not exist")
    url = make_draft(client).url.path
    monkeypatch.setattr(QUEUE, "max_waiting", 0)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with QUEUE.slot():
            holding.set()
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(QUEUE.slots)]
    for t in holders:
        t.start()
        holding.wait(5)
        holding.clear()
    try:
        r = client.get(url + "/plan.pdf")
        assert r.status_code == 503 and "LibreOffice 正忙" in r.text and "每次最多转换 2 份" in r.text
    finally:
        release.set()
        for t in holders:
            t.join(10)
