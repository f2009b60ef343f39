"""Area matching, upcoming sessions, provider dominance, addresses and phone numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from tipsheets.core.models import Office, Program
from tipsheets.core.areas import programs_for, serves
from tipsheets.core.contact import is_web_address, parse_phone, short_address
from tipsheets.core.sessions import upcoming_sessions
from tipsheets.handouts.desk_aid import dominant_provider

AS_OF = dt.date(2026, 11, 25)


def program(id: str = "p", *, provider: str = "prov", format: str = "in-person", serves: list | None = None,
            sessions: list | None = None) -> Program:
    data = {
        "id": id, "name": id.title(), "provider": provider, "description": "A class.",
        "audiences": ["co-parents"], "format": format,
        "sessions": sessions or [], "registration": {"url": f"https://example.org/{id}"},
        "serves": serves or [{"state": "GA", "counties": ["Clarke"]}], "verified": "2026-11-01",
    }
    if format != "online":
        data["location"] = {"name": "Hall", "address": "1 Main St", "city": "Athens", "state": "GA", "zip": "30601"}
    return Program.model_validate(data)


def office(serves: list) -> Office:
    return Office.model_validate({
        "id": "o", "name": "Office", "brand": "b", "serves": serves, "address": "1 Main St", "phone": "(706) 555-0110",
        "family_violence_contact": {"name": "Safety"},
    })


CLARKE = office([{"state": "GA", "counties": ["Clarke", "Oconee"]}])


@pytest.mark.parametrize("area, expected", [
    ({"state": "GA", "counties": ["clarke"]}, True),  # case-insensitive
    ({"state": "GA", "counties": ["Oconee County"]}, True),  # a trailing "County" is ignored
    ({"state": "GA", "counties": ["Fulton"]}, False),
    ({"state": "NE", "counties": ["Clarke"]}, False),  # same name, other state
    ({"state": "GA", "statewide": True}, True),
    ({"state": "NE", "statewide": True}, False),
])
def test_serves_by_county_and_state(area: dict, expected: bool) -> None:
    assert serves(program(serves=[area]), CLARKE) is expected


def test_serves_by_zip() -> None:
    by_zip = office([{"state": "GA", "zips": ["30601", "30605"]}])
    assert serves(program(serves=[{"state": "GA", "zips": ["30605"]}]), by_zip)
    assert not serves(program(serves=[{"state": "GA", "zips": ["30303"]}]), by_zip)


def test_online_program_matches_by_state() -> None:
    online = program(format="online", serves=[{"state": "GA", "counties": ["Fulton"]}])
    assert serves(online, CLARKE)
    assert not serves(program(format="online", serves=[{"state": "NE", "statewide": True}]), CLARKE)


def sessions(*starts: str) -> list[dict]:
    return [{"start": s, "weekday": dt.date.fromisoformat(s).strftime("%A"), "time": "18:00-20:00", "weeks": 6}
            for s in starts]


def test_upcoming_sessions_are_future_sorted_and_limited() -> None:
    p = program(sessions=sessions("2027-03-02", "2026-09-15", "2026-11-25", "2027-01-12"))
    assert [s.start.isoformat() for s in upcoming_sessions(p, AS_OF)] == ["2026-11-25", "2027-01-12", "2027-03-02"]
    assert [s.start.isoformat() for s in upcoming_sessions(p, AS_OF, 2)] == ["2026-11-25", "2027-01-12"]
    assert upcoming_sessions(program(sessions=sessions("2026-09-15")), AS_OF) == []


def test_programs_for_orders_local_first_then_soonest() -> None:
    late = program("late", sessions=sessions("2027-03-02"))
    soon = program("soon", sessions=sessions("2027-01-12"))
    web = program("web", format="online", serves=[{"state": "GA", "statewide": True}], sessions=sessions("2026-12-01"))
    away = program("away", serves=[{"state": "GA", "counties": ["Fulton"]}])
    assert [p.id for p in programs_for(CLARKE, [web, late, away, soon], AS_OF)] == ["soon", "late", "web"]


def test_dominant_provider_needs_more_than_half() -> None:
    a, b, c = program("a", provider="x"), program("b", provider="x"), program("c", provider="y")
    assert dominant_provider([a, b, c]) == "x"
    assert dominant_provider([a, c]) is None
    assert dominant_provider([c]) == "y"
    assert dominant_provider([]) is None


@pytest.mark.parametrize("url, short", [
    ("https://oconeeriver-re.org/kids", "oconeeriver-re.org/kids"),
    ("http://example.org/", "example.org"),
    ("https://example.org/a/", "example.org/a/"),
])
def test_short_address(url: str, short: str) -> None:
    assert short_address(url) == short


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/x", True), ("http://example.org", True), ("ftp://example.org", False),
    ("example.org", False), ("javascript:alert(1)", False), ("https://exa mple.org", False),
    ("https://localhost", False),
])
def test_is_web_address(url: str, ok: bool) -> None:
    assert is_web_address(url) is ok


@pytest.mark.parametrize("text, shown", [
    ("(706) 555-0110", "(706) 555-0110"),
    ("706.555.0110", "(706) 555-0110"),
    ("+1 402 555 0130", "(402) 555-0130"),
    ("1-800-799-7233", "1-800-799-7233"),
    ("(402) 555-0130 ext. 12", "(402) 555-0130 ext. 12"),
    ("555-0110", None),
    ("(106) 555-0110", None),
    ("1-800-FLOWERS", "1-800-FLOWERS"),  # a number that spells a word: printed with its letters
    ("(911) 555-0110", None),  # not an area code
    ("+44 20 7946 0958", None),
])
def test_parse_phone(text: str, shown: str | None) -> None:
    phone = parse_phone(text)
    assert (phone.display if phone else None) == shown
