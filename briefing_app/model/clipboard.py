"""Events on the clipboard: JSON with the sources and actors they cite, plus plain text.

Pasting into another briefing keeps every cited source and actor: one that already exists
there (same id and same content) is reused, a clashing id is renamed, and event ids are made
unique, so a paste never changes what the pasted events say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from .briefing import Actor, Briefing, Event, Quote, Source
from .dates import FuzzyDate
from .errors import LoadError
from .ids import unique_id_of_keys
from .storage import id_key, parse_briefing, parse_json, to_json

MIME_TYPE = "application/x-briefing-events+json"
MAX_PASTE_CHARS = 256 * 1024 * 1024
# An "event:" link's id as a note writes it: [text](event:ID), [label]: event:ID, <event:ID>.
_EVENT_LINK = re.compile(r"(?<![\w:/.-])event:(?P<id>[^\s()<>\[\]\"'`]+)")


def copy_json(briefing: Briefing, events: Sequence[Event]) -> str:
    """A small briefing holding `events` and exactly the actors and sources they use."""
    actor_ids = {a for e in events for a in e.actors}
    source_ids = {q.source for e in events for q in e.quotes}
    part = Briefing(title=briefing.title,
                    actors=[a for a in briefing.actors if a.id in actor_ids],
                    sources=[s for s in briefing.sources if s.id in source_ids],
                    events=list(events))
    return json.dumps(to_json(part), ensure_ascii=False, indent=1)


def copy_text(briefing: Briefing, events: Sequence[Event]) -> str:
    """The events as plain text (what a text editor gets), each quote with its citation:
    a quote pasted without its source is a quote nobody can check."""
    sources = briefing.source_map()
    blocks = []
    for e in events:
        lines = [f"{e.date_label()} — {e.title}"]
        if e.notes:
            lines.append(e.notes.strip())
        lines += [quote_with_citation(q, sources.get(q.source)) for q in e.quotes]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def quote_with_citation(quote: Quote, source: Source | None) -> str:
    """“text” — speaker, Title, Publisher, date (translated; grade B2). URL
    Original: “the original wording”, when the quote has one.

    The grade as the detail pane shows it: a quote pasted into a brief without its
    Admiralty grade loses what the reader needs to weigh it."""
    parts = [p for p in (quote.speaker, source.title if source else quote.source,
                         source.publisher if source else "",
                         source.published.label() if source and source.published else "") if p]
    citation = f"“{quote.text}”" + (" — " + ", ".join(parts) if parts else "")
    remarks = ["translated"] if quote.translated else []
    grade = quote.grade(source)
    if grade:
        remarks.append(f"grade {grade}")
    if remarks:
        citation += f" ({'; '.join(remarks)})"
    if source and source.url:
        citation += f". {source.url}"
    if quote.original:
        # A translation stands with the words it translates, as the detail pane has them.
        citation += f"\nOriginal: “{quote.original}”"
    return citation


def parse_pasted(text: str) -> Briefing:
    """Validate clipboard JSON exactly like a file; raise LoadError when it is not events."""
    if len(text) > MAX_PASTE_CHARS:
        raise LoadError("clipboard", ["clipboard: too large to paste as events"])
    data = parse_json("clipboard", text)  # the same checks as a file: NaN, duplicate keys...
    if isinstance(data, dict):
        data.setdefault("title", "clipboard")
        data.setdefault("events", [])
    return parse_briefing("clipboard", data)


def merge_for_paste(target: Briefing, pasted: Briefing) -> tuple[list[Event], list[Source],
                                                                  list[Actor]]:
    """Events ready to insert into `target`, and the sources/actors it must gain."""
    new_sources, source_ids = _merge(target.sources, pasted.sources, _same_source)
    new_actors, actor_ids = _merge(target.actors, pasted.actors, _same_actor)
    taken = {id_key(e.id) for e in target.events}
    event_ids: dict[str, str] = {}
    for e in pasted.events:
        new_id = unique_id_of_keys(e.id, taken)
        taken.add(id_key(new_id))
        if new_id != e.id:
            event_ids[e.id] = new_id
    events = []
    for e in pasted.events:
        quotes = [replace(q, source=source_ids.get(q.source, q.source), extra=dict(q.extra))
                  for q in e.quotes]
        events.append(replace(e, id=event_ids.get(e.id, e.id),
                              notes=_relinked(e.notes, event_ids),
                              actors=[actor_ids.get(a, a) for a in e.actors],
                              tags=list(e.tags), quotes=quotes, extra=dict(e.extra)))
    return events, new_sources, new_actors


def _relinked(notes: str, renamed: dict[str, str]) -> str:
    """`notes` with its "event:" links to renamed pasted events following them: a link to
    "e2" among the pasted events meant that event, and must not lead to the target's own
    "e2". A new id is the old one and a suffix ("e2-2"), appended as written (encoded or not).
    """
    if not renamed or "event:" not in notes:
        return notes

    def relink(m: re.Match[str]) -> str:
        written = m.group("id")
        old = unquote(written)
        new = renamed.get(old)
        if new is None or not new.startswith(old):
            return m.group()
        return m.group() + new[len(old):]

    return _EVENT_LINK.sub(relink, notes)


def _merge(existing: Sequence[Any], incoming: Sequence[Any], same) -> tuple[list[Any],
                                                                              dict[str, str]]:
    by_id = {x.id: x for x in existing}
    taken = {id_key(i) for i in by_id}
    added, renamed = [], {}
    for item in incoming:
        old = by_id.get(item.id)
        if old is not None and same(old, item):
            continue
        new_id = unique_id_of_keys(item.id, taken)
        taken.add(id_key(new_id))
        renamed[item.id] = new_id
        added.append(replace(item, id=new_id, extra=dict(item.extra)))
    return added, renamed


def _same_source(a: Source, b: Source) -> bool:
    """Everything a quote's citation and grade show: a source graded otherwise here is
    another source, or a pasted "A2" quote would read "E2"."""
    return ((a.title, a.publisher, a.url, a.reliability) == (b.title, b.publisher, b.url,
                                                             b.reliability)
            and _date_text(a.published) == _date_text(b.published))


def _date_text(d: FuzzyDate | None) -> str | None:
    return d.text if d is not None else None


def _same_actor(a: Actor, b: Actor) -> bool:
    return a.name == b.name


def duplicates(events: Sequence[Event], taken: Iterable[str]) -> list[Event]:
    """A copy of each event with a fresh id (none of `taken`, nor of the other copies) and
    " (copy)" in the title. The ids' keys are made once: made for each copy, Ctrl+D on 10
    of 100k events took ~2 s, on all of them hours."""
    keys = {id_key(t) for t in taken}
    copies = []
    for event in events:
        new_id = unique_id_of_keys(event.id, keys)
        keys.add(id_key(new_id))
        copies.append(replace(event, id=new_id, title=event.title + " (copy)",
                              actors=list(event.actors), tags=list(event.tags),
                              quotes=[replace(q, extra=dict(q.extra)) for q in event.quotes],
                              extra=dict(event.extra)))
    return copies
