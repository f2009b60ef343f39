"""Reading a built PDF back: where each character is printed, and what the tagged structure reads in order."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Char:
    """One printed character: the page it is on (from 0) and its box in points, from the media box's
    lower left corner (x0, y0 lower left; x1, y1 upper right)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def chars(path: Path) -> list[Char]:
    """Every printed character of a PDF but white space, page after page, each with its loose box (the
    font's full height, so the characters of one line share their top and bottom)."""
    document = pdfium.PdfDocument(str(path))
    out = []
    try:
        for number, page in enumerate(document):
            left, bottom, _, _ = page.get_mediabox()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                ch = text.get_text_range(i, 1)
                if not ch.strip():
                    continue
                x0, y0, x1, y1 = text.get_charbox(i, loose=True)
                if x1 <= x0 or y1 <= y0:
                    continue
                out.append(Char(number, ch, x0 - left, y0 - bottom, x1 - left, y1 - bottom))
    finally:
        document.close()
    return out


def lines(path: Path, page: int) -> list[tuple[float, str]]:
    """The text of one page as lines from top to bottom: (the line's top, in points from the media box's
    bottom, its text), the characters of a line ordered left to right."""
    return [(top, "".join(c.text for c in row)) for top, row in rows(path, page)]


def rows(path: Path, page: int) -> list[tuple[float, list[Char]]]:
    """The characters of one page in rows from top to bottom, each row left to right: the characters
    whose boxes overlap in height (two columns side by side share rows)."""
    out: list[tuple[float, list[Char]]] = []
    for c in sorted((c for c in chars(path) if c.page == page), key=lambda c: -c.y1):
        if out and c.y1 > out[-1][1][0].y0 + 0.5 * (out[-1][1][0].y1 - out[-1][1][0].y0):
            out[-1][1].append(c)
        else:
            out.append((c.y1, [c]))
    return [(top, sorted(row, key=lambda c: c.x0)) for top, row in out]


def find(path: Path, word: str) -> list[list[Char]]:
    """Each place ``word`` is printed (its characters, white space left out), in reading order."""
    every = chars(path)
    letters = "".join(c.text for c in every)
    target = "".join(word.split())
    out, start = [], letters.find(target)
    while start >= 0:
        out.append(every[start:start + len(target)])
        start = letters.find(target, start + 1)
    return out


def _mcid_texts(path: Path) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by (page, MCID)."""
    document = pdfium.PdfDocument(str(path))
    out: dict[tuple[int, int], str] = {}
    try:
        for number, page in enumerate(document):
            text_page = page.get_textpage()
            for j in range(raw.FPDFPage_CountObjects(page)):
                obj = raw.FPDFPage_GetObject(page, j)
                if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
                size = raw.FPDFTextObj_GetText(obj, text_page, None, 0)
                buffer = (ctypes.c_ushort * (size // 2 + 1))()
                raw.FPDFTextObj_GetText(obj, text_page, buffer, size)
                text = bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00")
                out[(number, mcid)] = out.get((number, mcid), "") + text
    finally:
        document.close()
    return out


def reading_order(path: Path) -> str:
    """The text of a tagged PDF in the order its structure tree reads it (the order a screen reader
    follows), each marked-content sequence followed by a space."""
    texts = _mcid_texts(path)
    pieces: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        stack: list[tuple[object, int]] = [(pdf.Root.StructTreeRoot, 0)]
        while stack:
            node, page = stack.pop()
            if isinstance(node, int):
                pieces.append(texts.get((page, node), ""))
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            if node.get("/Type") == "/MCR":
                pieces.append(texts.get((page, int(node.MCID)), ""))
                continue
            kids = node.get("/K")
            if kids is None:
                continue
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            stack.extend((kid, page) for kid in reversed(kids))
    return " ".join(" ".join(pieces).split())
