"""Programs from an Open Referral HSDS 3 dataset (Human Services Data Specification).

Two forms are read:

- **JSON**: a file holding a list of services, an API page (``{"contents": [...]}``),
  ``{"services": [...]}``, or one service; each service with its organization,
  locations (``service_at_locations[].location``), schedules, service areas,
  languages, cost options and phones nested inside, as HSDS 3 publishes them;
- **CSV data package**: a folder with ``datapackage.json`` and one CSV file per
  table (``services.csv``, ``schedules.csv``...), joined here on their ids into
  the same nested services.

Each service is checked against HSDS 3.0's JSON Schema (vendored in
``schema/``; see its README for the source and licence) before it is read, and
errors name the record and the field: ``services.json: services[3] (id
9f2a...).schedules[0].byday: ...`` (for a data package, the CSV file, row and
column). Formats such as ``uuid`` are not enforced: directories use other ids.

How a service becomes a program (see the README's table): the service's name,
description, url, email and status; the organization as the provider; a
physical location's address (then the format is in-person, or hybrid when a
virtual location is also given; online when there is none); each schedule as a
session (``dtstart``, ``opens_at``-``closes_at`` and a rule made of ``freq``,
``interval``, ``byday``, ``bymonthday``, ``count``, ``until`` or ``valid_to``);
service areas named like "Clarke County, GA", ZIP codes, or a state as where it
takes parents from; languages' codes; the first cost option's amount and the
fees description; the first phone that is a North American number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from tipsheets.core.source import ContentError, FieldPath
from tipsheets.importers.common import DEFAULT_AUDIENCES, Incoming, Provider, SourceError, SourceErrors, slug
from tipsheets.importers import cells
from tipsheets.core.contact import is_web_address, parse_phone

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_BASE = "https://tipsheets.invalid/hsds/3.0/"
#: a dataset larger than this is refused before it is read
MAX_BYTES = 100 * 1024 * 1024
#: at most this many schema errors are listed; the rest are counted
MAX_ERRORS = 50

_STATUSES = {"active": "active", "inactive": "ended", "defunct": "ended", "temporarily closed": "paused"}

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
    "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
    "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
}
_CODES = set(US_STATES.values())


# --------------------------------------------------------------------------- the schema


@lru_cache(maxsize=1)  # the vendored files never change while the program runs
def validator() -> Any:
    """A Draft 2020-12 validator for one HSDS service, its ``$ref``s resolved among the vendored files only."""
    from jsonschema import Draft202012Validator  # lazy: slow to import
    from referencing import Registry, Resource  # lazy: slow to import
    from referencing.jsonschema import DRAFT202012  # lazy: slow to import

    resources = []
    for file in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(file.read_text(encoding="utf-8"))
        resources.append((SCHEMA_BASE + file.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    registry = Registry().with_resources(resources)  # nothing is fetched: an unknown $ref is an error
    return Draft202012Validator({"$ref": SCHEMA_BASE + "service.json"}, registry=registry)


def schema_errors(service: Any) -> list[tuple[FieldPath, str]]:
    """Every way ``service`` breaks the HSDS service schema: (path inside the service, plain message)."""
    found = []
    for error in sorted(validator().iter_errors(service), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            name = next(iter(re.findall(r"'([^']+)' is a required property", error.message)), "")
            found.append((path + (name,), "is missing, and HSDS requires it"))
        elif error.validator == "enum":
            allowed = ", ".join(str(v) for v in error.validator_value)
            found.append((path, f"{cells.shown(error.instance)} is not one of the values HSDS allows ({allowed})"))
        elif error.validator == "type":
            kind = error.validator_value
            words = {"string": "text", "number": "a number", "array": "a list", "object": "a record",
                     "boolean": "true or false", "integer": "a whole number"}
            found.append((path, f"{cells.shown(error.instance)} should be {words.get(kind, kind)}"))
        else:
            found.append((path, " ".join(error.message.split())[:200]))
    return found


# --------------------------------------------------------------------------- reading the dataset


class Located:
    """Names the place in the dataset a field of one service came from."""

    def __init__(self, prefix: str, origins: dict[FieldPath, str] | None = None) -> None:
        self.prefix = prefix  # "services[3] (id 9f2a...)"
        #: for a data package: path inside the service → "schedules.csv row 4 (id ...)"
        self.origins = origins or {}

    def __call__(self, path: FieldPath) -> str:
        for cut in range(len(path), 0, -1):
            origin = self.origins.get(tuple(path[:cut]))
            if origin:
                rest = path[cut:]
                column = next((p for p in rest if isinstance(p, str)), None)
                return f'{origin}, column "{column}"' if column else origin
        return self.prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 12 else text[:8] + "..."


def read_dataset(path: Path, shown: str, as_of: dt.date) -> tuple[list[Incoming], list[str]]:
    """The services of an HSDS dataset as incoming programs, and notes on what they could not carry."""
    if path.name == "datapackage.json":
        services = list(_package_services(path, shown))
    else:
        services = list(_json_services(path, shown))
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    for service, located in services:
        for where, message in schema_errors(service):
            errors.append(SourceError(shown, located(where), message))
        if isinstance(service, dict) and isinstance(service.get("id"), str):
            if service["id"] in seen:
                errors.append(SourceError(shown, located(("id",)), f"the id is also used by {seen[service['id']]}",
                                          hint="each service needs an id of its own"))
            seen.setdefault(service["id"], located.prefix)
    if errors:
        raise SourceErrors(_capped(errors))
    return [service_program(service, located, shown, as_of) for service, located in services], []


def _capped(errors: list[ContentError]) -> list[ContentError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    rest = len(errors) - MAX_ERRORS
    return errors[:MAX_ERRORS] + [ContentError(errors[0].file, f"... and {rest} more problems like these")]


def _read(path: Path, shown: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceErrors([ContentError(
                shown, f"the file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})")])
        return path.read_bytes()
    except OSError as exc:
        raise SourceErrors([ContentError(shown, f"cannot read the file: {exc.strerror or exc}")]) from None


def _json_services(path: Path, shown: str) -> Iterator[tuple[Any, Located]]:
    raw = _read(path, shown)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceErrors([ContentError(shown, f"the file is not UTF-8 text (byte {exc.start})")]) from None
    except json.JSONDecodeError as exc:
        raise SourceErrors([ContentError(shown, f"not valid JSON: {exc.msg}",
                                         line=exc.lineno, col=exc.colno)]) from None
    except RecursionError:
        raise SourceErrors([ContentError(shown, "the JSON is nested too deep to read")]) from None
    if isinstance(data, list):
        label, items = "services", data
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        label, items = "contents", data["contents"]
    elif isinstance(data, dict) and isinstance(data.get("services"), list):
        label, items = "services", data["services"]
    elif isinstance(data, dict) and "id" in data and "name" in data:
        yield data, Located(f"service (id {_short(data['id'])})")
        return
    else:
        raise SourceErrors([ContentError(shown, "this is not an HSDS list of services",
                                         hint="give a JSON list of HSDS 3 services, an API page with 'contents', "
                                              "or one service")])
    for index, service in enumerate(items):
        ident = service.get("id") if isinstance(service, dict) else None
        suffix = f" (id {_short(ident)})" if isinstance(ident, str) else ""
        yield service, Located(f"{label}[{index}]{suffix}")


# --------------------------------------------------------------------------- a CSV data package


def _package_services(path: Path, shown: str) -> Iterator[tuple[Any, Located]]:
    """Services joined from a data package's tables, each value typed as the schema says."""
    try:
        package = json.loads(_read(path, shown).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceErrors([ContentError(shown, f"the data package description cannot be read: {exc}")]) from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise SourceErrors([ContentError(shown, "the data package lists no resources",
                                         hint="an HSDS data package names its CSV files under 'resources'")])
    folder = path.parent.resolve()
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    names: dict[str, str] = {}
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        name = str(resource.get("name", ""))
        file = (folder / resource["path"]).resolve()
        if not file.is_relative_to(folder):
            raise SourceErrors([ContentError(shown, f"the resource '{name}' points outside the package's folder "
                                                    f"({resource['path']}); it is not read")])
        if not file.is_file():
            continue  # a package may leave out tables it does not use
        names[name] = resource["path"]
        tables[name] = list(_typed_rows(file, resource["path"], name, shown))
    if "service" not in tables:
        raise SourceErrors([ContentError(shown, "the data package has no services table (services.csv)")])
    by: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
    for table, rows in tables.items():
        for number, row in rows:
            for column in ("id", "service_id", "location_id", "service_at_location_id", "organization_id",
                           "contact_id"):
                if row.get(column):
                    by.setdefault((f"{table}.{column}", str(row[column])), []).append((number, row))

    def rows_of(table: str, column: str, value: Any) -> list[tuple[int, dict[str, Any]]]:
        return by.get((f"{table}.{column}", str(value)), []) if value else []

    def origin(table: str, number: int, row: dict[str, Any]) -> str:
        ident = f" (id {_short(row['id'])})" if row.get("id") else ""
        return f"{names.get(table, table)} row {number}{ident}"

    for number, row in tables["service"]:
        service = dict(row)
        origins: dict[FieldPath, str] = {(): origin("service", number, row)}
        for key, (column_table, link) in {"phones": ("phone", "service_id"), "schedules": ("schedule", "service_id"),
                                          "service_areas": ("service_area", "service_id"),
                                          "languages": ("language", "service_id"),
                                          "cost_options": ("cost_option", "service_id"),
                                          "contacts": ("contact", "service_id")}.items():
            found = rows_of(column_table, link, row.get("id"))
            if found:
                service[key] = [dict(r) for _, r in found]
                for index, (n, r) in enumerate(found):
                    origins[(key, index)] = origin(column_table, n, r)
        organization = rows_of("organization", "id", row.get("organization_id"))
        if organization:
            service["organization"] = dict(organization[0][1])
            origins[("organization",)] = origin("organization", *organization[0])
            phones = rows_of("phone", "organization_id", organization[0][1].get("id"))
            if phones:
                service["organization"]["phones"] = [dict(r) for _, r in phones]
                for j, (m, r) in enumerate(phones):
                    origins[("organization", "phones", j)] = origin("phone", m, r)
        at_locations = []
        for index, (n, link_row) in enumerate(rows_of("service_at_location", "service_id", row.get("id"))):
            at_location = dict(link_row)
            origins[("service_at_locations", index)] = origin("service_at_location", n, link_row)
            location = rows_of("location", "id", link_row.get("location_id"))
            if location:
                place = dict(location[0][1])
                origins[("service_at_locations", index, "location")] = origin("location", *location[0])
                for key, table in (("addresses", "address"), ("accessibility", "accessibility"),
                                   ("phones", "phone"), ("schedules", "schedule")):
                    found = rows_of(table, "location_id", place.get("id"))
                    if found:
                        place[key] = [dict(r) for _, r in found]
                        for j, (m, r) in enumerate(found):
                            origins[("service_at_locations", index, "location", key, j)] = origin(table, m, r)
                at_location["location"] = place
            found = rows_of("schedule", "service_at_location_id", link_row.get("id"))
            if found:
                at_location["schedules"] = [dict(r) for _, r in found]
                for j, (m, r) in enumerate(found):
                    origins[("service_at_locations", index, "schedules", j)] = origin("schedule", m, r)
            at_locations.append(at_location)
        if at_locations:
            service["service_at_locations"] = at_locations
        yield service, Located(origin("service", number, row), origins)


def _schema_types(table: str) -> dict[str, str]:
    file = SCHEMA_DIR / f"{table}.json"
    if not file.is_file():
        return {}
    properties = json.loads(file.read_text(encoding="utf-8")).get("properties", {})
    return {name: str(prop.get("type", "string")) for name, prop in properties.items()}


def _typed_rows(file: Path, shown_path: str, table: str, shown: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of one CSV table: blank cells left out, numbers as numbers (as the schema types them)."""
    types = _schema_types(table)
    text = _read(file, shown_path).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        number = reader.line_num
        out: dict[str, Any] = {}
        for column, value in row.items():
            if column is None or value is None or not str(value).strip():
                continue
            value = value.strip()
            if types.get(column) in ("number", "integer"):
                try:
                    number_value = float(value)
                    out[column] = int(number_value) if number_value.is_integer() else number_value
                    continue
                except ValueError:
                    pass  # left as text: the schema check says it is not a number
            out[column] = value
        if out:
            yield number, out


# --------------------------------------------------------------------------- a service → a program


def service_program(service: dict[str, Any], located: Located, file: str, as_of: dt.date) -> Incoming:
    """One HSDS service as an incoming program (the schema check has passed)."""
    notes: list[str] = []
    origin: dict[FieldPath, FieldPath] = {}  # program field → the service's field it came from

    def note(path: FieldPath, message: str) -> None:
        notes.append(f"{file}: {located(path)}: {message}")

    organization = service.get("organization")
    if not isinstance(organization, dict):
        organization = {}
    data: dict[str, Any] = {"name": service.get("name"), "description": service.get("description")}
    origin[("name",)] = ("name",)
    origin[("description",)] = ("description",)
    places = _physical_places(service)
    virtual = any(isinstance(link.get("location"), dict) and link["location"].get("location_type") == "virtual"
                  for link in service.get("service_at_locations") or [])
    data["format"] = ("hybrid" if virtual else "in-person") if places else "online"
    origin[("format",)] = ("service_at_locations",)
    location_state = None
    if places:
        path, place, address = places[0]
        location_state = _state(address.get("state_province"))
        zip_raw = str(address.get("postal_code", "")).strip()
        data["location"] = {
            "name": place.get("name") or organization.get("name"),
            "address": ", ".join(a for a in (address.get("address_1"), address.get("address_2")) if a),
            "city": address.get("city"),
            "state": location_state or address.get("state_province"),
            "zip": zip_raw[:5] if re.fullmatch(r"\d{5}(-\d{4})?", zip_raw) else zip_raw,
        }
        access = "; ".join(a.get("description") or a.get("details") or "" for a in place.get("accessibility") or []
                           if isinstance(a, dict)).strip("; ")
        if access:
            data["location"]["accessibility"] = access
        origin[("location",)] = path
        for name, column in (("address", "address_1"), ("city", "city"), ("state", "state_province"),
                             ("zip", "postal_code")):
            origin[("location", name)] = (*path, column)
        origin[("location", "name")] = path[:-2] + ("name",)
    sessions, session_paths = _sessions(service, note)
    if sessions or service.get("schedules") is not None:
        data["sessions"] = sessions
    for index, path in enumerate(session_paths):
        origin[("sessions", index)] = path
    cost = _cost(service)
    if cost is not None:
        data["cost"] = cost
        origin[("cost",)] = ("cost_options",)
    languages = _languages(service)
    if len(languages) == 1 and languages[0] != "en":  # every session is taught in the one language it names
        for session in data.get("sessions", []):
            session["language"] = languages[0]
    if languages:
        data["languages"] = languages
        origin[("languages",)] = ("languages",)
    url = service.get("url") or organization.get("website") or organization.get("url")
    origin[("registration", "url")] = ("url",) if service.get("url") else ("organization", "website")
    phone = _phone(service, organization, note)
    email = service.get("email") or organization.get("email")
    data["registration"] = {k: v for k, v in (("url", url), ("phone", phone), ("email", email)) if v}
    origin[("registration",)] = ("url",)
    data["serves"] = _areas(service, location_state, data.get("location"), note)
    origin[("serves",)] = ("service_areas",)
    status = _STATUSES.get(str(service.get("status", "active")), "active")
    data["status"] = status
    origin[("status",)] = ("status",)
    verified = _day(service.get("assured_date")) or _day(service.get("last_modified"))
    seeds: dict[str, Any] = {"audiences": list(DEFAULT_AUDIENCES)}
    if verified:
        data["verified"] = verified
        origin[("verified",)] = ("assured_date",) if service.get("assured_date") else ("last_modified",)
    else:
        seeds["verified"] = as_of
    data = {k: v for k, v in data.items() if v is not None}
    provider = Provider(
        name=str(organization.get("name") or service.get("name") or "provider"),
        phone=_first_phone(organization.get("phones")),
        email=organization.get("email"),
        web=organization.get("website") if cells_web(organization.get("website")) else None,
        address=None,
    )
    key = str(service.get("id"))
    ident = f"{slug(str(service.get('name') or 'service'), 60)}-{slug(key, 8) or 'service'}".strip("-")

    def locate(path: FieldPath) -> str:
        for cut in range(len(path), 0, -1):
            if tuple(path[:cut]) in origin:
                source_path = origin[tuple(path[:cut])]
                if path[0] == "sessions" and len(path) > cut:
                    source_path = source_path + _SCHEDULE_FIELDS.get(str(path[cut]), ())
                return located(source_path)
        return located(("organization",) if path[:1] == ("provider",) else ())

    return Incoming(key=key, id=ident, data=data, provider=provider, locate=locate, seeds=seeds, notes=notes)


_SCHEDULE_FIELDS = {"start": ("dtstart",), "time": ("opens_at",), "rrule": ("freq",), "dates": ("dtstart",),
                    "weekday": ("byday",)}


def cells_web(value: Any) -> bool:
    return isinstance(value, str) and is_web_address(value)


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return cells.date(value.strip()[:10])
    except cells.CellError:
        return None


def _state(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    if text.upper() in _CODES:
        return text.upper()
    return US_STATES.get(text.lower())


def _physical_places(service: dict[str, Any]) -> list[tuple[FieldPath, dict[str, Any], dict[str, Any]]]:
    """(path of the address, location, address) for each physical location with an address."""
    found: list[tuple[FieldPath, dict[str, Any], dict[str, Any]]] = []
    for index, link in enumerate(service.get("service_at_locations") or []):
        place = link.get("location") if isinstance(link, dict) else None
        if not isinstance(place, dict) or place.get("location_type") not in (None, "physical"):
            continue
        addresses = [a for a in place.get("addresses") or [] if isinstance(a, dict)]
        addresses.sort(key=lambda a: a.get("address_type") != "physical")
        if addresses and addresses[0].get("address_type") in (None, "physical"):
            j = place["addresses"].index(addresses[0])
            found.append((("service_at_locations", index, "location", "addresses", j), place, addresses[0]))
    return found


def _schedules(service: dict[str, Any]) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    for index, schedule in enumerate(service.get("schedules") or []):
        yield ("schedules", index), schedule
    for index, link in enumerate(service.get("service_at_locations") or []):
        for j, schedule in enumerate((link or {}).get("schedules") or []):
            yield ("service_at_locations", index, "schedules", j), schedule


def _clock(value: Any) -> dt.time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", str(value or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return dt.time(int(match[1]), int(match[2]))


def _sessions(service: dict[str, Any], note: Any) -> tuple[list[dict[str, Any]], list[FieldPath]]:
    """Each schedule as a session: a rule from its start, or its one date."""
    sessions, paths = [], []
    for path, schedule in _schedules(service):
        if not isinstance(schedule, dict):
            continue
        start = _day(schedule.get("dtstart")) or _day(schedule.get("valid_from"))
        begins, ends = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
        if start is None:
            note(path, "has no dtstart or valid_from, so it gives no dates: left out")
            continue
        if begins is None or ends is None or ends <= begins:
            note(path, "has no usable opens_at and closes_at, so its class times are not known: left out")
            continue
        session: dict[str, Any] = {"start": start, "time": f"{begins:%H:%M}-{ends:%H:%M}"}
        freq = str(schedule.get("freq") or "").upper()
        if not freq:
            sessions.append({"dates": [start], "time": session["time"]})
            paths.append(path)
            continue
        until = _day(schedule.get("until")) or _day(schedule.get("valid_to"))
        count = schedule.get("count")
        if not until and not count:
            note(path, "repeats without an end (no count, until or valid_to), so it is not a run of classes: "
                       "left out (add the dates to the program file by hand)")
            continue
        parts = [f"FREQ={freq}"]
        if schedule.get("interval"):
            parts.append(f"INTERVAL={int(float(schedule['interval']))}")
        for name in ("byday", "bymonthday", "byyearday", "byweekno"):
            if schedule.get(name):
                parts.append(f"{name.upper()}={''.join(str(schedule[name]).split())}")
        if schedule.get("wkst"):
            parts.append(f"WKST={schedule['wkst']}")
        parts.append(f"COUNT={int(float(count))}" if count else f"UNTIL={until:%Y%m%d}")
        session["rrule"] = ";".join(parts)
        sessions.append(session)
        paths.append(path)
    return sessions, paths


def _cost(service: dict[str, Any]) -> dict[str, Any] | None:
    options = [c for c in service.get("cost_options") or [] if isinstance(c, dict)]
    amounts = [c for c in options if isinstance(c.get("amount"), (int, float))]
    note = service.get("fees_description") or next((c.get("amount_description") for c in options
                                                    if c.get("amount_description")), None)
    if not amounts and not note:
        return None
    cost: dict[str, Any] = {"amount": float(amounts[0]["amount"]) if amounts else 0}
    if note:
        cost["note"] = " ".join(str(note).split())
    return cost


def _languages(service: dict[str, Any]) -> list[str]:
    found = []
    for language in service.get("languages") or []:
        if not isinstance(language, dict):
            continue
        code = language.get("code") or (cells.language_code(language["name"]) if language.get("name") else None)
        if code:
            code = str(code).split("-")[0].lower()
            if code not in found:
                found.append(code)
    return found


def _first_phone(phones: Any) -> str | None:
    for phone in phones or []:
        if isinstance(phone, dict) and phone.get("number"):
            parsed = parse_phone(str(phone["number"]).strip('"'))
            if parsed:
                return parsed.display
    return None


def _phone(service: dict[str, Any], organization: dict[str, Any], note: Any) -> str | None:
    """The first North American number among the service's phones, then its locations', then the organization's."""
    lists: list[tuple[FieldPath, Any]] = [(("phones",), service.get("phones"))]
    for index, link in enumerate(service.get("service_at_locations") or []):
        lists.append((("service_at_locations", index, "phones"), (link or {}).get("phones")))
        place = (link or {}).get("location") or {}
        lists.append((("service_at_locations", index, "location", "phones"), place.get("phones")))
    lists.append((("organization", "phones"), organization.get("phones")))
    first_bad = None
    for path, phones in lists:
        found = _first_phone(phones)
        if found:
            return found
        if phones and first_bad is None:
            first_bad = path
    if first_bad is not None:
        note((*first_bad, 0, "number"), "no phone number here is a North American number that can be dialled, so "
                                        "the program lists none")
    return None


_COUNTY = re.compile(r"^(?P<name>[A-Za-z .'-]+?)\s+(?:County|Parish|Borough)(?:\s*,\s*(?P<state>[A-Za-z .]+))?$",
                     re.IGNORECASE)


def _areas(service: dict[str, Any], location_state: str | None, location: dict[str, Any] | None,
           note: Any) -> list[dict[str, Any]]:
    """Where the service takes people from: counties, ZIP codes or whole states named by its service areas."""
    by_state: dict[str, dict[str, Any]] = {}
    for index, area in enumerate(service.get("service_areas") or []):
        if not isinstance(area, dict):
            continue
        understood = False
        for text in (area.get("name"), area.get("description")):
            if not isinstance(text, str) or not text.strip():
                continue
            for piece in re.split(r"[;\n]|\band\b", text):
                piece = piece.strip().strip(".")
                match = _COUNTY.match(piece)
                state = _state(piece) or (_state(piece.removesuffix(" statewide").removesuffix(" (statewide)"))
                                          if "statewide" in piece.lower() else None)
                zips = re.findall(r"\b\d{5}\b", piece)
                if match:
                    where = _state(match["state"]) if match["state"] else location_state
                    if where:
                        by_state.setdefault(where, {"state": where}).setdefault("counties", []).append(
                            " ".join(match["name"].split()))
                        understood = True
                elif state:
                    by_state.setdefault(state, {"state": state})["statewide"] = True
                    understood = True
                elif zips and location_state:
                    by_state.setdefault(location_state, {"state": location_state}).setdefault("zips", []).extend(zips)
                    understood = True
            if understood:
                break
        if not understood:
            note(("service_areas", index), "names no county (\"Clarke County, GA\"), ZIP code or state that "
                                           "tipsheets can read: left out")
    areas = list(by_state.values())
    if not areas and location and location_state and re.fullmatch(r"\d{5}", str(location.get("zip", ""))):
        note(("service_areas",), f"no service area could be read, so the program serves its own ZIP code, "
                                 f"{location['zip']} (edit serves in the program file to widen it)")
        areas = [{"state": location_state, "zips": [location["zip"]]}]
    for area in areas:
        for key in ("counties", "zips"):
            if key in area:
                area[key] = list(dict.fromkeys(area[key]))
    return areas


__all__ = ["read_dataset", "schema_errors", "service_program", "validator"]
