"""The event list: date, title and actor of each event, in columns that fit any width."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from .column_fit import ColumnFit, date_column_width
from .event_table_model import ACTOR, DATE, TITLE, EventTableModel

# The actor column's share of the list's width, between these bounds (px): the title
# column takes the rest, so a narrow window (800 px, or a wide Sources dock) keeps
# titles readable instead of a fixed actor column squeezing them to "Peruvia…".
ACTOR_SHARE, ACTOR_MIN, ACTOR_MAX = 0.28, 70, 160


class EventList(QTableView):
    escaped = Signal()  # Esc: back to the briefing's summary (no event selected)

    def __init__(self, model: EventTableModel, selection: QItemSelectionModel,
                 parent: QWidget | None = None) -> None:
        # A table, not a tree: QTreeView asks the (Python) model for flags() of every row
        # on each reset, ~2 s per keystroke at 100k rows; ResizeToContents measured 1,000
        # rows per reset. Widths come from the font instead.
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionModel(selection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        self.setAccessibleName("Event list")
        self.setTabKeyNavigation(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        # The header's own selection, never any: asked whether a column is selected, which
        # every paint of it after a selection change does, Qt checks the flags of every
        # selected row in that column, a Python call each (~1 s after Ctrl+A or Shift+End
        # at 100k events, and again after each command on them). With whole rows selected
        # no column shows as selected anyway.
        header.setSelectionModel(QItemSelectionModel(model, header))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DATE, date_column_width(self.fontMetrics()))
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ACTOR, QHeaderView.ResizeMode.Interactive)
        ColumnFit(self, _actor_width)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Tabbing in makes a row current without selecting it: the pane and the timeline
        # show that event, so the list highlights it too.
        # Only for the keyboard: a click's focus comes before the click itself, which would
        # then toggle (Ctrl) a row the user had just deselected.
        keyboard = event.reason() in (Qt.FocusReason.TabFocusReason,
                                      Qt.FocusReason.BacktabFocusReason,
                                      Qt.FocusReason.ShortcutFocusReason)
        current, selection = self.currentIndex(), self.selectionModel()
        if keyboard and current.isValid() and not selection.hasSelection():
            selection.select(current, QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() == Qt.Key.Key_Escape
                and self.state() != QAbstractItemView.State.EditingState):
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        # A table's Home/End go to the first/last column of the row; with whole rows
        # selected that moved nothing a reader could see. They go to the first and last
        # event, as in any list (Ctrl+Home/End did already; Shift still extends).
        Move = QAbstractItemView.CursorAction
        if action in (Move.MoveHome, Move.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)


def _actor_width(room: int) -> dict[int, int]:
    return {ACTOR: max(ACTOR_MIN, min(ACTOR_MAX, round(room * ACTOR_SHARE)))}
