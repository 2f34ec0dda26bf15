"""The `briefing-app` command: open the GUI, or run a sub-command (validate, export, import).

    briefing-app [FILE]              open FILE (default: the bundled briefing) in a window
    briefing-app -- FILE             open a file whose name looks like a sub-command
    briefing-app validate FILE...    check files; exit 0 valid, 1 invalid, 2 unreadable
    briefing-app export FILE --pdf|--csv|--timelinejs|--md OUT [options]   needs no display
    briefing-app import SRC --to OUT.json   CSV or TimelineJS to a briefing, with a report

Bad input never prints a traceback; an unexpected internal error prints one line that
points at a log file with the details.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__

SUBCOMMANDS = ("validate", "export", "import")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        return _run_gui(args)
    except KeyboardInterrupt:
        return 130
    except Exception:  # the last line of defence: one line for the user, details in a log
        log = write_crash_log(traceback.format_exc())
        print(f"briefing-app: internal error; details were written to {log}", file=sys.stderr)
        return 3


def write_crash_log(text: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "briefing-app"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    log = folder / "crash.log"
    with open(log, "a", encoding="utf-8", errors="replace") as f:
        f.write(text + "\n")
    return log


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing-app",
        description="Read, edit and export briefings: dated events on a zoomable timeline.",
        epilog="sub-commands: validate FILE... "
        "(see 'briefing-app validate --help'); export FILE --pdf OUT.pdf [options] "
        "(also --csv, --timelinejs, --md; see 'briefing-app export --help'); import SRC "
        "--to OUT.json (CSV or TimelineJS; see 'briefing-app import --help'). "
        "Use 'briefing-app -- FILE' to open a file named like a sub-command.",
    )
    parser.add_argument("file", nargs="?", help="briefing to open (default: the bundled example)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _run_gui(args: list[str]) -> int:
    ns, qt_args = _gui_parser().parse_known_args(args)
    from .app import run  # Qt is imported only when a window is wanted

    return run(ns.file, qt_args)


def _run_subcommand(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="briefing-app")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check briefing files and report every problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    from .export import cli as export_cli  # imports Qt only when an export runs

    export_cli.add_parser(sub)
    from . import import_cli

    import_cli.add_parser(sub)
    ns = parser.parse_args(args)
    if ns.command == "export":
        return export_cli.run(ns)
    if ns.command == "import":
        return import_cli.run(ns)
    return validate_files(ns.files)


def validate_files(files: Sequence[str]) -> int:
    """Print `FILE: OK (...)` or each problem; return 0, 1 (invalid) or 2 (unreadable)."""
    from .model import storage
    from .model.briefing import counted
    from .model.errors import LoadError

    status = 0
    for name in files:
        try:
            briefing = storage.load(name)
        except LoadError as exc:
            for problem in exc.problems:
                print(problem)
            status = max(status, 2 if exc.unreadable else 1)
            continue
        print(f"{storage.display_name(name)}: OK ({counted(len(briefing.events), 'event')}, "
              f"{counted(len(briefing.sources), 'source')})")
    return status

