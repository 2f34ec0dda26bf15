"""CSV, TimelineJS and Markdown: round trips, the mappings, the reports and bad input."""

import csv
import io
import json
import os
import random
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.export.formats import write_csv, write_markdown, write_timelinejs
from briefing_app.export.options import select_events
from briefing_app.model import csv_format, storage, timelinejs
from briefing_app.model.briefing import (
    CONFIDENCES,
    LIKELIHOODS,
    Actor,
    Briefing,
    Event,
    Quote,
    Source,
)
from briefing_app.model.dates import parse_date
from briefing_app.model.errors import LoadError
from briefing_app.model.importing import import_file, import_text
from briefing_app.model.markdown import render_markdown
from briefing_app.model.markdown_export import (
    escape,
    html_to_markdown,
    markdown_document,
    to_markdown,
)
from briefing_app.model.search import Query

# --- a generated briefing --------------------------------------------------------------

_DATE_FORMS = (
    lambda r, y: f"{y}",
    lambda r, y: f"{y}-{r.randint(1, 12):02d}",
    lambda r, y: f"{y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    lambda r, y: f"{r.choice(['early', 'mid', 'late'])} {y}",
    lambda r, y: f"Q{r.randint(1, 4)} {y}",
    lambda r, y: f"c. {y}",
    lambda r, y: f"{y}-{r.randint(1, 12):02d}?",
    lambda r, y: f"c. {y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    lambda r, y: f"{y}/{y + r.randint(1, 3)}",
    lambda r, y: f"{y}-03-05/{y}-0{r.randint(4, 9)}-11",
    lambda r, y: f"before {y}",
    lambda r, y: f"after {y}",
)
_ACTOR_NAMES = ("United States (government)", "Perú", "COSCO Shipping Ports", "Press (WSJ, FT)",
                "Ministry of Defence", "Volcan Compañía Minera", "Analyst \"X\"", "NATO & EU")
_WORDS = ("port", "navy", "Chancay", "base", "deal", "<signed>", "*draft*", "Q&A", "50%",
          "São Paulo", "[sic]", "under_score", "#1", "— note", "1. step")


def make_briefing(n: int, seed: int = 8) -> Briefing:
    """`n` events of every date form, with actors, tags, quotes and awkward characters."""
    r = random.Random(seed)
    actors = [Actor(f"a{i}", name) for i, name in enumerate(_ACTOR_NAMES)]
    sources = [Source(f"s{i}", f"Source {i}: {r.choice(_WORDS)}",
                      url=f"https://example.org/{i}?a=1&b=2" if i % 3 else "",
                      reliability=r.choice("ABCDEF") if i % 2 else None) for i in range(25)]
    events = []
    for i in range(n):
        year = r.randint(1950, 2030)
        date = parse_date(r.choice(_DATE_FORMS)(r, year))
        end = None
        if i % 9 == 0 and date.kind == "point":
            end = parse_date(f"{year + r.randint(1, 4)}-{r.randint(1, 12):02d}")
        quotes = [Quote(f"Quote {i}: " + " ".join(r.sample(_WORDS, 4)) + ("\nsecond line" if
                                                                          i % 7 == 0 else ""),
                        r.choice(sources).id, speaker=r.choice([None, "A speaker", "Gen. Ö"]),
                        credibility=r.choice([None, 1, 2, 3, 6]))
                  for _ in range(r.choice([0, 1, 1, 2]))]
        notes = r.choice(["", "Plain **bold** note.", "- item *one*\n- item two",
                          "Para one with [a link](https://example.org/x_y).\n\nPara two."])
        events.append(Event(
            f"event-{i}", f"Event {i}: " + " ".join(r.sample(_WORDS, 3)), date, end,
            [a.id for a in r.sample(actors, r.randint(0, 3))],
            r.sample(["navy", "trade", "follow-up", "Chancay", "us-peru"], r.randint(0, 3)),
            notes, quotes, r.choice((None, *LIKELIHOODS)), r.choice((None, *CONFIDENCES))))
    return Briefing(title="Generated & tested", summary="A *generated* briefing.",
                    classification="UNCLASSIFIED", updated="2026-01-01", actors=actors,
                    sources=sources, events=events)


@pytest.fixture(scope="module")
def generated():
    return make_briefing(1000)


def actor_names(briefing, event):
    return [briefing.actor(a).name for a in event.actors]


def first_quote(briefing, event):
    if not event.quotes:
        return None
    q = event.quotes[0]
    source = briefing.source(q.source)
    return q.text, q.speaker, q.credibility, source.title, source.url


def same_date(a, b):
    """The same days at the same precision (the text may read "2019-01-23" or "23 Jan 2019")."""
    return a is b is None or (a is not None and b is not None
                              and (a.kind, a.parts) == (b.kind, b.parts))


def assert_round_trip(original, back, exact_dates):
    assert len(back.events) == len(original.events)
    for e, f in zip(original.events, back.events, strict=True):
        assert f.title == e.title
        if exact_dates:
            assert (f.date.text, f.end and f.end.text) == (e.date.text, e.end and e.end.text)
        assert same_date(e.date, f.date), (e.date.text, f.date.text)
        assert same_date(e.end, f.end), (e.end, f.end)
        assert actor_names(back, f) == actor_names(original, e)
        assert f.tags == e.tags
        assert first_quote(back, f) == first_quote(original, e)
        assert (f.id, f.likelihood, f.confidence) == (e.id, e.likelihood, e.confidence)


def reimport(text, name):
    briefing, report = import_text(text, name)
    assert storage.parse_briefing(name, storage.to_json(briefing)) == briefing  # valid
    return briefing, report


# --- round trips -------------------------------------------------------------------------

def test_csv_round_trip_keeps_the_bundled_briefing(briefing):
    text, _ = csv_format.to_csv(briefing)
    back, report = reimport(text, "bundled.csv")
    assert_round_trip(briefing, back, exact_dates=True)
    assert [e.notes for e in back.events] == [e.notes for e in briefing.events]
    assert report.lines == []


def test_timelinejs_round_trip_keeps_the_bundled_briefing(briefing):
    data, _ = timelinejs.to_timelinejs(briefing)
    back, report = reimport(json.dumps(data), "bundled.json")
    assert_round_trip(briefing, back, exact_dates=False)
    assert [e.notes for e in back.events] == [e.notes for e in briefing.events]
    assert render_markdown(back.summary) == render_markdown(briefing.summary)
    assert (back.title, back.classification, back.updated) == (
        briefing.title, briefing.classification, briefing.updated)
    assert report.lines == []


def test_csv_round_trip_keeps_1000_generated_events(generated):
    text, _ = csv_format.to_csv(generated)
    back, _ = reimport(text, "generated.csv")
    assert_round_trip(generated, back, exact_dates=True)


def test_timelinejs_round_trip_keeps_1000_generated_events(generated):
    data, _ = timelinejs.to_timelinejs(generated)
    back, report = reimport(json.dumps(data), "generated.json")
    assert_round_trip(generated, back, exact_dates=False)
    assert [render_markdown(e.notes) for e in back.events] == [
        render_markdown(e.notes) for e in generated.events]
    assert report.lines == []


def test_writers_use_the_export_filters(briefing, tmp_path):
    query = Query(tags=frozenset({"dsca"}))
    chosen = [e.title for e in select_events(briefing, query)]
    assert 0 < len(chosen) < len(briefing.events)
    result = write_csv(briefing, tmp_path / "f.csv", query)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8"))))
    assert [row["title"] for row in rows] == chosen and result.events == len(chosen)
    write_timelinejs(briefing, tmp_path / "f.json", query)
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert [e["text"]["headline"] for e in data["events"]] == [escape_html(t) for t in chosen]
    write_markdown(briefing, tmp_path / "f.md", query)
    headings = [line for line in (tmp_path / "f.md").read_text().splitlines()
                if line.startswith("### ")]
    assert len(headings) == len(chosen)


def escape_html(text):
    import html

    return html.escape(text, quote=False)


# --- CSV ---------------------------------------------------------------------------------

def test_csv_columns_and_cells(briefing):
    text, left_out = csv_format.to_csv(briefing)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == csv_format.COLUMNS
    row = dict(zip(rows[0], rows[2], strict=True))
    event = briefing.events[1]
    assert row["actors"] == "; ".join(actor_names(briefing, event))
    assert row["tags"] == "; ".join(event.tags)
    assert row["quote"] == event.quotes[0].text
    assert row["quote_source"] == briefing.source(event.quotes[0].source).title
    assert any("only the first" in line for line in left_out)


FORMULA_LIKE = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2", "@SUM(A1)",
                "\tTab", "\rReturn", "- a list\n- in notes", "'=already quoted", "''+two",
                "'tis the text's own apostrophe")


def test_csv_cells_never_start_like_a_formula_and_read_back_unchanged():
    """A spreadsheet runs a cell starting with = + - @ (tab, CR) as a formula: CSV injection."""
    briefing = Briefing(
        actors=[Actor("a", "=cmd|' /C calc'!A0")],
        sources=[Source("s", "+Source", url="https://s.example", reliability="B")],
        events=[Event(f"e{i}", value, parse_date("2019"), actors=["a"], tags=[value],
                      notes=value, quotes=[Quote(value, "s", speaker=value)])
                for i, value in enumerate(FORMULA_LIKE)])
    text, _ = csv_format.to_csv(briefing)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row
    assert rows[1][1] == "'" + FORMULA_LIKE[0]
    back, _ = reimport(text, "f.csv")
    for value, e in zip(FORMULA_LIKE, back.events, strict=True):
        quote = e.quotes[0]
        assert e.notes == value  # the other cells are read trimmed, as they always were
        assert (e.title, e.tags, quote.text, quote.speaker) == (
            value.strip(), [value.strip()], value.strip(), value.strip())
    assert [a.name for a in back.actors] == ["=cmd|' /C calc'!A0"]
    assert back.sources[0].title == "+Source"


def test_csv_file_starts_with_a_bom_so_excel_reads_utf8(briefing, tmp_path):
    """Without it Excel decodes the file as the Windows code page: "PerÃº (government)"."""
    write_csv(briefing, tmp_path / "e.csv")
    data = (tmp_path / "e.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,date,")
    assert "Compañía" in data.decode("utf-8-sig")
    back, _ = import_file(tmp_path / "e.csv")
    assert [e.id for e in back.events] == [e.id for e in briefing.events]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_import_finds_the_delimiter_and_header_synonyms(delimiter):
    rows = [["Headline", "Start Date", "End", "Who", "Description", "Category", "Media"],
            ["Signing", "2019", "", "Perú; COSCO", "Notes, with a comma", "port", "x.jpg"],
            ["Closing", "late 2024", "2025-03", "cosco", "", "", ""]]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    briefing, report = import_text(out.getvalue(), "events.csv")
    first, second = briefing.events
    assert (first.title, first.date.text, first.notes, first.tags) == (
        "Signing", "2019", "Notes, with a comma", ["port"])
    assert [a.name for a in briefing.actors] == ["Perú", "COSCO"]
    assert [a.id for a in briefing.actors] == ["peru", "cosco"]
    assert second.actors == ["cosco"] and second.end.text == "2025-03"
    assert first.extra == {"csv": {"Media": "x.jpg"}} and second.extra == {}
    assert report.lines == ["events.csv: column 7 'Media': is not a briefing field; its values "
                            "are kept in each event's extra \"csv\""]
    assert [e.id for e in briefing.events] == ["signing", "closing"]


def test_csv_import_says_when_a_comma_made_one_actor_or_tag_of_several():
    """A spreadsheet's "Who" of "Peruvian Navy, COSCO" became one actor of that name, a
    lane of its own, without a word; the names are not split (a name may hold a comma),
    but the report says what happened and how to write several."""
    text = ("Date,Headline,Who,Tags\n"
            "2019,A,\"Peruvian Navy, COSCO\",\"port, navy\"\n"
            "2020,B,Peruvian Navy; COSCO,port\n"
            "2021,C,\"Ministry of Defence, Peru; COSCO\",\n")
    briefing, report = import_text(text, "who.csv")
    assert [a.name for a in briefing.actors] == [
        "Peruvian Navy, COSCO", "Peruvian Navy", "COSCO", "Ministry of Defence, Peru"]
    assert report.lines == [
        "who.csv: column 3 'Who': 1 cell with a comma and no \";\" became one actor, "
        "e.g. 'Peruvian Navy, COSCO'; several are separated by \";\": rows (2)",
        "who.csv: column 4 'Tags': 1 cell with a comma and no \";\" became one tag, "
        "e.g. 'port, navy'; several are separated by \";\": rows (2)"]


def test_csv_import_reads_timelinejs_spreadsheet_date_columns():
    text = "Year,Month,Day,End Year,Headline\n2019,6,,2020,A\n2021,,,,B\n999,6,5,,C\n"
    briefing, _ = import_text(text, "sheet.csv")
    assert [(e.date.text, e.end and e.end.text) for e in briefing.events] == [
        ("2019-06", "2020"), ("2021", None), ("0999-06-05", None)]


def test_csv_import_makes_sources_from_title_and_url():
    text = ("title,date,quote,quote_source,quote_source_url,quote_credibility,"
            "quote_source_reliability\n"
            "A,2019,Said one,Paper,https://p.example,2,B\n"
            "B,2020,Said two,Paper,https://p.example,,\n"
            "C,2021,Said three,,https://other.example,,\n")
    briefing, _ = import_text(text, "q.csv")
    assert [(s.id, s.title, s.url, s.reliability) for s in briefing.sources] == [
        ("paper", "Paper", "https://p.example", "B"),
        ("https-other-example", "https://other.example", "https://other.example", None)]
    assert [e.quotes[0].source for e in briefing.events] == ["paper", "paper",
                                                             "https-other-example"]
    assert briefing.events[0].quotes[0].grade(briefing.sources[0]) == "B2"


def test_csv_import_reads_choices_as_typed_and_reports_a_source_s_second_publisher():
    text = ("title,date,likelihood,confidence,quote,quote_source,quote_source_publisher,"
            "quote_source_reliability\n"
            "A,2019,Almost  Certain,HIGH,Said one,Paper,Daily,b\n"
            "B,2020,,,Said two,Paper,Weekly,\n")
    briefing, report = import_text(text, "q.csv")
    event = briefing.events[0]
    assert (event.likelihood, event.confidence) == ("almost certain", "high")
    assert [(s.title, s.publisher, s.reliability) for s in briefing.sources] == [
        ("Paper", "Daily", "B")]
    assert any("row 3" in line and "'Daily' in an earlier row; 'Weekly' was not used" in line
               for line in report.lines), report.lines


def test_csv_import_refuses_every_bad_row_at_once():
    text = ("id,title,date,end,confidence,quote,quote_credibility\n"
            "a,Fine,2019,,,,\n"
            "b,,2019,,,,\n"
            "c,Bad date,sometime,,,,\n"
            "a,Duplicate id,2019,,,,\n"
            "d,Ends early,2020,2019,,,\n"
            "e,Odd confidence,2019,,sure,,\n"
            "f,Quote without source,2019,,,Words,9\n")
    with pytest.raises(LoadError) as info:
        import_text(text, "bad.csv")
    problems = info.value.problems
    assert problems[:6] == [
        "bad.csv: row 3: no title",
        "bad.csv: row 4: date 'sometime' is not a date (not a recognised form)",
        "bad.csv: row 5: duplicate id 'a' (also row 2)",
        "bad.csv: row 6: end '2019' is before the date '2020'",
        "bad.csv: row 7: confidence 'sure' is not one of: low, moderate, high",
        "bad.csv: row 8: quote_credibility '9' is not a number from 1 to 6; the quote has "
        "no quote_source (title) or quote_source_url",
    ]
    assert "dates are written like" in problems[-1]


@pytest.mark.parametrize("text, message", [
    ("title,date\n", "no events: the file has a header row and no data rows"),
    ("title,date\n,,\n\n", "no events: every row after the header is empty"),
    ("when it happened,what\n2019,x\n", "row 1: no recognised column names"),
    ("title,notes\nA,x\n", "row 1: no date column"),
    ("title,date\nA,2019,extra cell\n", "row 2: 3 cells but the header has 2"),
    ('title,date\n"A,2019\n', "not readable as comma-separated values"),
    ("title,year,day\nA,2019,5\n", "row 2: date '2019 (a day without a month)' is not a date"),
    ("title,date,quote_speaker\nA,2019,Gen. X\n",
     "row 2: quote_speaker or quote_credibility without a quote"),
])
def test_csv_import_problems_name_the_file_and_row(text, message):
    with pytest.raises(LoadError) as info:
        import_text(text, "in.csv")
    assert any(p.startswith("in.csv") and message in p for p in info.value.problems), \
        info.value.problems


# --- TimelineJS ----------------------------------------------------------------------------

def _one_event(date, end=None):
    b = Briefing(title="T", events=[Event("e", "E", parse_date(date),
                                          parse_date(end) if end else None)])
    data, _ = timelinejs.to_timelinejs(b)
    return data["events"][0]


@pytest.mark.parametrize("date, start, end, display", [
    ("2019", {"year": 2019}, None, "2019"),
    ("2019-06", {"year": 2019, "month": 6}, None, "June 2019"),
    ("2019-06-20", {"year": 2019, "month": 6, "day": 20}, None, "20 Jun 2019"),
    ("late 2024", {"year": 2024, "month": 9}, {"year": 2024, "month": 12}, "late 2024"),
    ("Q2 2024", {"year": 2024, "month": 4}, {"year": 2024, "month": 6}, "Q2 2024"),
    ("c. 2019", {"year": 2019}, None, "c. 2019"),
    ("2023/2024", {"year": 2023}, {"year": 2024}, "2023–2024"),
    ("before 2020", {"year": 2019}, None, "before 2020"),
    ("after 2019-06", {"year": 2019, "month": 7}, None, "after June 2019"),
    # An open start before a part of a year or a quarter stands at its last month, the days
    # its label covers: at the first month (May) it read back as "May 2024".
    ("before late 2024", {"year": 2024, "month": 8}, None, "before late 2024"),
    ("before Q1 2024", {"year": 2023, "month": 12}, None, "before Q1 2024"),
    ("after late 2024", {"year": 2025, "month": 1}, None, "after late 2024"),
])
def test_timelinejs_dates_keep_their_precision(date, start, end, display):
    slide = _one_event(date)
    assert slide["start_date"] == start and slide.get("end_date") == end
    assert slide["display_date"] == display
    back, report = import_text(json.dumps({"events": [slide]}), "t.json")
    assert same_date(back.events[0].date, parse_date(date)) and back.events[0].end is None
    assert report.lines == []


def test_timelinejs_open_start_before_a_part_of_a_year_with_an_end_reads_back():
    slide = _one_event("before mid 2024", "2025")
    back, report = import_text(json.dumps({"events": [slide]}), "t.json")
    assert same_date(back.events[0].date, parse_date("before mid 2024"))
    assert same_date(back.events[0].end, parse_date("2025")) and report.lines == []


def test_timelinejs_event_with_an_end_labels_each_side():
    slide = _one_event("late 2024", "Q1 2025")
    assert slide["start_date"] == {"year": 2024, "month": 9, "display_date": "late 2024"}
    assert slide["end_date"] == {"year": 2025, "month": 3, "display_date": "Q1 2025"}
    back, _ = import_text(json.dumps({"events": [slide]}), "t.json")
    event = back.events[0]
    assert (event.date.text, event.end.text) == ("late 2024", "Q1 2025")


def test_timelinejs_quote_goes_to_media_as_a_blockquote(briefing):
    data, _ = timelinejs.to_timelinejs(briefing)
    media = data["events"][1]["media"]
    quote = briefing.events[1].quotes[0]
    source = briefing.source(quote.source)
    assert media["url"] == f"<blockquote>{quote.text}</blockquote>"
    assert media["credit"] == f'<a href="{source.url}">{source.title}</a>'
    assert media["caption"] == f"{quote.speaker} · grade {quote.grade(source)}"


FOREIGN = {
    "title": {"text": {"headline": "Space race", "text": "<p>From <b>Sputnik</b> on.</p>"},
              "media": {"url": "https://example.org/cover.jpg"}},
    "eras": [{"start_date": {"year": 1957}, "end_date": {"year": 1969},
              "text": {"headline": "Early years"}}],
    "events": [
        {"start_date": {"year": "1957", "month": "10", "day": "4", "hour": "19"},
         "text": {"headline": "Sputnik 1", "text": "<p>First satellite.<br>Launched.</p>"},
         "media": {"url": "https://example.org/sputnik.jpg", "caption": "Sputnik"},
         "group": "USSR", "background": {"color": "#000"}},
        {"start_date": {"year": 1961}, "display_date": "Spring 1961",
         "text": {"headline": "Gagarin"}, "autolink": False},
        {"start_date": {"year": 1969, "month": 7}, "end_date": {"year": 1969, "month": 7},
         "text": {"headline": "Apollo 11"},
         "media": {"url": "<blockquote>One small step</blockquote>",
                   "credit": "NASA transcript", "caption": "Neil Armstrong"}},
    ],
}


def test_timelinejs_slide_text_links_events_by_anchor_and_lists_only_what_there_is():
    briefing = Briefing(events=[
        Event("e1", "One", parse_date("2019"), notes="See [the deal](event:e2)."),
        Event("e2", "Two", parse_date("2020"), tags=["port"])])
    one, two = (slide["text"]["text"] for slide in timelinejs.to_timelinejs(briefing)[0]["events"])
    assert 'href="#event-e2"' in one and "event:" not in one  # TimelineJS's own bookmarks
    assert "briefing-meta" not in one
    assert "<strong>Tags:</strong> port" in two and "Actors:" not in two


def test_timelinejs_credit_links_only_a_source_with_a_url():
    briefing = Briefing(sources=[Source("s", "Cable")], events=[
        Event("e", "E", parse_date("2019"), quotes=[Quote("Words.", "s")])])
    media = timelinejs.to_timelinejs(briefing)[0]["events"][0]["media"]
    assert media["credit"] == "Cable" and "caption" not in media


def test_a_kept_image_s_caption_does_not_attach_to_a_quote_added_later():
    briefing, _ = import_text(json.dumps(FOREIGN), "space.json")
    briefing.sources.append(Source("s", "Cable"))
    briefing.events[0].quotes.append(Quote("Words.", "s"))
    media = timelinejs.to_timelinejs(briefing)[0]["events"][0]["media"]
    assert media == {"url": "<blockquote>Words.</blockquote>", "credit": "Cable"}


def test_timelinejs_import_keeps_tags_and_ids_unique():
    slide = {"start_date": {"year": 2019}, "unique_id": "a", "group": "Navy",
             "text": {"headline": "A", "text": '<p class="briefing-meta">Tags: Navy</p>'}}
    briefing, report = import_text(json.dumps({"events": [slide, slide]}), "t.json")
    assert [(e.id, e.tags) for e in briefing.events] == [("a", ["Navy"]), ("a-2", ["Navy"])]
    assert "t.json: events[1].unique_id: 'a' is used twice; this event's id is 'a-2'" in \
        report.lines


def test_timelinejs_import_maps_what_fits_and_reports_the_rest():
    briefing, report = import_text(json.dumps(FOREIGN), "space.json")
    sputnik, gagarin, apollo = briefing.events
    assert briefing.title == "Space race" and briefing.summary == "From **Sputnik** on."
    assert [e.date.text for e in briefing.events] == ["1957-10-04", "1961", "1969-07"]
    assert apollo.end is None  # an end equal to the start says nothing more
    assert sputnik.notes == "First satellite.  \nLaunched."
    assert sputnik.tags == ["USSR"] and sputnik.actors == []
    assert apollo.quotes[0].text == "One small step"
    assert apollo.quotes[0].speaker == "Neil Armstrong"
    assert briefing.source(apollo.quotes[0].source).title == "NASA transcript"
    assert sputnik.extra["timelinejs"] == {
        "start_date": {"hour": "19"}, "background": {"color": "#000"},
        "media": {"url": "https://example.org/sputnik.jpg", "caption": "Sputnik"}}
    assert gagarin.extra["timelinejs"]["display_date"] == "Spring 1961"
    assert briefing.extra["timelinejs"]["eras"] == FOREIGN["eras"]
    lines = "\n".join(report.lines)
    for expected in ("space.json: eras[0]: era 'Early years' (1957–1969)",
                     "space.json: title.media: the media item",
                     "space.json: events[0].start_date: the time of day",
                     "space.json: events[0].media: the media item "
                     "'https://example.org/sputnik.jpg'",
                     "space.json: events[0].background: the background",
                     "space.json: events[0].group: 'USSR' is not one of the event's actors",
                     "space.json: events[1].display_date: 'Spring 1961' is not a date",
                     "space.json: events[1].autolink: the field 'autolink'"):
        assert expected in lines
    assert len(report.lines) == 8


def test_timelinejs_export_puts_back_what_an_import_kept():
    briefing, _ = import_text(json.dumps(FOREIGN), "space.json")
    data, _ = timelinejs.to_timelinejs(briefing)
    assert data["eras"] == FOREIGN["eras"]
    assert data["title"]["media"] == FOREIGN["title"]["media"]
    sputnik = data["events"][0]
    assert sputnik["media"] == FOREIGN["events"][0]["media"]
    assert sputnik["start_date"] == {"year": 1957, "month": 10, "day": 4, "hour": "19"}
    assert sputnik["background"] == {"color": "#000"}


@pytest.mark.parametrize("start, label, read", [
    ({"year": 2019}, "late 2024", "2019"),
    ({"year": 2019, "month": 6}, "June 2019 – 2020", "2019-06"),  # only its start agrees
])
def test_a_display_date_that_disagrees_is_reported_and_the_fields_win(start, label, read):
    slide = {"start_date": start, "display_date": label, "text": {"headline": "A"}}
    briefing, report = import_text(json.dumps({"events": [slide]}), "t.json")
    assert briefing.events[0].date.text == read
    assert "does not cover the same days" in report.lines[0]


def test_a_display_date_that_covers_start_and_end_is_the_date():
    slide = {"start_date": {"year": 2019, "month": 1}, "end_date": {"year": 2019, "month": 12},
             "display_date": "2019", "text": {"headline": "A"}}
    briefing, report = import_text(json.dumps({"events": [slide]}), "t.json")
    event = briefing.events[0]
    assert (event.date.text, event.end, report.lines) == ("2019", None, [])


def test_imported_events_without_a_title_can_be_saved_and_opened(tmp_path):
    # The loader refuses a blank event title: an import must never make one. TimelineJS
    # titles the slide from its text, else "Untitled event", and says so; a CSV row is refused.
    slides = [{"start_date": {"year": 2019}, "text": {"headline": "&nbsp; <b> </b>",
                                                      "text": "<p>Words of the slide.</p>"}},
              {"start_date": {"year": 2020}, "text": {"headline": "   "}}]
    briefing, report = import_text(json.dumps({"events": slides}), "t.json")
    assert [e.title for e in briefing.events] == ["Words of the slide.", "Untitled event"]
    assert report.lines == [
        "t.json: events[0].text.headline: is empty; the event is titled 'Words of the slide.'",
        "t.json: events[1].text.headline: is empty; the event is titled 'Untitled event'"]
    storage.save(briefing, tmp_path / "t-briefing.json")
    assert storage.load(tmp_path / "t-briefing.json") == briefing
    with pytest.raises(LoadError) as info:
        import_text("title,date\nFine,2019\n  \t ,2020\n", "t.csv")
    assert info.value.problems == ["t.csv: row 3: no title"]


@pytest.mark.parametrize("events, message", [
    ([{"start_date": {"month": 6}, "text": {"headline": "A"}}],
     "t.json: events[0].start_date.year: is missing"),
    ([{"text": {"headline": "A"}}], "t.json: events[0].start_date: is missing"),
    ([{"start_date": {"year": -500}}], "t.json: events[0].start_date.year: -500: years before"),
    ([{"start_date": {"year": 2019, "month": 2, "day": 30}}],
     "t.json: events[0].start_date.day: 2019-02 has no day 30"),
    ([{"start_date": {"year": "twenty"}}],
     "t.json: events[0].start_date.year: 'twenty' is not a whole"),
    ([{"start_date": {"year": 2020}, "end_date": {"year": 2019}}],
     "t.json: events[0].end_date: is before the start_date"),
    ([], "t.json: events: the timeline has no events"),
    ([{"start_date": {"year": 2019}, "text": {"text": "<div>" * 20000}}],
     "t.json: the HTML in the timeline's text is nested too deeply"),
    (["x"], "t.json: events[0]: must be an object"),
])
def test_timelinejs_import_problems_name_the_json_path(events, message):
    with pytest.raises(LoadError) as info:
        import_text(json.dumps({"title": {"text": {"headline": "T"}}, "events": events}),
                    "t.json")
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_our_own_format_is_imported_as_it_is(bundled_path, briefing):
    imported, report = import_file(bundled_path)
    assert imported == briefing and report.kind == "briefing" and report.lines == []


# --- Markdown ------------------------------------------------------------------------------

def test_markdown_document_reads_in_date_order_with_quotes_and_sources(briefing):
    text = to_markdown(briefing)
    lines = text.splitlines()
    assert lines[0] == f"# {briefing.title}"
    assert f"**{briefing.classification}** · Updated {briefing.updated}" in lines
    headings = [line for line in lines if line.startswith("### ")]
    ordered = sorted(briefing.events, key=Event.sort_key)
    assert headings == [f"### {escape(e.date_label())} — {escape(e.title)}" for e in ordered]
    quote = briefing.events[1].quotes[0]
    source = briefing.source(quote.source)
    assert (f"> — {quote.speaker}, *{escape(source.title)}* \\[2\\] "
            f"(grade {quote.grade(source)})") in lines
    assert "## Sources" in lines
    assert f"1. **{escape(briefing.sources[0].title)}**" in text
    assert "\x00" not in text


def test_markdown_document_sorts_by_date_and_a_filtered_one_lists_only_sources_it_cites():
    b = Briefing(title="T", sources=[Source("s1", "First"), Source("s2", "Second"),
                                     Source("s3", "Third", url="https://x.example/a b")],
                 events=[Event("late", "Late", parse_date("2024"), quotes=[Quote("Q", "s2")]),
                         Event("early", "Early", parse_date("2019"), quotes=[Quote("Q", "s3")])])
    text = to_markdown(b)
    assert text.index("### 2019 — Early") < text.index("### 2024 — Late")
    # numbered as first cited, in date order; a URL with a space is no <autolink>
    assert "1. **Third**. https://x.example/a b\n2. **Second**.\n3. **First**." in text
    filtered = to_markdown(b, [b.events[0]])
    assert "1. **Second**." in filtered and "First" not in filtered and "Third" not in filtered


def test_markdown_export_reports_what_it_leaves_out(tmp_path):
    """The Markdown export reported nothing: actor colours and other tools' fields were
    dropped without a word, while the CSV and TimelineJS exports list them."""
    b = Briefing(title="T", actors=[Actor("a", "A", "#ff0000", extra={"x": 1})],
                 sources=[Source("s", "Paper", extra={"y": 2})], extra={"z": 3},
                 events=[Event("e", "E", parse_date("2019"), actors=["a"], extra={"w": 4},
                               quotes=[Quote("Q", "s")]),
                         Event("f", "F", parse_date("2020"), quotes=[Quote("Q", "s",
                                                                           extra={"v": 5})])])
    left_out = write_markdown(b, tmp_path / "f.md").left_out
    assert left_out == ["actor colours: actors are written by name",
                        "2 events have fields of other tools (e, f)",
                        "fields of other tools in the briefing, 1 actor and 1 source"]
    plain = Briefing(title="T", actors=[Actor("a", "A")],
                     events=[Event("e", "E", parse_date("2019"), actors=["a"])])
    assert write_markdown(plain, tmp_path / "g.md").left_out == []


def test_cli_markdown_export_prints_what_it_leaves_out(bundled_path, tmp_path):
    result = run_cli("export", bundled_path, "--md", tmp_path / "out.md")
    assert result.returncode == 0, result.stderr
    assert "left out: actor colours" in result.stderr


def test_markdown_quotes_keep_every_line_inside_the_quote():
    """An original of several paragraphs ended the block quote after its first line: the
    rest read as the analyst's own text, and the attribution became a quote of its own;
    the lines of a verbatim quote ran together into one."""
    quote = Quote("First line\nsecond line\n\nNew paragraph", "s", "Speaker", translated=True,
                  original="Primera línea\nsegunda línea\n\nOtro párrafo")
    b = Briefing(title="T", sources=[Source("s", "Paper")],
                 events=[Event("e", "E", parse_date("2019"), quotes=[quote])])
    text = to_markdown(b)
    block = text[text.index("> First line"):text.index("## Sources")].rstrip("\n").split("\n")
    assert all(line.startswith(">") for line in block), block
    assert block[-1] == "> — Speaker, *Paper* \\[1\\] (translated)"
    html = render_markdown(text)
    assert html.count("<blockquote>") == 1
    inside = html[html.index("<blockquote>"):html.index("</blockquote>")]
    for words in ("First line<br", "Primera línea<br", "segunda línea", "Otro párrafo",
                  "— Speaker"):
        assert words in inside, inside


def test_markdown_quote_lines_indented_four_spaces_are_not_code():
    """A quote whose lines were indented 4 spaces or a tab became a code block in the quote."""
    quote = Quote("    Indented *line*\n\tand a tab\n\n      after a blank", "s", "Speaker",
                  original="    Línea")
    b = Briefing(title="T", sources=[Source("s", "Paper")],
                 events=[Event("e", "E", parse_date("2019"), quotes=[quote])])
    text = to_markdown(b)
    assert "> Indented \\*line\\*  \n> and a tab\n>\n> after a blank\n" in text
    html = render_markdown(text)
    assert "<pre>" not in html and "<code>" not in html
    assert "<p>Indented *line*<br>" in html and "<p><em>Original:</em> Línea</p>" in html


def test_markdown_quotes_of_an_event_stay_apart():
    """Python-Markdown (the app's renderer) joined an event's quotes into one block quote,
    and the first quote with a block quote that ends the notes."""
    quotes = [Quote("First", "s", "One"), Quote("Second", "s", "Two")]
    b = Briefing(title="T", sources=[Source("s", "Paper")],
                 events=[Event("e", "E", parse_date("2019"), notes="Said:\n\n> in the notes",
                               quotes=quotes)])
    text = to_markdown(b)
    assert '<a id="quote-e-1"></a>' in text and '<a id="quote-e-2"></a>' in text
    html = render_markdown(text)
    blocks = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
    assert len(blocks) == 3, html
    assert "in the notes" in blocks[0] and "First" in blocks[1] and "Second" in blocks[2]
    assert "— One" in blocks[1] and "— Two" in blocks[2]


def test_markdown_quote_lines_of_dashes_equals_or_numbers_stay_text():
    """A quote's line of "---" or "===" made the line above a heading (an <h1> in the
    quote), and "1)" started a list in CommonMark."""
    text = "Transcript\n---\nand\n===\n1) first\n - \n="
    b = Briefing(title="T", sources=[Source("s", "Paper")],
                 events=[Event("e", "E", parse_date("2019"), quotes=[Quote(text, "s")])])
    markdown = to_markdown(b)
    assert "> \\---  \n> and  \n> &#61;==  \n> 1\\) first" in markdown
    html = render_markdown(markdown)
    quote = html[html.index("<blockquote>"):html.index("</blockquote>")]
    assert "<h" not in quote and "<hr" not in quote
    assert "Transcript<br>\n---<br>\nand<br>\n===<br>\n1) first<br>\n-<br>\n=" in quote
    for line in ("---", "===", "= =", "1) x", "-", "  --"):
        assert render_markdown("a\n" + escape(line)) == f"<p>a\n{line}</p>"


def test_markdown_demotes_headings_in_notes():
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"),
                                          notes="# Big\n\n```\n# not a heading\n```")])
    text = to_markdown(b)
    assert "#### Big" in text and "\n# not a heading\n" in text


@pytest.mark.parametrize("notes, written", [
    ("Title\n=====\n\ntext", "#### Title\n\ntext"),
    ("Sub\n---", "##### Sub"),
    ("> Quoted\n> ===", "> #### Quoted"),
    ("> # Quoted", "> #### Quoted"),
    ("#Tight", "#### Tight"),
    ("Issue #\n===", "#### Issue \\#"),
    # Headings in CommonMark but not in the app's renderer: written as the app shows them.
    ("one\ntwo\n===", "one\ntwo\n    ==="),
    ("one\ntwo\n---", "one\ntwo\n\n---"),
    ("  # Indented", "  \\# Indented"),
])
def test_markdown_demotes_setext_headings_in_notes(notes, written):
    """A line underlined with "===" or "---" made a top-level heading in the document."""
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text = to_markdown(b)
    assert "\n" + written + "\n" in text
    html = render_markdown(text)
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1 and html.count("<h3>") == 1


def test_markdown_event_links_point_at_the_events_in_the_document(briefing):
    import re

    text = to_markdown(briefing)
    targets = re.findall(r"\]\(#(event-[^)]*)\)", text)
    anchors = set(re.findall(r'<a id="(event-[^"]*)"></a>', text))
    assert targets and "](event:" not in text  # no links that only Briefing understands
    assert set(targets) <= anchors
    assert anchors == {f"event-{e.id}" for e in briefing.events}
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"),
                                          notes="[me](event:e)\n\n```\n[x](event:e)\n```")])
    assert "[me](#event-e)" in to_markdown(b) and "[x](event:e)" in to_markdown(b)


def test_markdown_links_to_events_left_out_by_a_filter_become_plain_text(briefing, tmp_path):
    """With a filter, the notes' links to events that were not exported pointed at anchors
    that were not in the file."""
    import re

    query = Query(tags=frozenset({"chancay"}))
    result = write_markdown(briefing, tmp_path / "f.md", query)
    text = (tmp_path / "f.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"\]\(#(event-[^)\s]*)", text))
    anchors = set(re.findall(r'<a id="([^"]*)"></a>', text))
    assert targets and targets <= anchors
    assert "(not in this export)" in text
    assert any("not in this export, written as plain text" in line for line in result.left_out)
    notes = ("See [the *other*](event:gone \"title\") and [mine](#event-e), "
             "[there](#event-gone) and `[code](event:gone)`.")
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text, left_out = markdown_document(b)
    assert ("See the *other* (not in this export) and [mine](#event-e), there (not in this "
            "export) and `[code](event:gone)`.") in text
    assert left_out == ["2 links to events not in this export, written as plain text (gone)"]


def test_markdown_converts_event_links_in_a_list_items_paragraphs():
    notes = "- item\n\n    more, [see](event:e)\n\n```\n[x](event:e)\n```\n\n    [code](event:e)"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text = to_markdown(b)
    assert "    more, [see](#event-e)" in text
    assert "\n[x](event:e)\n" in text and "    [code](event:e)" in text


def test_markdown_keeps_each_notes_reference_definitions_its_own():
    """Notes that each define "[1]: ..." clashed once they shared one document (every "[1]"
    went to one of the URLs), and a note's "[1]" captured the sources' marker "[1]"."""
    import re

    def note(n):
        return (f"Per [the report][1], [One] and [one][] (also ![chart][1]); `[x][1]` stays.\n\n"
                f"[1]: https://example.org/{n} \"Title {n}\"\n  [ONE]: <https://one.example/{n}>")

    b = Briefing(title="T", sources=[Source("s", "Paper", url="https://paper.example")],
                 summary="See [1].\n\n[1]: https://summary.example",
                 events=[Event(f"e{n}", f"E{n}", parse_date(f"{2018 + n}"), notes=note(n),
                               quotes=[Quote("Q", "s")]) for n in (1, 2)])
    text = to_markdown(b)
    html = render_markdown(text)
    for n in (1, 2):
        part = html.split("<h3>")[n]
        assert f'<a href="https://example.org/{n}" title="Title {n}">the report</a>' in part
        assert part.count(f'href="https://one.example/{n}"') == 2, part
        assert "<code>[x][1]</code>" in part
        assert "— <em>Paper</em> [1]" in part  # the marker is text, not the note's link
    assert '<a href="https://summary.example">1</a>' in html
    assert "[1]: " not in text and len(re.findall(r"^\[e1-1\]: ", text, re.M)) == 1
    fenced = "```\n[1]: https://code.example\n```\n\n[a][1]"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=fenced)])
    assert fenced in to_markdown(b)


def test_markdown_reference_to_an_event_left_out_becomes_plain_text():
    notes = "See [the signing][s] and [the rest][r].\n\n[s]: event:gone\n[r]: event:e"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text, left_out = markdown_document(b)
    assert "See the signing (not in this export) and [the rest][e1-r]." in text
    assert "[e1-r]: #event-e" in text and "event:" not in text
    assert left_out == ["1 link to an event not in this export, written as plain text (gone)"]


def test_markdown_leaves_event_links_in_code_alone():
    notes = "Write `[x](event:e)` to link, [here](event:e).\n\n    [y](event:e)\n"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text = to_markdown(b)
    assert "`[x](event:e)` to link, [here](#event-e)" in text and "    [y](event:e)" in text


def test_copied_text_of_a_quote_without_a_source_has_no_dangling_dash():
    from briefing_app.model.briefing import Quote
    from briefing_app.model.clipboard import copy_text

    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"),
                                          quotes=[Quote("Hello", "")])])
    assert copy_text(b, b.events) == "2019 — E\n“Hello”\n"


def test_copied_text_of_a_quote_cites_it_in_full_and_its_link_only_when_there_is_one():
    from briefing_app.model.clipboard import quote_with_citation

    source = Source("s", "Cable", "State Dept.", "https://s.example/c", parse_date("2024-01-02"),
                    "B")
    quote = Quote("Signed.", "s", "A minister", 2, translated=True, original="Firmado.")
    assert quote_with_citation(quote, source) == (
        "“Signed.” — A minister, Cable, State Dept., 2 Jan 2024 (translated; grade B2). "
        "https://s.example/c\nOriginal: “Firmado.”")
    bare = quote_with_citation(Quote("Signed.", "s"), Source("s", "Cable"))
    assert bare == "“Signed.” — Cable"


def test_pasted_ids_are_unique_among_themselves_and_clashing_actors_are_renamed():
    from briefing_app.model.clipboard import copy_json, merge_for_paste, parse_pasted

    day = parse_date("2024")
    here = Briefing(actors=[Actor("us", "Uruguay")],
                    events=[Event("e1", "A", day, actors=["us"]), Event("e1-2", "B", day)])
    there = Briefing(actors=[Actor("us", "United States")], events=[Event("e1", "One", day)])
    events, _, actors = merge_for_paste(there, parse_pasted(copy_json(here, here.events)))
    assert [e.id for e in events] == ["e1-2", "e1-2-2"]  # not two "e1-2"
    assert [(a.id, a.name) for a in actors] == [("us-2", "Uruguay")]
    assert events[0].actors == ["us-2"]


def test_a_duplicate_gets_a_fresh_id_and_says_it_is_a_copy():
    from briefing_app.model.clipboard import duplicates

    [copy] = duplicates([Event("e", "Talks", parse_date("2024"), tags=["port"])], {"e"})
    assert (copy.id, copy.title, copy.tags) == ("e-2", "Talks (copy)", ["port"])


@pytest.mark.parametrize("theirs", [
    {"reliability": "E"}, {"reliability": None}, {"published": parse_date("2019")},
    {"published": None},
])
def test_a_paste_keeps_the_grade_and_date_of_its_quotes_sources(theirs):
    """A source with the same id, title, publisher and URL but graded or dated otherwise in
    the target was reused: the pasted quote's grade changed from A2 to E2 without a word."""
    from dataclasses import replace

    from briefing_app.model.clipboard import copy_json, merge_for_paste, parse_pasted

    ours = Source("s", "Reuters", "Reuters", "https://r.example/x", parse_date("2024-01-02"),
                  "A")
    quote = Quote("It was signed.", "s", "A minister", 2)
    here = Briefing(sources=[ours], events=[Event("e", "E", parse_date("2024"),
                                                  quotes=[quote])])
    there = Briefing(sources=[replace(ours, **theirs)])
    events, new_sources, _ = merge_for_paste(there, parse_pasted(copy_json(here, here.events)))
    cited = {s.id: s for s in [*there.sources, *new_sources]}[events[0].quotes[0].source]
    assert events[0].quotes[0].grade(cited) == "A2"
    assert cited.published == ours.published
    same = Briefing(sources=[replace(ours)])
    _, added, _ = merge_for_paste(same, parse_pasted(copy_json(here, here.events)))
    assert added == []  # the very same source is still reused


@pytest.mark.parametrize("markdown", [
    "Plain *emphasis*, **strong**, `code` and [a link](https://example.org/a_b).",
    "- one\n- two\n    - nested\n\n1. first\n2. second",
    "> quoted\n>\n> two paragraphs",
    "Text with * star, _under_score_, [brackets] and <angle> & amp;",
    "1\\. not a list\n\n\\# not a heading",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\ncode *raw*\n```",
])
def test_html_back_to_markdown_renders_the_same(markdown):
    rendered = render_markdown(markdown)
    assert render_markdown(html_to_markdown(rendered)) == rendered


# --- the command line ------------------------------------------------------------------------

def run_cli(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "briefing_app", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("flag, name", [("--csv", "out.csv"), ("--timelinejs", "out.json"),
                                        ("--md", "out.md")])
def test_cli_exports_each_format_then_imports_it(bundled_path, tmp_path, flag, name):
    out = tmp_path / name
    result = run_cli("export", bundled_path, flag, out, "--tag", "chancay")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"{out}: ") and out.exists()
    if flag == "--md":
        return
    back = tmp_path / "back.json"
    result = run_cli("import", out, "--to", back)
    assert result.returncode == 0, result.stderr
    assert storage.load(back).events
    assert result.stdout.splitlines()[-1].startswith(f"{back}: ")


def test_cli_export_writes_exactly_one_output(bundled_path, tmp_path):
    result = run_cli("export", bundled_path, "--csv", tmp_path / "a.csv", "--md", tmp_path / "a.md")
    assert result.returncode == 2 and "not allowed with" in result.stderr
    result = run_cli("export", bundled_path, "--csv", tmp_path / "a.csv", "--landscape")
    assert result.returncode == 1 and "--landscape only applies to --pdf" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_import_prints_what_did_not_fit(tmp_path):
    src = tmp_path / "space.json"
    src.write_text(json.dumps(FOREIGN))
    result = run_cli("import", src, "--to", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 9 and all(line.startswith(str(src)) for line in lines[:8])
    assert "3 events" in lines[-1] and "from TimelineJS" in lines[-1]


def test_cli_import_replaces_an_existing_file_only_with_force(bundled_path, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("mine")
    result = run_cli("import", bundled_path, "--to", out)
    assert result.returncode == 1 and "--force" in result.stderr and out.read_text() == "mine"
    assert run_cli("import", bundled_path, "--to", out, "--force").returncode == 0
    assert storage.load(out).title


BAD_INPUT = [
    ("empty.csv", b"", "the file is empty"),
    ("header-only.csv", b"title,date\r\n", "no events"),
    ("no-columns.csv", b"foo,bar\n1,2\n", "row 1: no recognised column names"),
    ("wrong-delimiter.csv", b"title date notes\nA 2019 x\n", "row 1: no recognised column"),
    ("bad-row.csv", b"title;date\nA;2019\nB;someday\n", "row 3: date 'someday'"),
    ("latin1.csv", "title,date\nCompañía,2019\n".encode("latin-1"), ":2:6: not valid UTF-8"),
    ("no-year.json", b'{"events": [{"start_date": {"month": 6}, "text": {"headline": "A"}}]}',
     "events[0].start_date.year: is missing"),
    ("latin1.json", '{"events": [{"start_date": {"year": 2019}, "text": {"headline": "Perú"}}]}'
     .encode("latin-1"), "not valid UTF-8"),
    ("broken.json", b'{"events": [', "broken.json:1:"),
    ("list.json", b"[1, 2]", "must be a JSON object"),
]


@pytest.mark.parametrize("name, content, message", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_cli_import_of_bad_input_exits_1_and_writes_nothing(tmp_path, name, content, message):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.json"
    result = run_cli("import", src, "--to", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith(str(src)) and message in line
               for line in result.stderr.splitlines()), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_semicolon_and_tab_csv_import_from_the_cli(tmp_path):
    for name, text in (("semi.csv", "Title;Start Date\nA;2019\n"),
                       ("tab.tsv", "Headline\tDate\nA\t2019-06\n")):
        src = tmp_path / name
        src.write_text(text, encoding="utf-8")
        result = run_cli("import", src, "--to", tmp_path / (name + ".json"))
        assert result.returncode == 0, result.stderr
        assert storage.load(tmp_path / (name + ".json")).events[0].title == "A"


def test_cli_import_unreadable_source_exits_2(tmp_path):
    result = run_cli("import", tmp_path / "missing.csv", "--to", tmp_path / "out.json")
    assert result.returncode == 2 and "missing.csv" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_cli_export_to_an_unwritable_place_exits_1(bundled_path, tmp_path):
    out = tmp_path / "no-such-folder" / "out.csv"
    result = run_cli("export", bundled_path, "--csv", out)
    assert result.returncode == 1 and str(out) in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


# --- never a traceback -------------------------------------------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**5, 10**5) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["year", "month", "day", "headline", "text", "url", "credit", "caption",
                         "display_date", "start_date", "end_date", "media", "group", "x"]),
        inner, max_size=4),
    max_leaves=12)
_SLIDES = st.lists(st.fixed_dictionaries({}, optional={
    "start_date": _JSON_VALUES | st.fixed_dictionaries({"year": st.integers(-5, 12000)},
                                                        optional={"month": _JSON_VALUES,
                                                                  "day": _JSON_VALUES}),
    "end_date": _JSON_VALUES, "text": _JSON_VALUES, "media": _JSON_VALUES,
    "group": _JSON_VALUES, "display_date": _JSON_VALUES, "unique_id": _JSON_VALUES}), max_size=4)


@settings(max_examples=300)
@given(events=_SLIDES, title=_JSON_VALUES, eras=_JSON_VALUES)
def test_any_timelinejs_shaped_json_imports_or_raises_load_error(events, title, eras):
    text = json.dumps({"title": title, "events": events, "eras": eras})
    try:
        briefing, _ = import_text(text, "t.json")
    except LoadError as exc:
        assert all(p.startswith("t.json") for p in exc.problems)
    else:
        assert len(briefing.events) == len(events)


@settings(max_examples=300)
@given(st.lists(st.lists(st.text(alphabet="ab,;\t\"\n 2019-Q1late", max_size=12), max_size=5),
                max_size=5), st.sampled_from([["title", "date"], ["Headline", "Start", "who"]]))
def test_any_csv_imports_or_raises_load_error(rows, header):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    try:
        import_text(out.getvalue(), "in.csv")
    except LoadError as exc:
        assert all(p.startswith("in.csv") for p in exc.problems)


# --- hostile input to the importers and exporters (each was a traceback) -------------------

def test_csv_import_refuses_a_credibility_that_only_looks_like_a_digit():
    text = "title,date,quote,quote_source,quote_credibility\nA,2024,q,S,\u00b2\nB,2024,q,S,\u0663\n"
    with pytest.raises(LoadError) as info:
        import_text(text, "in.csv")
    assert info.value.problems[:2] == [
        "in.csv: row 2: quote_credibility '\u00b2' is not a number from 1 to 6",
        "in.csv: row 3: quote_credibility '\u0663' is not a number from 1 to 6"]


def test_csv_round_trip_keeps_a_note_longer_than_the_csv_module_s_cell_limit():
    note = "word " * 60_000  # 300,000 characters: csv's default limit is 131,072
    original = Briefing(title="T", events=[Event("e", "E", parse_date("2024"), notes=note)])
    text, _ = csv_format.to_csv(original)
    briefing, _ = import_text(text, "long.csv")
    assert briefing.events[0].notes == note


@pytest.mark.parametrize("year", ["9" * 5000, "-" + "1" * 30])
def test_timelinejs_year_written_as_thousands_of_digits_is_a_problem_not_a_crash(year):
    with pytest.raises(LoadError) as info:
        import_text(json.dumps({"events": [{"start_date": {"year": year},
                                            "text": {"headline": "A"}}]}), "t.json")
    assert info.value.problems[0].startswith("t.json: events[0].start_date.year: a number with ")
    assert "years before 1 AD or after 9999" in info.value.problems[0]


@pytest.mark.parametrize("eras", [5, "abc", {"start_date": {"year": 2020}}, None])
def test_timelinejs_export_of_kept_eras_that_are_not_a_list(eras):
    briefing = Briefing(title="T", events=[Event("e", "E", parse_date("2024"))],
                        extra={"timelinejs": {"eras": eras}})
    data, _ = timelinejs.to_timelinejs(briefing)
    assert "eras" not in data and len(data["events"]) == 1


def test_what_an_export_leaves_out_is_counted_in_good_english():
    b = Briefing(sources=[Source("s", "S")], actors=[Actor("a", "A; B")], events=[
        Event("e", "E", parse_date("2019"), actors=["a"], quotes=[Quote("x", "s"), Quote("y", "s")],
              extra={"other": 1})])
    _, csv_lines = csv_format.to_csv(b)
    _, tl_lines = timelinejs.to_timelinejs(b)
    assert "1 event has more than one quote; only the first is in the CSV (e)" in csv_lines
    assert "1 event has fields of other tools (e)" in csv_lines
    assert "1 actor name or tag with \";\" will read back as several (A; B)" in csv_lines
    assert "1 event has fields of other tools (e)" in tl_lines
    assert not any("1 events" in line for line in csv_lines + tl_lines)


def test_a_row_s_source_without_a_quote_is_named_in_its_event_s_notes():
    """A spreadsheet's Source and URL columns with no quote: the sources were listed, every
    event cut off from its own, and the report said so once a row."""
    text = ("Date,Headline,Notes,Source,URL\n"
            "2024-11-14,Chancay opens,Xi and Boluarte open the port.,Reuters,"
            "https://www.reuters.com/x\n"
            "2024-11-15,Second,,La República,https://larepublica.pe/y\n"
            "2024-11-16,Third,Plain.,Gestión,\n")
    briefing, report = import_text(text, "in.csv")
    notes = [e.notes for e in briefing.events]
    assert notes == [
        "Xi and Boluarte open the port.\n\nSource: [Reuters](<https://www.reuters.com/x>)",
        "Source: [La República](<https://larepublica.pe/y>)",
        "Plain.\n\nSource: Gestión",
    ]
    assert [s.title for s in briefing.sources] == ["Reuters", "La República", "Gestión"]
    lines = [line for line in report.lines if "without a quote" in line or "no quote" in line]
    assert len(lines) == 1 and "rows (2, 3, 4)" in lines[0]


@pytest.mark.parametrize("notes,link", [
    ("See [the report] [1].\n\n[1]: https://r.example", "the report"),  # Markdown.pl style
    ("Per [AP]\n[2], later.\n\n[2]: https://ap.example", "AP"),  # the label on the next line
])
def test_markdown_reference_with_a_space_before_its_label_keeps_its_text(notes, link):
    """Python-Markdown (the app's renderer) reads "[text] [label]" as one reference link; the
    renamed label was written after it, and the document showed "[the report] [1]e1-1"."""
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    doc = render_markdown(to_markdown(b)).split("<h3>")[1]
    alone = render_markdown(notes)
    assert f">{link}</a>" in alone
    assert f">{link}</a>" in doc and "e1-" not in doc and "[" not in doc


def test_markdown_reference_with_a_space_and_an_unknown_label_stays_a_shortcut():
    """"[AP] [x]" with no "[x]" defined: Python-Markdown still links "[AP]" by itself."""
    notes = "Per [AP] [x].\n\n[ap]: https://ap.example"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    doc = render_markdown(to_markdown(b)).split("<h3>")[1]
    assert '<a href="https://ap.example">AP</a> [x]' in render_markdown(notes)
    assert '<a href="https://ap.example">AP</a> [x]' in doc


def test_markdown_a_bracketed_label_alone_on_its_line_is_text_not_a_definition():
    """"[Update]:" with no destination is no reference definition in Python-Markdown: it was
    renamed like one, and the document read "[e1-update]:" and "see [Update][e1-update]"."""
    notes = "[Update]:\nThe ministry denied the report.\n\nSee [Update] above."
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    text = to_markdown(b)
    assert "[Update]:\nThe ministry denied the report.\n\nSee [Update] above." in text
    assert render_markdown(notes) in render_markdown(text)
    # A destination on the next line still makes a definition, renamed as ever.
    notes = "See [the ruling].\n\n[the ruling]:\n  https://court.example"
    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=notes)])
    doc = render_markdown(to_markdown(b))
    assert '<a href="https://court.example">the ruling</a>' in doc


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.)#>+-=*_[]`\\<&;\n\t")), max_size=40))
def test_markdown_escape_skips_only_work_that_would_change_nothing(text):
    """escape() skips its line-start patterns when no line could start a list, heading or
    rule (the export of 10k events took twice as long): the same text as doing them all."""
    from briefing_app.model import markdown_export as mx

    full = mx._SPECIAL.sub(r"\\\1", text)
    full = mx._ENTITY_LIKE.sub("&amp;", full)
    full = mx._TAG_LIKE.sub("&lt;", full)
    full = mx._LIST_NUMBER.sub(r"\1\\.", full)
    full = mx._LIST_PAREN.sub(r"\1\\)", full)
    full = mx._UNDERLINE.sub(lambda m: m.group(1) + ("\\-" if m.group(2) == "-" else "&#61;"),
                             full)
    full = mx._LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), full)
    assert mx.escape(text) == full


@pytest.mark.parametrize("line", [
    "[" + "word " * 2_400,  # a bracket never closed
    "x\n" + " " * 12_000 + "x",  # white space, then no "["
    "[a]:" + " \t" * 6_000 + "x y",  # a label, then white space
])
def test_markdown_reference_definitions_are_found_in_linear_time(line):
    """Each line is tried as a reference definition "[label]: destination": a pattern that
    could split a run of the line many ways took seconds for one line of 16 kB (minutes for
    50 kB), and the export froze."""
    import time

    b = Briefing(title="T", events=[Event("e", "E", parse_date("2019"), notes=line + "\nend")])
    began = time.perf_counter()
    text = to_markdown(b)
    assert time.perf_counter() - began < 0.3  # about 0.005 s; each took 1.5-5 s
    assert text.rstrip().endswith("end")


def test_pasted_events_links_to_each_other_follow_their_new_ids():
    """Pasted (or added from a file) events whose ids clash get new ones ("e2" -> "e2-2"):
    a pasted note's link to "event:e2" kept the old id and led to the target's own "e2",
    another event, without a word."""
    from briefing_app.model.clipboard import copy_json, merge_for_paste, parse_pasted

    day = parse_date("2024")
    notes = ("After [the talks](event:e2) and <event:a%20b>.\n\n"
             "See [talks][t]; [elsewhere](event:e9) stays.\n\n[t]: event:e2 \"Talks\"")
    here = Briefing(events=[Event("e1", "Pasted one", day, notes=notes),
                            Event("e2", "Pasted talks", day), Event("a b", "Pasted", day)])
    there = Briefing(events=[Event("e1", "One", day), Event("e2", "Other", day),
                             Event("a b", "B", day), Event("e9", "Nine", day)])
    events, _, _ = merge_for_paste(there, parse_pasted(copy_json(here, here.events)))
    assert [e.id for e in events] == ["e1-2", "e2-2", "a b-2"]
    assert events[0].notes == (
        "After [the talks](event:e2-2) and <event:a%20b-2>.\n\n"
        "See [talks][t]; [elsewhere](event:e9) stays.\n\n[t]: event:e2-2 \"Talks\"")
    # Ids that keep their names keep their links as written.
    events, _, _ = merge_for_paste(Briefing(), parse_pasted(copy_json(here, here.events)))
    assert events[0].notes == notes


def test_csv_rows_without_ids_get_them_in_linear_time():
    """Each made id rebuilt the look-alike keys of every id taken, and rows titled alike
    tried each suffix again: 4,000 rows without an id column took 12 s (25 s titled alike),
    10,000 over a minute."""
    import time

    rows = "".join(f",{'Meeting' if i % 2 else f'Talks {i}'},2024\n" for i in range(1_500))
    text = "id,title,date\nEVENT-3,Given,2024\n" + rows
    began = time.perf_counter()
    briefing, _ = import_text(text, "many.csv")
    assert time.perf_counter() - began < 1  # about 0.05 s
    ids = [e.id for e in briefing.events]
    assert len({storage.id_key(i) for i in ids}) == len(ids) == 1_501
    meetings = [e.id for e in briefing.events if e.title == "Meeting"]
    assert meetings[:3] == ["meeting", "meeting-2", "meeting-3"]
    assert ids[:3] == ["EVENT-3", "talks-0", "meeting"]
    headlines = [{"text": {"headline": "Same"}, "start_date": {"year": "2024"}}] * 3
    back, _ = import_text(json.dumps({"events": headlines}), "t.json")
    assert [e.id for e in back.events] == ["same", "same-2", "same-3"]


@pytest.mark.parametrize("heading", ["# C# ", "# Title #", "# Title", "## A \\#", "# C#",
                                     "# Sharp ## "])
def test_a_demoted_heading_reads_as_the_app_shows_it(heading):
    """"# C# " showed "C#" in the app but "C" in the export: the trailing space went, and
    the "#" became a closing sequence."""
    from briefing_app.model import markdown_export
    from briefing_app.model.markdown import render_markdown

    def text(markup):
        return re.sub(r"<[^>]+>", "", render_markdown(markup)).strip()

    demoted = markdown_export._demoted(heading, 2)
    assert demoted.startswith("#" * (heading.count("#", 0, heading.index(" ")) + 2) + " ")
    assert text(demoted) == text(heading)


def test_raw_html_a_note_leaves_open_ends_with_the_note(briefing):
    """An unclosed <div> in one note ran on through every later event in the exported
    document: their headings and quotes read as raw text."""
    from briefing_app.model.markdown import render_markdown

    briefing.events[0].notes = "Intro.\n\n<div>\nA block never closed.\n\nMore **text**."
    html = render_markdown(to_markdown(briefing))
    for event in briefing.events[1:4]:
        heading = re.escape(event.title.replace("&", "&amp;").replace('"', "&quot;")[:20])
        assert re.search(r"<h3[^>]*>[^<]*" + heading, html), event.title
