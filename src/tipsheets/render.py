"""Target → HTML: the Jinja2 environment and the data each template receives.

Templates are autoescaped; content text reaches them either escaped or through
the ``md``/``md_inline`` filters, which render the safe Markdown subset. Jinja
syntax inside content is never evaluated: content is data passed to a template,
never a template itself. Images are inlined as ``data:`` URIs so the HTML is one
self-contained file.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from . import brand as brands
from . import i18n, images, markdown
from . import programs as local
from .catalog import Catalog
from .model import Brand, Edition, Office, Program, Session
from .plan import Target, guidance_entry
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


class FencedLoader(jinja2.FileSystemLoader):
    """A template loader that reads only files really inside its folders.

    Jinja already refuses ``..`` in template names; this also refuses a
    template that is a symbolic link to a file elsewhere, which would otherwise
    print that file into the handout.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        roots = [Path(folder).resolve() for folder in self.searchpath]
        if not any(real.is_relative_to(root) for root in roots):
            raise jinja2.TemplateNotFound(template, f"template {template!r} is a link to a file outside "
                                                    "the template folders; it is not read")
        return source, filename, uptodate


_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,#-_")


def css_string(value: Any) -> Markup:
    """Text for the inside of a quoted CSS string: everything but letters and digits escaped.

    HTML escaping does not protect text inside ``<style>``; a brand name holding
    a backslash, a line break or ``url(`` must not be able to end the string.
    """
    text = str(value)
    return Markup("".join(ch if ch in _CSS_PLAIN else f"\\{ord(ch):06x}" for ch in text))


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
        uri = images.logo_uri(catalog.root, entry, logo)  # checked again: it may have changed
        alt = logo.alt
    link = brand.meta.link if isinstance(brand.meta.link, str) else (
        brand.meta.link.get("home") if isinstance(brand.meta.link, dict) else None)
    return BrandView(
        id=brand.id, name=brand.meta.full_name, short_name=brand.meta.short_name, colours=colours,
        logo_uri=uri, logo_alt=alt, contact=brand.contact, funding=brand.funding, link=link,
    )


class ThemeLoader(FencedLoader):
    """The project's templates/ first, then the built-in theme; ``builtin/<name>`` is always the
    built-in file, so an override can include or extend the template it replaces."""

    def __init__(self, project: Path) -> None:
        super().__init__([str(d) for d in theme_dirs(project)])
        self.builtin = FencedLoader(str(builtin_theme()))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith("builtin/"):
            return self.builtin.get_source(environment, template.removeprefix("builtin/"))
        return super().get_source(environment, template)


def make_environment(project: Path, *, locale: str = "en") -> jinja2.Environment:
    """The Jinja2 environment for one project and locale.

    Template strings are looked up in the locale's message catalogue; one that is
    not translated raises :class:`~tipsheets.i18n.MissingTranslation` while
    rendering, which fails that handout.
    """
    # Project templates are untrusted: the sandbox stops them reaching Python
    # internals (and through them files or the network).
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=ThemeLoader(project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["plain"] = markdown.plain
    # the strict catalogue of the locale, the Markdown filters (their citation links read in that
    # language) and the Babel filters (date, time, money, phone...);
    # raises NoCatalogue when the locale has none
    i18n.install(env, locale, project)
    env.filters["css"] = css_string
    return env


def tipsheet_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    entry = catalog.get("tipsheets", target.id, None if target.locale == "en" else target.locale)
    if entry is None:  # an English sheet saved as <id>.en.yaml
        entry = catalog.get("tipsheets", target.id, target.locale)
    assert entry is not None
    sheet = entry.item
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": None,
            "tight": bool(target.extra.get("tight"))}


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
    return {"sheet": sheet, "brands": [brand_view(catalog, b) for b in sheet.brands], "classes": classes,
            "tight": bool(target.extra.get("tight"))}


def cards_context(target: Target, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    from .cards import cards_context as context

    return context(target, catalog, as_of)


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
    #: name, description and access notes in the handout's language where given, else
    #: the shared (English) text, marked with its language (see :class:`~tipsheets.i18n.Passage`)
    name: i18n.Passage
    description: i18n.Passage
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
    qr: local.QRCode
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


@dataclass(frozen=True)
class ClassView:
    """One line of an edition's "Classes near you" box."""

    id: str
    #: marked with its language when the program has no name in the handout's
    name: i18n.Passage
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
    upcoming = local.upcoming_sessions(program, as_of)
    in_locale = [s for s in upcoming if s.language.split("-")[0] == locale.split("-")[0]]
    session = (in_locale or upcoming or [None])[0]
    provider = catalog.brand(program.provider)
    return ClassView(
        id=program.id,
        name=i18n.local_text(program, "name", locale),
        provider=provider.meta.full_name if provider else program.provider,
        format=program.format,
        city=program.location.city if program.location else None,
        session=session_view(session) if session else None,
        phone=phone_view(program.registration.phone),
        url=program.registration.url,
        short_url=local.short_address(program.registration.url),
    )


def program_view(catalog: Catalog, program: Program, locale: str, as_of: dt.date, sessions: int,
                 qr_colour: str) -> ProgramView:
    text = program.translations.get(locale)
    upcoming = local.upcoming_sessions(program, as_of)
    return ProgramView(
        id=program.id,
        name=i18n.local_text(program, "name", locale),
        description=i18n.local_text(program, "description", locale),
        access=i18n.local_text(program, "accessibility", locale) if program.location else None,
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
        qr=local.QRCode(program.registration.url, dark=qr_colour),
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
    verified = [p.verified for p in listed]
    second = target.extra.get("second")
    return {
        "office": office,
        "office_name": i18n.local_text(office, "name", target.locale),
        "guidance": guidance,
        "when_to_refer": when_to_refer(office, guidance, target.locale),
        "programs": listed,
        "second": second_language(catalog, office, listed, second, as_of) if second else None,
        "brands": office_brands,
        "referral_phone": phone_view(office.referral_contact.phone if office.referral_contact else None),
        "office_phone": phone_view(office.phone),
        "safety_phone": phone_view(office.family_violence_contact.phone),
        "hotline_phone": phone_view(guidance.safety.hotline.phone),
        "verified_from": min(verified, default=None),
        "verified_to": max(verified, default=None),
        "compact": bool(target.extra.get("compact")),
    }


def when_to_refer(office: Office, guidance: Any, locale: str) -> list[str]:
    """The guidance's checklist, then the office's own points (in ``locale`` where given)."""
    text = office.translations.get(locale)
    own = text.extra_guidance if text and text.extra_guidance is not None else \
        [i18n.Passage(item, i18n.SOURCE_LOCALE) for item in office.extra_guidance]
    return [*guidance.when_to_refer, *own]


def second_language(catalog: Catalog, office: Office, listed: list[ProgramView], locale: str,
                    as_of: dt.date) -> dict[str, Any]:
    """What a bilingual desk aid prints beneath the English: the same text in ``locale``.

    The checklists are paired item by item; a list longer in one language than
    the other prints its extra items alone.
    """
    guidance = guidance_entry(catalog, office.guidance, locale).item
    names = {}
    for view in listed:
        name = i18n.local_text(catalog.get("programs", view.id).item, "name", locale)
        if name is not None and name.lang == locale and name != view.name:
            names[view.id] = name
    office_name = i18n.local_text(office, "name", locale)
    return {
        "lang": locale,
        "guidance": guidance,
        "when_to_refer": when_to_refer(office, guidance, locale),
        "office_name": office_name if office_name.lang == locale else None,
        "program_names": names,
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
    "cards": cards_context,
    "edition": edition_context,
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


#: attributes through which a browser loads something when the page opens
_LOADING_ATTRIBUTES = frozenset({"src", "srcset", "data", "poster", "background", "action", "formaction",
                                 "manifest", "codebase", "cite", "longdesc", "lowsrc", "dynsrc", "ping"})
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import\s*['\"]\s*([^'\"]*)", re.IGNORECASE)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append("<script>")
        if tag == "style":
            self._in_style = True
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif name in _LOADING_ATTRIBUTES or (name == "href" and tag in {"link", "base", "image", "use"}) \
                    or (name == "xlink:href" and tag != "a"):
                for url in (value.split(",") if name == "srcset" else [value]):
                    url = url.strip().split(" ")[0] if name == "srcset" else url.strip()
                    if url and not _inline(url):
                        self.found.append(url)
            elif name == "style":
                self._css(value)
            if name == "href" and value.strip().lower().replace("\t", "").startswith(("javascript:", "data:")):
                self.found.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for match in _CSS_URL.finditer(css):
            url = (match.group(1) or match.group(2) or "").strip()
            if url and not _inline(url):
                self.found.append(url)


def _inline(url: str) -> bool:
    return url.startswith("#") or url.lower().startswith("data:image/")


def external_references(html: str) -> list[str]:
    """Every address the screen HTML would make a browser load (or run), in page order.

    The HTML flavour is meant to be one self-contained file: images are inlined
    and nothing is fetched, so a template that adds ``<img src=...>``,
    ``<link href=...>``, ``url(...)`` or a script makes that list non-empty.
    """
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.found
