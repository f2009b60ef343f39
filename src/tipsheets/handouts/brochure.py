"""Tri-fold brochures: ``content/brochures/<id>.yaml`` → ``output/brochures/<id>.pdf`` (and ``<id>.es.pdf``).

A Letter sheet in landscape, printed on both sides and folded in three. The
outside holds, left to right, the inside flap, the back and the front cover;
the inside holds three panels. The panels fold true: 3.6875, 3.6875 and
3.625 in, the panel that folds in narrowest, and every panel keeps its text at
least 1/8 in from the folds. The PDF reads panel by panel (the cover, the flap,
the back; then the inside, left to right); the web page shows the panels one
after another in the order a reader opens them.

Two forms: a program's brochure (``program: <id>``), whose panels are filled
from the program's file (what the class offers, its next sessions, what it
costs, how to sign up) unless the brochure gives a panel's blocks itself; and a
general brochure, whose six panels are lists of blocks. Either must fit its two
sides: a program's brochure first lists fewer sessions, then sets its type
smaller; if it still does not fit, it fails and says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.models import PANELS, Brochure, Program
from tipsheets.core.sessions import FLYER_SESSIONS
from tipsheets.core.status import has_flyer
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import (Context, Fallback, Kind, PageRules, block_keys, brand_files, layout_file,
                                     layout_template, stem)
from tipsheets.handouts.views import brand_view, program_view
from tipsheets.render import i18n

FOLDER = "brochures"
TEMPLATE = "brochure/page.html.j2"

#: the width of each panel in inches, left to right, on each side; the panel that folds in is narrowest
OUTSIDE_PANELS = (("flap", 3.625), ("back", 3.6875), ("cover", 3.6875))
INSIDE_PANELS = (("inside_left", 3.6875), ("inside_middle", 3.6875), ("inside_right", 3.625))
#: the least distance between a fold and the text of a panel, in inches
FOLD_CLEARANCE = 0.125


def folds(side: tuple[tuple[str, float], ...]) -> list[float]:
    """Where a side folds, in inches from its left edge."""
    edges, x = [], 0.0
    for _, width in side[:-1]:
        x += width
        edges.append(x)
    return edges


def brochure_brands(brochure: Brochure, program: Program | None) -> list[str]:
    """The brands a brochure prints: its own, else its program's provider, else the project's default."""
    if brochure.brands:
        return list(brochure.brands)
    return [program.provider] if program is not None else ["default"]


def _program(catalog: Catalog, brochure: Brochure) -> Program | None:
    entry = catalog.get("programs", brochure.program) if brochure.program else None
    return entry.item if entry is not None else None


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out = []
    for entry in catalog.of("brochures"):
        brochure: Brochure = entry.item
        program = _program(catalog, brochure)
        if brochure.program is not None and (program is None or not has_flyer(program)):
            continue  # the check reports an unknown program; a paused or ended one gets no brochure
        brands = brochure_brands(brochure, program)
        inputs = [entry.path]
        if program is not None:
            inputs.append(catalog.require("programs", program.id).path)
        title = brochure.title or (str(i18n.local_text(program, "name", brochure.locale)) if program else "")
        out.append(Target(
            kind=KIND.name, id=brochure.id, locale=brochure.locale,
            template=layout_template(catalog, brochure.layout, TEMPLATE),
            stem=stem(FOLDER, brochure.id, brochure.locale),
            inputs=tuple(dict.fromkeys(inputs + brand_files(catalog, brands))),
            paper="letter", orientation="landscape", title=title, audience=brochure.audience,
            program=program.id if program else None, brands=tuple(brands),
        ))
    return out


def _entry(catalog: Catalog, target: Target) -> Entry:
    entry = catalog.get("brochures", target.id, None if target.locale == "en" else target.locale)
    if entry is None:  # an English brochure saved as <id>.en.yaml
        entry = catalog.get("brochures", target.id, target.locale)
    assert entry is not None
    return entry


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    brochure: Brochure = _entry(catalog, target).item
    program = _program(catalog, brochure)
    brands = [brand_view(catalog, b) for b in brochure_brands(brochure, program)]
    view = None
    if program is not None:
        view = program_view(catalog, program, target.locale, as_of, layout.sessions or FLYER_SESSIONS,
                            brands[0].colours["foreground"])
    panels = {name: list(getattr(brochure.panels, name)) for name in PANELS}
    every = [block for name in PANELS for block in panels[name]]
    names = iter(block_keys(every))
    keys = {name: [next(names) for _ in panels[name]] for name in PANELS}
    title: Any = brochure.title or (view.name if view is not None else "")
    return {"brochure": brochure, "program": view, "brands": brands, "panels": panels, "keys": keys,
            "title": title, "subtitle": brochure.subtitle, "compact": layout.compact,
            "layout_style": layout_file(catalog, brochure.layout, "style.css.j2"),
            "outside": OUTSIDE_PANELS, "inside": INSIDE_PANELS,
            "folds": {"outside": folds(OUTSIDE_PANELS), "inside": folds(INSIDE_PANELS)}}


_FEWER = "{stem}: to fit its panels, it lists only the next 2 sessions of the program"

KIND = Kind(
    name="brochure", folder=FOLDER, template=TEMPLATE, heading="Brochures", audience="parents",
    targets=targets, context=context, cost=2, selected_by=frozenset({"program"}),
    page=PageRules(pages=2, fallbacks=(
        Fallback(Layout(sessions=2), _FEWER),
        Fallback(Layout(sessions=2, compact=True), _FEWER + ", in smaller type"),
    )),
)
