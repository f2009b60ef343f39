"""``tipsheets import``: program listings from where agencies keep them.

Two kinds of source:

- a spreadsheet, ``.xlsx`` or ``.csv`` (:mod:`.spreadsheet`), one row per run of a class;
- an Open Referral HSDS 3 dataset (:mod:`.hsds`): a JSON file of services, or a
  CSV data package (a folder, or its ``datapackage.json``).

Either becomes program files (``content/programs/<id>.yaml``) and a brand stub
for each new provider (``content/brands/<id>.yaml``). Every problem in the
source is reported, one line each with the row and column or the record and
field, and then nothing is written. Importing again updates what changed in the
source and keeps what people changed in the files (:mod:`.merge`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tipsheets.core.brandfile import brand_paths
from tipsheets.core.catalog import relative
from tipsheets.project import load_project
from tipsheets.publish.output import write_atomic
from tipsheets.project.schema import modeline
from tipsheets.core.source import ContentError
from tipsheets.importers import merge
from tipsheets.importers.common import DEFAULT_AUDIENCES, Incoming, SourceErrors, check_incoming, provider_id
from tipsheets.importers.hsds import read_dataset
from tipsheets.importers.spreadsheet import read_programs, read_sheet


@dataclass(frozen=True)
class Source:
    format: str  # "spreadsheet" or "hsds"
    path: Path
    #: the name messages use and the program files record: the file's own name
    name: str


def identify(path: Path) -> Source:
    """Which kind of source ``path`` is, from its name."""
    suffix = path.suffix.lower()
    if path.is_dir():
        package = path / "datapackage.json"
        if not package.is_file():
            raise SourceErrors([ContentError(path.name, "this folder has no datapackage.json",
                                             hint="give a spreadsheet (.xlsx, .csv), an HSDS JSON file, or an "
                                                  "HSDS data package folder")])
        return Source("hsds", package, f"{path.name}/datapackage.json")
    if not path.is_file():
        raise SourceErrors([ContentError(str(path), "no such file")])
    if suffix in (".csv", ".xlsx", ".xlsm"):
        return Source("spreadsheet", path, path.name)
    if suffix == ".json":
        return Source("hsds", path, path.name)
    hint = "save an old .xls workbook as .xlsx" if suffix == ".xls" else \
        "give a spreadsheet (.xlsx or .csv) or an HSDS dataset (.json, or a datapackage.json)"
    raise SourceErrors([ContentError(path.name, f"'{path.suffix or path.name}' is not a kind of file tipsheets "
                                                "imports", hint=hint)])


def read_source(source: Source, as_of: dt.date) -> tuple[list[Incoming], list[str]]:
    """The programs in the source, and notes on what it could not carry over."""
    if source.format == "spreadsheet":
        sheet = read_sheet(source.path, source.name)
        return read_programs(sheet, as_of), list(sheet.notes)
    return read_dataset(source.path, source.name, as_of)


def plan_import(path: Path, project: Path, *, as_of: dt.date) -> merge.Plan:
    """Everything importing ``path`` into ``project`` would write; :class:`SourceErrors` when anything is wrong."""
    source = identify(path)
    incoming, notes = read_source(source, as_of)
    catalog = load_project(project)
    if not catalog.has_content:
        raise SourceErrors(catalog.errors)
    errors: list[ContentError] = []
    providers = {item.key: provider_id(item.provider, catalog) for item in incoming}
    for item in incoming:
        errors += check_incoming(item, providers[item.key], catalog, source.name)
        notes += item.notes
    if errors:
        raise SourceErrors(errors)
    existing = merge.find_existing(catalog, source.format)
    actions: list[merge.Action] = []
    taken: dict[str, str] = {}
    for item in incoming:
        entry = existing.get(item.key)
        if entry is None:
            path_shown = f"content/programs/{item.id}.yaml"
            other = catalog.get("programs", item.id)
            if other is not None or (project / path_shown).exists():
                why = "was not written by importing this record" if other is not None else "does not load"
                errors.append(ContentError(path_shown, f"a program file with this id already exists and {why}",
                                           hint=f"give the record an ID of its own in {source.name}, or rename "
                                                "or remove the file"))
                continue
            if item.id in taken:
                errors.append(ContentError(source.name, f"two records would both become program '{item.id}' "
                                                        f"({taken[item.id]} and {item.key})",
                                           hint="give them different IDs or names"))
                continue
            taken[item.id] = item.key
        target = project / (entry.path if entry else f"content/programs/{item.id}.yaml")
        line = modeline("program", target, project / "schemas")
        actions.append(merge.plan_program(item, providers[item.key], entry, catalog, fmt=source.format,
                                          file=source.name, as_of=as_of, modeline=line))
    for brand in sorted(set(providers.values())):
        if catalog.brand(brand) is None and not any((project / p).exists() for p in brand_paths(brand)):
            item = next(i for i in incoming if providers[i.key] == brand)
            target = project / f"content/brands/{brand}.yaml"
            actions.append(merge.Action("brand", f"content/brands/{brand}.yaml", item.provider.name,
                                        text=merge.brand_stub_text(item.provider,
                                                                   modeline("brand", target, project / "schemas"))))
    actions += merge.gone(existing, {i.key for i in incoming}, source.name)
    created = {a.path for a in actions if a.kind == "create"}
    if any("audiences" in i.seeds and f"content/programs/{i.id}.yaml" in created for i in incoming):
        notes.append(f"{source.name}: the source does not say who the classes are for, so each new program lists "
                     f"{', '.join(DEFAULT_AUDIENCES)} (edit audiences in its file; a later import keeps your edit)")
    for action in actions:
        problem = merge.check_written(action)
        if problem is not None:
            errors.append(problem)
    if errors:
        raise SourceErrors(errors)
    return merge.Plan(actions, notes)


def apply(plan: merge.Plan, project: Path) -> list[str]:
    """Write the plan's files; return them as shown."""
    written = []
    for action, text in plan.writes():
        path = merge.inside_project(project, action.path)
        if path.is_symlink():
            raise SourceErrors([ContentError(relative(path, project), "this is a symbolic link; it is not "
                                                                      "overwritten")])
        write_atomic(path, text.encode("utf-8"))
        written.append(action.path)
    return written


__all__ = ["Source", "SourceErrors", "apply", "identify", "plan_import", "read_source"]
