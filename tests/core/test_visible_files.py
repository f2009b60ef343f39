"""Which files of a folder a build reads: every file below it but hidden ones, into no linked folder."""

from __future__ import annotations

import os
from pathlib import Path

from tipsheets.core.paths import visible_files


def _by_rglob(folder: Path) -> list[Path]:
    """The listing as pathlib's recursive glob gives it (Python 3.11 follows no linked folder)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def test_hidden_files_and_folders_and_linked_folders_are_left_out_and_linked_files_kept(tmp_path: Path) -> None:
    root = tmp_path / ".work" / "content"  # a hidden folder above the one listed is read
    for folder in ("a/b", "a-b", ".hidden/x", "a/.h", "c"):
        (root / folder).mkdir(parents=True)
    for name in ("a/b/1.yaml", "a-b/2.yaml", ".hidden/x/3.yaml", "a/.h/4.yaml", "a/.5.yaml", "c/6.yaml", "a/b/7"):
        (root / name).write_text("x: 1\n")
    os.symlink(root / "c", root / "a" / "linked-folder")
    os.symlink(root / "c" / "6.yaml", root / "a" / "linked.yaml")
    os.symlink(root / "nowhere", root / "a" / "broken.yaml")
    listed = visible_files(root)
    assert [p.relative_to(root).as_posix() for p in listed] == [
        "a/b/1.yaml", "a/b/7", "a/linked.yaml", "a-b/2.yaml", "c/6.yaml"]  # in Path order: "a/…" before "a-b/…"
    assert listed == _by_rglob(root)
    assert visible_files(root / "missing") == []
