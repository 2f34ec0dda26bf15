"""A file's text is never shown as rich text outside the detail pane's SafeTextDocument.

Qt draws a tooltip, and a label left at Qt.AutoText (every QMessageBox's), as HTML when a
tag comes before its first line break. A title '<img src="/dev/zero">' would then be laid
out by Qt's own resource loader: /dev/zero read until the process aborts (std::bad_alloc,
every unsaved edit gone), a named pipe waited on for ever, any other local file read. Here
the image is a planted harmless file, so that a regression fails instead of crashing.
"""

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # Qt's text functions (mightBeRichText)
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from briefing_app.model import storage
from briefing_app.model.errors import LoadError
from briefing_app.ui import dialogs
from briefing_app.ui.event_table_model import EventTableModel
from briefing_app.ui.plain import tip
from briefing_app.ui.sources_dock import _source_item
from briefing_app.ui.timeline_view import TimelineView

# The real message boxes: conftest's autouse fixture swaps them for recorders in each test.
REAL = {name: getattr(dialogs, name) for name in (
    "show_load_error", "show_error", "confirm_discard", "ask_overwrite_changed",
    "ask_save_changes", "ask_reload", "ask_restore")}


@pytest.fixture
def hostile(tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"secret" * 10)
    return f'<img src="{image}"> shown as written'


def as_shown(text: str) -> str:
    """What Qt draws for a tooltip or an AutoText label holding `text`."""
    document = QTextDocument()
    if GuiQt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText().replace("\xa0", " ")


def test_tip_keeps_text_as_written(qapp, hostile):
    assert tip("Plain title") == "Plain title"
    assert as_shown(tip(hostile + "\nsecond line")) == hostile + "\nsecond line"


def test_event_list_and_timeline_tooltips_show_a_title_as_written(qtbot, briefing, hostile):
    first = replace(briefing.events[0], title=hostile)
    briefing = replace(briefing, events=[first, *briefing.events[1:]])
    model = EventTableModel()
    model.set_briefing(briefing, rows=[0])
    shown = as_shown(model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole))
    assert shown.startswith(hostile + "\n")

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.set_model(model, QItemSelectionModel(model))
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    view.fit_all()
    view.viewport().repaint()  # item_rect answers from what was drawn
    rect = view.timeline_painter.item_rect(0)
    assert rect is not None, "the event is not drawn"
    pos = QPoint(round(rect.left() + 5), round(rect.center().y()))
    view.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert as_shown(QToolTip.text()) == f"{hostile}\n{first.date_label()}"
    QToolTip.hideText()


def test_sources_dock_tooltip_shows_a_url_as_written(qapp, briefing, hostile):
    source = replace(briefing.sources[0], url=hostile)
    assert as_shown(_source_item(source, []).toolTip(0)) == hostile


def _captured(monkeypatch) -> list[QMessageBox]:
    """The boxes shown from Python, captured, not laid out. A box Qt runs by itself (the
    static QMessageBox.question) is closed by a timer instead, uncaptured."""
    boxes = []

    def capture(box):
        boxes.append(box)
        return -1  # as if closed: nothing is laid out, nothing waits

    monkeypatch.setattr(QMessageBox, "exec", capture)
    return boxes


@pytest.fixture
def close_modal(qapp):
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: (w := QApplication.activeModalWidget()) and w.close())
    timer.start()
    yield
    timer.stop()


def test_message_boxes_show_the_file_s_text_as_plain_text(qapp, tmp_path, hostile,
                                                         monkeypatch, close_modal):
    path = tmp_path / "bad.json"
    data = storage.to_json(storage.load(storage.__file__.rsplit("/", 3)[0] + "/events.json"))
    data["events"][0]["date"] = hostile[:40]
    path.write_text(storage.json.dumps(data))
    with pytest.raises(LoadError) as info:
        storage.load(path)
    assert any("<img" in p for p in info.value.problems)
    boxes = _captured(monkeypatch)
    REAL["show_load_error"](None, str(path), info.value.problems)
    REAL["show_error"](None, "Cannot paste", hostile)
    REAL["confirm_discard"](None, hostile)
    REAL["ask_overwrite_changed"](None, hostile)
    REAL["ask_save_changes"](None, hostile)
    REAL["ask_reload"](None, hostile, True)
    REAL["ask_restore"](None, hostile, hostile)
    assert len(boxes) == 7
    for box in boxes:
        labels = [label for label in box.findChildren(QLabel) if "<img" in label.text()]
        assert labels, box.text()
        for label in labels:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
