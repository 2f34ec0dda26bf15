"""Fusion made legible on the dark palette, where it draws from the window colour."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

from .appearance import is_dark


class DarkFusion(QProxyStyle):
    """Fusion, with the outline of a check box visible on a dark palette. Fusion draws it in
    the window colour darkened, all but invisible on the darker base: an empty box did not
    show, so the form's actor list and the quotes' Translated column did not look checkable.
    And a dock's float and close buttons, dark grey images, in the text colour. A light
    palette draws as plain Fusion (the style stays after a switch back to light)."""

    _TITLE_BAR = (QStyle.StandardPixmap.SP_TitleBarCloseButton,
                  QStyle.StandardPixmap.SP_TitleBarNormalButton)

    def standardIcon(self, standard, option=None, widget=None) -> QIcon:
        icon = super().standardIcon(standard, option, widget)
        palette = option.palette if option is not None else QApplication.palette()
        if standard not in self._TITLE_BAR or not is_dark(palette):
            return icon
        ink = palette.color(QPalette.ColorRole.WindowText)
        recoloured = QIcon()
        for size in icon.availableSizes() or [icon.actualSize(QSize(16, 16))]:
            pixmap = QPixmap(icon.pixmap(size))
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), ink)
            painter.end()
            recoloured.addPixmap(pixmap)
        return recoloured

    def drawPrimitive(self, element, option, painter: QPainter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and is_dark(option.palette):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -1.5, -1.5))
            painter.restore()
