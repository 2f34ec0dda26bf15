"""Undo commands: every change to a briefing is one of these on the document's undo stack.

Each command keeps the exact objects it replaced, so undo restores the briefing exactly.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..model.briefing import Briefing, Event
from .document import Document

MAX_SHOWN = 90  # characters of a command's name in Edit > Undo/Redo and the buttons


def shown(text: str) -> str:
    """A command's name as the Edit menu shows it ("Undo Edit '…'"): a title of hundreds of
    characters made the menu as wide as the screen."""
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1].rstrip() + "…"


def _name(events: list[Event], verb: str) -> str:
    if len(events) == 1:
        return f"{verb} '{events[0].title}'"
    return f"{verb} {len(events)} Events"


class InsertEvents(QUndoCommand):
    """Add, duplicate or paste: insert events at positions of briefing.events."""

    def __init__(self, doc: Document, items: list[tuple[int, Event]], verb: str = "Add",
                 parts_after: dict | None = None) -> None:
        super().__init__(shown(_name([e for _, e in items], verb)))
        self.doc = doc
        self.items = items
        # Sources/actors created along with the events (pasted or made inline in the form).
        self.parts_after = parts_after
        self.parts_before = doc.parts(*parts_after) if parts_after else None

    def redo(self) -> None:
        self.doc.insert_events(self.items, self.parts_after)

    def undo(self) -> None:
        self.doc.remove_events([pos for pos, _ in self.items], self.parts_before)


class RemoveEvents(QUndoCommand):
    def __init__(self, doc: Document, positions: list[int], verb: str = "Delete") -> None:
        events = [doc.briefing.events[p] for p in sorted(positions)]
        super().__init__(shown(_name(events, verb)))
        self.doc = doc
        self.positions = sorted(positions)
        self.removed: list[tuple[int, Event]] = []

    def redo(self) -> None:
        self.removed = self.doc.remove_events(self.positions)

    def undo(self) -> None:
        self.doc.insert_events(self.removed)


class ReplaceEvents(QUndoCommand):
    """Edit one event, or change tags/actors of many at once."""

    def __init__(self, doc: Document, new: list[tuple[int, Event]], text: str,
                 parts_after: dict | None = None) -> None:
        super().__init__(shown(text))
        self.doc = doc
        self.new = new
        self.old = [(pos, doc.briefing.events[pos]) for pos, _ in new]
        self.parts_after = parts_after
        self.parts_before = doc.parts(*parts_after) if parts_after else None

    def redo(self) -> None:
        self.doc.replace_events(self.new, self.parts_after)

    def undo(self) -> None:
        self.doc.replace_events(self.old, self.parts_before)


class SetParts(QUndoCommand):
    """Briefing title/summary/handling line, and actor or source changes."""

    def __init__(self, doc: Document, parts_after: dict, text: str) -> None:
        super().__init__(shown(text))
        self.doc = doc
        self.after = parts_after
        self.before = doc.parts(*parts_after)

    def redo(self) -> None:
        self.doc.set_parts(self.after)

    def undo(self) -> None:
        self.doc.set_parts(self.before)


class ReloadFromDisk(QUndoCommand):
    """The file read again over unsaved changes (a colleague's save, Revert): Undo brings
    the changes back, which a reload used to drop for good."""

    def __init__(self, doc: Document, briefing: Briefing) -> None:
        super().__init__("Reload from Disk")
        self.doc = doc
        self.other = briefing  # what redo or undo puts in place next

    def redo(self) -> None:
        self.other = self.doc.swap_briefing(self.other)

    def undo(self) -> None:
        self.other = self.doc.swap_briefing(self.other)
