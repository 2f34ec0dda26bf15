"""The command line: validate's output and exit codes, --help/--version, never a traceback."""

import json
import os
import subprocess
import sys

import pytest

from briefing_app import __version__
from briefing_app.cli import main


def run_cli(*args, cwd=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "briefing_app", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def test_validate_ok(bundled_path, capsys):
    assert main(["validate", str(bundled_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{bundled_path}: OK (") and "events" in out and "sources)" in out


def test_validate_reports_each_problem_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "events": [
        {"id": "a", "title": "A", "date": "sometime"}, {"id": "a", "title": "B", "date": "2019"}]}))
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{bad}: events[0].date: 'sometime' is not a date")
    assert lines[1] == f"{bad}: events[1].id: duplicate event id 'a'"


def test_validate_reports_a_blank_event_title(tmp_path, capsys):
    bad = tmp_path / "blank.json"
    bad.write_text(json.dumps({"title": "x", "events": [
        {"id": "a", "title": "A", "date": "2019"}, {"id": "b", "title": "  ", "date": "2019"}]}))
    assert main(["validate", str(bad)]) == 1
    assert capsys.readouterr().out == (
        f"{bad}: events[1].title: is empty; every event needs a title\n")


def test_validate_unreadable_exits_2(tmp_path, bundled_path, capsys):
    assert main(["validate", str(bundled_path), str(tmp_path / "missing.json")]) == 2
    assert "cannot open" in capsys.readouterr().out


@pytest.mark.parametrize("content", [
    os.urandom(4096), b"\xc3\x28" * 100, b"[" * 200000, b"[1, 2, 3]", b"\x00" * 1000,
    b'{"events": [' + b'{"id": 1},' * 1000 + b"{}]}",
])
def test_validate_never_prints_a_traceback(tmp_path, content):
    bad = tmp_path / "junk.json"
    bad.write_bytes(content)
    result = run_cli("validate", bad)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert str(bad) in result.stdout


def test_validate_refuses_a_2gb_file_quickly(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(2 << 30)  # sparse
    result = run_cli("validate", big)
    assert result.returncode == 2 and "too large" in result.stdout


def test_help_and_version():
    assert __version__ in run_cli("--version").stdout
    helptext = run_cli("--help").stdout
    assert "validate" in helptext and "-- FILE" in helptext
    assert "FILE" in run_cli("validate", "--help").stdout


def test_internal_error_prints_one_line_and_a_log(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    import briefing_app.cli as cli

    def boom(files):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(cli, "validate_files", boom)
    assert cli.main(["validate", "x.json"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "crash.log" in err
    assert "RuntimeError: unexpected" in (tmp_path / "briefing-app" / "crash.log").read_text()


# --- export --------------------------------------------------------------------------------

def test_export_timeline_only_counts_the_events_on_its_timeline(qapp, briefing, bundled_path,
                                                                tmp_path, capsys):
    from briefing_app.export import select_events
    from briefing_app.model.search import Query

    chosen = len(select_events(briefing, Query(text="chancay")))
    assert 0 < chosen < len(briefing.events)
    out = tmp_path / "t.pdf"
    assert main(["export", str(bundled_path), "--pdf", str(out), "--timeline-only"]) == 0
    assert capsys.readouterr().out.endswith(f", {len(briefing.events)} events\n")
    assert main(["export", str(bundled_path), "--pdf", str(out), "--timeline-only",
                 "--filter", "chancay"]) == 0
    printed = capsys.readouterr()
    assert printed.out.endswith(f", {chosen} events\n")
    assert "no events match" not in printed.err  # the timeline shows them
    assert main(["export", str(bundled_path), "--pdf", str(out), "--timeline-only",
                 "--filter", "no-such-word-anywhere"]) == 0
    assert "warning: no events match the filters" in capsys.readouterr().err



def test_export_page_size_ignores_case_and_still_refuses_unknown_sizes(qapp, bundled_path,
                                                                       tmp_path, capsys):
    from pypdf import PdfReader

    out = tmp_path / "t.pdf"
    for given, points in (("letter", (612, 792)), ("LETTER", (612, 792)), ("a4", (595, 842))):
        assert main(["export", str(bundled_path), "--pdf", str(out), "--timeline-only",
                     "--page-size", given]) == 0
        box = PdfReader(out).pages[0].mediabox
        assert (round(box.width), round(box.height)) == points
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(bundled_path), "--pdf", str(out), "--page-size", "legal"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err  # argparse quotes the choices differently across versions
    assert "invalid choice: 'legal'" in err and "A4" in err and "Letter" in err
