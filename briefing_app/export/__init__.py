"""Exporting a briefing: PDF, CSV, TimelineJS and Markdown, sharing the event filters.

No widgets here: a headless export needs only a QGuiApplication. ui/ imports these names
only, never the modules behind them. The Qt-based names load on first use, so that the
command line (and `briefing-app validate`) starts without importing Qt.
"""

from typing import Any

from .formats import WriteResult, write_csv, write_markdown, write_timelinejs
from .options import (
    PAGE_SIZES,
    ExportError,
    ExportOptions,
    describe_query,
    refuse_overwriting,
    select_events,
)

_FROM_PDF = ("ExportResult", "export_pdf", "paint_briefing")

__all__ = [
    "PAGE_SIZES",
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "WriteResult",
    "describe_query",
    "export_pdf",
    "paint_briefing",
    "refuse_overwriting",
    "select_events",
    "write_csv",
    "write_markdown",
    "write_timelinejs",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_PDF:
        from . import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
