"""Where templates, stylesheets and fonts come from.

The built-in theme is the top-level ``templates/`` folder; an installed wheel
carries it as ``tipsheets/theme``. A project's own ``templates/`` folder is
searched first, so any built-in file can be overridden by giving a file of the
same name there (the way MkDocs themes are customised).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def builtin_theme() -> Path:
    """The built-in theme folder, in an installed wheel or in a source checkout."""
    packaged = PACKAGE / "theme"
    if packaged.is_dir():
        return packaged
    checkout = PACKAGE.parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the built-in theme is missing from this installation of tipsheets")


def theme_dirs(project: Path) -> list[Path]:
    """Template folders in search order: the project's own, then the built-in theme."""
    dirs = []
    own = project / "templates"
    builtin = builtin_theme()
    if own.is_dir() and own.resolve() != builtin.resolve():
        dirs.append(own.resolve())
    dirs.append(builtin)
    return dirs


def list_templates(project: Path) -> list[tuple[str, str]]:
    """``(name, "built-in" | "overridden" | "project")`` for every template file."""
    builtin = builtin_theme()
    names = {p.relative_to(builtin).as_posix() for p in builtin.rglob("*") if p.is_file()}
    own_dir = project / "templates"
    own = set()
    if own_dir.is_dir() and own_dir.resolve() != builtin.resolve():
        own = {p.relative_to(own_dir).as_posix() for p in own_dir.rglob("*") if p.is_file()}
    rows = []
    for name in sorted(names | own):
        if name in own and name in names:
            rows.append((name, "overridden"))
        elif name in own:
            rows.append((name, "project"))
        else:
            rows.append((name, "built-in"))
    return rows
