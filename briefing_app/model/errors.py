"""Exceptions of the model, shown once at the UI edge or printed by the CLI.

    BriefingError            base of everything the model raises on purpose
    ├── LoadError            a file could not be read or is not a valid briefing;
    │                        `.problems` lists every problem, each naming file and place
    └── SaveError            a save failed; the file on disk is unchanged
    DateError (dates.py)     a ValueError: text that is not an accepted date
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base of the model's deliberate errors; str() is a message for a person."""


class LoadError(BriefingError):
    """The file is unreadable (`unreadable` is True) or not a valid briefing."""

    def __init__(self, path: str, problems: list[str], unreadable: bool = False) -> None:
        self.path = path
        self.problems = problems
        self.unreadable = unreadable
        super().__init__("\n".join(problems))


class SaveError(BriefingError):
    """Saving failed; the original file is untouched and the data is still in memory."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: could not save: {reason}")


class ChangedOnDisk(SaveError):
    """The file was changed by someone else since it was read; nothing was written."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "the file was changed by another program since it was opened")
