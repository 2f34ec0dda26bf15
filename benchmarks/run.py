"""Times Briefing at 1k, 10k and 100k events and checks the figures against their targets.

    python benchmarks/run.py [--events N ...] [--repeat R] [--json] [--plot]

Each size runs in a fresh worker process (so peak memory is its own) that times: load +
validate; opening the file in a shown main window up to its first painted frame; painting
one timeline frame fitted to all events and one zoomed to ~200 visible events; 200 scripted
pan/zoom steps of the live timeline; selecting an event with a ~2 KB note until the detail
pane has rendered it; keystrokes in the search field (each up to the repainted window);
PDF export of 1k events; save. Two baselines are timed in the same run and every figure is
also printed as a ratio to them: `json.loads` of the same file (in the worker), and the
first paint of an empty QMainWindow in a fresh process (interpreter and Qt start included).
Start-up and memory are measured in fresh processes too: the app with the bundled briefing,
or with the generated file, up to its first painted timeline.

Without --events all three sizes run (100k takes a few minutes and ~2 GB of memory);
--plot draws docs/scaling.png with QPainter. Generated files are cached in
benchmarks/data/ (see generate.py). Not part of the test suite: timings on a shared machine
are noisy, so tests/test_perf_guards.py checks the *shape* of the work instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

SIZES = (1000, 10_000, 100_000)
ZOOM_ITEMS = 200
PAN_ZOOM_STEPS = 200
NOTE_CHARS = (1800, 2000)  # "a 2 KB note"
SEARCH_WORD = "valparaiso"  # a place name; typed without its accent
FRAME = (1300, 400)  # the timeline pane of a laptop window, in px

# name -> (label, unit); the order of the table
FIGURES = {
    "json_loads": ("json.loads of the file (baseline)", "ms"),
    "load": ("load + validate", "ms"),
    "open_first_paint": ("open file -> first painted frame (in app)", "ms"),
    "frame_fitted": ("timeline frame, fitted to all", "ms"),
    "frame_zoomed": ("timeline frame, zoomed (~200 visible)", "ms"),
    "pan_zoom_p95": ("pan/zoom step p95 (200 steps, repainted)", "ms"),
    "select_detail": ("select -> detail rendered (2 KB note)", "ms"),
    "select_frame": ("select -> window repainted", "ms"),
    "search_first": ("first search keystroke after open", "ms"),
    "search_key": ("search keystroke, repainted", "ms"),
    "search_key_max": ("search keystroke, worst of a word", "ms"),
    "search_wait": ("search keystroke, longest GUI wait", "ms"),
    "search_wait_max": ("search keystroke, longest GUI wait, worst", "ms"),
    "pdf_export": ("PDF export", "ms"),
    "save": ("save, every event encoded (a new file)", "ms"),
    "save_check": ("idle check of the opened file, for saving", "ms"),
    "save_edit": ("save after one edit (Ctrl+S)", "ms"),
    "save_as": ("Save As after one edit (copies from the open file)", "ms"),
    "proc_json": ("process: json.loads only (baseline)", "ms"),
    "proc_window": ("process: start -> window painted (file still loading)", "ms"),
    "proc_stall": ("process: longest event-loop stall while loading", "ms"),
    "proc_first_paint": ("process: file -> first painted timeline", "ms"),
    "peak_rss": ("peak RSS (process above)", "MB"),
    "steady_rss": ("steady RSS after search + select", "MB"),
}


# --- helpers ---------------------------------------------------------------------------

def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": [round(v, 3) for v in values]}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KB on Linux


def child_env(home: str) -> dict[str, str]:
    """Offscreen unless a display is wanted, and settings/recovery in a private folder."""
    env = dict(os.environ)
    if not env.get("QT_QPA_PLATFORM") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[key] = os.path.join(home, key.lower())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    # Start-up is timed as an installed app starts: from cached bytecode. A private cache
    # keeps the checkout clean (and works where PYTHONDONTWRITEBYTECODE is set).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(home, "pycache")
    return env


# --- fresh processes: start-up and memory ----------------------------------------------

# Both scripts print the monotonic clock (system-wide on Linux) at their first painted frame
# and exit at once; the parent subtracts the time it took just before starting them.
EMPTY_WINDOW = """
import os, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
win = QMainWindow()
win.resize(1280, 760)
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj is win:
            QTimer.singleShot(0, done)
        return False
def done():
    print(time.monotonic(), flush=True)
    os._exit(0)
watch = Watch()
win.installEventFilter(watch)
win.show()
app.exec()
"""

APP_WINDOW = """
import gc, json, os, resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from briefing_app.app import create_application, create_window
path, expected, measure_memory = sys.argv[1] or None, int(sys.argv[2]), sys.argv[3] == "1"
app = create_application()
win = create_window(path)
out = {"stall": 0.0}
# "Responsive while loading": a 10 ms timer notes the longest wait between its ticks from
# the start of the event loop to the painted timeline.
ticks = [time.monotonic()]
def tick():
    now = time.monotonic()
    out["stall"] = max(out["stall"], (now - ticks[0]) * 1000)
    ticks[0] = now
heartbeat = QTimer(interval=10)
heartbeat.timeout.connect(tick)
def loaded():
    return len(win.timeline.timeline_layout) >= expected
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not out.get("pending"):
            if "first" not in out and obj is win:
                out["first"] = time.monotonic()
            if obj is win.timeline.viewport() and loaded():
                out["pending"] = True
                QTimer.singleShot(0, done)
        return False
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
def done():
    out["loaded"] = time.monotonic()
    heartbeat.stop()
    tick()  # the wait since the last tick counts too
    if measure_memory:
        out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        win.select_row(win.model.rowCount() // 2)
        win.filter_bar.search.setText("valparaiso")
        win.filter_bar.emit_query()
        # Searches run in slices; the index and the save's check of the file in idle time.
        while (win.search_runner.busy or not win.index.is_prepared
               or not win.doc.save_prepared):
            app.processEvents()
        win.filter_bar.search.setText("")
        win.filter_bar.emit_query()
        app.processEvents()
        gc.collect()
        out["steady_rss"] = rss()
        out["peak_rss_after"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    out.pop("pending")
    print(json.dumps(out), flush=True)
    os._exit(0)
# On the window and the timeline only, as EMPTY_WINDOW watches only its window: an
# app-wide Python filter is handed Qt's private objects too (an animation timer), and
# wrapping them costs PySide ~20 ms that the app itself never pays.
watch = Watch()
win.installEventFilter(watch)
win.timeline.viewport().installEventFilter(watch)
ticks[0] = time.monotonic()
heartbeat.start()
win.show()
app.exec()
"""

JSON_ONLY = """
import json, sys, time
json.loads(open(sys.argv[1], "rb").read())
print(time.monotonic(), flush=True)
"""


def run_child(code: str, args: list[str], env: dict[str, str],
              timeout: float = 600) -> tuple[float, str]:
    """(ms from just before the start to the child's report, its last stdout line)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=str(ROOT))
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    last = lines[-1]
    reported = json.loads(last)
    stamp = reported if isinstance(reported, float) else reported["loaded"]
    return (stamp - start) * 1000, last


def measure_startup(repeat: int, env: dict[str, str]) -> dict:
    """The bundled briefing to its first painted frame vs an empty QMainWindow's first paint."""
    empty, first, loaded = [], [], []
    run_child(EMPTY_WINDOW, [], env)  # warm-up: fills the bytecode cache, the disk cache
    run_child(APP_WINDOW, ["", "1", "0"], env)
    for _ in range(repeat):  # interleaved, so that a busy moment hits both alike
        empty.append(run_child(EMPTY_WINDOW, [], env)[0])
        start = time.monotonic()
        total, line = run_child(APP_WINDOW, ["", "1", "0"], env)
        loaded.append(total)
        first.append((json.loads(line)["first"] - start) * 1000)
    return {"empty_window": summary(empty), "app_first_frame": summary(first),
            "app_bundled_loaded": summary(loaded)}


def measure_process(path: Path, n: int, repeat: int, env: dict[str, str]) -> dict:
    """A process that opens `path` up to its painted timeline vs one that only parses it."""
    first, window, stall, parse, peak, steady = [], [], [], [], [], []
    run_child(JSON_ONLY, [str(path)], env)  # warm-up: the file into the disk cache
    for _ in range(repeat):
        parse.append(run_child(JSON_ONLY, [str(path)], env)[0])
        start = time.monotonic()
        total, line = run_child(APP_WINDOW, [str(path), str(n), "1"], env)
        first.append(total)
        report = json.loads(line)
        window.append((report["first"] - start) * 1000)
        stall.append(report["stall"])
        peak.append(report["peak_rss"])
        steady.append(report["steady_rss"])
    return {"proc_json": summary(parse), "proc_window": summary(window),
            "proc_stall": summary(stall), "proc_first_paint": summary(first),
            "peak_rss": summary(peak), "steady_rss": summary(steady)}


# --- the worker: one size, in one process ----------------------------------------------

class Worker:
    """Times everything that runs inside one app process for the file of `n` events."""

    def __init__(self, n: int, repeat: int) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication

        from briefing_app.app import create_application

        self.n, self.repeat = n, repeat
        self.path = generate.ensure(n)
        self.app: QApplication = create_application()
        self.home = tempfile.mkdtemp(prefix="briefing-bench-")
        self.results: dict = {"file_mb": self.path.stat().st_size / 1e6}
        self.paints = 0
        worker = self

        class PaintCounter(QObject):
            def eventFilter(self, obj, ev):  # noqa: N802 (Qt override)
                if ev.type() == QEvent.Type.Paint and obj is worker.watched:
                    worker.paints += 1
                    if worker.loop is not None and worker.ready():
                        loop, worker.loop = worker.loop, None
                        QTimer.singleShot(0, loop.quit)  # after this frame is painted
                return False

        self.watched = None
        self.ready = None
        self.loop = None
        self._counter = PaintCounter()
        self.app.installEventFilter(self._counter)

    def record(self, name: str, values: list[float], **extra) -> None:
        self.results[name] = {**summary(values), **extra}

    def settle(self, viewport, ready=lambda: True, limit_s: float = 120.0) -> None:
        """Run the event loop until `viewport` paints while `ready()`, and that frame is done.

        A blocking QEventLoop, not a processEvents() spin: a spin would take the GIL from
        a loader thread and slow down what it measures.
        """
        from PySide6.QtCore import QEventLoop, QTimer

        self.watched, self.ready = viewport, ready
        self.loop = loop = QEventLoop()
        QTimer.singleShot(int(limit_s * 1000), loop.quit)
        viewport.update()
        loop.exec()
        if self.loop is not None:
            self.loop = None
            raise RuntimeError("nothing was painted in time")
        self.app.processEvents()

    def new_window(self):
        from briefing_app.ui.main_window import MainWindow
        from briefing_app.ui.settings import Settings

        window = MainWindow(Settings(os.path.join(self.home, "settings.ini")))
        window.resize(1440, 900)
        window.show()
        self.settle(window.timeline.viewport())
        return window

    # the measures ------------------------------------------------------------------------
    def baseline(self) -> None:
        runs = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            data = json.loads(self.path.read_bytes())
            runs.append(ms_since(start))
            del data
            gc.collect()
        self.record("json_loads", runs)

    def load(self) -> None:
        from briefing_app.model import storage

        runs = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            briefing = storage.load(self.path)
            runs.append(ms_since(start))
            del briefing
            gc.collect()
        self.record("load", runs)

    def open_window(self):
        """Open the file in a fresh shown window each run; keep the last window."""
        runs, window = [], None
        for _ in range(self.repeat):
            if window is not None:
                window.close()
                window.deleteLater()
                self.app.processEvents()
                window = None
                gc.collect()
            window = self.new_window()
            start = time.perf_counter()
            assert window.open_path(str(self.path))
            self.settle(window.timeline.viewport(),
                        lambda w=window: len(w.timeline.timeline_layout) == self.n)
            runs.append(ms_since(start))
            assert len(window.timeline.timeline_layout) == self.n
        self.record("open_first_paint", runs)
        return window

    def frames(self, window) -> None:
        """One frame fitted to all events, one zoomed to ~200 visible ones, freshly laid out."""
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QImage, QPainter

        from briefing_app.render.timeline_painter import TimelinePainter, TimelinePalette

        layout = window.timeline.timeline_layout
        image = QImage(*FRAME, QImage.Format.Format_ARGB32_Premultiplied)
        rect = QRectF(0, 0, *FRAME)
        painter = TimelinePainter()
        palette = TimelinePalette.light()
        font = window.timeline.font()

        def frame(t0: float, t1: float) -> float:
            qp = QPainter(image)
            qp.setRenderHint(QPainter.RenderHint.Antialiasing)
            start = time.perf_counter()
            painter.paint(qp, rect, layout, t0, t1, palette=palette, font=font)
            elapsed = ms_since(start)
            qp.end()
            return elapsed

        runs = 3 * self.repeat
        t0, t1 = layout.full_range()
        frame(t0, t1)  # warm-up: fonts, glyph caches
        # A new range each time (by a millionth of a day): a frame never reuses the last one.
        fitted = [frame(t0 + k * 1e-6, t1 + k * 1e-6) for k in range(1, runs + 1)]
        self.record("frame_fitted", fitted, visited=painter.items_visited,
                    density=painter.used_density)
        z0, z1 = zoom_range(layout, ZOOM_ITEMS)
        frame(z0, z1)
        zoomed = [frame(z0 + k * 1e-6, z1 + k * 1e-6) for k in range(1, runs + 1)]
        self.record("frame_zoomed", zoomed, visited=painter.items_visited,
                    visible=len(layout.visible(z0, z1)), span_days=round(z1 - z0, 2),
                    density=painter.used_density)

    def pan_zoom(self, window) -> None:
        """200 scripted steps on the live view, each up to its synchronous repaint."""
        view = window.timeline
        middle = 150 + (view.viewport().width() - 150) / 2
        script = ([("zoom", 1.25)] * 24 + [("pan", 90)] * 30 + [("zoom", 0.8)] * 8
                  + [("pan", -120)] * 40 + [("zoom", 1.25)] * 10 + [("pan", 60)] * 40
                  + [("zoom", 0.8)] * 26 + [("pan", -60)] * 22)
        assert len(script) == PAN_ZOOM_STEPS
        p95, medians = [], []
        for _ in range(self.repeat):
            view.fit_all()
            view.viewport().repaint()
            steps = []
            for kind, amount in script:
                start = time.perf_counter()
                if kind == "zoom":
                    view.zoom_at(amount, middle)
                else:
                    view.pan_pixels(amount)
                view.viewport().repaint()
                steps.append(ms_since(start))
            p95.append(percentile(steps, 0.95))
            medians.append(statistics.median(steps))
        self.record("pan_zoom_p95", p95, step_median=statistics.median(medians))
        view.fit_all()

    def select(self, window) -> None:
        model = window.model
        rows = [r for r in range(model.rowCount())
                if NOTE_CHARS[0] <= len(model.event_at(r).notes) <= NOTE_CHARS[1]]
        rows = rows[:: max(1, len(rows) // (3 * self.repeat + 1))][: 3 * self.repeat + 1]
        window.select_row(rows[0])  # warm-up: the Markdown module loads on first use
        self.settle(window.timeline.viewport())
        detail, whole = [], []
        for row in rows[1:]:
            start = time.perf_counter()
            window.select_row(row)
            detail.append(ms_since(start))
            self.settle(window.timeline.viewport())
            whole.append(ms_since(start))
            assert model.event_at(row).title in window.detail.toPlainText()
        self.record("select_detail", detail,
                    note_chars=statistics.median(len(model.event_at(r).notes) for r in rows))
        self.record("select_frame", whole)

    def search(self, window) -> None:
        """Type SEARCH_WORD a key at a time, then clear it. Per key: the time until its rows
        are painted, and the longest the window waited for its event loop meanwhile (how
        long typing and painting freeze; the search runs in slices between them)."""
        from PySide6.QtCore import QTimer

        bar, view, runner = window.filter_bar, window.timeline, window.search_runner
        runner.finished.connect(view.viewport().update)  # paints even when no row changed
        ticks = [0.0, 0.0]  # last tick, longest gap

        def tick() -> None:
            now = time.perf_counter()
            ticks[1] = max(ticks[1], (now - ticks[0]) * 1000)
            ticks[0] = now

        heartbeat = QTimer(interval=1)
        heartbeat.timeout.connect(tick)
        heartbeat.start()
        first, keys, worst, stalls, matches = None, [], [], [], []
        first_stall = None
        for _ in range(self.repeat):
            typed, waits = [], []
            for k in range(1, len(SEARCH_WORD) + 2):
                text = SEARCH_WORD[:k] if k <= len(SEARCH_WORD) else ""
                start = ticks[0] = time.perf_counter()
                ticks[1] = 0.0
                bar.search.setText(text)
                bar.emit_query()  # what the debounce timer does 150 ms later
                self.settle(view.viewport(), lambda: not runner.busy)
                typed.append(ms_since(start))
                tick()
                waits.append(ticks[1])
                if text:
                    matches.append(window.model.rowCount())
            if first is None:
                first, typed = typed[0], typed[1:]
                first_stall, waits = waits[0], waits[1:]
            keys += typed
            stalls += waits
            worst.append(max(typed))
        heartbeat.stop()
        runner.finished.disconnect(view.viewport().update)
        self.record("search_first", [first], longest_wait=round(first_stall, 1))
        self.record("search_key", keys, matches=f"{min(matches)}-{max(matches)}")
        self.record("search_key_max", worst)
        self.record("search_wait", stalls)
        self.record("search_wait_max", [max(stalls)])

    def pdf(self, window) -> None:
        from briefing_app.export import export_pdf

        target = os.path.join(self.home, "out.pdf")
        runs = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            result = export_pdf(window.briefing, target)
            runs.append(ms_since(start))
        self.record("pdf_export", runs, pages=result.pages)

    def save(self, window) -> None:
        """A save to a new file (every event encoded), and Ctrl+S after one edit as the
        window does it: the opened file checked in idle time (Document.prepare_save), then
        only the edited event encoded and the rest copied from the file."""
        import dataclasses
        import shutil

        from briefing_app.model import storage

        target = os.path.join(self.home, "saved.json")
        runs = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            storage.save(window.briefing, target)
            runs.append(ms_since(start))
        self.record("save", runs, identical=Path(target).read_bytes() == self.path.read_bytes())

        mine = os.path.join(self.home, "mine.json")  # the generated file stays as it is
        shutil.copyfile(self.path, mine)
        briefing = dataclasses.replace(window.briefing, events=list(window.briefing.events))
        digest = storage.content_hash(Path(mine).read_bytes())
        start = time.perf_counter()
        *_, layout = storage.check_layout(briefing.events, mine, digest)
        self.record("save_check", [ms_since(start)])
        assert layout is not None, "the generated file is not laid out as save() writes it"
        events, runs = briefing.events, []
        for k in range(max(self.repeat, 5)):
            i = k * 7919 % len(events)
            events[i] = dataclasses.replace(events[i], title=events[i].title + " (edited)")
            start = time.perf_counter()
            layout = storage.save_file(briefing, mine, layout.digest, layout)
            runs.append(ms_since(start))
        self.record("save_edit", runs,
                    identical=Path(mine).read_bytes() == storage.dumps(briefing))
        runs = []
        for k in range(max(self.repeat, 5)):
            events[k] = dataclasses.replace(events[k], title=events[k].title + " (as)")
            start = time.perf_counter()
            storage.save_file(briefing, target, None, layout, source=mine)
            runs.append(ms_since(start))
        self.record("save_as", runs,
                    identical=Path(target).read_bytes() == storage.dumps(briefing))

    def run(self) -> dict:
        self.baseline()
        self.load()
        window = self.open_window()
        self.frames(window)
        self.pan_zoom(window)
        self.select(window)
        self.search(window)
        if self.n <= 1000:
            self.pdf(window)
        self.save(window)
        self.results["worker_peak_rss"] = peak_rss_mb()
        return self.results


def zoom_range(layout, wanted: int) -> tuple[float, float]:
    """A range around the median event where about `wanted` items are visible."""
    middle = layout.starts[len(layout.starts) // 2] + 0.5
    lo, hi = 3.0, max(6.0, layout.full_range()[1] - layout.full_range()[0])
    for _ in range(40):  # bisect the span on the number of visible items
        span = (lo + hi) / 2
        if len(layout.visible(middle - span / 2, middle + span / 2)) > wanted:
            hi = span
        else:
            lo = span
    return middle - lo / 2, middle + lo / 2


# --- the report ------------------------------------------------------------------------

def median(results: dict, n: int, name: str) -> float | None:
    figure = results["sizes"].get(str(n), {}).get(name)
    return figure["median"] if figure else None


def checks(results: dict) -> list[tuple[str, float | None, float | None, str]]:
    """(target, measured, limit, unit) for each target, at the largest size measured."""
    sizes = sorted(int(n) for n in results["sizes"])
    big, small = sizes[-1], sizes[0]
    start = results["startup"]
    m = lambda name, n=big: median(results, n, name)  # noqa: E731
    file_mb = results["sizes"][str(big)]["file_mb"]
    zoomed_small = m("frame_zoomed", small) if small != big else None
    rows = [
        ("start-up, bundled -> first paint <= 1.3 x empty QMainWindow",
         start["app_bundled_loaded"]["median"], 1.3 * start["empty_window"]["median"], "ms"),
        (f"load+validate {big:,} <= 2.0 x json.loads", m("load"), 2.0 * m("json_loads"), "ms"),
        (f"{big:,} file: window painted <= 0.5 s after start", m("proc_window"), 500.0, "ms"),
        (f"{big:,} file -> first painted timeline <= 2.2 x json-only process",
         m("proc_first_paint"), 2.2 * m("proc_json"), "ms"),
        (f"frame fitted at {big:,} <= 16 ms", m("frame_fitted"), 16.0, "ms"),
        (f"frame zoomed at {big:,} <= 4 ms", m("frame_zoomed"), 4.0, "ms"),
        (f"zoomed {big:,} <= 1.5 x zoomed {small:,}", m("frame_zoomed"),
         1.5 * zoomed_small if zoomed_small else None, "ms"),
        (f"pan/zoom p95 at {big:,} <= 16 ms", m("pan_zoom_p95"), 16.0, "ms"),
        (f"select -> detail at {big:,} <= 15 ms", m("select_detail"), 15.0, "ms"),
        (f"search keystroke at {big:,} <= 50 ms (median, rows painted)", m("search_key"),
         50.0, "ms"),
        (f"search keystroke at {big:,}: window never waits > 50 ms", m("search_wait_max"),
         50.0, "ms"),
        ("PDF export of 1,000 <= 1.5 s", median(results, 1000, "pdf_export"), 1500.0, "ms"),
        (f"save {big:,} <= 0.5 s: Ctrl+S after an edit", m("save_edit"), 500.0, "ms"),
        (f"save {big:,} <= 0.5 s: Save As", m("save_as"), 500.0, "ms"),
        (f"save {big:,} <= 0.5 s: every event encoded (a new file)", m("save"), 500.0, "ms"),
        (f"peak RSS at {big:,} <= 5 x file size", m("peak_rss"), 5 * file_mb, "MB"),
        (f"steady RSS at {big:,} <= 3 x file size", m("steady_rss"), 3 * file_mb, "MB"),
    ]
    return rows


def print_report(results: dict) -> None:
    start = results["startup"]
    empty = start["empty_window"]["median"]
    print(f"\nBriefing benchmarks — {results['machine']}")
    if results.get("load_average"):
        print("1-minute load average before and after each size (other work makes figures "
              f"noisy; {os.cpu_count()} CPUs): {results['load_average']}")
    print(f"empty QMainWindow first paint (fresh process): {empty:.0f} ms "
          f"(min {start['empty_window']['min']:.0f}, max {start['empty_window']['max']:.0f})")
    print(f"app, bundled briefing: first frame {start['app_first_frame']['median']:.0f} ms, "
          f"first frame with the briefing {start['app_bundled_loaded']['median']:.0f} ms "
          f"= {start['app_bundled_loaded']['median'] / empty:.2f} x empty")
    for n, figures in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        base = figures["json_loads"]["median"]
        print(f"\n{int(n):,} events, {figures['file_mb']:.1f} MB "
              f"(json.loads {base:.0f} ms, empty window {empty:.0f} ms)")
        print(f"  {'figure':<44}{'median':>9}{'min':>9}{'max':>9}{'x json':>8}{'x empty':>8}")
        for name, (label, unit) in FIGURES.items():
            f = figures.get(name)
            if f is None:
                continue
            ratios = (f"{f['median'] / base:>8.2f}{f['median'] / empty:>8.2f}" if unit == "ms"
                      else f"{f['median'] / figures['file_mb']:>7.2f}x file")
            extra = {k: v for k, v in f.items() if k not in ("median", "min", "max", "runs")}
            note = "  " + ", ".join(f"{k}={v}" for k, v in extra.items()) if extra else ""
            print(f"  {label:<44}{f['median']:>9.1f}{f['min']:>9.1f}{f['max']:>9.1f}"
                  f"{ratios}{note}")
    print("\nTargets")
    for label, value, limit, unit in checks(results):
        if value is None or limit is None:
            print(f"  {'n/a':<5} {label}")
            continue
        verdict = "met" if value <= limit else "MISSED"
        print(f"  {verdict:<7}{label}: {value:.1f} {unit} (limit {limit:.1f} {unit})")


PLOT_LIMITS = {"frame_fitted": 16, "frame_zoomed": 4, "pan_zoom_p95": 16, "select_detail": 15,
               "search_key": 50, "search_wait": 50, "search_wait_max": 50, "pdf_export": 1500,
               "save": 500, "save_edit": 500, "save_as": 500}


def plot(results: dict, path: Path) -> None:
    """Each figure against the event count, on log-log axes, as a grid of small charts."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts need it)
    sizes = sorted(int(n) for n in results["sizes"])
    names = [n for n in FIGURES if any(n in results["sizes"][str(s)] for s in sizes)]
    cols, cell_w, cell_h = 4, 330, 230
    rows = (len(names) + cols - 1) // cols
    image = QImage(cols * cell_w + 20, rows * cell_h + 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    title = QFont()
    title.setPixelSize(18)
    title.setBold(True)
    p.setFont(title)
    p.drawText(QPointF(12, 30), "Briefing: each figure against the number of events "
                                "(log-log; dots = median, bars = min-max, dashed = target)")
    small = QFont()
    small.setPixelSize(11)
    p.setFont(small)
    for k, name in enumerate(names):
        x0, y0 = 10 + (k % cols) * cell_w, 50 + (k // cols) * cell_h
        points = [(s, results["sizes"][str(s)][name]) for s in sizes
                  if name in results["sizes"][str(s)]]
        _chart(p, QRectF(x0, y0, cell_w, cell_h), FIGURES[name], points, sizes,
               PLOT_LIMITS.get(name))
    p.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path))


class _Axes:
    """Log-log mapping of (events, value) into a rectangle."""

    def __init__(self, rect, sizes: list[int], lo: float, hi: float) -> None:
        self.rect, self.lo, self.hi = rect, lo, hi
        self.x_lo, self.x_hi = _log(sizes[0]) - 0.3, _log(sizes[-1]) + 0.3

    def x(self, events: float) -> float:
        share = (_log(events) - self.x_lo) / (self.x_hi - self.x_lo)
        return self.rect.left() + share * self.rect.width()

    def y(self, value: float) -> float:
        share = (_log(max(value, self.lo)) - _log(self.lo)) / (_log(self.hi) - _log(self.lo))
        return self.rect.bottom() - share * self.rect.height()


def _chart(p, cell, figure: tuple[str, str], points: list[tuple[int, dict]], sizes: list[int],
           limit: float | None) -> None:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QPen

    label, unit = figure
    values = [f[k] for _, f in points for k in ("median", "min", "max")]
    values += [limit] if limit else []
    axes = _Axes(QRectF(cell.left() + 52, cell.top() + 28, cell.width() - 80,
                        cell.height() - 70), sizes, max(min(values), 1e-3) / 1.5,
                 max(values) * 1.5)
    plot = axes.rect
    p.setPen(QColor("#1f2328"))
    p.drawText(QPointF(cell.left() + 6, cell.top() + 16), f"{label} [{unit}]")
    p.setPen(QPen(QColor("#c5cbd3"), 1))
    p.drawRect(plot)
    p.setPen(QColor("#5f6b76"))
    for s in sizes:
        p.drawText(QPointF(axes.x(s) - 14, plot.bottom() + 15), f"{s // 1000}k")
    for v in _ticks(axes.lo, axes.hi):
        y = axes.y(v)
        p.setPen(QPen(QColor("#eef0f3"), 1))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(QColor("#5f6b76"))
        p.drawText(QRectF(cell.left(), y - 7, 48, 14), int(Qt.AlignmentFlag.AlignRight), f"{v:g}")
    if limit:
        p.setPen(QPen(QColor("#c93a3f"), 1.5, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(plot.left(), axes.y(limit)), QPointF(plot.right(), axes.y(limit)))
    p.setPen(QPen(QColor("#9aa0a6"), 1))
    for s, f in points:
        p.drawLine(QPointF(axes.x(s), axes.y(f["min"])), QPointF(axes.x(s), axes.y(f["max"])))
    p.setPen(QPen(QColor("#2a6bd1"), 2))
    line = [QPointF(axes.x(s), axes.y(f["median"])) for s, f in points]
    for a, b in zip(line, line[1:], strict=False):
        p.drawLine(a, b)
    p.setBrush(QColor("#2a6bd1"))
    for point in line:
        p.drawEllipse(point, 3.5, 3.5)
    p.setBrush(Qt.BrushStyle.NoBrush)


def _log(v: float) -> float:
    import math

    return math.log10(v)


def _ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 values between lo and hi, at most about six of them."""
    import math

    out = []
    for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 5):
            v = m * 10.0 ** e
            if lo <= v <= hi:
                out.append(v)
    while len(out) > 6:
        out = out[::2]
    return out


# --- entry point -----------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time Briefing at 1k, 10k and 100k events.")
    parser.add_argument("--events", type=int, action="append",
                        help="a size to run (repeatable; default 1000, 10000 and 100000)")
    parser.add_argument("--repeat", type=int, help="runs per figure (default 5; 3 at 100k)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--plot", action="store_true", help="draw docs/scaling.png")
    parser.add_argument("--load", type=Path, metavar="JSON",
                        help="report (and plot) the results saved by an earlier --json run")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    home = tempfile.mkdtemp(prefix="briefing-bench-")
    env = child_env(home)
    os.environ.setdefault("QT_QPA_PLATFORM", env.get("QT_QPA_PLATFORM", ""))  # for --plot
    if args.worker:
        os.environ.update(env)
        print(json.dumps(Worker(args.worker, args.repeat or 5).run()))
        return 0
    if args.load:
        report(json.loads(args.load.read_text()), args)
        return 0

    sizes = sorted(set(args.events or SIZES))
    results: dict = {"machine": f"{platform.python_implementation()} {platform.python_version()}"
                                f", {os.cpu_count()} CPUs, {platform.machine()}, "
                                f"QPA {env.get('QT_QPA_PLATFORM') or 'default'}",
                     "startup": {}, "sizes": {}}
    results["load_average"] = [round(os.getloadavg()[0], 2)]
    log = sys.stderr
    print("start-up (fresh processes) ...", file=log, flush=True)
    results["startup"] = measure_startup(args.repeat or 5, env)
    for n in sizes:
        repeat = args.repeat or (3 if n >= 100_000 else 5)
        print(f"{n:,} events: generating ...", file=log, flush=True)
        path = generate.ensure(n)
        print(f"{n:,} events: worker ...", file=log, flush=True)
        proc = subprocess.run([sys.executable, __file__, "--worker", str(n), "--repeat",
                               str(repeat)], env=env, capture_output=True, text=True,
                              cwd=str(ROOT))
        if proc.returncode != 0:
            print(proc.stderr, file=log)
            return 1
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{n:,} events: fresh processes ...", file=log, flush=True)
        figures.update(measure_process(path, n, repeat, env))
        results["sizes"][str(n)] = figures
        results["load_average"].append(round(os.getloadavg()[0], 2))
    report(results, args)
    return 0


def report(results: dict, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_report(results)
    if args.plot:
        target = ROOT / "docs" / "scaling.png"
        plot(results, target)
        print(f"\nwrote {target}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
