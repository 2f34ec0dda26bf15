"""Every message box of the app goes through here, so tests can replace them in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from .plain import plain_labels

_Button = QMessageBox.StandardButton


def _ask(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: _Button, default: _Button) -> _Button:
    """QMessageBox.question/warning with plain text: a name or a path in `text` is the
    file's (see plain.py)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setDefaultButton(default)
    plain_labels(box)
    if box.exec() == -1:
        return _Button.Cancel
    return box.standardButton(box.clickedButton())


SHOWN_PROBLEMS = 8  # listed in the box itself; "Show Details…" lists every one
SHOWN_PROBLEM_CHARS = 160  # a problem longer than this is cut in the box, whole in the details


def load_error_box(parent: QWidget | None, path: str, problems: list[str],
                   reloading: bool = False) -> QMessageBox:
    """The box show_load_error shows. It stays within a laptop screen: a date problem
    lists every accepted form (~350 characters), and twenty of them in full made a box
    taller than the screen, its OK button and most problems out of reach."""
    if reloading:  # the file open until now, read again after a change on disk or Revert
        title, text = ("Cannot reload briefing",
                       f"“{path}” was not read again: what is open stays as it was, and "
                       "counts as unsaved. The file's problems are listed below.")
    else:
        title, text = ("Cannot open briefing",
                       f"“{path}” was not opened, and nothing that was open has changed. "
                       "Its problems are listed below.")
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    shown = [_shortened(p, SHOWN_PROBLEM_CHARS) for p in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - len(shown)
    if more > 0:
        shown.append(f"… and {more} more (Show Details… lists them all)")
    box.setInformativeText("\n".join(shown))
    box.setDetailedText("\n".join(problems))
    plain_labels(box)  # the problems quote the file: '<img src=...>' is not a date
    return box


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def show_load_error(parent: QWidget | None, path: str, problems: list[str],
                    reloading: bool = False) -> None:
    """A file could not be opened (or read again); the details list every problem with its
    place."""
    load_error_box(parent, path, problems, reloading).exec()


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    plain_labels(box)
    box.exec()


def show_internal_error(parent: QWidget | None, log_path: str) -> None:
    show_error(parent, "Internal error",
               "Something went wrong inside Briefing. Your work is still open; "
               "save it under a new name to be safe.",
               f"Details were written to {log_path}")


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(
        parent, "About Briefing",
        f"<h3>Briefing {__version__}</h3>"
        "<p>Read, edit and export briefings: dated events on a zoomable timeline, "
        "with Markdown notes and the source quotes behind them.</p>"
        "<p>Dates keep their precision: “late 2024” is drawn as Sep–Dec 2024 with soft "
        "edges, never as 1 January.</p>")


def confirm_discard(parent: QWidget | None, what: str = "your changes to this event") -> bool:
    """Ask before throwing away typed input; True means discard."""
    answer = _ask(parent, QMessageBox.Icon.Question, "Discard changes?", f"Discard {what}?",
                  _Button.Discard | _Button.Cancel, _Button.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def ask_overwrite_changed(parent: QWidget | None, name: str) -> bool:
    """The file changed on disk since it was read: True means overwrite it anyway."""
    answer = _ask(parent, QMessageBox.Icon.Warning, "File changed on disk",
                  f"“{name}” was changed by another program since it was opened. "
                  "Overwrite it with your version?",
                  _Button.Save | _Button.Cancel, _Button.Cancel)
    return answer == QMessageBox.StandardButton.Save


def ask_save_changes(parent: QWidget | None, name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before closing or replacing a modified briefing."""
    button = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                      f"“{name}” has unsaved changes. Save them first?",
                      button.Save | button.Discard | button.Cancel, parent)
    box.setDefaultButton(button.Save)
    # Access keys (Alt+S, Alt+D): the platform's button texts have none here.
    box.button(button.Save).setText("&Save")
    box.button(button.Discard).setText("&Discard")
    plain_labels(box)
    box.exec()
    return box.standardButton(box.clickedButton())  # Esc: Cancel


def ask_reload(parent: QWidget | None, name: str, modified: bool) -> bool:
    """The file changed on disk: True means reload it (dropping unsaved edits)."""
    text = f"“{name}” was changed by another program."
    if modified:
        text += (" Reloading it puts the file's version in place of your unsaved changes"
                 " (Edit > Undo brings them back); keeping them lets you save over it.")
    answer = _ask(parent, QMessageBox.Icon.Question, "File changed on disk",
                  text + "\n\nReload it from disk?", _Button.Yes | _Button.No,
                  _Button.No if modified else _Button.Yes)
    return answer == QMessageBox.StandardButton.Yes


def show_file_gone(parent: QWidget | None, name: str) -> None:
    """The open briefing's file was deleted or moved: what is open is its only copy now."""
    show_error(parent, "File deleted or moved",
               f"“{name}” was deleted, moved or renamed by another program. The briefing "
               f"stays open here, unsaved: Save writes it to “{name}” again, Save As "
               "somewhere else.")


def ask_restore(parent: QWidget | None, original: str | None, saved_at: str) -> bool:
    """Offer unsaved changes found after a crash; True means restore them."""
    name = original or "an untitled briefing"
    answer = _ask(parent, QMessageBox.Icon.Question, "Restore unsaved changes?",
                  f"Briefing did not close normally. Unsaved changes to {name} from "
                  f"{saved_at} were kept. Restore them?", _Button.Yes | _Button.No,
                  _Button.Yes)
    return answer == QMessageBox.StandardButton.Yes


@contextmanager
def wait_cursor() -> Iterator[None]:
    """The wait cursor over a step that takes seconds at 100k events (a PDF, a CSV export
    ~7 s, Markdown ~15 s, adding a 10k-event file ~4 s): without it the window looked hung."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
