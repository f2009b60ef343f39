"""The small, safe Markdown subset that content text may use.

Emphasis, strong emphasis, links and simple lists; nothing else. Raw HTML is
never passed through (it is printed as text), and a link may only point to
``http``, ``https``, ``mailto`` or ``tel`` addresses. Citations such as ``[^3]``
become superscript links to the numbered reference list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
CITATION = re.compile(r"\[\^(\d{1,3})\]")


def is_safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": True})
    md.enable(["emphasis", "link", "list", "newline", "escape", "backticks", "smartquotes", "replacements"])
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


#: how a citation is read aloud; the templates' environment passes the translated form
CITE_LABEL = "reference %(number)s"


def _citations(html: str, label: str = CITE_LABEL) -> str:
    def link(m: re.Match[str]) -> str:
        aria = escape(label % {"number": m[1]})
        # a word joiner keeps the citation on its word's line
        return f'\u2060<sup class="cite"><a href="#ref-{m[1]}" aria-label="{aria}">{m[1]}</a></sup>'

    return CITATION.sub(link, html)


def render_block(text: str, cite_label: str = CITE_LABEL) -> Markup:
    """Markdown → HTML paragraphs and lists (already escaped, safe to insert)."""
    return Markup(_citations(_parser().render(text), cite_label).strip())


def render_inline(text: str, cite_label: str = CITE_LABEL) -> Markup:
    """Markdown → inline HTML, for headings and short fields."""
    return Markup(_citations(_parser().renderInline(text), cite_label).strip())


def plain(text: str) -> str:
    """Markdown → plain text (for titles, metadata and word counts)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = CITATION.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()


def citations(text: str) -> list[tuple[int, int]]:
    """``(number, offset)`` of every citation in ``text``."""
    return [(int(m[1]), m.start()) for m in CITATION.finditer(text)]


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
