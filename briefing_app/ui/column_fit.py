"""Columns of a table sized from its width, until the user drags one of them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

# The widest label a date column shows: "c." for circa, "?" for a date marked unsure.
WIDEST_DATE = "c. 28 Sep 2888?"


def date_column_width(metrics: QFontMetrics) -> int:
    return metrics.horizontalAdvance(WIDEST_DATE) + 16


class ColumnFit(QObject):
    """Keeps `widths(room)` ({column: px} for a viewport `room` px wide) applied to `view`
    as it is resized; once the user drags one of those columns, their widths stay."""

    def __init__(self, view: QTableView, widths: Callable[[int], dict[int, int]]) -> None:
        super().__init__(view)
        self._view = view
        self._widths = widths
        self._columns: set[int] = set()
        self._fitting = False
        self.user_sized = False
        view.horizontalHeader().sectionResized.connect(self._resized)
        # The view's own resizes, not its viewport's: handing Python the viewport, a widget
        # made in C++, builds every QWidget subclass's PySide class (~15 ms before the main
        # window's first frame; tests/test_startup.py).
        view.installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        if self.user_sized:
            return
        widths = self._widths(self._view.maximumViewportSize().width())
        self._columns = set(widths)
        self._fitting = True
        try:
            for column, width in widths.items():
                self._view.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column in self._columns and not self._fitting:
            self.user_sized = True
