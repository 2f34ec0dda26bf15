"""`briefing-app import SRC --to OUT.json`: a CSV, TimelineJS or briefing file as a new briefing.

The kind of SRC is found from its content. What SRC holds that has no place in a briefing is
printed one line each ("SRC: where: what"), then a summary line. It never half-imports:
exit status 0 written, 1 SRC cannot be used (every problem is printed, naming the row or
JSON path) or OUT cannot be written, 2 SRC cannot be read; on 1 and 2 nothing is written.
An existing OUT is replaced only with --force. No Qt is imported.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

PROG = "briefing-app import"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import", help="make a briefing from a CSV or TimelineJS file",
        description="Read SRC (a CSV file with a header row, a TimelineJS3 JSON file, or a "
        "briefing) and write it as a new briefing. Rows or fields that cannot be used stop "
        "the import and are all listed; things that have no place in a briefing (eras, "
        "images, unknown columns...) are listed and kept where possible.")
    parser.add_argument("source", metavar="SRC", help="the file to import")
    parser.add_argument("--to", metavar="OUT.json", required=True, dest="out",
                        help="the briefing to write")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    return parser


def run(ns: argparse.Namespace) -> int:
    from .model import storage
    from .model.briefing import counted
    from .model.errors import LoadError, SaveError
    from .model.importing import import_file

    if os.path.lexists(ns.out):
        try:
            same = os.path.samefile(ns.source, ns.out)
        except OSError:
            same = False
        if same or not ns.force:
            why = "is the file being imported" if same else "exists; add --force to replace it"
            print(f"{PROG}: {ns.out} {why}", file=sys.stderr)
            return 1
    try:
        briefing, report = import_file(ns.source)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{PROG}: nothing was written", file=sys.stderr)
        return 2 if exc.unreadable else 1
    try:
        storage.save(briefing, ns.out)
    except SaveError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    for line in report.lines:
        print(line)
    counts = ", ".join(counted(len(items), noun) for items, noun in (
        (briefing.events, "event"), (briefing.actors, "actor"), (briefing.sources, "source")))
    print(f"{ns.out}: {counts} "
          f"(from {report.kind_name}"
          + (f"; {len(report.lines)} not fitting, listed above)" if report.lines else ")"))
    return 0
