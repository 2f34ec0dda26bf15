"""Finishing Qt's PDF: outline, internal links and metadata, then the atomic rename.

QPdfWriter has no API for an outline (bookmarks) and writes the `event:` and `source:N`
links as URIs a viewer cannot follow. Both are added with pypdf as an incremental update
(see pdf_update.py), appended to the draft, a temp file in the output's folder; the draft
replaces the output only when complete, so a failure leaves the output as it was.
"""

from __future__ import annotations

import errno
import mmap
import os
import stat
import tempfile
from pathlib import Path
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, TextStringObject

from .options import ExportError
from .pages import Plan, Target
from .pdf_update import Update, fix_gradient_mask, relink
from .style import PX_PER_POINT

_ABOVE = 12.0  # px shown above a jump's target, so its heading is not at the window's edge
OPEN_EVENTS_MAX = 100  # the "Events" bookmark starts expanded up to this many events


def check_target(name: str) -> Path:
    """The real path to write (a symlink's target); ExportError if it cannot be written."""
    target = Path(os.path.realpath(name))
    folder = target.parent
    if not folder.exists():
        raise ExportError(name, f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(name, f"{folder} is not a folder")
    if target.is_dir():
        raise ExportError(name, "it is a folder")
    if target.exists() and not target.is_file():
        raise ExportError(name, "it is not a regular file")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(name, "the file is read-only")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(name, f"the folder {folder} is not writable")
    return target


def temp_file(target: Path, name: str) -> Path:
    """An empty file beside `target` (same file system, so the final rename is atomic)."""
    try:
        fd, path = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent)
    except OSError as exc:
        raise ExportError(name, _reason(exc)) from None
    os.close(fd)
    return Path(path)


def finish(draft: Path, target: Path, name: str, plan: Plan, metadata: dict[str, str]) -> None:
    """Append outline, links and metadata to Qt's `draft`, then rename it to `target`."""
    try:
        update = _update(draft, plan, metadata)
    except (PyPdfError, OSError, ValueError, KeyError, AttributeError) as exc:
        raise ExportError(name, f"the PDF could not be finished ({exc})") from None
    try:
        with open(draft, "ab") as f:
            f.write(update)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(draft, _mode_for(target))
        os.replace(draft, target)
    except OSError as exc:
        raise ExportError(name, _reason(exc)) from None


def _update(draft: Path, plan: Plan, metadata: dict[str, str]) -> bytes:
    with open(draft, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        view = memoryview(data)
        try:
            try:  # strict skips re-checking every xref entry, a third of the time
                reader = PdfReader(f, strict=True)
            except PyPdfError:
                reader = PdfReader(f)
            return _updated(Update(reader, view), plan, metadata)
        finally:
            view.release()


def _updated(update: Update, plan: Plan, metadata: dict[str, str]) -> bytes:
    reader = update.reader
    pages = _page_refs(reader)

    def destination(uri: str) -> bytes | None:
        target = plan.links.get(uri) or plan.links.get(unquote(uri))
        if target is None:
            return None  # an event left out of this export: its title stays as text
        return b"[%d 0 R /XYZ null %.2f null]" % (pages[target.page].idnum, _top(plan, target))

    for number, body in update.objects():
        if b"/Annot" in body and (b"(event:" in body or b"(source:" in body):
            fixed = relink(body, destination)
        elif b"/Alpha" in body:
            fixed = fix_gradient_mask(body, update.text_of)
        else:
            continue
        if fixed is not None:
            update.replaced[number] = fixed
    root = reader.trailer["/Root"]
    catalog = DictionaryObject(root)
    outlines = _outline(plan, pages, update)
    if outlines is not None:
        catalog[NameObject("/Outlines")] = outlines
        catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    update.replaced[root.indirect_reference.idnum] = catalog
    info = DictionaryObject(reader.trailer.get("/Info") or {})
    for key, value in metadata.items():
        info[NameObject(key)] = TextStringObject(value)
    info_ref = update.add(info)
    return update.to_bytes(root.indirect_reference.idnum, info_ref.idnum)


def _page_refs(reader: PdfReader) -> list[IndirectObject]:
    """Page references in order; Qt writes one flat page tree, read without the pages."""
    tree = reader.trailer["/Root"]["/Pages"]
    kids = tree.raw_get("/Kids")
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    if int(tree["/Count"]) == len(kids):
        return list(kids)
    return [page.indirect_reference for page in reader.pages]


def _outline(plan: Plan, pages: list[IndirectObject], update: Update) -> IndirectObject | None:
    """The bookmarks: the chapters, and the events under "Events".

    Written as PDF text directly: a thousand small dictionaries through pypdf's generic
    objects cost more than everything else in the update.
    """
    if not plan.chapters:
        return None
    titles = [title for title, _ in plan.chapters]
    root = update.size + len(update.added)
    chapters = list(range(root + 1, root + 1 + len(titles)))
    listed = plan.events if "Events" in titles else []
    events = list(range(chapters[-1] + 1, chapters[-1] + 1 + len(listed)))
    shown = len(events) <= OPEN_EVENTS_MAX  # a negative count: shown closed
    bodies = [b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        chapters[0], chapters[-1], len(chapters) + (len(events) if shown and events else 0))]
    for k, (title, target) in enumerate(plan.chapters):
        children = b""
        if title == "Events" and events:
            children = b" /First %d 0 R /Last %d 0 R /Count %d" % (
                events[0], events[-1], len(events) if shown else -len(events))
        bodies.append(_item(title, target, root, chapters, k, pages, plan) + children + b" >>")
    if events:
        parent = chapters[titles.index("Events")]
        for k, (title, target) in enumerate(listed):
            bodies.append(_item(title, target, parent, events, k, pages, plan) + b" >>")
    for body in bodies:
        update.add(body)
    return IndirectObject(root, 0, update.reader)


def _item(title: str, target: Target, parent: int, siblings: list[int], k: int,
          pages: list[IndirectObject], plan: Plan) -> bytes:
    """An outline item's dictionary, left open for more entries."""
    text = _text_string(" ".join(title.split()) or "(untitled)")
    item = b"<< /Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ null %.2f null]" % (
        text, parent, pages[target.page].idnum, _top(plan, target))
    if k > 0:
        item += b" /Prev %d 0 R" % siblings[k - 1]
    if k + 1 < len(siblings):
        item += b" /Next %d 0 R" % siblings[k + 1]
    return item


def _text_string(text: str) -> bytes:
    """A PDF text string: literal when printable ASCII, else UTF-16BE with its byte order mark."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _top(plan: Plan, target: Target) -> float:
    """PDF y (points up from the bottom) of a place `y` px down the page, a little above."""
    return plan.page_height - max(0.0, target.y - _ABOVE) / PX_PER_POINT


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
