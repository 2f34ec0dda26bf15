"""Shared test set-up: Qt offscreen, a Hypothesis profile for busy CI, isolated settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Two busy cores in CI: timing-based health checks would only make tests flaky.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "events.json"


@pytest.fixture
def bundled_path() -> Path:
    return BUNDLED


@pytest.fixture
def encoded_ids(monkeypatch):
    """Call it to record, from then on, the ids of the events a save encodes rather than
    copies from an earlier file (storage.event_json)."""
    from briefing_app.model import storage

    def start() -> list[str]:
        encoded: list[str] = []
        real = storage.event_json
        monkeypatch.setattr(storage, "event_json", lambda e: encoded.append(e.id) or real(e))
        return encoded

    return start


@pytest.fixture
def briefing():
    from briefing_app.model import storage

    return storage.load(BUNDLED)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Point QSettings and app data at a private folder so tests never touch ~/.config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


@pytest.fixture(autouse=True)
def dialog_calls(monkeypatch):
    """No test may block on a modal message box: answer them and record what was shown.

    A test that cares about the answer monkeypatches the function again.
    """
    from PySide6.QtWidgets import QMessageBox

    from briefing_app.ui import dialogs

    calls = []

    def record(name, answer):
        def fake(*args, **kwargs):
            calls.append((name, args))
            return answer
        return fake

    for name in ("show_load_error", "show_error", "show_internal_error", "show_about"):
        monkeypatch.setattr(dialogs, name, record(name, None))
    monkeypatch.setattr(dialogs, "confirm_discard", record("confirm_discard", True))
    monkeypatch.setattr(dialogs, "ask_save_changes",
                        record("ask_save_changes", QMessageBox.StandardButton.Discard))
    monkeypatch.setattr(dialogs, "ask_reload", record("ask_reload", False))
    monkeypatch.setattr(dialogs, "ask_overwrite_changed", record("ask_overwrite_changed", False))
    monkeypatch.setattr(dialogs, "ask_restore", record("ask_restore", False))
    return calls


@pytest.fixture(autouse=True, scope="session")
def release_clipboard_at_exit():
    """Copied events live in a Python-made QMimeData that must not outlive Python."""
    yield
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        from briefing_app.ui.editing import release_clipboard

        release_clipboard()


@pytest.fixture
def resource_requests(monkeypatch):
    """Every resource a SafeTextDocument asks for, allowed or not; `refused` starts empty."""
    from briefing_app.render.rich_text import SafeTextDocument

    asked = []
    real = SafeTextDocument.loadResource

    def spy(self, kind, url):
        asked.append(url.toString())
        return real(self, kind, url)

    monkeypatch.setattr(SafeTextDocument, "loadResource", spy)
    monkeypatch.setattr(SafeTextDocument, "refused", [])
    return asked


@pytest.fixture
def settings(tmp_path):
    from briefing_app.ui.settings import Settings

    return Settings(str(tmp_path / "settings.ini"))


@pytest.fixture
def main_window(qtbot, settings, bundled_path):
    """The window at laptop size, shown, with the bundled briefing open."""
    from briefing_app.ui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(str(bundled_path))
    return window


@pytest.fixture
def answer_form():
    """answer_form(fill): the next EventForm to open gets `fill(form)`, then OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from briefing_app.ui.event_form import EventForm

    def answer(fill):
        def run():
            form = next(w for w in QApplication.topLevelWidgets()
                        if isinstance(w, EventForm) and w.isVisible())
            fill(form)
            form.accept()
        QTimer.singleShot(0, run)
    return answer

