"""User preferences and window state in QSettings, with every default declared once.

Preferences (appearance, lane mode, ...) live in the "prefs" group and are stored only when
they differ from their default; window state (geometry, splitters, recent files) lives in
"window". The settings file is found through QStandardPaths when the object is built, never
at import time, so tests can point XDG_CONFIG_HOME at a temporary folder.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from ..model.layout import MODES as LANE_MODES
from .appearance import MODES as APPEARANCES

PREFERENCES: dict[str, Any] = {
    "appearance": "system",  # system | light | dark
    "lane_mode": "actor",  # actor | tag | single
    "autosave_seconds": 30,
}
# What a preference may be. The settings file is text anyone can edit (or damage): a value
# outside these is read as the default, never handed on (a lane mode the timeline refuses,
# or an interval QTimer cannot hold, stopped the window from opening at all).
CHOICES: dict[str, tuple[str, ...]] = {"appearance": APPEARANCES, "lane_mode": LANE_MODES}
RANGES: dict[str, tuple[int, int]] = {"autosave_seconds": (5, 3600)}
MAX_RECENT = 10


class Settings:
    def __init__(self, path: str | None = None) -> None:
        if path is None:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.GenericConfigLocation)
            path = os.path.join(folder, "briefing-app", "briefing-app.ini")
        self._qs = QSettings(path, QSettings.Format.IniFormat)

    # preferences ------------------------------------------------------------------------
    def pref(self, key: str) -> Any:
        default = PREFERENCES[key]
        value = self._qs.value(f"prefs/{key}", default)
        try:
            value = type(default)(value)
        except (TypeError, ValueError, OverflowError):
            return default
        if key in CHOICES and value not in CHOICES[key]:
            return default
        if key in RANGES:
            low, high = RANGES[key]
            value = min(max(value, low), high)
        return value

    def set_pref(self, key: str, value: Any) -> None:
        if value == PREFERENCES[key]:
            self._qs.remove(f"prefs/{key}")
        else:
            self._qs.setValue(f"prefs/{key}", value)

    # window state -----------------------------------------------------------------------
    def state(self, key: str) -> QByteArray | None:
        value = self._qs.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self._qs.setValue(f"window/{key}", value)

    def recent_files(self) -> list[str]:
        value = self._qs.value("window/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent_file(self, path: str) -> list[str]:
        path = os.path.abspath(path)
        files = [path] + [f for f in self.recent_files() if f != path]
        self._qs.setValue("window/recent", files[:MAX_RECENT])
        return files[:MAX_RECENT]

    def remove_recent_file(self, path: str) -> None:
        self._qs.setValue("window/recent", [f for f in self.recent_files() if f != path])

    def sync(self) -> None:
        self._qs.sync()

    @property
    def file_name(self) -> str:
        return self._qs.fileName()
