"""Parsed content files, remembered by the sha256 of their bytes, so a build parses only what changed.

Parsing the YAML of a national project (five thousand files) is most of what
loading it costs. A build keeps what it parsed in its output folder (the build
stage reads and writes the file; see :mod:`tipsheets.publish.caches`), and the
next build looks each file up by the sha256 of its bytes: the same bytes parse
to the same data, so a file that did not change is not parsed again. Its data
is still validated into its model on every load, and its positions (for error
messages and wording findings) are parsed again from its text when something
asks for them (:class:`~tipsheets.core.source.RememberedSource`).

The data is stored as JSON, never as code or pickles: it holds only what
content may hold (text, numbers, booleans, null, dates, lists and mappings),
and dates are listed beside it by their path. Entries are keyed also by the
parser itself (this module and :mod:`tipsheets.core.source`, and PyYAML's
version), so a change to how files are read parses everything again. Anything
that does not have exactly the shape written here makes the whole store
unusable (:class:`DamagedStore`): it is then ignored, never half-trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from tipsheets.core import source

#: the version of the stored format
PARSED_VERSION = 1


class DamagedStore(Exception):
    """A store of remembered results that cannot be used; the message says why."""


def parser_key() -> str:
    """What decides how bytes parse: the code that parses them and PyYAML's version."""
    h = hashlib.sha256(f"parsed {PARSED_VERSION} pyyaml {yaml.__version__} {source.SafeLoader.__name__}\0".encode())
    for module in (source.__file__, __file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


class ParsedFiles:
    """The data of parsed files by the sha256 of their bytes; remembers which were asked for this time."""

    def __init__(self, key: str | None = None, stored: dict[str, tuple[str, Any]] | None = None) -> None:
        self.key = key or parser_key()
        #: sha256 → (the entry as stored, its data)
        self._stored = stored or {}
        #: sha256 → the entry as it is written next time, for every file asked for or parsed this time
        self._kept: dict[str, str] = {}
        self.parsed = 0

    def get(self, sha256: str) -> tuple[bool, Any]:
        """(True, data) for bytes parsed before, else (False, None)."""
        found = self._stored.get(sha256)
        if found is None:
            return False, None
        self._kept[sha256] = found[0]
        return True, found[1]

    def put(self, sha256: str, data: Any) -> None:
        """Remember the data ``sha256``'s bytes parsed to."""
        entry = _encoded(data)
        self._kept[sha256] = entry
        self._stored[sha256] = (entry, data)
        self.parsed += 1

    @property
    def changed(self) -> bool:
        """Whether what is kept differs from what was stored (a file parsed, or one no longer asked for)."""
        return bool(self.parsed) or set(self._kept) != set(self._stored)

    def to_bytes(self) -> bytes:
        """The files asked for or parsed this time, as stored."""
        return (json.dumps({"version": PARSED_VERSION, "parser": self.key, "files": dict(sorted(self._kept.items()))},
                           ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, key: str | None = None) -> ParsedFiles:
        """The store written by :meth:`to_bytes`; empty when another parser wrote it; :class:`DamagedStore`
        when it is not as tipsheets writes it."""
        key = key or parser_key()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise DamagedStore("it is not JSON") from None
        if not isinstance(data, dict) or set(data) != {"version", "parser", "files"} \
                or not isinstance(data["files"], dict):
            raise DamagedStore("it is not as tipsheets writes it")
        if data["version"] != PARSED_VERSION or data["parser"] != key:
            return cls(key)  # written by another version of the parser: start again
        stored = {}
        for sha, entry in data["files"].items():  # every entry is read now: the store is used whole or not at all
            try:
                if len(sha) != 64 or not isinstance(entry, str):
                    raise ValueError(sha)
                stored[sha] = (entry, _decoded(entry))
            except (ValueError, KeyError, IndexError, TypeError, RecursionError):
                raise DamagedStore("an entry does not have the shape tipsheets writes") from None
        return cls(key, stored)


def _encoded(data: Any) -> str:
    """``[data with each date as ISO text, [[path, "date" | "datetime"], ...]]`` as JSON text."""
    dates: list[list[Any]] = []
    plain = _plain(data, [], dates)
    return json.dumps([plain, dates], ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any, path: list[Any], dates: list[list[Any]]) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item, [*path, key], dates) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, [*path, index], dates) for index, item in enumerate(value)]
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        dates.append([path, "datetime"])
        return value.isoformat()
    if isinstance(value, dt.date):
        dates.append([path, "date"])
        return value.isoformat()
    return value


def _decoded(entry: str) -> Any:
    plain, dates = json.loads(entry)
    if not isinstance(dates, list):
        raise ValueError("dates")
    if not dates:
        return plain
    for path, kind in dates:
        parse = dt.datetime.fromisoformat if kind == "datetime" else dt.date.fromisoformat if kind == "date" else None
        if parse is None or not isinstance(path, list):
            raise ValueError("a date")
        if not path:  # the whole file is one date
            if not isinstance(plain, str):
                raise ValueError("a date")
            return parse(plain)
        holder = plain
        for step in path[:-1]:
            holder = holder[step]
        if not isinstance(holder, (dict, list)) or not isinstance(holder[path[-1]], str):
            raise ValueError("a date")
        holder[path[-1]] = parse(holder[path[-1]])
    return plain
