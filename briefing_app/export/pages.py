"""The plan of the printed briefing: every page laid out before the first is drawn.

Pages come in chapters: the title page, the timeline, the events (one section each), the
sources. Everything is laid out first because the footer says "3 / 12" and the title page
lists where each chapter starts; then each page is a function that draws it. The plan also
records where each event and source landed, for the PDF's outline and internal links.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QPainter, QPen

from ..model.briefing import Briefing, Event
from ..model.layout import build_layout
from ..model.notes_ahead import NotesAhead
from ..render.timeline_painter import TimelinePainter
from . import flow, sections, style, timeline_pages
from .options import ExportOptions, describe_query, select_rows

TITLE_DROP = 0.16  # the title starts this share of the content height down the first page
HEADING_HEIGHT = 40.0  # a chapter heading drawn by the painter (the timeline's)
RULE_ABOVE = 13.0  # px between an event's separating rule and its heading
CHUNK_EVENTS = 200  # events per rich-text document
CHUNK_GAP = 26.0  # px between chunks on a page, the h2 top margin that Qt drops there
KEEP_DOCUMENTS_EVENTS = 2000  # above this, documents are rebuilt for drawing (bounded memory)


@dataclass(frozen=True)
class Target:
    """A place in the document: page index and px from the paper's top edge."""

    page: int
    y: float


@dataclass
class Plan:
    pages: list[Callable[[QPainter], None]] = field(default_factory=list)
    chapters: list[tuple[str, Target]] = field(default_factory=list)
    events: list[tuple[str, Target]] = field(default_factory=list)  # (title, place) in order
    links: dict[str, Target] = field(default_factory=dict)  # "event:<id>", "source:<n>"
    page_height: float = 0.0  # in points, for PDF coordinates
    # The events chosen for the document. Not len(events): those are the outline's sections,
    # and a timeline-only document has none though its timeline shows every chosen event.
    selected: int = 0


def plan_document(briefing: Briefing, options: ExportOptions, geometry: style.PageGeometry,
                  ) -> Plan:
    rows = select_rows(briefing, options.query, options.index)
    events = [briefing.events[i] for i in rows]
    selection = describe_query(briefing, options.query)
    body = Plan()  # page indices from 0 after the title pages
    chunks = ([events[k:k + CHUNK_EVENTS] for k in range(0, len(events), CHUNK_EVENTS)]
              if options.include_sections else [])
    # The helper renders the notes while the timeline and the first chunks are laid out.
    with NotesAhead([[e.notes for e in chunk] for chunk in chunks]) as notes:
        if rows:  # with none, a page of an empty axis over the year around today
            _add_timeline(body, briefing, rows, geometry)
        if chunks:
            numbered = sections.number_sources(briefing, events, everything=not selection)
            _add_sections(body, briefing, chunks, notes, numbered, geometry)
            if numbered:
                _add_sources(body, numbered, geometry)
    # The title page lists where each chapter starts, so it is laid out last; if a long
    # summary makes it longer than one page, the numbers are redone once with its length.
    title = _title_pages(briefing, len(events), selection, body.chapters, geometry, 1)
    if len(title) != 1:
        title = _title_pages(briefing, len(events), selection, body.chapters, geometry,
                             len(title))
    shift = len(title)
    return Plan(
        title + body.pages,
        [("Title page", Target(0, 0.0))] + [(t, _shifted(p, shift)) for t, p in body.chapters],
        [(t, _shifted(p, shift)) for t, p in body.events],
        {k: _shifted(p, shift) for k, p in body.links.items()},
        geometry.height / style.PX_PER_POINT, len(events))


def _shifted(target: Target, pages: int) -> Target:
    return Target(target.page + pages, target.y)


def _title_pages(briefing: Briefing, shown: int, selection: str,
                 chapters: list[tuple[str, Target]], geometry: style.PageGeometry,
                 title_count: int) -> list[Callable[[QPainter], None]]:
    """The title page (more if the summary is long); page numbers are 1-based for readers."""
    contents = [(name, target.page + title_count + 1) for name, target in chapters]
    content = geometry.content
    text = flow.Flow([sections.title_html(briefing, shown, selection, contents)],
                     content.width())
    drop = TITLE_DROP * content.height()
    paged = flow.paginate(text, content.height(), content.height() - drop)
    return [_text_page(text, slices, geometry, drop if k == 0 else 0.0)
            for k, slices in enumerate(paged.pages)]


def _add_timeline(plan: Plan, briefing: Briefing, rows: list[int],
                  geometry: style.PageGeometry) -> None:
    content = geometry.content
    layout = build_layout(briefing, rows, "actor")
    painter = TimelinePainter()  # one per export: nothing is kept between runs
    strips = timeline_pages.plan_strips(layout)
    key = timeline_pages.key_height(content.width(), "actor")
    first_room = content.height() - HEADING_HEIGHT - key
    pieces = timeline_pages.pieces(painter, strips, content.width(), first_room)
    plan.chapters.append(("Timeline", Target(len(plan.pages), content.top())))
    page: list[timeline_pages.Piece] = []
    y = content.top() + HEADING_HEIGHT + key
    first = True
    for piece in pieces:
        if page and y + piece.block_height > content.bottom():
            plan.pages.append(_timeline_page(painter, page, geometry, first, key))
            page, y, first = [], content.top(), False
        page.append(piece)
        y += piece.block_height
    plan.pages.append(_timeline_page(painter, page, geometry, first, key))


def _timeline_page(painter: TimelinePainter, pieces: list[timeline_pages.Piece],
                   geometry: style.PageGeometry, first: bool, key: float,
                   ) -> Callable[[QPainter], None]:
    content = geometry.content

    def draw(p: QPainter) -> None:
        y = content.top()
        if first:
            p.setFont(style.font(22, bold=True))
            p.setPen(style.INK)
            p.drawText(QPointF(content.left(), y + 24), "Timeline")
            y += HEADING_HEIGHT
            timeline_pages.draw_key(p, content.left(), y, content.width(), "actor")
            y += key
        for piece in pieces:
            timeline_pages.draw_piece(p, painter, piece, content.left(), y, content.width())
            y += piece.block_height
    return draw


def _add_sections(plan: Plan, briefing: Briefing, chunks: list[list[Event]],
                  notes: NotesAhead, numbered, geometry: style.PageGeometry) -> None:
    """One section per event, in chunks of CHUNK_EVENTS documents flowing on."""
    content = geometry.content
    numbers = {s.id: n for n, s in enumerate(numbered, 1)}
    htmls = _Lazy(len(chunks), lambda k: sections.sections_html(
        briefing, chunks[k], numbers, heading=k == 0, notes=notes.batch(k)))
    events = sum(len(chunk) for chunk in chunks)
    text = flow.Flow(htmls, content.width(), keep=events <= KEEP_DOCUMENTS_EVENTS)

    def event_tops(k: int, doc) -> list[float | None]:
        headings = [sections.event_heading(e) for e in chunks[k]]
        return flow.find_blocks(doc, len(headings), lambda block, i: (
            block.blockFormat().headingLevel() == 2 and flow.folded(block.text()) == headings[i]))

    paged = flow.paginate(text, content.height(), marks=event_tops, chunk_gap=CHUNK_GAP)
    first = len(plan.pages)
    plan.chapters.append(("Events", Target(first, content.top())))
    last = Target(first, content.top())
    for chunk, marks in zip(chunks, paged.marks, strict=True):
        for event, mark in zip(chunk, marks, strict=True):
            if mark is not None:
                last = Target(first + mark[0], content.top() + mark[1])
            plan.events.append((event.title, last))
            plan.links.setdefault(f"event:{event.id}", last)
    rules = [list(h) for h in paged.headings]
    if rules and rules[0]:
        del rules[0][0]  # the first event sits right under the "Events" heading
    plan.pages += [_text_page(text, slices, geometry, 0.0, rules) for slices in paged.pages]


class _Lazy(Sequence[str]):
    """`make(k)` for k in range(count), each made when first asked for (pagination asks in
    order, so chunk k is laid out while the notes of the chunks after it are rendered)."""

    def __init__(self, count: int, make: Callable[[int], str]) -> None:
        self._made: list[str | None] = [None] * count
        self._make = make

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, k):  # an int: Flow takes no slices
        made = self._made[k]
        if made is None:
            made = self._made[k] = self._make(k)
        return made


def _add_sources(plan: Plan, numbered, geometry: style.PageGeometry) -> None:
    content = geometry.content
    text = flow.Flow([sections.sources_html(numbered)], content.width())
    paged = flow.paginate(text, content.height(), marks=lambda k, doc: flow.find_blocks(
        doc, len(numbered), lambda block, i: block.text().startswith(f"[{i + 1}] ")))
    first = len(plan.pages)
    plan.chapters.append(("Sources", Target(first, content.top())))
    for n, mark in enumerate(paged.marks[0], 1):
        if mark is not None:
            plan.links[sections.source_link(n)] = Target(first + mark[0],
                                                         content.top() + mark[1])
    plan.pages += [_text_page(text, slices, geometry) for slices in paged.pages]


def _text_page(text: flow.Flow, slices: list[flow.Slice], geometry: style.PageGeometry,
               drop: float = 0.0, rules: list[list[float]] | None = None,
               ) -> Callable[[QPainter], None]:
    """Draw the page's slices; with `rules`, a thin line above each heading in them."""
    content = geometry.content
    x, y = content.left(), content.top() + drop

    def draw(p: QPainter) -> None:
        for piece in slices:
            flow.draw_slice(p, text.document(piece.chunk), piece, x, y)
            if rules:
                tops = rules[piece.chunk]
                # A heading at the top of the page needs no rule; one below other text does.
                after = piece.top - 0.5 if piece.y > 0.5 else piece.top + 1
                shown = tops[bisect_right(tops, after):bisect_left(tops, piece.bottom)]
                if shown:
                    p.setPen(QPen(style.RULE, 0.75))
                    p.drawLines([QLineF(x, line, x + content.width(), line) for line in (
                        y + piece.y + t - piece.top - RULE_ABOVE for t in shown)])
    return draw
