"""File commands: open, new, save, save as, revert; asking before anything unsaved is lost."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import paths
from ..model import storage
from ..model.errors import ChangedOnDisk, LoadError, SaveError
from ..model.ids import slugify
from . import dialogs
from .document import Document
from .loader import Loader
from .recovery import Recoverable, find_recoverable
from .settings import Settings

FILTER = "Briefings (*.json);;All files (*)"
REASK_MS = 500  # how often a change on disk is looked at again while a dialog is open


def ask_save_path(parent: QWidget, start: str) -> str | None:
    """The Save As dialog (tests replace this)."""
    from PySide6.QtWidgets import QFileDialog  # not needed before the first frame

    path, _ = QFileDialog.getSaveFileName(parent, "Save briefing as", start, FILTER)
    if path and not os.path.splitext(path)[1]:
        path += ".json"
    return path or None


def ask_open_path(parent: QWidget, start: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, "Open briefing", start, FILTER)
    return path or None


class Files:
    def __init__(self, parent: QWidget, doc: Document, settings: Settings) -> None:
        self.parent = parent
        self.doc = doc
        self.settings = settings
        self.loader = Loader(parent)
        # Takes over a restored recovery file: the window wires in its autosaver, which
        # backs the work up at once and drops the old file once its own holds the work.
        self.take_over: Callable[[Recoverable], None] = Recoverable.discard
        self._reask_pending = False  # a change on disk waits for a dialog to close
        self._opening = False  # a loaded briefing waits for a dialog to close

    def _folder(self) -> str:
        return os.path.dirname(self.doc.path) if self.doc.path else os.path.expanduser("~")

    # opening -------------------------------------------------------------------------------
    def choose_and_open(self) -> bool:
        if not self.maybe_save():
            return False
        path = ask_open_path(self.parent, self._folder())
        return self.open(path, ask=False) if path else False

    def open(self, path: str, ask: bool = True) -> bool:
        """Load `path`; on failure show every problem and keep the current briefing.

        A large file loads on a worker thread: then this returns True at once and the
        briefing appears when it is ready (or the problems are shown).
        """
        if self.loader.busy or self._opening or (ask and not self.maybe_save()):
            return False
        outcome: list[bool] = []
        generation = self.doc.generation
        threaded = False

        def done(briefing, error: LoadError | None, digest: str | None) -> None:
            if error is not None:
                if not os.path.lexists(path):
                    # Deleted or moved meanwhile: Open Recent no longer offers it (it
                    # stayed there, failing the same way at every try).
                    self.settings.remove_recent_file(path)
                dialogs.show_load_error(self.parent, path, error.problems)
                outcome.append(False)
                return
            if threaded and QApplication.activeModalWidget() is not None:
                # A dialog opened while the file loaded works on the briefing open now
                # (Save As would write the new one under the name chosen for this one):
                # the new briefing comes once it is closed, as a change on disk does.
                self._opening = True
                QTimer.singleShot(REASK_MS, self.parent,
                                  lambda: done(briefing, None, digest))
                return
            self._opening = False
            # The window stays usable while a large file loads: what was done meanwhile
            # is not dropped without asking.
            if self.doc.generation != generation and not self.maybe_save():
                outcome.append(False)
                return
            storage.remove_stale_temp_files(path)
            self.doc.set_briefing(briefing, path, digest)
            self.settings.add_recent_file(path)
            outcome.append(True)

        self.loader.load(path, done)
        threaded = not outcome  # done() not called yet: it comes from the worker
        return outcome[0] if outcome else True

    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.doc.new()
        return True

    def revert(self) -> bool:
        if self.doc.path is None or not self.doc.is_modified:
            return False
        if not dialogs.confirm_discard(self.parent, "all changes since the last save"):
            return False
        try:
            self.doc.reload()
        except LoadError as exc:
            dialogs.show_load_error(self.parent, self.doc.path, exc.problems, reloading=True)
            return False
        return True

    # saving --------------------------------------------------------------------------------
    def is_bundled(self) -> bool:
        return self.doc.path is not None and os.path.abspath(self.doc.path) == os.path.abspath(
            paths.bundled_briefing())

    def save(self) -> bool:
        # The bundled sample is a template: keep it pristine and ask where to save.
        if self.is_bundled():
            return self.save_as()
        if self.doc.needs_save_as():
            if self.doc.path is not None:
                # Made read-only since it was opened (or its folder): a Save As dialog
                # opening unexplained on Ctrl+S looked like a slip of the keys.
                name = os.path.basename(self.doc.path)
                folder = os.path.dirname(os.path.abspath(self.doc.path))
                why = ("its folder is gone" if not os.path.isdir(folder)
                       else "the file, or its folder, is read-only")
                dialogs.show_error(self.parent, "Cannot save here",
                                   f"“{name}” cannot be written: {why}. Choose another "
                                   "name or folder for your changes.")
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        if self.doc.path and not self.is_bundled():
            start = self.doc.path
        else:  # a name from the title, not "briefing.json" for every new one
            start = os.path.join(os.path.expanduser("~"),
                                 slugify(self.doc.briefing.title, "briefing") + ".json")
        path = ask_save_path(self.parent, start)
        return self._save_to(path) if path else False

    def _save_to(self, path: str | None) -> bool:
        if path is None:
            return False
        try:
            try:
                self.doc.save(path, check_disk=True)
            except ChangedOnDisk:
                if not dialogs.ask_overwrite_changed(self.parent, os.path.basename(path)):
                    return False
                self.doc.save(path)
        except SaveError as exc:
            dialogs.show_error(self.parent, "Could not save",
                               f"{exc}\n\nYour changes are still open in Briefing; "
                               "try Save As to put them somewhere else.")
            return False
        self.settings.add_recent_file(path)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current briefing (saved, discarded or clean)."""
        if not self.doc.is_modified:
            return True
        name = os.path.basename(self.doc.path) if self.doc.path else "Untitled briefing"
        answer = dialogs.ask_save_changes(self.parent, name)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # other programs and crashes ---------------------------------------------------------------
    def changed_on_disk(self, path: str) -> None:
        """Offer to reload; keeping our version leaves the edits and stops asking."""
        if QApplication.activeModalWidget() is not None:
            # The event form (or any dialog) is open on the briefing as it is: ask once it
            # is closed, so that what it applies lands where it was made. One wait however
            # often the file changes meanwhile, and no hashing until then (216 MB at 100k).
            if not self._reask_pending:
                self._reask_pending = True
                QTimer.singleShot(REASK_MS, self.parent, lambda: self._still_changed(path))
            return
        # The file as the question is about it: read again once answered, it may be a
        # version written meanwhile (the rest of an in-place write) that nobody was shown,
        # and the next save would replace it without asking.
        seen = self.doc.disk_seen
        if not os.path.exists(path):
            # Deleted or moved away: "Reload it from disk?" offered what could only fail.
            dialogs.show_file_gone(self.parent, os.path.basename(path))
        elif dialogs.ask_reload(self.parent, os.path.basename(path), self.doc.is_modified):
            try:
                self.doc.reload()
                return
            except LoadError as exc:
                dialogs.show_load_error(self.parent, path, exc.problems, reloading=True)
        # Kept, gone, or the reload failed: the file no longer holds what is open, so the
        # briefing counts as unsaved (closing the window asks) and is backed up.
        self.doc.accept_disk_version(seen)

    def _still_changed(self, path: str) -> None:
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(REASK_MS, self.parent, lambda: self._still_changed(path))
            return
        self._reask_pending = False
        if path == self.doc.path and self.doc.disk_differs():
            self.changed_on_disk(path)

    def offer_recovery(self) -> bool:
        """After a crash: offer each recovery file; restoring marks the briefing modified."""
        for item in find_recoverable():
            if not dialogs.ask_restore(self.parent, item.original, item.saved_at):
                item.discard()
                continue
            return self._restore(item)
        return False

    def _restore(self, item: Recoverable) -> bool:
        try:
            self.doc.load(str(item.data_path))
        except LoadError as exc:
            dialogs.show_load_error(self.parent, str(item.data_path), exc.problems)
            return False
        # Its file as it was when the work was backed up: saving over a later version of
        # it (a colleague's, a `git pull` since the crash) asks first.
        self.doc.adopt_file(item.original, item.disk_hash)
        self.doc.mark_unsaved()  # nothing on disk holds this yet
        # Not item.discard(): until this window's own recovery file holds the work, the
        # old one is its only copy besides memory.
        self.take_over(item)
        return True
