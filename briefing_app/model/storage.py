"""Reading and writing briefing files (JSON, format "briefing/1").

`load` checks the file before reading it (a regular file, not too large), decodes strict
UTF-8, parses JSON and validates every field, collecting every problem at once; each problem
names the file and the place (`events.json:14:7: ...` or `events.json: events[3].date: ...`).
`save` writes deterministically (stable key order, 2-space indent, UTF-8, trailing newline)
and atomically (temp file in the same folder, fsync, rename), so a crash leaves either the
old or the new file, never a mix. Unknown fields at every level are kept.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .briefing import (
    CONFIDENCES,
    FORMAT,
    LIKELIHOODS,
    RELIABILITY,
    Actor,
    Briefing,
    Event,
    Quote,
    Source,
)
from .dates import DateError, FuzzyDate, parse_date
from .errors import LoadError, SaveError

MAX_FILE_BYTES = 1 << 30  # 1 GiB: far above any real briefing, far below a sparse-file bomb
MAX_PROBLEMS = 200
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

_BRIEFING_KEYS = ("format", "title", "summary", "classification", "updated",
                  "actors", "sources", "events")
_ACTOR_KEYS = ("id", "name", "color")
_SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "reliability")
_QUOTE_KEYS = ("text", "source", "speaker", "credibility", "translated", "original")
_EVENT_KEYS = ("id", "title", "date", "end", "actors", "tags", "notes", "quotes",
               "likelihood", "confidence")


# --- reading ---------------------------------------------------------------------------

def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text after checking it is a regular file of sane size."""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise LoadError(name, [f"{name}: cannot open: {_os_reason(exc)}"], unreadable=True) from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(name, [f"{name}: is a folder, not a briefing file"], unreadable=True)
    if not stat.S_ISREG(st.st_mode):
        raise LoadError(name, [f"{name}: is not a regular file (a device, pipe or socket)"],
                        unreadable=True)
    if st.st_size > max_bytes:
        raise LoadError(name, [f"{name}: is too large ({st.st_size:,} bytes; the limit is "
                               f"{max_bytes:,})"], unreadable=True)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, do not hang on it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(name, [f"{name}: cannot read: {_os_reason(exc)}"], unreadable=True) from None
    if len(data) > max_bytes:
        raise LoadError(name, [f"{name}: is too large (over {max_bytes:,} bytes)"], unreadable=True)
    return decode(name, data)


def decode(name: str, data: bytes) -> str:
    if not data.strip():
        raise LoadError(name, [f"{name}: the file is empty"])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LoadError(name, [f"{name}: is UTF-16 encoded; save it as UTF-8"])
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        raise LoadError(name, [f"{name}: is a PNG image, not a briefing"])
    nul = data.find(b"\x00")
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


def _line_col_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a briefing (JSON has no such number)")


def parse_json(name: str, text: str) -> Any:
    """json.loads with messages that name file, line and column."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = exc.msg
        marker = re.search(r"^(<<<<<<<|=======|>>>>>>>)( |$)", text, re.M)
        if marker:
            line = text.count("\n", 0, marker.start()) + 1
            raise LoadError(name, [f"{name}:{line}:1: contains a git merge-conflict marker "
                                   f"'{marker.group(1)}'; resolve the conflict first"]) from None
        if msg == "Extra data":
            msg = "extra data after the end of the JSON document (two documents glued together?)"
        raise LoadError(name, [f"{name}:{exc.lineno}:{exc.colno}: {msg}"]) from None
    except RecursionError:
        raise LoadError(name, [f"{name}: the JSON is nested too deeply"]) from None
    except ValueError as exc:  # NaN/Infinity (our hook), integers with thousands of digits
        raise LoadError(name, [f"{name}: {exc}"]) from None


def load(path: str | os.PathLike[str]) -> Briefing:
    """Read and validate a briefing file; raise LoadError listing every problem."""
    name = str(path)
    return parse_briefing(name, parse_json(name, read_text(path)))


def loads(text: str, name: str = "<text>") -> Briefing:
    return parse_briefing(name, parse_json(name, text))


def parse_briefing(name: str, data: Any) -> Briefing:
    """Build a Briefing from decoded JSON, validating every field."""
    if not isinstance(data, dict):
        raise LoadError(name, [f"{name}: the top level must be a JSON object, "
                               f"not {_json_type(data)}"])
    builder = _Builder(name)
    # Building ~1M small objects: the cyclic GC would scan them over and over for nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        briefing = builder.briefing(data)
    finally:
        if was_enabled:
            gc.enable()
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
        if value and value in seen:
            self.problem(f"{where}.id", f"duplicate {kind} id {value!r}")
        seen.add(value)
        return value

    # records -------------------------------------------------------------------------
    def briefing(self, data: dict) -> Briefing:
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            self.problem("format", f"{fmt!r} is not a supported format (expected {FORMAT!r})")
        seen: set[str] = set()
        actors = [self.actor(d, w, seen) for w, d in self.records(data, "actors")]
        seen = set()
        sources = [self.source(d, w, seen) for w, d in self.records(data, "sources")]
        actor_ids = {a.id for a in actors}
        source_ids = {s.id for s in sources}
        seen = set()
        events = []
        if "events" not in data:
            self.problem("events", "is missing")
        for w, d in self.records(data, "events"):
            event = self.event(d, w, seen, actor_ids, source_ids)
            if event is not None:
                events.append(event)
        return Briefing(
            title=self.text(data, "title", "", required=True),
            summary=self.text(data, "summary", ""),
            classification=self.text(data, "classification", ""),
            updated=self.text(data, "updated", ""),
            actors=actors, sources=sources, events=events, format=FORMAT,
            extra=_extra(data, _BRIEFING_KEYS),
        )

    def actor(self, d: dict, where: str, seen: set[str]) -> Actor:
        color = self.text(d, "color", where)
        if color and not _COLOR.fullmatch(color):
            self.problem(f"{where}.color", f"{color!r} is not a colour like \"#1f5fbf\"")
            color = ""
        return Actor(self.ident(d, where, seen, "actor"), self.text(d, "name", where, True),
                     color, _extra(d, _ACTOR_KEYS))

    def source(self, d: dict, where: str, seen: set[str]) -> Source:
        published = None
        if d.get("published") is not None:
            published = self.date(d["published"], f"{where}.published")
        return Source(
            self.ident(d, where, seen, "source"), self.text(d, "title", where, True),
            self.text(d, "publisher", where), self.text(d, "url", where), published,
            self.choice(d, "reliability", where, tuple(RELIABILITY)), _extra(d, _SOURCE_KEYS))

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
                     self.optional_text(d, "original", where), _extra(d, _QUOTE_KEYS))

    def event(self, d: dict, where: str, seen: set[str], actor_ids: set[str],
              source_ids: set[str]) -> Event | None:
        ident = self.ident(d, where, seen, "event")
        title = self.text(d, "title", where, required=True)
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
                     confidence, _extra(d, _EVENT_KEYS))


def _extra(d: dict, known: tuple[str, ...]) -> dict[str, Any]:
    if len(d) <= len(known) and all(k in known for k in d):
        return {}
    return {k: v for k, v in d.items() if k not in known}


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number", type(None): "null"}.get(type(value), "a value")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a link loop)"
    return exc.strerror or str(exc)


# --- writing ---------------------------------------------------------------------------

def to_json(briefing: Briefing) -> dict[str, Any]:
    """The canonical JSON object: known keys in a fixed order, then unknown ones."""
    out: dict[str, Any] = {"format": briefing.format, "title": briefing.title}
    for key in ("summary", "classification", "updated"):
        if getattr(briefing, key):
            out[key] = getattr(briefing, key)
    out["actors"] = [_actor_json(a) for a in briefing.actors]
    out["sources"] = [_source_json(s) for s in briefing.sources]
    out["events"] = [event_json(e) for e in briefing.events]
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
    out: dict[str, Any] = {"text": q.text, "source": q.source}
    if q.speaker:
        out["speaker"] = q.speaker
    if q.credibility is not None:
        out["credibility"] = q.credibility
    if q.translated:
        out["translated"] = True
    if q.original:
        out["original"] = q.original
    out.update(q.extra)
    return out


def event_json(e: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "title": e.title, "date": e.date.text}
    if e.end is not None:
        out["end"] = e.end.text
    out["actors"] = list(e.actors)
    out["tags"] = list(e.tags)
    out["notes"] = e.notes
    out["quotes"] = [_quote_json(q) for q in e.quotes]
    if e.likelihood:
        out["likelihood"] = e.likelihood
    if e.confidence:
        out["confidence"] = e.confidence
    out.update(e.extra)
    return out


def dumps(briefing: Briefing) -> bytes:
    """Deterministic bytes: 2-space indent, UTF-8, trailing newline."""
    text = json.dumps(to_json(briefing), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(briefing: Briefing, path: str | os.PathLike[str]) -> str:
    """Write atomically; return the sha256 of what was written. Raise SaveError."""
    name = str(path)
    try:
        data = dumps(briefing)
    except (UnicodeEncodeError, ValueError) as exc:
        raise SaveError(name, f"the briefing holds text that cannot be written as UTF-8 ({exc})") from None
    write_atomic(path, data)
    return content_hash(data)


def write_atomic(path: str | os.PathLike[str], data: bytes,
                 _write: Callable[[int, memoryview], int] = os.write) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new bytes.

    A symlink is resolved so the link's target is replaced, not the link; the original
    file mode is kept (mkstemp makes 0600); every byte written is counted, so a short write
    on a full disk fails instead of leaving a truncated file.
    """
    name = str(path)
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
    if st is not None and not os.access(target, os.W_OK):
        raise SaveError(name, "the file is read-only")
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=folder)
    except OSError as exc:
        raise SaveError(name, _os_reason(exc)) from None
    try:
        try:
            view = memoryview(data)
            written = 0
            while written < len(data):
                n = _write(fd, view[written:])
                if n <= 0:
                    raise OSError(errno.ENOSPC, "no space left on device (short write)")
                written += n
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.getsize(tmp) != len(data):
            raise OSError(errno.EIO, "the written file has the wrong size")
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SaveError(name, _os_reason(exc)) from None
    _fsync_dir(folder)


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


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
