"""The screen a window is on, found without `QWidget.screen()`.

Never call `widget.screen()` (or keep a QScreen a widget handed out) from Python: PySide's
return-value heuristic makes the returned QScreen wrapper a Python *child* of the widget. When
the garbage collector later clears that widget (a Python-owned window left in a reference
cycle, e.g. an EventForm whose date field holds one of its bound methods), shiboken hands the
widget's children back to Python, and the QScreen wrapper's death then deletes the
application's only QScreen. The window's own destructor and every widget built afterwards
then use the freed screen (a segfault in `QScreen::virtualSiblings`). The static
`QGuiApplication` functions tie the QScreen they return to no widget.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen under the widget's window; for a dialog not yet shown, under its parent."""
    window = widget.window()
    parent = window.parentWidget()
    if not window.isVisible() and parent is not None:
        window = parent.window()  # a dialog opens centred over its parent
    return QGuiApplication.screenAt(window.geometry().center()) or QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget) -> QRect | None:
    """The usable part of `screen_of(widget)`, or None without any screen."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else None
