"""The main window: builds the views and wires them together; the work happens elsewhere."""

from __future__ import annotations

import os
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTreeView,
)

from ..model import storage
from ..model.briefing import Briefing
from ..model.dates import interval_label
from ..model.errors import LoadError
from ..model.search import Query, SearchIndex
from . import dialogs
from .actions import Actions
from .appearance import apply_appearance
from .detail_pane import DetailPane
from .event_table_model import DATE, EVENT_ROLE, TITLE, EventTableModel
from .filter_bar import FilterBar
from .settings import Settings
from .sources_dock import SourcesDock
from .timeline_view import TimelineView


class MainWindow(QMainWindow):
    briefing_loaded = Signal(str)  # path

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.path: str | None = None
        self.briefing = Briefing()
        self.index = SearchIndex(self.briefing)
        self.query = Query()

        self.model = EventTableModel(self)
        self.selection = QItemSelectionModel(self.model, self)
        self.timeline = TimelineView(self)
        self.timeline.setAccessibleName("Timeline")
        self.timeline.set_model(self.model, self.selection)
        self.event_list = self._make_event_list()
        self.detail = DetailPane(self)
        self.sources = SourcesDock(self)
        self.filter_bar = FilterBar(self)
        self.count_label = QLabel(self)
        self.range_label = QLabel(self)

        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.bottom_splitter.setObjectName("bottom_splitter")
        self.bottom_splitter.addWidget(self.event_list)
        self.bottom_splitter.addWidget(self.detail)
        self.bottom_splitter.setStretchFactor(0, 2)
        self.bottom_splitter.setStretchFactor(1, 3)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.main_splitter.setObjectName("main_splitter")
        self.main_splitter.addWidget(self.timeline)
        self.main_splitter.addWidget(self.bottom_splitter)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_splitter)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sources)
        self.sources.hide()

        self.actions = Actions(self)
        self.actions.build_menus(self.sources.toggleViewAction())
        self.actions.build_toolbar(self.filter_bar)
        self.statusBar().addPermanentWidget(self.range_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.setAcceptDrops(True)
        self.resize(1280, 760)
        self._connect_signals()
        self._restore_state()

    def _make_event_list(self) -> QTreeView:
        view = QTreeView(self)
        view.setModel(self.model)
        view.setSelectionModel(self.selection)
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)  # lets Qt skip measuring 100k rows
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSortingEnabled(True)
        view.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        view.setAccessibleName("Event list")
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return view

    def _connect_signals(self) -> None:
        a = self.actions
        a.open.triggered.connect(self.choose_file)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self.focus_search)
        a.clear_filter.triggered.connect(self.filter_bar.clear)
        a.zoom_in.triggered.connect(self.timeline.zoom_in)
        a.zoom_out.triggered.connect(self.timeline.zoom_out)
        a.fit_all.triggered.connect(self.timeline.fit_all)
        a.next_event.triggered.connect(self.timeline.select_next)
        a.previous_event.triggered.connect(self.timeline.select_previous)
        a.first_event.triggered.connect(self.timeline.select_first)
        a.last_event.triggered.connect(self.timeline.select_last)
        a.back.triggered.connect(self.timeline.history_back)
        a.forward.triggered.connect(self.timeline.history_forward)
        a.about.triggered.connect(lambda: dialogs.show_about(self))
        Actions.on_choice(a.lane_modes, self.set_lane_mode)
        Actions.on_choice(a.appearance_modes, self.set_appearance)
        a.recent_menu.aboutToShow.connect(self._fill_recent_menu)

        self.selection.currentChanged.connect(self._current_changed)
        self.timeline.visible_range_changed.connect(self._show_visible_range)
        self.detail.event_link_clicked.connect(self.select_event_id)
        self.sources.event_chosen.connect(self.select_event_id)
        self.filter_bar.query_changed.connect(self.apply_query)
        self.filter_bar.escaped.connect(self.event_list.setFocus)

    # opening ----------------------------------------------------------------------------
    def choose_file(self) -> None:
        folder = os.path.dirname(self.path) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open briefing", folder,
                                              "Briefings (*.json);;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Load `path`; on failure show every problem and keep the current briefing."""
        try:
            briefing = storage.load(path)
        except LoadError as exc:
            dialogs.show_load_error(self, path, exc.problems)
            return False
        storage.remove_stale_temp_files(path)
        self.set_briefing(briefing, path)
        self.settings.add_recent_file(path)
        self.briefing_loaded.emit(path)
        return True

    def set_briefing(self, briefing: Briefing, path: str | None) -> None:
        self.briefing = briefing
        self.path = path
        self.index = SearchIndex(briefing)
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_briefing(briefing)
        self.filter_bar.clear()
        self.filter_bar.blockSignals(False)
        self.query = Query()
        self.model.set_briefing(briefing)
        self.sources.set_briefing(briefing)
        self.detail.show_briefing(briefing)
        self.timeline.fit_all()
        name = os.path.basename(path) if path else "untitled"
        self.setWindowTitle(f"{briefing.title} — {name}[*]")
        self.setWindowModified(False)
        self._update_count()

    def _fill_recent_menu(self) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        files = self.settings.recent_files()
        for i, path in enumerate(files, 1):
            action = menu.addAction(f"&{i} {os.path.basename(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not files:
            menu.addAction("No recent files").setEnabled(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            # Open after the drop returns: a modal error dialog inside a drop blocks the source.
            QTimer.singleShot(0, lambda: self.open_path(files[0]))

    # selection and filtering --------------------------------------------------------------
    def current_event(self):
        index = self.selection.currentIndex()
        return index.data(EVENT_ROLE) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event = current.data(EVENT_ROLE) if current.isValid() else None
        if event is None:
            self.detail.show_briefing(self.briefing)
        else:
            self.detail.show_event(self.briefing, event, self.query.terms)
            self.event_list.scrollTo(current)

    def select_event_id(self, event_id: str) -> None:
        row = self.model.row_of_id(event_id)
        if row < 0 and self.briefing.event(event_id) is not None:
            self.filter_bar.clear()  # the target is filtered out: show everything again
            row = self.model.row_of_id(event_id)
        if row >= 0:
            self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.selection.setCurrentIndex(index, flags)

    def apply_query(self, query: Query) -> None:
        current = self.current_event()
        self.query = query
        rows = list(range(len(self.briefing.events))) if query.is_empty \
            else self.index.filter(query)
        self.model.set_rows(rows)
        if current is not None:
            row = self.model.row_of_id(current.id)
            if row >= 0:
                self.select_row(row)
            else:
                self.detail.show_briefing(self.briefing)
        self._update_count()

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def _update_count(self) -> None:
        total = len(self.briefing.events)
        shown = self.model.rowCount()
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"{total} {noun}" if shown == total
                                 else f"{shown} of {total} {noun}")

    def _show_visible_range(self, start: date, end: date) -> None:
        self.range_label.setText(interval_label(start, end))

    # view options ------------------------------------------------------------------------
    def set_lane_mode(self, mode: str) -> None:
        self.timeline.set_lane_mode(mode)
        Actions.check(self.actions.lane_modes, mode)
        self.settings.set_pref("lane_mode", mode)

    def set_appearance(self, mode: str) -> None:
        apply_appearance(mode)
        Actions.check(self.actions.appearance_modes, mode)
        self.settings.set_pref("appearance", mode)

    # window state ------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.state("state")
        if state is not None:
            self.restoreState(state)
        for splitter in (self.main_splitter, self.bottom_splitter):
            saved = self.settings.state(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)
        self.set_lane_mode(self.settings.pref("lane_mode"))
        Actions.check(self.actions.appearance_modes, self.settings.pref("appearance"))

    def save_state(self) -> None:
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("state", self.saveState())
        for splitter in (self.main_splitter, self.bottom_splitter):
            self.settings.set_state(splitter.objectName(), splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        event.accept()
