"""The window's actions and menus, declared in one place with their shortcuts.

Keys that belong to a text field or a list (arrows, Home/End, Return, Delete) are not bound
here: the widgets that own them handle them, so a window-wide shortcut never steals them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from .appearance import MODES

Std = QKeySequence.StandardKey


class Actions:
    """Creates every QAction of the main window and the menus that hold them."""

    def __init__(self, window: QMainWindow, undo_stack: QUndoStack) -> None:
        self.window = window
        self.new = self._make("&New Briefing", Std.New, "Start an empty briefing",
                              "document-new")
        self.open = self._make("&Open…", Std.Open, "Open a briefing file", "document-open")
        self.save = self._make("&Save", Std.Save, "Save the briefing", "document-save")
        self.save_as = self._make("Save &As…", QKeySequence("Ctrl+Shift+S"),
                                  "Save the briefing under a new name", "document-save-as")
        self.revert = self._make("Re&vert", None, "Drop every change since the last save",
                                 "document-revert")
        self.undo = undo_stack.createUndoAction(window, "&Undo")
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo = undo_stack.createRedoAction(window, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo, self.redo):
            window.addAction(action)
        self.new_event = self._make("&New Event…", QKeySequence("Ctrl+Shift+N"),
                                    "Add an event", "list-add")
        # Return in the list/timeline arrives through their own `activated` signals, so
        # Return in the search field keeps working.
        self.edit_event = self._make("&Edit Event…", None,
                                     "Edit the current event (Return or double-click)",
                                     "document-edit")
        self.duplicate = self._make("Dupl&icate", QKeySequence("Ctrl+D"),
                                    "Duplicate the selected events", "edit-copy")
        # The Delete key explicitly: on X11 StandardKey.Delete also means Ctrl+D, which
        # would make Duplicate and Delete cancel each other out.
        self.delete = self._make("&Delete", QKeySequence(Qt.Key.Key_Delete),
                                 "Delete the selected events (undo brings them back)",
                                 "edit-delete")
        self.cut = self._make("Cu&t", QKeySequence("Ctrl+X"), "Cut the selected events",
                              "edit-cut")
        self.copy = self._make("&Copy", QKeySequence("Ctrl+C"), "Copy the selected events",
                               "edit-copy")
        self.paste = self._make("&Paste", QKeySequence("Ctrl+V"), "Paste events",
                                "edit-paste")
        self.copy_quote = self._make("Copy &Quote with Citation", QKeySequence("Ctrl+Shift+C"),
                                     "Copy a quote of the current event with its source")
        self.add_tag = self._make("Add Ta&g…", None, "Add a tag to the selected events")
        self.remove_tag = self._make("Re&move Tag…", None,
                                     "Remove a tag from the selected events")
        self.add_actor = self._make("Add Act&or…", None, "Add an actor to the selected events")
        self.remove_actor = self._make("Remo&ve Actor…", None,
                                       "Remove an actor from the selected events")
        # Ctrl+Shift+E, not Ctrl+E: Ctrl+E is end-of-line in X11 text fields.
        self.export_pdf = self._make("&PDF…", QKeySequence("Ctrl+Shift+E"),
                                     "Export the briefing as a PDF document")
        self.export_csv = self._make("&CSV…", None, "Export the events as a spreadsheet (CSV)")
        self.export_timelinejs = self._make("&TimelineJS…", None,
                                            "Export for Knight Lab TimelineJS")
        self.export_md = self._make("&Markdown…", None, "Export the briefing as Markdown")
        # Not "Import events": that read as adding them to the open briefing, which an
        # import closes (to add them, copy them from the new briefing and paste).
        self.add_events = self._make("A&dd Events from File…", None,
                                     "Add the events of a CSV, TimelineJS or briefing file "
                                     "to this briefing (Undo takes them out again)")
        self.import_events = self._make("&Import as New Briefing…", None,
                                        "Open a CSV or TimelineJS file as a new, unsaved "
                                        "briefing in place of the open one")
        self.print = self._make("&Print…", Std.Print, "Print the briefing", "document-print")
        self.print_preview = self._make("Print Previe&w…", QKeySequence("Ctrl+Shift+P"),
                                        "Preview the printed briefing", "document-print-preview")
        self.properties = self._make("&Briefing Properties…", None,
                                     "Edit the briefing's title, summary and handling line")
        self.manage = self._make("&Actors and Sources…", None,
                                 "Add, rename, recolour or delete actors and sources")
        self.quit = self._make("&Quit", [Std.Quit, QKeySequence("Ctrl+Q")], "Quit Briefing",
                               "application-exit")
        self.find = self._make("&Find…", Std.Find, "Search and filter the events", "edit-find")
        self.clear_filter = self._make("C&lear Filter", None, "Show all events again")
        self.zoom_in = self._make("Zoom &In", [Std.ZoomIn, QKeySequence("Ctrl+=")],
                                  "Zoom the timeline in around the cursor", "zoom-in")
        self.zoom_out = self._make("Zoom &Out", Std.ZoomOut, "Zoom the timeline out",
                                   "zoom-out")
        self.fit_all = self._make("&Fit All", QKeySequence("Ctrl+0"),
                                  "Show every event on the timeline", "zoom-fit-best")
        self.show_sources = None  # the dock's own toggle action, set by the window
        self.next_event = self._make("&Next Event", QKeySequence("Alt+Down"),
                                     "Select the next event", "go-next")
        self.previous_event = self._make("&Previous Event", QKeySequence("Alt+Up"),
                                         "Select the previous event", "go-previous")
        self.first_event = self._make("&First Event", QKeySequence("Alt+Home"),
                                      "Select the first event", "go-first")
        self.last_event = self._make("&Last Event", QKeySequence("Alt+End"),
                                     "Select the last event", "go-last")
        # Not StandardKey.Back/Forward: they include Backspace, which belongs to text fields.
        self.back = self._make("&Back", QKeySequence("Alt+Left"),
                               "Go back in the selection history", "go-previous")
        self.forward = self._make("F&orward", QKeySequence("Alt+Right"),
                                  "Go forward in the selection history", "go-next")
        # Esc in the list or the timeline too; not a window shortcut: Esc belongs to the
        # find field (it clears it) and to dialogs.
        self.summary = self._make("Briefing &Summary", None,
                                  "Show the briefing's summary: no event selected (Esc in "
                                  "the list or the timeline)", "go-home")
        self.about = self._make("&About Briefing", None, "Version and credits", "help-about")
        self.lane_modes = self._group(("actor", "By &Actor"), ("tag", "By &Tag"),
                                      ("single", "&Single Lane"))
        self.appearance_modes = self._group(*[(m, f"&{m.title()}") for m in MODES])
        self.recent_menu = QMenu("Open &Recent", window)

    def _make(self, text: str, keys, tip: str, icon: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            sequences = keys if isinstance(keys, list) else [keys]
            shortcuts: list[QKeySequence] = []
            for k in sequences:
                for key in QKeySequence.keyBindings(k) if isinstance(k, Std) else [k]:
                    if key not in shortcuts:
                        shortcuts.append(key)
            action.setShortcuts(shortcuts)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if icon:
            action.setIcon(QIcon.fromTheme(icon))
        self.window.addAction(action)
        return action

    def _group(self, *items: tuple[str, str]) -> QActionGroup:
        group = QActionGroup(self.window)
        group.setExclusive(True)
        for key, text in items:
            action = QAction(text, group, checkable=True)
            action.setData(key)
        return group

    @staticmethod
    def check(group: QActionGroup, key: str) -> None:
        for action in group.actions():
            action.setChecked(action.data() == key)

    @staticmethod
    def on_choice(group: QActionGroup, slot: Callable[[str], None]) -> None:
        group.triggered.connect(lambda action: slot(action.data()))

    def build_menus(self, sources_toggle: QAction) -> None:
        bar = self.window.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new, self.open])
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.save, self.save_as, self.revert])
        self.export_menu = file.addMenu("&Export")
        self.export_menu.addActions([self.export_pdf, self.export_csv, self.export_timelinejs,
                                     self.export_md])
        file.insertAction(self.export_menu.menuAction(), self.import_events)
        file.insertAction(self.export_menu.menuAction(), self.add_events)
        file.addActions([self.print_preview, self.print])
        file.addSeparator()
        file.addAction(self.properties)
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.new_event, self.edit_event, self.duplicate, self.delete])
        edit.addSeparator()
        edit.addActions([self.cut, self.copy, self.paste, self.copy_quote])
        edit.addSeparator()
        edit.addActions([self.add_tag, self.remove_tag, self.add_actor, self.remove_actor])
        edit.addSeparator()
        edit.addAction(self.manage)
        edit.addSeparator()
        edit.addAction(self.find)
        edit.addAction(self.clear_filter)
        view = bar.addMenu("&View")
        view.addAction(self.zoom_in)
        view.addAction(self.zoom_out)
        view.addAction(self.fit_all)
        view.addSeparator()
        lanes = view.addMenu("&Lanes")
        lanes.addActions(self.lane_modes.actions())
        appearance = view.addMenu("A&ppearance")
        appearance.addActions(self.appearance_modes.actions())
        view.addSeparator()
        sources_toggle.setText("&Sources")  # the dock's title, with an access key
        view.addAction(sources_toggle)
        go = bar.addMenu("&Go")
        for action in (self.previous_event, self.next_event, self.first_event, self.last_event):
            go.addAction(action)
        go.addSeparator()
        go.addAction(self.summary)
        go.addSeparator()
        go.addAction(self.back)
        go.addAction(self.forward)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about)

    def build_toolbar(self, filter_bar) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.open)
        toolbar.addAction(self.save)
        toolbar.addSeparator()
        toolbar.addAction(self.new_event)
        toolbar.addSeparator()
        toolbar.addAction(self.zoom_out)
        toolbar.addAction(self.zoom_in)
        toolbar.addAction(self.fit_all)
        # The find field in a toolbar of its own, so that a narrow window (half a laptop
        # screen) puts it on a second row instead of behind the "»" overflow button.
        find = self.window.addToolBar("Find")
        find.setObjectName("find_toolbar")
        find.setMovable(False)
        find.addWidget(filter_bar)
        self._toolbars = (toolbar, find)

    def fit_toolbars(self, width: int) -> None:
        """One row of toolbars when both fit in `width`, else the find field below."""
        main, find = self._toolbars
        wanted = main.sizeHint().width() + find.minimumSizeHint().width()
        below = self.window.toolBarBreak(find)
        if width < wanted and not below:
            self.window.insertToolBarBreak(find)
        elif width >= wanted and below:
            self.window.removeToolBarBreak(find)
