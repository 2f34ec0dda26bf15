"""Edit operations on the selected events: each becomes one undo command on the document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QMimeData
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from ..model import clipboard
from ..model.briefing import Actor, Briefing, Event, Source
from ..model.errors import LoadError
from ..model.ids import unique_id
from . import dialogs
from .commands import InsertEvents, RemoveEvents, ReplaceEvents
from .document import Document


def ask_item(parent: QWidget, title: str, label: str, items: list[str],
             editable: bool = True) -> str | None:
    """Pick or type one value; None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, editable)
    return text.strip() if ok and text.strip() else None


def _with(items: list[str], item: str) -> list[str]:
    return items if item in items else items + [item]


def _without(items: list[str], item: str) -> list[str]:
    return [x for x in items if x != item]


def release_clipboard() -> None:
    """Swap our QMimeData on the clipboard for plain text before Python shuts down.

    Qt destroys the clipboard's data after the interpreter is gone, and destroying a
    QMimeData made in Python then crashes the process; plain text is made inside Qt.
    """
    board = QApplication.clipboard()
    data = board.mimeData()
    if data is not None and data.hasFormat(clipboard.MIME_TYPE):
        board.setText(data.text())


def _carried(event: Event, made_on: Briefing, now: Briefing, actors: list[Actor],
             sources: list[Source], keep_id: bool) -> tuple[Event, list[Actor], list[Source]]:
    """An event made in a form on `made_on`, to be added to `now` instead (the file was
    reloaded, or another opened, while the form was open): with an id of its own there
    unless it replaces its namesake, and with the actors and sources it names that `now`
    lacks, so that the typing is kept and the briefing still loads once saved."""
    if not keep_id:
        event = replace(event, id=unique_id(event.id, (e.id for e in now.events)))
    have = {a.id for a in now.actors}
    named = set(event.actors)
    actors = [a for a in {a.id: a for a in made_on.actors + actors}.values()
              if a.id in named and a.id not in have]
    have = {s.id for s in now.sources}
    named = {q.source for q in event.quotes}
    sources = [s for s in {s.id: s for s in made_on.sources + sources}.values()
               if s.id in named and s.id not in have]
    return event, actors, sources


class Editor:
    """Runs the Edit menu's commands on the events that `selected()` returns."""

    def __init__(self, parent: QWidget, doc: Document,
                 selected: Callable[[], list[Event]], current: Callable[[], Event | None]) -> None:
        self.parent = parent
        self.doc = doc
        self.selected = selected
        self.current = current

    @property
    def briefing(self):
        return self.doc.briefing

    def _push(self, command) -> None:
        self.doc.undo_stack.push(command)

    # one event through the form -----------------------------------------------------------
    def new_event(self) -> None:
        self._run_form(None)

    def edit_current(self) -> None:
        event = self.current()
        if event is not None:
            self._run_form(event)

    def _run_form(self, event: Event | None) -> None:
        from .event_form import EventForm  # the form is loaded when first needed

        made_on = self.briefing
        form = EventForm(made_on, event, self.parent)
        try:
            if form.exec() != EventForm.DialogCode.Accepted:
                return
            result = form.result_event()
            actors, sources = form.new_actors(), form.new_sources()
        finally:
            form.deleteLater()  # a hidden dialog left under the window confuses enter/leave
            # Gone now, not after the edit: the edit lays out the events again, which at
            # 100k events freezes every object alive (model/gc_pause.py), and the form's
            # wrappers, which hold cycles, were frozen with them, never to be freed.
            QApplication.sendPostedEvents(form, QEvent.Type.DeferredDelete)
            del form
            # Without a window manager nothing hands the keyboard back: take it, so the
            # next shortcut (Ctrl+S) reaches this window.
            self.parent.activateWindow()
        if result == event and not actors and not sources:
            return  # OK on an untouched form: nothing to undo, nothing unsaved
        pos = -1 if event is None else self.doc.position_of(event.id)
        if self.briefing is not made_on:  # another briefing was opened while the form was
            result, actors, sources = _carried(result, made_on, self.briefing, actors,
                                               sources, keep_id=pos >= 0)
        parts = None
        if actors or sources:
            parts = {"actors": self.briefing.actors + actors,
                     "sources": self.briefing.sources + sources}
        if pos < 0:
            self._push(InsertEvents(self.doc, [(len(self.briefing.events), result)], "Add", parts))
        else:
            self._push(ReplaceEvents(self.doc, [(pos, result)], f"Edit '{result.title}'", parts))

    # many events -----------------------------------------------------------------------------
    def duplicate(self) -> None:
        events = self.selected()
        if not events:
            return
        copies = clipboard.duplicates(events, (e.id for e in self.briefing.events))
        end = len(self.briefing.events)
        self._push(InsertEvents(self.doc, [(end + i, c) for i, c in enumerate(copies)],
                                "Duplicate"))

    def delete(self, verb: str = "Delete") -> None:
        events = self.selected()
        if events:
            positions = [p for p in self.doc.positions_of(events) if p >= 0]
            self._push(RemoveEvents(self.doc, positions, verb))

    def change_tag(self, add: bool) -> None:
        events = self.selected()
        if not events:
            return
        verb = "Add Tag" if add else "Remove Tag"
        choices = self.briefing.tags() if add else sorted({t for e in events for t in e.tags})
        tag = ask_item(self.parent, verb, "Tag:", choices, editable=add)
        if not tag:
            return
        # Typed "a, b": two tags, as the event form's comma-separated field reads it. One
        # tag "a, b" showed there as two, and the form's next edit of them split it.
        # (Removing takes a tag as listed: one from another tool may hold a comma.)
        from ..model.importing import split_list  # loaded when first needed, not at start-up

        added = split_list(tag, ",") if add else [tag]
        if not added:
            return
        tag = ", ".join(added)
        if len(added) > 1:
            verb = "Add Tags"
        changed = []
        for e, pos in zip(events, self.doc.positions_of(events), strict=True):
            if add:
                tags = e.tags
                for one in added:
                    tags = _with(tags, one)
            else:
                tags = _without(e.tags, tag)
            if tags != e.tags and pos >= 0:
                changed.append((pos, replace(e, tags=tags)))
        if changed:
            self._push(ReplaceEvents(self.doc, changed, f"{verb} '{tag}'"))

    def change_actor(self, add: bool) -> None:
        events = self.selected()
        if not events:
            return
        verb = "Add Actor" if add else "Remove Actor"
        pool = self.briefing.actors if add else [
            a for a in self.briefing.actors if any(a.id in e.actors for e in events)]
        names = [a.name for a in pool]
        name = ask_item(self.parent, verb, "Actor:", names, editable=False)
        actor = next((a for a in pool if a.name == name), None)
        if actor is None:
            return
        changed = []
        for e, pos in zip(events, self.doc.positions_of(events), strict=True):
            actors = _with(e.actors, actor.id) if add else _without(e.actors, actor.id)
            if actors != e.actors and pos >= 0:
                changed.append((pos, replace(e, actors=actors)))
        if changed:
            self._push(ReplaceEvents(self.doc, changed, f"{verb} '{actor.name}'"))

    # clipboard ---------------------------------------------------------------------------------
    def copy(self) -> bool:
        events = self.selected()
        if not events:
            return False
        mime = QMimeData()
        payload = clipboard.copy_json(self.briefing, events)
        mime.setData(clipboard.MIME_TYPE, payload.encode("utf-8"))
        mime.setText(clipboard.copy_text(self.briefing, events))
        QApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete("Cut")

    def paste(self) -> None:
        mime = QApplication.clipboard().mimeData()
        if mime is None:
            return
        if mime.hasFormat(clipboard.MIME_TYPE):
            text = bytes(mime.data(clipboard.MIME_TYPE).data()).decode("utf-8", "replace")
        elif mime.hasText() and mime.text().lstrip().startswith("{"):
            text = mime.text()
        else:
            dialogs.show_error(self.parent, "Nothing to paste",
                               "The clipboard holds no events. Copy events in Briefing first.")
            return
        try:
            pasted = clipboard.parse_pasted(text)
        except LoadError as exc:
            dialogs.show_error(self.parent, "Cannot paste", "The clipboard holds no valid "
                               "briefing events.", "\n".join(exc.problems))
            return
        self.add_briefing(pasted, "Paste")

    def add_briefing(self, incoming: Briefing, verb: str) -> int:
        """Add the events of `incoming` (pasted, or a file's) as one command Undo takes
        back: ids made unique, its sources and actors matched with this briefing's or
        added. The number of events added."""
        events, sources, actors = clipboard.merge_for_paste(self.briefing, incoming)
        if not events:
            return 0
        parts = None
        if sources or actors:
            parts = {"actors": self.briefing.actors + actors,
                     "sources": self.briefing.sources + sources}
        end = len(self.briefing.events)
        self._push(InsertEvents(self.doc, [(end + i, e) for i, e in enumerate(events)],
                                verb, parts))
        return len(events)

    def copy_quote(self) -> None:
        event = self.current()
        if event is None or not event.quotes:
            return
        quote = event.quotes[0]
        if len(event.quotes) > 1:
            labels = [f"{i + 1}. {q.text[:70]}" for i, q in enumerate(event.quotes)]
            choice = ask_item(self.parent, "Copy Quote", "Quote:", labels, editable=False)
            if choice is None:
                return
            quote = event.quotes[labels.index(choice)]
        text = clipboard.quote_with_citation(quote, self.briefing.source(quote.source))
        QApplication.clipboard().setText(text)
