"""Which programs serve an area, looked up in an index instead of a scan of every program.

:func:`tipsheets.programs.serves` says whether one program serves one office. Asking it
for every office and every program costs offices × programs checks (about six million
for a national project). :func:`index_programs` files each program once under every
place it reaches: its counties and ZIP codes (per state), and its state where it covers
the whole state (``statewide: true``, or an online class, which matches on state alone).
:func:`serving` then looks up only the places an office names, so the work grows with
the size of the project, not with its square.

The answer is the same as the scan's, in the same order: :func:`serving` returns the
programs in the order they were given to :func:`index_programs`, and
:func:`office_programs` orders them with :func:`tipsheets.programs.programs_for`, as
before. Plain data and pure functions; build an index once per catalog and pass it on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from .counties import county_key
from .model import Area, Office, Program
from .programs import programs_for


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


def _add(table: dict, key: object, position: int) -> None:
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


def office_listings(offices: Iterable[Office], programs: Iterable[Program],
                    as_of: dt.date | None = None) -> dict[str, list[Program]]:
    """Office id → the programs its desk aid lists, in print order: one index, one lookup per office."""
    index = index_programs(programs)
    return {office.id: office_programs(index, office, as_of) for office in offices}
