"""Hostile briefing files and notes, generated on demand (never committed as fixtures).

    python tools/make_hostile.py DIR [--secret FILE]

writes one file per case into DIR and prints each case's name, file and expected outcome.
tests/test_hostile.py imports `cases` and `generate` and runs `briefing-app validate` and
`briefing-app export` on every file.

A case is either a file for the loader (bytes, or a special file such as a FIFO made by
`make`), with the message and exit status `validate` must give; or a hostile note (notes,
title or summary) inside an otherwise valid briefing, which must load (exit 0) and then
render in the detail pane and the PDF with the listed text visible, the listed text absent,
and no file or network resource touched. Notes that point at a file point at `secret`, a
file the test plants and then watches for (strace).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The spec's bullets (issue 7); every one has at least one case.
BULLETS = {
    "resources": "Qt would read a local path, file: URL, relative path, /dev/zero or a FIFO",
    "links": "links that must not navigate or run anything",
    "markdown": "raw HTML, deep lists, thousands of '['",
    "layout": "layout bombs: nested tables, nested spans, huge notes",
    "hidden": "hidden content: inline <link>, unclosed <script>/<style>, invisible text",
    "json": "JSON Python accepts but must not: NaN, duplicate keys, deep nesting, huge "
            "numbers, lone surrogates",
    "encoding": "empty, truncated, NUL-filled, UTF-16, Latin-1, PNG, glued, conflict markers",
    "special": "not a regular file: folder, FIFO, link loop, /dev/zero, 8 GiB sparse file",
    "dates": "dates only the strict grammar may decide",
    "ids": "look-alike ids and ids with invisible characters",
    "names": "file names that would forge or crash the output",
}

OK, INVALID, UNREADABLE = 0, 1, 2


@dataclass(frozen=True)
class Case:
    name: str
    bullet: str
    expect: str  # a substring of what `validate` prints (and `export` for a failure)
    status: int = INVALID  # the exit status of validate and of export
    data: bytes | None = None  # the file's bytes; None when `make` creates it
    make: Callable[[Path], None] | None = None
    filename: str = ""  # default: "<name>.json"
    note: str | None = None  # for note cases: the hostile Markdown
    visible: tuple[str, ...] = ()  # text the rendered event must show
    absent: tuple[str, ...] = ()  # text the rendered event must not show
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_note(self) -> bool:
        return self.note is not None

    def file_name(self) -> str:
        return self.filename or f"{self.name}.json"


# --- building blocks ----------------------------------------------------------------------

def briefing(notes: str = "Plain notes.", title: str = "Hostile note", event_id: str = "hostile",
             date: str = "2024-03-01", summary: str = "A briefing with one hostile note.",
             **event_extra: Any) -> dict[str, Any]:
    """A valid briefing with one actor, one source and one event carrying `notes`."""
    event = {"id": event_id, "title": title, "date": date, "actors": ["us"], "tags": ["t"],
             "notes": notes, "quotes": [{"text": "A quote.", "source": "s1"}]}
    event.update(event_extra)
    return {"format": "briefing/1", "title": "Hostile", "summary": summary,
            "actors": [{"id": "us", "name": "United States", "color": "#1f5fbf"}],
            "sources": [{"id": "s1", "title": "Source one", "url": "https://example.org/"}],
            "events": [event]}


def dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


VALID = dump(briefing())


def with_events(*ids: str) -> bytes:
    data = briefing()
    data["events"] = [dict(data["events"][0], id=i, title=f"Event {i!r}") for i in ids]
    return dump(data)


def with_dates(*dates: str) -> bytes:
    """VALID with one event on each of `dates`."""
    data = briefing()
    data["events"] = [dict(data["events"][0], id=f"e{i}", title=f"Event on {d}", date=d)
                      for i, d in enumerate(dates)]
    return dump(data)


def replaced(old: str, new: str) -> bytes:
    """VALID with one piece of its text replaced (for JSON no serializer would write)."""
    text = VALID.decode()
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def note_case(name: str, bullet: str, note: str, visible: tuple[str, ...] = (),
              absent: tuple[str, ...] = (), **fields: Any) -> Case:
    data = briefing(note, **fields)
    return Case(name, bullet, "OK (1 event, 1 source)", OK, dump(data), note=note,
                visible=visible, absent=absent, extra=fields)


def date_case(name: str, text: str, message: str) -> Case:
    return Case(name, "dates", f"events[0].date: {text!r} is not a date: {message}",
                data=dump(briefing(date=text)))


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"deeper": value}
    return value


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with open(path, "wb") as f:
            f.truncate(size)  # no disk blocks: holes read as zeros
    return make


def _symlink(target: str | None) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target if target is not None else path.name)  # None: to itself
    return make


# --- the cases ------------------------------------------------------------------------------

def cases(secret: str | os.PathLike[str] = "/nonexistent/secret.png",
          fifo: str | os.PathLike[str] = "/nonexistent/trap.fifo",
          relative_secret: str = "../secret.png") -> list[Case]:
    """Every case. Notes refer to the planted `secret` and `fifo` by absolute path, by
    file: URL and (`relative_secret`) relative to the folder the files are written to."""
    secret, fifo = os.fspath(secret), os.fspath(fifo)
    half = VALID[: len(VALID) // 2]
    utf16 = VALID.decode().encode("utf-16-le")
    deep_list = "".join("    " * d + "- item\n" for d in range(300))
    nested_tables = "<table><tr><td>" * 20 + "cell" + "</td></tr></table>" * 20
    nested_spans = "<span>" * 7_000 + "deep text" + "</span>" * 7_000  # within 100,000 chars
    nested_strong = "*" * 9_000 + "starred" + "*" * 9_000
    return [
        # Qt's default loadResource would open these: every image must stay text.
        note_case("image_absolute_path", "resources", f"Before ![secret]({secret}) after",
                  ("[image: secret]", "after"), (secret,)),
        note_case("image_file_url", "resources", f"![by url](file://{secret})",
                  ("[image: by url]",), ("file:",)),
        note_case("image_relative_path", "resources", f"![relative]({relative_secret})",
                  ("[image: relative]",), ("secret.png",)),
        note_case("image_dev_zero", "resources", "![zeros](/dev/zero) and more",
                  ("[image: zeros]", "and more"), ("/dev/zero",)),
        note_case("image_fifo", "resources", f"![pipe]({fifo}) still here",
                  ("[image: pipe]", "still here"), ("fifo",)),
        note_case("raw_img_tags", "resources",
                  f'<img src="{secret}"> <img src="file://{secret}" alt="raw"> '
                  '<img src="/etc/hostname"> text', ("[image: raw]", "text"), ("hostname",)),
        note_case("remote_image", "resources", "![pixel](http://127.0.0.1:9/pixel.png) seen",
                  ("[image: pixel]", "seen"), ("127.0.0.1",)),
        note_case("css_url", "resources",
                  f'<div style="background:url(file://{secret})">styled</div>',
                  ("styled",), ("url(",)),
        note_case("inline_link_stylesheet", "hidden",
                  f'<link rel="stylesheet" href="{secret}">after the link',
                  ("after the link",), ("stylesheet",)),
        # Links: shown, never followed while rendering.
        note_case("javascript_link", "links", "[run me](javascript:alert(1))",
                  ("run me",), ("alert",)),
        note_case("file_and_data_links", "links",
                  f"[local]({secret}) [data](data:text/html,<b>x</b>) [event](event:hostile)",
                  ("local", "data", "event"), ()),
        # Python-Markdown: raw HTML, recursion, quadratic inputs.
        note_case("script_closed", "markdown", "<script>alert('pwned')</script>after",
                  ("[script not shown]", "after"), ("pwned",)),
        note_case("event_handlers", "markdown", '<p onclick="alert(1)">clicked</p>',
                  ("clicked",), ("onclick",)),
        note_case("deep_list", "markdown", deep_list, ("item",)),
        note_case("deep_blockquote", "markdown", ">" * 1000 + " deep", ("deep",)),
        note_case("many_brackets", "markdown", "[" * 5000 + "end", ("end",)),
        note_case("unclosed_brackets_long_paragraph", "markdown",
                  "[" * 900 + "x " * 45_000 + "tail", ("tail",)),  # 25 s in Python-Markdown
        note_case("unclosed_angles_long_paragraph", "markdown",
                  "<a" * 4_000 + "x " * 45_000 + "tail", ("tail",)),  # 35 s
        # Layout bombs.
        note_case("nested_tables", "layout", nested_tables, ("cell",)),
        note_case("nested_spans", "layout", nested_spans, ("deep text",)),
        note_case("nested_emphasis", "layout", nested_strong, ("starred",)),
        note_case("huge_note", "layout", "word " * 400_000,
                  ("Note truncated: showing the first 100,000 of 2,000,000 characters.",)),
        # Hidden content: whatever the file holds is visible, or marked as not shown.
        note_case("unclosed_script", "hidden", "before <script>hidden words\n\nmore hidden",
                  ("before", "hidden words", "more hidden")),
        note_case("unclosed_style", "hidden", "before <style>p {}\n\nstyled words",
                  ("before", "styled words")),
        note_case("self_closed_script", "hidden", "<script/>after the script",
                  ("after the script",)),
        note_case("html_comment", "hidden", "a <!-- a secret remark --> b",
                  ("[HTML comment not shown]",), ("secret remark",)),
        note_case("white_on_white", "hidden",
                  '<span style="color:#fff;background:#fff">pale words</span> '
                  '<font color="white" size="0">tiny words</font>',
                  ("pale words", "tiny words"), ()),
        note_case("bidi_and_zero_width_in_note", "hidden",
                  "invoice\u202efdp.exe zero\u200bwidth &#x202e;entity \U000e0041tag",
                  ("⟦U+202E⟧fdp.exe", "zero⟦U+200B⟧width", "⟦U+202E⟧entity", "⟦U+E0041⟧tag")),
        note_case("bidi_in_title", "hidden", "Notes.", ("⟦U+202E⟧",),
                  title="Payment \u202egnp.exe"),
        note_case("zero_width_in_summary", "hidden", "Notes.", (),
                  summary="sum\u200bmary \u2066isolated\u2069"),
        # JSON that Python accepts but must not.
        Case("nan", "json", ":3:12: NaN is not allowed", data=replaced('"Hostile"', "NaN")),
        Case("infinity", "json", "-Infinity is not allowed",
             data=replaced('"Hostile"', "-Infinity")),
        Case("huge_float", "json", "the number 1e999 is too large",
             data=replaced('"Hostile"', "1e999")),
        Case("huge_int", "json", ":3:12: a number with 5,000 digits",
             data=replaced('"Hostile"', "9" * 5000)),
        Case("deep_nesting", "json", "the JSON is nested too deeply", data=b"[" * 100_000),
        Case("deep_unknown_field", "json", "events[0].x_deep: is nested more than 64 levels",
             data=dump(briefing(x_deep=_nested(100)))),
        Case("duplicate_top_key", "json",
             "the top-level object: the key 'title' appears more than once",
             data=replaced('"title": "Hostile",', '"title": "Hostile", "title": "Other",')),
        Case("duplicate_event_key", "json",
             "events[0]: the key 'date' appears more than once",
             data=replaced('"date": "2024-03-01",',
                           '"date": "2024-03-01", "date": "1999-01-01",')),
        Case("lone_surrogate", "json", "title: contains an unpaired surrogate (\\ud800)",
             data=replaced('"Hostile"', '"Host\\ud800ile"')),
        Case("lone_surrogate_in_key", "json", "the key '\\udfff': contains an unpaired",
             data=replaced('"format"', '"\\udfff": 1, "format"')),
        Case("top_level_list", "json", "the top level must be a JSON object, not a list",
             data=b"[]"),
        # Damaged or foreign bytes.
        Case("empty", "encoding", "the file is empty", data=b""),
        Case("whitespace_only", "encoding", "the file is empty", data=b" \n\t\r\n"),
        Case("truncated", "encoding", "was it cut short?", data=half),
        Case("nul_filled", "encoding", "holds only NUL bytes (4,096)", data=b"\0" * 4096),
        Case("nul_inside", "encoding", ":2:3: contains NUL bytes",
             data=VALID[:4] + b"\0" + VALID[4:]),
        Case("utf16_bom", "encoding", "is UTF-16 encoded", data=codecs.BOM_UTF16_LE + utf16),
        Case("utf16_no_bom", "encoding", ":1:2: contains NUL bytes", data=utf16),
        Case("latin1", "encoding", "not valid UTF-8 (byte 0xfa); is the file Latin-1?",
             data=dump(briefing(title="Perú")).decode().encode("latin-1")),
        Case("png", "encoding", "is a PNG image", data=b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        Case("pdf", "encoding", "is a PDF document", data=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        Case("two_documents", "encoding", "two documents glued together", data=VALID + VALID),
        Case("git_conflict", "encoding", ":3:1: contains a git merge-conflict marker '<<<<<<<'",
             data=replaced('  "title": "Hostile",\n',
                           '<<<<<<< HEAD\n  "title": "Hostile",\n=======\n  "title": "B",\n'
                           '>>>>>>> theirs\n')),
        Case("utf8_bom", "encoding", "OK (1 event, 1 source)", OK,
             data=codecs.BOM_UTF8 + VALID),
        # Not a regular file: refused before a byte is read.
        Case("folder", "special", "is a folder, not a briefing file", UNREADABLE,
             make=lambda p: p.mkdir()),
        Case("fifo", "special", "is not a regular file (a named pipe (FIFO))", UNREADABLE,
             make=lambda p: os.mkfifo(p)),
        Case("symlink_loop", "special", "a link loop", UNREADABLE, make=_symlink(None)),
        Case("link_to_dev_zero", "special", "is not a regular file (a character device)",
             UNREADABLE, make=_symlink("/dev/zero")),
        Case("sparse_8gib", "special", "is too large (8,589,934,592 bytes", UNREADABLE,
             make=_sparse(8 << 30)),
        Case("missing", "special", "cannot open: No such file or directory", UNREADABLE,
             make=lambda p: None),
        # Dates: the strict grammar decides, never dateutil's guesses.
        date_case("date_bc", "-0044", "years before 1 AD are not supported"),
        date_case("date_fuzzy_words", "sometime late 2024", "not a recognised form"),
        date_case("date_overflow", "99999999999999999999", "a date needs one four-digit year"),
        date_case("date_relative", "today", "not a recognised form"),
        date_case("date_no_year", "Jan 5", "a date needs one four-digit year"),
        date_case("date_impossible_day", "2024-02-30", "day is out of range for month"),
        # Valid dates whose timeline's margins reach past the calendar (the PDF's strips).
        Case("dates_at_the_calendar_ends", "dates", "OK (4 events, 1 source)", OK,
             data=with_dates("0001-01-01", "9999-12-31", "before 0001-01-02",
                             "after 9999-12-30")),
        # Ids a reader cannot tell apart.
        Case("ids_differ_by_case", "ids", "events[1].id: 'E1' looks like the event id 'e1'",
             data=with_events("e1", "E1")),
        Case("ids_cyrillic_lookalike", "ids", "looks like the event id 'e1'",
             data=with_events("e1", "\u04351")),
        Case("id_zero_width", "ids", "(U+200B ZERO WIDTH SPACE); an id must be plain visible",
             data=with_events("e\u200b1")),
        Case("id_bidi_override", "ids", "(U+202E RIGHT-TO-LEFT OVERRIDE)",
             data=with_events("e1\u202e")),
        # File names printed in messages.
        Case("name_not_utf8", "names", "bad-\\xff-name.json: the file is empty", data=b"",
             filename=os.fsdecode(b"bad-\xff-name.json")),
        Case("name_terminal_escape", "names", "esc\\x1b[2Jname.json: the file is empty",
             data=b"", filename="esc\x1b[2Jname.json"),
    ]


def create(case: Case, path: Path) -> None:
    """Write the case's file (or make its special file) at `path`."""
    if case.make is not None:
        case.make(path)
    else:
        assert case.data is not None, case.name
        path.write_bytes(case.data)


def generate(folder: str | os.PathLike[str], secret: str | os.PathLike[str] | None = None,
             fifo: str | os.PathLike[str] | None = None) -> list[tuple[Case, Path]]:
    """Write every case into `folder` (created); return each case with its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    secret_path = Path(secret) if secret else folder.parent / "secret.png"
    fifo_path = Path(fifo) if fifo else folder.parent / "trap.fifo"
    relative = os.path.relpath(secret_path, folder)
    made = []
    for case in cases(secret_path, fifo_path, relative):
        path = folder / case.file_name()
        create(case, path)
        made.append((case, path))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where to write the cases (created)")
    parser.add_argument("--secret", help="the file notes point at (default: ../secret.png)")
    ns = parser.parse_args(argv)
    for case, path in generate(ns.folder, ns.secret):
        print(f"{case.name:34} exit {case.status}  {case.bullet:9} {path.name!a}: "
              f"{case.expect!a}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
