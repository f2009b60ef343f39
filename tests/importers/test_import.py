"""`tipsheets import`: spreadsheets and HSDS datasets into program files, then into real desk aids."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app
from tipsheets.project.scaffold import init_project

from conftest import FIXTURES, pdf_text, squash

AS_OF = dt.date(2026, 11, 25)
HSDS = FIXTURES / "hsds"
runner = CliRunner()

HEADER = ("ID,Program,Provider,Description,Audiences,Format,Start date,Time,Weeks,Location,Address,City,State,ZIP,"
          "Cost,Childcare,Languages,Sign-up web address,Phone,Serves counties")
DADS = ("dads-night,Dads Night Out,Riverbend Dads Group,A six-week group for fathers who live apart from their "
        "children.,fathers,in person,1/12/2027,6-8 pm,6,Riverbend Library,12 Oak Street,Athens,GA,30601,0,yes,en,"
        "https://example.org/dads,706-555-0142,\"Clarke, Oconee\"")
DADS_LATER = "dads-night,,,,,,3/2/2027,6-8 pm,6,,,,,,,,,,,"
ONLINE = (",Parenting Apart Online,Riverbend Family Partnership,A live online class for parents.,"
          "\"co-parents, never-married-parents\",online,2/3/2027,18:00-19:30,4,,,,GA,,0,no,\"English, Spanish\","
          "https://example.org/apart,(706) 555-0101,Clarke")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    init_project(root)
    return root


def run_import(project: Path, source: Path, *extra: str):  # noqa: ANN201
    return runner.invoke(app, ["import", str(source), "--project", str(project), "--as-of", AS_OF.isoformat(), *extra])


def desk_aid_text(project: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf",), offices=("riverbend-county",),
                           gallery=False))
    assert {o.status for o in result.outcomes} == {"built"}, [o.errors for o in result.outcomes]
    return squash(pdf_text(out / "desk-aids/riverbend-county.pdf"))


def programs_of(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "content/programs").glob("*.yaml"))}


# --------------------------------------------------------------------------- end to end


def test_csv_import_becomes_desk_aid_classes(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.csv"
    source.write_bytes(("\ufeff" + "\r\n".join([HEADER, DADS, DADS_LATER, ",,,,", ONLINE]) + "\r\n").encode("utf-8"))
    result = run_import(project, source)
    assert result.exit_code == 0, result.output
    assert "create  content/programs/dads-night.yaml" in result.output
    assert "create  content/brands/riverbend-dads-group.yaml" in result.output
    dads = (project / "content/programs/dads-night.yaml").read_text()
    assert dads.startswith("# yaml-language-server: $schema=../../schemas/program.schema.json\n")
    assert 'zip: "30601"' in dads and 'phone: "(706) 555-0142"' in dads and "format: in-person" in dads
    brand = (project / "content/brands/riverbend-dads-group.yaml").read_text()
    assert "REPLACE" in brand and "logo" in brand
    # the existing brand is matched by its name, not stubbed again
    assert not (project / "content/brands/riverbend-family-partnership-2.yaml").exists()
    assert "provider: riverbend-family-partnership" in (
        project / "content/programs/parenting-apart-online-riverbend-family-partnership.yaml").read_text()
    text = desk_aid_text(project, tmp_path)
    assert "Dads Night Out" in text and "Parenting Apart Online" in text
    assert "Tue, Jan 12" in text and "6:00–8:00 PM" in text and "Wed, Feb 3" in text
    assert "(706) 555-0142" in text


def test_xlsx_import_reads_excel_habits(project: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Classes"
    sheet.append(["Program", "Provider", "Description", "Audiences", "Format", "Start date", "Day", "Start time",
                  "End time", "Weeks", "Location", "Address", "City", "State", "ZIP", "Childcare", "Sign-up URL",
                  "Phone", "Counties"])
    sheet.append(["Kids in the Middle", "Riverbend Family Partnership", "A class about children between two homes.",
                  "co-parents", "In-Person", dt.datetime(2027, 1, 14), "Thursday", dt.time(18, 30), dt.time(20, 0), 5,
                  "Riverbend Hall", "9 River Road", "Athens", "GA", 30601, True, "https://example.org/kids",
                  7065550177, "Clarke"])
    sheet.append([None] * 19)  # a blank row
    # 46492: an Excel serial
    sheet.append(["Kids in the Middle", None, None, None, None, 46492, None, "6:30 PM", "8:00 PM", 5])
    source = tmp_path / "classes.xlsx"
    book.save(source)
    result = run_import(project, source)
    assert result.exit_code == 0, result.output
    written = (project / "content/programs/kids-in-the-middle-riverbend-family-partnership.yaml").read_text()
    assert "start: 2027-01-14" in written and "start: 2027-04-18" not in written
    assert 'time: "18:30-20:00"' in written and 'phone: "(706) 555-0177"' in written
    assert "childcare: true" in written
    text = desk_aid_text(project, tmp_path)
    assert "Kids in the Middle" in text and "Thu, Jan 14" in text and "6:30–8:00 PM" in text
    assert "(706) 555-0177" in text
    assert dt.date(1899, 12, 30) + dt.timedelta(days=46492) == dt.date(2027, 4, 15)
    assert "start: 2027-04-15" in written


def test_zip_that_lost_its_leading_zero_is_restored_where_zips_start_with_zero(project: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Program", "Provider", "Description", "Audiences", "Format", "Address", "City", "State", "ZIP",
                        "Sign-up web address", "Serves ZIP codes"])
    book.active.append(["Boston Parents", "Harbor Family Center", "A class.", "co-parents", "in-person", "1 Pier Road",
                        "Boston", "MA", 2134, "https://example.org/boston", 2135])
    source = tmp_path / "ma.xlsx"
    book.save(source)
    result = run_import(project, source)
    assert result.exit_code == 0, result.output
    written = (project / "content/programs/boston-parents-harbor-family-center.yaml").read_text()
    assert 'zip: "02134"' in written and '"02135"' in written


@pytest.mark.parametrize("source", ["services.json", "package"])
def test_hsds_import_becomes_desk_aid_classes(project: Path, tmp_path: Path, source: str) -> None:
    result = run_import(project, HSDS / source)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (project / "content/programs").glob("*.yaml"))
    assert files == ["co-parenting-basics.yaml", "dads-together-7e8f9a0b.yaml", "padres-unidos-en-linea-5d1b2c3a.yaml",
                     "parenting-apart-workshop-9f2a3c1e.yaml"]
    workshop = (project / "content/programs/parenting-apart-workshop-9f2a3c1e.yaml").read_text()
    assert "rrule: FREQ=WEEKLY;BYDAY=TU;COUNT=6" in workshop and "counties: [Clarke, Oconee]" in workshop
    assert "key: 9f2a3c1e-5b7d-4e8f-9a10-2b3c4d5e6f70" in workshop and "verified: 2026-11-02" in workshop
    assert "status: paused" in (project / "content/programs/dads-together-7e8f9a0b.yaml").read_text()
    assert (project / "content/brands/oconee-valley-family-services.yaml").is_file()
    text = desk_aid_text(project, tmp_path)
    assert "Parenting Apart Workshop" in text and "Tue, Jan 12" in text and "Tue, Jan 19" in text
    assert "Padres Unidos en Línea" in text and "Sat, Jan 9" in text and "Sat, Feb 13" in text
    assert "Dads Together" not in text  # "temporarily closed" in HSDS: paused, so not on the desk aid


def test_hsds_json_and_package_give_the_same_programs(tmp_path: Path) -> None:
    texts = []
    for source in ("services.json", "package"):
        root = tmp_path / source
        init_project(root)
        assert run_import(root, HSDS / source).exit_code == 0
        texts.append({p.name: "\n".join(line for line in p.read_text().splitlines() if "file:" not in line
                                        and "imported from" not in line)
                      for p in (root / "content/programs").glob("*.yaml")})
    assert texts[0] == texts[1]


# --------------------------------------------------------------------------- one line per mistake, nothing written


@pytest.mark.parametrize("change, expected", [
    (("1/12/2027", "13/45/2027"),
     'classes.csv: row 2, column "Start date": \'13/45/2027\' is not a date (hint: write dates as 2027-01-12 or '
     '1/12/2027)'),
    (("1/12/2027", "1/12/27"),
     'classes.csv: row 2, column "Start date": \'1/12/27\' has a two-digit year (hint: write the year in full: '
     '1/12/2027 or 2027-01-12)'),
    (("1/12/2027", "25/12/2027"),
     'classes.csv: row 2, column "Start date": \'25/12/2027\' is not a date: dates are read month first'),
    ((",30601,", ",3060,"),
     'classes.csv: row 2, column "ZIP": \'3060\' is not a five-digit ZIP code in GA (hint: write all five digits'),
    (("706-555-0142", "5550142"),
     'classes.csv: row 2, column "Phone": \'5550142\' is not a phone number that can be dialled'),
    (("in person", "Zoom class"),
     'classes.csv: row 2, column "Format": \'Zoom class\' is not a format (hint: write in-person, online or hybrid)'),
    (('"Clarke, Oconee"', '"Clark, Oconee"'),
     'classes.csv: row 2, column "Serves counties": \'Clark\' is not a county of Georgia '
     '(hint: did you mean \'Clarke\''),
    (("6-8 pm,6,", "6-8 pm,six,"),
     'classes.csv: row 2, column "Weeks": \'six\' is not a number'),
    (("fathers,", "dads,"),
     'classes.csv: row 2, column "Audiences": \'dads\' is not allowed'),
    (("https://example.org/dads", "example.org/dads"),
     'classes.csv: row 2, column "Sign-up web address": \'example.org/dads\' is not a web address'),
])
def test_each_common_mistake_is_one_line_naming_row_and_column(project: Path, tmp_path: Path,
                                                                change: tuple[str, str], expected: str) -> None:
    source = tmp_path / "classes.csv"
    source.write_text("\n".join([HEADER, DADS.replace(*change), ONLINE]) + "\n", encoding="utf-8")
    before = programs_of(project)
    result = run_import(project, source)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("classes.csv")]
    assert len(lines) == 1 and lines[0].startswith(expected), result.output
    assert "nothing was written" in result.output
    assert programs_of(project) == before
    assert not (project / "content/brands/riverbend-dads-group.yaml").exists()


def test_a_missing_required_column_is_named(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.csv"
    header = HEADER.replace("Format,", "")
    row = DADS.replace("in person,", "")
    source.write_text(header + "\n" + row + "\n", encoding="utf-8")
    result = run_import(project, source)
    assert result.exit_code == 2
    assert 'classes.csv: row 1: there is no column "Format" (hint: the first row names the columns' in result.output


def test_every_bad_row_is_reported_at_once(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.csv"
    bad_online = ONLINE.replace("2/3/2027", "2/30/2027")
    source.write_text("\n".join([HEADER, DADS.replace("1/12/2027", "1/12/27"), bad_online]) + "\n")
    result = run_import(project, source)
    assert result.exit_code == 2
    assert 'row 2, column "Start date"' in result.output and 'row 3, column "Start date"' in result.output


def test_an_unknown_kind_of_file_is_refused(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_import(project, source)
    assert result.exit_code == 2 and "save an old .xls workbook as .xlsx" in result.output


# --------------------------------------------------------------------------- importing again


def test_reimport_updates_the_source_fields_and_keeps_hand_edits(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.csv"
    source.write_text("\n".join([HEADER, DADS, DADS_LATER]) + "\n")
    assert run_import(project, source).exit_code == 0
    path = project / "content/programs/dads-night.yaml"
    text = path.read_text()
    text = text.replace("description: A six-week group", "description: A warm six-week group")
    text = text.replace("name: Dads Night Out\n", "# our own note about this class\nname: Dads Night Out\n")
    text = text.replace("verified: 2026-11-25\n", "verified: 2026-11-25\ntranslations:\n  es:\n"
                                                  "    name: Noche de Papás\n")
    path.write_text(text)
    # upstream: the second run moves, the phone changes, the description changes too
    changed = [DADS.replace("706-555-0142", "706-555-0143").replace("A six-week group", "A six-week circle"),
               DADS_LATER.replace("3/2/2027", "3/9/2027")]
    source.write_text("\n".join([HEADER, *changed]) + "\n")

    before = path.read_bytes()
    dry = run_import(project, source, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would update  content/programs/dads-night.yaml" in dry.output
    assert 'sessions[1].start: changed in the source: "2027-03-02" → "2027-03-09"' in dry.output
    assert 'registration.phone: changed in the source: "(706) 555-0142" → "(706) 555-0143"' in dry.output
    assert "description: edited here, left alone; the source now says" in dry.output
    assert "nothing was written" in dry.output
    assert path.read_bytes() == before

    result = run_import(project, source)
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert "A warm six-week group" in after and "six-week circle" not in after
    assert "# our own note about this class\nname: Dads Night Out" in after
    assert "Noche de Papás" in after
    assert "start: 2027-03-09" in after and "start: 2027-03-02" not in after
    assert '"(706) 555-0143"' in after
    # and once more, with nothing new upstream: nothing changes
    again = run_import(project, source)
    assert "unchanged  content/programs/dads-night.yaml" in again.output
    assert path.read_text() == after


def test_hand_edit_of_a_field_the_source_never_changes_is_kept(project: Path) -> None:
    assert run_import(project, HSDS / "services.json").exit_code == 0
    path = project / "content/programs/parenting-apart-workshop-9f2a3c1e.yaml"
    path.write_text(path.read_text().replace("audiences: [co-parents, separated-or-divorced-parents, "
                                             "never-married-parents]", "audiences: [fathers, mothers]"))
    result = run_import(project, HSDS / "services.json")
    assert result.exit_code == 0, result.output
    assert "audiences: [fathers, mothers]" in path.read_text()
    assert "unchanged  content/programs/parenting-apart-workshop-9f2a3c1e.yaml" in result.output


def test_a_hand_written_file_with_the_same_id_is_not_overwritten(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "classes.csv"
    source.write_text(HEADER + "\n" + DADS.replace("dads-night,", "co-parenting-basics,") + "\n")
    before = programs_of(project)
    result = run_import(project, source)
    assert result.exit_code == 2
    assert "content/programs/co-parenting-basics.yaml:1:1: a program file with this id already exists" in result.output
    assert programs_of(project) == before


# --------------------------------------------------------------------------- HSDS records and fields


def test_hsds_schema_errors_name_the_record_and_field(project: Path, tmp_path: Path) -> None:
    services = json.loads((HSDS / "services.json").read_text())
    services[0]["schedules"][0]["freq"] = "DAILY"
    del services[1]["name"]
    services[2]["schedules"][0]["count"] = "four"
    source = tmp_path / "services.json"
    source.write_text(json.dumps(services))
    before = programs_of(project)
    result = run_import(project, source)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("services.json")]
    assert ("services.json: services[0] (id 9f2a3c1e...).schedules[0].freq: 'DAILY' is not one of the values HSDS "
            "allows (WEEKLY, MONTHLY)") in lines
    assert "services.json: services[1] (id 5d1b2c3a...).name: is missing, and HSDS requires it" in lines
    assert "services.json: services[2] (id 7e8f9a0b...).schedules[0].count: 'four' should be a number" in lines
    assert programs_of(project) == before


def test_hsds_package_errors_name_the_csv_row_and_column(project: Path, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(HSDS / "package", package)
    schedules = package / "schedules.csv"
    schedules.write_text(schedules.read_text().replace(",MONTHLY,", ",YEARLY,"))
    result = run_import(project, package)
    assert result.exit_code == 2
    assert ('package/datapackage.json: schedules.csv row 3 (id 5d1b2c3a...), column "freq": \'YEARLY\' is not one '
            "of the values HSDS allows") in result.output


def test_an_hsds_rule_that_never_ends_is_left_out_with_a_note(project: Path, tmp_path: Path) -> None:
    services = json.loads((HSDS / "services.json").read_text())
    del services[0]["schedules"][0]["count"]
    source = tmp_path / "services.json"
    source.write_text(json.dumps(services))
    result = run_import(project, source)
    assert result.exit_code == 0, result.output
    assert ("services.json: services[0] (id 9f2a3c1e...).schedules[0]: repeats without an end (no count, until or "
            "valid_to)") in result.output
    assert "sessions: []" in (project / "content/programs/parenting-apart-workshop-9f2a3c1e.yaml").read_text()
