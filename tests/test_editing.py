"""Editing: undo/redo of every command, saving, failing saves, recovery, changes on disk."""

import dataclasses
import errno
import gc
import json
import os
import random
import shutil
import weakref

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.model import storage
from briefing_app.ui import dialogs, editing, files, recovery
from briefing_app.ui.event_form import EventForm
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings


@pytest.fixture
def copy_path(tmp_path, bundled_path):
    path = tmp_path / "briefing.json"
    shutil.copy(bundled_path, path)
    return path


@pytest.fixture
def window(qtbot, tmp_path, copy_path):
    w = MainWindow(Settings(str(tmp_path / "settings.ini")))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    assert w.open_path(str(copy_path))
    yield w
    w.doc.undo_stack.setClean()  # let the window close without asking


def dump(window):
    return storage.dumps(window.doc.briefing)


def select(window, *event_ids):
    window.select_ids(list(event_ids))


def test_every_command_undoes_and_redoes_exactly(window, answer_form, qtbot, monkeypatch):
    doc = window.doc
    states = [dump(window)]
    ids = [e.id for e in doc.briefing.events]

    select(window, ids[0])
    window.actions.duplicate.trigger()
    states.append(dump(window))

    select(window, ids[1], ids[2])
    window.actions.delete.trigger()
    states.append(dump(window))

    select(window, ids[3], ids[4])
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: "needs-review")
    window.actions.add_tag.trigger()
    states.append(dump(window))
    window.actions.remove_tag.trigger()
    states.append(dump(window))

    used = {a for e in window.selected_events() for a in e.actors}
    outsider = next(a for a in doc.briefing.actors if a.id not in used)
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: outsider.name)
    window.actions.add_actor.trigger()
    states.append(dump(window))
    window.actions.remove_actor.trigger()
    states.append(dump(window))

    select(window, ids[5])
    answer_form(lambda f: f.title.setText("Edited title"))
    window.actions.edit_event.trigger()
    states.append(dump(window))
    assert window.actions.undo.text() == "&Undo Edit 'Edited title'"

    answer_form(lambda f: (f.title.setText("A new event"), f.date.edit.setText("2021-03-04")))
    window.actions.new_event.trigger()
    states.append(dump(window))

    select(window, ids[6])
    window.actions.cut.trigger()
    states.append(dump(window))
    window.actions.paste.trigger()
    states.append(dump(window))

    assert [i for i, (a, b) in enumerate(zip(states, states[1:], strict=False)) if a == b] == []
    for expected in reversed(states[:-1]):
        doc.undo_stack.undo()
        assert dump(window) == expected
    assert not window.isWindowModified()
    for expected in states[1:]:
        doc.undo_stack.redo()
        assert dump(window) == expected
    assert window.isWindowModified()


def test_each_save_after_each_command_writes_the_whole_briefing(window, answer_form, qtbot,
                                                                monkeypatch, copy_path):
    """A save copies the bytes of the events it wrote last time and that are still the same
    objects (model/saved_layout.py): no command may change an event in place."""
    doc = window.doc
    ids = [e.id for e in doc.briefing.events]
    copied = []
    real_take = storage.OldFile.take
    monkeypatch.setattr(storage.OldFile, "take",
                        lambda self, lo, hi: copied.append(hi - lo) or real_take(self, lo, hi))

    def save_and_check():
        assert window.files.save()
        assert copy_path.read_bytes() == dump(window)
        assert doc.disk_hash == storage.content_hash(copy_path.read_bytes())

    save_and_check()
    select(window, ids[0])
    window.actions.duplicate.trigger()
    save_and_check()
    select(window, ids[1], ids[2])
    window.actions.delete.trigger()
    save_and_check()
    select(window, ids[3], ids[4])
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: "needs-review")
    window.actions.add_tag.trigger()
    save_and_check()
    window.actions.remove_tag.trigger()
    save_and_check()
    outsider = next(a for a in doc.briefing.actors
                    if a.id not in {x for e in window.selected_events() for x in e.actors})
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: outsider.name)
    window.actions.add_actor.trigger()
    save_and_check()
    select(window, ids[5])
    answer_form(lambda f: (f.notes.setPlainText("New notes."), f.tags.setText("x, y")))
    window.actions.edit_event.trigger()
    save_and_check()
    select(window, ids[6])
    window.actions.cut.trigger()
    save_and_check()
    window.actions.paste.trigger()
    save_and_check()
    for _ in range(4):
        doc.undo_stack.undo()
        save_and_check()
    for _ in range(2):
        doc.undo_stack.redo()
        save_and_check()
    assert sum(copied) > 0  # the later saves did copy


@pytest.mark.parametrize("how", ["save", "save as"])
def test_the_first_save_after_opening_copies_what_idle_time_checked(window, answer_form, qtbot,
                                                                   monkeypatch, tmp_path,
                                                                   copy_path, how, encoded_ids):
    doc = window.doc
    qtbot.waitUntil(lambda: doc.save_prepared, timeout=5000)  # idle time checked the file
    encoded = encoded_ids()
    select(window, doc.briefing.events[2].id)
    answer_form(lambda f: f.title.setText("Edited title"))
    window.actions.edit_event.trigger()
    before, target = copy_path.read_bytes(), copy_path
    if how == "save as":  # copies from the file open until now
        target = tmp_path / "copy.json"
        monkeypatch.setattr(files, "ask_save_path", lambda *a: str(target))
    assert window.files.save() if how == "save" else window.files.save_as()
    assert encoded == [doc.briefing.events[2].id]
    assert target.read_bytes() == dump(window) and doc.path == str(target)
    if how == "save as":
        assert copy_path.read_bytes() == before


def test_after_checking_a_large_file_freed_memory_goes_back(window, qtbot, monkeypatch):
    from briefing_app.ui import document

    released = []
    monkeypatch.setattr(document, "RELEASE_AFTER", 10)
    monkeypatch.setattr(document, "release_free_memory", lambda: released.append(1))
    window.doc.load(window.doc.path)  # checked again from the start
    assert not window.doc.save_prepared
    window._prepare_timer.start()
    qtbot.waitUntil(lambda: window.doc.save_prepared, timeout=5000)
    assert released == [1]


def test_removing_and_inserting_many_events_matches_one_at_a_time(window):
    rng = random.Random(7)
    doc = window.doc
    for _ in range(30):
        events = list(doc.briefing.events)
        gone = rng.sample(range(len(events)), rng.randint(1, len(events) - 1))
        removed = doc.remove_events(gone)
        expected = [e for i, e in enumerate(events) if i not in set(gone)]
        assert doc.briefing.events == expected
        doc.insert_events(rng.sample(removed, len(removed)))  # in any order
        assert doc.briefing.events == events
        # Where each stands afterwards: distinct, as the commands make them.
        copies = list(zip(rng.sample(range(len(events) + 3), 3), events[:3], strict=True))
        naive = list(events)
        for pos, event in sorted(copies, key=lambda item: item[0]):
            naive.insert(pos, event)
        doc.insert_events(copies)
        assert doc.briefing.events == naive
        doc.remove_events([pos for pos, _ in sorted(copies, key=lambda item: item[0])])
        assert doc.briefing.events == events


def test_keys_that_edit_the_search_text_do_not_edit_the_briefing(window, qtbot):
    window.select_row(0)
    count = len(window.doc.briefing.events)
    search = window.filter_bar.search
    window.focus_search()
    qtbot.keyClicks(search, "callao")
    qtbot.keyClick(search, Qt.Key.Key_Home)
    for key in (Qt.Key.Key_D, Qt.Key.Key_E):  # X11: delete the next character, go to the end
        qtbot.keyClick(search, key, Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.briefing.events) == count and window.doc.undo_stack.count() == 0
    if QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_D).matches(
            QKeySequence(QKeySequence.StandardKey.Delete)) is QKeySequence.SequenceMatch.ExactMatch:
        assert search.text() == "allao"


def test_delete_key_and_ctrl_d_do_not_collide(window):
    keys = {a.text(): [k.toString() for k in a.shortcuts()]
            for a in (window.actions.delete, window.actions.duplicate)}
    assert keys == {"&Delete": ["Del"], "Dupl&icate": ["Ctrl+D"]}


@pytest.mark.parametrize("row", [3, "last"])
def test_deleting_the_current_event_shows_the_one_in_its_row(window, row):
    listed = [window.model.event_at(r) for r in range(window.model.rowCount())]
    row = len(listed) - 1 if row == "last" else row
    window.select_row(row)
    window.actions.delete.trigger()
    after = listed[row + 1] if row + 1 < len(listed) else listed[row - 1]
    assert window.current_event() is after
    assert window.detail._event is after  # not the deleted one, still on show
    assert window.actions.edit_event.isEnabled() and window.actions.delete.isEnabled()
    window.actions.delete.trigger()  # and again: the keyboard goes on deleting
    assert window.current_event() is not None
    window.doc.undo_stack.undo()
    window.doc.undo_stack.undo()
    assert window.current_event() is listed[row]  # Undo brings it back, selected
    assert window.detail._event is listed[row]


def test_deleting_a_block_selected_downwards_shows_the_event_after_it(window):
    after_block = window.model.event_at(6)
    flags = QItemSelectionModel.SelectionFlag
    window.select_row(3)
    for row in (4, 5):  # Shift+Down twice: the current row ends at the bottom
        window.selection.setCurrentIndex(window.model.index(row, 0), flags.Select | flags.Rows)
    assert len(window.selected_events()) == 3
    window.actions.delete.trigger()
    assert window.current_event() is after_block


def test_an_event_edited_out_of_the_filter_is_not_swapped_for_another(window, qtbot,
                                                                      answer_form):
    window.filter_bar.search.setText("chancay")
    window.filter_bar.emit_query()
    qtbot.wait_until(lambda: window.model.rowCount() < len(window.doc.briefing.events))
    event = window.model.event_at(0)
    window.select_row(0)
    answer_form(lambda form: (form.title.setText("Renamed"), form.notes.setPlainText("x"),
                              form.tags.setText("other"), form.quotes.table.setRowCount(0)))
    window.actions.edit_event.trigger()
    qtbot.wait_until(lambda: window.model.row_of_id(event.id) < 0)
    assert window.current_event() is None
    qtbot.wait_until(lambda: window.detail._event is None)  # the summary, not a stale event


def test_paste_into_another_briefing_brings_its_sources(window, qtbot, tmp_path):
    event = window.doc.briefing.event("dsca-notifies-congress")
    select(window, event.id)
    window.actions.copy.trigger()
    text = QApplication.clipboard().text()  # what a text editor gets
    assert "DSCA notifies" in text
    source = window.doc.briefing.source(event.quotes[0].source)
    assert f"“{event.quotes[0].text}” — " in text and source.title in text  # cited
    window.files.new()
    window.actions.paste.trigger()
    pasted = window.doc.briefing.events
    assert [e.title for e in pasted] == [event.title]
    cited = {q.source for q in pasted[0].quotes}
    assert cited <= {s.id for s in window.doc.briefing.sources}
    assert set(pasted[0].actors) <= {a.id for a in window.doc.briefing.actors}
    window.doc.undo_stack.setClean()


def test_events_pasted_with_their_sources_are_one_change_of_the_views(window):
    """Undo, redo and paste each rebuild the rows, the index and the timeline once, the
    sources and actors pasted along included (twice was ~1 s more at 100k events)."""
    event = window.doc.briefing.event("dsca-notifies-congress")
    select(window, event.id)
    window.actions.copy.trigger()
    window.files.new()
    rebuilt, described = [], []
    window.doc.events_changed.connect(lambda: rebuilt.append(len(window.doc.briefing.events)))
    window.doc.meta_changed.connect(lambda: described.append(len(window.doc.briefing.sources)))
    window.actions.paste.trigger()
    cited = len(window.doc.briefing.sources)
    assert cited > 0 and rebuilt == [1] and described == [cited]
    window.doc.undo_stack.undo()
    assert window.doc.briefing.sources == [] and rebuilt == [1, 0] and described[-1] == 0
    window.doc.undo_stack.redo()
    assert rebuilt == [1, 0, 1] and described[-1] == cited
    assert window.model.rowCount() == 1 and window.current_event().title == event.title
    window.doc.undo_stack.setClean()


def test_copy_quote_with_citation(window):
    select(window, "dsca-notifies-congress")
    window.doc.briefing.event("dsca-notifies-congress").quotes[:] = \
        window.doc.briefing.event("dsca-notifies-congress").quotes[:1]
    window.actions.copy_quote.trigger()
    text = QApplication.clipboard().text()
    quote = window.doc.briefing.event("dsca-notifies-congress").quotes[0]
    source = window.doc.briefing.source(quote.source)
    assert text.startswith(f"“{quote.text}” — ")
    assert source.title in text
    # The grade the pane shows beside it ("grade C2"): a pasted quote is weighed by it.
    assert f"grade {quote.grade(source)}" in text and quote.grade(source) == "C2"
    assert text.endswith(f"15–16 Jan 2026 (translated; grade C2). {source.url}")


def test_save_then_load_round_trip(window, copy_path):
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    assert window.isWindowModified()
    assert window.files.save()
    assert not window.isWindowModified()
    again = storage.load(copy_path)
    assert storage.dumps(again) == dump(window)
    assert len(again.events) == 15


@pytest.mark.parametrize("why", ["read-only", "folder is gone"])
def test_saving_a_file_made_read_only_says_why_before_save_as(window, copy_path, monkeypatch,
                                                             dialog_calls, why):
    if why == "read-only":  # as for a user who may not write it (root may, os.access says)
        monkeypatch.setattr(window.doc, "needs_save_as", lambda: True)
    else:  # its folder removed (as a restored backup's file may be)
        window.doc.adopt_file(str(copy_path.parent / "gone" / copy_path.name), None)
    offered = []
    monkeypatch.setattr(files, "ask_save_path", lambda parent, start: offered.append(start))
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    assert not window.files.save()
    [(name, args)] = dialog_calls
    assert name == "show_error" and copy_path.name in args[2] and why in args[2]
    assert offered == [window.path]
    assert window.isWindowModified()


def test_bundled_sample_is_saved_with_save_as(qtbot, tmp_path, bundled_path, monkeypatch):
    w = MainWindow(Settings(str(tmp_path / "s.ini")))
    qtbot.addWidget(w)
    assert w.open_path(str(bundled_path))
    before = bundled_path.read_bytes()
    target = tmp_path / "mine.json"
    offered = []
    monkeypatch.setattr(files, "ask_save_path",
                        lambda parent, start: offered.append(start) or str(target))
    w.select_ids([w.doc.briefing.events[0].id])
    w.actions.duplicate.trigger()
    w.actions.save.trigger()
    # A name from the title is offered, in the home folder, not the template's own file.
    assert os.path.basename(offered[0]) == "callao-naval-base-upgrade-next-to-chancay.json"
    assert bundled_path.read_bytes() == before
    assert len(storage.load(target).events) == 15
    assert w.path == str(target)


def test_failing_save_keeps_file_and_edits(window, copy_path, monkeypatch):
    before = copy_path.read_bytes()
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    edited = dump(window)
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: shown.append(a[2]))

    def full_disk(fd, view):
        raise OSError(errno.ENOSPC, "No space left on device")

    real = storage.write_atomic
    monkeypatch.setattr(storage, "write_atomic", lambda path, data, _write=None, **kw:
                        real(path, data, _write=full_disk, **kw))
    assert not window.files.save()
    assert "No space left on device" in shown[0]
    assert copy_path.read_bytes() == before
    assert dump(window).replace(b'"updated"', b"") == edited.replace(b'"updated"', b"")
    assert window.isWindowModified()
    assert not [p for p in copy_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_external_change_is_noticed_but_not_our_own_save_or_a_touch(window, copy_path, qtbot):
    doc = window.doc
    asked = []
    window.files.changed_on_disk = lambda path: asked.append(path)  # noqa: E731
    doc.changed_on_disk.disconnect()
    doc.changed_on_disk.connect(window.files.changed_on_disk)

    os.utime(copy_path)  # a touch: same bytes
    doc._file_changed(str(copy_path))
    assert asked == []
    select(window, doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    assert window.files.save()  # our own atomic replace
    doc._file_changed(str(copy_path))
    assert asked == []

    other = storage.load(copy_path)
    other.title = "Changed elsewhere"
    with qtbot.wait_signal(doc.changed_on_disk, timeout=5000):
        storage.save(other, copy_path)  # another program, atomic replace like git
    assert asked == [str(copy_path)]
    # The watcher still watches the path after the replace.
    assert str(copy_path) in doc._watcher.files()


def test_a_deleted_file_is_named_as_gone_not_offered_for_reload(window, copy_path, qtbot,
                                                              dialog_calls):
    assert not window.isWindowModified()
    with qtbot.wait_signal(window.doc.changed_on_disk, timeout=5000):
        copy_path.unlink()
    shown = [args for name, args in dialog_calls if name == "show_error"]
    assert [name for name, _ in dialog_calls] == ["show_error"]  # no "Reload it?"
    assert copy_path.name in shown[0][2] and "deleted" in shown[0][2]
    # What is open is the only copy now: closing must ask, and Save puts the file back.
    assert window.isWindowModified()
    assert window.files.save()
    assert storage.load(copy_path).events == window.doc.briefing.events


@pytest.mark.parametrize("overwrite", [False, True])
def test_saving_over_an_external_change_asks_first(window, copy_path, monkeypatch, overwrite):
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    other = storage.load(copy_path)
    other.title = "Changed elsewhere"
    storage.save(other, copy_path)
    theirs = copy_path.read_bytes()
    asked = []
    monkeypatch.setattr(dialogs, "ask_overwrite_changed",
                        lambda parent, name: asked.append(name) or overwrite)

    assert window.files.save() is overwrite
    assert asked == [copy_path.name]
    if overwrite:
        assert storage.load(copy_path).events == window.doc.briefing.events
        assert not window.isWindowModified()
    else:  # their file untouched, our edit still here and still unsaved
        assert copy_path.read_bytes() == theirs
        assert len(window.doc.briefing.events) == len(other.events) + 1
        assert window.isWindowModified()


def test_reload_on_external_change_when_user_agrees(window, copy_path, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: True)
    other = storage.load(copy_path)
    other.title = "Changed elsewhere"
    storage.save(other, copy_path)
    window.files.changed_on_disk(str(copy_path))
    assert window.doc.briefing.title == "Changed elsewhere"


def test_a_reload_over_unsaved_changes_is_a_step_that_undo_takes_back(window, copy_path,
                                                                      monkeypatch):
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: True)
    stack = window.doc.undo_stack
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    mine = list(window.doc.briefing.events)
    other = storage.load(copy_path)
    other.title = "Changed elsewhere"
    storage.save(other, copy_path)
    window.files.changed_on_disk(str(copy_path))
    assert window.doc.briefing.title == "Changed elsewhere"
    assert window.doc.briefing.events == other.events
    assert not window.isWindowModified()  # what is open is the file
    # The duplicate used to be gone for good, with the whole undo history.
    assert stack.undoText() == "Reload from Disk"
    stack.undo()
    assert window.doc.briefing.events == mine and window.doc.briefing.title != other.title
    assert window.model.rowCount() == len(mine)
    assert window.isWindowModified()
    stack.undo()  # and the history before it still applies
    assert len(window.doc.briefing.events) == len(mine) - 1
    stack.redo()
    stack.redo()
    assert window.doc.briefing.events == other.events and not window.isWindowModified()


def test_revert_drops_the_changes_and_undo_brings_them_back(window, copy_path, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm_discard", lambda *a: True)
    saved = list(window.doc.briefing.events)
    select(window, saved[0].id)
    window.actions.duplicate.trigger()
    window.actions.revert.trigger()
    assert window.doc.briefing.events == saved and not window.isWindowModified()
    window.doc.undo_stack.undo()
    assert len(window.doc.briefing.events) == len(saved) + 1 and window.isWindowModified()
    assert window.files.save()
    assert len(storage.load(copy_path).events) == len(saved) + 1


def test_a_revert_that_fails_changes_nothing_and_is_not_called_an_open(window, copy_path,
                                                                     monkeypatch):
    monkeypatch.setattr(dialogs, "confirm_discard", lambda *a: True)
    told = []
    monkeypatch.setattr(dialogs, "show_load_error",
                        lambda parent, path, problems, reloading=False: told.append(reloading))
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    mine = list(window.doc.briefing.events)
    copy_path.write_text("{ not a briefing")
    assert not window.files.revert()
    assert told == [True]  # "Cannot reload briefing", not "was not opened"
    assert window.doc.briefing.events == mine and window.isWindowModified()


def test_a_reload_keeps_the_event_being_read_and_the_search(window, copy_path, monkeypatch,
                                                            qtbot):
    monkeypatch.setattr(dialogs, "ask_reload", lambda *a: True)
    window.filter_bar.search.setText("navy")
    qtbot.wait_until(lambda: 0 < window.model.rowCount() < len(window.doc.briefing.events))
    shown = window.model.rowCount()
    read = window.model.event_at(1)
    select(window, read.id)
    other = storage.load(copy_path)
    other.title = "Changed elsewhere"  # a colleague's save, as the watcher reports it
    storage.save(other, copy_path)
    window.files.changed_on_disk(str(copy_path))
    assert window.doc.briefing.title == "Changed elsewhere"
    # The same briefing, newer: the reader was thrown back to the summary, the search gone.
    assert window.current_event().id == read.id
    assert window.current_event() is window.doc.briefing.event(read.id)  # the new one
    assert window.filter_bar.search.text() == "navy" and window.model.rowCount() == shown


def test_autosave_and_recovery_after_a_crash(window, qtbot, monkeypatch, tmp_path):
    saver = window.autosaver
    saver.timer.setInterval(50)
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    qtbot.wait_until(lambda: saver.data_path.exists(), timeout=5000)
    meta = json.loads(saver.meta_path.read_text())
    assert meta["path"] == window.path
    expected = dump(window)

    # A crash: the recovery files stay; pretend their writer is gone.
    monkeypatch.setattr(recovery.storage, "pid_alive", lambda pid, identity=None: False)
    monkeypatch.setattr(recovery.os, "getpid", lambda: -1)
    found = recovery.find_recoverable()
    assert [f.original for f in found] == [window.path]

    fresh = MainWindow(Settings(str(tmp_path / "s2.ini")))
    qtbot.addWidget(fresh)
    monkeypatch.setattr(dialogs, "ask_restore", lambda *a: True)
    assert fresh.files.offer_recovery()
    assert storage.dumps(fresh.doc.briefing) == expected
    assert fresh.isWindowModified() and fresh.path == window.path
    # The old file made way for the new window's own, which holds the restored work.
    assert not found[0].data_path.exists()
    assert fresh.autosaver.data_path.read_bytes() == expected
    fresh.doc.undo_stack.setClean()
    fresh.doc.undo_stack.resetClean()
    fresh.doc.modified_changed.emit(False)


def test_later_autosaves_encode_only_what_changed(window, qtbot, encoded_ids):
    saver = window.autosaver
    qtbot.waitUntil(lambda: window.doc.save_prepared, timeout=5000)  # (encodes too)
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    saver.write_now()
    assert saver.data_path.read_bytes() == dump(window)
    encoded = encoded_ids()
    select(window, window.doc.briefing.events[3].id)
    window.actions.duplicate.trigger()
    saver.write_now()
    assert len(encoded) == 1  # the copy; the other events came from the last write
    assert saver.data_path.read_bytes() == dump(window)
    saver.data_path.write_bytes(b"{}")  # not what we wrote: written in full again
    saver.write_now()
    assert saver.data_path.read_bytes() == dump(window) and saver.last_error is None


def test_the_first_autosave_copies_the_unchanged_events_from_the_file(window, qtbot,
                                                                     encoded_ids):
    """It encoded every event: ~1.4 s at 100k events, the window frozen 30 s after the
    first edit, and again after each save."""
    saver = window.autosaver
    qtbot.waitUntil(lambda: window.doc.save_prepared, timeout=5000)
    encoded = encoded_ids()
    select(window, window.doc.briefing.events[2].id)
    window.actions.duplicate.trigger()
    saver.write_now()
    assert len(encoded) == 1 and saver.last_error is None
    assert saver.data_path.read_bytes() == dump(window)
    with open(window.path, "ab") as f:  # the file changed on disk meanwhile
        f.write(b" ")
    saver._written = None
    encoded.clear()
    saver.write_now()
    events = window.doc.briefing.events
    assert encoded[-len(events):] == [e.id for e in events]  # then everything is encoded
    assert saver.data_path.read_bytes() == dump(window)


def test_close_with_unsaved_changes_asks(window, monkeypatch):
    select(window, window.doc.briefing.events[0].id)
    window.actions.duplicate.trigger()
    monkeypatch.setattr(dialogs, "ask_save_changes",
                        lambda *a: QMessageBox.StandardButton.Cancel)
    assert not window.close()
    monkeypatch.setattr(dialogs, "ask_save_changes",
                        lambda *a: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_keyboard_path_end_to_end(window, qtbot, copy_path, dialog_calls):
    """Ctrl+Shift+N, title, Tab, date, Ctrl+Return, Ctrl+S gives a saved event."""
    seen = []

    def type_into_form():
        form = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if not isinstance(form, EventForm) or focus is None or focus.window() is not form:
            QTimer.singleShot(10, type_into_form)  # the dialog is not up and active yet
            return
        seen.append(QApplication.focusWidget() is form.title)
        qtbot.keyClicks(QApplication.focusWidget(), "Keyboard event")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().accessibleName())
        qtbot.keyClicks(QApplication.focusWidget(), "2021-03-04")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        if form.isVisible():  # never leave a modal dialog behind
            form.done(0)

    with qtbot.waitActive(window):
        window.activateWindow()
    window.event_list.setFocus()
    QTimer.singleShot(0, type_into_form)
    qtbot.keyClick(window.event_list, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seen == [True, "Date"]
    with qtbot.waitActive(window):
        window.activateWindow()  # offscreen has no window manager to give focus back
    qtbot.keyClick(window.event_list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog_calls == []
    saved = storage.load(copy_path)
    event = next(e for e in saved.events if e.title == "Keyboard event")
    assert event.date.text == "2021-03-04"
    assert not window.isWindowModified()


def test_the_sources_dock_and_the_tag_filter_follow_the_events(window, qtbot, monkeypatch):
    """An edit changes what cites a source and which tags are in use: the Sources dock
    listed deleted events (and not added ones) and the Tags filter lacked a new tag."""
    from briefing_app.ui.sources_dock import EVENT_ID_ROLE, TITLE

    def listed():
        tree = window.sources.tree
        return [tree.topLevelItem(i).child(j).data(TITLE, EVENT_ID_ROLE)
                for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())]

    window.sources.show()
    tree = window.sources.tree
    cited = next(e for e in window.doc.briefing.events if e.quotes)
    for i in range(tree.topLevelItemCount()):
        tree.topLevelItem(i).setExpanded(True)
    assert cited.id in listed()
    select(window, cited.id)
    window.actions.delete.trigger()
    qtbot.wait_until(lambda: cited.id not in listed())
    assert all(tree.topLevelItem(i).isExpanded()  # what the user opened stays open
               for i in range(tree.topLevelItemCount()))
    window.doc.undo_stack.undo()
    qtbot.wait_until(lambda: cited.id in listed())

    menu = window.filter_bar.tag_button.menu()

    def tags():
        menu.aboutToShow.emit()  # filled as it opens
        return menu.actions()

    select(window, cited.id)
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: "brand-new-tag")
    window.actions.add_tag.trigger()
    assert "brand-new-tag" in [a.data() for a in tags()]
    next(a for a in tags() if a.data() == "brand-new-tag").setChecked(True)
    assert [e.id for e in window.selected_events()] == [cited.id]
    assert window.model.rowCount() == 1  # the new tag filters
    window.doc.undo_stack.undo()
    # No event has it now, but it filters: it stays listed, to be unchecked.
    assert window.model.rowCount() == 0
    next(a for a in tags() if a.data() == "brand-new-tag").setChecked(False)
    assert window.model.rowCount() == len(window.doc.briefing.events)
    assert "brand-new-tag" not in [a.data() for a in tags()]


def test_an_edit_through_the_form_leaves_no_form_behind(window, answer_form, monkeypatch):
    """At 100k events the edit's layout freezes every object alive (model/gc_pause.py):
    the form, deleted only later, was frozen with them and never freed."""
    from briefing_app.model import gc_pause

    monkeypatch.setattr(gc_pause, "MANY_OBJECTS", 10)  # as 100k events would make
    forms = []
    select(window, window.doc.briefing.events[0].id)
    answer_form(lambda f: (forms.append(weakref.ref(f)), f.title.setText("Edited")))
    try:
        window.actions.edit_event.trigger()
        assert window.current_event().title == "Edited"
        gc.collect()
        assert forms and forms[0]() is None
    finally:
        gc.unfreeze()  # (the window froze the briefing it opened)


def test_an_edit_that_made_an_actor_undoes_and_redoes_both(window, answer_form, monkeypatch):
    from briefing_app.ui import event_form

    doc = window.doc
    edited = doc.briefing.events[2]
    before = dump(window)
    monkeypatch.setattr(event_form, "ask_text", lambda parent, title, label: "Ollanta Humala")
    select(window, edited.id)
    answer_form(lambda f: f.actors.new_button.click())
    window.actions.edit_event.trigger()
    assert doc.briefing.actor("ollanta-humala") is not None
    assert "ollanta-humala" in doc.briefing.events[2].actors
    after = dump(window)
    doc.undo_stack.undo()
    assert dump(window) == before and doc.briefing.actor("ollanta-humala") is None
    doc.undo_stack.redo()
    assert dump(window) == after


def test_undo_names_the_event_or_counts_the_events(window):
    first = window.doc.briefing.events[0]
    select(window, first.id)
    window.actions.delete.trigger()
    assert window.doc.undo_stack.undoText() == f"Delete '{first.title}'"
    select(window, *(e.id for e in window.doc.briefing.events[:2]))
    window.actions.delete.trigger()
    assert window.doc.undo_stack.undoText() == "Delete 2 Events"
    window.doc.undo_stack.setClean()


def test_undo_and_redo_of_an_edit_show_the_event_they_change(window, qtbot, answer_form):
    """Ctrl+Z with another event selected reverted the edit out of sight."""
    edited, other = window.doc.briefing.events[1], window.doc.briefing.events[4]
    select(window, edited.id)
    answer_form(lambda f: f.title.setText("Reworded title"))
    window.actions.edit_event.trigger()
    select(window, other.id)
    window.doc.undo_stack.undo()
    assert window.current_event().id == edited.id
    assert window.current_event().title == edited.title
    select(window, other.id)
    window.doc.undo_stack.redo()
    assert window.current_event().title == "Reworded title"
    assert [e.id for e in window.selected_events()] == [edited.id]


@pytest.mark.parametrize("command", ["add_tag", "add_actor"])
def test_a_bulk_change_keeps_the_selection_it_worked_on(window, monkeypatch, command):
    """Adding a tag that some of the selected events have already changes only the others:
    selecting just those dropped the rest from the selection (the next tag or actor then
    missed them) and made another event current, with the pane and timeline following it."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    ids = [window.model.event_at(row).id for row in range(4)]
    tagged = window.model.event_at(1)
    actor = next(a for a in window.doc.briefing.actors if a.id not in tagged.actors)
    monkeypatch.setattr(editing, "ask_item",
                        lambda *a, **k: "needs-review" if command == "add_tag" else actor.name)
    select(window, tagged.id)
    getattr(window.actions, command).trigger()
    # Rows 0-3 selected, row 3 current (a block selected downwards): row 1 has it already.
    block = QItemSelection(window.model.index(0, 0),
                           window.model.index(3, window.model.columnCount() - 1))
    window.selection.select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
    window.selection.setCurrentIndex(window.model.index(3, 0),
                                     QItemSelectionModel.SelectionFlag.NoUpdate)
    getattr(window.actions, command).trigger()
    assert sorted(e.id for e in window.selected_events()) == sorted(ids)
    assert window.current_event().id == ids[3]
    window.doc.undo_stack.undo()  # the same events again, as they were
    assert sorted(e.id for e in window.selected_events()) == sorted(ids)
    assert window.current_event().id == ids[3]


def test_the_sources_dock_keeps_the_row_the_keyboard_was_on_across_an_edit(window, qtbot,
                                                                          monkeypatch):
    """The dock is filled again after each edit: its current row went with it, and the
    next arrow key in the tree started over at the first source."""
    from briefing_app.ui.sources_dock import EVENT_ID_ROLE, TITLE

    window.sources.show()
    tree = window.sources.tree
    source = next(tree.topLevelItem(i) for i in range(1, tree.topLevelItemCount())
                  if tree.topLevelItem(i).childIndicatorPolicy().name == "ShowIndicator")
    source.setExpanded(True)
    tree.setCurrentItem(source.child(0))
    on = source.child(0).data(TITLE, EVENT_ID_ROLE)
    other = next(e for e in window.doc.briefing.events if e.id != on)
    select(window, other.id)
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: "needs-review")
    window.actions.add_tag.trigger()
    qtbot.wait_until(lambda: tree.topLevelItem(0) is not None
                     and not window.sources._fill_timer.isActive())
    assert tree.currentItem() is not None
    assert tree.currentItem().data(TITLE, EVENT_ID_ROLE) == on


def test_a_new_briefing_stays_fitted_as_its_first_events_are_added(window, qtbot,
                                                                    answer_form):
    """After File > New the view showed the empty briefing's year: of six events added,
    two were on screen until Ctrl+0. Until the user zooms or pans, it stays fitted."""
    window.files.new()
    for title, when in (("First", "2019"), ("Second", "March 2021"), ("Third", "late 2024")):
        answer_form(lambda f, t=title, w=when: (f.title.setText(t), f.date.edit.setText(w)))
        window.actions.new_event.trigger()
    timeline = window.timeline
    timeline.viewport().repaint()
    t0, t1 = timeline.visible_range()
    for event in window.doc.briefing.events:
        assert t0 <= event.date.start.toordinal() and event.date.end.toordinal() <= t1
    timeline.zoom_in()  # the user's own view from here on
    zoomed = timeline.visible_range()
    answer_form(lambda f: (f.title.setText("Fourth"), f.date.edit.setText("2030")))
    window.actions.new_event.trigger()
    timeline.viewport().repaint()
    assert timeline.visible_range()[1] - timeline.visible_range()[0] == pytest.approx(
        zoomed[1] - zoomed[0])  # panned to the new event at most, not refitted
    window.doc.undo_stack.setClean()


def test_a_copied_translated_quote_carries_its_original_wording(window):
    """The pane shows a translation's original one click away; a pasted citation dropped it."""
    event = window.doc.briefing.event("callao-base-groundbreaking")
    quote = event.quotes[0]
    assert quote.original and quote.translated
    select(window, event.id)
    window.actions.copy_quote.trigger()
    text = QApplication.clipboard().text()
    first, second = text.split("\n")
    assert first.startswith(f"“{quote.text}”") and "translated" in first
    assert second == f"Original: “{quote.original}”"


def test_add_tag_reads_a_comma_as_the_event_form_does(window, monkeypatch, qtbot):
    """Add Tag "review, urgent" made one tag "review, urgent": the event form showed it as
    two, and its next edit of the tags split it. Two tags now, one step of Undo; Remove Tag
    still takes a tag with a comma (written by another tool) as it is."""
    doc = window.doc
    ids = [e.id for e in doc.briefing.events[:2]]
    before = dump(window)
    select(window, *ids)
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: " review ,urgent,, review ")
    window.actions.add_tag.trigger()
    for event_id in ids:
        tags = doc.briefing.event(event_id).tags
        assert tags[-2:] == ["review", "urgent"] and "review ,urgent,, review" not in tags
    assert doc.undo_stack.undoText() == "Add Tags 'review, urgent'"
    doc.undo_stack.undo()
    assert dump(window) == before

    odd = doc.briefing.events[0]
    doc.briefing.events[0] = dataclasses.replace(odd, tags=[*odd.tags, "a, b"])
    select(window, odd.id)
    monkeypatch.setattr(editing, "ask_item", lambda *a, **k: "a, b")
    window.actions.remove_tag.trigger()
    assert "a, b" not in doc.briefing.events[0].tags


def test_a_command_name_is_cut_only_beyond_max_shown():
    from briefing_app.ui.commands import MAX_SHOWN, shown

    assert shown("x" * MAX_SHOWN) == "x" * MAX_SHOWN
    assert shown("x" * (MAX_SHOWN + 1)) == "x" * (MAX_SHOWN - 1) + "…"


def test_undo_names_a_long_title_shortly(window, answer_form):
    """Edit > Undo read "Undo Edit '<the whole 300-character title>'": the menu grew as
    wide as the screen."""
    select(window, window.doc.briefing.events[0].id)
    answer_form(lambda f: f.title.setText("A very long title " * 20))
    window.actions.edit_event.trigger()
    text = window.doc.undo_stack.undoText()
    assert text.startswith("Edit 'A very long title") and text.endswith("…")
    assert len(text) <= 90
    window.doc.undo_stack.setClean()
