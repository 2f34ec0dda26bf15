"""A large briefing loads on a worker thread; the window stays usable and errors still show."""

import json

import pytest

from briefing_app.ui import loader
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "ASYNC_BYTES", 0)  # every file takes the threaded path
    w = MainWindow(Settings(str(tmp_path / "s.ini")))
    qtbot.addWidget(w)
    w.show()
    return w


def test_large_file_loads_off_the_gui_thread(window, qtbot, bundled_path):
    with qtbot.wait_signal(window.doc.replaced, timeout=10000):
        assert window.open_path(str(bundled_path))  # returns before the briefing is there
        assert window.files.loader.busy
    assert not window.files.loader.busy
    assert window.model.rowCount() >= 12
    assert window.windowTitle().endswith("events.json[*]")
    # The summary waited for the loaded briefing (not rendered for the one being replaced).
    qtbot.wait_until(lambda: window.briefing.title in window.detail.toPlainText(), timeout=5000)


def test_threaded_load_error_is_shown_and_keeps_the_briefing(window, qtbot, tmp_path,
                                                             bundled_path, dialog_calls):
    with qtbot.wait_signal(window.doc.replaced, timeout=10000):
        window.open_path(str(bundled_path))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "events": [{"id": "a", "date": "2019"}]}))
    window.open_path(str(bad))
    qtbot.wait_until(lambda: not window.files.loader.busy, timeout=10000)
    assert dialog_calls and dialog_calls[-1][0] == "show_load_error"
    assert "events[0].title" in dialog_calls[-1][1][2][0]
    assert window.model.rowCount() >= 12


def test_a_large_file_is_sorted_and_laid_out_on_the_worker(window, qtbot, bundled_path,
                                                             monkeypatch):
    """The GUI thread gets the index and the layout ready-made: it would freeze ~0.7 s at 100k."""
    import threading

    from briefing_app.model import layout
    from briefing_app.ui import main_window, timeline_view

    threads, indexes = [], []

    def recording(build):
        def build_layout(*args, **kwargs):
            threads.append(threading.current_thread().name)
            return build(*args, **kwargs)
        return build_layout

    def recording_index(briefing):
        index = main_window_index(briefing)
        indexes.append((threading.current_thread().name, index))
        return index

    main_window_index = main_window.SearchIndex
    monkeypatch.setattr(main_window, "build_layout", recording(layout.build_layout))
    monkeypatch.setattr(timeline_view, "build_layout", recording(layout.build_layout))
    monkeypatch.setattr(main_window, "SearchIndex", recording_index)
    with qtbot.wait_signal(window.doc.replaced, timeout=10000):
        window.open_path(str(bundled_path))
    window.timeline.viewport().repaint()
    assert threads == ["briefing-load"]  # built once, and not on the GUI thread
    shown = window.timeline.timeline_layout
    assert len(shown) == len(window.briefing.events)
    # The worker's index, not one made again here. (Not "not yet prepared": the idle timer
    # may fold the 14 events' texts before wait_signal returns.)
    assert [name for name, _ in indexes] == ["briefing-load"]
    assert window.index is indexes[0][1] and window.index.order()
    assert shown.briefing is window.briefing


@pytest.mark.parametrize("change", ["lane mode", "row order"])
def test_an_adopted_layout_is_used_only_while_it_fits(window, qtbot, bundled_path, change):
    from briefing_app.model.layout import build_layout

    with qtbot.wait_signal(window.doc.replaced, timeout=10000):
        window.open_path(str(bundled_path))
    view, rows = window.timeline, list(window.model.rows)
    made = build_layout(window.briefing, rows, "actor")
    if change == "lane mode":
        view.set_lane_mode("tag")  # changed while the file was loading
    view.adopt_layout(made, rows[::-1] if change == "row order" else rows)
    view._whole = None  # lay out all events again, now
    view._rebuild()
    assert view.timeline_layout is not made
    assert view.timeline_layout.mode == ("tag" if change == "lane mode" else "actor")


def test_the_summary_returns_after_a_failed_load(window, qtbot, tmp_path, bundled_path):
    with qtbot.wait_signal(window.doc.replaced, timeout=10000):
        window.open_path(str(bundled_path))
    window.select_row(3)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    window.open_path(str(bad))
    assert window.files.loader.busy
    window.selection.clearSelection()  # while it loads: no summary yet (see _show_summary)
    window.selection.setCurrentIndex(window.model.index(-1, -1),
                                     window.selection.SelectionFlag.Clear)
    qtbot.wait_until(lambda: not window.files.loader.busy, timeout=10000)
    qtbot.wait_until(lambda: window.briefing.title in window.detail.toPlainText(), timeout=5000)
