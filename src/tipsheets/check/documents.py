"""Tip sheets, editions and brochures: ids used once, citations and footnote marks that have their
reference or note, layouts that exist, editions that apply, programs that brochures are made from."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Callable, Iterator

from tipsheets.check.problems import Problem, error as _error, warning as _warning
from tipsheets.check.references import check_area, check_brand_ids, check_phone
from tipsheets.core import editions
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.blocks import TipsBlock
from tipsheets.core.errors import FieldPath, field_name
from tipsheets.core.markdown import citations, note_calls
from tipsheets.core.models import PANELS, Brochure, Edition, Program, TipSheet
from tipsheets.core.status import has_flyer
from tipsheets.core.paths import is_inside
from tipsheets.core.theme import theme_dirs


#: fields whose values are codes, addresses or choices: never text that cites anything
_NOT_TEXT = frozenset("id type url web email phone marker style place part layout paper orientation lang locale "
                      "audience brands date columns page_number first_page".split())


def _text_fields(sheet: TipSheet | Brochure) -> Iterator[tuple[FieldPath, str]]:
    """Every text of a document that may cite a reference or a footnote, with its path in the file."""
    stack: list[tuple[FieldPath, Any]] = [((), sheet.model_dump())]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not (path and isinstance(path[-1], str) and path[-1] in _NOT_TEXT):
                yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in reversed(list(value.items())) if key not in _NOT_TEXT)
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(value))))


def sheet_ids(sheet: TipSheet) -> Iterator[tuple[FieldPath, str]]:
    """Every id a sheet gives to a section, sidebar, tip, block or group of tips, with its path."""
    for part in ("intro", "tips", "closing", "sidebars"):
        for i, item in enumerate(getattr(sheet, part)):
            yield (part, i, "id"), item.id
    for i, block in enumerate(sheet.blocks):
        if block.id:
            yield ("blocks", i, "id"), block.id
        if isinstance(block, TipsBlock):
            for j, tip in enumerate(block.tips):
                if tip.id:
                    yield ("blocks", i, "tips", j, "id"), tip.id
            for g, group in enumerate(block.groups):
                if group.id:
                    yield ("blocks", i, "groups", g, "id"), group.id
                for j, tip in enumerate(group.tips):
                    if tip.id:
                        yield ("blocks", i, "groups", g, "tips", j, "id"), tip.id


def check_layout(entry: Entry, field: FieldPath, layout: str | None, catalog: Catalog) -> Iterator[Problem]:
    """A layout a document names exists, inside the project or the theme: ``layouts/<name>/`` with a
    page template or a stylesheet."""
    if layout is None:
        return
    folders = theme_dirs(catalog.root)
    found = [folder / "layouts" / layout / name for folder in folders for name in ("page.html.j2", "style.css.j2")
             if (folder / "layouts" / layout / name).is_file()]
    outside = [path for path in found if not any(is_inside(path, folder) for folder in folders)]
    if outside:
        yield _error(entry, field, f"layout '{layout}' is a link to a file outside the template folders; "
                     "it is not read", hint="put the layout's files themselves in templates/layouts/")
    if found:
        return
    known = sorted({p.name for folder in folders if (folder / "layouts").is_dir()
                    for p in (folder / "layouts").iterdir() if p.is_dir()})
    yield _error(entry, field, f"there is no layout '{layout}'",
                 hint=f"add templates/layouts/{layout}/style.css.j2 (or page.html.j2) to the project"
                      + (f", or use one of: {', '.join(known)}" if known else ""))


def check_calls(sheet: TipSheet, report: Callable[[FieldPath, str, str, str], Problem | None],
                own: Callable[[FieldPath], bool] = lambda path: True) -> Iterator[Problem]:
    """Citations and footnote marks: each has its reference or footnote, each reference is cited,
    and each footnote is cited once (it prints once, at the foot of the page that cites it).

    ``report(path, level, message, hint)`` makes the problem; ``own(path)``: whether a text is checked
    here (an edition checks only the text it writes).
    """
    cited: set[int] = set()
    marks: dict[str, list[FieldPath]] = {}
    for i, author in enumerate(sheet.authors):
        if author.note:
            marks.setdefault(author.note, []).append(("authors", i, "note"))
    for path, text in _text_fields(sheet):
        if "[^" not in text:
            continue
        for number, _ in citations(text):
            cited.add(number)
            if not 1 <= number <= len(sheet.references) and own(path):
                found = report(path, "error", f"citation [^{number}] has no reference {number}",
                               f"the sheet lists {len(sheet.references)} references")
                if found:
                    yield found
        for marker, _ in note_calls(text):
            if path and path[0] == "footnotes":
                if own(path):
                    found = report(path, "error", f"a footnote cannot cite a footnote ([^{marker}])",
                                   "write the note's words into this note instead")
                    if found:
                        yield found
                continue
            marks.setdefault(marker, []).append(path)
    notes = {note.marker: i for i, note in enumerate(sheet.footnotes)}
    for marker, paths in marks.items():
        if marker not in notes:
            for path in paths:
                if own(path):
                    found = report(path, "error", f"[^{marker}] marks a footnote that the sheet does not have",
                                   f"add it under footnotes: - marker: \"{marker}\", text: ...")
                    if found:
                        yield found
        elif len(paths) > 1 and own(paths[1]):
            found = report(paths[1], "error", f"footnote {marker} is already cited at {field_name(paths[0])}",
                           "a footnote prints once, at the foot of the page that cites it: cite it once")
            if found:
                yield found
    for marker, i in notes.items():
        if marker not in marks and own(("footnotes", i)):
            found = report(("footnotes", i), "warning", f"footnote {marker} is never cited",
                           f"mark the words it is about with [^{marker}], or remove it")
            if found:
                yield found
    for number in range(1, len(sheet.references) + 1):
        if number not in cited and own(("references", number - 1)):
            found = report(("references", number - 1), "warning", f"reference {number} is never cited",
                           f"cite it as [^{number}], move it to a reading block (further reading), or remove it")
            if found:
                yield found


def check_tipsheet(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    sheet: TipSheet = entry.item
    yield from check_brand_ids(entry, catalog, sheet.brands)
    if sheet.contact is not None:
        yield from check_phone(entry, ("contact", "phone"), sheet.contact.phone, catalog)
    seen: set[str] = set()
    for path, item_id in sheet_ids(sheet):
        if item_id in seen:
            yield _error(entry, path, f"id '{item_id}' is used twice in this tip sheet")
        seen.add(item_id)
    yield from check_layout(entry, ("layout",), sheet.layout, catalog)

    def report(path: FieldPath, level: str, message: str, hint: str) -> Problem:
        return (_error if level == "error" else _warning)(entry, path, message, hint=hint)

    yield from check_calls(sheet, report)


def check_edition(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    """An edition: its base exists, its changes apply, and the merged sheet's citations hold."""
    edition: Edition = entry.item
    if edition.brands:
        yield from check_brand_ids(entry, catalog, edition.brands)
    if edition.contact is not None:
        yield from check_phone(entry, ("contact", "phone"), edition.contact.phone, catalog)
    yield from check_layout(entry, ("layout",), edition.layout, catalog)
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
    sheet = merged.sheet

    def own(path: FieldPath) -> bool:  # the base's own text is checked with the base
        return merged.origins.locate(path).source is entry.source

    def report(path: FieldPath, level: str, message: str, hint: str) -> Problem | None:
        if level != "error":
            return None  # an edition that cites less of the base's references is not wrong
        if message.startswith("citation"):
            hint = f"the base tip sheet lists {len(sheet.references)} references"
        return Problem("error", merged.origins.error(path, message, hint=hint))

    yield from check_calls(sheet, report, own)


def check_brochure(entry: Entry, catalog: Catalog, as_of: dt.date) -> Iterator[Problem]:
    """A brochure: its brands, its program (which must have text in the brochure's language), its
    layout, the ids of its blocks, and the citations its blocks may not make (it has no references)."""
    brochure: Brochure = entry.item
    if brochure.brands:
        yield from check_brand_ids(entry, catalog, brochure.brands)
    if brochure.contact is not None:
        yield from check_phone(entry, ("contact", "phone"), brochure.contact.phone, catalog)
    yield from check_layout(entry, ("layout",), brochure.layout, catalog)
    if brochure.program is not None:
        program_entry = catalog.get("programs", brochure.program)
        if program_entry is None:
            if ("programs", brochure.program) in catalog.failed_ids:
                yield _error(entry, ("program",), f"program '{brochure.program}' could not be loaded (see its error)")
            else:
                known = [e.id for e in catalog.of("programs")]
                close = difflib.get_close_matches(brochure.program, known, n=1)
                yield _error(entry, ("program",), f"unknown program '{brochure.program}'",
                             hint=f"did you mean '{close[0]}'?" if close
                             else f"name a file in content/programs/; known programs: {', '.join(known) or 'none'}")
        else:
            program: Program = program_entry.item
            if not has_flyer(program):
                yield _warning(entry, ("program",), f"program '{program.id}' is {program.status}, so its brochure "
                               "is not built", hint="set the program's status back to active, or remove this file")
            if brochure.locale != "en" and brochure.locale not in program.translations:
                yield _error(entry, ("locale",), f"program '{program.id}' has no {brochure.locale} text for a "
                             f"{brochure.locale} brochure", hint=f"add translations: {{{brochure.locale}: {{name: ..., "
                             "description: ...}}} to its program file")
    seen: set[str] = set()
    for name in PANELS:
        for i, block in enumerate(getattr(brochure.panels, name)):
            if block.id:
                if block.id in seen:
                    yield _error(entry, ("panels", name, i, "id"), f"id '{block.id}' is used twice in this brochure")
                seen.add(block.id)
    for path, text in _text_fields(brochure):
        for number, _ in citations(text):
            yield _error(entry, path, f"citation [^{number}] has nothing to point to: a brochure has no "
                         "reference list", hint="name the source in the text, or in a reading block")
        for marker, _ in note_calls(text):
            yield _error(entry, path, f"[^{marker}] marks a footnote, which a brochure does not print",
                         hint="say it in the text, or in a notice block")

