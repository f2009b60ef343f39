"""The content types, as plain typed data. No I/O here.

Every model forbids unknown keys, so a misspelt field is reported rather than
silently ignored. Text fields that hold Markdown are marked ``Markdown``; they
accept the safe subset that :mod:`tipsheets.markdown` renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator,
                      model_validator)

#: Ids name files in ``output/``: lower-case words joined by hyphens, nothing else.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Markdown = Annotated[str, StringConstraints(min_length=1)]
Locale = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
Audience = Literal["agency-staff", "practitioners", "parents"]



class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- tip sheets


class Author(Model):
    name: Text
    role: Text | None = None
    organisation: Text | None = None


class Section(Model):
    """A heading and a body of Markdown text (intro and closing sections)."""

    id: Id
    heading: Text
    body: Markdown


class SidebarItem(Model):
    term: Text
    description: Markdown


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


class Reference(Model):
    """One entry of the numbered reference list; body text cites it as ``[^n]``."""

    text: Markdown
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    #: the language of ``text`` when it is not the document's, e.g. ``en`` for an English title
    #: cited in a Spanish sheet; printed as ``lang`` so readers and screen readers switch voice
    lang: Locale | None = None


class ContactBox(Model):
    heading: Text
    body: Markdown | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: Text | None = None
    web: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class TipSheet(Model):
    id: Id
    title: Text
    subtitle: Text | None = None
    audience: Audience
    locale: Locale = "en"
    product_number: Text | None = None
    date: dt.date
    authors: list[Author] = []
    brands: list[Id] = Field(default=["default"], min_length=1, max_length=2)
    intro: list[Section] = Field(min_length=1)
    sidebars: list[Sidebar] = []
    tips_heading: Text
    tips: list[Tip] = Field(min_length=1)
    closing: list[Section] = []
    case_example: CaseExample | None = None
    references: list[Reference] = []
    contact: ContactBox | None = None
    funding: Markdown | None = None
    paper: Literal["letter", "a4"] | None = None


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


Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


TimeRange = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")]


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
        from .schedules import check_rule

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


#: the parts of a tip sheet whose items have ids, in the order they are printed
EditionGroup = Literal["intro", "sidebars", "tips", "closing"]


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
    """One change to the base tip sheet, addressed by the stable id of a section, sidebar or tip.

    Exactly one operation key says what to do; the other keys are the item's fields::

        - replace: find-champion       # the fields given replace the base's; the rest stay
          body: New text.
        - remove: celebrate-success
        - insert_after: find-champion  # a whole new item, with its own id
          id: local-partners
          heading: ...
          body: ...
        - append: tips                 # a whole new item at the end of tips (or intro, closing, sidebars)
          id: ...
    """

    replace: Id | None = None
    remove: Id | None = None
    insert_before: Id | None = None
    insert_after: Id | None = None
    append: EditionGroup | None = None
    # the item's fields: a section (heading, body), a tip (heading, body, bullets)
    # or a sidebar (heading, intro, items, source)
    id: Id | None = None
    heading: Text | None = None
    body: Markdown | None = None
    bullets: list[Markdown] | None = None
    intro: Markdown | None = None
    items: list[SidebarItem] | None = None
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
        return {name: getattr(self, name) for name in CHANGE_ITEM_FIELDS
                if name in self.model_fields_set and getattr(self, name) is not None}


CHANGE_OPERATIONS = ("replace", "remove", "insert_before", "insert_after", "append")
CHANGE_ITEM_FIELDS = ("id", "heading", "body", "bullets", "intro", "items", "source")


class Edition(Model):
    """A practitioner's customised edition of a published tip sheet: only what differs from the base."""

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
    contact: ContactBox | None = None
    funding: Markdown | None = None
    paper: Literal["letter", "a4"] | None = None
    classes: ClassesBox | None = None
    changes: list[Change] = []


# --------------------------------------------------------------------------- project configuration


class Config(Model):
    """``tipsheets.yaml``: project-wide settings."""

    title: Text = "Tip sheets"
    paper: Literal["letter", "a4"] = "letter"
    output: Text = "output"
    #: locales to build; unset: every locale that has content (``--locale`` narrows further)
    locales: list[Locale] | None = None
    stale_after_days: Annotated[int, Field(ge=1)] = 180
    sessions_per_program: Annotated[int, Field(ge=1, le=6)] = 2
    #: seconds one handout may take to render before it fails on its own
    render_timeout: Annotated[float, Field(gt=0, le=3600)] = 60
    lint: dict[str, Any] = {}

    @field_validator("locales")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a locale is listed twice")
        return value
