"""Markdown notes to safe HTML: the one renderer behind the detail pane and the PDF.

What a note holds is either shown or visibly marked as not shown: a script, style sheet or
HTML comment becomes "[script not shown]", an element left open that would swallow the rest
of the note (an unclosed <script>, <iframe> or <style>) turns the whole note into plain text,
and zero-width and bidi-control characters are spelled out. Notes that would cost seconds
(Python-Markdown is quadratic in some inputs, Qt's layout in nesting) are shown as plain text.
"""

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
# Any element nesting: 25,000 nested <strong> (from 50,000 '*') take Qt 6 s to lay out.
MAX_ELEMENT_DEPTH = 64
# Python-Markdown is quadratic in these (5,000 '[' take 3 s, 2,000 "[a](b " 1.3 s, 10,000
# lines of "-" 4 s, 100,000 '\\' 1.4 s; 50,000 '`' or 40,000 "*a" 2-3 s in Qt's layout);
# notes with more are shown as plain text.
_COSTLY = {"[": 1_000, "<": 5_000, "\n": 3_000, "*": 10_000, "_": 10_000, "`": 10_000,
           "\\": 10_000}
# Its inline patterns scan from each '[' to the matching ']' and from each '<' to the next
# '>', to the end of the paragraph when there is none: 100 unclosed '[' before 100 kB of
# text take 2.5 s. This many characters scanned (brackets cost 2.5x) take about 0.3 s.
_SCAN_BUDGET = 3_000_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"[\[\]]")
_ANGLE = re.compile(r"[<>]")

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "th", "td", "a", "img", "span", "sub", "sup",
}
# Removed with everything inside, not just unwrapped: their text is code, not prose.
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "noscript", "template", "object", "svg",
                         "math"}
_ATTRIBUTES = {"*": set(), "a": {"href", "title"}, "img": {"src", "alt", "title"},
               "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto", "event"}

# Elements whose content nh3 drops, and other markup that would vanish without a trace;
# each group is the text that closes it. The "<" is factored out of the alternatives so that
# the search skips to each "<" instead of trying five alternatives at every character.
_HIDDEN_START = re.compile(r"<(?:(?P<tag>script|style|iframe|noscript|template|object|svg|math)"
                           r"\b|(?P<comment>!--)|(?P<cdata>!\[CDATA\[)|(?P<pi>\?)"
                           r"|(?P<decl>![A-Za-z]))", re.IGNORECASE)
_HIDDEN_END = {"comment": "-->", "cdata": "]]>", "pi": ">", "decl": ">"}
_HIDDEN_NAMES = {"comment": "HTML comment", "cdata": "CDATA section",
                 "pi": "processing instruction", "decl": "declaration"}
_ELEMENT = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID = {"br", "hr", "img", "wbr"}
_NESTING_TAG = re.compile(r"<(/?)(?:blockquote|ul|ol|li|table|td|th|div)\b[^>]*>", re.IGNORECASE)
_IMG = re.compile(r'<img(?:\s+[\w-]+(?:="[^"]*")?)*\s*/?>')
_ALT = re.compile(r'\salt="([^"]*)"')
_TAG = re.compile(r"(<[^>]*>)")
# Zero-width, bidi-control, filler and tag characters: they hide or reorder text.
_INVISIBLE = re.compile(r"[\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        r"\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
                        r"\U000e0000-\U000e007f]")
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
    if _too_costly(text):
        return plain_text_html(text)
    try:
        rendered = _markdown().reset().convert(text)
    except Exception:  # RecursionError on deep nesting, or whatever else a hostile note finds
        _local.markdown = None  # its state is now unknown: build a fresh one next time
        return plain_text_html(text)
    marked = _mark_hidden(rendered)
    # Checked before nh3 too: its HTML parser recurses on nesting like Qt's layout does.
    if marked is None or _nesting_depth(marked) > MAX_DEPTH:
        return plain_text_html(text)
    safe = _sanitize(marked)
    if _element_depth(safe) > MAX_ELEMENT_DEPTH:
        return plain_text_html(text)
    # Again after parsing: "&#x202e;" became the character itself.
    return reveal_invisible(_images_as_text(safe))


def _too_costly(text: str) -> bool:
    if any(text.count(char) > limit for char, limit in _COSTLY.items()):
        return True
    if "[" not in text and "<" not in text:
        return False
    scanned = 0.0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        scanned += 2.5 * _scan_length(paragraph, _BRACKET, "[", nested=True)
        scanned += _scan_length(paragraph, _ANGLE, "<", nested=False)
        if scanned > _SCAN_BUDGET:
            return True
    return False


def _scan_length(paragraph: str, pattern: re.Pattern[str], opener: str, nested: bool) -> int:
    """Characters scanned from each opener to its closer (or the paragraph's end)."""
    if opener not in paragraph:
        return 0
    pending: list[int] = []
    total = 0
    for match in pattern.finditer(paragraph):
        if match.group() == opener:
            pending.append(match.start())
        elif pending and nested:
            total += match.start() - pending.pop()
        elif pending:  # one '>' ends the scan of every '<' before it
            total += len(pending) * match.start() - sum(pending)
            pending.clear()
    return total + len(pending) * len(paragraph) - sum(pending)


def _mark_hidden(markup: str) -> str | None:
    """`markup` with each script, style, comment... replaced by "[script not shown]".

    None when one is not closed: in a browser or in nh3 it would swallow the rest of the
    note. One pass, each close searched for once, so thousands of openers stay linear.
    """
    out: list[str] = []
    pos = 0
    while (start := _HIDDEN_START.search(markup, pos)) is not None:
        kind = start.lastgroup or "tag"
        if kind == "tag":
            tag = start.group("tag").lower()
            opened = markup.find(">", start.end())
            close = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
            end = close.search(markup, opened + 1) if opened >= 0 else None
            stop, what = (end.end() if end else -1), tag
        else:
            found = markup.find(_HIDDEN_END[kind], start.end())
            stop = found + len(_HIDDEN_END[kind]) if found >= 0 else -1
            what = _HIDDEN_NAMES[kind]
        if stop < 0:
            return None
        out += [markup[pos:start.start()], f"<i>[{what} not shown]</i>"]
        pos = stop
    out.append(markup[pos:])
    return "".join(out)


def _markdown() -> Any:
    md = getattr(_local, "markdown", None)
    if md is None:
        import markdown  # here, not at the top: it costs startup time the first view doesn't need
        from markdown.extensions.fenced_code import FencedCodeExtension
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.tables import TableExtension

        # Instances, not names: a name makes Markdown scan every installed package's
        # entry points through importlib.metadata (~20 ms at start-up).
        # A column's alignment as an attribute: the sanitiser keeps no style attributes.
        md = markdown.Markdown(extensions=[TableExtension(use_align_attribute=True),
                                           FencedCodeExtension(),
                                           SaneListExtension()])
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


def _element_depth(markup: str) -> int:
    """The deepest element nesting in well-formed (sanitized) `markup`."""
    depth = deepest = 0
    for match in _ELEMENT.finditer(markup):
        if match.group(2).lower() in _VOID:
            continue
        if match.group(1):
            depth -= 1
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
