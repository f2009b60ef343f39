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
