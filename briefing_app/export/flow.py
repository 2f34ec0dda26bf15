"""Rich text that flows over pages: documents laid out as one column, cut between lines.

Qt's own pagination (a document page size with a height) cannot keep a heading with the text
under it, so each document is laid out as one long column and cut here: a cut falls on the
top of a line, never through one, and a cut just below a heading moves above it.

Long text comes as a sequence of documents (chunks of a couple of hundred events) that flow
on from one to the next, even within a page: one huge QTextDocument costs ~70 kB per event
and Qt's hit test is linear in its length. When not `keep`, a chunk's document is dropped
after pagination and rebuilt when its pages are drawn, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QGuiApplication,
    QPainter,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
    QTextTableCell,
    QTextTableFormat,
)

from ..render.rich_text import SafeTextDocument
from . import style

KEEP_WITH_HEADING = 110.0  # px of text that must follow a heading on its page
MIN_FILL = 0.3  # a page on its own is never cut shorter than this share of its room
KEEP_QUOTE = 0.5  # a block quote up to this share of a page's room is never split
EDGE_PX = 0.5  # a line reaching this little into a page is the neighbouring page's


def make_document(html: str, width: float) -> QTextDocument:
    """A safe document in the print font, laid out as one column `width` px wide."""
    doc = SafeTextDocument()
    doc.setDefaultFont(style.font(style.BODY_PX))
    doc.setDefaultStyleSheet(style.STYLE_SHEET)
    doc.setDocumentMargin(0)
    doc.setUseDesignMetrics(True)
    # The width first: set after the HTML, it would discard the start of a layout that
    # setHtml already made at no width (unwrapped lines) and lay that out again.
    doc.setTextWidth(width)
    doc.setHtml(html)
    # Keep each block's shaped glyphs after layout: by default QTextLayout drops them and
    # shapes every line again when it is drawn (and when a page cut hit-tests it), which
    # was a third of the drawing time. Costs memory while the document lives. (The few
    # blocks setHtml lays out at once are shaped again when drawn; that is all.)
    block = doc.begin()
    while block.isValid():
        block.layout().setCacheEnabled(True)
        block = block.next()
    return doc


class Flow:
    """The chunks of a column of text and their documents, built when first asked for."""

    def __init__(self, htmls: Sequence[str], width: float, keep: bool = True) -> None:
        self.htmls = htmls  # may make each chunk's HTML when first asked for
        self.width = width
        self.keep = keep
        self._docs: dict[int, QTextDocument] = {}

    def __len__(self) -> int:
        return len(self.htmls)

    def document(self, chunk: int) -> QTextDocument:
        doc = self._docs.get(chunk)
        if doc is None:
            if not self.keep:  # pages are drawn in order: older chunks are done with
                for old in [k for k in self._docs if k < chunk - 1]:
                    del self._docs[old]
            doc = self._docs[chunk] = make_document(self.htmls[chunk], self.width)
        return doc

    def release(self, chunk: int) -> None:
        if not self.keep:
            self._docs.pop(chunk, None)


@dataclass(frozen=True)
class Slice:
    """The part [top, bottom) of a chunk's column, drawn `y` px below the page's text top."""

    chunk: int
    top: float
    bottom: float
    y: float


@dataclass
class Paged:
    pages: list[list[Slice]] = field(default_factory=list)
    marks: list[list[tuple[int, float] | None]] = field(default_factory=list)  # page, y
    headings: list[list[float]] = field(default_factory=list)  # sorted tops, per chunk


def paginate(flow: Flow, page_height: float, first_room: float | None = None,
             marks: Callable[[int, QTextDocument], list[float | None]] | None = None,
             chunk_gap: float = 0.0) -> Paged:
    """Cut the flow into pages; `marks` gives the tops of blocks to locate in each chunk.

    No heading is last on a page. `chunk_gap` separates chunks on a page (Qt drops a
    document's first top margin).
    """
    paged = Paged()
    current: list[Slice] = []
    room = first_room if first_room is not None else page_height
    used = 0.0

    def new_page() -> None:
        nonlocal current, used, room
        paged.pages.append(current)
        current, used, room = [], 0.0, page_height

    for chunk in range(len(flow)):
        doc = flow.document(chunk)
        tops = marks(chunk, doc) if marks is not None else []
        headings = sorted(t for t in tops if t is not None)
        placed: list[tuple[Slice, int]] = []
        top, total = 0.0, doc.size().height()
        if current:
            used += chunk_gap
        while total - top > 0.5:
            avail = room - used
            bottom = top + avail
            if bottom >= total:
                current.append(Slice(chunk, top, total, used))
                placed.append((current[-1], len(paged.pages)))
                used += total - top
                break
            cut = _cut(doc, top, bottom)
            if cut - top < MIN_FILL * avail:
                if current:  # the page holds the end of another chunk: go on overleaf
                    new_page()
                    continue
                cut = bottom  # a line or table row taller than a page: cut through it
            current.append(Slice(chunk, top, cut, used))
            placed.append((current[-1], len(paged.pages)))
            new_page()
            top = cut
        paged.marks.append([_locate(t, placed) for t in tops])
        paged.headings.append(headings)
        flow.release(chunk)
    if current or not paged.pages:
        paged.pages.append(current)
    return paged


def _locate(top: float | None, placed: list[tuple[Slice, int]]) -> tuple[int, float] | None:
    if top is None:
        return None
    for piece, page in placed:
        if piece.top <= top < piece.bottom:
            return page, piece.y + top - piece.top
    return None


def _cut(doc: QTextDocument, top: float, bottom: float) -> float:
    """Where to end a page that has room down to `bottom`: a line's top, above a table's
    head and a short quote it would split, above a heading."""
    cut = _line_top_at(doc, bottom)
    floor = top + MIN_FILL * (bottom - top)  # what moves overleaf leaves this much
    head = _table_head_top(doc, bottom)
    if head is not None and head >= floor:
        cut = head  # a table's head goes over with its first row
    quote = _quote_top(doc, cut, bottom - top)
    if quote is not None and quote >= floor:
        cut = quote  # the quote goes overleaf whole, its source line with it
    # Any heading, an event's title or one in its notes ("### Background"), goes over with
    # the text it heads; then a heading right above it may have to follow.
    heading = _heading_above(doc, cut)
    while heading is not None and top < heading:
        cut = heading
        heading = _heading_above(doc, cut)
    return cut


def _heading_above(doc: QTextDocument, y: float) -> float | None:
    """The top of a heading that a cut at `y` leaves with less than KEEP_WITH_HEADING px
    of text under it on its page (the nearest), or None."""
    layout = doc.documentLayout()
    position = layout.hitTest(QPointF(1.0, y), Qt.HitTestAccuracy.FuzzyHit)
    if position < 0:
        return None
    block = doc.findBlock(position)
    if layout.blockBoundingRect(block).top() >= y:  # it begins the next page
        block = block.previous()
    while block.isValid():
        block_top = layout.blockBoundingRect(block).top()
        if y - block_top >= KEEP_WITH_HEADING:
            return None
        if block.blockFormat().headingLevel() > 0:
            return block_top
        block = block.previous()
    return None


def _line_top_at(doc: QTextDocument, y: float) -> float:
    """The top of the line under `y` (or `y` between lines); in a table, the row's top."""
    layout = doc.documentLayout()
    position = layout.hitTest(QPointF(1.0, y), Qt.HitTestAccuracy.FuzzyHit)
    if position < 0:
        return y
    row = _table_row_at(doc, position, y)
    if row is not None:
        row_top = _row_top(layout, *row, y)
        if row_top > 0:
            return min(row_top, y)
    block = doc.findBlock(position)
    rect = layout.blockBoundingRect(block)
    if not rect.top() <= y < rect.bottom():
        return y
    text = block.layout()
    offset = rect.top() - text.boundingRect().top()
    for i in range(text.lineCount()):
        line = text.lineAt(i)
        line_top = offset + line.y()
        if line_top <= y < line_top + line.height():
            return line_top
    return y


def _table_head_top(doc: QTextDocument, y: float) -> float | None:
    """The top of a table whose head a cut at `y` would leave alone at the page's end (the
    cut falls in the first row of the body), or None."""
    layout = doc.documentLayout()
    position = layout.hitTest(QPointF(1.0, y), Qt.HitTestAccuracy.FuzzyHit)
    row = _table_row_at(doc, position, y) if position >= 0 else None
    if row is None or not 0 < row[1] <= row[0].format().headerRowCount():
        return None
    return _row_top(layout, row[0], 0, y)


def _table_row_at(doc: QTextDocument, position: int, y: float) -> tuple[QTextTable, int] | None:
    """The table and row that `y` falls in, rule and padding included, if the hit test's
    `position` is in a table (it finds the nearest cell's text, maybe of the row below)."""
    table = QTextCursor(doc.findBlock(position)).currentTable()
    if table is None:
        return None
    layout = doc.documentLayout()
    last = [table.cellAt(table.rows() - 1, c) for c in range(table.columns())]
    bottom = max((layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom()
                  + _insets(cell, table.format())[1] for cell in last if cell.isValid()),
                 default=y)
    if not _row_top(layout, table, 0, y) <= y < bottom:
        return None
    row = table.cellAt(position).row()
    while row > 0 and _row_top(layout, table, row, y) > y:
        row -= 1
    while row + 1 < table.rows() and _row_top(layout, table, row + 1, y) <= y:
        row += 1
    return table, row


def _row_top(layout: QAbstractTextDocumentLayout, table: QTextTable, row: int,
             y: float) -> float:
    """The top of a table row's rule (`y` if it has no cell)."""
    fmt = table.format()
    cells = [table.cellAt(row, c) for c in range(table.columns())]
    return min((layout.blockBoundingRect(cell.firstCursorPosition().block()).top()
                - _insets(cell, fmt)[0] for cell in cells if cell.isValid()), default=y)


def _insets(cell: QTextTableCell, table: QTextTableFormat) -> tuple[float, float]:
    """Padding and rule above and below a cell's text: its own (the style sheet gives every
    cell 3 px and a 1 px rule), else the table's. With the table's alone (0 and 0), a row
    was cut 4 px into itself: its rule and the stubs of its column rules ended the page
    above, and it began the next page open at the top."""
    fmt = cell.format().toTableCellFormat()
    prop = QTextFormat.Property

    def inset(padding: float, padding_key, border: float, border_key) -> float:
        return ((padding if fmt.hasProperty(padding_key) else table.cellPadding())
                + (border if fmt.hasProperty(border_key) else table.border()))

    return (inset(fmt.topPadding(), prop.TableCellTopPadding,
                  fmt.topBorder(), prop.TableCellTopBorder),
            inset(fmt.bottomPadding(), prop.TableCellBottomPadding,
                  fmt.bottomBorder(), prop.TableCellBottomBorder))


def _quote_top(doc: QTextDocument, y: float, room: float) -> float | None:
    """The top of the block quote that a cut at `y` splits, if it is short enough to move.

    An event's quote is one block quote: its words, "— speaker, source, grade" and the
    original of a translation; split, the words ended a page and their source began the
    next. Qt marks a block quote's first paragraph (BlockQuoteLevel); those after it in
    the same quote only keep its left margin.
    """
    layout = doc.documentLayout()
    position = layout.hitTest(QPointF(1.0, y), Qt.HitTestAccuracy.FuzzyHit)
    if position < 0:
        return None
    block = doc.findBlock(position)
    if y >= layout.blockBoundingRect(block).bottom():  # between blocks: the next begins
        block = block.next()
    first = block
    while not _opens_quote(first):
        if not _continues_quote(first):
            return None
        first = first.previous()
    last = block
    while _continues_quote(last.next()):
        last = last.next()
    top = layout.blockBoundingRect(first).top()
    if top >= y or layout.blockBoundingRect(last).bottom() - top > KEEP_QUOTE * room:
        return None
    return top


def _opens_quote(block: QTextBlock) -> bool:
    return block.isValid() and block.blockFormat().hasProperty(
        QTextFormat.Property.BlockQuoteLevel)


def _continues_quote(block: QTextBlock) -> bool:
    return (block.isValid() and not _opens_quote(block)
            and block.blockFormat().leftMargin() > 0 and block.textList() is None)


def find_blocks(doc: QTextDocument, count: int,
                matches: Callable[[QTextBlock, int], bool]) -> list[float | None]:
    """Top y of the first block that `matches` target 0, then target 1 after it, and so on.

    One pass over the blocks; a target that never matches gets None.
    """
    tops: list[float | None] = [None] * count
    layout = doc.documentLayout()
    block, k = doc.begin(), 0
    while block.isValid() and k < count:
        if matches(block, k):
            tops[k] = layout.blockBoundingRect(block).top()
            k += 1
        block = block.next()
    return tops


def folded(text: str) -> str:
    """Whitespace as HTML leaves it: runs folded to one space, none at the ends."""
    return " ".join(text.split())


def draw_slice(painter: QPainter, doc: QTextDocument, piece: Slice, x: float, y: float) -> None:
    """Draw the slice with its page's text top at (x, y)."""
    painter.save()
    painter.translate(x, y + piece.y - piece.top)
    # As doc.drawContents, but Qt draws every block and line that touches its clip, clipped
    # out of sight: the paragraph just below a page's cut (or just above its top) would be
    # in the page's text, found twice by a search and copied twice. What is drawn is chosen
    # by a rect EDGE_PX inside the slice; the painter still clips at the slice itself, so
    # no descender of the page's last line is shaved. And drawContents paints text that has
    # no colour of its own in the application palette's, light grey in the dark appearance,
    # on white paper (the style sheet's `body { color }` does not reach it): paper always
    # gets the print ink.
    painter.setClipRect(QRectF(0, piece.top, doc.textWidth(), piece.bottom - piece.top))
    context = QAbstractTextDocumentLayout.PaintContext()
    top, bottom = piece.top + EDGE_PX, piece.bottom - EDGE_PX
    context.clip = QRectF(0, top, doc.textWidth(), max(bottom - top, 0.0))
    context.palette = _paper_palette()
    doc.documentLayout().draw(painter, context)
    painter.restore()


def _paper_palette() -> QPalette:
    palette = QPalette(QGuiApplication.palette())
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, style.INK)
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Link, QColor("#1a56b8"))
    return palette
