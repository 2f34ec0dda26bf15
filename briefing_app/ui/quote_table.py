"""The event form's parts: a fuzzy-date field, the quotes table and the new-source dialog.

Kept apart from `event_form.py` so each file stays readable; the form is the only user.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model.briefing import CREDIBILITY, RELIABILITY, Quote, Source
from ..model.dates import (
    ACCEPTED_FORMS,
    AFTER,
    BEFORE,
    DateError,
    FuzzyDate,
    interval_label,
    parse_date,
)
from ..model.ids import slugify, unique_id
from . import dialogs
from .appearance import is_dark
from .column_fit import ColumnFit
from .plain import tip

WARNING = "⚠"
_ROLE = Qt.ItemDataRole.UserRole
_QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # the Quote a row was made from (keeps extra)


# --- small helpers shared with the form ---------------------------------------------------

def unique_slug(text: str, taken: Iterable[str], fallback: str) -> str:
    """slugify(text), made unique (also against look-alikes) by a suffix -2, -3, ..."""
    return unique_id(slugify(text, fallback), set(taken))


def kept(original: str | None, text: str) -> str | None:
    """The original value when the field still shows it, else the stripped text or None.

    Keeps an untouched record identical (None stays None, "" stays ""), so editing an event
    without changing anything gives back an equal event.
    """
    if text == (original or ""):
        return original
    return text.strip() or None


def error_color(widget: QWidget) -> str:
    return "#ff8a80" if is_dark(widget.palette()) else "#b3261e"


def show_status(label: QLabel, text: str, tooltip: str = "", error: bool = False,
                hint: bool = False) -> None:
    """Set a field's status label: a reading in plain text, a hint muted, a problem in red."""
    label.setTextFormat(Qt.TextFormat.PlainText)  # the text may quote the file (plain.py)
    label.setText(f"{WARNING} {text}" if error and text else text)
    label.setToolTip(tip(tooltip))
    label.setStyleSheet("")  # a style sheet colour also recolours the label's palette
    if error:
        label.setStyleSheet(f"color: {error_color(label)};")
    elif hint:
        muted = label.palette().color(QPalette.ColorRole.PlaceholderText).name()
        label.setStyleSheet(f"color: {muted};")
    label.setAccessibleDescription(text)


def interpretation(value: FuzzyDate) -> str:
    """A short reading of a date: "late 2024 → Sep–Dec 2024", "c. 2019 → 2019, approximate"."""
    if value.kind == BEFORE:
        span = "until " + interval_label(value.end, value.end)
    elif value.kind == AFTER:
        span = "from " + interval_label(value.start, value.start)
    else:
        span = interval_label(value.start, value.end)
    words = [span] + [w for w, on in (("approximate", value.approximate),
                                      ("uncertain", value.uncertain)) if on]
    shown = ", ".join(words)
    return shown if value.label() == shown else f"{value.label()} → {shown}"


class DateField(QWidget):
    """A line edit for a fuzzy date, parsed as you type, with its reading beside it."""

    changed = Signal()

    def __init__(self, name: str, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.required = required
        # Extra rule from the owner (the end date must not end before the start).
        self.check: Callable[[FuzzyDate], str | None] = lambda value: None
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText("e.g. 2024-03-01, late 2024")
        self.edit.setToolTip("Accepted forms: " + ACCEPTED_FORMS)
        self.edit.setMinimumWidth(150)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(160)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFocusProxy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.status, 1)
        self._value: FuzzyDate | None = None
        self._original: FuzzyDate | None = None
        self._error: str | None = None
        self._detail = ""  # the full message behind the error, for the tooltip
        self.edit.textChanged.connect(self.refresh)
        self.refresh()

    def set_value(self, value: FuzzyDate | None) -> None:
        self._original = value
        self.edit.setText(value.text if value is not None else "")
        self.refresh()

    def value(self) -> FuzzyDate | None:
        """The parsed date, or None when empty or invalid."""
        return self._value

    def error(self) -> str | None:
        return self._error

    def text(self) -> str:
        return self.edit.text()

    def refresh(self) -> None:
        self._value, self._error = self._read()
        if self._value is not None:
            show_status(self.status, interpretation(self._value), self._value.describe())
        elif self._error is None:
            show_status(self.status, "optional", hint=True)
        elif self._error == "required" and not self.edit.isModified():
            show_status(self.status, "required", hint=True)  # untouched is not yet a mistake
        else:
            show_status(self.status, self._error, self._detail, error=True)
        self.edit.setAccessibleDescription(self.status.text())  # read out with the field
        self.changed.emit()

    def _read(self) -> tuple[FuzzyDate | None, str | None]:
        """(date, None) when valid, (None, reason) when not, (None, None) when empty."""
        text = self.edit.text()
        self._detail = ""
        if not text.strip():
            return None, "required" if self.required else None
        if self._original is not None and text == self._original.text:
            value = self._original  # untouched: the very same date
        else:
            try:
                value = parse_date(text.strip())
            except DateError as exc:
                self._detail = str(exc)
                return None, exc.reason or "not a date"
        problem = self.check(value)
        self._detail = problem or ""
        return (None, problem) if problem else (value, None)


# --- the new-source dialog ----------------------------------------------------------------

class SourceDialog(QDialog):
    """Title, publisher, URL, published date and reliability of a new source."""

    def __init__(self, taken_ids: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Source")
        self._taken = set(taken_ids)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Source title")
        self.publisher = QLineEdit(self)
        self.publisher.setAccessibleName("Publisher")
        self.url = QLineEdit(self)
        self.url.setAccessibleName("URL")
        self.url.setPlaceholderText("https://…")
        self.published = DateField("Published", required=False, parent=self)
        self.reliability = QComboBox(self)
        self.reliability.setAccessibleName("Reliability")
        self.reliability.addItem("—", None)
        for grade, meaning in RELIABILITY.items():
            self.reliability.addItem(f"{grade} — {meaning}", grade)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Publisher:", self.publisher)
        form.addRow("&URL:", self.url)
        form.addRow("P&ublished:", self.published)
        form.addRow("&Reliability:", self.reliability)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.title.textChanged.connect(self._update_ok)
        self.published.changed.connect(self._update_ok)
        self.resize(520, self.sizeHint().height())
        self._update_ok()
        self.mark_unchanged()

    def _state(self) -> tuple:
        return (self.title.text(), self.publisher.text(), self.url.text(),
                self.published.text(), self.reliability.currentIndex())

    def mark_unchanged(self) -> None:
        """What the fields show now is not the user's typing (Edit Source fills them)."""
        self._initial_state = self._state()

    def reject(self) -> None:
        # Esc must not drop a typed title, publisher and URL without asking.
        if self._state() != self._initial_state and not dialogs.confirm_discard(
                self, "this source"):
            return
        super().reject()

    def _acceptable(self) -> bool:
        return bool(self.title.text().strip()) and self.published.error() is None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._acceptable())

    def accept(self) -> None:
        if self._acceptable():
            super().accept()

    def source(self) -> Source:
        title = self.title.text().strip()
        return Source(unique_slug(title, self._taken, "source"), title,
                      self.publisher.text().strip(), self.url.text().strip(),
                      self.published.value(), self.reliability.currentData())


def ask_source(parent: QWidget | None, taken_ids: Iterable[str]) -> Source | None:
    """Ask for a new source; None when cancelled. Tests replace this function."""
    dialog = SourceDialog(taken_ids, parent)
    return dialog.source() if dialog.exec() == QDialog.DialogCode.Accepted else None


# --- the quotes table ---------------------------------------------------------------------

TEXT, SOURCE, SPEAKER, CREDIBILITY_COL, TRANSLATED, ORIGINAL = range(6)
_HEADERS = ("Text", "Source", "Speaker", "Cred.", "Translated", "Original text")
_NEW_SOURCE = "\x00new-source"  # data of the "New source…" entry
_TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
_SIDE_WIDTHS = {SOURCE: 170, SPEAKER: 130, ORIGINAL: 150}  # on a roomy table; Text stretches
_MIN_SIDE_WIDTH = 60
_ARROWED = "briefing_arrowed"  # a combo box property: its last key was an arrow
_ARROW_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
               Qt.Key.Key_Home, Qt.Key.Key_End}


def _long_text_tip(item: QTableWidgetItem) -> None:
    """A wrapped cell may not show all of a long quote: the tooltip does."""
    shown = tip(item.text()) if len(item.text()) > 80 else ""
    if item.toolTip() != shown:
        item.setToolTip(shown)


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor over (label, data, tooltip) choices; picking commits at once.

    The editor stays open after a pick: Up/Down in a closed combo box also "pick", and
    closing then would hand Tab to the table, whose Tab leaves it. An open editor gets
    Tab/Backtab from the delegate's own filter, which moves on and opens the next cell's
    editor as in the text cells. Choices in `closing` (a choice that opens a dialog) still
    close it first, or the dialog taking focus would commit the same choice again.
    """

    def __init__(self, choices: Callable[[], list[tuple[str, Any, str]]],
                 on_pick: Callable[[QModelIndex, Any], None], parent: QObject,
                 closing: Iterable[Any] = ()) -> None:
        super().__init__(parent)
        self._choices = choices
        self._on_pick = on_pick
        self._closing = set(closing)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for i, (label, data, hint) in enumerate(self._choices()):
            combo.addItem(label, data)
            combo.setItemData(i, tip(hint), Qt.ItemDataRole.ToolTipRole)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Arrows in a closed combo box "pick" every entry they pass: passing over "New
        # source…" must not open its dialog. Only a click, or Return on it, does.
        if isinstance(editor, QComboBox):
            if event.type() == QEvent.Type.KeyPress:
                editor.setProperty(_ARROWED, event.key() in _ARROW_KEYS and not (
                    event.modifiers() & Qt.KeyboardModifier.AltModifier))  # Alt+Down: popup
            elif event.type() == QEvent.Type.MouseButtonPress:
                editor.setProperty(_ARROWED, False)
        return super().eventFilter(editor, event)

    def _passed_over(self, combo: QComboBox) -> bool:
        return combo.currentData() in self._closing and bool(combo.property(_ARROWED))

    def _commit(self, combo: QComboBox) -> None:
        if self._passed_over(combo):
            return
        self.commitData.emit(combo)
        if combo.currentData() in self._closing:
            self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(_ROLE))))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        if not self._passed_over(editor):  # left on "New source…" by arrows: no change
            self._on_pick(index, editor.currentData())


class QuoteTable(QWidget):
    """Quotes of one event: text, source, speaker, credibility, translated, original."""

    changed = Signal()

    def __init__(self, sources: list[Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sources = list(sources)
        self._new_sources: list[Source] = []
        self.table = QTableWidget(0, len(_HEADERS), self)
        self.table.setAccessibleName("Quotes")
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.horizontalHeaderItem(CREDIBILITY_COL).setToolTip(
            "Credibility of the information (Admiralty code 1–6)")
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        # Long quotes wrap, up to about five lines a row; the cell's tooltip has the rest.
        self.table.verticalHeader().setMaximumSectionSize(
            self.fontMetrics().lineSpacing() * 5 + 8)
        self._fit_rows = QTimer(self, singleShot=True, interval=0)
        self._fit_rows.timeout.connect(self.table.resizeRowsToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(CREDIBILITY_COL, 56)
        self.table.setColumnWidth(TRANSLATED, 78)
        header.sectionResized.connect(lambda *_: self._fit_rows.start())
        self._columns = ColumnFit(self.table, self._side_widths)
        self.table.setItemDelegateForColumn(
            SOURCE, _ChoiceDelegate(self._source_choices, self._pick_source, self.table,
                                    closing=(_NEW_SOURCE,)))
        self.table.setItemDelegateForColumn(
            CREDIBILITY_COL, _ChoiceDelegate(self._credibility_choices, self._pick_credibility,
                                             self.table))

        self.add_button = QPushButton("Add q&uote", self)
        self.add_button.setAccessibleName("Add quote")
        self.remove_button = QPushButton("Remo&ve quote", self)
        self.remove_button.setAccessibleName("Remove selected quotes")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_quote)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_remove)
        self.table.currentCellChanged.connect(lambda *_: self._update_remove())
        self._update_remove()
        self._show_problems()

    # filling and reading -----------------------------------------------------------------
    def set_quotes(self, quotes: list[Quote]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for quote in quotes:
            self._append(quote)
        self.table.blockSignals(False)
        self._fit_rows.start()
        self._show_problems()

    def _append(self, quote: Quote) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        text = QTableWidgetItem(quote.text)
        text.setData(_QUOTE_ROLE, quote)
        text.setTextAlignment(_TOP_LEFT)
        self.table.setItem(row, TEXT, text)
        self.table.setItem(row, SOURCE, QTableWidgetItem())
        self._set_source(row, quote.source or None)
        self.table.setItem(row, SPEAKER, QTableWidgetItem(quote.speaker or ""))
        self.table.item(row, SPEAKER).setTextAlignment(_TOP_LEFT)
        self.table.setItem(row, CREDIBILITY_COL, QTableWidgetItem())
        self._set_credibility(row, quote.credibility)
        translated = QTableWidgetItem()
        translated.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                            | Qt.ItemFlag.ItemIsUserCheckable)
        translated.setCheckState(Qt.CheckState.Checked if quote.translated
                                 else Qt.CheckState.Unchecked)
        translated.setToolTip("The text is a translation; put the original in the last column")
        self.table.setItem(row, TRANSLATED, translated)
        self.table.setItem(row, ORIGINAL, QTableWidgetItem(quote.original or ""))
        self.table.item(row, ORIGINAL).setTextAlignment(_TOP_LEFT)
        _long_text_tip(text)
        _long_text_tip(self.table.item(row, ORIGINAL))
        return row

    def quotes(self) -> list[Quote]:
        """The rows as Quotes; untouched fields keep their original values and extras."""
        out = []
        for row in range(self.table.rowCount()):
            original: Quote = self.table.item(row, TEXT).data(_QUOTE_ROLE)
            text = self.table.item(row, TEXT).text()
            out.append(Quote(
                text=original.text if text == original.text else text.strip(),
                source=self.table.item(row, SOURCE).data(_ROLE) or "",
                speaker=kept(original.speaker, self.table.item(row, SPEAKER).text()),
                credibility=self.table.item(row, CREDIBILITY_COL).data(_ROLE),
                translated=self.table.item(row, TRANSLATED).checkState() == Qt.CheckState.Checked,
                original=kept(original.original, self.table.item(row, ORIGINAL).text()),
                extra=copy.deepcopy(original.extra),
            ))
        return out

    def new_sources(self) -> list[Source]:
        """Sources created with "New source…" that a quote cites, in the order they were
        made: one whose quote was removed, or given another source, is not added."""
        cited = {self.table.item(row, SOURCE).data(_ROLE) for row in range(self.table.rowCount())}
        return [s for s in self._new_sources if s.id in cited]

    def problems(self) -> list[str]:
        return list(self._row_problems().values())

    def _row_problems(self) -> dict[int, str]:
        out = {}
        for row in range(self.table.rowCount()):
            missing = [what for what, ok in (
                ("text", self.table.item(row, TEXT).text().strip()),
                ("a source", self.table.item(row, SOURCE).data(_ROLE))) if not ok]
            if missing:
                out[row] = f"quote {row + 1} needs {' and '.join(missing)}"
        return out

    def set_source(self, row: int, source_id: str | None) -> None:
        """Choose a quote's source by id (also what the Source column's editor does)."""
        self._set_source(row, source_id)

    def commit_editing(self) -> None:
        """Write an open cell editor back, so Ctrl+Return in a cell keeps what was typed."""
        index = self.table.currentIndex()
        editor = self.table.indexWidget(index) if index.isValid() else None
        if editor is not None and self.table.state() == QAbstractItemView.State.EditingState:
            delegate = self.table.itemDelegateForIndex(index)
            delegate.commitData.emit(editor)
            delegate.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    # actions -----------------------------------------------------------------------------
    def add_quote(self) -> int:
        self.table.blockSignals(True)
        row = self._append(Quote(text="", source=""))
        self.table.blockSignals(False)
        self.table.setFocus()
        self.table.setCurrentCell(row, TEXT)
        self._changed()
        return row

    def _chosen_rows(self) -> list[int]:
        """The selected rows, or the current one: tabbing in makes a row current without
        selecting it, and a keyboard user must still be able to remove it."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows and 0 <= self.table.currentRow() < self.table.rowCount():
            rows = {self.table.currentRow()}
        return sorted(rows, reverse=True)

    def remove_selected(self) -> None:
        rows = self._chosen_rows()
        for row in rows:
            self.table.removeRow(row)
        if rows:
            # Qt makes a neighbour current, unselected and unseen: a second click on Remove
            # must not take it too.
            self.table.setCurrentCell(-1, -1)
            self._changed()

    # the choice columns ------------------------------------------------------------------
    def _source_choices(self) -> list[tuple[str, Any, str]]:
        choices = [("— choose a source —", None, "")]
        for s in self._sources + self._new_sources:
            choices.append((s.title, s.id, " · ".join(p for p in (s.publisher, s.url) if p)))
        choices.append(("New source…", _NEW_SOURCE, "Add a source to the briefing"))
        return choices

    @staticmethod
    def _credibility_choices() -> list[tuple[str, Any, str]]:
        return [("—", None, "Not graded")] + [
            (f"{n} — {meaning}", n, meaning) for n, meaning in CREDIBILITY.items()]

    def _pick_source(self, index: QModelIndex, data: Any) -> None:
        if data == _NEW_SOURCE:
            # Not from inside the delegate's commit: the editor is still closing.
            QTimer.singleShot(0, lambda row=index.row(): self._ask_new_source(row))
        else:
            self._set_source(index.row(), data)

    def _ask_new_source(self, row: int) -> None:
        taken = [s.id for s in self._sources + self._new_sources]
        source = ask_source(self, taken)
        if not 0 <= row < self.table.rowCount():
            return
        if source is not None:
            self._new_sources.append(source)
            self._set_source(row, source.id)
        # Back in the Source cell, its editor open as after any other pick: Tab goes on to
        # the Speaker (with no editor, Tab left the table and the typing went elsewhere).
        self.table.setFocus()
        self.table.setCurrentCell(row, SOURCE)
        self.table.editItem(self.table.item(row, SOURCE))

    def _pick_credibility(self, index: QModelIndex, data: Any) -> None:
        self._set_credibility(index.row(), data)

    def _set_source(self, row: int, source_id: str | None) -> None:
        item = self.table.item(row, SOURCE)
        source = next((s for s in self._sources + self._new_sources if s.id == source_id), None)
        item.setData(_ROLE, source_id)
        item.setTextAlignment(_TOP_LEFT)
        if source_id is None:
            item.setText("— choose —")
            item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            item.setToolTip("Double-click or type to choose the source of this quote")
        else:
            item.setText(source.title if source else f"(unknown source {source_id})")
            item.setData(Qt.ItemDataRole.ForegroundRole, None)
            item.setToolTip(tip(source.title) if source else "")

    def _set_credibility(self, row: int, credibility: int | None) -> None:
        item = self.table.item(row, CREDIBILITY_COL)
        item.setData(_ROLE, credibility)
        item.setText(str(credibility) if credibility else "—")
        item.setToolTip(CREDIBILITY.get(credibility, "Not graded") if credibility else
                        "Credibility not graded")
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)

    # keeping the view in step --------------------------------------------------------------
    def _side_widths(self, room: int) -> dict[int, int]:
        """Side columns at their roomy widths, shrunk on a narrow table so that the quote
        text keeps about a third of it and the table does not scroll sideways."""
        header = self.table.horizontalHeader()
        fixed = header.sectionSize(CREDIBILITY_COL) + header.sectionSize(TRANSLATED)
        scale = min(1.0, (room * 2 // 3 - fixed) / sum(_SIDE_WIDTHS.values()))
        return {col: max(_MIN_SIDE_WIDTH, round(width * scale))
                for col, width in _SIDE_WIDTHS.items()}

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (TEXT, ORIGINAL):
            self.table.resizeRowToContents(item.row())
            _long_text_tip(item)
        self._changed()

    def _changed(self) -> None:
        self._show_problems()
        self._update_remove()
        self.changed.emit()

    def _update_remove(self) -> None:
        self.remove_button.setEnabled(bool(self._chosen_rows()))

    def _show_problems(self) -> None:
        by_row = self._row_problems()
        for row in range(self.table.rowCount()):
            header = QTableWidgetItem(f"{WARNING} {row + 1}" if row in by_row else str(row + 1))
            if row in by_row:
                header.setForeground(QColor(error_color(self)))
                header.setToolTip(tip(by_row[row]))
            self.table.setVerticalHeaderItem(row, header)
        problems = list(by_row.values())
        if problems:
            show_status(self.status, "; ".join(problems).capitalize(), error=True)
        else:
            n = self.table.rowCount()
            show_status(self.status, f"{n} quote{'s' if n != 1 else ''}" if n else "No quotes",
                        hint=True)

    def state(self) -> tuple:
        """Everything shown, for telling whether the user changed anything."""
        rows = tuple(tuple(self.table.item(r, c).data(_ROLE) if c in (SOURCE, CREDIBILITY_COL)
                           else self.table.item(r, c).checkState() if c == TRANSLATED
                           else self.table.item(r, c).text() for c in range(len(_HEADERS)))
                     for r in range(self.table.rowCount()))
        return rows, len(self._new_sources)
