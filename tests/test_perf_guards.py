"""Guards for the benchmarks' hot paths: they check how much work is done, never how long it takes.

Timings belong to benchmarks/run.py; here each test counts what a slow implementation would
do more of (items visited, Markdown renders, texts searched, candidates scanned), so a
regression fails on any machine, however busy.
"""

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from briefing_app.model import clipboard, ids, storage
from briefing_app.model.briefing import Actor, Briefing, Event
from briefing_app.model.dates import POINT, FuzzyDate, day_part, parse_date
from briefing_app.model.fast import ints
from briefing_app.model.layout import build_layout
from briefing_app.model.search import Query, SearchIndex
from briefing_app.render import rich_text
from briefing_app.render.timeline_painter import TimelinePainter

N = 100_000
FIRST_DAY = date(1990, 1, 1).toordinal()


@pytest.fixture(scope="module")
def big():
    """100k events over ~30 years in six lanes: mostly days, every 25th a whole year and
    every 1000th a decade, so that long spans overlap any zoomed view, as in real files."""
    days: dict[int, FuzzyDate] = {}
    years = {y: parse_date(str(y)) for y in range(1990, 2021)}
    decades = {y: parse_date(f"{y}/{y + 9}") for y in range(1990, 2021)}
    actors = [Actor(f"a{k}", f"Actor {k}") for k in range(6)]
    events = []
    for i in range(N):
        ordinal = FIRST_DAY + i * 11_000 // N
        if i % 1000 == 7:
            when = decades[date.fromordinal(ordinal).year]
        elif i % 25 == 3:
            when = years[date.fromordinal(ordinal).year]
        else:
            when = days.get(ordinal)
            if when is None:
                when = days[ordinal] = FuzzyDate("", POINT, day_part(date.fromordinal(ordinal)),
                                                 None)
        events.append(Event(f"e{i}", f"Event {i}", when, actors=[f"a{i % 6}"]))
    return Briefing(actors=actors, events=events)


@pytest.fixture(scope="module")
def big_layout(big):
    return build_layout(big, range(N))


def zoomed(layout, days: float) -> tuple[float, float]:
    middle = layout.items[N // 2].start
    return middle, middle + days


def paint(layout, t0, t1, height=400, **kwargs) -> TimelinePainter:
    painter = TimelinePainter()
    image = QImage(1300, height, QImage.Format.Format_ARGB32_Premultiplied)
    qp = QPainter(image)
    painter.paint(qp, QRectF(0, 0, 1300, height), layout, t0, t1, **kwargs)
    qp.end()
    return painter


def test_a_zoomed_frame_visits_the_visible_items_not_all(qapp, big_layout):
    t0, t1 = zoomed(big_layout, 20)
    visible = len(big_layout.visible(t0, t1))
    painter = paint(big_layout, t0, t1)
    assert not painter.used_density
    assert visible <= painter.items_visited <= visible + 50  # a marker's width of margin
    assert painter.items_visited < N // 200


def test_overlapping_spans_that_look_alike_are_drawn_once_unless_marked(qapp, big_layout):
    t0, t1 = zoomed(big_layout, 20)
    years = [it for it in big_layout.visible(t0, t1) if it.end - it.start > 300]
    assert len(years) > 100  # the whole-year events overlapping the view
    painter = paint(big_layout, t0, t1, height=2000)  # every lane in view
    drawn = {hit[4] for hit in painter._hits}
    assert len(drawn & {it.event for it in years}) < 60  # 6 label rows x 6 lanes, + repeats
    hidden = next(it.event for it in years if it.event not in drawn)
    painter = paint(big_layout, t0, t1, height=2000, current=hidden)
    assert painter.item_rect(hidden) is not None  # the current event is always drawn


def test_visible_scans_about_the_items_it_returns(big_layout):
    for days in (3, 40, 400):
        t0, t1 = zoomed(big_layout, days)
        found = big_layout.visible(t0, t1)
        assert found == [it for it in big_layout.items if it.start <= t1 and it.end >= t0]
        # count_visible is what visible() bisects out of its length groups: the candidates
        assert big_layout.count_visible(t0, t1) <= 2 * len(found) + 100


def test_a_filtered_layout_shares_the_items_of_the_whole(big, big_layout):
    rows = [i for i in range(N) if i % 7]  # a search that matches in every lane
    part = big_layout.subset(rows)
    kept = [it for it in big_layout.items if it.event % 7]
    assert len(part.items) == len(kept)
    assert all(a is b for a, b in zip(part.items, kept, strict=True))
    assert part.lanes == big_layout.lanes
    one = big_layout.subset([i for i in range(N) if i % 6 == 0])  # one actor's events
    assert [lane.key for lane in one.lanes] == ["a0"]
    assert {it.lane for it in one.items} == {0}


def test_a_narrowing_keystroke_searches_only_the_previous_matches(big, monkeypatch):
    index = SearchIndex(big)
    first = index.filter(Query("event 1"))
    assert 0 < len(first) < N
    calls = []

    class Counting(list):
        def __getitem__(self, i):
            calls.append(i)
            return super().__getitem__(i)

    index._text = Counting(index._text)  # the folded texts, all prepared by the first filter
    second = index.filter(Query("event 12"))
    assert len(calls) == len(first)
    assert set(second) <= set(first) and second
    calls.clear()
    index.filter(Query("event 2"))  # not an extension: everything again
    assert set(calls) == set(range(N))


def test_an_index_after_an_edit_folds_only_the_events_the_edit_made(big, monkeypatch):
    """Each edit built a fresh index that folded every event's text again (~0.8 s at 100k
    events, all at once when a search was on)."""
    from briefing_app.model import search

    briefing = Briefing(actors=big.actors, events=list(big.events[:3000]))
    before = SearchIndex(briefing)
    while not before.prepare():
        pass
    briefing.events[5] = replace(briefing.events[5], title="Renamed")
    del briefing.events[10]
    folded = []
    real = search.fold
    monkeypatch.setattr(search, "fold", lambda text: folded.append(text) or real(text))
    after = SearchIndex(briefing, before)
    while not after.prepare():
        pass
    assert len(folded) == 1  # the edited event's
    monkeypatch.undo()
    fresh = SearchIndex(briefing)
    for words in ("renamed", "event 12", "event 5", "event 11"):
        assert after.filter(Query(words)) == fresh.filter(Query(words)), words
    assert after.filter(Query("renamed")) == [5]


def test_an_edit_with_a_search_on_folds_only_the_text_it_changed(main_window, qtbot,
                                                                 monkeypatch, answer_form):
    from briefing_app.model import search

    window = main_window
    qtbot.waitUntil(lambda: window.index.is_prepared, timeout=5000)
    with qtbot.wait_signal(window.filter_bar.query_changed, timeout=2000):
        window.filter_bar.search.setText("DSCA")
    window.select_row(0)
    folded = []
    real = search.fold
    monkeypatch.setattr(search, "fold", lambda text: folded.append(text) or real(text))
    answer_form(lambda form: form.title.setText(form.title.text() + " (DSCA)"))
    window.actions.edit_event.trigger()
    qtbot.waitUntil(lambda: window.index.is_prepared, timeout=5000)
    assert window.current_event().title.endswith("(DSCA)")
    sources = tuple(f"{s.title}\n" for s in window.briefing.sources)  # folded per index
    assert len([t for t in folded if t.casefold() != "dsca" and not t.startswith(sources)]) == 1
    window.doc.undo_stack.setClean()


def test_search_results_come_out_sorted_from_the_cached_order(big):
    index = SearchIndex(big)
    rows = index.filter(Query("event 9"))
    from briefing_app.model.search import sort_rows

    assert index.sort_rows(rows) == sort_rows(big.events, rows)
    assert index.sort_rows(rows, "title", True) == sort_rows(big.events, rows, "title", True)


def test_lists_of_indices_share_their_ints(big):
    """Each list of 100k event indices or positions that made its own ints would hold 2.8 MB
    of them besides its pointers (steady memory at 100k events: see fast.ints)."""
    shared = ints(N)

    def sharing(values) -> bool:
        return len(values) > 0 and all(v is shared[v] for v in values)

    index = SearchIndex(big)
    order, rank = index._order_and_rank("date", False)
    assert sharing(order) and sharing(rank)
    assert sharing(index.filter(Query("event")))
    layout = build_layout(big, order)
    assert sharing([it.event for it in layout.items])
    layout.prepare_subsets()
    assert sharing([p for p in layout._position_of if p >= 0])
    assert all(sharing(m) for m in layout._lane_members)
    assert all(sharing(p) for p in layout._lane_positions)
    assert all(sharing(g.positions) for g in layout._length_groups())
    # The current event's item comes from those positions, not from a dict of every item.
    assert layout.item_of(order[5]) is layout.items[5]
    assert layout._by_event is None


def test_selecting_an_event_renders_its_markdown_once(main_window, monkeypatch):
    renders = []
    real = rich_text.render_markdown
    monkeypatch.setattr(rich_text, "render_markdown", lambda text: renders.append(text)
                        or real(text))
    for row in (2, 5, 3):
        renders.clear()
        main_window.select_row(row)
        assert renders == [main_window.model.event_at(row).notes]
    renders.clear()
    main_window.step(1)
    assert len(renders) == 1


def test_deleting_and_restoring_thousands_of_events_takes_one_pass(main_window, big,
                                                                   monkeypatch):
    """Ctrl+A, Delete, Undo: no lookup per event through all the events or rows (a list
    insert, del, index() or position_of per event was minutes at 100k)."""
    from briefing_app.ui.document import Document
    from briefing_app.ui.event_table_model import EventTableModel

    window, doc = main_window, main_window.doc
    doc.set_briefing(Briefing(actors=big.actors, events=big.events[:3000]), None)
    before = list(doc.briefing.events)
    scans = []
    real = EventTableModel.row_of_event
    monkeypatch.setattr(EventTableModel, "row_of_event",
                        lambda self, i: scans.append(i) or real(self, i))
    monkeypatch.setattr(Document, "position_of", lambda *a: pytest.fail("a scan per event"))
    window.event_list.selectAll()
    window.actions.delete.trigger()
    assert doc.briefing.events == [] and window.model.rowCount() == 0
    doc.undo_stack.undo()
    assert doc.briefing.events == before  # every one back, in its place
    assert len(window.selected_events()) == 3000  # and selected again
    assert len(scans) <= 10
    doc.undo_stack.redo()
    assert doc.briefing.events == []
    doc.undo_stack.setClean()


def test_selecting_thousands_of_rows_asks_about_the_rows_shown(qtbot, big):
    """Ctrl+A or Shift+End in the list: the column headers asked whether each selected row
    was selectable before their next paint, ~1 s at 100k events."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QApplication

    from briefing_app.ui.event_list import EventList
    from briefing_app.ui.event_table_model import EventTableModel

    asked = []

    class Counting(EventTableModel):
        def flags(self, index):
            asked.append(index.row())
            return super().flags(index)

    model = Counting()
    model.set_briefing(Briefing(actors=big.actors, events=big.events[:3000]))
    view = EventList(model, QItemSelectionModel(model))
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    asked.clear()
    view.selectAll()
    QApplication.processEvents()  # the views paint what changed
    assert len(asked) < 500, len(asked)
    assert view.selectionModel().selection()[0].height() == 3000


@pytest.fixture
def id_key_calls(monkeypatch):
    """[how many ids were keyed (storage.id_key) where ids are made unique]"""
    calls = [0]
    real = storage.id_key

    def counted(text):
        calls[0] += 1
        return real(text)

    monkeypatch.setattr(ids, "id_key", counted)
    monkeypatch.setattr(clipboard, "id_key", counted)
    return calls


def test_adding_many_events_makes_ids_unique_in_linear_time(briefing, id_key_calls):
    """Each new id was checked against keys rebuilt from every id taken: adding a 10k-event
    file to a 10k-event briefing took minutes (100k: hours), the window frozen."""
    n = 3000
    base = briefing.events[0]

    def make(prefix):
        return Briefing(sources=list(briefing.sources), actors=list(briefing.actors),
                        events=[replace(base, id=f"{prefix}{i}") for i in range(n)])

    target, incoming = make("ev-"), make("ev-")
    calls = id_key_calls
    events, _sources, _actors = clipboard.merge_for_paste(target, incoming)
    assert len({storage.id_key(e.id) for e in target.events + events}) == 2 * n
    assert calls[0] < 20 * n


def test_duplicating_many_events_makes_ids_unique_in_linear_time(briefing, id_key_calls):
    """Ctrl+D made the keys of every id taken again for each copy: 10 of 100k events took
    ~2 s, all of them hours."""
    n = 3000
    events = [replace(briefing.events[0], id=f"ev-{i}") for i in range(n)]
    calls = id_key_calls
    copies = clipboard.duplicates(events[:500], (e.id for e in events))
    assert len({storage.id_key(e.id) for e in events + copies}) == n + 500
    assert all(c.title.endswith(" (copy)") for c in copies)
    assert calls[0] < n + 10 * 500
