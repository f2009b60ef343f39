"""Local programs and offices: which programs serve an office, and what to print about them.

Pure functions over the content models; no I/O and no rendering. Desk aids,
flyers, the checks and ``tipsheets list`` all use the same rules, so the
programs a desk aid prints are exactly the ones ``tipsheets list`` shows.

Matching
    A program serves an office when one of its areas and one of the office's
    areas are in the same state and the program's area covers the whole state,
    or the two name a county in common (compared with
    :func:`tipsheets.counties.county_key`: without regard to case, spacing, "St."
    or "Saint", or a trailing "County", "Parish" or "Borough"), or a ZIP code in
    common. An online program is taken at
    its word for the state it names: it matches on state alone, because people
    join from home.

Upcoming sessions
    A session is upcoming when it starts on or after the build date. Past
    sessions are never printed.

Provider dominance
    A desk aid is co-branded with a provider when that provider runs more than
    half of the programs the desk aid lists.

Phone numbers
    :func:`parse_phone` reads North American (NANP) numbers only: ten digits,
    optionally after a leading 1 or +1, in any of the usual punctuations, with
    an optional extension ("ext. 12", "x12"). The area code and exchange must
    start with 2-9. Every office and program in scope is in the United States,
    so a full international library is not needed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .counties import county_key  # the folding lives with the county lists
from .model import Area, Office, Program, Session

#: how many upcoming sessions a flyer lists (it has room for more than a desk aid)
FLYER_SESSIONS = 4


# --------------------------------------------------------------------------- areas


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
    chosen = [p for p in programs if serves(p, office)]

    def order(program: Program) -> tuple:
        upcoming = upcoming_sessions(program, as_of) if as_of else []
        first = upcoming[0].start if upcoming else dt.date.max
        return (program.format == "online", first, program.name.casefold(), program.id)

    return sorted(chosen, key=order)


# --------------------------------------------------------------------------- sessions


def upcoming_sessions(program: Program, as_of: dt.date, limit: int | None = None) -> list[Session]:
    """Sessions starting on or after ``as_of``, soonest first, at most ``limit`` of them."""
    sessions = sorted((s for s in program.sessions if s.start >= as_of), key=lambda s: (s.start, s.time))
    return sessions[:limit] if limit is not None else sessions


def last_meeting(session: Session) -> dt.date:
    """The date of a session's last weekly meeting."""
    return session.start + dt.timedelta(weeks=session.weeks - 1)


def session_times(session: Session) -> tuple[dt.time, dt.time]:
    start, end = session.time.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


# --------------------------------------------------------------------------- providers


def dominant_provider(programs: list[Program]) -> str | None:
    """The provider that runs more than half of ``programs``, if there is one."""
    if not programs:
        return None
    provider, count = Counter(p.provider for p in programs).most_common(1)[0]
    return provider if count * 2 > len(programs) else None


def providers(programs: Iterable[Program]) -> list[str]:
    """Every provider of ``programs``, once each, in order of first appearance."""
    return list(dict.fromkeys(p.provider for p in programs))


# --------------------------------------------------------------------------- addresses and phones


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host and no spaces."""
    return bool(re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", url.strip(), re.IGNORECASE))


def short_address(url: str) -> str:
    """The address to print: without ``https://`` (or ``http://``) and a trailing slash."""
    text = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    return text[:-1] if text.endswith("/") and text.count("/") == 1 else text


@dataclass(frozen=True)
class Phone:
    """A parsed North American phone number."""

    area: str
    exchange: str
    line: str
    extension: str = ""

    @property
    def display(self) -> str:
        """``(706) 555-0110`` (toll-free numbers as ``1-800-799-7233``), with ``ext. N`` if any."""
        if self.area[0] == "8" and self.area[1] == self.area[2]:  # 800, 888, 877, 866, 855, 844, 833
            text = f"1-{self.area}-{self.exchange}-{self.line}"
        else:
            text = f"({self.area}) {self.exchange}-{self.line}"
        return f"{text} ext. {self.extension}" if self.extension else text

    @property
    def tel(self) -> str:
        """A ``tel:`` link target (RFC 3966)."""
        ext = f";ext={self.extension}" if self.extension else ""
        return f"tel:+1-{self.area}-{self.exchange}-{self.line}{ext}"


_EXTENSION = re.compile(r"\s*(?:,|;|ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


def parse_phone(text: str) -> Phone | None:
    """Read a North American phone number, or return None if ``text`` is not one.

    Accepts ``(706) 555-0110``, ``706-555-0110``, ``706.555.0110``,
    ``+1 706 555 0110``, ``1-800-799-7233`` and an extension such as
    ``ext. 12``. Letters (``1-800-FLOWERS``) and short numbers are refused.
    """
    text = text.strip()
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension = match[1]
        text = text[: match.start()]
    if not re.fullmatch(r"\+?[\d\s().\-]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    elif text.startswith("+"):
        return None
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return Phone(digits[:3], digits[3:6], digits[6:], extension)


def phone_display(text: str) -> str:
    """A phone number as printed: tidied if it parses, else as written."""
    phone = parse_phone(text)
    return phone.display if phone else text


# --------------------------------------------------------------------------- QR codes


@functools.lru_cache(maxsize=1024)  # a program's code appears on its flyer, cards and every desk aid
def _qr(url: str):  # noqa: ANN202
    import segno

    return segno.make(url, error="m", micro=False)


@functools.lru_cache(maxsize=1024)
def qr_data_uri(url: str, *, dark: str = "#000000") -> str:
    """An SVG QR code (vector paths) that encodes exactly ``url``, as a ``data:`` URI for an ``<img>``."""
    return _qr(url).svg_data_uri(scale=1, border=4, dark=dark, light="#ffffff", omitsize=True)


@functools.lru_cache(maxsize=1024)
def qr_png_data_uri(url: str, *, dark: str = "#000000") -> str:
    """The same QR code as a PNG ``data:`` URI, 10 pixels a module, to be shown without smoothing.

    For paper: WeasyPrint draws an SVG code path by path on every use (a sheet of
    ten cards spent half its time there), while a PNG is stored once in the PDF and
    placed as often as needed. Scaled by whole pixels with smoothing off
    (``image-rendering: pixelated``), its edges stay as sharp as the vector's.
    """
    return _qr(url).png_data_uri(scale=10, border=4, dark=dark, light="#ffffff")


@dataclass(frozen=True)
class QRCode:
    """A QR code for a web address, drawn in ``dark`` on white: SVG for screens, PNG for paper."""

    url: str
    dark: str = "#000000"

    @property
    def svg_uri(self) -> str:
        return qr_data_uri(self.url, dark=self.dark)

    @property
    def png_uri(self) -> str:
        return qr_png_data_uri(self.url, dark=self.dark)
