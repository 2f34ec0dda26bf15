"""The reading window: shared selection, filtering, opening files, layout at 1366x768, keys."""

import json
import shutil

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMenu,
)

from briefing_app.model import storage
from briefing_app.model.search import SearchIndex
from briefing_app.ui import dialogs
from briefing_app.ui.event_table_model import EVENT_ROLE, EventTableModel
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings


def event_id_at(window, row):
    return window.model.index(row, 0).data(EVENT_ROLE).id


def test_title_names_briefing_and_file(main_window, briefing):
    assert main_window.windowTitle() == f"{briefing.title} — events.json[*]"
    assert not main_window.isWindowModified()


def test_selection_is_shared_by_list_timeline_and_detail(main_window, qtbot):
    window = main_window
    window.event_list.setCurrentIndex(window.model.index(3, 0))
    event = window.model.event_at(3)
    assert window.timeline.current_row() == 3
    assert event.title in window.detail.toPlainText()
    assert event.title in window.timeline.accessibleDescription()
    window.timeline.setFocus()
    qtbot.keyClick(window.timeline, Qt.Key.Key_Right)
    assert window.event_list.currentIndex().row() == 4
    assert window.model.event_at(4).title in window.detail.toPlainText()


def test_list_is_chronological_and_sortable_by_title(main_window):
    window = main_window
    keys = [window.model.event_at(r).sort_key() for r in range(window.model.rowCount())]
    assert keys == sorted(keys)
    window.event_list.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    titles = [window.model.event_at(r).title.casefold() for r in range(window.model.rowCount())]
    assert titles == sorted(titles)


def test_search_filters_counts_and_highlights(main_window, qtbot):
    window = main_window
    total = window.model.rowCount()
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    shown = window.model.rowCount()
    assert 0 < shown < total
    assert window.count_label.text() == f"{shown} of {total} events"
    window.select_row(0)
    assert "background-color:#ffe066" in window.detail.toHtml().replace(" ", "")
    window.filter_bar.search.setFocus()
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Escape)
    assert window.filter_bar.search.text() == ""
    assert window.model.rowCount() == total
    assert window.count_label.text() == f"{total} events"


def test_a_keystroke_that_finds_the_same_events_keeps_the_rows(main_window, qtbot):
    window = main_window
    window.filter_bar.search.setText("DSC")
    window.filter_bar.emit_query()
    window.select_row(0)
    resets = []
    window.model.modelReset.connect(lambda: resets.append(1))
    window.filter_bar.search.setText("DSCA")  # the same events
    window.filter_bar.emit_query()
    assert resets == []
    assert window.current_event() is not None
    assert window.detail.toPlainText()  # still shown, now highlighting the new word
    assert "background-color:#ffe066" in window.detail.toHtml().replace(" ", "")
    window.filter_bar.search.setText("DSCA zzzz-nothing")
    window.filter_bar.emit_query()
    assert resets == [1] and window.model.rowCount() == 0


def test_opening_a_file_while_filtered_shows_all_of_it(main_window, tmp_path, briefing,
                                                       monkeypatch):
    window = main_window
    window.filter_bar.search.setText("DSCA")
    window.filter_bar.emit_query()
    assert window.model.rowCount() < len(briefing.events)
    path = tmp_path / "other.json"
    storage.save(briefing, path)
    filtered = []
    real_filter = SearchIndex.filter
    monkeypatch.setattr(SearchIndex, "filter",
                        lambda index, query: filtered.append(query) or real_filter(index, query))
    assert window.open_path(str(path))
    assert filtered == []  # the old query is gone before the new rows are made (no folding)
    assert window.filter_bar.search.text() == ""
    assert window.model.rowCount() == len(briefing.events)
    assert window.count_label.text() == f"{len(briefing.events)} events"


def test_search_is_accent_insensitive(main_window, qtbot):
    window = main_window
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("peru")
    accented = [e for e in window.briefing.events if "Perú" in json.dumps(
        [e.title, e.notes] + [q.text + (q.original or "") for q in e.quotes],
        ensure_ascii=False)]
    assert accented, "the bundled briefing quotes Spanish sources"
    shown = {window.model.event_at(r).id for r in range(window.model.rowCount())}
    assert {e.id for e in accented} <= shown


def test_actor_and_date_filters(main_window, qtbot):
    window = main_window
    menu = window.filter_bar.actor_button.menu()
    action = next(a for a in menu.actions() if a.data() == "dsca")
    action.setChecked(True)
    rows = [window.model.event_at(r) for r in range(window.model.rowCount())]
    assert rows and all("dsca" in e.actors for e in rows)
    action.setChecked(False)
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.dates.setText("2019")
    rows = [window.model.event_at(r) for r in range(window.model.rowCount())]
    assert rows and all(e.start.year <= 2019 <= e.stop.year for e in rows)


def test_bad_file_shows_problems_and_keeps_the_open_briefing(main_window, tmp_path,
                                                             monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "show_load_error", lambda parent, path, problems:
                        shown.append((path, problems)))
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "events": [{"id": "a", "title": "A", "date": "soon"}]}')
    before = main_window.windowTitle()
    assert not main_window.open_path(str(bad))
    assert shown and shown[0][0] == str(bad)
    assert "events[0].date" in shown[0][1][0]
    assert main_window.windowTitle() == before
    assert main_window.model.rowCount() >= 12


def test_drop_of_a_json_file_opens_it(main_window, tmp_path, qtbot, briefing):
    from briefing_app.model import storage

    briefing.title = "Dropped"
    path = tmp_path / "dropped.json"
    storage.save(briefing, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    main_window.dropEvent(drop)
    qtbot.waitUntil(lambda: main_window.windowTitle().startswith("Dropped"), timeout=2000)


def test_recent_files_and_window_state_persist(main_window, settings, bundled_path, qtbot):
    assert settings.recent_files()[0] == str(bundled_path)
    main_window.main_splitter.setSizes([150, 500])
    main_window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    assert again.main_splitter.sizes()[0] < again.main_splitter.sizes()[1]


def test_open_recent_of_a_file_deleted_meanwhile_drops_it_from_the_menu(
        main_window, settings, bundled_path, tmp_path, dialog_calls):
    """A recent file deleted or moved since: the error says so once, and Open Recent no
    longer lists it (it stayed, failing the same way at every try). A file that is there
    but cannot be read stays listed."""
    gone = tmp_path / "gone.json"
    shutil.copy(bundled_path, gone)
    assert main_window.open_path(str(gone))
    assert main_window.open_path(str(bundled_path))
    assert str(gone) in settings.recent_files()
    gone.unlink()
    main_window._fill_recent_menu()
    entry = next(a for a in main_window.actions.recent_menu.actions()
                 if a.statusTip() == str(gone))
    entry.trigger()
    assert [name for name, _ in dialog_calls] == ["show_load_error"]
    assert str(gone) not in settings.recent_files()
    assert settings.recent_files() == [str(bundled_path)]
    main_window._fill_recent_menu()
    assert all(a.statusTip() != str(gone) for a in main_window.actions.recent_menu.actions())

    broken = tmp_path / "broken.json"
    shutil.copy(bundled_path, broken)
    assert main_window.open_path(str(broken))
    broken.write_text("{ not json")
    assert not main_window.open_path(str(broken))
    assert str(broken) in settings.recent_files()


@pytest.mark.parametrize("lines", [
    ["autosave_seconds=99999999999", "lane_mode=bogus", "appearance=@Invalid()"],
    ["autosave_seconds=-5", "lane_mode=1, 2", "appearance=@ByteArray(\\xff)"],
    ["autosave_seconds=abc", "lane_mode=", "appearance=purple"],
])
def test_a_damaged_settings_file_still_opens_the_window(qtbot, tmp_path, lines):
    """The settings file is text anyone can edit: a bad value is the default, or the
    nearest sane one, and never stops the window from opening."""
    path = tmp_path / "settings.ini"
    path.write_text("[prefs]\n" + "\n".join(lines) + "\n")
    settings = Settings(str(path))
    assert settings.pref("lane_mode") == "actor"
    assert settings.pref("appearance") == "system"
    assert 5 <= settings.pref("autosave_seconds") <= 3600
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.timeline.lane_mode() == "actor"
    assert 5_000 <= window.autosaver.timer.interval() <= 3_600_000


def test_event_link_in_notes_selects_that_event(main_window):
    window = main_window
    target = window.briefing.events[-1]
    window.detail.event_link_clicked.emit(target.id)
    assert window.current_event().id == target.id


def test_event_link_to_no_event_says_so_in_the_status_bar(main_window):
    window = main_window
    window.select_row(2)
    before = window.current_event()
    window.detail.anchorClicked.emit(QUrl("event:nonexistent"))
    assert window.statusBar().currentMessage() == "No event 'nonexistent' in this briefing"
    assert window.current_event() is before
    # The id is the note's text: line breaks escaped, bidi controls shown, the length capped.
    window.detail.anchorClicked.emit(QUrl("event:a%0Ab%E2%80%AE" + "x" * 500))
    message = window.statusBar().currentMessage()
    assert message.startswith("No event 'a\\nb⟦U+202E⟧xxx") and "xx…' in this briefing" in message
    assert len(message) < 100 and "\n" not in message and "\u202e" not in message


def test_dark_appearance_is_forced_through_the_view_menu(main_window):
    window = main_window
    action = next(a for a in window.actions.appearance_modes.actions() if a.data() == "dark")
    action.trigger()
    assert QApplication.palette().window().color().lightness() < 128
    assert window.settings.pref("appearance") == "dark"
    window.set_appearance("light")
    assert QApplication.palette().window().color().lightness() > 128


def test_an_empty_check_box_shows_in_the_dark_appearance(qtbot):
    """Fusion outlines a check box in the window colour darkened: on the dark palette's
    base an empty box was all but invisible (the form's actors did not look checkable)."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    from briefing_app.ui.appearance import apply_appearance

    apply_appearance("dark")  # offscreen, the style is Fusion
    try:
        view = QListWidget()
        qtbot.addWidget(view)
        item = QListWidgetItem("Peru (government)", view)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        view.resize(300, 100)
        view.show()
        qtbot.waitExposed(view)
        image = view.viewport().grab().toImage()
        rect = view.visualItemRect(item)
        base = QApplication.palette().base().color().lightness()
        box = [QColor(image.pixel(x, y)).lightness()
               for x in range(rect.left(), rect.left() + rect.height())
               for y in range(rect.top(), rect.bottom())]
        assert max(box) - base > 60
    finally:
        apply_appearance("light")


def test_a_dock_s_buttons_show_in_the_dark_appearance(qapp):
    """Fusion's float and close images are dark grey: on the dark title bar they vanished."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QStyle

    from briefing_app.ui.appearance import apply_appearance

    def inkiest(standard) -> int:
        image = QApplication.style().standardIcon(standard).pixmap(16, 16).toImage()
        return max((QColor.fromRgba(image.pixel(x, y)).lightness()
                    for x in range(image.width()) for y in range(image.height())
                    if QColor.fromRgba(image.pixel(x, y)).alpha() > 128), default=0)

    apply_appearance("dark")
    try:
        for standard in (QStyle.StandardPixmap.SP_TitleBarCloseButton,
                         QStyle.StandardPixmap.SP_TitleBarNormalButton):
            assert inkiest(standard) > 180, standard
    finally:
        apply_appearance("light")


def test_model_passes_qt_model_tester(qtmodeltester, briefing):
    model = EventTableModel()
    model.set_briefing(briefing)
    qtmodeltester.check(model)


def _widgets_with_text(window):
    for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if w.isVisible() and (w.text() if hasattr(w, "text") else ""):
            yield w


def test_nothing_is_clipped_at_1366x768(main_window, qtbot):
    window = main_window
    window.resize(1366, 768)
    qtbot.wait_until(lambda: window.width() == 1366)
    QApplication.processEvents()
    clipped = [(w.text(), w.size().toTuple(), w.sizeHint().toTuple())
               for w in _widgets_with_text(window)
               if w.width() < w.sizeHint().width() or w.height() < w.minimumSizeHint().height()]
    assert clipped == []
    bar = window.menuBar()
    assert bar.sizeHint().width() <= window.width()
    for action in bar.actions():
        assert bar.actionGeometry(action).right() <= bar.width(), action.text()
    assert window.timeline.height() >= 150 and window.detail.width() >= 300


def test_titles_keep_the_list_s_room_in_a_narrow_window(main_window, qtbot):
    window, header = main_window, main_window.event_list.horizontalHeader()
    window.resize(800, 600)
    qtbot.wait_until(lambda: window.width() == 800)
    QApplication.processEvents()
    title, actor = header.sectionSize(1), header.sectionSize(2)
    assert title >= actor and title >= 100, (title, actor)
    window.resize(1366, 768)
    qtbot.wait_until(lambda: window.width() == 1366)
    QApplication.processEvents()
    assert header.sectionSize(2) > actor  # the actor column grows back
    header.resizeSection(2, 90)  # the user's own width stays
    window.resize(1200, 700)
    qtbot.wait_until(lambda: window.width() == 1200)
    QApplication.processEvents()
    assert header.sectionSize(2) == 90


@pytest.mark.parametrize("width", [683, 1366])  # half a laptop screen, and all of it
def test_the_find_field_is_always_in_sight(main_window, qtbot, width):
    window, search = main_window, main_window.filter_bar.search
    window.resize(width, 700)
    qtbot.wait_until(lambda: window.width() == width)
    QApplication.processEvents()
    assert search.isVisible() and search.width() >= search.minimumWidth()
    corner = search.mapTo(window, search.rect().bottomRight())
    assert corner.x() <= window.width() and corner.y() < window.timeline.mapTo(window,
                                                                             QPoint(0, 0)).y()
    on_one_row = window.filter_bar.mapTo(window, QPoint(0, 0)).y() < 40
    assert on_one_row == (width > 1000)


def test_the_sources_dock_opens_wide_once_then_keeps_the_user_s_width(main_window, qtbot):
    window, dock = main_window, main_window.sources
    window.resize(1366, 768)
    dock.toggleViewAction().trigger()
    qtbot.wait_until(dock.isVisible)
    QApplication.processEvents()
    assert dock.width() >= 380  # not Qt's ~250 px, too narrow for its columns
    window.resizeDocks([dock], [300], Qt.Orientation.Horizontal)
    qtbot.wait_until(lambda: dock.width() < 380)
    chosen = dock.width()
    dock.toggleViewAction().trigger()
    dock.toggleViewAction().trigger()
    QApplication.processEvents()
    assert dock.width() == chosen


def test_tabbing_into_the_list_highlights_the_event_on_show(main_window, qtbot):
    window = main_window
    window.selection.setCurrentIndex(window.model.index(2, 0),
                                     QItemSelectionModel.SelectionFlag.NoUpdate)
    window.selection.clearSelection()
    window.activateWindow()
    window.event_list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait_until(window.event_list.hasFocus)
    assert [i.row() for i in window.selection.selectedRows()] == [2]


def test_every_action_is_in_a_menu_and_shortcuts_never_collide(main_window):
    window = main_window
    seen = {}
    for action in window.findChildren(QMenu)[0].parent().findChildren(type(window.actions.open)):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()
    # Keys that belong to text fields and lists are never window-wide shortcuts (X11
    # bindings: Delete also means Ctrl+D, Ctrl+E is end-of-line in a line edit).
    owned = ["Left", "Right", "Up", "Down", "Home", "End", "Return", "Enter", "Backspace",
             "Ctrl+E", "Ctrl+A", "Space", "PgUp", "PgDown"]
    assert not set(owned) & set(seen)
    for std in (QKeySequence.StandardKey.Delete,):
        for key in QKeySequence.keyBindings(std):
            assert seen.get(key.toString(), "Delete") in ("Delete", "&Delete")


def _mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else None


def test_every_menu_s_access_keys_differ(main_window):
    """Alt+letter runs an item only when that letter is its menu's alone; a shared one
    merely moves between the items."""
    menus = [main_window.menuBar()] + main_window.menuBar().findChildren(QMenu)
    for menu in menus:
        keys = [(_mnemonic(a.text()), a.text()) for a in menu.actions() if a.text()]
        letters = [k for k, _ in keys if k]
        assert len(letters) == len(set(letters)), (menu.title(), keys)
        # And every item has one: View > Sources (the dock's own toggle) had none.
        assert all(k for k, _ in keys), (menu.title(), keys)


def test_accessible_names(main_window):
    window = main_window
    assert window.timeline.accessibleName() == "Timeline"
    assert window.event_list.accessibleName() == "Event list"
    assert window.detail.accessibleName() == "Event details"
    assert window.filter_bar.search.accessibleName() == "Search events"


def test_ctrl_f_focuses_search(main_window, qtbot):
    window = main_window
    window.event_list.setFocus()
    window.actions.find.trigger()
    assert QApplication.focusWidget() is window.filter_bar.search


def test_return_in_the_search_goes_to_the_first_event_found(main_window, qtbot):
    window = main_window
    window.activateWindow()
    window.actions.find.trigger()
    qtbot.keyClicks(window.filter_bar.search, "chancay")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: window.model.rowCount() < len(window.doc.briefing.events))
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.event_list)
    assert window.current_event() is window.model.event_at(0)  # of the events found


def test_return_during_a_search_in_slices_goes_to_the_first_event_found(main_window, qtbot,
                                                                        monkeypatch):
    from briefing_app.ui import search_runner

    monkeypatch.setattr(search_runner, "SLICE_S", 0.0)  # as a broad word at 100k events
    window = main_window
    window.activateWindow()
    window.actions.find.trigger()
    qtbot.keyClicks(window.filter_bar.search, "DSCA")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.event_list)
    assert window.model.rowCount() < len(window.doc.briefing.events)
    assert window.current_event() is window.model.event_at(0)


def test_return_on_a_date_it_cannot_read_stays_in_the_field(main_window, qtbot):
    window = main_window
    window.activateWindow()
    window.filter_bar.dates.setFocus()
    qtbot.wait_until(window.filter_bar.dates.hasFocus)
    qtbot.keyClicks(window.filter_bar.dates, "late 2O24")
    qtbot.keyClick(window.filter_bar.dates, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.filter_bar.dates
    window.filter_bar.dates.setText("2024")
    qtbot.keyClick(window.filter_bar.dates, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.event_list)


def test_why_a_date_filter_is_not_understood_reaches_keyboard_and_screen_reader(
        main_window, qtbot):
    """The reason was only the tooltip of a "⚠" label: out of reach without a mouse, and
    the field itself was read out as if all was well."""
    from PySide6.QtWidgets import QToolTip

    bar = main_window.filter_bar
    main_window.activateWindow()
    bar.dates.setFocus()
    qtbot.wait_until(bar.dates.hasFocus)
    qtbot.keyClicks(bar.dates, "late 2O24")
    qtbot.keyClick(bar.dates, Qt.Key.Key_Return)
    reason = bar.date_error.toolTip()
    assert "late 2O24" in reason
    assert bar.dates.accessibleDescription() == reason
    assert bar.dates.toolTip() == reason
    assert reason in bar.date_error.accessibleName()
    assert QToolTip.isVisible() and QToolTip.text() == reason  # shown on Return
    bar.dates.setText("2024")
    bar.emit_query()
    assert bar.dates.accessibleDescription() == "" and bar.date_error.text() == ""
    assert bar.dates.toolTip().startswith("Show only events")
    QToolTip.hideText()


def _click_row(window, qtbot, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = window.event_list.visualRect(window.model.index(row, 1))
    qtbot.mouseClick(window.event_list.viewport(), Qt.MouseButton.LeftButton, modifier,
                     rect.center())


def test_clicking_back_into_the_list_keeps_a_deliberate_deselection(main_window, qtbot):
    window = main_window
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    ctrl = Qt.KeyboardModifier.ControlModifier
    _click_row(window, qtbot, 2)
    _click_row(window, qtbot, 2, ctrl)  # deselected; row 2 stays current
    assert not window.selection.hasSelection()
    qtbot.mouseClick(window.filter_bar.search, Qt.MouseButton.LeftButton)
    qtbot.wait_until(window.filter_bar.search.hasFocus)
    _click_row(window, qtbot, 5, ctrl)  # back in the list, adding row 5
    assert [e.id for e in window.selected_events()] == [window.model.event_at(5).id]


def test_go_menu_moves_the_selection(main_window):
    window = main_window
    window.actions.first_event.trigger()
    first = window.current_event().id
    window.actions.next_event.trigger()
    second = window.current_event().id
    assert second != first
    window.actions.back.trigger()
    assert window.current_event().id == first
    window.actions.forward.trigger()
    assert window.current_event().id == second
    window.actions.last_event.trigger()
    assert window.current_event().id == event_id_at(window, window.model.rowCount() - 1)


def test_back_never_goes_to_an_event_visited_in_the_briefing_before(main_window, tmp_path):
    """The events visited were those of the briefing open then: in another one the same
    id may name another event (here the same file under another name stands in for it)."""
    window = main_window
    window.actions.first_event.trigger()
    window.actions.next_event.trigger()
    other = tmp_path / "other.json"
    other.write_bytes(storage.dumps(window.briefing))
    assert window.open_path(str(other))
    window.actions.last_event.trigger()
    last = window.current_event().id
    window.actions.back.trigger()
    assert window.current_event().id == last  # nothing visited here before it


def test_multi_selection_in_list_reaches_the_timeline(main_window):
    window = main_window
    sel = window.selection
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    sel.select(window.model.index(1, 0), flags)
    sel.select(window.model.index(2, 0), flags)
    assert {i.row() for i in sel.selectedRows()} >= {1, 2}


def test_export_pdf_action_writes_the_filtered_events(main_window, qtbot, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from briefing_app import export
    from briefing_app.ui import print_support

    window = main_window
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    out = tmp_path / "out.pdf"
    monkeypatch.setattr(print_support, "ask_export_options",
                        lambda parent, query, matching=None: export.ExportOptions(query=query))
    monkeypatch.setattr(print_support, "ask_pdf_path", lambda parent, start: str(out))
    window.actions.export_pdf.trigger()
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    shown = [window.model.event_at(r).title for r in range(window.model.rowCount())]
    hidden = [e.title for e in window.briefing.events if e.title not in shown]
    flat = " ".join(text.split())
    assert shown and all(t[:25] in flat for t in shown), (shown, flat[:500])
    assert not any(t in flat for t in hidden if len(t) > 20)


def test_export_csv_then_import_it_as_a_new_briefing(main_window, tmp_path, monkeypatch,
                                                     dialog_calls):
    from briefing_app.ui import interchange

    window = main_window
    out = tmp_path / "events.csv"
    monkeypatch.setattr(interchange, "ask_export_path", lambda *a: str(out))
    window.actions.export_csv.trigger()
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("id,title,date")
    monkeypatch.setattr(interchange, "ask_import_path", lambda *a: str(out))
    titles = sorted(e.title for e in window.briefing.events)
    window.actions.import_events.trigger()
    assert sorted(e.title for e in window.briefing.events) == titles
    assert window.path is None and window.isWindowModified()


def test_import_says_it_opens_a_new_briefing_in_place_of_the_open_one(
        main_window, tmp_path, monkeypatch, dialog_calls):
    """'Import events' with a saved briefing open read as adding to it: it closed it
    without a word, and the notes said only 'Imported 2 events from x.csv'."""
    from briefing_app.ui import interchange

    window = main_window
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Headline,Media\n2019,A,a.jpg\n2020,B,\n", encoding="utf-8")
    monkeypatch.setattr(interchange, "ask_import_path", lambda *a: str(sheet))
    assert "New Briefing" in window.actions.import_events.text()
    window.actions.import_events.trigger()
    assert [e.title for e in window.briefing.events] == ["A", "B"]
    said = ("Imported 2 events from sheet.csv as a new briefing, not yet saved "
            "(Save As names its file).")
    assert window.statusBar().currentMessage() == said
    notes = [args for name, args in dialog_calls if name == "show_error"]
    assert len(notes) == 1 and notes[0][2].startswith(said)


@pytest.mark.parametrize("action", ["export_csv", "export_timelinejs", "export_md", "export_pdf"])
def test_an_export_never_writes_over_the_open_briefing(main_window, tmp_path, monkeypatch,
                                                       dialog_calls, bundled_path, action):
    """The TimelineJS dialog lists *.json, the briefing among them; one click and Replace
    overwrote the briefing with the export (the command line already refused this)."""
    from briefing_app import export
    from briefing_app.ui import interchange, print_support

    window = main_window
    own = tmp_path / "mine.json"
    own.write_bytes(bundled_path.read_bytes())
    assert window.open_path(str(own))
    monkeypatch.setattr(interchange, "ask_export_path", lambda *a: str(own))
    monkeypatch.setattr(print_support, "ask_export_options",
                        lambda parent, query, matching=None: export.ExportOptions())
    monkeypatch.setattr(print_support, "ask_pdf_path", lambda parent, start: str(own))
    getattr(window.actions, action).trigger()
    assert own.read_bytes() == bundled_path.read_bytes()
    errors = [args for name, args in dialog_calls if name == "show_error"]
    assert len(errors) == 1 and "the briefing being exported" in " ".join(errors[0][1:])


def test_a_repeated_id_finds_the_event_that_is_shown(qapp, briefing):
    first, second = briefing.events[0], briefing.events[1]
    second.id = first.id  # the file format refuses this, but an import may not
    model = EventTableModel()
    model.set_briefing(briefing)
    assert model.event_at(model.row_of_id(first.id)) is first
    model.set_rows([1, 2])  # the first one filtered out
    assert model.event_at(model.row_of_id(first.id)) is second
    assert model.row_of_id("no such id") == -1


def test_the_summary_shows_the_years_after_an_edit(main_window, qtbot):
    """The year span is kept per state of the events (a pass over 100k takes ~60 ms)."""
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date
    from briefing_app.ui.commands import InsertEvents

    window = main_window
    window.selection.clearSelection()
    window.selection.setCurrentIndex(window.model.index(-1, -1),
                                     QItemSelectionModel.SelectionFlag.Clear)
    qtbot.wait_until(lambda: "events ·" in window.detail.toPlainText())
    first, last = window.index.year_span()
    assert f"{first}–{last}" in window.detail.toPlainText()
    old = Event("old", "An old event", parse_date("1950"))
    window.doc.undo_stack.push(InsertEvents(window.doc, [(0, old)]))
    window.selection.clearSelection()
    window.selection.setCurrentIndex(window.model.index(-1, -1),
                                     QItemSelectionModel.SelectionFlag.Clear)
    qtbot.wait_until(lambda: f"1950–{last}" in window.detail.toPlainText())
    window.doc.undo_stack.setClean()


def test_saving_keeps_the_actor_filter(main_window, tmp_path):
    window = main_window
    action = window.filter_bar.actor_button.menu().actions()[0]
    action.setChecked(True)
    actor = action.data()
    filtered = window.model.rowCount()
    assert filtered < len(window.briefing.events)
    window.doc.save(str(tmp_path / "saved.json"))  # meta_changed refills the menus
    assert window.query.actors == frozenset({actor})
    assert window.model.rowCount() == filtered
    assert window.filter_bar.actor_button.text() == "Actors (1)"


def test_an_event_added_or_edited_out_of_the_filter_says_where_it_went(main_window, qtbot,
                                                                     answer_form):
    """The filter stays, but the event just typed is not left to vanish without a word."""
    window = main_window
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    shown = window.model.rowCount()
    answer_form(lambda f: (f.title.setText("Zanzibar talks"), f.date.edit.setText("2024")))
    window.actions.new_event.trigger()
    assert window.model.rowCount() == shown  # the filter is as it was
    message = window.statusBar().currentMessage()
    assert "Zanzibar talks" in message and "filter" in message
    window.statusBar().clearMessage()
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("Zanzibar")
    assert window.model.rowCount() == 1
    window.select_row(0)
    answer_form(lambda f: f.title.setText("Harbour talks"))
    window.actions.edit_event.trigger()
    assert window.model.rowCount() == 0
    message = window.statusBar().currentMessage()
    assert "Harbour talks" in message and "filter" in message
    window.doc.undo_stack.setClean()


def test_ctrl_c_in_the_detail_pane_copies_the_selected_words(main_window, qtbot):
    """Text selected in the pane is what Ctrl+C copies; with none, Ctrl+C copies the event."""
    from PySide6.QtGui import QTextCursor

    from briefing_app.ui.editing import release_clipboard

    window = main_window
    window.select_row(1)
    pane = window.detail
    pane.setFocus(Qt.FocusReason.MouseFocusReason)
    cursor = pane.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(10, QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    words = cursor.selectedText()
    board = QApplication.clipboard()
    board.clear()
    qtbot.keyClick(pane, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert board.text() == words
    cursor.clearSelection()
    pane.setTextCursor(cursor)
    qtbot.keyClick(pane, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert window.current_event().title in board.text()  # the event, as before
    release_clipboard()


def test_the_focused_view_is_framed_as_the_timeline_is(main_window, qtbot):
    """Tab from the timeline to the list or the detail pane showed nothing: the style frames
    neither, and the list's highlighted row is the shared selection, there before."""
    from briefing_app.ui.focus_ring import ring_color

    window = main_window
    window.select_row(1)
    window.activateWindow()
    color = ring_color(window.palette()).rgb()
    for view in (window.event_list, window.detail):
        view.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.wait_until(view.hasFocus)
        image = view.grab().toImage()
        middle = image.height() // 2
        assert image.pixel(0, middle) == color  # the left edge
        assert image.pixel(image.width() // 2, 0) == color  # the top edge
    window.timeline.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait_until(window.timeline.hasFocus)
    for view in (window.event_list, window.detail):
        assert view.grab().toImage().pixel(0, view.height() // 2) != color


def test_a_screen_reader_hears_which_filter_is_on(main_window):
    """The buttons' accessible names stay ("Show only events of these actors"): only the
    visible text said "Actors (1)"."""
    button = main_window.filter_bar.actor_button
    action = button.menu().actions()[0]
    assert button.accessibleDescription() == ""
    action.setChecked(True)
    assert button.accessibleDescription() == f"Filtering by {action.text()}"
    action.setChecked(False)
    assert button.accessibleDescription() == ""


@pytest.mark.parametrize("action", ["print", "print_preview"])
def test_print_to_file_never_writes_over_the_open_briefing(main_window, tmp_path, monkeypatch,
                                                           dialog_calls, bundled_path, action):
    """The print dialog's "Print to File" takes any name: the briefing's own was written
    over with a PDF, as File > Export no longer does."""
    from PySide6.QtPrintSupport import QPrinter

    from briefing_app.ui import print_support

    window = main_window
    own = tmp_path / "mine.json"
    own.write_bytes(bundled_path.read_bytes())
    assert window.open_path(str(own))

    def to_own_file(printer):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(own))

    class PrintDialog:  # the user picks Print to File and types the briefing's name
        def __init__(self, printer, parent=None):
            self.printer = printer

        def setWindowTitle(self, title):
            pass

        def exec(self):
            to_own_file(self.printer)
            return print_support.QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_support, "QPrintDialog", PrintDialog)

    def preview(parent, briefing, query=None, briefing_path=None, index=None):
        dialog = print_support.make_preview(parent, briefing, query, briefing_path, index)
        to_own_file(dialog.printer())
        dialog.paintRequested.emit(dialog.printer())  # the preview's own Print button
        return dialog

    monkeypatch.setattr(print_support, "preview_briefing", preview)
    getattr(window.actions, action).trigger()
    assert own.read_bytes() == bundled_path.read_bytes()
    errors = [args for name, args in dialog_calls if name == "show_error"]
    assert len(errors) == 1 and "the briefing being exported" in " ".join(errors[0][1:])


def test_a_filtered_export_says_so_before_and_after(main_window, tmp_path, monkeypatch,
                                                    qtbot, dialog_calls):
    """Export > CSV, TimelineJS and Markdown take the filter the list shows; they said
    nothing of it, so a filtered export left events out without a word."""
    from briefing_app.ui import interchange

    window = main_window
    titles: list[str] = []
    out = tmp_path / "some.csv"
    monkeypatch.setattr(interchange, "ask_export_path",
                        lambda parent, title, *a: titles.append(title) or str(out))
    window.actions.export_csv.trigger()
    assert titles[-1] == "Export CSV"
    assert "the current filter" not in window.statusBar().currentMessage()
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    shown, total = window.model.rowCount(), len(window.briefing.events)
    assert 0 < shown < total
    window.actions.export_csv.trigger()
    assert f"the {shown} events the filter shows, of {total}" in titles[-1]
    assert f"{shown} of {total} events: the current filter" in \
        window.statusBar().currentMessage()
    import csv
    import io

    assert len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))) == shown + 1


def test_a_filtered_export_finds_its_events_with_the_windows_index(main_window, tmp_path,
                                                                    monkeypatch, qtbot):
    """Every export of a filter built a fresh search index, which folded the text of every
    event again: ~0.8 s at 100k events to export the 200 that the list already shows."""
    import csv

    from briefing_app import export
    from briefing_app.model import search
    from briefing_app.ui import interchange, print_support

    window = main_window
    qtbot.waitUntil(lambda: window.index.is_prepared, timeout=5000)
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    shown = window.model.rowCount()
    assert 0 < shown < len(window.briefing.events)
    folded: list[str] = []
    real = search.fold
    monkeypatch.setattr(search, "fold", lambda text: folded.append(text) or real(text))
    monkeypatch.setattr(interchange, "ask_export_path", lambda parent, title, start, kinds:
                        str(tmp_path / ("out" + start[start.rindex("."):])))
    monkeypatch.setattr(print_support, "ask_export_options",
                        lambda parent, query, matching=None: export.ExportOptions(query=query))
    monkeypatch.setattr(print_support, "ask_pdf_path",
                        lambda parent, start: str(tmp_path / "out.pdf"))
    for action in ("export_csv", "export_timelinejs", "export_md", "export_pdf"):
        getattr(window.actions, action).trigger()
        assert f"{shown} of" in window.statusBar().currentMessage() or action == "export_pdf"
    assert {text.casefold() for text in folded} <= {"dsca"}  # the query's word, no event's
    with open(tmp_path / "out.csv", newline="", encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == shown + 1


def test_exports_and_imports_show_the_wait_cursor_while_they_work(main_window, tmp_path,
                                                                   monkeypatch, bundled_path):
    """A CSV export of 100k events takes ~7 s, Markdown ~15 s, adding a 10k-event file ~4 s:
    the window looked hung, with no sign of work (Export > PDF showed the wait cursor)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from briefing_app.model import importing
    from briefing_app.ui import interchange

    window = main_window
    cursors = []

    def cursor():
        shown = QGuiApplication.overrideCursor()
        cursors.append(shown.shape() if shown is not None else None)

    for kind, (label, kinds, suffix, write) in list(interchange.FORMATS.items()):
        monkeypatch.setitem(interchange.FORMATS, kind, (label, kinds, suffix, lambda *a, w=write:
                                                        cursor() or w(*a)))
    monkeypatch.setattr(interchange, "ask_export_path", lambda parent, title, start, kinds:
                        str(tmp_path / ("out" + start[start.rindex("."):])))
    monkeypatch.setattr(interchange, "ask_import_path", lambda *a: str(bundled_path))
    real_import = importing.import_file
    monkeypatch.setattr(interchange, "import_file", lambda path: cursor() or real_import(path))
    real_add = window.editor.add_briefing
    monkeypatch.setattr(window.editor, "add_briefing", lambda *a: cursor() or real_add(*a))
    before = len(window.briefing.events)
    for action in ("export_csv", "export_timelinejs", "export_md", "add_events"):
        getattr(window.actions, action).trigger()
    assert cursors == [Qt.CursorShape.WaitCursor] * 5  # 3 exports; a file read, then added
    assert QGuiApplication.overrideCursor() is None  # and back to normal after each
    assert len(window.briefing.events) == 2 * before
    window.doc.undo_stack.setClean()


def test_home_and_end_in_the_list_go_to_the_first_and_last_event(main_window, qtbot):
    """A table's Home/End moved between the columns of the row: nothing a reader saw."""
    window = main_window
    last = window.model.rowCount() - 1
    window.event_list.setFocus()
    window.select_row(5)
    qtbot.keyClick(window.event_list, Qt.Key.Key_End)
    assert window.selection.currentIndex().row() == last
    assert window.current_event().title in window.detail.toPlainText()
    qtbot.keyClick(window.event_list, Qt.Key.Key_Home)
    assert window.selection.currentIndex().row() == 0
    assert window._selected_rows() == [0]


@pytest.mark.parametrize("view", ["event_list", "timeline"])
def test_esc_in_the_list_or_timeline_goes_back_to_the_summary(main_window, qtbot, view):
    """Once an event was chosen, nothing (keyboard or mouse) showed the summary again."""
    window = main_window
    window.select_row(3)
    widget = getattr(window, view)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert window.current_event() is None and not window._selected_rows()
    qtbot.wait_until(lambda: window.briefing.title in window.detail.toPlainText())
    qtbot.keyClick(widget, Qt.Key.Key_Right if view == "timeline" else Qt.Key.Key_Down)
    assert window.current_event() is not None  # and the keys lead back into the events


def test_go_menu_shows_the_summary(main_window, qtbot):
    window = main_window
    window.select_row(2)
    assert window.actions.summary in window.menuBar().actions()[3].menu().actions()
    window.actions.summary.trigger()
    assert window.current_event() is None
    qtbot.wait_until(lambda: "events ·" in window.detail.toPlainText())


def test_keyboard_zoom_keeps_the_selected_event_in_view(main_window, monkeypatch):
    """With the mouse away from the timeline, Ctrl++ zoomed on the middle of the view: a
    few presses and the event being read was off screen (a 3-day view of mid-2021)."""
    from PySide6.QtCore import QPoint

    from briefing_app.ui import timeline_view

    class Away:
        @staticmethod
        def pos():
            return QPoint(-10000, -10000)

    monkeypatch.setattr(timeline_view, "QCursor", Away)
    window = main_window
    window.select_event_id("dsca-notifies-congress")
    timeline = window.timeline
    event_index = window.briefing.events.index(window.current_event())
    item = timeline.timeline_layout.item_of(event_index)
    for _ in range(40):
        window.actions.zoom_in.trigger()
    t0, t1 = timeline.visible_range()
    assert t1 - t0 < 10  # zoomed in all the way
    assert item.start <= t1 and item.end >= t0


def test_add_events_from_a_file_into_the_open_briefing_and_undo(main_window, tmp_path,
                                                                 monkeypatch, dialog_calls):
    """Import could only replace the briefing (merging took Ctrl+A, copy, reopen, paste):
    File > Add Events from File adds them, sources matched, in one step Undo takes back."""
    from briefing_app.ui import interchange

    window = main_window
    before = [e.id for e in window.briefing.events]
    sources_before = len(window.briefing.sources)
    csv_path = tmp_path / "more.csv"
    csv_path.write_text("Date,Headline,Notes,Source,URL\n"
                        "2026-03-01,Port talks resume,First round.,Reuters,https://r.example/a\n"
                        "2026-03-02,Second round,,Reuters,https://r.example/a\n",
                        encoding="utf-8")
    monkeypatch.setattr(interchange, "ask_import_path", lambda *a: str(csv_path))
    window.actions.add_events.trigger()
    events = window.briefing.events
    assert [e.id for e in events[:len(before)]] == before  # nothing of the briefing replaced
    added = events[len(before):]
    assert [e.title for e in added] == ["Port talks resume", "Second round"]
    assert len(window.briefing.sources) == sources_before + 1  # one Reuters, added once
    assert window.path is not None and window.isWindowModified()
    assert "Added 2 events from more.csv" in window.statusBar().currentMessage()
    assert [e.id for e in window.selected_events()] == [e.id for e in added]
    assert window.actions.undo.text() == "&Undo Add 2 Events"
    window.doc.undo_stack.undo()
    assert [e.id for e in window.briefing.events] == before
    assert len(window.briefing.sources) == sources_before
    assert not window.isWindowModified()
