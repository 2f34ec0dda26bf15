"""File > Import, Add Events from File, and the CSV, TimelineJS and Markdown exports:
dialogs around model/export."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QWidget

from .. import export
from ..model.briefing import Briefing, counted
from ..model.errors import LoadError
from ..model.importing import import_file
from ..model.search import Query, SearchIndex
from . import dialogs
from .document import Document
from .files import Files

FORMATS = {
    "csv": ("CSV", "CSV files (*.csv)", ".csv", export.write_csv),
    "timelinejs": ("TimelineJS", "TimelineJS JSON (*.json)", ".timeline.json",
                   export.write_timelinejs),
    "md": ("Markdown", "Markdown (*.md)", ".md", export.write_markdown),
}


def ask_import_path(parent: QWidget, start: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import events", start,
                                          "CSV or TimelineJS (*.csv *.json);;All files (*)")
    return path or None


def ask_export_path(parent: QWidget, title: str, start: str, name_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    return path or None


def import_events(parent: QWidget, doc: Document, files: Files) -> str | None:
    """Import a CSV or TimelineJS file as a new, unsaved briefing; report what did not fit.
    The path imported, or None when nothing was."""
    if not files.maybe_save():
        return None
    read = _read_import(parent, doc)
    if read is None:
        return None
    path, briefing, notes = read
    with dialogs.wait_cursor():
        doc.set_briefing(briefing, None)
        doc.mark_unsaved()
    _show_notes(parent, "Imported with notes",
                imported_message(len(briefing.events), path), notes)
    return path


def add_events_from_file(parent: QWidget, doc: Document,
                         add: Callable[[Briefing, str], int]) -> tuple[str, int] | None:
    """Add the events of a CSV, TimelineJS or briefing file to the open briefing, as one
    step Undo takes back (`add`, the editor's, does the merging paste does). The path and
    the number of events added, or None when nothing was."""
    read = _read_import(parent, doc)
    if read is None:
        return None
    path, incoming, notes = read
    with dialogs.wait_cursor():
        added = add(incoming, "Add")  # "Add 2 Events" in the Edit menu, not "Add Events 2 Events"
    _show_notes(parent, "Added with notes",
                f"Added {counted(added, 'event')} from {os.path.basename(path)}.", notes)
    return path, added


def _read_import(parent: QWidget, doc: Document) -> tuple[str, Briefing, list[str]] | None:
    """The file the user picks, read as a briefing, and its report's lines; None when
    cancelled or refused (the problems shown)."""
    start = os.path.dirname(doc.path) if doc.path else os.path.expanduser("~")
    path = ask_import_path(parent, start)
    if not path:
        return None
    try:
        with dialogs.wait_cursor():
            briefing, report = import_file(path)
    except LoadError as exc:
        dialogs.show_load_error(parent, path, exc.problems)
        return None
    return path, briefing, report.lines


def _show_notes(parent: QWidget, title: str, done: str, notes: list[str]) -> None:
    if notes:
        dialogs.show_error(parent, title,
                           f"{done} {counted(len(notes), 'item')} had no place in a "
                           "briefing; they are listed below and kept where possible.",
                           "\n".join(notes))


def imported_message(events: int, path: str) -> str:
    """What an import did, said so that nobody takes it for an addition to the briefing
    that was open: it is a new briefing, and no file holds it yet."""
    return (f"Imported {counted(events, 'event')} from {os.path.basename(path)} as a new "
            "briefing, not yet saved (Save As names its file).")


def export_as(parent: QWidget, kind: str, doc: Document, query: Query | None,
              matching: int | None = None, index: SearchIndex | None = None) -> str | None:
    """Export the events matching `query` (all when None) in one of FORMATS; `matching`
    of them, which the dialog's title says before anything is written. `index`, the
    window's, finds them without folding every event's text again."""
    label, name_filter, suffix, write = FORMATS[kind]
    base = os.path.splitext(doc.path)[0] if doc.path else os.path.expanduser("~/briefing")
    title = f"Export {label}"
    if query is not None and matching is not None:
        # As the list shows them: a filtered export would otherwise leave events out unsaid.
        title += (f" — the {counted(matching, 'event')} the filter shows, "
                  f"of {len(doc.briefing.events):,}")
    path = ask_export_path(parent, title, base + suffix, name_filter)
    if not path:
        return None
    try:
        export.refuse_overwriting(path, doc.path)
        with dialogs.wait_cursor():
            result = write(doc.briefing, path, query, index)
    except export.ExportError as exc:
        dialogs.show_error(parent, f"Cannot export {label}", str(exc))
        return None
    if result.left_out:
        dialogs.show_error(parent, f"Exported {label}",
                           f"Exported {counted(result.events, 'event')} to "
                           f"{os.path.basename(path)}. "
                           f"Some details have no place in {label}:",
                           "\n".join(result.left_out))
    return path
