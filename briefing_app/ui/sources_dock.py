"""The Sources dock: every source with its grade, and under it the events that cite it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..model.briefing import RELIABILITY, Briefing, Event, Source
from ..model.markdown import reveal_invisible
from .column_fit import date_column_width
from .plain import tip

EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE, PUBLISHER, GRADE, DATE = range(4)
MIN_WIDTH = 380  # px the dock opens at, at least


class SourcesDock(QDockWidget):
    """Lists sources; choosing an event under one emits `event_chosen` with its id."""

    event_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sources", parent)
        self.setObjectName("sources_dock")
        self.setAccessibleName("Sources")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Sources and the events citing them")
        self.tree.setHeaderLabels(["Source / event", "Publisher", "Grade", "Date"])
        self.tree.setUniformRowHeights(True)
        # Titles get the room (not the last column, Qt's default); the other columns are
        # as wide as what they hold at most, measured on the font, not on ~120k rows.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        header.resizeSection(PUBLISHER, metrics.horizontalAdvance("Bloomberg Línea") + 16)
        header.resizeSection(DATE, date_column_width(metrics))
        header.setMinimumSectionSize(metrics.horizontalAdvance("Grade") + 16)
        self.tree.itemClicked.connect(self._choose)
        self.tree.itemActivated.connect(self._choose)
        self.tree.itemExpanded.connect(self._expanded)
        self._citing: dict[str, list[Event]] = {}
        self.setWidget(self.tree)
        # Widened when first shown, unless the window restored a width the user chose.
        self.widen_when_shown = True
        # One fill for the signals of one change (an edit that adds a source tells of the
        # sources and of the events): on the next turn of the event loop.
        self._fill_timer = QTimer(self, singleShot=True, interval=0)
        self._fill_timer.timeout.connect(self._fill)

    def set_briefing(self, briefing: Briefing) -> None:
        """The briefing as it is now (opened, or its events or sources changed). Shown
        later: filled when the dock is visible (~120k rows at 100k events)."""
        self._pending = briefing
        if self.isVisible():
            self._fill_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        window = self.parentWidget()
        if (self.widen_when_shown and self.width() < MIN_WIDTH
                and isinstance(window, QMainWindow) and not self.isFloating()):
            # Qt opens a dock at its tree's size hint (~250 px): too narrow for a title, a
            # publisher and a date side by side. Only the first time: later, the user's width.
            window.resizeDocks([self], [max(MIN_WIDTH, window.width() // 3)],
                               Qt.Orientation.Horizontal)
        self.widen_when_shown = False
        self._fill()

    def _fill(self) -> None:
        briefing, self._pending = getattr(self, "_pending", None), None
        if briefing is None:
            return
        self._fill_timer.stop()
        # An edit fills the tree again: the sources opened and the scroll position stay.
        tree = self.tree
        opened = {item.data(TITLE, SOURCE_ID_ROLE)
                  for item in map(tree.topLevelItem, range(tree.topLevelItemCount()))
                  if item.isExpanded()}
        scroll = tree.verticalScrollBar().value()
        current = _place(tree.currentItem())
        self._citing = _events_by_source(briefing)
        items = [_source_item(source, len(self._citing.get(source.id, ())))
                 for source in briefing.sources]
        tree.clear()
        tree.addTopLevelItems(items)
        for item in items:
            if item.data(TITLE, SOURCE_ID_ROLE) in opened:
                item.setExpanded(True)
        # And the row the keyboard was on: clear() left none current, so the next arrow
        # key started again at the first source.
        found = _find(items, *current) if current is not None else None
        if found is not None:
            tree.setCurrentItem(found)
        tree.verticalScrollBar().setValue(scroll)
        tree.resizeColumnToContents(GRADE)

    def _expanded(self, item: QTreeWidgetItem) -> None:
        """A source's events are made when it is opened: made for every source, they
        were ~100k rows at 100k events (1.5 s, again after each edit)."""
        if item.childCount() or item.parent() is not None:
            return
        events = self._citing.get(item.data(TITLE, SOURCE_ID_ROLE), ())
        children = []
        for event in sorted(events, key=Event.sort_key):
            child = QTreeWidgetItem([reveal_invisible(event.title), "", "", event.date_label()])
            child.setData(TITLE, EVENT_ID_ROLE, event.id)
            children.append(child)
        item.addChildren(children)

    def _choose(self, item: QTreeWidgetItem, _column: int) -> None:
        event_id = item.data(TITLE, EVENT_ID_ROLE)
        if event_id:
            self.event_chosen.emit(event_id)


def _place(item: QTreeWidgetItem | None) -> tuple[str, str | None] | None:
    """(source id, event id or None) of a row, to find it again after a refill."""
    if item is None:
        return None
    parent = item.parent()
    if parent is None:
        return item.data(TITLE, SOURCE_ID_ROLE), None
    return parent.data(TITLE, SOURCE_ID_ROLE), item.data(TITLE, EVENT_ID_ROLE)


def _find(items: list[QTreeWidgetItem], source_id: str,
          event_id: str | None) -> QTreeWidgetItem | None:
    """The row at that place, or its source's when the event no longer cites it."""
    source = next((i for i in items if i.data(TITLE, SOURCE_ID_ROLE) == source_id), None)
    if source is None or event_id is None:
        return source
    return next((child for child in map(source.child, range(source.childCount()))
                 if child.data(TITLE, EVENT_ID_ROLE) == event_id), source)


def _events_by_source(briefing: Briefing) -> dict[str, list[Event]]:
    """One pass over the events, rather than one per source (10k events x 500 sources)."""
    citing: dict[str, list[Event]] = {}
    for event in briefing.events:
        for source_id in dict.fromkeys(q.source for q in event.quotes):
            citing.setdefault(source_id, []).append(event)
    return citing


def _source_item(source: Source, cited_by: int) -> QTreeWidgetItem:
    published = source.published.label() if source.published is not None else ""
    item = QTreeWidgetItem([reveal_invisible(source.title), reveal_invisible(source.publisher),
                            source.reliability or "", published])
    item.setToolTip(TITLE, tip(reveal_invisible(source.url)))
    item.setData(TITLE, SOURCE_ID_ROLE, source.id)
    if source.reliability:
        meaning = RELIABILITY.get(source.reliability, "unknown grade")
        item.setToolTip(GRADE, f"{source.reliability}: {meaning}")
    if cited_by:  # its events come when it is opened
        item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
    return item
