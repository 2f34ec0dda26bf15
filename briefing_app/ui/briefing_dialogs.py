"""Dialogs about the briefing itself: its properties, and the actors and sources it keeps.

Each change is one `SetParts` command on the document's undo stack. Nothing here changes an
Actor or Source in place: edits build new objects (`dataclasses.replace`) in new lists, so
undo puts the very same objects back and the saved file comes out byte for byte as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..model.briefing import RELIABILITY, Actor, Briefing, Event, Source, counted
from . import dialogs, event_form, quote_table
from .commands import SetParts
from .document import Document
from .plain import tip
from .quote_table import show_status, unique_slug

_ID_ROLE = Qt.ItemDataRole.UserRole
_NAMED_IN_ERROR = 3  # event titles listed in a "still in use" message; the details list all


def _accept_on_ctrl_return(dialog: QDialog) -> None:
    """Ctrl+Return (and keypad Ctrl+Enter) accept, also from inside a multi-line editor."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(dialog.accept)


# --- briefing properties ------------------------------------------------------------------

class BriefingPropertiesDialog(QDialog):
    """The briefing's title (required), Markdown summary and handling line."""

    def __init__(self, briefing: Briefing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Briefing Properties")
        self._briefing = briefing
        self.title = QLineEdit(briefing.title, self)
        self.title.setAccessibleName("Briefing title")
        self.classification = QLineEdit(briefing.classification, self)
        self.classification.setAccessibleName("Handling line")
        self.classification.setPlaceholderText("e.g. UNCLASSIFIED // open sources")
        self.classification.setToolTip("Classification or handling line of the briefing")
        self.summary = QPlainTextEdit(self)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlainText(briefing.summary)
        self.summary.setTabChangesFocus(True)  # Tab moves on; a Markdown summary needs no tabs
        self.summary.setPlaceholderText("What the briefing is about, in Markdown")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setToolTip("Save the properties (Ctrl+Return)")

        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Handling line:", self.classification)
        form.addRow("&Summary:", self.summary)
        markdown_hint = QLabel(self)
        show_status(markdown_hint, "Markdown: **bold**, *italic*, [link](https://…), - lists",
                    hint=True)
        form.addRow("", markdown_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._validate)
        _accept_on_ctrl_return(self)
        self.resize(620, 460)
        self._validate()
        # Typing replaces the title: a new briefing's "Untitled briefing" is a name to
        # overwrite, and typing after it gave "Untitled briefingCallao".
        self.title.selectAll()

    def _validate(self) -> None:
        ok = bool(self.title.text().strip())
        self.ok_button.setEnabled(ok)
        if ok:
            show_status(self.status, "Ctrl+Return saves, Esc cancels", hint=True)
        else:
            show_status(self.status, "The briefing needs a title", error=True)

    def changes(self) -> dict:
        """Only the fields that differ from the briefing: "title", "summary", "classification"."""
        shown = {"title": self.title.text(),
                 "summary": self.summary.toPlainText(),
                 "classification": self.classification.text()}
        # An untouched field keeps its exact text (a title read from a file may end in a
        # space); an edited one loses blank space at its ends (the summary: at its end).
        changed = {}
        for key, value in shown.items():
            was = getattr(self._briefing, key)
            if value != was and (value := value.rstrip() if key == "summary"
                                 else value.strip()) != was:
                changed[key] = value
        return changed

    def accept(self) -> None:
        if self.title.text().strip():
            super().accept()

    def reject(self) -> None:
        if self.changes() and not dialogs.confirm_discard(
                self, "your changes to the briefing's properties"):
            return
        super().reject()


def edit_briefing_properties(parent: QWidget | None, doc: Document) -> bool:
    """Show the properties dialog; True when it changed something (one undo command)."""
    dialog = BriefingPropertiesDialog(doc.briefing, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        changes = dialog.changes() if accepted else {}
    finally:
        dialog.deleteLater()
    if not changes:
        return False
    doc.undo_stack.push(SetParts(doc, changes, "Edit Briefing Properties"))
    return True


# --- questions the manage dialog asks (tests replace these) -------------------------------

def ask_color(parent: QWidget | None, initial: str) -> str | None:
    """A colour as "#rrggbb"; None when cancelled."""
    color = QColorDialog.getColor(QColor(initial or "#808080"), parent, "Actor Colour")
    return color.name() if color.isValid() else None


def ask_new_name(parent: QWidget | None, title: str, label: str, current: str) -> str | None:
    """One line of text, starting from `current`; None when cancelled.

    event_form.ask_text asks with an empty field, which is right for a new name but makes a
    rename retype the whole name; this is the same question with the old name filled in.
    """
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
    return text if ok else None


def ask_edited_source(parent: QWidget | None, source: Source,
                      taken_ids: list[str]) -> Source | None:
    """Edit a source in the new-source dialog; the same id, None when cancelled."""
    dialog = quote_table.SourceDialog(taken_ids, parent)
    dialog.setWindowTitle("Edit Source")
    dialog.title.setText(source.title)
    dialog.publisher.setText(source.publisher)
    dialog.url.setText(source.url)
    dialog.published.set_value(source.published)
    if dialog.reliability.findData(source.reliability) < 0:
        # A grade this app does not know (written by another tool): keep it choosable.
        dialog.reliability.addItem(f"{source.reliability} — (not a known grade)",
                                   source.reliability)
    dialog.reliability.setCurrentIndex(dialog.reliability.findData(source.reliability))
    dialog.mark_unchanged()  # Esc asks only about what the user changed
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return replace(source,
                       title=dialog.title.text().strip(),
                       publisher=dialog.publisher.text().strip(),
                       url=dialog.url.text().strip(),
                       published=dialog.published.value(),
                       reliability=dialog.reliability.currentData())
    finally:
        dialog.deleteLater()


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def _next_color(actors: list[Actor]) -> str:
    """The first palette colour no actor has yet, as the event form picks it."""
    used = {a.color.lower() for a in actors}
    palette = event_form.ACTOR_PALETTE
    return next((c for c in palette if c not in used), palette[len(actors) % len(palette)])


# --- actors and sources -------------------------------------------------------------------

class _UndoButton(QToolButton):
    """A button for the stack's Undo or Redo action whose text is cut short.

    The action's text names the command ("Undo Add Actor '…'") and so the actor or source
    with its whole name: shown in full, a 300-character name widened the dialog past the
    screen (its Close button out of reach), and the Redo button kept it that wide after
    an Undo. The whole text stays in the tooltip.
    """

    MAX_WIDTH_EM = 24

    def __init__(self, action: QAction, parent: QWidget) -> None:
        super().__init__(parent)
        self._action = action
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.clicked.connect(action.trigger)
        action.changed.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        if not isValid(self._action):  # the dialog is closing: its actions go first
            return
        text = self._action.text()
        width = self.fontMetrics().horizontalAdvance("M") * self.MAX_WIDTH_EM
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, width))
        self.setToolTip(tip(text))
        self.setEnabled(self._action.isEnabled())


class ManageDialog(QDialog):
    """Two tabs, Actors and Sources: add, rename or edit, recolour and delete.

    Every button applies at once as one undo command; the lists redraw from the document's
    signals, so an undo (the buttons here, or the main window) shows up straight away.
    """

    ACTORS, SOURCES = range(2)

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Actors and Sources")
        self.doc = doc
        self.tabs = QTabWidget(self)

        self.actors = self._tree(("Name", "Id", "Events"), "Actors")
        self.add_actor_button = QPushButton("&Add…", self)
        self.rename_actor_button = QPushButton("&Rename…", self)
        self.color_actor_button = QPushButton("&Colour…", self)
        self.delete_actor_button = QPushButton("&Delete", self)
        self._actor_buttons = (self.rename_actor_button, self.color_actor_button,
                               self.delete_actor_button)
        self.tabs.addTab(self._page(self.actors, (
            (self.add_actor_button, "Add an actor", self.add_actor),
            (self.rename_actor_button, "Rename the selected actor", self.rename_actor),
            (self.color_actor_button, "Change the selected actor's colour",
             self.recolour_actor),
            (self.delete_actor_button, "Delete the selected actor (only when no event "
             "uses it)", self.delete_actor))), "Ac&tors")

        self.sources = self._tree(("Title", "Publisher", "Published", "Rel.", "Cited by"),
                                  "Sources")
        # Publishers run long ("The Wall Street Journal (…), reposted by …"): the title wins.
        self.sources.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.sources.setColumnWidth(1, 170)
        self.add_source_button = QPushButton("&Add…", self)
        self.edit_source_button = QPushButton("&Edit…", self)
        self.delete_source_button = QPushButton("&Delete", self)
        self._source_buttons = (self.edit_source_button, self.delete_source_button)
        self.tabs.addTab(self._page(self.sources, (
            (self.add_source_button, "Add a source", self.add_source),
            (self.edit_source_button, "Edit the selected source", self.edit_source),
            (self.delete_source_button, "Delete the selected source (only when no quote "
             "cites it)", self.delete_source))), "&Sources")

        # The main window's Undo is out of reach while this dialog is open: offer it here
        # (Ctrl+Z / Ctrl+Shift+Z; no mnemonics, the letters are taken by the buttons).
        self.undo_action = doc.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = doc.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        bottom = QHBoxLayout()
        self.undo_button, self.redo_button = (
            _UndoButton(action, self) for action in (self.undo_action, self.redo_action))
        for action, button in ((self.undo_action, self.undo_button),
                               (self.redo_action, self.redo_button)):
            self.addAction(action)
            bottom.addWidget(button)
        bottom.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        for tree in (self.actors, self.sources):
            tree.itemSelectionChanged.connect(self._update_buttons)
            # Tabbing in makes a row current without selecting it: the buttons act on it.
            tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.actors.itemActivated.connect(lambda *_: self.rename_actor())
        self.sources.itemActivated.connect(lambda *_: self.edit_source())
        for tree, delete in ((self.actors, self.delete_actor),
                             (self.sources, self.delete_source)):
            shortcut = QShortcut(QKeySequence.StandardKey.Delete, tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(delete)
        doc.meta_changed.connect(self.refresh)
        doc.events_changed.connect(self.refresh)  # the usage counts
        self.resize(700, 500)
        self.refresh()

    # building ----------------------------------------------------------------------------
    def _tree(self, headers: tuple[str, ...], name: str) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setAccessibleName(name)
        tree.setHeaderLabels(list(headers))
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAllColumnsShowFocus(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return tree

    def _page(self, tree: QTreeWidget,
              buttons: tuple[tuple[QPushButton, str, Callable[[], object]], ...]) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout()
        for button, hint, slot in buttons:
            button.setToolTip(hint)
            button.setAutoDefault(False)  # Return in the list edits; it must not press Add
            button.clicked.connect(slot)
            column.addWidget(button)
        column.addStretch(1)
        layout = QHBoxLayout(page)
        layout.addWidget(tree, 1)
        layout.addLayout(column)
        return page

    # showing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw both lists from the briefing, keeping the selection where it can."""
        briefing = self.doc.briefing
        uses: dict[str, int] = {}
        cites: dict[str, int] = {}
        for event in briefing.events:
            for actor_id in set(event.actors):
                uses[actor_id] = uses.get(actor_id, 0) + 1
            for source_id in {q.source for q in event.quotes}:
                cites[source_id] = cites.get(source_id, 0) + 1

        def actor_row(a: Actor) -> QTreeWidgetItem:
            item = QTreeWidgetItem([a.name, a.id, str(uses.get(a.id, 0))])
            if a.color:
                item.setIcon(0, _swatch(a.color))
            item.setToolTip(0, tip(f"{a.name}\nColour: {a.color or 'none'}"))
            return item

        def source_row(s: Source) -> QTreeWidgetItem:
            published = s.published.label() if s.published is not None else ""
            item = QTreeWidgetItem([s.title, s.publisher, published, s.reliability or "",
                                    str(cites.get(s.id, 0))])
            item.setToolTip(0, tip("\n".join(p for p in (s.title, s.url) if p)))
            item.setToolTip(1, tip(s.publisher))
            item.setToolTip(3, RELIABILITY.get(s.reliability or "", "Reliability not graded"))
            return item

        self._fill(self.actors, [(a.id, actor_row(a)) for a in briefing.actors])
        self._fill(self.sources, [(s.id, source_row(s)) for s in briefing.sources])
        self._update_buttons()

    @staticmethod
    def _fill(tree: QTreeWidget, rows: list[tuple[str, QTreeWidgetItem]]) -> None:
        selected = ManageDialog._selected_id(tree)
        tree.blockSignals(True)
        tree.clear()
        for item_id, item in rows:
            item.setData(0, _ID_ROLE, item_id)
            for col in range(2, tree.columnCount()):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignCenter)
            tree.addTopLevelItem(item)
            if item_id == selected:
                tree.setCurrentItem(item)
        tree.blockSignals(False)

    @staticmethod
    def _selected_id(tree: QTreeWidget) -> str | None:
        items = tree.selectedItems() or [i for i in (tree.currentItem(),) if i is not None]
        return items[0].data(0, _ID_ROLE) if items else None

    def _select(self, tree: QTreeWidget, item_id: str) -> None:
        for i in range(tree.topLevelItemCount()):
            if tree.topLevelItem(i).data(0, _ID_ROLE) == item_id:
                tree.setCurrentItem(tree.topLevelItem(i))
                return

    def select_actor(self, actor_id: str) -> None:
        self.tabs.setCurrentIndex(self.ACTORS)
        self._select(self.actors, actor_id)

    def select_source(self, source_id: str) -> None:
        self.tabs.setCurrentIndex(self.SOURCES)
        self._select(self.sources, source_id)

    def current_actor(self) -> Actor | None:
        actor_id = self._selected_id(self.actors)
        return self.doc.briefing.actor(actor_id) if actor_id else None

    def current_source(self) -> Source | None:
        source_id = self._selected_id(self.sources)
        return self.doc.briefing.source(source_id) if source_id else None

    def _update_buttons(self) -> None:
        for button in self._actor_buttons:
            button.setEnabled(self.current_actor() is not None)
        for button in self._source_buttons:
            button.setEnabled(self.current_source() is not None)

    # changing ----------------------------------------------------------------------------
    def _push(self, key: str, items: list, text: str) -> None:
        self.doc.undo_stack.push(SetParts(self.doc, {key: items}, text))

    def _name_taken(self, name: str, but: Actor | None = None) -> bool:
        if any(a.name.casefold() == name.casefold() and a is not but
               for a in self.doc.briefing.actors):
            dialogs.show_error(self, "Actor exists",
                               f"There is already an actor named “{name}”.")
            return True
        return False

    def add_actor(self) -> None:
        name = (event_form.ask_text(self, "Add Actor", "Name of the new actor:") or "").strip()
        actors = self.doc.briefing.actors
        if not name or self._name_taken(name):
            return
        actor = Actor(unique_slug(name, (a.id for a in actors), "actor"), name,
                      _next_color(actors))
        self._push("actors", [*actors, actor], f"Add Actor '{name}'")
        self.select_actor(actor.id)

    def rename_actor(self) -> None:
        actor = self.current_actor()
        if actor is None:
            return
        name = (ask_new_name(self, "Rename Actor", "New name:", actor.name) or "").strip()
        if not name or name == actor.name or self._name_taken(name, but=actor):
            return
        # The id stays: events refer to the actor by it.
        actors = [replace(a, name=name) if a is actor else a for a in self.doc.briefing.actors]
        self._push("actors", actors, f"Rename Actor '{actor.name}' to '{name}'")

    def recolour_actor(self) -> None:
        actor = self.current_actor()
        if actor is None:
            return
        color = ask_color(self, actor.color)
        if color is None or color.lower() == actor.color.lower():
            return
        actors = [replace(a, color=color) if a is actor else a for a in self.doc.briefing.actors]
        self._push("actors", actors, f"Recolour Actor '{actor.name}'")

    def delete_actor(self) -> None:
        actor = self.current_actor()
        if actor is None or self._refuse_in_use("actor", actor.name,
                                                self.doc.actors_in_use(actor.id)):
            return
        actors = [a for a in self.doc.briefing.actors if a is not actor]
        self._push("actors", actors, f"Delete Actor '{actor.name}'")

    def add_source(self) -> None:
        sources = self.doc.briefing.sources
        source = quote_table.ask_source(self, [s.id for s in sources])
        if source is None:
            return
        self._push("sources", [*sources, source], f"Add Source '{source.title}'")
        self.select_source(source.id)

    def edit_source(self) -> None:
        source = self.current_source()
        if source is None:
            return
        others = [s.id for s in self.doc.briefing.sources if s is not source]
        edited = ask_edited_source(self, source, others)
        if edited is None or edited == source:
            return
        sources = [edited if s is source else s for s in self.doc.briefing.sources]
        self._push("sources", sources, f"Edit Source '{edited.title}'")

    def delete_source(self) -> None:
        source = self.current_source()
        if source is None or self._refuse_in_use("source", source.title,
                                                 self.doc.sources_in_use(source.id)):
            return
        sources = [s for s in self.doc.briefing.sources if s is not source]
        self._push("sources", sources, f"Delete Source '{source.title}'")

    def _refuse_in_use(self, kind: str, name: str, events: list[Event]) -> bool:
        """Tell why an actor or source still in use cannot go; True when refused."""
        if not events:
            return False
        n = len(events)
        named = ", ".join(f"“{e.title}”" for e in events[:_NAMED_IN_ERROR])
        more = f" and {n - _NAMED_IN_ERROR} more" if n > _NAMED_IN_ERROR else ""
        how = "is an actor of" if kind == "actor" else "is cited by"
        dialogs.show_error(
            self, f"Cannot delete {kind}",
            f"“{name}” {how} {counted(n, 'event')}: {named}{more}. "
            f"Remove it from {'that event' if n == 1 else 'those events'} first.",
            "\n".join(f"{e.date_label()}  {e.title}" for e in events))
        return True


def manage_actors_and_sources(parent: QWidget | None, doc: Document) -> None:
    """Show the actors-and-sources dialog modally; its changes are already on the undo stack."""
    dialog = ManageDialog(doc, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
