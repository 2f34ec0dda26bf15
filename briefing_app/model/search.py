"""Filtering and sorting events in plain Python (no Qt): the views only show the row order.

Text search is case- and accent-insensitive ("peru" finds "Perú") over the title, notes,
quotes (text, speaker, original) and the cited sources' titles and publishers. All words of
the query must match. The folded text of each event is built once per index and reused
(`prepare` builds it ahead, a slice at a time, while the user reads); a query that extends
the previous one only re-checks the previous matches. A cited source's title and publisher
are folded and matched once per source, not copied into the text of every event that
cites it (~8 MB at 100k events): a word found there marks the events that cite it. The index also keeps the full sort
orders, so the rows of a filter come out sorted in O(matches) instead of a new sort.

A SearchIndex describes one state of the events: build a new one when they change, from
the one before, which lends it the folded text of every event still there.
"""

from __future__ import annotations

import re
import time
import unicodedata
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, compress, repeat
from operator import contains

from .briefing import Briefing, Event, Source, year_span
from .fast import ints, mask, pick

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

_FLIP = bytes.maketrans(b"\0\1", b"\1\0")  # a mask of 0 and 1 inverted

# Events per step of SearchIndex.filtering: a step is 1-5 ms at the common note sizes.
FILTER_STEP = 2048


def fold(text: str) -> str:
    """Lower-case without accents: "Perú" -> "peru"."""
    if text.isascii():
        return text.casefold()
    # Western European text fits one byte a character: map each to what NFKD minus its
    # marks gives, in one C pass (~6x faster than the general path). Latin-1 first, as its
    # encoder is a plain copy; Windows-1252 adds curly quotes, dashes and the ellipsis.
    for folding in _BYTE_FOLDINGS:
        try:
            raw = text.encode(folding.codec)
        except UnicodeEncodeError:
            continue
        if len(raw.translate(None, folding.special)) != len(raw):
            break  # "½" -> "1⁄2", "µ" -> "μ": not one byte
        raw = raw.translate(folding.table)
        for char, expansion in folding.expand:
            if char in raw:
                raw = raw.replace(char, expansion)
        return raw.decode(folding.codec).casefold()
    return _fold_any(text)


def _fold_any(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    # Only the non-ASCII runs can hold combining marks; notes are mostly ASCII.
    return _NON_ASCII.sub(_without_marks, decomposed).casefold()


@dataclass(frozen=True)
class _ByteFolding:
    """How `fold` folds text encoded in `codec`: see _byte_folding."""

    codec: str
    table: bytes  # each byte -> the byte of its base letter ("é" -> "e")
    expand: tuple[tuple[bytes, bytes], ...]  # a byte -> several ("…" -> "...")
    special: bytes  # bytes whose folding leaves the codec ("µ" -> "μ")


def _byte_folding(codec: str) -> _ByteFolding:
    table, expand, special = bytearray(range(256)), [], bytearray()
    for code in range(0x80, 0x100):
        try:
            char = bytes([code]).decode(codec)
        except UnicodeDecodeError:  # a hole in the code page: never produced by encode
            continue
        base = _without_marks_of(unicodedata.normalize("NFKD", char))
        try:
            folded = base.encode(codec)
        except UnicodeEncodeError:
            special.append(code)
            continue
        if len(folded) == 1:
            table[code] = folded[0]
        else:
            expand.append((bytes([code]), folded))
    return _ByteFolding(codec, bytes(table), tuple(expand), bytes(special))


def _without_marks_of(text: str) -> str:
    return "".join(c for c in text if not unicodedata.combining(c))


def _without_marks(match: re.Match[str]) -> str:
    return _without_marks_of(match.group())


_BYTE_FOLDINGS = (_byte_folding("latin-1"), _byte_folding("cp1252"))


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

    @property
    def has_field_filters(self) -> bool:
        return bool(self.actors or self.tags or self.start is not None or self.end is not None)


class SearchIndex:
    """Folded search text per event and the sort orders, for one state of the events."""

    def __init__(self, briefing: Briefing, earlier: SearchIndex | None = None) -> None:
        """`earlier`, an index of the events before they changed, lends the text it folded
        of each event still there: an edit replaces events, never changes one, so the same
        object has the same text. Without it, every edit at 100k events folded every
        text again (~0.8 s of idle work), and at once when a search was on meanwhile."""
        self.briefing = briefing
        # The events as they are now, whose texts a later index may take over (see above).
        self._events = list(briefing.events)
        self._text: list[str | None] = [] if earlier is None else earlier._texts_of(self._events)
        self._prepared = 0  # every event below this has its text
        self._sources: dict[str, Source] | None = None
        self._source_text: dict[str, str] | None = None  # folded title and publisher
        self._citing: dict[str, array] = {}  # source id -> the prepared events citing it
        self._last: tuple[tuple[str, ...], Query, list[int]] | None = None
        self._orders: dict[tuple[str, bool], tuple[list[int], list[int]]] = {}
        self._years: tuple[tuple[int, int] | None] | None = None  # (span,) once computed

    def invalidate(self) -> None:
        self._events = list(self.briefing.events)
        self._text = []
        self._prepared = 0
        self._sources = None
        self._source_text = None
        self._citing = {}
        self._last = None
        self._orders.clear()
        self._years = None

    # the folded text --------------------------------------------------------------------
    def _texts_of(self, events: list[Event]) -> list[str | None]:
        """The folded text of each of `events` that this index holds, else None; in C-level
        passes (~15 ms at 100k events)."""
        known = dict(zip(map(id, self._events), self._text, strict=False))  # (_text may be shorter)
        return list(map(known.get, map(id, events)))

    def text_of(self, index: int) -> str:
        """The event's own folded text: searchable_text without its cited sources' titles
        and publishers, which the index matches once per source (see _citing_match)."""
        texts = self._text
        if index < len(texts):
            cached = texts[index]
            if cached is not None:
                return cached
        else:
            texts.extend([None] * (len(self.briefing.events) - len(texts)))
        cached = texts[index] = fold(_own_text(self.briefing.events[index]))
        return cached

    def prepare(self, budget_s: float = 0.01) -> bool:
        """Fold texts for about `budget_s` seconds; True once every event has its text.

        Call it from an idle timer after opening a file, so the first keystroke does not pay
        for folding every note (~0.7 s at 100k events).
        """
        count = len(self.briefing.events)
        deadline = time.perf_counter() + budget_s
        text_of = self.text_of
        k = self._prepared
        while k < count:
            stop = min(k + 256, count)
            for i in range(k, stop):
                text_of(i)
            self._note_citations(k, stop)
            k = stop
            if time.perf_counter() > deadline:
                break
        self._prepared = k
        return k >= count

    def _note_citations(self, lo: int, hi: int) -> None:
        """Add events lo..hi-1 (once each, in order) to the events citing each known source."""
        if self._sources is None:
            self._sources = self.briefing.source_map()
        sources, citing, events = self._sources, self._citing, self.briefing.events
        for i in range(lo, hi):
            for q in events[i].quotes:
                if q.source in sources:
                    cited = citing.get(q.source)
                    if cited is None:
                        cited = citing[q.source] = array("i")
                    if not cited or cited[-1] != i:
                        cited.append(i)

    def _citing_match(self, term: str) -> Iterator[bytearray | None]:
        """Yields None between slices of work, then a mask of the events that cite a source
        whose folded title or publisher holds `term` (empty when no source does). Call it
        once every event is prepared."""
        if self._source_text is None:
            if self._sources is None:
                self._sources = self.briefing.source_map()
            self._source_text = {key: fold(f"{s.title}\n{s.publisher}")
                                 for key, s in self._sources.items()}
        hits = [key for key, text in self._source_text.items() if term in text]
        cited = [self._citing[key] for key in hits if key in self._citing]
        if not cited:
            yield bytearray()
            return
        marked = bytearray(len(self.briefing.events))
        done = 0
        for events in cited:
            for i in events:  # a plain loop: see model/fast.py
                marked[i] = 1
            done += len(events)
            if done >= FILTER_STEP:
                done = 0
                yield None
        yield marked

    @property
    def is_prepared(self) -> bool:
        return self._prepared >= len(self.briefing.events)

    # filtering --------------------------------------------------------------------------
    def filter(self, query: Query) -> list[int]:
        """Indices into briefing.events that match, in file order."""
        *_, rows = self.filtering(query)  # the steps' pauses (None), then the rows
        assert rows is not None
        return rows

    def filtering(self, query: Query, step: int | None = None) -> Iterator[list[int] | None]:
        """filter() in steps, for a caller that must stay responsive: yields None after each
        step (about `step` events' work, a few ms), then the rows.

        A broad word ("va") is found by scanning every note that lacks it, ~2 µs an event:
        0.2 s at 100k events in one go would freeze typing. A step leaves nothing half-done
        behind, so dropping the generator (a newer key) is always safe.
        """
        step = step or FILTER_STEP
        events = self.briefing.events
        terms = query.terms
        everything = range(len(events))
        candidates: Sequence[int] = everything
        unchecked = terms
        last = self._last
        if (last is not None and terms and _same_filters(last[1], query)
                and _narrows(last[0], terms)):
            candidates = last[2]
            unchecked = tuple(t for t in terms if t not in last[0])  # the rest match already
        elif query.has_field_filters:
            kept: list[int] = []
            for lo in range(0, len(candidates), step):
                kept += (i for i in candidates[lo:lo + step] if _matches_fields(events[i], query))
                yield None
            candidates = kept
        result = ints(len(events)) if candidates is everything else list(candidates)
        if unchecked:
            while not self.prepare(0.004):  # a few ms of folding at a time
                yield None
            texts = self._text
            # C-level passes (map/compress, no Python code per event): 100k notes in ~10 ms
            # instead of ~60 when the word is common, so a step is cheap to take.
            for term in unchecked:
                for citing in self._citing_match(term):  # pauses (None), then the mask
                    if citing is None:
                        yield None
                assert citing is not None
                found: list[int] = []
                for lo in range(0, len(result), step):
                    part = result[lo:lo + step]
                    if citing:
                        # An event that cites a source holding the term matches: only the
                        # others' texts are scanned. Both runs ascend: sorted() merges them.
                        first, last = part[0], part[-1]
                        cites = (citing[first:last + 1] if last - first + 1 == len(part)
                                 else bytes(pick(citing, part)))
                        rest = list(compress(part, cites.translate(_FLIP)))
                        found += sorted(chain(compress(part, cites), compress(
                            rest, map(contains, map(texts.__getitem__, rest), repeat(term)))))
                    else:
                        found += compress(part, map(contains, map(texts.__getitem__, part),
                                                    repeat(term)))
                    yield None
                result = found
        self._last = (terms, query, result)
        yield result

    def year_span(self) -> tuple[int, int] | None:
        """briefing.year_span of the events, computed once."""
        if self._years is None:
            self._years = (year_span(self.briefing.events),)
        return self._years[0]

    # sorting ----------------------------------------------------------------------------
    def order(self, key: str = "date", descending: bool = False) -> list[int]:
        """Every event index in display order; computed once per key and direction."""
        return self._order_and_rank(key, descending)[0]

    def sort_rows(self, rows: Iterable[int], key: str = "date",
                  descending: bool = False) -> list[int]:
        """`rows` (distinct event indices) in display order, the same as the module's
        sort_rows, from the cached order."""
        order, rank = self._order_and_rank(key, descending)
        rows = rows if isinstance(rows, (list, range)) else list(rows)
        if len(rows) == len(order):  # distinct, so every event: no pass over them needed
            return list(order)
        # Sorting by rank beats a pass over the whole order up to about half of it (20k of
        # 100k: 3 ms against 10).
        if 2 * len(rows) < len(order):
            return sorted(rows, key=rank.__getitem__)
        return list(compress(order, pick(mask(len(order), rows), order)))

    def _order_and_rank(self, key: str, descending: bool) -> tuple[list[int], list[int]]:
        found = self._orders.get((key, descending))
        if found is None:
            events = self.briefing.events
            order = sort_rows(events, range(len(events)), key, descending)
            rank = [0] * len(order)
            deque(map(rank.__setitem__, order, ints(len(order))), maxlen=0)  # rank[order[k]] = k
            found = self._orders[(key, descending)] = (order, rank)
        return found


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


def _own_text(event: Event) -> str:
    """searchable_text without the cited sources' titles and publishers."""
    parts = [event.title, event.notes, " ".join(event.tags)]
    for q in event.quotes:
        parts += [q.text, q.speaker or "", q.original or ""]
    return "\n".join(parts)


def searchable_text(briefing: Briefing, event: Event,
                    sources: dict[str, Source] | None = None) -> str:
    """The event's text as searched; pass `sources` (briefing.source_map()) when calling often.

    A query's words hold no whitespace, so a word is found in this text exactly when it is
    found in one of its lines: SearchIndex matches the sources' lines apart."""
    parts = [event.title, event.notes, " ".join(event.tags)]
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
    """Row order for the views: chronological by interval, or by title.

    Each key is computed once per row (not once per comparison) and sorted in stable passes
    of plain ints and strings, which Python compares much faster than tuples.
    """
    rows = ints(len(rows)) if _is_all(rows) else list(rows)
    chosen = list(map(events.__getitem__, rows))
    titles = [event.title.casefold() for event in chosen]
    # (start, end) as one int: day ordinals stay below 2**22, so this orders like the pair.
    spans = []
    for event in chosen:
        lo, hi = event.date.sort_key()
        if event.end is not None:
            hi = max(hi, event.end.sort_key()[1])
        spans.append(lo << 22 | hi)
    passes = (spans, titles) if key == "title" else (titles, spans)  # least significant first
    positions = ints(len(rows))
    for values in passes:
        positions.sort(key=values.__getitem__, reverse=descending)
    return list(map(rows.__getitem__, positions))


def _is_all(rows: Iterable[int]) -> bool:
    """rows is range(n): its list can share the ints of fast.ints."""
    return isinstance(rows, range) and rows.start == 0 and rows.step == 1
