"""Recurring sessions: RFC 5545 rules and lists of dates, expanded, bounded, and printed after the build date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.core.models import Program
from tipsheets.core.sessions import upcoming_sessions
from tipsheets.project.scaffold import init_project
from tipsheets.core.schedules import MAX_DATES, RuleError, rule_dates

from conftest import pdf_text, squash

D = dt.date


def dates(rule: str, start: dt.date, exdates: tuple = ()) -> list[str]:
    return [d.isoformat() for d in rule_dates(rule, start, exdates)]


def test_weekly_with_count() -> None:
    assert dates("FREQ=WEEKLY;BYDAY=TU;COUNT=6", D(2027, 1, 12)) == [
        "2027-01-12", "2027-01-19", "2027-01-26", "2027-02-02", "2027-02-09", "2027-02-16"]


def test_every_other_week() -> None:
    assert dates("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=4", D(2027, 1, 7)) == [
        "2027-01-07", "2027-01-21", "2027-02-04", "2027-02-18"]


def test_monthly_by_weekday_until() -> None:
    assert dates("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270630", D(2027, 1, 1)) == [
        "2027-01-09", "2027-02-13", "2027-03-13", "2027-04-10", "2027-05-08", "2027-06-12"]
    assert dates("freq=monthly;byday=-1fr;until=20270331T235959Z", D(2027, 1, 1)) == [
        "2027-01-29", "2027-02-26", "2027-03-26"]


def test_exdates_are_left_out() -> None:
    assert dates("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", D(2027, 1, 4), (D(2027, 1, 6),)) == [
        "2027-01-04", "2027-01-11", "2027-01-13"]


@pytest.mark.parametrize("rule, words", [
    ("FREQ=WEEKLY;BYDAY=TU", "the rule has no end (hint: add COUNT=6"),
    ("FREQ=DAILY;COUNT=1000", f"the rule yields more than {MAX_DATES} dates"),
    ("FREQ=DAILY;UNTIL=21270101", f"the rule yields more than {MAX_DATES} dates"),
    ("FREQ=HOURLY;COUNT=3", "FREQ=HOURLY is not allowed"),
    ("FREQ=WEEKLY;BYHOUR=18;COUNT=3", "the rule part BYHOUR is not supported (hint: the session's time"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "the rule gives both COUNT and UNTIL"),
    ("BYDAY=TU;COUNT=3", "the rule has no FREQ"),
    ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "the rule cannot be read"),
    ("FREQ=WEEKLY;COUNT", "'COUNT' is not a rule part"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "the rule yields no date"),
])
def test_unusable_rules_are_refused_in_plain_words(rule: str, words: str) -> None:
    with pytest.raises(RuleError) as caught:
        rule_dates(rule, D(2027, 1, 12), ())
    assert words in str(caught.value)


def _project(tmp_path: Path, sessions: str) -> Path:
    root = tmp_path / "project"
    init_project(root)
    path = root / "content/programs/co-parenting-basics.yaml"
    text = path.read_text()
    start, end = text.index("sessions:"), text.index("location:")
    path.write_text(text[:start] + sessions + text[end:])
    return root


def test_a_bad_rule_is_reported_at_its_field(tmp_path: Path) -> None:
    root = _project(tmp_path, "sessions:\n  - start: 2027-01-12\n    time: \"18:00-20:00\"\n"
                              "    rrule: FREQ=WEEKLY;BYDAY=TU\n")
    catalog = load_project(root)
    (error,) = catalog.errors
    line = error.format()
    assert line.startswith("content/programs/co-parenting-basics.yaml:")
    assert ": sessions[0].rrule: the rule has no end (hint: add COUNT=6" in line
    assert line.count("hint:") == 1


def test_a_session_in_no_form_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path, "sessions:\n  - start: 2027-01-12\n    time: \"18:00-20:00\"\n")
    (error,) = load_project(root).errors
    assert "sessions[0]: a session needs weekday and weeks (a weekly course), or start and an rrule" in error.format()


def test_upcoming_sessions_are_the_rule_dates_on_or_after_the_build_date() -> None:
    program = Program.model_validate({
        "id": "p", "name": "P", "provider": "x", "description": "A class.", "audiences": ["co-parents"],
        "format": "online", "registration": {"url": "https://example.org/p"},
        "serves": [{"state": "GA", "statewide": True}], "verified": "2026-11-01",
        "sessions": [
            {"start": "2026-11-03", "time": "18:00-20:00", "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
             "exdates": ["2026-12-01"]},
            {"dates": ["2026-12-05", "2026-11-21"], "time": "10:00-12:00", "language": "es"},
            {"start": "2027-01-12", "weekday": "Tuesday", "time": "18:00-20:00", "weeks": 6},
        ],
    })
    upcoming = upcoming_sessions(program, D(2026, 11, 25))
    assert [(s.start.isoformat(), s.weeks, s.language) for s in upcoming] == [
        ("2026-12-05", 1, "es"), ("2026-12-08", 1, "en"), ("2027-01-12", 6, "en")]


def test_flyer_and_desk_aid_print_the_next_meetings_a_rule_yields(tmp_path: Path) -> None:
    root = _project(tmp_path, "sessions:\n  - start: 2026-11-05\n    time: \"18:00-19:30\"\n"
                              "    rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=8\n")
    out = tmp_path / "out"
    result = build(Options(project=root, out_dir=out, as_of=D(2026, 11, 25), formats=("pdf",), gallery=False))
    assert not result.failed, [o.errors for o in result.failed]
    flyer = squash(pdf_text(out / "flyers/co-parenting-basics.pdf"))
    # Nov 5 and 19 are past; the next four of every other Thursday follow
    assert "Nov 19" not in flyer
    for day in ("Thu, Dec 3", "Thu, Dec 17", "Thu, Dec 31", "Thu, Jan 14"):
        assert day in flyer
    assert "weeks" not in flyer.split("Upcoming classes")[1].split("Save your seat")[0]
    desk = squash(pdf_text(out / "desk-aids/riverbend-county.pdf"))
    assert "Thu, Dec 3" in desk and "Thu, Dec 17" in desk and "6:00–7:30 PM" in desk
    cards = squash(pdf_text(out / "cards/riverbend-county.pdf"))
    assert "Next class: Thu, Dec 3, 2026, 6:00–" in cards
