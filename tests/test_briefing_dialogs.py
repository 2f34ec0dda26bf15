"""Briefing properties and the actors-and-sources dialog: one undo command each, exact undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog

from briefing_app.model import storage
from briefing_app.model.briefing import Actor, Source
from briefing_app.model.dates import parse_date
from briefing_app.ui import briefing_dialogs, dialogs, event_form, quote_table
from briefing_app.ui.briefing_dialogs import (
    BriefingPropertiesDialog,
    ManageDialog,
    edit_briefing_properties,
)
from briefing_app.ui.document import Document

CTRL = Qt.KeyboardModifier.ControlModifier
SPARE = Actor("spare", "Spare Actor", "#123456", extra={"note": "kept"})  # no event uses it
UNCITED = "upply-chancay"  # a bundled source no quote cites


@pytest.fixture
def doc(qtbot, briefing):
    briefing.actors.append(SPARE)
    document = Document()
    document.set_briefing(briefing, None)
    yield document
    # Deleting a Document whose stack is not clean makes QUndoStack's destructor emit
    # cleanChanged into the already-deleted Document (a traceback on stderr): empty it first.
    document.undo_stack.clear()


@pytest.fixture
def manage(qtbot, doc) -> ManageDialog:
    dialog = ManageDialog(doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str, str]]:
    """Every dialogs.show_error call as (title, text, details)."""
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text, details="":
                        shown.append((title, text, details)))
    return shown


def names(tree) -> list[str]:
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def commands(doc: Document) -> list[str]:
    return [doc.undo_stack.text(i) for i in range(doc.undo_stack.count())]


# --- briefing properties ------------------------------------------------------------------

def test_properties_dialog_reports_only_the_changed_fields(qtbot, briefing):
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    assert dialog.changes() == {}
    dialog.classification.setText("  SECRET // TEST  ")
    assert dialog.changes() == {"classification": "SECRET // TEST"}
    dialog.summary.setPlainText("New *summary*\n\n")
    assert dialog.changes() == {"classification": "SECRET // TEST", "summary": "New *summary*"}


def test_properties_ok_is_disabled_without_a_title(qtbot, briefing):
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    dialog.title.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.title.setText("Back again")
    assert dialog.ok_button.isEnabled()


@pytest.mark.parametrize("modifiers", [CTRL, CTRL | Qt.KeyboardModifier.KeypadModifier],
                         ids=["ctrl-return", "keypad-ctrl-enter"])
def test_ctrl_return_in_the_summary_accepts(qtbot, briefing, modifiers):
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.summary.setFocus()
    qtbot.waitUntil(dialog.summary.hasFocus)
    key = Qt.Key.Key_Enter if modifiers & Qt.KeyboardModifier.KeypadModifier \
        else Qt.Key.Key_Return
    qtbot.keyClick(dialog.summary, key, modifiers)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.changes() == {}  # the key did not also type a line break


def test_cancelling_edited_properties_asks_first(qtbot, briefing, monkeypatch):
    answers = [False, True]  # keep editing, then discard
    asked = []

    def confirm_discard(parent, what=""):
        asked.append(what)
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "confirm_discard", confirm_discard)
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.setText("Changed")
    dialog.reject()
    assert dialog.isVisible()
    dialog.reject()
    assert not dialog.isVisible()
    assert asked == ["your changes to the briefing's properties"] * 2


def test_cancelling_untouched_properties_does_not_ask(qtbot, briefing, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm_discard", lambda *args: pytest.fail("asked"))
    dialog = BriefingPropertiesDialog(briefing)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not dialog.isVisible()


def test_editing_properties_is_one_command_and_undo_restores_them(doc, monkeypatch):
    before = storage.dumps(doc.briefing)
    old = doc.parts("title", "summary", "classification")

    def fill_in(dialog):
        dialog.title.setText("Callao, revised")
        dialog.summary.setPlainText("Short.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefingPropertiesDialog, "exec", fill_in)
    assert edit_briefing_properties(None, doc) is True
    assert commands(doc) == ["Edit Briefing Properties"]
    assert (doc.briefing.title, doc.briefing.summary) == ("Callao, revised", "Short.")
    assert doc.briefing.classification == old["classification"]
    doc.undo_stack.undo()
    assert doc.parts("title", "summary", "classification") == old
    assert storage.dumps(doc.briefing) == before


@pytest.mark.parametrize("outcome", [QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])
def test_unchanged_or_cancelled_properties_push_nothing(doc, monkeypatch, outcome):
    monkeypatch.setattr(BriefingPropertiesDialog, "exec", lambda dialog: outcome)
    assert edit_briefing_properties(None, doc) is False
    assert doc.undo_stack.count() == 0


# --- actors -------------------------------------------------------------------------------

def add(manage, monkeypatch):
    monkeypatch.setattr(event_form, "ask_text", lambda parent, title, label: "  Chile Navy ")
    manage.add_actor()


def rename(manage, monkeypatch):
    manage.select_actor("peru")
    monkeypatch.setattr(briefing_dialogs, "ask_new_name",
                        lambda parent, title, label, current: current + " (2026)")
    manage.rename_actor()


def recolour(manage, monkeypatch):
    manage.select_actor("china")
    monkeypatch.setattr(briefing_dialogs, "ask_color", lambda parent, initial: "#00ff00")
    manage.recolour_actor()


def delete(manage, monkeypatch):
    manage.select_actor("spare")
    manage.delete_actor()


@pytest.mark.parametrize("operation, text, after", [
    (add, "Add Actor 'Chile Navy'",
     lambda b: b.actor("chile-navy").name == "Chile Navy" and b.actors[-1].id == "chile-navy"),
    (rename, "Rename Actor 'Peru (government)' to 'Peru (government) (2026)'",
     lambda b: b.actor("peru").name == "Peru (government) (2026)"),
    (recolour, "Recolour Actor 'China (government)'",
     lambda b: b.actor("china").color == "#00ff00"),
    (delete, "Delete Actor 'Spare Actor'", lambda b: b.actor("spare") is None),
])
def test_each_actor_change_is_one_command_that_undoes_exactly(
        manage, doc, monkeypatch, errors, operation, text, after):
    before = storage.dumps(doc.briefing)
    old_actors = list(doc.briefing.actors)
    operation(manage, monkeypatch)
    assert errors == []
    assert commands(doc) == [text]
    assert after(doc.briefing)
    assert names(manage.actors) == [a.name for a in doc.briefing.actors]  # refreshed
    old_by_id = {a.id: a for a in old_actors}
    assert all(a is old_by_id[a.id] for a in doc.briefing.actors  # the others: same objects
               if a == old_by_id.get(a.id))
    doc.undo_stack.undo()
    assert storage.dumps(doc.briefing) == before
    assert all(a is b for a, b in zip(old_actors, doc.briefing.actors, strict=True))
    assert names(manage.actors) == [a.name for a in old_actors]
    doc.undo_stack.redo()
    assert after(doc.briefing)


def test_renaming_keeps_the_id_and_the_extra_fields(manage, doc, monkeypatch):
    manage.select_actor("spare")
    monkeypatch.setattr(briefing_dialogs, "ask_new_name", lambda *args: "Reserve")
    manage.rename_actor()
    assert doc.briefing.actor("spare") == Actor("spare", "Reserve", "#123456", {"note": "kept"})
    assert SPARE.name == "Spare Actor"  # the old object was not touched


def test_a_new_actor_gets_a_unique_id_and_an_unused_palette_colour(manage, doc, monkeypatch):
    monkeypatch.setattr(event_form, "ask_text", lambda *args: "Peru")
    manage.add_actor()
    actor = doc.briefing.actors[-1]
    assert actor.id == "peru-2"  # "peru" is taken
    assert actor.color in event_form.ACTOR_PALETTE
    assert actor.color not in {a.color for a in doc.briefing.actors[:-1]}
    assert manage.current_actor() is actor


def test_an_actor_name_already_in_use_is_refused(manage, doc, monkeypatch, errors):
    monkeypatch.setattr(event_form, "ask_text", lambda *args: "us congress / SENATE")
    manage.add_actor()
    assert doc.undo_stack.count() == 0
    assert errors and "already an actor" in errors[0][1]


@pytest.mark.parametrize("answer", [None, "", "Spare Actor"])
def test_a_cancelled_or_unchanged_rename_pushes_nothing(manage, doc, monkeypatch, answer):
    manage.select_actor("spare")
    monkeypatch.setattr(briefing_dialogs, "ask_new_name", lambda *args: answer)
    manage.rename_actor()
    assert doc.undo_stack.count() == 0


def test_deleting_a_used_actor_is_refused_naming_the_events(manage, doc, errors):
    before = storage.dumps(doc.briefing)
    used = doc.actors_in_use("us")
    manage.select_actor("us")
    manage.delete_actor()
    assert doc.undo_stack.count() == 0
    assert storage.dumps(doc.briefing) == before
    (title, text, details), = errors
    assert title == "Cannot delete actor"
    assert f"{len(used)} events" in text and f"“{used[0].title}”" in text
    assert f"and {len(used) - 3} more" in text
    assert all(e.title in details for e in used)


def test_actor_buttons_follow_the_selection(manage):
    manage.actors.clearSelection()
    assert not manage.delete_actor_button.isEnabled()
    manage.select_actor("spare")
    assert manage.delete_actor_button.isEnabled() and manage.rename_actor_button.isEnabled()


def test_undo_elsewhere_refreshes_the_lists(manage, doc, monkeypatch):
    recolour(manage, monkeypatch)
    manage.select_actor("spare")
    doc.undo_stack.undo()  # as from the main window's Edit menu
    assert manage.actors.topLevelItem(2).toolTip(0).endswith(doc.briefing.actor("china").color)
    assert manage.current_actor().id == "spare"  # the selection survives the refresh


# --- sources ------------------------------------------------------------------------------

def test_adding_a_source_uses_the_source_dialog_and_one_command(manage, doc, monkeypatch):
    before = storage.dumps(doc.briefing)
    asked = []

    def ask(parent, taken):
        asked.append(set(taken))
        return Source("reuters-2026", "Reuters wire", "Reuters", reliability="B")

    monkeypatch.setattr(quote_table, "ask_source", ask)
    manage.add_source()
    assert asked == [{s.id for s in doc.briefing.sources[:-1]}]
    assert commands(doc) == ["Add Source 'Reuters wire'"]
    assert manage.current_source().id == "reuters-2026"
    doc.undo_stack.undo()
    assert storage.dumps(doc.briefing) == before
    assert "Reuters wire" not in names(manage.sources)


def test_editing_a_source_fills_the_dialog_and_keeps_the_id(manage, doc, monkeypatch):
    before = storage.dumps(doc.briefing)
    old = doc.briefing.source("redcensor-story")
    seen = {}

    def edit(dialog):
        seen.update(title=dialog.title.text(), url=dialog.url.text(),
                    published=dialog.published.text(),
                    reliability=dialog.reliability.currentData(),
                    window=dialog.windowTitle())
        dialog.title.setText("Upgrade story (translated)")
        dialog.published.edit.setText("2026-01-16")
        dialog.reliability.setCurrentIndex(dialog.reliability.findData("B"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(quote_table.SourceDialog, "exec", edit)
    manage.select_source(old.id)
    manage.edit_source()
    assert seen == {"title": old.title, "url": old.url, "published": old.published.text,
                    "reliability": "C", "window": "Edit Source"}
    new = doc.briefing.source(old.id)
    assert (new.title, new.published, new.reliability) == (
        "Upgrade story (translated)", parse_date("2026-01-16"), "B")
    assert (new.publisher, new.url) == (old.publisher, old.url)
    assert commands(doc) == ["Edit Source 'Upgrade story (translated)'"]
    doc.undo_stack.undo()
    assert doc.briefing.source(old.id) is old
    assert storage.dumps(doc.briefing) == before


def test_an_untouched_source_edit_pushes_nothing(manage, doc, monkeypatch):
    monkeypatch.setattr(quote_table.SourceDialog, "exec",
                        lambda dialog: QDialog.DialogCode.Accepted)
    manage.select_source("redcensor-story")
    manage.edit_source()
    assert doc.undo_stack.count() == 0


def test_an_unknown_reliability_grade_survives_an_edit(manage, doc, monkeypatch):
    odd = Source("odd", "Odd grade", reliability="X")
    doc.set_parts({"sources": [*doc.briefing.sources, odd]})

    def edit(dialog):
        dialog.publisher.setText("Someone")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(quote_table.SourceDialog, "exec", edit)
    manage.select_source("odd")
    manage.edit_source()
    assert doc.briefing.source("odd").reliability == "X"


def test_deleting_a_cited_source_is_refused(manage, doc, errors):
    before = storage.dumps(doc.briefing)
    source = doc.briefing.source("redcensor-story")
    citing = doc.sources_in_use(source.id)
    manage.select_source(source.id)
    manage.delete_source()
    assert doc.undo_stack.count() == 0
    assert storage.dumps(doc.briefing) == before
    (title, text, details), = errors
    assert title == "Cannot delete source"
    assert f"“{source.title}”" in text and f"“{citing[0].title}”" in text
    assert str(len(citing)) in text


def test_deleting_an_uncited_source_is_one_command(manage, doc, errors):
    before = storage.dumps(doc.briefing)
    source = doc.briefing.source(UNCITED)
    manage.select_source(UNCITED)
    manage.delete_source()
    assert errors == []
    assert commands(doc) == [f"Delete Source '{source.title}'"]
    assert doc.briefing.source(UNCITED) is None
    assert source.title not in names(manage.sources)
    doc.undo_stack.undo()
    assert doc.briefing.source(UNCITED) is source
    assert storage.dumps(doc.briefing) == before


def test_the_dialog_offers_the_document_undo(manage, doc):
    manage.select_actor("spare")
    manage.delete_actor()
    assert manage.undo_action.isEnabled()
    assert "Delete Actor 'Spare Actor'" in manage.undo_action.text()
    manage.undo_action.trigger()
    assert doc.briefing.actor("spare") is SPARE


def test_a_row_made_current_by_the_keyboard_is_one_the_buttons_act_on(manage, qtbot):
    # Tabbing into a list makes a row current without selecting it.
    tree = manage.actors
    tree.clearSelection()
    tree.setCurrentItem(tree.topLevelItem(1), 0, QItemSelectionModel.SelectionFlag.NoUpdate)
    assert not tree.selectedItems()
    assert manage.rename_actor_button.isEnabled()
    assert manage.current_actor().name == tree.topLevelItem(1).text(0)


def test_typing_in_a_new_briefing_s_properties_replaces_the_placeholder_title(qtbot):
    """File > New, then Briefing Properties: the first thing typed is the title, not
    'Untitled briefing' with the typing stuck on its end."""
    from briefing_app.model.briefing import Briefing

    dialog = BriefingPropertiesDialog(Briefing(title="Untitled briefing"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title, "Callao base")
    assert dialog.changes() == {"title": "Callao base"}


def test_a_very_long_name_does_not_widen_the_dialog_past_the_screen(manage, doc, monkeypatch,
                                                                    qtbot):
    """The Undo and Redo buttons name the command, and so the actor: a 300-character name
    made the dialog ~2000 px wide (Close off a laptop screen), and after Undo the Redo
    button kept it so. Their text is cut short; the whole of it is in the tooltip."""
    monkeypatch.setattr(event_form, "ask_text", lambda *args: "Long " * 60)
    width = manage.width()
    manage.add_actor()
    qtbot.wait(10)
    assert manage.width() == width
    assert manage.minimumSizeHint().width() < 700
    assert "Long Long" in manage.undo_button.toolTip()
    manage.undo_button.click()
    assert doc.briefing.actors[-1] is SPARE
    qtbot.wait(10)
    assert manage.minimumSizeHint().width() < 700
    assert manage.redo_button.isEnabled() and not manage.undo_button.isEnabled()
    manage.redo_button.click()
    assert doc.briefing.actors[-1].name == ("Long " * 60).strip()
