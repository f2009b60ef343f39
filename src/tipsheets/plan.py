"""Expanding the catalog into build targets: one per handout and locale.

A :class:`Target` names what to render (kind, document id, locale), the
template, where its files go under ``output/``, and every content file it
reads, so that a problem in one file stops only the handouts that read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalog import Catalog
from .model import TipSheet

#: kind → (template, output folder)
KINDS = {
    "tipsheet": ("tipsheet.html.j2", "tipsheets"),
    "cards": ("referral-cards.html.j2", "cards"),
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


def plan(catalog: Catalog, as_of: dt.date, *, locales: list[str] | None = None) -> list[Target]:
    """Every target the catalog asks for, in a stable order."""
    from .cards import cards_targets

    targets = tipsheet_targets(catalog) + cards_targets(catalog)
    if locales:
        targets = [t for t in targets if t.locale in locales]
    return sorted(targets, key=lambda t: (t.kind, t.stem))
