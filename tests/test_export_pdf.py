"""PDF export: the document a reader gets (checked with pypdf), its options, the CLI's exits."""

import copy
import getpass
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.export import ExportError, ExportOptions, export_pdf, select_events
from briefing_app.export import outline as pdf_outline
from briefing_app.model import storage
from briefing_app.model.search import Query

BUNDLED = Path(__file__).resolve().parent.parent / "events.json"


def generated(n, seed=7):
    """A briefing of n events: the bundled events repeated on dates spread over 2010-2026."""
    data = storage.to_json(storage.load(BUNDLED))
    base, rng, events = data["events"], random.Random(seed), []
    for k in range(n):
        event = copy.deepcopy(base[k % len(base)])
        event.pop("end", None)
        event["id"], event["title"] = f"{event['id']}-{k}", f"{event['title']} (no. {k})"
        year, month, day, kind = (rng.randint(2010, 2026), rng.randint(1, 12),
                                  rng.randint(1, 28), rng.random())
        event["date"] = (f"{year}-{month:02d}-{day:02d}" if kind < 0.8
                         else f"{year}-{month:02d}" if kind < 0.9 else f"late {year}")
        events.append(event)
    data["events"] = events
    return storage.loads(json.dumps(data))


def words(text):
    """Text as extracted: whitespace folded, and no break after a hyphen at a line's end."""
    return " ".join(text.split()).replace("- ", "-")


def page_texts(reader):
    return [words(page.extract_text()) for page in reader.pages]


def assert_kept_on_one_page(briefing, path, *markers):
    """Export `briefing` to `path`: the `markers` of its event k (formats filled with k) are
    all on one page of it."""
    export_pdf(briefing, path)
    texts = page_texts(PdfReader(path))
    for k in range(len(briefing.events)):
        wanted = [marker.format(k) for marker in markers]
        pages = {n for n, text in enumerate(texts) for marker in wanted if marker in text}
        assert len(pages) == 1, (k, pages)


def flat_outline(reader):
    """(title, page index, depth) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, reader.get_destination_page_number(item), depth))
    walk(reader.outline, 0)
    return found


def run_cli(*args, env=None):
    env = dict(os.environ if env is None else env)
    return subprocess.run([sys.executable, "-m", "briefing_app", *map(str, args)],
                          capture_output=True, text=True, timeout=180, env=env)


@pytest.fixture(scope="module")
def exported(qapp, tmp_path_factory):
    """The bundled briefing exported with the default options, and its reader."""
    briefing = storage.load(BUNDLED)
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    result = export_pdf(briefing, path)
    return briefing, path, result, PdfReader(path)


# --- the document ------------------------------------------------------------------------

def test_the_file_opens_and_has_the_pages_reported(exported):
    _, path, result, reader = exported
    assert len(reader.pages) == result.pages >= 6
    assert result.events == 14
    if shutil.which("pdfinfo"):  # poppler reads the incremental update too
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
        pages = [line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")]
        assert info.returncode == 0 and pages == [str(result.pages)]


def test_every_event_title_appears_in_date_order(exported):
    briefing, _, _, reader = exported
    events = select_events(briefing, None)
    assert [e.sort_key() for e in events] == sorted(e.sort_key() for e in events)
    chapters = {title: page for title, page, depth in flat_outline(reader) if depth == 0}
    sections = " ".join(page_texts(reader)[chapters["Events"]:chapters["Sources"]])
    positions = [sections.find(words(e.title)) for e in events]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_each_quote_and_its_source_title_appear(exported):
    briefing, _, _, reader = exported
    text = " ".join(page_texts(reader))
    quotes = [(q, briefing.source(q.source)) for e in briefing.events for q in e.quotes]
    assert quotes
    for quote, source in quotes:
        assert words(quote.text) in text
        assert words(source.title) in text


def test_sources_are_listed_with_numbers_and_urls(exported):
    briefing, _, _, reader = exported
    texts = page_texts(reader)
    chapters = {title: page for title, page, depth in flat_outline(reader) if depth == 0}
    listing = " ".join(texts[chapters["Sources"]:])
    assert f"[{len(briefing.sources)}] " in listing
    assert "[1] " in listing and "https://" in listing


def test_every_page_is_numbered_n_of_m(exported):
    _, _, result, reader = exported
    for n, text in enumerate(page_texts(reader), 1):
        assert f"{n} / {result.pages}" in text


def test_handling_line_is_in_header_and_footer_of_every_page(exported):
    briefing, _, _, reader = exported
    for text in page_texts(reader):
        assert text.count(briefing.classification) >= 2


def test_outline_has_chapters_and_one_entry_per_event_at_its_page(exported):
    briefing, _, result, reader = exported
    entries = flat_outline(reader)
    chapters = [(title, page) for title, page, depth in entries if depth == 0]
    assert [t for t, _ in chapters] == ["Title page", "Timeline", "Events", "Sources"]
    events = [(title, page) for title, page, depth in entries if depth == 1]
    assert [t for t, _ in events] == [words(e.title) for e in select_events(briefing, None)]
    texts = page_texts(reader)
    for title, page in events:
        # the heading is on that page, or starts there and wraps onto the next
        assert title.split()[0] in texts[page]
    assert [p for _, p in events] == sorted(p for _, p in events)


@pytest.mark.parametrize("title", [
    r"Budget (revised) \ 2024", "Perú: muelle (sur)", "港口 expansion", "Tab\tand  spaces", "",
])
def test_outline_entries_keep_any_title_as_written(qapp, tmp_path, title):
    briefing = storage.load(BUNDLED)
    briefing.events[0].title = title
    out = tmp_path / "titles.pdf"
    export_pdf(briefing, out)
    events = [t for t, _, depth in flat_outline(PdfReader(out)) if depth == 1]
    assert events[[e.id for e in select_events(briefing, None)].index(
        briefing.events[0].id)] == (words(title) or "(untitled)")


def test_event_links_jump_inside_the_document(exported):
    _, _, _, reader = exported
    jumps, uris = 0, []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if "/Dest" in annot:
                jumps += 1
            elif "/A" in annot:
                uris.append(str(annot["/A"].get("/URI", "")))
    assert jumps >= 10  # event: links in notes and numbered source references
    assert uris and all(u.startswith(("http://", "https://", "mailto:")) for u in uris)


def test_metadata_title_and_author(exported):
    briefing, path, _, reader = exported
    assert reader.metadata["/Title"] == briefing.title
    assert reader.metadata["/Subject"] == briefing.classification
    # The bundled briefing names no author: the PDF names none (not the login name).
    assert "author" not in briefing.extra
    assert not reader.metadata.get("/Author")
    assert getpass.getuser() not in str(dict(reader.metadata))
    assert str(path.parent).encode() not in path.read_bytes()  # nor where it was written


def test_bundled_font_is_embedded_and_text_is_selectable(exported):
    briefing, _, _, reader = exported
    embedded = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded.add(str(font["/BaseFont"]))
    assert any("DejaVuSans" in name for name in embedded)
    assert words(briefing.title) in page_texts(reader)[0]


def test_timeline_is_vector_text_not_an_image(exported):
    _, _, _, reader = exported
    timeline = [page for title, page, depth in flat_outline(reader) if title == "Timeline"][0]
    page = reader.pages[timeline]
    assert not page["/Resources"].get("/XObject", {}).keys() - _mask_groups(page)
    assert "Overview" in page.extract_text() and "2024" in page.extract_text()


def _mask_groups(page):
    """The form XObjects Qt uses for gradient masks are fine; images are not."""
    return {name for name, ref in page["/Resources"].get("/XObject", {}).items()
            if ref.get_object().get("/Subtype") == "/Form"}


def test_soft_edges_of_imprecise_dates_keep_their_transparency(exported):
    _, path, _, _ = exported
    data = path.read_bytes()
    assert b"/S /Luminosity" in data  # Qt's /Alpha masks would draw the fades solid


# --- options -----------------------------------------------------------------------------

@pytest.mark.parametrize("size, landscape, expected", [
    ("A4", False, (595, 842)), ("Letter", True, (792, 612)),
])
def test_page_size_and_orientation(qapp, tmp_path, size, landscape, expected):
    out = tmp_path / "out.pdf"
    export_pdf(storage.load(BUNDLED), out, ExportOptions(page_size=size, landscape=landscape))
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == expected


def test_a_filtered_export_holds_only_the_matching_events(qapp, tmp_path):
    briefing = storage.load(BUNDLED)
    query = Query(tags=frozenset({"dsca"}))
    chosen = select_events(briefing, query)
    assert 0 < len(chosen) < len(briefing.events)
    out = tmp_path / "dsca.pdf"
    result = export_pdf(briefing, out, ExportOptions(query=query))
    reader = PdfReader(out)
    assert result.events == len(chosen)
    events = [t for t, _, depth in flat_outline(reader) if depth == 1]
    assert events == [words(e.title) for e in chosen]
    text = " ".join(page_texts(reader))
    for event in briefing.events:
        assert (words(event.title) in text) == (event in chosen)


def test_a_document_of_no_events_is_its_title_page(qapp, tmp_path):
    """An empty briefing, or a filter matching nothing, got a second page: an empty timeline
    over the year around the day of the export, dates that are in no event."""
    empty = storage.load(BUNDLED)
    empty.events = []
    for briefing, query in ((empty, None), (storage.load(BUNDLED), Query(text="zzzqqq"))):
        path = tmp_path / "none.pdf"
        result = export_pdf(briefing, path, ExportOptions(query=query))
        reader = PdfReader(path)
        assert result.events == 0
        assert len(reader.pages) == result.pages == 1
        assert "0 events" in page_texts(reader)[0]
        assert [title for title, _, _ in flat_outline(reader)] == ["Title page"]


def test_timeline_only_leaves_out_the_sections(qapp, tmp_path, exported):
    briefing, _, full, _ = exported
    out = tmp_path / "timeline.pdf"
    result = export_pdf(briefing, out, ExportOptions(include_sections=False))
    reader = PdfReader(out)
    assert result.pages < full.pages
    assert [t for t, _, _ in flat_outline(reader)] == ["Title page", "Timeline"]
    assert words(briefing.events[0].quotes[0].text) not in " ".join(page_texts(reader))


def test_a_thousand_events_export_with_each_note_rendered_once(qapp, tmp_path, exported,
                                                               monkeypatch):
    # How long it takes is for benchmarks/run.py (~3 s); here the work is counted: one
    # Markdown render per note and the summary, whatever the number of pages, here or in
    # the helper process that renders the notes after the first chunk's.
    from briefing_app.export import flow, pages
    from briefing_app.model import notes_ahead
    from briefing_app.render import rich_text

    _, _, small, _ = exported
    renders, helpers = [], []
    real = rich_text.render_markdown
    for module in (rich_text, notes_ahead):
        monkeypatch.setattr(module, "render_markdown",
                            lambda text: renders.append(text) or real(text))

    class Watched(notes_ahead.NotesAhead):
        def __init__(self, batches, min_notes=None):
            super().__init__(batches, min_notes)
            helpers.append(self)

    monkeypatch.setattr(pages, "NotesAhead", Watched)
    documents = []
    real_document = flow.make_document
    monkeypatch.setattr(flow, "make_document",
                        lambda html, width: documents.append(html) or real_document(html, width))
    briefing = generated(1000)
    out = tmp_path / "big.pdf"
    result = export_pdf(briefing, out)
    assert result.events == 1000 and result.pages > 20 * small.pages
    assert len([e for e in flat_outline(PdfReader(out)) if e[2] == 1]) == 1000
    [ahead] = helpers
    assert ahead.helper_pid is not None and ahead._proc is None  # used, and ended
    assert len(renders) + ahead.helper_notes == 1000 + bool(briefing.summary)
    # Each document is parsed and laid out once: five chunks of events, sources, title page.
    assert len(documents) == 1000 // pages.CHUNK_EVENTS + 2


@pytest.mark.slow
def test_ten_thousand_events_complete_with_pages_growing_linearly(qapp, tmp_path):
    thousand = export_pdf(generated(1000), tmp_path / "1k.pdf").pages
    result = export_pdf(generated(10_000), tmp_path / "10k.pdf")
    assert result.events == 10_000
    assert 8 * thousand < result.pages < 12 * thousand


# --- failures leave nothing behind -------------------------------------------------------

def test_an_unwritable_path_raises_and_leaves_no_file(qapp, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for path in (tmp_path / "missing" / "out.pdf", blocker / "out.pdf"):
        with pytest.raises(ExportError) as caught:
            export_pdf(storage.load(BUNDLED), path)
        assert str(path) in str(caught.value)
        assert not path.exists()


def test_a_failure_while_finishing_keeps_the_old_file_and_no_temp(qapp, tmp_path, monkeypatch):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"the old PDF")

    def broken(*args):
        raise ExportError(str(out), "simulated failure")

    monkeypatch.setattr(pdf_outline, "finish", broken)
    with pytest.raises(ExportError):
        export_pdf(storage.load(BUNDLED), out)
    assert out.read_bytes() == b"the old PDF"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


# --- the command line --------------------------------------------------------------------

def test_cli_exports_headless_without_a_platform_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY",
                                                           "WAYLAND_DISPLAY")}
    out = tmp_path / "out.pdf"
    result = run_cli("export", BUNDLED, "--pdf", out, "--page-size", "Letter", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(PdfReader(out).pages) > 5


def test_cli_tag_filter_exports_only_matching_titles(tmp_path):
    briefing = storage.load(BUNDLED)
    out = tmp_path / "tag.pdf"
    result = run_cli("export", BUNDLED, "--pdf", out, "--tag", "DSCA", "--landscape")
    assert result.returncode == 0, result.stderr
    chosen = {words(e.title) for e in briefing.events if "dsca" in e.tags}
    assert {t for t, _, d in flat_outline(PdfReader(out)) if d == 1} == chosen


@pytest.mark.parametrize("make_path", [
    lambda tmp: tmp / "no-such-folder" / "out.pdf",
    lambda tmp: (tmp / "plain-file").write_text("x") and tmp / "plain-file" / "out.pdf",
])
def test_cli_unwritable_output_exits_1_with_a_message_and_no_file(tmp_path, make_path):
    out = make_path(tmp_path)
    result = run_cli("export", BUNDLED, "--pdf", out)
    assert result.returncode == 1
    assert str(out) in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_bad_input_exits_1_naming_the_file_and_keeps_an_existing_output(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "events": [{"id": "a", "title": "A", "date": "sometime"}]}')
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    result = run_cli("export", bad, "--pdf", out)
    assert result.returncode == 1
    assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"old"


def test_cli_unreadable_input_exits_2(tmp_path):
    result = run_cli("export", tmp_path / "missing.json", "--pdf", tmp_path / "out.pdf")
    assert result.returncode == 2
    assert "missing.json" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_cli_unknown_tag_is_refused(tmp_path):
    result = run_cli("export", BUNDLED, "--pdf", tmp_path / "out.pdf", "--tag", "no-such-tag")
    assert result.returncode == 1
    assert "no-such-tag" in result.stderr and "Traceback" not in result.stderr



def test_a_long_line_of_code_in_notes_wraps_instead_of_running_off_the_page(qapp):
    """A fenced or indented block (a pasted log, an original text) keeps every word within
    the text width: Qt draws an unwrapped <pre> line past the margin, off the paper."""
    from briefing_app.export.flow import make_document
    from briefing_app.model.markdown import render_markdown

    line = " ".join(f"word{i:02d}" for i in range(60))
    for notes in (f"```\n{line}\n```", f"Text.\n\n    {line}\n"):
        doc = make_document(render_markdown(notes), 400)
        assert doc.idealWidth() <= 400
        assert "word59" in doc.toPlainText()


def test_a_table_is_cut_on_the_rule_between_two_rows(qapp):
    """The cut took the table's padding and border (none) for the cells' (3 px and a 1 px
    rule from the style sheet): it fell 4 px into the next row, whose rule and the stubs of
    its column rules ended the page above, and which began the next page without its rule."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from briefing_app.export.flow import _line_top_at, make_document
    from briefing_app.model.markdown import render_markdown

    head = "A long heading for a wide column"
    doc = make_document(render_markdown(f"| {head} |\n|---|\n| one |\n| two |\n"), 300)
    scale = 4
    image = QImage(300 * scale, int(doc.size().height() + 2) * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    doc.drawContents(painter)
    painter.end()
    x = 150 * scale  # right of the rows' words: only the rules are dark there
    rules = [y for y in range(image.height()) if QColor(image.pixel(x, y)).lightness() < 200]
    bands: list[list[int]] = []  # runs of dark pixel rows: the rules
    for y in rules:
        if bands and y == bands[-1][-1] + 1:
            bands[-1].append(y)
        else:
            bands.append([y])
    assert len(bands) == 4  # above and below the head, between the rows, below the last
    for band, below in zip(bands[1:3], bands[2:], strict=True):
        # In the row under the rule: amid its words, and in its padding above them.
        for inside in ((band[-1] + below[0]) / 2 / scale, (band[-1] + 2 * scale) / scale):
            cut = _line_top_at(doc, inside) * scale
            assert band[0] - 1 <= cut <= band[-1] + 1, (band, inside, cut)


def test_a_tables_head_is_never_alone_at_the_end_of_a_page(qapp, tmp_path):
    """A table's head row could end a page with its rows overleaf, under no head."""
    from briefing_app.model.briefing import Event

    briefing = storage.load(BUNDLED)
    briefing.events = [
        Event(f"e{k}", f"Event {k}", briefing.events[0].date,
              notes="Opening words. " * (k * 7 % 100) + f"\n\n| Head{k:02d} | Other |\n"
              "|---|---|\n" + f"| Row{k:02d} | a |\n" + "| more | b |\n" * 3)
        for k in range(40)]
    assert_kept_on_one_page(briefing, tmp_path / "tables.pdf", "Head{:02d}", "Row{:02d}")


def test_a_line_at_a_page_break_is_in_the_text_of_one_page_only(qapp, tmp_path):
    """Qt draws, clipped out of sight, a line that only touches a page's edge: a search of
    the PDF found it on both pages and a copy took it twice."""
    from briefing_app.model.briefing import Event

    notes = "\n\n".join(f"Paragraph{k:03d} stands alone." for k in range(400))
    briefing = storage.load(BUNDLED)
    briefing.events = [Event("long", "A long note", briefing.events[0].date, notes=notes)]
    path = tmp_path / "long.pdf"
    export_pdf(briefing, path)
    texts = page_texts(PdfReader(path))
    assert len(texts) > 3
    for k in range(400):
        marker = f"Paragraph{k:03d}"
        assert sum(text.count(marker) for text in texts) == 1, marker


def test_a_quote_is_never_split_from_its_source_line(qapp, tmp_path):
    """A page ended with a quote's words and the next began "— speaker, source, grade"
    (or "Original: ..."): a reader of either page could not tell who said what."""
    from briefing_app.model.briefing import Event, Quote

    briefing = storage.load(BUNDLED)
    source = briefing.sources[0].id
    briefing.events = [
        Event(f"e{k}", f"Event {k}", briefing.events[0].date, notes="Some notes. " * (k % 7 * 9),
              quotes=[Quote(f"Words{k:02d} " + "said at length " * (5 + k % 4 * 11), source,
                            speaker=f"Speaker{k:02d}", translated=True,
                            original=f"Original{k:02d} " + "dicho " * 20)])
        for k in range(40)]
    assert_kept_on_one_page(briefing, tmp_path / "quotes.pdf",
                            "Words{:02d}", "Speaker{:02d}", "Original{:02d}")


def test_a_heading_in_the_notes_is_never_last_on_a_page(qapp, tmp_path):
    """Only the events' titles were kept with the text under them: a "### Background" in
    the notes could end a page, its section starting overleaf."""
    from briefing_app.model.briefing import Event

    briefing = storage.load(BUNDLED)
    briefing.events = [
        Event(f"e{k}", f"Event {k}", briefing.events[0].date,
              notes="Opening words. " * (k * 7 % 100)
              + f"\n\n### Heading{k:02d}\n\nAfter{k:02d} " + "and the rest. " * 30)
        for k in range(40)]
    assert_kept_on_one_page(briefing, tmp_path / "headings.pdf", "Heading{:02d}", "After{:02d}")


def test_paper_text_is_dark_ink_whatever_the_screen_appearance(qapp):
    """Text with no colour of its own is drawn in the print ink, not in the screen palette's
    text colour: in the dark appearance, Print, Print Preview and File > Export > PDF drew
    the summary and the notes light grey (#e6e6e6) on white paper."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from briefing_app.export import style
    from briefing_app.export.flow import Slice, draw_slice, make_document
    from briefing_app.ui.appearance import dark_palette

    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        doc = make_document("<p>" + "█" * 20 + "</p>", 300)
        height = doc.size().height()
        image = QImage(320, int(height) + 4, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        draw_slice(painter, doc, Slice(0, 0.0, height, 0.0), 0, 0)
        painter.end()
    finally:
        qapp.setPalette(before)
    darkest = min(QColor(image.pixel(x, y)).lightness()
                  for x in range(0, 120) for y in range(image.height()))
    assert darkest <= style.INK.lightness() + 10


def test_every_event_of_a_crowded_day_is_named_on_the_timeline(qapp, tmp_path):
    """Paper cannot be zoomed: the timeline pages kept the screen's 6 label rows per lane,
    so of 50 events on one day 12 were named and the rest were markers under the first
    (and a later event's marker was drawn over one of their labels)."""
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date

    briefing = storage.load(BUNDLED)
    actors = [briefing.actors[0].id, briefing.actors[1].id]
    briefing.events = [Event(f"e{k}", f"Crowd{k:02d}", parse_date("2024-06-15"),
                             actors=[actors[k % 2]]) for k in range(50)]
    briefing.events.append(Event("later", "Later", parse_date("2024-06-20"), actors=actors[:1]))
    path = tmp_path / "crowd.pdf"
    export_pdf(briefing, path, ExportOptions(include_sections=False))
    reader = PdfReader(path)
    chapters = {title: page for title, page, depth in flat_outline(reader) if depth == 0}
    timeline = " ".join(page_texts(reader)[chapters["Timeline"]:])
    missing = [e.title for e in briefing.events if e.title not in timeline]
    assert not missing


def test_the_timeline_key_stays_within_the_text_width_on_a4_portrait(qapp):
    """The key was one line whatever the width: on A4 portrait, the default, its last entry
    ("also involves the lane's actor") ran 26 px past the timeline's frame into the margin."""
    from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter

    from briefing_app.export import style
    from briefing_app.export.timeline_pages import draw_key

    writer = QPdfWriter(os.devnull)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    width = style.PageGeometry.of(writer).content.width()
    style.register_fonts()
    image = QImage(int(width) + 100, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    draw_key(painter, 0, 0, width, "actor")
    painter.end()
    inked = [x for x in range(image.width()) for y in range(image.height())
             if QColor(image.pixel(x, y)).lightness() < 250]
    assert inked and max(inked) <= width + 1


def test_a_span_over_millennia_makes_no_pages_of_empty_strips(qapp, tmp_path):
    """One event over 0001-9999 and two points: the timeline was cut into ~1,666 strips of
    six years, each only that bar (217 pages). Strips where nothing begins or ends go."""
    from briefing_app.export.timeline_pages import plan_strips
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date
    from briefing_app.model.layout import build_layout

    briefing = storage.load(BUNDLED)
    briefing.events = [
        Event("ages", "Across the ages", parse_date("0001/9999")),
        Event("a", "A point", parse_date("2019-01-23")),
        Event("b", "Another", parse_date("2024-06-01")),
    ]
    strips = plan_strips(build_layout(briefing, range(3)))
    assert len(strips) <= 6  # the overview, the first and last years, 2019-2024
    shown = {briefing.events[it.event].id for s in strips[1:] for it in s.layout.items}
    assert shown == {"ages", "a", "b"}
    result = export_pdf(briefing, tmp_path / "ages.pdf")
    assert result.pages < 12


def test_the_last_strip_ends_near_its_last_event(qapp):
    """The strips took the overview's margin, 3% of 1994-2026: the last one ran a year past
    its last event ("1 Jun 2024 - 12 Feb 2028")."""
    from briefing_app.export.timeline_pages import plan_strips
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date
    from briefing_app.model.layout import build_layout

    briefing = storage.load(BUNDLED)
    dates = ["1994-03-01", "1995-07-01", "2024-06-01", "2025-02-01", "2026-06-30"]
    briefing.events = [Event(f"e{k}", f"Event {k}", parse_date(d)) for k, d in enumerate(dates)]
    layout = build_layout(briefing, range(len(dates)))
    strips = plan_strips(layout)
    assert len(strips) > 2
    last, first = strips[-1], strips[1]
    end = parse_date("2026-06-30").end.toordinal() + 1
    assert last.t1 - end <= max(14.0, 0.03 * (last.t1 - last.t0)) + 1
    assert parse_date("1994-03-01").start.toordinal() - first.t0 <= max(
        14.0, 0.03 * (first.t1 - first.t0)) + 1


def test_strips_of_events_millennia_apart_keep_their_own_margins(qapp):
    """Events in 0100 and 5100: the overview's margin (150 years) emptied the first strip,
    which was dropped, and the next kept the margin ("1 May 0096 – 1 May 0102")."""
    from briefing_app.export.timeline_pages import plan_strips
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date
    from briefing_app.model.layout import build_layout

    briefing = storage.load(BUNDLED)
    briefing.events = [Event("a", "Early", parse_date("0100-06-01")),
                       Event("b", "Late", parse_date("5100-06-01"))]
    strips = plan_strips(build_layout(briefing, range(2)))[1:]
    assert len(strips) == 2
    first, last = strips
    early, late = (parse_date(d).start.toordinal() for d in ("0100-06-01", "5100-06-01"))
    assert 0 < early - first.t0 <= max(14.0, 0.03 * (first.t1 - first.t0)) + 1, first.caption
    assert 0 < last.t1 - late <= max(14.0, 0.03 * (last.t1 - last.t0)) + 2, last.caption


def test_an_event_on_the_calendars_first_day_keeps_its_strips_margin(qapp):
    """The strips are cut on the first of a month, and the cut before an event on 1 Jan 0001
    fell on that day: its strip began there, and the event's marker was cut in half."""
    from briefing_app.export.timeline_pages import plan_strips
    from briefing_app.model.briefing import Event
    from briefing_app.model.dates import parse_date
    from briefing_app.model.layout import build_layout

    briefing = storage.load(BUNDLED)
    briefing.events = [Event("a", "Year one", parse_date("0001-01-01")),
                       Event("b", "Now", parse_date("2024-01-01"))]
    first = plan_strips(build_layout(briefing, range(2)))[1]
    assert 14.0 <= 1 - first.t0 <= max(14.0, 0.03 * (first.t1 - first.t0)) + 1, first


@pytest.mark.parametrize("landscape", [False, True])
def test_a_long_title_in_the_footer_ends_before_a_long_handling_line(qapp, landscape):
    """The footer's title took up to 30 % of the width from the left and the handling line
    up to the middle 50 %: with both long, the title's "…" was drawn over the handling
    line's first words on every page after the first."""
    from PySide6.QtGui import QFontMetricsF, QPageLayout, QPageSize, QPdfWriter

    from briefing_app.export import pdf as pdf_module
    from briefing_app.export import style

    briefing = storage.load(BUNDLED)
    briefing.title = "A very long briefing title that goes on and on about the Callao base " * 3
    briefing.classification = "UNCLASSIFIED // FOR OFFICIAL USE ONLY // open sources " * 3
    writer = QPdfWriter(os.devnull)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                              else QPageLayout.Orientation.Portrait)
    margins = pdf_module._Margins(style.PageGeometry.of(writer), briefing, 3)
    title_end = margins.title_at.x() + QFontMetricsF(margins.small).horizontalAdvance(
        margins.title)
    assert margins.title.endswith("…")
    assert title_end < margins.classification[1].x()
