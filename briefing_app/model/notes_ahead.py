"""Many notes' Markdown rendered ahead in a helper process, while Qt lays out the pages.

A long PDF export renders ~1k notes (~0.7 s of Python-Markdown per 1k) and then lays them
out in Qt, which holds the GIL; a thread would not run beside it, a second process does.
The helper runs the same `render_markdown`, with every guard, so its HTML is the HTML this
process would make. It reads all the batches first, then answers one line per batch in
order; the caller renders batch 0 itself while the helper starts. Whatever goes wrong with
the helper (it cannot start, dies, answers late or garbled) ends it, and the batches not
yet received are rendered here: the result is the same, only slower.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from .markdown import render_markdown

# Below this many notes after the first batch, starting a Python (~0.1 s) does not pay.
MIN_NOTES = 150
# A batch whose answer takes longer than this (the guards cap a note at ~0.3-3 s) means
# the helper is stuck: it is killed and the rest is rendered here.
BATCH_TIMEOUT_S = 60.0
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding briefing_app/


class NotesAhead:
    """`batch(k)` is `[render_markdown(t) for t in batches[k]]`, from the helper if it has it.

    Use as a context manager, or call `close()`: it ends the helper.
    """

    def __init__(self, batches: Sequence[Sequence[str]], min_notes: int | None = None) -> None:
        self._batches = [list(b) for b in batches]
        self._next = 1  # the batch the helper answers next
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._proc: subprocess.Popen[bytes] | None = None
        self._pump: threading.Thread | None = None
        self.helper_batches = 0  # batches received from the helper (tests read these two)
        self.helper_pid: int | None = None
        wanted = MIN_NOTES if min_notes is None else min_notes
        # A frozen app's executable is the app itself, not a Python to run `-m` with.
        runnable = bool(sys.executable) and not getattr(sys, "frozen", False)
        if sum(len(b) for b in self._batches[1:]) >= max(wanted, 1) and runnable:
            self._start()

    def __enter__(self) -> NotesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._batches)

    def batch(self, k: int) -> list[str]:
        """The rendered notes of batch `k`; batches after 0 are asked for in order."""
        if self._proc is not None and k == self._next:
            got = self._receive(k)
            if got is not None:
                self._next += 1
                self.helper_batches += 1
                return got
            self.close()
        return [render_markdown(text) for text in self._batches[k]]

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if self._pump is not None:  # it sees the end of the dead helper's output
            self._pump.join()
            self._pump = None
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def _start(self) -> None:
        request = json.dumps(self._batches[1:]).encode("ascii")  # ASCII: any text survives
        try:
            self._proc = subprocess.Popen(helper_command(), cwd=_PACKAGE_ROOT,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL)
        except OSError:
            self._proc = None
            return
        self.helper_pid = self._proc.pid
        self._pump = threading.Thread(target=self._talk, args=(self._proc, request),
                                      name="notes-ahead", daemon=True)
        self._pump.start()

    def _talk(self, proc: subprocess.Popen[bytes], request: bytes) -> None:
        """Send the request, then hand each answer line over; None at the end."""
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(request + b"\n")
            proc.stdin.close()
            for line in proc.stdout:
                self._lines.put(line)
        except (OSError, ValueError):  # killed, or its pipes closed by close()
            pass
        finally:
            self._lines.put(None)

    def _receive(self, k: int) -> list[str] | None:
        try:
            line = self._lines.get(timeout=BATCH_TIMEOUT_S)
        except queue.Empty:
            return None
        if line is None:
            return None
        try:
            got = json.loads(line)
        except ValueError:
            return None
        expected = len(self._batches[k])
        if (not isinstance(got, list) or len(got) != expected
                or not all(isinstance(h, str) for h in got)):
            return None
        return got


def helper_command() -> list[str]:
    return [sys.executable, "-m", __name__]


def main() -> None:
    """The helper: one JSON line of batches in, one JSON line of HTML out per batch."""
    batches = json.loads(sys.stdin.buffer.readline())
    out = sys.stdout.buffer
    for batch in batches:
        out.write(json.dumps([render_markdown(text) for text in batch]).encode("ascii"))
        out.write(b"\n")
        out.flush()


if __name__ == "__main__":
    main()
