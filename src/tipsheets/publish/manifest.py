"""The manifest: what the output folder holds, and which build wrote each file.

``output/.tipsheets-manifest.json`` lists, per target, the files it wrote, each
with its sha256, size, modification time and the digest of the target's inputs
when it was written; and the gallery's own files. A build renders a target
again only when one of the files it is asked for is missing, changed, or was
written from other inputs. Only files listed here are ever removed, and only
while they are as tipsheets wrote them.

A file is taken to be intact when its size and modification time are those
recorded, as make and ninja do; when either differs, its bytes are hashed and
compared, so a file touched but not changed is still recognised.

**Parts.** A build of one slice (``build --shard 2/4``) writes its targets to
its own part, ``.tipsheets-manifest.shard-2-of-4.json``, and leaves the main
file alone, so the output folders of the slices can be copied over each other
and every part survives. :func:`read_manifest` reads the main file and every
part as one manifest; a build of the whole project folds the parts into the
main file and removes them. Where two of them list the same handout (a part
copied over a folder built before), the last one whose files are on disk as it
records them wins: the main file first, then the parts by name.

**Journal.** While a build runs, each finished handout's record is appended to
a journal beside the file the build writes (``.tipsheets-journal.jsonl``, or
``.tipsheets-journal.shard-2-of-4.jsonl``): one line per handout, after its
files are in place, so a checkpoint costs one line, not the whole manifest.
:func:`read_manifest` replays the journals; writing the manifest folds its
journal in and removes it. A build that is killed leaves a journal that claims
only files it wrote; a line cut short by the kill is left out.

The manifest is state that anyone can edit or damage. A main file or part that
cannot be read, or that has the wrong shape anywhere, is treated as absent (the
next build renders everything and says so in one line); it is never
half-trusted. A damaged journal is ignored, also with one line: it only ever
adds to what the manifest claims.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat as stat_module
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipsheets import __version__
from tipsheets.core.collector import collector_paused
from tipsheets.core.target import slice_of
from tipsheets.publish.output import OutputError, write_atomic

#: the gallery's first page, at the top of the output folder
GALLERY_INDEX = "index.html"

MANIFEST_NAME = ".tipsheets-manifest.json"
JOURNAL_NAME = ".tipsheets-journal.jsonl"
MANIFEST_VERSION = 2
#: a manifest larger than this is damaged (a national build's is a few megabytes)
MAX_MANIFEST_BYTES = 256 * 1024 * 1024

_PART = re.compile(r"^\.tipsheets-(manifest|journal)\.shard-([1-9][0-9]{0,5})-of-([1-9][0-9]{0,5})\.(json|jsonl)$")


class DamagedState(Exception):
    """A state file of the output folder that cannot be trusted; the message says which and why."""


@dataclass(frozen=True)
class Part:
    """One slice of a sharded build (``--shard index/count``): the handouts it holds and the files it writes."""

    index: int
    count: int

    @property
    def label(self) -> str:
        return f"shard-{self.index}-of-{self.count}"

    def holds(self, stem: str) -> bool:
        return slice_of(stem, self.count) == self.index - 1


def manifest_name(part: Part | None = None) -> str:
    """The file a build of ``part`` (None: the whole project) writes its manifest to."""
    return MANIFEST_NAME if part is None else f".tipsheets-manifest.{part.label}.json"


def journal_name(part: Part | None = None) -> str:
    """The journal beside :func:`manifest_name`."""
    return JOURNAL_NAME if part is None else f".tipsheets-journal.{part.label}.jsonl"


@dataclass
class FileRecord:
    """One file tipsheets wrote."""

    sha256: str
    size: int
    mtime_ns: int
    #: the digest of the target's inputs it was written from ("" for the gallery's files)
    digest: str = ""


@dataclass
class Written:
    """One target's record: its files, and what a build needs to know about it without the content."""

    kind: str
    id: str
    locale: str
    #: the content file it is made from (a typo in it must not delete the handout)
    source: str
    files: dict[str, FileRecord] = field(default_factory=dict)
    #: keys of the layouts a build rejected for it (see :mod:`tipsheets.print.layout`)
    rejected: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    targets: dict[str, Written] = field(default_factory=dict)
    #: the gallery's own files: its pages
    gallery: dict[str, FileRecord] = field(default_factory=dict)
    #: one line for each journal that was damaged and left out (not part of what the manifest says)
    notices: list[str] = field(default_factory=list, compare=False)
    #: whether it was read from more than the main file (parts or journals): a build folds them in
    scattered: bool = field(default=False, compare=False)

    def copy(self) -> Manifest:
        return Manifest({stem: Written(w.kind, w.id, w.locale, w.source, dict(w.files), list(w.rejected))
                         for stem, w in self.targets.items()}, dict(self.gallery))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Manifest) and _plain(self) == _plain(other)


def record_of(path: Path, data: bytes | None = None, digest: str = "") -> FileRecord:
    """The record of a file just written (its bytes given, or read)."""
    stat = path.stat()
    data = path.read_bytes() if data is None else data
    return FileRecord(hashlib.sha256(data).hexdigest(), stat.st_size, stat.st_mtime_ns, digest)


class OnDisk:
    """Whether files of one output folder are as tipsheets wrote them.

    Each folder is checked once to lie inside the output folder (links and all);
    a file itself must be a regular file, never a link (tipsheets writes none).
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._base: Path | None = None
        self._folders: dict[str, Path | None] = {}

    def _folder(self, parent: str) -> Path | None:
        if parent not in self._folders:
            try:
                if self._base is None:
                    self._base = self.out_dir.resolve()
                folder = (self._base / parent).resolve() if parent else self._base
                self._folders[parent] = folder if folder.is_relative_to(self._base) else None
            except (OSError, RuntimeError):
                self._folders[parent] = None
        return self._folders[parent]

    def intact(self, name: str, record: FileRecord) -> bool:
        """True when ``name`` is on disk as tipsheets wrote it."""
        parent, _, leaf = name.rpartition("/")
        folder = self._folder(parent)
        if folder is None or not leaf or leaf in (".", ".."):
            return False
        path = folder / leaf
        try:
            stat = os.lstat(path)
        except (OSError, ValueError):
            return False
        if not stat_module.S_ISREG(stat.st_mode) or stat.st_size != record.size:
            return False
        if stat.st_mtime_ns == record.mtime_ns:
            return True
        try:
            with path.open("rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest() == record.sha256
        except OSError:
            return False


def intact(out_dir: Path, name: str, record: FileRecord) -> bool:
    """True when ``name`` is on disk as tipsheets wrote it (see :class:`OnDisk` for many files)."""
    return OnDisk(out_dir).intact(name, record)


# --------------------------------------------------------------------------- writing


def _plain_file(record: FileRecord) -> dict[str, Any]:
    return {"sha256": record.sha256, "size": record.size, "mtime_ns": record.mtime_ns, "digest": record.digest}


def _plain_written(written: Written) -> dict[str, Any]:
    return {"kind": written.kind, "id": written.id, "locale": written.locale, "source": written.source,
            "files": {name: _plain_file(written.files[name]) for name in sorted(written.files)},
            "rejected": list(written.rejected)}


def _plain(manifest: Manifest, part: Part | None = None) -> dict[str, Any]:
    stems = sorted(stem for stem in manifest.targets if part is None or part.holds(stem))
    return {"version": MANIFEST_VERSION, "tool": f"tipsheets {__version__}",
            "targets": {stem: _plain_written(manifest.targets[stem]) for stem in stems},
            "gallery": {} if part is not None else
            {name: _plain_file(manifest.gallery[name]) for name in sorted(manifest.gallery)}}


def write_manifest(out_dir: Path, manifest: Manifest, *, tag: str = "", part: Part | None = None) -> None:
    """Record what the output folder holds. Call only after every file it lists is in place.

    For the whole project (``part`` None) everything goes to the main file, and
    every part and journal, now folded in, is removed; for a part, the targets it
    holds go to its own file, and its journal is removed.
    """
    with collector_paused(keep=False):  # a dict for each record: no pass need walk them, nor the rest again
        text = json.dumps(_plain(manifest, part), separators=(",", ":"), sort_keys=True) + "\n"
    write_atomic(out_dir / manifest_name(part), text.encode("utf-8"), sync=False, tag=tag)
    gone = [journal_name(part)]
    if part is None:
        gone += [name for name, _ in _scattered(out_dir)]
    for name in gone:
        try:
            (out_dir / name).unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot remove {name} from {out_dir}: {exc.strerror or exc}") from None


class Journal:
    """The journal a build appends each finished handout's record to (see the module's notes)."""

    def __init__(self, out_dir: Path, part: Part | None = None) -> None:
        self.path = out_dir / journal_name(part)
        self._fd: int | None = None

    def append(self, stem: str, written: Written) -> None:
        """One line for ``stem``, whose files are in place; raises OutputError when it cannot be written."""
        line = json.dumps([MANIFEST_VERSION, stem, _plain_written(written)], separators=(",", ":")) + "\n"
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            os.write(self._fd, line.encode("utf-8"))
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# --------------------------------------------------------------------------- reading


def _scattered(out_dir: Path) -> list[tuple[str, str]]:
    """The parts and journals in ``out_dir``: (file name, what it is: "main journal", "part", "part journal")."""
    found = []
    try:
        with os.scandir(out_dir) as entries:
            for entry in entries:
                if entry.name == JOURNAL_NAME:
                    found.append((entry.name, "main journal"))
                elif (m := _PART.match(entry.name)) and (m.group(1) == "manifest") == (m.group(4) == "json"):
                    found.append((entry.name, "part" if m.group(1) == "manifest" else "part journal"))
    except OSError:
        return []
    return sorted(found)


def _read_bytes(path: Path, name: str) -> bytes | None:
    """A state file's bytes, None when there is none; DamagedState when it is not a plain file of a sane size."""
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise DamagedState(f"{name} is not a plain file")
        if not path.exists():
            return None
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise DamagedState(f"{name} is larger than any build writes")
        return path.read_bytes()
    except OSError as exc:
        raise DamagedState(f"{name} cannot be read ({type(exc).__name__})") from None


def _read_file(out_dir: Path, name: str) -> Manifest | None:
    raw = _read_bytes(out_dir / name, name)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DamagedState(f"{name} cannot be read ({type(exc).__name__})") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedState(f"{name} is not as tipsheets writes it ({exc})") from None


def _read_journal(out_dir: Path, name: str) -> dict[str, Written]:
    """The records a journal holds, later lines over earlier; a last line cut short is left out."""
    raw = _read_bytes(out_dir / name, name)
    if not raw:
        return {}
    lines = raw.split(b"\n")
    lines.pop()  # after the last newline: nothing, or a line a kill cut short
    out: dict[str, Written] = {}
    try:
        for line in lines:
            version, stem, entry = json.loads(line.decode("utf-8"))
            if version != MANIFEST_VERSION:
                raise ValueError("unknown version")
            out[_name(stem)] = _written(stem, entry)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise DamagedState(f"{name} is not as tipsheets writes it ({type(exc).__name__})") from None
    return out


def read_manifest(out_dir: Path) -> Manifest:
    """The manifest of ``out_dir``: its main file, parts and journals as one; empty when there is none.

    Raises :class:`DamagedState` when the main file or a part cannot be trusted.
    """
    with collector_paused():  # a record for each handout: data that lives on
        return _read_manifest(out_dir)


def _read_manifest(out_dir: Path) -> Manifest:
    main = _read_file(out_dir, MANIFEST_NAME) or Manifest()
    scattered = _scattered(out_dir)
    if not scattered:
        return main
    # every source of records, in order of precedence: the main file, its journal, each part and its journal
    sources: list[dict[str, Written]] = [main.targets]
    notices: list[str] = []
    for name, what in scattered:
        if what == "main journal":
            sources.insert(1, _journal_or_notice(out_dir, name, notices))
    labels = sorted({found.group(2, 3) for name, what in scattered
                     if what != "main journal" and (found := _PART.match(name)) is not None},
                    key=lambda pair: (int(pair[1]), int(pair[0])))
    for index, count in labels:
        part = Part(int(index), int(count))
        read = _read_file(out_dir, manifest_name(part))
        if read is not None:
            sources.append(read.targets)
        sources.append(_journal_or_notice(out_dir, journal_name(part), notices))
    merged = Manifest(gallery=main.gallery, notices=notices, scattered=True)
    disk = OnDisk(out_dir)
    for source in sources:
        for stem, written in source.items():
            earlier = merged.targets.get(stem)
            if earlier is None or _all_intact(disk, written) or not _all_intact(disk, earlier):
                merged.targets[stem] = written
    return merged


def _all_intact(disk: OnDisk, written: Written) -> bool:
    return all(disk.intact(name, record) for name, record in written.files.items())


def _journal_or_notice(out_dir: Path, name: str, notices: list[str]) -> dict[str, Written]:
    try:
        return _read_journal(out_dir, name)
    except DamagedState as exc:
        notices.append(f"{exc}: the handouts it lists are built again")
        return {}


_UNSAFE = re.compile(r"[\x00-\x1f\\]")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > 4096:
        raise ValueError(f"{what} is not a short text")
    return value


def _name(value: Any) -> str:
    """An output file's name: relative, inside the folder, no NUL, no control characters."""
    name = _text(value, "a file name")
    if not name or name[0] == "/" or _UNSAFE.search(name) or \
            any(p in ("", ".", "..") for p in name.split("/")):
        raise ValueError(f"{name!r} is not a file name in the output folder")
    return name


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("a size or time is not a whole number")
    return value


_FILE_KEYS = {"sha256", "size", "mtime_ns", "digest"}


def _file(value: Any) -> FileRecord:
    if not isinstance(value, dict) or value.keys() != _FILE_KEYS:
        raise ValueError("a file record has the wrong fields")
    return FileRecord(_text(value["sha256"], "sha256"), _number(value["size"]), _number(value["mtime_ns"]),
                      _text(value["digest"], "digest"))


def _written(stem: str, entry: Any) -> Written:
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict) or \
            not isinstance(entry.get("rejected"), list):
        raise ValueError(f"the entry of {stem!r} has the wrong shape")
    return Written(
        _text(entry["kind"], "kind"), _text(entry["id"], "id"), _text(entry["locale"], "locale"),
        _text(entry["source"], "source"), {_name(n): _file(r) for n, r in entry["files"].items()},
        [_text(k, "a layout key") for k in entry["rejected"]])


def _parse(data: Any) -> Manifest:
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise ValueError("unknown version")
    targets, gallery = data["targets"], data["gallery"]
    if not isinstance(targets, dict) or not isinstance(gallery, dict):
        raise ValueError("targets and gallery must be mappings")
    manifest = Manifest()
    for stem, entry in targets.items():
        manifest.targets[_name(stem)] = _written(stem, entry)
    manifest.gallery = {_name(n): _file(r) for n, r in gallery.items()}
    return manifest


def all_files(manifest: Manifest) -> dict[str, FileRecord]:
    """Every file the manifest lists, the gallery's included."""
    files = {name: record for written in manifest.targets.values() for name, record in written.files.items()}
    files.update(manifest.gallery)
    return files


def state_files(out_dir: Path) -> list[str]:
    """The manifest's own files in ``out_dir``: the main file, the parts and the journals there are."""
    names = [name for name, _ in _scattered(out_dir)]
    return ([MANIFEST_NAME] if (out_dir / MANIFEST_NAME).exists() else []) + names
