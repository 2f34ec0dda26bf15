"""The event form: validation as you type, keys, round trips, inline actors and sources."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QScrollArea

from briefing_app.model.briefing import Event, Quote, Source
from briefing_app.model.dates import parse_date
from briefing_app.model.importing import split_list
from briefing_app.ui import dialogs, event_form, quote_table
from briefing_app.ui.event_form import ACTOR_PALETTE, EventForm
from briefing_app.ui.quote_table import SOURCE, TEXT, interpretation, slugify, unique_slug

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def make_form(qtbot, briefing):
    def make(event: Event | None = None) -> EventForm:
        form = EventForm(briefing, event)
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        form.activateWindow()
        return form

    return make


@pytest.fixture
def form(make_form) -> EventForm:
    return make_form()


@pytest.fixture
def dsca(briefing) -> Event:
    return briefing.event("dsca-notifies-congress")


class DiscardQuestion:
    """Stands in for dialogs.confirm_discard: answers from a list (then "discard"), counted."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.asked = 0

    def __call__(self, parent, what="") -> bool:
        self.asked += 1
        return self.answers.pop(0) if self.answers else True


@pytest.fixture(autouse=True)
def discard_question(monkeypatch) -> DiscardQuestion:
    # Autouse: closing a changed form at teardown must not block on a real message box.
    question = DiscardQuestion()
    monkeypatch.setattr(dialogs, "confirm_discard", question)
    return question


def fill(qtbot, form: EventForm, title: str = "Port opens", date: str = "2021-03-04",
         end: str = "") -> None:
    """Type into the fields like a user, so they count as edited; "" types and erases."""
    for edit, text in ((form.title, title), (form.date.edit, date), (form.end.edit, end)):
        edit.clear()
        qtbot.keyClicks(edit, text or "x")
        if not text:
            qtbot.keyClick(edit, Qt.Key.Key_Backspace)


# --- validation ---------------------------------------------------------------------------

VALIDATION = [
    # id, title, date, end, quote (text, source id) or None, acceptable, label, shown
    ("title empty", "", "2021-03-04", "", None, False, "title", "required"),
    ("date with a letter O", "Port opens", "late 2O24", "", None, False, "date",
     "a date needs one four-digit year"),
    ("ISO day", "Port opens", "2021-03-04", "", None, True, "date", "4 Mar 2021"),
    ("part of year", "Port opens", "late 2024", "", None, True, "date",
     "late 2024 → Sep–Dec 2024"),
    ("approximate year", "Port opens", "c. 2019", "", None, True, "date",
     "c. 2019 → 2019, approximate"),
    ("end after start", "Port opens", "2021-03-04", "2021-05", None, True, "end", "May 2021"),
    ("end before start", "Port opens", "2021-03-04", "2020", None, False, "end",
     "ends before the start date"),
    ("end not a date", "Port opens", "2021-03-04", "soon", None, False, "end",
     "not a recognised form"),
    ("end beside a range", "Port opens", "2019/2024", "2024", None, False, "end",
     "the date is a range or open already"),
    ("end beside an open date", "Port opens", "after 2019", "2024", None, False, "end",
     "the date is a range or open already"),
    ("short range", "Port opens", "15-16 Jan 2026", "", None, True, "date",
     "15 Jan 2026 – 16 Jan 2026"),
    ("quote with text and source", "Port opens", "2021", "", ("Said so.", "dsca-25-37"), True,
     "quotes", "1 quote"),
    ("quote without source", "Port opens", "2021", "", ("Said so.", None), False, "quotes",
     "quote 1 needs a source"),
    ("quote without text", "Port opens", "2021", "", ("  ", "dsca-25-37"), False, "quotes",
     "quote 1 needs text"),
]


@pytest.mark.parametrize(("title", "date", "end", "quote", "acceptable", "label", "shown"),
                         [case[1:] for case in VALIDATION], ids=[case[0] for case in VALIDATION])
def test_validation(qtbot, form, title, date, end, quote, acceptable, label, shown):
    fill(qtbot, form, title, date, end)
    if quote is not None:
        row = form.quotes.add_quote()
        form.quotes.table.item(row, TEXT).setText(quote[0])
        form.quotes.set_source(row, quote[1])
    status = {"title": form.title_status, "date": form.date.status, "end": form.end.status,
              "quotes": form.quotes.status}[label]

    assert form.is_acceptable() is acceptable
    assert form.ok_button.isEnabled() is acceptable
    assert shown.casefold() in status.text().casefold()
    assert status.text().startswith("⚠") is not acceptable
    if not acceptable:
        assert shown.casefold() in form.problem_label.text().casefold()
        form.accept()  # blocked programmatically too, not only by the disabled button
        assert form.isVisible() and form.result() != QDialog.DialogCode.Accepted


def test_untouched_empty_fields_are_quiet_but_block_saving(form):
    assert form.date.status.text() == "required" and form.title_status.text() == "required"
    assert not form.ok_button.isEnabled()
    assert form.problem_label.text() == "⚠ To save: title is required; date: required"


def test_rejected_date_has_the_full_message_as_tooltip(qtbot, form):
    fill(qtbot, form, date="late 2O24")
    assert "'late 2O24' is not a date" in form.date.status.toolTip()
    assert "accepted forms" in form.date.status.toolTip()


def test_end_date_is_rechecked_when_the_start_moves(qtbot, form):
    fill(qtbot, form, date="2019", end="2020")
    assert form.is_acceptable()
    form.date.edit.setText("2021")
    assert form.end.error() == "ends before the start date"
    assert not form.ok_button.isEnabled()


def test_an_end_beside_a_range_the_file_holds_does_not_stop_other_edits(qtbot, make_form,
                                                                         dsca):
    """The file format accepts a range with an end ("2019/2024", end "2025"): such an
    event opened in the form must still save a corrected title; a new such pair is refused."""
    event = dataclasses.replace(dsca, date=parse_date("2019/2024"), end=parse_date("2025"))
    form = make_form(event)
    form.title.setText("Corrected title")
    assert form.problems() == [] and form.ok_button.isEnabled()
    form.end.edit.setText("2026")  # a new end beside the range: which span is meant?
    assert "range or open already" in (form.end.error() or "")
    form.end.edit.setText("2025")
    assert form.is_acceptable()


@pytest.mark.parametrize(("text", "shown"), [
    ("late 2024", "late 2024 → Sep–Dec 2024"),
    ("c. 2019", "c. 2019 → 2019, approximate"),
    ("2021-03-04", "4 Mar 2021"),
    ("2019?", "2019? → 2019, uncertain"),
    ("before 2020", "before 2020 → until 31 Dec 2019"),
    ("after 2019", "after 2019 → from 1 Jan 2020"),
    ("2023/2024", "2023–2024"),
])
def test_date_interpretation(text, shown):
    assert interpretation(parse_date(text)) == shown


@pytest.mark.parametrize(("text", "slug"), [
    ("DSCA notifies Congress", "dsca-notifies-congress"),
    ("Perú’s Navy: 2024!", "perus-navy-2024"),
    ("  --  ", "event"),
    ("北京", "event"),
])
def test_slugify(text, slug):
    assert slugify(text, "event") == slug


def test_unique_slug_counts_up():
    assert unique_slug("A b", {"a-b", "a-b-2"}, "x") == "a-b-3"


@pytest.mark.parametrize(("text", "tags"), [
    ("", []),
    ("callao", ["callao"]),
    (" callao ,fms,, callao ", ["callao", "fms"]),
])
def test_tags_field_splits_on_commas(text, tags):
    assert split_list(text, ",") == tags


# --- focus and keys -----------------------------------------------------------------------

def test_title_has_focus_and_tab_goes_to_date_then_end(qtbot, form):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.title)
    qtbot.keyClick(form.title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.date.edit
    qtbot.keyClick(form.date.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.end.edit


def test_tab_goes_round_the_fields_and_buttons_with_no_invisible_stop(qtbot, make_form, dsca):
    """From Cancel, Tab goes back to the title: the scroll area that holds the fields took
    a turn of its own in between, with nothing to show where the focus was."""
    form = make_form(dsca)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.title)
    visited = []
    for _ in range(30):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is form.title:
            break
        visited.append(widget)
    assert QApplication.focusWidget() is form.title
    assert not [w for w in visited if isinstance(w, QScrollArea)]
    assert visited[-1] is form.buttons.button(form.buttons.StandardButton.Cancel)


def test_a_long_title_opens_showing_its_start(qtbot, make_form, dsca):
    form = make_form(dataclasses.replace(dsca, title="Start of the title " + "word " * 60))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.title)
    assert form.title.cursorPosition() == 0
    assert form.title.cursorRect().left() < form.title.width() // 2  # scrolled to the start
    assert form.title.selectedText() == form.title.text()  # typing replaces it, as before


def test_window_titles(make_form, dsca):
    assert make_form().windowTitle() == "New Event"
    assert make_form(dsca).windowTitle() == f"Edit Event — {dsca.title}"


@pytest.mark.parametrize("modifiers", [CTRL, CTRL | Qt.KeyboardModifier.KeypadModifier],
                         ids=["ctrl-return", "keypad-ctrl-enter"])
def test_ctrl_return_accepts_even_from_the_notes(qtbot, form, modifiers):
    fill(qtbot, form)
    form.notes.setFocus()
    qtbot.waitUntil(form.notes.hasFocus)
    key = Qt.Key.Key_Enter if modifiers & Qt.KeyboardModifier.KeypadModifier \
        else Qt.Key.Key_Return
    qtbot.keyClick(form.notes, key, modifiers)
    assert form.result() == QDialog.DialogCode.Accepted
    assert not form.isVisible()
    assert form.notes.toPlainText() == ""  # the key did not also type a line break


def test_ctrl_return_is_ignored_while_invalid(qtbot, form):
    fill(qtbot, form, date="late 2O24")
    qtbot.keyClick(form.title, Qt.Key.Key_Return, CTRL)
    assert form.isVisible()
    assert form.result() != QDialog.DialogCode.Accepted


def test_plain_return_saves_only_from_a_button(qtbot, form):
    fill(qtbot, form)
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    assert form.isVisible()
    form.ok_button.setFocus()
    qtbot.keyClick(form.ok_button, Qt.Key.Key_Return)
    assert form.result() == QDialog.DialogCode.Accepted


def test_esc_without_changes_closes_without_asking(qtbot, make_form, dsca, discard_question):
    form = make_form(dsca)
    qtbot.keyClick(form.title, Qt.Key.Key_Escape)
    assert form.result() == QDialog.DialogCode.Rejected
    assert not form.isVisible()
    assert discard_question.asked == 0


@pytest.mark.parametrize(("discard", "still_open"), [(False, True), (True, False)])
def test_esc_after_typing_asks(qtbot, form, discard_question, discard, still_open):
    qtbot.keyClicks(form.title, "Half a thought")
    discard_question.answers.append(discard)
    qtbot.keyClick(form.title, Qt.Key.Key_Escape)
    assert discard_question.asked == 1
    assert form.isVisible() is still_open
    if not still_open:
        assert form.result() == QDialog.DialogCode.Rejected


def test_typing_back_the_original_is_no_change(qtbot, make_form, dsca, discard_question):
    form = make_form(dsca)
    form.title.end(False)
    qtbot.keyClicks(form.title, "x")
    qtbot.keyClick(form.title, Qt.Key.Key_Backspace)
    qtbot.keyClick(form.title, Qt.Key.Key_Escape)
    assert discard_question.asked == 0
    assert not form.isVisible()


# --- results ------------------------------------------------------------------------------

def test_editing_without_changes_round_trips_every_event(make_form, briefing):
    for event in briefing.events:
        form = make_form(event)
        result = form.result_event()
        for f in dataclasses.fields(Event):
            assert getattr(result, f.name) == getattr(event, f.name), (event.id, f.name)
        assert result is not event
        form.close()


def test_extras_are_kept_and_nothing_is_mutated(make_form, briefing, dsca):
    quotes = [dataclasses.replace(q, extra={"x-checked": {"by": "ana"}}) for q in dsca.quotes]
    event = dataclasses.replace(dsca, quotes=quotes, extra={"x-origin": ["wiki", 3]})
    before = dataclasses.replace(event, actors=list(event.actors), tags=list(event.tags))
    count = len(briefing.events)
    form = make_form(event)
    form.title.setText("A new title")
    form.actors.set_checked("china", True)
    result = form.result_event()
    assert result.extra == {"x-origin": ["wiki", 3]}
    assert [q.extra for q in result.quotes] == [{"x-checked": {"by": "ana"}}] * 3
    assert result.id == event.id and result.title == "A new title"
    assert result.actors == event.actors + ["china"]
    assert event == before and len(briefing.events) == count


def test_new_event_gets_a_unique_slug_id(qtbot, form):
    fill(qtbot, form, title="DSCA notifies Congress!")
    event = form.result_event()
    assert event.id == "dsca-notifies-congress-2"
    assert event.title == "DSCA notifies Congress!"
    assert event.date == parse_date("2021-03-04")
    assert (event.end, event.actors, event.tags, event.quotes) == (None, [], [], [])
    assert (event.likelihood, event.confidence, event.notes, event.extra) == (None, None, "", {})


def test_new_event_reads_every_field(qtbot, form):
    fill(qtbot, form, title="Port opens", date="Q4 2024", end="2025")
    form.tags.setText("chancay, cosco, ")
    form.likelihood.setCurrentText("likely")
    form.confidence.setCurrentText("moderate")
    form.actors.set_checked("peru", True)
    form.actors.set_checked("china", True)
    form.actors.list.setCurrentItem(form.actors._item("china"))
    form.actors.make_primary()
    form.notes.setPlainText("Opened *on time*.")
    row = form.quotes.add_quote()
    form.quotes.table.item(row, TEXT).setText("We are proud.")
    form.quotes.set_source(row, "xinhua-chancay")
    event = form.result_event()
    assert event.id == "port-opens"
    assert event.end == parse_date("2025")
    assert event.actors == ["china", "peru"]
    assert event.tags == ["chancay", "cosco"]
    assert (event.likelihood, event.confidence) == ("likely", "moderate")
    assert event.notes == "Opened *on time*."
    assert event.quotes == [Quote("We are proud.", "xinhua-chancay")]


def test_result_event_refuses_an_invalid_form(form):
    with pytest.raises(ValueError, match="title is required"):
        form.result_event()


def test_new_actor_is_created_checked(qtbot, form, briefing, monkeypatch):
    monkeypatch.setattr(event_form, "ask_text", lambda parent, title, label: "Ollanta Humala")
    fill(qtbot, form)
    qtbot.mouseClick(form.actors.new_button, Qt.MouseButton.LeftButton)
    [actor] = form.new_actors()
    assert actor.id == "ollanta-humala" and actor.name == "Ollanta Humala"
    assert actor.color in ACTOR_PALETTE
    assert actor.color not in {a.color for a in briefing.actors}
    assert form.result_event().actors == ["ollanta-humala"]
    assert briefing.actor("ollanta-humala") is None  # the caller adds it, not the form


def test_a_new_actor_unchecked_again_is_not_added(qtbot, form, monkeypatch):
    names = iter(["Ollanta Humlaa", "Ollanta Humala"])  # a typo, unchecked, then retyped
    monkeypatch.setattr(event_form, "ask_text", lambda parent, title, label: next(names))
    fill(qtbot, form)
    typo = form.actors.ask_new_actor()
    form.actors.set_checked(typo.id, False)
    actor = form.actors.ask_new_actor()
    assert form.new_actors() == [actor]
    assert form.result_event().actors == [actor.id]


def test_new_actor_with_an_existing_name_checks_that_actor(qtbot, form, monkeypatch):
    monkeypatch.setattr(event_form, "ask_text", lambda parent, title, label: "peru (GOVERNMENT)")
    fill(qtbot, form)
    form.actors.ask_new_actor()
    assert form.new_actors() == []
    assert form.result_event().actors == ["peru"]


def test_new_source_from_the_source_column(qtbot, form, briefing, monkeypatch):
    made = Source("reuters-callao", "Reuters on Callao", reliability="B")
    seen: list[set[str]] = []
    monkeypatch.setattr(quote_table, "ask_source",
                        lambda parent, taken: seen.append(set(taken)) or made)
    fill(qtbot, form)
    row = form.quotes.add_quote()
    form.quotes.table.item(row, TEXT).setText("The base is strategic.")
    index = form.quotes.table.model().index(row, SOURCE)
    form.quotes.table.setCurrentIndex(index)
    form.quotes.table.edit(index)
    editor = form.quotes.table.indexWidget(index)
    assert isinstance(editor, QComboBox) and editor.itemText(editor.count() - 1) == "New source…"
    editor.setCurrentIndex(editor.count() - 1)
    editor.activated.emit(editor.count() - 1)
    qtbot.waitUntil(lambda: form.new_sources() == [made])
    assert seen == [{s.id for s in briefing.sources}]
    assert form.result_event().quotes[0].source == "reuters-callao"
    assert form.is_acceptable()


def test_source_dialog_makes_a_unique_source(qtbot):
    dialog = quote_table.SourceDialog({"dsca-25-37"})
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.title.setText("DSCA 25-37")
    dialog.published.edit.setText("Jan 2026")
    dialog.reliability.setCurrentIndex(1)
    assert ok.isEnabled()
    source = dialog.source()
    assert (source.id, source.title, source.reliability) == ("dsca-25-37-2", "DSCA 25-37", "A")
    assert source.published == parse_date("Jan 2026")
    dialog.published.edit.setText("someday")
    assert not ok.isEnabled()


def test_escape_in_the_source_dialog_asks_before_dropping_what_was_typed(
        qtbot, discard_question):
    """Esc in "New source…" threw the typed title, publisher and URL away without a word;
    the event form and the properties ask first, and so does this dialog now."""
    dialog = quote_table.SourceDialog(set())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title, "Reuters on Callao")
    discard_question.answers = [False]  # "Cancel": keep typing
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert discard_question.asked == 1 and dialog.isVisible()
    assert dialog.title.text() == "Reuters on Callao"
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)  # "Discard"
    assert discard_question.asked == 2 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_in_an_untouched_source_dialog_closes_it_at_once(qtbot, discard_question):
    dialog = quote_table.SourceDialog(set())
    dialog.title.setText("Filled in by the caller")  # as Edit Source fills it
    dialog.mark_unchanged()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert discard_question.asked == 0 and not dialog.isVisible()


# --- layout -------------------------------------------------------------------------------

@pytest.mark.parametrize("screen", [(800, 600), (1366, 768)], ids=["800x600", "1366x768"])
def test_form_fits_the_screen_without_scrolling(qtbot, make_form, dsca, monkeypatch, screen):
    monkeypatch.setattr(event_form, "available_geometry", lambda widget: QRect(0, 0, *screen))
    form = make_form(dsca)
    assert form.width() <= screen[0] - 40 and form.height() <= screen[1] - 60
    scroll = form.findChild(QScrollArea)
    # Nothing hides behind a scroll bar: Add quote and every quote column are in view.
    assert scroll.horizontalScrollBar().maximum() == 0
    assert scroll.verticalScrollBar().maximum() == 0
    table = form.quotes.table
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(TEXT) * 4 >= table.viewport().width()  # the quote stays readable
    assert form.notes.width() >= 250


def test_a_column_the_user_sized_keeps_its_width(qtbot, make_form, dsca, monkeypatch):
    monkeypatch.setattr(event_form, "available_geometry", lambda widget: QRect(0, 0, 800, 600))
    form = make_form(dsca)
    table = form.quotes.table
    table.horizontalHeader().resizeSection(SOURCE, 222)  # what a drag does
    width = table.viewport().width()
    form.resize(form.width() - 60, form.height())
    qtbot.waitUntil(lambda: table.viewport().width() < width)
    assert table.columnWidth(SOURCE) == 222


# --- preview ------------------------------------------------------------------------------

def test_preview_renders_markdown_after_a_pause(qtbot, form):
    qtbot.keyClicks(form.notes, "a **bold** claim")
    qtbot.waitUntil(lambda: form.preview.toPlainText() == "a bold claim")
    assert "font-weight" in form.preview.toHtml()
    assert type(form.preview.document()).__name__ == "SafeTextDocument"
    assert not form.preview.openLinks()


def test_ctrl_return_keeps_what_is_typed_in_an_open_quote_cell(qtbot, make_form, dsca):
    form = make_form(dsca)
    table = form.quotes.table
    index = table.model().index(0, TEXT)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.setText("Reworded.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert form.result() == QDialog.DialogCode.Accepted
    assert form.result_event().quotes[0].text == "Reworded."
    assert form.result_event().quotes[0].source == dsca.quotes[0].source


def press(qtbot, *keys: Qt.Key | str) -> None:
    """Keys (or characters typed one by one) to whatever has focus, as a user's keyboard does."""
    for key in keys:
        for one in ([key] if isinstance(key, Qt.Key) else key):
            modifier = (Qt.KeyboardModifier.ShiftModifier if one == Qt.Key.Key_Backtab
                        else Qt.KeyboardModifier.NoModifier)
            qtbot.keyClick(QApplication.focusWidget(), one, modifier)


def test_tab_through_a_source_pick_reaches_the_speaker_cell(qtbot, make_form, briefing, dsca):
    # The tester's steps: Add quote, text, Tab, Down picks a source, Tab, speaker, Tab.
    form = make_form(dsca)
    row = form.quotes.add_quote()
    qtbot.waitUntil(form.quotes.table.hasFocus)
    press(qtbot, "The base is strategic.", Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QComboBox)  # the Source cell's editor
    press(qtbot, Qt.Key.Key_Down, Qt.Key.Key_Tab, "Tester", Qt.Key.Key_Tab)
    quote = form.quotes.quotes()[row]
    assert (quote.text, quote.source, quote.speaker) == (
        "The base is strategic.", briefing.sources[0].id, "Tester")
    assert isinstance(QApplication.focusWidget(), QComboBox)  # on in the Cred. cell


def test_tab_after_a_new_source_reaches_the_speaker_cell(qtbot, make_form, briefing, dsca,
                                                         monkeypatch):
    # The tester's steps: a quote, Tab, End and Return open "New source…", OK, Tab, speaker.
    made = Source("reuters-callao", "Reuters on Callao")
    monkeypatch.setattr(quote_table, "ask_source", lambda parent, taken: made)
    form = make_form(dsca)
    row = form.quotes.add_quote()
    qtbot.waitUntil(form.quotes.table.hasFocus)
    press(qtbot, "The base is strategic.", Qt.Key.Key_Tab, Qt.Key.Key_End, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.new_sources() == [made])
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    press(qtbot, Qt.Key.Key_Tab, "Tester", Qt.Key.Key_Tab)
    quote = form.quotes.quotes()[row]
    assert (quote.text, quote.source, quote.speaker) == (
        "The base is strategic.", "reuters-callao", "Tester")
    assert len(form.quotes.quotes()) == len(dsca.quotes) + 1  # no empty quote added


def test_a_new_source_no_quote_cites_is_not_added(qtbot, make_form, dsca, monkeypatch):
    made = Source("reuters-callao", "Reuters on Callao")
    monkeypatch.setattr(quote_table, "ask_source", lambda parent, taken: made)
    form = make_form(dsca)
    row = form.quotes.add_quote()
    form.quotes._ask_new_source(row)
    assert form.new_sources() == [made]
    form.quotes.set_source(row, dsca.quotes[0].source)  # another source after all
    assert form.new_sources() == []
    form.quotes.set_source(row, made.id)
    form.quotes.table.setCurrentCell(row, TEXT)
    form.quotes.remove_selected()  # or the quote goes
    assert form.new_sources() == []


def test_arrows_pass_over_new_source_and_return_on_it_opens_it(qtbot, make_form, briefing,
                                                              dsca, monkeypatch):
    asked = []
    monkeypatch.setattr(quote_table, "ask_source", lambda parent, taken: asked.append(1))
    form = make_form(dsca)
    table = form.quotes.table
    table.setFocus()
    table.setCurrentCell(0, quote_table.SOURCE)
    qtbot.waitUntil(table.hasFocus)
    press(qtbot, Qt.Key.Key_F2, *[Qt.Key.Key_Down] * (len(briefing.sources) + 1))
    assert QApplication.focusWidget().currentText() == "New source…"
    qtbot.wait(20)
    assert asked == []  # passing over it with the arrows opens nothing
    press(qtbot, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: asked == [1])


def test_shift_tab_from_a_credibility_pick_goes_back_to_the_speaker(qtbot, make_form, dsca):
    form = make_form(dsca)
    table = form.quotes.table
    table.setFocus()
    table.setCurrentCell(0, quote_table.CREDIBILITY_COL)
    qtbot.waitUntil(table.hasFocus)
    press(qtbot, Qt.Key.Key_F2, Qt.Key.Key_Down, Qt.Key.Key_Backtab)
    assert table.currentIndex().column() == quote_table.SPEAKER
    press(qtbot, Qt.Key.Key_End, "!", Qt.Key.Key_Tab)
    quote = form.quotes.quotes()[0]
    assert quote.speaker == f"{dsca.quotes[0].speaker or ''}!"
    assert quote.credibility != dsca.quotes[0].credibility


def test_status_turns_back_from_red_when_fixed(qtbot, form):
    fill(qtbot, form, date="late 2O24")
    assert quote_table.error_color(form) in form.date.status.styleSheet()
    form.date.edit.setText("late 2024")
    assert quote_table.error_color(form) not in form.date.status.styleSheet()


@pytest.mark.parametrize(("typed", "completed"), [
    ("ca", "callao"),
    ("chancay, co", "chancay, cosco"),
    ("chancay,Du", "chancay, dual-use"),
])
def test_tag_completer_completes_the_last_tag(form, typed, completed):
    completer = form.tags.completer()
    form.tags.setText(typed)
    completer.setCompletionPrefix(typed)
    assert completer.currentCompletion() == completed


def test_credibility_and_removing_quotes(qtbot, make_form, dsca, discard_question):
    form = make_form(dsca)
    table = form.quotes.table
    index = table.model().index(0, quote_table.CREDIBILITY_COL)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)
    assert editor.itemData(2, Qt.ItemDataRole.ToolTipRole) == "probably true"
    editor.setCurrentIndex(editor.findData(4))
    editor.activated.emit(editor.currentIndex())
    assert table.item(0, quote_table.CREDIBILITY_COL).toolTip() == "doubtful"
    table.selectRow(2)
    qtbot.mouseClick(form.quotes.remove_button, Qt.MouseButton.LeftButton)
    assert [q.credibility for q in form.result_event().quotes] == [4, 1]
    assert form.is_modified()


def test_the_form_s_access_keys_differ(qtbot, make_form, dsca):
    """Alt+letter acts only when the letter is the form's alone (Alt+A was Tags and Add
    quote, Alt+N Notes and New actor: it only moved between them)."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    form = make_form(dsca)
    texts = [w.text() for w in form.findChildren(QLabel) + form.findChildren(QAbstractButton)
             if w.isVisible()] + [g.title() for g in form.findChildren(QGroupBox)]
    letters = [t.replace("&&", "")[t.replace("&&", "").index("&") + 1].lower()
               for t in texts if "&" in t.replace("&&", "")]
    assert len(letters) == len(set(letters)), sorted(letters)


def test_tabbing_into_the_quotes_lets_the_keyboard_remove_one(qtbot, make_form, dsca):
    form = make_form(dsca)
    table = form.quotes.table
    count = table.rowCount()
    table.clearSelection()
    table.setCurrentCell(0, quote_table.TEXT, QItemSelectionModel.SelectionFlag.NoUpdate)
    assert not table.selectedIndexes() and form.quotes.remove_button.isEnabled()
    form.quotes.remove_button.click()
    assert table.rowCount() == count - 1


def test_a_second_click_on_remove_quote_removes_nothing_unchosen(qtbot, make_form, dsca):
    form = make_form(dsca)
    table = form.quotes.table
    count = table.rowCount()
    rect = table.visualRect(table.model().index(0, quote_table.TEXT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(form.quotes.remove_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == count - 1 and not form.quotes.remove_button.isEnabled()
    qtbot.mouseClick(form.quotes.remove_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == count - 1

