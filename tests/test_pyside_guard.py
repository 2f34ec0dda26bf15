"""Guard against PySide6 6.12.0 on Python 3.11 aborting after ~5,000 None-returning calls."""

import os
import subprocess
import sys
from importlib.metadata import version

CODE = """
from PySide6.QtGui import QGuiApplication, QImage, QPainter
app = QGuiApplication([])
image = QImage(64, 64, QImage.Format.Format_ARGB32)
painter = QPainter(image)
for i in range(50_000):
    painter.drawRect(i % 60, 0, 3, 3)   # returns None: the call that leaked a reference
painter.end()
print("survived")
"""


def test_fifty_thousand_none_returning_qt_calls_do_not_abort():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"


def test_the_installed_pyside6_respects_the_pin():
    installed = tuple(int(x) for x in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert installed < (6, 12)


DROPPED_WINDOWS = """
import gc, sys
from PySide6.QtWidgets import QApplication
from briefing_app.model import storage
from briefing_app.ui.event_form import EventForm
from briefing_app.ui.main_window import MainWindow
from briefing_app.ui.settings import Settings

app = QApplication([])
briefing = storage.load(sys.argv[1])
kept = [EventForm(briefing)]       # an earlier window, still open...
gc.collect()                       # ...its wrappers now in the oldest generation
for make in (lambda: EventForm(briefing), lambda: MainWindow(Settings(sys.argv[2]))):
    make().windowTitle()           # Python-owned windows dropped at once, left in cycles
    gc.collect()                   # the collector clears them
    EventForm(briefing).windowTitle()  # a new window still has a screen
print("survived")
"""


def test_collecting_a_dropped_window_keeps_the_screen(tmp_path, bundled_path):
    """widget.screen() made the QScreen a Python child of the widget: clearing the widget in
    a garbage collection deleted the only screen, and the next widget crashed (segfault)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", DROPPED_WINDOWS, str(bundled_path),
                             str(tmp_path / "settings.ini")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"


def test_no_widget_adopts_the_screen(qtbot, main_window, briefing):
    import gc

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from briefing_app.ui.event_form import EventForm

    form = EventForm(briefing, parent=main_window)
    qtbot.addWidget(form)
    screen = QGuiApplication.primaryScreen()
    assert [r for r in gc.get_referrers(screen) if isinstance(r, QWidget)] == []
