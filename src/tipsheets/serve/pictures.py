"""A PDF's pages as pictures for the preview page, rendered with pdfium and kept by the PDF's SHA-256.

The pictures are made the way the gallery's thumbnails are (pypdfium2 renders,
Pillow writes the PNG), at a size that can be read: :data:`PAGE_WIDTH` CSS
pixels across, with :data:`DENSITY` pixels per CSS pixel. They are kept in
memory only, never in the output folder, by the SHA-256 of the PDF's bytes: a
changed PDF has another digest, so a picture is never shown for a PDF it was
not made from. The least recently used go first once they pass
:data:`MAX_BYTES`.

pdfium may not be used from two threads at once, and the build renders the
gallery's thumbnails with it: the session calls :meth:`PagePictures.render`
from the thread that runs the builds.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

#: a page's width on the preview page, in CSS pixels (a Letter page is then 680 × 880)
PAGE_WIDTH = 680
#: pixels per CSS pixel: sharp enough on a high-density screen, and for zooming in on small type
DENSITY = 1.5
#: pictures kept in memory, in bytes of PNG
MAX_BYTES = 192 * 1024 * 1024


@dataclass(frozen=True)
class Picture:
    """One page as a PNG, and its size in pixels."""

    png: bytes
    width: int
    height: int


def render_pages(pdf: bytes, width: int = round(PAGE_WIDTH * DENSITY)) -> list[Picture]:
    """Every page of ``pdf`` as a PNG ``width`` pixels wide."""
    import pypdfium2 as pdfium

    pictures = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=width / page.get_width(), may_draw_forms=False)
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
            out = io.BytesIO()
            image.save(out, format="PNG", compress_level=1)  # quick: made on every save, sent over loopback
            pictures.append(Picture(out.getvalue(), *image.size))
    finally:
        document.close()
    return pictures


def digest(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


class PagePictures:
    """The pictures of PDFs' pages by the SHA-256 of each PDF, least recently used dropped past ``max_bytes``."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[str, list[Picture]] = OrderedDict()
        self._lock = threading.Lock()  # read from the server's threads, written by the build's

    def get(self, sha: str) -> list[Picture] | None:
        """The pictures of the PDF with this digest, when they are kept (from any thread)."""
        with self._lock:
            pictures = self._kept.get(sha)
            if pictures is not None:
                self._kept.move_to_end(sha)
            return pictures

    def render(self, pdf: bytes) -> tuple[str, list[Picture]]:
        """The digest of ``pdf`` and its pages' pictures, rendered unless kept (call from the build's thread)."""
        sha = digest(pdf)
        kept = self.get(sha)
        if kept is not None:
            return sha, kept
        pictures = render_pages(pdf)
        with self._lock:
            self._kept[sha] = pictures
            self.size += sum(len(p.png) for p in pictures)
            while self.size > self.max_bytes and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self.size -= sum(len(p.png) for p in dropped)
        return sha, pictures
