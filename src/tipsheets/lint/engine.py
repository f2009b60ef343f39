"""The lint engine: every string of the content and the literal text of templates,
checked against the rules, with each finding pointing at its source.

:func:`lint_catalog` is a pure function of a loaded catalog and a list of
template folders; it reads template files but writes nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, TypedDict

from tipsheets.core.blocks import BLOCK_TYPES
from tipsheets.core.catalog import Catalog, Entry, relative, visible_files
from tipsheets.core.editions import apply, find_base
from tipsheets.core.errors import ContentError
from tipsheets.core.source import FieldPath, Mark, Scalar, SourceFile, field_name
from tipsheets.core.theme import current_name, theme_dirs
from tipsheets.project import CONTENT_TYPES
from . import text as T
from .config import Settings, load_settings, settings_for
from . import normalize as N
from .linear import Encoded, PatternError, WordMatch, WordPattern
from .rules import RANK, Rule


@dataclass(frozen=True)
class Finding:
    """One problem, located in the source file it came from."""

    file: str  # relative to the project root, as shown
    line: int
    col: int
    field: str  # such as tips[2].body; empty for templates
    rule: str
    level: str  # error | warning | suggestion
    message: str
    suggestion: str | None
    note: str
    locale: str
    text: str  # the matched text
    #: every suggestion, best first (``suggestion`` is the first)
    suggestions: tuple[str, ...] = ()
    audience: str = ""
    #: True when ``text`` was found verbatim at line:col (so --fix can replace it)
    exact: bool = False
    #: for base text that only an edition's audience or locale flags: the edition file (as shown),
    #: the one handout the finding stops; the finding itself points at the base file
    edition: str = ""

    @property
    def fixable(self) -> bool:
        return self.exact and len(self.suggestions) == 1

    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["suggestions"] = list(self.suggestions)
        data["fixable"] = self.fixable
        return data


# --------------------------------------------------------------------------- audiences


def audience_of(entry: Entry, catalog: Catalog | None = None) -> str:
    """Who reads what is made from ``entry``.

    Tip sheets and brochures say so (``audience``); an edition says so or reads as its base
    does (looked up in ``catalog``); every other file is read by the audience
    its content type names (programs are printed on flyers for parents;
    offices, guidance and area lists end up on caseworkers' desk aids; brands
    are printed on every kind of handout, so each rule applies at its
    strictest, "all").
    """
    if entry.kind in ("tipsheets", "brochures"):
        return str(getattr(entry.item, "audience", "agency-staff"))
    if entry.kind == "editions":
        if entry.item.audience:
            return str(entry.item.audience)
        base = find_base(catalog, entry) if catalog is not None else None
        return str(base.item.audience) if base is not None else "agency-staff"
    content_type = CONTENT_TYPES.folder(entry.kind)
    return content_type.audience if content_type is not None else "agency-staff"


def template_audience(name: str, audiences: dict[str, str]) -> str:
    """Whose rules a template's own words answer to: its kind's audience (by its folder), else everyone's."""
    folder = current_name(name).split("/")[0]
    return audiences.get(folder, "all")


def locale_of(entry: Entry, path: FieldPath = ()) -> str:
    if len(path) > 1 and path[0] == "translations":
        return str(path[1])
    return str(entry.locale or getattr(entry.item, "locale", None) or "en")


#: keys whose values are identifiers, addresses or codes rather than prose
NOT_PROSE = frozenset(
    "id url web email phone path provider brand brands guidance time zip state locale language "
    "languages format audience audiences paper weekday start verified "
    "base programs replace remove insert_before insert_after append "
    "orientation layout page_number marker note program".split()
) | BLOCK_TYPES.codes()  # each block type names its own: type, style, place...
NOT_PROSE_BRANCHES = frozenset({"color", "typography", "logo", "defaults"})
#: keys under a NOT_PROSE_BRANCHES branch that are printed all the same: a logo's alt text is
#: the image's text in the PDF (/Alt) and the web page (alt)
PRINTED_IN_BRANCHES = frozenset({"alt"})


#: where a brand file keeps tipsheets' own keys (contact, funding): read as if they were at the top
OWN_BRAND_KEYS: FieldPath = ("defaults", "tipsheets")


def rule_path(path: FieldPath) -> FieldPath:
    """The path rules see: a brand's ``defaults.tipsheets.funding`` is its ``funding``."""
    return path[2:] if path[:2] == OWN_BRAND_KEYS else path


def _is_prose(path: FieldPath) -> bool:
    path = rule_path(path)
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if path and path[0] in NOT_PROSE_BRANCHES:
        return last in PRINTED_IN_BRANCHES
    return last not in NOT_PROSE


# --------------------------------------------------------------------------- compiled rules


@lru_cache(maxsize=256)
def _field_glob(glob: str) -> re.Pattern[str]:
    source = re.escape(glob).replace(r"\[\*\]", r"\[\d+\]").replace(r"\*", ".*")
    return re.compile(source)


def _excluded(rule: Rule, field: str) -> bool:
    return any(_field_glob(g).fullmatch(field) for g in rule.exclude_fields)


@dataclass(frozen=True)
class _Term:
    rule: Rule
    level: str
    suggestions: tuple[str, ...]
    plural_group: str | None


class _Matcher:
    """One combined pattern for the term rules active in a context, matched in linear time (RE2)."""

    def __init__(self, active: tuple[tuple[Rule, str], ...]) -> None:
        self.terms: dict[str, _Term] = {}
        alternatives: list[tuple[int, str, str]] = []
        for r_index, (rule, level) in enumerate(active):
            for p_index, (pattern, suggestions) in enumerate(rule.patterns()):
                name = f"t{r_index}_{p_index}"
                plural = f"s{r_index}_{p_index}" if rule.plurals else None
                body = T.pattern_source(pattern)
                if plural:
                    body = f"(?:{body})(?P<{plural}>e?s)?"
                flags = "(?i:" if rule.ignorecase else "(?-i:"
                alternatives.append((len(pattern), name, f"{flags}{body})"))
                self.terms[name] = _Term(rule, level, suggestions, plural)
        alternatives.sort(key=lambda a: -a[0])  # longer phrases first
        self.pattern = WordPattern([(name, body) for _, name, body in alternatives]) if alternatives else None

    def finditer(self, text: Encoded) -> Iterator[WordMatch]:
        if self.pattern is not None:
            yield from self.pattern.finditer(text)


def _pronoun_patterns(rule: Rule) -> tuple[WordPattern, WordPattern]:
    flags = "(?i:" if rule.ignorecase else "(?-i:"
    antecedents = [(f"a{i}", f"{flags}{T.pattern_source(p)})") for i, p in enumerate(rule.antecedents)]
    pronouns = [(f"p{i}", f"{flags}{T.pattern_source(p)})") for i, p in enumerate(rule.pronouns)]
    return WordPattern(antecedents), WordPattern(pronouns)


_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:'s)?\b")
_NOT_NAMES = frozenset({"I", "If", "When", "The", "A", "An", "Each", "Every", "Any"})


@dataclass
class _Context:
    """The rules in force for one audience, locale and document."""

    audience: str
    locale: str
    terms: tuple[tuple[Rule, str], ...]
    pronouns: tuple[tuple[Rule, str], ...]
    metrics: tuple[tuple[Rule, str], ...]
    mask: T.Masker
    matcher: _Matcher
    pronoun_res: dict[str, tuple[WordPattern, WordPattern]]
    #: what term rules do not look into (addresses, protected names), in the printed text
    term_mask: T.Masker = field(default_factory=lambda: T.mask_pattern(()))


class _Contexts:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache: dict[tuple[str, str, str], _Context] = {}
        self.mask = T.mask_pattern(tuple(settings.rules.protected))
        self.term_mask = T.mask_pattern(tuple(settings.rules.protected), printed=True)
        self.doc_overrides = bool(settings.config.documents)
        self.matchers: dict[tuple[tuple[str, str], ...], _Matcher] = {}
        self.pronoun_res: dict[str, tuple[WordPattern, WordPattern]] = {}

    def get(self, audience: str, locale: str, document: str, *, any_locale: bool = False) -> _Context:
        key = (audience, locale if not any_locale else "*", document if self.doc_overrides else "")
        context = self.cache.get(key)
        if context is None:
            groups: dict[str, list[tuple[Rule, str]]] = {"term": [], "pronoun": [], "metric": []}
            for rule in self.settings.rules.rules.values():
                if not any_locale and not rule.applies_to_locale(locale):
                    continue
                level = self.settings.level(rule, audience, document)
                if level == "off":
                    continue
                kind = "term" if rule.is_term else "pronoun" if rule.kind == "generic-pronoun" else "metric"
                groups[kind].append((rule, level))
            terms = tuple(groups["term"])
            key_terms = tuple((rule.id, level) for rule, level in terms)
            try:
                if key_terms not in self.matchers:
                    self.matchers[key_terms] = _Matcher(terms)
                for rule, _level in groups["pronoun"]:
                    if rule.id not in self.pronoun_res:
                        self.pronoun_res[rule.id] = _pronoun_patterns(rule)
            except PatternError as exc:  # each pattern compiled alone; together they are too much
                raise ContentError("tipsheets.yaml", f"lint: the rules together cannot be matched: {exc}",
                                   hint="remove or simplify project rules in lint.add_rules and rule_files") from None
            context = _Context(audience, locale, terms, tuple(groups["pronoun"]),
                               tuple(groups["metric"]), self.mask, self.matchers[key_terms], self.pronoun_res,
                               self.term_mask)
            self.cache[key] = context
        return context


# --------------------------------------------------------------------------- matching one text


@dataclass
class _Hit:
    start: int
    end: int
    rule: Rule
    level: str
    message: str
    suggestions: tuple[str, ...]
    #: locate by searching for the matched text (False: point at the start of the field)
    search: bool = True
    #: the source text is exactly what the rule matched (no Markdown, hidden or look-alike characters)
    verbatim: bool = True


def _format(rule: Rule, **values: Any) -> str:
    try:
        return rule.message.format(**values)
    except (KeyError, IndexError, ValueError):
        return rule.message


def _pluralise(suggestion: str, suffix: str) -> str:
    if not suffix:
        return suggestion
    return suggestion + ("es" if suggestion.endswith(("s", "sh", "ch", "x", "z")) else "s")


class _Worked(TypedDict, total=False):
    """What the checks of one string work out once and share."""

    #: (start, end) of each sentence of the masked text
    sentences: list[tuple[int, int]]
    #: the masked text reduced to words and punctuation
    plain: str


#: the sentences of one string, worked out when first asked for
_Spans = Callable[[], list[tuple[int, int]]]


def check_text(value: str, context: _Context, field: str = "", *, metrics: bool = True,
               markdown: bool = True) -> list[_Hit]:
    """Every hit of the context's rules in one string (offsets into ``value``).

    Term rules match the text as printed (``markdown``: the Markdown reduced to its
    words) and normalised (:mod:`.normalize`); their hits are mapped back to ``value``.
    """
    hits: list[_Hit] = []
    cache: _Worked = {}
    terms = bool(context.terms and context.matcher.pattern is not None)
    projection = N.project(value, markdown=markdown) if terms else None
    if projection is None:  # the text is printed as written: the two masks share their work
        shared = context.term_mask.spans(value)
        term_masked = T.blank(value, shared)
        masked = T.blank(value, shared + context.mask.more(value))
    else:
        masked = T.mask(value, context.mask)

    def spans() -> list[tuple[int, int]]:
        if "sentences" not in cache:
            cache["sentences"] = T.sentences(masked)
        return cache["sentences"]

    if terms:
        hits.extend(term_hits(value, context, field, projection=projection,
                              masked=term_masked if projection is None else None))
    if context.pronouns:
        for rule, level in context.pronouns:
            hits.extend(_generic_pronouns(value, masked, rule, level, field, hits, context.pronoun_res[rule.id],
                                          spans))
    if metrics and context.metrics:
        for rule, level in context.metrics:
            if rule.exclude_fields and _excluded(rule, field):
                continue
            hits.extend(_metric(value, masked, rule, level, spans, cache))
    return hits


def term_hits(value: str, context: _Context, field: str = "", *, markdown: bool = True,
              projection: N.Projection | None | bool = False, masked: str | None = None) -> list[_Hit]:
    """Hits of the term rules in ``value`` as printed and normalised, at offsets into ``value``.

    ``projection``: :func:`~.normalize.project` of ``value``, when the caller has it;
    ``masked``: the printed text with addresses and protected names blanked, likewise.
    """
    if projection is False:
        projection = N.project(value, markdown=markdown)
    text = projection.text if isinstance(projection, N.Projection) else value
    if masked is None:
        masked = T.mask(text, context.term_mask)
    matcher = context.matcher
    hits: list[_Hit] = []
    quoted: list[tuple[int, int]] | None = None
    for m in matcher.finditer(Encoded(masked)):
        term = matcher.terms[m.name]
        rule = term.rule
        if rule.exclude_fields and _excluded(rule, field):
            continue
        if rule.skip_quoted:
            if quoted is None:
                quoted = T.quoted_spans(text)
            if quoted and T.inside(quoted, m.start, m.end):
                continue
        start, end = projection.span(m.start, m.end) if isinstance(projection, N.Projection) else (m.start, m.end)
        shown = text[m.start : m.end]
        original = value[start:end]
        verbatim = original == shown
        suffix = m.group_text(masked, term.plural_group) if term.plural_group else ""
        suggestions = tuple(T.match_case(_pluralise(s, suffix), shown) for s in term.suggestions)
        message = _format(rule, match=shown, suggestion=" or ".join(f"{s}" for s in suggestions)
                          if len(suggestions) > 1 else (suggestions[0] if suggestions else ""))
        if not verbatim:
            message += f" (written {_as_written(original)})"
        hits.append(_Hit(start, end, rule, term.level, message, suggestions, verbatim=verbatim))
    return hits


def _as_written(original: str) -> str:
    """The source text of a match, hidden and look-alike characters spelt out."""
    text = " ".join(original.split()) if len(original) < 200 else " ".join(original[:200].split()) + "..."
    return ascii(text) if not text.isascii() else repr(text)


def _generic_pronouns(value: str, masked: str, rule: Rule, level: str, field: str,
                      taken: list[_Hit], patterns: tuple[WordPattern, WordPattern],
                      spans: _Spans) -> Iterator[_Hit]:
    if rule.exclude_fields and _excluded(rule, field):
        return
    antecedent_re, pronoun_re = patterns
    encoded = Encoded(masked)
    # every candidate once (a few calls into RE2 per text rather than one per sentence)
    pronouns = list(pronoun_re.finditer(encoded))
    if not pronouns:
        return
    antecedents = list(antecedent_re.finditer(encoded))
    if not antecedents:
        return
    lookup = {k.lower(): v for k, v in rule.pronouns.items()}
    quoted = T.quoted_spans(value) if rule.skip_quoted else []
    for start, end in spans():
        antecedent = next((a for a in antecedents if a.start >= start and a.end <= end), None)
        if antecedent is None:
            continue
        for pronoun in pronouns:
            if pronoun.start < antecedent.end or pronoun.end > end:
                continue
            if any(h.start <= pronoun.start < h.end for h in taken):
                continue  # part of "he or she", already reported
            if quoted and T.inside(quoted, pronoun.start, pronoun.end):
                continue
            names = [n for n in _NAME.finditer(masked, start, pronoun.start)
                     if n.start() != start and n.group(0) not in _NOT_NAMES]
            if names:
                break  # a named person: probably a particular father, not a generic one
            original = value[pronoun.start : pronoun.end]
            suggestion = T.match_case(lookup.get(original.lower(), "they"), original)
            message = _format(rule, match=original, suggestion=suggestion,
                              antecedent=value[antecedent.start : antecedent.end])
            yield _Hit(pronoun.start, pronoun.end, rule, level, message, (suggestion,))
            break  # one finding per sentence is enough


def _compare(op: str, value: float, limit: float) -> bool:
    return {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[op]


def _metric(value: str, masked: str, rule: Rule, level: str, spans: _Spans, cache: _Worked) -> Iterator[_Hit]:
    op, limit = rule.threshold()
    if rule.formula == "sentence-words":
        if len(value.split()) <= limit and op in (">", ">="):
            return  # cannot have a sentence that long
        if "plain" not in cache:
            cache["plain"] = T.plain(masked)
        plain = cache["plain"]
        for start, end in spans():
            count = len(T.words(plain[start:end]))
            if count >= rule.min_words and _compare(op, count, limit):
                message = _format(rule, value=count, limit=limit)
                yield _Hit(start, end, rule, level, message, ())
        return
    if len(value.split()) < rule.min_words:
        return
    if "plain" not in cache:
        cache["plain"] = T.plain(masked)
    plain = cache["plain"]
    if len(T.words(plain)) < rule.min_words:
        return
    score = T.FORMULAS[rule.formula or ""](plain, spans())
    if _compare(op, score, limit):
        first = next(iter(spans()), (0, len(value)))
        yield _Hit(first[0], first[1], rule, level, _format(rule, value=score, limit=limit), ())


# --------------------------------------------------------------------------- locating in YAML

_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


class FileIndex:
    """Line starts of a text, to turn marks into offsets and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def offset(self, mark: Mark) -> int:
        line = min(max(mark.line, 1), len(self.starts))
        return self.starts[line - 1] + mark.col - 1

    def mark(self, offset: int) -> Mark:
        line = bisect.bisect_right(self.starts, offset)
        return Mark(line, offset - self.starts[line - 1] + 1)

    def line(self, number: int) -> str:
        if not 1 <= number <= len(self.starts):
            return ""
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[self.starts[number - 1] : end].rstrip("\r\n\x85\u2028\u2029")


def _nth(haystack: str, needle: str, n: int) -> int:
    """Offset of the n-th (0-based, non-overlapping) occurrence of ``needle``, or -1."""
    pos = haystack.find(needle)
    while pos >= 0 and n > 0:
        pos = haystack.find(needle, pos + len(needle))
        n -= 1
    return pos


def locate(index: FileIndex, scalar: Scalar, value: str, start: int, matched: str) -> tuple[Mark, bool]:
    """Where ``value[start:]`` (which begins with ``matched``) is in the raw YAML, and whether exactly."""
    span_start = index.offset(scalar.start)
    span_end = index.offset(scalar.end)
    if scalar.style in ("|", ">"):
        span_start = index.starts[scalar.start.line] if scalar.start.line < len(index.starts) else span_start
    raw = index.text[span_start:span_end]
    first_line = matched.split("\n", 1)[0].strip()
    first_word = (T.words(matched) or [""])[0]
    for needle in dict.fromkeys((matched, first_line, first_word)):
        if not needle:
            continue
        occurrence = _count(value, needle, start)
        pos = _nth(raw, needle, occurrence)
        if pos >= 0:
            return index.mark(span_start + pos), needle == matched
    if scalar.start.line == scalar.end.line:
        quote = 1 if scalar.style in ("'", '"') else 0
        return Mark(scalar.start.line, scalar.start.col + start + quote), False
    return scalar.start, False


def _count(value: str, needle: str, before: int) -> int:
    """How many times ``needle`` occurs in ``value`` before offset ``before`` (non-overlapping)."""
    count, pos = 0, value.find(needle)
    while 0 <= pos < before:
        count += 1
        pos = value.find(needle, pos + len(needle))
    return count


# --------------------------------------------------------------------------- suppression

_IGNORE = re.compile(r"tipsheets:\s*ignore\b\s*(.*)", re.IGNORECASE)


def _ids(text: str) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in re.split(r"[,\s]+", text) if p.strip())


class _Suppressions:
    """``# tipsheets: ignore RULE`` comments of one YAML file."""

    def __init__(self, source: SourceFile, index: FileIndex) -> None:
        self.on_line: dict[int, frozenset[str]] = {}
        self.whole_line: set[int] = set()
        for line, comment in source.positions.comments.items():
            m = _IGNORE.search(comment)
            if m:
                self.on_line[line] = _ids(m.group(1)) or frozenset({"all"})
                if index.line(line).lstrip().startswith("#"):
                    self.whole_line.add(line)
        self.positions = source.positions

    def ignored(self, path: FieldPath, scalar: Scalar) -> frozenset[str]:
        if not self.on_line:
            return frozenset()
        lines: set[int] = {scalar.start.line}
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            mark = self.positions.keys.get(prefix) or (
                self.positions.values.get(prefix) if isinstance(prefix[-1], int) else None)
            if mark is not None:
                lines.add(mark.line)
        out: set[str] = set()
        for line in lines:
            out |= self.on_line.get(line, frozenset())
            if line - 1 in self.whole_line:
                out |= self.on_line[line - 1]
        return frozenset(out)


# --------------------------------------------------------------------------- content


def lint_entry(entry: Entry, contexts: _Contexts) -> list[Finding]:
    items = ((path, field_name(rule_path(path)), value, scalar, locale_of(entry, path))
             for path, value, scalar in entry.source.strings())
    return _lint_strings(entry.source, items, audience_of(entry), contexts)


def _lint_strings(source: SourceFile, items: Iterable[tuple[FieldPath, str, str, Scalar, str]], audience: str,
                  contexts: _Contexts, *, edition: str = "", note: str = "") -> list[Finding]:
    """Check strings of one file: (path in the file, field name the rules see, value, scalar, locale)."""
    index: FileIndex | None = None
    suppressions: _Suppressions | None = None
    findings: list[Finding] = []
    for path, rule_field, value, scalar, locale in items:
        if not _is_prose(path) or not value.strip():
            continue
        context = contexts.get(audience, locale, source.path)
        hits = check_text(value, context, rule_field)
        if not hits:
            continue
        if index is None:
            index = FileIndex(source.text)
            suppressions = _Suppressions(source, index)
        assert suppressions is not None
        ignored = suppressions.ignored(path, scalar)
        for hit in hits:
            if "all" in ignored or hit.rule.id in ignored:
                continue
            matched = value[hit.start : hit.end]
            mark, exact = locate(index, scalar, value, hit.start, matched)
            finding = _finding(source.path, mark, field_name(path), hit, locale, audience, matched, exact)
            if edition:
                finding = replace(finding, edition=edition, message=finding.message + note, exact=False)
            findings.append(finding)
    return findings


def lint_edition(entry: Entry, catalog: Catalog, contexts: _Contexts) -> list[Finding]:
    """An edition is checked as the merged sheet it prints, for its own audience and locale.

    Its own text is checked in the edition file, under the field names it takes
    in the merged sheet (so rules that skip, say, ``references[*].text`` skip it
    there too). Base text the edition keeps is already checked with the base;
    when the edition is for another audience or in another locale, that text is
    checked again with the edition's rules, and what only those rules find is
    reported at the base file, stopping only the edition.
    """
    edition = entry.item
    base = find_base(catalog, entry)
    audience = audience_of(entry, catalog)
    if base is None:  # the check reports the missing base; still check the edition's own words
        return _lint_strings(entry.source, ((p, field_name(p), v, sc, locale_of(entry)) for p, v, sc in
                                            entry.source.strings()), audience, contexts)
    merged = apply(base, entry)
    locale = str(edition.locale or base.item.locale)
    renamed: dict[FieldPath, FieldPath] = {}
    for merged_path, origin in merged.origins.items():
        if origin.source is entry.source and origin.path and origin.path[0] == "changes":
            renamed[origin.path] = merged_path

    def rule_field(path: FieldPath) -> str:
        for cut in range(len(path), 0, -1):
            if path[:cut] in renamed:
                return field_name(renamed[path[:cut]] + path[cut:])
        return field_name(path)

    findings = _lint_strings(entry.source, ((p, rule_field(p), v, sc, locale) for p, v, sc in entry.source.strings()),
                             audience, contexts)
    if merged.sheet is None or (audience, locale) == (base.item.audience, base.item.locale):
        return findings
    kept: list[tuple[FieldPath, str, str, Scalar, str]] = []
    for merged_path in _string_paths(merged.sheet.model_dump(), ()):
        origin = merged.origins.locate(merged_path)
        scalar = base.source.positions.scalars.get(origin.path)
        value = _at(base.source.data, origin.path)
        if origin.source is base.source and scalar is not None and isinstance(value, str):
            kept.append((origin.path, field_name(merged_path), value, scalar, locale))
    own = {(f.line, f.col, f.rule) for f in lint_entry(base, contexts)}
    note = f" (in edition '{entry.id}', for {audience})"
    findings += [f for f in _lint_strings(base.source, kept, audience, contexts, edition=entry.path, note=note)
                 if (f.line, f.col, f.rule) not in own]
    return findings


def _string_paths(value: Any, path: FieldPath) -> Iterator[FieldPath]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _string_paths(item, path + (i,))


def _at(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _finding(file: str, mark: Mark, name: str, hit: _Hit, locale: str, audience: str,
             matched: str, exact: bool) -> Finding:
    return Finding(
        file=file, line=mark.line, col=mark.col, field=name, rule=hit.rule.id, level=hit.level,
        message=hit.message, suggestion=hit.suggestions[0] if hit.suggestions else None,
        note=" ".join(hit.rule.note.split()), locale=locale if hit.rule.locale == "all" else hit.rule.locale,
        text=matched, suggestions=hit.suggestions, audience=audience,
        exact=exact and hit.verbatim and hit.rule.kind == "substitution",
    )


# --------------------------------------------------------------------------- templates

TEMPLATE_SUFFIXES = (".j2", ".css")
_JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")
_HTML_SKIP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_ATTR = re.compile(r"\b(?:alt|title|aria-label|placeholder)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
#: CSS left in HTML templates (say, in a Jinja block outside <style>): innermost braces first
_CSS_BLOCK = re.compile(r"\{[^{}<>]*\}")
_AT_RULE = re.compile(r"@[\w-]+")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_CSS_CONTENT = re.compile(r"content\s*:\s*(\"[^\"\n]*\"|'[^'\n]*')")
_DIRECTIVE = re.compile(r"\{#-?\s*tipsheets:\s*(disable|enable)\b\s*(.*?)\s*-?#\}", re.DOTALL | re.IGNORECASE)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def template_text(source: str, name: str) -> str:
    """The literal, reader-visible text of a template, at the same offsets (the rest blanked)."""
    chars = list(source)
    if name.endswith((".css", ".css.j2")):
        keep = [False] * len(source)
        for m in _CSS_CONTENT.finditer(source):
            for i in range(m.start(1) + 1, m.end(1) - 1):
                keep[i] = True
        return "".join(ch if keep[i] or ch in "\r\n" else " " for i, ch in enumerate(source))
    for m in _JINJA.finditer(source):
        literals: list[tuple[int, int]] = []
        if not m.group(0).startswith("{#"):
            for s in _STRING.finditer(m.group(0)):
                content = s.group(1) if s.group(1) is not None else s.group(2)
                if " " in content and any(ch.isalpha() for ch in content):
                    literals.append((m.start() + s.start() + 1, m.start() + s.end() - 1))
        position = m.start()
        for a, b in literals:
            _blank(chars, position, a)
            position = b
        _blank(chars, position, m.end())
    text = "".join(chars)
    for m in _HTML_SKIP.finditer(text):
        _blank(chars, m.start(), m.end())
    text = "".join(chars)
    for m in _TAG.finditer(text):
        position = m.start()
        for attr in _ATTR.finditer(m.group(0)):
            value_start = m.start() + attr.start(1) + 1
            value_end = m.start() + attr.end(1) - 1
            _blank(chars, position, value_start)
            position = value_end
        _blank(chars, position, m.end())
    for m in _ENTITY.finditer(text):
        _blank(chars, m.start(), m.end())
    text = "".join(chars)
    if "{" in text:
        while True:
            blocks = list(_CSS_BLOCK.finditer(text))
            if not blocks:
                break
            for m in blocks:
                _blank(chars, m.start(), m.end())
            text = "".join(chars)
        for m in _AT_RULE.finditer(text):
            _blank(chars, m.start(), m.end())
    return "".join(chars)


def _disabled_ranges(source: str) -> list[tuple[int, int, frozenset[str]]]:
    ranges: list[tuple[int, int, frozenset[str]]] = []
    open_: dict[str, int] = {}
    for m in _DIRECTIVE.finditer(source):
        ids = _ids(m.group(2)) or frozenset({"all"})
        for rule_id in ids:
            if m.group(1).lower() == "disable":
                open_.setdefault(rule_id, m.end())
            elif rule_id in open_:
                ranges.append((open_.pop(rule_id), m.start(), frozenset({rule_id})))
            elif rule_id == "all":
                for other, begun in list(open_.items()):
                    ranges.append((begun, m.start(), frozenset({other})))
                    open_.pop(other)
    for rule_id, begun in open_.items():
        ranges.append((begun, len(source), frozenset({rule_id})))
    return ranges


def template_files(template_dirs: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Every template file of the folders, once each, with the folder it is in."""
    seen: set[Path] = set()
    out: list[tuple[Path, Path]] = []
    for folder in template_dirs:
        folder = Path(folder)
        for path in visible_files(folder):
            if path.name.endswith(TEMPLATE_SUFFIXES):
                resolved = path.resolve()
                if not resolved.is_relative_to(folder.resolve()):
                    continue  # a link to a file elsewhere: never read, as the renderer never reads it
                if resolved not in seen:
                    seen.add(resolved)
                    out.append((folder, path))
    return out


def lint_template(path: Path, shown: str, name: str, contexts: _Contexts,
                  audiences: dict[str, str] | None = None) -> list[Finding]:
    try:
        source = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return lint_template_text(source, shown, contexts, name=name, audiences=audiences)


def lint_template_text(source: str, shown: str, contexts: _Contexts, *, name: str = "",
                       audiences: dict[str, str] | None = None) -> list[Finding]:
    """The literal text of one template (``shown`` in messages; ``name`` its name in the theme)."""
    visible = template_text(source, Path(shown).name)
    if not visible.strip():
        return []
    audience = template_audience(name or Path(shown).name, audiences or {})
    locale = "es" if ".es." in Path(shown).name else "en"
    context = contexts.get(audience, locale, shown, any_locale=True)
    hits = check_text(visible, context, "", metrics=False, markdown=False)
    if not hits:
        return []
    index = FileIndex(source)
    disabled = _disabled_ranges(source) if "tipsheets:" in source else []
    findings = []
    for hit in hits:
        if any(a <= hit.start < b and ("all" in ids or hit.rule.id in ids) for a, b, ids in disabled):
            continue
        matched = source[hit.start : hit.end]
        rule_locale = hit.rule.locale if hit.rule.locale != "all" else locale
        findings.append(_finding(shown, index.mark(hit.start), "", hit, rule_locale, audience, matched, True))
    return findings


# --------------------------------------------------------------------------- the whole project


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line, f.col, -RANK[f.level], f.rule)


class Memo(Protocol):
    """Findings remembered from an earlier run, for a file whose bytes and rules have not changed since."""

    def get(self, entry: Entry) -> list[Finding] | None: ...

    def put(self, entry: Entry, findings: list[Finding]) -> None: ...


def lint_catalog(catalog: Catalog, template_dirs: list[Path] | None = None,
                 settings: Settings | None = None, *, template_audiences: dict[str, str] | None = None,
                 memo: Memo | None = None) -> list[Finding]:
    """Every finding in the loaded content and the templates, sorted by file and position.

    ``memo`` gives the findings of a file checked before (by its bytes, with the
    same rules) and is told those of each file checked now. An edition reads as
    its base does, so it is always checked.

    Raises :class:`~tipsheets.source.ContentError` when the ``lint:`` settings or
    a rule file are wrong.
    """
    settings = settings or settings_for(catalog)
    contexts = _Contexts(settings)
    findings: list[Finding] = []
    for kind in sorted(catalog.entries):
        for entry in catalog.of(kind):
            if kind == "editions":
                findings.extend(lint_edition(entry, catalog, contexts))
                continue
            found = memo.get(entry) if memo is not None else None
            if found is None:
                found = lint_entry(entry, contexts)
                if memo is not None:
                    memo.put(entry, found)
            findings.extend(found)
    if settings.config.templates:
        for folder, path in template_files(template_dirs or []):
            name = path.relative_to(folder).as_posix()
            findings.extend(lint_template(path, relative(path, catalog.root), name, contexts, template_audiences))
    return sorted(findings, key=_order)


def at_or_above(findings: Iterable[Finding], level: str) -> list[Finding]:
    return [f for f in findings if RANK[f.level] >= RANK[level]]


def gate(catalog: Catalog, template_dirs: list[Path] | None = None) -> dict[str, list[Finding]]:
    """Error-level findings keyed by file (as shown): what must be fixed before a build."""
    return blocking(lint_catalog(catalog, template_dirs))


def blocking(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The error-level ``findings`` keyed by the file whose handouts they stop."""
    out: dict[str, list[Finding]] = {}
    for finding in at_or_above(findings, "error"):
        # base text that only an edition's rules flag stops that edition, not the base
        out.setdefault(finding.edition or finding.file, []).append(finding)
    return out


def default_template_dirs(root: Path) -> list[Path]:
    """The project's ``templates/`` folder and the built-in theme."""
    return theme_dirs(Path(root))


def lint_text(value: str, *, audience: str = "parents", locale: str = "en", field: str = "body",
              settings: Settings | None = None, file: str = "<text>") -> list[Finding]:
    """Findings in one string, as if it were the field ``field`` of a document for ``audience``.

    Lines and columns count within ``value``. Handy for tests and editor integrations.
    """
    settings = settings or load_settings({}, Path("."))
    context = _Contexts(settings).get(audience, locale, file)
    index = FileIndex(value)
    out = []
    for hit in check_text(value, context, field):
        matched = value[hit.start : hit.end]
        out.append(_finding(file, index.mark(hit.start), field, hit, locale, audience, matched, True))
    return sorted(out, key=_order)
