"""Each program's calendar: parsed back with icalendar, the same bytes for the same build date, in the manifest."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.publish.clean import clean_output
from tipsheets.handouts.calendars import program_calendar
from tipsheets.project import load_project
from tipsheets.project.scaffold import init_project

from conftest import pdf_text, squash

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    init_project(root)
    path = root / "content/programs/co-parenting-basics.yaml"
    text = path.read_text()
    start, end = text.index("sessions:"), text.index("location:")
    path.write_text(text[:start] + (
        "sessions:\n"
        "  - start: 2026-10-06\n    weekday: Tuesday\n    time: \"18:00-20:00\"\n    weeks: 4\n"  # past
        "  - start: 2027-02-02\n    weekday: Tuesday\n    time: \"18:00-20:00\"\n    weeks: 4\n"
        "  - start: 2026-12-05\n    time: \"10:00-11:30\"\n    rrule: FREQ=MONTHLY;BYDAY=1SA;COUNT=3\n"
        "    language: es\n") + text[end:])
    return root


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_calendar_holds_the_upcoming_sessions(project: Path) -> None:
    program = load_project(project).get("programs", "co-parenting-basics").item
    data = program_calendar(program, AS_OF)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "tipsheets" in str(calendar["PRODID"])
    found = events(data)
    starts = [e.decoded("DTSTART") for e in found]
    assert starts == [dt.datetime(2026, 12, 5, 10, 0), dt.datetime(2027, 1, 2, 10, 0),
                      dt.datetime(2027, 2, 2, 18, 0), dt.datetime(2027, 2, 6, 10, 0)]
    course = found[2]
    assert course.decoded("DTEND") == dt.datetime(2027, 2, 2, 20, 0)
    assert course["RRULE"]["FREQ"] == ["WEEKLY"] and course["RRULE"]["COUNT"] == [4]
    assert "RRULE" not in found[0]
    assert str(course["SUMMARY"]) == "Co-Parenting Basics"
    assert str(course["LOCATION"]) == "Riverbend Community Room, 100 Main Street, Athens, GA 30601"
    assert str(course["URL"]) == "https://example.org/classes"
    assert "Taught in Spanish" in str(found[0]["DESCRIPTION"])
    # no clock: the stamp is the build date; the ids are made of the session, so they do not move
    assert {e.decoded("DTSTAMP") for e in found} == {dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)}
    assert str(course["UID"]) == "co-parenting-basics-20270202-1800-en@tipsheets"
    assert len({str(e["UID"]) for e in found}) == 4
    assert program_calendar(program, AS_OF) == data
    later = program_calendar(program, dt.date(2027, 1, 10))
    assert [str(e["UID"]) for e in events(later)] == [str(e["UID"]) for e in found[2:]]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href"]


def test_the_build_writes_it_with_the_flyer_reproducibly(project: Path, tmp_path: Path) -> None:
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf", "html"), gallery=False,
                               programs=("co-parenting-basics",)))
        assert not result.failed, [o.errors for o in result.failed]
        outs.append(out)
    first, second = ((out / "calendars/co-parenting-basics.ics").read_bytes() for out in outs)
    assert first == second and first.startswith(b"BEGIN:VCALENDAR")
    manifest = json.loads((outs[0] / ".tipsheets-manifest.json").read_text())
    assert "calendars/co-parenting-basics.ics" in manifest["targets"]["flyers/co-parenting-basics"]["files"]
    # linked from the web page, and named on the printed flyer
    links = _Links()
    links.feed((outs[0] / "flyers/co-parenting-basics.html").read_text())
    assert "../calendars/co-parenting-basics.ics" in links.hrefs
    # a path on paper leads nowhere: the printed flyer names the calendar only at the address the site gives
    printed = squash(pdf_text(outs[0] / "flyers/co-parenting-basics.pdf"))
    assert "calendars/" not in printed and "Calendar" not in printed
    # another build date, other bytes; and clean removes it
    build(Options(project=project, out_dir=outs[1], as_of=dt.date(2026, 12, 10), formats=("pdf", "html"),
                  gallery=False, programs=("co-parenting-basics",)))
    assert (outs[1] / "calendars/co-parenting-basics.ics").read_bytes() != first
    clean_output(outs[0])
    assert not (outs[0] / "calendars/co-parenting-basics.ics").exists()


def test_the_printed_flyer_gives_the_calendar_address_where_the_site_is_published(project: Path,
                                                                                   tmp_path: Path) -> None:
    settings = project / "tipsheets.yaml"
    settings.write_text(settings.read_text() + "site_url: https://classes.example.org/handouts/\n")
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf",), gallery=False,
                           programs=("co-parenting-basics",)))
    assert not result.failed, [o.errors for o in result.failed]
    printed = squash(pdf_text(out / "flyers/co-parenting-basics.pdf"))
    assert "Calendar: classes.example.org/handouts/calendars/co-parenting-basics.ics" in printed
