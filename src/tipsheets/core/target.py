"""What the build makes: one :class:`Target` per handout and language, and the :class:`Layout` it settles on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """How a handout is set: the choices the layout search may make, as plain values.

    The print stage returns the layout a handout settled on; the renderer reads
    it from here, never from the target.
    """

    #: upcoming sessions listed per program; None: the project's or the kind's default
    sessions: int | None = None
    #: the compact setting of a one-page handout (smaller type, more cards across)
    compact: bool = False
    #: the tighter setting of a handout of several pages (10 pt type, less space)
    tight: bool = False
    #: how many of its listed items (a desk aid's programs) a handout prints; None: all of them
    listed: int | None = None


REGULAR = Layout()


@dataclass(frozen=True)
class Target:
    """One handout in one language: what to render, from which files, and where it goes."""

    #: the kind of handout (see :mod:`tipsheets.handouts`)
    kind: str
    #: the document's id: a tip sheet, office, program or edition id
    id: str
    locale: str
    #: the page template, such as ``desk-aid/page.html.j2``
    template: str
    #: output path without extension, relative to the output folder, e.g. "tipsheets/win-win.es"
    stem: str
    #: every content file it reads, as shown (relative to the project root)
    inputs: tuple[str, ...]
    paper: str = "letter"
    #: portrait or landscape
    orientation: str = "portrait"
    title: str = ""
    #: whose wording rules apply to what it prints: agency-staff, practitioners or parents
    audience: str = "agency-staff"
    #: the office it is made for (desk aids, referral cards)
    office: str | None = None
    #: the program it is made for (flyers)
    program: str | None = None
    #: the programs it lists, in print order
    programs: tuple[str, ...] = ()
    #: the brands it prints, in order
    brands: tuple[str, ...] = ()
    #: the second language of a bilingual handout
    second: str | None = None
    #: how many pages it must fit on, where that is not its kind's (an office's two-page desk aid); 0: its kind's
    pages: int = 0
    #: the states whose classes it lists, chosen by area: a program file with an error that may serve one
    #: of them holds it back (a desk aid is never rewritten with a class silently missing)
    listing_states: tuple[str, ...] = ()
    #: sha256 over everything the output depends on; set by the build
    digest: str = ""

    @property
    def name(self) -> str:
        return self.stem

    def output(self, fmt: str) -> str:
        return f"{self.stem}.{fmt}"

    @property
    def locales(self) -> tuple[str, ...]:
        """Every language it prints: its own, and the second of a bilingual handout."""
        return (self.locale, self.second) if self.second else (self.locale,)


def slice_of(stem: str, count: int) -> int:
    """Which of ``count`` stable slices (0-based) the handout ``stem`` falls in, for ``build --shard``:
    it depends on the name alone, so a handout stays in its slice whatever else is added."""
    return int.from_bytes(hashlib.sha1(stem.encode()).digest()[:8], "big") % count
