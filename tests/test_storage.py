"""Storage: byte-identical round trips, unknown fields kept, every error names file and place."""

import json
import os
import stat

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefing_app.model import storage
from briefing_app.model.errors import ChangedOnDisk, LoadError, SaveError


def write(tmp_path, text, name="events.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def minimal(**extra):
    data = {
        "format": "briefing/1",
        "title": "T",
        "actors": [{"id": "us", "name": "United States", "color": "#1f5fbf"}],
        "sources": [{"id": "s1", "title": "Source one"}],
        "events": [{"id": "e1", "title": "One", "date": "2019-01-23", "actors": ["us"],
                    "tags": [], "notes": "", "quotes": [{"text": "q", "source": "s1"}]}],
    }
    data.update(extra)
    return data


def problems_of(tmp_path, data_or_text):
    text = data_or_text if isinstance(data_or_text, str) else json.dumps(data_or_text, indent=2)
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as info:
        storage.load(path)
    return info.value.problems, str(path)


def test_bundled_briefing_round_trips_byte_for_byte(bundled_path, tmp_path):
    original = bundled_path.read_bytes()
    briefing = storage.load(bundled_path)
    copy = tmp_path / "copy.json"
    storage.save(briefing, copy)
    assert copy.read_bytes() == original


def test_bundled_briefing_is_rich_enough(briefing):
    assert len(briefing.events) >= 12
    ids = {e.id for e in briefing.events}
    assert len(ids) == len(briefing.events)
    for event in briefing.events:
        assert 1 <= len(event.quotes) <= 3, event.id
        assert event.actors and event.notes and event.confidence, event.id
    texts = {e.date.text for e in briefing.events}
    assert {"2019-01-23", "late 2024", "2026-01-15"} <= texts
    assert any("ambassador" in e.title.lower() for e in briefing.events)
    notes = " ".join(e.notes for e in briefing.events)
    assert "COSCO" in notes and "China Merchants" in notes  # the correction is stated
    assert any(q.translated for e in briefing.events for q in e.quotes)


def test_unknown_fields_at_every_level_are_kept(tmp_path):
    data = minimal(x_top={"a": [1, 2]})
    data["actors"][0]["x_actor"] = 1
    data["sources"][0]["x_source"] = "s"
    data["events"][0]["x_event"] = {"nested": True}
    data["events"][0]["quotes"][0]["x_quote"] = None
    path = write(tmp_path, json.dumps(data))
    first = tmp_path / "first.json"
    storage.save(storage.load(path), first)
    saved = json.loads(first.read_text())
    assert saved["x_top"] == {"a": [1, 2]}
    assert saved["actors"][0]["x_actor"] == 1
    assert saved["sources"][0]["x_source"] == "s"
    assert saved["events"][0]["x_event"] == {"nested": True}
    assert saved["events"][0]["quotes"][0]["x_quote"] is None
    second = tmp_path / "second.json"
    storage.save(storage.load(first), second)
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("depth", [storage.MAX_NESTING, storage.MAX_NESTING + 1])
def test_unknown_fields_nest_at_most_max_nesting_levels(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    text = json.dumps(minimal(x_deep=value))
    if depth > storage.MAX_NESTING:
        with pytest.raises(LoadError, match=f"x_deep: is nested more than {depth - 1} levels"):
            storage.loads(text, "x.json")
    else:
        assert json.loads(storage.dumps(storage.loads(text, "x.json")))["x_deep"] == value


def test_empty_briefing_fields_are_left_out_of_the_file():
    saved = json.loads(storage.dumps(storage.loads(json.dumps(minimal()), "x.json")))
    assert list(saved) == ["format", "title", "actors", "sources", "events"]


def test_save_is_deterministic_utf8_with_trailing_newline(tmp_path, briefing):
    data = storage.dumps(briefing)
    assert data.endswith(b"}\n") and b'\n  "title"' in data
    assert data == storage.dumps(storage.loads(data.decode()))


def test_span_in_one_text_and_as_date_plus_end_both_load(tmp_path):
    data = minimal()
    data["events"].append({"id": "e2", "title": "Span", "date": "2023/2024"})
    data["events"].append({"id": "e3", "title": "Two", "date": "2019-01", "end": "late 2019"})
    b = storage.loads(json.dumps(data))
    e2, e3 = b.event("e2"), b.event("e3")
    assert (e2.start.isoformat(), e2.stop.isoformat()) == ("2023-01-01", "2024-12-31")
    assert (e3.start.isoformat(), e3.stop.isoformat()) == ("2019-01-01", "2019-12-31")


# --- every error path names the file and the place ---------------------------------------

def test_syntax_error_has_line_and_column(tmp_path):
    problems, name = problems_of(tmp_path, '{\n  "title": "x"\n  "events": []\n}')
    assert problems == [f"{name}:3:3: Expecting ',' delimiter"]


def test_bad_date_names_the_json_path(tmp_path):
    data = minimal()
    data["events"][0]["date"] = "late 2O24"
    problems, name = problems_of(tmp_path, data)
    assert problems[0].startswith(f"{name}: events[0].date: 'late 2O24' is not a date")
    assert "accepted forms" in problems[0]


def test_every_problem_is_reported_at_once(tmp_path):
    data = minimal()
    data["events"].append({"id": "e1", "title": "Dup", "date": "sometime", "actors": ["cn"],
                           "quotes": [{"text": "q", "source": "nope", "credibility": 9}],
                           "confidence": "certain"})
    problems, name = problems_of(tmp_path, data)
    assert problems == [
        f"{name}: events[1].id: duplicate event id 'e1'",
        f"{name}: events[1].date: " + problems[1].split("events[1].date: ", 1)[1],
        f"{name}: events[1].actors[0]: unknown actor id 'cn'",
        f"{name}: events[1].quotes[0].source: unknown source id 'nope'",
        f"{name}: events[1].quotes[0].credibility: 9 is not a number from 1 to 6",
        f"{name}: events[1].confidence: 'certain' is not one of: low, moderate, high",
    ]


@pytest.mark.parametrize("mutate, where, message", [
    (lambda d: d["events"][0].pop("title"), "events[0].title", "is missing"),
    (lambda d: d["events"][0].update(title=5), "events[0].title", "must be text, not a number"),
    (lambda d: d["events"][0].update(title=" \t\u3000"), "events[0].title", "is empty"),
    (lambda d: d.update(events={}), "events", "must be a list, not an object"),
    (lambda d: d["events"].append(3), "events[1]", "must be an object, not a number"),
    (lambda d: d["actors"][0].update(color="blue"), "actors[0].color", "is not a colour"),
    (lambda d: d["sources"][0].update(reliability="G"), "sources[0].reliability", "is not one of"),
    (lambda d: d["sources"][0].update(published="soon"), "sources[0].published", "is not a date"),
    (lambda d: d["events"][0].update(end="2018"), "events[0].end", "is before the date"),
    (lambda d: d["events"][0].update(likelihood="maybe"), "events[0].likelihood", "not one of"),
    (lambda d: d["events"][0].update(tags=["navy", 1]), "events[0].tags", "must be a list of text"),
    (lambda d: d["events"][0]["quotes"][0].update(translated="yes"),
     "events[0].quotes[0].translated", "must be true or false"),
    (lambda d: d.update(format="briefing/9"), "format", "is not a supported format"),
    (lambda d: d["events"][0]["quotes"][0].update(credibility=0),
     "events[0].quotes[0].credibility", "0 is not a number from 1 to 6"),
    (lambda d: d["events"][0]["quotes"][0].update(credibility=7),
     "events[0].quotes[0].credibility", "7 is not a number from 1 to 6"),
    # an id that differs from another only by case and a trailing space
    (lambda d: d["events"].append({"id": "E1 ", "title": "T", "date": "2020"}), "events[1].id",
     "looks like the event id 'e1'"),
])
def test_content_errors(tmp_path, mutate, where, message):
    data = minimal()
    mutate(data)
    problems, name = problems_of(tmp_path, data)
    assert any(p.startswith(f"{name}: {where}: ") and message in p for p in problems), problems


def test_an_unsupported_format_is_reported_first_and_the_rest_still_listed(tmp_path):
    data = minimal(format="briefing/9")
    data["events"][0]["date"] = "sometime"
    problems, name = problems_of(tmp_path, data)
    assert [p.split(": ")[1] for p in problems] == ["format", "events[0].date"]


@pytest.mark.parametrize("other_tool", [False, True])
def test_an_end_inside_the_date_s_own_span_is_not_before_it(other_tool):
    """'2019' to 'June 2019' loads on the fast path and on the checked one (a field of
    another tool sends an event there)."""
    data = minimal()
    data["events"][0].update(date="2019", end="2019-06", **({"x": 1} if other_tool else {}))
    event = storage.loads(json.dumps(data), "x.json").events[0]
    assert (event.date.text, event.end.text) == ("2019", "2019-06")


@pytest.mark.parametrize("extra", [0, 50])
@pytest.mark.parametrize("bad", ["is not a date", "appears more than once"])
def test_problems_beyond_the_cap_are_counted_not_listed(extra, bad):
    n = storage.MAX_PROBLEMS + extra
    if bad == "is not a date":
        text = json.dumps(minimal(events=[{"id": f"e{i}", "title": "E", "date": "sometime"}
                                          for i in range(n)]))
    else:
        dupes = ", ".join(['{"a": 1, "a": 2}'] * n)
        text = f'{{"title": "T", "events": [], "x": [{dupes}]}}'
    with pytest.raises(LoadError) as info:
        storage.loads(text, "x.json")
    problems = info.value.problems
    assert len(problems) == storage.MAX_PROBLEMS + (1 if extra else 0)
    assert all(bad in p for p in problems[:storage.MAX_PROBLEMS])
    if extra:
        assert problems[-1] == f"x.json: ... and {extra} more problems"


@pytest.mark.parametrize("title", ["", "   "])
def test_a_blank_event_title_is_refused_by_both_load_paths(title):
    data = minimal()
    data["events"].append({"id": "e2", "title": title, "date": "2020"})
    expected = ["x.json: events[1].title: is empty; every event needs a title"]
    with pytest.raises(LoadError) as streamed:  # event by event, falling back to the check
        storage.loads(json.dumps(data), "x.json")
    with pytest.raises(LoadError) as checked:  # the whole tree, then every field checked
        storage.parse_briefing("x.json", data)
    assert streamed.value.problems == checked.value.problems == expected


@pytest.mark.parametrize("where", ["events[1]", "actors[0]", "sources[0]"])
@pytest.mark.parametrize("ident", ["", "  "])
def test_an_empty_id_is_refused_by_both_load_paths(where, ident):
    data = minimal()
    data["events"].append({"id": "e2", "title": "Second", "date": "2020"})
    data["actors"] = [{"id": "a1", "name": "Actor"}]
    data["sources"] = [{"id": "s1", "title": "Source"}]
    kind, index = where[:-3], int(where[-2])
    data[kind][index]["id"] = ident
    with pytest.raises(LoadError) as streamed:
        storage.loads(json.dumps(data), "x.json")
    with pytest.raises(LoadError) as checked:
        storage.parse_briefing("x.json", data)
    assert streamed.value.problems == checked.value.problems
    assert f"x.json: {where}.id: is empty" in checked.value.problems


def test_two_events_without_an_id_are_missing_ids_not_duplicates():
    data = minimal()
    data["events"] = [{"title": "A", "date": "2019"}, {"title": "B", "date": "2019"}]
    with pytest.raises(LoadError) as err:
        storage.loads(json.dumps(data), "x.json")
    assert err.value.problems == ["x.json: events[0].id: is missing",
                                  "x.json: events[1].id: is missing"]


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"[1, 2]", "the top level must be a JSON object, not a list"),
    (b'{"title": NaN}', "NaN is not allowed"),
    (b"\xff\xfe{\x00}\x00", "UTF-16"),
    (b"\xfe\xff\x00{\x00}", "is UTF-16 encoded"),  # big-endian too
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    (b'{"title": "caf\xe9"}', ":1:15: not valid UTF-8"),
    (b'{"a": 1}{"b": 2}', ":1:9: extra data after the end of the JSON document"),
    (b'{"title": "a",', ":1:15: Expecting property name enclosed in double quotes (the file ends "
                       "too early"),
    (b'{"title": "t", "x": -1e999}', ":1:21: the number -1e999 is too large"),
    (b'{\n<<<<<<< HEAD\n"title": "a"\n=======\n', ":2:1: contains a git merge-conflict marker"),
    (b"[" * 100000, "nested too deeply"),
    (b'{"a": ' + b"9" * 5000 + b"}", "digits"),
])
def test_unreadable_content_gets_a_specific_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        storage.load(path)
    assert str(path) in info.value.problems[0]
    assert message in info.value.problems[0]
    assert path.read_bytes() == content


def test_folder_and_missing_file_are_unreadable(tmp_path):
    for path, message in [(tmp_path, "is a folder"), (tmp_path / "nope.json", "cannot open")]:
        with pytest.raises(LoadError) as info:
            storage.load(path)
        assert info.value.unreadable and message in str(info.value)


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        storage.load(fifo)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "sparse.json"
    with open(path, "wb") as f:
        f.truncate(storage.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(LoadError, match=f"too large \\({storage.MAX_FILE_BYTES + 1:,} bytes"):
        storage.load(path)  # the size on disk, not a GiB read to find out


def test_a_file_longer_than_its_reported_size_is_refused_not_read_short():
    """/proc and some FUSE file systems report a size of 0: the limit holds while reading."""
    if not os.path.isfile("/proc/self/status"):
        pytest.skip("no /proc")
    with pytest.raises(LoadError, match="too large"):
        storage.read_bytes("/proc/self/status", max_bytes=16)


# --- saving ----------------------------------------------------------------------------

def test_save_keeps_mode_and_resolves_symlinks(tmp_path, briefing):
    real = tmp_path / "real.json"
    storage.save(briefing, real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    briefing.title = "Changed"
    storage.save(briefing, link)
    assert link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert storage.load(real).title == "Changed"
    assert not list(tmp_path.glob(".*.tmp"))


def test_short_write_fails_and_leaves_the_original(tmp_path, briefing):
    path = tmp_path / "b.json"
    storage.save(briefing, path)
    before = path.read_bytes()

    def full_disk(fd, view):  # the disk fills after the first 100 bytes
        return os.write(fd, view[:100]) if os.lseek(fd, 0, os.SEEK_CUR) == 0 else 0

    briefing.title = "Changed"
    with pytest.raises(SaveError, match="no space left"):
        storage.write_atomic(path, storage.dumps(briefing), _write=full_disk)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_write_that_claims_more_than_it_wrote_fails_and_leaves_the_original(tmp_path,
                                                                               briefing):
    path = tmp_path / "b.json"
    storage.save(briefing, path)
    before = path.read_bytes()

    def lying(fd, view):  # a network file system that acknowledges what it dropped
        os.write(fd, view[:10])
        return len(view)

    briefing.title = "Changed"
    with pytest.raises(SaveError, match="wrong size"):
        storage.write_atomic(path, storage.dumps(briefing), _write=lying)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_unencodable_text_fails_before_touching_the_file(tmp_path, briefing):
    path = tmp_path / "b.json"
    storage.save(briefing, path)
    before = path.read_bytes()
    briefing.title = "lone \ud800 surrogate"
    with pytest.raises(SaveError, match="UTF-8"):
        storage.save(briefing, path)
    assert path.read_bytes() == before


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path, briefing):
    path = tmp_path / "b.json"
    storage.save(briefing, path)
    dead = tmp_path / ".b.json.999999999.abc123.tmp"  # no such pid
    dead.write_text("half")
    other = tmp_path / ".other.json.999999999.abc.tmp"
    other.write_text("x")
    assert storage.remove_stale_temp_files(path) == [dead]
    assert other.exists() and not dead.exists()


# The fast encoder must write exactly what json.dumps writes: any text, any JSON value in an
# unknown field (the fallback covers what orjson refuses: integers beyond 64 bits).
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12)


@given(title=st.text(), notes=st.text(), extra=_JSON)
@example(title="", notes="", extra=1.192092896e-07)  # orjson writes 1.192092896e-7
@example(title="", notes="", extra=[2**64, 1e22])
def test_fast_encoder_writes_what_json_dumps_writes(title, notes, extra):
    briefing = storage.loads(json.dumps(minimal()))
    briefing.title = title
    briefing.events[0].notes = notes
    briefing.events[0].extra = {"x_any": extra}  # (a loaded record's empty extra is shared)
    briefing.events[0].quotes[0].extra = {"x_any": [extra]}
    briefing.extra["x_any"] = {"x": extra}
    expected = json.dumps(storage.to_json(briefing), indent=2, ensure_ascii=False) + "\n"
    assert storage.dumps(briefing) == expected.encode("utf-8")


def test_save_refuses_to_overwrite_a_file_changed_since_it_was_read(tmp_path, briefing):
    path = tmp_path / "b.json"
    digest = storage.save(briefing, path)
    assert digest == storage.content_hash(path.read_bytes())
    assert storage.save(briefing, path, expected_hash=digest) == digest  # unchanged: fine
    theirs = path.read_bytes().replace(b"\n}", b',\n  "x_theirs": 1\n}')
    path.write_bytes(theirs)
    briefing.title = "Ours"
    with pytest.raises(ChangedOnDisk, match="changed by another program"):
        storage.save(briefing, path, expected_hash=digest)
    assert path.read_bytes() == theirs
    path.unlink()  # gone: nothing to overwrite, so nothing to lose
    storage.save(briefing, path, expected_hash=digest)
    assert storage.load(path).title == "Ours"


def test_a_file_the_change_check_cannot_read_counts_as_changed(tmp_path, briefing):
    path = tmp_path / "b.json"
    digest = storage.save(briefing, path)
    with open(path, "r+b") as f:
        f.truncate(storage.MAX_FILE_BYTES + 1)  # theirs now: too large to read (sparse)
    with pytest.raises(ChangedOnDisk):
        storage.save(briefing, path, expected_hash=digest)
    assert os.path.getsize(path) == storage.MAX_FILE_BYTES + 1


def test_a_large_file_is_hashed_while_it_is_parsed(tmp_path, briefing):
    briefing.events[0].notes = "x" * (2 << 20)  # over the 1 MB threshold for the thread
    path = tmp_path / "big.json"
    digest = storage.save(briefing, path)
    loaded, loaded_digest = storage.load_with_hash(path)
    assert loaded_digest == digest == storage.content_hash(path.read_bytes())
    assert loaded.events[0].notes == briefing.events[0].notes


def test_the_fast_path_builds_what_the_checked_path_builds(bundled_path, tmp_path,
                                                           monkeypatch):
    data = json.loads(bundled_path.read_text(encoding="utf-8"))
    event = data["events"][0]
    event.update(end="2030", likelihood="likely", confidence="high", quotes=[
        {"text": "a", "source": data["sources"][0]["id"], "speaker": "", "credibility": 2,
         "translated": True, "original": "b"},
        {"text": "c", "source": ""}])
    path = write(tmp_path, json.dumps(data))
    fast = storage.load(path)
    monkeypatch.setattr(storage._Builder, "_plain_event", lambda self, *args: None)
    assert storage.load(path) == fast
    assert fast.events[0].quotes[0].speaker is None  # "" reads as no speaker on both paths


def test_the_writer_thread_writes_through_its_own_descriptor(tmp_path, monkeypatch):
    """Ctrl+C in the save's join closes the save's descriptor while its writer thread still
    runs; the number can go to the next file opened, which must never get the rest."""
    import tempfile

    made, used = [], []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        made.append(fd)
        return fd, name

    def write(fd, view):
        used.append(fd)
        return os.write(fd, view)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    storage.write_atomic(tmp_path / "b.json", iter([b"A" * 10, b"B" * 10]), _write=write)
    assert (tmp_path / "b.json").read_bytes() == b"A" * 10 + b"B" * 10
    assert used and made and made[0] not in used


def test_a_fifo_swapped_in_is_not_read_by_the_change_check(tmp_path, briefing):
    path = tmp_path / "b.json"
    digest = storage.save(briefing, path)
    path.unlink()
    os.mkfifo(path)  # reading it would block until someone writes: a hang
    with pytest.raises(SaveError, match="not a regular file"):
        storage.save(briefing, path, expected_hash=digest)
    assert stat.S_ISFIFO(os.stat(path).st_mode)


def test_write_atomic_takes_any_bytes_like_object(tmp_path):
    for data in (b"one", bytearray(b"two"), memoryview(b"three")):
        storage.write_atomic(tmp_path / "x", data)
        assert (tmp_path / "x").read_bytes() == bytes(data)


def test_saving_leaves_no_utf8_copy_attached_to_the_briefings_text(tmp_path, briefing):
    """orjson reads non-ASCII text through CPython's UTF-8 cache, which stays attached to
    the string as long as it lives (~80 MB at 100k events after a single save)."""
    import sys

    event = briefing.events[0]
    event.notes = "Perú y Chancay. " * 100
    event.quotes[0].text = "Según la Marina: «sí»."
    sizes = [sys.getsizeof(event.notes), sys.getsizeof(event.title),
             sys.getsizeof(event.quotes[0].text)]
    storage.save(briefing, tmp_path / "b.json")
    storage.save_file(briefing, tmp_path / "c.json")
    assert [sys.getsizeof(event.notes), sys.getsizeof(event.title),
            sys.getsizeof(event.quotes[0].text)] == sizes


def checked(text, name="b.json"):
    """The whole tree first, then the briefing: the path that reports every problem."""
    return storage.parse_briefing(name, storage.parse_json(name, text))


def layouts(data):
    """The same briefing written in ways a person or another program might."""
    head = {k: v for k, v in data.items() if k != "events"}
    yield json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    yield json.dumps(data)  # one line, ASCII escapes
    yield json.dumps(data, indent="\t").replace("\n", "\r\n")
    yield json.dumps({**head, "x_after": [1, {"events": []}], "events": data["events"]})
    yield json.dumps({"events": data["events"], **{k: v for k, v in head.items()
                                                 if k not in ("actors", "sources")},
                      "actors": data["actors"], "sources": data["sources"]})  # events first
    yield json.dumps({**data, "events": []}, indent=1)
    yield "  " + json.dumps(data, separators=(" , ", " : ")) + "\n\n"


def test_a_file_is_built_event_by_event_into_what_the_checked_path_builds(bundled_path):
    data = json.loads(bundled_path.read_text(encoding="utf-8"))
    data["events"][1]["x_unknown"] = {"kept": [1.5, None, True]}
    data["events"][2]["quotes"][0]["x_note"] = "kept too"
    data["x_top"] = {"deep": [1, 2]}
    streamed = 0
    for text in layouts(data):
        expected = checked(text)
        assert storage.loads(text, "b.json") == expected
        streamed += storage._streamed("b.json", text) is not None
    assert streamed >= 5  # all but the events-first layout go event by event


@pytest.mark.parametrize("broken, message", [
    ('"tags": [', '"tags": ["a", "a"], "tags": ['),  # a duplicate key inside an event
    ('"credibility": 2', '"credibility": NaN'),
    ('"title": "', '"title": "\\ud800'),
    ('"notes": "', '"notes": 1, "notes2": "'),
])
def test_anything_to_report_goes_the_checked_way(bundled_path, broken, message):
    text = bundled_path.read_text(encoding="utf-8")
    assert broken in text
    bad = text.replace(broken, message, 1)
    assert storage._streamed("b.json", bad) is None
    with pytest.raises(LoadError) as got:
        storage.loads(bad, "b.json")
    with pytest.raises(LoadError) as expected:
        checked(bad)
    assert got.value.problems == expected.value.problems


@pytest.mark.parametrize("text", [
    '{"format": "briefing/1", "title": "T", "events": [{"id": "a", "title": "A", '
    '"date": "2020"},]}',  # a trailing comma
    '{"format": "briefing/1", "title": "T", "events": [1]}',
    '{"format": "briefing/1", "title": "T", "events": []} {}',
    '{"format": "briefing/1", "title": "T", "events": [], "events": []}',
    '{"format": "briefing/1", "title": "T", "events": [{"id": "a", "title": "A", "date": "2020"}',
    '[]',
])
def test_broken_or_odd_json_is_never_built_on_the_way(text):
    assert storage._streamed("b.json", text) is None
    with pytest.raises(LoadError):
        storage.loads(text, "b.json")


def test_fields_after_the_events_are_checked_too(bundled_path):
    data = json.loads(bundled_path.read_text(encoding="utf-8"))
    events = data.pop("events")
    text = json.dumps({**{k: v for k, v in data.items() if k != "format"}, "events": events,
                       "format": "briefing/2"})
    with pytest.raises(LoadError, match="'briefing/2' is not a supported format"):
        storage.loads(text, "b.json")
    text = json.dumps({**data, "events": events, "title": 5})
    with pytest.raises(LoadError, match="title: must be text"):
        storage.loads(text, "b.json")
