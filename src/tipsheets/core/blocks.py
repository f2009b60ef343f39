"""The block vocabulary: the pieces a handout's body is made of, registered in one place.

A tip sheet's body (and each panel of a brochure) is an ordered list of
blocks, each of a named ``type``::

    blocks:
      - type: lead
        text: Parents who talk things over help their children.
      - type: tips
        style: lead-in
        tips:
          - heading: Focus on the children
            body: Talk about their needs, not the past.

Each block type is one model here, one template partial
(``templates/blocks/<type>.html.j2``), the fields the wording gate skips, and
the descriptions editors show; :data:`BLOCK_TYPES` registers them all, and the
``Block`` union that documents hold is made from it. Adding a block type means:
a model and a line in :data:`BLOCK_TYPES` here, a partial under
``templates/blocks/``, and the catalogue strings the partial prints
(docs/blocks.md walks through it).

Footnotes are not blocks (they have no place in the flow: each prints at the
foot of the page where it is cited), but their model lives here with the
markers text cites them by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Literal, TypeAlias, Union

from pydantic import Discriminator, Field, Tag, model_validator

from tipsheets.core.fields import EmailAddress, Id, Locale, Markdown, Model, Text, WebAddress

# --------------------------------------------------------------------------- parts of blocks


class SidebarItem(Model):
    """A term and what it means, in a box."""

    term: Text
    description: Markdown


class Reference(Model):
    """One entry of the numbered reference list (body text cites it as ``[^n]``) or of a reading list."""

    text: Markdown
    url: WebAddress | None = None
    #: the language of ``text`` when it is not the document's, e.g. ``en`` for an English title
    #: cited in a Spanish sheet; printed as ``lang`` so readers and screen readers switch voice
    lang: Locale | None = None


class ContactBox(Model):
    heading: Text
    body: Markdown | None = None
    email: EmailAddress | None = None
    phone: Text | None = None
    web: WebAddress | None = None


class TipItem(Model):
    """One tip of a tips block: a heading (or bold lead-in) and a body, with optional bullets."""

    id: Id | None = None
    heading: Text | None = None
    body: Markdown
    bullets: list[Markdown] = []


class TipGroup(Model):
    """Tips under a group heading; numbering runs on from one group to the next."""

    id: Id | None = None
    heading: Text
    tips: list[TipItem] = Field(min_length=1)


#: the symbols a footnote may be marked with; text cites one as ``[^*]`` or ``[^†]``
FOOTNOTE_MARKERS = ("*", "†", "‡", "§", "¶", "‖", "**", "††", "‡‡")
FootnoteMarker = Literal["*", "†", "‡", "§", "¶", "‖", "**", "††", "‡‡"]


class Footnote(Model):
    """A note marked with a symbol, printed at the foot of the page where text cites it (``[^*]``)."""

    marker: FootnoteMarker
    text: Markdown


# --------------------------------------------------------------------------- the blocks


class LeadBlock(Model):
    """An opening paragraph with no heading: a lead, or an abstract."""

    type: Literal["lead"]
    id: Id | None = None
    text: Markdown


class SectionBlock(Model):
    """A heading and a body of Markdown text."""

    type: Literal["section"]
    id: Id | None = None
    heading: Text
    body: Markdown
    #: where the section stood in the shorthand form (``intro`` or ``closing``), printed as its class
    part: Literal["intro", "closing"] | None = None


class TipsBlock(Model):
    """Tips, numbered or as bullets (plain, or each opening with a bold lead-in), optionally in groups."""

    type: Literal["tips"]
    id: Id | None = None
    heading: Text | None = None
    style: Literal["numbered", "bullets", "lead-in"] = "numbered"
    tips: list[TipItem] = []
    groups: list[TipGroup] = []

    @model_validator(mode="after")
    def _tips_or_groups(self) -> TipsBlock:
        if bool(self.tips) == bool(self.groups):
            raise ValueError("a tips block needs tips, or groups of tips, but not both "
                             "(hint: list them under tips:, or under groups: each with a heading and tips)")
        every = self.tips or [tip for group in self.groups for tip in group.tips]
        for number, tip in enumerate(every, 1):
            name = f"tip {number}" + (f" ('{tip.id}')" if tip.id else "")
            if self.style == "bullets" and tip.heading is not None:
                raise ValueError(f"{name} has a heading, which plain bullets do not print "
                                 "(hint: use style: lead-in to open each tip with its heading in bold)")
            if self.style != "bullets" and tip.heading is None:
                raise ValueError(f"{name} has no heading; {self.style} tips need one "
                                 "(hint: give it a heading, or use style: bullets)")
        return self


class BoxBlock(Model):
    """A box: beside the text (a sidebar) or where it stands (after the tips, at the end).

    It holds any of: an introduction, a body, terms with descriptions, and
    numbered facts (a "Did you know?" box), with an optional source line.
    """

    type: Literal["box"]
    id: Id | None = None
    heading: Text
    place: Literal["here", "beside"] = "here"
    intro: Markdown | None = None
    body: Markdown | None = None
    items: list[SidebarItem] = []
    facts: list[Markdown] = []
    source: Markdown | None = None

    @model_validator(mode="after")
    def _says_something(self) -> BoxBlock:
        if not (self.intro or self.body or self.items or self.facts):
            raise ValueError("a box needs something in it: a body, items, facts or an intro")
        return self


class CaseBlock(Model):
    """A case example: a short story that shows the idea at work, set apart."""

    type: Literal["case"]
    id: Id | None = None
    title: Text
    story: Markdown
    source: Markdown | None = None


class QuoteBlock(Model):
    """A pull quote (with who said it), or a tagline printed large."""

    type: Literal["quote"]
    id: Id | None = None
    text: Markdown
    by: Text | None = None
    style: Literal["pull", "tagline"] = "pull"


class NoticeBlock(Model):
    """A line of small print, such as an equal-opportunity statement."""

    type: Literal["notice"]
    id: Id | None = None
    text: Markdown


class ReadingBlock(Model):
    """Further reading: a list of sources that text does not cite, printed as bullets, not numbers."""

    type: Literal["reading"]
    id: Id | None = None
    heading: Text | None = None
    intro: Markdown | None = None
    items: list[Reference] = Field(min_length=1)


class ContactBlock(Model):
    """A contact box placed among the blocks (the sheet's own ``contact`` prints at the foot)."""

    type: Literal["contact"]
    id: Id | None = None
    heading: Text
    body: Markdown | None = None
    email: EmailAddress | None = None
    phone: Text | None = None
    web: WebAddress | None = None


class ClassesBlock(Model):
    """Where an edition's "Classes near you" box prints; nothing on a sheet without one."""

    type: Literal["classes"]
    id: Id | None = None


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class BlockType:
    """One type of block: its model, its partial, and what editors and the wording gate need to know."""

    #: the ``type:`` a content file writes
    name: str
    model: type[Model]
    #: shown by editors beside the block, and in docs/blocks.md
    description: str
    #: field → what it is, shown by editors
    fields: dict[str, str] = field(default_factory=dict)
    #: fields whose values are choices or codes rather than prose: the wording gate skips them
    codes: frozenset[str] = frozenset({"type", "id"})

    @property
    def partial(self) -> str:
        """The template that prints it (a project's ``templates/`` may override it by the same name)."""
        return f"blocks/{self.name}.html.j2"


class BlockRegistry:
    """The block types, in order, by name."""

    def __init__(self, types: list[BlockType]) -> None:
        self.types = tuple(types)
        self.by_name = {t.name: t for t in self.types}
        self.by_model = {t.model: t for t in self.types}

    def __iter__(self) -> Iterator[BlockType]:
        return iter(self.types)

    def names(self) -> list[str]:
        return [t.name for t in self.types]

    def codes(self) -> frozenset[str]:
        """Every field name, across block types, that holds a choice or code rather than prose."""
        return frozenset().union(*(t.codes for t in self.types))


_ID = "Optional: a short id (lower-case words joined by hyphens), so an edition can change this block."

BLOCK_TYPES = BlockRegistry([
    BlockType("lead", LeadBlock, "An opening paragraph with no heading: a lead or an abstract.",
              {"id": _ID, "text": "The paragraph, in Markdown."}),
    BlockType("section", SectionBlock, "A heading and a body of Markdown text.",
              {"id": _ID, "heading": "The section's heading.",
               "body": "Markdown text: *emphasis*, **strong**, [links](https://...), - lists, citations [^1].",
               "part": "intro or closing: kept for stylesheets written for the intro and closing sections."},
              codes=frozenset({"type", "id", "part"})),
    BlockType("tips", TipsBlock, "Tips: numbered, plain bullets, or bullets that open with a bold lead-in; "
              "optionally in groups under their own headings.",
              {"id": _ID, "heading": "The heading above the tips.",
               "style": "numbered (the default), bullets, or lead-in (each tip's heading opens it in bold).",
               "tips": "The tips: each has a heading (not for bullets), a body and optional bullets.",
               "groups": "Instead of tips: groups, each with a heading and its tips. Numbers run on across groups."},
              codes=frozenset({"type", "id", "style"})),
    BlockType("box", BoxBlock, "A box: beside the text (a sidebar), or where it stands (after the tips, at the "
              "end). Give it facts for a numbered \"Did you know?\" box, items for terms and what they mean.",
              {"id": _ID, "heading": "The box's heading.",
               "place": "here (the default: where the block stands, full width) or beside (floats beside the text).",
               "intro": "A sentence or two before the items or facts.", "body": "Markdown text.",
               "items": "Terms and what they mean: each has a term and a description.",
               "facts": "Short facts, printed as a numbered list.",
               "source": "Where the box's facts come from; may cite [^n]."},
              codes=frozenset({"type", "id", "place"})),
    BlockType("case", CaseBlock, "A case example: a short story that shows the idea at work, set apart.",
              {"id": _ID, "title": "Its heading, such as \"A case example\".", "story": "The story, in Markdown.",
               "source": "Where the story comes from; may cite [^n]."}),
    BlockType("quote", QuoteBlock, "A pull quote with who said it, or a tagline printed large.",
              {"id": _ID, "text": "The words quoted.", "by": "Who said it (a pull quote).",
               "style": "pull (the default) or tagline."},
              codes=frozenset({"type", "id", "style"})),
    BlockType("notice", NoticeBlock, "A line of small print, such as an equal-opportunity statement.",
              {"id": _ID, "text": "The line, in Markdown."}),
    BlockType("reading", ReadingBlock, "Further reading: sources the text does not cite, as a bulleted list.",
              {"id": _ID, "heading": "Its heading; \"Further reading\" when not given.",
               "intro": "A sentence before the list.", "items": "Each has text, and an optional url and lang."}),
    BlockType("contact", ContactBlock, "A contact box among the blocks (a brochure's back panel, say).",
              {"id": _ID, "heading": "The box's heading.", "body": "Markdown text.",
               "email": "An email address.", "phone": "A phone number; letters (1-877-4DAD411) are dialled as digits.",
               "web": "A web address starting with https://."}),
    BlockType("classes", ClassesBlock, "Where an edition's \"Classes near you\" box prints (nothing on a sheet "
              "without one).", {"id": _ID}),
])


def _block_tag(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    block_type = BLOCK_TYPES.by_name.get(kind) if isinstance(kind, str) else None
    return block_type.model.__name__ if block_type else None


#: any block, told apart by its ``type`` (an unknown type is a "block_type" error)
if TYPE_CHECKING:  # the union pydantic builds from the registry, written out for the type checker
    Block: TypeAlias = Union[LeadBlock, SectionBlock, TipsBlock, BoxBlock, CaseBlock, QuoteBlock, NoticeBlock,
                             ReadingBlock, ContactBlock, ClassesBlock]
else:
    Block = Annotated[
        Union[tuple(Annotated[t.model, Tag(t.model.__name__)] for t in BLOCK_TYPES)],
        Discriminator(_block_tag, custom_error_type="block_type",
                      custom_error_message="unknown block type"),
    ]
