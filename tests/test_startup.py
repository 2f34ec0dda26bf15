"""Start-up draws the briefing first and loads what that frame does not need afterwards."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Not needed to draw the timeline and the event list; each costs start-up time when imported.
DEFERRED = ("markdown", "dateutil", "briefing_app.export", "briefing_app.ui.event_form",
            "briefing_app.ui.editing", "briefing_app.ui.briefing_dialogs",
            "briefing_app.ui.print_support", "briefing_app.ui.interchange", "briefing_app.cli",
            # saving only (orjson brings uuid and platform); calendar: see model/dates.py
            "orjson", "queue", "calendar",
            "ctypes")  # (model/heap.py, after a large file's idle check)

# Stops at the first painted widget of the window, as benchmarks/run.py does, then waits for
# the summary that follows it.
SCRIPT = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from briefing_app.app import create_application, create_window
deferred = %r
app = create_application()
win = create_window(None)
out = {}
def loaded():
    return sorted(m for m in deferred if m in sys.modules or any(
        k.startswith(m + ".") for k in sys.modules))
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and "first" not in out and obj.isWidgetType() \\
                and obj.window() is win:
            out["first"] = {"loaded": loaded(), "events": len(win.timeline.timeline_layout),
                            "rows": win.model.rowCount()}
        return False
def summary_shown():
    if win.briefing.title in win.detail.toPlainText():
        out["after"] = loaded()
        print(json.dumps(out), flush=True)
        app.quit()
watch = Watch()
app.installEventFilter(watch)
poll = QTimer(interval=20)
poll.timeout.connect(summary_shown)
poll.start()
QTimer.singleShot(10000, app.quit)
win.show()
app.exec()
"""


def test_first_frame_shows_the_briefing_without_the_deferred_modules(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[key] = str(tmp_path / key.lower())
    out = subprocess.run([sys.executable, "-c", SCRIPT % (DEFERRED,)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    lines = out.stdout.strip().splitlines()
    assert lines, out.stderr
    report = json.loads(lines[-1])
    assert report["first"] == {"loaded": [], "events": 14, "rows": 14}
    # The summary (and with it Markdown) follows right after the first frame; so may the
    # idle check of how the file is laid out for the save (Document.prepare_save: orjson).
    assert "markdown" in report["after"]
    assert set(report["after"]) <= {"markdown", "orjson"}


# PySide builds its Python classes when first used, each with its enums; some cost start-up
# milliseconds: QStyle (~6 ms), and every QWidget subclass at once (~7 ms) when Python is
# first handed a QWidget made in C++ (such as a scroll area's own viewport). The filter
# watches the window only, as benchmarks/run.py does: an application-wide one is handed
# Qt's private objects, which sets off that search itself.
CLASSES_SCRIPT = """
import json, sys
import PySide6.QtGui as gui, PySide6.QtWidgets as widgets
from PySide6.QtCore import QEvent, QObject, QTimer
from briefing_app.app import create_application, create_window
watched = %r
def built():
    return sorted(name for name in watched if name in {**gui.__dict__, **widgets.__dict__})
out = {"lazy": not built() and "QUndoView" not in widgets.__dict__}
app = create_application()
win = create_window(None)
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and "first" not in out:
            out["first"] = built()
            print(json.dumps(out), flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
win.installEventFilter(watch)
QTimer.singleShot(10000, app.quit)
win.show()
app.exec()
"""
NOT_BUILT = ("QStyle", "QFileDialog", "QTabWidget", "QCalendarWidget")


def test_first_frame_builds_no_costly_pyside_classes(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[key] = str(tmp_path / key.lower())
    out = subprocess.run([sys.executable, "-c", CLASSES_SCRIPT % (NOT_BUILT,)], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = out.stdout.strip().splitlines()
    assert lines, out.stderr
    report = json.loads(lines[-1])
    if not report["lazy"]:
        pytest.skip("this PySide builds its classes eagerly")
    assert report["first"] == []
