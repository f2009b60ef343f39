"""Checks on programs and offices: each problem points at the field, as an error or a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
    assert line.startswith("content/programs/class.yaml:9:8: registration.url: 'ftp://example.org/class' is not a web address")


def test_bad_phone_is_an_error(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, phone="555-0140"))
    assert line.startswith("content/programs/class.yaml:10:10: registration.phone:")


def test_unknown_county_is_an_error_with_close_matches(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, county="Clark"))
    assert line.startswith("content/programs/class.yaml:13:16: serves[0].counties[0]: 'Clark' is not a county of Georgia")
    assert "did you mean 'Clarke'?" in line


def test_stale_listing_is_a_warning(tmp_path: Path) -> None:
    (line,) = problems(project(tmp_path, verified="2026-01-05"))
    assert line.startswith("content/programs/class.yaml:14:11: warning: verified: listing last verified 2026-01-05, 324 days")


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
    assert line.startswith("content/programs/class.yaml:13:16: serves[0].counties[0]: 'Clark' is not a county of Georgia")
    assert "(hint: did you mean 'Clarke County' or" in line


def test_unknown_office_brand_and_guidance_are_errors(tmp_path: Path) -> None:
    office = OFFICE.replace("brand: agency", "brand: nobody") + "guidance: nothing\n"
    lines = problems(project(tmp_path, office=office))
    assert any("brand: unknown office brand 'nobody'" in line for line in lines)
    assert any("guidance: unknown guidance 'nothing'" in line for line in lines)
