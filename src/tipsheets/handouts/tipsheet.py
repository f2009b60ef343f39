"""Tip sheets: ``content/tipsheets/<id>.yaml`` → ``output/tipsheets/<id>.pdf`` (and ``<id>.es.pdf``).

A masthead, introduction and sidebars, numbered tips, closing sections, a case
example, references, a contact box and a funding note, over as many pages as
they take; a sheet whose last page would be nearly empty is set tighter.
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.catalog import Catalog
from tipsheets.core.models import TipSheet
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import Context, Kind, PageRules, brand_files, stem
from tipsheets.handouts.views import brand_view

FOLDER = "tipsheets"
TEMPLATE = "tipsheet/page.html.j2"


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out = []
    for entry in catalog.of("tipsheets"):
        sheet: TipSheet = entry.item
        out.append(Target(
            kind=KIND.name, id=sheet.id, locale=sheet.locale, template=TEMPLATE,
            stem=stem(FOLDER, sheet.id, sheet.locale), inputs=(entry.path, *brand_files(catalog, sheet.brands)),
            paper=sheet.paper or catalog.config.paper, title=sheet.title, audience=sheet.audience,
            brands=tuple(sheet.brands),
        ))
    return out


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("tipsheets", target.id, None if target.locale == "en" else target.locale)
    if entry is None:  # an English sheet saved as <id>.en.yaml
        entry = catalog.get("tipsheets", target.id, target.locale)
    assert entry is not None
    sheet: TipSheet = entry.item
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": None,
            "tight": layout.tight}


KIND = Kind(
    name="tipsheet", folder=FOLDER, template=TEMPLATE, heading="Tip sheets", audience="all",
    targets=targets, context=context, page=PageRules(tighten=True), dated=False, cost=4,
)
