"""Pydantic's errors in plain words: what a new user wrote, why the tool cannot read it, and the fix.

A content file is YAML written by hand, and YAML reads some text as something
else: ``zip: 02134`` is the number 1116, ``no`` is false, ``18:00`` is 1080,
``magenta: #F06EAA`` is empty because ``#`` starts a comment. Pydantic then says
"Input should be a valid string", which names neither the cause nor the fix.
:func:`explain` turns the first error of a model into one sentence and a hint
that says exactly what to write, using the value as it is written in the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tipsheets.core.errors import FieldPath, field_name

#: the words YAML 1.1 (PyYAML) reads as true or false
_BOOLEAN_WORDS = {w for word in ("yes", "no", "true", "false", "on", "off")
                  for w in (word, word.capitalize(), word.upper())}
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_US_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_LOOSE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CLOCK = r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?"
_AMPM_RANGE = re.compile(rf"{_CLOCK}\s*(?:-|–|to)\s*{_CLOCK}", re.IGNORECASE)
_TYPE_ERRORS = {"string_type", "date_type", "list_type", "int_type", "float_type", "bool_type", "dict_type",
                "model_type", "model_attributes_type", "literal_error", "enum", "url_type", "time_type",
                "datetime_type"}


@dataclass(frozen=True)
class Plain:
    """A plain message and its hint, and where to point: ``path`` (``key``: at the key, not the value)."""

    message: str
    hint: str
    path: FieldPath
    key: bool = False


def raw_value(lines: list[str], line: int, col: int) -> str:
    """The value as written at ``line``:``col`` (1-based): to the end of the line, without a comment or a
    flow list's next item. "" when the file's text is not known."""
    if not 0 < line <= len(lines):
        return ""
    text = lines[line - 1][col - 1:].strip()
    if text.startswith("#"):
        return text  # an empty value followed by a comment: the comment is what the user meant
    text = re.split(r"\s#|[,\]}]", text, maxsplit=1)[0].strip()
    return text


def explain(error: Any, loc: FieldPath, raw: str, model: type[BaseModel] | None) -> Plain | None:
    """Pydantic's ``error`` at ``loc`` (union tags removed) in plain words, or None to keep its own."""
    kind = str(error["type"])
    value = error.get("input")
    key = _key(loc)
    written = raw or _shown(value)
    if kind == "missing":
        name = str(loc[-1])
        where = f" under '{field_name(loc[:-1])}'" if loc[:-1] else ""
        return Plain(f"required field '{name}' is missing", f"add a line `{name}: ...`{where}; "
                     "`tipsheets schema` lists the fields and what each holds", loc[:-1])
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        close = close_field(str(loc[-1]), known)
        hint = (f"did you mean '{close[0]}'?" if close
                else "check the spelling; `tipsheets schema` lists the fields")
        return Plain(f"unknown field '{loc[-1]}'", hint, loc, key=True)
    if value is None and kind in _TYPE_ERRORS | {"date_parsing", "string_too_short"}:
        return empty_value(key, raw, loc)
    if isinstance(value, bool) and kind in _TYPE_ERRORS - {"bool_type"}:
        word = raw if raw in _BOOLEAN_WORDS else ("yes" if value else "no")
        return Plain(f"YAML reads {word} as {'true' if value else 'false'}, not as the text '{word}'",
                     f"put it in quotes: \"{word}\"", loc)
    if isinstance(value, (int, float)) and kind in ("string_type", "literal_error"):
        return _number_as_text(key, value, written, loc)
    if kind.startswith("date") or (kind == "string_type" and isinstance(value, dt.date)):
        return _date(key, value, written, loc, kind)
    if kind == "list_type":
        if isinstance(value, dict):
            return Plain(f"{key} is a list, but it holds fields", f"write each item on its own line starting "
                         f"with '- ', under {key}:", loc)
        return Plain(f"{key} is a list, but it holds one value",
                     f"write it as a list: {key}: [{written}], or one item per line starting with '- '", loc)
    if kind in ("string_type", "literal_error", "int_type", "float_type", "date_type") and isinstance(value, list):
        return Plain(f"{key} takes one value, not a list", "remove the brackets (or the '- ' lines) and give "
                     "one value", loc)
    if kind in ("string_type", "literal_error") and isinstance(value, dict):
        return Plain(f"{key} takes one value, not a mapping of fields",
                     "if the text holds ': ', put all of it in quotes", loc)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Plain(f"{key} needs its fields on the lines below it, not a value after the colon",
                     f"write {key}: alone on its line and each field under it, indented; `tipsheets schema` "
                     "lists them", loc)
    if kind == "too_short" and isinstance(value, list):
        least = error.get("ctx", {}).get("min_length", 1)
        return Plain(f"{key} is empty; it needs at least {least} item{'s' if least != 1 else ''}",
                     f"write each item on its own line under {key}:, starting with '- '", loc)
    if kind == "string_too_short":
        return empty_value(key, raw, loc)
    if kind == "bool_parsing":
        return Plain(f"'{value}' is not yes or no", "write true or false (yes and no work too)", loc)
    if kind in ("int_parsing", "float_parsing", "int_from_float"):
        digits = re.sub(r"[^\d.]", "", str(value))
        hint = (f"write the number alone, without $ or words: {digits}" if digits
                else "write it in digits, such as 6")
        return Plain(f"'{value}' is not a number", hint, loc)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(value).lower(), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else ""
        return Plain(f"'{value}' is not one of: {', '.join(allowed)}", hint, loc)
    if kind == "string_pattern_mismatch":  # quoted as written: a validator may have tidied the value
        as_written = raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "'\"" else raw
        return _pattern(key, as_written or str(value), str(error.get("ctx", {}).get("pattern", "")), loc)
    return None


def _key(loc: FieldPath) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "the value"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def close_field(name: str, known: list[str]) -> list[str]:
    """The field ``name`` most likely meant, as a list of none or one: a field it begins with or that begins with it
    (``zipcode``: ``zip``), else one spelled much alike (``titel``: ``title``; not ``colour``: ``columns``)."""
    lowered = name.lower()
    by_prefix = [k for k in known
                 if min(len(k), len(lowered)) >= 3 and (lowered.startswith(k) or k.startswith(lowered))]
    return by_prefix[:1] or difflib.get_close_matches(name, known, n=1, cutoff=0.7)


def empty_value(key: str, raw: str, loc: FieldPath) -> Plain:
    """What to say about ``key``, given no value (``raw``: what the line holds after it, such as a comment)."""
    if raw.startswith("#"):
        word = raw.split()[0]
        if _HEX_COLOUR.fullmatch(word):
            return Plain(f"{key} is empty: YAML reads '{word}' as a comment",
                         f"# starts a comment in YAML: put the colour in quotes: {key}: \"{word}\"", loc)
        return Plain(f"{key} is empty: YAML reads '{raw}' as a comment",
                     f"# starts a comment in YAML: put the value in quotes: {key}: \"{raw}\"", loc)
    return Plain(f"{key} is empty", "give it a value, or remove the line if the field is optional", loc)


def _number_as_text(key: str, value: int | float, written: str, loc: FieldPath) -> Plain:
    zip_code = key in ("zip", "zips") or (key.endswith("zip") and len(written) <= 5)
    what = "the ZIP code" if zip_code else "it"
    if written.startswith("0") and written.isdigit() and str(value) != written:
        return Plain(f"YAML reads {written} as the number {value} and loses the leading zero",
                     f"put {what} in quotes: \"{written}\"", loc)
    if re.fullmatch(r"\d+:\d\d(:\d\d)?", written):
        return Plain(f"YAML reads {written} as the number {value}, not as a time",
                     f"put it in quotes: \"{written}\"", loc)
    if zip_code:
        if len(written) < 5 and written.isdigit():
            return Plain(f"YAML reads {written} as a number: a ZIP code has five digits",
                         f"put the ZIP code in quotes, with its leading zeros: \"{written.zfill(5)}\"", loc)
        return Plain(f"YAML reads {written} as a number, but a ZIP code is text",
                     f"put the ZIP code in quotes: \"{written}\"", loc)
    return Plain(f"YAML reads {written} as a number, but {key} is text", f"put it in quotes: \"{written}\"", loc)


def _date(key: str, value: Any, written: str, loc: FieldPath, kind: str) -> Plain:
    if isinstance(value, dt.datetime) or kind == "date_from_datetime_inexact":
        return Plain(f"{key} is a date, without a time of day", "write the date alone, such as 2027-01-12", loc)
    iso = _as_iso(str(value))
    if iso:
        return Plain(f"'{value}' is not a date the tool reads", f"write dates as {iso} (year-month-day)", loc)
    return Plain(f"'{written}' is not a date", "write dates as year-month-day, such as 2027-01-12", loc)


def _as_iso(text: str) -> str:
    """``1/12/2027`` (month/day/year, as in the US) or ``2027-1-12`` → ``2027-01-12``; "" if neither."""
    text = text.strip()
    for pattern, order in ((_US_DATE, (3, 1, 2)), (_LOOSE_ISO, (1, 2, 3))):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match[i]) for i in order)
            year += 2000 if year < 100 else 0
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return ""
    return ""


def _pattern(key: str, value: str, pattern: str, loc: FieldPath) -> Plain | None:
    if "[01]\\d|2[0-3]" in pattern:  # a time range
        fixed = _twenty_four_hour(value)
        example = f'"{fixed}"' if fixed else '"18:00-20:00"'
        return Plain(f"'{value}' is not a time range the tool reads",
                     f"write it as {example}: start and end on the 24-hour clock, joined by a hyphen, in quotes",
                     loc)
    if "\\d{5}" in pattern:  # a ZIP code
        if value.isdigit() and len(value) < 5:
            return Plain(f"'{value}' is not a five-digit ZIP code",
                         f"a ZIP code that starts with 0 keeps it: \"{value.zfill(5)}\"", loc)
        return Plain(f"'{value}' is not a five-digit ZIP code", "write the five digits only, in quotes, such as "
                     "\"30601\"", loc)
    if "[A-Z]{2}$" in pattern and re.fullmatch(r"[A-Za-z]{2}", value):
        return Plain(f"'{value}' is not a state code in capitals", f"write it as '{value.upper()}'", loc)
    return None


def _twenty_four_hour(value: str) -> str:
    """``6pm-8pm`` or ``6:30 PM - 8 PM`` → ``18:00-20:00``; "" when it is not such a range."""
    match = _AMPM_RANGE.fullmatch(value.strip())
    if not match:
        return ""
    times = []
    for hour, minute, half in ((match[1], match[2], match[3]), (match[4], match[5], match[6])):
        h, m = int(hour), int(minute or 0)
        if not (1 <= h <= 12 and 0 <= m < 60):
            return ""
        times.append(f"{h % 12 + (12 if half.lower() == 'p' else 0):02d}:{m:02d}")
    return "-".join(times)


# --------------------------------------------------------------------------- the model at a path


def _field_names(model: type[BaseModel] | None, path: FieldPath) -> list[str]:
    """The fields of the model found at ``path`` inside ``model``; [] when it cannot be told."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    models = [m for m in _members(current) if isinstance(m, type) and issubclass(m, BaseModel)]
    return sorted({name for m in models for name in m.model_fields}) if models else []


def _step(annotation: Any, part: str | int) -> Any:
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if isinstance(part, int) and origin in (list, tuple):
            return typing.get_args(member)[0]
        if isinstance(part, str):
            if isinstance(member, type) and issubclass(member, BaseModel) and part in member.model_fields:
                return member.model_fields[part].annotation
            if origin is dict:
                return typing.get_args(member)[1]
    return None


def _members(annotation: Any) -> list[Any]:
    """The types an annotation may hold: the members of a union, inside Annotated, else itself."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]
