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
:mod:`tipsheets.programs`, as for the desk aids, so a card sheet and a desk
aid for the same office always list the same classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from . import programs
from .catalog import Catalog
from .model import Office, Program
from .plan import Target, brand_files, office_locales

TEMPLATE = "referral-cards.html.j2"
FOLDER = "cards"
PER_SHEET = 10
COLUMNS = 2


def program_entries(catalog: Catalog, office: Office, as_of: dt.date, locale: str = "en",
                    listed: list[Program] | None = None) -> list[Any]:
    """Catalog entries of the programs that serve ``office``, in the desk aid's order; for a
    sheet in another language than English, only those taught in that language.

    ``listed`` is the office's desk-aid programs (:func:`tipsheets.areas.office_programs`), when known.
    """
    if listed is None:
        from .areas import index_programs, office_programs

        listed = office_programs(index_programs(catalog.items("programs")), office, as_of)
    serving = [catalog.get("programs", p.id) for p in listed]
    return serving if locale == "en" else [e for e in serving if locale in e.item.languages]


@dataclass(frozen=True)
class Card:
    program_id: str
    name: Any  # an i18n.Passage: the program's name in the sheet's language where it has one
    provider: str
    weekday: str | None
    times: str | None
    starts: str | None
    phone: str | None
    web: str
    url: str
    qr: programs.QRCode
    notes: tuple[str, ...]


def card_for(catalog: Catalog, program: Program, as_of: dt.date, locale: str = "en") -> Card:
    from . import i18n

    gettext = i18n.translations(locale).gettext
    fmt = i18n.Formatter(locale, gettext)
    provider = catalog.brand(program.provider)
    upcoming = programs.upcoming_sessions(program, as_of, limit=1)
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
        provider=provider.meta.full_name if provider else program.provider,
        weekday=gettext(f"{session.weekday}s") if session else None,  # "Tuesdays", "Los martes"
        times=fmt.time(*programs.session_times(session)) if session else None,
        starts=fmt.date(session.start, "medium") if session else None,
        phone=phone,
        web=programs.short_address(program.registration.url),
        url=program.registration.url,
        qr=programs.QRCode(program.registration.url),
        notes=tuple(notes),
    )


def fill(cards: list[Card], per_sheet: int = PER_SHEET) -> list[list[Card]]:
    """Sheets of ``per_sheet`` cards: few programs repeat in turn to fill one sheet; many take several."""
    if not cards:
        return []
    if len(cards) <= per_sheet:
        return [[cards[i % len(cards)] for i in range(per_sheet)]]
    return [cards[i:i + per_sheet] for i in range(0, len(cards), per_sheet)]


def cards_targets(catalog: Catalog, as_of: dt.date,
                  listed_by_office: dict[str, list[Program]] | None = None) -> list[Target]:
    """A sheet of referral cards per office and language that has at least one program to list.

    ``listed_by_office`` is :func:`tipsheets.areas.office_listings`, when the caller has it.
    """
    from . import i18n
    from .areas import office_listings

    if listed_by_office is None:
        listed_by_office = office_listings(catalog.items("offices"), catalog.items("programs"), as_of)

    targets = []
    heading: dict[str, str] = {}
    for entry in catalog.of("offices"):
        if entry.locale is not None:
            continue
        office: Office = entry.item
        for locale in office_locales(catalog, office):
            serving = program_entries(catalog, office, as_of, locale, listed_by_office[office.id])
            if not serving:
                continue
            inputs = [entry.path, *brand_files(catalog, [office.brand])]
            for program in serving:
                inputs.append(program.path)
                inputs.extend(brand_files(catalog, [program.item.provider]))
            if locale not in heading:  # the message catalogue is read once per locale, not once per office
                heading[locale] = i18n.translations(locale).gettext("Referral cards")
            title = f"{heading[locale]}: {i18n.local_text(office, 'name', locale)}"
            targets.append(Target(
                kind="cards", id=office.id, locale=locale, template=TEMPLATE,
                stem=f"{FOLDER}/{office.id}" + ("" if locale == "en" else f".{locale}"),
                inputs=tuple(dict.fromkeys(inputs)), paper="letter", title=title,
                extra={"office": office.id, "programs": [p.id for p in serving]},
            ))
    return targets


def cards_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    from . import i18n
    from .render import brand_view

    entry = catalog.get("offices", target.id)
    assert entry is not None
    office: Office = entry.item
    if "programs" in target.extra:  # planned: the sheet's programs, in order
        chosen = [catalog.get("programs", program_id).item for program_id in target.extra["programs"]]
    else:
        chosen = [entry.item for entry in program_entries(catalog, office, as_of, target.locale)]
    cards = [card_for(catalog, program, as_of, target.locale) for program in chosen]
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
