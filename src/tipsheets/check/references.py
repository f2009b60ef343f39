"""References between files: brands, guidance, programs and county names that must exist."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Iterator

from tipsheets.check.problems import Problem, error as _error, warning as _warning
from tipsheets.core import counties
from tipsheets.core.areas import catalog_index, program_files_that_may_serve, serving
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.contact import is_web_address, parse_phone, phone_problem
from tipsheets.core.errors import FieldPath
from tipsheets.core.models import Area, Guidance, Office, Program
from tipsheets.core.sessions import all_sessions, upcoming_sessions
from tipsheets.core.status import listed


def check_brand_ref(entry: Entry, field: FieldPath, brand_id: str, catalog: Catalog, what: str) -> Iterator[Problem]:
    if catalog.brand(brand_id) is not None:
        return
    if ("brands", brand_id) in catalog.failed_ids:
        yield _error(entry, field, f"{what} brand '{brand_id}' could not be loaded (see its error)")
    else:
        known = ", ".join(e.id for e in catalog.of("brands")) or "none"
        yield _error(entry, field, f"unknown {what} brand '{brand_id}'",
                     hint=f"add content/brands/{brand_id}.yaml (or {brand_id}/_brand.yml), or name one of: {known}")


def check_phone(entry: Entry, field: FieldPath, text: str | None, catalog: Catalog | None = None) -> Iterator[Problem]:
    """A number parents can dial: refused when it is not one; a warning when it is one set aside for fiction
    (555-0100 to 555-0199), unless ``fictional_phone_numbers: allow`` in tipsheets.yaml says the content is a sample."""
    if text is None:
        return
    phone = parse_phone(text)
    if phone is None:
        message, hint = phone_problem(text)
        yield _error(entry, field, message, hint=hint)
    elif phone.fictional and (catalog is None or catalog.config.fictional_phone_numbers == "warn"):
        yield _warning(entry, field, f"'{text}' is a 555-01xx number, set aside for fiction: no one answers it",
                       hint="give the real number; sample content says `fictional_phone_numbers: allow` in "
                            "tipsheets.yaml")


def check_web(entry: Entry, field: FieldPath, url: str | None) -> Iterator[Problem]:
    if url is not None and not is_web_address(url):
        yield _error(entry, field, f"'{url}' is not a web address",
                     hint="give a full address starting with https://, such as https://example.org/classes")


def check_areas(entry: Entry, areas: list[Area], catalog: Catalog) -> Iterator[Problem]:
    for i, area in enumerate(areas):
        yield from check_area(entry, ("serves", i), area, catalog)


def check_area(entry: Entry, field: FieldPath, area: Area, catalog: Catalog) -> Iterator[Problem]:
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
        census = counties.census_counties(area.state)
        if census is None:
            yield _error(entry, (*field, "state"), f"'{area.state}' is not the code of a US state, DC or territory",
                         hint=f"use the two-letter postal code of a state, such as GA, or add "
                              f"content/areas/{area.state}.yaml listing its counties")
            return
        known, state, where = census, counties.state_name(area.state), ""
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
    yield from check_brand_ref(entry, ("provider",), program.provider, catalog, "provider")
    yield from check_web(entry, ("registration", "url"), program.registration.url)
    yield from check_phone(entry, ("registration", "phone"), program.registration.phone, catalog)
    yield from check_areas(entry, program.serves, catalog)
    if listed(program) and not upcoming_sessions(program, as_of):
        past = all_sessions(program)
        if past:
            yield _warning(entry, ("sessions",), f"no upcoming session on or after {as_of.isoformat()}: its last "
                           f"session started {past[-1].start.isoformat()}",
                           hint="add the next sessions; or, if it will not run again, add `status: ended` (for a "
                                "break, `status: paused`) to take it off desk aids, referral cards and flyers")
        else:
            yield _warning(entry, ("sessions",), f"no upcoming session on or after {as_of.isoformat()}: it lists "
                           "no sessions", hint="add the next sessions; desk aids and the flyer will say none is "
                                               "scheduled")
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


def check_office(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    office: Office = entry.item
    yield from check_brand_ref(entry, ("brand",), office.brand, catalog, "office")
    if _guidance_entry(catalog, office.guidance) is None:
        if ("guidance", office.guidance) in catalog.failed_ids:
            yield _error(entry, ("guidance",), f"guidance '{office.guidance}' could not be loaded (see its error)")
        else:
            known = ", ".join(sorted({e.id for e in catalog.of("guidance")})) or "none"
            yield _error(entry, ("guidance",), f"unknown guidance '{office.guidance}'",
                         hint=f"add content/guidance/{office.guidance}.yaml, or name one of: {known}")
    yield from check_phone(entry, ("phone",), office.phone, catalog)
    if office.referral_contact:
        yield from check_phone(entry, ("referral_contact", "phone"), office.referral_contact.phone, catalog)
    yield from check_phone(entry, ("family_violence_contact", "phone"), office.family_violence_contact.phone, catalog)
    yield from check_areas(entry, office.serves, catalog)
    yield from check_exclusions(entry, catalog)
    states = {area.state for area in office.serves}
    unreadable = [p for p in catalog.failed if p.startswith("content/programs/")]
    if not serving(catalog_index(catalog), office.serves) and \
            not program_files_that_may_serve(catalog, unreadable, states):  # a class may be in a broken file
        yield _warning(entry, ("serves",), "no program serves this office's area, so its desk aid lists no classes",
                       hint="add a program whose 'serves' names one of these counties or ZIP codes, "
                            "or an online program for the state")


def check_exclusions(entry: Entry, catalog: Catalog) -> Iterator[Problem]:
    """Every id in an office's ``exclude_programs`` names a program."""
    office: Office = entry.item
    if not office.exclude_programs:
        return
    if all(catalog.get("programs", program_id) is not None for program_id in office.exclude_programs):
        return
    known = [e.id for e in catalog.of("programs")]
    for i, program_id in enumerate(office.exclude_programs):
        if catalog.get("programs", program_id) is not None:
            continue
        if ("programs", program_id) in catalog.failed_ids:
            yield _error(entry, ("exclude_programs", i), f"program '{program_id}' could not be loaded (see its error)")
            continue
        close = difflib.get_close_matches(program_id, known, n=3, cutoff=0.6)
        hint = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
                else f"name a file in content/programs/; known programs: {', '.join(known[:8]) or 'none'}"
                + (" ..." if len(known) > 8 else ""))
        yield _error(entry, ("exclude_programs", i), f"unknown program '{program_id}'", hint=hint)


def check_guidance(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    guidance: Guidance = entry.item
    yield from check_phone(entry, ("safety", "hotline", "phone"), guidance.safety.hotline.phone, catalog)
    yield from check_web(entry, ("safety", "hotline", "web"), guidance.safety.hotline.web)


def check_brand_ids(entry: Entry, catalog: Catalog, ids: list[str]) -> Iterator[Problem]:
    for i, name in enumerate(ids):
        if catalog.brand(name) is None:
            known = ", ".join(e.id for e in catalog.of("brands")) or "none"
            if ("brands", name) in catalog.failed_ids:
                yield _error(entry, ("brands", i), f"brand '{name}' could not be loaded (see its error)")
            else:
                yield _error(entry, ("brands", i), f"unknown brand '{name}'", hint=f"known brands: {known}")
