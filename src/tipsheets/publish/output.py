"""Writing into the output folder: atomically, never outside it, and removing only what tipsheets wrote."""

from __future__ import annotations

import hashlib
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


def write_atomic(path: Path, data: bytes, *, sync: bool = True, tag: str = "") -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one.

    The temporary file is named ``.<name>.<tag>.<random>.tmp``: ``tag`` names the
    build that writes it, so that a build sweeps away only its own leftovers
    (and those of a build that was killed), never a file of another build or a
    user's. ``sync`` flushes the data to disk before the rename, so that not
    even a power cut leaves a renamed but empty file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{tag}." if tag else f".{path.name}.", suffix=".tmp",
                                   dir=path.parent)
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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remove_output(out_dir: Path, name: str) -> bool:
    """Remove one file tipsheets wrote, and folders it leaves empty. True if a file was removed.

    Raises :class:`OutputError` when the file is there but cannot be removed (a read-only folder).
    """
    try:
        path = inside(out_dir, name)
    except OutputError:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot remove {name} from {out_dir}: {exc.strerror or exc}") from None
    base = out_dir.resolve()
    parent = path.parent
    while parent != base and parent.is_relative_to(base):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


#: a build's tag: letters and digits
TAG = re.compile(r"^[a-z0-9]{8,32}$")


def sweep_temporary(out_dir: Path, tags: set[str]) -> list[Path]:
    """Remove the temporary files that the builds tagged ``tags`` left behind, and nothing else."""
    removed: list[Path] = []
    tags = {tag for tag in tags if TAG.match(tag)}
    if not tags or not out_dir.is_dir():
        return removed
    pattern = re.compile(r"^\..+\.(" + "|".join(sorted(tags)) + r")\.[A-Za-z0-9_]{6,}\.tmp$")
    for folder, _dirs, names in os.walk(out_dir, followlinks=False):
        for name in names:
            if name.endswith(".tmp") and pattern.match(name):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed
