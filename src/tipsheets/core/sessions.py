"""When classes meet: upcoming sessions, last meetings and times (pure functions).

A session is upcoming when it starts on or after the build date. Past sessions
are never printed. A session written as a recurrence or a list of dates stands
for one session per meeting (see :mod:`tipsheets.core.schedules`).
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.models import Program
from tipsheets.core.schedules import Occurrence, occurrences

#: how many upcoming sessions a flyer lists (it has room for more than a desk aid)
FLYER_SESSIONS = 4


def all_sessions(program: Program) -> list[Occurrence]:
    """Every run of the program's classes, past and future, soonest first."""
    return sorted((o for s in program.sessions for o in occurrences(s)), key=lambda o: (o.start, o.time))


def upcoming_sessions(program: Program, as_of: dt.date, limit: int | None = None) -> list[Occurrence]:
    """Sessions starting on or after ``as_of``, soonest first, at most ``limit`` of them."""
    sessions = [o for o in all_sessions(program) if o.start >= as_of]
    return sessions[:limit] if limit is not None else sessions


def last_meeting(session: Occurrence) -> dt.date:
    """The date of a session's last weekly meeting (its only one, for a single meeting)."""
    return session.start + dt.timedelta(weeks=session.weeks - 1)


def session_times(session: Occurrence) -> tuple[dt.time, dt.time]:
    start, end = session.time.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)
