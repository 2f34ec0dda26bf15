"""Searching in steps: the same rows as one pass, a newer query wins, the window keeps going."""

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel

from briefing_app.model.briefing import Actor, Briefing, Event
from briefing_app.model.dates import parse_date
from briefing_app.model.search import Query, SearchIndex
from briefing_app.ui import search_runner
from briefing_app.ui.event_table_model import EventTableModel
from briefing_app.ui.search_runner import SearchRunner
from briefing_app.ui.timeline_view import TimelineView

N = 3000


@pytest.fixture(scope="module")
def many():
    actors = [Actor(f"a{k}", f"Actor {k}") for k in range(3)]
    first = date(2000, 1, 1).toordinal()
    return Briefing(actors=actors, events=[
        Event(f"e{i}", f"Event {i}", parse_date(date.fromordinal(first + i).isoformat()),
              actors=[f"a{i % 3}"], notes=f"note {i % 97} of port {i % 13}")
        for i in range(N)])


def run(steps):
    """(number of pauses, the rows) of a filtering generator run to its end."""
    pauses = 0
    for rows in steps:
        if rows is None:
            pauses += 1
    return pauses, rows


@pytest.mark.parametrize("query", [Query("port 1"), Query("note 5 port"),
                                   Query("", frozenset({"a1"})), Query("port 3", frozenset({"a2"})),
                                   Query("nowhere")])
def test_filtering_in_steps_finds_what_one_pass_finds(many, query):
    pauses, rows = run(SearchIndex(many).filtering(query, step=100))
    assert rows == SearchIndex(many).filter(query)
    assert pauses >= N // 100  # it did pause: each step is about 100 events' work
    expected = [i for i, e in enumerate(many.events)
                if all(t in f"{e.title} {e.notes}".casefold() for t in query.terms)
                and (not query.actors or e.actors[0] in query.actors)]
    assert rows == expected


def test_a_search_dropped_halfway_leaves_the_index_right(many):
    index = SearchIndex(many)
    assert run(index.filtering(Query("port")))[1]
    dropped = index.filtering(Query("port 1"), step=50)
    for _ in range(10):
        assert next(dropped) is None
    del dropped  # a newer key arrived
    for text in ("port 12", "port 1", "note"):
        assert index.filter(Query(text)) == SearchIndex(many).filter(Query(text))


def test_a_long_search_finishes_later_and_the_newest_one_wins(qtbot, many, monkeypatch):
    monkeypatch.setattr(search_runner, "SLICE_S", 0.0)  # one step per turn of the loop
    index = SearchIndex(many)
    runner = SearchRunner()
    done = []
    runner.finished.connect(lambda query, rows: done.append((query, rows)))
    older, newer = Query("port 1"), Query("note 7")
    assert runner.start(index, older) is None and runner.busy
    assert runner.start(index, newer) is None
    with qtbot.wait_signal(runner.finished, timeout=5000):
        pass
    assert done == [(newer, SearchIndex(many).filter(newer))]  # the older one never ends
    assert not runner.busy
    monkeypatch.setattr(search_runner, "SLICE_S", 1.0)
    assert runner.start(index, Query("note 7 of")) == SearchIndex(many).filter(Query("note 7 of"))
    assert not runner.busy  # done within its first slice: no later signal


def test_typing_shows_searching_then_the_rows(main_window, qtbot, monkeypatch):
    monkeypatch.setattr(search_runner, "SLICE_S", 0.0)
    window = main_window
    total = window.model.rowCount()
    window.filter_bar.search.setText("DSCA")
    window.filter_bar.emit_query()
    assert window.count_label.text() == "Searching…"
    assert window.model.rowCount() == total  # the old rows stay until the new ones are known
    with qtbot.wait_signal(window.search_runner.finished, timeout=5000):
        pass
    shown = window.model.rowCount()
    assert 0 < shown < total
    assert window.count_label.text() == f"{shown} of {total} events"
    window.filter_bar.search.setText("")
    window.filter_bar.emit_query()  # clearing needs no search: at once
    assert window.model.rowCount() == total
    assert window.count_label.text() == f"{total} events"


def test_opening_a_file_drops_a_running_search(main_window, qtbot, monkeypatch, bundled_path):
    monkeypatch.setattr(search_runner, "SLICE_S", 0.0)
    window = main_window
    window.filter_bar.search.setText("DSCA")
    window.filter_bar.emit_query()
    assert window.search_runner.busy
    assert window.open_path(str(bundled_path))
    assert not window.search_runner.busy
    assert window.model.rowCount() == len(window.briefing.events)
    qtbot.wait(50)  # a stale search would arrive within a few turns of the loop
    assert window.model.rowCount() == len(window.briefing.events)


def test_a_filter_is_laid_out_on_the_next_turn_and_the_current_event_followed(qtbot, many):
    model = EventTableModel()
    model.set_briefing(many)
    selection = QItemSelectionModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1300, 500)
    view.set_model(model, selection)
    view.show()
    qtbot.waitExposed(view)
    view.select_row(0)
    view.zoom_at(40, view.x_for(view.timeline_layout.by_event[0].start))
    whole = view._layout
    model.set_rows([0, N - 1])  # a filter: the same events, fewer rows
    view.viewport().repaint()  # a paint before the rebuild may show the last layout
    assert view._layout is whole
    t0, t1 = view.visible_range()
    assert not t0 <= whole.by_event[N - 1].start <= t1
    view.select_row(1)  # the last event: off screen, to be scrolled to once laid out
    qtbot.wait_until(lambda: view._layout is not whole, timeout=2000)
    assert sorted(it.event for it in view._layout.items) == [0, N - 1]
    last = view._layout.by_event[N - 1].start

    def in_view() -> bool:
        t0, t1 = view.visible_range()
        return t0 <= last <= t1
    qtbot.wait_until(in_view, timeout=2000)  # scrolled to once laid out
    many_again = Briefing(events=many.events[:10])
    model.set_briefing(many_again)  # other events: never painted from the old layout
    view.viewport().repaint()
    assert view._layout.briefing is many_again


def test_counts_of_a_large_briefing_read_easily(main_window, qtbot, many, tmp_path):
    from briefing_app.model import storage

    path = tmp_path / "many.json"
    path.write_bytes(storage.dumps(many))
    window = main_window
    assert window.open_path(str(path))
    assert window.count_label.text() == "3,000 events"
    window.filter_bar.search.setText("port 1")
    window.filter_bar.emit_query()
    qtbot.wait_until(lambda: not window.search_runner.busy, timeout=5000)
    shown = window.model.rowCount()
    assert 1000 < shown < N
    assert window.count_label.text() == f"{shown:,} of 3,000 events"


def test_the_timeline_never_compares_briefings_by_value(main_window, monkeypatch):
    """Reloading an unchanged file: the timeline tells the new briefing from the one it laid
    out by identity. Briefing == walks every event (~0.3 s at 100k)."""
    compared = []

    def counting_eq(a, b):
        compared.append((a, b))
        return NotImplemented

    monkeypatch.setattr(Briefing, "__eq__", counting_eq)
    window = main_window
    window.select_row(3)
    window.doc.reload()  # the same file again, the selection kept
    window.timeline.viewport().repaint()
    assert window.model.rowCount() == len(window.briefing.events)
    assert compared == []


def test_the_saves_idle_check_waits_while_a_search_is_typed(main_window, qtbot, monkeypatch):
    """Its slices would take turns with the search's and double the wait for the rows."""
    checked = []
    monkeypatch.setattr(main_window.doc, "prepare_save", lambda: checked.append(1) or False)
    main_window._typing.setInterval(100)
    main_window.filter_bar.search.setText("chancay")
    main_window.filter_bar.emit_query()
    main_window._prepare_timer.start()
    main_window._prepare_ahead()
    assert checked == [] and not main_window._prepare_timer.isActive()
    qtbot.waitUntil(lambda: bool(checked), timeout=2000)  # after a quiet moment: on again

    checked.clear()
    monkeypatch.setattr(SearchRunner, "busy", property(lambda self: True))
    main_window._typing.stop()
    main_window._prepare_ahead()
    assert checked == [] and main_window._typing.isActive()  # a long search: later
