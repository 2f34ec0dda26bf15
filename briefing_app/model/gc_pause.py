"""Pause Python's cyclic garbage collector while building many objects that hold no cycles.

At 100k events, loading, laying out or encoding a briefing makes about a million small
objects; every 700 allocations the collector would walk the young ones again, and now and
then all of them: 3-5 times the work, for objects that reference counting frees anyway.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
