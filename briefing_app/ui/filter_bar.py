"""The find-and-filter bar: search text, actor and tag filters, a date range; emits a Query."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QToolTip,
    QWidget,
)

from ..model.briefing import Briefing
from ..model.dates import DateError, parse_date
from ..model.search import Query
from .plain import tip

DEBOUNCE_MS = 150


# QKeySequence.StandardKey names of the keys that edit text in a field, whatever the
# platform binds them to (looked up when a key comes, not at start-up).
_FIELD_KEYS = ("Delete", "Backspace", "MoveToStartOfLine", "MoveToEndOfLine",
               "DeleteEndOfLine", "DeleteStartOfWord", "DeleteEndOfWord", "MoveToNextChar",
               "MoveToPreviousChar", "SelectAll", "Undo", "Redo", "Copy", "Cut", "Paste")
_CTRL_D = Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_D  # Edit > Duplicate


class FilterBar(QWidget):
    query_changed = Signal(object)  # Query
    escaped = Signal()  # Esc in an empty search field: give focus back to the views
    accepted = Signal()  # Return in a field: the filter now, then on to what it found

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find in titles, notes, quotes, sources (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search events")
        self.search.setMinimumWidth(220)
        self.search.installEventFilter(self)

        self.actor_button = self._filter_button("Actors", "Show only events of these actors")
        self.tag_button = self._filter_button("Tags", "Show only events with these tags")
        self._tags_of: Briefing | None = None  # edited: its tags are listed as the menu opens
        self.tag_button.menu().aboutToShow.connect(self._refresh_tags)

        self.dates = QLineEdit(self)
        self.dates.setPlaceholderText("Dates, e.g. 2024 or 2019/2024")
        self.dates.setAccessibleName("Date range filter")
        self.dates.setToolTip("Show only events that overlap this date or range")
        self.dates.setMaximumWidth(190)
        self.dates.installEventFilter(self)
        self.date_error = QLabel(self)
        self.date_error.setObjectName("date_error")
        self._date_tip = self.dates.toolTip()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        layout.addWidget(self.actor_button)
        layout.addWidget(self.tag_button)
        layout.addWidget(self.dates, 1)
        layout.addWidget(self.date_error)

        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.emit_query)
        self.search.textChanged.connect(self._timer.start)
        self.dates.textChanged.connect(self._timer.start)

    def _filter_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(QMenu(button))
        return button

    def set_briefing(self, briefing: Briefing) -> None:
        self._fill(self.actor_button, [(a.id, a.name) for a in briefing.actors], "Actors")
        self._fill(self.tag_button, [(t, t) for t in briefing.tags()], "Tags")

    def events_changed(self, briefing: Briefing) -> None:
        """An edit may have added or dropped a tag: the menu is filled again as it opens
        (collecting the tags passes over every event, ~30 ms at 100k, too much per edit)."""
        self._tags_of = briefing

    def _refresh_tags(self) -> None:
        briefing = self._tags_of
        if briefing is None:
            return
        # A tag that filters stays listed when no event has it any more, to be unchecked:
        # opening the menu never changes what the list shows.
        tags = sorted(set(briefing.tags()) | self._checked(self.tag_button), key=str.casefold)
        if [a.data() for a in self.tag_button.menu().actions()] != tags:
            self._fill(self.tag_button, [(t, t) for t in tags], "Tags")

    def _fill(self, button: QToolButton, items: list[tuple[str, str]], label: str) -> None:
        menu = button.menu()
        checked = self._checked(button)  # a save or a renamed actor keeps the filter
        menu.clear()
        for key, text in items:
            action = QAction(text, menu, checkable=True)
            action.setData(key)
            action.setChecked(key in checked)
            action.toggled.connect(lambda _=False, b=button, lab=label: self._update_button(b, lab))
            menu.addAction(action)
        self._update_button(button, label)

    def _update_button(self, button: QToolButton, label: str) -> None:
        names = [a.text() for a in button.menu().actions() if a.isChecked()]
        button.setText(f"{label} ({len(names)})" if names else label)
        # A screen reader reads the name ("Show only events of these actors"), not the
        # text: the description says which filter is on.
        button.setAccessibleDescription(f"Filtering by {', '.join(names)}" if names else "")
        self.emit_query()

    @staticmethod
    def _checked(button: QToolButton) -> frozenset[str]:
        return frozenset(a.data() for a in button.menu().actions() if a.isChecked())

    def query(self) -> Query:
        start = end = None
        text = self.dates.text().strip()
        problem = ""
        if text:
            try:
                span = parse_date(text)
                start, end = span.start, span.end
            except DateError as exc:
                problem = str(exc)
        # The reason goes with the field as well as on the "⚠": a tooltip on a label is
        # out of reach of the keyboard, and a screen reader read the field out as if fine.
        self.date_error.setText("⚠" if problem else "")
        self.date_error.setToolTip(tip(problem))
        self.date_error.setAccessibleName(f"Date filter not understood: {problem}"
                                          if problem else "")
        self.dates.setToolTip(tip(problem) if problem else self._date_tip)
        self.dates.setAccessibleDescription(problem)
        return Query(self.search.text(), self._checked(self.actor_button),
                     self._checked(self.tag_button), start, end)

    def emit_query(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.query())

    def clear(self) -> None:
        for button in (self.actor_button, self.tag_button):
            for action in button.menu().actions():
                action.blockSignals(True)
                action.setChecked(False)
                action.blockSignals(False)
        self.actor_button.setText("Actors")
        self.tag_button.setText("Tags")
        self.search.clear()
        self.dates.clear()
        self.emit_query()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A key that edits text in a field (on X11 Ctrl+D deletes the next character and
        # Ctrl+E goes to the line's end) is the field's, not the window's shortcut: typing
        # Ctrl+D in the search box must not duplicate the selected event behind the filter,
        # on any platform (where Ctrl+D edits nothing, the field ignores it).
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and isinstance(watched, QLineEdit)
                and (event.keyCombination() == _CTRL_D
                     or any(event.matches(getattr(QKeySequence.StandardKey, name))
                            for name in _FIELD_KEYS))):
            event.accept()
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(watched, QLineEdit)):
            self.emit_query()
            if not self.date_error.text():
                self.accepted.emit()
            elif watched is self.dates:  # a date it cannot read: stay, and say why
                QToolTip.showText(watched.mapToGlobal(watched.rect().bottomLeft()),
                                  self.date_error.toolTip(), watched)
            return True
        # Esc belongs to the field that has focus: clear it, or leave it when already empty.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape and isinstance(watched, QLineEdit):
            if watched.text():
                watched.clear()
                self.emit_query()
            else:
                self.escaped.emit()
            return True
        return super().eventFilter(watched, event)
