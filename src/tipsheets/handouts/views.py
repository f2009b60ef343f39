"""What templates print about brands, programs, sessions and phones: plain values, ready to print.

Several kinds of handout print the same things (a brand's logo and colours, a
program's next sessions); the views here are made once, the same way, for all
of them. They hold only plain values; the renderer turns every context into
inert data before a template sees it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tipsheets.check import images
from tipsheets.core import colours, contact, sessions
from tipsheets.core.catalog import Catalog
from tipsheets.core.models import Brand, Program
from tipsheets.core.schedules import Occurrence
from tipsheets.core.status import taking_referrals
from tipsheets.render import i18n
from tipsheets.render.qr import QRCode


@dataclass(frozen=True)
class BrandView:
    """What a template needs of one brand: names, colours, a logo to print."""

    id: str
    name: str
    short_name: str
    colours: dict[str, str]
    logo_uri: str | None
    logo_alt: str | None
    contact: Any
    funding: str | None
    link: str | None


def brand_view(catalog: Catalog, brand_id: str) -> BrandView:
    entry = catalog.get("brands", brand_id)
    if entry is None:
        raise KeyError(brand_id)
    brand: Brand = entry.item
    roles = {name: colours.role(brand, name) for name in ("foreground", "background", "primary", "secondary", "light")}
    roles["on_primary"] = colours.readable_on(roles["primary"])
    logo = colours.logo(brand)
    uri = alt = None
    if logo is not None:
        uri = images.logo_uri(catalog.root, entry, logo)  # checked again: it may have changed
        alt = logo.alt
    link = brand.meta.link if isinstance(brand.meta.link, str) else (
        brand.meta.link.get("home") if isinstance(brand.meta.link, dict) else None)
    return BrandView(
        id=brand.id, name=brand.meta.full_name, short_name=brand.meta.short_name, colours=roles,
        logo_uri=uri, logo_alt=alt, contact=brand.contact, funding=brand.funding, link=link,
    )


@dataclass(frozen=True)
class SessionView:
    start: dt.date
    last: dt.date
    weekday: str
    begins: dt.time
    ends: dt.time
    weeks: int
    language: str


def session_view(session: Occurrence) -> SessionView:
    begins, ends = sessions.session_times(session)
    return SessionView(start=session.start, last=sessions.last_meeting(session), weekday=session.weekday,
                       begins=begins, ends=ends, weeks=session.weeks, language=session.language)


@dataclass(frozen=True)
class PhoneView:
    display: str
    tel: str


def phone_view(text: str | None) -> PhoneView | None:
    """A number tidied for print, and the ``tel:`` link that dials it ("" when nothing can be dialled).
    A vanity number prints as written and dials its letters as the keypad's digits."""
    if not text:
        return None
    phone = contact.parse_phone(text)
    if phone:
        return PhoneView(phone.display, phone.tel)
    dialled = contact.parse_phone(contact.keypad_digits(text))
    return PhoneView(text, dialled.tel if dialled else "")


@dataclass(frozen=True)
class QRView:
    """A QR code for a web address, as a ``data:`` URI: PNG for paper, SVG for screens."""

    png_uri: str
    svg_uri: str


def qr_view(url: str, dark: str = "#000000") -> QRView:
    code = QRCode(url, dark=dark)
    return QRView(png_uri=code.png_uri, svg_uri=code.svg_uri)


@dataclass(frozen=True)
class ProgramView:
    """What a desk aid or flyer prints about one program."""

    id: str
    #: name, description and access notes in the handout's language where given, else
    #: the shared (English) text, marked with its language (see :class:`~tipsheets.render.i18n.Passage`)
    name: i18n.Passage | None
    description: i18n.Passage | None
    access: i18n.Passage | None
    provider: BrandView
    format: str
    audiences: list[str]
    sessions: list[SessionView]
    more_sessions: int
    location: Any
    cost: Any
    childcare: bool
    languages: list[str]
    court_ordered: bool
    url: str
    short_url: str
    qr: QRView
    phone: PhoneView | None
    email: str | None
    verified: dt.date
    #: False when the program is not taking referrals for now (see :mod:`tipsheets.core.status`)
    taking_referrals: bool = True


def program_view(catalog: Catalog, program: Program, locale: str, as_of: dt.date, count: int,
                 qr_colour: str) -> ProgramView:
    """``program`` as a desk aid or flyer prints it, with its next ``count`` sessions."""
    upcoming = sessions.upcoming_sessions(program, as_of)
    return ProgramView(
        id=program.id,
        name=i18n.local_text(program, "name", locale),
        description=i18n.local_text(program, "description", locale),
        access=i18n.local_text(program, "accessibility", locale) if program.location else None,
        provider=brand_view(catalog, program.provider),
        format=program.format,
        audiences=list(program.audiences),
        sessions=[session_view(s) for s in upcoming[:count]],
        more_sessions=max(0, len(upcoming) - count),
        location=program.location,
        cost=program.cost,
        childcare=program.childcare,
        languages=list(program.languages),
        court_ordered=program.court_ordered,
        url=program.registration.url,
        short_url=contact.short_address(program.registration.url),
        qr=qr_view(program.registration.url, dark=qr_colour),
        phone=phone_view(program.registration.phone),
        email=program.registration.email,
        verified=program.verified,
        taking_referrals=taking_referrals(program),
    )
