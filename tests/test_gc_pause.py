"""paused_gc: no collections while building, none walking the new objects right after."""

import gc
import weakref

from briefing_app.model.gc_pause import MANY_OBJECTS, paused_gc


class Node:
    pass


def test_many_new_objects_go_to_the_oldest_generation_and_stay_collectable():
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
