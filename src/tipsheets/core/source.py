"""Reading YAML safely while remembering where every value came from.

Every content file is untrusted. It is read with PyYAML's *safe* composer only
(no Python objects are ever constructed), its size and alias expansion are
bounded, and duplicate keys are refused. The result is plain data (dicts, lists,
strings, numbers, dates) plus a :class:`Positions` table that maps each value's
path, such as ``("tips", 2, "heading")``, to its line and column in the file.

Every bad input becomes one :class:`ContentError`, which the command line prints
as ``file:line:col: field: message``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Protocol

import yaml

# ContentError, FieldPath and field_name are also offered from here, beside the positions they go with
from tipsheets.core.errors import ContentError as ContentError
from tipsheets.core.errors import FieldPath as FieldPath
from tipsheets.core.errors import field_name as field_name
from tipsheets.core.errors import one_line

#: A content file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Values produced after expanding aliases; a "billion laughs" file trips this.
MAX_NODES = 50_000
#: Lists and mappings nested deeper than this are refused (the readers below recurse).
MAX_DEPTH = 64

#: The only YAML types a content file may hold; any other tag (``!!python/...``,
#: ``!!binary``, ``!!set``, ``!custom``) is refused rather than constructed.
ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)

#: libyaml's safe loader where PyYAML was built with it (several times faster), else the pure-Python one.
SafeLoader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"



class Mark(NamedTuple):
    """A position in a source file: 1-based line and column.

    A named tuple rather than a frozen dataclass: a file records one per value,
    and a tuple is made several times faster (a sixth of loading the content).
    """

    line: int
    col: int


@dataclass(frozen=True)
class Scalar:
    """Where a string value sits in its file, and how it is written there."""

    start: Mark
    end: Mark
    style: str  # "" plain, "'" or '"' quoted, "|" literal, ">" folded


@dataclass
class Positions:
    """Line and column of every value (and every mapping key) in one file."""

    file: str
    values: dict[FieldPath, Mark] = field(default_factory=dict)
    keys: dict[FieldPath, Mark] = field(default_factory=dict)
    scalars: dict[FieldPath, Scalar] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    #: the file's lines, so a message can quote a value as it is written (``02134``, not 1116)
    lines: list[str] = field(default_factory=list)

    def of(self, path: FieldPath, *, key: bool = False) -> Mark:
        """The best known position for ``path``: the value, its key, or the nearest parent."""
        path = tuple(path)
        while True:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return Mark(1, 1)
            path = path[:-1]

    def error(self, path: FieldPath, message: str, *, hint: str = "", key: bool = False) -> ContentError:
        mark = self.of(path, key=key)
        return ContentError(
            self.file, message, line=mark.line, col=mark.col, field=field_name(path), hint=hint
        )


@dataclass
class SourceFile:
    """One parsed YAML file: its data and where each value came from."""

    path: str  # as shown to the user (relative to the project root where possible)
    data: Any
    positions: Positions
    text: str
    #: sha256 (hex) of the file's bytes, when it was read from a file
    sha256: str = ""

    def strings(self) -> Iterator[tuple[FieldPath, str, Scalar]]:
        """Every string value in the file with its path and position, in file order."""
        scalars = self.positions.scalars
        for path, value in self.values():
            scalar = scalars.get(path)
            if scalar is not None:
                yield path, value, scalar

    def values(self) -> Iterator[tuple[FieldPath, str]]:
        """Every string value in the file with its path, in file order, without asking for positions:
        a remembered file (:class:`RememberedSource`) is not parsed again to list them."""
        yield from _walk_values(self.data, ())


def _walk_values(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_values(item, path + (str(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_values(item, path + (index,))


class _YamlMark(Protocol):
    """A place as PyYAML gives it (0-based): its own ``Mark``, or libyaml's."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def _mark(yaml_mark: _YamlMark | None) -> Mark:
    if yaml_mark is None:
        return Mark(1, 1)
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _decode(raw: bytes, shown: str) -> str:
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        raise ContentError(shown, "this is a binary file, not YAML text", line=line, col=1,
                           hint="content files are UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(shown, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                           line=line, col=col, hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def _check_depth(text: str, shown: str) -> None:
    """Refuse lists and mappings nested more than MAX_DEPTH deep, before anything recursive reads them.

    PyYAML's composer (and :func:`_build`) recurse once per level; a file of
    10,000 nested ``[`` would otherwise end in a RecursionError. The parser's
    events come one at a time without recursion, so counting them is safe.
    """
    parser = SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = _mark(event.start_mark)
                    raise ContentError(shown, f"lists and mappings are nested more than {MAX_DEPTH} deep",
                                       line=mark.line, col=mark.col,
                                       hint="content files are shallow; check the brackets")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        parser.dispose()


def _reader_error(exc: yaml.reader.ReaderError, text: str, shown: str) -> ContentError:
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return ContentError(shown, f"the file contains the character U+{exc.character:04X}, which YAML does not allow",
                        line=line, col=col, hint="remove it; content files hold printable text only")



def _yaml_error(exc: yaml.MarkedYAMLError, text: str, shown: str) -> ContentError:
    mark = _mark(exc.problem_mark or exc.context_mark)
    problem = one_line(exc.problem or exc.context or "YAML syntax error")
    hint = ""
    lines = text.splitlines()
    line = lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in problem:
        problem = "a tab character is used for indentation"
        hint = "indent YAML with spaces, not tabs"
        if "\t" in indent:
            mark = Mark(mark.line, indent.index("\t") + 1)
    elif "maximum nesting depth" in problem:  # libyaml's own limit, met while looking ahead
        return ContentError(shown, f"lists and mappings are nested more than {MAX_DEPTH} deep", line=mark.line,
                            col=mark.col, hint="content files are shallow; check the brackets")
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted"
    elif "found character '@'" in problem or "found character '`'" in problem:
        hint = "quote values that start with @ or `"
    return ContentError(shown, f"YAML syntax error: {problem}", line=mark.line, col=mark.col, hint=hint)


def load_yaml_text(text: str, shown: str) -> SourceFile:
    """Parse YAML text into plain data with positions; raise ContentError on any problem."""
    if not text.strip():
        raise ContentError(shown, "the file is empty", hint="remove it, or give it content")
    try:
        # libyaml refuses to nest more than 1,000 levels and composes without Python recursion, so
        # :func:`_build` can count the levels; the pure-Python composer recurses once per level: count first
        if SafeLoader is yaml.SafeLoader:
            _check_depth(text, shown)
        loader = SafeLoader(text)
        root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, shown) from None
    except yaml.MarkedYAMLError as exc:
        if "but found another document" in str(exc.problem):
            mark = _mark(exc.problem_mark)
            raise ContentError(shown, "the file holds more than one YAML document (a second '---')",
                               line=mark.line, col=mark.col, hint="one content file holds one document") from None
        raise _yaml_error(exc, text, shown) from None
    except yaml.YAMLError as exc:
        raise ContentError(shown, f"YAML error: {one_line(exc)}") from None
    except (ValueError, OverflowError) as exc:  # the pure-Python scanner on an escape such as "\U1e999000"
        raise ContentError(shown, f"YAML syntax error: {one_line(exc)}") from None

    positions = Positions(shown)
    positions.comments = _comments(text)
    positions.lines = text.splitlines()
    if root is None:
        raise ContentError(shown, "the file holds only comments", hint="remove it, or give it content")
    try:
        data = _build(root, (), positions, loader, [MAX_NODES], shown)
    except _TooDeep:
        _check_depth(text, shown)  # the text itself nests too deeply: say where, as the parser sees it
        raise  # else an alias that contains itself
    finally:
        loader.dispose()
    return SourceFile(path=shown, data=data, positions=positions, text=text)


class RememberedSource(SourceFile):
    """A file whose bytes were parsed before (see :class:`tipsheets.core.parsed.ParsedFiles`): its data as
    parsed then, and its positions parsed again from its text only when something asks for them (an error
    to point at, a wording finding to place). Most files of a build are never asked."""

    def __init__(self, path: str, data: Any, text: str, sha256: str) -> None:  # noqa: D107 - see the class
        self.path, self.data, self.text, self.sha256 = path, data, text, sha256
        self._positions: Positions | None = None

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            self._positions = load_yaml_text(self.text, self.path).positions
        return self._positions

    @positions.setter
    def positions(self, value: Positions) -> None:
        self._positions = value


class Remembered(Protocol):
    """Parsed data by the sha256 of a file's bytes (:class:`tipsheets.core.parsed.ParsedFiles`)."""

    def get(self, sha256: str) -> tuple[bool, Any]: ...

    def put(self, sha256: str, data: Any) -> None: ...


def read_limited(path: Path, shown: str) -> bytes:
    """The bytes of the file at ``path``; ContentError when it cannot be read or is over the size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(shown, f"the file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                               hint="content files are short; split it or remove what is not content")
        with path.open("rb") as handle:  # never more than the limit, even if the file grows
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ContentError(shown, f"the file is too large (more than {MAX_FILE_BYTES:,} bytes)",
                               hint="content files are short; split it or remove what is not content")
    except OSError as exc:
        raise ContentError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    return raw


def load_yaml_bytes(raw: bytes, shown: str, *, remembered: Remembered | None = None) -> SourceFile:
    """Parse the bytes of a YAML file (as :func:`read_limited` read them); ``shown`` is the name used in messages.

    With ``remembered``, bytes parsed before are not parsed again, and bytes that are parsed are remembered.
    """
    sha256 = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, shown)
    if remembered is not None:
        known, data = remembered.get(sha256)
        if known:
            return RememberedSource(shown, data, text, sha256)
    source = load_yaml_text(text, shown)
    source.sha256 = sha256
    if remembered is not None:
        remembered.put(sha256, source.data)
    return source


def load_yaml(path: Path, shown: str | None = None, *, remembered: Remembered | None = None) -> SourceFile:
    """Read and parse one YAML file. ``shown`` is the name used in messages; see :func:`load_yaml_bytes`."""
    shown = shown or str(path)
    return load_yaml_bytes(read_limited(path, shown), shown, remembered=remembered)


def _comments(text: str) -> dict[int, str]:
    """Line number → comment text, for suppression comments such as ``# tipsheets: ignore``."""
    out: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" in line:
            index = line.find("#")
            if index == 0 or line[index - 1] in " \t":
                out[number] = line[index + 1 :].strip()
    return out


_STYLES = {None: "", "'": "'", '"': '"', "|": "|", ">": ">"}


def _build(node: yaml.Node, path: FieldPath, positions: Positions, loader: yaml.constructor.BaseConstructor,
           budget: list[int], shown: str) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        mark = _mark(node.start_mark)
        raise ContentError(shown, f"the document expands to more than {MAX_NODES:,} values",
                           line=mark.line, col=mark.col,
                           hint="aliases (*name) that repeat large blocks make a file huge")
    if len(path) > MAX_DEPTH:  # an alias that contains itself (&a [*a]) nests without end
        mark = _mark(node.start_mark)
        raise _TooDeep(shown, f"lists and mappings are nested more than {MAX_DEPTH} deep",
                       line=mark.line, col=mark.col, field=field_name(path[:8]) + "...",
                       hint="an alias (*name) may not refer to the block that contains it")
    if node.tag not in ALLOWED_TAGS:
        mark = _mark(node.start_mark)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise ContentError(shown, f"the YAML tag '{one_line(tag)[:60]}' is not allowed",
                           line=mark.line, col=mark.col, field=field_name(path),
                           hint="content holds plain text, numbers, dates, lists and mappings; remove the tag")
    positions.values.setdefault(path, _mark(node.start_mark))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                mark = _mark(key_node.start_mark)
                raise ContentError(shown, "merge keys (<<) are not supported", line=mark.line, col=mark.col,
                                   field=field_name(path), hint="write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                mark = _mark(key_node.start_mark)
                raise ContentError(shown, "a mapping key must be a plain word", line=mark.line,
                                   col=mark.col, field=field_name(path))
            key = str(key_node.value)
            child = path + (key,)
            if key in result:
                mark = _mark(key_node.start_mark)
                first = positions.keys[child]
                raise ContentError(shown, f"duplicate key '{key}' (first given on line {first.line})",
                                   line=mark.line, col=mark.col, field=field_name(child),
                                   hint="each key may appear once in a mapping")
            positions.keys[child] = _mark(key_node.start_mark)
            result[key] = _build(value_node, child, positions, loader, budget, shown)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, path + (index,), positions, loader, budget, shown)
            for index, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == _STR:  # most values: the constructor would return node.value as it is
        value = node.value
        bad = _UNPRINTABLE.search(value)
        if bad is None:
            start, end = node.start_mark, node.end_mark
            positions.scalars[path] = Scalar(Mark(start.line + 1, start.column + 1), Mark(end.line + 1, end.column + 1),
                                             _STYLES.get(node.style, ""))
            return value
    mark = _mark(node.start_mark)
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 30:
        raise ContentError(shown, f"the number is too long ({len(node.value):,} digits)", line=mark.line,
                           col=mark.col, field=field_name(path), hint="quote it if it is meant as text")
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:
        raise ContentError(shown, f"cannot read this value: {one_line(exc.problem or exc)}", line=mark.line,
                           col=mark.col, field=field_name(path)) from None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. an impossible date such as 2024-02-30
        raise ContentError(shown, f"cannot read this value: {one_line(exc)}", line=mark.line, col=mark.col,
                           field=field_name(path), hint="quote it if it is meant as text") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ContentError(shown, f"'{node.value}' is not a usable number", line=mark.line, col=mark.col,
                           field=field_name(path), hint="give a finite number, or quote it if it is meant as text")
    if isinstance(value, str):
        bad = _UNPRINTABLE.search(value)
        if bad:
            raise ContentError(shown, f"the text contains the character U+{ord(bad.group()):04X}, which cannot be "
                               "printed", line=mark.line, col=mark.col, field=field_name(path),
                               hint="remove it; \\x and \\u escapes may only name printable characters")
        positions.scalars[path] = Scalar(_mark(node.start_mark), _mark(node.end_mark), _STYLES.get(node.style, ""))
    return value


class _TooDeep(ContentError):
    """Lists and mappings nested more than MAX_DEPTH deep, found while building the data."""


#: control characters (other than tab and line breaks), lone surrogates and non-characters
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
