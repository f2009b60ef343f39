"""Rule patterns matched in linear time, with RE2.

Rule patterns come from the project (``lint.add_rules`` and rule files), so a
pattern such as ``(?:a|aa)+c`` must not be able to make a build hang. RE2
(the ``google-re2`` binding) matches in time linear in the text and refuses
what it cannot match that way: backreferences and lookaround.

Whole-word matching, which Python's ``re`` does with lookbehind and
lookahead, is done here with a consumed boundary character on each side
(``(?:^|[^\\pL\\pN_])`` before, ``(?:[^\\pL\\pN_]|$)`` after) and a search that
restarts at the end of each word found, so neighbouring words still match.
Offsets in and out are character offsets of the ``str``; the text is encoded
to UTF-8 once per :class:`Encoded`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import re2

#: what RE2 may use to compile one combined pattern (the default is 8 MiB)
MAX_MEMORY = 64 << 20
#: what one rule pattern may use on its own: a pattern over this is refused, so that a
#: handful of them cannot exhaust the combined budget
MAX_PATTERN_MEMORY = 8 << 20

_UNANCHORED = re2._Anchor.UNANCHORED if hasattr(re2, "_Anchor") else None
_BEFORE = r"(?:^|[^\pL\pN_])"
_AFTER = r"(?:[^\pL\pN_]|$)"


class PatternError(ValueError):
    """A pattern RE2 refuses; the message says why, in one line."""


def _options(max_mem: int) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would otherwise print to stderr
    options.max_mem = max_mem
    return options


def compile_linear(pattern: str, *, max_mem: int = MAX_MEMORY) -> Any:
    """``pattern`` compiled by RE2; :class:`PatternError` when RE2 cannot take it."""
    try:
        return re2.compile(pattern, _options(max_mem))
    except re2.error as exc:
        detail = exc.args[0] if exc.args else str(exc)
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(_explain(str(detail))) from None
    except (TypeError, ValueError, OverflowError) as exc:  # a pattern the binding itself refuses
        raise PatternError(str(exc)) from None


def _explain(detail: str) -> str:
    if "invalid perl operator: (?=" in detail or "invalid perl operator: (?!" in detail or "(?<" in detail:
        return f"{detail} (lookahead and lookbehind cannot be matched in linear time)"
    if "invalid escape sequence: \\" in detail and detail.rstrip()[-1:].isdigit():
        return f"{detail} (backreferences cannot be matched in linear time)"
    if "too large" in detail or "repetition" in detail:
        return f"{detail} (the repetition is too large)"
    return detail


def check_pattern(pattern: str) -> None:
    """Raise :class:`PatternError` when a rule pattern cannot be matched in linear time, or names a group."""
    compiled = compile_linear(f"(?:{pattern})", max_mem=MAX_PATTERN_MEMORY)
    if compiled.groupindex:
        names = ", ".join(sorted(compiled.groupindex))
        raise PatternError(f"named groups ({names}) are not allowed in rule patterns; use (?:...) instead")


@dataclass
class Encoded:
    """A text and its UTF-8 bytes, with offsets converted between the two."""

    text: str
    data: bytes = field(init=False)
    _chars: list[int] | None = field(init=False, default=None)
    _bytes: list[int] | None = field(init=False, default=None)

    ascii: bool = field(init=False)

    def __post_init__(self) -> None:
        self.data = self.text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(self.text)

    def _tables(self) -> None:
        if self._bytes is None:
            starts = [0] * (len(self.text) + 1)
            chars = [0] * (len(self.data) + 1)
            b = 0
            for i, ch in enumerate(self.text):
                starts[i] = b
                width = len(ch.encode("utf-8", "surrogatepass"))
                for k in range(width):
                    chars[b + k] = i
                b += width
            starts[len(self.text)] = b
            chars[b] = len(self.text)
            self._bytes, self._chars = starts, chars

    def byte(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        self._tables()
        assert self._bytes is not None
        return self._bytes[char_offset]

    def char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        self._tables()
        assert self._chars is not None
        return self._chars[byte_offset]


@dataclass(frozen=True)
class WordMatch:
    """One whole-word match: character offsets, which alternative matched, and its groups."""

    start: int
    end: int
    name: str
    groups: dict[str, tuple[int, int]]

    def group_text(self, text: str, name: str) -> str:
        span = self.groups.get(name)
        return text[span[0] : span[1]] if span else ""


class WordPattern:
    """Named alternatives matched as whole words, leftmost first, in linear time.

    ``alternatives`` are ``(name, pattern)``; a pattern may itself contain named
    groups the caller chose (such as a plural ending), reported in ``groups``.
    """

    def __init__(self, alternatives: list[tuple[str, str]]) -> None:
        body = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
        self.regex = compile_linear(f"{_BEFORE}(?:{body}){_AFTER}")
        # the binding's own matcher: spans in bytes, without a Match object per call (several times
        # less overhead on the many short strings of a project); the public API where it is missing
        raw = getattr(self.regex, "_regexp", None)
        self._raw = raw.Match if raw is not None and hasattr(re2, "_Anchor") else None
        self.names = [name for name, _ in alternatives]
        index = self.regex.groupindex
        self._alternatives = [(name, index[name]) for name in self.names]
        self._others = {name: number for name, number in index.items() if name not in set(self.names)}

    def finditer(self, encoded: Encoded, start: int = 0, end: int | None = None) -> Iterator[WordMatch]:
        """Matches that start at or after ``start`` and end at or before ``end`` (character offsets)."""
        end = len(encoded.text) if end is None else end
        data = encoded.data
        pos = encoded.byte(start - 1) if start > 0 else 0
        limit = encoded.byte(end)
        size = len(data)
        while pos <= size:
            if self._raw is not None:
                spans = self._raw(_UNANCHORED, data, pos, size)
                if spans[0][0] < 0:
                    return
            else:
                m = self.regex.search(data, pos)
                if m is None:
                    return
                spans = [m.span(i) for i in range(self.regex.groups + 1)]
            found = next(((name, spans[number]) for name, number in self._alternatives if spans[number][0] >= 0), None)
            if found is None:  # pragma: no cover - one alternative always matches
                return
            name, (a, b) = found
            if a >= limit:
                return
            if b <= a:  # an empty match says nothing; step on
                pos = _char_start(data, max(pos, a) + 1)
                continue
            if b <= limit:
                groups = {}
                for other, number in self._others.items():
                    ga, gb = spans[number]
                    if ga >= 0:
                        groups[other] = (encoded.char(ga), encoded.char(gb))
                yield WordMatch(encoded.char(a), encoded.char(b), name, groups)
            # the character after this word (its boundary) may be the boundary before the next
            pos = b

    def search(self, encoded: Encoded, start: int = 0, end: int | None = None) -> WordMatch | None:
        return next(self.finditer(encoded, start, end), None)


def _char_start(data: bytes, pos: int) -> int:
    """``pos`` moved forward to the start of a UTF-8 character."""
    while pos < len(data) and (data[pos] & 0xC0) == 0x80:
        pos += 1
    return pos
