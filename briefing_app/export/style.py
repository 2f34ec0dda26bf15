"""Fonts, sizes and page geometry of the printed briefing; lengths in logical px of 1/96 inch.

Every font has a pixel size, never a point size: the pages are drawn with the painter scaled
from the device's resolution to 96 per inch, and a pixel-sized font measures and draws the
same on a QPdfWriter, a QPrinter and the screen the text layout uses, whatever their dpi.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPagedPaintDevice, QPageLayout

from ..paths import resource

PX_PER_INCH = 96.0
PX_PER_POINT = PX_PER_INCH / 72.0
MM = PX_PER_INCH / 25.4

MARGIN_X = 18 * MM
MARGIN_TOP = 20 * MM
MARGIN_BOTTOM = 18 * MM
HEADER_BASELINE = 11 * MM  # from the top edge
FOOTER_BASELINE = 9 * MM  # from the bottom edge

BODY_PX = 13  # 9.75 pt
SMALL_PX = 10
TIMELINE_PX = 11
CAPTION_PX = 13

INK = QColor("#1f2328")
MUTED = QColor("#5f6b76")
RULE = QColor("#c5cbd3")

FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
               "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf")
_registered: set[str] = set()  # a font is added to the application once per process

# Qt's rich text understands a subset of CSS; sizes in px follow the body font's.
STYLE_SHEET = f"""
body {{ color: {INK.name()}; }}
h1 {{ font-size: 26px; margin-top: 0px; margin-bottom: 10px; }}
h2 {{ font-size: 17px; margin-top: 26px; margin-bottom: 6px; }}
h3 {{ font-size: 14px; margin-top: 10px; margin-bottom: 4px; }}
h4, h5, h6 {{ font-size: 13px; margin-top: 8px; margin-bottom: 4px; }}
p {{ margin-top: 0px; margin-bottom: 6px; }}
li {{ margin-bottom: 2px; }}
blockquote {{ margin-left: 18px; margin-right: 6px; margin-top: 4px; margin-bottom: 8px;
              color: #30363d; }}
code, pre {{ font-family: '{MONO_FAMILY}'; font-size: 12px; }}
pre {{ white-space: pre-wrap; }}  /* a long line wraps: paper does not scroll */
a {{ color: #1a56b8; text-decoration: none; }}
"""


def register_fonts() -> None:
    """Add the bundled DejaVu fonts to the application so they are used and embedded."""
    for name in _FONT_FILES:
        if name in _registered:
            continue
        path = resource("fonts", name)
        if path.is_file() and QFontDatabase.addApplicationFont(str(path)) >= 0:
            _registered.add(name)


def font(px: int, bold: bool = False, family: str = FAMILY) -> QFont:
    f = QFont(family)
    f.setPixelSize(px)
    f.setBold(bold)
    # Glyph advances from the design, not rounded to whole pixels of a 96 dpi grid.
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No ligatures: "ﬁ" as one glyph extracts as U+FB01, and a search for "notifies" in a
    # PDF reader or by a text tool would miss it.
    if hasattr(QFont, "Tag"):  # Qt 6.7+
        for tag in ("liga", "clig"):
            f.setFeature(QFont.Tag(tag), 0)
    return f


@dataclass(frozen=True)
class PageGeometry:
    """One page of the device in px: the paper, where the painter's origin is, the content."""

    width: float
    height: float
    origin_x: float  # where the device puts the painter's (0, 0), from the paper's corner
    origin_y: float
    scale: float  # device pixels per px

    @classmethod
    def of(cls, device: QPagedPaintDevice) -> PageGeometry:
        layout = device.pageLayout()
        full = layout.fullRect(QPageLayout.Unit.Point)
        paint = layout.paintRect(QPageLayout.Unit.Point)
        return cls(full.width() * PX_PER_POINT, full.height() * PX_PER_POINT,
                   (paint.left() - full.left()) * PX_PER_POINT,
                   (paint.top() - full.top()) * PX_PER_POINT,
                   device.logicalDpiX() / PX_PER_INCH)

    @property
    def content(self) -> QRectF:
        return QRectF(MARGIN_X, MARGIN_TOP, self.width - 2 * MARGIN_X,
                      self.height - MARGIN_TOP - MARGIN_BOTTOM)
