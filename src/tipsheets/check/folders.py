"""The project's own folders of templates and translations: inside the project, or not read at all.

A project may override the theme (``templates/``) and its messages
(``locale/``). Either folder, or any file in it, may be a symbolic link; one
that leads outside the project is never read, and saying so here turns a
silent omission into one line that names it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from tipsheets.check.problems import Problem
from tipsheets.core.errors import ContentError
from tipsheets.core.paths import is_inside

FOLDERS = ("templates", "locale")


def check_folders(root: Path) -> Iterator[Problem]:
    for name in FOLDERS:
        folder = root / name
        if not folder.exists() and not folder.is_symlink():
            continue
        if not is_inside(folder, root):
            yield Problem("error", ContentError(
                f"{name}/", "this folder is a link to a place outside the project; nothing in it is read",
                hint=f"put the {name} themselves in the project"))
            continue
        for here, dirs, files in os.walk(folder, followlinks=False):
            for child in sorted(dirs + files):
                path = Path(here) / child
                if path.is_symlink() and not is_inside(path, root):
                    shown = path.relative_to(root).as_posix()
                    yield Problem("error", ContentError(
                        shown, "this is a link to a file outside the project; it is not read",
                        hint="put the file itself in the project"))
