"""When a class meets: a session's dates, from any of its three forms.

A program's ``sessions`` are written in one of three forms:

- **a weekly course**: ``start``, ``weekday`` and ``weeks`` (six Tuesdays from
  January 12). It is one run of the class, joined at its start, and is printed
  as one line: "Tue, Jan 12–Feb 16 · 6:00–8:00 PM · 6 weeks".
- **a recurrence**: ``start`` and an RFC 5545 ``rrule`` such as
  ``FREQ=WEEKLY;BYDAY=TU;COUNT=6``, with optional ``exdates`` (meetings that
  are called off). Each date the rule yields is a meeting of its own, printed
  as one line: "Tue, Jan 12 · 6:00–8:00 PM".
- **a list of dates**: ``dates``, each a meeting of its own.

Rules are expanded with python-dateutil's ``rrule``, and they must be bounded:
a rule needs ``COUNT`` or ``UNTIL``, may not repeat more often than daily,
and may yield at most :data:`MAX_DATES` dates. A rule that breaks one of these
raises :class:`RuleError`, whose message is a plain sentence with a hint.

Pure functions over plain values; nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any, Iterable

#: the most dates one rule may yield; a class that meets daily for a year is 365
MAX_DATES = 400

#: rule parts tipsheets understands (RFC 5545 section 3.3.10), less the sub-daily ones
_PARTS = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH",
          "BYSETPOS", "WKST"}
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_UNTIL = re.compile(r"^(\d{8})(?:T\d{6}Z?)?$")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class RuleError(ValueError):
    """A recurrence rule that cannot be used; the message says why, with ``(hint: ...)``."""


@dataclass(frozen=True)
class Occurrence:
    """One run of a class as the handouts print it: a weekly course, or a single meeting.

    It carries the fields a :class:`~tipsheets.model.Session` of the weekly form
    has, so the printing code treats both alike: a single meeting is a run of one week.
    """

    start: dt.date
    weekday: str
    time: str
    weeks: int
    language: str

    @property
    def last(self) -> dt.date:
        return self.start + dt.timedelta(weeks=self.weeks - 1)

    @property
    def single(self) -> bool:
        """True for one meeting (from a rule or a list of dates), False for a course of weeks."""
        return self.weeks == 1


def normalise_rule(text: str) -> str:
    """The rule without an ``RRULE:`` prefix or spaces, its part names in capitals, ``UNTIL`` as a date."""
    body = "".join(text.split())
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    parts = []
    for part in filter(None, body.split(";")):
        name, sep, value = part.partition("=")
        if not sep or not name or not value:
            raise RuleError(f"'{part}' is not a rule part like FREQ=WEEKLY "
                            "(hint: write the rule as FREQ=WEEKLY;BYDAY=TU;COUNT=6)")
        name, value = name.upper(), value.upper()
        if name == "UNTIL":
            match = _UNTIL.match(value)
            if not match:
                raise RuleError(f"UNTIL={value} is not a date (hint: write UNTIL=20270216, the last day it may meet)")
            value = match[1]
        parts.append(f"{name}={value}")
    return ";".join(parts)


def check_rule(text: str, start: dt.date) -> tuple[dt.date, ...]:
    """The dates ``text`` yields from ``start``; :class:`RuleError` when it is unbounded or unusable."""
    return rule_dates(text, start, ())


@functools.lru_cache(maxsize=4096)  # keyed by the rule's full value: a pure function, nothing to go stale
def rule_dates(text: str, start: dt.date, exdates: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """Every date ``text`` yields from ``start`` (less ``exdates``), in order; bounded or refused."""
    from dateutil.rrule import rrulestr  # imported when first needed: slow to import, and not every command needs it

    rule = normalise_rule(text)
    names = [part.partition("=")[0] for part in rule.split(";") if part]
    if not names:
        raise RuleError("the rule is empty (hint: write FREQ=WEEKLY;BYDAY=TU;COUNT=6)")
    unknown = [n for n in names if n not in _PARTS]
    if "DTSTART" in unknown:
        raise RuleError("the rule may not give DTSTART (hint: the session's start date is where the rule begins)")
    if unknown:
        finer = [n for n in unknown if n in ("BYHOUR", "BYMINUTE", "BYSECOND")]
        hint = ("the session's time gives the hours" if finer
                else "use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, COUNT and UNTIL")
        raise RuleError(f"the rule part {unknown[0]} is not supported (hint: {hint})")
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise RuleError(f"the rule gives {twice} twice (hint: give each part once)")
    freq = dict(part.split("=", 1) for part in rule.split(";")).get("FREQ")
    if freq is None:
        raise RuleError("the rule has no FREQ (hint: start it with FREQ=WEEKLY, FREQ=MONTHLY or FREQ=DAILY)")
    if freq not in _FREQUENCIES:
        raise RuleError(f"FREQ={freq} is not allowed: a class meets at most once a day "
                        "(hint: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)")
    if "COUNT" not in names and "UNTIL" not in names:
        raise RuleError("the rule has no end (hint: add COUNT=6 for six meetings, or UNTIL=20270216 for the "
                        "last day it may meet)")
    if "COUNT" in names and "UNTIL" in names:
        raise RuleError("the rule gives both COUNT and UNTIL (hint: give one of them)")
    begin = dt.datetime.combine(start, dt.time())
    try:
        parsed = rrulestr(rule, dtstart=begin)
        found = list(itertools.islice(parsed, MAX_DATES + 1 + len(exdates)))
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise RuleError(f"the rule cannot be read: {_plain(exc)} "
                        "(hint: write it as FREQ=WEEKLY;BYDAY=TU;COUNT=6, as in RFC 5545)") from None
    skip = set(exdates)
    dates = [d.date() for d in found if d.date() not in skip]
    if len(dates) > MAX_DATES:
        raise RuleError(f"the rule yields more than {MAX_DATES} dates (hint: a session lists one run of a "
                        "class; use a smaller COUNT or an earlier UNTIL, and add a session for the next run)")
    if not dates:
        raise RuleError(f"the rule yields no date on or after the start {start.isoformat()} "
                        "(hint: check BYDAY, UNTIL and COUNT against the start date)")
    return tuple(dates)


def _plain(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def weekday_name(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def occurrences(session: Any) -> list[Occurrence]:
    """The runs a session stands for, in date order: one for a weekly course, one per meeting otherwise.

    ``session`` is a :class:`~tipsheets.model.Session` (already validated, so its rule is bounded).
    """
    if getattr(session, "rrule", None):
        dates: Iterable[dt.date] = rule_dates(session.rrule, session.start, tuple(sorted(session.exdates)))
    elif getattr(session, "dates", None):
        skip = set(session.exdates)
        dates = sorted(d for d in set(session.dates) if d not in skip)
    else:
        return [Occurrence(session.start, session.weekday, session.time, session.weeks, session.language)]
    return [Occurrence(day, weekday_name(day), session.time, 1, session.language) for day in dates]
