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
from .model import Brand
from .plan import Target
from .theme import builtin_theme, theme_dirs


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


def theme_loader(project: Path) -> jinja2.BaseLoader:
    """The project's templates/ first, then the built-in theme; ``builtin/<name>`` is always the built-in file,
    so an override can include or extend the template it replaces."""
    return jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in theme_dirs(project)]),
        jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin_theme()))}),
    ])


def make_environment(project: Path, *, locale: str = "en") -> jinja2.Environment:
    """The Jinja2 environment for one project and locale."""
    env = jinja2.Environment(
        loader=theme_loader(project),
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
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands]}


def cards_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    from .cards import cards_context as context

    return context(target, catalog, as_of)


#: kind → function building the template's data
CONTEXTS: dict[str, Callable[[Target, Catalog, dt.date], dict[str, Any]]] = {
    "tipsheet": tipsheet_context,
    "cards": cards_context,
}


def render_html(target: Target, catalog: Catalog, env: jinja2.Environment, *, as_of: dt.date,
                for_print: bool, font_base: str = "", print_shop: bool = False) -> str:
    """Render one target to an HTML string.

    ``for_print`` selects the PDF flavour: fonts are loaded from ``font_base``
    (a ``file:`` URL of the theme's font folder, served by the safe fetcher);
    the HTML flavour relies on the reader's fonts and inlines everything else.
    ``print_shop`` adds bleed, crop marks and a bleed band (``tipsheets build --print``).
    """
    context = CONTEXTS[target.kind](target, catalog, as_of)
    template = env.get_template(target.template)
    return template.render(
        target=target, for_print=for_print, font_base=font_base, paper=target.paper,
        lang=target.locale, as_of=as_of, config=catalog.config, print_shop=print_shop, **context,
    )


def safe(html: str) -> Markup:
    return Markup(html)
