"""Brands: colours that resolve and read, logos that exist inside the project and load nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from tipsheets.check import images
from tipsheets.check.problems import Problem, error as _error, warning as _warning
from tipsheets.core import colours as brands
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.errors import FieldPath
from tipsheets.core.models import Brand


def check_brand(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    brand: Brand = entry.item
    root = catalog.root
    roles = {}
    for name in ("foreground", "background", "primary", "secondary"):
        try:
            roles[name] = brands.role(brand, name)
        except brands.ColourError as exc:
            yield _error(entry, ("color", name), str(exc))
    for name, value in brand.color.palette.items():
        try:
            brands.resolve_colour(brand, value)
        except brands.ColourError as exc:
            yield _error(entry, ("color", "palette", name), str(exc))
    if "foreground" in roles and "background" in roles:
        ratio = brands.contrast(roles["foreground"], roles["background"])
        if ratio < brands.MIN_CONTRAST:
            yield _error(entry, ("color", "foreground"),
                         f"text colour {roles['foreground']} on background {roles['background']} has contrast "
                         f"{ratio:.2f}:1, below the WCAG AA minimum of {brands.MIN_CONTRAST}:1",
                         hint="darken the foreground or lighten the background")
    if "primary" in roles and "background" in roles:
        ratio = brands.contrast(roles["primary"], roles["background"])
        if ratio < brands.MIN_CONTRAST:
            yield _error(entry, ("color", "primary"),
                         f"primary colour {roles['primary']} (headings and links) on background "
                         f"{roles['background']} has contrast {ratio:.2f}:1, below the WCAG AA minimum of "
                         f"{brands.MIN_CONTRAST}:1", hint="choose a darker primary colour")
    yield from _check_logo(entry, root)


def _check_logo(entry: Entry, root: Path) -> Iterator[Problem]:
    brand: Brand = entry.item
    spec = brand.logo
    if spec is None:
        return
    if isinstance(spec, str):
        yield _error(entry, ("logo",), "a logo needs alt text",
                     hint="write logo: {images: {mark: {path: ..., alt: ...}}, medium: mark}")
        return
    for name, image in spec.images.items():
        if isinstance(image, str):
            yield _error(entry, ("logo", "images", name), f"logo image '{name}' has no alt text",
                         hint=f"write {name}: {{path: {image}, alt: \"what the logo shows\"}}")
    for size in ("small", "medium", "large"):
        choice = getattr(spec, size)
        names = [choice] if isinstance(choice, str) else [c for c in (getattr(choice, "light", None),
                                                                      getattr(choice, "dark", None)) if c]
        for name in names:
            if name not in spec.images:
                yield _error(entry, ("logo", size), f"'{name}' is not one of the logo images",
                             hint=f"name one of: {', '.join(spec.images) or '(none given)'}")
    for name, image in spec.images.items():
        if isinstance(image, str):
            continue
        yield from _check_asset(entry, ("logo", "images", name, "path"), image.path, root)


def _check_asset(entry: Entry, field: FieldPath, path: str, root: Path) -> Iterator[Problem]:
    if "://" in path or path.startswith(("data:", "/")):
        yield _error(entry, field, f"'{path}' must be a file path relative to this file",
                     hint="put the image in the project and name it relatively, e.g. logos/mark.svg")
        return
    try:
        file = brands.logo_file(Path(root, entry.path), path)
        is_file = file.is_file()
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
        reason = getattr(exc, "strerror", None) or ("a loop of symbolic links" if isinstance(exc, RuntimeError)
                                                    else str(exc))
        shown = path if len(path) <= 80 else path[:80] + "..."
        yield _error(entry, field, f"image file '{shown}' cannot be read: {reason}")
        return
    if not file.is_relative_to(root):
        yield _error(entry, field, f"'{path}' points outside the project", hint="keep images inside the project")
    elif not is_file:
        yield _error(entry, field, f"image file '{path}' does not exist")
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
