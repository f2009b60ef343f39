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

The manifest is state that anyone can edit or damage. One that cannot be read,
or that has the wrong shape anywhere, is treated as absent (the next build
renders everything and says so in one line); it is never half-trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tipsheets import __version__
from tipsheets.publish.output import OutputError, inside, write_atomic

MANIFEST_NAME = ".tipsheets-manifest.json"
MANIFEST_VERSION = 2
#: a manifest larger than this is damaged (a national build's is a few megabytes)
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


class DamagedState(Exception):
    """A state file of the output folder that cannot be trusted; the message says which and why."""


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
    #: the gallery's own files: index.html, thumbnails and their cache
    gallery: dict[str, FileRecord] = field(default_factory=dict)

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


def intact(out_dir: Path, name: str, record: FileRecord) -> bool:
    """True when ``name`` is on disk as tipsheets wrote it."""
    try:
        path = inside(out_dir, name)
        stat = path.stat()
    except (OSError, OutputError):
        return False
    if stat.st_size != record.size:
        return False
    if stat.st_mtime_ns == record.mtime_ns:
        return True
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest() == record.sha256
    except OSError:
        return False


def _plain(manifest: Manifest) -> dict[str, Any]:
    return {"version": MANIFEST_VERSION, "tool": f"tipsheets {__version__}",
            "targets": {stem: asdict(manifest.targets[stem]) for stem in sorted(manifest.targets)},
            "gallery": {name: asdict(manifest.gallery[name]) for name in sorted(manifest.gallery)}}


def write_manifest(out_dir: Path, manifest: Manifest, *, tag: str = "") -> None:
    """Record what the output folder holds. Call only after every file it lists is in place."""
    text = json.dumps(_plain(manifest), indent=1, sort_keys=True) + "\n"
    write_atomic(out_dir / MANIFEST_NAME, text.encode("utf-8"), sync=False, tag=tag)


def read_manifest(out_dir: Path) -> Manifest:
    """The manifest of ``out_dir``: empty when there is none; :class:`DamagedState` when it cannot be trusted."""
    path = out_dir / MANIFEST_NAME
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise DamagedState(f"{MANIFEST_NAME} is not a plain file")
        if not path.exists():
            return Manifest()
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise DamagedState(f"{MANIFEST_NAME} is larger than any build writes")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DamagedState(f"{MANIFEST_NAME} cannot be read ({type(exc).__name__})") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedState(f"{MANIFEST_NAME} is not as tipsheets writes it ({exc})") from None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > 4096:
        raise ValueError(f"{what} is not a short text")
    return value


def _name(value: Any) -> str:
    """An output file's name: relative, inside the folder, no NUL, no control characters."""
    name = _text(value, "a file name")
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts) or \
            any(ord(ch) < 32 or ch == "\\" for ch in name):
        raise ValueError(f"{name!r} is not a file name in the output folder")
    return name


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("a size or time is not a whole number")
    return value


def _file(value: Any) -> FileRecord:
    if not isinstance(value, dict) or set(value) != {"sha256", "size", "mtime_ns", "digest"}:
        raise ValueError("a file record has the wrong fields")
    return FileRecord(_text(value["sha256"], "sha256"), _number(value["size"]), _number(value["mtime_ns"]),
                      _text(value["digest"], "digest"))


def _parse(data: Any) -> Manifest:
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise ValueError("unknown version")
    targets, gallery = data["targets"], data["gallery"]
    if not isinstance(targets, dict) or not isinstance(gallery, dict):
        raise ValueError("targets and gallery must be mappings")
    manifest = Manifest()
    for stem, entry in targets.items():
        _name(stem)
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict) or \
                not isinstance(entry.get("rejected"), list):
            raise ValueError(f"the entry of {stem!r} has the wrong shape")
        manifest.targets[stem] = Written(
            _text(entry["kind"], "kind"), _text(entry["id"], "id"), _text(entry["locale"], "locale"),
            _text(entry["source"], "source"), {_name(n): _file(r) for n, r in entry["files"].items()},
            [_text(k, "a layout key") for k in entry["rejected"]])
    manifest.gallery = {_name(n): _file(r) for n, r in gallery.items()}
    return manifest


def all_files(manifest: Manifest) -> dict[str, FileRecord]:
    """Every file the manifest lists, the gallery's included."""
    files = {name: record for written in manifest.targets.values() for name, record in written.files.items()}
    files.update(manifest.gallery)
    return files

