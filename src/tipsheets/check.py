"""Checks that need more than one file: references between files, brands, citations.

Each check returns :class:`Problem` values that point into the YAML. Errors stop
the documents that read the file; warnings are printed and the build goes on.
Wording and reading level are the lint gate's job (:mod:`tipsheets.lint`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

from . import brand as brands
from . import counties
from .areas import AreaIndex, index_programs, serving
from .catalog import Catalog, Entry
from .markdown import citations
from .model import Area, Brand, Edition, Guidance, Office, Program, TipSheet
from .programs import is_web_address, parse_phone, upcoming_sessions
from .source import ContentError, FieldPath

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    level: Level
    error: ContentError

    @property
    def file(self) -> str:
        return self.error.file

    def format(self) -> str:
        """``file:line:col: field: message``; warnings say so after the position."""
        text = self.error.format()
        if self.level == "warning":
            where = f"{self.error.file}:{self.error.line}:{self.error.col}: "
            text = where + "warning: " + text.removeprefix(where)
        return text


def _error(entry: Entry, path: FieldPath, message: str, hint: str = "") -> Problem:
    return Problem("error", entry.error(path, message, hint=hint))


def _warning(entry: Entry, path: FieldPath, message: str, hint: str = "") -> Problem:
    return Problem("warning", entry.error(path, message, hint=hint))


def check_brand(entry: Entry, root: Path) -> Iterator[Problem]:
    brand: Brand = entry.item
    roles = {}
    for name in ("foreground", "background", "primary", "secondary"):
        try:
            roles[name] = brands.role(brand, name)
        except brands.ColourError as exc:
            yield _error(entry, ("color", name), str(exc))
    for name, value in brand.color.palette.items():
        try:
            brands.resolve_colour(brand, value)
        except brands.ColourError as exc:
            yield _error(entry, ("color", "palette", name), str(exc))
    if "foreground" in roles and "background" in roles:
        ratio = brands.contrast(roles["foreground"], roles["background"])
        if ratio < brands.MIN_CONTRAST:
            yield _error(entry, ("color", "foreground"),
                         f"text colour {roles['foreground']} on background {roles['background']} has contrast "
                         f"{ratio:.2f}:1, below the WCAG AA minimum of {brands.MIN_CONTRAST}:1",
                         hint="darken the foreground or lighten the background")
    if "primary" in roles and "background" in roles:
        ratio = brands.contrast(roles["primary"], roles["background"])
        if ratio < brands.MIN_CONTRAST:
            yield _error(entry, ("color", "primary"),
                         f"primary colour {roles['primary']} (headings and links) on background "
                         f"{roles['background']} has contrast {ratio:.2f}:1, below the WCAG AA minimum of "
                         f"{brands.MIN_CONTRAST}:1", hint="choose a darker primary colour")
    yield from _check_logo(entry, root)


def _check_logo(entry: Entry, root: Path) -> Iterator[Problem]:
    brand: Brand = entry.item
    spec = brand.logo
    if spec is None:
        return
    if isinstance(spec, str):
        yield _error(entry, ("logo",), "a logo needs alt text",
                     hint="write logo: {images: {mark: {path: ..., alt: ...}}, medium: mark}")
        return
    for name, image in spec.images.items():
        if isinstance(image, str):
            yield _error(entry, ("logo", "images", name), f"logo image '{name}' has no alt text",
                         hint=f"write {name}: {{path: {image}, alt: \"what the logo shows\"}}")
    for size in ("small", "medium", "large"):
        choice = getattr(spec, size)
        names = [choice] if isinstance(choice, str) else [c for c in (getattr(choice, "light", None),
                                                                      getattr(choice, "dark", None)) if c]
        for name in names:
            if name not in spec.images:
                yield _error(entry, ("logo", size), f"'{name}' is not one of the logo images",
                             hint=f"name one of: {', '.join(spec.images) or '(none given)'}")
    for name, image in spec.images.items():
        if isinstance(image, str):
            continue
        yield from _check_asset(entry, ("logo", "images", name, "path"), image.path, root)


def _check_asset(entry: Entry, field: FieldPath, path: str, root: Path) -> Iterator[Problem]:
    if "://" in path or path.startswith(("data:", "/")):
        yield _error(entry, field, f"'{path}' must be a file path relative to this file",
                     hint="put the image in the project and name it relatively, e.g. logos/mark.svg")
        return
    try:
        file = brands.logo_file(Path(root, entry.path), path)
        is_file = file.is_file()
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
        reason = getattr(exc, "strerror", None) or ("a loop of symbolic links" if isinstance(exc, RuntimeError)
                                                    else str(exc))
        shown = path if len(path) <= 80 else path[:80] + "..."
        yield _error(entry, field, f"image file '{shown}' cannot be read: {reason}")
        return
    if not file.is_relative_to(root):
        yield _error(entry, field, f"'{path}' points outside the project", hint="keep images inside the project")
    elif not is_file:
        yield _error(entry, field, f"image file '{path}' does not exist")
    elif file.suffix.lower() not in {".svg", ".png", ".jpg", ".jpeg"}:
        yield _error(entry, field, f"'{path}' is not an SVG, PNG or JPEG image")
    elif file.suffix.lower() == ".svg":
        problem = svg_problem(file)
        if problem:
            yield _error(entry, field, f"the SVG image '{path}' {problem}",
                         hint="a logo must be self-contained: embed images as data: URIs, or convert them to paths")


#: attributes and CSS that make an SVG load something
_SVG_REFERENCE = re.compile(
    r"""(?:\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'))|(?:url\(\s*["']?([^"')]*))|(?:@import\s*["']?([^"';\s]*))""",
    re.IGNORECASE,
)


def svg_problem(file: Path) -> str:
    """Why an SVG file is not safe to print, or "" when it is.

    An SVG may name other files or web addresses (``<image href=...>``,
    ``url(...)``, ``@import``, external entities). The renderer refuses to fetch
    them; checking here reports the problem against the brand file instead.
    """
    try:
        text = file.read_bytes()[:5_000_000].decode("utf-8", errors="replace")
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if re.search(r"<!ENTITY|<!DOCTYPE[^>]*\[", text, re.IGNORECASE):
        return "declares XML entities, which are not allowed"
    if re.search(r"<script\b|\bon[a-z]+\s*=", text, re.IGNORECASE):
        return "contains a script, which is not allowed"
    for match in _SVG_REFERENCE.finditer(text):
        target = next((group for group in match.groups() if group is not None), "").strip()
        if not target or target.startswith("#") or target.lower().startswith("data:"):
            continue
        shown = target if len(target) <= 80 else target[:80] + "..."
        return f"refers to '{shown}', outside the image"
    return ""



def _markdown_fields(sheet: TipSheet) -> Iterator[tuple[FieldPath, str]]:
    for i, section in enumerate(sheet.intro):
        yield ("intro", i, "body"), section.body
    for i, sidebar in enumerate(sheet.sidebars):
        if sidebar.intro:
            yield ("sidebars", i, "intro"), sidebar.intro
        for j, item in enumerate(sidebar.items):
            yield ("sidebars", i, "items", j, "description"), item.description
    for i, tip in enumerate(sheet.tips):
        yield ("tips", i, "body"), tip.body
        for j, bullet in enumerate(tip.bullets):
            yield ("tips", i, "bullets", j), bullet
    for i, section in enumerate(sheet.closing):
        yield ("closing", i, "body"), section.body
    if sheet.case_example:
        yield ("case_example", "story"), sheet.case_example.story


def check_tipsheet(entry: Entry, catalog: Catalog) -> Iterator[Problem]:
    sheet: TipSheet = entry.item
    yield from _check_brand_ids(entry, catalog, sheet.brands)
    seen: set[str] = set()
    for i, group in enumerate((sheet.intro, sheet.tips, sheet.closing, sheet.sidebars)):
        for item in group:
            if item.id in seen:
                field = ("intro", "tips", "closing", "sidebars")[i]
                yield _error(entry, (field,), f"id '{item.id}' is used twice in this tip sheet")
            seen.add(item.id)
    cited: set[int] = set()
    for field, text in _markdown_fields(sheet):
        for number, _ in citations(text):
            cited.add(number)
            if not 1 <= number <= len(sheet.references):
                yield _error(entry, field, f"citation [^{number}] has no reference {number}",
                             hint=f"the sheet lists {len(sheet.references)} references")
    for number in range(1, len(sheet.references) + 1):
        if number not in cited:
            yield _warning(entry, ("references", number - 1), f"reference {number} is never cited",
                           hint=f"cite it as [^{number}] or remove it")


# --------------------------------------------------------------------------- programs, offices, guidance


def _check_brand_ref(entry: Entry, field: FieldPath, brand_id: str, catalog: Catalog, what: str) -> Iterator[Problem]:
    if catalog.brand(brand_id) is not None:
        return
    if ("brands", brand_id) in catalog.failed_ids:
        yield _error(entry, field, f"{what} brand '{brand_id}' could not be loaded (see its error)")
    else:
        known = ", ".join(e.id for e in catalog.of("brands")) or "none"
        yield _error(entry, field, f"unknown {what} brand '{brand_id}'",
                     hint=f"add content/brands/{brand_id}.yaml, or name one of: {known}")


def _check_phone(entry: Entry, field: FieldPath, text: str | None) -> Iterator[Problem]:
    if text is not None and parse_phone(text) is None:
        yield _error(entry, field, f"'{text}' is not a phone number that can be dialled",
                     hint="write a ten-digit North American number, such as (706) 555-0110 or 1-800-799-7233")


def _check_web(entry: Entry, field: FieldPath, url: str | None) -> Iterator[Problem]:
    if url is not None and not is_web_address(url):
        yield _error(entry, field, f"'{url}' is not a web address",
                     hint="give a full address starting with https://, such as https://example.org/classes")


def _check_areas(entry: Entry, areas: list[Area], catalog: Catalog) -> Iterator[Problem]:
    for i, area in enumerate(areas):
        yield from _check_area(entry, ("serves", i), area, catalog)


def _check_area(entry: Entry, field: FieldPath, area: Area, catalog: Catalog) -> Iterator[Problem]:
    """The state and county names of one area (at ``field`` in the file) against the state's counties:
    the project's own ``content/areas/XX.yaml`` where there is one, else the Census list."""
    county_list = catalog.county_list(area.state)
    if county_list is None and {("areas", area.state), ("areas", area.state.lower())} & catalog.failed_ids:
        if area.counties:
            yield _error(entry, (*field, "state"),
                         f"the county list for {area.state} could not be loaded (see its error)")
        return
    if county_list is not None:
        known, state, where = county_list.item.counties, county_list.item.name, county_list.path
    else:
        known, state, where = counties.census_counties(area.state), counties.state_name(area.state), ""
        if known is None:
            yield _error(entry, (*field, "state"), f"'{area.state}' is not the code of a US state, DC or territory",
                         hint=f"use the two-letter postal code of a state, such as GA, or add "
                              f"content/areas/{area.state}.yaml listing its counties")
            return
    for j, close in counties.unknown_counties(area.counties, known):
        if close:
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?"
        elif where:
            hint = f"see {where} for the county names"
        else:
            hint = (f"write it as the Census names it, such as '{known[0]}', or list {state}'s counties "
                    f"in content/areas/{area.state}.yaml")
        yield _error(entry, (*field, "counties", j), f"'{area.counties[j]}' is not a county of {state}", hint=hint)


def check_program(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    program: Program = entry.item
    yield from _check_brand_ref(entry, ("provider",), program.provider, catalog, "provider")
    yield from _check_web(entry, ("registration", "url"), program.registration.url)
    yield from _check_phone(entry, ("registration", "phone"), program.registration.phone)
    yield from _check_areas(entry, program.serves, catalog)
    if not upcoming_sessions(program, as_of):
        last = max((s.start for s in program.sessions), default=None)
        said = f"its last session started {last.isoformat()}" if last else "it lists no sessions"
        yield _warning(entry, ("sessions",), f"no upcoming session on or after {as_of.isoformat()}: {said}",
                       hint="add the next sessions; desk aids and the flyer will say none is scheduled")
    age = (as_of - program.verified).days
    limit = catalog.config.stale_after_days
    if age > limit:
        yield _warning(entry, ("verified",),
                       f"listing last verified {program.verified.isoformat()}, {age} days before "
                       f"{as_of.isoformat()} (more than {limit})",
                       hint="confirm the details with the provider and update 'verified'")
    elif program.verified > as_of:
        yield _warning(entry, ("verified",), f"verified date {program.verified.isoformat()} is after the build "
                       f"date {as_of.isoformat()}", hint="use the date the listing was checked")


def _guidance_entry(catalog: Catalog, guidance_id: str, locale: str | None = None) -> Entry | None:
    entry = catalog.get("guidance", guidance_id, locale)
    if entry is None and locale in (None, "en"):
        entry = catalog.get("guidance", guidance_id, "en")
    return entry


def check_office(entry: Entry, catalog: Catalog, as_of: dt.date, index: AreaIndex | None = None) -> Iterator[Problem]:
    """An office's references, phone numbers and areas; ``index`` is the catalog's programs, indexed by area."""
    office: Office = entry.item
    yield from _check_brand_ref(entry, ("brand",), office.brand, catalog, "office")
    if _guidance_entry(catalog, office.guidance) is None:
        if ("guidance", office.guidance) in catalog.failed_ids:
            yield _error(entry, ("guidance",), f"guidance '{office.guidance}' could not be loaded (see its error)")
        else:
            known = ", ".join(sorted({e.id for e in catalog.of("guidance")})) or "none"
            yield _error(entry, ("guidance",), f"unknown guidance '{office.guidance}'",
                         hint=f"add content/guidance/{office.guidance}.yaml, or name one of: {known}")
    yield from _check_phone(entry, ("phone",), office.phone)
    if office.referral_contact:
        yield from _check_phone(entry, ("referral_contact", "phone"), office.referral_contact.phone)
    yield from _check_phone(entry, ("family_violence_contact", "phone"), office.family_violence_contact.phone)
    yield from _check_areas(entry, office.serves, catalog)
    if index is None:
        index = index_programs(catalog.items("programs"))
    if not serving(index, office.serves):
        yield _warning(entry, ("serves",), "no program serves this office's area, so its desk aid lists no classes",
                       hint="add a program whose 'serves' names one of these counties or ZIP codes, "
                            "or an online program for the state")


def check_guidance(entry: Entry, catalog: Catalog) -> Iterator[Problem]:
    guidance: Guidance = entry.item
    yield from _check_phone(entry, ("safety", "hotline", "phone"), guidance.safety.hotline.phone)
    yield from _check_web(entry, ("safety", "hotline", "web"), guidance.safety.hotline.web)


def _check_brand_ids(entry: Entry, catalog: Catalog, ids: list[str]) -> Iterator[Problem]:
    for i, name in enumerate(ids):
        if catalog.brand(name) is None:
            known = ", ".join(e.id for e in catalog.of("brands")) or "none"
            if ("brands", name) in catalog.failed_ids:
                yield _error(entry, ("brands", i), f"brand '{name}' could not be loaded (see its error)")
            else:
                yield _error(entry, ("brands", i), f"unknown brand '{name}'", hint=f"known brands: {known}")


def check_edition(entry: Entry, catalog: Catalog) -> Iterator[Problem]:
    """An edition: its base exists, its changes apply, and the merged sheet's citations hold."""
    from . import editions

    edition: Edition = entry.item
    if edition.brands:
        yield from _check_brand_ids(entry, catalog, edition.brands)
    if edition.contact is not None:
        yield from _check_phone(entry, ("contact", "phone"), edition.contact.phone)
    if edition.classes is not None:
        for i, program_id in enumerate(edition.classes.programs):
            if catalog.get("programs", program_id) is None:
                if ("programs", program_id) in catalog.failed_ids:
                    yield _error(entry, ("classes", "programs", i),
                                 f"program '{program_id}' could not be loaded (see its error)")
                else:
                    known = [e.id for e in catalog.of("programs")]
                    yield _error(entry, ("classes", "programs", i), f"unknown program '{program_id}'",
                                 hint=f"known programs: {', '.join(known) or 'none'}")
        area = edition.classes.area
        if area is not None:
            yield from _check_area(entry, ("classes", "area"), area, catalog)
    base = editions.find_base(catalog, entry)
    if base is None:
        yield Problem("error", editions.missing_base(catalog, entry))
        return
    merged = editions.apply(base, entry)
    for error in merged.errors:
        yield Problem("error", error)
    if merged.sheet is None:
        return
    for field, text in _markdown_fields(merged.sheet):
        origin = merged.origins.locate(field)
        if origin.source is not entry.source:
            continue  # the base's own text is checked with the base
        for number, _ in citations(text):
            if not 1 <= number <= len(merged.sheet.references):
                yield Problem("error", merged.origins.error(
                    field, f"citation [^{number}] has no reference {number}",
                    hint=f"the base tip sheet lists {len(merged.sheet.references)} references"))


#: a comment glued to unquoted text on its line: "Product #037" ends the text at " #"
_GLUED_COMMENT = re.compile(r"^\s+#(?=[^\s#!])")


def check_glued_comments(entry: Entry) -> Iterator[Problem]:
    """Warn where unquoted text runs on into ``#``, which YAML reads as the start of a comment.

    ``body: Please mention Product #037.`` gives the text "Please mention
    Product" and silently drops the rest. A comment meant as one almost always
    has a space after the ``#``; text cut this way does not.
    """
    lines = entry.source.text.splitlines()
    for path, _, scalar in entry.source.strings():
        if scalar.style or scalar.start.line != scalar.end.line or scalar.end.line > len(lines):
            continue
        rest = lines[scalar.end.line - 1][scalar.end.col - 1:]
        if _GLUED_COMMENT.match(rest):
            yield _warning(entry, path, f"the text stops before '{rest.strip()}': YAML reads ' #' as the start of "
                                        "a comment", hint="put the whole value in quotes if that is part of the text")


def check_catalog(catalog: Catalog, as_of: dt.date | None = None) -> list[Problem]:
    """Every cross-file problem in the catalog, in file order."""
    as_of = as_of or dt.date.today()
    problems: list[Problem] = []
    for kind in sorted(catalog.entries):
        for entry in catalog.of(kind):
            problems.extend(check_glued_comments(entry))
    for entry in catalog.of("brands"):
        problems.extend(check_brand(entry, catalog.root))
    for entry in catalog.of("tipsheets"):
        problems.extend(check_tipsheet(entry, catalog))
    for entry in catalog.of("guidance"):
        problems.extend(check_guidance(entry, catalog))
    for entry in catalog.of("programs"):
        problems.extend(check_program(entry, catalog, as_of))
    index = index_programs(catalog.items("programs"))  # once, for every office
    for entry in catalog.of("offices"):
        problems.extend(check_office(entry, catalog, as_of, index))
    for entry in catalog.of("editions"):
        problems.extend(check_edition(entry, catalog))
    return problems
