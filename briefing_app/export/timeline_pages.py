"""The timeline on paper: the span cut into strips, each drawn by the screen's painter.

A long span is split so that each strip stays readable (at most ~6 years or ~150 events);
when there is more than one strip, an overview of the whole span comes first. A strip in
which no event begins or ends (a long span passing through) is left out. A strip taller
than a page (many lanes) is split between lanes, each part with its own axis, as the view
would show it scrolled. Lengths are px of 1/96 inch, as everywhere in export/.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPen,
    QPicture,
)

from ..model.layout import NEUTRAL, Layout, build_layout
from ..render.timeline_painter import (
    MAX_LABEL_ROWS,
    TimelinePainter,
    TimelinePalette,
    label_rows_within,
)
from . import style

STRIP_MAX_DAYS = 6 * 365.25
STRIP_MAX_EVENTS = 150
STRIP_MIN_DAYS = 31.0
CAPTION_HEIGHT = 20.0
STRIP_GAP = 16.0  # below each strip
KEY_HEIGHT = 26.0  # a line of the key
KEY_GAP = 16.0  # between its entries
_SYMBOL_WIDTHS = {"dot": 12.0, "soft": 14.0, "span": 34.0, "fade": 34.0, "mark": 23.0}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Strip:
    """A span of time and its own layout: only the lanes of the events in it."""

    layout: Layout
    t0: float
    t1: float
    caption: str
    overview: bool = False  # of the strips after it, which show every label


@dataclass(frozen=True)
class Piece:
    """What is drawn in one go: a strip, or a run of its lanes below a repeated axis."""

    strip: Strip
    scroll: float
    height: float  # of the painted timeline, axis included
    caption: str
    label_rows: int = MAX_LABEL_ROWS  # of a lane

    @property
    def block_height(self) -> float:
        return CAPTION_HEIGHT + self.height + STRIP_GAP


def plan_strips(layout: Layout) -> list[Strip]:
    """The strips in time order, the overview of everything first when there are several."""
    t0, t1 = layout.full_range()
    bounds = _bounds(layout.starts, t0, t1)
    if len(bounds) == 2:
        return [Strip(layout, t0, t1, _caption(layout, t0, t1))]
    strips = [Strip(layout, t0, t1, "Overview: " + _caption(layout, t0, t1), overview=True)]
    kept = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        shown = layout.visible(a, b)
        # Only spans passing through, none beginning or ending: a page of bars that go on
        # from edge to edge (one event over 0001-9999 made 1,666 such strips).
        if any(a <= it.start < b or a < it.end <= b for it in shown):
            kept.append((a, b, shown))
    for k, (a, b, shown) in enumerate(kept):
        # The overview's margin is 3% of everything (a year of 33): the first and last
        # strips kept keep a margin of their own length's share instead, even past their
        # cut: a cut falls on the first of a month, and a first strip starting at the
        # first event (1 Jan 0001, the calendar's first day) showed half its marker.
        first, last = k == 0, k == len(kept) - 1
        lo = min(it.start for it in shown) if first else a
        hi = max(it.end for it in shown) if last else b
        margin = max(14.0, 0.03 * (hi - lo))
        a, b = (lo - margin if first else a), (hi + margin if last else b)
        # A strip's own layout leaves out the lanes of actors who are not in it.
        rows = sorted({it.event for it in shown})
        strips.append(Strip(build_layout(layout.briefing, rows, layout.mode), a, b,
                            _caption(layout, a, b)))
    return strips


def _bounds(starts: list[float], t0: float, t1: float) -> list[float]:
    """Cuts from t0 to t1: a strip ends after STRIP_MAX_DAYS or STRIP_MAX_EVENTS starts."""
    cuts = [t0]
    while (t1 - cuts[-1] > STRIP_MAX_DAYS
           or _starts_between(starts, cuts[-1], t1) > STRIP_MAX_EVENTS):
        lo = cuts[-1]
        end = lo + STRIP_MAX_DAYS
        first = bisect_left(starts, lo)
        if first + STRIP_MAX_EVENTS < len(starts):
            end = min(end, starts[first + STRIP_MAX_EVENTS])
        end = _month_start(max(end, lo + STRIP_MIN_DAYS), after=lo + STRIP_MIN_DAYS)
        if t1 - end < 0.25 * (end - lo):  # no stub at the end: share the rest evenly
            end = _month_start((lo + t1) / 2, after=lo + STRIP_MIN_DAYS / 2)
        cuts.append(end)
    cuts.append(t1)
    return cuts


def _starts_between(starts: list[float], lo: float, hi: float) -> int:
    return bisect_left(starts, hi) - bisect_left(starts, lo)


def _month_start(t: float, after: float) -> float:
    """The first of the month at or before day t, unless that is not after `after`."""
    # The span's margins reach past 9999-12-31 (and before 0001-01-01) at the calendar's ends.
    day = date.fromordinal(min(max(1, int(t)), date.max.toordinal()))
    first = float(date(day.year, day.month, 1).toordinal())
    return first if first > after else float(int(t))


def _caption(layout: Layout, t0: float, t1: float) -> str:
    n = len(layout.visible(t0, t1))
    return f"{_day(t0)} – {_day(t1)} · {n:,} event{'' if n == 1 else 's'}"


def _day(t: float) -> str:
    d = date.fromordinal(max(1, min(int(t), date.max.toordinal())))
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year:04d}"


def pieces(painter: TimelinePainter, strips: list[Strip], width: float,
           max_height: float) -> list[Piece]:
    """Each strip whole if it fits in `max_height` (caption included), else split by lanes.

    Paper cannot be zoomed into a crowded lane as the screen can: a lane of a strip gets
    all the label rows a page holds, not the screen's 6 (after which markers without labels
    were drawn over other labels, and 50 events of one day showed 12 titles). The
    overview of several strips keeps the screen's rows: its strips show every label.
    """
    font = style.font(style.TIMELINE_PX)
    room = max_height - CAPTION_HEIGHT - STRIP_GAP
    page_rows = label_rows_within(room, font)
    found = []
    for strip in strips:
        rows = MAX_LABEL_ROWS if strip.overview else page_rows
        height = painter.preferred_height(strip.layout, strip.t0, strip.t1, width, font, rows)
        if height <= room:
            found.append(Piece(strip, 0.0, height, strip.caption, rows))
            continue
        runs = _lane_runs(painter, strip, width, height, room, rows)
        for k, (scroll, run_height) in enumerate(runs):
            caption = strip.caption + (f" (lanes, part {k + 1} of {len(runs)})" if len(runs) > 1
                                       else "")
            found.append(Piece(strip, scroll, run_height, caption, rows))
    return found


def _lane_runs(painter: TimelinePainter, strip: Strip, width: float, height: float,
               room: float, label_rows: int) -> list[tuple[float, float]]:
    """(scroll, height) of runs of whole lanes that fit in `room` below the axis."""
    picture = QPicture()  # a dry run to learn where each lane is
    dry = QPainter(picture)
    painter.paint(dry, QRectF(0, 0, width, height), strip.layout, strip.t0, strip.t1,
                  palette=TimelinePalette.light(), font=style.font(style.TIMELINE_PX),
                  label_rows=label_rows)
    dry.end()
    axis = painter.axis_height
    spans = [painter.lane_span(lane) for lane in range(len(strip.layout.lanes))]
    runs: list[tuple[float, float]] = []
    start = end = axis
    for span in spans:
        if span is None:
            continue
        top, bottom = span
        if bottom - start > room - axis and end > start:
            runs.append((start - axis, end - start + axis))
            start = top
        end = bottom
    runs.append((start - axis, end - start + axis))
    return runs


def draw_piece(painter: QPainter, timeline: TimelinePainter, piece: Piece, x: float, y: float,
               width: float) -> None:
    """The caption, then the timeline in a thin frame."""
    painter.save()
    painter.setFont(style.font(style.CAPTION_PX, bold=True))
    painter.setPen(style.INK)
    painter.drawText(QPointF(x, y + CAPTION_HEIGHT - 6), piece.caption)
    rect = QRectF(x, y + CAPTION_HEIGHT, width, piece.height)
    timeline.paint(painter, rect, piece.strip.layout, piece.strip.t0, piece.strip.t1,
                   palette=TimelinePalette.light(), font=style.font(style.TIMELINE_PX),
                   scroll_y=piece.scroll, label_rows=piece.label_rows)
    painter.setPen(QPen(style.RULE, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()


def draw_key(painter: QPainter, x: float, y: float, width: float, lanes_are: str) -> None:
    """What the marks mean, drawn as the painter draws them, in lines of `width`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    small = style.font(style.SMALL_PX)
    painter.setFont(small)
    metrics = QFontMetricsF(small)  # as _key_lines measures
    color = QColor(NEUTRAL)
    lines = _key_lines(width, lanes_are)
    for k, line in enumerate(lines):
        mid, cx = y + (k + 0.5) * KEY_HEIGHT, x
        for kind, text in line:
            cx += _key_symbol(painter, kind, cx, mid, color) + 5
            painter.setPen(style.MUTED)
            painter.drawText(QPointF(cx, mid + 4), text)
            cx += metrics.horizontalAdvance(text) + KEY_GAP
    bottom = y + len(lines) * KEY_HEIGHT - 2
    painter.setPen(QPen(style.RULE, 1))
    painter.drawLine(QLineF(x, bottom, x + width, bottom))
    painter.restore()


def key_height(width: float, lanes_are: str) -> float:
    return len(_key_lines(width, lanes_are)) * KEY_HEIGHT


def _key_lines(width: float, lanes_are: str) -> list[list[tuple[str, str]]]:
    """The key's entries in lines that fit `width`: in one line on A4 portrait the last
    entry ran past the margin."""
    metrics = QFontMetricsF(style.font(style.SMALL_PX))
    entries = (("dot", "exact day"), ("soft", "day not certain"), ("span", "period"),
               ("fade", "imprecise or open date (soft edges)"),
               ("mark", f"also involves the lane's {lanes_are}"))
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for kind, text in entries:
        entry = _SYMBOL_WIDTHS[kind] + 5 + metrics.horizontalAdvance(text)
        if lines[-1] and used + entry > width:
            lines.append([])
            used = 0.0
        lines[-1].append((kind, text))
        used += entry + KEY_GAP
    return lines


def _key_symbol(painter: QPainter, kind: str, x: float, mid: float, color: QColor) -> float:
    """Draw one symbol starting at x; return its width."""
    faint, half, solid = QColor(color), QColor(color), QColor(color)
    faint.setAlpha(70)
    half.setAlpha(55)
    painter.setPen(Qt.PenStyle.NoPen)
    if kind == "dot":
        painter.setPen(QPen(color.darker(135), 1))
        painter.setBrush(solid)
        painter.drawEllipse(QPointF(x + 6, mid), 5, 5)
        return _SYMBOL_WIDTHS[kind]
    if kind == "soft":
        painter.setBrush(faint)
        painter.drawEllipse(QPointF(x + 7, mid), 7, 7)
        solid.setAlpha(190)
        painter.setBrush(solid)
        painter.drawEllipse(QPointF(x + 7, mid), 3.5, 3.5)
        return _SYMBOL_WIDTHS[kind]
    if kind == "mark":  # a dot for a day, a thin bar over an imprecise date (as drawn)
        painter.setBrush(solid)
        painter.drawEllipse(QPointF(x + 3, mid), 3, 3)
        bar = QColor(color)
        bar.setAlpha(150)
        painter.setBrush(bar)
        painter.drawRoundedRect(QRectF(x + 9, mid - 2.5, 14, 5), 2.5, 2.5)
        return _SYMBOL_WIDTHS[kind]
    body = QRectF(x, mid - 6, 34, 12)
    if kind == "fade":
        ramp = QLinearGradient(body.left(), 0, body.right(), 0)
        clear = QColor(color)
        clear.setAlpha(0)
        ramp.setColorAt(0, clear)
        ramp.setColorAt(0.4, half)
        ramp.setColorAt(0.6, half)
        ramp.setColorAt(1, clear)
        painter.setBrush(QBrush(ramp))
    else:
        painter.setBrush(half)
    painter.drawRoundedRect(body, 3, 3)
    if kind == "span":
        painter.setBrush(solid)
        painter.drawRect(QRectF(body.left(), body.bottom() - 3, body.width(), 3))
    return _SYMBOL_WIDTHS[kind]
