"""QR codes for web addresses: SVG for screens, PNG for paper (segno)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno


@functools.lru_cache(maxsize=1024)  # a program's code appears on its flyer, cards and every desk aid
def _qr(url: str) -> segno.QRCode:
    import segno  # imported when first needed: slow to import, and not every command needs it

    return segno.make(url, error="m", micro=False)


@functools.lru_cache(maxsize=1024)
def qr_data_uri(url: str, *, dark: str = "#000000") -> str:
    """An SVG QR code (vector paths) that encodes exactly ``url``, as a ``data:`` URI for an ``<img>``."""
    return _qr(url).svg_data_uri(scale=1, border=4, dark=dark, light="#ffffff", omitsize=True)


@functools.lru_cache(maxsize=1024)
def qr_png_data_uri(url: str, *, dark: str = "#000000") -> str:
    """The same QR code as a PNG ``data:`` URI, 10 pixels a module, to be shown without smoothing.

    For paper: WeasyPrint draws an SVG code path by path on every use (a sheet of
    ten cards spent half its time there), while a PNG is stored once in the PDF and
    placed as often as needed. Scaled by whole pixels with smoothing off
    (``image-rendering: pixelated``), its edges stay as sharp as the vector's.
    """
    return _qr(url).png_data_uri(scale=10, border=4, dark=dark, light="#ffffff")


@dataclass(frozen=True)
class QRCode:
    """A QR code for a web address, drawn in ``dark`` on white: SVG for screens, PNG for paper."""

    url: str
    dark: str = "#000000"

    @property
    def svg_uri(self) -> str:
        return qr_data_uri(self.url, dark=self.dark)

    @property
    def png_uri(self) -> str:
        return qr_png_data_uri(self.url, dark=self.dark)
