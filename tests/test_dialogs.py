"""Message boxes: what they say, and that they fit on the screen they are shown on."""

from PySide6.QtGui import QGuiApplication

from briefing_app.model import storage
from briefing_app.ui import dialogs


def date_problems(tmp_path, bundled_path, count):
    """Real problems of a file whose dates are all mistyped ('late 2O24')."""
    import json

    data = json.loads(bundled_path.read_text(encoding="utf-8"))
    events = data["events"]
    while len(events) < count:
        events.append(dict(events[0], id=f"copy-{len(events)}"))
    for event in events:
        event["date"] = "late 2O24"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        storage.load(path)
    except storage.LoadError as exc:
        return str(path), exc.problems
    raise AssertionError("the broken file loaded")


def test_a_file_with_many_long_problems_gets_a_box_that_fits_the_screen(
        qtbot, tmp_path, bundled_path):
    path, problems = date_problems(tmp_path, bundled_path, 30)
    assert len(problems) == 30 and all(len(p) > 300 for p in problems)
    box = dialogs.load_error_box(None, path, problems)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    # The offscreen screen is 800x600, smaller than a laptop's: the OK button must show.
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert box.frameGeometry().height() <= screen.height()
    lines = box.informativeText().splitlines()
    assert len(lines) == dialogs.SHOWN_PROBLEMS + 1
    assert lines[-1].startswith("… and 22 more")
    assert all(len(line) <= dialogs.SHOWN_PROBLEM_CHARS for line in lines)
    assert box.detailedText().splitlines() == problems  # every problem, whole


def test_a_reload_that_fails_is_not_called_an_open(qtbot):
    box = dialogs.load_error_box(None, "a.json", ["a.json:1:3: Expecting value"],
                                 reloading=True)
    qtbot.addWidget(box)
    assert box.windowTitle() == "Cannot reload briefing"
    assert "was not read again" in box.text() and "not opened" not in box.text()


def test_a_few_short_problems_are_listed_whole(qtbot):
    problems = ["a.json:3:1: Expecting value", "a.json: events[0].title: required"]
    box = dialogs.load_error_box(None, "a.json", problems)
    qtbot.addWidget(box)
    assert box.informativeText().splitlines() == problems
