"""The briefing's data: Briefing, Actor, Source, Quote and Event as plain dataclasses.

Every record keeps the JSON fields it does not know in `extra`, so a file written by a newer
version or another tool loses nothing when this app saves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import FuzzyDate

FORMAT = "briefing/1"

# ICD 203 estimative language, in increasing order of likelihood.
LIKELIHOODS = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
CONFIDENCES = ("low", "moderate", "high")

# Admiralty code: reliability of the source, credibility of the information.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


class _NoExtra(dict):
    """The `extra` of each record loaded without unknown fields: one shared empty mapping
    that refuses changes, instead of an empty dict per event and quote (~20 MB at 100k
    events). Records are values (see Event), so nothing changes it; a copy is a plain dict.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a record's shared empty `extra` cannot change: replace the record "
                        "(dataclasses.replace) with extra={...}")

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}

    def __deepcopy__(self, memo: Any) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return dict, ()


NO_EXTRA: dict[str, Any] = _NoExtra()


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    color: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    url: str = ""
    published: FuzzyDate | None = None
    reliability: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Quote:
    text: str
    source: str
    speaker: str | None = None
    credibility: int | None = None
    translated: bool = False
    original: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def grade(self, source: Source | None) -> str:
        """Admiralty grade such as "B2"; "-" stands for an unknown half."""
        reliability = (source.reliability if source else None) or "-"
        credibility = str(self.credibility) if self.credibility else "-"
        return "" if reliability == credibility == "-" else reliability + credibility


# Events are values: an edit replaces one (dataclasses.replace), never changes it in place.
# The views rely on it to notice changes, and a save copies the bytes of every event that is
# still the very object it wrote last time (model/saved_layout.py).
@dataclass(slots=True)
class Event:
    id: str
    title: str
    date: FuzzyDate
    end: FuzzyDate | None = None
    actors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    quotes: list[Quote] = field(default_factory=list)
    likelihood: str | None = None
    confidence: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> date | None:
        return self.date.start

    @property
    def stop(self) -> date | None:
        """Last day covered: the end date's end when there is one."""
        return self.end.end if self.end is not None else self.date.end

    @property
    def primary_actor(self) -> str | None:
        return self.actors[0] if self.actors else None

    def sort_key(self) -> tuple[int, int, str]:
        lo, hi = self.date.sort_key()
        if self.end is not None:
            hi = max(hi, self.end.sort_key()[1])
        return lo, hi, self.title.casefold()

    def date_label(self) -> str:
        if self.end is None:
            return self.date.label()
        return f"{self.date.label()} – {self.end.label()}"


def counted(n: int, noun: str) -> str:
    """"1 event", "2,000 events": a count as the app writes it everywhere."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def year_span(events: list[Event]) -> tuple[int, int] | None:
    """The first and the last year the events cover, or None when no date is known.

    ~60 ms at 100k events: the window asks its SearchIndex, which keeps it per state.
    """
    years = [d.year for e in events for d in (e.start, e.stop) if d is not None]
    return (min(years), max(years)) if years else None


@dataclass(slots=True)
class Briefing:
    title: str = "Untitled briefing"
    summary: str = ""
    classification: str = ""
    updated: str = ""
    actors: list[Actor] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    format: str = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def actor_map(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    def source_map(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    def tags(self) -> list[str]:
        """All tags in use, sorted case-insensitively."""
        return sorted({t for e in self.events for t in e.tags}, key=str.casefold)

    def events_citing(self, source_id: str) -> list[Event]:
        return [e for e in self.events if any(q.source == source_id for q in e.quotes)]
