"""Customised editions: a published tip sheet plus one small overlay file.

An edition (``content/editions/<id>.yaml``) names a base tip sheet and says only
what differs: any of the base's fields and document options (brands, audience,
authors, product number, paper, columns, running lines...), a "Classes near you"
box, and changes to the base's sections, sidebars, tips, blocks and groups of
tips, addressed by their ids.
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
      to another, in the same list; ``append: <part>`` adds one at the end of
      ``intro``, ``sidebars``, ``tips`` or ``closing`` (a base in the shorthand
      form), of ``blocks``, or of the tips of a tips block or group named by its
      id. Several inserts at one place keep the order they are written in.
    * An id the base does not have, a second change to the same id, an insert
      next to a removed item and a new item whose id is taken are errors.

Everything here is pure: no I/O, no rendering.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterator

from pydantic import TypeAdapter, ValidationError

from tipsheets.core.blocks import BLOCK_TYPES, Block, TipGroup, TipItem
from tipsheets.core.catalog import Catalog, Entry, validation_error
from tipsheets.core.models import Edition, Section, Sidebar, Tip, TipSheet
from tipsheets.core.source import ContentError, FieldPath, Positions, SourceFile

#: every field of an edition that, when given, replaces the base's (``null`` takes it away)
OVERRIDES = tuple(name for name in Edition.model_fields if name not in ("id", "base", "locale", "classes", "changes"))


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

    def place(self, path: FieldPath) -> tuple[Positions, FieldPath]:
        """The positions of the file that wrote ``path``, and ``path`` in that file (for :func:`validation_error`)."""
        origin = self.locate(path)
        return origin.source.positions, origin.path

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

#: the kind of item each list of a sheet holds that an edition may change item by item: the parts
#: of the shorthand form, the blocks, and inside a tips block its tips and groups (keyed by the
#: kind of the item that holds the list, "" for the sheet itself)
LISTS: dict[tuple[str, str], str] = {
    ("", "intro"): "section", ("", "sidebars"): "sidebar", ("", "tips"): "tip", ("", "closing"): "section",
    ("", "blocks"): "block",
    ("block", "tips"): "tip-item", ("block", "groups"): "group", ("group", "tips"): "tip-item",
}

#: how a message names each kind of item
KIND_NAMES = {"section": "a section", "sidebar": "a sidebar", "tip": "a tip", "tip-item": "a tip",
              "group": "a group of tips", "block": "a block"}

_MODELS: dict[str, Any] = {"section": Section, "sidebar": Sidebar, "tip": Tip, "tip-item": TipItem,
                           "group": TipGroup}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {**{kind: TypeAdapter(model) for kind, model in _MODELS.items()},
                                          "block": TypeAdapter(Block)}

#: a block's type: the fields of the lists inside it that hold items with ids
_NESTED_IN_BLOCK = {"tips": ("tips", "groups")}


def _item_fields(kind: str, data: dict[str, Any]) -> list[str]:
    """The fields an item of ``kind`` may have (a block's, by its type)."""
    if kind == "block":
        block_type = BLOCK_TYPES.by_name.get(str(data.get("type")))
        return list(block_type.model.model_fields) if block_type else ["type", "id"]
    return list(_MODELS[kind].model_fields)


def _every_field() -> set[str]:
    names = {name for model in _MODELS.values() for name in model.model_fields}
    return names | {name for t in BLOCK_TYPES for name in t.model.model_fields}


@dataclass
class _Node:
    """One item of the sheet while changes are applied: its own fields, and the lists of items inside it."""

    id: str | None
    kind: str
    data: dict[str, Any]
    #: where the whole item came from
    origin: Origin
    #: field → where that field came from, when it differs from the item's origin
    fields: dict[str, Origin] = field(default_factory=dict)
    #: the lists inside it whose items have ids (a tips block's tips and groups), as nodes
    lists: dict[str, list["_Node"]] = field(default_factory=dict)
    #: the value as written, when it is not a mapping of fields (validation says what is wrong with it)
    raw: Any = None

    def dump(self) -> Any:
        """The item as data, with the items of its lists."""
        if self.raw is not None:
            return self.raw
        return {**self.data, **{name: [n.dump() for n in items] for name, items in self.lists.items()}}

    def origins(self, default: SourceFile) -> "Origins":
        """Where each field of the item came from, with paths relative to the item."""
        out = Origins(default)
        self._record(out, ())
        return out

    def _record(self, out: "Origins", at: FieldPath) -> None:
        out.set(at, self.origin.source, self.origin.path)
        for name, origin in self.fields.items():
            out.set((*at, name), origin.source, origin.path)
        for name, items in self.lists.items():
            for j, child in enumerate(items):
                child._record(out, (*at, name, j))


def _nested(kind: str, data: dict[str, Any]) -> tuple[str, ...]:
    if kind == "block":
        return _NESTED_IN_BLOCK.get(str(data.get("type")), ())
    return tuple(name for (owner, name) in LISTS if owner == kind)


def _node(kind: str, data: Any, source: SourceFile, path: FieldPath) -> _Node:
    """An item read from ``source`` at ``path`` (its nested items at their own paths there)."""
    if not isinstance(data, dict):
        return _Node(None, kind, {}, Origin(source, path), raw=data)
    nested = [name for name in _nested(kind, data) if isinstance(data.get(name), list)]
    own = {key: value for key, value in data.items() if key not in nested}
    node = _Node(data.get("id") if isinstance(data.get("id"), str) else None, kind, own, Origin(source, path))
    for name in nested:
        node.lists[name] = [_node(LISTS[(kind, name)], item, source, (*path, name, j))
                            for j, item in enumerate(data[name])]
    return node


@dataclass
class _Place:
    """Where an item sits: the list holding it, its index there, the list's name and the kind of its items."""

    items: list[_Node]
    index: int
    name: str
    kind: str


class _Tree:
    """The items of a sheet that changes can address, list by list."""

    def __init__(self, lists: dict[str, list[_Node]]) -> None:
        self.lists = lists

    def walk(self) -> Iterator[tuple[list[_Node], str, str, _Node]]:
        """Every item with the list that holds it, the list's name and the kind of its items."""
        stack = [(items, name, LISTS[("", name)]) for name, items in self.lists.items()]
        while stack:
            items, name, kind = stack.pop(0)
            for node in items:
                yield items, name, kind, node
                for child_name, child_items in node.lists.items():
                    stack.append((child_items, child_name, LISTS[(node.kind, child_name)]))

    def find(self, item_id: str) -> _Place | None:
        for items, name, kind, node in self.walk():
            if node.id == item_id:
                return _Place(items, next(i for i, n in enumerate(items) if n is node), name, kind)
        return None

    def ids(self) -> list[str]:
        return [str(node.id) for _, _, _, node in self.walk() if node.id]


@dataclass(frozen=True)
class Applied:
    """One change as it was applied, for ``tipsheets diff``."""

    index: int
    operation: str
    #: the name of the list the item is in: intro, sidebars, tips, closing, blocks or groups
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
    return _Merger(base, edition_entry).run()


class _Merger:
    """One edition laid over its base, change by change."""

    def __init__(self, base: Entry, edition_entry: Entry) -> None:
        self.sheet: TipSheet = base.item
        self.edition: Edition = edition_entry.item
        self.bsrc, self.esrc = base.source, edition_entry.source
        self.errors: list[ContentError] = []
        self.applied: list[Applied] = []
        dumped = self.sheet.model_dump()
        self.shorthand = not self.sheet.blocks
        names = [name for (owner, name) in LISTS if owner == ""]
        self.tree = _Tree({name: [_node(LISTS[("", name)], item, self.bsrc, (name, i))
                                  for i, item in enumerate(dumped[name])] for name in names})
        self.base_ids = set(self.tree.ids())
        #: every id ever present, the base's and those the edition adds
        self.seen = set(self.base_ids)

    def at(self, k: int, *rest: str | int) -> FieldPath:
        return ("changes", k, *rest)

    def error(self, path: FieldPath, message: str, *, hint: str = "", key: bool = False) -> None:
        self.errors.append(self.esrc.positions.error(path, message, hint=hint, key=key))

    def run(self) -> Merged:
        claimed, removed = self._claims()
        after_last: dict[str, str] = {}  # anchor id → the id of the last item inserted after it
        for k, change in enumerate(self.edition.changes):
            op, target = change.operation, change.target
            if op in ("replace", "remove") and claimed.get(target) != k:
                continue  # the conflict is reported by _claims
            fields = change.item_fields()
            if op == "append":
                self._append(k, target, fields)
                continue
            if op in ("insert_before", "insert_after") and target in removed:
                line = self.esrc.positions.of(self.at(removed[target])).line
                self.error(self.at(k, op), f"'{target}' is removed (line {line}), so nothing can be inserted "
                           "next to it", hint="insert next to another item")
                continue
            place = self.tree.find(target)
            if place is None or (op in ("replace", "remove") and target not in self.base_ids):
                if place is None and target in self.seen:
                    self.error(self.at(k, op), f"'{target}' is no longer in the sheet: an earlier change of this "
                               "edition removed or replaced what held it", hint="change it before, or instead of, "
                               "the change that removes or replaces what holds it")
                    continue
                self.errors.append(self._unknown(self.at(k, op), target, inserted=place is not None))
                continue
            if op == "remove":
                self._remove(k, target, place)
            elif op == "replace":
                self._replace(k, target, place, fields)
            else:
                node = self._new(k, place.kind, fields)
                if node is None:
                    continue
                position = place.index
                if op == "insert_after":
                    last = after_last.get(target)
                    if last is not None:
                        position = next((i for i, n in enumerate(place.items) if n.id == last), place.index)
                    position += 1
                    after_last[target] = str(node.id)
                place.items.insert(position, node)
                self.seen.add(str(node.id))
                self.applied.append(Applied(k, op, place.name, str(node.id), None, node.dump(), anchor=target))
        return self._finish()

    def _claims(self) -> tuple[dict[str, int], dict[str, int]]:
        """Who changes what: a second change to the same id is a conflict."""
        claimed: dict[str, int] = {}
        removed: dict[str, int] = {}
        for k, change in enumerate(self.edition.changes):
            if change.operation not in ("replace", "remove"):
                continue
            target = change.target
            if target in claimed:
                first = self.esrc.positions.of(self.at(claimed[target]))
                self.error(self.at(k, change.operation), f"'{target}' is already changed on line {first.line}",
                           hint="make one change per id: put all of its new fields in one replace")
                continue
            claimed[target] = k
            if change.operation == "remove":
                removed[target] = k
        return claimed, removed

    def _remove(self, k: int, target: str, place: _Place) -> None:
        if len(place.items) == 1 and place.kind in ("section", "tip") and place.name in ("intro", "tips") \
                and self.shorthand:
            self.error(self.at(k, "remove"), f"'{target}' is the only item left in {place.name}; "
                       f"a tip sheet needs at least one", hint="replace it instead of removing it")
            return
        node = place.items.pop(place.index)
        self.applied.append(Applied(k, "remove", place.name, target, node.dump(), None))

    def _replace(self, k: int, target: str, place: _Place, fields: dict[str, Any]) -> None:
        node = place.items[place.index]
        if "id" in fields:
            self.error(self.at(k, "id"), "a replaced item keeps its id",
                       hint=f"leave out 'id'; to add a new item use insert_after: {target}")
            return
        if not fields:
            self.error(self.at(k, "replace"), f"this replace gives no new fields for '{target}'",
                       hint="give the fields that change, such as heading or body")
            return
        if node.kind == "block" and "type" in fields and fields["type"] != node.data.get("type"):
            self.error(self.at(k, "type"), f"a replaced block keeps its type ({node.data.get('type')})",
                       hint=f"remove '{target}' and insert a new block of another type in its place")
            return
        if not self._fits(k, node.kind, {**node.data, **fields}, fields):
            return
        new = _Node(node.id, node.kind, dict(node.data), node.origin, dict(node.fields),
                    {name: list(items) for name, items in node.lists.items()})
        for name, value in fields.items():
            if name in new.lists and isinstance(value, list):  # a whole list of tips or groups, replaced
                child_kind = LISTS[(node.kind, name)]
                new.lists[name] = [_node(child_kind, item, self.esrc, self.at(k, name, j))
                                   for j, item in enumerate(value)]
            else:
                new.data[name] = value
            new.fields[name] = Origin(self.esrc, self.at(k, name))
        item = self._validate(new)
        if item is None:
            return
        place.items[place.index] = new
        self.applied.append(Applied(k, "replace", place.name, target, node.dump(), new.dump()))

    def _append(self, k: int, target: str, fields: dict[str, Any]) -> None:
        if target in ("intro", "sidebars", "tips", "closing", "blocks"):
            if (target == "blocks") == self.shorthand and (target != "tips" or self.shorthand):
                form = ("in the shorthand form (intro, sidebars, tips, closing)" if self.shorthand
                        else "as blocks")
                self.error(self.at(k, "append"), f"the base tip sheet is written {form}, so there is no "
                           f"'{target}' to append to",
                           hint=("append to intro, sidebars, tips or closing" if self.shorthand
                                 else "append to blocks, or to the tips of a tips block or group by its id"))
                return
            items, name, kind = self.tree.lists[target], target, LISTS[("", target)]
        else:
            place = self.tree.find(target)
            node = place.items[place.index] if place is not None else None
            lists = node.lists if node is not None else {}
            if node is None or "tips" not in lists or lists.get("groups"):
                hint = ("append to one of its groups, by the group's id" if lists.get("groups")
                        else "append to intro, sidebars, tips, closing or blocks, or to a tips block or "
                             "group of tips by its id")
                self.error(self.at(k, "append"), f"there is no list of tips called '{target}' to append to",
                           hint=hint)
                return
            items, name, kind = lists["tips"], "tips", LISTS[(node.kind, "tips")]
        new = self._new(k, kind, fields)
        if new is not None:
            items.append(new)
            self.applied.append(Applied(k, "append", name, str(new.id), None, new.dump(), anchor=target))

    def _new(self, k: int, kind: str, fields: dict[str, Any]) -> _Node | None:
        new_id = fields.get("id")
        if new_id is None:
            self.error(self.at(k), "a new item needs an id", hint="give it an id of its own, such as 'local-classes'")
            return None
        if new_id in self.tree.ids():
            self.error(self.at(k, "id"), f"id '{new_id}' is already used in this tip sheet",
                       hint="give the new item an id of its own")
            return None
        if not self._fits(k, kind, fields, fields):
            return None
        node = _node(kind, fields, self.esrc, self.at(k))
        return node if self._validate(node) is not None else None

    def _fits(self, k: int, kind: str, data: dict[str, Any], fields: dict[str, Any]) -> bool:
        allowed = _item_fields(kind, data)
        name_of = KIND_NAMES[kind]
        if kind == "block" and str(data.get("type")) in BLOCK_TYPES.by_name:
            name_of = f"a {data['type']} block"
        for name in fields:
            if name in allowed:
                continue
            message = (f"unknown field '{name}'" if name not in _every_field() else f"{name_of} has no field '{name}'")
            self.error(self.at(k, name), message, hint=f"{name_of} has: {', '.join(allowed)}", key=True)
            return False
        return True

    def _validate(self, node: _Node) -> Any:
        try:
            return _ADAPTERS[node.kind].validate_python(node.dump())
        except ValidationError as exc:
            self.errors.append(validation_error(exc, node.origins(self.esrc)))
            return None

    def _unknown(self, path: FieldPath, target: str, *, inserted: bool) -> ContentError:
        if inserted:
            return self.esrc.positions.error(path, f"'{target}' is an item this edition adds; change it where it "
                                             "is added", hint="edit the fields of the insert or append that adds it")
        ids = self.tree.ids()
        close = difflib.get_close_matches(target, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the base's ids: {', '.join(ids)}"
        what = "section, sidebar or tip" if self.shorthand else "block, group or tip"
        return self.esrc.positions.error(path, f"the base tip sheet has no {what} with id '{target}'", hint=hint)

    def _finish(self) -> Merged:
        data = self.sheet.model_dump()
        data["id"] = self.edition.id
        origins = Origins(self.bsrc)
        if self.edition.locale is not None:
            data["locale"] = self.edition.locale
        for name in OVERRIDES:
            if name in self.edition.model_fields_set:
                value = getattr(self.edition, name)
                data[name] = _dump(value)
                origins.set((name,), self.esrc, (name,))
        for name, items in self.tree.lists.items():
            data[name] = [node.dump() for node in items]
            for i, node in enumerate(items):
                node._record(origins, (name, i))
        merged: TipSheet | None = None
        if not self.errors:
            try:
                merged = TipSheet.model_validate(data)
            except ValidationError as exc:
                self.errors.append(validation_error(exc, origins))
        return Merged(merged, origins, self.applied, self.errors)


def _dump(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


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
