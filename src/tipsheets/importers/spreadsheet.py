"""Programs from a spreadsheet (``.xlsx`` or ``.csv``): one row per run of a class.

The first row names the columns (:data:`COLUMNS`; letter case, spaces and
punctuation in the names do not matter, and a few other common names are
understood). Each following row is one session of a program; rows with the
same ``ID`` (or, without an ID column, the same program name and provider) are
one program, and their program columns must agree (a later row may leave them
blank). Blank rows are skipped. A column the importer does not know is
reported and not read.

XLSX files are read with openpyxl (values, not formulas: the value Excel last
calculated). CSV files are read with the csv module, as UTF-8 (with or
without the byte-order mark Excel writes), UTF-16 (Excel's "Unicode text"), or
else Windows-1252 (Excel's plain "CSV" on Windows); commas, semicolons or
tabs between values.

Errors name the row as the spreadsheet numbers it and the column as its header
says: ``classes.xlsx: row 7, column "Start date": '13/45/2027' is not a date
(hint: write dates as 2027-01-12 or 1/12/2027)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from tipsheets.importers import cells
from tipsheets.importers.common import Incoming, Provider, SourceError, SourceErrors, slug
from tipsheets.core.source import ContentError, FieldPath

#: a spreadsheet larger than this is refused before it is read
MAX_BYTES = 20 * 1024 * 1024
#: rows after the header; an agency's list of classes is far shorter
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    meaning: str
    aliases: tuple[str, ...] = ()


#: the columns, in the order of the template spreadsheet; the README's table is made from the same words
COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", False, "A short id for the program, kept from one import to the next (lower-case words "
           "and hyphens). Without it, the program's name and provider make the id.", ("program id",)),
    Column("name", "Program", True, "The program's name as parents see it.",
           ("program name", "class", "class name", "name")),
    Column("provider", "Provider", True, "The organisation that runs it. A new provider gets a brand file to "
           "finish.", ("organization", "organisation", "provider name", "agency")),
    Column("description", "Description", True, "Two or three plain sentences: what it offers, who it is for."),
    Column("audiences", "Audiences", True, "Who it is for, separated by commas: co-parents, "
           "separated-or-divorced-parents, never-married-parents, blended-families, new-partners, couples, "
           "fathers, mothers, young-parents.", ("audience", "who it is for")),
    Column("format", "Format", True, "in-person, online or hybrid.", ("delivery",)),
    Column("start", "Start date", False, "The first meeting of this run: 2027-01-12 or 1/12/2027.",
           ("start", "first meeting", "first class", "begins")),
    Column("weekday", "Day", False, "The day it meets each week (optional: the start date says it).",
           ("weekday", "day of week")),
    Column("time", "Time", False, "Start and end time: 6:00 PM-8:00 PM or 18:00-20:00.", ("times", "hours")),
    Column("start_time", "Start time", False, "Instead of Time: the start time alone."),
    Column("end_time", "End time", False, "Instead of Time: the end time alone."),
    Column("weeks", "Weeks", False, "How many weekly meetings, from the start date.", ("number of weeks",)),
    Column("rrule", "Repeats", False, "Instead of Weeks: an RFC 5545 rule from the start date, such as "
           "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=4 (it must end: COUNT or UNTIL).", ("rrule", "recurrence")),
    Column("dates", "Dates", False, "Instead of Start date and Weeks: every meeting's date, separated by "
           "semicolons.", ("meeting dates",)),
    Column("session_language", "Session language", False, "The language of this run: en, es, English, "
           "Spanish (default: en).", ("class language",)),
    Column("location", "Location", False, "The place's name (default: the provider's name).",
           ("location name", "place", "venue")),
    Column("address", "Address", False, "Street address; needed for in-person and hybrid classes.",
           ("street", "street address")),
    Column("city", "City", False, "City."),
    Column("state", "State", False, "Two-letter state code, such as GA."),
    Column("zip", "ZIP", False, "Five-digit ZIP code.", ("zip code", "zipcode", "postal code")),
    Column("accessibility", "Accessibility", False, "Step-free access, parking, bus routes.", ("access",)),
    Column("cost", "Cost", False, "What it costs in dollars; 0 or blank for free.", ("fee", "price")),
    Column("cost_note", "Cost note", False, "A word about the cost, such as a sliding scale.", ("fee note",)),
    Column("childcare", "Childcare", False, "yes or no."),
    Column("languages", "Languages", False, "Languages it is taught in: en, es (or English, Spanish)."),
    Column("court_ordered", "Court ordered", False, "yes when a court may order a parent to take it.",
           ("court-ordered", "meets court orders")),
    Column("url", "Sign-up web address", True, "The sign-up page, starting with https://.",
           ("registration url", "sign-up url", "signup url", "url", "web", "website", "web address", "link")),
    Column("phone", "Phone", False, "A phone number parents can call to sign up.",
           ("registration phone", "telephone")),
    Column("email", "Email", False, "An email address for sign-up questions.", ("e-mail", "registration email")),
    Column("serves_state", "Serves state", False, "The state it takes parents from (default: State)."),
    Column("counties", "Serves counties", False, "Counties it takes parents from, separated by commas "
           "(names as in content/areas/).", ("counties", "county", "counties served")),
    Column("zips", "Serves ZIP codes", False, "ZIP codes it takes parents from, separated by commas.",
           ("zip codes served", "serves zips")),
    Column("statewide", "Statewide", False, "yes when it takes parents from the whole state."),
    Column("verified", "Verified", False, "The day someone last checked the details (default: the day of the "
           "first import).", ("last verified", "checked")),
    Column("status", "Status", False, "active, not-taking-referrals, paused or ended (default: active).",),
)

_BY_NAME = {re.sub(r"[^a-z0-9]", "", name): column
            for column in COLUMNS for name in (column.header.lower(), column.key, *column.aliases)}

#: program columns: the same for every row of one program
PROGRAM_COLUMNS = ("name", "provider", "description", "audiences", "format", "location", "address", "city", "state",
                   "zip", "accessibility", "cost", "cost_note", "childcare", "languages", "court_ordered", "url",
                   "phone", "email", "serves_state", "counties", "zips", "statewide", "verified", "status")
#: session columns: one run of the class per row
SESSION_COLUMNS = ("start", "weekday", "time", "start_time", "end_time", "weeks", "rrule", "dates",
                   "session_language")

_FORMATS = {"inperson": "in-person", "onsite": "in-person", "facetoface": "in-person", "online": "online",
            "virtual": "online", "remote": "online", "hybrid": "hybrid", "both": "hybrid",
            "inpersonoronline": "hybrid", "inpersonandonline": "hybrid"}
_STATUSES = {"active": "active", "open": "active", "nottakingreferrals": "not-taking-referrals",
             "full": "not-taking-referrals", "closed": "not-taking-referrals", "paused": "paused",
             "onhold": "paused", "ended": "ended", "inactive": "ended", "discontinued": "ended"}


@dataclass
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class Sheet:
    name: str  # the file name, as messages show it
    headers: dict[str, str]  # column key → the header as written
    rows: list[Row]
    header_row: int
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading the file


def read_sheet(path: Path, shown: str) -> Sheet:
    """The header and the non-blank rows of a ``.csv`` or ``.xlsx`` file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceErrors([ContentError(shown, f"cannot read the file: {exc.strerror or exc}")]) from None
    if size > MAX_BYTES:
        raise SourceErrors([ContentError(shown, f"the file is too large ({size:,} bytes; the limit is "
                                                f"{MAX_BYTES:,})", hint="split it, or remove what is not a class")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = _csv_rows(path.read_bytes(), shown)
    elif suffix in (".xlsx", ".xlsm"):
        grid = _xlsx_rows(path, shown)
    else:
        raise SourceErrors([ContentError(shown, f"'{path.suffix}' files are not read",
                                         hint="save the spreadsheet as .xlsx or .csv")])
    return _sheet(grid, shown)


def _csv_rows(raw: bytes, shown: str) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceErrors([ContentError(shown, "this is not a text file",
                                         hint="export the spreadsheet as CSV UTF-8, or give the .xlsx file")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # Excel's plain "CSV" on Windows
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row
    except csv.Error as exc:
        raise SourceErrors([SourceError(shown, f"row {reader.line_num}", f"the CSV cannot be read: {exc}",
                                        hint="check the quotes in this row")]) from None


def _xlsx_rows(path: Path, shown: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # reads XML through defusedxml when it is installed

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SourceErrors([ContentError(
            shown, f"this is not an Excel workbook that can be read ({type(exc).__name__})",
            hint="open it in Excel and save it again as .xlsx, or as CSV UTF-8")]) from None
    try:
        sheet = next((ws for ws in book.worksheets if ws.title.strip().lower() in ("programs", "classes")),
                     book.worksheets[0] if book.worksheets else None)
        if sheet is None:
            raise SourceErrors([ContentError(shown, "the workbook has no sheets")])
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


def _sheet(grid: Iterator[tuple[int, list[Any]]], shown: str) -> Sheet:
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    notes: list[str] = []
    header_row = 0
    rows: list[Row] = []
    for number, values in grid:
        if all(cells.blank(v) for v in values):
            continue
        if not header_row:
            header_row = number
            errors: list[ContentError] = []
            for index, name in enumerate(values):
                if cells.blank(name):
                    continue
                label = " ".join(str(name).split())
                column = _BY_NAME.get(re.sub(r"[^a-z0-9]", "", label.lower()))
                if column is None:
                    notes.append(f'{shown}: row {number}, column "{label}": not a column tipsheets reads, so it '
                                 "is left out (hint: see the README's list of columns)")
                    continue
                if column.key in headers:
                    errors.append(SourceError(shown, f'row {number}, column "{label}"',
                                              f'this is the same column as "{headers[column.key]}"',
                                              hint="keep one of them"))
                    continue
                headers[column.key] = label
                positions[index] = column.key
            missing = [c for c in COLUMNS if c.required and c.key not in headers]
            errors += [SourceError(shown, f"row {number}", f'there is no column "{c.header}"',
                                   hint=f"the first row names the columns; add \"{c.header}\": {c.meaning}")
                       for c in missing]
            if not ({"counties", "zips", "statewide"} & set(headers)):
                errors.append(SourceError(shown, f"row {number}", 'there is no column "Serves counties"',
                                          hint='say where each program takes parents from with "Serves counties", '
                                               '"Serves ZIP codes" or "Statewide"'))
            if errors:
                raise SourceErrors(errors)
            continue
        if len(rows) >= MAX_ROWS:
            raise SourceErrors([SourceError(shown, f"row {number}", f"the sheet has more than {MAX_ROWS} rows",
                                            hint="split it into several files")])
        cells_by_key = {positions[i]: v for i, v in enumerate(values) if i in positions and not cells.blank(v)}
        if cells_by_key:
            rows.append(Row(number, cells_by_key))
    if not header_row:
        raise SourceErrors([ContentError(shown, "the sheet is empty",
                                         hint="the first row names the columns; each row after it is a class")])
    return Sheet(shown, headers, rows, header_row, notes)


# --------------------------------------------------------------------------- rows → programs


class _Errors:
    """Problems found so far, each with its row and column."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.found: list[ContentError] = []

    def where(self, row: int, key: str) -> str:
        return f'row {row}, column "{self.sheet.headers.get(key, _header(key))}"'

    def add(self, row: int, key: str, message: str, hint: str = "") -> None:
        self.found.append(SourceError(self.sheet.name, self.where(row, key), message, hint=hint))

    def read(self, row: Row, key: str, reader: Callable[..., Any], *args: Any) -> Any:
        """``reader(value)`` for the row's cell, None when blank; a bad cell is noted and gives None."""
        value = row.values.get(key)
        if value is None:
            return None
        try:
            return reader(value, *args)
        except cells.CellError as exc:
            self.add(row.number, key, exc.message, exc.hint)
            return None


def _header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def program_key(row: Row) -> str:
    if "id" in row.values:
        return slug(cells.text(row.values["id"]))
    return slug(f"{cells.text(row.values.get('name', ''))} {cells.text(row.values.get('provider', ''))}")


def read_programs(sheet: Sheet, as_of: dt.date) -> list[Incoming]:
    """One :class:`Incoming` per program in the sheet; :class:`SourceErrors` listing every bad cell."""
    errors = _Errors(sheet)
    groups: dict[str, list[Row]] = {}
    providers: dict[str, Any] = {}  # program name → the provider its first row gave
    previous = ""
    for row in sheet.rows:
        name = slug(cells.text(row.values.get("name", "")))
        if "id" not in row.values and "provider" not in row.values and name in providers:
            row = Row(row.number, {**row.values, "provider": providers[name]})  # a later run of the same program
        elif "provider" in row.values:
            providers.setdefault(name, row.values["provider"])
        key = program_key(row)
        if not key and previous and set(row.values) <= set(SESSION_COLUMNS):
            key = previous  # a row with only a session's columns: another run of the program above
        previous = key or previous
        if not key:
            column = "id" if "id" in row.values else "name"
            errors.add(row.number, column, "is empty, and each row needs a program name (or an ID)",
                       "fill it in, or delete the row")
            continue
        groups.setdefault(key, []).append(row)
    programs = [_program(key, rows, sheet, errors, as_of) for key, rows in groups.items()]
    if errors.found:
        raise SourceErrors(errors.found)
    return programs


def _program(key: str, rows: list[Row], sheet: Sheet, errors: _Errors, as_of: dt.date) -> Incoming:
    origin: dict[str, int] = {}  # column → the row its program value came from
    values: dict[str, Any] = {}
    for row in rows:
        for column in PROGRAM_COLUMNS:
            if column not in row.values:
                continue
            value = row.values[column]
            if column not in values:
                values[column], origin[column] = value, row.number
            elif cells.text(value) != cells.text(values[column]):
                errors.add(row.number, column, f"{cells.shown(value)} differs from {cells.shown(values[column])} "
                           f"in row {origin[column]}, for the same program",
                           "a program's rows share its details; give two programs different IDs or names")
    first = rows[0]
    headers = sheet.headers

    def read(column: str, reader: Callable[..., Any], *args: Any) -> Any:
        return errors.read(Row(origin.get(column, first.number), values), column, reader, *args)

    data: dict[str, Any] = {}
    if "name" in headers:
        data["name"] = read("name", cells.text)
    data["description"] = read("description", cells.text)
    audiences = read("audiences", cells.words)
    data["audiences"] = [slug(a) for a in audiences] if audiences is not None else None
    data["format"] = read("format", _format)
    state = read("state", cells.text)
    state = state.upper() if state else None
    if {"location", "address", "city", "state", "zip", "accessibility"} & set(headers):
        if any(k in values for k in ("address", "city", "zip")):
            data["location"] = {
                "name": read("location", cells.text) or cells.text(values.get("provider", "")),
                "address": read("address", cells.text), "city": read("city", cells.text), "state": state,
                "zip": read("zip", cells.zip_code, state), "accessibility": read("accessibility", cells.text),
            }
        else:
            data["location"] = None
    if "cost" in headers or "cost_note" in headers:
        amount = read("cost", cells.number)
        data["cost"] = {"amount": amount or 0, "note": read("cost_note", cells.text)}
    if "childcare" in headers:
        data["childcare"] = bool(read("childcare", cells.boolean))
    if "languages" in headers:
        data["languages"] = [cells.language_code(x) for x in (read("languages", cells.words) or ["en"])]
    if "court_ordered" in headers:
        data["court_ordered"] = bool(read("court_ordered", cells.boolean))
    data["registration"] = {"url": read("url", cells.text),
                            "phone": read("phone", cells.phone) if "phone" in headers else None,
                            "email": read("email", cells.text) if "email" in headers else None}
    serves_state = read("serves_state", cells.text)
    area: dict[str, Any] = {"state": (serves_state or state or "").upper() or None}
    if "counties" in values:
        area["counties"] = read("counties", cells.words)
    if "zips" in values:
        area["zips"] = [z for z in (errors.read(Row(origin["zips"], {"zips": v}), "zips", cells.zip_code, area["state"])
                                    for v in cells.words(values["zips"])) if z]
    if "statewide" in values:
        area["statewide"] = bool(read("statewide", cells.boolean))
    data["serves"] = [area]
    if "verified" in headers:
        data["verified"] = read("verified", cells.date) or as_of
    if "status" in headers:
        data["status"] = read("status", _status) or "active"
    if set(SESSION_COLUMNS) & set(headers):
        data["sessions"] = [s for s in (_session(row, errors) for row in rows) if s is not None]
    data = _drop_none(data)

    rows_by_session = [row.number for row in rows if set(SESSION_COLUMNS) & set(row.values)]

    def locate(path: FieldPath) -> str:
        return _locate(path, origin, rows_by_session, first.number, errors)

    provider = Provider(name=cells.text(values.get("provider", "")) or "provider",
                        phone=data["registration"].get("phone"), email=data["registration"].get("email"),
                        web=None)
    seeds: dict[str, Any] = {}
    if "verified" not in data:
        seeds["verified"] = as_of
    return Incoming(key=key, id=key, data=data, provider=provider, locate=locate, seeds=seeds)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _format(value: Any) -> str:
    found = _FORMATS.get(re.sub(r"[^a-z]", "", str(value).lower()))
    if found is None:
        raise cells.CellError(f"{cells.shown(value)} is not a format", "write in-person, online or hybrid")
    return found


def _status(value: Any) -> str:
    found = _STATUSES.get(re.sub(r"[^a-z]", "", str(value).lower()))
    if found is None:
        raise cells.CellError(f"{cells.shown(value)} is not a status",
                              "write active, not-taking-referrals, paused or ended")
    return found


_SESSION_ORDER = ("start", "weekday", "time", "weeks", "rrule", "dates", "exdates", "language")


def _session(row: Row, errors: _Errors) -> dict[str, Any] | None:
    session = _session_fields(row, errors)
    return {k: session[k] for k in _SESSION_ORDER if k in session} if session is not None else None


def _session_fields(row: Row, errors: _Errors) -> dict[str, Any] | None:
    given = set(SESSION_COLUMNS) & set(row.values)
    if not given or given == {"session_language"}:
        return None
    if "time" in row.values:
        time = errors.read(row, "time", cells.time_range)
    elif "start_time" in row.values and "end_time" in row.values:
        begins = errors.read(row, "start_time", cells.clock)
        ends = errors.read(row, "end_time", cells.clock)
        time = None
        if begins and ends:
            try:
                time = cells.join_times(begins, ends)
            except cells.CellError as exc:
                errors.add(row.number, "end_time", exc.message, exc.hint)
    else:
        missing = "end_time" if "start_time" in row.values else "time"
        errors.add(row.number, missing, "is empty, and a class needs its start and end time", cells.TIME_HINT)
        time = None
    session: dict[str, Any] = {"time": time}
    language = errors.read(row, "session_language", cells.text)
    if language:
        session["language"] = cells.language_code(language)
    if "dates" in row.values:
        dates = [errors.read(Row(row.number, {"dates": d}), "dates", cells.date)
                 for d in cells.words(row.values["dates"])]
        session["dates"] = [d for d in dates if d]
        return session
    start = errors.read(row, "start", cells.date)
    if start is None and "start" not in row.values:
        errors.add(row.number, "start", "is empty, and a class needs its first date",
                   "give the start date, or every meeting's date under Dates")
        return None
    session["start"] = start
    if "weekday" in row.values:
        session["weekday"] = errors.read(row, "weekday", cells.weekday)
    elif start:
        session["weekday"] = start.strftime("%A")
    if "rrule" in row.values:
        session["rrule"] = cells.text(row.values["rrule"])
    elif "weeks" in row.values:
        session["weeks"] = errors.read(row, "weeks", cells.whole_number)
    else:
        errors.add(row.number, "weeks", "is empty, and a class that starts on a date needs its number of weeks",
                   "give Weeks (such as 6), or a rule under Repeats, or every date under Dates")
    return session


_SESSION_FIELDS = {"start": "start", "weekday": "weekday", "time": "time", "weeks": "weeks", "rrule": "rrule",
                   "dates": "dates", "exdates": "dates", "language": "session_language"}
_FIELD_COLUMNS = {
    "id": "id", "name": "name", "provider": "provider", "description": "description", "audiences": "audiences",
    "format": "format", "childcare": "childcare", "languages": "languages", "court_ordered": "court_ordered",
    "verified": "verified", "status": "status", "location": "address", "cost": "cost", "registration": "url",
    "serves": "counties",
}
_NESTED_COLUMNS: dict[tuple[str, ...], str] = {
    ("location", "name"): "location", ("location", "address"): "address", ("location", "city"): "city",
    ("location", "state"): "state", ("location", "zip"): "zip", ("location", "accessibility"): "accessibility",
    ("cost", "amount"): "cost", ("cost", "note"): "cost_note", ("registration", "url"): "url",
    ("registration", "phone"): "phone", ("registration", "email"): "email", ("serves", "state"): "serves_state",
    ("serves", "counties"): "counties", ("serves", "zips"): "zips", ("serves", "statewide"): "statewide",
}


def _locate(path: FieldPath, origin: dict[str, int], session_rows: list[int], first: int, errors: _Errors) -> str:
    """``row N, column "Header"`` for a field of a program read from the sheet."""
    if not path:
        return errors.where(first, "name")
    top = path[0]
    if top == "sessions":
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
        row = session_rows[index] if index < len(session_rows) else first
        column = _SESSION_FIELDS.get(str(path[2]) if len(path) > 2 else "start", "start")
        return errors.where(row, column)
    names = tuple(p for p in path if isinstance(p, str))
    column = _NESTED_COLUMNS.get(names[:2]) or _FIELD_COLUMNS.get(str(top), "name")
    if column == "serves_state" and column not in errors.sheet.headers:
        column = "state"
    if column not in errors.sheet.headers:  # e.g. location.state when only an address was given
        column = next((c for c in ("address", "counties", "zips", "statewide") if c in errors.sheet.headers), "name") \
            if top in ("location", "serves") else column
    return errors.where(origin.get(column, first), column)
