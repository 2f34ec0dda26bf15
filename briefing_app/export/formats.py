"""The non-PDF exports: CSV, TimelineJS JSON and Markdown files, written atomically.

Each writer takes the same `query` as the PDF export (None: every event), and the `index`
to filter with (see options.select_rows), and returns a
WriteResult that says, one line each, what the format could not hold. No Qt here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..model import csv_format, markdown_export, timelinejs
from ..model.briefing import Briefing
from ..model.errors import SaveError
from ..model.search import Query, SearchIndex
from ..model.storage import write_atomic
from .options import ExportError, select_events

FORMATS = ("csv", "timelinejs", "md")


@dataclass(frozen=True)
class WriteResult:
    path: str
    events: int
    left_out: list[str] = field(default_factory=list)


# Excel reads a CSV without this mark as the Windows code page ("PerÃº", "CompaÃ±Ã­a");
# LibreOffice, Google Sheets, pandas and our own import take it as UTF-8's signature.
BOM = "\ufeff"


def write_csv(briefing: Briefing, path: str | os.PathLike[str],
              query: Query | None = None, index: SearchIndex | None = None) -> WriteResult:
    """One row per event (see model/csv_format.py for the columns), UTF-8 with a BOM."""
    events = select_events(briefing, query, index)
    text, left_out = csv_format.to_csv(briefing, events)
    return _write(path, BOM + text, len(events), left_out)


def write_timelinejs(briefing: Briefing, path: str | os.PathLike[str],
                     query: Query | None = None, index: SearchIndex | None = None) -> WriteResult:
    """A TimelineJS3 JSON file (see model/timelinejs.py for the mapping)."""
    events = select_events(briefing, query, index)
    data, left_out = timelinejs.to_timelinejs(briefing, events)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return _write(path, text, len(events), left_out)


def write_markdown(briefing: Briefing, path: str | os.PathLike[str],
                   query: Query | None = None, index: SearchIndex | None = None) -> WriteResult:
    """The briefing as one Markdown document, events in date order."""
    events = select_events(briefing, query, index)
    text, left_out = markdown_export.markdown_document(briefing, events)
    return _write(path, text, len(events), left_out)


WRITERS = {"csv": write_csv, "timelinejs": write_timelinejs, "md": write_markdown}


def _write(path: str | os.PathLike[str], text: str, events: int,
           left_out: list[str]) -> WriteResult:
    name = str(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate that came in through the clipboard
        raise ExportError(name, f"the briefing holds text that cannot be written as UTF-8 "
                          f"({exc.reason})") from None
    try:
        write_atomic(path, data)
    except SaveError as exc:
        raise ExportError(name, exc.reason) from None
    return WriteResult(name, events, left_out)
