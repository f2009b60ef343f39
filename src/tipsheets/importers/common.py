"""What every importer hands on: programs as plain data, where each value came from, and the checks.

An importer reads its source into :class:`Incoming` records: the program's
fields as the source gives them, the provider, and a way to name the place in
the source any field came from (``row 7, column "Start date"`` in a
spreadsheet, ``services[3] (id 9f2...).schedules[0].byday`` in HSDS).
:func:`check_incoming` validates each record as a program, and runs the checks
``tipsheets validate`` would run on the file it becomes (web address, phone,
counties), so every problem is reported against the source, one line each,
before anything is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tipsheets.core.catalog import Catalog
from tipsheets.core.models import Program
from tipsheets.core.counties import county_key
from tipsheets.core.contact import is_web_address
from tipsheets.core.source import ContentError, FieldPath

#: the audiences a program gets when its source does not say (written once; then the file's own)
DEFAULT_AUDIENCES = ["co-parents", "separated-or-divorced-parents", "never-married-parents"]


class SourceError(ContentError):
    """A bad value in an import source: ``file: where: message (hint: ...)``, one line."""

    def __init__(self, file: str, where: str, message: str, *, hint: str = "") -> None:
        self.where = where
        super().__init__(file, message, hint=hint, field=where)

    def format(self) -> str:
        text = f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())


class SourceErrors(Exception):
    """Every problem found in a source; nothing is written when there is one."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("\n".join(e.format() for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Provider:
    """The organisation that runs a program, as the source describes it."""

    name: str
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    address: str | None = None


@dataclass
class Incoming:
    """One program as a source gives it."""

    #: the record's own id in the source (the HSDS service id, the ID column, or name and provider)
    key: str
    #: the program id (file name) to use when the program is new
    id: str
    #: program fields the source gives, as plain data (the provider is filled in from ``provider``)
    data: dict[str, Any]
    provider: Provider
    #: field path → where it came from in the source, for messages
    locate: Callable[[FieldPath], str]
    #: fields written only when the file is created, because the source does not give them
    seeds: dict[str, Any] = field(default_factory=dict)
    #: things the source says that the program could not carry, printed as warnings
    notes: list[str] = field(default_factory=list)


def slug(text: str, limit: int = 80) -> str:
    """Lower-case words joined by hyphens, accents dropped: "Niños & Familias" → "ninos-familias"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0] if "-" in words[:limit] else words[:limit]
    return words.strip("-")


def provider_id(provider: Provider, catalog: Catalog) -> str:
    """An existing brand with the provider's name, else the name as an id."""
    wanted = " ".join(provider.name.split()).casefold()
    for entry in catalog.of("brands"):
        names = {entry.item.name.casefold(), entry.item.short_name.casefold()}
        if wanted in names or slug(provider.name) == entry.id:
            return entry.id
    return slug(provider.name) or "provider"


def canonical(value: Any) -> Any:
    """A value as compared and digested: dates as ISO text, whole floats as ints, nothing empty."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def check_incoming(incoming: Incoming, provider: str, catalog: Catalog, file: str) -> list[ContentError]:
    """Every problem with one incoming program, each pointing into the source."""
    data = {**incoming.seeds, **incoming.data, "id": incoming.id, "provider": provider}
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        return [_pydantic_error(error, incoming, file) for error in exc.errors(include_url=False)]
    errors: list[ContentError] = []

    def bad(path: FieldPath, message: str, hint: str = "") -> None:
        errors.append(SourceError(file, incoming.locate(path), message, hint=hint))

    if not is_web_address(program.registration.url):
        bad(("registration", "url"), f"'{program.registration.url}' is not a web address",
            "give a full address starting with https://, such as https://example.org/classes")
    for i, area in enumerate(program.serves):
        county_list = catalog.county_list(area.state)
        if county_list is None:
            continue
        known = {county_key(c): c for c in county_list.item.counties}
        for j, county in enumerate(area.counties):
            if county_key(county) in known:
                continue
            close = difflib.get_close_matches(county_key(county), list(known), n=3, cutoff=0.6)
            hint = (f"did you mean {' or '.join(repr(known[c]) for c in close)}?" if close
                    else f"see {county_list.path} for the county names")
            bad(("serves", i, "counties", j), f"'{county}' is not a county of {county_list.item.name}", hint)
    return errors


def _pydantic_error(error: ErrorDetails, incoming: Incoming, file: str) -> SourceError:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and (part[:1].isupper() or "[" in part)))
    kind = error["type"]
    message = " ".join(str(error["msg"]).split())
    hint = ""
    if kind == "missing":
        return SourceError(file, incoming.locate(loc), "is empty, and a program needs it")
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
        head, sep, tail = message.rpartition(" (hint: ")
        if sep and tail.endswith(")"):
            message, hint = head, tail[:-1]
    elif kind == "literal_error":
        message = f"{error.get('input')!r} is not allowed; {message[0].lower()}{message[1:]}"
    elif kind == "string_pattern_mismatch":
        message = f"{error.get('input')!r} is not in the expected form"
    elif kind in ("too_short", "list_type") and loc and loc[-1] in ("audiences", "serves"):
        message = "is empty, and a program needs it"
    else:
        message = f"{error.get('input')!r}: {message[0].lower()}{message[1:]}"
    return SourceError(file, incoming.locate(loc), message, hint=hint)
