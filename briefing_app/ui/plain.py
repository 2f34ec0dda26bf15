"""A file's text, shown by Qt as written and never as rich text.

Qt draws a tooltip, or a label left at Qt.AutoText (every QMessageBox's), as rich text when
a tag-like word comes before its first line break (Qt.mightBeRichText). A title, a date or a
file name is the file's text: '<img src="/dev/zero">' would be laid out as HTML, and Qt's own
resource loader would open the image: /dev/zero until the process aborts, a named pipe for
ever, any other local file read into memory. Everything the app shows outside the detail
pane's SafeTextDocument goes through here.
"""

from __future__ import annotations

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QLabel, QWidget


def tip(text: str) -> str:
    """`text` for setToolTip/QToolTip.showText: as written, even when it looks like HTML."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text


def plain_labels(widget: QWidget) -> None:
    """Every label of `widget` (a message box's text and informative text) as plain text."""
    for label in widget.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
