"""Judging what a handout prints, after Markdown and templates have done their work.

``tipsheets lint`` checks the content strings and the literal text of the
templates; a template can still *build* words from expressions
(``{{ "Marriage" ~ " education" }}``), and a phrase can still be split between
a field and the template around it. So each rendered handout is judged too:
:func:`printed_text` takes from its HTML what a reader or a screen reader gets
(text, ``alt``/``title``/``aria-label`` attributes, the ``<title>`` and the
``<meta>`` description, author and keywords that become the PDF's metadata,
and the CSS strings that print, such as a running footer's ``content:``), and
:class:`PrintedJudge` runs the error-level term rules of the handout's audience
and language over it, normalised as :mod:`.normalize` does.

Each finding points at the source field whose printed, normalised text holds
the words (``file:line:col: field``), so suppressions and exclusions written
for that field still apply; when no single field holds them, at the template
where they are written (the project's templates first, then the built-in
theme), or at the handout's template, line 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from jinja2 import Environment, TemplateError, meta

from tipsheets.core.catalog import Catalog, relative
from tipsheets.core.target import Target
from tipsheets.core.theme import OLD_NAMES, current_name
from tipsheets.core.source import FieldPath, Scalar, SourceFile, field_name
from . import normalize as N
from . import text as T
from .config import Settings
from .engine import (FileIndex, Finding, _Contexts, _disabled_ranges, _excluded, _finding, _Hit, _is_prose, rule_path,
                     _Suppressions, locate, term_hits)

#: attributes whose value a reader sees or a screen reader speaks
SPOKEN_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "aria-description", "aria-roledescription",
                               "aria-placeholder", "placeholder", "label"})
#: <meta name=...> whose content becomes the PDF's metadata or a search result's text
SPOKEN_META = frozenset({"description", "author", "keywords", "subject"})
#: elements whose contents are not read as text
_SILENT = frozenset({"script", "style", "template", "noscript"})
#: elements that run inside a line of text: no break between their words and their neighbours'
_INLINE = frozenset("a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
                    "time u var wbr del ins label font tspan".split())
#: CSS properties whose strings are printed: generated content, running strings, PDF bookmarks
_CSS_PRINTED = re.compile(
    r"(?<![\w-])(?:content|quotes|string-set|bookmark-label)\s*:\s*"
    r"((?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^;{}\"'])*)", re.IGNORECASE | re.DOTALL)
_CSS_STRING = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(\r\n|[\n\r\f])|(.))", re.DOTALL)
#: an inlined image or font: nothing in it is read as text, and the parser need not walk it
_DATA = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w-]+=[^;,\"'\s]*)*;base64,[A-Za-z0-9+/=\s]{32,}")
#: between two pieces a reader never reads as one line: a phrase does not run across it
BOUNDARY = "\x00"


def css_strings(css: str) -> list[str]:
    """The text of every printed CSS string in ``css``: one per declaration, its strings joined."""
    out = []
    for declaration in _CSS_PRINTED.finditer(css):
        parts = [_css_unescape(m.group(1) if m.group(1) is not None else m.group(2))
                 for m in _CSS_STRING.finditer(declaration.group(1))]
        if parts:
            out.append("".join(parts))
    return out


def _css_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        if m.group(2):
            return ""
        return m.group(3)

    return _CSS_ESCAPE.sub(one, text) if "\\" in text else text


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.apart: list[str] = []
        self.silent: list[str] = []
        self.in_title = False
        self.title: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)
        if tag in _SILENT:
            self.silent.append(tag)
        elif tag == "title":
            self.in_title = True
        elif tag == "br":
            self.body.append("\n")
        elif tag not in _INLINE:
            self.body.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)
        if tag not in _INLINE:
            self.body.append("\n")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name in SPOKEN_ATTRIBUTES and value.strip():
                self.apart.append(value)
        if tag == "meta" and values.get("name", "").lower() in SPOKEN_META and values.get("content", "").strip():
            self.apart.append(values["content"])
        if values.get("style"):
            self.styles.append(values["style"])

    def handle_endtag(self, tag: str) -> None:
        if self.silent and tag == self.silent[-1]:
            self.silent.pop()
        elif tag == "title":
            self.in_title = False
            self.apart.append("".join(self.title))
            self.title = []
        elif tag not in _INLINE:
            self.body.append("\n")

    def handle_data(self, data: str) -> None:
        if self.silent:
            if self.silent[-1] == "style":
                self.styles.append(data)
        elif self.in_title:
            self.title.append(data)
        else:
            self.body.append(data)


def printed_text(html: str) -> str:
    """What a reader or a screen reader gets from one page of HTML, as one string.

    The body's text comes first (an element that is not inline starts a new
    line), then each attribute, the title, metadata and printed CSS string,
    each apart from the rest (a phrase never runs from one into the next).
    """
    reader = _Reader()
    reader.feed(_DATA.sub("data:", html) if "data:" in html else html)
    reader.close()
    pieces = ["".join(reader.body), *reader.apart]
    for css in reader.styles:
        pieces.extend(css_strings(css))
    return BOUNDARY.join(pieces)


# --------------------------------------------------------------------------- where the words came from

_WORD = re.compile(r"[^\W_]+")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def _words(text: str) -> list[str]:
    folded = None if text.isascii() else N.project(text, markdown=False)  # None: folding changes nothing
    return _WORD.findall(folded.text if folded is not None else text)


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    """The words in order, anything but letters and digits between them (Markdown, dashes, space)."""
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?![^\W_])", re.IGNORECASE)


@dataclass(frozen=True)
class _Field:
    source: SourceFile
    path: FieldPath
    value: str
    scalar: Scalar


class PrintedJudge:
    """The error-level term rules, applied to handouts as printed. One per build process."""

    def __init__(self, settings: Settings, root: Path, template_dirs: list[Path]) -> None:
        self.settings = settings
        self.contexts = _Contexts(settings)
        # a handout prints web addresses without their scheme: they are addresses, not words
        self.contexts.term_mask = T.mask_pattern(tuple(settings.rules.protected), printed=True, hosts=True)
        self.root = Path(root)
        self.template_dirs = [Path(d) for d in template_dirs]
        self._sources: dict[str, SourceFile] | None = None
        self._templates: dict[tuple[int, str], list[str]] = {}

    def judge_target(self, target: Target, catalog: Catalog, env: Environment, htmls: Iterable[str]) -> list[Finding]:
        """:meth:`judge` for one build target rendered with ``env``."""
        if self._sources is None:
            self._sources = {source.path: source for source in catalog.sources()}
        sources = [self._sources[path] for path in target.inputs if path in self._sources]
        key = (id(env), target.template)
        if key not in self._templates:
            self._templates[key] = rendered_templates(env, target.template)
        return self.judge(htmls, audience=target.audience, locales=target.locales, sources=sources,
                          templates=self._templates[key])

    def judge(self, htmls: Iterable[str], *, audience: str, locales: Iterable[str], sources: Iterable[SourceFile],
              templates: Iterable[str]) -> list[Finding]:
        """Error-level findings in what ``htmls`` (flavours of one handout) print, each at its source.

        ``sources``: the content files the handout read; ``templates``: the template names it
        rendered, its own first.
        """
        locales = list(dict.fromkeys(locales))
        texts = list(dict.fromkeys(printed_text(html) for html in htmls))
        hits: list[tuple[_Hit, str, str]] = []
        for locale in locales:
            context = self.contexts.get(audience, locale, "")
            if not context.terms or context.matcher.pattern is None:
                continue
            for text in texts:
                for hit in term_hits(text, context, markdown=False):
                    if hit.level == "error":
                        hits.append((hit, text, locale))
        if not hits:
            return []
        fields = [f for f in self._fields(sources)]
        templates = list(dict.fromkeys(templates))
        found: dict[tuple[str, int, int, str], Finding] = {}
        for hit, text, locale in hits:
            finding = self._place(hit, text[hit.start : hit.end], audience, locale, fields, templates)
            if finding is not None:
                found.setdefault((finding.file, finding.line, finding.col, finding.rule), finding)
        return sorted(found.values(), key=lambda f: (f.file, f.line, f.col, f.rule))

    def _fields(self, sources: Iterable[SourceFile]) -> Iterable[_Field]:
        for source in sources:
            for path, value, scalar in source.strings():
                if _is_prose(path) and value.strip():
                    yield _Field(source, path, value, scalar)

    def _place(self, hit: _Hit, printed: str, audience: str, locale: str, fields: list[_Field],
               templates: list[str]) -> Finding | None:
        """The finding for one hit at the field or template its words come from; None when suppressed there."""
        words = _words(printed)
        if not words:
            return None
        pattern = _words_pattern(words)
        for item in fields:
            shown = N.project(item.value)
            text = shown.text if shown is not None else item.value
            m = pattern.search(text)
            if m is None:
                continue
            return self._at_field(hit, item, shown, m.start(), m.end(), audience, locale)
        return self._at_template(hit, words, audience, locale, templates)

    def _at_field(self, hit: _Hit, item: _Field, shown: N.Projection | None, a: int, b: int, audience: str,
                  locale: str) -> Finding | None:
        rule, source, name = hit.rule, item.source, field_name(item.path)
        if rule.exclude_fields and _excluded(rule, field_name(rule_path(item.path))):
            return None
        if self.settings.level(rule, audience, source.path) != "error":
            return None
        index = FileIndex(source.text)
        ignored = _Suppressions(source, index).ignored(item.path, item.scalar)
        if "all" in ignored or rule.id in ignored:
            return None
        start, end = shown.span(a, b) if shown is not None else (a, b)
        original = item.value[start:end]
        mark, _ = locate(index, item.scalar, item.value, start, original)
        finding = _finding(source.path, mark, name, hit, locale, audience, original, False)
        return replace(finding, message=finding.message + " (in the printed handout)")

    def _at_template(self, hit: _Hit, words: list[str], audience: str, locale: str,
                     templates: list[str]) -> Finding | None:
        files = [(name, path) for name in templates for path in [self._template_file(name)] if path is not None]
        own = [(name, path) for name, path in files if not self._builtin(path)]
        # the whole phrase anywhere; a single word only in the project's own templates (the built-in
        # theme uses "education" in its own words), or the first word in the built-in theme
        searches = [(_words_pattern(words), files)]
        searches += [(_words_pattern([word]), own) for word in words]
        searches += [(_words_pattern(words[:1]), files)]
        for needle, where in searches:
            for _, path in where:
                source, searched = self._template_source(path)
                m = needle.search(searched)
                if m is None:
                    continue
                disabled = _disabled_ranges(source) if "tipsheets:" in source else []
                if any(a <= m.start() < b and ("all" in ids or hit.rule.id in ids) for a, b, ids in disabled):
                    return None
                shown = relative(path, self.root)
                if self.settings.level(hit.rule, audience, shown) != "error":  # lint.documents for templates
                    return None
                mark = FileIndex(source).mark(m.start())
                finding = _finding(shown, mark, "", hit, locale, audience, m.group(0), False)
                return replace(finding, message=finding.message + " (built by the template; in the printed handout)")
        shown = relative(files[0][1], self.root) if files else (templates[0] if templates else "templates")
        finding = _finding(shown, FileIndex("").mark(0), "", hit, locale, audience, " ".join(words), False)
        return replace(finding, message=finding.message + " (built by the template; in the printed handout)")

    def _builtin(self, path: Path) -> bool:
        """A file of the built-in theme (the last template folder)."""
        return path.resolve().is_relative_to(self.template_dirs[-1].resolve())

    def _template_source(self, path: Path) -> tuple[str, str]:
        """A template's text, and the same with its Jinja comments blanked (at the same offsets)."""
        try:
            source = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return "", ""
        return source, _COMMENT.sub(lambda m: "".join(ch if ch in "\r\n" else " " for ch in m.group(0)), source)

    def _template_file(self, name: str) -> Path | None:
        """The file a template name loads: the project's first, then the built-in theme's."""
        folders = self.template_dirs
        if name.startswith("builtin/"):
            folders, name = self.template_dirs[-1:], name.removeprefix("builtin/")
        current = current_name(name)
        names = [name, current, *(old for old, new in OLD_NAMES.items() if new == current)]
        for folder in folders:
            for candidate in dict.fromkeys(names):
                path = folder / candidate
                if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
                    return path
        return None


def rendered_templates(env: Environment, name: str) -> list[str]:
    """``name`` and every template it extends, includes or imports, as far as they are named literally."""
    loader = env.loader
    assert loader is not None, "a handout's templates come from an environment with a loader"
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        try:
            source, _, _ = loader.get_source(env, current)
            referenced = meta.find_referenced_templates(env.parse(source))
        except TemplateError:
            continue
        todo.extend(ref for ref in referenced if isinstance(ref, str))
    return seen
