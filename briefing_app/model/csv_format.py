"""CSV: one row per event, to and from a Briefing, with a report of what did not fit.

Columns (exported in this order; imported by header name, case-insensitive, with synonyms):
id, title, date, end, actors, tags, likelihood, confidence, notes, and the first quote:
quote, quote_speaker, quote_credibility, quote_source (its title), quote_source_url,
quote_source_publisher, quote_source_reliability. Multi-valued cells (actors, tags) are
separated by ";". Actors are written by name; an import makes their ids from the names.

A cell that a spreadsheet would read as a formula (one starting with "=", "+", "-", "@", a tab
or a carriage return: a title "=HYPERLINK(...)", notes that open with a "- " list) is written
with a leading apostrophe, as OWASP advises against CSV injection, so Excel, LibreOffice and
Google Sheets show it as text; import takes that one apostrophe off again, so the cell reads
back as it was (a cell that itself starts with apostrophes and then such a character gets
one more on export).

Import detects the delimiter (",", ";", tab or "|") by which one makes the most header
cells recognisable, and refuses the whole file if any row cannot be used, listing every
such row with its number (the header is row 1, as in a spreadsheet). Columns it does not
know are reported and kept in each event's `extra["csv"]`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from .briefing import CONFIDENCES, LIKELIHOODS, RELIABILITY, Briefing, Event, Quote, Source, counted
from .dates import DateError, FuzzyDate, parse_date
from .errors import LoadError
from .importing import (
    CSV,
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
from .markdown_export import escape

COLUMNS = ("id", "title", "date", "end", "actors", "tags", "likelihood", "confidence", "notes",
           "quote", "quote_speaker", "quote_credibility", "quote_source", "quote_source_url",
           "quote_source_publisher", "quote_source_reliability")
SEPARATOR = ";"
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
# What makes a spreadsheet read a cell as a formula, after any apostrophes we added.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")

# Header names understood on import, after lower-casing and turning "_" and "-" into spaces.
SYNONYMS = {
    "id": ("id", "event id", "unique id", "uid", "key"),
    "title": ("title", "headline", "event", "event title", "name", "subject"),
    "date": ("date", "start date", "start", "date start", "when", "from", "begin"),
    "end": ("end", "end date", "date end", "until", "to", "finish"),
    "actors": ("actors", "actor", "who", "people", "parties", "participants"),
    "tags": ("tags", "tag", "keywords", "categories", "category", "labels"),
    "likelihood": ("likelihood", "probability"),
    "confidence": ("confidence", "analytic confidence"),
    "notes": ("notes", "note", "description", "text", "details", "body", "comment", "comments"),
    "quote": ("quote", "quotation", "quote text", "excerpt"),
    "quote_speaker": ("quote speaker", "speaker", "said by"),
    "quote_credibility": ("quote credibility", "credibility"),
    "quote_source": ("quote source", "source", "source title", "quote source title"),
    "quote_source_url": ("quote source url", "source url", "url", "link"),
    "quote_source_publisher": ("quote source publisher", "publisher", "source publisher"),
    "quote_source_reliability": ("quote source reliability", "reliability",
                                 "source reliability"),
    # TimelineJS's own spreadsheet template splits the dates into columns.
    "year": ("year",), "month": ("month",), "day": ("day",),
    "end_year": ("end year",), "end_month": ("end month",), "end_day": ("end day",),
}
_FIELD_OF = {name: key for key, names in SYNONYMS.items() for name in names}


def header_key(cell: str) -> str:
    return " ".join(cell.replace("_", " ").replace("-", " ").split()).casefold()


# --- export ----------------------------------------------------------------------------

def as_text_cell(value: str) -> str:
    """`value` as a cell that no spreadsheet runs as a formula: "=1+1" -> "'=1+1"."""
    return "'" + value if _FORMULA_START.match(value) else value


def from_text_cell(cell: str) -> str:
    """The value `as_text_cell` wrote: one added apostrophe taken off."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell, 1) else cell


def to_csv(briefing: Briefing, events: Sequence[Event] | None = None) -> tuple[str, list[str]]:
    """CSV text for `events` (default: all, in file order) and what did not fit, in words."""
    events = briefing.events if events is None else events
    actors, sources = briefing.actor_map(), briefing.source_map()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in events:
        q = e.quotes[0] if e.quotes else None
        src = sources.get(q.source) if q else None
        writer.writerow([as_text_cell(str(cell)) for cell in (
            e.id, e.title, e.date.text, e.end.text if e.end else "",
            "; ".join(actors[a].name if a in actors else a for a in e.actors),
            "; ".join(e.tags), e.likelihood or "", e.confidence or "", e.notes,
            q.text if q else "", (q.speaker or "") if q else "",
            q.credibility if q and q.credibility else "",
            src.title if src else (q.source if q else ""), src.url if src else "",
            src.publisher if src else "", (src.reliability or "") if src else "",
        )])
    return out.getvalue(), _left_out(briefing, events)


def _left_out(briefing: Briefing, events: Sequence[Event]) -> list[str]:
    lines = []
    if briefing.title or briefing.summary or briefing.classification:
        lines.append("the briefing's title, summary, handling line and date: a CSV holds "
                     "only events")
    actors = briefing.actor_map()
    used_actors = {a for e in events for a in e.actors}
    if any(actors[a].color for a in used_actors if a in actors):
        lines.append("actor colours and ids: actors are written by name")
    lines += quote_losses(events, "is in the CSV")
    firsts = [e.quotes[0] for e in events if e.quotes]
    sources = briefing.source_map()
    if any(sources[q.source].published for q in firsts if q.source in sources):
        lines.append("the sources' publication dates")
    extra = [e.id for e in events if e.extra]
    if extra:
        lines.append(some(f"{events_have(len(extra))} fields of other tools", extra))
    split = sorted({v for e in events for v in [*e.tags, *(
        actors[a].name if a in actors else a for a in e.actors)] if SEPARATOR in v})
    if split:
        lines.append(some(f"{counted(len(split), 'actor name or tag')} with "
                          f"\"{SEPARATOR}\" will read back as several", split))
    return lines


# --- import ----------------------------------------------------------------------------

def from_csv(text: str, name: str) -> tuple[Briefing, ImportReport]:
    """A new Briefing from CSV text; raise LoadError listing every row it cannot use."""
    report = ImportReport(name, CSV)
    text = text.removeprefix("\ufeff")
    # The csv module refuses a cell over 128 KiB: a note that long, which to_csv writes
    # whole, would not come back. No cell is longer than the text (itself at most 1 GiB).
    if len(text) > csv.field_size_limit():
        csv.field_size_limit(len(text))
    delimiter, columns = _choose_delimiter(text, name)
    rows = _read_rows(text, name, delimiter)
    if len(rows) <= 1:
        raise LoadError(name, [f"{name}: no events: the file has a header row and no data rows"])
    _check_columns(columns, rows[0], name, report)
    reader = _RowReader(name, columns, rows[0], report)
    events = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line between rows, or a spreadsheet's empty trailing rows
        event = reader.event(number, cells)
        if event is not None:
            events.append(event)
    if reader.problems:
        problems = reader.problems
        if reader.date_problems:
            problems = problems + [f"{name}: dates are written like 2019, 2019-06, "
                                   "2019-06-20, late 2024, Q3 2024 or c. 2019"]
        raise LoadError(name, problems)
    if not events:
        raise LoadError(name, [f"{name}: no events: every row after the header is empty"])
    reader.report_commas()
    reader.report_uncited()
    reader.assign_ids(events)
    briefing = Briefing(title=title_from_path(name), actors=reader.registry.actors,
                        sources=reader.registry.sources, events=events)
    return briefing, report


def _choose_delimiter(text: str, name: str) -> tuple[str, dict[str, int]]:
    """The delimiter whose header row has the most recognised names, and those columns."""
    best: tuple[int, str, list[str]] = (0, ",", [])
    for delimiter in DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for cell in header if header_key(cell) in _FIELD_OF)
        if known > best[0]:
            best = (known, delimiter, header)
    known, delimiter, header = best
    if not known:
        first = text.splitlines()[0] if text.strip() else ""
        shown = first if len(first) <= 80 else first[:77] + "..."
        raise LoadError(name, [
            f"{name}: row 1: no recognised column names in the header {shown!r}; the first "
            "row must name the columns, at least title (or headline) and date (or start date), "
            "separated by commas, semicolons or tabs"])
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        columns.setdefault(_FIELD_OF.get(header_key(cell), f"?{i}"), i)
    return delimiter, columns


def _read_rows(text: str, name: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise LoadError(name, [f"{name}:{reader.line_num}: not readable as "
                               f"{_DELIMITER_NAMES[delimiter]}-separated values: {exc}"]) from None


def _check_columns(columns: dict[str, int], header: list[str], name: str,
                   report: ImportReport) -> None:
    missing = []
    if "title" not in columns:
        missing.append("no title column (also understood: headline, event, name)")
    if "date" not in columns and "year" not in columns:
        missing.append("no date column (also understood: start date, start, when, or "
                       "Year/Month/Day columns)")
    if missing:
        raise LoadError(name, [f"{name}: row 1: {m}" for m in missing])
    used = set(columns.values())
    for i, cell in enumerate(header):
        label = f"column {i + 1} {cell.strip()!r}" if cell.strip() else f"column {i + 1}"
        if i not in used:
            report.add(label, f"also means {_FIELD_OF[header_key(cell)]}, which an earlier "
                       "column gives; its values are kept in each event's extra \"csv\"")
        elif _FIELD_OF.get(header_key(cell)) is None and cell.strip():
            report.add(label, "is not a briefing field; its values are kept in each event's "
                       "extra \"csv\"")


class _RowReader:
    """Turns rows into events, collecting every problem with its row number."""

    def __init__(self, name: str, columns: dict[str, int], header: list[str],
                 report: ImportReport) -> None:
        self.name = name
        self.columns = columns
        self.header = header
        self.report = report
        self.registry = Registry()
        self.problems: list[str] = []
        self.date_problems = False
        self._given_ids: dict[str, int] = {}
        self._known = {i for key, i in columns.items() if not key.startswith("?")}
        # Actors or tags cells with a comma and no ";": "Navy, COSCO" became one actor.
        self._commas: dict[str, list[tuple[int, str]]] = {"actors": [], "tags": []}
        self._uncited: list[tuple[int, Source]] = []  # rows with a source and no quote

    def event(self, number: int, cells: list[str]) -> Event | None:
        def cell(key: str) -> str:
            i = self.columns.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        cells = [from_text_cell(c) for c in cells]
        why: list[str] = []
        width = len(self.header)
        if any(c.strip() for c in cells[width:]):
            why.append(f"{len(cells)} cells but the header has {width} (a delimiter inside "
                       "an unquoted cell?)")
        title = cell("title")
        if not title:
            why.append("no title")
        date = self._date(cell("date") or self._split_date(cell, ""), "date", why)
        end_text = cell("end") or self._split_date(cell, "end_")
        end = self._date(end_text, "end", why) if end_text else None
        if date is not None and end is not None and ends_before(end, date):
            why.append(f"end {end.text!r} is before the date {date.text!r}")
        ident = cell("id")
        if ident:
            if ident in self._given_ids:
                why.append(f"duplicate id {ident!r} (also row {self._given_ids[ident]})")
            else:
                self._given_ids[ident] = number
        likelihood = self._choice(cell("likelihood"), "likelihood", LIKELIHOODS, why)
        confidence = self._choice(cell("confidence"), "confidence", CONFIDENCES, why)
        quotes = self._quotes(cell, number, why)
        if why:
            self.problems.append(f"{self.name}: row {number}: " + "; ".join(why))
            return None
        notes_at = self.columns.get("notes")
        notes = cells[notes_at] if notes_at is not None and notes_at < len(cells) else ""
        if self._uncited and self._uncited[-1][0] == number:
            notes = _with_source(notes, self._uncited[-1][1])
        extra = {}
        unknown = {h.strip() or f"column {i + 1}": cells[i] for i, h in enumerate(self.header)
                   if i < len(cells) and cells[i].strip() and i not in self._known}
        if unknown:
            extra["csv"] = unknown
        assert date is not None
        for key in self._commas:
            if "," in cell(key) and SEPARATOR not in cell(key):
                self._commas[key].append((number, cell(key)))
        return Event(ident, title, date, end,
                     [self.registry.actor_id(a) for a in split_list(cell("actors"))],
                     split_list(cell("tags")), notes if notes.strip() else "", quotes,
                     likelihood, confidence, extra)

    def report_uncited(self) -> None:
        """One line for every row whose source came without a quote (not one a row)."""
        if self._uncited:
            rows = some("rows", [str(number) for number, _ in self._uncited])
            self.report.add("", f"{counted(len(self._uncited), 'event')} with a source but no "
                            "quote: the source is named at the end of the notes, as an event "
                            f"cites a source only through a quote: {rows}")

    def report_commas(self) -> None:
        """Say so when a spreadsheet's "Navy, COSCO" was read as one actor (or tag): the
        names are not split on commas, which a name may hold ("Ministry of Defence, Peru")."""
        for key, found in self._commas.items():
            if not found:
                continue
            i = self.columns[key]
            what = "actor" if key == "actors" else "tag"
            rows = some("rows", [str(number) for number, _ in found])
            self.report.add(
                f"column {i + 1} {self.header[i].strip()!r}",
                f"{counted(len(found), 'cell')} with a comma and no \"{SEPARATOR}\" became "
                f"one {what}{' each' if len(found) > 1 else ''}, e.g. {found[0][1]!r}; "
                f"several are separated by "
                f"\"{SEPARATOR}\": {rows}")

    def _date(self, text: str, label: str, why: list[str]) -> FuzzyDate | None:
        if not text:
            if label == "date":
                why.append("no date")
            return None
        try:
            return parse_date(text)
        except DateError as exc:
            self.date_problems = True
            why.append(f"{label} {text!r} is not a date" + (f" ({exc.reason})" if exc.reason
                                                             else ""))
            return None

    @staticmethod
    def _split_date(cell, prefix: str) -> str:
        """Year/Month/Day columns (TimelineJS's template) as "2019-06-20"."""
        year, month, day = (cell(prefix + k) for k in ("year", "month", "day"))
        if not year:
            return ""
        if day and not month:
            return f"{year} (a day without a month)"
        return "-".join([year.zfill(4)] + [p.zfill(2) for p in (month, day) if p])

    def _choice(self, value: str, label: str, allowed: tuple[str, ...],
                why: list[str]) -> str | None:
        if not value:
            return None
        for option in allowed:
            if option.casefold() == " ".join(value.split()).casefold():
                return option
        why.append(f"{label} {value!r} is not one of: {', '.join(allowed)}")
        return None

    def _quotes(self, cell, number: int, why: list[str]) -> list[Quote]:
        text = cell("quote")
        title, url = cell("quote_source"), cell("quote_source_url")
        publisher, reliability = cell("quote_source_publisher"), cell("quote_source_reliability")
        credibility = cell("quote_credibility")
        if reliability and reliability.upper() not in RELIABILITY:
            why.append(f"quote_source_reliability {reliability!r} is not a letter A-F")
            reliability = ""
        grade = None
        if credibility:
            if credibility in ("1", "2", "3", "4", "5", "6"):  # not isdigit(): "²", "٣"
                grade = int(credibility)
            else:
                why.append(f"quote_credibility {credibility!r} is not a number from 1 to 6")
        if not text:
            if cell("quote_speaker") or credibility:
                why.append("quote_speaker or quote_credibility without a quote")
            elif (title or url) and not why:
                # A spreadsheet's Source and URL columns, with no quote: a source is cited
                # by a quote, so the event's notes name it (it was only listed, its event
                # cut off from it).
                self._source(title, url, publisher, reliability, number)
                self._uncited.append((number, self.registry.source(title, url)))
            return []
        if not (title or url):
            why.append("the quote has no quote_source (title) or quote_source_url")
            return []
        if why:
            return []
        source = self._source(title, url, publisher, reliability, number)
        return [Quote(text, source, cell("quote_speaker") or None, grade)]

    def _source(self, title: str, url: str, publisher: str, reliability: str,
                number: int) -> str:
        source = self.registry.source(title, url)
        for attr, value in (("publisher", publisher), ("reliability", reliability.upper())):
            if not value:
                continue
            known = getattr(source, attr)
            if not known:
                setattr(source, attr, value)
            elif known != value:
                self.report.add(f"row {number}", f"source {source.title!r} has the {attr} "
                                f"{known!r} in an earlier row; {value!r} was not used")
        return source.id

    def assign_ids(self, events: list[Event]) -> None:
        """Rows without an id get one made from the title, unlike any id given in the file."""
        used = TakenIds(self._given_ids)
        for e in events:
            if not e.id:
                e.id = unique_id(slug(e.title, "event"), used)


def _with_source(notes: str, source: Source) -> str:
    """`notes`, then a line naming `source` (linked when it has a URL)."""
    named = escape(source.title)
    if source.url and source.url != source.title:
        named = f"[{named}](<{source.url}>)" if "<" not in source.url and ">" not in source.url \
            else f"{named} ({escape(source.url)})"
    line = f"Source: {named}"
    return f"{notes.rstrip()}\n\n{line}" if notes.strip() else line
