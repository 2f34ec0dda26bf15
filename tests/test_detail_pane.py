"""The detail pane and the Sources dock: what an event shows; links never load or navigate."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMainWindow

from briefing_app.model.briefing import Actor, Briefing, Event, Quote, Source
from briefing_app.model.dates import parse_date
from briefing_app.render import rich_text
from briefing_app.render.rich_text import (
    SafeTextDocument,
    event_html,
    orig_link,
    parse_orig_link,
)
from briefing_app.ui import detail_pane
from briefing_app.ui.detail_pane import DetailPane
from briefing_app.ui.sources_dock import SourcesDock

TRANSLATED = "callao-base-groundbreaking"


@pytest.fixture
def pane(qtbot):
    widget = DetailPane()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def opened(monkeypatch):
    """The URLs handed to the system browser."""
    urls = []
    monkeypatch.setattr(detail_pane, "open_external", lambda url: urls.append(url.toString()))
    return urls


def laid_out(pane):
    """Force layout: images are requested when the document is laid out, not when parsed."""
    pane.document().setTextWidth(600)
    pane.document().size()
    return pane


def hostile_event(briefing):
    notes = ('<script>alert("pwned")</script>Before the images.\n\n'
             '<img src="http://tracker.example/pixel.png" alt="pixel">\n\n'
             "![host](/etc/hostname) ![pw](file:///etc/passwd)\n\n"
             '[run](javascript:alert(1)) [local](file:///etc/passwd)')
    return Event("hostile", "Hostile notes", parse_date("2024"), notes=notes,
                 quotes=[Quote("Said it.", briefing.sources[0].id)])


def test_pane_is_named_for_assistive_technology(pane):
    assert pane.accessibleName() == "Event details"
    assert isinstance(pane.document(), SafeTextDocument)


def test_quote_shows_its_attribution(pane, briefing):
    event = briefing.event(TRANSLATED)
    pane.show_event(briefing, event)
    source = briefing.source(event.quotes[0].source)
    text = pane.toPlainText()
    assert event.quotes[0].text in text
    assert source.title in text and source.publisher in text
    assert "grade A1 (completely reliable; confirmed by other sources)" in text


@pytest.mark.parametrize("url, linked", [("https://example.org/a", True),
                                         ("file:///etc/passwd", False), ("https:no-host", False)])
def test_a_quote_s_source_is_linked_only_to_the_web_and_shows_its_date(url, linked):
    briefing = Briefing(sources=[Source("s", "Report", "Agency", url,
                                        published=parse_date("2024-11-14"))])
    event = Event("e", "E", parse_date("2024"), quotes=[Quote("Words.", "s")])
    html = event_html(briefing, event)
    assert "Report</a>, Agency, 14 Nov 2024" in html if linked else (
        "— Report, Agency, 14 Nov 2024" in html and "<a " not in html)


def test_event_header_shows_date_precision_actors_and_estimates(pane, briefing):
    event = briefing.event(TRANSLATED)
    pane.show_event(briefing, event)
    text = pane.toPlainText()
    assert f"{event.date.label()} — {event.date.describe()}" in text
    assert briefing.actor(event.actors[0]).name in text
    assert "Likelihood: almost certain · Confidence: high" in text


def test_an_event_with_an_end_describes_both_in_order(briefing):
    event = Event("e", "Span", parse_date("2019"), parse_date("c. 2020-06"))
    assert "from year, 2019 to month, approximate, Jun 2020" in event_html(briefing, event)


def test_actors_without_a_colour_get_the_timeline_s_as_chips(briefing):
    from briefing_app.model.layout import actor_colors

    event = next(e for e in briefing.events if len(e.actors) > 1)
    for actor in briefing.actors:
        actor.color = ""  # as every imported actor
    event.actors.append("not-listed")
    html = event_html(briefing, event)
    colors = actor_colors(briefing)
    for actor_id in event.actors[:-1]:
        assert f"background-color:{colors[actor_id]}" in html
    assert html.count("background-color:") == len(event.actors)


def test_an_actor_chip_s_text_contrasts_with_its_colour():
    briefing = Briefing(actors=[Actor("a", "Light", "#ffe066"), Actor("b", "Dark", "#1f5fbf"),
                                Actor("c", "Mid", "#8a8a8a")])
    html = event_html(briefing, Event("e", "E", parse_date("2024"), actors=["a", "b", "c"]))
    assert "background-color:#ffe066; color:#000000" in html
    assert "background-color:#1f5fbf; color:#ffffff" in html
    assert "background-color:#8a8a8a; color:#000000" in html  # luminance 0.25: black wins


def test_an_actor_chip_wraps_as_a_whole(qapp, briefing):
    event = next(e for e in briefing.events if "us" in e.actors and len(e.actors) > 2)
    doc = SafeTextDocument()
    doc.setHtml(event_html(briefing, event))
    doc.setTextWidth(330)  # the chips do not fit on one line
    doc.size()  # lays it out
    block = doc.find("Actors").block()
    layout = block.layout()
    lines = [block.text()[layout.lineAt(i).textStart():][:layout.lineAt(i).textLength()]
             for i in range(layout.lineCount())]
    assert len(lines) > 1
    assert any("United\xa0States\xa0(government)" in line for line in lines), lines


def test_hostile_notes_show_no_script_and_load_nothing(pane, briefing, resource_requests):
    laid_out(pane).show_event(briefing, hostile_event(briefing))
    laid_out(pane)
    text, html = pane.toPlainText(), pane.toHtml()
    assert "Before the images." in text
    assert "pwned" not in text and "<script" not in html
    assert "[image: pixel]" in text and "[image: host]" in text and "[image: pw]" in text
    assert "tracker.example" not in html and "/etc/" not in html
    assert resource_requests == [] and SafeTextDocument.refused == []


@pytest.mark.parametrize("src, allowed", [
    ("http://tracker.example/pixel.png", False),
    ("/etc/hostname", False),
    ("file:///etc/passwd", False),
    ("app:../pyproject.toml", False),
    ("app:%2e%2e/pyproject.toml", False),
    ("app:icons/briefing.svg", True),
])
def test_document_opens_only_app_resources(qtbot, src, allowed, monkeypatch):
    monkeypatch.setattr(SafeTextDocument, "refused", [])
    document = SafeTextDocument()
    document.setHtml(f'<p>x<img src="{src}"></p>')
    document.setTextWidth(600)
    document.size()
    assert (SafeTextDocument.refused == []) == allowed


def test_app_resources_are_files_inside_resources_only(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QTextDocument

    root = tmp_path / "resources"
    (root / "icons").mkdir(parents=True)
    (root / "icons" / "ok.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "icons" / "out.svg").symlink_to(tmp_path / "secret.txt")  # a link out
    monkeypatch.setattr(rich_text, "resources_dir", lambda: root)
    monkeypatch.setattr(SafeTextDocument, "refused", [])
    document = SafeTextDocument()
    kind = QTextDocument.ResourceType.StyleSheetResource
    loaded = {name: bytes(document.loadResource(kind, QUrl(f"app:{name}")).data())
              for name in ("icons/ok.svg", "icons/out.svg", "icons")}
    assert loaded == {"icons/ok.svg": b"<svg/>", "icons/out.svg": b"", "icons": b""}
    assert SafeTextDocument.refused == ["app:icons/out.svg", "app:icons"]


def test_refused_image_is_not_read_from_disk_behind_our_back(qtbot, tmp_path, monkeypatch):
    # Qt reads an image path itself when the loader returns nothing; a blank must stand in.
    from PySide6.QtGui import QColor, QImage

    picture = tmp_path / "big.png"
    image = QImage(300, 300, QImage.Format.Format_ARGB32)
    image.fill(QColor("red"))
    image.save(str(picture))
    monkeypatch.setattr(SafeTextDocument, "refused", [])
    document = SafeTextDocument()
    document.setHtml(f'<p><img src="{picture}"></p>')
    document.setTextWidth(600)
    assert document.size().height() < 100
    assert SafeTextDocument.refused == [str(picture)]


def test_event_link_emits_the_event_id(pane, briefing, qtbot):
    pane.show_event(briefing, briefing.event(TRANSLATED))
    with qtbot.waitSignal(pane.event_link_clicked) as blocker:
        pane.anchorClicked.emit(QUrl("event:navy-master-plan"))
    assert blocker.args == ["navy-master-plan"]


def test_web_link_opens_in_the_system_browser(pane, briefing, opened):
    pane.show_event(briefing, briefing.event(TRANSLATED))
    pane.anchorClicked.emit(QUrl("https://example.org/report"))
    assert opened == ["https://example.org/report"]


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "notes.html",
    "/etc/hostname", "orig:someone-else:0", "orig:nonsense",
])
def test_other_links_do_nothing(pane, briefing, opened, qtbot, link):
    pane.show_event(briefing, briefing.event(TRANSLATED))
    before = pane.toHtml()
    with qtbot.assertNotEmitted(pane.event_link_clicked):
        pane.anchorClicked.emit(QUrl(link))
    assert opened == [] and pane.toHtml() == before


@pytest.mark.parametrize("link, key", [
    (orig_link("a:b c/é", 3), ("a:b c/é", 3)),
    ("https://example.org:8080", None),
    ("orig:e1:x", None),
])
def test_an_orig_link_reads_back_and_nothing_else_reads_as_one(link, key):
    assert parse_orig_link(link) == key


def test_pane_never_navigates(pane, briefing):
    pane.show_event(briefing, briefing.event(TRANSLATED))
    before = pane.toHtml()
    pane.setSource(QUrl.fromLocalFile("/etc/hostname"))
    pane.reload()
    assert pane.toHtml() == before


def test_translated_quote_toggles_its_original(pane, briefing):
    event = briefing.event(TRANSLATED)
    original = event.quotes[0].original
    pane.show_event(briefing, event)
    assert "translated" in pane.toPlainText() and original not in pane.toPlainText()
    pane.anchorClicked.emit(QUrl(orig_link(event.id, 0)))
    assert original in pane.toPlainText()
    pane.anchorClicked.emit(QUrl(orig_link(event.id, 0)))
    assert original not in pane.toPlainText()


@pytest.mark.parametrize("years, shown", [(("2019", "2024"), "2019–2024"),
                                          (("2024",), "· 2024")])
def test_the_summary_counts_what_the_briefing_holds_and_its_years(years, shown):
    briefing = Briefing(events=[Event(f"e{i}", "E", parse_date(y)) for i, y in enumerate(years)])
    html = rich_text.briefing_html(briefing)
    assert f"{len(years)} event" in html and shown in html and "2024–2024" not in html


def test_untranslated_quote_has_no_mark(briefing):
    event = briefing.event(TRANSLATED)
    plain = Event("plain", "Plain", event.date, quotes=[Quote("Words.", event.quotes[0].source)])
    assert "translated" not in event_html(briefing, plain)


def test_search_terms_are_highlighted(pane, briefing):
    pane.show_event(briefing, briefing.event(TRANSLATED), terms=["usace"])
    assert "#ffe066" in pane.toHtml()


def test_new_event_starts_at_the_top(pane, briefing, qtbot):
    pane.resize(300, 150)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_event(briefing, briefing.event(TRANSLATED))
    pane.verticalScrollBar().setValue(pane.verticalScrollBar().maximum())
    assert pane.verticalScrollBar().value() > 0
    pane.show_event(briefing, briefing.events[0])
    assert pane.verticalScrollBar().value() == 0


def test_toggling_an_original_keeps_the_reading_place(pane, briefing, qtbot):
    pane.resize(300, 150)
    pane.show()
    qtbot.waitExposed(pane)
    event = briefing.event(TRANSLATED)
    pane.show_event(briefing, event)
    bar = pane.verticalScrollBar()
    bar.setValue(bar.maximum())
    place = bar.value()
    pane.anchorClicked.emit(QUrl(orig_link(event.id, 0)))
    # No jump to the top; at the bottom, down just far enough to show the original.
    assert bar.value() >= place > 0
    assert _in_view(pane, "Original:")
    pane.anchorClicked.emit(QUrl(orig_link(event.id, 0)))  # hidden again
    assert bar.value() == bar.maximum() >= place


def _in_view(pane, text):
    found = pane.document().find(text)
    assert not found.isNull()
    rect = pane.cursorRect(found)
    return 0 <= rect.top() and rect.bottom() <= pane.viewport().height()


def test_return_on_show_original_keeps_the_keys_there_and_shows_it(qtbot, briefing):
    """Return re-rendered the pane: the keys' place went back to the top (the next Tab
    landed on the first link of the notes, Return no longer hid the original), and an
    original below the fold did not show at all."""
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(500, 180)
    pane.show()
    qtbot.waitExposed(pane)
    event = briefing.event("navarro-confirmed-ambassador")
    pane.show_event(briefing, event)
    pane.setFocus()
    for _ in range(20):
        qtbot.keyClick(pane, Qt.Key.Key_Tab)
        if pane.textCursor().charFormat().anchorHref().startswith("orig:"):
            break
    href = pane.textCursor().charFormat().anchorHref()
    assert href.startswith("orig:")
    qtbot.keyClick(pane, Qt.Key.Key_Return)
    assert "Original:" in pane.toPlainText()
    assert pane.textCursor().charFormat().anchorHref() == href
    assert pane.textCursor().selectedText() == "hide original"
    assert _in_view(pane, "Original:")
    qtbot.keyClick(pane, Qt.Key.Key_Return)
    assert "Original:" not in pane.toPlainText()
    assert pane.textCursor().selectedText() == "show original"


def test_hovering_a_link_shows_the_real_url(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = window.statusBar()
    pane = DetailPane()
    window.setCentralWidget(pane)
    pane.highlighted.emit(QUrl("https://example.org/real"))
    assert pane.toolTip() == "https://example.org/real"
    assert status.currentMessage() == "https://example.org/real"
    pane.highlighted.emit(QUrl())
    assert status.currentMessage() == ""


def test_hovering_a_link_to_no_event_says_so(pane, briefing):
    pane.show_event(briefing, briefing.event(TRANSLATED))
    pane.highlighted.emit(QUrl("event:navy-master-plan"))
    assert pane.toolTip().startswith("Go to event: ")
    pane.highlighted.emit(QUrl("event:nonexistent"))
    assert pane.toolTip() == "No event 'nonexistent' in this briefing"


@pytest.mark.parametrize("link, title", [
    ("event:%3Cimg%20src=%22/etc/hostname%22%3E", None),
    ("event:tagged", '<img src="/etc/hostname"> <b>bold</b>'),
])
def test_link_tooltips_show_markup_as_typed(pane, briefing, link, title):
    from PySide6.QtGui import QTextDocument

    if title is not None:
        briefing.events.append(Event("tagged", title, parse_date("2024")))
    pane.show_event(briefing, briefing.event(TRANSLATED))
    pane.highlighted.emit(QUrl(link))
    shown = QTextDocument()
    shown.setHtml(pane.toolTip())  # as Qt draws a tooltip it takes for rich text
    expected = (f"Go to event: {title}" if title else
                "No event '<img src=\"/etc/hostname\">' in this briefing")
    assert shown.toPlainText() == expected


def test_briefing_summary_and_clear(pane, briefing):
    pane.show_briefing(briefing)
    text = pane.toPlainText()
    assert briefing.title in text and briefing.classification in text
    assert f"{len(briefing.events)} events" in text
    pane.clear()
    assert pane.toPlainText() == ""
    assert isinstance(pane.document(), SafeTextDocument)


def test_bidi_override_in_a_title_is_revealed(briefing):
    event = Event("bidi", "Invoice \u202egpj.exe", parse_date("2024"))
    assert "Invoice ⟦U+202E⟧gpj.exe" in rich_text.event_html(briefing, event)


# --- Sources dock ---------------------------------------------------------------------


@pytest.fixture
def dock(qtbot, briefing):
    widget = SourcesDock()
    qtbot.addWidget(widget)
    widget.set_briefing(briefing)
    widget.show()  # the dock fills its tree only when shown (it starts hidden)
    return widget


def test_hidden_dock_builds_nothing(qtbot, briefing):
    from briefing_app.ui.sources_dock import SourcesDock

    widget = SourcesDock()
    qtbot.addWidget(widget)
    widget.set_briefing(briefing)
    assert widget.tree.topLevelItemCount() == 0
    widget.show()
    assert widget.tree.topLevelItemCount() == len(briefing.sources)


def test_dock_lists_every_source_with_its_citing_events(dock, briefing):
    assert dock.objectName() == "sources_dock" and dock.windowTitle() == "Sources"
    assert dock.accessibleName()
    tree = dock.tree
    assert tree.topLevelItemCount() == len(briefing.sources)
    for row, source in enumerate(briefing.sources):
        item = tree.topLevelItem(row)
        assert item.text(0) == source.title
        citing = briefing.events_citing(source.id)
        # An event row is made when its source is opened; the arrow shows before.
        shows = item.childIndicatorPolicy() == item.ChildIndicatorPolicy.ShowIndicator
        assert item.childCount() == 0 and shows == bool(citing)
        item.setExpanded(True)
        assert item.childCount() == len(citing)
        item.setExpanded(False)
        item.setExpanded(True)
        assert item.childCount() == len(citing)  # made once


def test_choosing_an_event_in_the_dock_emits_its_id(dock, briefing, qtbot):
    source = next(s for s in briefing.sources if briefing.events_citing(s.id))
    item = dock.tree.topLevelItem(briefing.sources.index(source))
    item.setExpanded(True)
    with qtbot.waitSignal(dock.event_chosen) as blocker:
        dock.tree.itemActivated.emit(item.child(0), 0)
    assert blocker.args[0] in {e.id for e in briefing.events_citing(source.id)}
    with qtbot.assertNotEmitted(dock.event_chosen):
        dock.tree.itemActivated.emit(item, 0)


TABLE_NOTE = """| Date | Amount |
|------|-------:|
| 15 Jan 2026 | $1.5 bn |
"""


def _table(doc):
    from PySide6.QtGui import QTextTable

    return next(f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable))


@pytest.mark.parametrize("where", ["pane", "preview", "pdf"])
def test_a_table_in_notes_has_room_and_rules_between_its_cells(qapp, where):
    """Qt set Markdown tables' cells edge to edge ("15 Jan 2026$1.5 bn"), without rules,
    and lost each column's alignment; the pane, the form's preview and the PDF alike."""
    from briefing_app.export.flow import make_document
    from briefing_app.model.markdown import render_markdown

    html = "<p>Notes:</p>" + render_markdown(TABLE_NOTE)
    if where == "pdf":
        doc = make_document(html, 400)
    else:
        pane = DetailPane() if where == "pane" else None
        doc = pane.document() if pane else SafeTextDocument()
        if pane:
            pane._set_html(html)  # with the pane's own style sheet, as it shows an event
        else:
            doc.setHtml(html)
    table = _table(doc)
    cell = table.cellAt(1, 0).format().toTableCellFormat()
    assert cell.leftPadding() >= 3 and cell.rightPadding() >= 3
    assert cell.leftBorder() >= 1 and table.format().borderCollapse()
    amount = table.cellAt(1, 1).firstCursorPosition().blockFormat().alignment()
    assert amount & Qt.AlignmentFlag.AlignRight


def test_the_pdf_contents_table_is_plain(qapp, briefing):
    """The title page lays its contents out as a table: no rules there."""
    from PySide6.QtGui import QTextFrameFormat

    from briefing_app.export.flow import make_document
    from briefing_app.export.sections import title_html

    doc = make_document(title_html(briefing, 14, "", [("Events", 2)]), 400)
    cell = _table(doc).cellAt(0, 0).format().toTableCellFormat()
    assert cell.leftBorderStyle() == QTextFrameFormat.BorderStyle.BorderStyle_None


@pytest.fixture
def pane_in_window(qtbot, briefing):
    """A pane in a window with a status bar, showing an event with links, focused."""
    window = QMainWindow()
    qtbot.addWidget(window)
    pane = DetailPane()
    window.setCentralWidget(pane)
    window.show()
    qtbot.waitExposed(window)
    pane.show_event(briefing, briefing.event("cosco-buys-into-chancay"))
    pane.setFocus()
    yield pane, window.statusBar()  # the window, unparented, lives while the test runs


def test_a_link_reached_with_tab_shows_where_it_leads(qtbot, pane_in_window):
    """Hovering showed a link's URL in the status bar; Tab to it showed nothing, so a
    keyboard reader pressed Return on a web link without seeing where it went."""
    pane, status = pane_in_window
    seen = []
    for _ in range(6):
        qtbot.keyClick(pane, Qt.Key.Key_Tab)
        href = pane.textCursor().charFormat().anchorHref()
        seen.append((href, status.currentMessage()))
    web = next(m for h, m in seen if h.startswith("http"))
    assert web.startswith("http")
    to_event = next(m for h, m in seen if h.startswith("event:"))
    assert to_event.startswith("Go to event: ")
    pane.clearFocus()
    assert status.currentMessage() == ""


def test_a_link_reached_with_shift_tab_shows_where_it_leads_too(qtbot, pane_in_window):
    """Shift+Tab leaves the cursor at the link's start: its target was looked up in the
    text before the link, and the status bar went blank."""
    pane, status = pane_in_window
    forward = []
    for _ in range(3):
        qtbot.keyClick(pane, Qt.Key.Key_Tab)
        forward.append(status.currentMessage())
    assert all(forward)
    backward = []
    for _ in range(2):
        qtbot.keyClick(pane, Qt.Key.Key_Backtab)
        backward.append(status.currentMessage())
    assert backward == forward[1::-1]


def test_clicking_show_original_selects_nothing(pane, briefing):
    """A click on "show original" left the link's words selected: Ctrl+C then copied
    "hide original" instead of the event, and the words showed highlighted."""
    event = briefing.event("navarro-confirmed-ambassador")
    pane.show_event(briefing, event)
    href = next(orig_link(event.id, i) for i, q in enumerate(event.quotes) if q.original)
    pane.anchorClicked.emit(QUrl(href))  # what a click on the link does
    assert "Original:" in pane.toPlainText()
    assert not pane.textCursor().hasSelection()
    assert _in_view(pane, "Original:")
    pane.anchorClicked.emit(QUrl(href))
    assert "Original:" not in pane.toPlainText()
    assert not pane.textCursor().hasSelection()
