"""LibreOffice one or two at a time: every conversion waits for a slot.

Six PDFs asked for at once started six or seven soffice processes (each 150–300 MB and a core) on an
office PC. Conversions now take one of :data:`SLOTS` slots; up to :data:`WAITING` more wait their turn,
and beyond that the request is told at once how many are ahead (:class:`OfficeBusy`) instead of piling up.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from plangen.errors import PlangenError
from plangen.i18n import msg

SLOTS = 2
WAITING = 6
WAIT_S = 300.0
"""Longest wait for a slot: a conversion takes a few seconds, the timeout of one is two minutes."""


class OfficeBusy(PlangenError):
    """LibreOffice is converting :data:`SLOTS` documents and :data:`WAITING` more are waiting."""


class OfficeQueue:
    """A counting slot with a bounded queue before it; the numbers are for the page that says the wait."""

    def __init__(self, slots: int = SLOTS, waiting: int = WAITING, wait_s: float = WAIT_S) -> None:
        self.slots, self.max_waiting, self.wait_s = slots, waiting, wait_s
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0

    def ahead(self) -> int:
        """Conversions running or waiting now."""
        with self._lock:
            return self.running + self.waiting

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._free.acquire(blocking=False):
            with self._lock:
                if self.waiting >= self.max_waiting:
                    raise OfficeBusy(self._busy(self.running + self.waiting))
                self.waiting += 1
            try:
                got = self._free.acquire(timeout=self.wait_s)
            finally:
                with self._lock:
                    self.waiting -= 1
            if not got:
                raise OfficeBusy(self._busy(self.ahead()))
        with self._lock:
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
            self._free.release()

    def _busy(self, ahead: int) -> object:
        return msg("office.busy", "LibreOffice is busy: {ahead} documents are being converted or waiting (at most {slots} at a time); "
                   "try again in a minute", ahead=ahead, slots=self.slots)


QUEUE = OfficeQueue()
"""The one queue of this process: the web app's PDF, exact pages and .doc/.wps conversions, and the CLI's."""
