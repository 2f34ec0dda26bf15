"""`briefing-app export FILE --pdf OUT.pdf` (or --csv, --timelinejs, --md): export headless.

Exactly one output is written. The filters (--filter, --tag, --actor) choose the events for
every format, as the filter bar does on screen. What a format cannot hold (a CSV has no
summary, TimelineJS one quote per event...) is printed as "left out:" lines. Exit status: 0
written, 1 invalid input or options or the output cannot be written (nothing is left at OUT),
2 the input cannot be read. Messages go to stderr; a problem with the input is printed as
`validate` prints it, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..model.briefing import Briefing, counted
from ..model.search import Query
from ..model.storage import display_name
from .options import PAGE_SIZES, ExportError, ExportOptions

PROG = "briefing-app export"
_HEADLESS = ("offscreen", "minimal")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export", help="write a briefing as PDF, CSV, TimelineJS or Markdown",
        description="Write FILE as a PDF (title page, timeline, one section per event and "
        "the list of sources), a CSV (one row per event), a TimelineJS3 JSON file or a "
        "Markdown document. Needs no display.",
        epilog="Filters combine like the filter bar: all words of --filter must match; an "
        "event matches if it has any of the --tag values and any of the --actor values.")
    parser.add_argument("file", metavar="FILE", help="the briefing to export")
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", metavar="OUT.pdf", help="the PDF to write")
    out.add_argument("--csv", metavar="OUT.csv", help="a CSV file, one row per event")
    out.add_argument("--timelinejs", metavar="OUT.json", help="a TimelineJS3 JSON file")
    out.add_argument("--md", metavar="OUT.md", help="a Markdown document")
    pdf = parser.add_argument_group("PDF options")
    pdf.add_argument("--page-size", type=_page_size, choices=PAGE_SIZES, help="default: A4")
    pdf.add_argument("--landscape", action="store_true", help="landscape pages")
    pdf.add_argument("--timeline-only", action="store_true",
                     help="the title page and timeline, without event sections")
    parser.add_argument("--filter", metavar="TEXT", default="",
                        help="only events whose text contains every word of TEXT")
    parser.add_argument("--tag", metavar="T", action="append", default=[],
                        help="only events with tag T (repeat for any of several)")
    parser.add_argument("--actor", metavar="A", action="append", default=[],
                        help="only events involving actor A, by id or name (repeatable)")
    return parser


def run(ns: argparse.Namespace) -> int:
    from ..model import storage
    from ..model.errors import LoadError

    try:
        briefing = storage.load(ns.file)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2 if exc.unreadable else 1
    kind, out = next((k, getattr(ns, k)) for k in ("pdf", "csv", "timelinejs", "md")
                     if getattr(ns, k) is not None)
    try:
        query = build_query(briefing, ns.filter, ns.tag, ns.actor)
        _refuse_overwriting_input(ns.file, out)
        if kind != "pdf":
            _refuse_pdf_options(ns)
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    if kind != "pdf":
        return _run_format(briefing, kind, out, query)
    options = ExportOptions(ns.page_size or "A4", ns.landscape, query, not ns.timeline_only)
    _ensure_gui_application()
    from .pdf import export_pdf  # Qt is imported once the platform is chosen

    try:
        result = export_pdf(briefing, ns.pdf, options)
    except ExportError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    if query is not None and result.events == 0:
        print(f"{PROG}: warning: no events match the filters", file=sys.stderr)
    print(f"{display_name(str(result.path))}: {counted(result.pages, 'page')}, "
          f"{counted(result.events, 'event')}")
    return 0


def _run_format(briefing: Briefing, kind: str, out: str, query: Query | None) -> int:
    from .formats import WRITERS

    try:
        result = WRITERS[kind](briefing, out, query)
    except ExportError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    if query is not None and result.events == 0:
        print(f"{PROG}: warning: no events match the filters", file=sys.stderr)
    for line in result.left_out:
        print(f"{PROG}: left out: {line}", file=sys.stderr)
    plural = "" if result.events == 1 else "s"
    print(f"{display_name(str(result.path))}: {result.events} event{plural}")
    return 0


def _page_size(text: str) -> str:
    """The canonical name ("Letter") for any case of it ("letter"); anything else unchanged,
    for `choices` to refuse with the list of sizes."""
    return {size.casefold(): size for size in PAGE_SIZES}.get(text.casefold(), text)


def _refuse_pdf_options(ns: argparse.Namespace) -> None:
    used = [flag for flag, value in (("--page-size", ns.page_size), ("--landscape", ns.landscape),
                                     ("--timeline-only", ns.timeline_only)) if value]
    if used:
        raise ValueError(f"{', '.join(used)} only applies to --pdf")


def build_query(briefing: Briefing, text: str, tags: list[str], actors: list[str]) -> Query | None:
    """The Query for the options, None for no filter; ValueError names an unknown tag/actor."""
    known_tags = {t.casefold(): t for t in briefing.tags()}
    chosen_tags = []
    for tag in tags:
        if tag.casefold() not in known_tags:
            raise ValueError(f"no event has the tag {tag!r}; tags: {_some(known_tags.values())}")
        chosen_tags.append(known_tags[tag.casefold()])
    chosen_actors = []
    for wanted in actors:
        found = [a.id for a in briefing.actors
                 if wanted.casefold() in (a.id.casefold(), a.name.casefold())]
        if not found:
            raise ValueError(f"no actor {wanted!r}; actors: "
                             f"{_some(a.id for a in briefing.actors)}")
        chosen_actors += found
    query = Query(text=text, tags=frozenset(chosen_tags), actors=frozenset(chosen_actors))
    return None if query.is_empty else query


def _some(names: Any, limit: int = 12) -> str:
    names = sorted(names, key=str.casefold)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "") or "none"


def _refuse_overwriting_input(source: str, out: str) -> None:
    try:
        same = os.path.samefile(source, out)
    except OSError:
        return  # the output does not exist yet
    if same:
        raise ValueError(f"{out} is the briefing itself; choose another output file")


def _ensure_gui_application() -> None:
    """A QGuiApplication on a platform that needs no display, whatever the environment says.

    QT_QPA_PLATFORM may name a display platform (a desktop session exports "wayland" or
    "xcb"); without that display Qt would abort, and an export never opens a window.
    """
    if os.environ.get("QT_QPA_PLATFORM") not in _HEADLESS:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        global _app
        _app = QGuiApplication([sys.argv[0] if sys.argv else "briefing-app"])


_app: Any = None  # kept alive for the rest of the process
