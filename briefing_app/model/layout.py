"""Timeline layout without Qt: lanes, each event's extent in days, and fast range queries.

Time is a float number of days, `date.toordinal()`; a day d covers [d, d + 1). An item's
`start`/`end` are its drawn extent: for imprecise dates it includes the soft edges (the alpha
ramps of `fade_start`/`fade_end` days measured inwards), for open-ended dates ("before 2020")
a fade of `OPEN_FADE_DAYS` towards the open side.

Range queries: items are grouped by length into powers of two; within a group every item
that intersects [t0, t1] starts in [t0 - longest, t1], so a bisect per group finds them and
only items that end just before t0 are looked at in vain. One long event therefore does not
make every query scan everything after it, as a single running maximum of ends would.
"""

from __future__ import annotations

import gc
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .briefing import Briefing, Event
from .dates import AFTER, BEFORE, POINT, RANGE, DatePart, Precision

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
    longest: float
    starts: list[float]
    positions: list[int]


def palette_color(key: str) -> str:
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


class Layout:
    """Lanes and items sorted by (start, end); query with visible(), density(), full_range()."""

    def __init__(self, briefing: Briefing, lanes: list[Lane], items: list[Item], mode: str):
        self.briefing = briefing
        self.lanes = lanes
        self.items = items
        self.mode = mode
        self.starts = [it.start for it in items]
        self.by_event = {it.event: it for it in items}
        self._lane_starts: list[list[float]] = [[] for _ in lanes]
        for it in items:
            self._lane_starts[it.lane].append(it.start)
        self._groups = _group_by_length(items)
        self._last_end = max((it.end for it in items), default=0.0)

    def __len__(self) -> int:
        return len(self.items)

    def title(self, item: Item) -> str:
        return self.briefing.events[item.event].title

    def visible(self, t0: float, t1: float) -> list[Item]:
        """Items with start <= t1 and end >= t0, in (start, end) order."""
        found: list[int] = []
        for group in self._groups:
            lo = bisect_left(group.starts, t0 - group.longest)
            hi = bisect_right(group.starts, t1)
            items = self.items
            found.extend(p for p in group.positions[lo:hi] if items[p].end >= t0)
        if len(self._groups) > 1:
            found.sort()
        return [self.items[p] for p in found]

    def count_visible(self, t0: float, t1: float) -> int:
        """An upper bound of len(visible(t0, t1)) in O(groups * log n), for level of detail."""
        total = 0
        for group in self._groups:
            total += bisect_right(group.starts, t1) - bisect_left(group.starts, t0 - group.longest)
        return total

    def density(self, t0: float, t1: float, buckets: int, lane: int | None = None) -> list[int]:
        """How many items start in each of `buckets` equal slices of [t0, t1), per lane or all."""
        starts = self.starts if lane is None else self._lane_starts[lane]
        if buckets <= 0 or t1 <= t0:
            return []
        step = (t1 - t0) / buckets
        edges = [bisect_left(starts, t0 + i * step) for i in range(buckets + 1)]
        return [b - a for a, b in zip(edges, edges[1:], strict=False)]

    def full_range(self) -> tuple[float, float]:
        """All items with a margin of 3% (at least two weeks) on each side."""
        if not self.items:
            today = date.today().toordinal()
            return today - 183.0, today + 183.0
        t0, t1 = self.starts[0], self._last_end
        margin = max(14.0, 0.03 * (t1 - t0))
        return t0 - margin, t1 + margin


def build_layout(briefing: Briefing, event_indices: Sequence[int], mode: str = "actor") -> Layout:
    """Lay out briefing.events[i] for i in event_indices in lanes by actor, tag or one lane."""
    if mode not in MODES:
        raise ValueError(f"unknown lane mode {mode!r}; expected one of {MODES}")
    # 100k new objects without cycles: the cyclic collector would only add ~40% to the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(briefing, event_indices, mode)
    finally:
        if collecting:
            gc.enable()


def _build(briefing: Briefing, event_indices: Sequence[int], mode: str) -> Layout:
    events = briefing.events
    extents = sorted((_extent(events[i]), i) for i in event_indices)
    keys = [_lane_keys(events[i], mode) for _, i in extents]
    lanes, lane_index = _lanes_in_order(briefing, mode, keys)
    colors = actor_colors(briefing)
    items = []
    for ((start, end, fade_start, fade_end, open_start, open_end, soft), i), own in zip(
            extents, keys, strict=True):
        lane = lane_index[own[0]]
        others = tuple(lane_index[k] for k in own[1:] if k in lane_index)
        point = not soft and not open_start and not open_end and end - start == 1.0
        if mode == "single":
            color = _color_of(colors, events[i].primary_actor)
        else:
            color = lanes[lane].color
        items.append(Item(i, lane, others, start, end, fade_start, fade_end,
                          open_start, open_end, soft, point, color))
    return Layout(briefing, lanes, items, mode)


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
    for position, it in enumerate(items):
        length = it.end - it.start
        group = groups.get(int(length).bit_length())
        if group is None:
            group = groups[int(length).bit_length()] = _Group(0.0, [], [])
        group.longest = max(group.longest, length)
        group.starts.append(it.start)
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
