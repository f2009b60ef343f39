"""Brands: colours that read on what they are printed on, logo and font files inside the project and sound.

The colour checks follow :data:`tipsheets.core.colours.PAIRS`, every pair of
brand colours the theme prints one on the other. A pair under 4.5:1 is an
error that gives the measured ratio and the nearest shade of the colour to
change that passes (:func:`tipsheets.core.colours.nearest_passing`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tipsheets.check import fonts, images
from tipsheets.check.problems import Problem, error as _error, warning as _warning
from tipsheets.core import colours
from tipsheets.core.brandfile import Brand, logo_file
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.errors import FieldPath


def check_brand(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    brand: Brand = entry.item
    for note in brand.notes:
        yield Problem("warning", entry.source.positions.error(note.field, note.message, hint=note.hint, key=note.key))
    yield from check_contrast(entry)
    for logo in brand.logo_files:
        yield from _check_asset(entry, logo.field, logo.path, catalog.root)
    yield from _check_fonts(entry, catalog.root)


# --------------------------------------------------------------------------- contrast


@dataclass(frozen=True)
class Failure:
    """A pair of colours under 4.5:1: the ratio, and the nearest shade of ``role`` with which it passes."""

    pair: colours.Pair
    ratio: float
    role: str
    shade: str | None


def contrast_failures(brand: Brand) -> list[Failure]:
    """Every pair the theme prints that falls under 4.5:1, each with the nearest passing shade to suggest.

    The shade is of the pair's ``blame`` role (a tinted box stays pale); when
    no shade of it can pass (text too pale even on white), of the text colour.
    """
    printed = colours.printed(brand.colours)
    roles = {k: v for k, v in printed.items() if k != "on_primary"}
    failures = []
    for pair in colours.PAIRS:
        ratio = colours.contrast(printed[pair.text], printed[pair.surface])
        if ratio >= colours.MIN_CONTRAST:
            continue
        role, shade = pair.blame, colours.nearest_passing(roles, pair.blame)
        if shade is None:
            other = pair.text if pair.blame != pair.text and pair.text != "on_primary" else pair.surface
            role, shade = other, colours.nearest_passing(roles, other)
            if shade is None:
                role = pair.blame
        failures.append(Failure(pair, ratio, role, shade))
    return failures


def _named(role: str, printed: dict[str, str], brand: Brand) -> str:
    if role == "on_primary":
        return f"text {printed[role]}"
    given = "" if role in brand.colours else " (the theme's: the brand gives none)"
    return f"{role} {printed[role]}{given}"


def check_contrast(entry: Entry) -> Iterator[Problem]:
    brand: Brand = entry.item
    printed = colours.printed(brand.colours)
    for failure in contrast_failures(brand):
        pair, role = failure.pair, failure.role
        field: FieldPath = brand.colour_fields.get(role, ("color",))
        message = (f"{_named(pair.text, printed, brand)} ({pair.where}) on {_named(pair.surface, printed, brand)} "
                   f"has contrast {failure.ratio:.2f}:1, below the WCAG AA minimum of {colours.MIN_CONTRAST}:1")
        if failure.shade is None:
            hint = f"choose a {role} colour further from the colours printed on or under it"
        else:
            hint = (f"the nearest shade of {role} that passes is {failure.shade}: "
                    f"set color.{role} to \"{failure.shade}\"")
        yield _error(entry, field, message, hint=hint)


# --------------------------------------------------------------------------- logo files


def _check_asset(entry: Entry, field: FieldPath, path: str, root: Path) -> Iterator[Problem]:
    try:
        file = logo_file(Path(root, entry.path), path)
        is_file = file.is_file()
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
        reason = getattr(exc, "strerror", None) or ("a loop of symbolic links" if isinstance(exc, RuntimeError)
                                                    else str(exc))
        yield _error(entry, field, f"image file '{images.shown(path)}' cannot be read: {reason}")
        return
    if not file.is_relative_to(root.resolve()):
        yield _error(entry, field, f"'{images.shown(path)}' points outside the project",
                     hint="keep images inside the project")
    elif not is_file:
        yield _error(entry, field, f"image file '{images.shown(path)}' does not exist")
    else:
        yield from _check_image(entry, field, file, path)


def _check_image(entry: Entry, field: FieldPath, file: Path, path: str) -> Iterator[Problem]:
    """The image file itself: decoded in full, its real type, size and safety (see :mod:`tipsheets.check.images`)."""
    try:
        _, warnings = images.check_file(file, path)
    except images.ImageProblem as exc:
        yield _error(entry, field, exc.message, hint=exc.hint)
        return
    except OSError as exc:
        yield _error(entry, field, f"image file '{images.shown(path)}' cannot be read: {exc.strerror or exc}")
        return
    for warning in warnings:
        yield _warning(entry, field, warning.message, hint=warning.hint)


# --------------------------------------------------------------------------- fonts


def _check_fonts(entry: Entry, root: Path) -> Iterator[Problem]:
    brand: Brand = entry.item
    for font in brand.typography.fonts:
        for file in font.files:
            if file.remote:
                yield _warning(entry, file.field, f"'{fonts.shown(file.path)}' is an address; tipsheets never "
                                                  "downloads fonts, so this file is not used",
                               hint="download the file into the project and name it relatively")
                continue
            yield from _check_font_file(entry, file.field, file.path, root)
    yield from _check_sizes(entry)
    fallbacks: dict[tuple[FieldPath, str], list[fonts.Choice]] = {}
    for choice in fonts.choices(brand):
        if choice.family is None:
            fallbacks.setdefault((choice.field, choice.reason), []).append(choice)
    for (field, reason), chosen in fallbacks.items():
        settings = " and ".join(c.setting for c in chosen)
        instead = " and ".join(dict.fromkeys(c.fallback for c in chosen))
        verb = "prints" if len(chosen) == 1 else "print"
        yield _warning(entry, field, f"{reason}; {settings} text {verb} in {instead} instead",
                       hint="put the font files in the project and list them under source: file, "
                            "or install the font")


def _check_font_file(entry: Entry, field: FieldPath, path: str, root: Path) -> Iterator[Problem]:
    try:
        file = fonts.font_path(root, entry.path, path)
        if not file.is_file():
            yield _error(entry, field, f"font file '{fonts.shown(path)}' does not exist")
            return
        fonts.check_font(fonts.read_font(file, path), path)
    except fonts.FontProblem as exc:
        yield _error(entry, field, exc.message, hint=exc.hint)
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or ("a loop of symbolic links" if isinstance(exc, RuntimeError)
                                                    else str(exc))
        yield _error(entry, field, f"font file '{fonts.shown(path)}' cannot be read: {reason}")


def _check_sizes(entry: Entry) -> Iterator[Problem]:
    """Sizes and line heights the theme cannot take are said so, not dropped in silence."""
    typography = entry.item.typography
    base, heads, mono = typography.base, typography.headings, typography.monospace
    if base is not None and base.size and fonts.points(base.size) is None:
        yield _warning(entry, base.field + ("size",), f"base size '{fonts.shown(base.size)}' is not used: tip "
                                                       "sheets print body text at 7 to 14 pt",
                       hint="give a size such as 11pt, 15px or 0.9rem")
    if mono is not None and mono.size and fonts.relative_size(mono.size) is None:
        yield _warning(entry, mono.field + ("size",), f"monospace size '{fonts.shown(mono.size)}' is not used: "
                                                       "code is sized against its text, 0.6em to 1.4em",
                       hint="give a size such as 0.9em or 90%")
    for style in (base, heads):
        if style is not None and style.line_height is not None and fonts.line_height(style) is None:
            yield _warning(entry, style.field + ("line-height",), f"line-height {style.line_height:g} is not used: "
                                                                  "it must lie between 0.8 and 3",
                           hint="give a line height such as 1.4")
