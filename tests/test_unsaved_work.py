"""Unsaved work survives: recovery files, reloads, forms and slow opens that race the user.

Each test here was a way to lose work (found by review): restored work left only in memory,
a reload under an open form, a failed reload marked clean, an edit made while a large file
loaded, two windows sharing one recovery file, a backup postponed by steady editing, a
recovery hidden by a reused pid.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from briefing_app.model import storage
from briefing_app.ui import dialogs, files, loader, recovery
from briefing_app.ui.briefing_dialogs import BriefingPropertiesDialog
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings


@pytest.fixture
def copy_path(tmp_path, bundled_path):
    path = tmp_path / "briefing.json"
    shutil.copy(bundled_path, path)
    return path


def open_window(qtbot, tmp_path, path, name="settings"):
    w = MainWindow(Settings(str(tmp_path / f"{name}.ini")))
    qtbot.addWidget(w)
    w.show()
    assert w.open_path(str(path))
    return w


@pytest.fixture
def window(qtbot, tmp_path, copy_path):
    w = open_window(qtbot, tmp_path, copy_path)
    yield w
    w.doc.undo_stack.setClean()  # let the window close without asking


def duplicate_first(window):
    window.select_ids([window.doc.briefing.events[0].id])
    window.actions.duplicate.trigger()


# recovery files ------------------------------------------------------------------------------

def crash(monkeypatch):
    """The recovery files stay; pretend the process that wrote them is gone."""
    monkeypatch.setattr(recovery.storage, "pid_alive", lambda pid, identity=None: False)


def edited_then_crashed(window, qtbot, tmp_path, monkeypatch):
    """An edit backed up, a crash, and a new window that will restore it: (window, the
    crashed run's recovery file)."""
    duplicate_first(window)
    assert window.autosaver.write_now()
    crash(monkeypatch)
    fresh = MainWindow(Settings(str(tmp_path / "s2.ini")))
    qtbot.addWidget(fresh)
    monkeypatch.setattr(dialogs, "ask_restore", lambda *a: True)
    return fresh, window.autosaver.data_path


def disk_full(monkeypatch):
    monkeypatch.setattr(recovery.Autosaver, "_write_data",
                        lambda self: (_ for _ in ()).throw(OSError(28, "No space left")))


def test_restored_work_is_backed_up_again_before_the_old_file_goes(window, qtbot, tmp_path,
                                                                  monkeypatch):
    fresh, old = edited_then_crashed(window, qtbot, tmp_path, monkeypatch)
    expected = storage.dumps(window.doc.briefing)
    try:
        assert fresh.files.offer_recovery()
        assert fresh.doc.is_modified and storage.dumps(fresh.doc.briefing) == expected
        # Not only in memory: this window's own recovery file holds it, the old one is gone.
        assert fresh.autosaver.data_path != old and not old.exists()
        assert fresh.autosaver.data_path.read_bytes() == expected
    finally:
        fresh.doc.undo_stack.setClean()


def test_a_restore_whose_backup_fails_keeps_the_old_recovery_file(window, qtbot, tmp_path,
                                                                 monkeypatch):
    fresh, old = edited_then_crashed(window, qtbot, tmp_path, monkeypatch)
    real = recovery.Autosaver._write_data
    disk_full(monkeypatch)
    try:
        assert fresh.files.offer_recovery()
        assert fresh.autosaver.last_error and old.exists()
        # The disk has room again: the next backup holds the work, and the old file goes.
        monkeypatch.setattr(recovery.Autosaver, "_write_data", real)
        assert fresh.autosaver.write_now() and not old.exists()
    finally:
        fresh.doc.undo_stack.setClean()


@pytest.mark.parametrize("then", ["save", "close without saving"])
def test_a_restored_recovery_file_goes_once_its_work_is_saved_or_dropped(
        window, qtbot, tmp_path, monkeypatch, then):
    fresh, old = edited_then_crashed(window, qtbot, tmp_path, monkeypatch)
    disk_full(monkeypatch)
    assert fresh.files.offer_recovery() and old.exists()  # the backup failed: kept
    if then == "save":
        assert fresh.files.save()
    else:
        assert fresh.close()  # dialog_calls answers "Discard"
    assert not old.exists() and recovery.find_recoverable() == []


def test_work_on_a_file_opened_by_a_relative_path_is_restored_to_that_file(
        qtbot, tmp_path, copy_path, monkeypatch):
    monkeypatch.chdir(copy_path.parent)
    window = open_window(qtbot, tmp_path, copy_path.name)  # briefing-app briefing.json
    duplicate_first(window)
    assert window.autosaver.write_now()
    crash(monkeypatch)
    # The next run starts elsewhere (a desktop launcher starts in the home folder), where
    # a file of the same name is someone else's.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (elsewhere / copy_path.name).write_text("not this one")
    asked = []
    monkeypatch.setattr(dialogs, "ask_restore", lambda _p, original, _t: asked.append(original)
                        or True)
    fresh = MainWindow(Settings(str(tmp_path / "s2.ini")))
    qtbot.addWidget(fresh)
    assert fresh.files.offer_recovery()
    assert asked == [str(copy_path)]
    assert fresh.path == str(copy_path)
    window.doc.undo_stack.setClean()
    fresh.doc.undo_stack.setClean()


def test_a_failed_backup_is_tried_again(window, qtbot, monkeypatch):
    window.autosaver.timer.setInterval(50)
    real = recovery.Autosaver._write_data
    failures = [OSError(28, "No space left on device")]

    def flaky(saver):
        if failures:
            raise failures.pop()
        return real(saver)

    monkeypatch.setattr(recovery.Autosaver, "_write_data", flaky)
    duplicate_first(window)  # one change, and no more
    qtbot.wait_until(window.autosaver.data_path.exists, timeout=5000)
    assert not failures and window.autosaver.last_error is None


def test_work_marked_unsaved_without_a_command_is_backed_up(window, qtbot):
    """Kept over a changed file (or imported, or restored): no undo command, still unsaved."""
    window.autosaver.timer.setInterval(50)
    window.doc.accept_disk_version()
    assert window.doc.is_modified
    qtbot.wait_until(window.autosaver.data_path.exists, timeout=5000)


def test_steady_editing_does_not_put_off_the_backup(window, qtbot):
    window.autosaver.timer.setInterval(300)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and not window.autosaver.data_path.exists():
        duplicate_first(window)  # a change every 100 ms, each under the interval
        qtbot.wait(100)
    assert window.autosaver.data_path.exists()


def test_two_windows_on_one_file_keep_their_own_recovery_files(qtbot, tmp_path, copy_path):
    a = open_window(qtbot, tmp_path, copy_path, "a")
    b = open_window(qtbot, tmp_path, copy_path, "b")
    try:
        duplicate_first(a)
        assert a.autosaver.write_now()
        b.select_ids([b.doc.briefing.events[5].id])
        b.actions.delete.trigger()
        assert b.autosaver.write_now()
        b_work = storage.dumps(b.doc.briefing)
        assert a.autosaver.data_path != b.autosaver.data_path
        assert a.files.save()  # A's save drops A's backup only
        assert not a.autosaver.data_path.exists()
        assert b.autosaver.data_path.read_bytes() == b_work
    finally:
        for w in (a, b):
            w.doc.undo_stack.setClean()


def test_recovery_is_offered_when_its_pid_now_belongs_to_another_program(briefing):
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        storage.save(briefing, folder / "abc.json")
        meta = {"path": "/home/me/b.json", "saved_at": "2024-01-01T00:00:00", "pid": other.pid}

        def offered(identity):
            (folder / "abc.meta.json").write_text(json.dumps({**meta, "process": identity}))
            return [f.original for f in recovery.find_recoverable()]

        if storage.process_identity(other.pid) is None:
            pytest.skip("no /proc here to tell one process from another with the same pid")
        # Written by that very process: it is still at work, not ours to offer.
        assert offered(storage.process_identity(other.pid)) == []
        # Written by a process that had the same pid before a reboot or long ago.
        assert offered("another-boot:12345") == ["/home/me/b.json"]
    finally:
        other.kill()
        other.wait()


DAMAGED_META = {  # what the metadata holds -> the original path offered (None: untitled)
    "pid too large for a pid_t": ({"pid": 10 ** 21, "path": "/home/me/b.json"},
                                  "/home/me/b.json"),
    "pid not a number": ({"pid": "12", "path": "/home/me/b.json"}, "/home/me/b.json"),
    "path not text": ({"pid": 0, "path": 5, "saved_at": ["x"]}, None),
    "path with a lone surrogate": ({"path": "/home/me/b\ud800.json"}, None),
    "path with a NUL": ({"path": "/home/me/b\u0000.json"}, None),
    # The rest hid the work for good: no metadata to read, the work is still offered.
    "a list": ([1, 2], None),
    "nested too deeply": ("[" * 100_000, None),
    "a named pipe": (os.mkfifo, None),
    "not JSON": ("{'pid':", None),
    "missing (a crash between the data and its metadata)": (lambda path: None, None),
}


@pytest.mark.parametrize("case", list(DAMAGED_META))
def test_damaged_recovery_metadata_neither_crashes_nor_hangs_the_start(case, briefing):
    """The metadata is a file on disk like any other: damaged, it may hide nothing from
    the user and stop nothing; at worst the work is offered as an untitled briefing."""
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    storage.save(briefing, folder / "abc.json")
    meta, expected = DAMAGED_META[case]
    target = folder / "abc.meta.json"
    if callable(meta):
        meta(target)
    else:
        target.write_text(meta if isinstance(meta, str) else json.dumps(meta))
    found = recovery.find_recoverable()
    assert [(f.original, type(f.saved_at)) for f in found] == [(expected, str)]
    assert found[0].data_path == folder / "abc.json"


# reloads --------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["deleted", "cut short"])
def test_a_reload_that_fails_leaves_the_briefing_unsaved(window, copy_path, monkeypatch,
                                                        dialog_calls, damage):
    if damage == "deleted":
        os.unlink(copy_path)
    else:
        copy_path.write_bytes(copy_path.read_bytes()[:1000])
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: True)
    window.files.changed_on_disk(str(copy_path))
    # A deleted file is not offered for reloading: the box says it is gone.
    expected = "show_error" if damage == "deleted" else "show_load_error"
    assert [name for name, _ in dialog_calls] == [expected]
    # The file no longer holds it: closing the window must ask, and it is backed up.
    assert window.doc.is_modified and window.autosaver.timer.isActive()


@pytest.mark.parametrize("answer", ["reload", "keep"])
def test_a_version_written_while_the_question_is_open_is_not_saved_over_unasked(
        window, copy_path, monkeypatch, dialog_calls, answer):
    theirs = storage.load(copy_path)
    theirs.title = "Finished by a colleague"
    complete = storage.dumps(theirs)
    copy_path.write_bytes(complete[:1000])  # an in-place write, noticed half done
    assert window.doc.disk_differs()

    def rest_written(answer):
        def box(*_args, **_kwargs):
            copy_path.write_bytes(complete)  # while the user reads the box
            return answer
        return box
    if answer == "reload":  # too soon: the half file fails to load
        monkeypatch.setattr(dialogs, "ask_reload", lambda *a: True)
        monkeypatch.setattr(dialogs, "show_load_error", rest_written(None))
    else:
        monkeypatch.setattr(dialogs, "ask_reload", rest_written(False))
    window.files.changed_on_disk(str(copy_path))
    assert window.doc.briefing.title != theirs.title  # half a file: nothing reloaded
    # Nobody saw the finished version: it is news, and saving over it asks.
    assert window.doc.disk_differs()
    assert not window.files.save()
    assert [name for name, _ in dialog_calls][-1] == "ask_overwrite_changed"
    assert copy_path.read_bytes() == complete


def test_a_change_on_disk_waits_for_the_open_form(window, answer_form, qtbot, copy_path,
                                                  monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: asked.append(a) or False)
    edited = window.doc.briefing.events[0]
    theirs = storage.load(copy_path)
    theirs.events = theirs.events[1:]

    def meanwhile(form):
        storage.save(theirs, copy_path)  # another program, while the form is open
        window.doc._file_changed(str(copy_path))  # what the watcher calls
        form.title.setText("My edit")

    window.select_ids([edited.id])
    answer_form(meanwhile)
    window.actions.edit_event.trigger()
    assert asked == []  # not while the form was open
    assert window.doc.briefing.events[0].title == "My edit"
    qtbot.wait_until(lambda: len(asked) == 1, timeout=5000)  # once it is closed
    assert window.doc.is_modified


def test_changes_on_disk_under_a_dialog_wait_without_reading_the_file(window, qtbot,
                                                                    monkeypatch):
    asked, hashed = [], []
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: asked.append(a) or False)
    real = storage.disk_hash
    monkeypatch.setattr(storage, "disk_hash", lambda p: hashed.append(p) or real(p))
    theirs = storage.load(window.path)
    theirs.title = "Changed by a colleague"
    storage.save(theirs, window.path)
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    for _ in range(5):  # the watcher, as the other program writes on
        window.files.changed_on_disk(window.path)
    qtbot.wait(3 * files.REASK_MS)
    # At most the watcher's own look at the change: no re-reading every 0.5 s.
    assert len(hashed) <= 1 and asked == []
    dialog.close()
    qtbot.wait_until(lambda: len(asked) == 1, timeout=5000)
    qtbot.wait(2 * files.REASK_MS)
    assert len(asked) == 1  # once, not once per change


def test_a_form_outliving_its_briefing_adds_to_the_one_open_now(window, answer_form, qtbot,
                                                                copy_path):
    """Another briefing opened under the form (a slow open finishing): the typing lands
    there with a fresh id and the actors and sources it names, and the result loads."""
    doc = window.doc
    edited = next(e for e in doc.briefing.events if e.actors and e.quotes)
    other = storage.load(copy_path)
    other.events = [replace(e, id=edited.id + "-x") if e.id == edited.id else e
                    for e in other.events if e.id != edited.id][:3]
    other.events.append(replace(other.events[0], id="added"))
    other.actors, other.sources = [], []
    for e in other.events:
        e.actors.clear()
        e.quotes.clear()

    def meanwhile(form):
        doc.set_briefing(other, str(copy_path), None)
        form.title.setText("My edit")

    window.select_ids([edited.id])
    answer_form(meanwhile)
    window.actions.edit_event.trigger()
    assert doc.briefing is other and len(other.events) == 5
    mine = other.events[-1]
    assert mine.title == "My edit" and mine.id == edited.id
    assert {a.id for a in other.actors} == set(mine.actors)
    assert {s.id for s in other.sources} == {q.source for q in mine.quotes}
    storage.loads(storage.dumps(other).decode())  # no unknown actor, source or double id

    def new_one(form):
        doc.set_briefing(storage.load(copy_path), str(copy_path), None)
        form.title.setText(doc.briefing.events[0].title)  # the same title: the same slug
        form.date.edit.setText("2024-05-01")

    first_id = doc.briefing.events[0].id
    answer_form(new_one)
    window.actions.new_event.trigger()
    ids = [e.id for e in doc.briefing.events]
    assert len(ids) == len(set(ids)) and ids[-1] != first_id
    storage.loads(storage.dumps(doc.briefing).decode())


# slow opens -------------------------------------------------------------------------------------

def test_an_edit_made_while_a_large_file_loads_is_not_dropped_silently(
        window, qtbot, tmp_path, bundled_path, monkeypatch, dialog_calls):
    second = tmp_path / "second.json"
    shutil.copy(bundled_path, second)
    monkeypatch.setattr(loader, "ASYNC_BYTES", 0)  # load it on the worker thread
    started = []
    real = loader.read_briefing

    def slow(path):
        started.append(path)
        time.sleep(0.2)
        return real(path)

    monkeypatch.setattr(loader, "read_briefing", slow)
    monkeypatch.setattr(dialogs, "ask_save_changes",
                        lambda *a: dialog_calls.append(("ask_save_changes", a))
                        or QMessageBox.StandardButton.Cancel)
    assert window.open_path(str(second)) and window.files.loader.busy
    duplicate_first(window)
    edited = storage.dumps(window.doc.briefing)
    qtbot.wait_until(lambda: not window.files.loader.busy, timeout=5000)
    assert started and [n for n, _ in dialog_calls] == ["ask_save_changes"]
    assert storage.dumps(window.doc.briefing) == edited  # Cancel kept the edit


# no-op edits --------------------------------------------------------------------------------------

def test_ok_on_untouched_forms_changes_nothing(window, answer_form, copy_path, qtbot):
    before = storage.dumps(window.doc.briefing)
    for event in list(window.doc.briefing.events):
        window.select_ids([event.id])
        answer_form(lambda form: None)
        window.actions.edit_event.trigger()
    assert storage.dumps(window.doc.briefing) == before
    assert not window.doc.is_modified and window.doc.undo_stack.count() == 0


def test_properties_keep_an_untouched_title_that_ends_in_a_space(qtbot, briefing):
    briefing.title = "Callao "
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    assert dialog.changes() == {}
    dialog.title.setText(" Chancay ")
    assert dialog.changes() == {"title": "Chancay"}
    briefing.title = "Callao"
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    dialog.title.setText("Callao ")  # typed, but only blank space
    assert dialog.changes() == {}


def test_saving_restored_work_over_a_file_changed_since_the_crash_asks(
        window, qtbot, tmp_path, copy_path, monkeypatch, dialog_calls):
    fresh, _ = edited_then_crashed(window, qtbot, tmp_path, monkeypatch)
    theirs = storage.load(copy_path)
    theirs.title = "Pulled from git after the crash"
    storage.save(theirs, copy_path)
    try:
        assert fresh.files.offer_recovery() and fresh.path == str(copy_path)
        assert not fresh.files.save()  # asked, and the answer was no
        assert [n for n, _ in dialog_calls] == ["ask_overwrite_changed"]
        assert storage.load(copy_path).title == "Pulled from git after the crash"
    finally:
        fresh.doc.undo_stack.setClean()


def test_a_slow_open_waits_for_the_save_as_dialog_of_the_briefing_open_now(
        window, qtbot, tmp_path, copy_path, bundled_path, monkeypatch):
    """Save As chosen while a large file loads: the file chosen gets the briefing the
    dialog was opened for, not the one that arrived meanwhile (which once overwrote it)."""
    other = storage.load(bundled_path)
    other.title, other.events = "Another briefing", other.events[:2]
    second = tmp_path / "second.json"
    storage.save(other, second)
    monkeypatch.setattr(loader, "ASYNC_BYTES", 0)  # load it on the worker thread
    real = loader.read_briefing
    monkeypatch.setattr(loader, "read_briefing", lambda path: (time.sleep(0.2), real(path))[1])
    assert window.open_path(str(second)) and window.files.loader.busy

    def save_as_dialog(parent, start):
        dialog = QDialog(parent)  # modal, open until the load is over

        def poll():
            if window.files.loader.busy:
                QTimer.singleShot(20, poll)
            else:
                QTimer.singleShot(50, dialog.accept)  # the result has come by now
        QTimer.singleShot(20, poll)
        dialog.exec()
        return start  # the dialog proposes the file open now; the user confirms

    monkeypatch.setattr(files, "ask_save_path", save_as_dialog)
    assert window.files.save_as()
    assert storage.load(copy_path).title == storage.load(bundled_path).title
    assert len(storage.load(copy_path).events) == len(storage.load(bundled_path).events)
    # The briefing asked for arrives once the dialog is closed.
    qtbot.wait_until(lambda: window.doc.path == str(second), timeout=5000)
    assert window.doc.briefing.title == "Another briefing" and not window.doc.is_modified


# a window still running ----------------------------------------------------------------

LIVE_WRITER = r"""
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
    child = subprocess.Popen([sys.executable, "-c", LIVE_WRITER, str(bundled_path)],
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
