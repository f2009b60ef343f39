"""Paths taken from untrusted input resolve inside the project, or are refused.

Settings, content and templates name files (lint rule files, logos, the output
folder); the project's ``templates/`` and ``locale/`` folders hold files that
may be symbolic links. Every such path is resolved, links and ``..`` included,
and used only when it lands inside the project folder. A refusal says so
without telling whether the file outside exists or how big it is.
"""

from __future__ import annotations

import os
from pathlib import Path

#: the project's settings file, at the top of the project
CONFIG_NAME = "tipsheets.yaml"


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link and ``..`` resolved, lies inside ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def resolve_inside(root: Path, name: str) -> Path | None:
    """``root / name`` resolved, or None when it would land outside ``root`` (absolute, ``..``, a link out)."""
    if not name or "\x00" in name:
        return None
    candidate = Path(name)
    if candidate.is_absolute():
        return None
    try:
        path = (root / candidate).resolve()
        return path if path.is_relative_to(root.resolve()) else None
    except (OSError, RuntimeError):  # a link loop
        return None


def files_inside(folder: Path, root: Path) -> list[Path]:
    """The visible files under ``folder`` (none of whose names below it starts with "."), sorted,
    that resolve inside ``root``: a link that leads out of the project is left out."""
    if not folder.is_dir() or not is_inside(folder, root):
        return []
    return [path for path in visible_files(folder) if "__pycache__" not in path.parts and is_inside(path, root)]


def visible_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted, but hidden ones: those with a name starting with "."
    below ``folder`` (the folders above it may be hidden, a project in ``~/.work`` is read)."""
    if not folder.is_dir():
        return []
    out = []
    for here, dirs, files in os.walk(folder):  # into no linked folder, as Path.rglob in Python 3.11
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        parent = Path(here)
        out += [path for name in files if not name.startswith(".") and (path := parent / name).is_file()]
    return sorted(out)
