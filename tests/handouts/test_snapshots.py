"""Each kind of handout's web page, as a snapshot: a change to a template or to what a kind gives its template
shows up here as a diff to read, not as a surprise in print.

Images are inlined as ``data:`` URIs; in the snapshots each is replaced by its length and a short hash, so a
changed logo or QR code still shows. After a change you meant, update the snapshots with
``python -m pytest tests/handouts/test_snapshots.py --snapshot-update`` and read the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from tipsheets.handouts import KINDS, page_html, plan
from tipsheets.project import load_project
from tipsheets.render.environment import make_environment

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 25)
#: one handout of each kind from the shipped content (a kind added later must add its line)
EXAMPLES = {
    "tipsheet": "tipsheets/win-win-agencies",
    "desk-aid": "desk-aids/clarke-county.bilingual",
    "flyer": "flyers/parenting-apart-atlanta.es",
    "cards": "cards/fulton-county",
    "edition": "editions/oconee-river-clarke",
    "brochure": "brochures/working-together-for-children",
}


class HTMLSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "html"


_DATA_URI = re.compile(r"data:([\w/+.-]+)(;[\w=-]+)*,([A-Za-z0-9+/=%._~-]+)")


def readable(html: str) -> str:
    def short(m: re.Match[str]) -> str:
        return f"data:{m[1]};{len(m[3])} bytes;sha256={hashlib.sha256(m[3].encode()).hexdigest()[:12]}"

    return _DATA_URI.sub(short, html)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = load_project(REPO)
    envs: dict[str, object] = {}
    out = {}
    for target in plan(catalog, AS_OF):
        if target.stem in EXAMPLES.values():
            env = envs.setdefault(target.locale, make_environment(catalog.root, locale=target.locale))
            out[target.stem] = page_html(target, catalog, env, as_of=AS_OF, for_print=False)  # type: ignore[arg-type]
    return out


def test_every_kind_has_an_example() -> None:
    assert set(EXAMPLES) == {kind.name for kind in KINDS}


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_web_page_of_each_kind(kind: str, pages: dict[str, str], snapshot) -> None:  # noqa: ANN001
    assert readable(pages[EXAMPLES[kind]]) == snapshot(extension_class=HTMLSnapshot)
