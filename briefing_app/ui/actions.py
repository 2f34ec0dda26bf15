"""The window's actions and menus, declared in one place with their shortcuts.

Keys that belong to a text field or a list (arrows, Home/End, Return, Delete) are not bound
here: the widgets that own them handle them, so a window-wide shortcut never steals them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from .appearance import MODES

Std = QKeySequence.StandardKey


class Actions:
    """Creates every QAction of the main window and the menus that hold them."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.open = self._make("&Open…", Std.Open, "Open a briefing file", "document-open")
        self.quit = self._make("&Quit", Std.Quit, "Quit Briefing", "application-exit")
        self.find = self._make("&Find…", Std.Find, "Search and filter the events", "edit-find")
        self.clear_filter = self._make("C&lear Filter", None, "Show all events again")
        self.zoom_in = self._make("Zoom &In", [Std.ZoomIn, QKeySequence("Ctrl+=")],
                                  "Zoom the timeline in around the cursor", "zoom-in")
        self.zoom_out = self._make("Zoom &Out", Std.ZoomOut, "Zoom the timeline out",
                                   "zoom-out")
        self.fit_all = self._make("&Fit All", QKeySequence("Ctrl+0"),
                                  "Show every event on the timeline", "zoom-fit-best")
        self.show_sources = None  # the dock's own toggle action, set by the window
        self.next_event = self._make("&Next Event", QKeySequence("Alt+Down"),
                                     "Select the next event", "go-next")
        self.previous_event = self._make("&Previous Event", QKeySequence("Alt+Up"),
                                         "Select the previous event", "go-previous")
        self.first_event = self._make("&First Event", QKeySequence("Alt+Home"),
                                      "Select the first event", "go-first")
        self.last_event = self._make("&Last Event", QKeySequence("Alt+End"),
                                     "Select the last event", "go-last")
        self.back = self._make("&Back", Std.Back, "Go back in the selection history",
                               "go-previous")
        self.forward = self._make("F&orward", Std.Forward,
                                  "Go forward in the selection history", "go-next")
        self.about = self._make("&About Briefing", None, "Version and credits", "help-about")
        self.lane_modes = self._group(("actor", "By &Actor"), ("tag", "By &Tag"),
                                      ("single", "&Single Lane"))
        self.appearance_modes = self._group(*[(m, f"&{m.title()}") for m in MODES])
        self.recent_menu = QMenu("Open &Recent", window)

    def _make(self, text: str, keys, tip: str, icon: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            sequences = keys if isinstance(keys, list) else [keys]
            shortcuts: list[QKeySequence] = []
            for k in sequences:
                shortcuts += QKeySequence.keyBindings(k) if isinstance(k, Std) else [k]
            action.setShortcuts(shortcuts)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if icon:
            action.setIcon(QIcon.fromTheme(icon))
        self.window.addAction(action)
        return action

    def _group(self, *items: tuple[str, str]) -> QActionGroup:
        group = QActionGroup(self.window)
        group.setExclusive(True)
        for key, text in items:
            action = QAction(text, group, checkable=True)
            action.setData(key)
        return group

    @staticmethod
    def check(group: QActionGroup, key: str) -> None:
        for action in group.actions():
            action.setChecked(action.data() == key)

    @staticmethod
    def on_choice(group: QActionGroup, slot: Callable[[str], None]) -> None:
        group.triggered.connect(lambda action: slot(action.data()))

    def build_menus(self, sources_toggle: QAction) -> None:
        bar = self.window.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.open)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.find)
        edit.addAction(self.clear_filter)
        view = bar.addMenu("&View")
        view.addAction(self.zoom_in)
        view.addAction(self.zoom_out)
        view.addAction(self.fit_all)
        view.addSeparator()
        lanes = view.addMenu("&Lanes")
        lanes.addActions(self.lane_modes.actions())
        appearance = view.addMenu("A&ppearance")
        appearance.addActions(self.appearance_modes.actions())
        view.addSeparator()
        view.addAction(sources_toggle)
        go = bar.addMenu("&Go")
        for action in (self.previous_event, self.next_event, self.first_event, self.last_event):
            go.addAction(action)
        go.addSeparator()
        go.addAction(self.back)
        go.addAction(self.forward)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about)

    def build_toolbar(self, filter_bar) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.open)
        toolbar.addSeparator()
        toolbar.addAction(self.zoom_out)
        toolbar.addAction(self.zoom_in)
        toolbar.addAction(self.fit_all)
        toolbar.addSeparator()
        toolbar.addWidget(filter_bar)
