"""Where each event's bytes lie in a file that `storage.save_file` wrote.

Saving 100k events means building and encoding ~1M JSON values (~0.6 s of Python); after
an edit, all but a few of them would come out byte for byte as last time. So a save notes
where each event's bytes went, and the next save of the same file copies the bytes of every
event that is still the very same object and encodes only the others.

Why this is safe:
- Events are values: an edit replaces an Event (dataclasses.replace), it never changes one
  in place, so "the same object" means "the same bytes" (an event's encoding depends on
  nothing but the event; tests/test_saved_layout.py runs every editing command against a
  full encode). The layout keeps the objects alive, so their identity cannot be reused.
- The old bytes are used only when the whole file still hashes to what we wrote (sha256,
  checked before the old file is replaced): anything else changed it, and the save stops
  with ChangedOnDisk as it always did.
"""

from __future__ import annotations

import hashlib
import os
import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import indexOf, is_
from typing import BinaryIO

from .briefing import Event

# In the canonical layout every event sits in the top-level "events" array at an indent of
# four: one ends with "\n    }" and the next begins with "    {". A raw newline can only be
# layout (JSON escapes it inside strings), and an event's own fields are indented deeper, so
# this occurs exactly between two events.
_BETWEEN = b"\n    },\n    {"
SEPARATOR = b",\n"
# Copied bytes go to the writer in pieces of this size, so it can start on the first while
# the rest of the old file is still being read.
PIECE = 8 << 20


@dataclass(frozen=True, slots=True)
class SavedLayout:
    digest: str  # sha256 of the whole file as written
    events: Sequence[Event]  # the objects written, in file order (a copy of the list)
    # Byte offset of each event's first byte; one more entry closes the last event as if a
    # separator followed it, so event i is bytes[starts[i]:starts[i + 1] - len(SEPARATOR)].
    starts: array

    def span(self, first: int, stop: int) -> tuple[int, int]:
        """The bytes of events[first:stop], with the separators between them."""
        return self.starts[first], self.starts[stop] - len(SEPARATOR)


def event_starts(data: bytes, lo: int, hi: int, count: int) -> list[int] | None:
    """Offsets (from `lo`) of the `count` events that data[lo:hi] holds, canonically
    encoded and joined by ",\\n".

    None when they do not split into exactly `count` events: then that run is not
    canonical, and nothing of it may be copied later.
    """
    starts = [0]
    find = data.find
    at = find(_BETWEEN, lo, hi)
    while at >= 0:
        starts.append(at + len(_BETWEEN) - 5 - lo)  # at the four spaces before "{"
        at = find(_BETWEEN, at + len(_BETWEEN), hi)
    return starts if len(starts) == count else None


def runs(events: Sequence[Event], layout: SavedLayout | None,
         chunk: int) -> Iterator[tuple[int, int, int | None]]:
    """Cover `events` with runs (start, stop, old): events[start:stop] is
    layout.events[old:old + stop - start], object for object, or, where `old` is None, at
    most `chunk` events to encode afresh."""
    n = len(events)
    if layout is None or not layout.events:
        for start in range(0, n, chunk):
            yield start, min(start + chunk, n), None
        return
    old = layout.events
    # C-level passes (no Python code per event): ~10 ms at 100k events, not ~50.
    where = dict(zip(map(id, old), range(len(old))))
    fresh = None  # start of the pending stretch of events to encode
    i = 0
    while i < n:
        j = where.get(id(events[i]))
        if j is None:
            if fresh is None:
                fresh = i
            elif i - fresh == chunk:
                yield fresh, i, None
                fresh = i
            i += 1
            continue
        if fresh is not None:
            yield fresh, i, None
            fresh = None
        same = map(is_, map(events.__getitem__, range(i, n)),
                   map(old.__getitem__, range(j, len(old))))
        try:
            k = i + indexOf(same, False)
        except ValueError:  # the same to the end of one of them
            k = i + min(n - i, len(old) - j)
        yield i, k, j
        i = k
    if fresh is not None:
        yield fresh, n, None


class OldFile:
    """The file a save replaces: hashed on another thread while the new one is written,
    and read where its bytes are copied.

    Both read through small buffers (pread, so neither moves the other's position): a
    buffer of the whole ~200 MB file would cost more in fresh pages than the copy saves. It
    reads what is there: a file cut short or grown meanwhile hashes differently, and the
    save then stops before replacing it.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._fd = file.fileno()
        self._digest: list[str | None] = []
        self._hasher = threading.Thread(target=self._hash, daemon=True)
        self._hasher.start()

    def _hash(self) -> None:
        hasher = hashlib.sha256()
        block = bytearray(1 << 20)
        view = memoryview(block)
        at = 0
        try:
            while n := os.preadv(self._fd, [block], at):
                hasher.update(view[:n])  # lets go of the GIL, as reading does
                at += n
        except OSError:
            self._digest.append(None)
        else:
            self._digest.append(hasher.hexdigest())

    def view(self, lo: int, hi: int) -> bytes:
        """Bytes lo..hi (fewer if the file now ends before hi)."""
        try:
            return os.pread(self._fd, hi - lo, lo)
        except OSError:
            return b""  # and the digest will not match either

    def digest(self) -> str | None:
        """sha256 of the whole file; None if it could not be read to its end."""
        self._hasher.join()
        return self._digest[0]

    def close_later(self) -> None:
        """Let go of the file on another thread: after it was replaced, the last close
        frees its ~200 MB of cached pages, ~50 ms the save need not wait for."""
        self._hasher.join()
        threading.Thread(target=self._file.close, daemon=True).start()
