"""Every message box of the app goes through here, so tests can replace them in one place."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__


def show_load_error(parent: QWidget | None, path: str, problems: list[str]) -> None:
    """A file could not be opened; the details list every problem with its place."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open briefing",
                      f"“{path}” could not be opened. The briefing that was open stays open.",
                      QMessageBox.StandardButton.Ok, parent)
    shown = problems[:20]
    more = len(problems) - len(shown)
    box.setInformativeText("\n".join(shown) + (f"\n… and {more} more" if more > 0 else ""))
    box.setDetailedText("\n".join(problems))
    box.exec()


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
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
    answer = QMessageBox.question(
        parent, "Discard changes?", f"Discard {what}?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def ask_save_changes(parent: QWidget | None, name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before closing or replacing a modified briefing."""
    return QMessageBox.warning(
        parent, "Unsaved changes", f"“{name}” has unsaved changes. Save them first?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
