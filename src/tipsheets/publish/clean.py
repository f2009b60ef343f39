"""``tipsheets clean``: remove what builds wrote, as their records list it, and nothing else."""

from __future__ import annotations

from pathlib import Path

from tipsheets.publish import gallery, record
from tipsheets.publish.output import MANIFEST_NAME, read_manifest, remove_output, sweep_temporary


def clean_output(out_dir: Path) -> int:
    """Remove every file the manifest and the gallery say a build wrote, and the manifest; return how many."""
    removed = 0
    for entry in read_manifest(out_dir).values():
        for name in entry["files"]:
            removed += remove_output(out_dir, name)
    for name in gallery.written_files(out_dir):
        removed += remove_output(out_dir, name)
    sweep_temporary(out_dir)
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    record.forget(out_dir)
    return removed
