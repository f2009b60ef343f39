"""``tipsheets clean``: remove what builds wrote, as the manifest lists it, and nothing else.

A file is removed only while it is as tipsheets wrote it: a file a user
replaced or edited under the same name is left in place and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tipsheets.publish import record
from tipsheets.publish.caches import CACHE_NAMES
from tipsheets.publish.lock import LOCK_NAME, OutputLock
from tipsheets.publish.manifest import MANIFEST_NAME, all_files, intact, read_manifest
from tipsheets.publish.output import OutputError, remove_output, sweep_temporary


@dataclass
class Cleaned:
    removed: list[str] = field(default_factory=list)
    #: files the manifest lists that changed since tipsheets wrote them: left in place
    kept: list[str] = field(default_factory=list)


def clean_output(out_dir: Path) -> Cleaned:
    """Remove every file the manifest says a build wrote, then the manifest and the record.

    Raises :class:`~tipsheets.publish.manifest.DamagedState` for a manifest that
    cannot be trusted (nothing is removed) and :class:`OutputError` for a folder
    that cannot be changed.
    """
    cleaned = Cleaned()
    if not out_dir.is_dir():
        return cleaned
    with OutputLock(out_dir) as lock:
        sweep_temporary(out_dir, lock.stale)
        manifest = read_manifest(out_dir)
        for name, written in sorted(all_files(manifest).items()):
            if intact(out_dir, name, written):
                if remove_output(out_dir, name):
                    cleaned.removed.append(name)
            elif (out_dir / name).exists():
                cleaned.kept.append(name)
        try:
            (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot remove {MANIFEST_NAME} from {out_dir}: {exc.strerror or exc}") from None
        record.forget(out_dir)
        for name in CACHE_NAMES:  # what builds kept to do less next time
            (out_dir / name).unlink(missing_ok=True)
    (out_dir / LOCK_NAME).unlink(missing_ok=True)  # released: no build holds the folder
    return cleaned
