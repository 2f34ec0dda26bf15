"""The open briefing as a document: its file, its undo stack, every change and every save.

All edits go through the few mutators here (called by the undo commands), which emit
`events_changed` / `meta_changed` so that every view updates from the same signals.
The document also notices when its file changes on disk: QFileSystemWatcher forgets a path
after an atomic replace (our saves and git both do that), so the path is re-added after each
notification (its folder while it is gone, to see it come back), and only a different
content hash counts as a change (a `touch` does not).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import islice

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal
from PySide6.QtGui import QUndoStack

from ..model import storage
from ..model.briefing import Briefing, Event
from ..model.heap import release_free_memory

# Events in a file whose idle check is worth handing freed memory back to the system.
RELEASE_AFTER = 10_000


class Document(QObject):
    events_about_to_change = Signal()  # views remember their selection before rows move
    events_changed = Signal()
    meta_changed = Signal()  # title, summary, handling line, actors, sources
    path_changed = Signal(str)
    modified_changed = Signal(bool)
    changed_on_disk = Signal(str)  # path: the file differs from what we loaded or saved
    about_to_replace = Signal()  # before the signals of a different briefing
    replaced = Signal()  # a different briefing was loaded or created
    history_changed = Signal()  # a command was pushed, undone or redone
    # ids of the events a command (or its undo or redo) just added, edited or brought back:
    # what the user looks at next.
    events_to_show = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing = Briefing()
        self.path: str | None = None
        self.disk_hash: str | None = None
        # The file's hash when disk_differs last read it (None: gone): what a question
        # about a change on disk is about, whatever the file becomes while it is asked.
        self.disk_seen: str | None = None
        # Where each event lies in the file (after our save, or once checked after opening):
        # the next save of the file copies the unchanged ones from there.
        self._saved: storage.SavedLayout | None = None
        self._checking: Iterator[storage.SavedLayout | None] | None = None
        # Counts every change of what is open (a command pushed, undone or redone, another
        # briefing): a slow open that finds it moved on asks before replacing it.
        self.generation = 0
        self.reloading = False  # see reload()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self._index_changed)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._file_changed)
        self._watcher.directoryChanged.connect(self._folder_changed)

    # Bound methods, not lambdas: PySide drops them when this object dies with its stack.
    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _index_changed(self, _index: int) -> None:
        self.generation += 1
        self.history_changed.emit()

    # loading and saving -------------------------------------------------------------------
    def load(self, path: str) -> None:
        """Read `path`; raise LoadError and keep the current briefing when it fails."""
        briefing, digest = storage.load_with_hash(path)
        storage.remove_stale_temp_files(path)
        self.set_briefing(briefing, path, digest)

    def set_briefing(self, briefing: Briefing, path: str | None,
                     disk_hash: str | None = None) -> None:
        self.about_to_replace.emit()
        self.events_about_to_change.emit()
        self.generation += 1
        self.briefing = briefing
        # ~1M long-lived objects at 100k events: without this every full collection walks
        # them again (~0.5 s each, at random moments). The old briefing is freed by
        # reference counting; it holds no cycles.
        gc.freeze()
        self.undo_stack.clear()
        self._watch(path)
        self.path = path
        self.disk_hash = disk_hash
        self._saved = None
        self._stop_checking()
        if path is not None and disk_hash is not None:
            self._checking = storage.check_layout(briefing.events, path, disk_hash)
        self.events_changed.emit()
        self.meta_changed.emit()
        self.path_changed.emit(path or "")
        self.modified_changed.emit(False)
        self.replaced.emit()

    def adopt_file(self, path: str | None, disk_hash: str | None) -> None:
        """What is open belongs to `path`, as it was when its bytes had `disk_hash` (the
        briefing came from elsewhere: a recovery file)."""
        self._stop_checking()
        self._saved = None  # nothing of `path` is known to match what is open
        self._watch(path)
        self.path = path
        self.disk_hash = disk_hash
        self.path_changed.emit(path or "")

    def new(self) -> None:
        self.set_briefing(Briefing(title="Untitled briefing"), None)

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def needs_save_as(self) -> bool:
        """No file yet, or one we may not write (the installed sample is read-only)."""
        if self.path is None:
            return True
        folder = os.path.dirname(os.path.abspath(self.path))
        exists = os.path.exists(self.path)
        return not os.access(self.path if exists else folder, os.W_OK)

    def save(self, path: str | None = None, check_disk: bool = False) -> None:
        """Save to `path` (default: the current file); raise SaveError, changing nothing.

        With `check_disk`, raise ChangedOnDisk instead of overwriting the current file
        when someone else changed it since we read or wrote it.
        """
        target = path or self.path
        if target is None:
            raise ValueError("no file name")
        same_file = target == self.path
        expected = self.disk_hash if check_disk and same_file else None
        previous = self.briefing.updated
        self.briefing.updated = date.today().isoformat()
        try:
            # Save As copies the unchanged events from the file open until now, too.
            saved = storage.save_file(self.briefing, target, expected_hash=expected,
                                      previous=self._saved, source=self.path)
        except Exception:
            self.briefing.updated = previous
            raise
        self._watch(target)
        self._stop_checking()
        self._saved = saved
        self.disk_hash = saved.digest
        if target != self.path:
            self.path = target
            self.path_changed.emit(target)
        self.undo_stack.setClean()
        self.meta_changed.emit()

    def prepare_save(self, budget_s: float = 0.008) -> bool:
        """Check, a few ms at a time, whether the file opened is laid out exactly as we
        write it: then its first save copies the unchanged events too (~1 s of idle work
        at 100k events). True once there is nothing left to check."""
        if self._checking is None:
            return True
        deadline = time.perf_counter() + budget_s
        for found in self._checking:
            if found is not None:
                if self._saved is None and found.digest == self.disk_hash:
                    self._saved = found
                break
            if time.perf_counter() > deadline:
                return False
        self._stop_checking()
        if len(self.briefing.events) >= RELEASE_AFTER:
            release_free_memory()  # what the check's steps freed (~10 MB at 100k events)
        return True

    @property
    def save_prepared(self) -> bool:
        return self._checking is None

    @property
    def saved_layout(self) -> storage.SavedLayout | None:
        """Where each event lies in the file at `path` (None: not known): what a write
        elsewhere (the recovery file) may copy from it."""
        return self._saved

    def _stop_checking(self) -> None:
        if self._checking is not None:
            self._checking.close()  # closes the file it reads
            self._checking = None

    def disk_differs(self) -> bool:
        """The file on disk is not what we loaded or last saved."""
        if self.path is None or self.disk_hash is None:
            return False
        # None (gone, unreadable, no longer a regular file) differs from any hash too.
        self.disk_seen = storage.disk_hash(self.path)
        return self.disk_seen != self.disk_hash

    def accept_disk_version(self, digest: str | None = None) -> None:
        """The user chose to keep their version over the file as it was when asked (its hash
        `digest`): stop prompting for that state of it, and only that one."""
        if self.path is not None:
            self.disk_hash = digest or self.disk_hash
            self.mark_unsaved()

    def mark_unsaved(self) -> None:
        """Nothing on disk holds what is open (restored, imported, or kept over the file).

        QUndoStack emits cleanChanged, so modified_changed(True) follows (and the autosave).
        """
        self.undo_stack.resetClean()

    def reload(self) -> None:
        """Read the file again; raise LoadError, changing nothing, on failure.

        Unsaved changes are not dropped for good: the reload is then a step of the undo
        history ("Reload from Disk"), and Undo brings them back. Without any, the history
        goes, as on opening. `reloading` is True meanwhile: the views keep their place in
        what is the same briefing, a newer version of it (a colleague saved it, or Revert).
        """
        if self.path is None:
            return
        self.reloading = True
        try:
            if not self.is_modified:
                self.load(self.path)
                return
            briefing, digest = storage.load_with_hash(self.path)
            storage.remove_stale_temp_files(self.path)
            from .commands import ReloadFromDisk  # commands import this module

            self.undo_stack.push(ReloadFromDisk(self, briefing))
            self.disk_hash = digest
            self.undo_stack.setClean()  # what is open is the file now
            self._checking = storage.check_layout(briefing.events, self.path, digest)
        finally:
            self.reloading = False

    def swap_briefing(self, briefing: Briefing) -> Briefing:
        """Put `briefing` in the place of the open one, for the same file and with the same
        undo history (a reload, or its undo); return the one it replaces."""
        old, was = self.briefing, self.reloading
        self.reloading = True  # the views keep their place, as in reload()
        try:
            self.about_to_replace.emit()
            self.events_about_to_change.emit()
            self.briefing = briefing
            gc.freeze()  # as in set_briefing
            self._stop_checking()
            self._saved = None  # the file's layout is of other event objects
            self.events_changed.emit()
            self.meta_changed.emit()
            self.replaced.emit()
        finally:
            self.reloading = was
        return old

    def _watch(self, path: str | None) -> None:
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        if path:
            self._watch_file(path)

    def _watch_file(self, path: str) -> None:
        """The file, or while there is none (deleted, moved away, or between a tool's delete
        and its write) its folder: a file put back there is noticed like any change."""
        if os.path.exists(path):
            self._watcher.addPath(path)
            return
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(folder) and folder not in self._watcher.directories():
            self._watcher.addPath(folder)

    def _file_changed(self, path: str) -> None:
        # After an atomic replace the watcher has dropped the path: watch it again.
        if path not in self._watcher.files():
            self._watch_file(path)
        if path == self.path and self.disk_differs():
            self.changed_on_disk.emit(path)

    def _folder_changed(self, _folder: str) -> None:
        path = self.path
        if path is None or not os.path.exists(path) or path in self._watcher.files():
            return
        self._watch(path)  # the file is back: watch it, and no longer its whole folder
        if self.disk_differs():
            self.changed_on_disk.emit(path)

    # mutators used by the undo commands ----------------------------------------------------
    # One pass over the events each, whatever the number of events changed: an insert or a
    # del per event is a move of the list's tail each time, minutes for 100k at 100k.
    # `parts` (as set_parts takes them: the sources and actors pasted or made in the form
    # along with the events) change in the same step, so that the views rebuild once: one
    # set_parts before the events rebuilt every row, the index and the timeline twice
    # (~1 s more at 100k events for Add Events from File).
    def insert_events(self, items: list[tuple[int, Event]], parts: dict | None = None) -> None:
        """Put each (position, event): `position` is where it stands afterwards (the
        positions are distinct, as the commands make them)."""
        self._about_to_change()
        self._put_parts(parts)
        events = self.briefing.events
        merged: list[Event] = []
        rest = iter(events)
        for pos, event in sorted(items, key=lambda item: item[0]):
            merged.extend(islice(rest, pos - len(merged)))
            merged.append(event)
        merged.extend(rest)
        events[:] = merged
        self._events_and_parts_changed(parts)
        self.events_to_show.emit([event.id for _, event in items])

    def remove_events(self, positions: list[int],
                      parts: dict | None = None) -> list[tuple[int, Event]]:
        self._about_to_change()
        self._put_parts(parts)
        events = self.briefing.events
        gone = set(positions)
        removed = [(pos, events[pos]) for pos in sorted(gone)]
        events[:] = [e for i, e in enumerate(events) if i not in gone]
        self._events_and_parts_changed(parts)
        return removed

    def replace_events(self, items: list[tuple[int, Event]], parts: dict | None = None) -> None:
        self._about_to_change()
        self._put_parts(parts)
        for pos, event in items:
            self.briefing.events[pos] = event
        self._events_and_parts_changed(parts)
        self.events_to_show.emit([event.id for _, event in items])

    def set_parts(self, parts: dict) -> None:
        """Replace briefing-level fields: title, summary, classification, actors, sources."""
        if "actors" in parts or "sources" in parts:
            self._about_to_change()
        self._put_parts(parts)
        self.meta_changed.emit()
        if "actors" in parts or "sources" in parts:
            self.events_changed.emit()

    def _about_to_change(self) -> None:
        # The views lay the changed events out again, which at 100k events freezes every
        # object alive (model/gc_pause.py), cyclic garbage not yet collected included (a
        # closed dialog's wrappers, the closures Python-Markdown leaves after each event
        # shown): frozen, it was never freed. The briefing is frozen already (set_briefing),
        # so collecting walks only what was made since (a few ms at 100k events).
        gc.collect()
        self.events_about_to_change.emit()

    def _put_parts(self, parts: dict | None) -> None:
        for key, value in (parts or {}).items():
            setattr(self.briefing, key, list(value) if isinstance(value, list) else value)

    def _events_and_parts_changed(self, parts: dict | None) -> None:
        self.events_changed.emit()
        if parts:  # after the rows: the views read the events of the rows they show
            self.meta_changed.emit()

    def parts(self, *keys: str) -> dict:
        return {k: (list(v) if isinstance(v := getattr(self.briefing, k), list) else v)
                for k in keys}

    def positions_of(self, events: Sequence[Event]) -> list[int]:
        """Where each of these very event objects stands in the briefing (-1: gone), found
        in one pass."""
        where = {id(e): i for i, e in enumerate(self.briefing.events)}
        return [where.get(id(e), -1) for e in events]

    def position_of(self, event_id: str) -> int:
        for i, e in enumerate(self.briefing.events):
            if e.id == event_id:
                return i
        return -1

    def actors_in_use(self, actor_id: str) -> list[Event]:
        return [e for e in self.briefing.events if actor_id in e.actors]

    def sources_in_use(self, source_id: str) -> list[Event]:
        return self.briefing.events_citing(source_id)
