"""Autosave of unsaved changes to a recovery file, and finding them again after a crash.

Recovery files live in the platform's app-data folder (QStandardPaths), one per open
document: `<key>.json` (the briefing, written atomically by the model's writer) and
`<key>.meta.json` (the original path, the time and the writer's pid). A file whose writer is
still running belongs to another window and is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from ..model import storage
from ..model.errors import BriefingError, ChangedOnDisk, LoadError
from .document import Document


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / "briefing-app" / "recovery"


@dataclass
class Recoverable:
    data_path: Path
    meta_path: Path
    original: str | None
    saved_at: str
    disk_hash: str | None = None  # the original file's hash when the work was backed up

    def discard(self) -> None:
        for p in (self.data_path, self.meta_path):
            try:
                p.unlink()
            except OSError:
                pass


class Autosaver(QObject):
    """Writes the document to its recovery file within `interval_s` seconds of a change.

    The timer starts at the first change not yet written and is not pushed back by later
    ones, so steady editing is backed up every `interval_s` seconds too.
    """

    def __init__(self, doc: Document, interval_s: float = 30, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.timer = QTimer(self, singleShot=True)
        self.timer.setInterval(int(interval_s * 1000))
        self.timer.timeout.connect(self.write_now)
        self.last_error: str | None = None
        doc.history_changed.connect(self._changed)
        doc.modified_changed.connect(self._modified_changed)
        doc.path_changed.connect(lambda _p: self.discard())
        self._key = self._make_key()
        self._written: storage.SavedLayout | None = None  # the next write copies from it
        # A recovery file of a crashed run whose work this window restored: it goes once
        # this window's own file holds that work, or the work is saved or discarded.
        self._older: Recoverable | None = None

    def _make_key(self) -> str:
        # One file per window and process: two windows on one file must not overwrite, or
        # on saving delete, each other's backup.
        path = os.path.abspath(self.doc.path) if self.doc.path else "untitled"
        seed = f"{path}-{os.getpid()}-{id(self)}"
        return hashlib.sha1(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    @property
    def data_path(self) -> Path:
        return recovery_dir() / f"{self._key}.json"

    @property
    def meta_path(self) -> Path:
        return recovery_dir() / f"{self._key}.meta.json"

    def _changed(self) -> None:
        if self.doc.is_modified and not self.timer.isActive():
            self.timer.start()

    def _modified_changed(self, modified: bool) -> None:
        if modified:  # also when nothing was pushed: restored, imported, kept over the file
            self._changed()
        else:
            self.timer.stop()
            self.discard()

    def write_now(self) -> bool:
        """Write the recovery file now; False (noted in last_error) when that failed."""
        self.timer.stop()
        if not self.doc.is_modified:
            return True
        folder = recovery_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # The metadata first: it names this (live) process as the writer, so that no
            # window starting meanwhile offers the data, nor deletes it on Discard, as work
            # whose metadata is missing (find_recoverable offers that, since a damaged
            # file must not hide work). A crash between the two leaves no data to offer.
            # The path in full: a file opened as "shared/b.json" was restored, and saved,
            # relative to wherever the next run started.
            path = os.path.abspath(self.doc.path) if self.doc.path else None
            meta = {"path": path, "saved_at": datetime.now().isoformat(timespec="seconds"),
                    "pid": os.getpid(), "process": storage.process_identity(os.getpid()),
                    "disk_hash": self.doc.disk_hash}
            storage.write_atomic(self.meta_path, json.dumps(meta).encode("utf-8"))
            self._written = self._write_data()
            self.last_error = None
            self._drop_older()
            return True
        except (OSError, BriefingError) as exc:  # never interrupt the user for a backup
            self.last_error = str(exc)
            self.timer.start()  # try again later (a full disk may have room by then)
            return False

    def _write_data(self) -> storage.SavedLayout:
        # Like a save of the document: only the events edited since the last write are
        # encoded (~0.35 s instead of ~0.9 s at 100k events, every 30 s while editing).
        last = self._written
        if last is not None:
            try:
                return storage.save_file(self.doc.briefing, self.data_path, last.digest, last)
            except ChangedOnDisk:
                pass  # not what we wrote (another copy of the app?): write it all
        # The first write copies the unchanged events from the document's own file, as Save
        # As does (everything encoded held the window ~1.4 s at 100k events, 30 s after the
        # first edit); storage encodes them all should that file have changed meanwhile.
        return storage.save_file(self.doc.briefing, self.data_path,
                                 previous=self.doc.saved_layout, source=self.doc.path)

    def take_over(self, older: Recoverable) -> None:
        """The open work came from `older`: back it up now; `older` goes once it is."""
        self._older = older
        self.write_now()

    def _drop_older(self) -> None:
        if self._older is not None:
            self._older.discard()
            self._older = None

    def close(self) -> None:
        """The window closes, its work saved or knowingly discarded: no backup stays."""
        self.timer.stop()
        self.discard()
        self._drop_older()

    def discard(self) -> None:
        Recoverable(self.data_path, self.meta_path, None, "").discard()
        self._key = self._make_key()
        self._written = None
        if not self.doc.is_modified:  # saved: nothing of it left to recover
            self._drop_older()


def find_recoverable() -> list[Recoverable]:
    """Recovery files left by a process that is gone (crashed or killed)."""
    found = []
    folder = recovery_dir()
    if not folder.is_dir():
        return found
    for data_path in sorted(folder.glob("*.json")):
        if data_path.name.endswith(".meta.json") or not data_path.is_file():
            continue
        meta_path = data_path.with_name(data_path.name[:-len(".json")] + ".meta.json")
        # Written before the data (write_now), so a live writer's data always has it: work
        # without readable metadata (a damaged file) is offered as an untitled briefing
        # rather than hidden for good.
        meta = _read_meta(meta_path) or {}
        pid, identity = meta.get("pid"), meta.get("process")
        if type(pid) is int and 0 < pid <= _MAX_PID and pid != os.getpid():
            if storage.pid_alive(pid, identity if isinstance(identity, str) else None):
                continue
        # (No sane pid: no live writer wrote this; the work is offered, not hidden.)
        digest = meta.get("disk_hash")
        saved_at = meta.get("saved_at")
        if not isinstance(saved_at, str):
            saved_at = _modified_at(data_path)
        found.append(Recoverable(data_path, meta_path, _path_or_none(meta.get("path")),
                                 saved_at, digest if isinstance(digest, str) else None))
    return found


_MAX_PID = 1 << 22  # Linux's highest pid_max; os.kill refuses what a C pid_t cannot hold
_MAX_META_BYTES = 1 << 16


def _modified_at(path: Path) -> str:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")
    except (OSError, ValueError, OverflowError):
        return ""


def _read_meta(path: Path) -> dict | None:
    """A recovery file's metadata, or None when it is not what write_now writes. Read like
    a briefing (a regular file of sane size: a FIFO would block the start for ever), and
    never trusted further than its types."""
    try:
        meta = json.loads(storage.read_text(path, _MAX_META_BYTES))
    except (LoadError, ValueError, RecursionError):
        return None
    return meta if isinstance(meta, dict) else None


def _path_or_none(value: object) -> str | None:
    """The original file's path, if it is one the OS could be handed."""
    if not isinstance(value, str) or not value or "\0" in value:
        return None
    try:
        os.fsencode(value)  # a lone surrogate that no file name decodes to
    except UnicodeEncodeError:
        return None
    return value
