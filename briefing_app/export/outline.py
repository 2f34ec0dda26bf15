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
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

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
    """The bookmarks: the chapters, and the events under "Events"."""
    if not plan.chapters:
        return None
    root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    root_ref = update.add(root)
    chapters = _items(plan.chapters, pages, plan, root_ref, update)
    _chain(root, chapters, update)
    visible = len(chapters)
    for (title, _), k in zip(plan.chapters, chapters, strict=True):
        if title == "Events" and plan.events:
            children = _items(plan.events, pages, plan, update.ref_of_added(k), update)
            _chain(update.added[k], children, update)
            shown = len(children) <= OPEN_EVENTS_MAX  # a negative count: shown closed
            update.added[k][NameObject("/Count")] = NumberObject(
                len(children) if shown else -len(children))
            visible += len(children) if shown else 0
    root[NameObject("/Count")] = NumberObject(visible)
    return root_ref


def _items(entries, pages, plan: Plan, parent: IndirectObject, update: Update) -> list[int]:
    """Add one outline item per (title, target); return their indices in update.added."""
    indices = []
    for title, target in entries:
        indices.append(len(update.added))
        update.add(DictionaryObject({
            NameObject("/Title"): TextStringObject(" ".join(title.split()) or "(untitled)"),
            NameObject("/Parent"): parent,
            NameObject("/Dest"): ArrayObject([
                pages[target.page], NameObject("/XYZ"), NullObject(),
                FloatObject(round(_top(plan, target), 2)), NullObject()]),
        }))
    return indices


def _chain(parent: DictionaryObject, indices: list[int], update: Update) -> None:
    """Link siblings with /Prev and /Next, and the parent to the first and last."""
    if not indices:
        return
    parent[NameObject("/First")] = update.ref_of_added(indices[0])
    parent[NameObject("/Last")] = update.ref_of_added(indices[-1])
    for a, b in zip(indices, indices[1:], strict=False):
        update.added[a][NameObject("/Next")] = update.ref_of_added(b)
        update.added[b][NameObject("/Prev")] = update.ref_of_added(a)


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
