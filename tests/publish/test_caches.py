"""The caches a build keeps in its output folder: parsed files and wording findings, by the sha256 of each file."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.core import contact
from tipsheets.core.parsed import ParsedFiles
from tipsheets.project import load_project
from tipsheets.publish.caches import FINDINGS_NAME, PARSED_NAME, PHONES_NAME

from conftest import AS_OF, REPO

SHEET = "content/tipsheets/demo.yaml"


def _build(project: Path, **options: object):  # noqa: ANN202
    return build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                         formats=("html",), gallery=False, **options))  # type: ignore[arg-type]


def test_a_load_parses_only_the_files_whose_bytes_changed(minimal: Path) -> None:
    assert _build(minimal).ok
    stored = (minimal / "output" / PARSED_NAME).read_bytes()
    files = sum(1 for _ in (minimal / "content").rglob("*.yaml"))
    assert len(json.loads(stored)["files"]) == files
    sheet = minimal / SHEET
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Four tips", "Four tips, changed"), encoding="utf-8")
    parsed = ParsedFiles.from_bytes(stored)
    catalog = load_project(minimal, remembered=parsed)
    assert not catalog.errors and parsed.parsed == 1  # only the edited file
    assert "Four tips, changed" in catalog.get("tipsheets", "demo").item.model_dump_json()


@pytest.mark.parametrize("store", [PARSED_NAME, FINDINGS_NAME, PHONES_NAME])
@pytest.mark.parametrize("damage", [
    b"{not json", b"[]", b'{"version": 1, "parser": "x"}', b'{"version": 1, "parser": "x", "files": []}',
    b"\xff\xfe", b"[" * 100_000,
])
def test_a_damaged_cache_is_ignored_whole_and_said_in_one_line(minimal: Path, store: str, damage: bytes) -> None:
    assert _build(minimal).ok
    (minimal / "output" / store).write_bytes(damage)
    sheet = minimal / SHEET
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Four tips", "Four tips, changed"), encoding="utf-8")
    result = _build(minimal)
    assert result.ok, [o.errors for o in result.failed]
    said = [n for n in result.notices if store in n]
    assert len(said) == 1 and "damaged" in said[0] and "\n" not in said[0], result.notices
    assert "Four tips, changed" in (minimal / "output" / "tipsheets" / "demo.html").read_text(encoding="utf-8")


def test_a_stored_entry_that_is_not_plain_data_spoils_the_whole_store(minimal: Path) -> None:
    assert _build(minimal).ok
    path = minimal / "output" / PARSED_NAME
    data = json.loads(path.read_bytes())
    sha = next(iter(data["files"]))
    data["files"][sha] = {"!!python/object": "os.system"}  # not as tipsheets writes an entry
    path.write_text(json.dumps(data))
    sheet = minimal / SHEET
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = _build(minimal)
    assert result.ok
    assert any(PARSED_NAME in n and "damaged" in n for n in result.notices), result.notices


def test_the_content_checks_parse_no_remembered_file_again_when_nothing_is_wrong_in_it(minimal: Path) -> None:
    """A file read from the store is parsed again for its positions only when a check has something to point at."""
    from tipsheets.core.source import RememberedSource
    from tipsheets.project import check_project

    assert _build(minimal).ok
    catalog = load_project(minimal, remembered=ParsedFiles.from_bytes((minimal / "output" / PARSED_NAME).read_bytes()))
    sources = [entry.source for folder in catalog.entries for entry in catalog.of(folder)]
    assert sources and all(isinstance(s, RememberedSource) for s in sources)
    before = [s.path for s in sources if s._positions is not None]  # noqa: SLF001 - what the test is about
    assert len(before) < len(sources)  # (a brand file's reader asks for them)
    assert not check_project(catalog, dt.date.fromisoformat(AS_OF))
    assert [s.path for s in sources if s._positions is not None] == before  # noqa: SLF001


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content (offices, programs and guidance, with their phone numbers), built to HTML once."""
    project = tmp_path_factory.mktemp("shipped") / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    assert _build(project).ok
    return project


@pytest.fixture
def phones_project(shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A copy of it, and the texts read as phone numbers from here on, in what acts as a new process."""
    project = tmp_path / "project"
    shutil.copytree(shipped, project)
    asked: list[str] = []
    read = contact.read_phone
    monkeypatch.setattr(contact, "_ANSWERS", {})  # what a new process knows: nothing
    monkeypatch.setattr(contact, "read_phone", lambda text: asked.append(text) or read(text))
    return project, asked


def test_a_build_reads_again_only_the_phone_numbers_it_has_not_seen(phones_project: tuple[Path, list[str]]) -> None:
    project, asked = phones_project
    stored = json.loads((project / "output" / PHONES_NAME).read_bytes())["numbers"]
    assert "(706) 555-0110" in stored and stored["(706) 555-0110"][:3] == ["706", "555", "0110"]
    office = project / "content" / "offices" / "clarke-county.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace('phone: "(706) 555-0110"', 'phone: "706-555-0177"'),
                      encoding="utf-8")
    result = _build(project)
    assert result.ok and asked == ["706-555-0177"]  # the rest were known from the store
    assert "(706) 555-0177" in (project / "output" / "desk-aids" / "clarke-county.html").read_text(encoding="utf-8")
    assert "706-555-0177" in json.loads((project / "output" / PHONES_NAME).read_bytes())["numbers"]


@pytest.mark.parametrize("answer", [
    ["212", "555", "0110", "", False, ""],  # another number than the text dials
    ["706", "555", "0110", "99", False, ""],  # an extension the text does not have
    ["706", "555", "011", "", False, ""], ["706", "555", "0110", "", "no", ""],
    ["706", "555", "0110", "", False, "<b>"],
    ["706", "555", "0110", "", False], {"area": "706"}, "(706) 555-0110",
])
def test_a_stored_phone_answer_that_is_not_the_number_its_text_dials_spoils_the_whole_store(
        phones_project: tuple[Path, list[str]], answer: object) -> None:
    project, asked = phones_project
    path = project / "output" / PHONES_NAME
    data = json.loads(path.read_bytes())
    data["numbers"]["(706) 555-0110"] = answer
    path.write_text(json.dumps(data), encoding="utf-8")
    office = project / "content" / "offices" / "clarke-county.yaml"
    office.write_text(office.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = _build(project)
    assert result.ok
    said = [n for n in result.notices if PHONES_NAME in n]
    assert len(said) == 1 and "damaged" in said[0], result.notices
    assert "(706) 555-0110" in asked  # read again, not taken from the store
    page = (project / "output" / "desk-aids" / "clarke-county.html").read_text(encoding="utf-8")
    assert "(706) 555-0110" in page and "212" not in page
