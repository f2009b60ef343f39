"""Which programs serve an office: matching areas by state, county and ZIP code.

A program serves an office when one of its areas and one of the office's
areas are in the same state and the program's area covers the whole state,
or the two name a county in common (compared without regard to case or a
trailing "County"), or a ZIP code in common. An online program is taken at
its word for the state it names: it matches on state alone, because people
join from home.

Desk aids, referral cards, the checks and ``tipsheets list`` all use these
rules, so the programs a desk aid prints are exactly the ones ``list`` shows.

Status: desk aids list only the programs :func:`tipsheets.core.status.on_desk_aid`
allows (not ended or paused, and not left out by the office); a program not
taking referrals comes after the open ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from tipsheets.core.models import Area, Office, Program
from tipsheets.core.sessions import upcoming_sessions
from tipsheets.core.status import on_desk_aid


def county_key(name: str) -> str:
    """A county name for comparison: case-folded, spaces squeezed, without a trailing "County"."""
    key = " ".join(name.split()).casefold()
    for suffix in (" county", " parish"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key


def area_overlaps(program_area: Area, office_area: Area, *, online: bool = False) -> bool:
    """Whether a program's area reaches into an office's area."""
    if program_area.state != office_area.state:
        return False
    if online or program_area.statewide or office_area.statewide:
        return True
    counties = {county_key(c) for c in program_area.counties}
    if counties & {county_key(c) for c in office_area.counties}:
        return True
    return bool(set(program_area.zips) & set(office_area.zips))


def serves(program: Program, office: Office) -> bool:
    """Whether ``program`` serves the people of ``office``'s area."""
    online = program.format == "online"
    return any(area_overlaps(p, o, online=online) for p in program.serves for o in office.serves)


def programs_for(office: Office, programs: Iterable[Program], as_of: dt.date | None = None) -> list[Program]:
    """The programs a desk aid for ``office`` lists, in print order.

    Classes that meet in person (or hybrid) come first, then online ones; within
    each, the soonest next session first, then by name. Every serving program is
    listed, with or without an upcoming session (the desk aid says when none is
    scheduled); nothing is cut here.
    """
    chosen = [p for p in programs if serves(p, office) and on_desk_aid(p, office)]

    def order(program: Program) -> tuple[bool, bool, dt.date, str, str]:
        upcoming = upcoming_sessions(program, as_of) if as_of else []
        first = upcoming[0].start if upcoming else dt.date.max
        closed = program.status == "not-taking-referrals"  # still listed, so caseworkers know; after the open ones
        return (closed, program.format == "online", first, program.name.casefold(), program.id)

    return sorted(chosen, key=order)


def area_programs(area: Area, programs: Iterable[Program]) -> list[Program]:
    """The programs that serve ``area``: the office-area matching, applied to one area."""
    return [p for p in programs if any(area_overlaps(a, area, online=p.format == "online") for a in p.serves)]
