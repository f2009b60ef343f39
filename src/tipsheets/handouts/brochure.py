"""Tri-fold brochures (placeholder while the kind is built)."""

from __future__ import annotations

import datetime as dt

from tipsheets.core.catalog import Catalog
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import Context, Kind

FOLDER = "brochures"
TEMPLATE = "brochure/page.html.j2"


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    return []


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    return {}


KIND = Kind(name="brochure", folder=FOLDER, template=TEMPLATE, heading="Brochures", audience="parents",
            targets=targets, context=context)
