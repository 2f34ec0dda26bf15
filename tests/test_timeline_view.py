"""The timeline widget: zoom and pan keep their promises, keys and clicks drive the selection."""

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from briefing_app.model.briefing import Actor, Briefing, Event
from briefing_app.model.dates import POINT, FuzzyDate, day_part
from briefing_app.model.layout import build_layout
from briefing_app.render.timeline_painter import (
    GUTTER,
    LANE_PAD,
    MARK_STRIP,
    TimelinePainter,
    TimelinePalette,
)
from briefing_app.ui.event_table_model import EventTableModel
from briefing_app.ui.timeline_view import TimelineView

HUGE = 100_000


@pytest.fixture
def model(briefing):
    model = EventTableModel()
    model.set_briefing(briefing)
    return model


@pytest.fixture
def selection(model):
    return QItemSelectionModel(model)


@pytest.fixture
def view(qtbot, model, selection):
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.set_model(model, selection)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()  # item_at answers from what was drawn
    return view


@pytest.fixture(scope="module")
def huge():
    """100k one-day events, ~2.7 a day over a century, in five actors' lanes."""
    actors = [Actor(f"a{k}", f"Actor {k}", "") for k in range(5)]
    first = date(1950, 1, 1).toordinal()
    events = [Event(str(i), f"Event {i}",
                    FuzzyDate("", POINT, day_part(date.fromordinal(first + i * 37 // 100)), None),
                    actors=[f"a{i % 5}"]) for i in range(HUGE)]
    return Briefing(actors=actors, events=events)


def plot_x(view, share):
    return GUTTER + share * (view.viewport().width() - GUTTER)


def click_point(view, row):
    """A point on the marker of the event at `row`, as drawn last."""
    view.viewport().repaint()
    rect = view.timeline_painter.item_rect(row_event(view, row))
    assert rect is not None, "the event is not drawn"
    return QPoint(round(rect.left() + 5), round(rect.center().y()))


def row_event(view, row):
    return view._model.rows[row]


@pytest.mark.parametrize("factor", [2.0, 0.5, 1.3, 10.0])
@pytest.mark.parametrize("share", [0.0, 0.3, 0.97])
def test_zoom_keeps_the_date_under_the_cursor(view, factor, share):
    x = plot_x(view, share)
    before = view.t_for(x)
    view.zoom_at(factor, x)
    assert view.t_for(x) == pytest.approx(before, rel=1e-6)
    t0, t1 = view.visible_range()
    assert view.x_for(before) == pytest.approx(x, abs=1e-3)
    assert t1 > t0


def test_pan_moves_the_range_by_the_pixel_amount(view, qtbot):
    t0, t1 = view.visible_range()
    per_pixel = (t1 - t0) / (view.viewport().width() - GUTTER)
    with qtbot.wait_signal(view.visible_range_changed) as signal:
        view.pan_pixels(120)
    assert view.visible_range() == pytest.approx((t0 - 120 * per_pixel, t1 - 120 * per_pixel))
    first, last = signal.args
    assert isinstance(first, date) and first < last


def test_fit_all_shows_every_event(view):
    view.zoom_at(50, plot_x(view, 0.5))
    view.pan_pixels(3000)
    view.fit_all()
    t0, t1 = view.visible_range()
    assert all(t0 <= it.start and it.end <= t1 for it in view.timeline_layout.items)
    assert len(view.timeline_layout.items) == view._model.rowCount()


def test_fit_all_shows_the_lanes_from_the_top_or_the_current_one(view, selection, model):
    bar = view.verticalScrollBar()
    view.resize(1300, 300)  # the lanes do not fit
    view.viewport().repaint()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    view.fit_all()
    view.viewport().repaint()
    assert bar.value() == 0
    lanes = view.timeline_layout.lanes
    row = next(r for r in range(model.rowCount())
               if view.timeline_layout.item_of(row_event(view, r)).lane == len(lanes) - 1)
    selection.setCurrentIndex(model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    bar.setValue(0)
    view.fit_all()
    view.viewport().repaint()  # scrolls to the lane once it knows where the lane is
    view.viewport().repaint()
    top, bottom = view.timeline_painter.lane_span(len(lanes) - 1)
    assert bar.value() > 0 and top >= 0 and bottom <= view.viewport().height()


def test_right_and_left_step_through_rows(view, qtbot, selection):
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current_row() == 0
    view.select_row(3)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current_row() == 4
    assert selection.isRowSelected(4) and not selection.isRowSelected(3)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.current_row() == 3
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_row() == view._model.rowCount() - 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_row() == 0


def test_alt_left_goes_back_and_alt_right_forward(view, qtbot):
    for row in (2, 7, 5):
        view.select_row(row)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_row() == 7
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_row() == 2
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.current_row() == 7


def test_shift_arrows_pan_without_changing_the_current_row(view, qtbot):
    view.select_row(1)
    t0, _ = view.visible_range()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.visible_range()[0] > t0
    assert view.current_row() == 1


def test_clicking_an_item_selects_its_row(view, qtbot, selection):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click_point(view, 3))
    assert view.current_row() == 3
    assert [i.row() for i in selection.selectedRows()] == [3]


def test_ctrl_click_adds_and_shift_click_extends(view, qtbot, selection):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click_point(view, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, click_point(view, 4))
    assert sorted(i.row() for i in selection.selectedRows()) == [1, 4]
    assert view.current_row() == 4
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, click_point(view, 6))
    assert sorted(i.row() for i in selection.selectedRows()) == [4, 5, 6]


def test_double_click_and_return_activate_the_row(view, qtbot):
    with qtbot.wait_signal(view.activated) as signal:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click_point(view, 2))
    assert signal.args == [2]
    view.select_row(5)
    with qtbot.wait_signal(view.activated) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [5]


def test_a_new_current_event_is_panned_into_view_and_described(view, model):
    last = model.rowCount() - 1
    view.select_row(0)
    view.zoom_at(40, view.x_for(view.timeline_layout.by_event[row_event(view, 0)].start))
    item = view.timeline_layout.by_event[row_event(view, last)]
    assert item.start > view.visible_range()[1]
    view.select_row(last)
    t0, t1 = view.visible_range()
    assert t0 <= item.start <= t1
    event = model.event_at(last)
    assert view.accessibleDescription() == f"Selected: {event.title}, {event.date_label()}"


def test_zooming_leaves_the_current_event_alone(view):
    view.select_row(0)
    view.zoom_at(30, plot_x(view, 0.9))
    assert view.current_row() == 0
    t0, _ = view.visible_range()
    assert view.timeline_layout.by_event[row_event(view, 0)].end < t0  # no pan back to it


def wheel(view, x, delta, modifiers=Qt.KeyboardModifier.NoModifier):
    pos = QPointF(x, 200)
    event = QWheelEvent(pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())), QPoint(),
                        QPoint(0, delta), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_zooms_around_the_cursor_and_the_wheel_pans(view):
    x = plot_x(view, 0.6)
    before, span = view.t_for(x), view.visible_range()[1] - view.visible_range()[0]
    wheel(view, x, 120, Qt.KeyboardModifier.ControlModifier)
    t0, t1 = view.visible_range()
    assert t1 - t0 < span
    assert view.t_for(x) == pytest.approx(before, rel=1e-6)
    wheel(view, x, -120)  # down: later dates come into view
    assert view.visible_range()[0] > t0


def test_shift_wheel_scrolls_the_lanes(view):
    view.resize(900, 220)
    view.viewport().repaint()
    assert view.verticalScrollBar().maximum() > 0
    wheel(view, plot_x(view, 0.5), -120, Qt.KeyboardModifier.ShiftModifier)
    assert view.verticalScrollBar().value() > 0


def test_a_current_event_in_a_lane_below_is_scrolled_into_view(view, qtbot):
    view.resize(900, 220)
    view.viewport().repaint()
    layout = view.timeline_layout
    last_lane = max(layout.items, key=lambda it: it.lane)
    view.select_row(view._model.rows.index(last_lane.event))
    view.viewport().repaint()  # finds where the lane is and scrolls
    view.viewport().repaint()
    assert view.verticalScrollBar().value() > 0
    top, bottom = view.timeline_painter.lane_span(last_lane.lane)
    assert view.timeline_painter.axis_height <= top and bottom <= view.viewport().height()


def test_a_second_model_replaces_the_first(view, briefing, qtbot):
    other = EventTableModel()
    other.set_briefing(briefing, rows=[1, 2])
    view.set_model(other, QItemSelectionModel(other))
    view._model.set_rows([1])
    assert [it.event for it in view.timeline_layout.items] == [1]


def test_tooltip_names_the_event_under_the_cursor(view, model):
    pos = click_point(view, 2)
    help_event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    view.viewportEvent(help_event)
    event = model.event_at(2)
    assert QToolTip.text() == f"{event.title}\n{event.date_label()}"


def test_the_view_shows_exactly_the_models_rows(view, model, qtbot):
    model.set_rows([0, 3, 5])
    assert sorted(it.event for it in view.timeline_layout.items) == [0, 3, 5]
    view.set_lane_mode("single")
    assert len(view.timeline_layout.lanes) == 1
    with pytest.raises(ValueError):
        view.set_lane_mode("colour")


def test_grab_renders_something(view):
    image = view.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 10


def test_a_dark_palette_reaches_the_drawing(view):
    before = view.grab().toImage().pixelColor(view.width() - 20, view.height() - 20)
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#2b2d30"))
    view.setPalette(palette)
    after = view.grab().toImage().pixelColor(view.width() - 20, view.height() - 20)
    assert before.lightness() > 128 > after.lightness()


def paint(layout, t0, t1, painter=None):
    painter = painter or TimelinePainter()
    image = QImage(1300, 400, QImage.Format.Format_RGB32)
    qp = QPainter(image)
    painter.paint(qp, QRectF(0, 0, 1300, 400), layout, t0, t1,
                  palette=TimelinePalette.light())
    qp.end()
    return painter, image


def test_preferred_height_fits_the_drawing_and_changes_nothing(qapp, briefing):
    layout = build_layout(briefing, range(len(briefing.events)))
    span = layout.full_range()
    measured, _ = paint(layout, span[0], span[0] + 400)  # metrics of the image
    height = measured.preferred_height(layout, *span, 1300)
    _, after_measuring = paint(layout, *span, measured)
    plain, image = paint(layout, *span)
    assert plain.last_height == pytest.approx(height)
    assert after_measuring == image


def test_another_actor_s_mark_covers_an_imprecise_date(qapp, briefing):
    layout = build_layout(briefing, range(len(briefing.events)))
    t0, t1 = layout.full_range()
    painter, _ = paint(layout, t0, t1)  # 1300 px wide

    def x(t):
        return GUTTER + (t - t0) * (1300 - GUTTER) / (t1 - t0)

    it = next(it for it in layout.items if it.other_lanes and it.end - it.start > 300)
    top, _ = painter.lane_span(it.other_lanes[0])
    y = top + LANE_PAD + MARK_STRIP / 2
    for share in (0.1, 0.5, 0.9):  # the whole year, not a dot at "1 January"
        assert painter.item_at(QPointF(x(it.start + share * (it.end - it.start)), y)) == it.event


def test_zoomed_in_painting_visits_only_visible_items(qapp, huge):
    layout = build_layout(huge, range(HUGE))
    t0 = layout.items[50_000].start
    painter, _ = paint(layout, t0, t0 + 73)  # ~200 events
    assert not painter.used_density
    assert 150 < painter.items_visited < 2000


def test_fitted_painting_of_100k_events_draws_density(qapp, huge):
    layout = build_layout(huge, range(HUGE))
    painter, image = paint(layout, *layout.full_range())
    assert painter.used_density
    assert painter.items_visited < 50
    assert image.pixelColor(image.width() // 2, 60) != image.pixelColor(image.width() // 2, 2)


def test_the_view_copes_with_100k_rows(qtbot, huge):
    model = EventTableModel()
    model.set_briefing(huge)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1300, 400)
    view.set_model(model, QItemSelectionModel(model))
    view.grab()
    assert view.timeline_painter.used_density
    view.select_row(HUGE // 2)
    view.zoom_at(200, view.x_for(view.timeline_layout.by_event[model.rows[HUGE // 2]].start))
    view.grab()
    assert view.timeline_painter.items_visited < 2000


def test_the_focused_timeline_shows_it_has_the_keys(view, qtbot, selection):
    selection.clear()
    view.activateWindow()
    view.setFocus()
    qtbot.wait_until(view.hasFocus)
    edge = view.viewport().grab().toImage().pixelColor(1, 200)
    assert edge == TimelinePalette.from_qpalette(view.palette()).selection
    view.clearFocus()
    qtbot.wait_until(lambda: not view.hasFocus())
    assert view.viewport().grab().toImage().pixelColor(1, 200) != edge



def test_in_a_large_font_each_lane_is_as_tall_as_its_name(qapp, briefing):
    """A two-line lane name in a large font (16 pt) is taller than a row of events: the
    names ran into one another ("Peruvian / Navy (Ma… / Peru / (govern…"), no telling
    which line was whose."""
    from PySide6.QtGui import QFont, QFontMetricsF

    layout = build_layout(briefing, range(len(briefing.events)))
    t0, t1 = layout.full_range()
    font = QFont(QFont().family())
    font.setPixelSize(22)
    painter = TimelinePainter()
    image = QImage(1300, 1200, QImage.Format.Format_RGB32)
    qp = QPainter(image)
    painter.paint(qp, QRectF(0, 0, 1300, 1200), layout, t0, t1,
                  palette=TimelinePalette.light(), font=font)
    qp.end()
    line = QFontMetricsF(font, image).height()
    two_line = [k for k, lane in enumerate(layout.lanes)
                if len(painter._lane_lines(lane.label)) == 2]
    assert two_line
    for lane in two_line:
        top, bottom = painter.lane_span(lane)
        assert bottom - top >= 2 * line


def test_in_a_large_font_the_lane_names_get_room_and_clicks_still_land(view, qtbot):
    """At 16 pt the names had the same 150 px as at 9 pt: "Peru (government)" read
    "Peru (govern…". The view maps clicks with the painter's wider gutter."""
    from PySide6.QtGui import QFont

    font = QFont(view.font())
    font.setPointSize(16)
    view.setFont(font)
    view.viewport().repaint()
    assert view._gutter() > 200
    names = [view._painter._lane_lines(lane.label) for lane in view._layout.lanes]
    assert ["Peru (government)"] in names
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click_point(view, 3))
    assert view.current_row() == 3
