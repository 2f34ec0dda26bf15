"""Filtering and sorting events in plain Python (no Qt): the views only show the row order.

Text search is case- and accent-insensitive ("peru" finds "Perú") over the title, notes,
quotes (text, speaker, original) and the cited sources' titles and publishers. All words of
the query must match. The folded text of each event is built once and reused; a query that
extends the previous one only re-checks the previous matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .briefing import Briefing, Event


def fold(text: str) -> str:
    """Lower-case without accents: "Perú" -> "peru"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Query:
    text: str = ""
    actors: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    start: date | None = None
    end: date | None = None

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(fold(self.text).split())

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.actors or self.tags or self.start or self.end)


class SearchIndex:
    """Folded search text per event, built lazily and invalidated per event."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self._text: dict[int, str] = {}
        self._last: tuple[tuple[str, ...], Query, list[int]] | None = None

    def invalidate(self) -> None:
        self._text.clear()
        self._last = None

    def text_of(self, index: int) -> str:
        cached = self._text.get(index)
        if cached is None:
            cached = fold(searchable_text(self.briefing, self.briefing.events[index]))
            self._text[index] = cached
        return cached

    def filter(self, query: Query) -> list[int]:
        """Indices into briefing.events that match, in file order."""
        events = self.briefing.events
        terms = query.terms
        candidates: Iterable[int] = range(len(events))
        last = self._last
        if last is not None and terms and _same_filters(last[1], query) and _narrows(last[0], terms):
            candidates = last[2]
        result = [i for i in candidates if _matches_fields(events[i], query)
                  and all(t in self.text_of(i) for t in terms)]
        self._last = (terms, query, result)
        return result


def _same_filters(a: Query, b: Query) -> bool:
    return (a.actors, a.tags, a.start, a.end) == (b.actors, b.tags, b.start, b.end)


def _narrows(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Every match of `new` is a match of `old` (each old term is inside some new term)."""
    return bool(old) and all(any(o in n for n in new) for o in old)


def _matches_fields(event: Event, query: Query) -> bool:
    if query.actors and query.actors.isdisjoint(event.actors):
        return False
    if query.tags and query.tags.isdisjoint(event.tags):
        return False
    if query.start is not None:
        stop = event.stop
        if stop is not None and stop < query.start:
            return False
    if query.end is not None:
        start = event.start
        if start is not None and start > query.end:
            return False
    return True


def searchable_text(briefing: Briefing, event: Event) -> str:
    parts = [event.title, event.notes, " ".join(event.tags)]
    sources = None
    for q in event.quotes:
        parts += [q.text, q.speaker or "", q.original or ""]
        if sources is None:
            sources = briefing.source_map()
        src = sources.get(q.source)
        if src is not None:
            parts += [src.title, src.publisher]
    return "\n".join(parts)


SORT_KEYS = ("date", "title")


def sort_rows(events: Sequence[Event], rows: Iterable[int], key: str = "date",
              descending: bool = False) -> list[int]:
    """Row order for the views: chronological by interval, or by title."""
    if key == "title":
        return sorted(rows, key=lambda i: (events[i].title.casefold(), events[i].sort_key()),
                      reverse=descending)
    return sorted(rows, key=lambda i: events[i].sort_key(), reverse=descending)
