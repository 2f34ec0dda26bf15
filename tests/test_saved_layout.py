"""A save after an edit copies the unchanged events' bytes from the file we last wrote:
the result must be exactly what a full encode writes, and nothing is copied from a file
that someone else changed."""

import dataclasses
import errno
import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.model import saved_layout, storage
from briefing_app.model.errors import ChangedOnDisk, SaveError


def four_times(briefing):
    """The bundled briefing's events four times over (distinct objects, distinct ids)."""
    events = [dataclasses.replace(e, id=f"{e.id}-{k}") for k in range(4) for e in briefing.events]
    return dataclasses.replace(briefing, events=events)


@pytest.fixture
def many(briefing):
    return four_times(briefing)


BUNDLED = four_times(storage.load(Path(__file__).resolve().parent.parent / "events.json"))


def check_layout(path: Path, layout: storage.SavedLayout) -> None:
    """Every event's recorded span holds exactly that event's canonical JSON."""
    data = path.read_bytes()
    assert layout.digest == hashlib.sha256(data).hexdigest()
    assert len(layout.starts) == len(layout.events) + 1
    for i, event in enumerate(layout.events):
        lo, hi = layout.span(i, i + 1)
        assert json.loads(data[lo:hi]) == storage.event_json(event)


edits = st.lists(st.tuples(st.sampled_from(["edit", "insert", "delete", "move", "twice"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), max_size=6)


@settings(max_examples=40)
@given(rounds=st.lists(edits, min_size=1, max_size=3))
def test_a_save_after_any_edits_writes_what_a_full_encode_writes(rounds):
    many = BUNDLED
    briefing = dataclasses.replace(many, events=list(many.events))
    events = briefing.events
    chunk, storage._CHUNK = storage._CHUNK, 5  # runs of fresh events split at chunk edges too
    try:
        save_after_edits(many, briefing, events, rounds)
    finally:
        storage._CHUNK = chunk


def save_after_edits(many, briefing, events, rounds):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.json"
        layout = storage.save_file(briefing, path)
        for ops in rounds:
            for op, a, b in ops:
                i = a % len(events) if events else 0
                if op == "edit" and events:
                    events[i] = dataclasses.replace(events[i], title=events[i].title + " (ed.)")
                elif op == "insert":
                    events.insert(i, dataclasses.replace(many.events[b % len(many.events)],
                                                         id=f"new-{a}-{b}"))
                elif op == "delete" and events:
                    del events[i]
                elif op == "move" and events:
                    events.insert(b % len(events), events.pop(i))
                elif op == "twice" and events:  # the very same object in two places
                    events.insert(b % len(events), events[i])
            layout = storage.save_file(briefing, path, layout.digest, layout)
            assert path.read_bytes() == storage.dumps(briefing)
            check_layout(path, layout)


def test_only_the_changed_events_are_encoded(many, tmp_path, encoded_ids):
    path = tmp_path / "b.json"
    layout = storage.save_file(many, path)
    check_layout(path, layout)
    encoded = encoded_ids()
    events = many.events
    events[3] = dataclasses.replace(events[3], notes="Changed.")
    del events[10]
    events.append(dataclasses.replace(events[0], id="appended"))
    layout = storage.save_file(many, path, layout.digest, layout)
    assert sorted(encoded) == sorted([events[3].id, "appended"])
    assert path.read_bytes() == storage.dumps(many)
    # The title and the other top-level fields are always written afresh.
    many.title = "A new title"
    storage.save_file(many, path, layout.digest, layout)
    assert storage.load(path).title == "A new title"


def test_nothing_is_copied_without_the_hash_of_the_file_we_wrote(many, tmp_path, monkeypatch):
    path = tmp_path / "b.json"
    layout = storage.save_file(many, path)
    copied = []
    real = saved_layout.OldFile.take
    monkeypatch.setattr(saved_layout.OldFile, "take",
                        lambda self, lo, hi: copied.append(hi - lo) or real(self, lo, hi))
    storage.save_file(many, path, None, layout)  # no check asked for: no copy
    assert not copied
    with pytest.raises(ChangedOnDisk):  # not the hash we wrote: no copy, no save
        storage.save_file(many, path, "0" * 64, layout)
    assert not copied
    layout = storage.save_file(many, path)
    storage.save_file(many, path, layout.digest, layout)
    assert sum(copied) > 0.9 * path.stat().st_size


@pytest.mark.parametrize("change", ["same size", "cut short", "grown", "replaced"])
def test_a_file_changed_since_our_save_stops_the_save(many, tmp_path, change):
    path = tmp_path / "b.json"
    layout = storage.save_file(many, path)
    data = path.read_bytes()
    ident = f'"{many.events[5].id}"'.encode()
    theirs = {
        "same size": data.replace(ident, ident.upper(), 1),
        "cut short": data[:len(data) // 2],
        "grown": data + b" ",
        "replaced": data.replace(ident, ident[::-1], 1),
    }[change]
    assert theirs != data
    if change == "replaced":  # another file renamed over ours
        other = tmp_path / "other.json"
        other.write_bytes(theirs)
        os.replace(other, path)
    else:
        with open(path, "r+b") as f:  # in place: the same file, other bytes
            f.truncate(0)
            f.write(theirs)
    many.events[0] = dataclasses.replace(many.events[0], title="Ours")
    with pytest.raises(ChangedOnDisk):
        storage.save_file(many, path, layout.digest, layout)
    assert path.read_bytes() == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]  # no temp file left


def test_a_deleted_file_is_written_in_full(many, tmp_path):
    path = tmp_path / "b.json"
    layout = storage.save_file(many, path)
    path.unlink()
    many.events[0] = dataclasses.replace(many.events[0], title="Ours")
    layout = storage.save_file(many, path, layout.digest, layout)
    assert path.read_bytes() == storage.dumps(many)
    check_layout(path, layout)


def test_events_that_do_not_split_canonically_are_not_recorded():
    two = b'    {\n      "id": "a"\n    },\n    {\n      "id": "b"\n    }'
    assert saved_layout.event_starts(two, 0, len(two), 2) == [0, two.index(b'    {', 1)]
    assert saved_layout.event_starts(two, 0, len(two), 3) is None
    assert saved_layout.event_starts(b"[" + two, 1, len(two) + 1, 2) == [0, two.index(b'    {', 1)]


def test_an_empty_briefing_and_back(many, tmp_path):
    path = tmp_path / "b.json"
    events = list(many.events)
    layout = storage.save_file(many, path)
    many.events = []
    layout = storage.save_file(many, path, layout.digest, layout)
    assert path.read_bytes() == storage.dumps(many)
    many.events = events
    layout = storage.save_file(many, path, layout.digest, layout)
    assert path.read_bytes() == storage.dumps(many)
    check_layout(path, layout)


def layout_found(events, path, digest, step=5):
    *_, last = [None, *storage.check_layout(events, path, digest, step)]
    return last


def test_a_file_we_wrote_is_recognised_after_opening(many, tmp_path, encoded_ids):
    path = tmp_path / "b.json"
    storage.save(many, path)
    loaded, digest = storage.load_with_hash(path)
    layout = layout_found(loaded.events, path, digest)
    assert layout is not None and layout.digest == digest
    check_layout(path, layout)
    encoded = encoded_ids()
    loaded.events[7] = dataclasses.replace(loaded.events[7], title="Changed")
    storage.save_file(loaded, path, digest, layout)
    assert encoded == [loaded.events[7].id]
    assert path.read_bytes() == storage.dumps(loaded)


@pytest.mark.parametrize("variant", ["crlf", "indent 4", "ascii escapes", "keys reordered",
                                     "a space after an event", "compact"])
def test_a_file_laid_out_otherwise_is_not_copied_from(many, tmp_path, variant):
    canonical = storage.to_json(many)
    text = json.dumps(canonical, indent=2, ensure_ascii=False) + "\n"
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "indent 4":
        text = json.dumps(canonical, indent=4, ensure_ascii=False) + "\n"
    elif variant == "ascii escapes":
        assert not text.isascii()
        text = json.dumps(canonical, indent=2) + "\n"
    elif variant == "keys reordered":
        canonical["events"][30] = dict(reversed(canonical["events"][30].items()))
        text = json.dumps(canonical, indent=2, ensure_ascii=False) + "\n"
    elif variant == "a space after an event":
        at = text.index("\n    },\n", len(text) // 2)
        text = text[:at + 6] + " " + text[at + 6:]
    elif variant == "compact":
        text = json.dumps(canonical, ensure_ascii=False)
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    loaded, digest = storage.load_with_hash(path)
    assert storage.dumps(loaded) == storage.dumps(many)  # the same briefing ...
    assert layout_found(loaded.events, path, digest) is None  # ... but not our bytes


def test_a_file_changed_after_opening_is_not_recognised(many, tmp_path):
    path = tmp_path / "b.json"
    storage.save(many, path)
    loaded, digest = storage.load_with_hash(path)
    many.title = "Theirs"
    storage.save(many, path)
    assert layout_found(loaded.events, path, digest) is None
    path.unlink()
    assert layout_found(loaded.events, path, digest) is None


def test_the_check_compares_the_events_as_loaded_not_as_edited_since(many, tmp_path):
    path = tmp_path / "b.json"
    storage.save(many, path)
    loaded, digest = storage.load_with_hash(path)
    checking = storage.check_layout(loaded.events, path, digest, step=5)
    next(checking)
    loaded.events[50] = dataclasses.replace(loaded.events[50], title="Edited meanwhile")
    *_, layout = checking
    assert layout is not None
    storage.save_file(loaded, path, digest, layout)
    assert path.read_bytes() == storage.dumps(loaded)


@pytest.fixture
def edited(many, tmp_path):
    """(briefing with one event edited since its save, path, layout of that save)."""
    path = tmp_path / "b.json"
    layout = storage.save_file(many, path)
    many.events[-1] = dataclasses.replace(many.events[-1], title="Edited by us")
    return many, path, layout


@pytest.mark.parametrize("theirs", ["same size", "cut short"])
@pytest.mark.parametrize("change_time", [True, False])
def test_a_write_after_the_hash_read_the_file_is_caught(edited, monkeypatch, theirs,
                                                        change_time):
    """Another program rewrites the file in place while the save runs, after the hash has
    read it: the change time shows the write; and even where it would not, the copies are
    the bytes hashed, so the file written is ours, never a mix."""
    briefing, path, layout = edited
    if not change_time:
        monkeypatch.setattr(saved_layout.OldFile, "still_at", lambda self, p: True)
    real = saved_layout.OldFile.take
    written = []

    def take(self, lo, hi):
        if not written:
            self.digest()  # the whole file has been read and hashed
            with open(path, "r+b") as f:
                data = f.read()
                f.seek(0)
                f.truncate(0)
                f.write(data.replace(b'"title": "', b'"title": "X', 1)[:len(data)]
                        if theirs == "same size" else data[:len(data) // 3])
            written.append(path.read_bytes())
        return real(self, lo, hi)
    monkeypatch.setattr(saved_layout.OldFile, "take", take)
    if change_time:
        with pytest.raises(ChangedOnDisk):
            storage.save_file(briefing, path, layout.digest, layout)
        assert path.read_bytes() == written[0]
    else:
        storage.save_file(briefing, path, layout.digest, layout)
        assert path.read_bytes() == storage.dumps(briefing)
    assert [p.name for p in path.parent.iterdir()] == ["b.json"]


def test_a_read_error_in_the_old_file_stops_the_save(edited, monkeypatch):
    briefing, path, layout = edited
    before = path.read_bytes()
    real = os.pread

    def failing(fd, n, at):
        if at > 0:
            raise OSError(errno.EIO, "Input/output error")
        return real(fd, min(n, 1000), at)
    monkeypatch.setattr(saved_layout.os, "pread", failing)
    with pytest.raises(SaveError, match="Input/output error"):
        storage.save_file(briefing, path, layout.digest, layout)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["b.json"]


def test_save_as_copies_from_the_file_open_until_now(edited, tmp_path, encoded_ids):
    briefing, path, layout = edited
    encoded = encoded_ids()
    other = tmp_path / "elsewhere.json"
    new_layout = storage.save_file(briefing, other, None, layout, source=path)
    assert encoded == [briefing.events[-1].id]
    assert other.read_bytes() == storage.dumps(briefing)
    assert path.read_bytes() != other.read_bytes()  # the source is left as it was
    check_layout(other, new_layout)


@pytest.mark.parametrize("change", ["rewritten", "gone", "unreadable"])
def test_save_as_from_a_changed_source_encodes_everything(edited, tmp_path, monkeypatch,
                                                          change):
    briefing, path, layout = edited
    if change == "rewritten":
        path.write_bytes(path.read_bytes().replace(b'"title": "', b'"title": "X', 1))
    elif change == "gone":
        path.unlink()
    else:
        monkeypatch.setattr(saved_layout.os, "pread", lambda *a: (_ for _ in ()).throw(
            OSError(errno.EIO, "Input/output error")))
    other = tmp_path / "elsewhere.json"
    storage.save_file(briefing, other, None, layout, source=path)
    assert other.read_bytes() == storage.dumps(briefing)
