"""The main window: builds the views and wires them together; the work happens elsewhere."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter

from ..model.briefing import Briefing, Event, counted
from ..model.dates import interval_label
from ..model.fast import ints
from ..model.layout import Layout, build_layout
from ..model.markdown import reveal_invisible
from ..model.search import Query, SearchIndex
from .actions import Actions
from .appearance import apply_appearance
from .detail_pane import DetailPane, no_event_message
from .document import Document
from .event_list import EventList
from .event_table_model import EVENT_ROLE, EventTableModel
from .files import Files
from .filter_bar import FilterBar
from .focus_ring import FocusRing
from .plain import tip
from .recovery import Autosaver
from .screens import available_geometry
from .search_runner import SearchRunner
from .settings import Settings
from .sources_dock import SourcesDock
from .timeline_view import TimelineView

if TYPE_CHECKING:
    from .editing import Editor


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.doc = Document(self)
        self.files = Files(self, self.doc, settings)
        self.autosaver = Autosaver(self.doc, settings.pref("autosave_seconds"), self)
        self.index = SearchIndex(self.doc.briefing)
        self.query = Query()
        self.search_runner = SearchRunner(self)
        self.search_runner.finished.connect(self._search_finished)
        self._filtered: list[int] | None = None  # the rows of the last filter, unsorted
        # Start-up shows the briefing first and finishes the rest after that frame.
        self._first_frame_shown = False
        self._summary_timer = QTimer(self, singleShot=True, interval=0)
        self._summary_timer.timeout.connect(self._show_summary)
        # Folds the search text a slice at a time while the user reads (see SearchIndex).
        self._prepare_timer = QTimer(self, interval=0)
        self._prepare_timer.timeout.connect(self._prepare_ahead)
        # The save's check of the file waits until a second after the last search key.
        self._typing = QTimer(self, singleShot=True, interval=1000)
        self._typing.timeout.connect(self._prepare_timer.start)
        # (current id, selected ids, top selected row, the briefing they were in)
        self._kept_selection: tuple[str | None, list[str], int, Briefing | None] = \
            (None, [], -1, None)
        # (briefing, index, date order, layout) made by the loader's thread: _prepare_views
        self._prepared: tuple[Briefing, SearchIndex, list[int], Layout] | None = None

        self.model = EventTableModel(self)
        self.selection = QItemSelectionModel(self.model, self)
        self.timeline = TimelineView(self)
        self.timeline.setAccessibleName("Timeline")
        self.timeline.set_model(self.model, self.selection)
        self.event_list = EventList(self.model, self.selection, self)
        self.detail = DetailPane(self)
        self.sources = SourcesDock(self)
        self.filter_bar = FilterBar(self)
        self.count_label = QLabel(self)
        self.range_label = QLabel(self)
        # The timeline draws its own focus frame; the style draws none for these.
        self.focus_rings = [FocusRing(view) for view in
                            (self.event_list, self.detail, self.sources.tree)]

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

        self._editor: Editor | None = None  # built by the first edit (see `editor`)
        self.actions = Actions(self, self.doc.undo_stack)
        self.actions.build_menus(self.sources.toggleViewAction())
        self.actions.build_toolbar(self.filter_bar)
        self.statusBar().addPermanentWidget(self.range_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.setAcceptDrops(True)
        self._default_size()
        self._connect_signals()
        self._restore_state()

    def _default_size(self) -> None:
        """Fill most of a laptop screen the first time; later runs restore the geometry."""
        screen = available_geometry(self)  # never self.screen(): see screens.py
        if screen is None or screen.width() <= 0:
            self.resize(1280, 760)
            return
        self.resize(min(1440, screen.width()), min(900, screen.height()))

    def _connect_signals(self) -> None:
        a = self.actions
        a.open.triggered.connect(self.files.choose_and_open)
        a.new.triggered.connect(self.files.new)
        a.save.triggered.connect(self.files.save)
        a.save_as.triggered.connect(self.files.save_as)
        a.revert.triggered.connect(self.files.revert)
        a.quit.triggered.connect(self.close)
        a.export_pdf.triggered.connect(self.export_pdf)
        a.export_csv.triggered.connect(lambda: self.export_as("csv"))
        a.export_timelinejs.triggered.connect(lambda: self.export_as("timelinejs"))
        a.export_md.triggered.connect(lambda: self.export_as("md"))
        a.import_events.triggered.connect(self.import_events)
        a.add_events.triggered.connect(self.add_events_from_file)
        a.print.triggered.connect(self.print_briefing)
        a.print_preview.triggered.connect(self.preview_briefing)
        a.properties.triggered.connect(self.edit_properties)
        a.manage.triggered.connect(self.manage_actors_and_sources)
        a.new_event.triggered.connect(lambda: self.editor.new_event())
        a.edit_event.triggered.connect(lambda: self.editor.edit_current())
        a.duplicate.triggered.connect(lambda: self.editor.duplicate())
        a.delete.triggered.connect(lambda: self.editor.delete())
        a.cut.triggered.connect(lambda: self.editor.cut())
        a.copy.triggered.connect(lambda: self.editor.copy())
        a.paste.triggered.connect(lambda: self.editor.paste())
        a.copy_quote.triggered.connect(lambda: self.editor.copy_quote())
        a.add_tag.triggered.connect(lambda: self.editor.change_tag(add=True))
        a.remove_tag.triggered.connect(lambda: self.editor.change_tag(add=False))
        a.add_actor.triggered.connect(lambda: self.editor.change_actor(add=True))
        a.remove_actor.triggered.connect(lambda: self.editor.change_actor(add=False))
        a.find.triggered.connect(self.focus_search)
        a.clear_filter.triggered.connect(self.filter_bar.clear)
        a.zoom_in.triggered.connect(self.timeline.zoom_in)
        a.zoom_out.triggered.connect(self.timeline.zoom_out)
        a.fit_all.triggered.connect(self.timeline.fit_all)
        a.next_event.triggered.connect(lambda: self.step(1))
        a.previous_event.triggered.connect(lambda: self.step(-1))
        a.first_event.triggered.connect(lambda: self.select_row(0))
        a.last_event.triggered.connect(lambda: self.select_row(self.model.rowCount() - 1))
        a.summary.triggered.connect(self.go_to_summary)
        a.back.triggered.connect(self.timeline.go_back)
        a.forward.triggered.connect(self.timeline.go_forward)
        a.about.triggered.connect(self.show_about)
        Actions.on_choice(a.lane_modes, self.set_lane_mode)
        Actions.on_choice(a.appearance_modes, self.set_appearance)
        a.recent_menu.aboutToShow.connect(self._fill_recent_menu)

        self.event_list.activated.connect(lambda _index: self.editor.edit_current())
        self.timeline.activated.connect(lambda _row: self.editor.edit_current())
        self.event_list.escaped.connect(self.go_to_summary)
        self.timeline.escaped.connect(self.go_to_summary)
        self.doc.events_about_to_change.connect(self._remember_selection)
        self.doc.events_changed.connect(self._events_changed)
        self.doc.events_to_show.connect(self.show_ids)
        self.doc.meta_changed.connect(self._meta_changed)
        self.doc.path_changed.connect(lambda _path: self._update_title())
        self.doc.about_to_replace.connect(self._reset_filter)
        self.doc.replaced.connect(self._document_replaced)
        self.files.loader.prepare = self._prepare_views
        self.files.loader.finished = self._summary_timer.start  # also after a failed load
        self.files.take_over = self.autosaver.take_over
        self.doc.modified_changed.connect(self.setWindowModified)
        self.doc.changed_on_disk.connect(self.files.changed_on_disk)
        self.selection.currentChanged.connect(self._current_changed)
        self.selection.selectionChanged.connect(lambda *_: self._update_edit_actions())
        self.timeline.visible_range_changed.connect(self._show_visible_range)
        self.detail.event_link_clicked.connect(self.select_event_id)
        self.sources.event_chosen.connect(self.select_event_id)
        self.filter_bar.query_changed.connect(self.apply_query)
        self.filter_bar.escaped.connect(self.event_list.setFocus)
        self.filter_bar.accepted.connect(self._go_to_results)

    # the document ---------------------------------------------------------------------------
    @property
    def briefing(self) -> Briefing:
        return self.doc.briefing

    @property
    def path(self) -> str | None:
        return self.doc.path

    def open_path(self, path: str) -> bool:
        """Open `path` (asking first about unsaved changes); a bad file keeps the current one."""
        return self.files.open(path)

    def _remember_selection(self) -> None:
        current = self.current_event()
        rows = self._selected_rows()
        # The top of the selection, not the current row: a block selected downwards has
        # its current row at the bottom, and the event after the block is what comes next.
        top = min(rows, default=self.selection.currentIndex().row())
        self._kept_selection = (current.id if current else None,
                                [e.id for e in self.selected_events(rows)], top,
                                self.doc.briefing)

    def _events_changed(self) -> None:
        """Any change to the events: rebuild the index and the rows, keep the selection."""
        current_id, selected, top_row, kept_in = self._kept_selection
        self._kept_selection = (None, [], -1, None)
        self.search_runner.cancel()  # its index describes the events before this change
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] is self.doc.briefing:
            self.index = prepared[1]
            self.timeline.adopt_layout(prepared[3], prepared[2])
        else:
            # The same briefing edited: the text folded for the events still there carries
            # over, so a search on meanwhile folds only the events the edit made.
            earlier = self.index if self.index.briefing is self.doc.briefing else None
            self.index = SearchIndex(self.doc.briefing, earlier)
        self.model.sorter = self.index.sort_rows
        self._prepare_timer.start()
        rows = ints(len(self.briefing.events)) if self.query.is_empty \
            else self.index.filter(self.query)
        self._filtered = rows
        self.model.set_briefing(self.briefing, rows)
        if current_id is not None and self.model.row_of_id(current_id) >= 0:
            self.select_ids([current_id] + [i for i in selected if i != current_id])
        elif self.select_ids(selected):
            pass  # what is left of the selection is selected again
        elif (top_row >= 0 and kept_in is self.briefing and self.model.rowCount()
              and (current_id is None or self.briefing.event(current_id) is None)):
            # The selected events went (deleted, cut): the one now in their row takes their
            # place, as in a mail list, and the pane never shows an event that is gone.
            # (One edited out of the filter's reach is not gone: the summary shows.)
            self.select_row(min(top_row, self.model.rowCount() - 1))
        else:
            self._current_changed(self.selection.currentIndex(), QModelIndex())
        self._update_count()
        self._update_edit_actions()
        # What lists the events besides: the sources citing them, the tags they use.
        self.sources.set_briefing(self.briefing)
        self.filter_bar.events_changed(self.briefing)

    def _meta_changed(self) -> None:
        self.filter_bar.set_briefing(self.briefing)
        self.sources.set_briefing(self.briefing)
        self._update_title()
        self._current_changed(self.selection.currentIndex(), QModelIndex())

    def _update_title(self) -> None:
        name = os.path.basename(self.path) if self.path else "Untitled"
        self.setWindowTitle(f"{self.briefing.title} — {name}[*]")

    def _reset_filter(self) -> None:
        """A new briefing is coming: its rows are all of its events, not the old query's."""
        if self.doc.reloading:
            return  # the same briefing, newer: what the user searched for still applies
        self.filter_bar.blockSignals(True)
        self.filter_bar.clear()
        self.filter_bar.blockSignals(False)
        self.search_runner.cancel()
        self.query = Query()

    def _document_replaced(self) -> None:
        """A new briefing was opened: show everything fitted, nothing selected."""
        if self.doc.reloading:
            # Reloaded after a colleague's save (or Revert): the event being read stays
            # selected (by id, as after an edit), and Back still leads where it led.
            return
        self.go_to_summary()
        self.timeline.forget_history()
        self._summary_timer.start()
        self.timeline.fit_all()

    def _fill_recent_menu(self) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        files = self.settings.recent_files()
        for i, path in enumerate(files, 1):
            action = menu.addAction(f"&{i} {os.path.basename(path)}")
            action.setToolTip(tip(path))
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
            # Open after the drop returns: a modal dialog inside a drop blocks the source app.
            QTimer.singleShot(0, lambda: self.open_path(files[0]))

    # selection and filtering --------------------------------------------------------------
    def current_event(self) -> Event | None:
        index = self.selection.currentIndex()
        return index.data(EVENT_ROLE) if index.isValid() else None

    def _selected_rows(self) -> list[int]:
        # From the selection's ranges: selectedRows() makes an index per row (~1.6 s for
        # 100k rows after Ctrl+A).
        rows = sorted({r for part in self.selection.selection()
                       for r in range(part.top(), part.bottom() + 1)})
        return [r for r in rows if r < self.model.rowCount()]

    def selected_events(self, rows: list[int] | None = None) -> list[Event]:
        """The events of the selected rows (`rows`, when the caller has them), or the
        current one when none is selected."""
        events = list(map(self.model.event_at, self._selected_rows() if rows is None else rows))
        current = self.current_event()
        if not events and current is not None:
            events = [current]
        return events

    def select_ids(self, ids: list[str]) -> bool:
        """Select these events; the first becomes current. False when none is listed."""
        return self._select_rows(self.model.rows_of_ids(ids))

    def _select_rows(self, rows: list[int]) -> bool:
        if not rows:
            return False
        self.select_row(rows[0])
        if len(rows) > 1:  # one selection of runs of rows: one signal, not one a row
            more = QItemSelection()
            last_column = self.model.columnCount() - 1
            for first, last in _runs(sorted(rows[1:])):
                more.select(self.model.index(first, 0), self.model.index(last, last_column))
            self.selection.select(more, QItemSelectionModel.SelectionFlag.Select
                                  | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def show_ids(self, ids: list[str]) -> bool:
        """Select events just added, pasted, edited or brought back; when the filter hides
        them all (it stays as it is), say so rather than leave them to vanish unseen.

        Events that are all selected already stay as they are: a tag added to a selection
        changes only those without it, and selecting just those dropped the others (and
        moved the current event) from the selection the next command works on."""
        if not ids:
            return False
        rows = self.model.rows_of_ids(ids)
        if rows and set(rows) <= set(self._selected_rows()):
            return True
        if self._select_rows(rows):
            return True
        first = self.briefing.event(ids[0])
        what = (f"“{reveal_invisible(first.title)}” is" if len(ids) == 1 and first is not None
                else f"{counted(len(ids), 'event')} are")
        self.statusBar().showMessage(
            f"{what} hidden by the filter: Edit > Clear Filter shows everything", 10000)
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event = current.data(EVENT_ROLE) if current.isValid() else None
        if event is None:
            self._summary_timer.start()  # opening a file asks three times in a row
        else:
            self.detail.show_event(self.briefing, event, self.query.terms)
            self.event_list.scrollTo(current)

    def _go_to_results(self) -> None:
        """Return in the find field: to the list, on the first event found (or the one
        already chosen among them)."""
        if self.search_runner.busy:  # a broad word in a large briefing: Return waits for it
            self.search_runner.cancel()
            self._show_rows(self.index.filter(self.query))
        if not self.selection.currentIndex().isValid():
            self.select_row(0)
        self.event_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_event_id(self, event_id: str) -> None:
        row = self.model.row_of_id(event_id)
        if row < 0:
            if self.briefing.event(event_id) is None:
                # A note's link to no event would otherwise be a click that does nothing.
                self.statusBar().showMessage(no_event_message(event_id), 5000)
                return
            self.filter_bar.clear()  # the target is filtered out: show everything again
            row = self.model.row_of_id(event_id)
        if row >= 0:
            self.select_row(row)

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.selection.setCurrentIndex(index, flags)

    def go_to_summary(self) -> None:
        """No event selected: the pane shows the briefing's summary again (Esc, Go menu).
        Nothing else led back to it once an event had been chosen."""
        self.selection.clearSelection()
        self.selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) event in list order."""
        count = self.model.rowCount()
        if count:
            row = self.selection.currentIndex().row()
            row = (0 if delta > 0 else count - 1) if row < 0 else row + delta
            self.select_row(min(max(row, 0), count - 1))

    def apply_query(self, query: Query) -> None:
        self.query = query
        self._typing.start()
        if query.is_empty:
            self.search_runner.cancel()
            self._show_rows(ints(len(self.briefing.events)))
            return
        rows = self.search_runner.start(self.index, query)
        if rows is None:  # a long scan: the rows follow in _search_finished
            self.count_label.setText("Searching…")
        else:
            self._show_rows(rows)

    def _search_finished(self, query: Query, rows: list[int]) -> None:
        if query is self.query:
            self._show_rows(rows)

    def _show_rows(self, rows: list[int]) -> None:
        current = self.current_event()
        if rows == self._filtered:
            # "valpa" -> "valpar" often finds the same events: keep the rows, the list's
            # scroll position and the timeline's layout; only the highlights change.
            if current is not None:
                self.detail.show_event(self.briefing, current, self.query.terms)
            self._update_count()
            return
        self._filtered = rows
        self.model.set_rows(rows)
        if current is not None:
            row = self.model.row_of_id(current.id)
            if row >= 0:
                self.select_row(row)
            else:
                self._summary_timer.start()
        self._update_count()

    def _prepare_views(self, briefing: Briefing) -> None:
        """On the loader's thread: sort and lay out a large briefing before it arrives.

        At 100k events that is ~0.7 s of Python; done here, the GUI thread takes its turns
        while it runs (the interpreter switches threads every few ms), so the window keeps
        painting and answering instead of freezing once the file is read.
        """
        index = SearchIndex(briefing)
        order = index.order()
        index.year_span()  # for the summary shown first
        self._prepared = (briefing, index, order,
                          build_layout(briefing, order, self.timeline.lane_mode()))

    def _show_summary(self) -> None:
        # Rendering the summary imports Markdown and lays out rich text (~30 ms): the first
        # frame goes without it, and _first_frame_painted asks again. Nor while a file loads:
        # that briefing is about to go, and the loader's thread would halve our speed (and
        # we its speed) for ~0.3 s; the new briefing's summary follows when it arrives.
        if (self._first_frame_shown and not self.files.loader.busy
                and not self.selection.currentIndex().isValid()):
            self.detail.show_briefing(self.briefing, self.index.year_span())

    def _prepare_ahead(self) -> None:
        # What a filter's rows need first: it is short (~110 ms in four steps), and a search
        # typed meanwhile needs it as soon as the folding is done. The save's check last,
        # and not while the user types a search: its slices would take turns with the
        # search's and the paint after it, and double the wait for the rows (~30 -> ~60 ms
        # a key at 100k events). `_typing` starts this timer again a second after a key.
        if not (self.timeline.prepare_filtering() and self.model.prepare_lookup()
                and self.index.prepare(0.008)):
            return
        if self.search_runner.busy or self._typing.isActive():
            if not self._typing.isActive():
                self._typing.start()
            self._prepare_timer.stop()
        elif self.doc.prepare_save():
            self._prepare_timer.stop()

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def _update_edit_actions(self) -> None:
        has = bool(self.selected_events())
        a = self.actions
        for action in (a.edit_event, a.duplicate, a.delete, a.cut, a.copy, a.add_tag,
                       a.remove_tag, a.add_actor, a.remove_actor):
            action.setEnabled(has)
        current = self.current_event()
        a.copy_quote.setEnabled(current is not None and bool(current.quotes))

    def _update_count(self) -> None:
        total = len(self.briefing.events)
        shown = self.model.rowCount()
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"{total:,} {noun}" if shown == total
                                 else f"{shown:,} of {total:,} {noun}")

    def _show_visible_range(self, start: date, end: date) -> None:
        self.range_label.setText(interval_label(start, end))

    # editing and dialogs, loaded when first used so that start-up stays fast -----------------
    @property
    def editor(self) -> Editor:
        """The Edit menu's commands (and the clipboard and undo code behind them)."""
        if self._editor is None:
            from .editing import Editor

            self._editor = Editor(self, self.doc, self.selected_events, self.current_event)
        return self._editor

    def show_about(self) -> None:
        from . import dialogs

        dialogs.show_about(self)

    def _filter_query(self) -> Query | None:
        return None if self.query.is_empty else self.query

    def export_pdf(self) -> None:
        from .print_support import export_pdf_interactive

        base = os.path.splitext(self.path)[0] if self.path else os.path.expanduser("~/briefing")
        path = export_pdf_interactive(self, self.briefing, self._filter_query(), base + ".pdf",
                                      self.model.rowCount(), self.path, self.index)
        if path:
            self.statusBar().showMessage(f"Exported {path}", 5000)

    def export_as(self, kind: str) -> None:
        from .interchange import export_as

        query = self._filter_query()
        path = export_as(self, kind, self.doc, query, self.model.rowCount(), self.index)
        if path:
            shown = (f" ({self.model.rowCount():,} of {len(self.briefing.events):,} events: "
                     "the current filter)" if query is not None else "")
            self.statusBar().showMessage(f"Exported {path}{shown}", 8000)

    def add_events_from_file(self) -> None:
        from .interchange import add_events_from_file

        done = add_events_from_file(self, self.doc, self.editor.add_briefing)
        if done:
            path, added = done
            self.statusBar().showMessage(
                f"Added {counted(added, 'event')} from {os.path.basename(path)} "
                "(Undo takes them out)", 10000)

    def import_events(self) -> None:
        from .interchange import import_events, imported_message

        path = import_events(self, self.doc, self.files)
        if path:
            self.statusBar().showMessage(
                imported_message(len(self.briefing.events), path), 10000)

    def print_briefing(self) -> None:
        from .print_support import print_briefing

        print_briefing(self, self.briefing, self._filter_query(), self.path, self.index)

    def preview_briefing(self) -> None:
        from .print_support import preview_briefing

        preview_briefing(self, self.briefing, self._filter_query(), self.path, self.index)

    def edit_properties(self) -> None:
        from .briefing_dialogs import edit_briefing_properties

        edit_briefing_properties(self, self.doc)

    def manage_actors_and_sources(self) -> None:
        from .briefing_dialogs import manage_actors_and_sources

        manage_actors_and_sources(self, self.doc)

    # view options ------------------------------------------------------------------------
    def set_lane_mode(self, mode: str) -> None:
        self.timeline.set_lane_mode(mode)
        Actions.check(self.actions.lane_modes, mode)
        self.settings.set_pref("lane_mode", mode)

    def set_appearance(self, mode: str) -> None:
        apply_appearance(mode)
        Actions.check(self.actions.appearance_modes, mode)
        self.settings.set_pref("appearance", mode)

    # start-up ----------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.actions.fit_toolbars(event.size().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._first_frame_shown:
            self._first_frame_shown = True
            # The window is painted first in a frame: this runs once the frame is drawn.
            QTimer.singleShot(0, self._first_frame_painted)

    def _first_frame_painted(self) -> None:
        """What the first frame could do without: it follows at once, before any input."""
        self._summary_timer.start()

    # window state ------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.state("state")
        if state is not None:
            self.restoreState(state)
            self.sources.widen_when_shown = False  # its width is the user's now
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
        if not self.files.maybe_save():
            event.ignore()
            return
        self.autosaver.close()
        self.save_state()
        event.accept()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(row, runs[-1][1]))
        else:
            runs.append((row, row))
    return runs
