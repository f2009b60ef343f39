"""Tip sheets and editions: ids used once, citations that have a reference, editions that apply."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from tipsheets.check.problems import Problem, error as _error, warning as _warning
from tipsheets.check.references import check_area, check_brand_ids, check_phone
from tipsheets.core import editions
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.errors import FieldPath
from tipsheets.core.models import Edition, TipSheet
from tipsheets.core.markdown import citations


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


def check_tipsheet(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    sheet: TipSheet = entry.item
    yield from check_brand_ids(entry, catalog, sheet.brands)
    if sheet.contact is not None:
        yield from check_phone(entry, ("contact", "phone"), sheet.contact.phone, catalog)
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


def check_edition(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    """An edition: its base exists, its changes apply, and the merged sheet's citations hold."""
    edition: Edition = entry.item
    if edition.brands:
        yield from check_brand_ids(entry, catalog, edition.brands)
    if edition.contact is not None:
        yield from check_phone(entry, ("contact", "phone"), edition.contact.phone, catalog)
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
            yield from check_area(entry, ("classes", "area"), area, catalog)
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
