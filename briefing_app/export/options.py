"""What to export, shared by every export format: the options and the selection of events."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..model.briefing import Briefing, Event
from ..model.errors import BriefingError
from ..model.search import Query, SearchIndex, sort_rows

PAGE_SIZES = ("A4", "Letter")


class ExportError(BriefingError):
    """An export failed; any file that was already at the output path is unchanged."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot export: {reason}")


def refuse_overwriting(out: str | os.PathLike[str],
                       briefing_path: str | os.PathLike[str] | None) -> None:
    """ExportError when `out` is the briefing's own file (a save dialog offers it when the
    export is JSON, and a typed name may be anything): an export never writes the briefing."""
    if briefing_path is None:
        return
    try:
        same = os.path.samefile(out, briefing_path)
    except OSError:
        return  # one of them does not exist: nothing to overwrite
    if same:
        raise ExportError(str(out), "it is the briefing being exported; choose another file")


@dataclass(frozen=True)
class ExportOptions:
    """`query` None exports every event; otherwise only those it matches, in date order."""

    page_size: str = "A4"
    landscape: bool = False
    query: Query | None = None
    include_sections: bool = True
    # The window's SearchIndex of the briefing as it is, when there is one: see select_rows.
    index: SearchIndex | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"unknown page size {self.page_size!r}; expected one of {PAGE_SIZES}")


def select_rows(briefing: Briefing, query: Query | None,
                index: SearchIndex | None = None) -> list[int]:
    """Indices into briefing.events of the exported events, in date order.

    `index`, a SearchIndex of the briefing's events as they are (the window's), filters
    with the text it has folded already: a fresh index folds every event's text first,
    ~0.8 s at 100k events for an export of the 200 that a search shows.
    """
    rows = range(len(briefing.events))
    if query is not None and not query.is_empty:
        if index is None or index.briefing is not briefing:
            index = SearchIndex(briefing)  # a fresh index: nothing kept between runs
        rows = index.filter(query)
    return sort_rows(briefing.events, rows, "date")


def select_events(briefing: Briefing, query: Query | None,
                  index: SearchIndex | None = None) -> list[Event]:
    """The exported events in date order (all of them when `query` is None or empty)."""
    return [briefing.events[i] for i in select_rows(briefing, query, index)]


def describe_query(briefing: Briefing, query: Query | None) -> str:
    """The filter in words for the title page, e.g. 'tag “navy”, text “callao”'; '' for none."""
    if query is None or query.is_empty:
        return ""
    actors = briefing.actor_map()
    parts = []
    if query.text.strip():
        parts.append(f"text “{query.text.strip()}”")
    if query.tags:
        parts.append(_listed("tag", sorted(query.tags, key=str.casefold)))
    if query.actors:
        names = sorted((actors[a].name if a in actors else a for a in query.actors),
                       key=str.casefold)
        parts.append(_listed("actor", names))
    if query.start is not None:
        parts.append(f"from {query.start.isoformat()}")
    if query.end is not None:
        parts.append(f"until {query.end.isoformat()}")
    return ", ".join(parts)


def _listed(noun: str, values: list[str]) -> str:
    quoted = " or ".join(f"“{v}”" for v in values)
    return f"{noun}{'s' if len(values) > 1 else ''} {quoted}"
