"""A program's upcoming sessions as an iCalendar file (RFC 5545), for parents' phones and computers.

``output/calendars/<program>.ics`` is written with the program's flyer (it is
one of the flyer's files in the manifest, so ``tipsheets clean`` removes it),
and the flyer links to it. One event per upcoming session, as the flyer lists
them: a weekly course is one event repeating weekly (``RRULE:FREQ=WEEKLY;COUNT=n``),
a meeting from a recurrence or a list of dates is one event of its own.

The file is the same byte for byte for the same program and build date:

- ``DTSTAMP`` is the build date (``--as-of`` or ``SOURCE_DATE_EPOCH``) at
  midnight UTC, never the clock;
- each ``UID`` is made from the program id, the session's first date, start
  time and language, so a calendar that imported the file recognises the same
  session on the next download;
- events are in date order.

Times are *floating* (no time zone): a class meets at 6 pm wall-clock time
where it is held, and every calendar shows it at 6 pm. That avoids guessing a
time zone from a state, several of which span two.
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.models import Program
from tipsheets.core.sessions import session_times, upcoming_sessions
from tipsheets.render.i18n import language_name

FOLDER = "calendars"
PRODID = "-//tipsheets//Program calendar//EN"


def calendar_path(program: Program) -> str:
    """Where the calendar goes, relative to the output folder: ``calendars/<id>.ics``."""
    return f"{FOLDER}/{program.id}.ics"


def calendar_link(program: Program) -> str:
    """The calendar's address as a flyer links and prints it (relative to the output folder)."""
    return calendar_path(program)


def _where(program: Program) -> str:
    if program.location is None:
        return "Online"
    place = program.location
    text = f"{place.name}, {place.address}, {place.city}, {place.state} {place.zip}"
    return text + (" (or online)" if program.format == "hybrid" else "")


def _description(program: Program, language: str) -> str:
    lines = [f"Sign up: {program.registration.url}"]
    if program.registration.phone:
        lines.append(f"Call: {program.registration.phone}")
    if language != "en":
        lines.append(f"Taught in {language_name(language)}.")
    return "\n".join(lines)


def program_calendar(program: Program, as_of: dt.date) -> bytes:
    """The program's sessions that start on or after ``as_of``, as the bytes of one ``.ics`` file."""
    from icalendar import Calendar, Event  # imported when first needed: slow to import, and not every command needs it

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", program.name)
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc)
    for session in upcoming_sessions(program, as_of):
        begins, ends = session_times(session)
        event = Event()
        event.add("uid", f"{program.id}-{session.start:%Y%m%d}-{begins:%H%M}-{session.language}@tipsheets")
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(session.start, begins))
        event.add("dtend", dt.datetime.combine(session.start, ends))
        if session.weeks > 1:
            event.add("rrule", {"freq": "weekly", "count": session.weeks})
        event.add("summary", program.name)
        event.add("location", _where(program))
        event.add("description", _description(program, session.language))
        event.add("url", program.registration.url)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def calendar_files(program: Program, as_of: dt.date) -> dict[str, bytes]:
    """The files a program's flyer writes besides its PDF and HTML: its calendar."""
    return {calendar_path(program): program_calendar(program, as_of)}

