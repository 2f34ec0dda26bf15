"""The briefing as a PDF (QPdfWriter), or on any QPagedPaintDevice such as a QPrinter.

    export_pdf(briefing, path, options)   write `path` atomically; raise ExportError
    paint_briefing(device, briefing, options)   draw every page on a PDF writer or printer

Both draw the same pages (see pages.py); the PDF then gets its outline, internal links and
metadata from outline.py. The print palette is always light, whatever the screen shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPointF, Qt
from PySide6.QtGui import (
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from .. import __version__
from ..model.briefing import Briefing
from . import outline, style
from .options import ExportError, ExportOptions
from .pages import Plan, plan_document

# Device pixels per inch of the PDF: the px everything is drawn in. Any other value scales the
# painter, and Qt then puts the alpha masks of gradients (the soft edges of imprecise dates)
# in the wrong place; the PDF's coordinates are floats, so nothing is lost at 96.
RESOLUTION = 96
PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


@dataclass(frozen=True)
class ExportResult:
    """`events` counts the events chosen for the document, with or without their sections."""

    path: str
    pages: int
    events: int


def export_pdf(briefing: Briefing, path: str | os.PathLike[str],
               options: ExportOptions | None = None) -> ExportResult:
    """Write the briefing to `path` as PDF; on failure `path` is left as it was."""
    options = options or ExportOptions()
    name = str(path)
    if QGuiApplication.instance() is None:
        raise RuntimeError("export_pdf needs a QGuiApplication (the CLI makes an offscreen one)")
    target = outline.check_target(name)
    draft = outline.temp_file(target, name)
    try:
        writer = QPdfWriter(str(draft))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(page_layout(options))
        writer.setTitle(briefing.title)
        writer.setAuthor(author_of(briefing))
        writer.setCreator(f"Briefing {__version__}")
        plan = paint_briefing(writer, briefing, options, name)
        del writer  # closes the file
        pages = len(plan.pages)
        plan.pages.clear()  # drops the documents before the PDF is read back
        outline.finish(draft, target, name, plan, metadata(briefing))
    finally:
        draft.unlink(missing_ok=True)
    return ExportResult(name, pages, plan.selected)


def page_layout(options: ExportOptions) -> QPageLayout:
    orientation = (QPageLayout.Orientation.Landscape if options.landscape
                   else QPageLayout.Orientation.Portrait)
    # No device margins: the pages draw their own, the same on every device.
    return QPageLayout(QPageSize(PAGE_SIZES[options.page_size]), orientation,
                       QMarginsF(0, 0, 0, 0))


def author_of(briefing: Briefing) -> str:
    """The briefing's own `author` field, or nothing.

    Never the login name of whoever exports it: a PDF is handed on, and a journalist's or
    an analyst's account name is not the reader's business.
    """
    author = briefing.extra.get("author")
    return author.strip() if isinstance(author, str) else ""


def metadata(briefing: Briefing) -> dict[str, str]:
    return {"/Title": briefing.title, "/Author": author_of(briefing),
            "/Subject": briefing.classification, "/Creator": f"Briefing {__version__}"}


def paint_briefing(device: QPagedPaintDevice, briefing: Briefing,
                   options: ExportOptions | None = None, name: str = "the printer") -> Plan:
    """Lay out and draw every page on `device` in its own page layout; return the plan."""
    options = options or ExportOptions()
    style.register_fonts()
    geometry = style.PageGeometry.of(device)
    plan = plan_document(briefing, options, geometry)
    margins = _Margins(geometry, briefing, len(plan.pages))
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(name, "the output could not be opened for drawing")
    try:
        for k, page in enumerate(plan.pages):
            if k and not device.newPage():
                raise ExportError(name, "a new page could not be started (is the disk full?)")
            painter.resetTransform()
            painter.scale(geometry.scale, geometry.scale)
            painter.translate(-geometry.origin_x, -geometry.origin_y)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            page(painter)
            margins.draw(painter, k)
    finally:
        painter.end()
    return plan


FOOTER_GAP = 12.0  # px between the footer's title and its handling line


class _Margins:
    """Handling line centred in header and footer, the title and "3 / 12" in the footer.

    Everything but the page number is the same on every page: measured once per export.
    """

    def __init__(self, geometry: style.PageGeometry, briefing: Briefing, count: int) -> None:
        content = geometry.content
        self.count = count
        self.small, self.bold = style.font(style.SMALL_PX), style.font(style.SMALL_PX, bold=True)
        self.metrics = QFontMetricsF(self.small)
        self.right = content.right()
        self.footer = geometry.height - style.FOOTER_BASELINE
        self.classification: list[QPointF] = []
        self.handling = ""
        if briefing.classification:
            bold = QFontMetricsF(self.bold)
            self.handling = bold.elidedText(briefing.classification,
                                            Qt.TextElideMode.ElideRight, content.width() * 0.5)
            x = content.center().x() - bold.horizontalAdvance(self.handling) / 2
            self.classification = [QPointF(x, style.HEADER_BASELINE), QPointF(x, self.footer)]
        room = content.width() * 0.3
        if self.classification:
            # A long handling line takes the middle half: the title ends before it (a long
            # title's "…" was drawn over the handling line's first words).
            room = min(room, self.classification[1].x() - content.left() - FOOTER_GAP)
        self.title = self.metrics.elidedText(briefing.title, Qt.TextElideMode.ElideRight,
                                             max(room, 0.0))
        self.title_at = QPointF(content.left(), self.footer)

    def draw(self, painter: QPainter, index: int) -> None:
        painter.save()
        if self.handling:
            painter.setFont(self.bold)
            painter.setPen(style.INK)
            for at in self.classification:
                painter.drawText(at, self.handling)
        painter.setFont(self.small)
        painter.setPen(style.MUTED)
        number = f"{index + 1} / {self.count}"
        width = self.metrics.horizontalAdvance(number)
        painter.drawText(QPointF(self.right - width, self.footer), number)
        if index > 0:
            painter.drawText(self.title_at, self.title)
        painter.restore()
