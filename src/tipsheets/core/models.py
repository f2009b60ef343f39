"""The content types, as plain typed data. No I/O here.

Every model forbids unknown keys, so a misspelt field is reported rather than
silently ignored. Text fields that hold Markdown are marked ``Markdown``; they
accept the safe subset that :mod:`tipsheets.markdown` renders.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator,
                      model_validator)

from tipsheets.core.blocks import (BLOCK_TYPES, Block, ContactBox, Footnote, FootnoteMarker, Reference, SidebarItem,
                                   TipGroup, TipItem)
from tipsheets.core.fields import (HEX_COLOUR, AtField, Audience, Colour, EmailAddress, Id, Locale, Markdown, Model,
                                   Text, WebAddress)
from tipsheets.core.schedules import check_rule

__all__ = ["BLOCK_TYPES", "HEX_COLOUR", "Audience", "Block", "Colour", "ContactBox", "EmailAddress", "Footnote",
           "Id", "Locale", "Markdown", "Model", "Reference", "SidebarItem", "Text", "TipGroup", "TipItem", "WebAddress"]


# --------------------------------------------------------------------------- tip sheets


class Author(Model):
    name: Text
    role: Text | None = None
    organisation: Text | None = None
    #: the marker of a footnote about this author (``*``), printed after the name
    note: FootnoteMarker | None = None


class Section(Model):
    """A heading and a body of Markdown text (intro and closing sections)."""

    id: Id
    heading: Text
    body: Markdown


class Sidebar(Model):
    """A boxed list, such as the CSE services box."""

    id: Id
    heading: Text
    intro: Markdown | None = None
    items: list[SidebarItem] = Field(min_length=1)
    source: Markdown | None = None


class Tip(Model):
    """A numbered tip (or objective): heading, body, optional bullets."""

    id: Id
    heading: Text
    body: Markdown
    bullets: list[Markdown] = []


class CaseExample(Model):
    title: Text
    story: Markdown
    source: Markdown | None = None


# --------------------------------------------------------------------------- document options

Paper = Literal["letter", "legal", "a4"]
Orientation = Literal["portrait", "landscape"]


class Series(Model):
    """A numbered series the document belongs to: "Child Support Fact Sheet Series, Number 13"."""

    name: Text
    number: Annotated[int, Field(ge=0)] | Text | None = None


class RunningLine(Model):
    """A running header or footer: a line of text, and where the page number goes."""

    text: Text | None = None
    #: ``number``: "2 | text"; ``page-of-pages``: "Page 2 of 3" on the right; ``none``: no number.
    #: Not given: a footer numbers its pages "Page 2 of 3", a header does not.
    page_number: Literal["none", "number", "page-of-pages"] | None = None
    #: false: not on the first page
    first_page: bool = True


class DocumentOptions(Model):
    """How a document is set, beside what it says: paper, columns, banner lines, running lines, its look."""

    paper: Paper | None = None
    orientation: Orientation | None = None
    columns: Literal[1, 2] | None = None
    kicker: Text | None = None
    series: Series | None = None
    agency: list[Text] | None = None
    header: RunningLine | None = None
    footer: RunningLine | None = None
    layout: Id | None = None


#: the fields of the older form of a tip sheet's body, each shorthand for blocks
SHORTHAND = ("intro", "sidebars", "tips_heading", "tips", "closing", "case_example")


class TipSheet(DocumentOptions):
    id: Id
    title: Text
    subtitle: Text | None = None
    audience: Audience
    locale: Locale = "en"
    product_number: Text | None = None
    date: dt.date
    authors: list[Author] = []
    brands: list[Id] = Field(default=["default"], min_length=1, max_length=2)
    intro: list[Section] = []
    sidebars: list[Sidebar] = []
    tips_heading: Text | None = None
    tips: list[Tip] = []
    closing: list[Section] = []
    case_example: CaseExample | None = None
    blocks: list[Block] = []
    references: list[Reference] = []
    footnotes: list[Footnote] = []
    contact: ContactBox | None = None
    funding: Markdown | None = None

    @model_validator(mode="after")
    def _one_body(self) -> TipSheet:
        shorthand = [name for name in SHORTHAND if getattr(self, name) not in (None, [])]
        if self.blocks and shorthand:
            raise ValueError(f"the body is written twice: as blocks and as {shorthand[0]} (hint: move "
                             f"{shorthand[0]} into blocks, or the blocks into intro, tips and closing)")
        if not self.blocks and not shorthand:
            raise ValueError("a tip sheet needs a body (hint: give blocks, or intro and tips)")
        if self.tips and self.tips_heading is None:
            raise AtField("tips_heading", "required field 'tips_heading' is missing", missing=True)
        if self.tips_heading is not None and not self.tips:
            if "tips" in self.model_fields_set:
                raise AtField("tips", "tips is empty; it needs at least 1 item (hint: write each item on its own line "
                                      "under tips:, starting with '- ')")
            raise AtField("tips_heading", "tips_heading is given but there are no tips (hint: add tips, or leave "
                                          "out tips_heading)")
        markers = [note.marker for note in self.footnotes]
        for marker in markers:
            if markers.count(marker) > 1:
                raise ValueError(f"two footnotes are marked {marker} (hint: give each footnote its own marker)")
        return self


def body_blocks(sheet: TipSheet) -> list[Any]:
    """A tip sheet's body as blocks, in print order; the shorthand form read as the blocks it stands for.

    Sidebars become boxes beside the text, printed first so they float at the
    top; then the intro sections, the numbered tips, the closing sections, the
    place of an edition's classes box, and the case example.
    """
    from tipsheets.core.blocks import BoxBlock, CaseBlock, ClassesBlock, SectionBlock, TipsBlock

    if sheet.blocks:
        return list(sheet.blocks)
    out: list[Any] = []
    for sidebar in sheet.sidebars:
        out.append(BoxBlock(type="box", id=sidebar.id, heading=sidebar.heading, place="beside", intro=sidebar.intro,
                            items=sidebar.items, source=sidebar.source))
    out += [SectionBlock(type="section", id=s.id, heading=s.heading, body=s.body, part="intro") for s in sheet.intro]
    if sheet.tips:
        out.append(TipsBlock(type="tips", heading=sheet.tips_heading, style="numbered",
                             tips=[TipItem(id=t.id, heading=t.heading, body=t.body, bullets=t.bullets)
                                   for t in sheet.tips]))
    out += [SectionBlock(type="section", id=s.id, heading=s.heading, body=s.body, part="closing")
            for s in sheet.closing]
    out.append(ClassesBlock(type="classes"))
    if sheet.case_example is not None:
        c = sheet.case_example
        out.append(CaseBlock(type="case", title=c.title, story=c.story, source=c.source))
    return out


# --------------------------------------------------------------------------- brands: tipsheets' own keys


class BrandContact(Model):
    phone: Text | None = None
    email: Text | None = None
    web: Text | None = None
    address: Text | None = None


class TipsheetsBrandKeys(Model):
    """tipsheets' own keys in a brand file, under ``defaults: tipsheets:``.

    A brand file is read with Posit's ``brand_yml`` package (see
    :mod:`tipsheets.core.brandfile`); brand.yml keeps a tool's own settings
    under ``defaults``, one key per tool, so this is the only part of a brand
    file that tipsheets models itself.
    """

    contact: BrandContact | None = None
    funding: Markdown | None = None


# --------------------------------------------------------------------------- programs, offices, guidance


class Area(Model):
    """Where a program or office works: counties and/or ZIP codes in one state, or the whole state."""

    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    counties: list[Text] = []
    zips: list[Annotated[str, StringConstraints(pattern=r"^\d{5}$")]] = []
    statewide: bool = False

    @model_validator(mode="after")
    def _says_where(self) -> Area:
        if not (self.counties or self.zips or self.statewide):
            raise ValueError("an area needs counties, zips, or statewide: true")
        return self


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: how people write a weekday when the meaning is plain: any case, and the usual short forms
_WEEKDAY_SPELLINGS = {spelling: day for day in WEEKDAYS
                      for spelling in (day.lower(), day[:3].lower(), day[:4].lower())} | {"thurs": "Thursday"}


def _weekday(value: Any) -> Any:
    """``tuesday``, ``TUESDAY``, ``Tue`` or ``Tues`` → ``Tuesday``; anything else is left for the check."""
    return _WEEKDAY_SPELLINGS.get(value.strip().lower(), value) if isinstance(value, str) else value


def _time_range(value: Any) -> Any:
    """``18:00 - 20:00`` → ``18:00-20:00``: spaces around the hyphen change nothing."""
    return re.sub(r"\s*[-–]\s*", "-", value.strip()) if isinstance(value, str) else value


Weekday = Annotated[Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                    BeforeValidator(_weekday)]


TimeRange = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"),
                      BeforeValidator(_time_range)]


class Session(Model):
    """One run of a class, in one of three forms (see :mod:`tipsheets.schedules`):

    a weekly course (``start``, ``weekday``, ``weeks``); a recurrence (``start`` and an
    RFC 5545 ``rrule``, with optional ``exdates``); or a list of ``dates``.
    """

    start: dt.date | None = None
    weekday: Weekday | None = None
    time: TimeRange
    weeks: Annotated[int, Field(ge=1, le=52)] | None = None
    rrule: Text | None = None
    dates: list[dt.date] = []
    exdates: list[dt.date] = []
    language: Locale = "en"

    @field_validator("rrule")
    @classmethod
    def _bounded_rule(cls, value: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("start")
        if value is not None and isinstance(start, dt.date):
            check_rule(value, start)  # RuleError is a ValueError: reported at sessions[i].rrule
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Session:
        if self.rrule is not None:
            if self.start is None:
                raise ValueError("a session with an rrule needs a start date, where the rule begins")
            if self.weeks is not None or self.dates:
                raise ValueError("give a session's meetings one way: an rrule, or weeks, or a list of dates")
        elif self.dates:
            if self.start is not None or self.weeks is not None or self.weekday is not None:
                raise ValueError("a session with a list of dates takes no start, weekday or weeks")
        else:
            missing = [name for name in ("start", "weekday", "weeks") if getattr(self, name) is None]
            if missing:
                raise ValueError(f"a session needs {' and '.join(missing)} (a weekly course), or start and an rrule, "
                                 "or a list of dates (hint: write start: 2027-01-12, weekday: Tuesday, weeks: 6)")
            if self.exdates:
                raise ValueError("exdates go with an rrule or a list of dates, not with weeks")
        if self.start is not None and self.weekday is not None:
            actual = self.start.strftime("%A")
            if actual != self.weekday:
                raise ValueError(f"start {self.start.isoformat()} is a {actual}, not a {self.weekday}")
        return self


class Location(Model):
    name: Text
    address: Text
    city: Text
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    zip: Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
    accessibility: Text | None = None


class Cost(Model):
    amount: Annotated[float, Field(ge=0)] = 0
    note: Text | None = None


class Registration(Model):
    url: Text
    phone: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None


class LocalText(Model):
    """Per-locale text for a program or office, only where it differs."""

    name: Text | None = None
    description: Markdown | None = None
    #: an office's own extra referral guidance in this locale (replaces ``extra_guidance``)
    extra_guidance: list[Text] | None = None
    #: a program's access notes (``location.accessibility``) in this locale
    accessibility: Text | None = None


ProgramAudience = Literal[
    "co-parents",
    "separated-or-divorced-parents",
    "never-married-parents",
    "blended-families",
    "new-partners",
    "couples",
    "fathers",
    "mothers",
    "young-parents",
]


#: ``active`` (the default); ``not-taking-referrals`` (full, or closed to new referrals for now);
#: ``paused`` (not running for now); ``ended`` (it will not run again)
ProgramStatus = Literal["active", "not-taking-referrals", "paused", "ended"]


class ImportRecord(Model):
    """What ``tipsheets import`` wrote into a program file, so that a later import can tell a change
    upstream from a change a person made: the source, the record's id there, and a short digest
    of each field's value as imported."""

    format: Literal["spreadsheet", "hsds"]
    file: Text
    key: Text
    imported: dt.date
    fields: dict[str, Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]] = {}


class Program(Model):
    id: Id
    name: Text
    provider: Id
    description: Markdown
    audiences: list[ProgramAudience] = Field(min_length=1)
    format: Literal["in-person", "online", "hybrid"]
    sessions: list[Session] = []
    location: Location | None = None
    cost: Cost = Cost()
    childcare: bool = False
    languages: list[Locale] = ["en"]
    court_ordered: bool = False
    registration: Registration
    serves: list[Area] = Field(min_length=1)
    verified: dt.date
    status: ProgramStatus = "active"
    translations: dict[Locale, LocalText] = {}
    source: ImportRecord | None = None

    @model_validator(mode="after")
    def _in_person_has_location(self) -> Program:
        if self.format != "online" and self.location is None:
            raise ValueError(f"a {self.format} program needs a location")
        return self


class Contact(Model):
    name: Text
    phone: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None


class Office(Model):
    id: Id
    name: Text
    brand: Id
    serves: list[Area] = Field(min_length=1)
    address: Text
    phone: Text
    referral_contact: Contact | None = None
    family_violence_contact: Contact
    guidance: Id = "default"
    extra_guidance: list[Text] = []
    bilingual: bool = False
    #: program ids this office's desk aid and referral cards leave out
    exclude_programs: list[Id] = []
    #: the pages of its desk aid: 1, listing the nearest classes that fit (the rest are on the full list), or 2
    desk_aid_pages: Literal[1, 2] = 1
    translations: dict[Locale, LocalText] = {}


class Hotline(Model):
    name: Text
    phone: Text
    text: Text | None = None
    web: Text | None = None


class Safety(Model):
    heading: Text
    text: Markdown
    hotline: Hotline


class Guidance(Model):
    """Referral guidance ("when to refer"), printed on desk aids."""

    id: Id
    locale: Locale = "en"
    title: Text
    when_to_refer: list[Text] = Field(min_length=1)
    how_to_refer: list[Text] = []
    safety: Safety


class CountyList(Model):
    """The counties of one state, for checking areas (``content/areas/XX.yaml``)."""

    #: the file is named for its state, ``GA.yaml`` (or ``ga.yaml``)
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Text
    counties: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _named_for_state(self) -> CountyList:
        if self.id.upper() != self.state:
            raise ValueError(f"the file for state {self.state} must be named {self.state}.yaml")
        return self


# --------------------------------------------------------------------------- editions


class ClassesBox(Model):
    """The "Classes near you" box of an edition: programs chosen by id, by area, or both."""

    heading: Text | None = None
    intro: Markdown | None = None
    programs: list[Id] = []
    area: Area | None = None

    @model_validator(mode="after")
    def _says_which(self) -> ClassesBox:
        if not (self.programs or self.area):
            raise ValueError("the classes box needs programs (a list of ids), an area, or both")
        return self


class Change(Model):
    """One change to the base tip sheet, addressed by the stable id of a section, sidebar, tip or block.

    Exactly one operation key says what to do; the other keys are the item's fields::

        - replace: find-champion       # the fields given replace the base's; the rest stay
          body: New text.
        - remove: celebrate-success
        - insert_after: find-champion  # a whole new item, with its own id
          id: local-partners
          heading: ...
          body: ...
        - append: tips                 # a whole new item at the end of tips (or intro, closing, sidebars,
          id: ...                      # blocks, or the tips of a tips block or group named by its id)

    The item fields are checked against the item the change addresses (a
    section, a tip, a sidebar, a group of tips, or a block of any type) when
    the edition is laid over its base.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    replace: Id | None = None
    remove: Id | None = None
    insert_before: Id | None = None
    insert_after: Id | None = None
    append: Id | None = None
    # the fields most items have; a block's other fields (type, text, style, facts...) are allowed too
    id: Id | None = None
    heading: Text | None = None
    body: Markdown | None = None
    bullets: list[Markdown] | None = None
    intro: Markdown | None = None
    items: list[Any] | None = None
    source: Markdown | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> Change:
        given = [op for op in CHANGE_OPERATIONS if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a change needs exactly one of {', '.join(CHANGE_OPERATIONS)}"
                + (f"; this one has {' and '.join(given)}" if given else ""))
        return self

    @property
    def operation(self) -> str:
        return next(op for op in CHANGE_OPERATIONS if getattr(self, op) is not None)

    @property
    def target(self) -> str:
        """The id the change addresses (or, for ``append``, the part it appends to)."""
        return str(getattr(self, self.operation))

    def item_fields(self) -> dict[str, Any]:
        """The item fields the change gives, as written."""
        declared = {name: getattr(self, name) for name in CHANGE_ITEM_FIELDS
                    if name in self.model_fields_set and getattr(self, name) is not None}
        return {**declared, **(self.model_extra or {})}


CHANGE_OPERATIONS = ("replace", "remove", "insert_before", "insert_after", "append")
CHANGE_ITEM_FIELDS = ("id", "heading", "body", "bullets", "intro", "items", "source")


class Edition(DocumentOptions):
    """A practitioner's customised edition of a published tip sheet: only what differs from the base.

    Every field but ``base``, ``locale``, ``classes`` and ``changes`` replaces the
    base's when given; ``null`` takes the base's value away (``product_number: null``).
    """

    id: Id
    base: Id
    #: the base is the tip sheet file for this locale (``<base>.<locale>.yaml``); default: ``<base>.yaml``
    locale: Locale | None = None
    audience: Audience | None = None
    brands: list[Id] | None = Field(default=None, min_length=1, max_length=2)
    title: Text | None = None
    subtitle: Text | None = None
    tips_heading: Text | None = None
    date: dt.date | None = None
    product_number: Text | None = None
    authors: list[Author] | None = None
    references: list[Reference] | None = None
    footnotes: list[Footnote] | None = None
    contact: ContactBox | None = None
    funding: Markdown | None = None
    classes: ClassesBox | None = None
    changes: list[Change] = []


# --------------------------------------------------------------------------- brochures


class Panels(Model):
    """The six panels of a tri-fold brochure, each a list of blocks.

    Outside, left to right: the inside flap, the back, the front cover; inside:
    left, middle and right. A panel not given is filled from the program of a
    program's brochure, and left empty otherwise.
    """

    cover: list[Block] = []
    flap: list[Block] = []
    back: list[Block] = []
    inside_left: list[Block] = []
    inside_middle: list[Block] = []
    inside_right: list[Block] = []


#: the panels of a brochure in reading order: the cover, then the inside, the flap and the back
PANELS = ("cover", "inside_left", "inside_middle", "inside_right", "flap", "back")


class Brochure(Model):
    """A tri-fold brochure: ``content/brochures/<id>.yaml``, from a program's file or from blocks."""

    id: Id
    locale: Locale = "en"
    #: a program's brochure: its name, classes, sessions and sign-up fill the panels not given
    program: Id | None = None
    title: Text | None = None
    subtitle: Text | None = None
    kicker: Text | None = None
    audience: Audience = "parents"
    brands: list[Id] | None = Field(default=None, min_length=1, max_length=2)
    date: dt.date | None = None
    panels: Panels = Panels()
    contact: ContactBox | None = None
    funding: Markdown | None = None
    layout: Id | None = None

    @model_validator(mode="after")
    def _has_a_title(self) -> Brochure:
        if self.program is None and self.title is None:
            raise ValueError("a brochure needs a title, or a program to take its name from "
                             "(hint: add title: ..., or program: <id of a file in content/programs/>)")
        if self.program is None and not any(getattr(self.panels, name) for name in PANELS):
            raise ValueError("a brochure needs something in its panels (hint: add blocks under panels: "
                             "cover, inside_left, inside_middle, inside_right, flap and back)")
        return self


# --------------------------------------------------------------------------- project configuration


class Config(Model):
    """``tipsheets.yaml``: project-wide settings."""

    title: Text = "Tip sheets"
    paper: Paper = "letter"
    output: Text = "output"
    #: locales to build; unset: every locale that has content (``--locale`` narrows further)
    locales: list[Locale] | None = None
    stale_after_days: Annotated[int, Field(ge=1)] = 180
    sessions_per_program: Annotated[int, Field(ge=1, le=6)] = 2
    #: seconds one handout may take to render before it fails on its own
    render_timeout: Annotated[float, Field(gt=0, le=3600)] = 60
    #: ``warn``: a 555-01xx number (set aside for fiction) is a warning; ``allow``: sample content, no warning
    fictional_phone_numbers: Literal["warn", "allow"] = "warn"
    #: where the output folder is published on the web, such as https://example.org/handouts/: printed handouts
    #: point to their web pages there (a desk aid to its full list of classes, a flyer to its calendar)
    site_url: WebAddress | None = None
    lint: dict[str, Any] = {}

    @field_validator("locales")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a locale is listed twice")
        return value
