"""Text as a reader gets it, for the wording rules to match.

Two steps, each keeping, for every character it produces, the span of the
source text it came from (a :class:`Projection`), so a finding still points at
the original characters:

- :func:`visible`: a content string's Markdown reduced to what is printed —
  emphasis and code-span markers, backslash escapes, link targets and citation
  markers removed; link titles (printed as tooltips) kept, after the text.
  It follows the parser of :mod:`tipsheets.markdown` (markdown-it-py, the same
  rules, without the typographer's quotes and dashes).
- :func:`fold`: Unicode normalised: NFKC (fullwidth and mathematical letters
  become plain ones), default-ignorable characters removed (zero-width space
  and joiners, soft hyphen, word joiner, bidi controls, variation
  selectors...), every kind of white space made a plain space or line break,
  and look-alike letters and dashes folded to their Unicode TR39 skeleton
  (ICU's SpoofChecker): Cyrillic "а" becomes "a", Greek "ο" becomes "o".
  Letters with accents (é, ó, ñ) are letters in their own right and are kept,
  so Spanish rules and readability see Spanish.

ASCII text without Markdown is returned as is (``None``: the identity), which
is what almost every string is; the slow path runs only over the characters
that need it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from tipsheets.core.markdown import CALL as CITATION, is_safe_link

if TYPE_CHECKING:
    import icu
    from markdown_it import MarkdownIt


class Projection:
    """A text made from a source string, in pieces: each either a copy of a run of the source
    (character for character) or text made from a span of it (every character of it maps to
    the whole span). :meth:`span` maps a span of the text back to the source."""

    def __init__(self, text: str, pieces: list[tuple[int, int, int, bool]], size: int) -> None:
        self.text = text
        #: (start in text, start in source, end in source, is a copy)
        self.pieces = pieces
        self._starts = [piece[0] for piece in pieces]
        #: the length of the source string
        self.size = size

    def _source(self, i: int, *, end: bool) -> int:
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            return 0
        out_start, src_start, src_end, copied = self.pieces[k]
        if copied:
            return src_start + (i - out_start) + (1 if end else 0)
        return src_end if end else src_start

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of ``text[start:end]``."""
        if start >= end:
            at = self._source(start, end=False) if start < len(self.text) else self.size
            return at, at
        first = self._source(start, end=False)
        return first, max(self._source(end - 1, end=True), first)

    def then(self, other: Projection | None) -> Projection:
        """``other`` (made from this projection's text) mapped straight to this one's source."""
        return self if other is None else _Chain(self, other)


class _Chain(Projection):
    def __init__(self, outer: Projection, inner: Projection) -> None:
        self.text = inner.text
        self.outer, self.inner = outer, inner
        self.size = outer.size

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.outer.span(*self.inner.span(start, end))


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int, bool]] = []
        self.length = 0

    def copy(self, a: int, b: int) -> None:
        """``source[a:b]`` unchanged."""
        if b > a:
            self.parts.append(self.source[a:b])
            self.pieces.append((self.length, a, b, True))
            self.length += b - a

    def emit(self, text: str, a: int, b: int) -> None:
        """``text``, every character of it made from ``source[a:b]``."""
        if text:
            self.parts.append(text)
            self.pieces.append((self.length, a, b, False))
            self.length += len(text)

    def build(self) -> Projection:
        return Projection("".join(self.parts), self.pieces, len(self.source))


# --------------------------------------------------------------------------- Unicode

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


@lru_cache(maxsize=1)
def _spoof() -> icu.SpoofChecker:
    import icu  # imported when first needed: slow to import, and not every command needs it

    return icu.SpoofChecker()


@lru_cache(maxsize=1)
def _ignorable_property() -> tuple[type[icu.Char], int]:
    import icu  # imported when first needed: slow to import, and not every command needs it

    return icu.Char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT


@lru_cache(maxsize=4096)
def ignorable(ch: str) -> bool:
    """A character that is not shown: format characters (Cf) and Unicode's default-ignorable code points."""
    if unicodedata.category(ch) == "Cf":
        return True
    char, prop = _ignorable_property()
    return bool(char.hasBinaryProperty(ch, prop))


def skeleton(text: str) -> str:
    """The Unicode TR39 skeleton of ``text`` (ICU's SpoofChecker)."""
    return str(_spoof().getSkeleton(0, text))


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character (already NFKC) as the rules should see it."""
    if ch.isascii():
        return ch
    if ch.isspace():
        return "\n" if ch in _LINE_BREAKS else " "
    category = unicodedata.category(ch)
    if category[0] not in "LN" and category != "Pd":
        return ch  # marks, punctuation and symbols stay (quotes keep marking quotations)
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1 and decomposed[0].isascii():
        return ch  # a Latin letter with an accent is a letter of its own
    folded = skeleton(ch)
    if folded.isascii():
        return folded
    # The rules match case-insensitively: a small letter whose skeleton is not Latin but
    # whose capital's is (Greek tau and Τ, Cyrillic em and М) is that Latin letter, small.
    capital = ch.upper()
    if ch.islower() and capital != ch and len(capital) == 1:
        candidate = skeleton(capital)
        if len(candidate) == 1 and candidate.isascii() and candidate.isalpha():
            return candidate.lower()
    return unicodedata.normalize("NFC", folded)


@lru_cache(maxsize=8192)
def _fold_one(ch: str) -> str:
    """One source character as the rules should see it: its compatibility form where that is
    plain ASCII (fullwidth and mathematical letters), else its TR39 skeleton."""
    if ch.isascii():
        return ch
    if ignorable(ch):
        return ""
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible == ch:
        return fold_char(ch)
    if compatible.isascii():
        return compatible
    direct = fold_char(ch)  # a symbol form such as the lunate sigma looks like the letter its skeleton names
    if len(direct) == 1 and direct.isascii() and direct.isalpha():
        return direct
    return "".join(fold_char(c) for c in compatible if not ignorable(c))


@lru_cache(maxsize=8192)
def _fold_segment(segment: str) -> str:
    return unicodedata.normalize("NFC", "".join(_fold_one(ch) for ch in segment))


def fold(text: str) -> Projection | None:
    """``text`` normalised for matching (see the module), or None when that changes nothing."""
    if text.isascii():
        return None
    out = _Builder(text)
    pos = 0
    for run in _NON_ASCII.finditer(text):
        start = run.start()
        if start > pos:
            start -= 1  # the letter before a run may take its combining marks
        out.copy(pos, start)
        _fold_run(out, text, start, run.end())
        pos = run.end()
    out.copy(pos, len(text))
    return out.build()


def _fold_run(out: _Builder, text: str, start: int, end: int) -> None:
    i = start
    while i < end:
        if ignorable(text[i]):
            i += 1
            continue
        j = last = i + 1
        while j < end and (unicodedata.combining(text[j]) or ignorable(text[j])):
            j += 1
            if unicodedata.combining(text[j - 1]):
                last = j
        j = last  # hidden characters after the last mark are not part of this letter
        segment = "".join(ch for ch in text[i:j] if not ignorable(ch))
        out.emit(_fold_segment(segment), i, j)
        i = j


# --------------------------------------------------------------------------- Markdown

#: characters that may make the printed text differ from the source
_MARKUP = re.compile(r"[*_`\\\[]")
_HARD_MARKUP = re.compile(r"[*_`\\]")
#: an inline link that markdown-it renders, with nothing inside it to parse
_SIMPLE = re.compile(r"\[([^\[\]*_`\\\n]*)\]\((?:https?:|mailto:|tel:)[^()\s<>\"'\\]*\)|" + CITATION.pattern,
                     re.IGNORECASE)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported when first needed: slow to import, and not every command needs it

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "newline", "escape", "backticks"])
    # markdown-it-py's way to set the link check, though its types declare validateLink a method
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


def visible(value: str) -> Projection | None:
    """The words of a Markdown string as printed, or None when it has no Markdown."""
    if _MARKUP.search(value) is None:
        return None
    if _HARD_MARKUP.search(value) is None:
        simple = _links(value)
        if simple is not None:
            return simple
    return _tokens(value)


def _links(value: str) -> Projection | None:
    """Simple links and citations by pattern; None when anything else needs the parser."""
    out = _Builder(value)
    pos = 0
    for m in _SIMPLE.finditer(value):
        out.copy(pos, m.start())
        if m.group(1) is not None:
            out.copy(m.start(1), m.end(1))
        pos = m.end()
    out.copy(pos, len(value))
    projection = out.build()
    return None if "](" in projection.text else projection


def _tokens(value: str) -> Projection:
    out = _Builder(value)
    cursor = 0
    titles: list[str] = []
    first = True
    for token in _parser().parse(value):
        if token.type != "inline":
            continue
        if not first:
            out.emit("\n", cursor, cursor)
        first = False
        for child in token.children or []:
            kind = child.type
            if kind in ("text", "text_special"):
                cursor = _align(out, value, _without_citations(child.content), cursor)
            elif kind == "code_inline":
                cursor = _past(value, child.markup, cursor)
                cursor = _align(out, value, child.content, cursor)
                cursor = _past(value, child.markup, cursor)
            elif kind in ("softbreak", "hardbreak"):
                k = value.find("\n", cursor)
                if k >= 0:
                    out.emit("\n", k, k + 1)
                    cursor = k + 1
                else:
                    out.emit("\n", cursor, cursor)
            elif kind == "link_open":
                title = child.attrs.get("title")
                if title:
                    titles.append(str(title))
            elif kind == "link_close":
                cursor = _past_destination(value, cursor)
    for title in titles:  # a link's title is printed as its tooltip, apart from the text
        k = value.find(title)
        out.emit("\x00", len(value), len(value))
        if k >= 0:
            out.copy(k, k + len(title))
        else:
            out.emit(title, 0, len(value))
    return out.build()


def _without_citations(text: str) -> str:
    return CITATION.sub("", text) if "[^" in text else text


def _past(value: str, needle: str, cursor: int) -> int:
    k = value.find(needle, cursor) if needle else -1
    return k + len(needle) if k >= 0 else cursor


def _align(out: _Builder, value: str, content: str, cursor: int) -> int:
    """Map ``content`` (printed) onto ``value`` (the source) from ``cursor``; return the new cursor."""
    if not content:
        return cursor
    k = value.find(content, cursor)
    if k >= 0:
        gap = value[cursor:k]
        if "[^" in gap:  # a citation dropped from the text
            gap = CITATION.sub("", gap)
        if not any(ch.isalnum() for ch in gap):
            out.copy(k, k + len(content))
            return k + len(content)
    for ch in content:  # escapes and citations taken out: character by character
        k = value.find(ch, cursor)
        if ch == " " and k != cursor:
            space = re.compile(r"\s").search(value, cursor)
            k = space.start() if space else k
        if k < 0:
            out.emit(ch, cursor, cursor)
            continue
        out.emit(ch, k, k + 1)
        cursor = k + 1
    return cursor


def _past_destination(value: str, cursor: int) -> int:
    """The offset just after a link's ``](destination "title")``, from the end of its text."""
    k = value.find("](", cursor)
    if k < 0:
        return cursor
    depth = 0
    i = k + 2
    quote = ""
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and depth == 0 and value[i - 1].isspace():
            quote = ch
        elif ch == "<" and i == k + 2:
            close = value.find(">", i)
            i = close + 1 if close >= 0 else i + 1
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return len(value)


def project(value: str, *, markdown: bool = True) -> Projection | None:
    """What the rules match: the printed words (when ``markdown``), normalised; None for the identity."""
    shown = visible(value) if markdown else None
    folded = fold(shown.text if shown is not None else value)
    if shown is None:
        return folded
    return shown.then(folded)
