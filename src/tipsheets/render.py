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
from .catalog import Catalog
from .model import Brand, Edition, Program
from .plan import Target
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
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": None}


@dataclass(frozen=True)
class ClassView:
    """One line of an edition's "Classes near you" box."""

    id: str
    name: str
    provider: str
    format: str
    city: str | None
    #: the next session: its first day, weekday, times and length; None when none is scheduled
    start: dt.date | None
    begins: dt.time | None
    ends: dt.time | None
    weeks: int
    #: the session's language when it is not the handout's
    language: str | None
    phone: str | None
    url: str
    short_url: str


@dataclass(frozen=True)
class ClassesView:
    heading: str | None
    intro: str | None
    programs: list[ClassView]


def class_view(catalog: Catalog, program: Program, locale: str, as_of: dt.date) -> ClassView:
    """A program as the classes box prints it: the next session in the handout's language if it has one."""
    from . import programs as local

    text = program.translations.get(locale)
    upcoming = local.upcoming_sessions(program, as_of)
    in_locale = [s for s in upcoming if s.language.split("-")[0] == locale.split("-")[0]]
    session = (in_locale or upcoming or [None])[0]
    begins = ends = None
    if session is not None:
        begins, ends = local.session_times(session)
    provider = catalog.brand(program.provider)
    return ClassView(
        id=program.id,
        name=text.name if text and text.name else program.name,
        provider=provider.meta.full_name if provider else program.provider,
        format=program.format,
        city=program.location.city if program.location else None,
        start=session.start if session else None, begins=begins, ends=ends,
        weeks=session.weeks if session else 0,
        language=session.language if session and session.language.split("-")[0] != locale.split("-")[0] else None,
        phone=local.phone_display(program.registration.phone) if program.registration.phone else None,
        url=program.registration.url,
        short_url=local.short_address(program.registration.url),
    )


def edition_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    from .editions import find_base, merge

    entry = catalog.get("editions", target.id)
    assert entry is not None
    base = find_base(catalog, entry)
    assert base is not None
    sheet, _ = merge(base, entry)
    edition: Edition = entry.item
    classes = None
    if edition.classes is not None:
        listed = [catalog.get("programs", pid).item for pid in target.extra["programs"]]
        classes = ClassesView(edition.classes.heading, edition.classes.intro,
                              [class_view(catalog, p, target.locale, as_of) for p in listed])
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": classes}


#: kind → function building the template's data
CONTEXTS: dict[str, Callable[[Target, Catalog, dt.date], dict[str, Any]]] = {
    "tipsheet": tipsheet_context,
    "edition": edition_context,
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
