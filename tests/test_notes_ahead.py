"""Notes rendered ahead in a helper process: the same HTML as here, and no helper left behind."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from briefing_app.model import notes_ahead
from briefing_app.model.markdown import render_markdown
from briefing_app.model.notes_ahead import NotesAhead

ROOT = Path(__file__).resolve().parent.parent
NOTES = ["Plain *note* with a [link](https://example.org) and `code`.",
         "| a | b |\n|---|---|\n| 1 | 2 |", "- one\n- two\n\n```\nfenced\n```", "",
         "Bidi \u202e and zero\u200bwidth", "<script>alert(1)</script> after"]


def hostile_notes():
    path = ROOT / "tools" / "make_hostile.py"
    spec = importlib.util.spec_from_file_location("make_hostile", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return [case.note for case in module.cases() if case.is_note]


def batches_of(notes, size=3):
    return [notes[k:k + size] for k in range(0, len(notes), size)]


def helper_finished(ahead):
    """Wait (up to a minute) until the helper has answered everything and exited: its
    output is then all queued. A join, not a sleep: done as soon as it is done."""
    ahead._pump.join(timeout=60)
    assert not ahead._pump.is_alive()


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("notes", [NOTES, hostile_notes()], ids=["plain", "hostile"])
def test_the_helper_renders_what_this_process_renders(notes):
    batches = batches_of(notes)
    with NotesAhead(batches, min_notes=0) as ahead:
        helper_finished(ahead)  # the helper got ahead: nothing is left to do here
        got = [ahead.batch(k) for k in range(len(batches))]
        assert ahead.helper_notes == len(notes)
    assert got == [[render_markdown(t) for t in b] for b in batches]
    assert gone(ahead.helper_pid)


def test_few_notes_start_no_helper():
    with NotesAhead(batches_of(NOTES)) as ahead:
        assert ahead.helper_pid is None
        assert ahead.batch(1) == [render_markdown(t) for t in NOTES[3:6]]


@pytest.mark.parametrize("script", [
    "pass",  # exits at once
    "import sys; sys.stdin.read(); print('not json')",
    "import sys; sys.stdin.read(); print('[\"a list\"]')",  # not one note's HTML
], ids=["exits", "garbled", "not-a-note"])
def test_a_failing_helper_is_ended_and_its_work_done_here(script, monkeypatch):
    monkeypatch.setattr(notes_ahead, "helper_command", lambda: [sys.executable, "-c", script])
    batches = batches_of(NOTES)
    with NotesAhead(batches, min_notes=0) as ahead:
        helper_finished(ahead)  # its failure has arrived when the first batch is asked for
        got = [ahead.batch(k) for k in range(len(batches))]
        assert ahead.helper_notes == 0
        assert gone(ahead.helper_pid)  # ended when its failure was seen, not at the end
    assert got == [[render_markdown(t) for t in b] for b in batches]


def test_a_slow_helper_is_not_waited_for(monkeypatch):
    script = "import sys, time; sys.stdin.read(); time.sleep(30)"
    monkeypatch.setattr(notes_ahead, "helper_command", lambda: [sys.executable, "-c", script])
    batches = batches_of(NOTES)
    with NotesAhead(batches, min_notes=0) as ahead:
        got = [ahead.batch(k) for k in range(len(batches))]
        assert not gone(ahead.helper_pid)  # every batch made here while it still sleeps
        assert ahead.helper_notes == 0
    assert gone(ahead.helper_pid)
    assert got == [[render_markdown(t) for t in b] for b in batches]


def test_closing_early_ends_the_helper():
    batches = batches_of(NOTES * 50)
    ahead = NotesAhead(batches, min_notes=0)
    ahead.batch(0)
    ahead.close()
    assert gone(ahead.helper_pid)
    assert ahead.batch(1) == [render_markdown(t) for t in batches[1]]  # still answers
