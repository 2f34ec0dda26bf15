"""Search folding: case- and accent-insensitive, the Latin-1 fast path equal to the general one;
words in the cited sources' titles and publishers; field filters and the order of rows."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.model.briefing import Briefing, Event, Quote, Source
from briefing_app.model.dates import parse_date
from briefing_app.model.search import (
    Query,
    SearchIndex,
    _fold_any,
    fold,
    searchable_text,
    sort_rows,
)


def by_the_book(text: str) -> str:
    """NFKD, drop the combining marks, casefold: what folding means."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_and_case_fold_away():
    assert fold("Perú, Callao") == "peru, callao"
    assert fold("SÃO PAULO ½ µg") == by_the_book("SÃO PAULO ½ µg")  # the Latin-1 specials
    assert fold("Straße “Chancay” — Ωμέγα") == "strasse “chancay” — ωμεγα"


@given(st.text(alphabet=st.characters(max_codepoint=0xFF)))
def test_latin1_fast_path_folds_like_the_book(text):
    assert fold(text) == by_the_book(text) == _fold_any(text)


def _code_page(codec: str) -> list[str]:
    chars = []
    for code in range(256):
        try:
            chars.append(bytes([code]).decode(codec))
        except UnicodeDecodeError:
            pass
    return chars


@given(st.text(alphabet=st.sampled_from(_code_page("cp1252") + ["Ω", "\u0301"])))
def test_windows_1252_fast_path_folds_like_the_book(text):
    assert fold(text) == by_the_book(text)


def test_typographic_punctuation_folds_as_nfkd_says():
    text = "“Chancay”… ‘Perú’ — Trade™ – “São”"
    assert fold(text) == by_the_book(text) == "“chancay”... ‘peru’ — tradetm – “sao”"


@given(st.text())
def test_any_text_folds_like_the_book(text):
    assert fold(text) == by_the_book(text)


# --- searching cited sources: matched once per source, as if in every citing event's text --

def _sourced_briefing(events: list[tuple[str, list[str]]]) -> Briefing:
    """Events with (notes, the source ids their quotes cite); "gone" is no known source."""
    return Briefing(
        sources=[Source("s1", "Puerto de Valparaíso amplía muelle", "El Mercurio"),
                 Source("s2", "Port deal", "Reuters"),
                 Source("s2", "Second record with id s2", "Wins in source_map"),
                 Source("s3", "Chancay opens", "")],
        events=[Event(f"e{i}", f"Event {i}", parse_date("2020-01-01"), notes=notes,
                      quotes=[Quote(f"quote {k}", source) for k, source in enumerate(cited)])
                for i, (notes, cited) in enumerate(events)])


def _by_the_text(briefing: Briefing, query: Query) -> list[int]:
    """What a search means: every word in the folded searchable_text."""
    return [i for i, e in enumerate(briefing.events)
            if all(t in fold(searchable_text(briefing, e)) for t in query.terms)]


def test_a_word_in_a_cited_sources_title_or_publisher_finds_the_event():
    briefing = _sourced_briefing([("harbour works", ["s1"]), ("harbour works", []),
                                  ("harbour", ["s3", "s1", "s1"]), ("valparaiso", ["gone"]),
                                  ("works", ["s2"])])
    index = SearchIndex(briefing)
    assert index.filter(Query("valparaiso")) == [0, 2, 3]
    assert index.filter(Query("VALPARAÍSO works")) == [0]  # one word in a source, one not
    assert index.filter(Query("mercurio")) == [0, 2]  # the publisher
    assert index.filter(Query("wins source_map")) == [4]  # the id's last record, as before
    assert index.filter(Query("port deal")) == []  # not that record
    assert index.filter(Query("chancay harbour")) == [2]
    assert index.filter(Query("valparaiso\nmercurio")) == [0, 2]  # two words of one source
    assert index.filter(Query("o de v")) == [0, 2]  # a source's words apart (each in it)
    assert index.filter(Query("amplía muelle el")) == [0, 2]
    for text in ("valparaiso", "mercurio", "harbour", "works", "wins", "o", "e"):
        assert index.filter(Query(text)) == _by_the_text(briefing, Query(text))
    # Matched once per source: no citing event's folded text holds a copy (~8 MB at 100k).
    assert not any("mercurio" in index.text_of(i) for i in range(len(briefing.events)))


def test_narrowing_keeps_the_events_found_through_a_source():
    briefing = _sourced_briefing([("nothing", ["s1"]), ("valparaiso bay", []), ("other", [])])
    index = SearchIndex(briefing)
    for k in range(1, len("valparaiso") + 1):
        assert index.filter(Query("valparaiso"[:k])) == _by_the_text(briefing, Query(
            "valparaiso"[:k]))
    assert index.filter(Query("valparaiso")) == [0, 1]


_WORDS = ["port", "valparaíso", "muelle", "chancay", "el", "reuters", "deal", "bay", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_WORDS), max_size=4),
                          st.lists(st.sampled_from(["s1", "s2", "s3", "gone"]), max_size=3)),
                max_size=40),
       st.lists(st.text(alphabet="portvalíuechdyb ", max_size=8), min_size=1, max_size=4),
       st.integers(1, 7))
def test_searching_in_steps_finds_what_the_whole_text_holds(events, queries, step):
    briefing = _sourced_briefing([(" ".join(words), cited) for words, cited in events])
    index = SearchIndex(briefing)
    for text in queries:  # one index: later queries may narrow the earlier ones
        query = Query(text)
        *_, rows = index.filtering(query, step=step)
        assert rows == _by_the_text(briefing, query)


# --- field filters and the order of rows ---------------------------------------------------

def _dated(*dates: str, **fields) -> Briefing:
    """An event per date text ("2019", or "2019 -> 2020" for a date and an end)."""
    def event(i: int, text: str) -> Event:
        start, _, end = text.partition(" -> ")
        return Event(f"e{i}", f"Event {i}", parse_date(start),
                     parse_date(end) if end else None,
                     **{k: v[i] for k, v in fields.items()})
    return Briefing(events=[event(i, text) for i, text in enumerate(dates)])


def test_a_date_filter_keeps_every_event_that_overlaps_it():
    briefing = _dated("2019-12-31", "2020-01-01", "2019 -> 2020-06", "2020-12-31", "2021-01-01")
    index = SearchIndex(briefing)
    start, end = parse_date("2020").start, parse_date("2020").end
    assert index.filter(Query(start=start, end=end)) == [1, 2, 3]
    assert index.filter(Query(start=start)) == [1, 2, 3, 4]  # "after 2019"
    # "before 2021": only an end, and still a filter
    assert not Query(end=end).is_empty
    assert index.filter(Query(end=end)) == [0, 1, 2, 3]


def test_an_actor_or_tag_filter_keeps_the_events_with_any_of_them():
    briefing = _dated("2020", "2020", "2020", "2020",
                      tags=[["navy"], ["port", "navy"], [], ["port"]],
                      actors=[["us"], [], ["us", "cn"], ["pe"]])
    index = SearchIndex(briefing)
    assert index.filter(Query(tags=frozenset({"navy"}))) == [0, 1]
    assert index.filter(Query(tags=frozenset({"navy", "port"}))) == [0, 1, 3]
    assert index.filter(Query(actors=frozenset({"us"}))) == [0, 2]
    assert index.filter(Query(actors=frozenset({"cn", "pe"}))) == [2, 3]


def test_a_longer_word_under_other_filters_is_searched_afresh():
    """Typing on ("por" -> "port") re-checks only the earlier matches, unless a filter
    beside the words changed meanwhile."""
    briefing = _dated("2020", "2020", notes=["port", "port"], actors=[["us"], []])
    index = SearchIndex(briefing)
    assert index.filter(Query("por", frozenset({"us"}))) == [0]
    assert index.filter(Query("port")) == [0, 1]


def test_tags_speakers_and_original_wording_are_searched():
    briefing = _dated("2020", "2020", "2020", tags=[["maritime"], [], []], quotes=[
        [], [Quote("q", "s1", speaker="Gen. Richardson")], [Quote("q", "s1", original="muelle")]])
    index = SearchIndex(briefing)
    assert [index.filter(Query(word)) for word in ("maritime", "richardson", "muelle")] == [
        [0], [1], [2]]


def test_rows_sort_by_interval_then_title_either_way():
    briefing = _dated("2020-01-01 -> 2020-06", "2020-01-01/2020-06-15", "2019", "2018")
    briefing.events[2].title, briefing.events[3].title = "a", "b"
    index = SearchIndex(briefing)
    # Both start on 1 January 2020; the one with an end runs on to 30 June, past 15 June.
    assert index.order("date") == [3, 2, 1, 0]
    assert index.order("date", descending=True) == [0, 1, 2, 3]
    assert index.order("title") == [2, 3, 0, 1]  # "a", "b", "Event 0", "Event 1"
    assert index.sort_rows([0, 1, 3]) == [3, 1, 0]
    assert sort_rows(briefing.events, range(1, 3)) == [2, 1]
