"""Expanding the catalog into build targets: one per handout and locale.

A :class:`Target` names what to render (kind, document id, locale), the
template, where its files go under ``output/``, and every content file it
reads, so that a problem in one file stops only the handouts that read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalog import Catalog
from .model import Edition, TipSheet

#: kind → (template, output folder)
KINDS = {
    "tipsheet": ("tipsheet.html.j2", "tipsheets"),
    "edition": ("tipsheet.html.j2", "editions"),
}


@dataclass(frozen=True)
class Target:
    kind: str
    id: str
    locale: str
    template: str
    #: output path without extension, relative to the output folder, e.g. "tipsheets/win-win.es"
    stem: str
    #: content files it reads, as shown (relative to the project root)
    inputs: tuple[str, ...]
    paper: str = "letter"
    one_page: bool = False
    title: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.stem

    def output(self, fmt: str) -> str:
        return f"{self.stem}.{fmt}"


def _stem(folder: str, id: str, locale: str) -> str:
    return f"{folder}/{id}" if locale == "en" else f"{folder}/{id}.{locale}"


def brand_files(catalog: Catalog, ids: list[str] | tuple[str, ...]) -> list[str]:
    files = []
    for brand_id in ids:
        entry = catalog.get("brands", brand_id)
        files.append(entry.path if entry else f"content/brands/{brand_id}.yaml")
    return files


def tipsheet_targets(catalog: Catalog) -> list[Target]:
    targets = []
    template, folder = KINDS["tipsheet"]
    for entry in catalog.of("tipsheets"):
        sheet: TipSheet = entry.item
        inputs = [entry.path, *brand_files(catalog, sheet.brands)]
        targets.append(Target(
            kind="tipsheet", id=sheet.id, locale=sheet.locale, template=template,
            stem=_stem(folder, sheet.id, sheet.locale), inputs=tuple(inputs),
            paper=sheet.paper or catalog.config.paper, title=sheet.title,
        ))
    return targets


def edition_targets(catalog: Catalog) -> list[Target]:
    """One target per edition: its base merged with its changes, and its classes box.

    An edition reads its own file, its base tip sheet, its brands and every
    program its classes box lists, so a change to any of them rebuilds it.
    """
    from .editions import base_file_name, classes_programs, find_base

    targets = []
    template, folder = KINDS["edition"]
    for entry in catalog.of("editions"):
        edition: Edition = entry.item
        base = find_base(catalog, entry)
        sheet: TipSheet | None = base.item if base else None
        brands = edition.brands or (sheet.brands if sheet else [])
        listed = classes_programs(catalog, edition)
        program_files = [catalog.get("programs", p.id).path for p in listed]
        if edition.classes is not None:
            # a program file that does not load might be one the box should list
            program_files += sorted(p for p in catalog.failed if p.startswith("content/programs/"))
            program_files += [f"content/programs/{p}.yaml" for p in edition.classes.programs
                              if catalog.get("programs", p) is None]
        inputs = [entry.path, base.path if base else base_file_name(edition),
                  *brand_files(catalog, brands), *program_files]
        locale = edition.locale or (sheet.locale if sheet else "en")
        targets.append(Target(
            kind="edition", id=edition.id, locale=locale, template=template,
            stem=f"{folder}/{edition.id}", inputs=tuple(dict.fromkeys(inputs)),
            paper=edition.paper or (sheet.paper if sheet else None) or catalog.config.paper,
            title=edition.title or (sheet.title if sheet else ""),
            extra={"programs": [p.id for p in listed]},
        ))
    return targets


def plan(catalog: Catalog, as_of: dt.date, *, locales: list[str] | None = None) -> list[Target]:
    """Every target the catalog asks for, in a stable order."""
    targets = tipsheet_targets(catalog) + edition_targets(catalog)
    if locales:
        targets = [t for t in targets if t.locale in locales]
    return sorted(targets, key=lambda t: (t.kind, t.stem))
