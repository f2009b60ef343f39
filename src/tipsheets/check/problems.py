"""What a check finds: a :class:`Problem`, an error or a warning that points into the YAML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tipsheets.core.catalog import Entry
from tipsheets.core.errors import ContentError, FieldPath

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    level: Level
    error: ContentError

    @property
    def file(self) -> str:
        return self.error.file

    def format(self) -> str:
        """``file:line:col: field: message``; warnings say so after the position."""
        text = self.error.format()
        if self.level == "warning":
            where = f"{self.error.file}:{self.error.line}:{self.error.col}: "
            text = where + "warning: " + text.removeprefix(where)
        return text


def error(entry: Entry, path: FieldPath, message: str, hint: str = "") -> Problem:
    return Problem("error", entry.error(path, message, hint=hint))


def warning(entry: Entry, path: FieldPath, message: str, hint: str = "") -> Problem:
    return Problem("warning", entry.error(path, message, hint=hint))
