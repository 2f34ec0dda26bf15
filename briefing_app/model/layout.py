"""Timeline layout without Qt: lanes, each event's extent in days, and fast range queries.

Time is a float number of days, `date.toordinal()`; a day d covers [d, d + 1). An item's
`start`/`end` are its drawn extent: for imprecise dates it includes the soft edges (the alpha
ramps of `fade_start`/`fade_end` days measured inwards), for open-ended dates ("before 2020")
a fade of `OPEN_FADE_DAYS` towards the open side.

Range queries: items are grouped by length into powers of two; within a group every item
that intersects [t0, t1] starts in [t0 - longest, t1], so a bisect per group finds them and
only items that end just before t0 are looked at in vain. One long event therefore does not
make every query scan everything after it, as a single running maximum of ends would.

Building is the costly part at 100k events (~0.5 s): extents are computed once per distinct
(date, end) pair and sorted in passes over plain floats. A filter should not build again:
`Layout.subset` derives the filtered layout from the layout of all events with passes in C.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate, compress
from operator import attrgetter

from .briefing import Briefing, Event
from .dates import AFTER, BEFORE, POINT, RANGE, DatePart, Precision
from .fast import ints, pick
from .gc_pause import paused_gc
from .markdown import reveal_invisible

MODES = ("actor", "tag", "single")
OPEN_FADE_DAYS = 365.0
MIN_FADE_DAYS = 3.0
FADE_SHARE = 0.15  # of the imprecise part's length
APPROX_MIN_DAYS = 7.0
NO_ACTOR, NO_TAG, ALL_EVENTS = "No actor", "No tag", "All events"
NEUTRAL = "#7a8288"
# Distinguishable on light and dark backgrounds; picked by a stable hash for tags and for
# actors without a colour of their own.
PALETTE = (
    "#2a6bd1", "#c93a3f", "#2e8b57", "#d2601a", "#7b57d1", "#00879a",
    "#b0409a", "#b8860b", "#5d7b2f", "#8d6e63", "#c2185b", "#3f51b5",
)


@dataclass(frozen=True, slots=True)
class Lane:
    key: str
    label: str
    color: str


@dataclass(slots=True)
class Item:
    """One event on the timeline; `other_lanes` get a small mark at the event's time."""

    event: int
    lane: int
    other_lanes: tuple[int, ...]
    start: float
    end: float
    fade_start: float = 0.0
    fade_end: float = 0.0
    open_start: bool = False
    open_end: bool = False
    soft: bool = False
    point: bool = False
    color: str = NEUTRAL


@dataclass(slots=True)
class _Group:
    """Items of about one length (a power of two in days): see the module docstring."""

    longest: float
    starts: list[float]
    positions: list[int]
    last_end: float = 0.0
    ends: list[float] = field(default_factory=list)


def palette_color(key: str) -> str:
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


class Layout:
    """Lanes and items sorted by (start, end); query with visible(), density(), full_range()."""

    def __init__(self, briefing: Briefing, lanes: list[Lane], items: list[Item], mode: str,
                 *, _groups: list[_Group] | Callable[[], list[_Group]] | None = None,
                 _starts: list[float] | None = None) -> None:
        self.briefing = briefing
        self.lanes = lanes
        self.items = items
        self.mode = mode
        self.starts = _starts if _starts is not None else [it.start for it in items]
        # The length groups serve range queries (a zoomed view). A filter's subset gets a
        # function that derives them, run on the first such query: a view fitted to
        # everything never asks (see count_visible).
        self._group_maker = _groups if callable(_groups) else None
        self._groups = (None if callable(_groups)
                        else _groups if _groups is not None else _group_by_length(items))
        self._last_end = (max(map(attrgetter("end"), items), default=0.0) if self._groups is None
                          else max((g.last_end for g in self._groups), default=0.0))
        self._by_event: dict[int, Item] | None = None
        self._lane_starts: list[list[float]] | None = None
        self._lane_positions: list[list[int]] | None = None  # of each lane's own items
        self._lane_members: list[list[int]] | None = None
        self._position_of: list[int] | None = None
        self._subset_of: tuple[Layout, bytearray] | None = None  # (whole, kept): see subset

    def __len__(self) -> int:
        return len(self.items)

    @property
    def by_event(self) -> dict[int, Item]:
        """The item of each event index; built on first use (item_of does not need it)."""
        if self._by_event is None:
            self._by_event = {it.event: it for it in self.items}
        return self._by_event

    def item_of(self, event: int) -> Item | None:
        """The item of briefing.events[event], or None. A filter's subset answers from its
        whole layout (~50 us) instead of indexing its own items (~15 ms at 100k events).

        The whole layout answers from the positions that subset() needs anyway, not from
        by_event: a dict of every item would hold another ~5 MB at 100k events.
        """
        if self._by_event is not None:
            return self._by_event.get(event)
        if self._subset_of is not None:
            whole, kept = self._subset_of
            position_of = whole._position_of
            assert position_of is not None  # (subset built it)
            position = position_of[event] if 0 <= event < len(position_of) else -1
            if position < 0 or not kept[position]:
                return None
            return self.items[kept.count(1, 0, position)]  # the kept ones before it
        if self._position_of is None:
            self._index_positions()
            assert self._position_of is not None
        position = self._position_of[event] if 0 <= event < len(self._position_of) else -1
        return self.items[position] if position >= 0 else None

    def title(self, item: Item) -> str:
        # Bidi overrides and zero-width characters are shown, never obeyed: a title cannot
        # disguise itself on the timeline.
        return reveal_invisible(self.briefing.events[item.event].title)

    def visible(self, t0: float, t1: float) -> list[Item]:
        """Items with start <= t1 and end >= t0, in (start, end) order."""
        found: list[int] = []
        items = self.items
        groups = self._length_groups()
        for group in groups:
            lo = bisect_left(group.starts, t0 - group.longest)
            hi = bisect_right(group.starts, t1)
            found.extend(p for p in group.positions[lo:hi] if items[p].end >= t0)
        if len(groups) > 1:
            found.sort()
        return [items[p] for p in found]

    def count_visible(self, t0: float, t1: float) -> int:
        """An upper bound of len(visible(t0, t1)) in O(groups * log n), for level of detail."""
        if not self.items or (t0 <= self.starts[0] and t1 >= self._last_end):
            return len(self.items)  # the range holds everything (exact, and asks no group)
        total = 0
        for group in self._length_groups():
            total += bisect_right(group.starts, t1) - bisect_left(group.starts, t0 - group.longest)
        return total

    def _length_groups(self) -> list[_Group]:
        if self._groups is None:
            assert self._group_maker is not None
            self._groups, self._group_maker = self._group_maker(), None
        return self._groups

    def density(self, t0: float, t1: float, buckets: int, lane: int | None = None) -> list[int]:
        """How many items start in each of `buckets` equal slices of [t0, t1), per lane or all."""
        starts = self.starts if lane is None else self.lane_starts()[lane]
        if buckets <= 0 or t1 <= t0:
            return []
        step = (t1 - t0) / buckets
        edges = [bisect_left(starts, t0 + i * step) for i in range(buckets + 1)]
        return [b - a for a, b in zip(edges, edges[1:], strict=False)]

    def lane_starts(self) -> list[list[float]]:
        """The starts of each lane's own items (not those it only shares), in order."""
        if self._lane_starts is None:
            self._index_lanes()
        assert self._lane_starts is not None
        return self._lane_starts

    def prepare_subsets(self, steps: int = 3) -> bool:
        """Build what subset() needs, up to `steps` of its three parts; True when all are.

        Each part is ~15-25 ms of Python at 100k events: an idle timer takes them one at a
        time, so that neither the first filter nor the idle work freezes the window long.
        """
        # (Lane positions, not starts: a subset gets its lane starts without positions.)
        parts = ((self._position_of, self._index_positions),
                 (self._lane_members, self._index_lane_members),
                 (self._lane_positions, self._index_lanes))
        todo = [build for built, build in parts if built is None]
        for build in todo[:steps]:
            build()
        return len(todo) <= steps

    def _index_positions(self) -> None:
        position_of = [-1] * len(self.briefing.events)
        for position, it in zip(ints(len(self.items)), self.items):  # a plain loop: see
            position_of[it.event] = position  # model/fast.py
        self._position_of = position_of

    def _index_lane_members(self) -> None:
        self._lane_members = _lane_members(self.items, len(self.lanes), self.mode)

    def _index_lanes(self) -> None:
        self._lane_starts, self._lane_positions = _by_lane(self.items, self.starts,
                                                           len(self.lanes))

    def full_range(self) -> tuple[float, float]:
        """All items with a margin of 3% (at least two weeks) on each side."""
        if not self.items:
            today = date.today().toordinal()
            return today - 183.0, today + 183.0
        t0, t1 = self.starts[0], self._last_end
        margin = max(14.0, 0.03 * (t1 - t0))
        return t0 - margin, t1 + margin

    def subset(self, event_indices: Iterable[int]) -> Layout:
        """The layout of some of these events, for a filter: nothing laid out or sorted again.

        Unlike build_layout(briefing, event_indices), lanes keep their order from this
        layout (a search does not reshuffle them while the user types); lanes left without
        events or marks are dropped. Ties keep this layout's order. Items are shared with
        this layout when no lane is dropped, otherwise copied with their lanes renumbered.
        Events that this layout does not hold are left out.
        """
        self.prepare_subsets()
        # -1 (an event this layout does not hold) marks the spare last byte: it stays out.
        position_of = self._position_of
        assert position_of is not None
        kept = bytearray(len(self.items) + 1)
        for i in event_indices:  # (a plain loop: see model/fast.py)
            kept[position_of[i]] = 1
        del kept[-1]
        kept_count = kept.count(1)
        if kept_count == len(self.items):
            return self
        part = self._subset(kept, kept_count)
        part._subset_of = (self, kept)
        return part

    def _subset(self, kept: bytearray, kept_count: int) -> Layout:
        assert self._lane_members is not None and self._lane_positions is not None
        present = [lane for lane, members in enumerate(self._lane_members)
                   if any(map(kept.__getitem__, members))]
        if 8 * kept_count < len(self.items):  # a few: work per kept item
            items = [self.items[p] for p in compress(range(len(self.items)), kept)]
            if len(present) < len(self.lanes):
                return _renumbered(self, items, present)
            return Layout(self.briefing, self.lanes, items, self.mode)
        items = list(compress(self.items, kept))  # many: passes over everything, but in C
        # Each kept lane's starts, picked from this layout's in C (a Python pass over the
        # items would cost ~20 ms at 100k): the density view needs them on the next frame.
        lane_starts = [list(compress(self._lane_starts[lane],  # type: ignore[index]
                                     pick(kept, self._lane_positions[lane])))
                       for lane in present]
        if len(present) < len(self.lanes):
            part = _renumbered(self, items, present)
            part._lane_starts = lane_starts
            return part
        whole_groups = self._length_groups()

        def groups() -> list[_Group]:  # ~10 ms at 100k: on the first zoomed query, if any
            # the new position of each kept old one: (kept up to and including it) - 1
            moved = list(accumulate(kept, initial=-1))
            del moved[0]
            made = []
            for g in whole_groups:
                in_group = pick(kept, g.positions)
                starts = list(compress(g.starts, in_group))
                if starts:
                    ends = list(compress(g.ends, in_group))
                    made.append(_Group(g.longest, starts,
                                       [moved[p] for p in compress(g.positions, in_group)],
                                       max(ends), ends))
            return made
        part = Layout(self.briefing, self.lanes, items, self.mode, _groups=groups,
                      _starts=list(compress(self.starts, kept)))
        part._lane_starts = lane_starts
        return part


def _lane_members(items: list[Item], lane_count: int, mode: str) -> list[list[int]]:
    """Positions of the items that give each lane a reason to be shown."""
    members: list[list[int]] = [[] for _ in range(lane_count)]
    every_key = mode == "actor"  # every actor of an event has a lane; only first tags do
    for position, it in zip(ints(len(items)), items):
        members[it.lane].append(position)
        if every_key:
            for lane in it.other_lanes:
                members[lane].append(position)
    return members


def _renumbered(full: Layout, items: list[Item], present: list[int]) -> Layout:
    """Copies of `items` in the lanes that are `present` (old numbers, in order)."""
    renumber = [-1] * len(full.lanes)
    for new, old in enumerate(present):
        renumber[old] = new
    copies = []
    for it in items:
        others = tuple(renumber[k] for k in it.other_lanes if renumber[k] >= 0)
        copies.append(Item(it.event, renumber[it.lane], others, it.start, it.end,
                           it.fade_start, it.fade_end, it.open_start, it.open_end,
                           it.soft, it.point, it.color))
    return Layout(full.briefing, [full.lanes[old] for old in present], copies, full.mode)


def _by_lane(items: list[Item], starts: list[float],
             lane_count: int) -> tuple[list[list[float]], list[list[int]]]:
    """The starts and positions of each lane's own items."""
    by_lane: list[list[float]] = [[] for _ in range(lane_count)]
    positions: list[list[int]] = [[] for _ in range(lane_count)]
    for position, it, start in zip(ints(len(items)), items, starts, strict=True):
        by_lane[it.lane].append(start)
        positions[it.lane].append(position)
    return by_lane, positions


def build_layout(briefing: Briefing, event_indices: Sequence[int], mode: str = "actor") -> Layout:
    """Lay out briefing.events[i] for i in event_indices in lanes by actor, tag or one lane.

    Items are sorted by (start, end); ties keep the order of `event_indices`.
    """
    if mode not in MODES:
        raise ValueError(f"unknown lane mode {mode!r}; expected one of {MODES}")
    with paused_gc():
        return _build(briefing, event_indices, mode)


def _build(briefing: Briefing, event_indices: Sequence[int], mode: str) -> Layout:
    events = briefing.events
    indices = list(event_indices)
    extents = _extents(events, indices)
    # Two stable passes over plain floats: much faster than comparing tuples.
    order = sorted(range(len(indices)), key=[x[1] for x in extents].__getitem__)
    order.sort(key=[x[0] for x in extents].__getitem__)
    keys = [_lane_keys(events[indices[p]], mode) for p in order]
    lanes, lane_index = _lanes_in_order(briefing, mode, keys)
    colors = actor_colors(briefing) if mode == "single" else {}
    color_of: dict[str | None, str] = {}  # per primary actor, in single mode
    lane_colors = [lane.color for lane in lanes]
    items: list[Item] = []
    groups: dict[int, _Group] = {}
    # The other lanes of each distinct key tuple, shared: a few dozen tuples, not one per
    # event with several actors (~3 MB at 100k).
    others_of: dict[tuple[str, ...], tuple[int, ...]] = {}
    for position, p, own in zip(ints(len(order)), order, keys, strict=True):
        i = indices[p]
        start, end, fade_start, fade_end, open_start, open_end, soft, point, bucket = extents[p]
        lane = lane_index[own[0]]
        if len(own) == 1:
            others: tuple[int, ...] = ()
        else:
            found = others_of.get(own)
            if found is None:
                found = others_of[own] = tuple(lane_index[k] for k in own[1:] if k in lane_index)
            others = found
        if mode == "single":
            actor = events[i].primary_actor
            color = color_of.get(actor)
            if color is None:
                color = color_of[actor] = _color_of(colors, actor)
        else:
            color = lane_colors[lane]
        items.append(Item(i, lane, others, start, end, fade_start, fade_end,
                          open_start, open_end, soft, point, color))
        group = groups.get(bucket)
        if group is None:
            group = groups[bucket] = _Group(0.0, [], [])
        if end - start > group.longest:
            group.longest = end - start
        if end > group.last_end:
            group.last_end = end
        group.starts.append(start)
        group.ends.append(end)
        group.positions.append(position)
    return Layout(briefing, lanes, items, mode, _groups=list(groups.values()))


_Extent = tuple[float, float, float, float, bool, bool, bool, bool, int]


def _extents(events: Sequence[Event], indices: list[int]) -> list[_Extent]:
    """The extent of each event, computed once per distinct (date, end) pair.

    The loader shares one FuzzyDate among all events that wrote the same text, so 100k
    events have a few thousand distinct pairs; identity is a safe key while they are alive.
    """
    known: dict[tuple[int, int], _Extent] = {}
    out = []
    for i in indices:
        event = events[i]
        key = (id(event.date), id(event.end))
        extent = known.get(key)
        if extent is None:
            start, end, fade_start, fade_end, open_start, open_end, soft = _extent(event)
            point = not soft and not open_start and not open_end and end - start == 1.0
            extent = known[key] = (start, end, fade_start, fade_end, open_start, open_end,
                                   soft, point, int(end - start).bit_length())
        out.append(extent)
    return out


def _lane_keys(event: Event, mode: str) -> tuple[str, ...]:
    """The event's lane first, then the lanes where it gets a mark (no repeats)."""
    if mode == "actor":
        found: Sequence[str] = event.actors or (NO_ACTOR,)
    elif mode == "tag":
        found = event.tags or (NO_TAG,)
    else:
        return (ALL_EVENTS,)
    return tuple(found) if len(found) == 1 else tuple(dict.fromkeys(found))


def _lanes_in_order(briefing: Briefing, mode: str, keys: list[tuple[str, ...]]):
    """Lanes in order of first appearance in time, and their index by key.

    Every actor involved gets a lane, so an actor who is never first still shows its marks;
    only first tags make lanes, as events often carry many tags.
    """
    used = 0 if mode == "actor" else 1
    colors = actor_colors(briefing) if mode == "actor" else tag_colors(briefing)
    lane_index: dict[str, int] = {}
    lanes: list[Lane] = []
    for own in keys:
        for key in own[: used or None]:
            if key not in lane_index:
                lane_index[key] = len(lanes)
                lanes.append(_lane(briefing, colors, mode, key))
    return lanes, lane_index


def _lane(briefing: Briefing, colors: dict[str, str], mode: str, key: str) -> Lane:
    if key in (NO_ACTOR, NO_TAG, ALL_EVENTS):
        return Lane(key, key, NEUTRAL)
    if mode == "tag":
        return Lane(key, key, colors.get(key) or palette_color(key))
    actor = briefing.actor(key)
    return Lane(key, actor.name if actor and actor.name else key, _color_of(colors, key))


def actor_colors(briefing: Briefing) -> dict[str, str]:
    """Each actor's colour; without one, by its place in the file (distinct for a dozen)."""
    return {a.id: a.color or PALETTE[k % len(PALETTE)] for k, a in enumerate(briefing.actors)}


def tag_colors(briefing: Briefing) -> dict[str, str]:
    """By the tag's place among all first tags (the lanes): distinct, and kept by filtering."""
    first_tags = sorted({e.tags[0] for e in briefing.events if e.tags}, key=str.casefold)
    return {t: PALETTE[k % len(PALETTE)] for k, t in enumerate(first_tags)}


def _color_of(colors: dict[str, str], actor_id: str | None) -> str:
    if actor_id is None:
        return NEUTRAL
    return colors.get(actor_id) or palette_color(actor_id)  # an actor the file does not list


def _extent(event: Event) -> tuple[float, float, float, float, bool, bool, bool]:
    """(start, end, fade_start, fade_end, open_start, open_end, soft) of an event, in days."""
    when = event.date
    if (event.end is None and when.kind == POINT and when.lower is not None
            and when.lower.precision is Precision.DAY
            and not when.lower.approximate):  # the common case, kept fast for 100k events
        day = float(when.lower.start.toordinal())
        return day, day + 1.0, 0.0, 0.0, False, False, False
    lo, hi, _ = event.sort_key()
    start, end = float(lo), float(hi + 1)
    first, last = _edge_parts(event)
    open_start, open_end = first is None, last is None
    fade_start, grow = _edge_fade(first)
    start -= grow
    fade_end, grow = _edge_fade(last)
    end += grow
    if open_start:
        start, fade_start = start - OPEN_FADE_DAYS, OPEN_FADE_DAYS
    if open_end:
        end, fade_end = end + OPEN_FADE_DAYS, OPEN_FADE_DAYS
    # Two ramps never cross: a short soft item fades in and out within its length.
    length = end - start
    if fade_start + fade_end > length:
        share = length / (fade_start + fade_end)
        fade_start, fade_end = fade_start * share, fade_end * share
    parts = [p for p in (first, last) if p is not None]
    soft = any(p.precision > Precision.DAY or p.approximate for p in parts)
    return start, end, fade_start, fade_end, open_start, open_end, soft


def _edge_parts(event: Event) -> tuple[DatePart | None, DatePart | None]:
    """The calendar parts that bound the event at its start and end; None for an open side."""
    opening, closing = event.date, event.end if event.end is not None else event.date
    first = None if opening.kind == BEFORE else opening.lower
    if opening.kind == AFTER:  # "after 2019" starts exactly on 1 Jan 2020
        first = _exact_bound(first, opening.start)
    if closing.kind == AFTER:
        return first, None
    if closing.kind == BEFORE:  # "before 2020" ends exactly on 31 Dec 2019
        return first, _exact_bound(closing.upper, closing.end)
    return first, closing.upper if closing.kind == RANGE else closing.lower


def _exact_bound(part: DatePart | None, day: date | None) -> DatePart | None:
    if part is None or day is None:
        return part
    return DatePart(day, day, Precision.DAY, part.approximate, part.uncertain)


def _edge_fade(part: DatePart | None) -> tuple[float, float]:
    """(fade width, outward growth) in days for one side; approximate dates reach outwards."""
    if part is None:
        return 0.0, 0.0
    length = float((part.end - part.start).days + 1)
    fade = max(MIN_FADE_DAYS, FADE_SHARE * length) if part.precision > Precision.DAY else 0.0
    grow = max(APPROX_MIN_DAYS, FADE_SHARE * length) if part.approximate else 0.0
    return fade + 2 * grow, grow


def _group_by_length(items: list[Item]) -> list[_Group]:
    groups: dict[int, _Group] = {}
    for position, it in zip(ints(len(items)), items):
        length = it.end - it.start
        group = groups.get(int(length).bit_length())
        if group is None:
            group = groups[int(length).bit_length()] = _Group(0.0, [], [])
        group.longest = max(group.longest, length)
        group.last_end = max(group.last_end, it.end)
        group.starts.append(it.start)
        group.ends.append(it.end)
        group.positions.append(position)
    return list(groups.values())


# --- time axis ---------------------------------------------------------------------------

MAX_ORDINAL = date.max.toordinal()
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABEL_SAMPLES = {  # the widest labels of each style, for measuring without generating ticks
    "day": ("28", "30"),
    "month": _MONTH_ABBR,
    "quarter": ("Q4",),
    "year": ("2888", "8888"),
    "month_year": tuple(f"{m} 2888" for m in _MONTH_ABBR),
    "decade": ("2880s",),
}


@dataclass(frozen=True, slots=True)
class AxisUnit:
    """One tick spacing: every `step` days, months or years, at least `days` long."""

    kind: str  # "day", "month" or "year"
    step: int
    days: float
    style: str  # how ticks are labelled, a key of LABEL_SAMPLES
    major: AxisUnit | None = None  # the coarser row above, for context


_MONTH_YEAR = AxisUnit("month", 1, 28.0, "month_year")
_YEAR = AxisUnit("year", 1, 365.0, "year")
_DECADE = AxisUnit("year", 10, 3652.0, "decade")
# Finest first; the painter takes the first whose labels do not overlap at the current zoom.
AXIS_UNITS = (
    AxisUnit("day", 1, 1.0, "day", _MONTH_YEAR),
    AxisUnit("day", 7, 7.0, "day", _MONTH_YEAR),
    AxisUnit("month", 1, 28.0, "month", _YEAR),
    AxisUnit("month", 3, 90.0, "quarter", _YEAR),
    *(AxisUnit("year", n, 365.0 * n, "year", _DECADE) for n in (1, 2, 5)),
    *(AxisUnit("year", n, 365.0 * n, "year") for n in (10, 20, 50, 100, 200, 500, 1000)),
)


def axis_ticks(unit: AxisUnit, t0: float, t1: float) -> list[tuple[float, str]]:
    """(day, label) of each tick from the last one at or before t0 up to t1."""
    lo = min(max(1, int(t0)), MAX_ORDINAL)
    hi = min(max(1, int(t1) + 1), MAX_ORDINAL)
    label = _LABELS[unit.style]
    if unit.kind == "day":
        first = lo - (lo - 1) % unit.step  # weeks start on Mondays; ordinal 1 is a Monday
        return [(float(o), label(date.fromordinal(o))) for o in range(first, hi + 1, unit.step)]
    d = date.fromordinal(lo)
    ticks = []
    if unit.kind == "month":
        month = (d.year * 12 + d.month - 1) // unit.step * unit.step
        while month // 12 <= 9999:
            day = date(month // 12, month % 12 + 1, 1)
            if day.toordinal() > hi:
                break
            ticks.append((float(day.toordinal()), label(day)))
            month += unit.step
        return ticks
    year = max(unit.step, d.year // unit.step * unit.step) if d.year >= unit.step else 1
    while year <= 9999:
        day = date(year, 1, 1)
        if day.toordinal() > hi:
            break
        ticks.append((float(day.toordinal()), label(day)))
        year = (year // unit.step + 1) * unit.step
    return ticks


_LABELS = {
    "day": lambda d: str(d.day),
    "month": lambda d: _MONTH_ABBR[d.month - 1],
    "quarter": lambda d: f"Q{(d.month - 1) // 3 + 1}",
    "year": lambda d: str(d.year),
    "month_year": lambda d: f"{_MONTH_ABBR[d.month - 1]} {d.year}",
    "decade": lambda d: f"{d.year}s",
}
