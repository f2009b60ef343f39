"""What a published page would make a browser load or run.

The screen HTML is meant to be one self-contained file: images are inlined and
nothing is fetched, so a template that adds ``<img src=...>``, ``<link href=...>``,
``url(...)`` or a script makes :func:`external_references` non-empty, and the
page is refused.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


#: attributes through which a browser loads something when the page opens
_LOADING_ATTRIBUTES = frozenset({"src", "srcset", "data", "poster", "background", "action", "formaction",
                                 "manifest", "codebase", "cite", "longdesc", "lowsrc", "dynsrc", "ping"})
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import\s*['\"]\s*([^'\"]*)", re.IGNORECASE)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append("<script>")
        if tag == "style":
            self._in_style = True
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif name in _LOADING_ATTRIBUTES or (name == "href" and tag in {"link", "base", "image", "use"}) \
                    or (name == "xlink:href" and tag != "a"):
                for url in (value.split(",") if name == "srcset" else [value]):
                    url = url.strip().split(" ")[0] if name == "srcset" else url.strip()
                    if url and not _inline(url):
                        self.found.append(url)
            elif name == "style":
                self._css(value)
            if name == "href" and value.strip().lower().replace("\t", "").startswith(("javascript:", "data:")):
                self.found.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for match in _CSS_URL.finditer(css):
            url = (match.group(1) or match.group(2) or "").strip()
            if url and not _inline(url):
                self.found.append(url)


def _inline(url: str) -> bool:
    return url.startswith("#") or url.lower().startswith("data:image/")


def external_references(html: str) -> list[str]:
    """Every address the screen HTML would make a browser load (or run), in page order.

    The HTML flavour is meant to be one self-contained file: images are inlined
    and nothing is fetched, so a template that adds ``<img src=...>``,
    ``<link href=...>``, ``url(...)`` or a script makes that list non-empty.
    """
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.found
