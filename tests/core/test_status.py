"""Program status and office exclusions, read back from real desk aids, referral cards and flyers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app
from tipsheets.project.scaffold import init_project

from conftest import pdf_text, squash

AS_OF = dt.date(2026, 11, 25)
STATUSES = {"open-class": "active", "full-class": "not-taking-referrals", "resting-class": "paused",
            "old-class": "ended"}
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    init_project(root)
    programs = root / "content/programs"
    template = (programs / "co-parenting-basics.yaml").read_text()
    (programs / "co-parenting-basics.yaml").unlink()
    for pid, status in STATUSES.items():
        name = pid.replace("-", " ").title()
        text = template.replace("name: Co-Parenting Basics", f"name: {name}")
        text = text.replace("https://example.org/classes", f"https://example.org/{pid}")
        (programs / f"{pid}.yaml").write_text(text + f"status: {status}\n")
    return root


def text_of(path: Path) -> str:
    return squash(pdf_text(path))


def test_status_decides_what_each_handout_lists(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf", "html"), gallery=False))
    assert not result.failed and not result.errors, result.errors
    desk = text_of(out / "desk-aids/riverbend-county.pdf")
    assert "Open Class" in desk and "Full Class" in desk
    assert "Resting Class" not in desk and "Old Class" not in desk
    # the closed class is marked, in place of its dates, after the open one
    full = desk.split("Full Class")[1]
    assert full.split("Free")[0].count("Not taking referrals right now") == 1
    assert "Tue, Feb 2" not in full.split("Free")[0]
    assert desk.index("Open Class") < desk.index("Full Class")
    cards = text_of(out / "cards/riverbend-county.pdf")
    assert "Open Class" in cards and "Full Class" not in cards and "Old Class" not in cards
    flyers = sorted(p.name for p in (out / "flyers").iterdir())
    assert flyers == ["full-class.html", "full-class.pdf", "open-class.html", "open-class.pdf"]
    assert sorted(p.name for p in (out / "calendars").iterdir()) == ["full-class.ics", "open-class.ics"]
    full_flyer = text_of(out / "flyers/full-class.pdf")
    assert "This class is not taking new sign-ups right now." in full_flyer
    assert "Tue, Feb 2" not in full_flyer and "(706) 555-0101" in full_flyer


def test_ending_a_program_removes_its_flyer_and_the_build_reports_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", "--project", str(project), "--out", str(out), "--as-of", AS_OF.isoformat(), "-j", "1",
            "--no-gallery"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert (out / "flyers/open-class.pdf").is_file() and (out / "calendars/open-class.ics").is_file()
    path = project / "content/programs/open-class.yaml"
    path.write_text(path.read_text().replace("status: active", "status: ended"))
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    for name in ("flyers/open-class.pdf", "flyers/open-class.html", "calendars/open-class.ics"):
        assert f"removed  {name}" in second.output
        assert not (out / name).exists()
    # the referral cards held only that class, so their sheet goes too: five files in all
    assert "removed  cards/riverbend-county.pdf" in second.output
    assert ", 5 removed," in second.output
    assert "Open Class" not in text_of(out / "desk-aids/riverbend-county.pdf")


def test_an_office_can_leave_a_program_out(project: Path, tmp_path: Path) -> None:
    office = project / "content/offices/riverbend-county.yaml"
    office.write_text(office.read_text() + "exclude_programs: [open-class]\n")
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf",), gallery=False,
                           offices=("riverbend-county",)))
    assert not result.failed and not result.errors, result.errors
    desk = text_of(out / "desk-aids/riverbend-county.pdf")
    assert "Open Class" not in desk and "Full Class" in desk


def test_an_unknown_excluded_program_is_an_error_with_close_matches(project: Path) -> None:
    office = project / "content/offices/riverbend-county.yaml"
    office.write_text(office.read_text() + "exclude_programs: [open-clas]\n")
    result = runner.invoke(app, ["validate", "--project", str(project), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 2
    assert ("content/offices/riverbend-county.yaml:" in result.output
            and "exclude_programs[0]: unknown program 'open-clas' (hint: did you mean 'open-class'" in result.output)


def test_a_program_whose_sessions_are_all_past_is_told_how_to_mark_it_ended(project: Path) -> None:
    later = dt.date(2027, 6, 1).isoformat()
    result = runner.invoke(app, ["validate", "--project", str(project), "--as-of", later])
    lines = [line for line in result.output.splitlines() if "open-class.yaml" in line and "no upcoming" in line]
    assert len(lines) == 1
    assert "its last session started 2027-04-06" in lines[0] and "add `status: ended`" in lines[0]
    assert not any("old-class.yaml" in line and "no upcoming" in line for line in result.output.splitlines())
