"""The event form: one dialog to create or edit an Event, validated as you type.

The form never changes the briefing. It hands back a new Event (`result_event`) plus the
actors and sources made inline (`new_actors`, `new_sources`); the caller applies them all
through one undo command.

Actors: the checked actors keep the event's order, the first being the primary actor.
Checking an actor appends it; "Make primary" moves the selected actor to the front.

Keys: Ctrl+Return (or keypad Ctrl+Enter) accepts, also from inside the notes editor; plain
Return does not, since it means "new line" or "edit cell" in half of the fields. Esc cancels
and asks before throwing typed input away.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..model.briefing import CONFIDENCES, LIKELIHOODS, Actor, Briefing, Event, Source
from ..model.dates import POINT, FuzzyDate
from ..model.importing import split_list
from . import dialogs
from .quote_table import DateField, QuoteTable, kept, show_status, unique_slug
from .screens import available_geometry

PREVIEW_DEBOUNCE_MS = 200

# Distinct on light and dark backgrounds; new actors take the first colour not yet in use.
ACTOR_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#637939")


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text from the user; None when cancelled. Tests replace this function."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


class StartShownEdit(QLineEdit):
    """A line edit whose text, selected whole as Tab (or the form opening) selects it, shows
    its start: a long title is recognised by how it begins. Typing still replaces it."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.setCursorPosition(0)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.hasSelectedText() and self.selectedText() == self.text():
            self.setSelection(len(self.text()), -len(self.text()))


class TagCompleter(QCompleter):
    """Completes the tag being typed, the text after the last comma, keeping the others."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        chosen = super().pathFromIndex(index)
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        return f"{text.rsplit(',', 1)[0]}, {chosen}" if "," in text else chosen


class ActorList(QWidget):
    """Checkable actors in briefing order; remembers the event's order, primary first."""

    changed = Signal()

    def __init__(self, actors: list[Actor], checked: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known = list(actors)
        self._new: list[Actor] = []
        self._order = list(checked)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Actors")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.primary_button = QPushButton("Make &primary", self)
        self.primary_button.setAccessibleName("Make the selected actor primary")
        self.primary_button.setToolTip("The primary actor decides the event's lane and colour")
        self.new_button = QPushButton("Ne&w actor…", self)
        self.new_button.setAccessibleName("New actor")
        buttons = QVBoxLayout()
        buttons.addWidget(self.primary_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

        known_ids = {a.id for a in actors}
        for actor in actors:
            self._add_item(actor.id, actor.name, actor.color)
        for missing in (a for a in checked if a not in known_ids):  # kept, never dropped
            self._add_item(missing, f"(unknown actor {missing})", "")
        self._refresh()
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentItemChanged.connect(lambda *_: self._update_primary_button())
        self.primary_button.clicked.connect(self.make_primary)
        self.new_button.clicked.connect(self.ask_new_actor)
        self._update_primary_button()

    def checked_ids(self) -> list[str]:
        return list(self._order)

    def new_actors(self) -> list[Actor]:
        # Only those still checked, as with new sources: one made by mistake and unchecked
        # was added to the briefing all the same.
        return [a for a in self._new if a.id in self._order]

    def ask_new_actor(self) -> Actor | None:
        name = (ask_text(self.window(), "New actor", "Name of the new actor:") or "").strip()
        if not name:
            return None
        existing = next((a for a in self._known + self._new
                         if a.name.casefold() == name.casefold()), None)
        if existing is not None:  # same name: check that one instead of making a twin
            self.set_checked(existing.id, True)
            return existing
        everyone = self._known + self._new
        used = {a.color.lower() for a in everyone}
        color = next((c for c in ACTOR_PALETTE if c not in used),
                     ACTOR_PALETTE[len(everyone) % len(ACTOR_PALETTE)])
        actor = Actor(unique_slug(name, (a.id for a in everyone), "actor"), name, color)
        self._new.append(actor)
        self._add_item(actor.id, actor.name, actor.color)
        self.set_checked(actor.id, True)
        self.list.setCurrentItem(self._item(actor.id))
        return actor

    def set_checked(self, actor_id: str, on: bool) -> None:
        item = self._item(actor_id)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def make_primary(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        actor_id = item.data(Qt.ItemDataRole.UserRole)
        self._order = [actor_id] + [a for a in self._order if a != actor_id]
        self._refresh()
        self.changed.emit()

    def state(self) -> tuple:
        return tuple(self._order), len(self._new)

    def _item(self, actor_id: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == actor_id:
                return self.list.item(row)
        return None

    def _add_item(self, actor_id: str, name: str, color: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, actor_id)
        item.setData(Qt.ItemDataRole.UserRole + 1, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        if color:
            item.setData(Qt.ItemDataRole.DecorationRole, _swatch(color))
        self.list.blockSignals(True)
        self.list.addItem(item)
        self.list.blockSignals(False)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        actor_id = item.data(Qt.ItemDataRole.UserRole)
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and actor_id not in self._order:
            self._order.append(actor_id)
        elif not checked and actor_id in self._order:
            self._order.remove(actor_id)
        else:
            return
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        """Check marks follow the order; the primary actor is bold and says so."""
        self.list.blockSignals(True)
        primary = self._order[0] if self._order else None
        for row in range(self.list.count()):
            item = self.list.item(row)
            actor_id = item.data(Qt.ItemDataRole.UserRole)
            name = item.data(Qt.ItemDataRole.UserRole + 1)
            on = actor_id in self._order
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setText(f"{name}  (primary)" if actor_id == primary else name)
            font = item.font()
            font.setBold(actor_id == primary)
            item.setFont(font)
        self.list.blockSignals(False)
        self._update_primary_button()

    def _update_primary_button(self) -> None:
        item = self.list.currentItem()
        self.primary_button.setEnabled(
            item is not None and (not self._order
                                  or item.data(Qt.ItemDataRole.UserRole) != self._order[0]))


def _swatch(color: str) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return pixmap


class EventForm(QDialog):
    """Create (event=None) or edit an event; read the outcome with `result_event()`."""

    def __init__(self, briefing: Briefing, event: Event | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._briefing = briefing
        self._event = event
        self.setWindowTitle("New Event" if event is None else f"Edit Event — {event.title}")
        self.setObjectName("event_form")
        # A new form shows an empty event; its placeholder date is never read.
        shown = event or Event(id="", title="", date=FuzzyDate("", "point", None, None))

        self.title = StartShownEdit(shown.title, self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("What happened, in a few words")
        self.title_status = QLabel(self)
        self.date = DateField("Date", required=True, parent=self)
        self.end = DateField("End date", required=False, parent=self)
        self.end.check = self._end_problem
        if event is not None:
            self.date.set_value(event.date)
            self.end.set_value(event.end)
        self.likelihood = self._choice_box("Likelihood", LIKELIHOODS, shown.likelihood)
        self.confidence = self._choice_box("Confidence", CONFIDENCES, shown.confidence)
        self._tags_text = ", ".join(shown.tags)
        self.tags = QLineEdit(self._tags_text, self)
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("comma-separated, e.g. callao, naval-base")
        completer = TagCompleter(QStringListModel(briefing.tags(), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.actors = ActorList(briefing.actors, shown.actors, self)
        self.notes = QPlainTextEdit(shown.notes, self)
        self.notes.setAccessibleName("Notes (Markdown)")
        self.notes.setPlaceholderText(
            "Notes in Markdown: **bold**, *italic*, - lists, [links](https://…)")
        self.notes.setTabChangesFocus(True)  # keyboard users must be able to leave it
        self._notes_text = self.notes.toPlainText()
        self.preview = self._make_preview()
        self.quotes = QuoteTable(briefing.sources, self)
        self.quotes.table.setAccessibleName("Quotes")
        self.quotes.set_quotes(shown.quotes)
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setToolTip("Save the event (Ctrl+Return)")

        self._lay_out()
        self._set_tab_order()
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DEBOUNCE_MS)
        self._connect_signals()
        self.update_preview()
        self._initial_state = self._state()
        self._validate()
        self.title.setFocus()

    # building ----------------------------------------------------------------------------
    def _choice_box(self, name: str, values: tuple[str, ...], current: str | None) -> QComboBox:
        box = QComboBox(self)
        box.setAccessibleName(name)
        box.addItem("—", None)
        for value in values:
            box.addItem(value, value)
        box.setCurrentIndex(max(0, box.findData(current)) if current else 0)
        return box

    def _make_preview(self) -> QTextBrowser:
        from ..render.rich_text import SafeTextDocument

        preview = QTextBrowser(self)
        preview.setDocument(SafeTextDocument(preview))
        preview.setOpenLinks(False)
        preview.setOpenExternalLinks(False)
        preview.setAccessibleName("Notes preview")
        preview.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        preview.setPlaceholderText("Preview")
        return preview

    def _lay_out(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.title_status)
        choices = QHBoxLayout()
        choices.addWidget(self.likelihood, 3)
        confidence_label = QLabel("&Confidence:", self)
        confidence_label.setBuddy(self.confidence)
        choices.addWidget(confidence_label)
        choices.addWidget(self.confidence, 2)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label("&Title:", self.title), title_row)
        form.addRow(self._label("&Date:", self.date), self.date)
        form.addRow(self._label("&End date:", self.end), self.end)
        form.addRow(self._label("&Likelihood:", self.likelihood), choices)
        form.addRow(self._label("T&ags:", self.tags), self.tags)
        form.addRow(self._label("Act&ors:", self.actors.list), self.actors)
        left = QWidget(self)
        left.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)

        notes_box = QSplitter(Qt.Orientation.Vertical, self)
        notes_box.addWidget(self.notes)
        notes_box.addWidget(self.preview)
        notes_box.setChildrenCollapsible(False)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        notes_label = self._label("&Notes (Markdown) and preview:", self.notes)
        notes_label.setWordWrap(True)  # the notes column is narrow on a small screen
        right_layout.addWidget(notes_label)
        right_layout.addWidget(notes_box, 1)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(left)
        top.addWidget(right)
        top.setStretchFactor(0, 5)
        top.setStretchFactor(1, 4)
        top.setSizes([500, 400])  # 5:4 from the start too, not just of later growth
        top.setChildrenCollapsible(False)

        quotes_box = QGroupBox("&Quotes", self)
        quotes_layout = QVBoxLayout(quotes_box)
        quotes_layout.addWidget(self.quotes)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        body = QSplitter(Qt.Orientation.Vertical, content)
        body.addWidget(top)
        body.addWidget(quotes_box)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([360, 240])
        body.setChildrenCollapsible(False)
        content_layout.addWidget(body)
        # No fixed minimum: the layouts' own (~600x360) fit an 800x600 screen, and the scroll
        # area only takes over on a screen smaller still.
        scroll = QScrollArea(self)
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Not a Tab stop of its own: frameless, it had nothing to show the focus with, and
        # the fields inside scroll into view as Tab reaches them.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        footer = QHBoxLayout()
        footer.addWidget(self.problem_label, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(footer)
        screen = available_geometry(self)  # never self.screen(): see screens.py
        width = min(1000, screen.width() - 40) if screen else 1000
        height = min(700, screen.height() - 60) if screen else 700
        self.resize(width, height)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _set_tab_order(self) -> None:
        chain = [self.title, self.date.edit, self.end.edit, self.likelihood, self.confidence,
                 self.tags, self.actors.list, self.actors.primary_button,
                 self.actors.new_button, self.notes, self.quotes.table,
                 self.quotes.add_button, self.quotes.remove_button,
                 *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.title.textChanged.connect(self._validate)
        self.date.changed.connect(self.end.refresh)  # the end is checked against the date
        self.end.changed.connect(self._validate)
        self.quotes.changed.connect(self._validate)
        self.notes.textChanged.connect(self._preview_timer.start)
        self._preview_timer.timeout.connect(self.update_preview)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.accept)

    # validation --------------------------------------------------------------------------
    def _end_problem(self, end: FuzzyDate) -> str | None:
        start = self.date.value()
        if start is None:
            return None
        if start.kind != POINT and not self._dates_as_opened(start, end):
            # "2019–2024" with an end of "2024" would read "2019–2024 – 2024": which is meant?
            # (Not asked of dates the file already holds so, which storage accepts: the
            # event would not be saved with any other change until they were rewritten.)
            return "the date is a range or open already: write the span there, or one date"
        # The same rule as storage: the end's last day must not fall before the start.
        if (end.end or end.start) < (start.start or start.end):
            return "ends before the start date"
        return None

    def _dates_as_opened(self, start: FuzzyDate, end: FuzzyDate) -> bool:
        """Whether the date and end are those of the event the form was opened on."""
        event = self._event
        return (event is not None and event.end is not None
                and (start.text, end.text) == (event.date.text, event.end.text))

    def problems(self) -> list[str]:
        """What stops the form from being accepted, in field order; empty when it can."""
        out = []
        if not self.title.text().strip():
            out.append("title is required")
        if self.date.error():
            out.append(f"date: {self.date.error()}")
        if self.end.error():
            out.append(f"end date: {self.end.error()}")
        return out + self.quotes.problems()

    def is_acceptable(self) -> bool:
        return not self.problems()

    def _validate(self) -> None:
        if self.title.text().strip():
            show_status(self.title_status, "")
        else:
            modified = self.title.isModified()
            show_status(self.title_status, "required", error=modified, hint=not modified)
        self.title.setAccessibleDescription(self.title_status.text())
        problems = self.problems()
        self.ok_button.setEnabled(not problems)
        if problems:
            show_status(self.problem_label, "To save: " + "; ".join(problems), error=True)
        else:
            show_status(self.problem_label, "Ctrl+Return saves, Esc cancels", hint=True)

    # results -----------------------------------------------------------------------------
    def result_event(self) -> Event:
        """A new Event from the form; raises ValueError while the form is not acceptable."""
        problems = self.problems()
        if problems:
            raise ValueError("the event form is not valid: " + "; ".join(problems))
        original = self._event
        date = self.date.value()
        assert date is not None
        title_text = self.title.text()
        if original is not None:
            event_id = original.id
            title = original.title if title_text == original.title else title_text.strip()
        else:
            title = title_text.strip()
            event_id = unique_slug(title, (e.id for e in self._briefing.events), "event")
        tags_text = self.tags.text()
        notes = self.notes.toPlainText()
        return Event(
            id=event_id,
            title=title,
            date=date,
            end=self.end.value(),
            actors=self.actors.checked_ids(),
            tags=list(original.tags) if original is not None and tags_text == self._tags_text
            else split_list(tags_text, ","),
            # toPlainText turns no-break spaces into spaces: keep untouched notes as they were
            notes=original.notes if original is not None and notes == self._notes_text
            else notes,
            quotes=self.quotes.quotes(),
            likelihood=kept(original.likelihood if original else None,
                            self.likelihood.currentData() or ""),
            confidence=kept(original.confidence if original else None,
                            self.confidence.currentData() or ""),
            extra=copy.deepcopy(original.extra) if original is not None else {},
        )

    def new_actors(self) -> list[Actor]:
        """Actors made with "New actor…"; the caller adds them to the briefing."""
        return self.actors.new_actors()

    def new_sources(self) -> list[Source]:
        """Sources made with "New source…"; the caller adds them to the briefing."""
        return self.quotes.new_sources()

    # preview -----------------------------------------------------------------------------
    def update_preview(self) -> None:
        from ..model.markdown import render_markdown  # the detail pane's renderer

        self._preview_timer.stop()
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        # QTextEdit.setHtml keeps the SafeTextDocument and puts the cursor at the start.
        self.preview.setHtml(render_markdown(self.notes.toPlainText()))
        bar.setValue(position)  # typing must not scroll the preview back to the top

    # closing -----------------------------------------------------------------------------
    def _state(self) -> tuple:
        """Everything the user can change, to tell whether anything was."""
        return (self.title.text(), self.date.text(), self.end.text(),
                self.likelihood.currentIndex(), self.confidence.currentIndex(),
                self.tags.text(), self.actors.state(), self.notes.toPlainText(),
                self.quotes.state())

    def is_modified(self) -> bool:
        return self._state() != self._initial_state

    def accept(self) -> None:
        self.quotes.commit_editing()
        if not self.is_acceptable():
            self._validate()
            return
        super().accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain_return = (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                        and not event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if plain_return and not isinstance(self.focusWidget(), QAbstractButton):
            return  # Return in a field must not save a half-typed event; Ctrl+Return does
        super().keyPressEvent(event)

    def reject(self) -> None:
        self.quotes.commit_editing()
        if self.is_modified() and not dialogs.confirm_discard(self):
            return
        super().reject()
