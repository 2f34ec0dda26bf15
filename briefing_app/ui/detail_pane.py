"""The detail pane: an event or the briefing summary as safe rich text; links never navigate."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QStatusTipEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from ..model.briefing import Briefing, Event
from ..model.markdown import reveal_invisible
from ..render.rich_text import (
    ORIG_SCHEME,
    SafeTextDocument,
    briefing_html,
    event_html,
    parse_orig_link,
)
from .plain import tip

_EXTERNAL_SCHEMES = ("http", "https", "mailto")
MAX_SHOWN_ID = 60  # characters of a link's event id shown in the status bar


def no_event_message(event_id: str) -> str:
    """What an `event:` link to an id the briefing lacks says (a typo, a deleted event).

    The id is a note's text, so untrusted: capped, zero-width and bidi characters revealed,
    and repr() escapes line breaks and other controls.
    """
    if len(event_id) > MAX_SHOWN_ID:
        event_id = event_id[:MAX_SHOWN_ID - 1] + "…"
    return f"No event {reveal_invisible(event_id)!r} in this briefing"


def open_external(url: QUrl) -> None:
    """Hand `url` to the system browser or mail client; tests replace this."""
    QDesktopServices.openUrl(url)


class DetailPane(QTextBrowser):
    """Shows what it is given; reports event links through `event_link_clicked`."""

    event_link_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(SafeTextDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Event details")
        self._briefing: Briefing | None = None
        self._event: Event | None = None
        self._terms: tuple[str, ...] = ()
        self._expanded: set[tuple[str, int]] = set()
        self._years: tuple[int, int] | None = None
        self._keyboard_link = ""  # the link Tab last moved to, described in the status bar
        self.anchorClicked.connect(self._follow_link)
        self.highlighted.connect(self._show_link_target)

    def show_event(self, briefing: Briefing, event: Event, terms: Sequence[str] = ()) -> None:
        same = self._event is not None and self._event.id == event.id
        if not same:
            self._expanded.clear()
        self._briefing, self._event, self._terms = briefing, event, tuple(terms)
        self._render_event(keep_scroll=same)

    def show_briefing(self, briefing: Briefing, years: tuple[int, int] | None = None) -> None:
        """The summary; `years` as rich_text.briefing_html takes it."""
        self._briefing, self._event, self._years = briefing, None, years
        self._expanded.clear()
        self._set_html(briefing_html(briefing, years))
        self.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self._briefing = self._event = None
        self._expanded.clear()
        super().clear()

    def _set_html(self, html: str) -> None:
        # Links take the palette's link colour, so they read in light and dark alike.
        # The application palette: a text edit's own palette keeps the platform's blue.
        link = QApplication.palette().color(QPalette.ColorRole.Link).name()
        self.document().setDefaultStyleSheet(f"a {{ color: {link}; }}")
        self.setHtml(html)
        if self._keyboard_link:  # the text it was in is gone, and the keys' place with it
            self._keyboard_link = ""
            self._show_link_target(QUrl())

    def event(self, event: QEvent) -> bool:
        # Ctrl+C on words selected here copies them, not the event (Edit > Copy, the
        # window's shortcut, which takes the key otherwise: a browser's text is not
        # keyboard-selectable, so Qt would not let the pane have it).
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Copy)
                and self.textCursor().hasSelection()):
            event.accept()
            return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab / Shift+Tab move between the links here. Qt tells of a link under the mouse
        # (`highlighted`), not of one the keys reached: say where it leads before Return
        # opens it, as hovering does.
        moved = super().focusNextPrevChild(next)
        link = ""
        cursor = self.textCursor()
        if moved and cursor.hasSelection():
            # The format before the cursor's position: Shift+Tab leaves the position at
            # the link's start (the anchor at its end), where the text before it is.
            end = QTextCursor(cursor)
            end.setPosition(cursor.selectionEnd())
            link = end.charFormat().anchorHref()
        if link != self._keyboard_link:
            self._keyboard_link = link
            self._show_link_target(QUrl(link))
        return moved

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self._keyboard_link:
            self._keyboard_link = ""
            self._show_link_target(QUrl())

    def changeEvent(self, event: QEvent) -> None:
        # Qt bakes the link colour into the document when the HTML is parsed: re-render
        # so links stay readable after a switch between light and dark.
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            if self._event is not None:
                self._render_event(keep_scroll=True)
            elif self._briefing is not None:
                self.show_briefing(self._briefing, self._years)

    # QTextBrowser loads `name` from disk here; this pane only ever shows what it was given.
    def setSource(self, name: QUrl, kind=None) -> None:
        pass

    def doSetSource(self, name: QUrl, kind=None) -> None:
        pass

    def _render_event(self, keep_scroll: bool) -> None:
        assert self._briefing is not None and self._event is not None
        bar = self.verticalScrollBar()
        position = bar.value() if keep_scroll else 0
        self._set_html(event_html(self._briefing, self._event, self._terms, self._expanded))
        bar.setValue(position)

    def _follow_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme in _EXTERNAL_SCHEMES and (url.host() or scheme == "mailto"):
            open_external(url)
        elif scheme == "event":
            event_id = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
            if event_id:
                self.event_link_clicked.emit(event_id)
        elif scheme == ORIG_SCHEME:
            self._toggle_original(url)
        # Anything else (javascript:, file:, data:, relative paths) is deliberately ignored.

    def _toggle_original(self, url: QUrl) -> None:
        key = parse_orig_link(url.toString())
        event = self._event
        if key is None or event is None or key[0] != event.id or key[1] >= len(event.quotes):
            return
        # Return on a link Tab reached: the keys stay on it. A click must not select it:
        # Ctrl+C would copy the words "hide original" instead of the event.
        keys_on_link = self._keyboard_link == url.toString()
        self._expanded ^= {key}
        self._render_event(keep_scroll=True)
        self._back_to_link(url.toString(), reveal=key in self._expanded, select=keys_on_link)

    def _back_to_link(self, href: str, reveal: bool, select: bool = True) -> None:
        """After a re-render, the keys' place is the link again (Return hides what it
        showed, Tab goes on from there) rather than the top of the pane; and the original
        it showed is scrolled into view: shown below the fold it looked like nothing.
        `select`: the link is selected, as Tab left it (not after a click)."""
        document = self.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().anchorHref() == href:
                    if reveal and block.next().isValid():
                        end = QTextCursor(block.next())
                        end.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                        self.setTextCursor(end)
                        self.ensureCursorVisible()
                    link = QTextCursor(document)
                    link.setPosition(fragment.position())
                    if select:
                        link.setPosition(fragment.position() + fragment.length(),
                                         QTextCursor.MoveMode.KeepAnchor)
                    self.setTextCursor(link)
                    self.ensureCursorVisible()
                    if select:  # as focusNextPrevChild left it: Return works again
                        self._keyboard_link = href
                        self._show_link_target(QUrl(href))
                    return
                it += 1
            block = block.next()

    def _show_link_target(self, url: QUrl) -> None:
        text = self._describe_link(url) if not url.isEmpty() else ""
        self.setToolTip(tip(text))  # a title or id is the file's text (plain.py)
        # Propagates up to the main window, which shows it in its status bar.
        QApplication.sendEvent(self, QStatusTipEvent(text))

    def _describe_link(self, url: QUrl) -> str:
        scheme = url.scheme().lower()
        if scheme == "event":
            event_id = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
            target = self._briefing.event(event_id) if self._briefing else None
            if target is None:
                return no_event_message(event_id)
            return f"Go to event: {reveal_invisible(target.title)}"
        if scheme == ORIG_SCHEME:
            return "Show or hide the original wording"
        real = reveal_invisible(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        return real if scheme in _EXTERNAL_SCHEMES else f"{real} (not opened)"
