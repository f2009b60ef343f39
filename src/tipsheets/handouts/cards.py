"""Referral cards: a Letter sheet of business-card-size cards for caseworkers to hand to parents.

One sheet per CSE office (``output/cards/<office-id>.pdf``), with a card for
each program that serves the office's area, repeated in turn to fill the ten
places (2 columns × 5 rows of 3.5 × 2 in). A caseworker prints the sheet for
their office, cuts along the marks and has a card for every local class. An
office with more than ten programs gets one card each, over more sheets.

A bilingual office (one that gets a desk aid in another language) also gets a
sheet in that language (``cards/<office-id>.es.pdf``) with a card for each of
its programs taught in that language: a card is handed to a parent, and a
Spanish card for a class given in English would send them to the wrong room.

Each card: program name, next session (weekday, time, start date), phone, a
short web address and a QR code that opens that address.

Which programs serve an office, and in what order, is decided by
:mod:`tipsheets.core.areas`, as for the desk aids, so a card sheet and a desk
aid for the same office always list the same classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from tipsheets.core import contact, sessions
from tipsheets.core.areas import listed_for
from tipsheets.core.catalog import Catalog
from tipsheets.core.models import Office, Program
from tipsheets.core.status import on_cards
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import Context, Kind, brand_files, office_locales, stem
from tipsheets.handouts.views import QRView, brand_view, qr_view
from tipsheets.render import i18n

FOLDER = "cards"
TEMPLATE = "cards/page.html.j2"
PER_SHEET = 10
COLUMNS = 2


def serving(catalog: Catalog, office: Office, as_of: dt.date, locale: str = "en") -> list[Program]:
    """The programs that serve ``office``, in the desk aid's order; for a sheet in another
    language than English, only those taught in that language."""
    listed = [p for p in listed_for(catalog, office, as_of) if on_cards(p, office)]
    return listed if locale == "en" else [p for p in listed if locale in p.languages]


@dataclass(frozen=True)
class Card:
    program_id: str
    name: Any  # an i18n.Passage: the program's name in the sheet's language where it has one
    provider: str
    #: "Tuesdays" for a weekly course; None for a single meeting (a rule or a list of dates)
    weekday: str | None
    times: str | None
    starts: str | None
    #: the weekday of the next meeting, short: "Tue"
    day: str | None
    phone: str | None
    web: str
    url: str
    qr: QRView
    notes: tuple[str, ...]


def words(catalog: Catalog, locale: str) -> i18n.StrictTranslations:
    """The project's strict catalogue of ``locale``, merged once per catalog (not once per office or card)."""
    return catalog.derived(("translations", locale), lambda: i18n.translations(locale, catalog.root))


def card_for(catalog: Catalog, program: Program, as_of: dt.date, locale: str = "en") -> Card:
    gettext = words(catalog, locale).gettext
    fmt = i18n.Formatter(locale, gettext)
    provider = catalog.brand(program.provider)
    upcoming = sessions.upcoming_sessions(program, as_of, limit=1)
    session = upcoming[0] if upcoming else None
    phone = program.registration.phone or (provider.contact.phone if provider and provider.contact else None)
    notes = []
    if program.cost.amount == 0:
        notes.append(gettext("Free"))
    if program.format != "in-person":
        notes.append(gettext("Online") if program.format == "online" else gettext("In person or online"))
    if program.childcare:
        notes.append(gettext("Childcare"))
    return Card(
        program_id=program.id,
        name=i18n.local_text(program, "name", locale),
        provider=provider.name if provider else program.provider,
        weekday=gettext(f"{session.weekday}s") if session and not session.single else None,  # "Tuesdays"
        times=fmt.time(*sessions.session_times(session)) if session else None,
        starts=fmt.date(session.start, "medium") if session else None,
        day=fmt.weekday(session.start, "abbreviated") if session else None,
        phone=phone,
        web=contact.short_address(program.registration.url),
        url=program.registration.url,
        qr=qr_view(program.registration.url),
        notes=tuple(notes),
    )


def fill(cards: list[Card], per_sheet: int = PER_SHEET) -> list[list[Card]]:
    """Sheets of ``per_sheet`` cards: few programs repeat in turn to fill one sheet; many take several."""
    if not cards:
        return []
    if len(cards) <= per_sheet:
        return [[cards[i % len(cards)] for i in range(per_sheet)]]
    return [cards[i:i + per_sheet] for i in range(0, len(cards), per_sheet)]


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    """A sheet of referral cards per office and language that has at least one program to list."""
    out = []
    for entry in catalog.of("offices"):
        if entry.locale is not None:
            continue
        office: Office = entry.item
        for locale in office_locales(catalog, office):
            listed = serving(catalog, office, as_of, locale)
            if not listed:
                continue
            inputs = [entry.path, *brand_files(catalog, [office.brand])]
            for program in listed:
                inputs.append(catalog.require("programs", program.id).path)
                inputs.extend(brand_files(catalog, [program.provider]))
            title = f"{words(catalog, locale).gettext('Referral cards')}: {i18n.local_text(office, 'name', locale)}"
            out.append(Target(
                kind=KIND.name, id=office.id, locale=locale, template=TEMPLATE,
                stem=stem(FOLDER, office.id, locale), inputs=tuple(dict.fromkeys(inputs)), paper="letter",
                title=title, audience=KIND.audience, office=office.id, programs=tuple(p.id for p in listed),
                brands=(office.brand,), listing_states=tuple(sorted({a.state for a in office.serves})),
            ))
    return out


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("offices", target.id)
    assert entry is not None
    office: Office = entry.item
    cards = [card_for(catalog, catalog.require("programs", pid).item, as_of, target.locale)
             for pid in target.programs]
    return {
        "office": office,
        "office_name": i18n.local_text(office, "name", target.locale),
        "brands": [brand_view(catalog, office.brand)],
        "sheets": fill(cards),
        "cards": cards,
        "columns": COLUMNS,
    }


def all_cards(sheets: Iterable[list[Card]]) -> list[Card]:
    return [card for sheet in sheets for card in sheet]


KIND = Kind(
    name="cards", folder=FOLDER, template=TEMPLATE, heading="Referral cards", audience="parents",
    targets=targets, context=context, cost=2, selected_by=frozenset({"office"}),
)
