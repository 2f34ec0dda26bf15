"""Pause Python's cyclic garbage collector while building many objects that hold no cycles.

At 100k events, loading, laying out or encoding a briefing makes about a million small
objects; every 700 allocations the collector would walk the young ones again, and now and
then all of them: 3-5 times the work, for objects that reference counting frees anyway.

Pausing is not enough on its own: the objects made meanwhile are all still "young", and the
first collection after the pause walks every one of them (~0.2 s for a 100k-event load, and
~0.5 s when it goes on to the middle generation), holding the interpreter lock, so the
window froze while a large file loaded. So a pause that made many objects ends by moving
everything into the oldest generation, which costs nothing (gc.freeze() and gc.unfreeze()
each splice a list): only a full collection looks at them again, and nothing is exempt
from it, so no cycle is ever kept alive by this. Except when something is frozen already
(the window freezes an opened briefing): unfreezing would release that too, so the new
objects stay frozen with it, as the window's own freeze would have left them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young objects worth moving on at the end of a pause: far above the collector's own
# threshold (700), so that small pauses leave the generations alone.
MANY_OBJECTS = 50_000


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > MANY_OBJECTS:
            # Objects someone froze on purpose (Document.set_briefing freezes a loaded
            # briefing's ~1M objects) must stay frozen: unfreeze() would hand them all back
            # to the oldest generation, and the next full collection would walk them
            # (~0.5 s at 100k events, after the first edit). Then these join them there.
            kept_frozen = gc.get_freeze_count() > 0
            gc.freeze()  # every tracked object to the permanent generation, in O(1) ...
            if not kept_frozen:
                gc.unfreeze()  # ... and from there to the oldest one, in O(1)
        if was_enabled:
            gc.enable()
