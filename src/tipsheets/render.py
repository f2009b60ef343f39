"""Target → HTML: the Jinja2 environment and the data each template receives.

Templates are autoescaped; content text reaches them either escaped or through
the ``md``/``md_inline`` filters, which render the safe Markdown subset. Jinja
syntax inside content is never evaluated: content is data passed to a template,
never a template itself. Images are inlined as ``data:`` URIs so the HTML is one
self-contained file.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import brand as brands
from . import markdown
from . import programs as local
from .catalog import Catalog
from .model import Brand, Office, Program, Session
from .plan import Target, guidance_entry
from .theme import theme_dirs


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


def data_uri(file: Path) -> str:
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if file.suffix.lower() == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def brand_view(catalog: Catalog, brand_id: str) -> BrandView:
    entry = catalog.get("brands", brand_id)
    if entry is None:
        raise KeyError(brand_id)
    brand: Brand = entry.item
    colours = {name: brands.role(brand, name) for name in ("foreground", "background", "primary", "secondary", "light")}
    colours["on_primary"] = brands.readable_on(colours["primary"])
    logo = brands.logo(brand)
    uri = alt = None
    if logo is not None:
        uri = data_uri(brands.logo_file(catalog.root / entry.path, logo.path))
        alt = logo.alt
    link = brand.meta.link if isinstance(brand.meta.link, str) else (
        brand.meta.link.get("home") if isinstance(brand.meta.link, dict) else None)
    return BrandView(
        id=brand.id, name=brand.meta.full_name, short_name=brand.meta.short_name, colours=colours,
        logo_uri=uri, logo_alt=alt, contact=brand.contact, funding=brand.funding, link=link,
    )


def make_environment(project: Path, *, locale: str = "en") -> jinja2.Environment:
    """The Jinja2 environment for one project and locale."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(project)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = markdown.render_block
    env.filters["md_inline"] = markdown.render_inline
    env.filters["plain"] = markdown.plain
    env.filters["date"] = format_date
    env.filters["clock"] = format_clock
    env.filters["timespan"] = format_timespan
    env.filters["datespan"] = format_datespan
    env.filters["money"] = format_money
    env.filters["language_name"] = language_name
    env.globals["locale"] = locale
    return env


def format_date(value: dt.date, pattern: str = "MMMM y", locale: str = "en") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, pattern, locale=locale)


def tipsheet_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    entry = catalog.get("tipsheets", target.id, None if target.locale == "en" else target.locale)
    if entry is None:  # an English sheet saved as <id>.en.yaml
        entry = catalog.get("tipsheets", target.id, target.locale)
    assert entry is not None
    sheet = entry.item
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands]}


def format_clock(value: dt.time, locale: str = "en") -> str:
    """A time of day as people there write it: "6:30 PM" in English, "18:30" in Spanish."""
    from babel.dates import format_time

    return format_time(value, "short", locale=locale).replace("\u202f", "\u00a0")


def _tidy_interval(text: str) -> str:
    # CLDR puts thin spaces around the dash and a narrow space before AM/PM; print plain ones
    return text.replace("\u2009–\u2009", "–").replace("\u2009", " ").replace("\u202f", "\u00a0")


def format_timespan(begins: dt.time, ends: dt.time, locale: str = "en") -> str:
    """"6:00–8:00 PM" in English, "18:00–20:00" in Spanish: the locale's own clock, shared parts said once."""
    from babel import Locale
    from babel.dates import format_interval

    twelve_hour = "h" in Locale.parse(locale).time_formats["short"].pattern
    return _tidy_interval(format_interval(begins, ends, "hm" if twelve_hour else "Hm", locale=locale))


def format_datespan(start: dt.date, end: dt.date, locale: str = "en") -> str:
    """"Jan 5–Feb 9" in English, "5 ene–9 feb" in Spanish."""
    from babel.dates import format_interval

    if start == end:
        return format_date(start, "MMM d", locale)
    return _tidy_interval(format_interval(start, end, "MMMd", locale=locale))


def format_money(amount: float, locale: str = "en") -> str:
    from babel.numbers import format_currency

    whole = float(amount).is_integer()
    return format_currency(amount, "USD", locale=locale, format="¤#,##0" if whole else None,
                           currency_digits=not whole)


def language_name(code: str, locale: str = "en") -> str:
    """``es`` → "Spanish" (or "español" in a Spanish handout), as the locale's own usage writes it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(locale).languages.get(code.split("-")[0])
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


@dataclass(frozen=True)
class SessionView:
    start: dt.date
    last: dt.date
    weekday: str
    begins: dt.time
    ends: dt.time
    weeks: int
    language: str


@dataclass(frozen=True)
class PhoneView:
    display: str
    tel: str


@dataclass(frozen=True)
class ProgramView:
    """What a desk aid or flyer prints about one program."""

    id: str
    name: str
    description: str
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
    qr_uri: str
    phone: PhoneView | None
    email: str | None
    verified: dt.date


def session_view(session: Session) -> SessionView:
    begins, ends = local.session_times(session)
    return SessionView(start=session.start, last=local.last_meeting(session), weekday=session.weekday,
                       begins=begins, ends=ends, weeks=session.weeks, language=session.language)


def phone_view(text: str | None) -> PhoneView | None:
    if not text:
        return None
    phone = local.parse_phone(text)
    return PhoneView(phone.display, phone.tel) if phone else PhoneView(text, "")


def program_view(catalog: Catalog, program: Program, locale: str, as_of: dt.date, sessions: int,
                 qr_colour: str) -> ProgramView:
    text = program.translations.get(locale)
    upcoming = local.upcoming_sessions(program, as_of)
    return ProgramView(
        id=program.id,
        name=text.name if text and text.name else program.name,
        description=text.description if text and text.description else program.description,
        provider=brand_view(catalog, program.provider),
        format=program.format,
        audiences=list(program.audiences),
        sessions=[session_view(s) for s in upcoming[:sessions]],
        more_sessions=max(0, len(upcoming) - sessions),
        location=program.location,
        cost=program.cost,
        childcare=program.childcare,
        languages=list(program.languages),
        court_ordered=program.court_ordered,
        url=program.registration.url,
        short_url=local.short_address(program.registration.url),
        qr_uri=local.qr_data_uri(program.registration.url, dark=qr_colour),
        phone=phone_view(program.registration.phone),
        email=program.registration.email,
        verified=program.verified,
    )


def desk_aid_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    entry = catalog.get("offices", target.id)
    assert entry is not None
    office: Office = entry.item
    guidance_file = guidance_entry(catalog, office.guidance, target.locale)
    assert guidance_file is not None
    guidance = guidance_file.item
    office_brands = [brand_view(catalog, b) for b in target.extra["brands"]]
    dark = office_brands[0].colours["foreground"]
    sessions = target.extra.get("sessions", catalog.config.sessions_per_program)
    listed = [program_view(catalog, catalog.get("programs", pid).item, target.locale, as_of, sessions, dark)
              for pid in target.extra["programs"]]
    text = office.translations.get(target.locale)
    verified = [p.verified for p in listed]
    return {
        "office": office,
        "office_name": text.name if text and text.name else office.name,
        "guidance": guidance,
        "when_to_refer": [*guidance.when_to_refer, *(text.extra_guidance if text and text.extra_guidance is not None
                                                      else office.extra_guidance)],
        "programs": listed,
        "brands": office_brands,
        "referral_phone": phone_view(office.referral_contact.phone if office.referral_contact else None),
        "office_phone": phone_view(office.phone),
        "safety_phone": phone_view(office.family_violence_contact.phone),
        "hotline_phone": phone_view(guidance.safety.hotline.phone),
        "verified_from": min(verified, default=None),
        "verified_to": max(verified, default=None),
        "compact": bool(target.extra.get("compact")),
    }


def flyer_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    entry = catalog.get("programs", target.id)
    assert entry is not None
    program: Program = entry.item
    provider = brand_view(catalog, program.provider)
    sessions = target.extra.get("sessions", local.FLYER_SESSIONS)
    view = program_view(catalog, program, target.locale, as_of, sessions, provider.colours["foreground"])
    return {"program": view, "brands": [provider], "compact": bool(target.extra.get("compact"))}


#: kind → function building the template's data
CONTEXTS: dict[str, Callable[[Target, Catalog, dt.date], dict[str, Any]]] = {
    "tipsheet": tipsheet_context,
    "desk-aid": desk_aid_context,
    "flyer": flyer_context,
}


def render_html(target: Target, catalog: Catalog, env: jinja2.Environment, *, as_of: dt.date,
                for_print: bool, font_base: str = "") -> str:
    """Render one target to an HTML string.

    ``for_print`` selects the PDF flavour: fonts are loaded from ``font_base``
    (a ``file:`` URL of the theme's font folder, served by the safe fetcher);
    the HTML flavour relies on the reader's fonts and inlines everything else.
    """
    context = CONTEXTS[target.kind](target, catalog, as_of)
    template = env.get_template(target.template)
    return template.render(
        target=target, for_print=for_print, font_base=font_base, paper=target.paper,
        lang=target.locale, as_of=as_of, config=catalog.config, **context,
    )


def safe(html: str) -> Markup:
    return Markup(html)
