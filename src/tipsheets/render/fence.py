"""The fence around every published HTML page: a policy the browser enforces, and a check before it.

A handout's web page and the gallery come from templates a project may
override, so their markup is untrusted. Two things keep a reader's browser from
fetching anything or running a script when such a page is opened:

- :func:`fence` puts a Content-Security-Policy ``<meta>`` (:data:`POLICY`) first
  in ``<head>`` after rendering, where no template can leave it out, weaken it
  or put markup before it, and starts the file with a UTF-8 byte order mark so
  no template can make the browser read the page in another encoding (where
  the policy would no longer be markup). The browser then refuses every load
  but ``data:`` images and fonts, every script and every frame.
- :func:`external_references` parses the page the way a browser does (the
  WHATWG algorithm, by JustHTML) and lists, in page order, everything in it that
  would load, run or navigate without a click: scripts, event handlers, frames,
  addresses in loading attributes (normalised as a URL parser does first), and
  ``url()``, ``image-set()`` and ``@import`` in CSS (read by tinycss2). A page
  with anything on that list is refused, so the policy is the second wall, not
  the only one. The check also covers what a policy cannot: ``<meta
  http-equiv=refresh>`` navigates whatever the policy says.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import tinycss2
from justhtml import Element, JustHTML
from tinycss2.ast import (AtKeywordToken, Comment, CurlyBracketsBlock, FunctionBlock, ParenthesesBlock,
                          SquareBracketsBlock, StringToken, URLToken, WhitespaceToken)

#: What a published page may do: show ``data:`` images and fonts and its own inline styles; nothing
#: else. Every fetch directive falls back to ``default-src``; the others are spelt out so the policy
#: reads as what it forbids. ``base-uri`` and ``form-action`` do not fall back, so they are given.
#: A policy in ``<meta>`` cannot carry ``sandbox``, ``frame-ancestors`` or reporting, and no policy
#: stops ``<meta http-equiv=refresh>``: :func:`external_references` refuses that instead.
POLICY = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
          "script-src 'none'; script-src-attr 'none'; object-src 'none'; frame-src 'none'; "
          "child-src 'none'; worker-src 'none'; connect-src 'none'; media-src 'none'; "
          "manifest-src 'none'; base-uri 'none'; form-action 'none'")

#: the element :func:`fence` puts first in ``<head>``
POLICY_ELEMENT = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'

#: starts every published page: a browser reads the file as UTF-8 whatever the page declares
BYTE_ORDER_MARK = "\ufeff"

#: how deep ``<iframe srcdoc>`` inside ``srcdoc`` is read for what it holds (the frame is refused anyway)
SRCDOC_DEPTH = 4


class PageRefused(Exception):
    """A page that would load or run something, or whose policy could be bypassed; ``url`` is the first such thing."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url
        #: the gallery page it was found in, when it was one (the gallery says which)
        self.page: str | None = None


def fence(html: str) -> str:
    """``html`` as it may be published: the policy first in ``<head>``, checked; else :class:`PageRefused`.

    The check runs on the page exactly as it will be written, policy included.
    """
    page = with_policy(html)
    try:
        documents = _parse(page)
        first = _policy_first(documents[0])
        loads = _found(documents)
    except RecursionError:
        raise PageRefused("refused to publish HTML nested too deeply to check (hint: simplify the template)",
                          "<html") from None
    if not first:
        raise PageRefused("refused to publish HTML with markup before <head> or before its security policy: "
                          "the policy must be the first thing in <head> (hint: put nothing but <!DOCTYPE html> "
                          "and <html> before <head>)", "<head")
    if loads:
        raise PageRefused(f"refused to publish HTML that loads {loads[0][:200]!r}: the page must be "
                          "self-contained (inline images as data: URIs, no scripts)", loads[0])
    return page


def with_policy(html: str) -> str:
    """``html`` with :data:`POLICY_ELEMENT` just after its ``<head>`` tag and the byte order mark first; unchecked.

    :func:`fence` is this and the check; this alone shows what the browser's policy stops by itself.
    """
    match = _HEAD.search(html)
    if match is None:
        raise PageRefused("refused to publish HTML without a <head> start tag: the page's security policy "
                          "goes first in <head> (hint: begin the template with <!DOCTYPE html><html><head>)",
                          "<head")
    return BYTE_ORDER_MARK + html[: match.end()] + "\n" + POLICY_ELEMENT + html[match.end():]


def external_references(html: str) -> list[str]:
    """Everything in ``html`` that a browser would load, run or follow unasked, in page order.

    Each entry is an address as the page gives it (entities decoded), or a
    name for what would run: ``<script>``, ``onclick=``, ``<iframe>``,
    ``<meta http-equiv=refresh>``. Allowed and so not listed: ``data:`` images
    (``<img src|srcset>``, SVG ``<image>``/``<feImage>``, CSS), fragment-only
    references inside the page (``#id``, ``url(#id)``), and links a reader must
    click (an ``<a href>`` to a fragment, a relative path, ``http:``, ``https:``,
    ``mailto:`` or ``tel:``). A Content-Security-Policy ``<meta>`` is listed,
    except :data:`POLICY_ELEMENT` where :func:`fence` put it.
    """
    return _found(_parse(html))


# --------------------------------------------------------------------------- parsing


def _parse(html: str, *, srcdoc: bool = False) -> list[JustHTML]:
    """The page as a browser builds it with scripting on, and with it off (``<noscript>`` reads differently)."""
    text = html.removeprefix(BYTE_ORDER_MARK)  # the decoder drops it before the parser sees the page
    return [JustHTML(text, sanitize=False, scripting_enabled=scripting, iframe_srcdoc=srcdoc)
            for scripting in (True, False)]


def _found(documents: list[JustHTML], depth: int = 0) -> list[str]:
    """The findings of each reading of one page, in page order, each once."""
    found: dict[str, None] = {}
    css: dict[str, list[str]] = {}  # the readings share their stylesheets: each is tokenized once
    for document in documents:
        ours = _policy_first(document)
        for item in _scan(document, ours, depth, css):
            found.setdefault(item)
    return list(found)


def _elements(document: JustHTML) -> Iterator[Element]:
    """Every element in document order, template contents included, without recursion."""
    stack: list[Any] = [document.root]
    while stack:
        node = stack.pop()
        if getattr(node, "attrs", None) is not None and not node.name.startswith("#"):
            yield node
        children = list(getattr(node, "children", None) or [])
        content = getattr(node, "template_content", None)
        if content is not None:
            children.append(content)
        stack.extend(reversed(children))


def _head(document: JustHTML) -> Element | None:
    html = next((n for n in document.root.children or [] if getattr(n, "name", "") == "html"), None)
    if html is None:
        return None
    return next((n for n in html.children if n.name == "head" and n.namespace == "html"), None)


def _policy_first(document: JustHTML) -> Element | None:
    """Our policy element when it is the first element in ``<head>``, else None."""
    head = _head(document)
    if head is None:
        return None
    first = next((n for n in head.children if not n.name.startswith("#")), None)
    if not isinstance(first, Element) or first.name != "meta" or first.namespace != "html":
        return None
    attrs = first.attrs
    if set(attrs) != {"http-equiv", "content"} or (attrs["http-equiv"] or "").strip().lower() != \
            "content-security-policy" or attrs["content"] != POLICY:
        return None
    return first


# --------------------------------------------------------------------------- what loads


#: HTML attributes through which a browser fetches something or sends something somewhere
_LOADING = frozenset({"src", "srcset", "imagesrcset", "data", "poster", "background", "action", "formaction",
                      "ping", "manifest", "codebase", "archive", "classid", "cite", "longdesc", "lowsrc",
                      "dynsrc", "profile", "icon", "attributionsrc", "xml:base"})
#: elements that are a browsing context or a plug-in, whatever their attributes
_FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"})
#: SVG elements that draw an image from their href
_SVG_IMAGES = frozenset({"image", "feimage"})
_SVG_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
#: ``http-equiv`` values that change nothing a page loads
_HARMLESS_HTTP_EQUIV = frozenset({"content-type", "content-language", "default-style", "x-ua-compatible"})
#: the labels a browser reads as UTF-8 (WHATWG Encoding)
_UTF8_LABELS = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
                          "x-unicode20utf8"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_HEAD = re.compile(r"<head(?=[\s/>])[^>]*>", re.IGNORECASE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-.]*):")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([^\s\"';]+)", re.IGNORECASE)


def _scan(document: JustHTML, ours: Element | None, depth: int, css: dict[str, list[str]]) -> Iterator[str]:
    for element in _elements(document):
        if element is ours:
            continue
        yield from _element(element, depth, css)


def _css(text: str, css: dict[str, list[str]]) -> list[str]:
    if text not in css:
        css[text] = css_loads(text)
    return css[text]


def _element(element: Element, depth: int, css: dict[str, list[str]]) -> Iterator[str]:
    name = element.name.lower()
    html = element.namespace == "html"
    attrs: dict[str, str | None] = element.attrs
    if name == "script":
        yield "<script>"
    if html and name in _FRAMES:
        yield f"<{name}>"
        if name == "iframe" and attrs.get("srcdoc") is not None and depth < SRCDOC_DEPTH:
            yield from _found(_parse(attrs["srcdoc"] or "", srcdoc=True), depth + 1)
    if html and name == "base":
        yield "<base>"
    if html and name == "link":
        yield attrs.get("href") or attrs.get("imagesrcset") or "<link>"
    if html and name == "meta":
        yield from _meta(attrs)
    if name == "style":
        yield from _css(_text(element), css)
    if not html and name in _SVG_ANIMATIONS:
        target = (attrs.get("attributeName") or attrs.get("attributename") or "").strip().lower()
        if target.endswith("href") or target == "src" or target.startswith("on"):
            yield attrs.get("to") or attrs.get("values") or attrs.get("from") or attrs.get("by") or \
                f"<{element.name} attributeName={target}>"
    for attr, value in attrs.items():
        yield from _attribute(element, name, html, attr.lower(), value or "", css)


def _attribute(element: Element, name: str, html: bool, attr: str, value: str,
               css: dict[str, list[str]]) -> Iterator[str]:
    if attr.startswith("on"):
        yield f"{attr}="
    elif attr == "style":
        yield from _css(value, css)
    elif attr == "href" or attr.endswith(":href"):
        if name == "a" and element.namespace in ("html", "svg"):
            ok = _link(value)
        elif element.namespace == "svg" and name in _SVG_IMAGES:
            ok = _inline(value) or _fragment(value)
        elif html:
            ok = name in ("link", "base") or _fragment(value)  # the element is listed already
        else:
            ok = _fragment(value)
        if not ok:
            yield value or f'{attr}=""'
    elif attr in ("srcset", "imagesrcset") and html and name in ("img", "source"):
        yield from (url for url in srcset_urls(value) if not _inline(url))
    elif attr == "src" and html and name == "img":
        if not _inline(value):
            yield value or 'src=""'
    elif attr in _LOADING:
        if not (html and name == "link" and attr == "imagesrcset"):
            yield value or f'{attr}=""'
    elif not html and ("(" in value or "@" in value):  # SVG and MathML presentation attributes are CSS
        yield from _css(value, css)


def _meta(attrs: dict[str, str | None]) -> Iterator[str]:
    equiv = (attrs.get("http-equiv") or "").strip().lower()
    content = attrs.get("content") or ""
    if equiv and equiv not in _HARMLESS_HTTP_EQUIV:
        yield f"<meta http-equiv={equiv}>"
    charset = attrs.get("charset")
    if charset is None and equiv == "content-type":
        match = _CHARSET.search(content)
        charset = match.group(1) if match else None
    if charset is not None and charset.strip().lower() not in _UTF8_LABELS:
        yield f"<meta charset={charset.strip()}>"


def _text(element: Element) -> str:
    """All the text inside an element (an SVG ``<style>`` may hold markup around its CSS)."""
    parts: list[str] = []
    stack = list(reversed(element.children or []))
    while stack:
        node = stack.pop()
        if node.name == "#text":
            parts.append(node.data or "")
        else:
            stack.extend(reversed(getattr(node, "children", None) or []))
    return "".join(parts)


# --------------------------------------------------------------------------- CSS


#: CSS functions whose string arguments are addresses of images to fetch
_CSS_IMAGE_FUNCTIONS = frozenset({"image", "cross-fade", "-webkit-cross-fade", "src"})
#: functions whose value is only known in the browser: refused where an address is expected
_CSS_SUBSTITUTIONS = frozenset({"var", "env", "attr", "if"})


def css_loads(css: str) -> list[str]:
    """Every address a stylesheet (or a ``style=`` value) would fetch, in order, by CSS's own tokenizer.

    ``url(...)`` in any spelling tinycss2 and a browser agree on (any case,
    escapes, quotes, comments around it), ``@import``, and the strings in
    ``image-set()``, ``image()``, ``cross-fade()`` and ``src()``. ``data:``
    addresses and fragment-only ones (``url(#gradient)``) are not listed; a
    ``var()`` where an address goes is, as it could supply any.
    """
    found: list[str] = []
    # one iterator per nesting level, so a 20,000-deep "a(a(a(..." is no RecursionError
    levels = [iter(tinycss2.parse_component_value_list(css, skip_comments=True))]
    importing = [False]  # per level: the last thing read was @import
    while levels:
        token = next(levels[-1], None)
        if token is None:
            levels.pop()
            if importing.pop():
                found.append("@import")
            continue
        if isinstance(token, (WhitespaceToken, Comment)):
            continue
        if importing[-1]:  # whatever it names, even a data: stylesheet, is a load
            importing[-1] = False
            if isinstance(token, (StringToken, URLToken)):
                found.append(token.value or "@import")
                continue
            found.append("@import")
        if isinstance(token, AtKeywordToken) and token.lower_value == "import":
            importing[-1] = True
        elif isinstance(token, URLToken):
            if not _css_inline(token.value):
                found.append(token.value or "url()")
        elif isinstance(token, FunctionBlock):
            name = token.lower_name
            if name == "url" or name.endswith("image-set") or name in _CSS_IMAGE_FUNCTIONS:
                for argument in token.arguments:
                    if isinstance(argument, StringToken) and not _css_inline(argument.value):
                        found.append(argument.value or f"{name}()")
                    elif isinstance(argument, FunctionBlock) and argument.lower_name in _CSS_SUBSTITUTIONS:
                        found.append(f"{name}({argument.lower_name}(...))")
            levels.append(iter(token.arguments))
            importing.append(False)
        elif isinstance(token, (ParenthesesBlock, SquareBracketsBlock, CurlyBracketsBlock)):
            levels.append(iter(token.content))
            importing.append(False)
    return found


# --------------------------------------------------------------------------- URLs


def normalised_url(url: str) -> str:
    """``url`` as a browser's URL parser starts on it: C0 controls and spaces trimmed, tabs and newlines gone."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url``, in lower case; None for a relative address."""
    match = _SCHEME.match(normalised_url(url))
    return match.group(1).lower() if match else None


def _inline(url: str) -> bool:
    return url_scheme(url) == "data"


def _fragment(url: str) -> bool:
    return normalised_url(url).startswith("#")


def _css_inline(url: str) -> bool:
    return _inline(url) or _fragment(url)


def _link(url: str) -> bool:
    """A link a reader follows by clicking: in the page, a relative path, or web, mail and phone addresses."""
    plain = normalised_url(url)
    scheme = url_scheme(plain)
    if scheme is None:
        return not plain.startswith(("/", "\\"))  # "//host" leaves the page's own site or folder
    return scheme in _LINK_SCHEMES


def srcset_urls(value: str) -> list[str]:
    """The addresses in a ``srcset``, split as the HTML standard's algorithm does (a ``data:`` URL may hold commas)."""
    urls: list[str] = []
    space = " \t\n\r\f"
    i, n = 0, len(value)
    while True:
        while i < n and (value[i] in space or value[i] == ","):
            i += 1
        if i >= n:
            return urls
        start = i
        while i < n and value[i] not in space:
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while i < n:
                char = value[i]
                i += 1
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth = max(0, depth - 1)
                elif char == "," and depth == 0:
                    break
        urls.append(url)
