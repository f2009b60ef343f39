"""``tipsheets lint --fix``: apply one-suggestion substitutions in place in the YAML.

Each replacement is made in the file's own text at the finding's line and
column, so comments, quoting, indentation and line endings stay as they were;
only the matched words change, in the capitalisation of the original. A file
whose text has moved since it was linted, or that would no longer parse, is
left alone.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tipsheets.core.source import ContentError, Mark, load_yaml_text
from .engine import FileIndex, Finding
from .text import mask_pattern


@dataclass(frozen=True)
class Fix:
    file: str
    line: int
    col: int
    field: str
    rule: str
    old: str
    new: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The findings --fix can apply, by file: YAML content, one suggestion, located exactly."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fixable and f.file.endswith((".yaml", ".yml")) and "\n" not in f.text:
            out.setdefault(f.file, []).append(f)
    return out


def protected_spans(text: str, protected: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Where each protected name occurs in ``text`` (any white space between its words, '&' for 'and')."""
    masker = mask_pattern(tuple(protected))
    if masker.protected is None:
        return []
    return [(m.start(), m.end(), m.group(0)) for m in masker.protected.finditer(text)]


def apply_fixes(findings: list[Finding], root: Path, protected: tuple[str, ...] = ()) -> tuple[list[Fix], list[str]]:
    """Apply what can be fixed; return the fixes made and a message for each file skipped.

    A replacement is made only where the file holds the finding's text verbatim, and never
    inside a protected name (``protected``: the names of the lint rules in force).
    """
    done: list[Fix] = []
    skipped: list[str] = []
    for file, items in plan(findings).items():
        path = Path(file) if Path(file).is_absolute() else root / file
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8").removeprefix("\ufeff")
        index = FileIndex(text)
        names = protected_spans(text, protected)
        edits: list[tuple[int, int, Finding]] = []
        for f in items:
            start = index.offset(Mark(f.line, f.col))
            if text[start : start + len(f.text)] != f.text:
                skipped.append(f"{f.where()}: the text has changed since it was checked; not fixed")
                continue
            inside_name = next((name for a, b, name in names if a < start + len(f.text) and start < b), None)
            if inside_name is not None:
                skipped.append(f"{f.where()}: {' '.join(inside_name.split())!r} is a protected name; not fixed")
                continue
            edits.append((start, start + len(f.text), f))
        edits.sort(key=lambda e: e[0])
        kept: list[tuple[int, int, Finding]] = []
        for edit in edits:  # drop overlaps: the first wins
            if kept and edit[0] < kept[-1][1]:
                continue
            kept.append(edit)
        new_text = text
        for start, end, f in reversed(kept):
            new_text = new_text[:start] + f.suggestions[0] + new_text[end:]
        if not kept:
            continue
        try:
            load_yaml_text(new_text, file)
        except ContentError as exc:
            skipped.append(f"{file}: fixing would break the YAML ({exc.message}); not fixed")
            continue
        _write(path, ("\ufeff" if bom else "") + new_text)
        done.extend(Fix(f.file, f.line, f.col, f.field, f.rule, f.text, f.suggestions[0]) for _, _, f in kept)
    return done, skipped


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, keeping its permissions."""
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
