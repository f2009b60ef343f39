"""Choosing the output folder, and refusing one that would put the project at risk.

The output folder is where builds write and where ``clean`` deletes, so it must
never be the project itself, a folder that contains it, a folder of the
project's own sources, or a place the project reaches through a symbolic link
(a committed ``output`` link to ``/home/someone`` would have builds write there).
The command line's ``--out`` is the user's own choice and may lie outside the
project; ``output:`` in tipsheets.yaml comes with the project and must lie
inside it.
"""

from __future__ import annotations

import os
from pathlib import Path

#: folders of the project that hold its sources: an output folder may not be, or be inside, one of them
SOURCE_FOLDERS = ("content", "templates", "locale", "schemas", ".git")


class UnsafeOutputFolder(Exception):
    """An output folder tipsheets will not write to, with the reason in plain words."""


def _through_link(path: Path, project: Path) -> Path | None:
    """The first folder on the way from ``project`` to ``path`` that is a symbolic link, if any."""
    current = project
    for part in path.relative_to(project).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def check_output_folder(out_dir: Path, project: Path, *, from_settings: bool = False) -> Path:
    """``out_dir`` made absolute, or :class:`UnsafeOutputFolder` saying why it is refused."""
    if not str(out_dir).strip():
        raise UnsafeOutputFolder("the output folder has an empty name")
    if not from_settings:
        out_dir = out_dir.expanduser()  # `-o ~` means the home folder, as in a shell
    project_abs = Path(os.path.abspath(project))
    given = out_dir if out_dir.is_absolute() else (project_abs / out_dir if from_settings else Path.cwd() / out_dir)
    out_abs = Path(os.path.abspath(given))
    project_real = project_abs.resolve()
    out_real = out_abs.resolve()
    if out_real == project_real or project_real.is_relative_to(out_real):
        raise UnsafeOutputFolder(f"{out_dir} is the project folder or contains it; builds and `clean` would "
                                 "write and delete among its files")
    if out_abs.is_relative_to(project_abs):
        link = _through_link(out_abs, project_abs)
        if link is not None:
            raise UnsafeOutputFolder(f"{link.relative_to(project_abs).as_posix()} is a symbolic link "
                                     f"(to {os.readlink(link)}); the output folder must be a real folder, so "
                                     "that builds never write outside where it seems to be")
    if out_real.is_relative_to(project_real):
        inside = out_real.relative_to(project_real).parts
        if inside and inside[0] in SOURCE_FOLDERS:
            raise UnsafeOutputFolder(f"{out_dir} is inside the project's {inside[0]}/ folder; choose a folder of "
                                     "its own, such as output/")
    elif from_settings:
        raise UnsafeOutputFolder(f"{out_dir} is outside the project; `output` in tipsheets.yaml must name a "
                                 "folder inside it (use --out for a folder elsewhere)")
    return out_abs
