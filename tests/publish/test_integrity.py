"""Nothing lost without a word: handouts that list classes wait for a broken program file that may list one of
them, every handout is counted, and a narrower build removes nothing it was not asked about.

Built on a copy of the shipped sample content: Clarke and Fulton counties in Georgia, Lancaster County in
Nebraska, programs in both states.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app
from tipsheets.project import check_project, load_project
from tipsheets.publish.manifest import read_manifest

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 25)
GEORGIA = ("clarke-county", "fulton-county")
NEBRASKA = ("lancaster-county",)
#: what is made for an office: a desk aid and a sheet of referral cards (Clarke is bilingual: more)
MADE_FOR = ("desk-aids", "cards")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, its desk aids and referral cards built once (PDF only, no gallery)."""
    root = tmp_path_factory.mktemp("integrity") / "project"
    for name in ("content", "tipsheets.yaml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    result = build(options(root, offices=GEORGIA + NEBRASKA))
    assert result.ok, [o.errors for o in result.failed] + result.errors
    return root


@pytest.fixture
def project(first_build: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(first_build, copy)
    return copy


def options(project: Path, **kw: object) -> Options:
    return Options(project=project, out_dir=project / "output", formats=("pdf",), as_of=AS_OF, gallery=False,
                   lint=False, **kw)  # type: ignore[arg-type]


def outputs(project: Path, offices: tuple[str, ...]) -> dict[str, bytes]:
    out = project / "output"
    return {p.relative_to(out).as_posix(): p.read_bytes() for folder in MADE_FOR for p in (out / folder).glob("*.pdf")
            if p.name.split(".")[0] in offices}


def break_program(project: Path, name: str, how: str) -> str:
    """Damage a program file in one of the ways people do; return its path as shown."""
    path = project / "content" / "programs" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    changed = {
        # refused by the model; the file still reads as YAML, so its areas can be read
        "US date": lambda t: re.sub(r"start: (\d{4})-(\d\d)-(\d\d)", r"start: \2/\3/\1", t, count=1),
        # loads, but a check finds the error
        "misspelled county": lambda t: t.replace("counties: [Clarke", "counties: [Clark", 1),
        # cannot even be read: it may serve anywhere
        "YAML syntax": lambda t: t.replace("name:", "name: [unclosed", 1),
        # its areas cannot be told
        "no state": lambda t: re.sub(r"- state: [A-Z]{2}", "- state: ''", t, count=1),
    }[how](text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return f"content/programs/{name}.yaml"


@pytest.mark.parametrize("how", ["US date", "misspelled county"])
def test_a_broken_georgia_program_holds_back_georgia_handouts_only(project: Path, how: str) -> None:
    georgia, nebraska = outputs(project, GEORGIA), outputs(project, NEBRASKA)
    (project / "content" / "programs" / "together-for-our-kids-athens.yaml").write_text(
        (project / "content" / "programs" / "together-for-our-kids-athens.yaml").read_text().replace(
            "start: 2027-02-04", "start: 2027-02-11"))  # a real change: every Georgia list would be rebuilt
    broken = break_program(project, "stronger-together-athens", how)
    result = build(options(project, offices=GEORGIA + NEBRASKA, force=True))
    failed = {o.target.stem: o.errors for o in result.failed}
    held = {stem for stem, errors in failed.items() if any(broken in line for line in errors)}
    assert {stem.split("/")[1].split(".")[0] for stem in held} == set(GEORGIA)
    for stem in held:
        assert any("may list a class" in line or "has an error" in line for line in failed[stem]), failed[stem]
    assert outputs(project, GEORGIA) == georgia  # the previous files are kept, byte for byte
    assert not any(stem.split("/")[1].startswith(NEBRASKA) for stem in failed)
    assert {o.target.stem for o in result.built} >= {"desk-aids/lancaster-county", "cards/lancaster-county"}
    assert outputs(project, NEBRASKA).keys() == nebraska.keys()


@pytest.mark.parametrize("how", ["YAML syntax", "no state"])
def test_a_program_whose_areas_cannot_be_read_holds_back_every_office(project: Path, how: str) -> None:
    before = outputs(project, GEORGIA + NEBRASKA)
    broken = break_program(project, "kids-first-lincoln", how)
    result = build(options(project, offices=GEORGIA + NEBRASKA, force=True))
    assert not result.built
    for outcome in result.failed:
        assert any(broken in line for line in outcome.errors), outcome.errors
    assert outputs(project, GEORGIA + NEBRASKA) == before


def test_the_message_says_why_a_handout_waits(project: Path) -> None:
    broken = break_program(project, "kids-first-lincoln", "US date")  # Nebraska
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", AS_OF.isoformat(), "-j", "1",
                                   "-f", "pdf", "--no-gallery", "--office", "lancaster-county"])
    assert res.exit_code == 2
    assert f"not built: {broken} has an error" in res.output


def test_no_program_serves_is_not_said_when_a_program_merely_failed_to_load(project: Path) -> None:
    for path in (project / "content" / "programs").glob("*.yaml"):
        if "NE" in path.read_text() and "state: NE" in path.read_text():
            path.write_text(path.read_text().replace("start: 2027-", "start: 1/2/2027-", 1))
    catalog = load_project(project)
    warnings = [p.format() for p in check_project(catalog, AS_OF) if p.level == "warning"]
    assert not any("no program serves" in line and "lancaster" in line for line in warnings), warnings
    (project / "content" / "programs").joinpath("kids-first-lincoln.yaml").unlink()
    (project / "content" / "programs").joinpath("fathers-connect-nebraska.yaml").unlink()
    (project / "content" / "programs").joinpath("two-homes-grand-island.yaml").unlink()
    warnings = [p.format() for p in check_project(load_project(project), AS_OF) if p.level == "warning"]
    assert any("no program serves" in line and "lancaster" in line for line in warnings), warnings


def test_every_handout_is_counted_once_even_when_its_own_file_fails(project: Path) -> None:
    sheet_options = replace(options(project), offices=(), only=())
    assert build(sheet_options).ok
    broken = project / "content" / "tipsheets" / "win-win-agencies.yaml"
    broken.write_text(broken.read_text().replace("date:", "date: [", 1))
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", AS_OF.isoformat(), "-j", "1",
                                   "-f", "pdf", "--no-gallery", "--no-lint", "--json"])
    data = json.loads(res.stdout)
    counts = data["counts"]
    assert counts["targets"] == counts["built"] + counts["skipped"] + counts["failed"]
    # the sheet itself, and the edition made from it
    assert [f["target"] for f in data["failed"]] == ["editions/oconee-river-clarke", "tipsheets/win-win-agencies"]
    assert (project / "output" / "tipsheets" / "win-win-agencies.pdf").exists()  # kept


@pytest.mark.parametrize("narrower", ["format", "print", "shard", "locale", "office", "program"])
def test_a_narrower_build_never_removes_what_it_was_not_asked_about(project: Path, narrower: str) -> None:
    everything = replace(options(project), formats=("pdf", "html"), print_shop=True, offices=(), gallery=True)
    assert build(everything).ok
    out = project / "output"
    before = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    narrow = {"format": replace(everything, formats=("pdf",), print_shop=False),
              "print": replace(everything, print_shop=False),
              "shard": replace(everything, shard=(1, 3)),
              "locale": replace(everything, locales=("es",)),
              "office": replace(everything, offices=("fulton-county",)),
              "program": replace(everything, programs=("young-parents-circle",))}[narrower]
    result = build(replace(narrow, force=True))
    assert result.ok, [o.errors for o in result.failed]
    assert result.removed == []
    after = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert after == before
    assert set(read_manifest(out).targets) == {stem for stem in read_manifest(out).targets}


def test_every_removal_is_reported(project: Path) -> None:
    assert build(replace(options(project), offices=(), formats=("pdf", "html"))).ok
    (project / "content" / "programs" / "young-parents-circle.yaml").unlink()
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", AS_OF.isoformat(), "-j", "1",
                                   "-f", "pdf", "-f", "html", "--no-gallery", "--no-lint"])
    assert res.exit_code == 0, res.output
    for name in ("flyers/young-parents-circle.pdf", "flyers/young-parents-circle.html"):
        assert f"removed  {name}" in res.output
        assert not (project / "output" / name).exists()
    assert "0 removed" not in res.output
