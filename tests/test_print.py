"""Print, print preview and the Export PDF dialog: the same pages as the PDF, on a QPrinter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from briefing_app.export import ExportOptions
from briefing_app.model.search import Query
from briefing_app.ui import dialogs, print_support
from briefing_app.ui.print_support import ExportPdfDialog, default_page_size

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pdf_printer(tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    return printer


def test_preview_paints_every_page_onto_a_printer(qtbot, briefing, pdf_printer, tmp_path):
    preview = print_support.make_preview(None, briefing)
    qtbot.addWidget(preview)
    assert isinstance(preview, QPrintPreviewDialog)
    preview.paintRequested.emit(pdf_printer)
    reader = PdfReader(tmp_path / "printed.pdf")
    assert len(reader.pages) >= 6
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert briefing.title in text and f"1 / {len(reader.pages)}" in text
    assert all(e.title.split()[0] in text for e in briefing.events)


PREVIEW = """
import gc, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from briefing_app.model import storage
from briefing_app.ui import print_support
preview = print_support.make_preview(None, storage.load(sys.argv[1]))
gc.collect()  # whatever Python alone holds is gone now, as during a real exec()
preview.show()
for _ in range(20):
    app.processEvents()
print(preview.printer().pageLayout().pageSize().id().name)
"""


def test_the_preview_draws_on_a_printer_it_owns(bundled_path):
    # In a process of its own: the bug was a segfault, which would end the test run.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", PREVIEW, str(bundled_path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() in ("A4", "Letter")


def test_printing_a_filter_prints_only_its_events(qtbot, briefing, pdf_printer, tmp_path):
    query = Query(tags=frozenset({"dsca"}))
    assert print_support.paint_on_printer(None, pdf_printer, briefing, ExportOptions(query=query))
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(tmp_path / "printed.pdf").pages)
    for event in briefing.events:
        assert (" ".join(event.title.split()) in text) == ("dsca" in event.tags)


def test_printer_follows_the_options_page_size_and_orientation():
    printer = print_support.make_printer(ExportOptions(page_size="Letter", landscape=True))
    layout = printer.pageLayout()
    assert layout.pageSize().id() == layout.pageSize().PageSizeId.Letter
    assert layout.orientation() == layout.Orientation.Landscape
    assert printer.fullPage()


def test_options_dialog_defaults(qtbot):
    dialog = ExportPdfDialog(None, None)
    qtbot.addWidget(dialog)
    assert dialog.options() == ExportOptions(page_size=default_page_size())
    assert dialog.portrait.isChecked() and dialog.with_sections.isChecked()
    assert dialog.all_events.isChecked() and not dialog.filtered.isEnabled()


def test_options_dialog_offers_the_current_filter(qtbot):
    query = Query(text="chancay")
    dialog = ExportPdfDialog(None, query, matching=7)
    qtbot.addWidget(dialog)
    assert dialog.filtered.isEnabled() and "(7)" in dialog.filtered.text()
    assert dialog.options().query is None  # all events unless asked
    dialog.filtered.setChecked(True)
    dialog.landscape.setChecked(True)
    dialog.timeline_only.setChecked(True)
    dialog.page_size.setCurrentText("Letter")
    assert dialog.options() == ExportOptions("Letter", True, query, False)


def test_export_interactive_writes_the_chosen_file(qtbot, briefing, tmp_path, monkeypatch):
    out = tmp_path / "chosen.pdf"
    monkeypatch.setattr(print_support, "ask_export_options",
                        lambda parent, query, matching=None: ExportOptions())
    monkeypatch.setattr(print_support, "ask_pdf_path", lambda parent, start: str(out))
    assert print_support.export_pdf_interactive(None, briefing, None, "x.pdf") == str(out)
    assert len(PdfReader(out).pages) >= 6


def test_export_interactive_shows_a_failure_and_returns_none(qtbot, briefing, tmp_path,
                                                            monkeypatch):
    shown = []
    out = tmp_path / "missing-folder" / "out.pdf"
    monkeypatch.setattr(print_support, "ask_export_options",
                        lambda parent, query, matching=None: ExportOptions())
    monkeypatch.setattr(print_support, "ask_pdf_path", lambda parent, start: str(out))
    monkeypatch.setattr(dialogs, "show_error", lambda *args: shown.append(args))
    assert print_support.export_pdf_interactive(None, briefing, None, "x.pdf") is None
    assert len(shown) == 1 and "does not exist" in shown[0][2]
    assert not out.exists()


def test_cancelling_either_question_exports_nothing(qtbot, briefing, tmp_path, monkeypatch):
    monkeypatch.setattr(print_support, "ask_export_options", lambda *args: None)
    assert print_support.export_pdf_interactive(None, briefing, None, "x.pdf") is None
    monkeypatch.setattr(print_support, "ask_export_options", lambda *args: ExportOptions())
    monkeypatch.setattr(print_support, "ask_pdf_path", lambda parent, start: None)
    assert print_support.export_pdf_interactive(None, briefing, None, "x.pdf") is None
    assert list(tmp_path.iterdir()) == []
