"""paused_gc: no collections while building, none walking the new objects right after."""

import gc
import weakref

from briefing_app.model.gc_pause import MANY_OBJECTS, paused_gc


class Node:
    pass


def test_many_new_objects_go_to_the_oldest_generation_and_stay_collectable():
    gc.unfreeze()  # (earlier tests opened briefings, which Document freezes)
    gc.collect()
    with paused_gc():
        assert not gc.isenabled()
        made = [[k] for k in range(MANY_OBJECTS + 1000)]
        cycle = Node()
        cycle.me = cycle  # garbage once dropped: a pause must not keep it alive
        gone = weakref.ref(cycle)
    assert gc.isenabled()
    assert gc.get_count()[0] < 100  # no young objects left for the next collection to walk
    assert gc.get_freeze_count() == 0  # nothing exempt from collection
    oldest = {id(o) for o in gc.get_objects(2)}
    assert id(made[0]) in oldest and id(made[-1]) in oldest
    del cycle
    gc.collect()
    assert gone() is None


def test_a_small_pause_leaves_the_generations_alone():
    gc.collect()
    with paused_gc():
        made = [[k] for k in range(100)]
    assert id(made[0]) in {id(o) for o in gc.get_objects(0)}


def test_a_pause_inside_a_disabled_collector_leaves_it_disabled():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_pause_keeps_what_was_frozen_frozen():
    """Document.set_briefing freezes an opened briefing (~1M objects at 100k events) so that
    full collections skip it; a pause that made many objects must not undo that."""
    gc.collect()
    kept = [[k] for k in range(1000)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with paused_gc():
            made = [[k] for k in range(MANY_OBJECTS + 1000)]
        assert gc.get_freeze_count() >= frozen
        assert id(kept[0]) not in {id(o) for o in gc.get_objects(2)}
        assert made
    finally:
        gc.unfreeze()


def test_an_edit_after_opening_keeps_the_briefing_frozen(qapp, briefing, monkeypatch):
    """The window's path: open a briefing, then lay it out again (every edit does, and at
    100k events that makes far more than MANY_OBJECTS)."""
    from briefing_app.model import gc_pause
    from briefing_app.model.layout import build_layout
    from briefing_app.ui.document import Document

    monkeypatch.setattr(gc_pause, "MANY_OBJECTS", 10)  # the bundled briefing is small
    doc = Document()
    try:
        doc.set_briefing(briefing, None)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        build_layout(doc.briefing, list(range(len(doc.briefing.events))))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_change_of_the_events_frees_the_garbage_before_the_layout_freezes_it(
        qapp, briefing, monkeypatch):
    """The layout made after each edit freezes every object alive, once a briefing is
    frozen: cyclic garbage left from before (a closed dialog's wrappers) was frozen with
    it, and then no collection could ever free it."""
    from dataclasses import replace

    from briefing_app.model import gc_pause
    from briefing_app.model.layout import build_layout
    from briefing_app.ui.document import Document

    monkeypatch.setattr(gc_pause, "MANY_OBJECTS", 10)  # the bundled briefing is small
    doc = Document()
    doc.events_changed.connect(  # what the timeline does
        lambda: build_layout(doc.briefing, list(range(len(doc.briefing.events)))))
    gc.disable()  # only the collections asked for: none that happens to come in between
    try:
        doc.set_briefing(briefing, None)
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        doc.replace_events([(0, replace(doc.briefing.events[0], title="Edited"))])
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert gone() is None
    finally:
        gc.enable()
        gc.unfreeze()
