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
