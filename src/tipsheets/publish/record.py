"""The record of the last clean build, so that a build with nothing to do need not parse the project.

A build digests each target from the content it reads, which means loading
and checking every content file. When the bytes of every file a build reads
(content, settings, templates, rules, the tool itself) and its options are the
same as those of the last build that ended cleanly (nothing failed, no error
or warning), that work would give the same targets, the same digests and the
same messages (none). So the build compares one fingerprint over those bytes
with the record, checks that the outputs the manifest lists are intact, and is
done.

The record keeps the size, modification time and sha256 of each content file
it was made from; a file whose size and time are unchanged is not read again
(as make and ninja trust them), one whose size or time changed is hashed. A
file changed within two seconds of being hashed is hashed again next time, so
an edit made in the same tick as a build is never missed.

The record is written only at the end of a clean build and removed when any
other build starts, so it never describes an output folder a later build has
touched. A build of one slice (``--shard``) keeps its own record beside its
part of the manifest. Any doubt (no record, another fingerprint, a missing or
changed output) means the full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipsheets.publish.manifest import (GALLERY_INDEX, DamagedState, FileRecord, OnDisk, Part, manifest_name,
                                       read_manifest)
from tipsheets.publish.output import OutputError, write_atomic
from tipsheets.core.paths import visible_files

RECORD_NAME = ".tipsheets-last-build.json"
RECORD_VERSION = 3
#: a file changed less than this many seconds before it was hashed is hashed again next time
RACY_SECONDS = 2.0

#: file (relative to content/) → (size, mtime_ns, sha256 hex); mtime_ns -1 means "hash it again"
Inputs = dict[str, tuple[int, int, str]]


@dataclass(frozen=True)
class Recorded:
    """A target as the record remembers it: enough to report it as unchanged."""

    stem: str
    kind: str
    id: str
    locale: str
    files: dict[str, FileRecord] = field(default_factory=dict, compare=False)


def record_name(part: Part | None = None) -> str:
    return RECORD_NAME if part is None else f".tipsheets-last-build.{part.label}.json"


@dataclass
class Fingerprint:
    """sha256 over a build's options and the bytes it reads, and what each content file was when read."""

    digest: str
    inputs: Inputs


def fingerprint(options: Any, shared: str, known: Inputs | None = None) -> Fingerprint:
    """The fingerprint of a build (``shared``: the :func:`~tipsheets.build.digests.environment_digest` of
    the tool, theme, rules and settings); ``known``: the content files as the last record saw them."""
    project = options.project.resolve()
    h = hashlib.sha256(f"record {RECORD_VERSION}\0".encode())
    settings = {  # no paths: outputs do not depend on where the project is, so neither does the record
        "formats": sorted(options.formats),
        "as_of": options.as_of.isoformat(), "locales": sorted(options.locales), "only": sorted(options.only),
        "offices": sorted(options.offices), "programs": sorted(options.programs), "lint": options.lint,
        "gallery": options.gallery, "print_shop": options.print_shop, "shard": options.shard,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    h.update(json.dumps(settings, sort_keys=True).encode() + b"\0")
    h.update(shared.encode() + b"\0")
    content = project / "content"
    inside = _inside(content, project)
    known = known or {}
    inputs: Inputs = {}
    now = time.time_ns()
    for file in visible_files(content):
        name = file.relative_to(content).as_posix()
        h.update(f"{name}\0".encode())
        h.update(_file_digest(file, project, inside, name, known, inputs, now))
    return Fingerprint(h.hexdigest(), inputs)


def _inside(content: Path, project: Path) -> bool:
    try:
        return content.resolve().is_relative_to(project)
    except (OSError, RuntimeError):
        return False


def _file_digest(file: Path, project: Path, inside: bool, name: str, known: Inputs, inputs: Inputs,
                 now: int) -> bytes:
    """sha256 of a file's bytes (from ``known`` when its size and time are unchanged), read in chunks;
    a link out of the project is not followed."""
    try:
        st = os.lstat(file)
        if stat_module.S_ISLNK(st.st_mode) or not inside:
            if not file.resolve().is_relative_to(project):  # the build refuses it; the link itself is the input
                return b"outside " + os.readlink(file).encode("utf-8", "surrogateescape")
            st = file.stat()
        seen = known.get(name)
        if seen is not None and seen[0] == st.st_size and seen[1] == st.st_mtime_ns and seen[1] >= 0:
            digest = bytes.fromhex(seen[2])
        else:
            with file.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").digest()
        racy = now - st.st_mtime_ns < RACY_SECONDS * 1e9
        inputs[name] = (st.st_size, -1 if racy else st.st_mtime_ns, digest.hex())
        return digest
    except (OSError, ValueError):
        return b"unreadable"


def forget(out_dir: Path, part: Part | None = None) -> None:
    """Remove the record: a build is about to change the output folder. A build of the whole project
    folds every part of the manifest into one, so the records of the slices go too."""
    names = [record_name(part)]
    if part is None:
        try:
            names += [p.name for p in out_dir.glob(".tipsheets-last-build.shard-*.json")]
        except OSError:
            pass
    for name in names:
        try:
            (out_dir / name).unlink(missing_ok=True)
        except OSError:
            pass


def _seal(print_: str, manifest_sha: str, stems: list[str], inputs: Any) -> str:
    """What binds a record to its fingerprint, the manifest it goes with, and the handouts it reports."""
    return hashlib.sha256(json.dumps([RECORD_VERSION, print_, manifest_sha, stems, inputs]).encode()).hexdigest()


def _manifest_sha(out_dir: Path, part: Part | None) -> str:
    try:
        return hashlib.sha256((out_dir / manifest_name(part)).read_bytes()).hexdigest()
    except OSError:
        return "none"


def remember(out_dir: Path, print_: Fingerprint, stems: list[str], *, tag: str = "", part: Part | None = None) -> None:
    """Write the record of a clean build (after its manifest); a folder that cannot take it just means no
    shortcut next time."""
    stems = sorted(stems)
    inputs = {name: list(seen) for name, seen in sorted(print_.inputs.items())}
    data = {"version": RECORD_VERSION, "fingerprint": print_.digest, "targets": stems, "inputs": inputs,
            "seal": _seal(print_.digest, _manifest_sha(out_dir, part), stems, inputs)}
    try:
        write_atomic(out_dir / record_name(part), (json.dumps(data) + "\n").encode("utf-8"), sync=False, tag=tag)
    except OutputError:
        pass


def known_inputs(out_dir: Path, part: Part | None = None) -> Inputs:
    """The content files as the last record saw them; none when there is no record it can read."""
    try:
        data = _load(out_dir, part)
    except DamagedState:
        return {}
    return _inputs(data) if data is not None else {}


def _load(out_dir: Path, part: Part | None) -> dict[str, Any] | None:
    name = record_name(part)
    path = out_dir / name
    if not path.exists() and not path.is_symlink():
        return None
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 64 * 1024 * 1024:
            raise DamagedState(f"{name} is not as tipsheets writes it")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise DamagedState(f"{name} cannot be read") from None
    if isinstance(data, dict) and isinstance(data.get("version"), int) and 0 < data["version"] < RECORD_VERSION \
            and set(data) <= {"version", "fingerprint", "targets", "inputs", "seal"}:
        return None  # a record as an earlier tipsheets wrote it: no record to go by, and nothing amiss
    if not isinstance(data, dict) or set(data) != {"version", "fingerprint", "targets", "inputs", "seal"} \
            or data["version"] != RECORD_VERSION or not isinstance(data["targets"], list) \
            or not all(isinstance(stem, str) for stem in data["targets"]) or not isinstance(data["inputs"], dict):
        raise DamagedState(f"{name} is not as tipsheets writes it")
    return data


def _inputs(data: dict[str, Any]) -> Inputs:
    out: Inputs = {}
    for name, seen in data["inputs"].items():
        if isinstance(seen, list) and len(seen) == 3 and all(isinstance(v, int) and not isinstance(v, bool)
                                                             for v in seen[:2]) and isinstance(seen[2], str):
            out[name] = (seen[0], seen[1], seen[2])
    return out


def unchanged(out_dir: Path, print_: Fingerprint, *, gallery: bool, part: Part | None = None) -> list[Recorded] | None:
    """The targets of the last clean build when it had this fingerprint and its outputs are intact, else None.

    Raises :class:`DamagedState` for a record or manifest that cannot be trusted.
    """
    data = _load(out_dir, part)
    if data is None or data["fingerprint"] != print_.digest:
        return None
    stems = data["targets"]
    if data["seal"] != _seal(print_.digest, _manifest_sha(out_dir, part), stems, data["inputs"]):
        raise DamagedState(f"{record_name(part)} does not match the handouts the manifest lists")
    manifest = read_manifest(out_dir)
    disk = OnDisk(out_dir)
    targets = []
    for stem in stems:
        written = manifest.targets.get(stem)
        if written is None or not all(disk.intact(name, record) for name, record in written.files.items()):
            return None
        targets.append(Recorded(stem, written.kind, written.id, written.locale, dict(written.files)))
    if gallery and not all(disk.intact(name, record) for name, record in manifest.gallery.items()):
        return None
    if gallery and GALLERY_INDEX not in manifest.gallery:
        return None
    return targets
