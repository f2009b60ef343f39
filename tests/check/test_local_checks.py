"""Checks on programs and offices: each problem points at the field, as an error or a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tipsheets.project import load_project
from tipsheets.project import check_project

AS_OF = dt.date(2026, 11, 25)

BRAND = "meta:\n  name: Test County Child Support\n"
GUIDANCE = ("title: When to refer\nwhen_to_refer: [Parents argue.]\n"
            "safety:\n  heading: Safety first\n  text: Do not refer.\n"
            "  hotline: {name: Hotline, phone: '1-800-799-7233'}\n")
AREAS = "state: GA\nname: Georgia\ncounties: [Clarke, Oconee, Fulton, DeKalb]\n"
OFFICE = ("name: Office\nbrand: agency\nserves: [{state: GA, counties: [Clarke]}]\naddress: 1 Main St\n"
          "phone: '(706) 555-0110'\nfamily_violence_contact: {name: Safety, phone: '(706) 555-0118'}\n")
PROGRAM = """name: Class
provider: agency
description: A class.
audiences: [co-parents]
format: online
sessions:
  - {{start: {start}, weekday: {weekday}, time: '18:00-20:00', weeks: 6}}
registration:
  url: {url}
  phone: '{phone}'
serves:
  - state: GA
    counties: [{county}]
verified: {verified}
"""


def project(root: Path, *, office: str = OFFICE, **program: str) -> Path:
    values = {"start": "2027-01-12", "weekday": "Tuesday", "url": "https://example.org/class",
              "phone": "(706) 555-0140", "county": "Clarke", "verified": "2026-11-01", **program}
    files = {"brands/agency.yaml": BRAND, "guidance/default.yaml": GUIDANCE, "areas/GA.yaml": AREAS,
             "offices/office.yaml": office, "programs/class.yaml": PROGRAM.format(**values)}
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "tipsheets.yaml").write_text("fictional_phone_numbers: allow\n")  # test content: 555-01xx numbers
    return root


def problems(root: Path) -> list[str]:
    catalog = load_project(root)
    assert not catalog.errors, [e.format() for e in catalog.errors]
    return [p.format() for p in check_project(catalog, AS_OF)]


def test_clean_project_has_no_problems(tmp_path: Path) -> None:
    assert problems(project(tmp_path)) == []


def test_no_upcoming_session_is_a_warning(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, start="2026-09-15"))
    assert line.startswith("content/programs/class.yaml:7:3: warning: sessions: no upcoming session")


def test_registration_address_must_be_http(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, url="ftp://example.org/class"))
    assert line.startswith("content/programs/class.yaml:9:8: registration.url: 'ftp://example.org/class' "
                           "is not a web address")


def test_bad_phone_is_an_error(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, phone="555-0140"))
    assert line.startswith("content/programs/class.yaml:10:10: registration.phone:")


@pytest.mark.parametrize("phone, message", [
    ("(911) 555-0110", "'(911) 555-0110' has no area code 911 in service in North America (hint: check the area code; "
                       "555, 911 and codes starting with 0 or 1 are not area codes)"),
    ("(555) 555-0100", "'(555) 555-0100' has no area code 555 in service in North America (hint: check the area code; "
                       "555, 911 and codes starting with 0 or 1 are not area codes)"),
    ("(706) 155-0110", "'(706) 155-0110' is not a number in service: no exchange 155 in area code 706 (hint: check the "
                       "digits after the area code; they cannot start with 0 or 1)"),
    ("555-0140", "'555-0140' has 7 digits; a phone number needs 10, with the area code (hint: add the three-digit area "
                 "code, such as (706) 555-0110)"),
    ("+44 20 7946 0958", "'+44 20 7946 0958' is not a North American number (hint: handouts print numbers parents in "
                         "the US can dial; write a ten-digit number such as (706) 555-0110, or a toll-free one such as "
                         "1-800-799-7233)"),
    ("call us", "'call us' is not a phone number (hint: write a ten-digit number such as (706) 555-0110, or a "
                "toll-free one such as 1-800-799-7233)"),
])
def test_a_number_no_one_can_dial_is_an_error_that_says_why(tmp_path: Path, phone: str, message: str) -> None:
    (line,) = problems(project(tmp_path, phone=phone))
    assert line == f"content/programs/class.yaml:10:10: registration.phone: {message}"


@pytest.mark.parametrize("phone", ["1-800-FLOWERS", "1 (800) FLOWERS", "1-800-555-HELP", "(706) 548-2000 ext. 12",
                                   "+1 416 555 0123", "1-888-373-7888"])
def test_numbers_that_can_be_dialled_pass(tmp_path: Path, phone: str) -> None:
    assert problems(project(tmp_path, phone=phone)) == []


def test_a_fictional_number_is_a_warning_unless_the_content_is_a_sample(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert problems(root) == []  # the test content says it is a sample
    (root / "tipsheets.yaml").write_text("title: Real handouts\n")
    found = problems(root)
    assert [line.split(": warning: ")[0] for line in found] == [
        "content/programs/class.yaml:10:10", "content/offices/office.yaml:5:8", "content/offices/office.yaml:6:48"]
    assert found[0] == ("content/programs/class.yaml:10:10: warning: registration.phone: '(706) 555-0140' is a "
                        "555-01xx number, set aside for fiction: no one answers it (hint: give the real number; "
                        "sample content says `fictional_phone_numbers: allow` in tipsheets.yaml)")


def test_unknown_county_is_an_error_with_close_matches(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, county="Clark"))
    assert line.startswith("content/programs/class.yaml:13:16: serves[0].counties[0]: "
                           "'Clark' is not a county of Georgia")
    assert "did you mean 'Clarke'?" in line


def test_stale_listing_is_a_warning(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, verified="2026-01-05"))
    assert line.startswith("content/programs/class.yaml:14:11: warning: verified: "
                           "listing last verified 2026-01-05, 324 days")


def test_office_no_program_serves_is_a_warning(tmp_path: Path) -> None:
    office = OFFICE.replace("counties: [Clarke]", "counties: [Fulton]")
    root = project(tmp_path, office=office)
    (root / "content/programs/class.yaml").write_text(
        (root / "content/programs/class.yaml").read_text().replace("format: online", "format: hybrid")
        + "location: {name: Hall, address: 1 Elm St, city: Athens, state: GA, zip: '30601'}\n")
    (line,) = problems(root)
    assert line.startswith("content/offices/office.yaml:3:9: warning: serves: no program serves this office's area")


def test_state_without_a_county_list_of_its_own_is_checked_against_the_census(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "content/areas/GA.yaml").unlink()
    assert problems(root) == []  # no warning: the tool knows Georgia's counties
    root = project(tmp_path / "misspelt", county="Clark")
    (root / "content/areas/GA.yaml").unlink()
    (line,) = problems(root)
    assert line.startswith("content/programs/class.yaml:13:16: serves[0].counties[0]: "
                           "'Clark' is not a county of Georgia")
    assert "(hint: did you mean 'Clarke County' or" in line


def test_unknown_office_brand_and_guidance_are_errors(tmp_path: Path) -> None:
    office = OFFICE.replace("brand: agency", "brand: nobody") + "guidance: nothing\n"
    lines = problems(project(tmp_path, office=office))
    assert any("brand: unknown office brand 'nobody'" in line for line in lines)
    assert any("guidance: unknown guidance 'nothing'" in line for line in lines)
