"""The by-area index of programs gives exactly the programs, in exactly the order, of a scan of every program."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipsheets.core.areas import index_programs, listed_for, office_programs, serving
from tipsheets.project import load_project
from tipsheets.handouts.edition import classes_programs
from tipsheets.core.models import Area, Edition, Office, Program
from tipsheets.core.areas import area_overlaps, programs_for, serves

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 25)


def scan(programs: list[Program], areas: list[Area]) -> list[Program]:
    """What the index must equal: every program checked against every area, in the given order."""
    return [p for p in programs
            if any(area_overlaps(a, area, online=p.format == "online") for a in p.serves for area in areas)]


# --------------------------------------------------------------------------- generated national data


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("national", REPO / "benchmarks" / "national.py")
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # its dataclasses look their module up
    spec.loader.exec_module(generator)
    root = tmp_path_factory.mktemp("national") / "project"
    generator.generate(root, scale=0.06, seed=3)
    return root


def test_index_equals_the_scan_on_a_national_project(national: Path) -> None:
    catalog = load_project(national)
    assert not catalog.errors
    programs, offices = catalog.items("programs"), catalog.items("offices")
    assert len(offices) >= 150 and len(programs) >= 100
    index = index_programs(programs)
    listed = {office.id: listed_for(catalog, office, AS_OF) for office in offices}
    lengths = set()
    for office in offices:
        expected = programs_for(office, programs, AS_OF)
        assert serving(index, office.serves) == [p for p in programs if serves(p, office)]
        assert office_programs(index, office, AS_OF) == expected
        assert listed[office.id] == expected
        lengths.add(len(expected))
    assert len(lengths) > 2  # offices with few and with many programs, not one shape
    for entry in catalog.of("editions"):
        edition: Edition = entry.item
        assert edition.classes is not None and edition.classes.area is not None
        assert {p.id for p in classes_programs(catalog, edition)} == \
            {p.id for p in scan(programs, [edition.classes.area])}


# --------------------------------------------------------------------------- random areas

STATES = ["GA", "LA", "AK", "VA"]
COUNTIES = ["Clarke", "DeKalb", "St. Louis", "Orleans", "Juneau", "Richmond"]
ZIPS = ["30601", "30605", "70112", "99801"]


@st.composite
def county_names(draw: st.DrawFn) -> str:
    """A county as people write it: any letter case, with or without a trailing word for its kind."""
    name = draw(st.sampled_from(COUNTIES))
    name = draw(st.sampled_from([name, name.upper(), name.lower(), name.title(), f"  {name} "]))
    suffix = draw(st.sampled_from(["", " County", " county", " Parish", " COUNTY", " city"]))
    return name + suffix


@st.composite
def areas(draw: st.DrawFn) -> dict:
    area: dict = {"state": draw(st.sampled_from(STATES))}
    if draw(st.integers(0, 5)) == 0:
        area["statewide"] = True
    area["counties"] = draw(st.lists(county_names(), max_size=3))
    area["zips"] = draw(st.lists(st.sampled_from(ZIPS), max_size=2))
    if not (area.get("statewide") or area["counties"] or area["zips"]):
        area["zips"] = [ZIPS[0]]
    return area


def _program(n: int, data: dict) -> Program:
    fields = {
        "id": f"p{n}", "name": data["name"], "provider": "prov", "description": "A class.",
        "audiences": ["co-parents"], "format": data["format"], "sessions": data["sessions"],
        "registration": {"url": f"https://example.org/{n}"}, "serves": data["serves"], "verified": "2026-11-01",
    }
    if data["format"] != "online":
        fields["location"] = {"name": "Hall", "address": "1 Main St", "city": "Athens", "state": "GA",
                              "zip": "30601"}
    return Program.model_validate(fields)


def _sessions(weeks: list[int]) -> list[dict]:
    start = dt.date(2026, 11, 2)  # a Monday
    return [{"start": start + dt.timedelta(weeks=w), "weekday": "Monday", "time": "18:00-20:00", "weeks": 4}
            for w in weeks]


programs_data = st.lists(st.fixed_dictionaries({
    "name": st.sampled_from(["Apart", "together", "Kids First", "kids first"]),
    "format": st.sampled_from(["in-person", "hybrid", "online"]),
    "serves": st.lists(areas(), min_size=1, max_size=3),
    "sessions": st.lists(st.integers(0, 12), max_size=2).map(_sessions),
}), max_size=12)


@settings(max_examples=300, deadline=None)
@given(programs_data, st.lists(st.lists(areas(), min_size=1, max_size=3), min_size=1, max_size=4))
def test_index_equals_the_scan_for_random_areas(data: list[dict], office_areas: list[list[dict]]) -> None:
    programs = [_program(n, d) for n, d in enumerate(data)]
    index = index_programs(programs)
    for n, served in enumerate(office_areas):
        office = Office.model_validate({
            "id": f"o{n}", "name": "Office", "brand": "b", "serves": served, "address": "1 Main St",
            "phone": "(706) 555-0110", "family_violence_contact": {"name": "Safety"}})
        assert serving(index, office.serves) == [p for p in programs if serves(p, office)]
        assert office_programs(index, office, AS_OF) == programs_for(office, programs, AS_OF)
        for area in office.serves:  # an edition's classes box looks one area up
            assert serving(index, [area]) == scan(programs, [area])


def test_a_program_is_listed_once_however_many_of_its_areas_match() -> None:
    program = _program(1, {"name": "Twice", "format": "in-person", "sessions": [], "serves": [
        {"state": "GA", "counties": ["Clarke", "clarke county"], "zips": ["30601"]},
        {"state": "GA", "statewide": True}]})
    office = Office.model_validate({
        "id": "o", "name": "Office", "brand": "b", "address": "1 Main St", "phone": "(706) 555-0110",
        "family_violence_contact": {"name": "Safety"},
        "serves": [{"state": "GA", "counties": ["Clarke"], "zips": ["30601"]}, {"state": "GA", "statewide": True}]})
    assert serving(index_programs([program]), office.serves) == [program]
