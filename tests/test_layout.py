"""Timeline layout: lanes by actor, tag or one lane; extents of fuzzy dates; range queries."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.model.briefing import Actor, Briefing, Event
from briefing_app.model.dates import parse_date
from briefing_app.model.layout import (
    AXIS_UNITS,
    NO_ACTOR,
    OPEN_FADE_DAYS,
    axis_ticks,
    build_layout,
)


def day(text: str) -> float:
    return float(date.fromisoformat(text).toordinal())


def event(id_, when, actors=(), tags=(), end=None):
    return Event(id_, f"Event {id_}", parse_date(when), end=parse_date(end) if end else None,
                 actors=list(actors), tags=list(tags))


@pytest.fixture
def small():
    return Briefing(
        actors=[Actor("us", "United States", "#2a6bd1"), Actor("pe", "Peru", "#c93a3f")],
        events=[
            event("a", "2020-03-01", ["pe", "us"], ["port", "trade"]),
            event("b", "2019-01-23", ["us"], ["navy"]),
            event("c", "2021", [], ["port"]),
            event("d", "2018-06", ["cn", "pe"], []),
        ],
    )


def test_actor_lanes_follow_first_appearance_in_time(small):
    layout = build_layout(small, range(4), "actor")
    assert [lane.key for lane in layout.lanes] == ["cn", "pe", "us", NO_ACTOR]
    assert [lane.label for lane in layout.lanes] == ["cn", "Peru", "United States", NO_ACTOR]
    assert layout.lanes[2].color == "#2a6bd1"
    by_id = {small.events[it.event].id: it for it in layout.items}
    assert layout.lanes[by_id["a"].lane].key == "pe"
    assert [layout.lanes[k].key for k in by_id["a"].other_lanes] == ["us"]
    assert layout.lanes[by_id["c"].lane].key == NO_ACTOR


def test_tag_lanes_use_the_first_tag_and_mark_other_tags_that_have_lanes(small):
    layout = build_layout(small, range(4), "tag")
    assert [lane.key for lane in layout.lanes] == ["No tag", "navy", "port"]
    a = layout.by_event[0]
    assert layout.lanes[a.lane].key == "port"
    assert a.other_lanes == ()  # "trade" is nobody's first tag, so it has no lane
    assert layout.lanes[1].color == build_layout(small, [1], "tag").lanes[0].color  # stable


def test_single_mode_has_one_lane_and_keeps_actor_colours(small):
    layout = build_layout(small, range(4), "single")
    assert len(layout.lanes) == 1
    assert {it.lane for it in layout.items} == {0}
    assert layout.by_event[1].color == "#2a6bd1"


def test_only_the_given_events_are_laid_out_in_time_order(small):
    layout = build_layout(small, [2, 0], "actor")
    assert [it.event for it in layout.items] == [0, 2]
    assert layout.starts == sorted(layout.starts)


def test_unknown_mode_is_rejected(small):
    with pytest.raises(ValueError, match="lane mode"):
        build_layout(small, [], "colour")


@pytest.mark.parametrize("text, soft, point", [
    ("2019-01-23", False, True),
    ("c. 2019-01-23", True, False),
    ("2019-01", True, False),
    ("late 2024", True, False),
    ("2019", True, False),
    ("2019-01-23/2019-05-13", False, False),
])
def test_precision_decides_points_and_soft_edges(text, soft, point):
    it = build_layout(Briefing(events=[event("x", text)]), [0]).items[0]
    assert (it.soft, it.point) == (soft, point)
    assert (it.fade_start > 0) == soft
    assert it.fade_start + it.fade_end <= it.end - it.start


def test_a_year_fades_over_about_fifteen_percent_and_circa_reaches_outwards():
    year = build_layout(Briefing(events=[event("x", "2019")]), [0]).items[0]
    assert (year.start, year.end) == (day("2019-01-01"), day("2020-01-01"))
    assert year.fade_start == pytest.approx(0.15 * 365)
    circa = build_layout(Briefing(events=[event("x", "c. 2019")]), [0]).items[0]
    assert circa.start < year.start and circa.end > year.end
    assert circa.fade_start > year.fade_start


def test_open_ended_dates_fade_towards_the_open_side():
    before = build_layout(Briefing(events=[event("x", "before 2020")]), [0]).items[0]
    assert before.open_start and not before.open_end
    assert before.end == day("2020-01-01")  # the last day covered is 31 Dec 2019
    assert before.start == before.end - 1 - OPEN_FADE_DAYS
    assert before.fade_start == OPEN_FADE_DAYS and before.fade_end == 0
    after = build_layout(Briefing(events=[event("x", "after 2019")]), [0]).items[0]
    assert after.open_end and after.start == day("2020-01-01")
    assert after.fade_end == OPEN_FADE_DAYS


def test_an_end_date_extends_the_item():
    it = build_layout(Briefing(events=[event("x", "2019-03", end="2019-06-30")]), [0]).items[0]
    assert (it.start, it.end) == (day("2019-03-01"), day("2019-07-01"))
    assert it.fade_start > 0 and it.fade_end == 0


def test_full_range_covers_every_item_with_a_margin(small):
    layout = build_layout(small, range(4))
    t0, t1 = layout.full_range()
    assert t0 < min(it.start for it in layout.items)
    assert t1 > max(it.end for it in layout.items)


def test_density_counts_starts_per_bucket_and_lane(small):
    layout = build_layout(small, range(4))
    t0, t1 = layout.full_range()
    assert sum(layout.density(t0, t1, 7)) == 4
    assert sum(layout.density(t0, t1, 7, lane=1)) == 1  # "pe" leads one event
    assert layout.density(t0, t1, 0) == []


_FORMS = st.one_of(
    st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat),
    st.integers(1990, 2030).map(str),
    st.tuples(st.integers(1990, 2030), st.integers(1, 12)).map(lambda p: f"{p[0]}-{p[1]:02d}"),
    st.tuples(st.sampled_from(["early", "mid", "late", "c.", "before", "after"]),
              st.integers(1990, 2030).map(str)).map(" ".join),
    st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(lambda d: f"c. {d.isoformat()}"),
    st.tuples(st.integers(1990, 2010), st.integers(0, 20)).map(
        lambda p: f"{p[0]}/{p[0] + p[1]}"),
)


@given(st.lists(_FORMS, min_size=0, max_size=60),
       st.floats(726000, 742000), st.floats(0, 6000))
def test_visible_returns_exactly_the_items_that_intersect(texts, t0, length):
    briefing = Briefing(events=[event(str(k), t) for k, t in enumerate(texts)])
    layout = build_layout(briefing, range(len(texts)))
    t1 = t0 + length
    expected = [it for it in layout.items if it.start <= t1 and it.end >= t0]
    found = layout.visible(t0, t1)
    assert found == expected  # same items, same (start, end) order
    assert layout.count_visible(t0, t1) >= len(found)


@pytest.mark.parametrize("unit", AXIS_UNITS)
def test_axis_ticks_start_at_or_before_the_range_and_ascend(unit):
    t0, t1 = day("2019-12-20"), day("2019-12-20") + 40 * unit.days
    ticks = axis_ticks(unit, t0, t1)
    assert ticks[0][0] <= t0  # the first tick carries the label that sticks to the left
    assert len(ticks) == 1 or ticks[1][0] > t0
    assert [t for t, _ in ticks] == sorted({t for t, _ in ticks})
    assert ticks[-1][0] <= t1 + 1


def test_titles_on_the_timeline_show_bidi_overrides_instead_of_obeying_them():
    from briefing_app.model.briefing import Briefing, Event
    from briefing_app.model.dates import parse_date
    from briefing_app.model.layout import build_layout

    briefing = Briefing(events=[Event("a", "safe\u202egnp.exe", parse_date("2020"))])
    layout = build_layout(briefing, [0])
    assert "\u202e" not in layout.title(layout.items[0])
    assert "U+202E" in layout.title(layout.items[0])


@given(st.lists(st.tuples(_FORMS, st.sampled_from(["us", "pe", "cn", ""])), max_size=60),
       st.data())
def test_a_subset_is_the_whole_layout_with_only_those_events(specs, data):
    """What Layout.subset derives in C passes (groups, starts, lane starts, renumbered
    lanes) equals what a plain pass over the kept items gives."""
    from briefing_app.model.layout import _by_lane

    briefing = Briefing(events=[event(str(k), t, [a] if a else [])
                                for k, (t, a) in enumerate(specs)])
    whole = build_layout(briefing, range(len(specs)))
    if data.draw(st.booleans()):
        whole.prepare_subsets()  # as the idle timer does; otherwise subset builds it
    rows = data.draw(st.lists(st.sampled_from(range(len(specs))), unique=True)
                     if specs else st.just([]))
    part = whole.subset(rows)
    kept = [it for it in whole.items if it.event in set(rows)]
    assert [it.event for it in part.items] == [it.event for it in kept]
    assert part.starts == [it.start for it in part.items]
    keys = [lane.key for lane in part.lanes]
    assert keys == [lane.key for lane in whole.lanes
                    if any(whole.lanes[it.lane].key == lane.key for it in kept)
                    or any(whole.lanes[k].key == lane.key for it in kept for k in it.other_lanes)]
    assert part.lane_starts() == _by_lane(part.items, part.starts, len(part.lanes))[0]
    expected = {it.event: it for it in part.items}
    assert [part.item_of(e) for e in range(len(specs) + 1)] == [
        expected.get(e) for e in range(len(specs) + 1)]  # (asked of its whole layout)
    t0, t1 = whole.full_range()
    middle = (t0 + t1) / 2
    assert part.count_visible(t0, t1) == len(part.items)  # fitted: answered without groups
    for lo, hi in ((middle, middle + 400), (t0, t1)):
        found = part.visible(lo, hi)
        assert found == [it for it in part.items if it.start <= hi and it.end >= lo]
        assert part.count_visible(lo, hi) >= len(found)


def test_events_with_the_same_lanes_share_their_other_lanes():
    events = [event(str(i), "2020-03-01", ["pe", "us"]) for i in range(3)]
    layout = build_layout(Briefing(events=events), range(3), "actor")
    a, b, c = layout.items
    assert a.other_lanes == (1,) and a.other_lanes is b.other_lanes is c.other_lanes
