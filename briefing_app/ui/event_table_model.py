"""A thin Qt table model over a Briefing: rows are the visible events in display order.

Filtering and sorting happen in `model.search`; this adapter only exposes the resulting
order (`set_rows`) and the event of each row under `EVENT_ROLE`.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..model.briefing import Briefing, Event
from ..model.fast import ints
from ..model.markdown import reveal_invisible
from ..model.search import sort_rows
from .plain import tip

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1
EVENT_INDEX_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

DATE, TITLE, ACTOR = range(3)
_HEADERS = ("Date", "Title", "Actor")

_Index = QModelIndex | QPersistentModelIndex

_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class EventTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.briefing = Briefing()
        self._rows: list[int] = []  # indices into briefing.events, in display order
        self._sort = ("date", False)
        # (rows, key, descending) -> rows in order; the main window passes its SearchIndex's,
        # which sorts a filter's rows from a cached order instead of from scratch.
        self.sorter = lambda rows, key, descending: sort_rows(self.briefing.events, rows, key,
                                                              descending)
        self.generation = 0  # changes when the events may have changed, not for a filter
        # generation, id -> index of its first event, whether some id is repeated
        self._ids: tuple[int, dict[str, int], bool] | None = None

    # reading --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        event = self.briefing.events[self._rows[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == DATE:
                return event.date_label()
            if col == TITLE:
                return reveal_invisible(event.title)
            actor = self.briefing.actor(event.actors[0]) if event.actors else None
            return actor.name if actor else (event.actors[0] if event.actors else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(f"{event.title}\n{event.date_label()} ({event.date.describe()})")
        if role == EVENT_ROLE:
            return event
        if role == EVENT_INDEX_ROLE:
            return self._rows[index.row()]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # Asked for every cell of a selected range (300k calls after Ctrl+A at 100k events):
        # one flag value made once, not an enum "|" per call.
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = "title" if column == TITLE else "date"
        self._sort = (key, order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        event_of = {(p.row(), p.column()): self._rows[p.row()] for p in persistent}
        self._rows = self.sorter(self._rows, *self._sort)
        position = {row: i for i, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(position[event_of[(p.row(), p.column())]], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()

    # the adapter's own API -------------------------------------------------------------
    @property
    def rows(self) -> list[int]:
        return self._rows

    def event_at(self, row: int) -> Event:
        return self.briefing.events[self._rows[row]]

    def row_of_event(self, event_index: int) -> int:
        """Display row of briefing.events[event_index], or -1 when filtered out."""
        try:
            return self._rows.index(event_index)
        except ValueError:
            return -1

    def row_of_id(self, event_id: str) -> int:
        """The row of the first event with this id (or, should that one be filtered out,
        of another with the same id), or -1."""
        events = self.briefing.events
        first, repeated = self._id_map()
        index = first.get(event_id)
        row = -1 if index is None else self.row_of_event(index)
        if row < 0 and repeated and index is not None:  # another event with the same id?
            row = next((r for r, i in enumerate(self._rows) if events[i].id == event_id), -1)
        return row

    def rows_of_ids(self, ids: list[str]) -> list[int]:
        """row_of_id of each (those filtered out or gone left out), in one pass over the
        rows for more than a few: row_of_id looks through the rows each time."""
        if len(ids) <= 8:
            return [r for r in map(self.row_of_id, ids) if r >= 0]
        first, repeated = self._id_map()
        row_of = {event: row for row, event in enumerate(self._rows)}
        rows = []
        for event_id in ids:
            index = first.get(event_id)
            row = row_of.get(index, -1) if index is not None else -1
            if row < 0 and repeated and index is not None:
                row = self.row_of_id(event_id)
            if row >= 0:
                rows.append(row)
        return rows

    def _id_map(self) -> tuple[dict[str, int], bool]:
        """id -> index of its first event, and whether some id is repeated; built once per
        generation (~50 ms at 100k events: MainWindow builds it in idle time)."""
        if self._ids is None or self._ids[0] != self.generation:
            ids = [e.id for e in self.briefing.events]
            # Built backwards, so that a repeated id maps to its first event.
            first = dict(zip(reversed(ids), reversed(ints(len(ids))), strict=True))
            self._ids = (self.generation, first, len(first) < len(ids))
        return self._ids[1], self._ids[2]

    def prepare_lookup(self) -> bool:
        """Idle work: build what row_of_id needs. True (done) in one go."""
        self._id_map()
        return True

    def set_briefing(self, briefing: Briefing, rows: list[int] | None = None) -> None:
        self.beginResetModel()
        self.briefing = briefing
        self.generation += 1
        base = range(len(briefing.events)) if rows is None else rows
        self._rows = self.sorter(base, *self._sort)
        self.endResetModel()

    def set_rows(self, rows: list[int]) -> None:
        """Show these events (indices into briefing.events), in the current sort order."""
        self.beginResetModel()
        self._rows = self.sorter(rows, *self._sort)
        self.endResetModel()
