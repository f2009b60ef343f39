"""The small, safe Markdown subset that content text may use.

Emphasis, strong emphasis, links and simple lists; nothing else. Raw HTML is
never passed through (it is printed as text), and a link may only point to
``http``, ``https``, ``mailto`` or ``tel`` addresses. Citations such as ``[^3]``
become superscript links to the numbered reference list; a run of them prints
as one ("[^4][^5][^6]" as "4–6", "[^4][^5]" as "4,5"). A footnote's mark such as
``[^*]`` or ``[^†]`` prints the note itself where it is cited on paper (the page
floats it to its foot) and a link to the list of notes on a screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
CITATION = re.compile(r"\[\^(\d{1,3})\]")
#: a footnote's mark: ``[^*]``, ``[^†]`` (see :data:`tipsheets.core.blocks.FOOTNOTE_MARKERS`)
NOTE_CALL = re.compile(r"\[\^([*†‡§¶‖]{1,2})\]")
#: a citation or a footnote's mark
CALL = re.compile(r"\[\^(\d{1,3}|[*†‡§¶‖]{1,2})\]")
#: a run of calls written one after another, ``[^4][^5][^6]``
_RUN = re.compile(r"(?:\[\^(?:\d{1,3}|[*†‡§¶‖]{1,2})\])+")
#: stands in for a run of calls while markdown-it renders the text (a ``*`` mark is not emphasis)
_HOLD = re.compile("\ue000(\\d+)\ue001")


def is_safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": True})
    md.enable(["emphasis", "link", "list", "newline", "escape", "backticks", "smartquotes", "replacements"])
    # markdown-it-py's way to set the link check, though its types declare validateLink a method
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


#: how a citation is read aloud; the templates' environment passes the translated form
CITE_LABEL = "reference %(number)s"
#: how a run of three or more citations in a row is read aloud ("4–6")
RANGE_LABEL = "references %(first)s–%(last)s"
#: how a footnote's mark is read aloud
NOTE_LABEL = "note %(marker)s"


@dataclass(frozen=True)
class Labels:
    """What citation links and footnote marks say to a screen reader, in the page's language."""

    cite: str = CITE_LABEL
    range: str = RANGE_LABEL
    note: str = NOTE_LABEL


@dataclass(frozen=True)
class Note:
    """A footnote as a page prints it: its number among the notes, its mark, and its text (HTML)."""

    index: int
    marker: str
    html: str


@dataclass(frozen=True)
class Notes:
    """The footnotes of a page, by mark; ``paper``: each prints where it is cited, to float to the
    foot of the page (a PDF); otherwise the mark links to the list of notes (a web page)."""

    by_marker: dict[str, Note]
    paper: bool


def citation_groups(numbers: list[int]) -> list[tuple[int, int]]:
    """A run of citation numbers as ranges to print: ``[4, 5, 6]`` → ``[(4, 6)]`` (printed "4–6");
    ``[4, 5]`` → ``[(4, 4), (5, 5)]`` ("4,5"): a range needs three numbers in a row."""
    groups: list[list[int]] = []
    for number in numbers:
        if groups and number == groups[-1][-1] + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    out: list[tuple[int, int]] = []
    for group in groups:
        if len(group) >= 3:
            out.append((group[0], group[-1]))
        else:
            out += [(n, n) for n in group]
    return out


def _cite_link(first: int, last: int, labels: Labels) -> str:
    if first == last:
        aria = escape(labels.cite % {"number": first})
        return f'<a href="#ref-{first}" aria-label="{aria}">{first}</a>'
    aria = escape(labels.range % {"first": first, "last": last})
    return f'<a href="#ref-{first}" aria-label="{aria}">{first}\u2013{last}</a>'


def _note_call(marker: str, labels: Labels, notes: Notes | None) -> str:
    note = notes.by_marker.get(marker) if notes is not None else None
    if note is None:
        return f'<sup class="fn-call">{escape(marker)}</sup>'
    if notes is not None and notes.paper:  # the note itself, which the page floats to its foot
        return f'<span class="footnote" data-marker="{escape(marker)}">{note.html}</span>'
    aria = escape(labels.note % {"marker": marker})
    return f'<sup class="fn-call"><a href="#fn-{note.index}" aria-label="{aria}">{escape(marker)}</a></sup>'


def _calls(run: str, labels: Labels, notes: Notes | None) -> str:
    """A run of citations and footnote marks as printed: numbers in one superscript ("4–6", "4,5"),
    each mark on its own; a word joiner keeps the first on its word's line."""
    out: list[str] = []
    numbers: list[int] = []

    def flush() -> None:
        if numbers:
            links = ",".join(_cite_link(a, b, labels) for a, b in citation_groups(numbers))
            out.append(f'<sup class="cite">{links}</sup>')
            numbers.clear()

    for m in CALL.finditer(run):
        if m[1].isdigit():
            numbers.append(int(m[1]))
        else:
            flush()
            out.append(_note_call(m[1], labels, notes))
    flush()
    return "\u2060" + "".join(out)


def _render(text: str, inline: bool, labels: Labels, notes: Notes | None) -> Markup:
    runs: list[str] = []

    def hold(m: re.Match[str]) -> str:
        runs.append(m[0])
        return f"\ue000{len(runs) - 1}\ue001"

    held = _RUN.sub(hold, text) if "[^" in text else text
    html = _parser().renderInline(held) if inline else _parser().render(held)
    if runs:
        html = _HOLD.sub(lambda m: _calls(runs[int(m[1])], labels, notes) if int(m[1]) < len(runs) else "", html)
    return Markup(html.strip())


def render_block(text: str, cite_label: str | Labels = CITE_LABEL, notes: Notes | None = None) -> Markup:
    """Markdown → HTML paragraphs and lists (already escaped, safe to insert)."""
    labels = cite_label if isinstance(cite_label, Labels) else Labels(cite=cite_label)
    return _render(text, False, labels, notes)


def render_inline(text: str, cite_label: str | Labels = CITE_LABEL, notes: Notes | None = None) -> Markup:
    """Markdown → inline HTML, for headings and short fields."""
    labels = cite_label if isinstance(cite_label, Labels) else Labels(cite=cite_label)
    return _render(text, True, labels, notes)


def notes_for(footnotes: Any, labels: Labels, paper: bool) -> Notes:
    """The footnotes of a page (``marker`` and ``text`` each), ready to print where they are cited."""
    by_marker = {}
    for index, note in enumerate(footnotes or (), 1):
        by_marker[note.marker] = Note(index, note.marker, str(render_inline(note.text, labels)))
    return Notes(by_marker, paper)


def plain(text: str) -> str:
    """Markdown → plain text (for titles, metadata and word counts)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = CALL.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()


def citations(text: str) -> list[tuple[int, int]]:
    """``(number, offset)`` of every citation in ``text``."""
    return [(int(m[1]), m.start()) for m in CITATION.finditer(text)]


def note_calls(text: str) -> list[tuple[str, int]]:
    """``(marker, offset)`` of every footnote mark in ``text``."""
    return [(m[1], m.start()) for m in NOTE_CALL.finditer(text)]


# --------------------------------------------------------------------------- limits

#: the longest a field of Markdown text may be: about 1,600 words, far more than any part of a handout
MAX_CHARS = 10_000
#: pieces of formatting (emphasis, links, code) in one field
MAX_MARKS = 400
#: pieces of formatting within one word: laying out a word cut into many pieces costs the square of their number
MAX_MARKS_IN_A_WORD = 8


def markdown_problem(text: str) -> str:
    """Why ``text`` would cost more to print than its length warrants, or "" when it is fine.

    Laying out text costs time in proportion to its length, except where many
    pieces of formatting follow one another with no space between them: the
    layout of such a run costs the square of its length. These limits keep the
    cost of every field in proportion to its size.
    """
    if len(text) > MAX_CHARS:
        return (f"this text is {len(text):,} characters long; a field holds at most {MAX_CHARS:,} "
                "(split it into sections)")
    # every piece of formatting takes at least one of these characters: where they are few, so are the pieces
    if sum(text.count(ch) for ch in "*_`[") <= MAX_MARKS_IN_A_WORD:  # most text: too few for either limit
        return ""
    in_words = [sum(word.count(ch) for ch in "*_`[") for word in text.split()]
    if max(in_words, default=0) <= MAX_MARKS_IN_A_WORD and sum(in_words) <= MAX_MARKS:
        return ""
    marks = 0
    for token in _parser().parse(text):
        in_word = 0
        for child in token.children or ():
            if child.type.endswith("_open") or child.type == "code_inline":
                marks += 1
                in_word += 1
                if in_word > MAX_MARKS_IN_A_WORD:
                    return (f"the formatting changes more than {MAX_MARKS_IN_A_WORD} times inside one word "
                            "(remove the * _ ` or [ ] marks there)")
            elif child.type in ("text", "softbreak", "hardbreak") and (not child.content or
                                                                      any(c.isspace() for c in child.content)):
                in_word = 1 if child.content and not child.content[-1].isspace() else 0
    if marks > MAX_MARKS:
        return f"it has {marks} pieces of formatting (emphasis, links, code); a field holds at most {MAX_MARKS}"
    return ""


def check_markdown(text: str) -> str:
    """A pydantic validator: ``text`` as it is, or ValueError with :func:`markdown_problem`'s reason."""
    problem = markdown_problem(text)
    if problem:
        raise ValueError(problem)
    return text
