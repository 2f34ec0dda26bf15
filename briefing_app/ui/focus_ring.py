"""A visible focus frame for the views whose style draws none.

Fusion marks a focused line edit or button, but not a list, a tree or a text browser: Tab
from the timeline (which draws its own frame) to the event list or the detail pane changed
nothing on screen, the list's highlighted row being the shared selection. The ring is a
child laid over the whole view, transparent to the mouse and shown only while the view
has the focus, in the timeline's colour: the highlight, lighter in the dark appearance.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

WIDTH = 2.0


def ring_color(palette: QPalette) -> QColor:
    highlight = palette.color(QPalette.ColorRole.Highlight)
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return highlight.lighter(125) if dark else highlight


class FocusRing(QWidget):
    """Frames `view` while it (or a widget inside it) has the keyboard focus."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.setObjectName("focus_ring")
        self._view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.setGeometry(self._view.rect())
            self.setVisible(kind == QEvent.Type.FocusIn)
            self.raise_()
        elif kind == QEvent.Type.Resize:
            self.setGeometry(self._view.rect())
        return False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(ring_color(self.palette()), WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = WIDTH / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()
