"""Where each event's bytes lie in a file that `storage.save_file` wrote (or that
`storage.check_layout` found laid out exactly so, after opening it).

Saving 100k events means building and encoding ~1M JSON values (~0.6 s of Python); after
an edit, all but a few of them would come out byte for byte as last time. So a save notes
where each event's bytes went, and the next save copies the bytes of every event that is
still the very same object from that file, and encodes only the others.

Why this is safe:
- Events are values: an edit replaces an Event (dataclasses.replace), it never changes one
  in place, so "the same object" means "the same bytes" (an event's encoding depends on
  nothing but the event; tests/test_editing.py saves after every editing command and
  compares with a full encode). The layout keeps the objects alive, so their identity
  cannot be reused.
- The bytes copied are the very bytes one reader hashes (OldFile), and the file is
  replaced only when that hash is what was written or loaded and the file's change time
  has not moved since it was opened: otherwise ChangedOnDisk, as before (or, for Save As
  from another file, a save that encodes everything).
"""

from __future__ import annotations

import hashlib
import os
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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
# The old file is read in blocks of this size; copied bytes go to the writer a piece per
# block, so it starts on the first while the rest is still being read.
BLOCK = 8 << 20


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


Run = tuple[int, int, int | None]  # (start, stop, old): see runs()


def runs(events: Sequence[Event], layout: SavedLayout | None, chunk: int) -> Iterator[Run]:
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
    where = dict(zip(map(id, old), range(len(old)), strict=True))
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


class OldFileChanged(Exception):
    """The file a save copies from ended before a piece it needs: someone changed it."""


class OldFileUnreadable(OldFileChanged):
    """Reading the file a save copies from or checks failed."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def pieces(lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Bytes lo..hi of the old file cut where its blocks end, so each piece lies in one."""
    while lo < hi:
        end = min(hi, (lo // BLOCK + 1) * BLOCK)
        yield lo, end
        lo = end


class OldFile:
    """The file a save replaces, read once from start to end on another thread.

    Each block is hashed as it is read and kept only until the copies that need it are
    taken (`take`, in the order given), so the bytes copied are exactly the bytes hashed:
    another program writing the file while the save runs changes the digest, never the
    copy. Blocks no copy needs are dropped once hashed, so a save without copies (or with
    copies in file order) holds a few blocks at a time, not the whole file.
    """

    def __init__(self, file: BinaryIO, wanted: Iterable[tuple[int, int]] = ()) -> None:
        self._file = file
        self._opened = os.fstat(file.fileno())
        self._uses = Counter(lo // BLOCK for lo, _ in wanted)  # copies still to take, a block
        self._blocks: dict[int, bytes] = {}
        self._read = 0  # bytes read and hashed so far
        self._done = False
        self._failed: OSError | None = None
        self._hash = hashlib.sha256()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read_all, daemon=True)
        self._reader.start()

    def _read_all(self) -> None:
        fd, index = self._file.fileno(), 0
        try:
            while block := _read_block(fd, index * BLOCK):
                self._hash.update(block)  # lets go of the GIL, as reading does
                with self._changed:
                    if self._uses[index]:
                        self._blocks[index] = block
                    self._read += len(block)
                    self._changed.notify_all()
                index += 1
        except OSError as exc:
            self._failed = exc
        finally:
            with self._changed:
                self._done = True
                self._changed.notify_all()

    def take(self, lo: int, hi: int) -> memoryview:
        """Bytes lo..hi, one of the pieces given at the start, as the hash saw them."""
        index = lo // BLOCK
        with self._changed:
            self._changed.wait_for(lambda: self._read >= hi or self._done)
            if self._failed is not None and self._read < hi:
                raise OldFileUnreadable(self._failed)
            block = self._blocks.get(index)
            if self._read < hi or block is None or len(block) < hi - index * BLOCK:
                raise OldFileChanged
            self._uses[index] -= 1
            if not self._uses[index]:
                del self._blocks[index]  # the writer keeps the piece itself until written
        return memoryview(block)[lo - index * BLOCK:hi - index * BLOCK]

    def digest(self) -> str:
        """sha256 of the whole file; raises OldFileUnreadable if it could not be read."""
        self._reader.join()
        if self._failed is not None:
            raise OldFileUnreadable(self._failed)
        return self._hash.hexdigest()

    def still_at(self, path: str | os.PathLike[str]) -> bool:
        """Is `path` still the file opened, not written since? (A write after the hash
        read its bytes moves its change time, which no program can set back.)"""
        try:
            now = os.stat(path)
        except OSError:
            return False
        was = self._opened
        return ((now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns, now.st_ctime_ns)
                == (was.st_ino, was.st_dev, was.st_size, was.st_mtime_ns, was.st_ctime_ns))

    def close_later(self) -> None:
        """Let go of the file on another thread: after it was replaced, the last close
        frees its ~200 MB of cached pages, ~50 ms the save need not wait for."""
        self._reader.join()
        self._blocks.clear()
        threading.Thread(target=self._file.close, daemon=True).start()


def _read_block(fd: int, at: int) -> bytes:
    block = os.pread(fd, BLOCK, at)
    while 0 < len(block) < BLOCK:  # a short read before the end: read on
        more = os.pread(fd, BLOCK - len(block), at + len(block))
        if not more:
            break
        block += more
    return block
