"""Customised editions: a published tip sheet with one practitioner's changes, ``output/editions/<id>.pdf``.

An edition reads its own file, its base tip sheet, its brands, and every
program its "Classes near you" box lists (with the providers' brands and the
area's county list), so a change to any of them rebuilds it. It prints with the
tip sheet's template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tipsheets.core import contact, sessions
from tipsheets.core.areas import catalog_index, serving
from tipsheets.core.catalog import Catalog
from tipsheets.core.editions import base_file_name, find_base, merge
from tipsheets.core.models import Edition, Program, TipSheet
from tipsheets.core.status import listed
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import Context, Kind, PageRules, brand_files, layout_template
from tipsheets.handouts.tipsheet import TEMPLATE, sheet_context
from tipsheets.handouts.views import PhoneView, SessionView, brand_view, phone_view, session_view
from tipsheets.render import i18n

FOLDER = "editions"


def classes_programs(catalog: Catalog, edition: Edition) -> list[Program]:
    """The programs an edition's classes box lists: those named by id, then those serving its area."""
    box = edition.classes
    if box is None:
        return []
    chosen: dict[str, Program] = {}
    for program_id in box.programs:
        entry = catalog.get("programs", program_id)
        if entry is not None:
            chosen[program_id] = entry.item
    if box.area is not None:
        in_area = serving(catalog_index(catalog), [box.area])
        # classes that meet in person first, then online ones; by name within each
        for program in sorted(in_area, key=lambda p: (p.format == "online", p.name.casefold(), p.id)):
            chosen.setdefault(program.id, program)
    return [program for program in chosen.values() if listed(program)]  # not paused or ended


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out = []
    for entry in catalog.of("editions"):
        edition: Edition = entry.item
        base = find_base(catalog, entry)
        sheet: TipSheet | None = base.item if base else None
        brands = edition.brands or (sheet.brands if sheet else [])
        listed = classes_programs(catalog, edition)
        program_files = [catalog.require("programs", p.id).path for p in listed]
        area_files = []
        states: tuple[str, ...] = ()
        if edition.classes is not None:
            states = (edition.classes.area.state,) if edition.classes.area is not None else ()
            program_files += [f"content/programs/{p}.yaml" for p in edition.classes.programs
                              if catalog.get("programs", p) is None]
            area = edition.classes.area
            county_list = catalog.county_list(area.state) if area is not None else None
            if county_list is not None:
                area_files.append(county_list.path)
        providers = [p.provider for p in listed if p.provider not in brands]
        inputs = [entry.path, base.path if base else base_file_name(edition), *area_files,
                  *program_files, *brand_files(catalog, [*brands, *providers])]
        locale = edition.locale or (sheet.locale if sheet else "en")
        layout = edition.layout or (sheet.layout if sheet else None)
        out.append(Target(
            kind=KIND.name, id=edition.id, locale=locale, template=layout_template(catalog, layout, TEMPLATE),
            stem=f"{FOLDER}/{edition.id}", inputs=tuple(dict.fromkeys(inputs)),
            paper=edition.paper or (sheet.paper if sheet else None) or catalog.config.paper,
            orientation=edition.orientation or (sheet.orientation if sheet else None) or "portrait",
            title=edition.title or (sheet.title if sheet else ""),
            audience=edition.audience or (sheet.audience if sheet else "agency-staff"),
            programs=tuple(p.id for p in listed), brands=tuple(brands), listing_states=states,
        ))
    return out


@dataclass(frozen=True)
class ClassView:
    """One line of an edition's "Classes near you" box."""

    id: str
    #: marked with its language when the program has no name in the handout's
    name: i18n.Passage | None
    provider: str
    format: str
    city: str | None
    #: the next session, in the handout's language when the class has one; None when none is scheduled
    session: SessionView | None
    phone: PhoneView | None
    url: str
    short_url: str


@dataclass(frozen=True)
class ClassesView:
    heading: str | None
    intro: str | None
    programs: list[ClassView]


def class_view(catalog: Catalog, program: Program, locale: str, as_of: dt.date) -> ClassView:
    """A program as the classes box prints it."""
    upcoming = sessions.upcoming_sessions(program, as_of)
    in_locale = [s for s in upcoming if s.language.split("-")[0] == locale.split("-")[0]]
    session = next(iter(in_locale or upcoming), None)
    provider = catalog.brand(program.provider)
    return ClassView(
        id=program.id,
        name=i18n.local_text(program, "name", locale),
        provider=provider.name if provider else program.provider,
        format=program.format,
        city=program.location.city if program.location else None,
        session=session_view(session) if session else None,
        phone=phone_view(program.registration.phone),
        url=program.registration.url,
        short_url=contact.short_address(program.registration.url),
    )


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("editions", target.id)
    assert entry is not None
    base = find_base(catalog, entry)
    assert base is not None
    sheet, _ = merge(base, entry)
    edition: Edition = entry.item
    classes = None
    if edition.classes is not None:
        listed = [catalog.require("programs", pid).item for pid in target.programs]
        classes = ClassesView(edition.classes.heading, edition.classes.intro,
                              [class_view(catalog, p, target.locale, as_of) for p in listed])
    return {**sheet_context(catalog, sheet, classes=classes is not None),
            "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": classes, "tight": layout.tight}


KIND = Kind(
    name="edition", folder=FOLDER, template=TEMPLATE, heading="Editions", audience="all",
    targets=targets, context=context, page=PageRules(tighten=True), cost=4,
)
