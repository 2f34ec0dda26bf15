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
