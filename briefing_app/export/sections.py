"""The HTML of the printed briefing: title page, one section per event, the list of sources.

Each event is `render.rich_text.event_html`, the detail pane's renderer, so paper matches the
screen; on paper every translated quote shows its original (there is nothing to click), and
a line of numbered references points into the list of sources at the end.
Links the PDF turns into jumps use the schemes `event:` (from notes) and `source:N` (here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote

from ..model.briefing import RELIABILITY, Briefing, Event, Source, counted
from ..model.markdown import escape, reveal_invisible
from ..render.rich_text import briefing_html, event_html

SOURCE_SCHEME = "source"
_ORIG_LINK = re.compile(r' \(<a href="orig:[^"]*">[^<]*</a>\)')


def number_sources(briefing: Briefing, events: Sequence[Event], everything: bool) -> list[Source]:
    """Sources in order of first citation; with `everything`, the uncited ones after them."""
    by_id = briefing.source_map()
    cited: dict[str, Source] = {}
    for event in events:
        for q in event.quotes:
            source = by_id.get(q.source)
            if source is not None and source.id not in cited:
                cited[source.id] = source
    numbered = list(cited.values())
    if everything:
        numbered += [s for s in briefing.sources if s.id not in cited]
    return numbered


def title_html(briefing: Briefing, shown: int, selection: str,
               contents: Sequence[tuple[str, int]]) -> str:
    """The briefing's summary (as on screen), what this document holds, and its contents."""
    total = len(briefing.events)
    held = f"This document holds {counted(shown, 'event')}"
    if selection:
        held += f" of {total:,}, selected by {escape(selection)}"
    held += f". Exported on {date.today():%d %b %Y}."
    rows = "".join(
        f'<tr><td>{escape(name)}</td><td align="right">{page}</td></tr>' for name, page in contents)
    parts = [
        briefing_html(briefing),
        f'<p style="color:#5f6b76">{held}</p>',
        '<h3>Contents</h3><table class="plain" width="55%" cellspacing="0" cellpadding="2">'
        f"{rows}</table>" if rows else "",
    ]
    return "\n".join(p for p in parts if p)


def sections_html(briefing: Briefing, events: Sequence[Event], numbers: dict[str, int],
                  heading: bool = True, notes: Sequence[str] | None = None) -> str:
    """Every event as on screen, originals shown, with its numbered source references.

    `notes`, when given, holds each event's notes already rendered by `render_markdown`.
    """
    parts = ["<h1>Events</h1>"] if heading else []
    by_id = briefing.source_map()
    for k, event in enumerate(events):
        expanded = [(event.id, i) for i, q in enumerate(event.quotes) if q.original]
        html = event_html(briefing, event, (), expanded, None if notes is None else notes[k])
        parts.append(_ORIG_LINK.sub("", html))
        parts.append(_references(by_id, event, numbers))
    return "\n".join(p for p in parts if p)


def event_heading(event: Event) -> str:
    """The text of the event's heading block in the document, as `sections_html` writes it."""
    return " ".join(reveal_invisible(event.title).split())


def sources_html(sources: Sequence[Source]) -> str:
    items = [f"<p>{source_entry(n, s)}</p>" for n, s in enumerate(sources, 1)]
    return "<h1>Sources</h1>\n" + "\n".join(items)


def source_entry(number: int, source: Source) -> str:
    """[n] Title. Publisher, date. Reliability. URL"""
    bits = [f"[{number}] <b>{_text(source.title)}</b>."]
    detail = ", ".join(p for p in (_text(source.publisher),
                                   _text(source.published.label()) if source.published else "")
                       if p)
    if detail:
        bits.append(detail + ".")
    if source.reliability:
        meaning = RELIABILITY.get(source.reliability, "")
        bits.append(f"Reliability {_text(source.reliability)}"
                    + (f" ({meaning})." if meaning else "."))
    if source.url.startswith(("http://", "https://")):
        href = escape(quote(source.url, safe=":/?#[]@!$&'()*+,;=%~"))
        bits.append(f'<a href="{href}">{_text(source.url)}</a>')
    elif source.url:
        bits.append(_text(source.url))
    return " ".join(bits)


def source_link(number: int) -> str:
    return f"{SOURCE_SCHEME}:{number}"


def _references(by_id: dict[str, Source], event: Event, numbers: dict[str, int]) -> str:
    seen: list[str] = []
    for q in event.quotes:
        if q.source in numbers and q.source in by_id and q.source not in seen:
            seen.append(q.source)
    if not seen:
        return ""
    refs = "; ".join(
        f'<a href="{source_link(numbers[s])}">[{numbers[s]}]</a> '
        f"{_text(by_id[s].title)}" for s in seen)
    return f'<p style="color:#5f6b76"><b>Sources:</b> {refs}</p>'


def _text(text: str) -> str:
    return escape(reveal_invisible(text))

