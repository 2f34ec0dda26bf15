"""Where the bundled resources are, in a source checkout and in an installed wheel.

The wheel maps the top-level `events.json` and `resources/` into the package
(`briefing_app/data/events.json`, `briefing_app/resources/`); an editable install or a
checkout finds them beside the package instead.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.exists():
            return path
    return candidates[0]


def resources_dir() -> Path:
    return _first_existing(_PACKAGE / "resources", _PACKAGE.parent / "resources")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def bundled_briefing() -> Path:
    return _first_existing(_PACKAGE / "data" / "events.json", _PACKAGE.parent / "events.json")
