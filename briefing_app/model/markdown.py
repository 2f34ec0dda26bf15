"""Markdown notes to safe HTML: the one renderer behind the detail pane and the PDF."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from typing import Any

from .search import fold

MAX_CHARS = 100_000
# Qt lays out nested tables in time exponential in their depth (a table in a cell counts 2).
MAX_DEPTH = 12
# Python-Markdown is quadratic in these (5,000 '[' take 3 s, 10,000 lines of "-" 4 s);
# notes with more of them are shown as plain text.
_COSTLY = {"[": 2_000, "<": 5_000, "\n": 5_000}

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "th", "td", "a", "img", "span", "sub", "sup",
}
# Removed with everything inside, not just unwrapped: their text is code, not prose.
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "noscript", "template", "object", "svg",
                         "math"}
_ATTRIBUTES = {"*": set(), "a": {"href", "title"}, "img": {"src", "alt", "title"}}
_URL_SCHEMES = {"http", "https", "mailto", "event"}

_NESTING_TAG = re.compile(r"<(/?)(?:blockquote|ul|ol|li|table|td|th|div)\b[^>]*>", re.IGNORECASE)
_IMG = re.compile(r'<img(?:\s+[\w-]+(?:="[^"]*")?)*\s*/?>')
_ALT = re.compile(r'\salt="([^"]*)"')
_TAG = re.compile(r"(<[^>]*>)")
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_HIT_OPEN = '<span style="background-color:#ffe066; color:#000">'

_local = threading.local()  # Markdown instances keep state: one per thread (UI, export)


def escape(text: str) -> str:
    return html.escape(text)


def reveal_invisible(text: str) -> str:
    """Show zero-width and bidi-control characters as "⟦U+202E⟧": they can hide or reorder text."""
    return _INVISIBLE.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)


def render_markdown(text: str) -> str:
    """Safe HTML for Markdown `text`; hostile or huge input degrades to plain text, never raises."""
    notice = ""
    if len(text) > MAX_CHARS:
        notice = (f"<p><i>Note truncated: showing the first {MAX_CHARS:,} of {len(text):,} "
                  "characters.</i></p>")
        text = text[:MAX_CHARS]
    return _render(reveal_invisible(text)) + notice


def plain_text_html(text: str) -> str:
    return f'<pre style="white-space: pre-wrap">{escape(text)}</pre>'


def _render(text: str) -> str:
    if any(text.count(char) > limit for char, limit in _COSTLY.items()):
        return plain_text_html(text)
    try:
        rendered = _markdown().reset().convert(text)
    except Exception:  # RecursionError on deep nesting, or whatever else a hostile note finds
        _local.markdown = None  # its state is now unknown: build a fresh one next time
        return plain_text_html(text)
    # Checked before nh3 too: its HTML parser recurses on nesting like Qt's layout does.
    if _nesting_depth(rendered) > MAX_DEPTH:
        return plain_text_html(text)
    return _images_as_text(_sanitize(rendered))


def _markdown() -> Any:
    md = getattr(_local, "markdown", None)
    if md is None:
        import markdown  # here, not at the top: it costs startup time the first view doesn't need

        md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
        _local.markdown = md
    return md


def _nesting_depth(markup: str) -> int:
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(markup):
        if match.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _sanitize(markup: str) -> str:
    import nh3

    return nh3.clean(markup, tags=_TAGS, clean_content_tags=_DROPPED_WITH_CONTENT,
                     attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=None,
                     strip_comments=True)


def _images_as_text(markup: str) -> str:
    """Every image becomes "[image: alt]": nothing is ever fetched, from the network or the disk.

    A remote image would tell its server who read the note and when; a local path would let
    a shared briefing probe the reader's files.
    """
    def alt_text(match: re.Match[str]) -> str:
        alt = _ALT.search(match.group())
        label = html.unescape(alt.group(1)).strip() if alt else ""
        return escape(f"[image: {label}]" if label else "[image]")

    return _IMG.sub(alt_text, markup)


def highlight_terms(markup: str, terms: Sequence[str]) -> str:
    """Mark the folded `terms` (case- and accent-insensitive) in the text of trusted `markup`.

    Only text between tags changes, so attributes and URLs stay intact.
    """
    folded = [t for t in (fold(term) for term in terms) if t]
    if not folded:
        return markup
    return "".join(piece if piece.startswith("<") else _highlight_text(piece, folded)
                   for piece in _TAG.split(markup))


def _highlight_text(escaped: str, terms: list[str]) -> str:
    text = html.unescape(escaped)
    folded, origin = _fold_with_origin(text)
    spans = _merged(sorted((i, i + len(t)) for t in terms for i in _find_all(folded, t)))
    if not spans:
        return escaped
    out: list[str] = []
    pos = 0
    for a, b in spans:
        start, end = max(origin[a], pos), origin[b - 1] + 1
        if start >= end:
            continue
        out += [_escape_text(text[pos:start]), _HIT_OPEN, _escape_text(text[start:end]), "</span>"]
        pos = end
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def _fold_with_origin(text: str) -> tuple[str, Sequence[int]]:
    """The folded text and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.casefold(), range(len(text))
    pieces: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        f = fold(char)
        pieces.append(f)
        origin += [i] * len(f)
    return "".join(pieces), origin


def _find_all(text: str, term: str) -> list[int]:
    found: list[int] = []
    i = text.find(term)
    while i >= 0:
        found.append(i)
        i = text.find(term, i + len(term))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
