"""Draws a timeline Layout on any QPainter (screen or PDF): axis, lanes, events, labels.

Lengths are in the painter's logical units, measured with the font on the painter's device;
for a PDF use `QPdfWriter.setResolution(96)` so that they match the screen. Only the items
that `Layout.visible` returns are visited; when there are more than `LOD_ITEMS_PER_PX` of them
per pixel column the lanes show density bars instead (one bisect per bar, never per item).
Zoomed into a busy stretch of a large briefing, hundreds of long spans (whole years, ranges)
overlap the view; once a lane's label rows are full, spans that would look the same on
screen are drawn once (unless selected, current or hovered), so a frame stays ~4 ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
)

from ..model.layout import AXIS_UNITS, LABEL_SAMPLES, AxisUnit, Item, Layout, axis_ticks

GUTTER = 150.0  # lane labels and legend, left of the plot, at least
LABEL_MAX = 220.0  # px of an item's label, at least
# Both grow with a large font (a 16 pt desktop font cut "Peru (government)" to "Peru (gov…"):
# so many average characters, which at the usual 9-10 pt stays under the minimums.
GUTTER_CHARS, LABEL_CHARS = 24, 36


def gutter_width(font: QFont) -> float:
    """The room left of the plot for lane names, in `font` (on the screen)."""
    return _rooms(QFontMetricsF(font).averageCharWidth())[0]


def _rooms(average_char: float) -> tuple[float, float]:
    """(gutter, longest label) in px for a font whose average character is this wide."""
    return (max(GUTTER, round(average_char * GUTTER_CHARS)),
            max(LABEL_MAX, round(average_char * LABEL_CHARS)))
MARKER_R = 5.0
POINT_MIN_PX = 10.0  # narrower spans are drawn as points, which stay visible
MARK_STRIP = 9.0  # the strip at the top of a lane for marks of events led by other actors
LANE_PAD = 3.0
LABEL_GAP = 8.0
MAX_LABEL_ROWS = 6  # further items in a crowded lane show their marker without a label
# Above one item per pixel column the markers overlap anyway, and Python pays ~8 us per
# item, so a 16 ms frame holds about 1,500 markers: density bars take over from there.
LOD_ITEMS_PER_PX = 1.0
DENSITY_BAR_PX = 3.0
_SPAN_RADIUS = 3.0
SPAN_CLAMP = 20.0  # px beyond the plot where far-away span ends are cut


@dataclass
class TimelinePalette:
    background: QColor
    lane_alt: QColor
    text: QColor
    muted: QColor
    grid: QColor
    grid_major: QColor
    axis: QColor
    selection: QColor
    current: QColor
    hover: QColor
    tint_alpha: int = 55  # of a span's body; the text on it must stay readable

    @classmethod
    def light(cls) -> TimelinePalette:
        return cls(*map(QColor, ("#ffffff", "#f3f5f8", "#1f2328", "#5f6b76", "#e8ebef",
                                 "#c5cbd3", "#eef0f3", "#2f6fde", "#0b3d91", "#8aa4c8")))

    @classmethod
    def dark(cls) -> TimelinePalette:
        return cls(*map(QColor, ("#1e1f22", "#26282c", "#e6e6e6", "#9aa0a6", "#2f3236",
                                 "#4a4e55", "#2b2d30", "#5b8fdc", "#a8c8ff", "#6f7f96")),
                   tint_alpha=95)

    @classmethod
    def from_qpalette(cls, palette: QPalette) -> TimelinePalette:
        role = QPalette.ColorRole
        base, text = palette.color(role.Base), palette.color(role.Text)
        highlight = palette.color(role.Highlight)
        dark = base.lightness() < 128
        return cls(
            background=base,
            lane_alt=_mix(base, text, 0.05),
            text=text,
            muted=_mix(text, base, 0.4),
            grid=_mix(base, text, 0.09),
            grid_major=_mix(base, text, 0.22),
            axis=palette.color(role.Window),
            selection=highlight.lighter(125) if dark else highlight,
            current=highlight.lighter(170) if dark else highlight.darker(150),
            hover=_mix(highlight, base, 0.45),
            tint_alpha=95 if dark else 55,
        )


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """a moved `share` of the way towards b."""
    return QColor.fromRgbF(*(x + (y - x) * share for x, y in
                             zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True)))


@dataclass(slots=True)
class _Placed:
    item: Item
    row: int
    x0: float  # true extent, may lie far outside the plot
    x1: float
    point: bool
    label_x: float
    text: str  # "" when the lane had no room for a label
    label_w: float
    repeat: bool = False  # looks exactly like an earlier one: drawn only when it is marked


@dataclass
class _Frame:
    """Where things go in one paint: plot edges, the mapping of days to x, lane rows."""

    rect: QRectF
    t0: float
    t1: float
    left: float
    right: float
    scale: float  # pixels per day
    axis_h: float
    row_h: float
    density: bool = False
    placed: list[_Placed] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # label rows per lane
    # The height of each lane's name in the gutter (one or two lines), padded: in a large
    # font two lines are taller than one row of events, and ran into the next lane's name.
    names: list[float] = field(default_factory=list)

    def x(self, t: float) -> float:
        return self.left + (t - self.t0) * self.scale

    def lane_height(self, lane: int) -> float:
        rows = 2 * LANE_PAD + MARK_STRIP + max(1, self.rows[lane]) * self.row_h
        return max(rows, self.names[lane]) if self.names else rows


class TimelinePainter:
    """Paints a Layout; remembers what it drew last for item_at() and the view's scrolling."""

    def __init__(self) -> None:
        self.items_visited = 0
        self.last_height = 0.0
        self.axis_height = 0.0
        self.used_density = False
        self._hits: list[tuple[float, float, float, float, int]] = []
        self._lane_boxes: list[tuple[float, float, int]] = []
        self._metrics_key: tuple | None = None
        self._fm = QFontMetricsF(QFont())
        self._gutter, self._label_max = GUTTER, LABEL_MAX
        self._elided: dict[str, tuple[str, float]] = {}
        self._sample_widths: dict[str, float] = {}
        self._colors: dict[tuple[str, int], QColor] = {}
        self._memo: tuple[tuple, Layout, _Frame] | None = None

    # public API -----------------------------------------------------------------------
    def paint(self, painter: QPainter, rect: QRectF, layout: Layout, t0: float, t1: float, *,
              selected: set[int] | frozenset[int] = frozenset(), current: int | None = None,
              palette: TimelinePalette | None = None, font: QFont | None = None,
              hovered: int | None = None, scroll_y: float = 0.0,
              label_rows: int = MAX_LABEL_ROWS) -> None:
        """Draw `layout` between days t0 and t1 into `rect`; lanes scroll up by scroll_y.

        A lane has at most `label_rows` rows of labels; further items get their marker only.
        """
        palette = palette or TimelinePalette.light()
        font = font or QFont()
        painter.save()
        painter.setFont(font)
        self._use_font(font, painter)
        frame = self._frame(layout, rect, t0, t1, label_rows)
        frame.rect = rect  # the placement may come from preferred_height with another height
        self.axis_height = frame.axis_h
        self._hits, self._lane_boxes = [], []
        painter.fillRect(rect, palette.background)
        lane_tops = self._lane_tops(frame, rect.top() + frame.axis_h - scroll_y, layout)
        plot = QRectF(frame.left, rect.top() + frame.axis_h, frame.right - frame.left,
                      rect.height() - frame.axis_h)
        painter.setClipRect(QRectF(rect.left(), plot.top(), rect.width(), plot.height()))
        self._draw_bands(painter, frame, layout, lane_tops, palette)
        unit = self._axis_unit(frame)
        self._draw_grid(painter, frame, unit, plot, palette)
        painter.setClipRect(plot)
        if frame.density:
            self._draw_density(painter, frame, layout, lane_tops, palette, current)
        else:
            self._draw_items(painter, frame, layout, lane_tops, palette,
                             selected, current, hovered)
        painter.setClipRect(QRectF(rect.left(), plot.top(), self._gutter, plot.height()))
        self._draw_gutter(painter, frame, layout, lane_tops, palette)
        painter.setClipRect(rect)
        self._draw_axis(painter, frame, unit, palette)
        painter.restore()

    def preferred_height(self, layout: Layout, t0: float, t1: float, width: float,
                         font: QFont | None = None, label_rows: int = MAX_LABEL_ROWS) -> float:
        """Height that shows every lane between t0 and t1 at this width (axis included)."""
        self._use_font(font or QFont(), None)
        frame = self._frame(layout, QRectF(0, 0, width, 1), t0, t1, label_rows)
        return frame.axis_h + sum(frame.lane_height(lane) for lane in range(len(layout.lanes)))

    def item_at(self, point: QPointF) -> int | None:
        """Event index drawn under `point` in the last paint (topmost first), or None."""
        x, y = point.x(), point.y()
        for x0, y0, x1, y1, event in reversed(self._hits):
            if x0 <= x <= x1 and y0 <= y <= y1:
                return event
        return None

    def item_rect(self, event: int) -> QRectF | None:
        """Where the event's marker and label were drawn in the last paint."""
        for x0, y0, x1, y1, hit in self._hits:
            if hit == event:
                return QRectF(x0, y0, x1 - x0, y1 - y0)
        return None

    def lane_at(self, point: QPointF) -> int | None:
        for top, bottom, lane in self._lane_boxes:
            if top <= point.y() < bottom:
                return lane
        return None

    def lane_span(self, lane: int) -> tuple[float, float] | None:
        """(top, bottom) of a lane in the last paint, scrolled as it was drawn."""
        for top, bottom, found in self._lane_boxes:
            if found == lane:
                return top, bottom
        return None

    # geometry -------------------------------------------------------------------------
    def _use_font(self, font: QFont, painter: QPainter | None) -> None:
        device = painter.device() if painter is not None else None
        if device is None and self._metrics_key and self._metrics_key[0] == font.key():
            return  # measuring for preferred_height: the last device's metrics will do
        key = (font.key(), device.logicalDpiY() if device is not None else 0)
        if key == self._metrics_key:
            return
        self._metrics_key = key
        self._fm = QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)
        self._gutter, self._label_max = _rooms(self._fm.averageCharWidth())
        self._elided.clear()
        self._sample_widths = {style: max(self._fm.horizontalAdvance(s) for s in samples)
                               for style, samples in LABEL_SAMPLES.items()}
        self._memo = None

    def _frame(self, layout: Layout, rect: QRectF, t0: float, t1: float,
               label_rows: int) -> _Frame:
        """Lay out the visible items into label rows, reusing the last result when unchanged."""
        key = (t0, t1, rect.left(), rect.width(), self._metrics_key, label_rows)
        if self._memo is not None and self._memo[0] == key and self._memo[1] is layout:
            return self._memo[2]
        line = self._fm.height()
        gutter = self._gutter
        left, right = rect.left() + gutter, max(rect.right(), rect.left() + gutter + 1)
        frame = _Frame(rect, t0, t1, left, right, (right - left) / max(t1 - t0, 1e-9),
                       axis_h=_axis_height(line), row_h=_row_height(line))
        frame.rows = [1] * len(layout.lanes)
        frame.names = [len(self._lane_lines(lane.label)) * line + 2 * LANE_PAD
                       for lane in layout.lanes]
        pad = (MARKER_R + 3) / frame.scale
        self.items_visited = 0
        frame.density = layout.count_visible(t0 - pad, t1 + pad) > LOD_ITEMS_PER_PX * (
            right - left)
        if not frame.density:
            self._place(frame, layout, layout.visible(t0 - pad, t1 + pad), label_rows)
        self.used_density = frame.density
        self._memo = (key, layout, frame)
        return frame

    def _place(self, frame: _Frame, layout: Layout, items: list[Item], label_rows: int) -> None:
        """Pack markers and labels greedily into rows per lane so that nothing overlaps."""
        edges: list[list[float]] = [[] for _ in layout.lanes]
        # (lowest edge, its row) of each lane whose label rows are all taken
        full: list[tuple[float, int] | None] = [None] * len(layout.lanes)
        placed = frame.placed
        overflow: set[tuple] = set()
        shapes: dict[tuple[float, float, float, float], tuple] = {}
        t0, scale, plot_left, plot_right = frame.t0, frame.scale, frame.left, frame.right
        for it in items:
            x0, x1 = plot_left + (it.start - t0) * scale, plot_left + (it.end - t0) * scale
            point = it.point or (x1 - x0 < POINT_MIN_PX and not (it.open_start or it.open_end))
            lowest = full[it.lane]
            if lowest is not None and not point and lowest[0] + LABEL_GAP > max(x0, plot_left):
                # A span in a lane whose label rows are all taken (zoomed into a busy stretch
                # of a large briefing, hundreds of years and months overlap the view): it
                # gets no label, so skip measuring one; and of the spans that would look the
                # same on screen (cut at both edges alike, ramps out of view), draw one.
                shape = (it.start, it.end, it.fade_start, it.fade_end)
                seen = shapes.get(shape)
                if seen is None:
                    seen = shapes[shape] = (x0 >= plot_left, *_visible_extent(frame, it, x0, x1))
                looks = (it.lane, lowest[1], it.color, it.other_lanes, seen)
                placed.append(_Placed(it, lowest[1], x0, x1, False, max(x0, plot_left) + 6, "",
                                      0.0, looks in overflow))
                overflow.add(looks)
                continue
            text, width = self._label(layout.title(it))
            if point:
                mid = (x0 + x1) / 2
                left, right, label_x = mid - MARKER_R, mid + MARKER_R, mid + MARKER_R + 4
                if not plot_left <= mid <= plot_right:  # a marker cut by the edge: no label
                    text, width = "", 0.0
                elif label_x + width > plot_right and mid - width - 4 - MARKER_R > plot_left:
                    label_x = mid - MARKER_R - 4 - width  # near the right edge: label on the left
                    left = label_x
                else:
                    right = label_x + width
            else:
                left = max(x0, plot_left)
                label_x = left + 6
                room = plot_right - 4 - label_x
                if width > room >= 60:  # a span near the right edge: shorten its label
                    text, width = self._label(layout.title(it), room)
                right = max(x1, label_x + width)
            lane_edges = edges[it.lane]
            row, text = _first_free(lane_edges, left, right, text, label_rows)
            if len(lane_edges) == label_rows:
                low = min(range(label_rows), key=lane_edges.__getitem__)
                full[it.lane] = (lane_edges[low], low)
            placed.append(_Placed(it, row, x0, x1, point, label_x, text, width))
        self.items_visited = len(items)
        frame.rows = [max(1, len(e)) for e in edges]

    def _label(self, title: str, room: float | None = None) -> tuple[str, float]:
        """The title elided to `room`, and its width; cached per title at the full width."""
        if room is not None and room < self._label_max:
            text = self._fm.elidedText(title, Qt.TextElideMode.ElideRight, room)
            return text, self._fm.horizontalAdvance(text)
        found = self._elided.get(title)
        if found is None:
            if len(self._elided) > 50_000:
                self._elided.clear()
            text = self._fm.elidedText(title, Qt.TextElideMode.ElideRight, self._label_max)
            found = self._elided[title] = (text, self._fm.horizontalAdvance(text))
        return found

    def _lane_tops(self, frame: _Frame, top: float, layout: Layout) -> list[float]:
        tops = []
        for lane in range(len(layout.lanes)):
            tops.append(top)
            top += frame.lane_height(lane)
        self.last_height = top - tops[0] + frame.axis_h if tops else frame.axis_h
        return tops

    def _axis_unit(self, frame: _Frame) -> AxisUnit:
        """The finest unit whose labels fit between their ticks."""
        for unit in AXIS_UNITS:
            if unit.days * frame.scale >= self._sample_widths[unit.style] + 10:
                return unit
        return AXIS_UNITS[-1]

    # drawing --------------------------------------------------------------------------
    def _color(self, name: str, alpha: int = 255) -> QColor:
        color = self._colors.get((name, alpha))
        if color is None:
            color = QColor(name)
            color.setAlpha(alpha)
            self._colors[(name, alpha)] = color
        return color

    def _draw_bands(self, painter, frame, layout, lane_tops, palette) -> None:
        rect = frame.rect
        for lane, top in enumerate(lane_tops):
            height = frame.lane_height(lane)
            self._lane_boxes.append((top, top + height, lane))
            if lane % 2:
                painter.fillRect(QRectF(rect.left(), top, rect.width(), height), palette.lane_alt)

    def _draw_grid(self, painter, frame, unit, plot, palette) -> None:
        for step, color in ((unit, palette.grid), (unit.major, palette.grid_major)):
            if step is None:
                continue
            lines = [QLineF(x, plot.top(), x, plot.bottom())
                     for x in (frame.x(t) for t, _ in axis_ticks(step, frame.t0, frame.t1))
                     if x >= frame.left]
            painter.setPen(QPen(color, 1))
            painter.drawLines(lines)

    def _draw_items(self, painter, frame, layout, lane_tops, palette,
                    selected, current, hovered) -> None:
        top_limit, bottom_limit = frame.rect.top() + frame.axis_h, frame.rect.bottom()
        marks = []
        for p in frame.placed:
            it = p.item
            if p.repeat and it.event != current and it.event != hovered and (
                    it.event not in selected):
                continue
            y = lane_tops[it.lane] + LANE_PAD + MARK_STRIP + p.row * frame.row_h
            if y > bottom_limit or y + frame.row_h < top_limit:
                continue
            box = self._draw_marker(painter, frame, p, y, palette)
            state = 2 if it.event == current else 1 if it.event in selected else 0
            if p.text:
                box = self._draw_label(painter, frame, p, y, palette, state, box)
            if state or it.event == hovered:
                self._draw_outline(painter, frame, p, y, palette, state)
            self._hits.append((*box, it.event))
            if it.other_lanes:
                marks.append((p, it))
        self._draw_marks(painter, frame, lane_tops, marks)

    def _draw_marker(self, painter, frame, p: _Placed, y: float, palette) -> tuple:
        it, mid_y = p.item, y + frame.row_h / 2
        painter.setPen(Qt.PenStyle.NoPen)
        if p.point:
            centre = QPointF((p.x0 + p.x1) / 2, mid_y)
            if it.soft:  # a blurred dot: the day is not certain
                painter.setBrush(self._color(it.color, 70))
                painter.drawEllipse(centre, MARKER_R + 2, MARKER_R + 2)
                painter.setBrush(self._color(it.color, 190))
                painter.drawEllipse(centre, MARKER_R - 1.5, MARKER_R - 1.5)
            else:
                painter.setPen(QPen(QColor(it.color).darker(135), 1))
                painter.setBrush(self._color(it.color))
                painter.drawEllipse(centre, MARKER_R, MARKER_R)
            x = centre.x()
            return x - MARKER_R - 2, mid_y - MARKER_R - 2, x + MARKER_R + 2, mid_y + MARKER_R + 2
        body = self._span_rect(frame, p, y)
        tint, edge = self._span_brushes(frame, p, palette.tint_alpha)
        painter.setBrush(tint)
        painter.drawRoundedRect(body, _SPAN_RADIUS, _SPAN_RADIUS)
        painter.setBrush(edge)
        painter.drawRect(QRectF(body.left(), body.bottom() - 3, body.width(), 3))
        return body.left(), body.top(), body.right(), body.bottom()

    def _span_rect(self, frame: _Frame, p: _Placed, y: float) -> QRectF:
        # Clamp far-away ends: huge coordinates only cost precision.
        x0, x1 = max(p.x0, frame.left - SPAN_CLAMP), min(p.x1, frame.right + SPAN_CLAMP)
        return QRectF(x0, y + 3, max(x1 - x0, 3.0), frame.row_h - 6)

    def _span_brushes(self, frame: _Frame, p: _Placed,
                      tint: int) -> tuple[QBrush | QColor, QBrush | QColor]:
        """The span's body (alpha `tint`) and its bottom edge (opaque): solid for known
        edges; alpha ramps over the fade of imprecise or open sides."""
        it, width = p.item, p.x1 - p.x0
        _, _, ramp_in, ramp_out = _visible_extent(frame, it, p.x0, p.x1)
        if ramp_in is None and ramp_out is None:  # no ramp reaches into the drawn part
            return self._color(it.color, tint), self._color(it.color, 255)
        fade_in, fade_out = it.fade_start * frame.scale, it.fade_end * frame.scale
        stops = (min(fade_in / width, 0.5), max(1 - fade_out / width, 0.5))
        clear = self._color(it.color, 0)
        brushes = []
        for alpha in (tint, 255):
            ramp = QLinearGradient(p.x0, 0, p.x1, 0)
            solid = self._color(it.color, alpha)
            ramp.setColorAt(0.0, clear if fade_in >= 0.5 else solid)
            ramp.setColorAt(stops[0], solid)
            ramp.setColorAt(stops[1], solid)
            ramp.setColorAt(1.0, clear if fade_out >= 0.5 else solid)
            brushes.append(QBrush(ramp))
        return brushes[0], brushes[1]

    def _draw_label(self, painter, frame, p: _Placed, y, palette, state, box) -> tuple:
        fm, width = self._fm, p.label_w
        baseline = y + (frame.row_h + fm.ascent() - fm.descent()) / 2
        if state:
            back = QColor(palette.selection if state == 1 else palette.current)
            back.setAlpha(45 if state == 1 else 80)
            painter.fillRect(QRectF(p.label_x - 2, y + 2, width + 4, frame.row_h - 4), back)
        painter.setPen(palette.text)
        painter.drawText(QPointF(p.label_x, baseline), p.text)
        return min(box[0], p.label_x), box[1], max(box[2], p.label_x + width), box[3]

    def _draw_outline(self, painter, frame, p: _Placed, y, palette, state) -> None:
        color = (palette.hover, palette.selection, palette.current)[state]
        painter.setPen(QPen(color, (1.5, 2.0, 3.0)[state]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if p.point:
            r = MARKER_R + 2.5 + state
            painter.drawEllipse(QPointF((p.x0 + p.x1) / 2, y + frame.row_h / 2), r, r)
        else:
            body = self._span_rect(frame, p, y).adjusted(-1.5, -1.5, 1.5, 1.5)
            painter.drawRoundedRect(body, _SPAN_RADIUS + 1, _SPAN_RADIUS + 1)

    def _draw_marks(self, painter, frame, lane_tops, marks) -> None:
        """A mark in the strip of each other actor involved, clickable like the item: a dot
        for a day, a thin bar over the whole span of an imprecise date (a dot at its start
        would claim "1 January" for "2017")."""
        painter.setPen(Qt.PenStyle.NoPen)
        for p, it in marks:
            painter.setBrush(self._color(it.color, 210 if p.point else 150))
            if p.point:
                x0 = x1 = (p.x0 + p.x1) / 2
            else:
                x0, x1 = max(p.x0, frame.left), min(p.x1, frame.right)
            for lane in it.other_lanes:
                y = lane_tops[lane] + LANE_PAD + MARK_STRIP / 2
                if p.point:
                    painter.drawEllipse(QPointF(x0, y), 3.0, 3.0)
                else:
                    painter.drawRoundedRect(QRectF(x0, y - 2.5, max(x1 - x0, 6.0), 5.0), 2.5, 2.5)
                self._hits.append((x0 - 4, y - 4, x1 + 4, y + 4, it.event))

    def _draw_density(self, painter, frame, layout, lane_tops, palette, current) -> None:
        """Bars of how many events start in each few pixels, per lane, on a log scale."""
        bar, left = int(DENSITY_BAR_PX), round(frame.left)
        buckets = max(1, int((frame.right - left) // bar))
        t1 = frame.t0 + buckets * bar / frame.scale
        top_limit, bottom_limit = frame.rect.top() + frame.axis_h, frame.rect.bottom()
        shown = [lane for lane, top in enumerate(lane_tops)
                 if top < bottom_limit and top + frame.lane_height(lane) > top_limit]
        counts = {lane: layout.density(frame.t0, t1, buckets, lane) for lane in shown}
        peak = math.log1p(max((max(c, default=0) for c in counts.values()), default=0)) or 1.0
        room = frame.row_h + MARK_STRIP
        heights: dict[int, int] = {}
        painter.setPen(Qt.PenStyle.NoPen)
        # Antialiased bars cost ~10 ms a lane in the raster engine; bars on whole pixels
        # look the same without it.
        smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for lane in shown:
            base = round(lane_tops[lane] + frame.lane_height(lane) - LANE_PAD)
            rects = []
            for k, n in enumerate(counts[lane]):
                if n:
                    h = heights.get(n)
                    if h is None:
                        h = heights[n] = max(2, round(room * math.log1p(n) / peak))
                    rects.append(QRect(left + k * bar, base - h, bar - 1, h))
            painter.setBrush(self._color(layout.lanes[lane].color, 200))
            painter.drawRects(rects)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
        it = layout.item_of(current) if current is not None else None
        if it is not None:
            x, top = frame.x((it.start + it.end) / 2), lane_tops[it.lane]
            painter.setPen(QPen(palette.current, 2))
            painter.drawLine(QLineF(x, top, x, top + frame.lane_height(it.lane)))

    def _draw_gutter(self, painter, frame, layout, lane_tops, palette) -> None:
        """Lane names with their colour: the legend."""
        rect, fm = frame.rect, self._fm
        painter.fillRect(QRectF(rect.left(), rect.top(), self._gutter, rect.height()),
                         palette.axis)
        painter.setPen(QPen(palette.grid_major, 1))
        painter.drawLine(QLineF(frame.left - 0.5, rect.top(), frame.left - 0.5, rect.bottom()))
        line = fm.height()
        for lane, top in zip(layout.lanes, lane_tops, strict=True):
            lines = self._lane_lines(lane.label)
            mid = top + LANE_PAD + MARK_STRIP + frame.row_h / 2  # centre of the first row
            y = max(mid - line * len(lines) / 2, top + LANE_PAD)  # never above the lane
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._color(lane.color))
            painter.drawRoundedRect(QRectF(rect.left() + 6, y + (line - 10) / 2, 10, 10), 2, 2)
            painter.setPen(palette.text)
            for k, text in enumerate(lines):
                painter.drawText(QPointF(rect.left() + 22, y + k * line + fm.ascent()), text)

    def _lane_lines(self, label: str) -> list[str]:
        """A lane name in at most two lines: long actor names are common."""
        key = "\0lane\0" + label  # shares the elision cache, never a title
        found = self._elided.get(key)
        if found is None:
            width, fm = self._gutter - 28, self._fm
            words, first = label.split(), ""
            while words and fm.horizontalAdvance((first + " " + words[0]).strip()) <= width:
                first = (first + " " + words.pop(0)).strip()
            rest = " ".join(words)
            if not first:  # one long word: elide it on the first line
                first, rest = fm.elidedText(rest, Qt.TextElideMode.ElideRight, width), ""
            second = fm.elidedText(rest, Qt.TextElideMode.ElideRight, width) if rest else ""
            found = self._elided[key] = ("\n".join(filter(None, (first, second))), 0.0)
        return found[0].split("\n")

    def _draw_axis(self, painter, frame, unit, palette) -> None:
        rect, fm, row = frame.rect, self._fm, frame.axis_h / 2
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), frame.axis_h), palette.axis)
        painter.setPen(QPen(palette.grid_major, 1))
        bottom = rect.top() + frame.axis_h - 0.5
        painter.drawLine(QLineF(rect.left(), bottom, rect.right(), bottom))
        painter.setClipRect(QRectF(frame.left, rect.top(), frame.right - frame.left, frame.axis_h))
        baseline = (row + fm.ascent() - fm.descent()) / 2
        painter.setPen(palette.muted)
        for t, text in axis_ticks(unit, frame.t0, frame.t1):
            x = frame.x(t)
            if x < frame.left - 1 or x + 3 + fm.horizontalAdvance(text) > frame.right:
                continue  # a label cut in half reads as a different number
            painter.drawLine(QLineF(x, bottom - 4, x, bottom))
            painter.drawText(QPointF(x + 3, rect.top() + row + baseline), text)
        if unit.major is not None:
            self._draw_major_labels(painter, frame, unit.major, rect.top() + baseline, palette)

    def _draw_major_labels(self, painter, frame, major, baseline, palette) -> None:
        """The coarser row; its first label sticks to the left edge until the next pushes it."""
        ticks = axis_ticks(major, frame.t0, frame.t1)
        painter.setPen(palette.text)
        for k, (t, text) in enumerate(ticks):
            x = max(frame.x(t), frame.left) + 3
            if k + 1 < len(ticks):
                pushed = frame.x(ticks[k + 1][0]) - self._fm.horizontalAdvance(text) - 8
                if pushed < frame.left:  # the next label is at the edge already
                    continue
                x = min(x, pushed)
            elif x + self._fm.horizontalAdvance(text) > frame.right:
                continue  # the last, cut by the edge, would read "20" for "2028"
            painter.drawText(QPointF(x, baseline), text)


def label_rows_within(height: float, font: QFont) -> int:
    """How many label rows a lane may have and still fit, below the axis, in `height`."""
    line = QFontMetricsF(font).height()
    room = height - _axis_height(line) - 2 * LANE_PAD - MARK_STRIP
    return max(MAX_LABEL_ROWS, int(room // _row_height(line)))


def _axis_height(line: float) -> float:
    return 2 * (line + 6)


def _row_height(line: float) -> float:
    return max(line + 8, 2 * MARKER_R + 8)


def _visible_extent(frame: _Frame, it: Item, x0: float, x1: float) -> tuple:
    """(left, right, ramp in, ramp out) of a span as drawn: cut at the clamp, a ramp None
    when it is narrower than half a pixel or lies wholly outside the drawn part."""
    left, right = max(x0, frame.left - SPAN_CLAMP), min(x1, frame.right + SPAN_CLAMP)
    fade_in, fade_out = it.fade_start * frame.scale, it.fade_end * frame.scale
    ramp_in = (x0, fade_in) if fade_in >= 0.5 and x0 + fade_in > left else None
    ramp_out = (x1, fade_out) if fade_out >= 0.5 and x1 - fade_out < right else None
    return round(left, 2), round(right, 2), ramp_in, ramp_out


def _first_free(edges: list[float], left: float, right: float, text: str,
                rows: int) -> tuple[int, str]:
    """The first row whose last item ends before `left`; without one and with all `rows`
    taken, a row, no label."""
    for row, edge in enumerate(edges):
        if edge + LABEL_GAP <= left:
            edges[row] = right
            return row, text
    if len(edges) < rows:
        edges.append(right)
        return len(edges) - 1, text
    row = min(range(len(edges)), key=edges.__getitem__)
    return row, ""
