"""Writing Markdown: a briefing as one document, and HTML fragments (TimelineJS text) as notes.

The document reads as plain text too: a title, the handling line, the summary, then each
event in date order (date label and title as a heading; actors, tags, likelihood; the notes;
quotes as block quotes with attribution and Admiralty grade) and a numbered list of sources
that the quotes point to as [n]. What a Markdown document cannot hold (actor colours, other
tools' fields...) is reported, one line each, as the other exports do.

`html_to_markdown` turns the HTML our renderer and TimelineJS produce (paragraphs, emphasis,
links, lists, block quotes, code, headings, simple tables) back into Markdown; anything else
is unwrapped to its text, and scripts and styles are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import escape as escape_html
from html.parser import HTMLParser
from urllib.parse import quote, unquote

from .briefing import RELIABILITY, Briefing, Event, Quote, Source, counted
from .importing import events_have, some

_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s))", re.M)
_LIST_NUMBER = re.compile(r"^(\s*\d+)\.(?=\s)", re.M)
_LIST_PAREN = re.compile(r"^(\s*\d+)\)(?=\s)", re.M)  # "1)" starts a list in CommonMark
_UNDERLINE = re.compile(r"^([ \t]*)([=-])(?=\2*[ \t]*$)", re.M)
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_HEAD = re.compile(r"^\s*[\d#>+=-]", re.M)  # what the four line-start patterns need


def escape(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text."""
    text = _SPECIAL.sub(r"\\\1", text)
    if "&" in text:
        text = _ENTITY_LIKE.sub("&amp;", text)
    if "<" in text:
        text = _TAG_LIKE.sub("&lt;", text)
    if not _LINE_HEAD.search(text):  # most text: no line starts as a list, heading or rule
        return text
    text = _LIST_NUMBER.sub(r"\1\\.", text)
    text = _LIST_PAREN.sub(r"\1\\)", text)
    # A line of "=" or "-" would underline the line above as a heading; Python-Markdown has
    # no escape for "=", so the first is written as a character reference.
    text = _UNDERLINE.sub(lambda m: m.group(1) + ("\\-" if m.group(2) == "-" else "&#61;"),
                          text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


# --- the briefing as a document ----------------------------------------------------------

def to_markdown(briefing: Briefing, events: Sequence[Event] | None = None) -> str:
    """The document for `events` (default: every event, in date order)."""
    return markdown_document(briefing, events)[0]


def markdown_document(briefing: Briefing,
                      events: Sequence[Event] | None = None) -> tuple[str, list[str]]:
    """The document for `events` (default: every event, in date order) and what it leaves
    out, one report line each."""
    if events is None:
        events = sorted(briefing.events, key=Event.sort_key)
    numbers = _source_numbers(briefing, events, everything=len(events) == len(briefing.events))
    sources = briefing.source_map()
    actors = briefing.actor_map()
    out = [f"# {escape(briefing.title)}", ""]
    handling = [f"**{escape(briefing.classification)}**"] if briefing.classification else []
    if briefing.updated:
        handling.append(f"Updated {escape(briefing.updated)}")
    if handling:
        out += [" · ".join(handling), ""]
    exported = {e.id for e in events}
    notes = _Notes(exported)
    if briefing.summary.strip():
        out += [notes.rewrite(_trimmed(briefing.summary), 1, "summary-"), ""]
    out += [f"## Events ({len(events)})", ""]
    for n, e in enumerate(events, 1):
        # An anchor for the notes' "event:" links, which mean nothing outside Briefing.
        out += [f'<a id="{_anchor(e.id, html=True)}"></a>', ""]
        out += [f"### {escape(e.date_label())} — {escape(e.title)}", ""]
        facts = []
        if e.actors:
            names = (actors[a].name if a in actors else a for a in e.actors)
            facts.append("*Actors:* " + "; ".join(escape(n) for n in names))
        if e.tags:
            facts.append("*Tags:* " + ", ".join(escape(t) for t in e.tags))
        judgement = [f"*{label}:* {value}" for label, value in
                     (("Likelihood", e.likelihood), ("Confidence", e.confidence)) if value]
        if judgement:
            facts.append(" · ".join(judgement))
        if facts:
            out += ["  \n".join(facts), ""]
        if e.notes.strip():
            out += [notes.rewrite(_trimmed(e.notes), 3, f"e{n}-"), ""]
        for i, q in enumerate(e.quotes, 1):
            # Python-Markdown, the app's renderer, joins block quotes that only blank lines
            # part (the notes' last one too): an anchor between keeps each quote its own.
            out += [f'<a id="{escape_html(f"quote-{e.id}-{i}", quote=True)}"></a>', ""]
            out += [_quote(q, sources.get(q.source), numbers.get(q.source)), ""]
    if numbers:
        out += ["## Sources", ""]
        by_number = sorted(numbers.items(), key=lambda item: item[1])
        out += [f"{n}. {_source_line(sources[sid])}" for sid, n in by_number]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", _left_out(briefing, events, set(numbers),
                                                           notes.unlinked)


def _left_out(briefing: Briefing, events: Sequence[Event], listed: set[str],
              unlinked: list[str]) -> list[str]:
    """What the document cannot hold, of the events and the sources it lists."""
    lines = []
    actors = briefing.actor_map()
    if any(actors[a].color for e in events for a in e.actors if a in actors):
        lines.append("actor colours: actors are written by name")
    extra = [e.id for e in events if e.extra or any(q.extra for q in e.quotes)]
    if extra:
        lines.append(some(f"{events_have(len(extra))} fields of other tools", extra))
    used = {a for e in events for a in e.actors}
    others = ["the briefing"] if briefing.extra else []
    for records, kept, noun in ((briefing.actors, used, "actor"),
                                (briefing.sources, listed, "source")):
        n = sum(1 for r in records if r.extra and r.id in kept)
        if n:
            others.append(counted(n, noun))
    if others:
        lines.append("fields of other tools in " + " and ".join(
            [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others))
    if unlinked:
        events_ = "an event" if len(unlinked) == 1 else "events"
        lines.append(some(f"{counted(len(unlinked), 'link')} to {events_} not in this export, "
                          "written as plain text", list(dict.fromkeys(unlinked))))
    return lines


def _source_numbers(briefing: Briefing, events: Sequence[Event],
                    everything: bool) -> dict[str, int]:
    """Source id -> number, in order of first citation; all sources when nothing is filtered."""
    known = briefing.source_map()
    order: dict[str, int] = {}
    for e in events:
        for q in e.quotes:
            if q.source in known and q.source not in order:
                order[q.source] = len(order) + 1
    if everything:
        for s in briefing.sources:
            order.setdefault(s.id, len(order) + 1)
    return order


def _quote(q: Quote, source: Source | None, number: int | None) -> str:
    lines = _quoted(q.text)
    if q.original:
        lines += [">"] + _quoted(q.original, "*Original:* ")
    who = [escape(q.speaker)] if q.speaker else []
    if source is not None:
        # Escaped: a note's "[1]: https://..." must not turn the marker into its link.
        who.append(f"*{escape(source.title)}*" + (f" \\[{number}\\]" if number else ""))
    elif q.source:
        who.append(escape(q.source))
    tail = []
    grade = q.grade(source)
    if grade:
        tail.append(f"grade {grade}")
    if q.translated:
        tail.append("translated")
    attribution = "— " + ", ".join(who) + (" (" + ", ".join(tail) + ")" if tail else "")
    return "\n".join(lines + [">", f"> {attribution}"])


def _quoted(text: str, lead: str = "") -> list[str]:
    """`text` as block-quote lines, every line of it inside the quote and each line break
    kept (a hard break: Markdown would join the lines of a paragraph into one). A line's
    indentation is dropped: four spaces would make it a code block inside the quote."""
    lines = text.splitlines() or [""]
    out = []
    for i, line in enumerate(lines):
        body = escape(line.strip())
        if body and i + 1 < len(lines) and lines[i + 1].strip():
            body += "  "
        if i == 0:
            body = lead + body
        out.append(f"> {body}" if body else ">")
    return out


def _source_line(s: Source) -> str:
    parts = [f"**{escape(s.title)}**"]
    if s.publisher:
        parts.append(escape(s.publisher))
    if s.published is not None:
        parts.append(escape(s.published.label()))
    line = ", ".join(parts) + "."
    if s.url:
        line += f" <{s.url}>" if " " not in s.url and ">" not in s.url else f" {escape(s.url)}"
    if s.reliability:
        line += f" Reliability {s.reliability}: {RELIABILITY[s.reliability]}."
    return line


class _Notes:
    """The summary and the events' notes rewritten for their place in one document: headings,
    "#" or underlined (setext), go below the document's own (# -> ####); links to events
    ("event:ID", "#event-ID") point at the events' anchors, or become plain text when the event
    is not in the document; and each note's reference definitions ("[1]: https://...") get a
    name of their own, so that notes that share one document do not take each other's (or the
    sources' "[1]"). Code (fenced, indented or in backticks) is left as it is."""

    def __init__(self, exported: set[str]) -> None:
        self.exported = exported
        self.unlinked: list[str] = []  # the events that links were to, now plain text
        self.labels: dict[str, str | None] = {}  # this note's: label -> new label (None: gone)
        self.gone: dict[str, str] = {}  # label -> the event it linked to, not exported

    def rewrite(self, text: str, levels: int, prefix: str) -> str:
        """`text` rewritten; its reference labels are renamed `prefix` + label."""
        parts = [(prose, _joined_definitions(lines) if prose else lines)
                 for prose, lines in self._split(text)]
        self.labels, self.gone = {}, {}
        for prose, lines in parts:
            for line in lines if prose else ():
                found = _definition(line)
                if found:
                    label = _label(found.group("label"))
                    target = _event_target(_destination(found.group("dest") or ""))
                    if label in self.labels:
                        continue  # the first definition counts
                    gone = target is not None and target not in self.exported
                    self.labels[label] = None if gone else prefix + label
                    if gone and target is not None:
                        self.gone[label] = target
        out: list[str] = []
        for prose, lines in parts:
            out += self._prose(lines, levels) if prose else lines
        # Raw HTML a note opens and never closes ("<div>") runs on in a Markdown reader
        # through every event after it, shown as raw text: it ends with its note.
        prose_text = "\n".join(line for prose, lines in parts if prose for line in lines)
        unclosed = [] if "<" not in prose_text else [tag for tag in _BLOCK_TAGS for _ in range(
            len(re.findall(rf"<{tag}\b", prose_text, re.I))
            - len(re.findall(rf"</{tag}\s*>", prose_text, re.I)))]
        if unclosed:
            out += ["", "".join(f"</{tag}>" for tag in reversed(unclosed))]
        return "\n".join(out)

    @staticmethod
    def _split(text: str) -> list[tuple[bool, list[str]]]:
        """`text` as runs of lines of prose (True) and of code (False)."""
        parts: list[tuple[bool, list[str]]] = []
        fence = ""  # the opening fence while inside fenced code
        after_blank, in_code, in_list = True, False, False
        for line in text.splitlines():
            if fence:
                is_prose = False
                if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                    fence = ""
            else:
                opening = _FENCE.match(line)
                blank = not line.strip()
                # Indented lines are code after a blank line, except in a list's items.
                code = (not blank and _INDENTED_CODE.match(line) is not None
                        and (in_code or (after_blank and not in_list)))
                is_prose = not (opening or code)
                if opening:
                    fence = opening.group(1)
                    in_list = in_list and line[:1].isspace()  # a fence at the margin ends it
                elif not blank and not code and not _INDENTED_CODE.match(line):
                    in_list = bool(_LIST_ITEM.match(line)) or (in_list and not after_blank)
                if not blank:
                    in_code = bool(code)
                after_blank = blank
            if parts and parts[-1][0] == is_prose:
                parts[-1][1].append(line)
            else:
                parts.append((is_prose, [line]))
        return parts

    def _prose(self, lines: list[str], levels: int) -> list[str]:
        """Rewritten prose: headings and definitions line by line, links a paragraph at a time."""
        out: list[str] = []
        paragraph: list[str] = []

        def end_paragraph() -> None:
            if paragraph:
                out.extend(self._links("\n".join(paragraph)).split("\n"))
                paragraph.clear()

        for line in lines:
            definition = _definition(line)
            if _BLANK.match(line) or definition:
                end_paragraph()
                if definition:
                    line = self._definition(definition)
                    if line is None:
                        continue
                out.append(line)
                continue
            quoted = _QUOTE_MARKS.match(line)
            prefix, body = quoted.group(), line[quoted.end():]
            if _ATX.match(body):
                end_paragraph()
                out.append(self._links(prefix + _demoted(body, levels)))
                continue
            underline = _SETEXT.match(body)
            above = paragraph[-1] if paragraph else ""
            if underline and above.startswith(prefix) and above[len(prefix):].strip():
                title = above[len(prefix):].strip()
                if title.endswith("#") and not title.endswith("\\#"):
                    title = title[:-1] + "\\#"  # not the closing "#"s of an ATX heading
                if len(paragraph) == 1 and not underline.group(1):
                    # A heading in Python-Markdown (the app's renderer) and CommonMark alike.
                    level = 1 if underline.group(2)[0] == "=" else 2
                    paragraph[-1] = prefix + _demoted("#" * level + " " + title, levels)
                    end_paragraph()
                    continue
                if not _LIST_ITEM.match(paragraph[0][len(prefix):]):
                    # A heading in CommonMark only: a rule or text, as the app shows it.
                    if underline.group(2).startswith("---"):
                        end_paragraph()
                        out += [prefix.rstrip(), line]
                        continue
                    line = prefix + "    " + body.strip()
            paragraph.append(line)
        end_paragraph()
        return out

    def _definition(self, m: re.Match[str]) -> str | None:
        """A reference definition under its new label; None when its event is not exported."""
        new = self.labels.get(_label(m.group("label")))
        if new is None:
            return None
        dest = m.group("dest") or ""
        target = _event_target(_destination(dest))
        if target is not None:
            dest = "#" + _anchor(target)
        return f"{m.group('lead')}[{new}]:{m.group('space')}{dest}{m.group('rest')}"

    def _links(self, text: str) -> str:
        if "[" not in text:  # no link to rewrite (a code span alone comes back as it is)
            return text
        return _INLINE.sub(self._link, text)

    def _link(self, m: re.Match[str]) -> str:
        if m.group("code"):
            return m.group()
        bang, raw = m.group("bang"), m.group("text")
        text = self._links(raw)
        if m.group("dest") is not None:  # [text](destination "title")
            target = _event_target(_destination(m.group("dest")))
            if target is None or bang:
                return bang + "[" + text + m.group()[m.end("text") - m.start():]
            if target in self.exported:
                rest = m.group()[m.end("dest") - m.start():]
                return f"[{text}](#{_anchor(target)}{rest}"
            self.unlinked.append(target)
            return f"{text} (not in this export)"
        # [text][label], [text] [label], [text][] or [text]: a reference if this note
        # defines the label. Python-Markdown allows one white space before "[label]".
        written, space = m.group("label"), m.group("space") or ""
        if written is not None and _label(written or raw) not in self.labels:
            # An unknown label: Python-Markdown then reads "[text]" alone, as a shortcut.
            return self._reference(bang, raw, text, None, "") + space + f"[{written}]"
        return self._reference(bang, raw, text, written, space)

    def _reference(self, bang: str, raw: str, text: str, written: str | None,
                   space: str) -> str:
        label = _label(written or raw)
        if label not in self.labels:
            return bang + "[" + text + "]" + ("" if written is None else f"{space}[{written}]")
        new = self.labels[label]
        if new is None:
            self.unlinked.append(self.gone[label])
            return f"{text} (not in this export)"
        return f"{bang}[{text}]{space}[{new}]"


def _definition(line: str) -> re.Match[str] | None:
    """`line` as a reference definition, or None: without a destination ("[Update]:") it is
    text to Python-Markdown, the app's renderer."""
    found = _DEFINITION.match(line)
    return found if found is not None and found.group("dest") is not None else None


def _joined_definitions(lines: list[str]) -> list[str]:
    """`lines` with each definition whose destination is on the next line ("[1]:" then
    "  https://...") written on one line, as Python-Markdown reads it."""
    out: list[str] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        found = _DEFINITION.match(line)
        if found is not None and found.group("dest") is None and i + 1 < len(lines):
            marks = _QUOTE_MARKS.match(lines[i + 1]).group()
            following = lines[i + 1][len(marks):].strip()
            joined = line.rstrip() + " " + following
            # In the same block quote, and not a heading's underline or HTML.
            if (following and marks.count(">") == found.group("lead").count(">")
                    and not _SETEXT.match(following) and not following.startswith("<")
                    and _definition(joined) is not None):
                out.append(joined)
                skip = True
                continue
        out.append(line)
    return out


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case and runs of white space do not count."""
    return " ".join(text.split()).casefold()


def _destination(dest: str) -> str:
    return dest.removeprefix("<").removesuffix(">")


def _trimmed(text: str) -> str:
    """`text` without blank lines around it; the first line keeps its indentation, which
    can make it code or keep it from being a heading."""
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


def _demoted(heading: str, levels: int) -> str:
    """An ATX heading `levels` lower (at most level 6). Python-Markdown, the app's renderer,
    takes "#Title" for a heading and CommonMark does not, and CommonMark "  # Title" where
    Python-Markdown does not: both are written as what the app shows."""
    m = _ATX.match(heading)
    assert m is not None
    indent, hashes, text = m.groups()
    if indent:
        return f"{indent}\\{hashes}{text}"
    if text.endswith("#") and not text.endswith("\\#"):
        text = text.rstrip("#")  # a closing sequence, which the renderer drops
    text = text.strip()
    if text.endswith("#") and not text.endswith("\\#"):
        # "# C# " shows "C#": without its trailing space the "#" would read as closing.
        text = text[:-1] + "\\#"
    return "#" * min(6, len(hashes) + levels) + (" " + text if text else "")


def _event_target(dest: str) -> str | None:
    """The event a link's destination names ("event:ID" or our "#event-ID"), else None."""
    for scheme in ("event:", "#event-"):
        if dest.startswith(scheme):
            return unquote(dest[len(scheme):])
    return None


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")
_ATX = re.compile(r"^( {0,3})(#{1,6})(.*)$")
# Block-level HTML a note may open: Python-Markdown's raw HTML blocks run to its close.
_BLOCK_TAGS = ("div", "table", "pre", "blockquote", "ul", "ol", "dl", "section", "details",
               "figure", "p")
_SETEXT = re.compile(r"^( {0,3})(=+|-+)[ \t]*$")
_QUOTE_MARKS = re.compile(r"^(?: {0,3}>[ \t]?)*")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-+*]|\d{1,9}[.)])(?:\s|$)")
_BLANK = re.compile(r"^[\s>]*$")  # a blank line, in a block quote or not, ends a paragraph
_LINK_TEXT = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*"
_INLINE = re.compile(
    r"(?P<code>(?<![`\\])(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?<!\\)(?P<bang>!?)\[(?P<text>" + _LINK_TEXT + r")\]"
    r"(?:\(\s*(?P<dest><[^<>\n]*>|[^\s()<>]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|(?P<space>\s?)\[(?P<label>[^\[\]]*)\]|(?!\[))",
    re.S)
_TITLE = r"(?:\"[^\"]*\"|'[^']*'|\([^()]*\))"
# Linear in the line: the label's "not only white space" is a look-ahead, and runs of white
# space are taken whole (possessive), a title without destination after them. Written as
# "[^\[\]]*[^\[\]\s][^\[\]]*" and "[ \t]*" next to "[ \t]*", a line of 8,000 characters
# ("[" and no "]", white space then no "[", or "[a]:" then white space) took seconds.
_DEFINITION = re.compile(
    r"^(?P<lead>[ \t]*+(?:>[ \t]?)*[ \t]*+)\[(?P<label>(?=[^\[\]]*[^\[\]\s])[^\[\]]*)\]:"
    r"(?P<space>[ \t]*+)(?:(?P<dest><[^<>\n]*>|\S+)"
    r"(?P<rest>(?:[ \t]+" + _TITLE + r")?[ \t]*)|(?:(?<=[ \t])" + _TITLE + r"[ \t]*)?)$")


def _anchor(event_id: str, html: bool = False) -> str:
    """The document's anchor of an event: as an HTML id, or percent-encoded for a link."""
    name = f"event-{event_id}"
    return escape_html(name, quote=True) if html else quote(name, safe="-_.~")


# --- HTML back to Markdown ---------------------------------------------------------------

_BLOCKS = {"p", "div", "section", "article", "header", "footer", "figure", "ul", "ol", "li",
           "blockquote", "pre", "hr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base"}
_DROPPED = {"script", "style", "iframe", "noscript", "template", "object", "svg", "math", "head"}
_BREAK = "\x00br\x00"  # a <br> until the paragraph's white space is normalised
_LIST_BLOCK = re.compile(r"(- |\d+\. )")  # escape() keeps text from starting like this
_NEWLINE_RUN = re.compile(r"[ \t]*\n\s*")


class Node:
    """An element of the parsed fragment: its tag, attributes and children (Nodes or text)."""

    def __init__(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Node]:
        """This node and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str) -> Node | None:
        return next((n for n in self.walk() if n.tag == tag), None)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag in _BLOCKS and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li":  # closes the open item of the same list, not of an outer one
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag in ("ul", "ol"):
                    break
                if self.stack[i].tag == "li":
                    del self.stack[i:]
                    break
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self.dropping and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if not self.dropping:
            self._close(tag)

    def _close(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def parse_html(fragment: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


def html_to_markdown(fragment: str | Node) -> str:
    """Markdown that renders like `fragment` (an HTML string or a parsed Node)."""
    root = parse_html(fragment) if isinstance(fragment, str) else fragment
    return "\n\n".join(_blocks(root)).strip()


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment on one line, e.g. a headline."""
    return " ".join(parse_html(fragment).text().split())


def _blocks(node: Node) -> list[str]:
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        # In HTML any run of white space is one space: a blank line must not end the paragraph,
        # and indentation must not turn into a code block.
        text = _NEWLINE_RUN.sub("\n", "".join(inline)).strip()
        text = re.sub(r"\s*" + _BREAK + r"\s*", "  \n", text).strip()
        if text:
            blocks.append(text)
        inline.clear()

    for child in node.children:
        if isinstance(child, str):
            inline.append(escape(child))
        elif child.tag in _BLOCKS:
            flush()
            blocks.extend(_block(child))
        else:
            inline.append(_inline(child))
    flush()
    return blocks


def _block(node: Node) -> list[str]:
    tag = node.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(_inline_content(node).split())
        return [f"{'#' * int(tag[1])} {text}"] if text else []
    if tag == "hr":
        return ["---"]
    if tag == "pre":
        code = node.text().strip("\n")
        fence = "~~~" if "```" in code else "```"
        return [f"{fence}\n{code}\n{fence}"]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
    if tag in ("ul", "ol"):
        return [_list(node)] if node.children else []
    if tag == "table":
        return [_table(node)]
    return _blocks(node)  # p, div, li outside a list...


def _list(node: Node) -> str:
    items = []
    start = int(node.attrs.get("start", "1")) if node.attrs.get("start", "1").isdigit() else 1
    number = start
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                items.append(f"- {escape(child.strip())}")
            continue
        marker = f"{number}. " if node.tag == "ol" else "- "
        number += 1
        parts = _blocks(child) if child.tag == "li" else _block(child)
        # A nested list follows its item's text directly: a blank line would make the list loose.
        content = "".join((("\n" if _LIST_BLOCK.match(b) else "\n\n") if i else "") + b
                          for i, b in enumerate(parts))
        lines = content.split("\n") or [""]
        body = [marker + lines[0]] + [("    " + line) if line else "" for line in lines[1:]]
        items.append("\n".join(body))
    loose = any("\n\n" in item for item in items)  # items with paragraphs keep blank lines
    return ("\n\n" if loose else "\n").join(items)


def _table(node: Node) -> str:
    rows: list[list[str]] = []

    def collect(n: Node) -> None:
        for child in n.children:
            if isinstance(child, Node):
                if child.tag == "tr":
                    rows.append([" ".join(_inline_content(c).split()).replace("|", "\\|")
                                 for c in child.children
                                 if isinstance(c, Node) and c.tag in ("td", "th")])
                else:
                    collect(child)

    collect(node)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _inline_content(node: Node) -> str:
    return "".join(escape(c) if isinstance(c, str) else _inline(c) for c in node.children)


def _inline(node: Node) -> str:
    tag = node.tag
    if tag == "br":
        return _BREAK
    if tag == "img":
        alt = node.attrs.get("alt", "")
        return f"![{escape(alt)}]({node.attrs.get('src', '')})"
    if tag in _BLOCKS:  # a block inside inline markup: keep its text
        return " ".join(_blocks(node))
    inner = _inline_content(node)
    if not inner.strip():
        return inner
    lead, core, trail = _split_space(inner)
    if tag in ("strong", "b"):
        return f"{lead}**{core}**{trail}"
    if tag in ("em", "i"):
        return f"{lead}*{core}*{trail}"
    if tag == "code":
        code = node.text()
        tick = "``" if "`" in code else "`"
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{tick}{pad}{code}{pad}{tick}"
    if tag == "a" and node.attrs.get("href"):
        href = node.attrs["href"].replace(" ", "%20").replace(")", "%29")
        return f"{lead}[{core}]({href}){trail}"
    return inner


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.find(core)
    return text[:start], core, text[start + len(core):]
