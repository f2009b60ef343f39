"""Tip sheets: ``content/tipsheets/<id>.yaml`` → ``output/tipsheets/<id>.pdf`` (and ``<id>.es.pdf``).

A masthead, the body as blocks (or the shorthand form: introduction and
sidebars, numbered tips, closing sections, a case example), references, a
contact box and a funding note, over as many pages as they take; a sheet whose
last page would be nearly empty is set tighter.
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.catalog import Catalog

from tipsheets.core.blocks import ClassesBlock, TipsBlock
from tipsheets.core.models import TipSheet, body_blocks
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import (Context, Kind, PageRules, block_keys, brand_files, layout_file, layout_template,
                                     stem)
from tipsheets.handouts.views import brand_view

FOLDER = "tipsheets"
TEMPLATE = "tipsheet/page.html.j2"


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out = []
    for entry in catalog.of("tipsheets"):
        sheet: TipSheet = entry.item
        out.append(Target(
            kind=KIND.name, id=sheet.id, locale=sheet.locale, template=layout_template(catalog, sheet.layout, TEMPLATE),
            stem=stem(FOLDER, sheet.id, sheet.locale), inputs=(entry.path, *brand_files(catalog, sheet.brands)),
            paper=sheet.paper or catalog.config.paper, orientation=sheet.orientation or "portrait",
            title=sheet.title, audience=sheet.audience, brands=tuple(sheet.brands),
        ))
    return out


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("tipsheets", target.id, None if target.locale == "en" else target.locale)
    if entry is None:  # an English sheet saved as <id>.en.yaml
        entry = catalog.get("tipsheets", target.id, target.locale)
    assert entry is not None
    sheet: TipSheet = entry.item
    return {**sheet_context(catalog, sheet, classes=False), "brands": [brand_view(catalog, b) for b in sheet.brands],
            "classes": None, "tight": layout.tight}


def sheet_context(catalog: Catalog, sheet: TipSheet, *, classes: bool) -> Context:
    """What the tip sheet template needs of a sheet: the sheet, its blocks in print order with a key
    for each, its footnotes and the layout it names. ``classes``: an edition's classes box prints,
    where the sheet's classes block stands or else at the end."""
    blocks = body_blocks(sheet)
    if classes and not any(isinstance(b, ClassesBlock) for b in blocks):
        blocks.append(ClassesBlock(type="classes"))
    return {"sheet": sheet, "blocks": blocks, "keys": block_keys(blocks, sheet_ids(sheet)),
            "footnotes": sheet.footnotes, "layout_style": layout_file(catalog, sheet.layout, "style.css.j2")}


def sheet_ids(sheet: TipSheet) -> list[str]:
    """Every id a sheet gives, which the page prints as an element's id."""
    ids: list[str] = [item.id for part in (sheet.intro, sheet.sidebars, sheet.tips, sheet.closing) for item in part]
    for block in sheet.blocks:
        if isinstance(block, TipsBlock):
            ids += [g.id for g in block.groups if g.id]
            ids += [t.id for t in block.tips if t.id]
            ids += [t.id for g in block.groups for t in g.tips if t.id]
    return ids


KIND = Kind(
    name="tipsheet", folder=FOLDER, template=TEMPLATE, heading="Tip sheets", audience="all",
    targets=targets, context=context, page=PageRules(tighten=True), dated=False, cost=4,
)
