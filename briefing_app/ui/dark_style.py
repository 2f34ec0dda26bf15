"""Fusion made legible on the dark palette, where it draws from the window colour."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle

from .appearance import is_dark


class DarkFusion(QProxyStyle):
    """Fusion, with the outline of a check box visible on a dark palette. Fusion draws it in
    the window colour darkened, all but invisible on the darker base: an empty box did not
    show, so the form's actor list and the quotes' Translated column did not look checkable.
    A light palette draws as plain Fusion (the style stays after a switch back to light)."""

    def drawPrimitive(self, element, option, painter: QPainter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and is_dark(option.palette):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -1.5, -1.5))
            painter.restore()
