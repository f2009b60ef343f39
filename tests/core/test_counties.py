"""County names: the Census list of every state, the folding that compares names, and the check that uses both."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.core.counties import census_counties, census_states, county_key, state_name
from tipsheets.core.models import Office, Program
from tipsheets.core.areas import serves

AS_OF = dt.date(2026, 11, 25)

STATES_AND_DC = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
                 "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()


def test_every_state_and_dc_has_its_census_counties() -> None:
    assert set(STATES_AND_DC) <= set(census_states())
    assert all(census_counties(state) for state in STATES_AND_DC)
    assert len(census_counties("TX")) == 254 and len(census_counties("GA")) == 159
    assert len(census_counties("LA")) == 64 and all(n.endswith(" Parish") for n in census_counties("LA"))
    assert "Juneau City and Borough" in census_counties("AK") and "Richmond city" in census_counties("VA")
    assert census_counties("ZZ") is None
    assert state_name("LA") == "Louisiana" and state_name("DC") == "District of Columbia"
    assert state_name("PR") == "Puerto Rico"


def test_no_two_counties_of_a_state_fold_to_one_name() -> None:
    for state in census_states():
        keys = collections.Counter(county_key(name) for name in census_counties(state))
        assert [k for k, n in keys.items() if n > 1] == [], state


@pytest.mark.parametrize("written, census", [
    ("clarke", "Clarke County"),
    ("  CLARKE   county ", "Clarke County"),
    ("Orleans", "Orleans Parish"),
    ("St. Tammany", "St. Tammany Parish"),
    ("Saint Tammany Parish", "St. Tammany Parish"),
    ("St Louis", "St. Louis County"),
    ("Sainte Genevieve", "Ste. Genevieve County"),
    ("De Kalb", "DeKalb County"),
    ("La Salle", "LaSalle Parish"),
    ("Prince Georges", "Prince George's County"),
    ("Dona Ana", "Doña Ana County"),
    ("Matanuska Susitna", "Matanuska-Susitna Borough"),
    ("Juneau", "Juneau City and Borough"),
    ("Juneau Borough", "Juneau City and Borough"),
    ("Anchorage", "Anchorage Municipality"),
    ("Bethel", "Bethel Census Area"),
    ("Bayamon", "Bayamón Municipio"),
    ("Richmond City", "Richmond city"),
    ("baltimore city", "Baltimore city"),
])
def test_names_fold_to_the_census_name(written: str, census: str) -> None:
    assert county_key(written) == county_key(census)


@pytest.mark.parametrize("one, other", [
    ("Richmond", "Richmond city"),  # Virginia: a county and an independent city
    ("Baltimore County", "Baltimore city"),
    ("St. Louis", "St. Louis city"),
    ("Franklin", "Franklin city"),
    ("Clarke", "Clark"),
])
def test_a_county_and_a_city_of_the_same_name_stay_apart(one: str, other: str) -> None:
    assert county_key(one) != county_key(other)


def _program(state: str, county: str) -> Program:
    return Program.model_validate({
        "id": "p", "name": "P", "provider": "prov", "description": "A class.", "audiences": ["co-parents"],
        "format": "in-person", "registration": {"url": "https://example.org/p"}, "verified": "2026-11-01",
        "location": {"name": "Hall", "address": "1 Main St", "city": "X", "state": state, "zip": "70112"},
        "serves": [{"state": state, "counties": [county]}]})


def _office(state: str, county: str) -> Office:
    return Office.model_validate({
        "id": "o", "name": "Office", "brand": "b", "address": "1 Main St", "phone": "(706) 555-0110",
        "family_violence_contact": {"name": "Safety"}, "serves": [{"state": state, "counties": [county]}]})


@pytest.mark.parametrize("state, program_county, office_county, expected", [
    ("MO", "Saint Louis County", "St. Louis", True),
    ("LA", "St. Tammany Parish", "saint tammany", True),
    ("AK", "Juneau", "Juneau City and Borough", True),
    ("GA", "De Kalb", "DeKalb", True),
    ("VA", "Richmond", "Richmond city", False),
    ("MO", "St. Louis", "St. Louis city", False),
])
def test_matching_folds_names_as_the_check_does(state: str, program_county: str, office_county: str,
                                                expected: bool) -> None:
    assert serves(_program(state, program_county), _office(state, office_county)) is expected


# --------------------------------------------------------------------------- the check, in a project

BRAND = "meta:\n  name: Test Child Support\n"
GUIDANCE = ("title: When to refer\nwhen_to_refer: [Parents argue.]\n"
            "safety:\n  heading: Safety first\n  text: Do not refer.\n"
            "  hotline: {name: Hotline, phone: '1-800-799-7233'}\n")
OFFICE = ("name: Office\nbrand: agency\nserves: [{{state: {state}, counties: [{county}]}}]\naddress: 1 Main St\n"
          "phone: '(706) 555-0110'\nfamily_violence_contact: {{name: Safety, phone: '(706) 555-0118'}}\n")
PROGRAM = """name: Class
provider: agency
description: A class.
audiences: [co-parents]
format: online
sessions:
  - {{start: 2027-01-12, weekday: Tuesday, time: '18:00-20:00', weeks: 6}}
registration:
  url: https://example.org/class
serves:
  - state: {state}
    counties: [{county}]
verified: 2026-11-01
"""


def project(root: Path, state: str, county: str, areas: dict[str, str] | None = None) -> Path:
    files = {"brands/agency.yaml": BRAND, "guidance/default.yaml": GUIDANCE,
             "offices/office.yaml": OFFICE.format(state=state, county=county),
             "programs/class.yaml": PROGRAM.format(state=state, county=county), **(areas or {})}
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "tipsheets.yaml").write_text("fictional_phone_numbers: allow\n")  # test content: 555-01xx numbers
    return root


def problems(root: Path) -> list[str]:
    catalog = load_project(root)
    assert not catalog.errors, [e.format() for e in catalog.errors]
    return [p.format() for p in check_project(catalog, AS_OF)]


@pytest.mark.parametrize("state, county", [
    ("LA", "Orleans"), ("LA", "'St. John the Baptist Parish'"), ("LA", "Saint Tammany"),
    ("AK", "Juneau"), ("AK", "Fairbanks North Star Borough"), ("AK", "Bethel Census Area"), ("AK", "Anchorage"),
    ("VA", "Alexandria City"), ("VA", "Fairfax"), ("VA", "Fairfax city"), ("MO", "Saint Louis"),
    ("MD", "Baltimore City"), ("NM", "Dona Ana"), ("IL", "La Salle"), ("GA", "De Kalb"), ("DC", "District of Columbia"),
    ("TX", "harris county"), ("NY", "Kings"), ("PR", "Bayamon"),
])
def test_county_names_are_checked_in_every_state_without_a_list_of_the_projects_own(
        tmp_path: Path, state: str, county: str) -> None:
    assert problems(project(tmp_path, state, county)) == []


@pytest.mark.parametrize("state, county, suggestion", [
    ("LA", "Orleens", "'Orleans Parish'"),
    ("AK", "Junea", "'Juneau City and Borough'"),
    ("VA", "Alexandria", "'Alexandria city'"),  # an independent city is written with "city"
    ("TX", "Hariss", "'Harris County'"),
    ("MO", "St. Lewis", "'St. Louis County'"),
])
def test_a_misspelt_county_is_an_error_with_the_census_name_in_the_hint(
        tmp_path: Path, state: str, county: str, suggestion: str) -> None:
    lines = problems(project(tmp_path, state, county))
    assert len(lines) == 2  # the program and the office
    assert all(f"serves[0].counties[0]: '{county}' is not a county of {state_name(state)} (hint: did you mean "
               in line and suggestion in line.partition("hint:")[2] for line in lines)
    assert not any("no county list" in line for line in lines)


def test_a_name_with_nothing_close_points_to_the_census_names(tmp_path: Path) -> None:
    lines = problems(project(tmp_path, "WY", "Zzyzx"))
    assert all("'Zzyzx' is not a county of Wyoming" in line and "as the Census names it" in line
               and "content/areas/WY.yaml" in line for line in lines)


def test_the_projects_own_list_replaces_the_census_list(tmp_path: Path) -> None:
    own = {"areas/LA.yaml": "state: LA\nname: Louisiana\ncounties: [Greater Orleans, Jefferson]\n"}
    assert problems(project(tmp_path / "own", "LA", "Greater Orleans", own)) == []
    lines = problems(project(tmp_path / "census", "LA", "Orleans", own))
    assert lines and all("'Orleans' is not a county of Louisiana" in line for line in lines)
    assert all("see content/areas/LA.yaml" in line or "did you mean" in line for line in lines)


def test_a_state_code_that_is_no_state_is_an_error(tmp_path: Path) -> None:
    lines = problems(project(tmp_path, "GE", "Clarke"))
    assert len(lines) >= 2
    assert all("serves[0].state: 'GE' is not the code of a US state, DC or territory" in line for line in lines[:2])
    assert all("(hint: use the two-letter postal code of a state, such as GA, or add content/areas/GE.yaml" in line
               for line in lines[:2])


def test_validate_refuses_a_misspelt_county_that_used_to_drop_a_program_silently(tmp_path: Path) -> None:
    root = project(tmp_path, "OH", "Frankln")
    command = [sys.executable, "-m", "tipsheets", "validate", "--project", str(root), "--as-of", "2026-11-25"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "'Frankln' is not a county of Ohio (hint: did you mean 'Franklin County'?)" in done.stderr
    assert "no county list" not in done.stderr
