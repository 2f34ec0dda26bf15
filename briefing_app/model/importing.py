"""Bringing a file in: detect its kind (CSV, TimelineJS, our own JSON) and convert it.

`import_file(path)` returns a new, valid Briefing and an ImportReport listing, one line each,
what the file held that has no place in a briefing. It never half-imports: any row or field
it cannot use raises LoadError naming the file and the row or JSON path of every problem.
The converters (csv_format, timelinejs) share the report and the actor/source bookkeeping
defined here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ids
from .briefing import Actor, Briefing, Event, Source, counted
from .dates import FuzzyDate
from .errors import LoadError
from .ids import slugify
from .storage import id_key

CSV, TIMELINEJS, BRIEFING = "csv", "timelinejs", "briefing"
KIND_NAMES = {CSV: "CSV", TIMELINEJS: "TimelineJS", BRIEFING: "briefing"}



@dataclass
class ImportReport:
    """What did not fit: `lines` name the file and the place, e.g. "a.csv: column 7 ...". """

    path: str
    kind: str
    lines: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        place = f"{self.path}: {where}" if where else self.path
        self.lines.append(f"{place}: {message}")

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


def import_file(path: str | os.PathLike[str]) -> tuple[Briefing, ImportReport]:
    """Read `path` as CSV, TimelineJS JSON or a briefing; raise LoadError listing every problem."""
    from . import storage

    name = str(path)
    text = storage.read_text(path)
    return import_text(text, name)


def import_text(text: str, name: str) -> tuple[Briefing, ImportReport]:
    """`import_file` for text already read; `name` is used in every message."""
    # Imported here, not at the top: csv_format and timelinejs import this module's helpers.
    from . import csv_format, storage, timelinejs

    if not text.strip():
        raise LoadError(name, [f"{name}: the file is empty"])
    if text.lstrip()[:1] not in ("{", "["):
        briefing, report = csv_format.from_csv(text, name)
    else:
        data = storage.parse_json(name, text)
        kind = detect_json_kind(name, data)
        if kind == BRIEFING:
            return storage.parse_briefing(name, data), ImportReport(name, BRIEFING)
        briefing, report = timelinejs.from_timelinejs(data, name)
    return validated(briefing, name), report


def detect_json_kind(name: str, data: Any) -> str:
    """BRIEFING or TIMELINEJS by the JSON's shape; LoadError when it is neither."""
    if not isinstance(data, dict):
        raise LoadError(name, [f"{name}: the top level must be a JSON object (a briefing or a "
                               "TimelineJS timeline), not a list or a value"])
    if "format" in data:
        return BRIEFING
    events = data.get("events")
    records = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    timeline_keys = ("start_date", "end_date", "text", "media", "display_date", "unique_id")
    if (isinstance(data.get("title"), dict) or "eras" in data or "scale" in data
            or any(k in e for e in records for k in timeline_keys)):
        return TIMELINEJS
    if isinstance(data.get("title"), str) or any("date" in e for e in records):
        return BRIEFING
    raise LoadError(name, [f"{name}: neither a briefing (it has no \"format\": \"briefing/1\") "
                           "nor a TimelineJS timeline (no \"events\" with a \"start_date\")"])


def validated(briefing: Briefing, name: str) -> Briefing:
    """The briefing as `storage.load` would read it back: the import's guarantee of validity."""
    from . import storage

    return storage.parse_briefing(name, storage.to_json(briefing))


def title_from_path(name: str) -> str:
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported briefing"


# --- shared by the converters ----------------------------------------------------------

def some(text: str, items: Sequence[str], limit: int = 5) -> str:
    """`text (a, b, c, d, e, ...)`: a report line naming the first few items."""
    shown = ", ".join(items[:limit]) + (", ..." if len(items) > limit else "")
    return f"{text} ({shown})"


def quote_losses(events: Sequence[Event], only_first: str) -> list[str]:
    """Report lines for a format that keeps only each event's first quote, untranslated."""
    lines = []
    multi = [e.id for e in events if len(e.quotes) > 1]
    if multi:
        lines.append(some(f"{events_have(len(multi))} more than one quote; only the first "
                          + only_first, multi))
    if any(e.quotes[0].translated or e.quotes[0].original for e in events if e.quotes):
        lines.append("whether a quote is translated, and its original wording")
    return lines


def events_have(n: int) -> str:
    """"1 event has", "2 events have": the start of a report line."""
    return f"{counted(n, 'event')} {'has' if n == 1 else 'have'}"


def slug(text: str, fallback: str = "item") -> str:
    """An id from a name: "Perú (government)" -> "peru-government"."""
    return slugify(text, fallback)


class TakenIds(set):
    """The ids an import has given out, with what they look like (`storage.id_key`) and, for
    each base, the next suffix to try: `unique_id` against it is a few look-ups, not a pass
    over every id taken (10k rows without an id column took over a minute, as many rows
    titled alike longer). Ids are only ever added."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        super().__init__()
        self.keys: set[str] = set()
        self.next: dict[str, int] = {}
        for t in taken:
            self.add(t)

    def add(self, item: str) -> None:
        super().add(item)
        self.keys.add(id_key(item))


def unique_id(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not in `used`; the result is added to it."""
    if isinstance(used, TakenIds):
        candidate = ids.unique_id_of_keys(base, used.keys, used.next)
    else:
        candidate = ids.unique_id(base, used)
    used.add(candidate)
    return candidate


def ends_before(end: FuzzyDate, start: FuzzyDate) -> bool:
    """`end` is over before `start` begins (an open side counts by its known bound)."""
    last, first = end.end or end.start, start.start or start.end
    return last is not None and first is not None and last < first


def split_list(cell: str, separator: str = ";") -> list[str]:
    """"a; b;;a" -> ["a", "b"]: trimmed, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in cell.split(separator):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


class Registry:
    """The actors and sources met while importing, found again by name, title or URL."""

    def __init__(self) -> None:
        self.actors: list[Actor] = []
        self.sources: list[Source] = []
        self._actor_ids = TakenIds()
        self._source_ids = TakenIds()
        self._actor_by_name: dict[str, Actor] = {}
        self._source_by_url: dict[str, Source] = {}
        self._source_by_title: dict[str, Source] = {}

    def actor_id(self, name: str) -> str:
        """The id of the actor called `name` (case-insensitive), made on first sight."""
        key = " ".join(name.split()).casefold()
        actor = self._actor_by_name.get(key)
        if actor is None:
            actor = Actor(unique_id(slug(name, "actor"), self._actor_ids), " ".join(name.split()))
            self._actor_by_name[key] = actor
            self.actors.append(actor)
        return actor.id

    def known_actor_id(self, name: str) -> str | None:
        actor = self._actor_by_name.get(" ".join(name.split()).casefold())
        return actor.id if actor is not None else None

    def source(self, title: str, url: str = "") -> Source:
        """The source with this URL (or, without one, this title), made on first sight."""
        title, url = title.strip(), url.strip()
        found = (self._source_by_url.get(url) if url
                 else self._source_by_title.get(title.casefold()))
        if found is None and url and title:
            same_title = self._source_by_title.get(title.casefold())
            if same_title is not None and not same_title.url:
                same_title.url = url
                found = same_title
        if found is None:
            title = title or url
            found = Source(unique_id(slug(title, "source"), self._source_ids), title, url=url)
            self.sources.append(found)
            self._source_by_title.setdefault(title.casefold(), found)
        if found.url:
            self._source_by_url.setdefault(found.url, found)
        return found
