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

from markupsafe import Markup

from tipsheets.check import fonts, images
from tipsheets.core import colours, contact, sessions
from tipsheets.core.brandfile import Brand, FontFile, TextStyle
from tipsheets.core.catalog import Catalog
from tipsheets.core.models import Program
from tipsheets.core.schedules import Occurrence
from tipsheets.core.status import taking_referrals
from tipsheets.render import i18n
from tipsheets.render.css import css_string
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
    roles = colours.printed(brand.colours)
    uri = alt = None
    if brand.logo is not None:
        uri = images.logo_uri(catalog.root, entry, brand.logo)  # checked again: it may have changed
        alt = brand.logo.alt
    return BrandView(
        id=brand.id, name=brand.name, short_name=brand.short_name, colours=roles,
        logo_uri=uri, logo_alt=alt, contact=brand.contact, funding=brand.funding, link=brand.link,
    )


@dataclass(frozen=True)
class FaceView:
    """One ``@font-face`` of a brand's own font files: the checked bytes, as a ``data:`` URI."""

    family: str
    uri: str
    weight: str
    style: str


@dataclass(frozen=True)
class TypeView:
    """The first brand's typography as the stylesheet takes it; None where the theme's own setting stays
    (the text families default to the theme's).

    Family lists are CSS text, each name escaped. On paper a family is named
    only when tipsheets has it (its files, the theme's, or installed); the web
    page names the brand's family first either way, then the theme's.
    """

    body: str = Markup('"Lato", "Segoe UI", "Helvetica Neue", Arial, sans-serif')
    footer: str = Markup('"Lato", sans-serif')
    headings: str | None = None
    headings_weight: str | None = None
    headings_style: str | None = None
    headings_line_height: str | None = None
    body_weight: str | None = None
    body_size: str | None = None
    body_line_height: str | None = None
    code: str | None = None
    code_size: str | None = None
    code_weight: str | None = None
    faces: tuple[FaceView, ...] = ()


#: the theme's family list for text, after a brand's family
THEME_STACK = TypeView.body
_GENERIC = frozenset({"serif", "sans-serif", "monospace", "system-ui", "cursive", "fantasy"})


def _family(name: str) -> Markup:
    """One family name for a CSS font-family list: quoted and escaped (generic names as they are)."""
    return Markup(name) if name in _GENERIC else Markup(f'"{css_string(name)}"')


def _stack(names: tuple[str, ...], theme: str) -> Markup:
    return Markup(", ".join(dict.fromkeys([*(_family(n) for n in names), theme])))


def type_view(catalog: Catalog, brand_id: str, *, for_print: bool) -> TypeView:
    """What the stylesheet prints the text of a handout whose first brand is ``brand_id`` in.

    For print, the brand's own font files are read and checked again now (they
    may have changed since the content was checked) and embedded.
    """
    entry = catalog.get("brands", brand_id)
    if entry is None:
        return TypeView()
    brand: Brand = entry.item
    typography = brand.typography
    chosen = {c.setting: c for c in fonts.choices(brand)} if for_print else {}

    def names(setting: str) -> tuple[str, ...] | None:
        style: TextStyle | None = getattr(typography, setting)
        if style is None or not style.families:
            return None
        if not for_print:
            return style.families
        choice = chosen.get(setting)
        if choice is None or choice.family is None:
            return None
        return (choice.family,)

    body = names("base")
    theme_body = body is not None and body[0].casefold() == fonts.THEME_FAMILY.casefold() and len(body) == 1
    body_css = None if body is None or theme_body else _stack(body, THEME_STACK)
    heads = names("headings")
    heads_css = None
    if heads is not None and (body is None or heads[0].casefold() != body[0].casefold()):
        heads_css = _stack(heads, body_css or THEME_STACK)
    code = names("monospace")
    faces: list[FaceView] = []
    if for_print:
        for choice in chosen.values():
            for file in choice.files:
                faces.append(_face(catalog, entry.path, choice.family or "", file, brand))
    base, head, mono = typography.base, typography.headings, typography.monospace
    theme = TypeView()
    return TypeView(
        body=body_css or theme.body,
        footer=Markup(f"{_family(body[0])}, sans-serif") if body_css and body is not None else theme.footer,
        headings=heads_css,
        headings_weight=head.weight if head else None,
        headings_style=head.style if head and head.style in ("normal", "italic") else None,
        headings_line_height=fonts.line_height(head), body_weight=base.weight if base else None,
        body_size=fonts.points(base.size) if base and for_print else None, body_line_height=fonts.line_height(base),
        code=_stack(code, "monospace") if code else None, code_size=fonts.relative_size(mono.size) if mono else None,
        code_weight=mono.weight if mono else None, faces=tuple(dict.fromkeys(faces)))


def _face(catalog: Catalog, brand_file: str, family: str, file: FontFile, brand: Brand) -> FaceView:
    entry = catalog.get("brands", brand.id)
    assert entry is not None
    try:
        uri = fonts.font_uri(catalog.root, brand_file, file)
    except fonts.FontProblem as exc:
        raise entry.error(file.field, exc.message, hint=exc.hint) from None
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise entry.error(file.field, f"font file '{fonts.shown(file.path)}' cannot be read: {reason}",
                          hint="it was there when the content was checked; build again") from None
    weight = file.weight if file.weight != "auto" else "400"
    return FaceView(family=_family(family), uri=uri, weight=weight, style=file.style)


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
