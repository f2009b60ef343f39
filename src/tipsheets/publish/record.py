"""The record of the last clean build, so that a build with nothing to do need not parse the project.

A build digests each target from the content it reads, which means loading
and checking every content file. When the bytes of every file a build reads
(content, settings, templates, rules, the tool itself) and its options are the
same as those of the last build that ended cleanly (nothing failed, no error
or warning), that work would give the same targets, the same digests and the
same messages (none). So the build reads and hashes every file, compares one
fingerprint with the record, checks that the outputs the manifest lists are
intact, and is done.

The record is written only at the end of a clean build and removed when any
other build starts, so it never describes an output folder a later build has
touched. Any doubt (no record, another fingerprint, a missing or changed
output) means the full build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tipsheets.publish.manifest import MANIFEST_NAME, DamagedState, intact, read_manifest
from tipsheets.publish.output import OutputError, write_atomic
from tipsheets.core.catalog import visible_files

RECORD_NAME = ".tipsheets-last-build.json"
RECORD_VERSION = 2


@dataclass(frozen=True)
class Recorded:
    """A target as the record remembers it: enough to report it as unchanged."""

    stem: str
    kind: str
    id: str
    locale: str


def fingerprint(options: Any, shared: str) -> str:
    """sha256 over the build's options and the bytes of every file it reads (``shared``: the
    :func:`~tipsheets.plan.environment_digest` of the tool, theme, rules and settings)."""
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
    for file in visible_files(content):
        h.update(f"{file.relative_to(content).as_posix()}\0".encode())
        h.update(_file_digest(file, project))
    return h.hexdigest()


def _file_digest(file: Path, project: Path) -> bytes:
    """sha256 of a file's bytes, read in chunks; a link out of the project is not followed."""
    try:
        if not file.resolve().is_relative_to(project):  # the build refuses it; the link itself is the input
            return b"outside " + os.readlink(file).encode("utf-8", "surrogateescape")
        with file.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return b"unreadable"


def forget(out_dir: Path) -> None:
    """Remove the record: a build is about to change the output folder."""
    try:
        (out_dir / RECORD_NAME).unlink(missing_ok=True)
    except OSError:
        pass


def _seal(print_: str, manifest_sha: str, stems: list[str]) -> str:
    """What binds a record to its fingerprint, the manifest it goes with, and the handouts it reports."""
    return hashlib.sha256(json.dumps([RECORD_VERSION, print_, manifest_sha, stems]).encode()).hexdigest()


def _manifest_sha(out_dir: Path) -> str:
    try:
        return hashlib.sha256((out_dir / MANIFEST_NAME).read_bytes()).hexdigest()
    except OSError:
        return "none"


def remember(out_dir: Path, print_: str, stems: list[str], *, tag: str = "") -> None:
    """Write the record of a clean build (after its manifest); a folder that cannot take it just means no
    shortcut next time."""
    stems = sorted(stems)
    data = {"version": RECORD_VERSION, "fingerprint": print_, "targets": stems,
            "seal": _seal(print_, _manifest_sha(out_dir), stems)}
    try:
        write_atomic(out_dir / RECORD_NAME, (json.dumps(data) + "\n").encode("utf-8"), sync=False, tag=tag)
    except OutputError:
        pass


def unchanged(out_dir: Path, print_: str, *, gallery: bool) -> list[Recorded] | None:
    """The targets of the last clean build when it had this fingerprint and its outputs are intact, else None.

    Raises :class:`DamagedState` for a record or manifest that cannot be trusted.
    """
    path = out_dir / RECORD_NAME
    if not path.exists() and not path.is_symlink():
        return None
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 64 * 1024 * 1024:
            raise DamagedState(f"{RECORD_NAME} is not as tipsheets writes it")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise DamagedState(f"{RECORD_NAME} cannot be read") from None
    if not isinstance(data, dict) or set(data) != {"version", "fingerprint", "targets", "seal"} \
            or data["version"] != RECORD_VERSION or not isinstance(data["targets"], list) \
            or not all(isinstance(stem, str) for stem in data["targets"]):
        raise DamagedState(f"{RECORD_NAME} is not as tipsheets writes it")
    if data["fingerprint"] != print_:
        return None
    stems = data["targets"]
    if data["seal"] != _seal(print_, _manifest_sha(out_dir), stems):
        raise DamagedState(f"{RECORD_NAME} does not match the handouts the manifest lists")
    manifest = read_manifest(out_dir)
    targets = []
    for stem in stems:
        written = manifest.targets.get(stem)
        if written is None or not all(intact(out_dir, name, record) for name, record in written.files.items()):
            return None
        targets.append(Recorded(stem, written.kind, written.id, written.locale))
    if gallery and not all(intact(out_dir, name, record) for name, record in manifest.gallery.items()):
        return None
    if gallery and "index.html" not in manifest.gallery:
        return None
    return targets
