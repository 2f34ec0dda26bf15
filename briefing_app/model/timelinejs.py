"""TimelineJS3 JSON (Knight Lab) to and from a Briefing, with a report of what did not fit.

The mapping, both ways:

    briefing title, summary   title.text.headline, title.text.text (HTML); the handling line
                              and date in a <p class="briefing-meta"> ("Classification: ...")
    event id, title, notes    unique_id, text.headline, text.text (notes rendered as HTML)
    actors, tags, likelihood, a <p class="briefing-meta"> at the end of text.text
    confidence                ("Actors: A; B", "Tags: x; y"); group = the first actor's name
    date, end                 start_date / end_date {year[, month[, day]]} at the date's
                              precision; quarters and early/mid/late as their first and last
                              month; display_date = our label ("late 2024"), and with an `end`
                              each side's label in start_date/end_date.display_date
    first quote               media.url = "<blockquote>text</blockquote>", media.credit = the
                              source's title (a link to its URL), media.caption = the speaker
                              and the Admiralty grade ("Gen. X · grade B2")

On import a display_date is used when `parse_date` reads it and it covers the same days as
start_date/end_date; otherwise the date comes from start_date/end_date, keeping their
precision ({year} -> "2019", {year, month} -> "2019-06"). A group that is not one of the
event's actors becomes a tag. Eras, images and other media, backgrounds, times of day and
unknown fields are reported one line each and kept in `extra["timelinejs"]`, from where an
export puts them back.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from .briefing import CONFIDENCES, LIKELIHOODS, RELIABILITY, Briefing, Event, Quote, Source
from .dates import (
    AFTER,
    BEFORE,
    POINT,
    RANGE,
    DateError,
    DatePart,
    FuzzyDate,
    Precision,
    parse_date,
)
from .errors import LoadError
from .importing import (
    TIMELINEJS,
    ImportReport,
    Registry,
    TakenIds,
    ends_before,
    events_have,
    quote_losses,
    slug,
    some,
    split_list,
    title_from_path,
    unique_id,
)
from .markdown import render_markdown
from .markdown_export import Node, html_to_markdown, html_to_text, parse_html

KEPT = "timelinejs"  # the key in `extra` for what has no place in a briefing
META_CLASS = "briefing-meta"
_SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "unique_id"}
_DATE_KEYS = {"year", "month", "day", "display_date"}
_EVENT_HREF = re.compile(r'href="event:([^"]*)"')
_GRADE = re.compile(r"(?:^|\s*·\s*)grade ([A-F-])([1-6-])\s*$")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


# --- export ----------------------------------------------------------------------------

def to_timelinejs(briefing: Briefing,
                  events: Sequence[Event] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The TimelineJS3 object for `events` (default: all) and what did not fit, in words."""
    events = briefing.events if events is None else events
    actors, sources = briefing.actor_map(), briefing.source_map()
    meta = [("Classification", briefing.classification), ("Updated", briefing.updated)]
    title: dict[str, Any] = {"text": {"headline": _esc(briefing.title),
                                      "text": _notes_html(briefing.summary) + _meta_html(meta)}}
    found = briefing.extra.get(KEPT)
    kept: dict[str, Any] = found if isinstance(found, dict) else {}
    _restore(title, kept.get("title"))
    out: dict[str, Any] = {"title": title,
                           "events": [_slide(e, actors, sources) for e in events]}
    found_eras = kept.get("eras")
    eras = [era for era in found_eras if _is_era(era)] if isinstance(found_eras, list) else []
    if eras:
        out["eras"] = eras
    for key, value in kept.items():
        if key not in ("title", "eras"):
            out.setdefault(key, value)
    return out, _left_out(briefing, events)


def _slide(e: Event, actors: dict, sources: dict[str, Source]) -> dict[str, Any]:
    names = [actors[a].name if a in actors else a for a in e.actors]
    meta = [("Actors", "; ".join(names)), ("Tags", "; ".join(e.tags)),
            ("Likelihood", e.likelihood or ""), ("Confidence", e.confidence or "")]
    # "before late 2024" ends on 31 Aug: its slide stands at that end (August), whose days
    # are the ones its label covers, as "before 2020" stands at 2019.
    start = _side(_start_part(e.date), last=e.date.kind == BEFORE)
    end_part = _end_part(e.end) if e.end is not None else _end_part(e.date, implied=True)
    slide: dict[str, Any] = {
        "unique_id": e.id,
        "start_date": start,
        "text": {"headline": _esc(e.title), "text": _notes_html(e.notes) + _meta_html(meta)},
        "display_date": e.date_label(),
    }
    if end_part is not None:
        slide["end_date"] = _side(end_part, last=True)
    if e.end is not None:
        slide["start_date"]["display_date"] = e.date.label()
        slide["end_date"]["display_date"] = e.end.label()
    if names:
        slide["group"] = names[0]
    if e.quotes:
        slide["media"] = _media(e.quotes[0], sources.get(e.quotes[0].source))
    kept = e.extra.get(KEPT)
    _restore(slide, kept)
    return slide


def _start_part(d: FuzzyDate) -> DatePart:
    if d.kind == BEFORE:
        return d.upper.previous_unit()  # type: ignore[union-attr]
    if d.kind == AFTER:
        return d.lower.next_unit()  # type: ignore[union-attr]
    return d.lower  # type: ignore[return-value]


def _end_part(d: FuzzyDate, implied: bool = False) -> DatePart | None:
    """The part that ends an event; for the event's own date only when it spans some time."""
    if d.kind == RANGE:
        return d.upper
    if implied:
        coarse = d.kind not in (BEFORE, AFTER) and d.lower.precision in (  # type: ignore[union-attr]
            Precision.QUARTER, Precision.PART_OF_YEAR)
        return d.lower if coarse else None
    return _start_part(d)


def _side(part: DatePart, last: bool) -> dict[str, Any]:
    day = part.end if last else part.start
    if part.precision is Precision.YEAR:
        return {"year": day.year}
    if part.precision is Precision.DAY:
        return {"year": day.year, "month": day.month, "day": day.day}
    return {"year": day.year, "month": day.month}


def _notes_html(markdown: str) -> str:
    if not markdown.strip():
        return ""
    # TimelineJS has no "event:" links; its own bookmarks are "#event-<unique_id>".
    return _EVENT_HREF.sub(r'href="#event-\1"', render_markdown(markdown))


def _meta_html(pairs: list[tuple[str, str]]) -> str:
    lines = [f"<strong>{key}:</strong> {_esc(value)}" for key, value in pairs if value]
    return f'<p class="{META_CLASS}">' + "<br>".join(lines) + "</p>" if lines else ""


def _media(q: Quote, source: Source | None) -> dict[str, str]:
    text = "<br>".join(_esc(line) for line in q.text.splitlines())
    media = {"url": f"<blockquote>{text}</blockquote>"}
    if source is not None:
        title = _esc(source.title)
        media["credit"] = (f'<a href="{html.escape(source.url)}">{title}</a>' if source.url
                           else title)
    caption = [_esc(q.speaker)] if q.speaker else []
    grade = q.grade(source)
    if grade:
        caption.append(f"grade {grade}")
    if caption:
        media["caption"] = " · ".join(caption)
    return media


def _restore(target: dict[str, Any], kept: Any) -> None:
    """Put back what an import kept; what the briefing itself says wins."""
    if not isinstance(kept, dict):
        return
    for key, value in kept.items():
        if key not in target:
            target[key] = value
        elif isinstance(target[key], dict) and isinstance(value, dict) and key != "media":
            for sub, sub_value in value.items():
                target[key].setdefault(sub, sub_value)


def _is_era(era: Any) -> bool:
    return (isinstance(era, dict) and all(isinstance(era.get(k), dict) and "year" in era[k]
                                          for k in ("start_date", "end_date")))


def _left_out(briefing: Briefing, events: Sequence[Event]) -> list[str]:
    lines = []
    if any(a.color for a in briefing.actors):
        lines.append("actor colours: TimelineJS colours its rows itself")
    lines += quote_losses(events, "fits TimelineJS's one media item")
    firsts = [e.quotes[0] for e in events if e.quotes]
    sources = briefing.source_map()
    cited = [sources[q.source] for q in firsts if q.source in sources]
    if any(s.publisher or s.published for s in cited):
        lines.append("the sources' publishers and publication dates: a quote's credit is the "
                     "source's title and link")
    extra = [e.id for e in events if any(k != KEPT for k in e.extra)]
    if extra:
        lines.append(some(f"{events_have(len(extra))} fields of other tools", extra))
    return lines


# --- import ----------------------------------------------------------------------------

class _Side(NamedTuple):
    """One of start_date/end_date: the days it covers, as our date text, and its label."""

    first: date
    last: date
    text: str
    display: str | None


def from_timelinejs(data: dict[str, Any], name: str) -> tuple[Briefing, ImportReport]:
    """A new Briefing from a TimelineJS3 object; raise LoadError naming every bad JSON path."""
    reader = _Reader(name)
    try:
        briefing = reader.briefing(data)
    except RecursionError:  # HTML nested thousands deep: the tree walks are recursive
        raise LoadError(name, [f"{name}: the HTML in the timeline's text is nested too "
                               "deeply to read"]) from None
    if reader.problems:
        raise LoadError(name, reader.problems)
    return briefing, reader.report


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.report = ImportReport(name, TIMELINEJS)
        self.problems: list[str] = []
        self.registry = Registry()
        self._ids = TakenIds()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.name}: {where}: {message}")

    def keep(self, kept: dict[str, Any], key: str, value: Any, where: str, what: str,
             place: str = "the event's") -> None:
        kept[key] = value
        self.report.add(where, f"{what} has no place in a briefing; kept in {place} "
                        f"extra \"{KEPT}\"")

    def briefing(self, data: dict[str, Any]) -> Briefing:
        kept: dict[str, Any] = {}
        scale = data.get("scale")
        if scale not in (None, "", "human"):
            self.problem("scale", f"{scale!r}: only human-scale timelines (years 1 to 9999) "
                         "fit a briefing")
        title, summary, meta = self.title_slide(data.get("title"), kept)
        events_data = data.get("events")
        if not isinstance(events_data, list):
            self.problem("events", "is missing" if events_data is None else "must be a list")
            events_data = []
        events = []
        for i, d in enumerate(events_data):
            if not isinstance(d, dict):
                self.problem(f"events[{i}]", "must be an object")
                continue
            event = self.event(d, f"events[{i}]")
            if event is not None:
                events.append(event)
        if not events_data and not self.problems:
            self.problem("events", "the timeline has no events")
        eras = data.get("eras")
        if eras:
            for i, era in enumerate(eras if isinstance(eras, list) else [eras]):
                self.report.add(f"eras[{i}]", f"era {_era_label(era)} has no place in a "
                                f"briefing; kept in the briefing's extra \"{KEPT}\"")
            kept["eras"] = eras
        for key, value in data.items():
            if key not in ("title", "events", "eras", "scale"):
                self.keep(kept, key, value, key, "this field", "the briefing's")
        return Briefing(
            title=title or title_from_path(self.name), summary=summary,
            classification=meta.pop("classification", ""), updated=meta.pop("updated", ""),
            actors=self.registry.actors, sources=self.registry.sources, events=events,
            extra={KEPT: kept} if kept else {})

    def title_slide(self, slide: Any, kept: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
        if slide is None:
            return "", "", {}
        if not isinstance(slide, dict):
            self.problem("title", "must be an object (a slide)")
            return "", "", {}
        headline, notes, meta = self.text(slide.get("text"), "title.text")
        rest: dict[str, Any] = {}
        for key, value in slide.items():
            if key != "text" and value not in (None, "", {}):
                self.keep(rest, key, value, f"title.{key}", _what(key, value), "the briefing's")
        if rest:
            kept["title"] = rest
        for key in list(meta):
            if key not in ("classification", "updated"):
                self.report.add("title.text", f"the line {key.title()!r}: "
                                f"{meta.pop(key)!r} has no place in a briefing")
        return headline, notes, meta

    def text(self, text: Any, where: str) -> tuple[str, str, dict[str, str]]:
        if text is None:
            return "", "", {}
        if not isinstance(text, dict):
            self.problem(where, "must be an object with headline and text")
            return "", "", {}
        headline, body = text.get("headline") or "", text.get("text") or ""
        for key, value in (("headline", headline), ("text", body)):
            if not isinstance(value, str):
                self.problem(f"{where}.{key}", "must be text")
                return "", "", {}
        root = parse_html(body)
        meta = _take_meta(root)
        for node in root.walk():
            href = node.attrs.get("href", "")
            if node.tag == "a" and href.startswith("#event-"):
                node.attrs["href"] = "event:" + href.removeprefix("#event-")
        return html_to_text(headline), html_to_markdown(root), meta

    def event(self, d: dict[str, Any], where: str) -> Event | None:
        kept: dict[str, Any] = {}
        before = len(self.problems)
        start = self.side(d.get("start_date"), f"{where}.start_date", kept, "start_date")
        end = None
        if d.get("end_date") not in (None, "", {}):
            end = self.side(d["end_date"], f"{where}.end_date", kept, "end_date")
        headline, notes, meta = self.text(d.get("text"), f"{where}.text")
        if start is None or len(self.problems) > before:
            return None
        first, last = self.dates(d, start, end, where, kept)
        if last is not None and ends_before(last, first):
            self.problem(f"{where}.end_date", "is before the start_date")
            return None
        actors = [self.registry.actor_id(n) for n in split_list(meta.pop("actors", ""))]
        tags = split_list(meta.pop("tags", ""))
        group = d.get("group")
        if isinstance(group, str) and group.strip():
            if self.registry.known_actor_id(group) not in actors:
                if group.strip() not in tags:
                    tags.append(group.strip())
                self.report.add(f"{where}.group", f"{group.strip()!r} is not one of the event's "
                                "actors; it became a tag")
        likelihood = self.choice(meta.pop("likelihood", ""), f"{where}.text", LIKELIHOODS)
        confidence = self.choice(meta.pop("confidence", ""), f"{where}.text", CONFIDENCES)
        for key, value in meta.items():
            self.report.add(f"{where}.text", f"the line {key.title()!r}: {value!r} has no "
                            "place in a briefing")
        quotes = self.media(d.get("media"), f"{where}.media", kept)
        for key, value in d.items():
            if key not in _SLIDE_KEYS and value not in (None, "", {}):
                self.keep(kept, key, value, f"{where}.{key}", _what(key, value))
        title = headline or _first_words(notes) or "Untitled event"
        if not headline:
            self.report.add(f"{where}.text.headline", f"is empty; the event is titled {title!r}")
        return Event(self.ident(d.get("unique_id"), title, where), title, first, last, actors,
                     tags, notes, quotes, likelihood, confidence, {KEPT: kept} if kept else {})

    def ident(self, value: Any, title: str, where: str) -> str:
        wanted = value.strip() if isinstance(value, str) else ""
        if wanted and wanted not in self._ids:
            self._ids.add(wanted)
            return wanted
        made = unique_id(slug(title, "event"), self._ids)
        if wanted:
            self.report.add(f"{where}.unique_id", f"{wanted!r} is used twice; this event's id "
                            f"is {made!r}")
        return made

    def choice(self, value: str, where: str, allowed: tuple[str, ...]) -> str | None:
        if not value:
            return None
        for option in allowed:
            if option.casefold() == value.strip().casefold():
                return option
        self.report.add(where, f"{value!r} is not one of: {', '.join(allowed)}; left out")
        return None

    # dates ------------------------------------------------------------------------------
    def side(self, value: Any, where: str, kept: dict[str, Any], key: str) -> _Side | None:
        if value in (None, "", {}):
            self.problem(where, "is missing: every event needs a start_date with a year")
            return None
        if not isinstance(value, dict):
            self.problem(where, "must be an object like {\"year\": 2019, \"month\": 6}")
            return None
        year = self.number(value, "year", where, 1, 9999)
        month = self.number(value, "month", where, 1, 12)
        day = self.number(value, "day", where, 1, 31)
        if year is None:
            return None
        if day and not month:
            self.problem(f"{where}.day", "a day needs a month")
            return None
        display = value.get("display_date")
        rest = {k: v for k, v in value.items() if k not in _DATE_KEYS}
        if rest:
            kept[key] = rest
            what = ("the time of day" if set(rest) & {"hour", "minute", "second", "millisecond"}
                    else "the field" + ("s " if len(rest) > 1 else " ") + ", ".join(rest))
            self.report.add(where, f"{what} has no place in a briefing; kept in the event's "
                            f"extra \"{KEPT}\"")
        if month is None:
            return _Side(date(year, 1, 1), date(year, 12, 31), f"{year:04d}", _text(display))
        days = calendar.monthrange(year, month)[1]
        if day is None:
            return _Side(date(year, month, 1), date(year, month, days), f"{year:04d}-{month:02d}",
                         _text(display))
        if day > days:
            self.problem(f"{where}.day", f"{year:04d}-{month:02d} has no day {day}")
            return None
        at = date(year, month, day)
        return _Side(at, at, at.isoformat(), _text(display))

    def number(self, d: dict[str, Any], key: str, where: str, low: int, high: int) -> int | None:
        value = d.get(key)
        if value is None or value == "":
            if key == "year":
                self.problem(f"{where}.year", "is missing: every date needs a year")
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            if len(value.strip().lstrip("-")) > 18:  # int() refuses 4,300 digits and more
                reason = ("years before 1 AD or after 9999 are not supported" if key == "year"
                          else f"must be from {low} to {high}")
                self.problem(f"{where}.{key}", f"a number with {len(value.strip()):,} "
                             f"characters: {reason}")
                return None
            value = int(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is not int:
            self.problem(f"{where}.{key}", f"{value!r} is not a whole number")
            return None
        if not low <= value <= high:
            reason = ("years before 1 AD or after 9999 are not supported" if key == "year"
                      else f"must be from {low} to {high}")
            self.problem(f"{where}.{key}", f"{value}: {reason}")
            return None
        return value

    def dates(self, d: dict[str, Any], start: _Side, end: _Side | None, where: str,
              kept: dict[str, Any]) -> tuple[FuzzyDate, FuzzyDate | None]:
        if end is not None and start.display and end.display:  # each side labelled: date + end
            return (self.labelled(start.display, start, "start", where, "start_date", kept),
                    self.labelled(end.display, end, "end", where, "end_date", kept))
        whole = _Side(start.first, end.last if end else start.last, "", None)
        label = _text(d.get("display_date"))
        if label:
            parsed = self.agreeing(label, whole, "both", where, None, kept)
            if parsed is not None:
                return (parse_date(start.text) if end is None and _plain(parsed) else parsed), None
        first = parse_date(start.text)
        last = parse_date(end.text) if end is not None and end.text != start.text else None
        return first, last

    def labelled(self, label: str, side: _Side, which: str, where: str, key: str,
                 kept: dict[str, Any]) -> FuzzyDate:
        parsed = self.agreeing(label, side, which, where, key, kept)
        return parsed if parsed is not None and not _plain(parsed) else parse_date(side.text)

    def agreeing(self, label: str, side: _Side, which: str, where: str, key: str | None,
                 kept: dict[str, Any]) -> FuzzyDate | None:
        """parse_date(label) if it covers the side's days; otherwise report and keep it.

        `key` is "start_date" or "end_date" for a side's own label, None for the slide's.
        """
        try:
            parsed = parse_date(label)
        except DateError:
            self.keep_label(kept, where, key, label, "is not a date this app reads")
            return None
        if which == "start":
            agrees = (parsed.start == side.first if parsed.start is not None
                      else parsed.end == side.last)
        elif which == "end":
            agrees = (parsed.end == side.last if parsed.end is not None
                      else parsed.start == side.first)
        else:
            agrees = (parsed.start in (None, side.first) and parsed.end in (None, side.last))
        if not agrees:
            self.keep_label(kept, where, key, label, "does not cover the same days as the "
                            f"dates given ({side.first.isoformat()} to {side.last.isoformat()})")
            return None
        return parsed

    def keep_label(self, kept: dict[str, Any], where: str, key: str | None, label: str,
                   why: str) -> None:
        if key is None:
            kept["display_date"] = label
        else:
            kept.setdefault(key, {})["display_date"] = label
        path = f"{where}.{key}.display_date" if key else f"{where}.display_date"
        self.report.add(path, f"{label!r} {why}; the date comes from the year, month and day "
                        f"fields; the label is kept in the event's extra \"{KEPT}\"")

    # quotes -----------------------------------------------------------------------------
    def media(self, media: Any, where: str, kept: dict[str, Any]) -> list[Quote]:
        if media in (None, "", {}):
            return []
        url = media.get("url") if isinstance(media, dict) else None
        if not isinstance(url, str) or "<blockquote" not in url.lower():
            self.keep(kept, "media", media, where, _what("media", media))
            return []
        quote_node = parse_html(url).find("blockquote")
        text = _plain_text(quote_node).strip() if quote_node is not None else ""
        credit = media.get("credit") if isinstance(media.get("credit"), str) else ""
        link = parse_html(credit).find("a")
        title = html_to_text(credit)
        href = link.attrs.get("href", "") if link is not None else ""
        if not href and isinstance(media.get("link"), str):
            href = media["link"]
        if not text or not (title or href):
            why = "has no text" if not text else "has no credit naming its source"
            self.keep(kept, "media", media, where, f"a block quote that {why}")
            return []
        source = self.registry.source(title, href)
        speaker, reliability, credibility = _caption(media.get("caption"))
        if reliability and not source.reliability:
            source.reliability = reliability
        for key, value in media.items():
            if key not in ("url", "credit", "caption") and value not in (None, ""):
                kept.setdefault("media", {})[key] = value
                self.report.add(f"{where}.{key}", f"has no place in a briefing; kept in the "
                                f"event's extra \"{KEPT}\"")
        return [Quote(text, source.id, speaker, credibility)]


def _take_meta(root: Node) -> dict[str, str]:
    """Remove our <p class="briefing-meta"> paragraphs from the tree; return their lines."""
    meta: dict[str, str] = {}
    for parent in root.walk():
        for child in list(parent.children):
            if isinstance(child, Node) and child.tag == "p" and child.has_class(META_CLASS):
                parent.children.remove(child)
                lines = [""]
                for part in child.children:
                    if isinstance(part, Node) and part.tag == "br":
                        lines.append("")
                    else:
                        lines[-1] += part if isinstance(part, str) else part.text()
                for line in lines:
                    key, sep, value = line.partition(":")
                    if sep and key.strip():
                        meta[key.strip().casefold()] = value.strip()
    return meta


def _plain(parsed: FuzzyDate) -> bool:
    """A plain day, month or year: its label adds nothing to the year, month and day fields."""
    return (parsed.kind == POINT and not (parsed.approximate or parsed.uncertain)
            and parsed.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR))


def _plain_text(node: Node) -> str:
    """Text with line breaks for <br> and between paragraphs: a quote's words as written."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(" ".join(child.split("\n")))
        elif child.tag == "br":
            out.append("\n")
        elif child.tag in ("p", "div"):
            out.append("\n" + _plain_text(child).strip() + "\n")
        else:
            out.append(_plain_text(child))
    text = "".join(out)
    return "\n".join(" ".join(line.split()) for line in text.strip("\n").split("\n"))


def _caption(caption: Any) -> tuple[str | None, str | None, int | None]:
    """"Speaker · grade B2" -> ("Speaker", "B", 2)."""
    text = html_to_text(caption) if isinstance(caption, str) else ""
    reliability = credibility = None
    m = _GRADE.search(text)
    if m:
        text = text[:m.start()]
        reliability = m.group(1) if m.group(1) in RELIABILITY else None
        credibility = int(m.group(2)) if m.group(2).isdigit() else None
    return text.strip() or None, reliability, credibility


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first_words(markdown: str, limit: int = 60) -> str:
    words = " ".join(html_to_text(render_markdown(markdown)).split())
    return words if len(words) <= limit else words[:limit - 1].rstrip() + "…"


def _what(key: str, value: Any) -> str:
    if key == "media" and isinstance(value, dict):
        url = str(value.get("url", ""))
        shown = url if len(url) <= 60 else url[:57] + "..."
        return f"the media item {shown!r}" if url else "the media item"
    if key == "background":
        return "the background"
    return f"the field {key!r}"


def _era_label(era: Any) -> str:
    if not isinstance(era, dict):
        return "(not an object)"
    text = era.get("text")
    headline = text.get("headline") if isinstance(text, dict) else None
    shown = repr(html_to_text(headline)) if isinstance(headline, str) and headline else "(untitled)"
    years = [str(era[k].get("year", "?")) for k in ("start_date", "end_date")
             if isinstance(era.get(k), dict)]
    return shown + (f" ({'–'.join(years)})" if years else "")
