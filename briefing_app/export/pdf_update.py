"""An incremental update of a PDF written by QPdfWriter: changed and new objects, appended.

Rewriting a whole PDF with pypdf costs seconds per few hundred pages; an incremental update
appends only the objects that change, a new xref section and a trailer pointing back to the
old one, which every PDF reader follows. pypdf reads the draft's structure (lazily) and
serializes the new objects. The two fixes below read and rewrite object text directly
because there are thousands of such objects; text they do not recognise is left alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, PdfObject

_OBJECT_PEEK = 1200  # bytes read of each object when looking for the ones to change
_URI_ACTION = re.compile(
    rb"/A\s*<<\s*/Type\s*/Action\s*/S\s*/URI\s*/URI\s*\((?P<uri>(?:[^()\\]|\\.)*)\)\s*>>", re.S)
_RECT = re.compile(rb"/Rect\s*\[[^\]]*\]")
_ALPHA_MASK = re.compile(rb"/SMask\s*<<\s*/S\s*/Alpha\s*/G\s*(\d+)\s+0\s+R\s*>>")
_SHADING_ONLY = re.compile(rb"/Resources\s*<<\s*/Shading\s*<<[^<>]*>>\s*>>")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


class Update:
    """The draft's objects to replace and to add; `bytes()` gives the update to append."""

    def __init__(self, reader: PdfReader, data: memoryview) -> None:
        self.reader = reader
        self.data = data  # the draft's bytes (a memory map: no copy of a large file)
        self.size = int(reader.trailer["/Size"])
        self.replaced: dict[int, bytes | PdfObject] = {}
        self.added: list[bytes | PdfObject] = []  # bytes: an object's text as it is

    def add(self, obj: bytes | PdfObject) -> IndirectObject:
        self.added.append(obj)
        return self.ref_of_added(len(self.added) - 1)

    def ref_of_added(self, index: int) -> IndirectObject:
        return IndirectObject(self.size + index, 0, self.reader)

    def objects(self) -> Iterator[tuple[int, bytes]]:
        """(number, body) of each object, the body cut to its first _OBJECT_PEEK bytes."""
        for number, offset in self.reader.xref.get(0, {}).items():
            yield number, self.body(offset)

    def body(self, offset: int) -> bytes:
        text = bytes(self.data[offset:offset + _OBJECT_PEEK])
        start, end = text.find(b"obj") + 3, text.find(b"endobj")
        return text[start:end] if start >= 3 and end > start else b""

    def text_of(self, number: int) -> bytes:
        offset = self.reader.xref.get(0, {}).get(number)
        return self.body(offset) if offset is not None else b""

    def to_bytes(self, root: int, info: int) -> bytes:
        """The objects, an xref section for them and a trailer pointing back."""
        changed: dict[int, bytes | PdfObject] = dict(self.replaced)
        changed.update({self.size + k: obj for k, obj in enumerate(self.added)})
        base = len(self.data)
        out = io.BytesIO()
        out.write(b"\n")
        offsets = {}
        for number in sorted(changed):
            offsets[number] = base + out.tell()
            out.write(b"%d 0 obj\n" % number)
            value = changed[number]
            if isinstance(value, bytes):
                out.write(value)
            else:
                value.write_to_stream(out)
            out.write(b"\nendobj\n")
        xref = base + out.tell()
        out.write(b"xref\n")
        numbers = sorted(offsets)
        start = 0
        while start < len(numbers):
            end = start
            while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
                end += 1
            out.write(b"%d %d\n" % (numbers[start], end - start + 1))
            out.writelines(b"%010d 00000 n\r\n" % offsets[n] for n in numbers[start:end + 1])
            start = end + 1
        trailer = DictionaryObject({
            NameObject("/Size"): NumberObject(self.size + len(self.added)),
            NameObject("/Root"): IndirectObject(root, 0, self.reader),
            NameObject("/Info"): IndirectObject(info, 0, self.reader),
            NameObject("/Prev"): NumberObject(_startxref(self.data)),
        })
        if "/ID" in self.reader.trailer:
            trailer[NameObject("/ID")] = self.reader.trailer.raw_get("/ID")
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return out.getvalue()


def _startxref(data: memoryview) -> int:
    found = re.findall(rb"startxref\s+(\d+)", bytes(data[-1024:]))
    if not found:
        raise ValueError("the draft PDF has no startxref")
    return int(found[-1])


def relink(body: bytes, destination: Callable[[str], bytes | None]) -> bytes | None:
    """A link annotation's body with its URI action replaced by `destination(uri)`.

    `destination` gives the PDF text of a /Dest value, or None for a link to nowhere, which
    keeps its text but gets an empty rectangle. None when the body is not a URI link.
    """
    match = _URI_ACTION.search(body)
    if match is None:
        return None
    dest = destination(pdf_string(match["uri"]))
    if dest is not None:
        return body[:match.start()] + b"/Dest " + dest + body[match.end():]
    dead = body[:match.start()] + body[match.end():]
    return _RECT.sub(b"/Rect [0 0 0 0]", dead, count=1)


def fix_gradient_mask(body: bytes, text_of: Callable[[int], bytes]) -> bytes | None:
    """Make Qt's gradient transparency work; None when `body` is no such graphics state.

    QPdfEngine paints a gradient's alpha as a DeviceGray shading into a soft mask group, but
    tags the mask /Alpha, which takes the group's opacity (everywhere 1) instead of its grey
    levels; viewers then draw the faded ends of spans solid. /Luminosity reads the grey.
    """
    match = _ALPHA_MASK.search(body)
    if match is None or not _SHADING_ONLY.search(text_of(int(match[1]))):
        return None
    fixed = match[0].replace(b"/Alpha", b"/Luminosity")
    return body[:match.start()] + fixed + body[match.end():]


def pdf_string(raw: bytes) -> str:
    """The text of a PDF literal string's contents (escapes undone; UTF-8 if it decodes)."""
    def unescape(m: re.Match[bytes]) -> bytes:
        c = m[1]
        return bytes([int(c, 8) & 0xFF]) if c[:1].isdigit() else _ESCAPES.get(c, c)

    data = _ESCAPE.sub(unescape, raw)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
