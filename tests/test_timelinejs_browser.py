"""Our TimelineJS export loads in TimelineJS3 itself: one slide per event, in headless Chromium.

The page (tests/js/timeline.html) is served from 127.0.0.1 with the npm package's dist
folder beside our exported data.json; it writes what TimelineJS built into <pre id=result>,
which `chromium --dump-dom` prints once the virtual time budget has run. Skips, saying why,
where Chromium or the npm package is missing (.ci/run installs both).
"""

import functools
import html
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing_app.export.formats import write_timelinejs
from briefing_app.model.briefing import Event

JS = Path(__file__).resolve().parent / "js"
DIST = JS / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)),
                None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=30000", "--dump-dom")
_RESULT = re.compile(r'<pre id="result">(.*?)</pre>', re.S)


def _missing() -> str:
    if CHROMIUM is None:
        return "Chromium is not installed (apt-get install chromium)"
    if not (DIST / "js" / "timeline.js").exists():
        npm = "" if shutil.which("npm") else " (npm is not installed either)"
        return f"TimelineJS3 is not installed: run 'npm ci' in tests/js{npm}"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "ready")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def site(tmp_path):
    """A folder served on 127.0.0.1: the page, TimelineJS's dist folder, and data.json."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(JS / "timeline.html", root / "index.html")
    (root / "timelinejs").symlink_to(DIST, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def load_in_timelinejs(url: str, profile: Path) -> dict:
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", url],
                            capture_output=True, text=True, timeout=240)
    found = _RESULT.search(result.stdout)
    assert found, f"the page wrote no result; chromium said: {result.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def assert_loaded(shown: dict, briefing, events: list[Event]) -> None:
    assert "exception" not in shown and "timeout" not in shown, shown
    assert shown["errors"] == [] and shown["message"] == ""
    assert shown["title_slides"] == 1
    assert shown["slides"] - shown["title_slides"] == len(events)
    assert shown["markers"] == len(events)
    # TimelineJS orders by start date alone; events starting together may come in any order.
    assert sorted(zip(shown["headlines"], shown["dates"], strict=True)) == sorted(
        (e.title, e.date_label()) for e in events)
    assert shown["quotes"] == sum(1 for e in events if e.quotes)


def test_bundled_briefing_loads_with_one_slide_per_event(site, briefing, tmp_path):
    root, url = site
    write_timelinejs(briefing, root / "data.json")
    shown = load_in_timelinejs(url, tmp_path / "profile")
    assert_loaded(shown, briefing, briefing.events)
    first = sorted(briefing.events, key=Event.sort_key)[0]
    assert shown["rendered_quotes"] == [first.quotes[0].text]  # the blockquote is drawn


def test_generated_briefing_loads_with_one_slide_per_event(site, tmp_path):
    from test_formats import make_briefing

    briefing = make_briefing(300, seed=3)
    root, url = site
    write_timelinejs(briefing, root / "data.json")
    shown = load_in_timelinejs(url, tmp_path / "profile")
    assert_loaded(shown, briefing, briefing.events)
