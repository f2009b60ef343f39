"""Where templates, stylesheets and fonts come from.

The built-in theme is the top-level ``templates/`` folder; an installed wheel
carries it as ``tipsheets/theme``. It has one folder per kind of handout
(``tipsheet/``, ``desk-aid/``...) plus ``base/`` for what they share. A
project's own ``templates/`` folder is searched first, so any built-in file can
be overridden by giving a file of the same name there (the way MkDocs themes
are customised). The names the theme used before it had folders still work
(:data:`OLD_NAMES`).
"""

from __future__ import annotations

from pathlib import Path

from tipsheets.core.paths import files_inside, is_inside

PACKAGE = Path(__file__).resolve().parents[1]

#: a template's name before the theme had one folder per kind → its name now
OLD_NAMES = {
    "base.html.j2": "base/page.html.j2",
    "style.css.j2": "base/style.css.j2",
    "macros.html.j2": "base/macros.html.j2",
    "local.html.j2": "base/local.html.j2",
    "print-shop.css.j2": "base/print-shop.css.j2",
    "tipsheet.html.j2": "tipsheet/page.html.j2",
    "classes.html.j2": "tipsheet/classes.html.j2",
    "desk-aid.html.j2": "desk-aid/page.html.j2",
    "desk-aid.css.j2": "desk-aid/style.css.j2",
    "flyer.html.j2": "flyer/page.html.j2",
    "flyer.css.j2": "flyer/style.css.j2",
    "referral-cards.html.j2": "cards/page.html.j2",
    "gallery.html.j2": "gallery/page.html.j2",
}


def current_name(name: str) -> str:
    """A template's name in today's theme (an old name is translated; any other is kept)."""
    return OLD_NAMES.get(name, name)


def builtin_theme() -> Path:
    """The built-in theme folder, in an installed wheel or in a source checkout."""
    packaged = PACKAGE / "theme"
    if packaged.is_dir():
        return packaged
    checkout = PACKAGE.parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the built-in theme is missing from this installation of tipsheets")


def own_templates(project: Path) -> Path | None:
    """The project's templates/ folder, when it has one that lies inside the project."""
    own = project / "templates"
    if not own.is_dir() or not is_inside(own, project):
        return None
    if own.resolve() == builtin_theme().resolve():
        return None
    return own.resolve()


def theme_dirs(project: Path) -> list[Path]:
    """Template folders in search order: the project's own, then the built-in theme."""
    own = own_templates(project)
    return ([own] if own else []) + [builtin_theme()]


def list_templates(project: Path) -> list[tuple[str, str]]:
    """``(name, "built-in" | "overridden" | "project")`` for every template file, by today's names."""
    builtin = builtin_theme()
    names = {p.relative_to(builtin).as_posix() for p in builtin.rglob("*") if p.is_file()}
    own_dir = own_templates(project)
    own = set()
    if own_dir is not None:
        own = {current_name(p.relative_to(own_dir).as_posix()) for p in files_inside(own_dir, project.resolve())}
    rows = []
    for name in sorted(names | own):
        if name in own and name in names:
            rows.append((name, "overridden"))
        elif name in own:
            rows.append((name, "project"))
        else:
            rows.append((name, "built-in"))
    return rows
