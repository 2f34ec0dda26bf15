"""The timeline widget: TimelinePainter on a scroll area, sharing the views' selection model.

Mouse and keys: Ctrl+wheel zooms around the cursor; the wheel (vertical or horizontal) and a
drag pan through time; Shift+wheel and the vertical scroll bar scroll the lanes, since
vertical wheels are common and lanes are few; Left/Right step through the events in row
order, Shift+Left/Right pan, Alt+Left/Right go back and forward through the events visited,
Home/End jump to the first and last, +/- zoom, Return or a double-click activates, Esc
goes back to the briefing's summary.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCursor, QFocusEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from ..model.briefing import Briefing
from ..model.layout import MAX_ORDINAL, Layout, build_layout
from ..render.timeline_painter import TimelinePainter, TimelinePalette, gutter_width
from .event_table_model import EventTableModel
from .plain import tip

Flag = QItemSelectionModel.SelectionFlag
MIN_SPAN_DAYS = 3.0
MAX_SPAN_DAYS = 3000 * 365.25
ZOOM_STEP = 1.25
WHEEL_PAN_PX = 60.0  # per wheel notch
KEY_PAN_SHARE = 0.1  # of the plot width per Shift+Left/Right
HISTORY_LIMIT = 200


class TimelineView(QAbstractScrollArea):
    activated = Signal(int)  # row, on double-click and Return
    escaped = Signal()  # Esc: back to the briefing's summary (no event selected)
    visible_range_changed = Signal(object, object)  # first and last visible datetime.date

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._painter = TimelinePainter()
        self._model: EventTableModel | None = None
        self._selection: QItemSelectionModel | None = None
        self._connections: list[tuple[object, object]] = []
        self._mode = "actor"
        self._adopted: tuple[Layout, list[int]] | None = None  # see adopt_layout
        self._layout: Layout = build_layout(Briefing(), [])
        self._whole: tuple[int, str, Layout] | None = None  # (generation, mode, all events)
        self._briefing: Briefing | None = None
        self._built_for: tuple[Briefing, int] | None = None  # the model's state at _rebuild
        self._scroll_pending: int | None = None  # an event to bring into view once laid out
        self._t0, self._t1 = self._layout.full_range()
        self._fitted = True  # showing everything, until the user zooms or pans
        self._selected: set[int] = set()
        self._current: int | None = None
        self._hovered: int | None = None
        self._history: list[str] = []  # ids of the events visited, for Alt+Left/Right
        self._history_pos = -1
        self._walking_history = False
        self._anchor_row = -1  # where Shift+click ranges start: the last current not so made
        self._extending = False
        self._press: tuple[QPointF, float, int] | None = None  # position, t0, scroll
        self._dragging = False
        self._reveal_lane: int | None = None
        self._colors = TimelinePalette.from_qpalette(self.palette())
        self._gutter_for: tuple[str, float] = ("", 0.0)  # (font key, px): see _gutter
        self._stale = False
        self._rebuild_timer = QTimer(self, singleShot=True, interval=0)
        self._rebuild_timer.timeout.connect(self._rebuild)
        # After a filter, on a later turn of the event loop than the rebuild: finding the
        # current event's item indexes the new layout (~15 ms at 100k). A timer object, not
        # QTimer.singleShot(0): that posts an event, handled in the same turn as the paint
        # that follows, so the window would still not take a key in between.
        self._scroll_timer = QTimer(self, singleShot=True, interval=0)
        self._scroll_timer.timeout.connect(self._scroll_to_pending)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Timeline")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._own_viewport()
        self.verticalScrollBar().setSingleStep(20)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.viewport().setMouseTracking(True)

    def _own_viewport(self) -> None:
        # The first time Python is handed a QWidget made in C++, PySide looks for its class
        # among every QWidget subclass it knows, building each with its enums (~7 ms of
        # start-up). A viewport made here has its wrapper already; set up as Qt sets up its own.
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)

    # binding ----------------------------------------------------------------------------
    def set_model(self, model: EventTableModel, selection: QItemSelectionModel) -> None:
        """Show model.rows and share `selection` with the other views."""
        for signal, slot in self._connections:
            signal.disconnect(slot)  # type: ignore[attr-defined]
        self._model, self._selection = model, selection
        self._connections = [
            (model.modelReset, self._schedule_rebuild),
            (model.layoutChanged, self._schedule_rebuild),
            (model.dataChanged, self._schedule_rebuild),
            (model.rowsInserted, self._schedule_rebuild),
            (model.rowsRemoved, self._schedule_rebuild),
            (selection.selectionChanged, self._on_selection_changed),
            (selection.currentChanged, self._on_current_changed),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)  # type: ignore[attr-defined]
        self._briefing = None  # a new model: fit to its events
        self._rebuild()

    def set_lane_mode(self, mode: str) -> None:
        """Lanes by "actor", "tag" or one "single" lane."""
        if mode != self._mode:
            build_layout(Briefing(), [], mode)  # checks the name before anything changes
            self._mode = mode
            self._rebuild()

    def lane_mode(self) -> str:
        return self._mode

    @property
    def timeline_layout(self) -> Layout:
        self._ensure_layout()
        return self._layout

    @property
    def timeline_painter(self) -> TimelinePainter:
        return self._painter

    def _schedule_rebuild(self, *_args) -> None:
        # Coalesce: a burst of row signals rebuilds once, before the next paint at the latest.
        self._stale = True
        self._rebuild_timer.start()

    def _ensure_layout(self) -> None:
        if self._stale:
            self._rebuild()

    def _rebuild(self) -> None:
        self._stale = False
        self._rebuild_timer.stop()
        if self._model is None:
            return
        rows = self._model.rows
        before = self._built_for
        self._layout = self._layout_of(rows)
        self._built_for = (self._model.briefing, self._model.generation)
        self._read_selection()
        if self._model.briefing is not self._briefing:
            self._briefing = self._model.briefing
            self.fit_all()
        elif (self._fitted and before is not None and before[0] is self._model.briefing
              and before[1] != self._model.generation
              and len(rows) == len(self._model.briefing.events)):
            # Fitted and not zoomed or panned since: it stays fitted as events are added
            # (a new briefing's first events fell outside its empty year).
            self.fit_all()
        if self._scroll_pending is not None:
            self._scroll_timer.start()
        self.viewport().update()

    def _scroll_to_pending(self) -> None:
        if self._stale:
            return  # rows changed again: the next _rebuild asks again
        pending, self._scroll_pending = self._scroll_pending, None
        if pending is not None and pending == self._current:
            self._scroll_to_event(pending)

    def _may_paint_stale(self) -> bool:
        """Only the rows changed (a filter): the last layout still describes these events.

        Painting it once more lets the new one be built on the next turn of the event loop
        (~30 ms at 100k events) instead of inside this paint, so neither waits for both.
        """
        model, built = self._model, self._built_for
        # `is`, not ==: Briefing is a dataclass, and == would compare every event of two
        # briefings (~0.3 s at 100k events when a file is reloaded unchanged).
        return (model is not None and built is not None and built[0] is model.briefing
                and built[1] == model.generation)

    def _layout_of(self, rows: list[int]) -> Layout:
        """A filter takes a subset of the layout of all events: no extents recomputed."""
        model = self._model
        assert model is not None
        events = len(model.briefing.events)
        whole = self._whole
        if whole is None or whole[:2] != (model.generation, self._mode) or (
                whole[2].briefing is not model.briefing):
            if len(rows) == events:
                whole = self._whole = (model.generation, self._mode, self._whole_layout(rows))
                return whole[2]
            if events < 5000:  # small: cheaper to lay out only the rows
                return build_layout(model.briefing, rows, self._mode)
            everything = model.sorter(range(events), "date", False)
            whole = self._whole = (model.generation, self._mode,
                                   self._whole_layout(everything))
        if len(rows) == events:  # the model's rows are distinct: all of them, nothing to mark
            return whole[2]
        return whole[2].subset(rows)

    def prepare_filtering(self) -> bool:
        """Idle work, a step at a time: what the first filter's layout needs
        (Layout.prepare_subsets). True when nothing is left to do."""
        return self._whole is None or self._whole[2].prepare_subsets(steps=1)

    def adopt_layout(self, layout: Layout, rows: list[int]) -> None:
        """Use `layout`, made from all events in `rows` order elsewhere (a loader thread),
        instead of building it when the model next shows that briefing in that order."""
        self._adopted = (layout, rows)

    def _whole_layout(self, rows: list[int]) -> Layout:
        assert self._model is not None
        briefing = self._model.briefing
        adopted, self._adopted = self._adopted, None
        if (adopted is not None and adopted[0].briefing is briefing
                and adopted[0].mode == self._mode and adopted[1] == rows):
            return adopted[0]
        return build_layout(briefing, rows, self._mode)

    def _read_selection(self) -> None:
        if self._model is None or self._selection is None:
            return
        rows = self._model.rows
        self._selected = {rows[k] for r in self._selection.selection()
                          for k in range(r.top(), r.bottom() + 1) if k < len(rows)}
        row = self._selection.currentIndex().row()
        self._current = rows[row] if 0 <= row < len(rows) else None

    def _on_selection_changed(self, *_args) -> None:
        if not self._may_paint_stale():
            self._ensure_layout()
        self._read_selection()  # (from the model's rows: needs no layout)
        self.viewport().update()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._may_paint_stale():
            self._ensure_layout()
        self._read_selection()
        if not self._extending:
            self._anchor_row = current.row()
        if self._current is None or self._model is None:
            self.setAccessibleDescription("")
            return
        event = self._model.briefing.events[self._current]
        self.setAccessibleDescription(f"Selected: {event.title}, {event.date_label()}")
        self._remember(event.id)
        if self._stale:  # a filter's rows: scroll once they are laid out, on the next turn
            self._scroll_pending = self._current
        else:
            self._scroll_to_event(self._current)
        self.viewport().update()

    # selection --------------------------------------------------------------------------
    def current_row(self) -> int:
        if self._selection is None:
            return -1
        return self._selection.currentIndex().row()

    def select_row(self, row: int) -> None:
        """Make `row` the only selected event and the current one."""
        if self._model is None or self._selection is None or not (
                0 <= row < self._model.rowCount()):
            return
        self._selection.setCurrentIndex(self._model.index(row, 0), Flag.ClearAndSelect | Flag.Rows)

    def _click_event(self, event: int, modifiers: Qt.KeyboardModifier) -> None:
        if self._model is None or self._selection is None:
            return
        row = self._model.row_of_event(event)
        if row < 0:
            return
        index = self._model.index(row, 0)
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self._selection.select(index, Flag.Toggle | Flag.Rows)
            self._selection.setCurrentIndex(index, Flag.NoUpdate)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier and self._anchor_row >= 0:
            lo, hi = sorted((self._anchor_row, row))
            last = self._model.columnCount() - 1
            span = QItemSelection(self._model.index(lo, 0), self._model.index(hi, last))
            self._selection.select(span, Flag.ClearAndSelect | Flag.Rows)
            self._extending = True  # the range grows from the same anchor next time
            try:
                self._selection.setCurrentIndex(index, Flag.NoUpdate)
            finally:
                self._extending = False
        else:
            self.select_row(row)

    def _step(self, delta: int) -> None:
        if self._model is None or not self._model.rowCount():
            return
        row = self.current_row()
        if row < 0:
            row = 0 if delta > 0 else self._model.rowCount() - 1
        else:
            row = min(max(row + delta, 0), self._model.rowCount() - 1)
        self.select_row(row)

    def _remember(self, event_id: str) -> None:
        if self._walking_history:
            return
        if 0 <= self._history_pos < len(self._history) and (
                self._history[self._history_pos] == event_id):
            return
        del self._history[self._history_pos + 1:]
        self._history.append(event_id)
        del self._history[:-HISTORY_LIMIT]
        self._history_pos = len(self._history) - 1

    def forget_history(self) -> None:
        """Another briefing: the events visited were in the one before (an id there may
        name another event here)."""
        self._history.clear()
        self._history_pos = -1

    def go_back(self) -> None:
        self._walk_history(-1)

    def go_forward(self) -> None:
        self._walk_history(1)

    def _walk_history(self, direction: int) -> None:
        """Select the nearest visited event that is still shown (filters may hide some)."""
        if self._model is None:
            return
        pos = self._history_pos + direction
        while 0 <= pos < len(self._history):
            row = self._model.row_of_id(self._history[pos])
            if row >= 0:
                self._history_pos = pos
                self._walking_history = True
                try:
                    self.select_row(row)
                finally:
                    self._walking_history = False
                return
            pos += direction

    # the visible range ------------------------------------------------------------------
    def visible_range(self) -> tuple[float, float]:
        return self._t0, self._t1

    def _gutter(self) -> float:
        """The lane names' room, as the painter makes it in this view's font."""
        key = self.font().key()
        if self._gutter_for[0] != key:
            self._gutter_for = (key, gutter_width(self.font()))
        return self._gutter_for[1]

    def _plot_width(self) -> float:
        return max(1.0, self.viewport().width() - self._gutter())

    def x_for(self, t: float) -> float:
        return self._gutter() + (t - self._t0) * self._plot_width() / (self._t1 - self._t0)

    def t_for(self, x: float) -> float:
        return self._t0 + (x - self._gutter()) * (self._t1 - self._t0) / self._plot_width()

    def set_visible_range(self, t0: float, t1: float) -> None:
        span = min(max(t1 - t0, MIN_SPAN_DAYS), MAX_SPAN_DAYS)
        middle = (t0 + t1) / 2
        t0 = min(max(middle - span / 2, 1.0 - span / 2), MAX_ORDINAL - span / 2)
        if (t0, t0 + span) == (self._t0, self._t1):
            return
        self._t0, self._t1 = t0, t0 + span
        self._fitted = False  # fit_all sets it again
        first = date.fromordinal(min(max(1, math.floor(self._t0)), MAX_ORDINAL))
        last = date.fromordinal(min(max(1, math.floor(self._t1)), MAX_ORDINAL))
        self.visible_range_changed.emit(first, last)
        self.viewport().update()

    def zoom_at(self, factor: float, x: float) -> None:
        """Zoom in by `factor` (< 1 zooms out) keeping the date under x where it is."""
        anchor = self.t_for(x)
        span = min(max((self._t1 - self._t0) / factor, MIN_SPAN_DAYS), MAX_SPAN_DAYS)
        t0 = anchor - (x - self._gutter()) / self._plot_width() * span
        self.set_visible_range(t0, t0 + span)

    def pan_pixels(self, dx: float) -> None:
        """Move the drawing right by dx pixels (earlier dates come into view)."""
        shift = dx * (self._t1 - self._t0) / self._plot_width()
        self.set_visible_range(self._t0 - shift, self._t1 - shift)

    def zoom_in(self) -> None:
        self.zoom_at(ZOOM_STEP, self._keyboard_anchor())

    def zoom_out(self) -> None:
        self.zoom_at(1 / ZOOM_STEP, self._keyboard_anchor())

    def fit_all(self) -> None:
        """Every event in view: the whole time span, and the lanes from the top, or from
        the current event's lane (fitted, lanes hold other rows of labels, so the old scroll
        offset would land anywhere)."""
        self._ensure_layout()
        self.set_visible_range(*self._layout.full_range())
        self._fitted = True
        item = self._layout.item_of(self._current) if self._current is not None else None
        if item is None:
            self.verticalScrollBar().setValue(0)
        else:
            self._reveal_lane = item.lane
        self.viewport().update()

    def _keyboard_anchor(self) -> float:
        """Where Ctrl++/- zoom: the mouse over the plot, else the current event when it
        is in view (zooming on the middle pushed it out: a few Ctrl++ and the event read
        about was gone), else the middle."""
        pos = self.viewport().mapFromGlobal(QCursor.pos())
        if self.viewport().rect().contains(pos) and pos.x() >= self._gutter():
            return float(pos.x())
        middle = self._gutter() + self._plot_width() / 2
        if self._current is None:
            return middle
        self._ensure_layout()
        item = self._layout.item_of(self._current)
        if item is None or item.end < self._t0 or item.start > self._t1:
            return middle
        t = (max(item.start, self._t0) + min(item.end, self._t1)) / 2
        return self.x_for(t)

    def _scroll_to_event(self, event: int) -> None:
        """Pan so the event is in view, only when it is not; its lane follows after painting."""
        item = self._layout.item_of(event)
        if item is None:
            return
        if item.end < self._t0 or item.start > self._t1:
            span, middle = self._t1 - self._t0, (item.start + item.end) / 2
            self.set_visible_range(middle - span / 2, middle + span / 2)
        self._reveal_lane = item.lane
        self.viewport().update()

    # painting ---------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        if not self._may_paint_stale():
            self._ensure_layout()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._painter.paint(
            painter, QRectF(self.viewport().rect()), self._layout, self._t0, self._t1,
            selected=self._selected, current=self._current, palette=self._colors,
            font=self.font(), hovered=self._hovered,
            scroll_y=self.verticalScrollBar().value())
        if self.hasFocus():
            # Where the keys go, also with nothing selected to outline (after Esc).
            painter.setPen(QPen(self._colors.selection, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.viewport().rect()).adjusted(1, 1, -1, -1))
        painter.end()
        self._sync_scroll_bar()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def _sync_scroll_bar(self) -> None:
        bar, height = self.verticalScrollBar(), self.viewport().height()
        top = max(0, math.ceil(self._painter.last_height - height))
        if bar.maximum() != top or bar.pageStep() != height:
            bar.setRange(0, top)
            bar.setPageStep(height)
        lane, self._reveal_lane = self._reveal_lane, None
        span = self._painter.lane_span(lane) if lane is not None else None
        if span is not None:
            above = self._painter.axis_height - span[0]
            below = span[1] - height
            if above > 0:
                bar.setValue(bar.value() - math.ceil(above))
            elif below > 0:
                bar.setValue(bar.value() + math.ceil(min(below, -above)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._colors = TimelinePalette.from_qpalette(self.palette())
            self.viewport().update()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(800, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(400, 180)

    # input ------------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event)
            return True
        if event.type() == QEvent.Type.Leave and self._hovered is not None:
            self._hovered = None
            self.viewport().update()
        return super().viewportEvent(event)

    def _show_tooltip(self, event) -> None:
        pos = QPointF(event.pos())
        found = self._painter.item_at(pos)
        if found is not None:
            item = self._layout.briefing.events[found]
            text = f"{item.title}\n{item.date_label()}"
        elif pos.x() < self._gutter() and (lane := self._painter.lane_at(pos)) is not None:
            text = self._layout.lanes[lane].label
        else:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.globalPos(), tip(text), self.viewport())

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        self._press = (pos, self._t0, self.verticalScrollBar().value())
        self._dragging = False
        found = self._painter.item_at(pos)
        if found is not None:
            self._click_event(found, event.modifiers())

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, t0, scroll = self._press
            delta = pos - start
            if not self._dragging and delta.manhattanLength() >= QApplication.startDragDistance():
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                shift = delta.x() * (self._t1 - self._t0) / self._plot_width()
                self.set_visible_range(t0 - shift, t0 - shift + (self._t1 - self._t0))
                self.verticalScrollBar().setValue(scroll - round(delta.y()))
            return
        hovered = self._painter.item_at(pos)
        if hovered != self._hovered:
            self._hovered = hovered
            self.viewport().update()

    def mouseReleaseEvent(self, event) -> None:
        if self._dragging:
            self.viewport().unsetCursor()
        self._press, self._dragging = None, False
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        found = self._painter.item_at(event.position())
        row = -1 if found is None or self._model is None else self._model.row_of_event(found)
        if row >= 0:
            self.activated.emit(row)

    def wheelEvent(self, event) -> None:
        mods, angle = event.modifiers(), event.angleDelta()
        if mods & Qt.KeyboardModifier.ControlModifier:
            if angle.y():
                self.zoom_at(ZOOM_STEP ** (angle.y() / 120), event.position().x())
        elif mods & Qt.KeyboardModifier.ShiftModifier:
            # Some platforms turn Shift+wheel into a horizontal wheel: take either axis.
            notches = (angle.y() or angle.x()) / 120
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - round(notches * 3 * bar.singleStep()))
        else:
            pixels = event.pixelDelta()
            if not pixels.isNull():  # touchpads report exact distances
                self.pan_pixels(pixels.x() if abs(pixels.x()) > abs(pixels.y()) else pixels.y())
            else:
                dominant = angle.x() if abs(angle.x()) > abs(angle.y()) else angle.y()
                self.pan_pixels(dominant / 120 * WHEEL_PAN_PX)
        event.accept()

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        Key = Qt.Key
        if key in (Key.Key_Left, Key.Key_Right):
            direction = -1 if key == Key.Key_Left else 1
            if mods & Qt.KeyboardModifier.AltModifier:
                self._walk_history(direction)
            elif mods & Qt.KeyboardModifier.ShiftModifier:
                self.pan_pixels(-direction * KEY_PAN_SHARE * self._plot_width())
            else:
                self._step(direction)
        elif key in (Key.Key_Home, Key.Key_End) and self._model is not None:
            self.select_row(0 if key == Key.Key_Home else self._model.rowCount() - 1)
        elif key in (Key.Key_Return, Key.Key_Enter):
            if self.current_row() >= 0:
                self.activated.emit(self.current_row())
        elif key == Key.Key_Escape:
            self.escaped.emit()
        elif key in (Key.Key_Plus, Key.Key_Equal):
            self.zoom_in()
        elif key == Key.Key_Minus:
            self.zoom_out()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
