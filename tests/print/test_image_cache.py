"""A Printer decodes each image once per process, and prints exactly the same PDF as without its cache."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pikepdf
import pytest
import weasyprint.images
from PIL import Image

from tipsheets.print import printer as pdf
from tipsheets.print.printer import FetchRefused, Printer
from tipsheets.render.qr import qr_png_data_uri
from tipsheets.core.theme import builtin_theme


def _png(colour: str, size: tuple[int, int] = (120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("P", size, colour).save(out, "PNG")  # a palette image: WeasyPrint converts and writes it again
    return out.getvalue()


def _page(*images: str) -> str:
    tags = "".join(f'<img src="{src}" alt="image {i}" style="width: 30mm">' for i, src in enumerate(images))
    return f'<!doctype html><html lang="en"><head><title>T</title></head><body><p>Hello</p>{tags}</body></html>'


LOGO = "data:image/png;base64," + base64.b64encode(_png("teal")).decode()
SVG = ("data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><circle cx="10" cy="10" r="8" fill="red"/>'
    b"</svg>").decode())
QR = qr_png_data_uri("https://example.org/classes/kids-first", dark="#1D5C6B")


@pytest.fixture
def printer(tmp_path: Path) -> Printer:
    return Printer([tmp_path, builtin_theme()])


def _print(printer: Printer, html: str, tmp_path: Path) -> bytes:
    return printer.print(html, base_url=tmp_path.as_uri() + "/", identifier="same").pdf


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bitmaps WeasyPrint decoded (one entry each)."""
    calls: list[int] = []
    real = weasyprint.images.RasterImage.__init__

    def counting(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        calls.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.images.RasterImage, "__init__", counting)
    return calls


def test_each_bitmap_is_decoded_once_per_printer(printer: Printer, tmp_path: Path, decoded: list[int]) -> None:
    for _ in range(3):
        _print(printer, _page(LOGO, QR, SVG), tmp_path)
    assert len(decoded) == 2  # the logo and the QR code, for the first handout only


def test_the_pdfs_are_byte_for_byte_the_same_with_and_without_the_cache(printer: Printer, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [_page(LOGO, QR, SVG), _page(QR), _page(SVG, LOGO, LOGO), _page(LOGO, QR, SVG)]
    kept = [_print(printer, page, tmp_path) for page in pages]
    monkeypatch.setattr(pdf, "IMAGE_CACHE_BYTES", 0)
    fresh = [_print(Printer([tmp_path, builtin_theme()]), page, tmp_path) for page in pages]
    assert kept == fresh
    assert kept[0] == kept[3]
    with pikepdf.open(io.BytesIO(kept[0])) as document:
        assert len(document.pages[0].Resources.XObject) >= 2  # the bitmaps are really there


def test_an_image_read_from_a_file_is_read_again_for_every_handout(printer: Printer, tmp_path: Path) -> None:
    """Only data: images are kept: their address is their content. A file may change between two handouts."""
    file = tmp_path / "mark.png"
    file.write_bytes(_png("teal"))
    page = _page(file.as_uri())
    first = _print(printer, page, tmp_path)
    file.write_bytes(_png("orange"))
    second = _print(printer, page, tmp_path)
    assert second != first
    assert second == _print(Printer([tmp_path, builtin_theme()]), page, tmp_path)


def test_a_refused_image_is_refused_again_for_the_next_handout(printer: Printer, tmp_path: Path) -> None:
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(_png("red"))
    inner = f'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="{outside.as_uri()}"/></svg>'
    hostile = "data:image/svg+xml;base64," + base64.b64encode(inner.encode()).decode()
    for page in (_page(hostile), _page(hostile), _page(outside.as_uri()), _page(outside.as_uri())):
        with pytest.raises(FetchRefused, match="outside the project"):
            _print(printer, page, tmp_path)


def test_a_full_cache_is_replaced_without_harming_a_handout_not_yet_written(printer: Printer, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "IMAGE_CACHE_BYTES", 1)
    base_url = tmp_path.as_uri() + "/"
    waiting = printer.print(_page(LOGO, QR), base_url=base_url, identifier="same", write=False)
    old = printer.images
    other = _print(printer, _page(QR, SVG), tmp_path)  # the cache is over its size: a new one
    assert printer.images is not old
    written = printer.finish(waiting).pdf
    fresh = Printer([tmp_path, builtin_theme()])
    assert written == _print(fresh, _page(LOGO, QR), tmp_path)
    assert other == _print(Printer([tmp_path, builtin_theme()]), _page(QR, SVG), tmp_path)
