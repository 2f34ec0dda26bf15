"""Safe rich text: a QTextDocument that opens nothing, and the HTML of one event or a briefing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import ClassVar
from urllib.parse import quote, unquote

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from ..model.briefing import (
    CREDIBILITY,
    RELIABILITY,
    Briefing,
    Event,
    Quote,
    counted,
    year_span,
)
from ..model.layout import actor_colors, palette_color
from ..model.markdown import escape, highlight_terms, render_markdown, reveal_invisible
from ..paths import resources_dir

ORIG_SCHEME = "orig"

# Qt sets a Markdown table's cells edge to edge ("15 Jan 2026$1.5 bn"): tables get room
# and rules, in the pane, the form's preview and the PDF alike; `plain` is for layout.
TABLE_STYLE = ("table { border-collapse: collapse; margin-bottom: 6px; } "
               "th, td { padding: 3px 8px; border: 1px solid #8c959f; } "
               "table.plain td, table.plain th { padding: 2px; border-style: none; } ")


class SafeTextDocument(QTextDocument):
    """A text document that loads only `app:` URLs naming files inside resources/.

    Qt's own loadResource opens local files, and when a loader returns nothing for an image
    QTextImageHandler reads the path straight from disk; so a refused image gets a blank
    1x1 image rather than None.
    """

    refused: ClassVar[list[str]] = []  # URLs turned down, newest last; tests read it

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDefaultStyleSheet("")

    def setDefaultStyleSheet(self, sheet: str) -> None:
        """`sheet` after the rules every note's HTML needs (Python callers: all of ours)."""
        super().setDefaultStyleSheet(TABLE_STYLE + sheet)

    def loadResource(self, kind: int, url: QUrl):
        data = _app_resource(url)
        if data is not None:
            return data
        SafeTextDocument.refused.append(url.toString())
        del SafeTextDocument.refused[:-100]
        if kind == QTextDocument.ResourceType.ImageResource:
            blank = QImage(1, 1, QImage.Format.Format_ARGB32)
            blank.fill(0)
            return blank
        return QByteArray()


def _app_resource(url: QUrl) -> QByteArray | None:
    if url.scheme() != "app":
        return None
    parts = PurePosixPath(url.path(QUrl.ComponentFormattingOption.FullyDecoded).lstrip("/")).parts
    if not parts or ".." in parts:
        return None
    root = resources_dir().resolve()
    path = root.joinpath(*parts).resolve()
    if not path.is_relative_to(root) or not path.is_file():  # a symlink may point outside
        return None
    return QByteArray(path.read_bytes())


def orig_link(event_id: str, index: int) -> str:
    """The link that shows or hides the original wording of quote `index`."""
    return f"{ORIG_SCHEME}:{quote(event_id, safe='')}:{index}"


def parse_orig_link(link: str) -> tuple[str, int] | None:
    """(event id, quote index) from an `orig_link`, or None if `link` is not one."""
    scheme, _, rest = link.partition(":")
    event_id, _, index = rest.rpartition(":")
    if scheme != ORIG_SCHEME or not event_id or not index.isdigit():
        return None
    return unquote(event_id), int(index)


def event_html(briefing: Briefing, event: Event, terms: Sequence[str] = (),
               expanded: Iterable[tuple[str, int]] = (), notes_html: str | None = None) -> str:
    """The whole event for the detail pane and the PDF; `expanded` quotes show their original.

    `notes_html` is `render_markdown(event.notes)` when the caller has it already (the PDF
    renders many notes ahead, in another process).
    """
    shown = set(expanded)
    parts = [
        f"<h2>{_text(event.title)}</h2>",
        _date_line(event),
        _actors_line(briefing, event),
        _labelled("Tags", " · ".join(_text(t) for t in event.tags)),
        _estimate_line(event),
        render_markdown(event.notes) if notes_html is None else notes_html,
        *(_quote_html(briefing, event, i, q, (event.id, i) in shown)
          for i, q in enumerate(event.quotes)),
    ]
    return highlight_terms("\n".join(p for p in parts if p), terms)


def briefing_html(briefing: Briefing, years: tuple[int, int] | None = None) -> str:
    """The summary shown when no event is selected; `years` is year_span(briefing.events)
    when the caller keeps it (it takes a pass over every event)."""
    parts = [
        f"<h1>{_text(briefing.title)}</h1>",
        f"<p><b>{_text(briefing.classification)}</b></p>" if briefing.classification else "",
        render_markdown(briefing.summary),
        f"<p>{_counts(briefing, years or year_span(briefing.events))}</p>",
    ]
    return "\n".join(p for p in parts if p)


def _text(text: str) -> str:
    return escape(reveal_invisible(text))


def _labelled(label: str, html: str) -> str:
    return f"<p><b>{label}:</b> {html}</p>" if html else ""


def _date_line(event: Event) -> str:
    if event.end is None:
        detail = event.date.describe()
    else:
        detail = f"from {event.date.describe()} to {event.end.describe()}"
    return f"<p><b>{_text(event.date_label())}</b> — {_text(detail)}</p>"


def _actors_line(briefing: Briefing, event: Event) -> str:
    # The timeline's colours, also for an actor the file gives none (every imported one):
    # chips, not names run together ("Perú Marina de Guerra" read as one actor).
    actors, colors = briefing.actor_map(), actor_colors(briefing)
    chips = []
    for actor_id in event.actors:
        actor = actors.get(actor_id)
        chips.append(_chip(actor.name if actor else actor_id,
                           colors.get(actor_id) or palette_color(actor_id)))
    return _labelled("Actors", " ".join(chips))


def _chip(name: str, color: str) -> str:
    background = QColor(color)
    if not background.isValid():
        return _text(name)
    # Black or white, whichever contrasts more (WCAG relative luminance, crossover at 0.179).
    ink = "#000000" if _luminance(background) > 0.179 else "#ffffff"
    # No-break spaces: a chip wraps as a whole, never as "United States / (government)".
    label = _text(name).replace(" ", "&nbsp;")
    return (f'<span style="background-color:{background.name()}; color:{ink}">'
            f"&nbsp;{label}&nbsp;</span>")


def _luminance(color: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF()))


def _estimate_line(event: Event) -> str:
    words = []
    if event.likelihood:
        words.append(f"Likelihood: {_text(event.likelihood)}")
    if event.confidence:
        words.append(f"Confidence: {_text(event.confidence)}")
    return f"<p>{' · '.join(words)}</p>" if words else ""


def _quote_html(briefing: Briefing, event: Event, index: int, q: Quote, expanded: bool) -> str:
    parts = [
        f"<p>“{_multiline(q.text)}”</p>",
        f"<p>— {_attribution(briefing, q)}{_translation_mark(event, index, q, expanded)}</p>",
    ]
    if expanded and q.original:
        parts.append(f"<p><i>Original:</i> “{_multiline(q.original)}”</p>")
    return "<blockquote>" + "".join(parts) + "</blockquote>"


def _multiline(text: str) -> str:
    return _text(text).replace("\n", "<br>")


def _attribution(briefing: Briefing, q: Quote) -> str:
    source = briefing.source(q.source)
    pieces = [_text(q.speaker)] if q.speaker else []
    if source is None:
        pieces.append(f"unknown source {_text(q.source)}")
    else:
        title = _text(source.title)
        url = QUrl(source.url)
        if url.scheme() in ("http", "https") and url.host():
            href = escape(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
            title = f'<a href="{href}">{title}</a>'
        pieces.append(title)
        if source.publisher:
            pieces.append(_text(source.publisher))
        if source.published is not None:
            pieces.append(_text(source.published.label()))
    line = ", ".join(pieces)
    grade = q.grade(source)
    if grade:
        line += f" · grade {_text(grade)} ({_grade_meaning(grade)})"
    return line


def _grade_meaning(grade: str) -> str:
    reliability = RELIABILITY.get(grade[0], "reliability unknown")
    credibility = CREDIBILITY.get(int(grade[1:]), "") if grade[1:].isdigit() else ""
    return f"{reliability}; {credibility or 'credibility unknown'}"


def _translation_mark(event: Event, index: int, q: Quote, expanded: bool) -> str:
    if not q.translated:
        return ""
    mark = " · <i>translated</i>"
    if q.original:
        action = "hide original" if expanded else "show original"
        mark += f' (<a href="{escape(orig_link(event.id, index))}">{action}</a>)'
    return mark


def _counts(briefing: Briefing, years: tuple[int, int] | None) -> str:
    counts = [counted(len(briefing.events), "event"), counted(len(briefing.sources), "source"),
              counted(len(briefing.actors), "actor")]
    if years:
        first, last = years
        counts.append(str(first) if first == last else f"{first}–{last}")
    if briefing.updated:
        counts.append(f"updated {_text(briefing.updated)}")
    return " · ".join(counts)

