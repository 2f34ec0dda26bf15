"""Light, dark or system appearance, via QStyleHints.setColorScheme with a palette fallback.

Without a platform theme (plain X11, offscreen) the colour-scheme request changes nothing, so
the Fusion palette is set to match explicitly; the system choice reads the hint back and
otherwise keeps the platform's palette.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("system", "light", "dark")


def apply_appearance(mode: str) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        mode, Qt.ColorScheme.Unknown)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        hints.setColorScheme(scheme)
    dark = mode == "dark" or (mode == "system" and hints.colorScheme() == Qt.ColorScheme.Dark)
    if dark:
        # Here, not at the top: QStyle's Python class costs start-up ~6 ms.
        from .dark_style import DarkFusion

        style = app.style()
        if not isinstance(style, DarkFusion) and style.name() == "fusion":
            app.setStyle(DarkFusion("fusion"))  # before the palette: a new style resets it
        app.setPalette(dark_palette())
    elif mode == "system":
        # Back to the platform's own palette (the style's standard one when there is no
        # theme): no need to ask the QStyle, whose Python class costs start-up ~6 ms.
        app.setPalette(QPalette())
    else:
        app.setPalette(app.style().standardPalette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3c40",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb2ff",
        QPalette.ColorRole.LinkVisited: "#c39bff",
        QPalette.ColorRole.Mid: "#4a4d52",
        QPalette.ColorRole.Midlight: "#45484c",
        QPalette.ColorRole.Dark: "#1a1b1d",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Light: "#55585d",
    }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return p
