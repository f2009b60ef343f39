"""The one error type for bad input, and how any text is made safe to print on one line.

Every problem with something a user wrote (a content file, the settings, a
template, a command-line value) becomes a :class:`ContentError`, which the
command line prints as ``file:line:col: field: message (hint: ...)`` and
answers with exit code 2.

Names and values echoed into messages come from untrusted files: a file name
or a mapping key may hold line breaks or terminal escape sequences, enough to
forge a "✓ built" line. :func:`printable` turns every control character into
a visible escape, so a message is always one honest line.
"""

from __future__ import annotations

import re
from pathlib import Path

FieldPath = tuple[str | int, ...]

#: C0 and C1 controls but tab (ESC among them), DEL, line and paragraph separators, bidi overrides
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    r"""``text`` with every control character shown as an escape (``\n``, ``\x1b``, ``\u202e``)."""
    return _CONTROL.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in "\n\r":
        return repr(ch)[1:-1]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: object) -> str:
    """``text`` with runs of white space made one space (for messages quoted from libraries)."""
    return " ".join(str(text).split())


def field_name(path: FieldPath) -> str:
    """``("tips", 2, "heading")`` → ``tips[2].heading``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class ContentError(Exception):
    """A bad input: the one error type every content problem becomes."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        line: int = 1,
        col: int = 1,
        field: str = "",
        hint: str = "",
    ) -> None:
        self.file = str(file)
        self.line = line
        self.col = col
        self.field = field
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return printable(text)

    def __str__(self) -> str:
        return self.format()
