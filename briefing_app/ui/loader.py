"""Loading a large briefing off the GUI thread, with progress shown when it takes a while.

Small files (the common case) load synchronously: there is nothing to wait for. A large one
is read and validated on a worker thread so the window paints and stays responsive; a busy
progress dialog appears only if the load is still running after `PROGRESS_DELAY_MS`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..model import storage
from ..model.briefing import Briefing
from ..model.errors import LoadError
from .plain import plain_labels

ASYNC_BYTES = 2_000_000  # below this a load takes well under 0.1 s
PROGRESS_DELAY_MS = 300


class _Relay(QObject):
    """Carries the worker's result back to the GUI thread (queued signal)."""

    finished = Signal(object, object, object)  # Briefing | None, LoadError | None, hash


read_briefing = storage.load_with_hash


class Loader:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.busy = False
        self._relay = _Relay()
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._done: Callable[[Briefing | None, LoadError | None, str | None], None] | None = None
        self._progress: QProgressDialog | None = None
        self._timer = QTimer(singleShot=True, interval=PROGRESS_DELAY_MS)
        self._timer.timeout.connect(self._show_progress)
        self._path = ""
        # Runs on the worker after a successful load: work on the new briefing that would
        # otherwise stall the GUI thread (see MainWindow._prepare_views).
        self.prepare: Callable[[Briefing], None] | None = None
        # Called on the GUI thread once a threaded load is over, whatever its outcome.
        self.finished: Callable[[], None] | None = None

    def load(self, path: str,
             done: Callable[[Briefing | None, LoadError | None, str | None], None]) -> None:
        """Call `done(briefing, None, hash)` or `done(None, error, None)` when loaded."""
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        if size < ASYNC_BYTES:
            try:
                briefing, digest = read_briefing(path)
            except LoadError as exc:
                done(None, exc, None)
            else:
                done(briefing, None, digest)
            return
        self.busy = True
        self._done = done
        self._path = path
        self._timer.start()
        threading.Thread(target=self._work, args=(path,), daemon=True,
                         name="briefing-load").start()

    def _work(self, path: str) -> None:
        try:
            briefing, digest = read_briefing(path)
        except LoadError as exc:
            self._relay.finished.emit(None, exc, None)
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread, never lost
            self._relay.finished.emit(None, LoadError(path, [f"{path}: {exc}"]), None)
        else:
            if self.prepare is not None:
                try:
                    self.prepare(briefing)
                except Exception:  # noqa: BLE001 - only a head start: the GUI thread
                    pass  # does the same work again, where any error is reported
            self._relay.finished.emit(briefing, None, digest)

    def _show_progress(self) -> None:
        self._progress = QProgressDialog(f"Opening {os.path.basename(self._path)}…", "", 0, 0,
                                         self.parent)
        self._progress.setCancelButton(None)
        plain_labels(self._progress)  # a file name is not HTML (plain.py)
        self._progress.setWindowTitle("Opening briefing")
        self._progress.setMinimumDuration(0)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.show()

    def _finished(self, briefing, error, digest) -> None:
        self._timer.stop()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self.busy = False
        done, self._done = self._done, None
        if done is not None:
            done(briefing, error, digest)
        if self.finished is not None:
            self.finished()
