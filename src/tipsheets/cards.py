"""Referral cards: a Letter sheet of business-card-size cards for caseworkers to hand to parents.

One sheet per CSE office (``output/cards/<office-id>.pdf``), with a card for
each program that serves the office's area, repeated in turn to fill the ten
places (2 columns × 5 rows of 3.5 × 2 in). A caseworker prints the sheet for
their office, cuts along the marks and has a card for every local class. An
office with more than ten programs gets one card each, over more sheets.

Each card: program name, next session (weekday, time, start date), phone, a
short web address and a vector QR code that opens that address.

Which programs serve an office is decided by :func:`serves` here: same state,
and a shared county or ZIP code, or a statewide program.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from .catalog import Catalog
from .model import Area, Office, Program, Session
from .plan import Target, brand_files

TEMPLATE = "referral-cards.html.j2"
FOLDER = "cards"
PER_SHEET = 10
COLUMNS = 2


def _norm(name: str) -> str:
    return " ".join(name.lower().replace(" county", "").split())


def areas_overlap(a: Area, b: Area) -> bool:
    """True when two areas share a state and any part of it."""
    if a.state != b.state:
        return False
    if a.statewide or b.statewide:
        return True
    if {_norm(c) for c in a.counties} & {_norm(c) for c in b.counties}:
        return True
    return bool(set(a.zips) & set(b.zips))


def serves(program: Program, office: Office) -> bool:
    return any(areas_overlap(p, o) for p in program.serves for o in office.serves)


def programs_for(catalog: Catalog, office: Office) -> list[Any]:
    """Catalog entries of the programs that serve ``office``, by id."""
    return [entry for entry in catalog.of("programs") if entry.locale is None and serves(entry.item, office)]


def next_session(program: Program, as_of: dt.date) -> Session | None:
    upcoming = sorted((s for s in program.sessions if s.start >= as_of), key=lambda s: s.start)
    return upcoming[0] if upcoming else None


def short_address(url: str) -> str:
    """``https://www.example.org/classes/`` → ``example.org/classes``: what fits on a card."""
    text = url.strip()
    for prefix in ("https://", "http://"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    if text.lower().startswith("www."):
        text = text[4:]
    return text.rstrip("/")


def _clock(hhmm: str) -> tuple[str, str]:
    hour, minute = (int(part) for part in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return (f"{hour12}:{minute:02d}" if minute else f"{hour12}"), suffix


def time_range(time: str) -> str:
    """``18:00-20:00`` → ``6–8 pm``; ``09:30-12:00`` → ``9:30 am–12 pm``."""
    start, end = time.split("-")
    (s, s_suffix), (e, e_suffix) = _clock(start), _clock(end)
    if s_suffix == e_suffix:
        return f"{s}–{e} {e_suffix}"
    return f"{s} {s_suffix}–{e} {e_suffix}"


def qr_data_uri(url: str) -> str:
    """A QR code for ``url`` as an SVG ``data:`` URI: vector, so it prints sharp at any size."""
    import segno

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=2, dark="#000000", light="#ffffff", omitsize=False)
    if not svg.startswith("<svg"):
        svg = svg[svg.index("<svg"):]
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class Card:
    program_id: str
    name: str
    provider: str
    weekday: str | None
    times: str | None
    starts: str | None
    phone: str | None
    web: str
    url: str
    qr: str
    notes: tuple[str, ...]


def card_for(catalog: Catalog, program: Program, as_of: dt.date) -> Card:
    from .render import format_date

    provider = catalog.brand(program.provider)
    session = next_session(program, as_of)
    phone = program.registration.phone or (provider.contact.phone if provider and provider.contact else None)
    notes = []
    if program.cost.amount == 0:
        notes.append("Free")
    if program.format != "in-person":
        notes.append("Online" if program.format == "online" else "In person or online")
    if program.childcare:
        notes.append("Childcare")
    return Card(
        program_id=program.id,
        name=program.name,
        provider=provider.meta.full_name if provider else program.provider,
        weekday=f"{session.weekday}s" if session else None,
        times=time_range(session.time) if session else None,
        starts=format_date(session.start, "MMM d, y") if session else None,
        phone=phone,
        web=short_address(program.registration.url),
        url=program.registration.url,
        qr=qr_data_uri(program.registration.url),
        notes=tuple(notes),
    )


def fill(cards: list[Card], per_sheet: int = PER_SHEET) -> list[list[Card]]:
    """Sheets of ``per_sheet`` cards: few programs repeat in turn to fill one sheet; many take several."""
    if not cards:
        return []
    if len(cards) <= per_sheet:
        return [[cards[i % len(cards)] for i in range(per_sheet)]]
    return [cards[i:i + per_sheet] for i in range(0, len(cards), per_sheet)]


def cards_targets(catalog: Catalog) -> list[Target]:
    """One sheet of referral cards per office that has at least one program serving it."""
    targets = []
    for entry in catalog.of("offices"):
        if entry.locale is not None:
            continue
        office: Office = entry.item
        programs = programs_for(catalog, office)
        if not programs:
            continue
        inputs = [entry.path, *brand_files(catalog, [office.brand])]
        for program in programs:
            inputs.append(program.path)
            inputs.extend(brand_files(catalog, [program.item.provider]))
        targets.append(Target(
            kind="cards", id=office.id, locale="en", template=TEMPLATE, stem=f"{FOLDER}/{office.id}",
            inputs=tuple(dict.fromkeys(inputs)), paper="letter", title=f"Referral cards: {office.name}",
            extra={"office": office.id},
        ))
    return targets


def cards_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    from .render import brand_view

    entry = catalog.get("offices", target.id)
    assert entry is not None
    office: Office = entry.item
    cards = [card_for(catalog, p.item, as_of) for p in programs_for(catalog, office)]
    return {
        "office": office,
        "brands": [brand_view(catalog, office.brand)],
        "sheets": fill(cards),
        "programs": cards,
        "columns": COLUMNS,
    }


def all_cards(sheets: Iterable[list[Card]]) -> list[Card]:
    return [card for sheet in sheets for card in sheet]
