"""The start-up floor: a bare window with the app's widgets and no app code vs an empty one.

    python benchmarks/startup_floor.py [--repeat R]

What the start-up figure of run.py cannot go below while the window keeps its widgets: the
same menus, toolbar, splitters, a scroll area painting text in Python, a table over a Python
model, a text browser, a hidden dock and a status bar, built with PySide and nothing else.
Both scripts run as fresh processes, interleaved, and report their window's first paint the
way run.py's APP_WINDOW does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

import run

BARE_WINDOW = """
import json, os, time
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPainter
from PySide6.QtWidgets import (QAbstractScrollArea, QApplication, QDockWidget, QHeaderView,
    QLabel, QLineEdit, QMainWindow, QSplitter, QTableView, QTextBrowser, QTreeWidget, QWidget)
app = QApplication([])
class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 14
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 3
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return f"cell {index.row()} {index.column()}" if role == Qt.ItemDataRole.DisplayRole \\
            else None
class Timeline(QAbstractScrollArea):
    def paintEvent(self, event):
        painter = QPainter(self.viewport())
        painter.drawText(20, 20, "timeline")
        painter.end()
win = QMainWindow()
win.resize(1280, 760)
timeline = Timeline()
timeline.setViewport(QWidget())  # as the app's TimelineView does
model = Model()
table = QTableView()
table.setModel(model)
table.verticalHeader().hide()
table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
bottom = QSplitter(Qt.Orientation.Horizontal)
bottom.addWidget(table)
bottom.addWidget(QTextBrowser())
main = QSplitter(Qt.Orientation.Vertical)
main.addWidget(timeline)
main.addWidget(bottom)
win.setCentralWidget(main)
dock = QDockWidget("Sources")
dock.setWidget(QTreeWidget())
win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
dock.hide()
for name in ("&File", "&Edit", "&View", "&Go", "&Help"):
    menu = win.menuBar().addMenu(name)
    for i in range(10):
        action = QAction(f"Action {i}", win)
        action.setShortcut(QKeySequence(f"Ctrl+Shift+{i}"))
        action.setIcon(QIcon.fromTheme("document-open"))
        menu.addAction(action)
        win.addAction(action)
toolbar = win.addToolBar("Main")
for i in range(6):
    toolbar.addAction(f"T{i}")
toolbar.addWidget(QLineEdit())
win.statusBar().addPermanentWidget(QLabel("14 events"))
out = {}
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj is win and "first" not in out:
            out["first"] = time.monotonic()
            QTimer.singleShot(0, done)
        return False
def done():
    out["loaded"] = time.monotonic()
    print(json.dumps(out), flush=True)
    os._exit(0)
watch = Watch()
win.installEventFilter(watch)
win.show()
app.exec()
"""


def measure(repeat: int) -> dict:
    env = run.child_env(tempfile.mkdtemp(prefix="briefing-bench-"))
    run.run_child(run.EMPTY_WINDOW, [], env)  # warm-up: the bytecode and disk caches
    run.run_child(BARE_WINDOW, [], env)
    empty, bare = [], []
    for _ in range(repeat):  # interleaved, so that a busy moment hits both alike
        empty.append(run.run_child(run.EMPTY_WINDOW, [], env)[0])
        start = time.monotonic()
        _, line = run.run_child(BARE_WINDOW, [], env)
        bare.append((json.loads(line)["first"] - start) * 1000)
    return {"empty_window": run.summary(empty), "bare_window": run.summary(bare),
            "ratio": statistics.median(bare) / statistics.median(empty)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    result = measure(parser.parse_args().repeat)
    for key in ("empty_window", "bare_window"):
        s = result[key]
        print(f"{key:13s} median {s['median']:6.1f} ms  min {s['min']:6.1f}  max {s['max']:6.1f}")
    print(f"ratio of medians {result['ratio']:.2f}")


if __name__ == "__main__":
    main()
