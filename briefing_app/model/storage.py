"""Reading and writing briefing files (JSON, format "briefing/1").

`load` checks the file before reading it (a regular file, not too large), decodes strict
UTF-8, parses JSON and validates every field, collecting every problem at once; each problem
names the file and the place (`events.json:14:7: ...` or `events.json: events[3].date: ...`).
`save` writes deterministically (stable key order, 2-space indent, UTF-8, trailing newline)
and atomically (temp file in the same folder, fsync, rename), so a crash leaves either the
old or the new file, never a mix. Unknown fields at every level are kept.

Hostile files: nothing is read before the path is known to be a regular file of sane size;
JSON that Python would accept but another reader (or a later save) would not is refused:
NaN/Infinity, numbers that overflow, duplicate keys, unpaired surrogates, unknown fields
nested deeper than MAX_NESTING, and ids that differ only invisibly (see `id_key`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import stat
import sys
import tempfile
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from json.decoder import scanstring
from operator import add
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .briefing import (
    CONFIDENCES,
    FORMAT,
    LIKELIHOODS,
    NO_EXTRA,
    RELIABILITY,
    Actor,
    Briefing,
    Event,
    Quote,
    Source,
)
from .dates import DateError, FuzzyDate, parse_date
from .errors import ChangedOnDisk, LoadError, SaveError
from .gc_pause import paused_gc
from .saved_layout import (
    SEPARATOR,
    OldFile,
    OldFileChanged,
    OldFileUnreadable,
    Run,
    SavedLayout,
    event_starts,
    pieces,
    runs,
)

MAX_FILE_BYTES = 1 << 30  # 1 GiB: far above any real briefing, far below a sparse-file bomb
MAX_PROBLEMS = 200
# Unknown fields deeper than this are refused: the save must be able to write back whatever
# loaded, and json.dumps recurses (a few hundred levels under the UI's own stack would fail).
MAX_NESTING = 64
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

_BRIEFING_KEYS = ("format", "title", "summary", "classification", "updated",
                  "actors", "sources", "events")
_ACTOR_KEYS = ("id", "name", "color")
_SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "reliability")
_QUOTE_KEYS = ("text", "source", "speaker", "credibility", "translated", "original")
_EVENT_KEYS = ("id", "title", "date", "end", "actors", "tags", "notes", "quotes",
               "likelihood", "confidence")
_QUOTE_KEYSET = frozenset(_QUOTE_KEYS)
T = TypeVar("T")
_EVENT_KEYSET = frozenset(_EVENT_KEYS)


# --- reading ---------------------------------------------------------------------------

def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text after checking it is a regular file of sane size."""
    return decode(display_name(os.fspath(path)), read_bytes(path, max_bytes))


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, after checking it is a regular file of sane size.

    The path is checked before it is opened (opening some devices has effects of its own)
    and the open descriptor again before a byte is read, so a path swapped for a FIFO or a
    link to /dev/zero between the two is still refused.
    """
    name = display_name(os.fspath(path))
    try:
        with open_regular(path, max_bytes) as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(name, [f"{name}: cannot read: {_os_reason(exc)}"], unreadable=True) from None
    if len(data) > max_bytes:
        raise LoadError(name, [f"{name}: is too large (over {max_bytes:,} bytes)"], unreadable=True)
    return data


def open_regular(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> BinaryIO:
    """Open a file for reading once it is known to be a regular file of sane size (see
    read_bytes); raise LoadError."""
    name = display_name(os.fspath(path))
    try:
        _check_regular(name, os.stat(path), max_bytes)
    except OSError as exc:
        raise LoadError(name, [f"{name}: cannot open: {_os_reason(exc)}"], unreadable=True) from None
    # O_NONBLOCK: a FIFO swapped in after the check must not block the open.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise LoadError(name, [f"{name}: cannot open: {_os_reason(exc)}"],
                        unreadable=True) from None
    f = os.fdopen(fd, "rb")
    try:
        _check_regular(name, os.fstat(f.fileno()), max_bytes)
    except BaseException:
        f.close()
        raise
    return f


def _check_regular(name: str, st: os.stat_result, max_bytes: int) -> None:
    kind = _NOT_REGULAR.get(stat.S_IFMT(st.st_mode))
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(name, [f"{name}: is a folder, not a briefing file"], unreadable=True)
    if not stat.S_ISREG(st.st_mode):
        raise LoadError(name, [f"{name}: is not a regular file ({kind or 'a special file'}); "
                               "a briefing is a .json file"], unreadable=True)
    if st.st_size > max_bytes:
        raise LoadError(name, [f"{name}: is too large ({st.st_size:,} bytes; the limit is "
                               f"{max_bytes:,})"], unreadable=True)


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
                stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def display_name(name: str) -> str:
    """`name` as it may be printed: undecodable bytes as \\xff, controls and invisibles escaped.

    A file name may hold a newline, a terminal escape or a bidi override; printed raw it
    could forge or hide a message (and an undecodable byte would crash the print).
    """
    if name.isprintable():
        return name
    out = []
    for char in name:
        if char.isprintable():
            out.append(char)
        elif "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for a non-UTF-8 byte
            out.append(f"\\x{ord(char) - 0xdc00:02x}")
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def decode(name: str, data: bytes) -> str:
    """Strict UTF-8 text of `data`, or a LoadError saying what the bytes are instead."""
    if not data or data.isspace():  # not data.strip(): that copies a 200 MB file
        raise LoadError(name, [f"{name}: the file is empty"])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LoadError(name, [f"{name}: is UTF-16 encoded; save it as UTF-8"])
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise LoadError(name, [f"{name}: is {what}, not a briefing"])
    nul = data.find(b"\x00")
    if nul >= 0 and not data.strip(b"\x00 \t\r\n"):
        raise LoadError(name, [f"{name}: holds only NUL bytes ({len(data):,}): the file was "
                               "probably cut short by a crash or power loss; restore a backup"])
    if nul >= 0:
        line, col = _line_col_bytes(data, nul)
        raise LoadError(name, [f"{name}:{line}:{col}: contains NUL bytes: a binary file, "
                               "or text that is not UTF-8 (UTF-16?)"])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(data, exc.start)
        raise LoadError(name, [f"{name}:{line}:{col}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                               "is the file Latin-1? Save it as UTF-8"]) from None


_MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx, .xlsx)"),
          (b"\x1f\x8b", "gzip-compressed"), (b"\x7fELF", "a program"))


def _line_col_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


class _NumberError(ValueError):
    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal = literal


def _reject_constant(name: str) -> Any:
    raise _NumberError(name, f"{name} is not allowed in a briefing (JSON has no such number)")


def _parse_float(literal: str) -> float:
    value = float(literal)
    if value in (math.inf, -math.inf):  # 1e999: Python makes it infinity, a save would fail
        raise _NumberError(literal, f"the number {_short(literal)} is too large "
                                    "(it would become infinity)")
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(name: str, text: str) -> Any:
    """json.loads with messages that name file, line and column (or the JSON path).

    Beyond the JSON grammar it refuses what would parse here but mislead another reader or
    fail a later save: duplicate keys (Python keeps the last one silently), NaN and Infinity,
    numbers too large for a float or too long for an int, and unpaired surrogates.
    """
    name = display_name(name)
    duplicated: list[tuple[dict, list[str]]] = []
    try:
        with paused_gc():
            data = _decoder(duplicated).decode(text)
    except json.JSONDecodeError as exc:
        raise LoadError(name, [_syntax_problem(name, text, exc)]) from None
    except RecursionError:
        raise LoadError(name, [f"{name}: the JSON is nested too deeply"]) from None
    except _NumberError as exc:
        raise LoadError(name, [f"{name}{_locate(text, exc.literal)}: {exc}"]) from None
    except ValueError as exc:  # integers with thousands of digits
        raise LoadError(name, [f"{name}{_number_problem(text, exc)}"]) from None
    problems = [f"{name}: {where}: the key {key!r} appears more than once in this object; "
                "JSON readers disagree about which value counts, so keep only one"
                for where, key in _duplicate_places(data, duplicated)]
    if _SURROGATE_ESCAPE.search(text):  # a cheap test; the walk runs only when it fires
        problems += [f"{name}: {where}: contains an unpaired surrogate "
                     f"(\\u{ord(char):04x}), which is not a character and cannot be saved"
                     for where, char in _surrogate_places(data)]
    if problems:
        raise LoadError(name, _capped(name, problems))
    return data


def _decoder(duplicated: list[tuple[dict, list[str]]]) -> json.JSONDecoder:
    """json's decoder, refusing NaN, Infinity and overflowing numbers, and noting in
    `duplicated` each object with a key that appears more than once."""
    def pairs(items: list[tuple[str, Any]]) -> dict:
        obj = dict(items)
        if len(obj) != len(items):
            counts = Counter(key for key, _ in items)
            duplicated.append((obj, [key for key, n in counts.items() if n > 1]))
        return obj
    return json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float,
                            object_pairs_hook=pairs)


def _syntax_problem(name: str, text: str, exc: json.JSONDecodeError) -> str:
    marker = re.search(r"^(<<<<<<<|=======|>>>>>>>)( |$)", text, re.M)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        return (f"{name}:{line}:1: contains a git merge-conflict marker "
                f"'{marker.group(1)}'; resolve the conflict first")
    msg = exc.msg
    if msg == "Extra data":
        msg = "extra data after the end of the JSON document (two documents glued together?)"
    elif exc.pos >= len(text.rstrip()) or msg.startswith("Unterminated string"):
        msg += " (the file ends too early: was it cut short?)"
    return f"{name}:{exc.lineno}:{exc.colno}: {msg}"


def _number_problem(text: str, exc: ValueError) -> str:
    message = str(exc)
    if "integer string conversion" not in message:
        return f": {message}"
    limit = sys.get_int_max_str_digits() or 4300
    found = re.search(r"-?\d{%d,}" % (limit + 1), text)
    if found is None:
        return f": a number has more than {limit:,} digits"
    line, col = _line_col(text, found.start())
    digits = len(found.group().lstrip("-"))
    return (f":{line}:{col}: a number with {digits:,} digits; numbers in a briefing have at "
            f"most {limit:,}")


def _locate(text: str, literal: str) -> str:
    found = re.search(r"(?<![\w.\"])" + re.escape(literal) + r"(?![\w.])", text)
    if found is None:
        return ""
    line, col = _line_col(text, found.start())
    return f":{line}:{col}"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _short(literal: str) -> str:
    return literal if len(literal) <= 24 else f"{literal[:20]}..."


def _capped(name: str, problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [f"{name}: ... and {len(problems) - MAX_PROBLEMS} more "
                                      "problems"]


def _walk(data: Any) -> Iterator[tuple[str, Any]]:
    """(JSON path, value) for every object, list and text in `data`, depth first."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        yield where, value
        if type(value) is dict:
            stack.extend((f"{where}.{k}" if where else str(k), v)
                         for k, v in reversed(value.items()))
        elif type(value) is list:
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value))))


def _duplicate_places(data: Any,
                      duplicated: list[tuple[dict, list[str]]]) -> list[tuple[str, str]]:
    if not duplicated:
        return []
    wanted = {id(obj): keys for obj, keys in duplicated}
    places = []
    for where, value in _walk(data):
        keys = wanted.pop(id(value), None) if type(value) is dict else None
        if keys:
            places += [(where or "the top-level object", key) for key in keys]
            if not wanted:
                break
    return places


def _surrogate_places(data: Any) -> list[tuple[str, str]]:
    places = []
    for where, value in _walk(data):
        if type(value) is dict:
            for key in value:
                found = _SURROGATE.search(key)
                if found:
                    places.append((f"{where or 'the top-level object'}: the key {key!r}",
                                   found.group()))
        elif type(value) is str:
            found = _SURROGATE.search(value)
            if found:
                places.append((where, found.group()))
    return places


def load(path: str | os.PathLike[str]) -> Briefing:
    """Read and validate a briefing file; raise LoadError listing every problem."""
    return loads(read_text(path), str(path))


def load_with_hash(path: str | os.PathLike[str]) -> tuple[Briefing, str]:
    """Like `load`, plus the sha256 of the bytes on disk (to notice changes made elsewhere)."""
    data = read_bytes(path)
    name = display_name(os.fspath(path))
    digest = _hash_aside(data)
    return loads(decode(name, data), name), digest()


def loads(text: str, name: str = "<text>") -> Briefing:
    streamed = _streamed(name, text)
    if streamed is not None:
        return streamed
    return parse_briefing(name, parse_json(name, text))


_SPACE = re.compile(r"[ \t\n\r]*")


def _streamed(name: str, text: str) -> Briefing | None:
    """The briefing in `text`, each event built as soon as it is decoded; or None when the
    file has anything to report, or is unusual enough to need the whole tree first.

    parse_json then parse_briefing hold the decoded tree of every event at once: at 100k
    events ~150 MB of small objects that, freed, leave holes the allocator keeps for good.
    Here one event's tree at a time is decoded (by json's own C scanner), built, and freed
    into the memory the next one is decoded in. Anything out of the ordinary (a problem,
    a duplicate key, the events before the actors or sources, an unpaired surrogate
    escape) returns None, and the checked path above decodes it again and says what.
    """
    if _SURROGATE_ESCAPE.search(text):
        return None
    duplicated: list[tuple[dict, list[str]]] = []
    scan = _decoder(duplicated).scan_once
    space = _SPACE.match
    builder = _Builder(name)
    top: dict[str, Any] = {}
    ids: list[Any] = []
    started = False
    try:
        with paused_gc():
            at = space(text).end()
            if text[at] != "{":
                return None
            at = space(text, at + 1).end()
            while True:
                if text[at] != '"':
                    return None
                key, at = scanstring(text, at + 1)
                at = space(text, at).end()
                if text[at] != ":" or key in top:
                    return None
                at = space(text, at + 1).end()
                if key == "events" and text[at] == "[" and not started:
                    builder.start(top)
                    started = True
                    at = space(text, at + 1).end()
                    while text[at] != "]":
                        record, at = scan(text, at)
                        if type(record) is not dict:
                            return None
                        ids.append(record.get("id"))
                        builder.add_event(record, f"events[{len(ids) - 1}]")
                        if builder.problems:
                            return None  # the checked path says what, from the start
                        at = space(text, at).end()
                        if text[at] == ",":
                            at = space(text, at + 1).end()
                            if text[at] == "]":
                                return None  # a trailing comma
                        elif text[at] != "]":
                            return None
                    at += 1
                    top[key] = []
                elif started and key in ("actors", "sources"):
                    return None  # after the events, which needed them
                else:
                    top[key], at = scan(text, at)
                at = space(text, at).end()
                if text[at] == "}":
                    break
                if text[at] != ",":
                    return None
                at = space(text, at + 1).end()
            if not started or space(text, at + 1).end() != len(text):
                return None
            briefing = builder.finish(top, (f"events[{i}]" for i in range(len(ids))), ids)
    except (StopIteration, IndexError, ValueError, RecursionError):
        return None  # (a JSONDecodeError or a refused number is a ValueError)
    if builder.problems or duplicated:
        return None
    return briefing


def parse_briefing(name: str, data: Any) -> Briefing:
    """Build a Briefing from decoded JSON, validating every field.

    `data` is used up: each event's record is emptied once its Event is built.
    """
    if not isinstance(data, dict):
        raise LoadError(name, [f"{name}: the top level must be a JSON object, "
                               f"not {_json_type(data)}"])
    builder = _Builder(name)
    with paused_gc():
        briefing = builder.briefing(data)
    if builder.problems:
        problems = builder.problems
        if len(problems) > MAX_PROBLEMS:
            problems = problems[:MAX_PROBLEMS] + [
                f"{name}: ... and {len(builder.problems) - MAX_PROBLEMS} more problems"]
        raise LoadError(name, problems)
    return briefing


class _Builder:
    """Turns decoded JSON into dataclasses, recording problems instead of stopping."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []
        self._dates: dict[str, FuzzyDate] = {}
        # One string object for each repeated value (ids, tags, speakers): the decoder
        # makes a new one each time (~35 MB of copies at 100k events).
        self._shared: dict[str, str] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.name}: {where}: {message}")

    # field helpers ------------------------------------------------------------------
    def text(self, d: dict, key: str, where: str, required: bool = False,
             default: str = "") -> str:
        value = d.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}" if where else key, "is missing")
            return default
        if not isinstance(value, str):
            self.problem(f"{where}.{key}" if where else key,
                         f"must be text, not {_json_type(value)}")
            return default
        return value

    def optional_text(self, d: dict, key: str, where: str) -> str | None:
        if d.get(key) is None:
            return None
        return self.text(d, key, where) or None

    def choice(self, d: dict, key: str, where: str, allowed: tuple[str, ...]) -> str | None:
        value = d.get(key)
        if value is None:
            return None
        if value not in allowed:
            self.problem(f"{where}.{key}", f"{value!r} is not one of: {', '.join(allowed)}")
            return None
        return value

    def date(self, value: Any, where: str) -> FuzzyDate | None:
        if not isinstance(value, str):
            self.problem(where, "is missing" if value is None else
                         f"must be text such as \"2019-01-23\", not {_json_type(value)}")
            return None
        cached = self._dates.get(value)
        if cached is not None:
            return cached
        try:
            parsed = parse_date(value)
        except DateError as exc:
            self.problem(where, str(exc))
            return None
        self._dates[value] = parsed
        return parsed

    def string_list(self, d: dict, key: str, where: str) -> list[str]:
        value = d.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{where}.{key}", "must be a list of text")
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return value

    def records(self, data: dict, key: str) -> list[tuple[str, dict]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"must be a list, not {_json_type(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{key}[{i}]", item))
            else:
                self.problem(f"{key}[{i}]", f"must be an object, not {_json_type(item)}")
        return out

    def ident(self, d: dict, where: str, seen: set[str], kind: str) -> str:
        value = self.text(d, "id", where, required=True)
        if type(d.get("id")) is str and not value.strip():
            # Nothing could refer to it: an event: link, an event's actors, a quote's source.
            self.problem(f"{where}.id", "is empty")
        elif value and value in seen:  # (a missing id is reported as missing, once)
            self.problem(f"{where}.id", f"duplicate {kind} id {value!r}")
        seen.add(value)
        return value

    def lookalikes(self, kind: str, wheres: Iterable[str], ids: list[Any],
                   seen: set[str]) -> None:
        """Refuse ids that hide characters or differ from another id only invisibly.

        References (an event's actors, a quote's source, an event: link) match ids exactly,
        so "E1" beside "e1", a Cyrillic "е1" or "e1" with a zero-width space inside would let a
        reference point at a record the reader cannot tell apart: refused like a duplicate id.
        """
        distinct = seen - {""}
        # The common case in a few string operations (10 ms for 100k ids): all ids printable
        # ASCII without spaces, and still distinct once lower-cased.
        joined = " ".join(distinct)
        if (joined.isascii() and joined.isprintable() and joined.count(" ") == len(distinct) - 1
                and len(set(joined.lower().split(" "))) == len(distinct)):
            return
        first: dict[str, tuple[str, str]] = {}
        for where, value in zip(wheres, ids, strict=True):
            if not isinstance(value, str) or not value:
                continue
            hidden = next((c for c in value if not c.isprintable() or c in _FILLERS), None)
            if hidden is not None:
                self.problem(f"{where}.id", f"{value!r} contains an invisible or control "
                             f"character ({_char_name(hidden)}); an id must be plain visible "
                             "text")
            other, other_where = first.setdefault(id_key(value), (value, where))
            if other != value:
                self.problem(f"{where}.id", f"{value!r} looks like the {kind} id {other!r} "
                             f"({other_where}.id) but is a different id; make them clearly "
                             "different")

    def extra(self, d: dict, known: tuple[str, ...], where: str) -> dict[str, Any]:
        extra = _extra(d, known)
        for key, value in extra.items():
            if isinstance(value, (dict, list)) and _deeper_than(value, MAX_NESTING):
                self.problem(f"{where}.{key}" if where else key,
                             f"is nested more than {MAX_NESTING} levels deep")
        return extra

    # records -------------------------------------------------------------------------
    def briefing(self, data: dict) -> Briefing:
        self.start(data)
        if "events" not in data:
            self.problem("events", "is missing")
        records = self.records(data, "events")
        wheres, ids = _ids_of(records)
        for w, d in records:
            self.add_event(d, w)
        del records
        return self.finish(data, wheres, ids)

    def start(self, data: dict) -> None:
        """What the events need first: the actors and the sources."""
        seen: set[str] = set()
        records = self.records(data, "actors")
        self._actors = [self.actor(d, w, seen) for w, d in records]
        self.lookalikes("actor", *_ids_of(records), seen)
        seen = set()
        records = self.records(data, "sources")
        self._sources = [self.source(d, w, seen) for w, d in records]
        self.lookalikes("source", *_ids_of(records), seen)
        self._actor_ids = {a.id for a in self._actors}
        self._source_ids = {s.id for s in self._sources}
        self._shared.update((i, i) for i in (*self._actor_ids, *self._source_ids,
                                             *LIKELIHOODS, *CONFIDENCES))
        self._event_ids: set[str] = set()
        self._events: list[Event] = []

    def add_event(self, d: dict, where: str) -> None:
        event = self.event(d, where, self._event_ids, self._actor_ids, self._source_ids)
        if event is not None:
            self._events.append(event)
            # What the event did not take from the decoded record (its table, its quotes'
            # dicts) is freed now, so that the next events are built in that memory.
            d.clear()

    def finish(self, data: dict, wheres: Iterable[str], ids: list[Any]) -> Briefing:
        """The briefing, once every event was added (`ids`: each record's id, at `wheres`)."""
        fmt = data.get("format", FORMAT)  # (a key that may come after the events)
        if fmt != FORMAT:
            problems, self.problems = self.problems, []
            self.problem("format", f"{fmt!r} is not a supported format (expected {FORMAT!r})")
            self.problems += problems  # reported first, as the first thing a file says
        self.lookalikes("event", wheres, ids, self._event_ids)
        return Briefing(
            title=self.text(data, "title", "", required=True),
            summary=self.text(data, "summary", ""),
            classification=self.text(data, "classification", ""),
            updated=self.text(data, "updated", ""),
            actors=self._actors, sources=self._sources, events=self._events, format=FORMAT,
            extra=self.extra(data, _BRIEFING_KEYS, ""),
        )

    def actor(self, d: dict, where: str, seen: set[str]) -> Actor:
        color = self.text(d, "color", where)
        if color and not _COLOR.fullmatch(color):
            self.problem(f"{where}.color", f"{color!r} is not a colour like \"#1f5fbf\"")
            color = ""
        return Actor(self.ident(d, where, seen, "actor"), self.text(d, "name", where, True),
                     color, self.extra(d, _ACTOR_KEYS, where))

    def source(self, d: dict, where: str, seen: set[str]) -> Source:
        published = None
        if d.get("published") is not None:
            published = self.date(d["published"], f"{where}.published")
        return Source(
            self.ident(d, where, seen, "source"), self.text(d, "title", where, True),
            self.text(d, "publisher", where), self.text(d, "url", where), published,
            self.choice(d, "reliability", where, tuple(RELIABILITY)),
            self.extra(d, _SOURCE_KEYS, where))

    def quote(self, d: dict, where: str, source_ids: set[str]) -> Quote:
        source = self.text(d, "source", where, required=True)
        if source and source not in source_ids:
            self.problem(f"{where}.source", f"unknown source id {source!r}")
        credibility = d.get("credibility")
        if credibility is not None and (type(credibility) is not int
                                        or not 1 <= credibility <= 6):
            self.problem(f"{where}.credibility", f"{credibility!r} is not a number from 1 to 6")
            credibility = None
        translated = d.get("translated", False)
        if not isinstance(translated, bool):
            self.problem(f"{where}.translated", "must be true or false")
            translated = False
        return Quote(self.text(d, "text", where, True), source,
                     self.optional_text(d, "speaker", where), credibility, translated,
                     self.optional_text(d, "original", where), self.extra(d, _QUOTE_KEYS, where))

    def event(self, d: dict, where: str, seen: set[str], actor_ids: set[str],
              source_ids: set[str]) -> Event | None:
        fast = self._plain_event(d, seen, actor_ids, source_ids)
        if fast is not None:
            return fast
        ident = self.ident(d, where, seen, "event")
        title = self.text(d, "title", where, required=True)
        if type(d.get("title")) is str and not title.strip():
            # The event form refuses a blank title, and the timeline, the list and the PDF's
            # outline would show nothing to click: as much a problem as a missing one.
            self.problem(f"{where}.title", "is empty; every event needs a title")
        date = self.date(d.get("date"), f"{where}.date")
        end = self.date(d["end"], f"{where}.end") if d.get("end") is not None else None
        if date is not None and end is not None and (end.end or end.start) < (date.start or date.end):
            self.problem(f"{where}.end", f"{end.text!r} is before the date {date.text!r}")
        actors = self.string_list(d, "actors", where)
        for i, a in enumerate(actors):
            if a not in actor_ids:
                self.problem(f"{where}.actors[{i}]", f"unknown actor id {a!r}")
        quotes = [self.quote(q, f"{where}.{w}", source_ids) for w, q in self.records(d, "quotes")]
        tags = self.string_list(d, "tags", where)
        notes = self.text(d, "notes", where)
        likelihood = self.choice(d, "likelihood", where, LIKELIHOODS)
        confidence = self.choice(d, "confidence", where, CONFIDENCES)
        if date is None:
            return None
        return Event(ident, title, date, end, actors, tags, notes, quotes, likelihood,
                     confidence, self.extra(d, _EVENT_KEYS, where))


    # The fast path: at 100k events the checks above cost ~10 us an event, most of it in
    # calls. An event that is plainly valid (only known keys, every field of the right type,
    # every reference known, a date seen before or parsing cleanly) is built here with a few
    # C-level tests; anything else returns None and takes the path above, which reports it.
    def _plain_event(self, d: dict, seen: set[str], actor_ids: set[str],
                     source_ids: set[str]) -> Event | None:
        ident, title, notes = d.get("id"), d.get("title"), d.get("notes", "")
        if (not d.keys() <= _EVENT_KEYSET or type(ident) is not str or not ident.strip()
                or ident in seen or type(title) is not str or not title.strip()
                or type(notes) is not str):
            return None
        date = self._plain_date(d.get("date"))
        raw_end = d.get("end")
        end = None if raw_end is None else self._plain_date(raw_end)
        if date is None or (raw_end is not None and end is None):
            return None
        if end is not None and (end.end or end.start) < (date.start or date.end):
            return None
        actors, tags = d.get("actors", []), d.get("tags", [])
        if type(actors) is not list or type(tags) is not list:
            return None
        try:  # join raises TypeError unless every item is text
            "".join(actors)
            "".join(tags)
        except TypeError:
            return None
        if not actor_ids.issuperset(actors):
            return None
        shared = self._shared
        actors = list(map(shared.__getitem__, actors))
        tags = list(map(shared.setdefault, tags, tags))
        likelihood, confidence = d.get("likelihood"), d.get("confidence")
        if (likelihood is not None and likelihood not in LIKELIHOODS) or (
                confidence is not None and confidence not in CONFIDENCES):
            return None
        raw_quotes = d.get("quotes", [])
        if type(raw_quotes) is not list:
            return None
        quotes = []
        for q in raw_quotes:
            quote = _plain_quote(q, source_ids, shared)
            if quote is None:
                return None
            quotes.append(quote)
        seen.add(ident)
        if likelihood is not None:
            likelihood = shared[likelihood]
        if confidence is not None:
            confidence = shared[confidence]
        return Event(ident, title, date, end, actors, tags, notes, quotes, likelihood,
                     confidence, NO_EXTRA)

    def _plain_date(self, value: Any) -> FuzzyDate | None:
        if type(value) is not str:
            return None
        parsed = self._dates.get(value)
        if parsed is None:
            try:
                parsed = self._dates[value] = parse_date(value)
            except DateError:
                return None
        return parsed


def _plain_quote(q: Any, source_ids: set[str], shared: dict[str, str]) -> Quote | None:
    """A quote with nothing to report, or None (see _Builder._plain_event)."""
    if type(q) is not dict or not q.keys() <= _QUOTE_KEYSET:
        return None
    text, source = q.get("text"), q.get("source")
    speaker, original = q.get("speaker"), q.get("original")
    credibility, translated = q.get("credibility"), q.get("translated", False)
    if (type(text) is not str or type(source) is not str
            or (source and source not in source_ids)
            or (speaker is not None and type(speaker) is not str)
            or (original is not None and type(original) is not str)
            or (credibility is not None and (type(credibility) is not int
                                             or not 1 <= credibility <= 6))
            or type(translated) is not bool):
        return None
    return Quote(text, shared[source] if source else source,
                 shared.setdefault(speaker, speaker) if speaker else None, credibility,
                 translated, original or None, NO_EXTRA)


def _ids_of(records: list[tuple[str, dict]]) -> tuple[list[str], list[Any]]:
    return [w for w, _ in records], [d.get("id") for _, d in records]


def _extra(d: dict, known: tuple[str, ...]) -> dict[str, Any]:
    if len(d) <= len(known) and all(k in known for k in d):
        return {}
    return {k: v for k, v in d.items() if k not in known}


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if type(item) is dict else item
        stack.extend((c, depth + 1) for c in children if type(c) in (dict, list))
    return False


# Invisible in most fonts yet neither controls nor format characters (isprintable passes them).
_FILLERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u3164\uffa0"
                     + "".join(map(chr, range(0xFE00, 0xFE10))))
# Letters of other scripts drawn like Latin ones (after casefold): the common homoglyphs.
_CONFUSABLES = str.maketrans("авеёһіјкӏмнорԛсѕтуԝхαβεζηικμνορτυχϲϳ",
                             "abeehijklmhopqcstywxabezhikmnoptyxcj")


def id_key(text: str) -> str:
    """What an id looks like: equal keys mean ids a reader cannot tell apart.

    NFKC folds compatibility forms (ｅ１ → e1, ﬁ → fi), casefold folds case, invisible
    characters are dropped and common Cyrillic and Greek look-alikes become Latin letters.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = "".join(c for c in folded if c.isprintable() and c not in _FILLERS)
    return visible.translate(_CONFUSABLES).strip()


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'a control character')}"


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number", type(None): "null"}.get(type(value), "a value")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a link loop)"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{exc.strerror or 'no space'}: the disk or your quota is full"
    if exc.errno == errno.EFBIG:
        return f"{exc.strerror or 'file too large'}: a file-size limit was reached"
    return exc.strerror or str(exc)


# --- writing ---------------------------------------------------------------------------

def to_json(briefing: Briefing, events: bool = True) -> dict[str, Any]:
    """The canonical JSON object: known keys in a fixed order, then unknown ones.

    Without `events`, the events list is left empty (encode() streams it in).
    """
    out: dict[str, Any] = {"format": briefing.format, "title": briefing.title}
    for key in ("summary", "classification", "updated"):
        if getattr(briefing, key):
            out[key] = getattr(briefing, key)
    out["actors"] = [_actor_json(a) for a in briefing.actors]
    out["sources"] = [_source_json(s) for s in briefing.sources]
    out["events"] = [event_json(e) for e in briefing.events] if events else []
    out.update(briefing.extra)
    return out


def _actor_json(a: Actor) -> dict[str, Any]:
    out: dict[str, Any] = {"id": a.id, "name": a.name}
    if a.color:
        out["color"] = a.color
    out.update(a.extra)
    return out


def _source_json(s: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "title": s.title}
    if s.publisher:
        out["publisher"] = s.publisher
    if s.url:
        out["url"] = s.url
    if s.published is not None:
        out["published"] = s.published.text
    if s.reliability:
        out["reliability"] = s.reliability
    out.update(s.extra)
    return out


def _quote_json(q: Quote) -> dict[str, Any]:
    out: dict[str, Any] = {"text": _passing(q.text), "source": q.source}
    if q.speaker:
        out["speaker"] = _passing(q.speaker)
    if q.credibility is not None:
        out["credibility"] = q.credibility
    if q.translated:
        out["translated"] = True
    if q.original:
        out["original"] = _passing(q.original)
    out.update(q.extra)
    return out


def event_json(e: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "title": _passing(e.title), "date": e.date.text}
    if e.end is not None:
        out["end"] = e.end.text
    out["actors"] = list(e.actors)
    out["tags"] = list(e.tags)
    out["notes"] = _passing(e.notes)
    out["quotes"] = [_quote_json(q) for q in e.quotes]
    if e.likelihood:
        out["likelihood"] = e.likelihood
    if e.confidence:
        out["confidence"] = e.confidence
    out.update(e.extra)
    return out


def _passing(text: str) -> str:
    """`text`, or a copy of it that lives only as long as the JSON being written.

    orjson reads non-ASCII text through CPython's UTF-8 cache, which then stays attached to
    the string for as long as it lives: after one save of 100k events ~80 MB more memory,
    for good. A copy (~0.1 us) takes the cache with it when the encoding is done.
    """
    return text if text.isascii() else "".join((text, ""))


def dumps(briefing: Briefing) -> bytes:
    """Deterministic bytes: 2-space indent, UTF-8, trailing newline."""
    return b"".join(encode(briefing))


# The events list sits at the top level; wrapped like this, a chunk of events comes out of
# the encoder indented exactly as in the whole file.
_CHUNK_HEAD, _CHUNK_TAIL = b'{\n  "events": [\n', b"\n  ]\n}"
_EVENTS_SLOT = b'\n  "events": []'  # a raw newline can only be layout, never inside a string
_CHUNK = 2000


def encode(briefing: Briefing,
           reuse: tuple[SavedLayout, OldFile, list[Run]] | None = None,
           starts: array | None = None) -> Iterator[bytes | memoryview]:
    """dumps() in pieces of a couple of thousand events, to be written while it goes on.

    The bytes are exactly json.dumps(to_json(briefing), indent=2, ensure_ascii=False)
    plus a newline (tests/test_storage.py compares them). Raises UnicodeEncodeError for
    text that is not valid Unicode (a lone surrogate).

    With `reuse` (the layout of an earlier save, that file, and the runs of events to copy
    from it or to encode: saved_layout.runs), the events that are still the very same
    objects are copied from the file, not encoded: the caller must check that its bytes are
    the ones the layout describes (see saved_layout). When
    given, `starts` receives where each event begins (SavedLayout.starts); it is left empty
    should the events' bytes not split as expected.
    """
    events = briefing.events
    # json.dumps, not orjson, for everything but the events: it is small, and only json
    # writes floats as Python does ("1e-07", not "1e-7") should an unknown field hold one.
    head = (json.dumps(to_json(briefing, events=False), indent=2, ensure_ascii=False,
                       allow_nan=False) + "\n").encode("utf-8")
    if not events:
        if starts is not None:
            starts.append(0)
        yield head
        return
    before, after = head.split(_EVENTS_SLOT, 1)
    opening = before + _EVENTS_SLOT[:-1] + b"\n"
    yield opening
    at = len(opening)  # where the next piece goes in the file
    layout, old, plan = reuse if reuse is not None else (None, None, runs(events, None, _CHUNK))
    for first, stop, was in plan:
        if first:
            yield SEPARATOR
            at += len(SEPARATOR)
        if was is not None:
            assert layout is not None and old is not None
            lo, hi = layout.span(was, was + stop - first)
            if starts is not None:
                starts.extend(map(add, layout.starts[was:was + stop - first], repeat(at - lo)))
            for piece in pieces(lo, hi):
                yield old.take(*piece)
            at += hi - lo
        else:
            text, lo, hi = _encode_events(events[first:stop])
            if starts is not None:
                found = event_starts(text, lo, hi, stop - first)
                if found is None:  # not expected: then simply nothing is copied next time
                    del starts[:]
                    starts = None
                else:
                    starts.extend(map(add, found, repeat(at)))
            # A view, not a slice: no copy of ~200 MB at 100k events.
            yield memoryview(text)[lo:hi]
            at += hi - lo
    if starts is not None:
        starts.append(at + len(SEPARATOR))
    yield b"\n  ]" + after


def _encode_events(part: list[Event]) -> tuple[bytes, int, int]:
    """(text, lo, hi): `part` encoded as in a whole file; text[lo:hi] is the events joined
    by ",\\n", indented as they stand in the file's events list."""
    with paused_gc():
        chunk = {"events": [event_json(e) for e in part]}
    text = _encode(chunk, exact_floats=any(map(_has_floats, part)))
    return text, len(_CHUNK_HEAD), len(text) - len(_CHUNK_TAIL)


def _encode(obj: Any, exact_floats: bool = False) -> bytes:
    # orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, ten times faster
    # (0.25 s instead of 3 s for 100k events), except floats ("1e-7" for "1e-07"), which
    # only unknown fields hold. It refuses integers beyond 64 bits, which an unknown field
    # may also hold, and lone surrogates: json does the first, and the second fails in
    # .encode() with a UnicodeEncodeError.
    if not exact_floats:
        # Imported here: only saving needs orjson, and with the uuid and platform modules
        # it brings along it would cost start-up ~3 ms.
        import orjson

        try:
            return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _has_floats(event: Event) -> bool:
    """Does an unknown field of the event or of its quotes hold a float?"""
    stack: list[Any] = [q.extra for q in event.quotes if q.extra]
    if event.extra:
        stack.append(event.extra)
    while stack:
        value = stack.pop()
        if type(value) is float:
            return True
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    return False


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_EVENTS_OPENING = _EVENTS_SLOT[:-1] + b"\n"
_HEAD_LIMIT = 64 << 20  # no canonical head (actors, sources) is anywhere near this


def check_layout(events: Sequence[Event], path: str | os.PathLike[str], digest: str,
                 step: int = 256) -> Iterator[SavedLayout | None]:
    """Is the file at `path` (which hashed to `digest` when `events` were loaded from it)
    written as save() writes them? Then its layout lets the first save copy from it too.

    A step at a time for idle time: yields None after each `step` events (a few ms), then
    the SavedLayout; ends without one as soon as a byte differs. Every event's bytes and
    the separators between them are compared with a fresh encoding, and the whole file
    must still hash to `digest`.
    """
    events = list(events)  # the objects loaded: later edits replace items of the live list
    try:
        file = open_regular(path)
    except LoadError:
        return
    try:
        with file:
            yield from _check_layout(events, file, digest, step)
    except OSError:
        return  # unreadable now: the save simply encodes everything


def _check_layout(events: list[Event], file: BinaryIO, digest: str,
                  step: int) -> Iterator[SavedLayout | None]:
    hasher = hashlib.sha256()
    buffer = bytearray()  # read (and hashed) but not yet compared

    def fill(size: int) -> bool:
        while len(buffer) < size:
            block = file.read(max(size - len(buffer), 1 << 20))
            if not block:
                return False
            hasher.update(block)
            buffer.extend(block)
        return True

    def take(size: int) -> bytes:
        fill(size)
        out = bytes(buffer[:size])
        del buffer[:size]
        return out

    while (found := buffer.find(_EVENTS_OPENING)) < 0:
        if len(buffer) > _HEAD_LIMIT or not fill(len(buffer) + 1):
            return  # no events, or not laid out as we write them
    at = found + len(_EVENTS_OPENING)
    take(at)
    starts = array("q")
    for first in range(0, len(events), step):
        part = events[first:first + step]
        text, lo, hi = _encode_events(part)
        found_starts = event_starts(text, lo, hi, len(part))
        after = SEPARATOR if first + step < len(events) else b"\n  ]"
        if found_starts is None or take(hi - lo + len(after)) != text[lo:hi] + after:
            return
        starts.extend(map(add, found_starts, repeat(at)))
        at += hi - lo + len(after)
        yield None
    starts.append(at - len(b"\n  ]") + len(SEPARATOR))
    while block := file.read(1 << 20):  # the rest must hash as loaded too
        hasher.update(block)
    if hasher.hexdigest() == digest:
        yield SavedLayout(digest, events, starts)


def disk_hash(path: str | os.PathLike[str]) -> str | None:
    """The sha256 of the file at `path`, or None when it is gone or not a regular file.

    read_bytes, not open(): a FIFO or a link to /dev/zero swapped in is refused, not read.
    """
    try:
        return content_hash(read_bytes(path))
    except LoadError:
        return None


def _aside(work: Callable[[], T]) -> Callable[[], T]:
    """Run `work` on another thread; the returned function waits for its result.

    Hashing and reading let go of the GIL, so a big file is read and hashed on another core
    while this one parses or encodes.
    """
    box: list[T] = []
    worker = threading.Thread(target=lambda: box.append(work()), daemon=True)
    worker.start()

    def result() -> T:
        worker.join()
        return box[0]
    return result


def _hash_aside(data: bytes) -> Callable[[], str]:
    """Start hashing `data` (on another thread when it is big enough to be worth one)."""
    if len(data) < 1 << 20:
        digest = content_hash(data)
        return lambda: digest
    return _aside(lambda: content_hash(data))


def save(briefing: Briefing, path: str | os.PathLike[str],
         expected_hash: str | None = None) -> str:
    """Write atomically; return the sha256 of what was written. Raise SaveError.

    With `expected_hash`, raise ChangedOnDisk (changing nothing) when the file at `path`
    exists and its bytes have another hash: someone else changed it since we read it. The
    check reads the file on another core while this one encodes the briefing.
    """
    return _save(briefing, path, expected_hash, None, record=False).digest


def save_file(briefing: Briefing, path: str | os.PathLike[str],
              expected_hash: str | None = None, previous: SavedLayout | None = None,
              source: str | os.PathLike[str] | None = None) -> SavedLayout:
    """save(), returning where each event went, for the next save of the same file.

    With `previous` (what this returned when the file was last written, or check_layout
    after it was opened), the unchanged events' bytes are copied from that file instead of
    encoded again (~0.3 s instead of ~0.9 s at 100k events). It is `path` itself unless
    `source` names it (Save As). The bytes copied are the bytes its hash is computed from,
    and that hash must be `previous.digest`: for `path` itself `expected_hash` must say so
    too, or nothing is copied; a `source` changed meanwhile is not copied from, and the
    save encodes everything instead.
    """
    try:
        return _save(briefing, path, expected_hash, previous, record=True, source=source)
    except _SourceChanged:
        return _save(briefing, path, expected_hash, None, record=True)


class _SourceChanged(Exception):
    """The file a Save As copies from is no longer the one its layout describes."""


def _save(briefing: Briefing, path: str | os.PathLike[str], expected_hash: str | None,
          previous: SavedLayout | None, record: bool,
          source: str | os.PathLike[str] | None = None) -> SavedLayout:
    name = display_name(str(path))
    apart = source is not None and os.fspath(source) != os.fspath(path)
    plan: list[Run] = []
    if previous is not None and (apart or previous.digest == expected_hash):
        plan = list(runs(briefing.events, previous, _CHUNK))
    wanted = [piece for _, _, was, span in _copies(plan, previous) for piece in pieces(*span)]
    # `checked`: the file replaced, when the caller expects its hash; `copied`: the file the
    # unchanged events come from. The same reader when they are the same file.
    checked: OldFile | None = None
    copied: OldFile | None = None
    if expected_hash is not None and (file := _opened(path)) is not None:
        checked = OldFile(file, [] if apart else wanted)
        copied = None if apart else checked
    if apart and wanted and (file := _opened(source)) is not None:
        copied = OldFile(file, wanted)
    reuse = (previous, copied, plan) if copied is not None and wanted else None

    def unchanged() -> None:
        if apart and copied is not None:
            assert previous is not None and source is not None
            if copied.digest() != previous.digest or not copied.still_at(source):
                raise _SourceChanged
        # Also what makes copies from `path` safe: the bytes copied are those hashed here.
        if expected_hash is None:
            return
        if checked is None:
            if os.path.lexists(path):
                raise ChangedOnDisk(name)  # there, but no regular file we could read
            return
        if checked.digest() != expected_hash or not checked.still_at(path):
            raise ChangedOnDisk(name)
    events = list(briefing.events) if record else []
    starts = array("q") if record else None
    try:
        digest = write_atomic(path, encode(briefing, reuse, starts), before_replace=unchanged)
    except OldFileUnreadable as exc:
        if apart:  # reading the source failed: write without it
            raise _SourceChanged from None
        raise SaveError(name, f"cannot read the file being replaced: {_os_reason(exc.error)}"
                        ) from None
    except OldFileChanged:
        if apart:
            raise _SourceChanged from None
        raise ChangedOnDisk(name) from None
    except (UnicodeEncodeError, ValueError) as exc:
        raise SaveError(name, "the briefing holds text that cannot be written as UTF-8 "
                              f"({exc})") from None
    finally:
        for reader in {id(r): r for r in (checked, copied) if r is not None}.values():
            reader.close_later()  # never leave a reader running
    if starts is None or len(starts) != len(events) + 1:
        events, starts = [], array("q", [0])
    return SavedLayout(digest, events, starts)


def _opened(path: str | os.PathLike[str]) -> BinaryIO | None:
    """`path` open for reading, or None when it is gone or not a regular file."""
    try:
        return open_regular(path)
    except LoadError:
        return None


def _copies(plan: list[Run], layout: SavedLayout | None
            ) -> Iterator[tuple[int, int, int, tuple[int, int]]]:
    """The runs of `plan` copied from the old file, each with its span there."""
    for first, stop, was in plan:
        if was is not None:
            assert layout is not None
            yield first, stop, was, layout.span(was, was + stop - first)


def write_atomic(path: str | os.PathLike[str],
                 data: bytes | bytearray | memoryview | Iterable[bytes | memoryview],
                 _write: Callable[[int, memoryview], int] = os.write,
                 before_replace: Callable[[], None] | None = None) -> str:
    """Replace `path` with `data` so that a crash leaves the old or the new bytes.

    `data` may come in pieces from a generator: they are written and hashed on a second
    thread while the generator makes the next (both let go of the GIL). Returns the
    sha256 of all the bytes. `before_replace` may raise to stop just before the old file
    is replaced.

    A symlink is resolved so the link's target is replaced, not the link; the original
    file mode is kept (mkstemp makes 0600); every byte written is counted, so a short write
    on a full disk fails instead of leaving a truncated file.
    """
    name = display_name(str(path))
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError(name, _os_reason(exc)) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise SaveError(name, "the path is not a regular file")
    # The mode bits too: root passes os.access, and a rename would replace the file anyway.
    if st is not None and (not os.access(target, os.W_OK) or not st.st_mode & 0o222):
        raise SaveError(name, "the file is read-only")
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=folder)
    except OSError as exc:
        raise SaveError(name, f"cannot create a file in the folder {display_name(str(folder))}: "
                              f"{_os_reason(exc)}") from None
    try:
        try:
            pieces = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
            size, digest = _write_pieces(fd, pieces, _write)
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.getsize(tmp) != size:
            raise OSError(errno.EIO, "the written file has the wrong size")
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SaveError(name, _os_reason(exc)) from None
        raise
    _fsync_dir(folder)
    return digest


def _write_pieces(fd: int, pieces: Iterable[bytes | memoryview],
                  write: Callable[[int, memoryview], int]) -> tuple[int, str]:
    """Write and hash every piece on a helper thread; (bytes written, sha256).

    The helper writes through its own duplicate of `fd`: should the caller be interrupted
    (Ctrl+C in the join) and close `fd`, a number the system hands out again for another
    file can never receive the rest of the pieces.
    """
    from queue import Queue  # only saving needs it: not imported at start-up

    hasher = hashlib.sha256()
    queue: Queue[bytes | memoryview | None] = Queue(maxsize=4)
    failure: list[BaseException] = []
    written = 0
    own_fd = os.dup(fd)

    def writer() -> None:
        nonlocal written
        try:
            while (piece := queue.get()) is not None:
                if failure:
                    continue  # drain, so the producer never blocks on a full queue
                try:
                    view = memoryview(piece)
                    done = 0
                    while done < len(piece):
                        n = write(own_fd, view[done:])
                        if n <= 0:
                            raise OSError(errno.ENOSPC, "no space left on device (short write)")
                        done += n
                    hasher.update(piece)
                    written += done
                except BaseException as exc:  # handed to the caller below
                    failure.append(exc)
        finally:
            os.close(own_fd)

    worker = threading.Thread(target=writer, daemon=True)
    worker.start()
    try:
        for piece in pieces:
            if failure:
                break
            queue.put(piece)
    finally:
        queue.put(None)
        worker.join()
    if failure:
        raise failure[0]
    return written, hasher.hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp")


def remove_stale_temp_files(path: str | os.PathLike[str]) -> list[Path]:
    """Delete temp files that a killed save of `path` left behind (their writer is gone)."""
    target = Path(os.path.realpath(path))
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.fullmatch(entry.name)
        if not m or m.group("name") != target.name:
            continue
        pid = int(m.group("pid"))
        if pid == os.getpid() or pid_alive(pid):
            continue
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def pid_alive(pid: int, identity: str | None = None) -> bool:
    """Is process `pid` running, and, given its process_identity, still the same process?

    A pid is reused: after a reboot a crashed writer's pid often belongs to another program.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    if identity is None:
        return True
    now = process_identity(pid)
    return now is None or now == identity


def process_identity(pid: int) -> str | None:
    """What tells process `pid` from a later one with the same number: the boot and its
    start time (Linux's /proc); None where that cannot be read."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            stat = f.read()
        # Field 22, the start time; count from the end of the command name, which may
        # itself hold spaces and parentheses.
        started = stat[stat.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None
    return f"{boot}:{started}"
