"""Reading one value the way people and spreadsheets write it, or saying plainly why not.

Every reader takes the raw value (a string from a CSV file; a string, number,
boolean, date or time from an XLSX cell) and returns the typed value, or raises
:class:`CellError` with a plain message and a hint. The importers add where
the value came from (``row 7, column "Start date"``).

Habits of spreadsheets these readers undo:

- dates as Excel serial numbers (``46399``), as ``1/12/2027`` (month first, as
  in the United States), as ``2027-01-12``, or as date cells; a two-digit year
  (``1/12/27``) is refused rather than guessed;
- ZIP codes stored as numbers, which lose their leading zero (``2134`` for
  ``02134``): restored for the states whose ZIP codes start with 0, refused
  elsewhere (a four-digit ZIP in Georgia is a missing digit, not a lost zero);
- phone numbers stored as numbers (``7065550110``, or ``7.06555E+09``);
- ``TRUE``/``FALSE`` cells, and yes/no, y/n, x in a checkbox column.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Mapping

from tipsheets.core.contact import parse_phone

#: states (and territories) whose ZIP codes start with 0
ZERO_ZIP_STATES = frozenset({"CT", "MA", "ME", "NH", "NJ", "PR", "RI", "VT", "VI"})

#: Excel's day 0 (serial numbers count from it; 1900 is wrongly a leap year in Excel, hence the 30th)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: serial numbers accepted as dates: 2000-01-01 to 2099-12-31
_SERIALS = range(36526, 73415)

DATE_HINT = "write dates as 2027-01-12 or 1/12/2027"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CellError(ValueError):
    """A value that cannot be read; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """A value as quoted in a message: ``'13/45/2027'``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} is not a number", "write a number such as 0 or 25")
    if isinstance(value, (int, float)):
        return float(value)
    cleaned = str(value).strip().replace("$", "").replace(",", "")
    if cleaned.lower() in ("free", "none", "no cost"):
        return 0.0
    try:
        return float(cleaned)
    except ValueError:
        raise CellError(f"{shown(value)} is not a number", "write an amount such as 0 (free) or 25") from None


def whole_number(value: Any) -> int:
    amount = number(value)
    if not amount.is_integer():
        raise CellError(f"{shown(value)} is not a whole number", "write a whole number such as 6")
    return int(amount)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in ("true", "yes", "y", "x", "1", "✓", "✔"):
        return True
    if word in ("false", "no", "n", "0", "-"):
        return False
    raise CellError(f"{shown(value)} is not yes or no", "write yes or no (TRUE or FALSE also work)")


def date(value: Any) -> dt.date:
    """A date cell, an Excel serial number, ``2027-01-12`` or ``1/12/2027`` (month first)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} is not a date", DATE_HINT)
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{5}(\.0+)?", str(value).strip()):
        serial = float(value)
        if serial.is_integer() and int(serial) in _SERIALS:
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        raise CellError(f"{shown(value)} is not a date", DATE_HINT)
    raw = str(value).strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                       r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?", raw)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), value)
    us = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})"
                      r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?", raw)
    if us:
        month, day, year = int(us[1]), int(us[2]), us[3]
        if len(year) == 2:
            raise CellError(f"{shown(value)} has a two-digit year",
                            f"write the year in full: {month}/{day}/20{year} or 20{year}-{month:02d}-{day:02d}")
        if month > 12 and day <= 12:
            raise CellError(f"{shown(value)} is not a date: dates are read month first, as in the United States",
                            f"for {calendar.month_name[day]} {month}, write {day}/{month}/{year} or "
                            f"{year}-{day:02d}-{month:02d}")
        return _make(int(year), month, day, value)
    raise CellError(f"{shown(value)} is not a date", DATE_HINT)


def _make(year: int, month: int, day: int, raw: Any) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"{shown(raw)} is not a date", DATE_HINT) from None


_CLOCK = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*([ap]\.?\s*m\.?)?\s*$", re.IGNORECASE)
TIME_HINT = "write the time as 6:00 PM-8:00 PM or 18:00-20:00"


def clock(value: Any) -> dt.time:
    """One time of day: a time cell, an Excel fraction of a day, ``18:00``, ``6 PM``, ``6:30pm``."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    match = _CLOCK.match(str(value))
    if not match:
        raise CellError(f"{shown(value)} is not a time of day", TIME_HINT)
    return _hour(int(match[1]), int(match[2] or 0), match[3], value)


def _hour(hour: int, minute: int, meridiem: str | None, raw: Any) -> dt.time:
    if meridiem:
        if not 1 <= hour <= 12:
            raise CellError(f"{shown(raw)} is not a time of day", TIME_HINT)
        pm = meridiem.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise CellError(f"{shown(raw)} is not a time of day", TIME_HINT)
    return dt.time(hour, minute)


def time_range(value: Any) -> str:
    """``18:00-20:00`` from "6:00 PM-8:00 PM", "6-8 pm", "6pm to 8pm", "18:00–20:00"."""
    raw = str(value).strip()
    parts = re.split(r"\s*(?:-|–|—|to|until)\s*", raw, maxsplit=1, flags=re.IGNORECASE)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise CellError(f"{shown(value)} is not a start and end time", TIME_HINT)
    first, second = parts
    start_m = _CLOCK.match(first)
    end_m = _CLOCK.match(second)
    if not start_m or not end_m:
        raise CellError(f"{shown(value)} is not a start and end time", TIME_HINT)
    end = _hour(int(end_m[1]), int(end_m[2] or 0), end_m[3], value)
    meridiem = start_m[3]
    if meridiem is None and end_m[3] is not None:  # "6-8 pm": the start shares the end's half of the day
        meridiem = end_m[3]
        if int(start_m[1]) > int(end_m[1]) % 12 and int(start_m[1]) != 12:  # "11-1 pm" starts in the morning
            meridiem = "am"
    start = _hour(int(start_m[1]), int(start_m[2] or 0), meridiem, value)
    return join_times(start, end, value)


def join_times(start: dt.time, end: dt.time, raw: Any = "") -> str:
    if end <= start:
        raise CellError(f"{shown(raw) if raw else 'the time'} ends before it starts",
                        "write the start time first, such as 6:00 PM-8:00 PM")
    return f"{start:%H:%M}-{end:%H:%M}"


_DAY_FORMS: dict[str, str] = {}
for _name in WEEKDAYS:
    for _form in (_name.lower(), _name.lower() + "s", _name.lower()[:3], _name.lower()[:2]):
        _DAY_FORMS.setdefault(_form, _name)
_DAY_FORMS.update({"tues": "Tuesday", "weds": "Wednesday", "thur": "Thursday", "thurs": "Thursday"})


def weekday(value: Any) -> str:
    """"Tuesday", "Tuesdays", "Tue", "Tu" → "Tuesday"."""
    name = _DAY_FORMS.get(str(value).strip().lower().rstrip("."))
    if name is None:
        raise CellError(f"{shown(value)} is not a day of the week", "write Monday, Tuesday, ... (or Mon, Tue, ...)")
    return name


def zip_code(value: Any, state: str | None) -> str:
    """A five-digit ZIP code; a number that lost its leading zero gets it back where ZIPs start with 0."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    match = re.fullmatch(r"(\d{3,5})(?:-\d{4})?", raw)
    if not match:
        raise CellError(f"{shown(value)} is not a ZIP code", "write a five-digit ZIP code such as 30601")
    digits = match[1]
    if len(digits) == 5:
        return digits
    if state in ZERO_ZIP_STATES:  # a number cell dropped the leading zero(s)
        return digits.zfill(5)
    where = f" in {state}" if state else ""
    raise CellError(f"{shown(value)} is not a five-digit ZIP code{where}",
                    "write all five digits; format the column as text so a leading 0 is kept")


def phone(value: Any) -> str:
    """A North American phone number, tidied: ``(706) 555-0110``; a number cell is read as its digits."""
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} is not a phone number", "write a ten-digit number such as (706) 555-0110")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"{shown(value)} is not a phone number (the cell holds a rounded number)",
                            "format the column as text and write the number as (706) 555-0110")
        value = str(int(value))
    parsed = parse_phone(str(value))
    if parsed is None:
        raise CellError(f"{shown(value)} is not a phone number that can be dialled",
                        "write a ten-digit North American number, such as (706) 555-0110")
    return parsed.display


def words(value: Any) -> list[str]:
    """A list written in one cell: "Clarke, Oconee" or "Clarke; Oconee" or one per line."""
    return [part.strip() for part in re.split(r"[,;\n]", str(value)) if part.strip()]


def language_code(name: str) -> str:
    """"Spanish", "español", "es" → "es"; a name it does not know is returned as it is (and then refused)."""
    from babel import Locale  # imported when first needed: slow to import, and not every command needs it

    word = str(name).strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", word):
        return word.lower()
    for display in ("en", "es"):
        languages: Mapping[str, str] = Locale.parse(display).languages  # language code → its name
        for code, label in languages.items():
            if label.casefold() == word.casefold() and "_" not in code:
                return code
    return word
