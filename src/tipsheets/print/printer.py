"""HTML → PDF with WeasyPrint: a fenced URL fetcher, tagged PDF/UA-1, fixed metadata.

The fetcher lets a render read only files inside the project and the theme, and
``data:`` URIs. Everything else — the network, ``file:`` paths outside (also by
``..`` or a symbolic link), any other scheme — stops the render with an error.
WeasyPrint is imported here only, so commands that do not render start fast.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

#: PDF dimensions of a CSS pixel, for reporting overflow in millimetres
PX_TO_MM = 25.4 / 96

#: a ``<style>`` element without attributes, as the theme writes them
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)

#: how many parsed stylesheets a Printer keeps (a few per brand and kind of handout)
STYLESHEET_CACHE_SIZE = 64

#: how many bytes of image data a Printer's image cache may gather before it starts a new one
#: (0: a new cache for every handout, as WeasyPrint does by itself)
IMAGE_CACHE_BYTES = 64 * 1024 * 1024


#: The standard that print-shop PDFs (``tipsheets build --print``) claim. PDF/A-2a:
#: tagged like the normal PDFs, fonts embedded, colours tied to an sRGB output
#: intent, and checkable with PDF/A validators. WeasyPrint's PDF/X variants need a
#: CMYK profile from the print shop for their output intent; without one the file
#: would claim PDF/X without being it. A PDF file can claim only one of PDF/UA-1 and
#: PDF/A-2a through WeasyPrint, so the normal outputs stay PDF/UA-1.
PRINT_SHOP_VARIANT = "pdf/a-2a"


class FetchRefused(Exception):
    """A template or content file asked for something outside the fence."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class PrintResult:
    pdf: bytes
    pages: int
    document: Any = None
    variant: str | None = "pdf/ua-1"
    identifier: str = ""

    @property
    def overflow_mm(self) -> float:
        """How far the content runs past the first page, in mm (0 when it fits); measured on demand."""
        return self.overflow_past(1)

    def overflow_past(self, pages: int) -> float:
        """How far the content runs past its first ``pages`` pages, in mm (0 when it fits)."""
        return _overflow(self.document, pages) if self.document is not None and self.pages > pages else 0.0


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # lazy: slow to import

    class FencedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types: URLFetcher is Any here
        """Serves ``data:`` URIs and files under the allowed roots; refuses the rest."""

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True)
            self.roots = [root.resolve() for root in roots]
            #: every refusal of the current render, including those WeasyPrint
            #: itself catches (an image inside an SVG, for one)
            self.refused: list[FetchRefused] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                return self._fetch(url, headers)
            except FetchRefused as exc:
                self.refused.append(exc)
                raise

        def _fetch(self, url: str, headers: Any) -> Any:
            scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            shown = url if len(url) <= 200 else url[:200] + "..."
            if scheme != "file":
                raise FetchRefused(f"refused to fetch {shown!r}: only files inside the project may be read", url)
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"refused to fetch {shown!r}: only files on this computer may be read", url)
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise FetchRefused(f"refused to read {path}: it is outside the project", url)
            if not path.is_file():
                raise FetchRefused(f"missing file {path}", url)
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})

    return FencedFetcher


def _mime(path: Path) -> str:
    return {
        ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
        ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".css": "text/css",
    }.get(path.suffix.lower(), "application/octet-stream")


def split_styles(html: str) -> tuple[str, list[str]]:
    """Take the ``<style>`` elements out of ``html``: the page without them, and their texts in order.

    Only when every ``<style>`` element is a plain one in the ``<head>``: a
    ``media`` or other attribute would change what the sheet applies to, and a
    style in the body (in an inline SVG, say) would change places in the
    cascade, so such a page is left whole.
    """
    head, end, body = html.partition("</head>")
    if not end or "<style" in body:
        return html, []
    sheets = _STYLE.findall(head)
    if not sheets or head.count("<style") != len(sheets):
        return html, []
    return _STYLE.sub("", head) + end + body, sheets


class ImageCache(dict[str, object]):
    """WeasyPrint's image cache (the ``cache`` option of ``render``), kept across the handouts of a Printer.

    WeasyPrint decodes each image of a document and, for PNG, writes it again;
    a QR code or logo that every desk aid and card sheet prints was decoded once
    per handout. Kept here, each is decoded once per process. WeasyPrint keeps
    two things in it: the decoded image by its address, and the image's bytes
    for the PDF by an id made from that address. Only ``data:`` addresses are
    kept (the address holds the image itself, so a kept image is never out of
    date; an image read from a file is decoded anew every time), and only
    bitmaps: an SVG image holds on to the layout of the document that first
    drew it. An image that failed is never kept, so the next handout asks the
    fetcher again and a refusal is reported again.
    """

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def __setitem__(self, key: str, value: object) -> None:
        from weasyprint.images import RasterImage  # lazy: slow to import

        if isinstance(value, (bytes, bytearray)):  # an image's bytes, which its decoded image reads back
            self.size += len(value)
        elif not isinstance(value, RasterImage) or key[:5].lower() != "data:":
            return
        else:
            self.size += len(key)
        super().__setitem__(key, value)


class Printer:
    """Turns HTML into PDF. Keep one per process: it holds WeasyPrint's font cache and parsed stylesheets.

    Handouts of one brand and kind share their stylesheets, so each sheet is
    parsed once per process (with its ``@font-face`` rules) and handed to
    WeasyPrint ready to use; the page is laid out exactly as with the sheets
    inline. Parsing them again for every handout cost about a tenth of a
    tip sheet's render time.
    """

    def __init__(self, roots: list[Path]) -> None:
        from weasyprint.text.fonts import FontConfiguration  # lazy: slow to import

        self.fetcher = _fetcher_class()(roots)
        self.font_config = FontConfiguration()
        self._stylesheets: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self.images = ImageCache()

    def stylesheet(self, css: str, base_url: str) -> Any:
        """The parsed stylesheet for ``css``, from the cache when this process has parsed it before."""
        from weasyprint import CSS  # imported when first needed: slow to import, and not every command needs it

        key = (hashlib.sha256(css.encode()).hexdigest(), base_url)
        sheet = self._stylesheets.get(key)
        if sheet is None:
            refused = len(self.fetcher.refused)
            sheet = CSS(string=css, base_url=base_url, url_fetcher=self.fetcher, font_config=self.font_config)
            if len(self.fetcher.refused) > refused:  # not kept: the next handout must be refused too
                return sheet
            self._stylesheets[key] = sheet
            if len(self._stylesheets) > STYLESHEET_CACHE_SIZE:
                self._stylesheets.popitem(last=False)
        else:
            self._stylesheets.move_to_end(key)
        return sheet

    def print(self, html: str, *, base_url: str, identifier: str, variant: str | None = "pdf/ua-1",
              max_pages: int | None = None, write: bool = True) -> PrintResult:
        """Render ``html`` to PDF bytes. Raises FetchRefused for a resource outside the fence.

        With ``max_pages``, a layout that runs longer is not written out: the
        result has its page count and no PDF bytes (the caller will try again).
        With ``write=False`` nothing is written yet: :meth:`finish` writes the
        layout if the caller keeps it.
        """
        from weasyprint import HTML  # imported when first needed: slow to import, and not every command needs it

        self.fetcher.refused.clear()
        if self.images.size > IMAGE_CACHE_BYTES:  # a new one: documents not yet written keep the old
            self.images = ImageCache()
        with self._fenced():
            page, styles = split_styles(html)
            stylesheets = [self.stylesheet(css, base_url) for css in styles]
            document = HTML(string=page, base_url=base_url, url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=stylesheets, pdf_variant=variant, pdf_tags=True,
                cache=self.images,
            )
        result = PrintResult(pdf=b"", pages=len(document.pages), document=document, variant=variant,
                             identifier=identifier)
        too_long = max_pages is not None and len(document.pages) > max_pages
        return result if too_long or not write else self.finish(result)

    def finish(self, result: PrintResult) -> PrintResult:
        """``result`` with its PDF bytes, written now if they were not yet."""
        if result.pdf or result.document is None:
            return result
        self.fetcher.refused.clear()
        with self._fenced():
            pdf = result.document.write_pdf(
                pdf_variant=result.variant, pdf_tags=True,
                pdf_identifier=hashlib.sha256(result.identifier.encode()).hexdigest()[:32].encode(),
            )
        return replace(result, pdf=pdf)

    @contextmanager
    def _fenced(self) -> Iterator[None]:
        """Turn WeasyPrint's fetch failures into FetchRefused, including those it caught itself."""
        from weasyprint.urls import FatalURLFetchingError  # lazy: slow to import

        try:
            yield
        except FatalURLFetchingError as exc:
            cause = exc.__cause__
            if isinstance(cause, FetchRefused):
                raise cause from None
            raise FetchRefused(str(cause) if cause else str(exc)) from None
        if self.fetcher.refused:  # refused, but caught inside WeasyPrint: still an error
            raise self.fetcher.refused[0]


def _used_height(page: Any) -> float:
    """How much of a page's content area its content fills, in CSS pixels: from the top of the
    area to the bottom of its lowest line of text or image. Margin boxes (running headers and
    footers) and empty space below the last line do not count."""
    from weasyprint.formatting_structure import boxes  # lazy: slow to import

    page_box = page._page_box
    top: float = page_box.content_box_y()
    bottom = top
    stack = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
    while stack:
        box = stack.pop()
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) or not getattr(box, "children", None):
            height = box.margin_height() if hasattr(box, "margin_height") else getattr(box, "height", 0)
            if isinstance(height, (int, float)) and isinstance(box.position_y, (int, float)):
                bottom = max(bottom, box.position_y + height)
            if isinstance(box, boxes.LineBox) or isinstance(box, boxes.ReplacedBox):
                continue
        stack.extend(getattr(box, "children", []) or [])
    return bottom - top


#: how far, in CSS pixels, text may pass its box's right edge before it counts as running out of it
OVERFLOW_TOLERANCE_PX = 1.0


def text_out_of_its_box(document: Any) -> tuple[int, str] | None:
    """The first text that runs past the right edge of the box it is set in, as (page number, text), if any.

    A word too long for its line (10,000 letters, a web address in a narrow
    column) is not wrapped by WeasyPrint: it runs on, past its box and off the
    page, and is clipped. Such a page is not a good page, whatever its count.
    """
    from weasyprint.formatting_structure import boxes  # lazy: slow to import

    for number, page in enumerate(document.pages, start=1):
        stack: list[tuple[Any, Any]] = [(page._page_box, None)]
        while stack:
            box, block = stack.pop()
            if isinstance(box, boxes.BlockContainerBox):
                block = box
            if isinstance(box, boxes.TextBox) and block is not None:
                right = block.content_box_x() + block.width + block.padding_right
                if box.position_x + box.width > right + OVERFLOW_TOLERANCE_PX:
                    return number, box.text
                continue
            stack.extend((child, block) for child in getattr(box, "children", None) or ())
    return None


def _overflow(document: Any, pages: int = 1) -> float:
    """How far the content runs past its first ``pages`` pages, in mm: the height of what each later page holds."""
    if len(document.pages) <= pages:
        return 0.0
    return round(sum(_used_height(page) for page in document.pages[pages:]) * PX_TO_MM, 1)


def last_page_fill(result: PrintResult) -> float:
    """How full the last page is, from 0 (empty) to 1 (its content area filled)."""
    if result.document is None or not result.document.pages:
        return 1.0
    page = result.document.pages[-1]
    area = page._page_box.height  # the content area's height
    return min(1.0, _used_height(page) / area) if area else 1.0
