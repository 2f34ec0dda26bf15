"""Runs a search in slices of the event loop, so that typing never waits for a scan.

A broad first word ("va") scans every note that lacks it: ~0.2 s at 100k events. Done in one
go it would freeze the field and the timeline for that long on each such key; done here, the
window paints and takes keys between slices of ~10 ms, and a newer query drops the older
one's remaining work.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from ..model.search import Query, SearchIndex

SLICE_S = 0.010  # per turn of the event loop: well inside a 60 Hz frame


class SearchRunner(QObject):
    finished = Signal(object, object)  # Query, rows: a search that did not end at once

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: tuple[Query, Iterator[list[int] | None]] | None = None
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, index: SearchIndex, query: Query) -> list[int] | None:
        """The rows of `query` when they take one slice (small briefings, narrow words), or
        None: then `finished` brings them from a later turn of the event loop."""
        self._job = (query, index.filtering(query))
        rows = self._run()
        if rows is None:
            self._timer.start()
        return rows

    def cancel(self) -> None:
        self._job = None
        self._timer.stop()

    def _step(self) -> None:
        job = self._job
        rows = self._run()
        if rows is not None and job is not None:
            self.finished.emit(job[0], rows)

    def _run(self) -> list[int] | None:
        if self._job is None:
            self._timer.stop()
            return None
        steps = self._job[1]
        deadline = time.perf_counter() + SLICE_S
        for rows in steps:
            if rows is not None:
                self.cancel()
                return rows
            if time.perf_counter() > deadline:
                return None
        raise AssertionError("SearchIndex.filtering ended without rows")
