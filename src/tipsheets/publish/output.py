"""Writing into the output folder: atomically, and never outside it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be written (read-only, full disk, a path that escapes it)."""


def inside(out_dir: Path, relative: str) -> Path:
    """``out_dir / relative``, refusing any path that would land outside ``out_dir``."""
    base = out_dir.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or path == base:
        raise OutputError(f"refused to write {relative!r}: it is outside the output folder")
    return path


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one.

    ``sync`` flushes the data to disk before the rename, so that not even a power
    cut leaves a renamed but empty file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the manifest

MANIFEST_NAME = ".tipsheets-manifest.json"
MANIFEST_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """Target stem → ``{"digest", "source", "files": {relative path: sha256}}`` (and ``"rejected"``, the
    layouts an earlier build rejected, see build.choose_layout); empty when absent or unreadable."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or not isinstance(data.get("targets"), dict):
        return {}
    targets = {}
    for stem, entry in data["targets"].items():
        if isinstance(entry, dict) and isinstance(entry.get("files"), dict):
            targets[stem] = {"digest": str(entry.get("digest", "")), "source": str(entry.get("source", "")),
                             "files": {str(k): str(v) for k, v in entry["files"].items()}}
            rejected = entry.get("rejected")
            if isinstance(rejected, list) and all(isinstance(k, str) for k in rejected):
                targets[stem]["rejected"] = rejected
    return targets


def write_manifest(out_dir: Path, targets: dict[str, dict]) -> None:
    """Record what the output folder holds. Call only after every file it lists is in place."""
    from tipsheets import __version__

    data = {"version": MANIFEST_VERSION, "tool": f"tipsheets {__version__}",
            "targets": {stem: targets[stem] for stem in sorted(targets)}}
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_atomic(out_dir / MANIFEST_NAME, text.encode("utf-8"), sync=False)


def intact(out_dir: Path, files: dict[str, str]) -> bool:
    """True when every listed file is on disk with the recorded sha256."""
    for name, digest in files.items():
        try:
            if sha256(inside(out_dir, name).read_bytes()) != digest:
                return False
        except (OSError, OutputError):
            return False
    return True


def remove_output(out_dir: Path, name: str) -> bool:
    """Remove one file the manifest lists, and folders it leaves empty. True if a file was removed."""
    try:
        path = inside(out_dir, name)
    except OutputError:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    base = out_dir.resolve()
    parent = path.parent
    while parent != base and parent.is_relative_to(base):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


def sweep_temporary(out_dir: Path) -> list[Path]:
    """Remove the temporary files an interrupted build left behind (``.NAME.XXXXXXXX.tmp``)."""
    removed = []
    if not out_dir.is_dir():
        return removed
    for path in out_dir.rglob(".*.tmp"):
        if _TEMP.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")
