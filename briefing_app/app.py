"""The GUI application: QApplication set-up, the excepthook, and the main window."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import __version__, paths


def create_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "briefing-app", *argv])
    app.setApplicationName("Briefing")
    app.setOrganizationName("briefing-app")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("briefing-app")
    app.setWindowIcon(QIcon(str(paths.resource("icons", "briefing.svg"))))
    return app


def install_excepthook(window) -> None:
    """An unexpected error shows a dialog and logs it; the window and its data stay open."""

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        from .cli import write_crash_log

        log = write_crash_log("".join(traceback.format_exception(exc_type, exc, tb)))
        print(f"briefing-app: internal error; details were written to {log}", file=sys.stderr)
        from .ui import dialogs

        dialogs.show_internal_error(window, str(log))

    sys.excepthook = hook


def create_window(path: str | None = None):
    """The main window with its settings and appearance; `path` opens after the first paint."""
    from .ui.appearance import apply_appearance
    from .ui.main_window import MainWindow
    from .ui.settings import Settings

    settings = Settings()
    apply_appearance(settings.pref("appearance"))
    window = MainWindow(settings)
    target = path or str(paths.bundled_briefing())

    def start() -> None:
        # Work left by a crash comes first; otherwise open the file asked for.
        if not window.files.offer_recovery():
            window.open_path(target)

    QTimer.singleShot(0, start)
    return window


def release_clipboard() -> None:
    """Only the editor puts events on the clipboard: if it never loaded, there are none."""
    editing = sys.modules.get("briefing_app.ui.editing")
    if editing is not None:
        editing.release_clipboard()


def run(path: str | None, qt_args: Sequence[str] = ()) -> int:
    app = create_application(qt_args)
    app.aboutToQuit.connect(release_clipboard)
    window = create_window(path)
    install_excepthook(window)
    window.show()
    return app.exec()
