"""Loading a whole content tree into one validated :class:`Catalog`.

Each folder under ``content/`` holds one kind of file (``tipsheets/``,
``brands/``, ``programs/``, ``offices/``, ``guidance/``, ``areas/``,
``editions/``). The file
name is the id; ``<id>.<locale>.yaml`` is the same document in another locale.
Every YAML file is read; a file in a folder the tool does not know is reported.
A file with an error is left out of the catalog and its error recorded, so the
documents that do not depend on it still build.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Hashable, Iterable, Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError

from tipsheets.core import models as model
from tipsheets.core.collector import collector_paused
from tipsheets.core.errors import field_name
from tipsheets.core.paths import CONFIG_NAME as CONFIG_NAME
from tipsheets.core.paths import visible_files as visible_files
from tipsheets.core.fields import AtField
from tipsheets.core.plain import explain, raw_value
from tipsheets.core.registry import ContentType, Registry
from tipsheets.core.source import (ContentError, FieldPath, Positions, Remembered, SourceFile, load_yaml,
                                   load_yaml_bytes, read_limited)


T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One loaded content file: its model, where it came from, and how to point into it."""

    kind: str
    id: str
    locale: str | None
    item: Any
    source: SourceFile

    @property
    def path(self) -> str:
        return self.source.path

    def error(self, path: FieldPath, message: str, *, hint: str = "") -> ContentError:
        return self.source.positions.error(path, message, hint=hint)


@dataclass
class Catalog:
    """Everything under ``content/``, validated, with the errors of the files that were not."""

    root: Path
    config: model.Config
    config_source: SourceFile | None
    entries: dict[str, dict[tuple[str, str | None], Entry]] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    #: path (as shown) of every file that failed, so dependants can say why they are skipped
    failed: set[str] = field(default_factory=set)
    #: (kind, id) of every file that failed to load
    failed_ids: set[tuple[str, str]] = field(default_factory=set)
    #: path (as shown) → the plain data of each file that was read as YAML but refused as content
    unusable: dict[str, Any] = field(default_factory=dict)
    #: False when the project has no content folder (most likely the wrong folder was given)
    has_content: bool = True
    #: what is worked out from the loaded content once and kept with it (see :meth:`derived`)
    _derived: dict[Hashable, object] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, worked out once per catalog (the catalog does not change once loaded).

        ``key`` names what ``make`` works out, so one key always holds a value of ``make``'s type."""
        if key not in self._derived:
            self._derived[key] = make()
        return cast(T, self._derived[key])

    def __getstate__(self) -> dict[str, Any]:
        """What a worker process receives: the content, not what was worked out from it (which may hold
        functions, such as a translation's plural rule, and is worked out again where it is needed)."""
        return {**self.__dict__, "_derived": {}}

    def of(self, kind: str) -> list[Entry]:
        return sorted(self.entries.get(kind, {}).values(), key=lambda e: (e.id, e.locale or ""))

    def get(self, kind: str, id: str, locale: str | None = None) -> Entry | None:
        return self.entries.get(kind, {}).get((id, locale))

    def require(self, kind: str, id: str, locale: str | None = None) -> Entry:
        """:meth:`get` for an entry the caller had from this catalog (a program a desk aid lists)."""
        entry = self.get(kind, id, locale)
        if entry is None:
            raise LookupError(f"the catalog has no {kind} entry '{id}'")
        return entry

    def county_list(self, state: str) -> Entry | None:
        """``content/areas/GA.yaml`` (or ``ga.yaml``): the counties of ``state``."""
        return self.get("areas", state) or self.get("areas", state.lower())

    def items(self, kind: str) -> list[Any]:
        return [entry.item for entry in self.of(kind)]

    def brand(self, id: str) -> Any:
        entry = self.get("brands", id)
        return entry.item if entry else None

    def file_hashes(self) -> dict[str, str]:
        """File (as shown) → the sha256 of the bytes it was loaded from, for every file in the catalog."""
        return {entry.path: entry.source.sha256 for bucket in self.entries.values() for entry in bucket.values()
                if entry.source.sha256}

    def sources(self) -> Iterable[SourceFile]:
        if self.config_source is not None:
            yield self.config_source
        for kind in sorted(self.entries):
            for entry in self.of(kind):
                yield entry.source


def relative(path: Path, root: Path) -> str:
    """The name a user sees for ``path``: relative to the project root where possible."""
    try:  # as written first, so a symbolic link is named by its own name, not its target's
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


class WrittenIn(Protocol):
    """Data validated from more than one file, such as an edition laid over its base: which file wrote what."""

    def place(self, path: FieldPath) -> tuple[Positions, FieldPath]:
        """The positions of the file that wrote ``path``, and ``path`` in that file."""
        ...


def _place(positions: Positions | WrittenIn, path: FieldPath) -> tuple[Positions, FieldPath]:
    return (positions, path) if isinstance(positions, Positions) else positions.place(path)


def _error_at(positions: Positions | WrittenIn, path: FieldPath, message: str, *, hint: str = "",
              key: bool = False) -> ContentError:
    file, where = _place(positions, path)
    return file.error(where, message, hint=hint, key=key)


def validation_error(exc: ValidationError, positions: Positions | WrittenIn, model: type[BaseModel] | None = None,
                     prefix: FieldPath = ()) -> ContentError:
    """Turn pydantic's first error into a ContentError that points into the YAML, in plain words
    (see :mod:`tipsheets.core.plain`); ``model``, the model validated, lets it suggest a field name;
    ``prefix``: where the validated data sits in the file. ``positions`` are the file's, or, for data
    written in several files, what says which file wrote each field."""
    first = exc.errors(include_url=False)[0]
    loc: FieldPath = tuple(prefix)
    for part in first["loc"]:
        # a capitalised part is pydantic's name for a union member, unless the file has such a key
        file, written = _place(positions, loc + (part,))
        if _is_union_tag(part) and written not in file.keys:
            continue
        loc += (part,)
    kind = first["type"]
    broken = first.get("ctx", {}).get("error") if kind == "value_error" else None
    if isinstance(broken, AtField):  # a model's own rule, at one of its fields
        loc += (broken.field,)
        if broken.missing:
            kind = "missing"
            first = {**first, "type": kind, "loc": loc}
    if loc:
        file, written = _place(positions, loc)
        mark = file.values.get(written)
        raw = raw_value(file.lines, mark.line, mark.col) if mark else ""
        plain = explain(first, loc, raw, model)
        if plain is not None:
            # point at the mapping it belongs in (in the file that left it out), and name the field
            if kind == "missing":
                where = file.of(written[:-1])
                return ContentError(file.file, plain.message, line=where.line, col=where.col,
                                    field=field_name(written), hint=plain.hint)
            return _error_at(positions, plain.path, plain.message, hint=plain.hint, key=plain.key)
    if not loc and kind in ("extra_forbidden", "missing"):
        return _error_at(positions, (), _one_line(first["msg"]))
    message = _one_line(first["msg"])
    hint = ""
    if kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'"
        hint = "check the spelling; `tipsheets schema` lists the fields"
        return _error_at(positions, loc, message, hint=hint, key=True)
    if kind == "missing":
        message = f"required field '{loc[-1]}' is missing"
        return _error_at(positions, loc[:-1], message)
    if kind == "block_type":
        return _block_type_error(first.get("input"), loc, positions)
    if kind in ("too_short", "too_long"):
        ctx = first.get("ctx", {})
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        actual = ctx.get("actual_length")
        field = f"'{loc[-1]}'" if loc and isinstance(loc[-1], str) else "this list"
        if kind == "too_short":
            has = "is empty" if actual == 0 else f"has {actual}"
            message = f"{field} needs at least {_count(limit)}; it {has}"
            hint = "add one, or leave the field out if it is optional"
        else:
            message = f"{field} takes at most {_count(limit)}; it has {actual}"
            hint = "remove the extra ones"
        return _error_at(positions, loc, message, hint=hint)
    if kind == "string_too_short":
        return _error_at(positions, loc, "this is empty", hint="write something here, or leave the field out")
    if kind == "string_pattern_mismatch":
        pattern = first.get("ctx", {}).get("pattern", "")
        message = f"{first.get('input')!r} is not in the expected form"
        hint = _pattern_hint(pattern)
    elif message.startswith("Value error, "):
        message, hint = _split_hint(message.removeprefix("Value error, "))
    elif kind == "literal_error":
        message = f"{first.get('input')!r} is not allowed; {message[0].lower()}{message[1:]}"
    return _error_at(positions, loc, message, hint=hint)


def _count(number: Any) -> str:
    return "one entry" if number == 1 else f"{number} entries"


def _block_type_error(value: Any, loc: FieldPath, positions: Positions | WrittenIn) -> ContentError:
    """A block whose ``type`` is missing or not one of the block types."""
    from tipsheets.core.blocks import BLOCK_TYPES

    names = ", ".join(BLOCK_TYPES.names())
    if not isinstance(value, dict):
        return _error_at(positions, loc, "a block is a mapping of fields, starting with its type",
                         hint=f"write - type: section, with its fields under it; block types: {names}")
    kind = value.get("type")
    if kind is None:
        return _error_at(positions, loc, "this block has no type", hint=f"add type: one of {names}")
    close = difflib.get_close_matches(str(kind), BLOCK_TYPES.names(), n=1)
    hint = f"did you mean '{close[0]}'? block types: {names}" if close else f"block types: {names}"
    return _error_at(positions, (*loc, "type"), f"unknown block type '{kind}'", hint=hint)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _split_hint(message: str) -> tuple[str, str]:
    """A validator's message that ends in ``(hint: ...)`` as (message, hint), so the hint is printed once."""
    head, sep, tail = message.rpartition(" (hint: ")
    if sep and tail.endswith(")"):
        return head, tail[:-1]
    return message, ""


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the member type's name ("str", "BrandName", "function-after[...]") to union locations
    return isinstance(part, str) and (part[:1].isupper() or part in {"str", "constrained-str", "list", "dict"}
                                      or "[" in part)


_PATTERN_HINTS = {
    "a-z0-9][a-z0-9-]": "ids are lower-case letters, digits and hyphens, such as 'clarke-county'",
    "^https?://": "give a full web address starting with https://",
    "[A-Z]{2}$": "use the two-letter state code, such as 'GA'",
    "^\\d{5}$": "use a five-digit ZIP code",
    "[01]\\d|2[0-3]": "write the time as 18:00-20:00 (24-hour clock)",
    "[^@\\s]+@": "give an email address such as name@example.org",
    "[a-z]{2,3}": "use a language code such as 'en' or 'es'",
}


def _pattern_hint(pattern: str) -> str:
    for needle, hint in _PATTERN_HINTS.items():
        if needle in pattern:
            return hint
    return ""


def _real_path(file: Path, real_folders: dict[Path, Path]) -> Path:
    """``file.resolve()``, each folder resolved once (``real_folders``): thousands of files share a few folders."""
    folder = real_folders.get(file.parent)
    if folder is None:
        folder = real_folders[file.parent] = file.parent.resolve()
    return file.resolve() if file.is_symlink() else folder / file.name


def parse_entry(content_type: ContentType, file: Path, shown: str, inside: PurePosixPath | None = None,
                remembered: Remembered | None = None) -> Entry:
    """Read and validate one content file of a known type (``inside``: its path within the type's folder;
    ``remembered``: see :func:`load_catalog`)."""
    return entry_from(content_type, load_yaml(file, shown, remembered=remembered), file, inside)


def entry_from(content_type: ContentType, source: SourceFile, file: Path, inside: PurePosixPath | None = None) -> Entry:
    """Validate one parsed content file of a known type (``inside``: its path within the type's folder)."""
    kind, shown = content_type.folder, source.path
    if content_type.read is not None:
        id = content_type.file_id(inside or PurePosixPath(file.name)) if content_type.file_id else \
            file.name.partition(".")[0]
        return Entry(kind=kind, id=id, locale=None, item=content_type.read(source, id, file), source=source)
    stem, _, rest = file.name.partition(".")
    suffixes = rest.split(".")[:-1]  # "es" of "win-win.es.yaml"
    locale = suffixes[0] if suffixes else None
    localised = content_type.localised
    if len(suffixes) > 1 or (locale and not localised):
        raise ContentError(shown, f"unexpected name '{file.name}'",
                           hint=f"name it <id>.yaml{' or <id>.<locale>.yaml' if localised else ''}")
    data = source.data
    if not isinstance(data, dict):
        raise ContentError(shown, f"expected a mapping of fields at the top of the file, found {type(data).__name__}")
    if "id" in data and data["id"] != stem:
        raise source.positions.error(("id",), f"id '{data['id']}' does not match the file name '{stem}'",
                                     hint="the file name is the id; remove the id key or rename the file")
    data = {**data, "id": stem}
    if locale is not None:
        if "locale" in data and data["locale"] != locale:
            raise source.positions.error(("locale",), f"locale '{data['locale']}' does not match the file name",
                                         hint=f"the file name says '{locale}'")
        data["locale"] = locale
    cls = content_type.model
    try:
        item = cls.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source.positions, cls) from None
    return Entry(kind=kind, id=stem, locale=locale, item=item, source=source)


def load_config(root: Path) -> tuple[model.Config, SourceFile | None]:
    path = root / CONFIG_NAME
    if not path.exists():
        return model.Config(), None
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError(CONFIG_NAME, "this is a symbolic link to a file outside the project; it is not read")
    source = load_yaml(path, relative(path, root))
    if not isinstance(source.data, dict):
        raise ContentError(source.path, "expected a mapping of settings")
    try:
        return model.Config.model_validate(source.data), source
    except ValidationError as exc:
        raise validation_error(exc, source.positions, model.Config) from None


def yaml_files(content: Path) -> list[Path]:
    return [p for p in visible_files(content) if p.suffix in {".yaml", ".yml"}]


#: a content file as read: its parsed YAML (None when it is not YAML), and its entry or why it has none
Read = tuple[SourceFile | None, "Entry | ContentError"]


def read_entry(content_type: ContentType, file: Path, shown: str, inside: PurePosixPath | None = None,
               raw: bytes | None = None, remembered: Remembered | None = None) -> Read:
    """Read and validate one content file (``raw``: its bytes, when already read; ``remembered``: see
    :func:`load_catalog`); never raises for bad content."""
    source = None
    try:
        source = (load_yaml(file, shown, remembered=remembered) if raw is None
                  else load_yaml_bytes(raw, shown, remembered=remembered))
        return source, entry_from(content_type, source, file, inside)
    except ContentError as exc:
        return source, exc


class KeptEntries:
    """Content files as an earlier load of this process read and validated them, by their bytes, so a load
    (``tipsheets serve``'s next build) reads again only what changed.

    A file is parsed again whenever its bytes differ from those it was parsed
    from, and the set holds only the files of the last load, so nothing in it
    outlives the file it came from. An entry is plain frozen data, safe to
    share between catalogs. For one project at a time: a name means the same
    file only within one project.
    """

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], tuple[bytes, Read]] = {}
        self._seen: dict[tuple[str, str], tuple[bytes, Read]] = {}
        #: how many files the last load parsed, and how many it took as they were
        self.parsed = 0
        self.reused = 0

    def begin(self) -> None:
        self._seen = {}
        self.parsed = self.reused = 0

    def entry(self, content_type: ContentType, file: Path, shown: str, inside: PurePosixPath | None = None) -> Read:
        """``file`` as read (see :func:`read_entry`), parsed again only when its bytes changed."""
        key = (content_type.folder, shown)
        try:
            raw = read_limited(file, shown)
        except ContentError as exc:
            return None, exc
        known = self._files.get(key)
        if known is not None and known[0] == raw:
            self.reused += 1
            result = known[1]
        else:
            self.parsed += 1
            result = read_entry(content_type, file, shown, inside, raw)
        self._seen[key] = (raw, result)
        return result

    def end(self) -> None:
        """Forget the files the last load did not read: they were removed, renamed or are no longer read."""
        self._files, self._seen = self._seen, {}


def load_catalog(root: Path, types: Registry, content_dir: str = "content", *,
                 parsed: KeptEntries | None = None, remembered: Remembered | None = None) -> Catalog:
    """Load every YAML file under ``root/content`` as the content type its folder holds; never raises
    for bad content (see :func:`tipsheets.project.load_project` for a project's own types).

    ``parsed``: entries an earlier load of the same project in this process made; only files whose bytes
    changed are read again. ``remembered`` (:class:`tipsheets.core.parsed.ParsedFiles`) holds the data of
    files parsed before, by the sha256 of their bytes: those are validated, not parsed again, and what is
    parsed is added to it.
    """
    if parsed is not None:
        parsed.begin()
    try:
        with collector_paused():
            return _load_catalog(root, types, content_dir, parsed, remembered)
    finally:
        if parsed is not None:
            parsed.end()


def _load_catalog(root: Path, types: Registry, content_dir: str, parsed: KeptEntries | None,
                  remembered: Remembered | None) -> Catalog:
    root = root.resolve()
    errors: list[ContentError] = []
    try:
        config, config_source = load_config(root)
    except ContentError as exc:
        errors.append(exc)
        config, config_source = model.Config(), None
    catalog = Catalog(root=root, config=config, config_source=config_source, errors=errors)
    content = root / content_dir
    if not content.is_dir():
        catalog.errors.append(ContentError(relative(content, root), "no content folder here",
                                           hint="run tipsheets in a project folder, or `tipsheets init DIR`"))
        catalog.has_content = False
        return catalog
    real_folders: dict[Path, Path] = {}
    for file in yaml_files(content):
        rel = file.relative_to(content)
        shown = PurePosixPath(content_dir, rel.as_posix()).as_posix()  # as relative() names it, for less
        kind = rel.parts[0] if len(rel.parts) > 1 else ""
        content_type = types.folder(kind)
        if content_type is None:
            where = f"folder '{kind}/'" if kind else "top of content/"
            catalog.errors.append(ContentError(
                shown, f"the tool does not know what files in the {where} are",
                hint=f"put it in one of: {', '.join(sorted(types.by_folder))}"))
            catalog.failed.add(shown)
            continue
        inside = PurePosixPath(*rel.parts[1:]) if kind else PurePosixPath(rel.as_posix())
        file_id = content_type.file_id(inside) if content_type.file_id else file.name.partition(".")[0]
        if not _real_path(file, real_folders).is_relative_to(root):
            catalog.errors.append(ContentError(
                shown, "this is a symbolic link to a file outside the project; it is not read",
                hint="put the content file itself in the project"))
            catalog.failed.add(shown)
            catalog.failed_ids.add((kind, file_id))
            continue
        source, loaded = (parsed.entry(content_type, file, shown, inside) if parsed is not None
                          else read_entry(content_type, file, shown, inside, remembered=remembered))
        if isinstance(loaded, ContentError):
            catalog.errors.append(loaded)
            catalog.failed.add(shown)
            catalog.failed_ids.add((kind, file_id))
            if source is not None:  # read as YAML, refused as content: what it says may still be of use
                catalog.unusable[shown] = source.data
            continue
        entry = loaded
        key = (entry.id, entry.locale)
        bucket = catalog.entries.setdefault(kind, {})
        if key in bucket:
            catalog.errors.append(ContentError(shown, f"{kind} id '{entry.id}' is also used by {bucket[key].path}"))
            continue
        bucket[key] = entry
    return catalog
