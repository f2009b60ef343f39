"""What a build keeps in its output folder to do less the next time: parsed content, wording findings and
what each phone number is.

``output/.tipsheets-parsed.json`` holds the data of every content file the
build parsed, by the sha256 of its bytes (:mod:`tipsheets.core.parsed`), so the
next build parses only the files that changed. ``output/.tipsheets-findings.json``
holds the wording findings of every content file, by its name, the sha256 of
its bytes and the digest of the rules and settings it was checked with, so the
next build checks only the files that changed (and all of them when a rule or
setting did). An edition is checked every time: it reads as its base does.

``output/.tipsheets-phones.json`` holds what each phone number of the content
was read as (:func:`tipsheets.core.contact.parse_phone`), under the rules and
the phonenumbers metadata that read it, so that a build asks libphonenumber
only about numbers it has not seen.

All three are caches: the output is the same with or without them. Each is written
at the end of a build, only when it changed, and read at the start of the next.
One that cannot be read, or that has the wrong shape anywhere, is ignored with
one line and written afresh; it is never half-trusted. Like everything in the
output folder they are trusted as far as the folder is: they are checked for
shape, not for truth.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, TypeVar

from tipsheets import __version__
from tipsheets.core import contact
from tipsheets.core.catalog import Entry
from tipsheets.core.collector import collector_paused
from tipsheets.core.contact import Phone
from tipsheets.core.parsed import DamagedStore, ParsedFiles
from tipsheets.lint.engine import Finding
from tipsheets.publish.output import OutputError, write_atomic

PARSED_NAME = ".tipsheets-parsed.json"
FINDINGS_NAME = ".tipsheets-findings.json"
PHONES_NAME = ".tipsheets-phones.json"
#: every file a build keeps to do less next time (``tipsheets clean`` removes them)
CACHE_NAMES = (PARSED_NAME, FINDINGS_NAME, PHONES_NAME)
FINDINGS_VERSION = 1
PHONES_VERSION = 1
#: a store larger than this is damaged (a national project's parsed content is a few megabytes)
MAX_STORE_BYTES = 512 * 1024 * 1024

_FINDING_FIELDS = {f.name: f.type for f in fields(Finding)}
Store = TypeVar("Store", "ParsedFiles", "FindingMemo", "PhoneStore")


def _read(out_dir: Path, name: str) -> bytes | None:
    """The bytes of a store, None when there is none; DamagedStore when it is not a plain file of a sane size."""
    path = out_dir / name
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise DamagedStore("it is not a plain file")
        if not path.exists():
            return None
        if path.stat().st_size > MAX_STORE_BYTES:
            raise DamagedStore("it is larger than any build writes")
        return path.read_bytes()
    except OSError as exc:
        raise DamagedStore(f"it cannot be read ({exc.strerror or exc})") from None


class FindingMemo:
    """Wording findings by file, its bytes and the rules (see :class:`tipsheets.lint.engine.Memo`)."""

    def __init__(self, rules: str, stored: dict[str, list[dict[str, Any]]] | None = None) -> None:
        #: the digest of the rules and settings the findings were made with
        self.rules = rules
        self._stored = stored or {}
        self._kept: dict[str, list[dict[str, Any]]] = {}
        self.checked = 0

    def _key(self, entry: Entry) -> str | None:
        if not entry.source.sha256:
            return None
        return hashlib.sha256(f"{self.rules}\0{entry.path}\0{entry.source.sha256}".encode()).hexdigest()

    def get(self, entry: Entry) -> list[Finding] | None:
        key = self._key(entry)
        stored = self._stored.get(key) if key else None
        if not key or stored is None:
            return None
        found = [_finding(item) for item in stored]
        if any(f.file != entry.path for f in found):  # filed under the wrong file: check the file again
            return None
        self._kept[key] = stored
        return found

    def put(self, entry: Entry, findings: list[Finding]) -> None:
        key = self._key(entry)
        if key:
            self._kept[key] = [_plain(f) for f in findings]
            self.checked += 1

    @property
    def changed(self) -> bool:
        return bool(self.checked) or set(self._kept) != set(self._stored)

    def to_bytes(self) -> bytes:
        data = {"version": FINDINGS_VERSION, "tool": __version__, "files": dict(sorted(self._kept.items()))}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, rules: str) -> FindingMemo:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise DamagedStore("it is not JSON") from None
        if not isinstance(data, dict) or set(data) != {"version", "tool", "files"} or \
                not isinstance(data["files"], dict):
            raise DamagedStore("it is not as tipsheets writes it")
        if data["version"] != FINDINGS_VERSION or data["tool"] != __version__:
            return cls(rules)
        stored = data["files"]
        for key, items in stored.items():
            if not isinstance(key, str) or not isinstance(items, list):
                raise DamagedStore("it is not as tipsheets writes it")
            for item in items:
                _finding(item)  # raises DamagedStore for the wrong shape
        return cls(rules, stored)


class PhoneStore:
    """What :func:`~tipsheets.core.contact.parse_phone` answered for each text, under one set of rules."""

    def __init__(self, rules: str, stored: dict[str, Phone | None] | None = None) -> None:
        #: :func:`tipsheets.core.contact.phone_rules`: the stored answers were given under these, as this process reads
        self.rules = rules
        self.stored = stored or {}

    @property
    def changed(self) -> bool:
        return not set(contact.phone_answers()) <= set(self.stored)

    def to_bytes(self) -> bytes:
        numbers = {text: None if phone is None else [phone.area, phone.exchange, phone.line, phone.extension,
                                                     phone.toll_free, phone.letters]
                   for text, phone in sorted(contact.phone_answers().items())}
        data = {"version": PHONES_VERSION, "rules": self.rules, "numbers": numbers}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, rules: str) -> PhoneStore:
        """The store written by :meth:`to_bytes`; empty when other rules wrote it; :class:`DamagedStore` when any
        part of it is not as tipsheets writes it."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise DamagedStore("it is not JSON") from None
        if not isinstance(data, dict) or set(data) != {"version", "rules", "numbers"} or \
                not isinstance(data["numbers"], dict) or len(data["numbers"]) > contact.MAX_ANSWERS:
            raise DamagedStore("it is not as tipsheets writes it")
        if data["version"] != PHONES_VERSION or data["rules"] != rules:
            return cls(rules)
        return cls(rules, {text: _phone(text, value) for text, value in data["numbers"].items()})


_DIGITS = {0: 3, 1: 3, 2: 4}  # area, exchange, line


def _phone(text: Any, value: Any) -> Phone | None:
    """One stored answer, checked for shape: a number's parts are digits of their lengths, its letters as printed."""
    if not isinstance(text, str) or len(text) > 200:
        raise DamagedStore("a phone number's text has the wrong shape")
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 6 or not all(isinstance(v, str) for v in value[:4]) \
            or not isinstance(value[4], bool) or not isinstance(value[5], str):
        raise DamagedStore("a phone number has the wrong fields")
    area, exchange, line, extension, toll_free, letters = value
    if not all(part.isascii() and part.isdigit() and len(part) == _DIGITS[i] for i, part in
               enumerate((area, exchange, line))) or not re.fullmatch(r"[0-9]{0,6}", extension) \
            or not re.fullmatch(r"[A-Z0-9]+(?:-[A-Z0-9]+)*|", letters) or len(letters) > 20:
        raise DamagedStore("a phone number has the wrong shape")
    if contact.dialled_digits(text) != (area + exchange + line, extension):
        raise DamagedStore("a phone number is not the one its text dials")
    return Phone(area, exchange, line, extension, toll_free, letters)


def _plain(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["suggestions"] = list(finding.suggestions)
    return data


def _finding(item: Any) -> Finding:
    if not isinstance(item, dict) or set(item) != set(_FINDING_FIELDS):
        raise DamagedStore("a finding has the wrong fields")
    for name, value in item.items():
        if name in ("line", "col"):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif name == "exact":
            ok = isinstance(value, bool)
        elif name == "suggestion":
            ok = value is None or isinstance(value, str)
        elif name == "suggestions":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            ok = isinstance(value, str)
        if not ok:
            raise DamagedStore(f"a finding's {name} has the wrong type")
    return Finding(**{**item, "suggestions": tuple(item["suggestions"])})


def _load(out_dir: Path, name: str, empty: Store, parse: Callable[[bytes], Store], instead: str,
          notices: list[str]) -> Store:
    """The store ``name`` in ``out_dir`` as ``parse`` reads it; ``empty`` when there is none, or when it is
    damaged, which adds one line to ``notices`` saying what is done ``instead``."""
    try:
        raw = _read(out_dir, name)
        return empty if raw is None else parse(raw)
    except DamagedStore as exc:
        notices.append(f"{name} is damaged ({exc}): ignored, {instead}")
        return empty


@dataclass
class Caches:
    """The stores of one output folder, as read at the start of a build."""

    parsed: ParsedFiles
    findings: FindingMemo
    phones: PhoneStore
    #: one line for each store that was damaged and is ignored
    notices: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, out_dir: Path, rules: str) -> Caches:
        """The stores in ``out_dir`` (empty ones where there are none); ``rules``: see :func:`rules_digest`."""
        with collector_paused():  # the parsed content of every file: data that lives on
            return cls._read(out_dir, rules)

    @classmethod
    def _read(cls, out_dir: Path, rules: str) -> Caches:
        notices: list[str] = []
        key = ParsedFiles().key
        parsed = _load(out_dir, PARSED_NAME, ParsedFiles(), lambda raw: ParsedFiles.from_bytes(raw, key),
                       "every content file is parsed", notices)
        findings = _load(out_dir, FINDINGS_NAME, FindingMemo(rules), lambda raw: FindingMemo.from_bytes(raw, rules),
                         "every content file is checked", notices)
        phone_rules = contact.phone_rules()
        phones = _load(out_dir, PHONES_NAME, PhoneStore(phone_rules),
                       lambda raw: PhoneStore.from_bytes(raw, phone_rules), "every phone number is read again", notices)
        contact.learn_phone_answers(phones.stored)
        return cls(parsed, findings, phones, notices)

    def write(self, out_dir: Path, *, tag: str = "") -> None:
        """Write the stores that changed; a folder that cannot take them only means more work next time."""
        with collector_paused(keep=False):  # the plain form of each store, written and dropped
            self._write(out_dir, tag)

    def _write(self, out_dir: Path, tag: str) -> None:
        stores: tuple[tuple[str, ParsedFiles | FindingMemo | PhoneStore], ...] = (
            (PARSED_NAME, self.parsed), (FINDINGS_NAME, self.findings), (PHONES_NAME, self.phones))
        for name, store in stores:
            if store.changed or not (out_dir / name).is_file():
                try:
                    write_atomic(out_dir / name, store.to_bytes(), sync=False, tag=tag)
                except OutputError:
                    pass
