"""When classes meet: upcoming sessions, last meetings and times (pure functions).

A session is upcoming when it starts on or after the build date. Past sessions
are never printed.
"""

from __future__ import annotations

import datetime as dt

from tipsheets.core.models import Program, Session

#: how many upcoming sessions a flyer lists (it has room for more than a desk aid)
FLYER_SESSIONS = 4


def upcoming_sessions(program: Program, as_of: dt.date, limit: int | None = None) -> list[Session]:
    """Sessions starting on or after ``as_of``, soonest first, at most ``limit`` of them."""
    sessions = sorted((s for s in program.sessions if s.start >= as_of), key=lambda s: (s.start, s.time))
    return sessions[:limit] if limit is not None else sessions


def last_meeting(session: Session) -> dt.date:
    """The date of a session's last weekly meeting."""
    return session.start + dt.timedelta(weeks=session.weeks - 1)


def session_times(session: Session) -> tuple[dt.time, dt.time]:
    start, end = session.time.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)
