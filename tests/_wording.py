"""Ways of writing "marriage education" that a reader still reads as that phrase, and small projects
to put them in. Generated, so that the tests cover classes of characters and constructs, not one payload."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PHRASE = "marriage education"
AS_OF = "2026-11-25"


def hidden_characters() -> list[str]:
    """Every format character (Unicode category Cf), and the other default-ignorable code points
    that print as nothing: the combining grapheme joiner, variation selectors, Hangul fillers,
    Mongolian free variation selectors."""
    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    others = ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180c", "\u180d", "\u180f",
              "\u3164", "\uffa0", *(chr(c) for c in range(0xFE00, 0xFE10)), "\U000e0100", "\U000e01ef"]
    return cf + others


def _skeleton(ch: str) -> str:
    import icu

    return str(icu.SpoofChecker().getSkeleton(0, ch))


def lookalikes() -> dict[str, list[str]]:
    """For each letter of the phrase, the Greek, Cyrillic and Armenian letters that Unicode's TR39
    confusables data maps to it (a small letter also by its capital), and its fullwidth and
    mathematical forms (NFKC)."""
    letters = sorted(set(PHRASE.replace(" ", "")))
    out: dict[str, list[str]] = {letter: [] for letter in letters}
    for start, end in ((0x370, 0x400), (0x400, 0x530), (0x530, 0x590)):
        for code in range(start, end):
            ch = chr(code)
            if not ch.isalpha() or unicodedata.category(ch) == "Lm":
                continue  # a modifier letter (a subscript iota) is not a letter of a word
            folded = _skeleton(ch)
            if not (len(folded) == 1 and folded.isascii() and folded.isalpha()) and ch.islower():
                folded = _skeleton(ch.upper())
            if len(folded) == 1 and folded.lower() in out and (folded.islower() or not ch.islower()):
                out[folded.lower()].append(ch)
    for code in [*range(0xFF21, 0xFF5B), *range(0x1D400, 0x1D6A4)]:
        ch = chr(code)
        base = unicodedata.normalize("NFKC", ch)
        if base in out:
            out[base].append(ch)
    return out


def math_styles() -> dict[str, str]:
    """The phrase in each mathematical alphabet and in fullwidth letters."""
    styles: dict[str, str] = {}
    for code in range(0x1D400, 0x1D6A4, 52):
        name = unicodedata.name(chr(code), "")
        if not name:
            continue
        style = name.rsplit(" CAPITAL", 1)[0]
        small_a = code + 26
        styles[style] = "".join(" " if ch == " " else _in_style(small_a, ch) for ch in PHRASE)
    styles["FULLWIDTH"] = "".join(" " if ch == " " else chr(0xFF41 + ord(ch) - ord("a")) for ch in PHRASE)
    return {name: text for name, text in styles.items() if unicodedata.normalize("NFKC", text) == PHRASE}


def _in_style(small_a: int, ch: str) -> str:
    candidate = chr(small_a + ord(ch) - ord("a"))
    try:
        unicodedata.name(candidate)
    except ValueError:  # a hole in the alphabet (the letter lives in Letterlike Symbols)
        return ch
    return candidate


#: Markdown that prints the phrase: (source, the phrase's first letter is at this offset)
MARKDOWN_SPLITS = [
    ("marriage *education*", 0),
    ("*marriage* education", 1),
    ("**marriage** education", 2),
    ("***marriage*** education", 3),
    ("_marriage_ education", 1),
    ("__marriage__ education", 2),
    ("marriage _education_", 0),
    ("mar*ri*age education", 0),
    ("mar**ri**age education", 0),
    ("m*a*r*r*i*a*g*e* education", 0),
    ("marri**age edu**cation", 0),
    ("`marriage` education", 1),
    ("``marriage`` education", 2),
    ("`marriage education`", 1),
    ("marriage `education`", 0),
    ("mar`ria`ge education", 0),
    ("marriage\\-education", 0),
    ("[marriage](https://example.org/a) education", 1),
    ("[marriage education](https://example.org/a)", 1),
    ("[mar](https://example.org/a)riage education", 1),
    ("marriage [edu](mailto:x@example.org)cation", 0),
    ("marriage[^1] education", 0),
    ("**mar**`ri`*age* [edu](https://example.org)cation", 2),
    ("marriage  \neducation", 0),
    ("marriage\\\neducation", 0),
]


def copy_minimal(root: Path) -> Path:
    """A copy of the one-tip-sheet test project (an agency-staff tip sheet and one brand)."""
    project = root / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    return project


def set_yaml(path: Path, dotted: str, value: str) -> None:
    """Set one field (``a.b.c``; list items by index) of a YAML file, written as a double-quoted scalar."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10_000), encoding="utf-8")
