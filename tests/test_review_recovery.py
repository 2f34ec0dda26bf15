"""Recovery files of a window that is still running are never offered to another one."""

import os
import subprocess
import sys
import time

from briefing_app.ui import dialogs, recovery
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings

CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from briefing_app.model import storage
from briefing_app.ui import recovery
from briefing_app.ui.document import Document
doc = Document()
doc.load(sys.argv[1])
doc.mark_unsaved()
saver = recovery.Autosaver(doc)
real_data, real_atomic = recovery.Autosaver._write_data, storage.write_atomic
def between(result):
    # One of the window's two recovery files is on disk, the other not yet (a slow
    # fsync, a full disk): the window is alive, its backup its work's only copy on disk.
    print(saver.data_path, flush=True)
    time.sleep(60)
    return result
recovery.Autosaver._write_data = lambda self: between(real_data(self))
storage.write_atomic = lambda *a, **k: between(real_atomic(*a, **k))
saver.write_now()
"""


def test_a_running_windows_first_backup_is_not_offered_nor_deleted(qtbot, tmp_path,
                                                                   bundled_path, monkeypatch):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(bundled_path)],
                             stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        line = child.stdout.readline().strip()
        assert line, "the child wrote no backup"
        assert child.poll() is None  # the writer is still running
        folder = recovery.recovery_dir()
        on_disk = sorted(folder.iterdir())
        assert recovery.find_recoverable() == []
        # A window starting now, whose user declines what it is offered, deletes nothing.
        fresh = MainWindow(Settings(str(tmp_path / "s.ini")))
        qtbot.addWidget(fresh)
        monkeypatch.setattr(dialogs, "ask_restore", lambda *a: False)
        fresh.files.offer_recovery()
        assert sorted(folder.iterdir()) == on_disk
    finally:
        child.kill()
        child.wait()


def test_restored_work_whose_new_backup_half_failed_is_offered_once(qtbot, tmp_path,
                                                                      bundled_path,
                                                                      monkeypatch):
    """A restore backs the work up again, then deletes the old file: when the new backup
    stops half-way (a full disk, then a crash), the work is offered once, not twice."""
    from briefing_app.model import storage

    first = MainWindow(Settings(str(tmp_path / "a.ini")))
    qtbot.addWidget(first)
    assert first.open_path(str(bundled_path))
    first.select_ids([first.doc.briefing.events[0].id])
    first.actions.duplicate.trigger()
    assert first.autosaver.write_now()
    monkeypatch.setattr(recovery.Autosaver, "discard", lambda self: None)
    first.doc.undo_stack.setClean()  # "crashed": its file stays
    first.autosaver.timer.stop()
    monkeypatch.setattr(recovery.storage, "pid_alive", lambda pid, identity=None: False)
    monkeypatch.setattr(os, "getpid", lambda: 4_000_000)  # "another run"

    real = storage.write_atomic

    def full_disk(path, *args, **kwargs):
        if str(path).endswith(".meta.json"):
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(storage, "write_atomic", full_disk)
    fresh = MainWindow(Settings(str(tmp_path / "b.ini")))
    qtbot.addWidget(fresh)
    monkeypatch.setattr(dialogs, "ask_restore", lambda *a: True)
    assert fresh.files.offer_recovery() and fresh.autosaver.last_error
    fresh.autosaver.timer.stop()
    # fresh crashes here; the next start offers what is on disk.
    found = recovery.find_recoverable()
    fresh.doc.undo_stack.setClean()
    assert len(found) == 1, found
