"""Program flyers: one page per class, ``output/flyers/<program>.pdf`` (and ``<program>.es.pdf``).

What the class offers, who it is for, its next sessions, cost, childcare, how to
register and a QR code. A program that teaches in another language and gives
its text in that language (``translations``) also gets a flyer in it.
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.catalog import Catalog
from tipsheets.core.contact import short_address
from tipsheets.core.models import Program
from tipsheets.core.sessions import FLYER_SESSIONS
from tipsheets.core.status import has_flyer
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.calendars import calendar_files, calendar_link
from tipsheets.handouts.base import Context, Fallback, Kind, PageRules, brand_files, published_address, stem
from tipsheets.handouts.views import brand_view, program_view

FOLDER = "flyers"
TEMPLATE = "flyer/page.html.j2"


def flyer_locales(program: Program) -> list[str]:
    """English always; another locale the program teaches in when its translation is given."""
    return ["en"] + [loc for loc in program.languages if loc != "en" and loc in program.translations]


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out = []
    for entry in catalog.of("programs"):
        program: Program = entry.item
        if not has_flyer(program):  # paused or ended: no flyer, and the build removes the old one
            continue
        for locale in flyer_locales(program):
            local = program.translations.get(locale)
            out.append(Target(
                kind=KIND.name, id=program.id, locale=locale, template=TEMPLATE,
                stem=stem(FOLDER, program.id, locale), inputs=(entry.path, *brand_files(catalog, [program.provider])),
                paper=catalog.config.paper, title=local.name if local and local.name else program.name,
                audience=KIND.audience, program=program.id, brands=(program.provider,),
            ))
    return out


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("programs", target.id)
    assert entry is not None
    program: Program = entry.item
    provider = brand_view(catalog, program.provider)
    view = program_view(catalog, program, target.locale, as_of, layout.sessions or FLYER_SESSIONS,
                        provider.colours["foreground"])
    calendar = calendar_link(program) if view.sessions else None
    # printed only where the output folder is published: a path on paper leads nowhere
    address = published_address(catalog, calendar) if calendar else None
    return {"program": view, "brands": [provider], "compact": layout.compact, "calendar": calendar,
            "calendar_address": short_address(address) if address else None}


def attachments(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, bytes]:
    """The program's calendar, written with its English flyer (one per program)."""
    if target.locale != "en":
        return {}
    entry = catalog.get("programs", target.id)
    assert entry is not None
    return calendar_files(entry.item, as_of)


_FEWER = "{stem}: to fit on one page, it lists only the next 2 sessions of the program"

KIND = Kind(
    name="flyer", folder=FOLDER, template=TEMPLATE, heading="Program flyers", audience="parents",
    targets=targets, context=context, cost=1, selected_by=frozenset({"program"}), attachments=attachments,
    page=PageRules(one_page=True, fallbacks=(
        Fallback(Layout(sessions=2), _FEWER),
        Fallback(Layout(sessions=2, compact=True), _FEWER + ", in the compact layout"),
    )),
)
