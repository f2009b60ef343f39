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
from typing import Iterable, TypeVar

from dataclasses import dataclass, field

from tipsheets.core.catalog import Catalog
from tipsheets.core.counties import county_key
from tipsheets.core.models import Area, Office, Program
from tipsheets.core.sessions import upcoming_sessions
from tipsheets.core.status import on_desk_aid

#: a key of one of the index's tables: a state, or (state, county) or (state, ZIP code)
K = TypeVar("K")


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


def distance(program: Program, office: Office) -> int:
    """How near a program is to the people of ``office``: 0 for a class that meets in a county or ZIP code the
    office serves, 1 for one that meets somewhere in the state (it covers the whole state, or the office does),
    2 for an online class."""
    if program.format == "online":
        return 2
    for p in program.serves:
        for o in office.serves:
            if p.state != o.state or p.statewide or o.statewide:
                continue
            if {county_key(c) for c in p.counties} & {county_key(c) for c in o.counties} or set(p.zips) & set(o.zips):
                return 0
    return 1


def programs_for(office: Office, programs: Iterable[Program], as_of: dt.date | None = None) -> list[Program]:
    """The programs a desk aid for ``office`` lists, in print order: the nearest first, then the soonest.

    Classes that meet in the office's own counties or ZIP codes come first, then
    those that take parents from anywhere in the state, then online ones (see
    :func:`distance`); within each, the soonest next session first, then by
    name. A program not taking referrals comes after all the open ones. Every
    serving program is listed, with or without an upcoming session (the desk aid
    says when none is scheduled); nothing is cut here. When they do not all fit
    on the page, the desk aid prints the first of them (see
    :mod:`tipsheets.handouts.desk_aid`).
    """
    chosen = [p for p in programs if serves(p, office) and on_desk_aid(p, office)]

    def order(program: Program) -> tuple[bool, int, dt.date, str, str]:
        upcoming = upcoming_sessions(program, as_of) if as_of else []
        first = upcoming[0].start if upcoming else dt.date.max
        closed = program.status == "not-taking-referrals"  # still listed, so caseworkers know; after the open ones
        return (closed, distance(program, office), first, program.name.casefold(), program.id)

    return sorted(chosen, key=order)


# --------------------------------------------------------------------------- the index by area
#
# Asking :func:`serves` for every office and every program costs offices × programs
# checks (about six million for a national project). :func:`index_programs` files each
# program once under every place it reaches: its counties and ZIP codes (per state), and
# its state where it covers the whole state (``statewide: true``, or an online class,
# which matches on state alone). :func:`serving` then looks up only the places an office
# names, so the work grows with the size of the project, not with its square. The answer
# is the same as the scan's, in the same order.


@dataclass(frozen=True)
class AreaIndex:
    """Programs filed under the places they reach; each place maps to positions in :attr:`programs`."""

    programs: tuple[Program, ...]
    #: state → programs with any area in the state (an office area that covers the whole state gets them all)
    in_state: dict[str, list[int]] = field(default_factory=dict)
    #: state → programs that cover the whole state: a statewide area, or an online class with an area there
    whole_state: dict[str, list[int]] = field(default_factory=dict)
    #: (state, county_key) → programs that name the county
    by_county: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: (state, ZIP code) → programs that name the ZIP code
    by_zip: dict[tuple[str, str], list[int]] = field(default_factory=dict)


def index_programs(programs: Iterable[Program]) -> AreaIndex:
    """File every program under each state, county and ZIP code its areas name."""
    index = AreaIndex(tuple(programs))
    for position, program in enumerate(index.programs):
        online = program.format == "online"
        for area in program.serves:
            _add(index.in_state, area.state, position)
            if online or area.statewide:
                _add(index.whole_state, area.state, position)
            for county in area.counties:
                _add(index.by_county, (area.state, county_key(county)), position)
            for zip_code in area.zips:
                _add(index.by_zip, (area.state, zip_code), position)
    return index


def _add(table: dict[K, list[int]], key: K, position: int) -> None:
    positions = table.setdefault(key, [])
    if not positions or positions[-1] != position:  # a program naming a place twice is filed once
        positions.append(position)


def serving(index: AreaIndex, areas: Iterable[Area]) -> list[Program]:
    """The programs that serve any of ``areas``, in the order the index was given them.

    Exactly ``[p for p in programs if any(area_overlaps(a, area, online=p.format == "online")
    for a in p.serves for area in areas)]``, without looking at the programs that cannot.
    """
    found: set[int] = set()
    for area in areas:
        if area.statewide:
            found.update(index.in_state.get(area.state, ()))
            continue
        found.update(index.whole_state.get(area.state, ()))
        for county in area.counties:
            found.update(index.by_county.get((area.state, county_key(county)), ()))
        for zip_code in area.zips:
            found.update(index.by_zip.get((area.state, zip_code), ()))
    return [index.programs[position] for position in sorted(found)]


def office_programs(index: AreaIndex, office: Office, as_of: dt.date | None = None) -> list[Program]:
    """The programs a desk aid for ``office`` lists, in print order: :func:`programs_for` over the index."""
    return programs_for(office, serving(index, office.serves), as_of)


def catalog_index(catalog: Catalog) -> AreaIndex:
    """The catalog's programs, indexed by area: made once per catalog, kept with it."""
    return catalog.derived("area index", lambda: index_programs(catalog.items("programs")))


def listed_for(catalog: Catalog, office: Office, as_of: dt.date) -> list[Program]:
    """What ``office``'s desk aid lists (in print order), worked out once per catalog, office and date."""
    return catalog.derived(("listed", office.id, as_of), lambda: office_programs(catalog_index(catalog), office, as_of))


def program_states(catalog: Catalog, path: str) -> set[str] | None:
    """The states a program file's classes serve, as far as they can be read (even from a file with an
    error); None when they cannot be told (the file may serve anywhere)."""
    for entry in catalog.of("programs"):
        if entry.path == path:
            return {area.state for area in entry.item.serves}
    data = catalog.unusable.get(path)
    serves = data.get("serves") if isinstance(data, dict) else None
    if not isinstance(serves, list) or not serves:
        return None
    states = set()
    for area in serves:
        state = area.get("state") if isinstance(area, dict) else None
        if not isinstance(state, str) or not state.strip():
            return None
        states.add(state.strip().upper())
    return states


def program_files_that_may_serve(catalog: Catalog, files: Iterable[str],
                                 states: Iterable[str]) -> dict[str, set[str] | None]:
    """Of ``files`` (program files as shown), those whose classes may serve one of ``states``, with the states
    they serve (None: cannot be told)."""
    wanted = set(states)
    out = {}
    for path in files:
        served = program_states(catalog, path)
        if served is None or served & wanted:
            out[path] = served
    return out
