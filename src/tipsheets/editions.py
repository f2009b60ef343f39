"""Customised editions: a published tip sheet plus one small overlay file.

An edition (``content/editions/<id>.yaml``) names a base tip sheet and says only
what differs: brands, locale, audience, contact box, a "Classes near you" box,
and changes to the base's sections, sidebars and tips, addressed by their ids.
:func:`merge` lays the edition over its base and returns the tip sheet to print
together with an :class:`Origins` map, which says for every field of the merged
sheet which file (and which field of that file) it came from. Messages about
the merged sheet use it, so a problem in text the edition wrote points at the
edition file and a problem in text it kept points at the base file.

Rules for changes
    * ``replace: <id>`` changes the fields it gives (heading, body, bullets, ...)
      and keeps the rest of the base item, so later corrections to the fields
      it does not give still reach the edition.
    * ``remove: <id>`` leaves the item out.
    * ``insert_before: <id>`` / ``insert_after: <id>`` add a whole new item next
      to another, in the same part of the sheet; ``append: <part>`` adds one at
      the end of ``intro``, ``sidebars``, ``tips`` or ``closing``. Several
      inserts at one place keep the order they are written in.
    * An id the base does not have, a second change to the same id, an insert
      next to a removed item and a new item whose id is taken are errors.

Everything here is pure: no I/O, no rendering.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterator

from pydantic import ValidationError

from .areas import AreaIndex, index_programs, serving
from .catalog import Catalog, Entry, validation_error
from .model import Area, Change, Edition, EditionGroup, Program, Section, Sidebar, Tip, TipSheet
from .source import ContentError, FieldPath, SourceFile

#: the parts of a tip sheet whose items have ids, and the model of their items
GROUPS: dict[str, type[Section] | type[Sidebar] | type[Tip]] = {
    "intro": Section,
    "sidebars": Sidebar,
    "tips": Tip,
    "closing": Section,
}

#: top-level fields an edition may set directly (besides brands, locale and audience)
OVERRIDES = ("title", "subtitle", "tips_heading", "date", "contact", "funding", "paper")


# --------------------------------------------------------------------------- origins


@dataclass(frozen=True)
class Origin:
    """Where a value of the merged sheet was written: a file and a field path in it."""

    source: SourceFile
    path: FieldPath

    @property
    def file(self) -> str:
        return self.source.path

    def __repr__(self) -> str:
        return f"Origin({self.source.path!r}, {self.path!r})"


class Origins:
    """For each field path of a merged sheet, the file and field it came from.

    Paths are stored for whole items and for single fields; a deeper path
    inherits from its nearest stored parent, with the rest of the path appended
    (``tips[3].bullets[1]`` of the merged sheet → ``tips[2].bullets[1]`` of the
    base file).
    """

    def __init__(self, default: SourceFile) -> None:
        self.default = default
        self._map: dict[FieldPath, Origin] = {}

    def set(self, merged: FieldPath, source: SourceFile, path: FieldPath) -> None:
        self._map[tuple(merged)] = Origin(source, tuple(path))

    def locate(self, path: FieldPath) -> Origin:
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            found = self._map.get(path[:cut])
            if found is not None:
                return Origin(found.source, found.path + path[cut:])
        return Origin(self.default, path)

    def file_of(self, path: FieldPath) -> str:
        return self.locate(path).file

    def error(self, path: FieldPath, message: str, *, hint: str = "") -> ContentError:
        origin = self.locate(path)
        return origin.source.positions.error(origin.path, message, hint=hint)

    def items(self) -> Iterator[tuple[FieldPath, Origin]]:
        yield from self._map.items()


# --------------------------------------------------------------------------- base


def base_locale(edition: Edition) -> str | None:
    return edition.locale if edition.locale not in (None, "en") else None


def find_base(catalog: Catalog, entry: Entry) -> Entry | None:
    """The tip sheet an edition is based on: ``<base>.yaml``, or ``<base>.<locale>.yaml`` for its locale."""
    edition: Edition = entry.item
    if edition.locale in (None, "en"):
        return catalog.get("tipsheets", edition.base, None) or catalog.get("tipsheets", edition.base, "en")
    return catalog.get("tipsheets", edition.base, edition.locale)


def base_file_name(edition: Edition) -> str:
    """The base file an edition reads, as shown, whether or not it exists."""
    suffix = f".{edition.locale}" if edition.locale not in (None, "en") else ""
    return f"content/tipsheets/{edition.base}{suffix}.yaml"


def missing_base(catalog: Catalog, entry: Entry) -> ContentError:
    edition: Edition = entry.item
    name = base_file_name(edition)
    if ("tipsheets", edition.base) in catalog.failed_ids and name in catalog.failed:
        return entry.error(("base",), f"the base tip sheet {name} could not be loaded (see its error)")
    if edition.locale not in (None, "en"):
        others = sorted({e.locale or "en" for e in catalog.of("tipsheets") if e.id == edition.base})
        if others:
            return entry.error(("locale",), f"tip sheet '{edition.base}' has no '{edition.locale}' edition "
                               f"({name} does not exist)", hint=f"it exists in: {', '.join(others)}")
    known = sorted({e.id for e in catalog.of("tipsheets")})
    close = difflib.get_close_matches(edition.base, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known tip sheets: {', '.join(known) or 'none'}"
    return entry.error(("base",), f"there is no tip sheet '{edition.base}' ({name} does not exist)", hint=hint)


# --------------------------------------------------------------------------- merging


@dataclass
class _Node:
    """One item of a part of the sheet while changes are applied."""

    id: str
    group: str
    data: dict[str, Any]
    #: where the whole item came from
    origin: Origin
    #: field → where that field came from, when it differs from the item's origin
    fields: dict[str, Origin] = field(default_factory=dict)


@dataclass(frozen=True)
class Applied:
    """One change as it was applied, for ``tipsheets diff``."""

    index: int
    operation: str
    group: str
    id: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    anchor: str | None = None


@dataclass
class Merged:
    """The result of laying an edition over its base."""

    sheet: TipSheet | None
    origins: Origins
    applied: list[Applied]
    errors: list[ContentError]


def merge(base: Entry, edition: Entry) -> tuple[TipSheet, Origins]:
    """Lay ``edition`` over ``base``: the tip sheet to print and where each of its fields came from.

    Raises the first :class:`ContentError` (at its line and column in the
    edition file) when the edition cannot be applied.
    """
    result = apply(base, edition)
    if result.errors:
        raise result.errors[0]
    assert result.sheet is not None
    return result.sheet, result.origins


def apply(base: Entry, edition_entry: Entry) -> Merged:
    """Like :func:`merge`, but collects every error instead of raising the first."""
    sheet: TipSheet = base.item
    edition: Edition = edition_entry.item
    bsrc, esrc = base.source, edition_entry.source
    origins = Origins(bsrc)
    errors: list[ContentError] = []
    applied: list[Applied] = []

    # the parts of the base, as nodes
    nodes: dict[str, list[_Node]] = {}
    where: dict[str, str] = {}  # id → group, for every item ever present
    for group in GROUPS:
        nodes[group] = []
        for i, item in enumerate(getattr(sheet, group)):
            nodes[group].append(_Node(item.id, group, item.model_dump(exclude_unset=False),
                                      Origin(bsrc, (group, i))))
            where[item.id] = group
    base_ids = dict(where)

    def at(k: int, *rest: str | int) -> FieldPath:
        return ("changes", k, *rest)

    # who changes what: a second change to the same id is a conflict
    claimed: dict[str, int] = {}
    removed: dict[str, int] = {}
    for k, change in enumerate(edition.changes):
        if change.operation in ("replace", "remove"):
            target = change.target
            if target in claimed:
                first = esrc.positions.of(at(claimed[target]))
                errors.append(esrc.positions.error(
                    at(k, change.operation), f"'{target}' is already changed on line {first.line}",
                    hint="make one change per id: put all of its new fields in one replace"))
                continue
            claimed[target] = k
            if change.operation == "remove":
                removed[target] = k

    after_last: dict[str, str] = {}  # anchor id → the id of the last item inserted after it
    skipped: set[int] = set()
    for k, change in enumerate(edition.changes):
        op, target = change.operation, change.target
        if op in ("replace", "remove") and claimed.get(target) != k:
            continue  # the conflict is reported above
        fields = change.item_fields()

        if op == "append":
            group = target
            node = _new_node(k, change, group, fields, where, esrc, errors)
            if node is not None:
                nodes[group].append(node)
                where[node.id] = group
                applied.append(Applied(k, op, group, node.id, None, node.data, anchor=group))
            continue

        group = where.get(target)
        if group is None or (op in ("replace", "remove") and target not in base_ids):
            errors.append(_unknown(esrc, at(k, op), target, where, inserted=group is not None))
            skipped.add(k)
            continue
        if op in ("insert_before", "insert_after") and target in removed:
            line = esrc.positions.of(at(removed[target])).line
            errors.append(esrc.positions.error(at(k, op), f"'{target}' is removed (line {line}), so nothing "
                                               f"can be inserted next to it", hint="insert next to another item"))
            continue
        index = next((i for i, n in enumerate(nodes[group]) if n.id == target), None)
        if index is None:  # the anchor was itself inserted next to a removed item that failed
            continue
        node = nodes[group][index]

        if op == "remove":
            if len(nodes[group]) == 1 and group in ("intro", "tips"):
                errors.append(esrc.positions.error(at(k, op), f"'{target}' is the only item left in {group}; "
                                                   f"a tip sheet needs at least one",
                                                   hint="replace it instead of removing it"))
                continue
            del nodes[group][index]
            applied.append(Applied(k, op, group, target, node.data, None))
        elif op == "replace":
            if "id" in fields:
                errors.append(esrc.positions.error(
                    at(k, "id"), "a replaced item keeps its id",
                    hint=f"leave out 'id'; to add a new item use insert_after: {target}"))
                continue
            if not fields:
                errors.append(esrc.positions.error(
                    at(k, op), f"this replace gives no new fields for '{target}'",
                    hint="give the fields that change, such as heading or body"))
                continue
            if not _fields_fit(k, group, fields, esrc, errors):
                continue
            data = {**node.data, **fields}
            item = _validate(group, data, k, esrc, node, fields, errors)
            if item is None:
                continue
            new = _Node(target, group, item.model_dump(), node.origin,
                        {**node.fields, **{name: Origin(esrc, at(k, name)) for name in fields}})
            nodes[group][index] = new
            applied.append(Applied(k, op, group, target, node.data, new.data))
        else:
            new_node = _new_node(k, change, group, fields, where, esrc, errors)
            if new_node is None:
                continue
            if op == "insert_before":
                nodes[group].insert(index, new_node)
            else:
                last = after_last.get(target)
                position = index
                if last is not None:
                    position = next((i for i, n in enumerate(nodes[group]) if n.id == last), index)
                nodes[group].insert(position + 1, new_node)
                after_last[target] = new_node.id
            where[new_node.id] = group
            applied.append(Applied(k, op, group, new_node.id, None, new_node.data, anchor=target))

    # the top-level fields
    data = sheet.model_dump()
    data["id"] = edition.id
    if edition.locale is not None:
        data["locale"] = edition.locale
    for name in ("audience", "brands", *OVERRIDES):
        value = getattr(edition, name)
        if value is not None:
            data[name] = value.model_dump() if hasattr(value, "model_dump") else value
            origins.set((name,), esrc, (name,))
    for group, items in nodes.items():
        data[group] = [n.data for n in items]
        for i, node in enumerate(items):
            origins.set((group, i), node.origin.source, node.origin.path)
            for name, origin in node.fields.items():
                origins.set((group, i, name), origin.source, origin.path)

    merged: TipSheet | None = None
    if not errors:
        try:
            merged = TipSheet.model_validate(data)
        except ValidationError as exc:
            errors.append(validation_error(exc, _OriginPositions(origins)))
    return Merged(merged, origins, applied, errors)


class _OriginPositions:
    """Enough of :class:`Positions` for :func:`validation_error`, answering through an origin map."""

    def __init__(self, origins: Origins) -> None:
        self.origins = origins

    def error(self, path: FieldPath, message: str, *, hint: str = "", key: bool = False) -> ContentError:
        origin = self.origins.locate(path)
        return origin.source.positions.error(origin.path, message, hint=hint, key=key)


def _unknown(esrc: SourceFile, path: FieldPath, target: str, where: dict[str, str], *,
             inserted: bool) -> ContentError:
    if inserted:
        return esrc.positions.error(path, f"'{target}' is an item this edition adds; change it where it is added",
                                    hint="edit the fields of the insert or append that adds it")
    close = difflib.get_close_matches(target, list(where), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"the base's ids: {', '.join(where)}"
    return esrc.positions.error(path, f"the base tip sheet has no section, sidebar or tip with id '{target}'",
                                hint=hint)


def _fields_fit(k: int, group: str, fields: dict[str, Any], esrc: SourceFile,
                errors: list[ContentError]) -> bool:
    allowed = set(GROUPS[group].model_fields)
    for name in fields:
        if name not in allowed:
            kind = {"intro": "a section", "closing": "a section", "tips": "a tip", "sidebars": "a sidebar"}[group]
            errors.append(esrc.positions.error(
                ("changes", k, name), f"{kind} has no field '{name}'",
                hint=f"{kind} has: {', '.join(f for f in GROUPS[group].model_fields)}", key=True))
            return False
    return True


def _validate(group: str, data: dict[str, Any], k: int, esrc: SourceFile, node: _Node | None,
              fields: dict[str, Any], errors: list[ContentError]) -> Any:
    try:
        return GROUPS[group].model_validate(data)
    except ValidationError as exc:
        origins = Origins(esrc)
        if node is not None:
            origins.set((), node.origin.source, node.origin.path)
        for name in fields:
            origins.set((name,), esrc, ("changes", k, name))
        if node is None:
            origins.set((), esrc, ("changes", k))
        errors.append(validation_error(exc, _OriginPositions(origins)))
        return None


def _new_node(k: int, change: Change, group: str, fields: dict[str, Any], where: dict[str, str],
              esrc: SourceFile, errors: list[ContentError]) -> _Node | None:
    new_id = fields.get("id")
    if new_id is None:
        errors.append(esrc.positions.error(("changes", k), f"a new item needs an id",
                                           hint="give it an id of its own, such as 'local-classes'"))
        return None
    if new_id in where:
        errors.append(esrc.positions.error(("changes", k, "id"), f"id '{new_id}' is already used in this tip sheet",
                                           hint="give the new item an id of its own"))
        return None
    if not _fields_fit(k, group, fields, esrc, errors):
        return None
    item = _validate(group, fields, k, esrc, None, fields, errors)
    if item is None:
        return None
    return _Node(new_id, group, item.model_dump(), Origin(esrc, ("changes", k)))


# --------------------------------------------------------------------------- the classes box


def classes_programs(catalog: Catalog, edition: Edition, index: AreaIndex | None = None) -> list[Program]:
    """The programs an edition's classes box lists: those named by id, then those serving its area.

    ``index`` is :func:`tipsheets.areas.index_programs` of the catalog's programs, when the caller has one.
    """
    box = edition.classes
    if box is None:
        return []
    chosen: dict[str, Program] = {}
    for program_id in box.programs:
        entry = catalog.get("programs", program_id)
        if entry is not None:
            chosen[program_id] = entry.item
    if box.area is not None:
        if index is None:
            index = index_programs(catalog.items("programs"))
        # classes that meet in person first, then online ones; by name within each
        in_area = serving(index, [box.area])
        for program in sorted(in_area, key=lambda p: (p.format == "online", p.name.casefold(), p.id)):
            chosen.setdefault(program.id, program)
    return list(chosen.values())


# --------------------------------------------------------------------------- diff


def words_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff: ``(tag, text)`` pairs, tag ``=`` kept, ``-`` removed, ``+`` added."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return out
