"""Many notes' Markdown rendered ahead in a helper process, while Qt lays out the pages.

A long PDF export renders ~1k notes (~0.7 s of Python-Markdown per 1k) and then lays them
out in Qt, which holds the GIL; a thread would not run beside it, a second process does.
The helper runs the same `render_markdown`, with every guard, so its HTML is the HTML this
process would make. It gets all the notes at once and answers one line per note, in order.
This process never waits for it: when a batch is asked for and the helper has not reached
its end, the notes it lacks are rendered here, from the batch's end backwards, until the
two meet (on a busy machine the helper may get little of the second core). Whatever goes
wrong with the helper (it cannot start, dies, answers garbled) ends it, and the rest is
rendered here: the result is the same, only slower.
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

# Below this many notes, starting a Python (~0.1 s) does not pay.
MIN_NOTES = 150
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding briefing_app/


class NotesAhead:
    """`batch(k)` is `[render_markdown(t) for t in batches[k]]`, from the helper where it has it.

    Use as a context manager, or call `close()`: it ends the helper.
    """

    def __init__(self, batches: Sequence[Sequence[str]], min_notes: int | None = None) -> None:
        self._texts = [text for batch in batches for text in batch]
        self._bounds: list[tuple[int, int]] = []
        for batch in batches:
            first = self._bounds[-1][1] if self._bounds else 0
            self._bounds.append((first, first + len(batch)))
        self._html: list[str | None] = [None] * len(self._texts)
        self._reached = 0  # the index of the note the helper answers next
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._proc: subprocess.Popen[bytes] | None = None
        self._pump: threading.Thread | None = None
        self.helper_notes = 0  # notes taken from the helper (tests read these two)
        self.helper_pid: int | None = None
        wanted = MIN_NOTES if min_notes is None else min_notes
        # A frozen app's executable is the app itself, not a Python to run `-m` with.
        runnable = bool(sys.executable) and not getattr(sys, "frozen", False)
        if len(self._texts) >= max(wanted, 1) and runnable:
            self._start()

    def __enter__(self) -> NotesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._bounds)

    def batch(self, k: int) -> list[str]:
        """The rendered notes of batch `k`."""
        first, end = self._bounds[k]
        here = end  # notes [here, end) are rendered here
        while True:
            self._take_answers()
            if here <= max(first, self._reached) or self._proc is None:
                break
            here -= 1
            if self._html[here] is None:
                self._html[here] = render_markdown(self._texts[here])
        for i in range(first, end):
            if self._html[i] is None:  # the helper is gone
                self._html[i] = render_markdown(self._texts[i])
        done = self._html[first:end]
        self._html[first:end] = [""] * (end - first)  # asked for once: late answers are dropped
        return done  # type: ignore[return-value]  # all filled above

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

    def _take_answers(self) -> None:
        """File every answer that has arrived; on a garbled one or the end, end the helper."""
        while self._proc is not None:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return
            try:
                html = json.loads(line) if line is not None else None
            except ValueError:
                html = None
            if not isinstance(html, str) or self._reached >= len(self._texts):
                self.close()
                return
            if self._html[self._reached] is None:
                self._html[self._reached] = html
                self.helper_notes += 1
            self._reached += 1

    def _start(self) -> None:
        request = json.dumps(self._texts).encode("ascii")  # ASCII: any text survives
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


def helper_command() -> list[str]:
    return [sys.executable, "-m", __name__]


def main() -> None:
    """The helper: one JSON line of note texts in, one JSON line of HTML out per note."""
    texts = json.loads(sys.stdin.buffer.readline())
    out = sys.stdout.buffer
    for text in texts:
        out.write(json.dumps(render_markdown(text)).encode("ascii") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
