"""Slices of a build, made on separate machines and copied into one folder, are one output folder.

Each ``build --shard I/N`` runs in its own process into its own folder, as a CI
matrix job would; the folders are copied over each other; one plain build on
the merged folder then renders nothing, and writes one manifest and one gallery
that list every handout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tipsheets.publish.manifest import MANIFEST_NAME, read_manifest

from conftest import AS_OF, REPO

SHARDS = 3


def _shipped_handouts() -> int:
    """How many handouts the shipped content makes (read from it, so new content does not break the counts)."""
    import datetime as dt

    from conftest import REPO
    from tipsheets.handouts import plan
    from tipsheets.project import load_project

    return len(plan(load_project(REPO), dt.date.fromisoformat(AS_OF)))


SHIPPED = _shipped_handouts()


def _cli(*args: str, cwd: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run([sys.executable, "-m", "tipsheets", "build", "--as-of", AS_OF, "--json", *args],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "img":
            self.alts.append(dict(attrs)["alt"])


@pytest.fixture(scope="module")
def slices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], int]:
    """The shipped project, and the output folders of its three slices, each built on its own."""
    project = tmp_path_factory.mktemp("shards") / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    folders, built = [], 0
    for index in range(1, SHARDS + 1):
        out = project.parent / f"shard-{index}"
        summary = _cli("--shard", f"{index}/{SHARDS}", "-o", str(out), "-j", "2", cwd=project)
        assert summary["counts"]["failed"] == 0 and summary["counts"]["built"] >= 1
        built += summary["counts"]["built"]
        assert (out / f".tipsheets-manifest.shard-{index}-of-{SHARDS}.json").is_file()
        assert not (out / MANIFEST_NAME).exists() and not (out / "index.html").exists()
        folders.append(out)
    return project, folders, built


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_merged_slices_are_one_folder_and_the_next_build_renders_nothing(
        slices: tuple[Path, list[Path], int], tmp_path: Path, order: str) -> None:
    project, folders, built = slices
    merged = tmp_path / "output"
    for folder in folders if order == "forward" else folders[::-1]:
        shutil.copytree(folder, merged, dirs_exist_ok=True)
    pdfs = sorted(p for p in merged.rglob("*.pdf") if p.relative_to(merged).parts[0] != "print")
    assert len(pdfs) == built == SHIPPED

    summary = _cli("-o", str(merged), cwd=project)
    assert summary["counts"] == {"targets": SHIPPED, "built": 0, "skipped": SHIPPED, "removed": 0, "failed": 0}

    # one manifest: the parts are folded into the main file, which lists every handout with its thumbnail
    assert sorted(p.name for p in merged.glob(".tipsheets-manifest*")) == [MANIFEST_NAME]
    manifest = read_manifest(merged)
    assert len(manifest.targets) == SHIPPED and sorted(manifest.gallery) == ["index.html"]
    assert all(any(name.startswith("thumbs/") for name in w.files) for w in manifest.targets.values())
    # one gallery: every handout, with its thumbnail
    page = _Images()
    page.feed((merged / "index.html").read_text(encoding="utf-8"))
    assert len(page.alts) == SHIPPED

    again = _cli("-o", str(merged), cwd=project)
    assert again["counts"]["built"] == 0 and again["counts"]["skipped"] == SHIPPED


def test_after_a_change_each_slice_rebuilds_from_its_own_folder_and_the_merge_still_renders_nothing(
        slices: tuple[Path, list[Path], int], tmp_path: Path) -> None:
    """The CI recipe of docs/ci.md: each slice keeps its own folder between runs (its own cache key)."""
    project, folders, _ = slices
    here = tmp_path / "project"
    shutil.copytree(project, here)
    sheet = here / "content" / "tipsheets" / "win-win-agencies.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: ", "title: Revised ", 1), encoding="utf-8")
    merged = tmp_path / "output"
    rendered = 0
    for index, folder in enumerate(folders, start=1):
        mine = tmp_path / folder.name
        shutil.copytree(folder, mine)
        rendered += _cli("--shard", f"{index}/{SHARDS}", "-o", str(mine), cwd=here)["counts"]["built"]
        shutil.copytree(mine, merged, dirs_exist_ok=True)
    assert 1 <= rendered < SHIPPED
    summary = _cli("-o", str(merged), cwd=here)
    assert summary["counts"]["built"] == 0 and summary["counts"]["skipped"] == SHIPPED
    assert "Revised" in (merged / "index.html").read_text(encoding="utf-8")
