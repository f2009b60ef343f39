"""Text helpers for the lint engine: masking, sentences, words and readability.

Everything here keeps offsets: a masked string has the same length as the
original, so a match in it points at the same characters of the source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyphen
    from textstat.textstat import textstatistics

#: spans no rule looks into: web and email addresses, Markdown link targets,
#: footnote markers and inline code
#: spans no rule looks into, each with a substring that must be present first:
#: web and email addresses, Markdown link targets, footnote markers, inline code
_MASKS = (
    (("://", "www."), re.compile(r"https?://[^\s)\]>\"']+|www\.[^\s)\]>\"']+")),
    (("@",), re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+")),
    (("](",), re.compile(r"\]\([^)\s]*\)")),
    (("[^",), re.compile(r"\[\^[^\]\s]*\]")),
    (("`",), re.compile(r"`[^`\n]*`")),
)

#: a web address printed without its scheme (a program's short address, "example.org/classes")
_HOST = ((".",), re.compile(r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b(?:/[^\s<>\"']*)?",
                          re.IGNORECASE))

_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”]{1,300}”|«[^»]{1,300}»")


def pattern_source(pattern: str) -> str:
    """A rule pattern with each run of spaces (outside [...]) matching any white space."""
    out: list[str] = []
    in_class = escaped = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            if ch == "]":
                in_class = False
        elif ch == "[":
            out.append(ch)
            in_class = True
            if pattern[i + 1 : i + 2] == "]":  # a literal ] first in the class
                out.append("]")
                i += 1
        elif ch == " ":
            j = i
            while j < len(pattern) and pattern[j] == " ":
                j += 1
            quantified = j < len(pattern) and pattern[j] in "?*+{"
            out.append(r"\s" if quantified else r"\s+")
            i = j
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def protected_source(name: str) -> str:
    """A protected name as a pattern: its words with any white space between, "&" and "and" alike
    ("Relationship & Marriage", "Relationship and Marriage", "Relationship&Marriage")."""
    out = ""
    for index, word in enumerate(name.split()):
        if word.lower() in ("and", "&"):
            out += r"(?:\s+and\s+|\s*&\s*)"
            continue
        if index and not out.endswith(r"\s*)"):
            out += r"\s+"
        out += re.escape(word)
    return out


class Masker:
    """Blanks out what no rule looks into, checking cheaply first whether there is any.

    ``printed``: for text already reduced to what is printed (no Markdown link
    targets or code markers left to skip): only addresses and protected names.
    """

    def __init__(self, protected: tuple[str, ...], printed: bool = False, hosts: bool = False) -> None:
        names = sorted(protected, key=len, reverse=True)
        self.firsts = tuple(sorted({name.split()[0].lower() for name in names if name.split()}))
        alternatives = "|".join(protected_source(name) for name in names)
        self.protected = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if names else None
        self.masks = (_MASKS[:2] if printed else _MASKS) + ((_HOST,) if hosts else ())

    def spans(self, text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        if self.protected is not None:
            lowered = text.lower()
            if any(first in lowered for first in self.firsts):
                out.extend(m.span() for m in self.protected.finditer(text))
        for needles, pattern in self.masks:
            if any(needle in text for needle in needles):
                out.extend(m.span() for m in pattern.finditer(text))
        return out

    def more(self, text: str) -> list[tuple[int, int]]:
        """The spans of the masks a ``printed`` masker leaves out (link targets, citations, code)."""
        out: list[tuple[int, int]] = []
        for needles, pattern in _MASKS[2:]:
            if any(needle in text for needle in needles):
                out.extend(m.span() for m in pattern.finditer(text))
        return out


@lru_cache(maxsize=64)
def mask_pattern(protected: tuple[str, ...], printed: bool = False, hosts: bool = False) -> Masker:
    """``printed``: for text already reduced to what is printed; ``hosts``: also web addresses without
    a scheme, which a handout prints (``example.org/classes``) but content text spells out in full."""
    return Masker(protected, printed, hosts)


def mask(text: str, masker: Masker) -> str:
    """``text`` with addresses, link targets, code and protected names blanked out."""
    return blank(text, masker.spans(text))


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` blanked out (line breaks kept), at the same offsets."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    if '"' not in text and "“" not in text and "«" not in text:
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


# --------------------------------------------------------------------------- sentences

#: words after which a full stop does not end a sentence
ABBREVIATIONS = frozenset(
    """e.g i.e etc dr mr mrs ms mx st jr sr vs no nos inc ltd co u.s u.s.a u.k a.m p.m approx dept
    jan feb mar apr jun jul aug sep sept oct nov dec fig al ed eds vol pp p ph.d
    sra srta dra lic ud uds ee.uu p.ej núm tel av""".split()
)

_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?=\s|$)"  # terminal punctuation followed by space
    r"|\n[ \t]*\n"  # a blank line (a new paragraph)
    r"|\n(?=[ \t]*(?:[-*+]|\d+[.)]|#+)[ \t])"  # a new list item or heading
)
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")
WORD = re.compile(r"[^\W_][\w'’-]*")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; does not split after e.g., Dr., U.S., initials or in numbers."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] in ".!?…":
            if m.group(0).startswith(".") and len(m.group(0).rstrip("\"'”’)]")) == 1:
                before = _TOKEN_BEFORE.search(text, max(start, m.start() - 20), m.start())
                if before:
                    token = before.group(1).lower().strip(".")
                    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                        continue
            rest = text[m.end() : m.end() + 3].lstrip()
            if rest[:1].islower():
                continue
        end = m.end() if m.group(0)[0] in ".!?…" else m.start()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            out.append((a, b))
    return out


def words(text: str) -> list[str]:
    return WORD.findall(text)


_MARKDOWN = re.compile(r"[#*_>`|~\[\]]")


def plain(text: str) -> str:
    """Masked Markdown reduced to words and punctuation (same length)."""
    return _MARKDOWN.sub(" ", text)


# --------------------------------------------------------------------------- readability


@lru_cache(maxsize=1)
def _hyphenator_en() -> pyphen.Pyphen:
    import pyphen  # imported when first needed: slow to import, and not every command needs it

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=50_000)
def _syllables_en(word: str) -> int:
    if not any(ch.isalpha() for ch in word):
        return 1
    return len(_hyphenator_en().positions(word)) + 1


def flesch_kincaid_grade(text: str, spans: list[tuple[int, int]] | None = None) -> float:
    """Flesch-Kincaid grade of plain English text.

    Syllables are counted with the Pyphen hyphenation dictionary (textstat's own
    method when a word is not in CMUdict; textstat's English path downloads
    CMUdict at run time, which a build must not do).
    """
    spans = sentences(text) if spans is None else spans
    counts = [len(words(text[a:b])) for a, b in spans]
    n_sentences = sum(1 for c in counts if c) or 1
    all_words = words(text)
    if not all_words:
        return 0.0
    syllables = sum(_syllables_en(w.lower()) for w in all_words)
    return 0.39 * len(all_words) / n_sentences + 11.8 * syllables / len(all_words) - 15.59


@lru_cache(maxsize=1)
def _spanish() -> textstatistics:
    from textstat.textstat import textstatistics  # lazy: slow to import

    stats = textstatistics()
    stats.set_lang("es")
    return stats


def szigriszt_pazos(text: str, spans: object = None) -> float:
    return float(_spanish().szigriszt_pazos(text))


def fernandez_huerta(text: str, spans: object = None) -> float:
    return float(_spanish().fernandez_huerta(text))


FORMULAS = {
    "flesch-kincaid-grade": flesch_kincaid_grade,
    "szigriszt-pazos": szigriszt_pazos,
    "fernandez-huerta": fernandez_huerta,
}


# --------------------------------------------------------------------------- capitalisation

_SMALL = frozenset("a an and as at by de del el en for in la las los of on or para sobre the to y".split())


def match_case(suggestion: str, original: str) -> str:
    """``suggestion`` written in the capitalisation of ``original``.

    "MARRIAGE EDUCATION" → upper case; "Marriage Education" → title case;
    "Marriage education" → first letter; an acronym such as "MRE" → as written.
    """
    parts = re.findall(r"[^\W\d_]+", original)
    if not parts or not suggestion:
        return suggestion
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isupper():
        return suggestion  # an acronym says nothing about the case of the words
    if original.isupper():
        return suggestion.upper()
    if len(parts) > 1 and all(p[0].isupper() for p in parts if p.lower() not in _SMALL):
        out = []
        for index, word in enumerate(re.split(r"(\s+|-)", suggestion)):
            if word and word[0].isalpha() and (index == 0 or word.lower() not in _SMALL):
                word = word[0].upper() + word[1:]
            out.append(word)
        return "".join(out)
    if parts[0][0].isupper():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion
