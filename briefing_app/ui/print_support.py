"""Export to PDF, print and print preview: dialogs around the export package's one renderer.

The pages are drawn by `export.paint_briefing` on whatever paged device it gets, the PDF
writer or a QPrinter, so paper, preview and PDF are the same document. The main window
wires these to File > Export > PDF… (Ctrl+Shift+E), Print… (Ctrl+P) and Print Preview.
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QLocale
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from .. import export  # the package's public names only, never its modules
from ..model.briefing import Briefing
from ..model.search import Query, SearchIndex
from . import dialogs

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"


def default_page_size() -> str:
    """Letter where the locale measures in inches (the US), A4 elsewhere."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "Letter" if imperial else "A4"


class ExportPdfDialog(QDialog):
    """Page size, orientation, which events, and whether to add the event sections."""

    def __init__(self, parent: QWidget | None = None, current_query: Query | None = None,
                 matching: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export PDF")
        self._query = current_query if current_query and not current_query.is_empty else None

        self.page_size = QComboBox(self)
        self.page_size.addItems(export.PAGE_SIZES)
        self.page_size.setCurrentText(default_page_size())
        self.page_size.setAccessibleName("Page size")
        shown = f" ({matching:,})" if matching is not None else ""
        orientation = _choice(self, "&Portrait", "&Landscape")
        events = _choice(self, "&All events", f"Only events matching the current &filter{shown}")
        content = _choice(self, "Timeline and &event sections", "&Timeline only")
        self.portrait, self.landscape = orientation.buttons
        self.all_events, self.filtered = events.buttons
        self.with_sections, self.timeline_only = content.buttons
        self.filtered.setEnabled(self._query is not None)
        if self._query is None:
            self.filtered.setToolTip("No filter is active")

        form = QFormLayout()
        form.addRow("Page &size:", self.page_size)
        form.addRow("Orientation:", orientation)
        form.addRow("Events:", events)
        form.addRow("Content:", content)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("E&xport…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def options(self) -> export.ExportOptions:
        return export.ExportOptions(
            page_size=self.page_size.currentText(),
            landscape=self.landscape.isChecked(),
            query=self._query if self.filtered.isChecked() else None,
            include_sections=self.with_sections.isChecked(),
        )


class _Choice(QWidget):
    """Radio buttons stacked in a column, exclusive among themselves; the first is chosen."""

    def __init__(self, parent: QWidget, labels: tuple[str, ...]) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.buttons = tuple(QRadioButton(label, self) for label in labels)
        for button in self.buttons:
            column.addWidget(button)
        self.buttons[0].setChecked(True)


def _choice(parent: QWidget, *labels: str) -> _Choice:
    return _Choice(parent, labels)


def ask_export_options(parent: QWidget | None, current_query: Query | None,
                       matching: int | None = None) -> export.ExportOptions | None:
    """The options dialog (tests replace this); None when cancelled."""
    dialog = ExportPdfDialog(parent, current_query, matching)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_pdf_path(parent: QWidget | None, start: str) -> str | None:
    """The save dialog for the PDF (tests replace this); adds ".pdf" when there is none."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export PDF", start, PDF_FILTER)
    if path and not os.path.splitext(path)[1]:
        path += ".pdf"
    return path or None


def export_pdf_interactive(parent: QWidget | None, briefing: Briefing,
                           current_query: Query | None, default_path: str,
                           matching: int | None = None,
                           briefing_path: str | None = None,
                           index: SearchIndex | None = None) -> str | None:
    """Ask for options and a file, export; return the path written or None. Never raises
    for a failed export: the error is shown, and an existing file there is unchanged.
    `briefing_path`, the briefing's own file, is refused as the PDF's; `index`, the
    window's, finds the filtered events (export.select_rows)."""
    options = ask_export_options(parent, current_query, matching)
    if options is None:
        return None
    options = replace(options, index=index)
    path = ask_pdf_path(parent, default_path)
    if not path:
        return None
    try:
        with dialogs.wait_cursor():
            export.refuse_overwriting(path, briefing_path)
            export.export_pdf(briefing, path, options)
    except export.ExportError as exc:
        failure: export.ExportError | None = exc
    else:
        failure = None
    if failure is not None:
        dialogs.show_error(parent, "Cannot export PDF",
                           f"The PDF could not be written: {failure.reason}.",
                           f"File: {failure.path}")
        return None
    return path


def make_printer(options: export.ExportOptions | None = None,
                 printer: QPrinter | None = None) -> QPrinter:
    """A printer (or `printer`) set up like the PDF: the options' page size and
    orientation, full page."""
    options = options or export.ExportOptions(page_size=default_page_size())
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the pages draw their own margins, as in the PDF
    size = QPageSize.PageSizeId.A4 if options.page_size == "A4" else QPageSize.PageSizeId.Letter
    printer.setPageSize(QPageSize(size))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if options.landscape
                               else QPageLayout.Orientation.Portrait)
    return printer


def paint_on_printer(parent: QWidget | None, printer: QPrinter, briefing: Briefing,
                     options: export.ExportOptions | None = None,
                     briefing_path: str | None = None) -> bool:
    """Draw every page on `printer` (also the preview's); show a failure instead of raising.
    Printing to a file that is `briefing_path`, the briefing's own, is refused as an
    export's is: the print dialog's "Print to File" takes any name typed."""
    try:
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat \
                and printer.outputFileName():
            export.refuse_overwriting(printer.outputFileName(), briefing_path)
        export.paint_briefing(printer, briefing, options, "the printer")
    except export.ExportError as exc:
        dialogs.show_error(parent, "Cannot print", f"Printing failed: {exc.reason}.")
        return False
    return True


def print_briefing(parent: QWidget | None, briefing: Briefing,
                   query: Query | None = None, briefing_path: str | None = None,
                   index: SearchIndex | None = None) -> bool:
    """The print dialog, then print; `query` limits the events as the filter does."""
    options = export.ExportOptions(page_size=default_page_size(), query=query, index=index)
    printer = make_printer(options)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print briefing")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return paint_on_printer(parent, printer, briefing, options, briefing_path)


def preview_briefing(parent: QWidget | None, briefing: Briefing,
                     query: Query | None = None,
                     briefing_path: str | None = None,
                     index: SearchIndex | None = None) -> QPrintPreviewDialog:
    """The print preview, drawn by the same code as the PDF; shown modally."""
    dialog = make_preview(parent, briefing, query, briefing_path, index)
    dialog.exec()
    return dialog


def make_preview(parent: QWidget | None, briefing: Briefing,
                 query: Query | None = None,
                 briefing_path: str | None = None,
                 index: SearchIndex | None = None) -> QPrintPreviewDialog:
    """The preview dialog, not yet shown (tests look at it without opening it)."""
    options = export.ExportOptions(page_size=default_page_size(), query=query, index=index)
    # The dialog's own printer: one passed in is not the dialog's to keep, and Python
    # freed it before the preview drew on it (a crash each time the preview opened).
    dialog = QPrintPreviewDialog(parent)
    make_printer(options, dialog.printer())
    dialog.setWindowTitle("Print preview")
    dialog.paintRequested.connect(
        lambda printer: paint_on_printer(dialog, printer, briefing, options, briefing_path))
    return dialog
