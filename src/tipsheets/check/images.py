"""Logo images: what a file really is, whether it is safe and small enough to print, and what to embed.

A brand names its logo by a file path, and that file is untrusted. Its name
says nothing certain: the bytes decide. :func:`inspect` reads them as the image
they really are (Pillow decodes a bitmap in full, so a file cut short is caught;
an SVG is parsed as XML with defusedxml and walked element by element) and
either describes the image or raises :class:`ImageProblem` with a sentence in
plain words. :func:`embeddable` gives the bytes a handout embeds: the file as it
is, or, for a bitmap larger than any page needs, a copy scaled down once per
process (remembered by the file's bytes, so a changed file is never served from
memory).

The limits are far above what any real logo needs, and low enough that one
file cannot cost gigabytes:

- :data:`MAX_PIXELS`, 40 megapixels. A logo prints at most 15 mm high in the
  theme; 300 dpi across a whole Letter page is 2,550 x 3,300 pixels (8.4
  megapixels). Brand kits ship their largest PNGs at about 5,000 pixels wide.
  Decoding 40 megapixels takes 160 MB; Pillow's own limit (179 megapixels, a
  0.7 MB file costing 1.7 GB per process) is far too late.
- :data:`MAX_BITMAP_BYTES`, 16 MB. Real PNG and JPEG logos weigh kilobytes, a
  print-resolution one a few megabytes; a bitmap is scaled down before it is
  embedded, so its file size is paid once, when it is read.
- :data:`MAX_SVG_BYTES`, 2 MB. An SVG is embedded as it is in every PDF and
  web page (it cannot be scaled down); logo SVGs weigh 2 to 100 KB, and even
  an auto-traced crest stays under 1 MB.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import io
import os
import re
import stat
import warnings
import xml.sax
import xml.sax.handler
from collections import Counter, OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence
from urllib.parse import unquote_to_bytes

from tipsheets.core.brandfile import Logo, logo_file

if TYPE_CHECKING:
    from xml.sax.xmlreader import AttributesNSImpl

    from tinycss2.ast import Node

    from tipsheets.core.catalog import Entry

#: the most pixels a logo bitmap may have (width times height)
MAX_PIXELS = 40_000_000
#: the largest bitmap logo file, in bytes
MAX_BITMAP_BYTES = 16_000_000
#: the largest SVG logo file, in bytes
MAX_SVG_BYTES = 2_000_000
#: a bitmap whose longer side is longer than this is scaled down to it before it is embedded:
#: 8 inches at 300 dpi, sharp at any size a page can print it
EMBED_MAX_SIDE = 2400
#: a bitmap file larger than this is written again (its pixels only) before it is embedded,
#: so trailing bytes and bulky metadata do not reach every PDF and web page
EMBED_MAX_BYTES = 1_000_000
#: how deep an SVG's elements may nest (WeasyPrint draws them recursively)
MAX_SVG_DEPTH = 200
#: how deep SVGs may sit inside each other as data: URIs
MAX_NESTING = 3
#: how many elements an SVG may draw, each ``<use>`` counted as a copy of what it shows: a 2 MB
#: file can hold about this many; ten nested groups of ten ``<use>`` would draw ten billion
MAX_DRAWN = 100_000

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"

#: the bitmap formats that WeasyPrint prints and every browser shows: Pillow's name → (name, MIME type)
BITMAPS = {
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
    "MPO": ("JPEG", "image/jpeg"),  # a JPEG from a camera with extra pictures; browsers show the first
    "GIF": ("GIF", "image/gif"),
    "WEBP": ("WebP", "image/webp"),
}

#: what a file's name says it is, by suffix
_NAMED = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG",
          ".gif": "GIF", ".webp": "WebP"}
_SUFFIX = {"SVG": ".svg", "PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WebP": ".webp"}

_REMAKE_HINT = "export the logo again from the original artwork, as SVG or PNG"
_SELF_CONTAINED_HINT = "a logo must be self-contained: embed images as data: URIs, or convert them to paths"


class ImageProblem(ValueError):
    """Why an image cannot be printed: a sentence that starts with the image's name, and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Picture:
    """What an image file really is."""

    kind: str  # "SVG", "PNG", "JPEG", "GIF" or "WebP"
    mime: str
    size: int  # bytes
    width: int | None = None  # pixels; None for an SVG
    height: int | None = None


@dataclass(frozen=True)
class Embedded:
    """The image a handout embeds: its type, its bytes and the ``data:`` URI that carries them."""

    picture: Picture  # the file as it is
    mime: str
    data: bytes
    width: int | None = None  # pixels of ``data`` (scaled), None for an SVG
    height: int | None = None

    @property
    def uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def shown(text: str, limit: int = 80) -> str:
    """``text`` for a one-line message: control characters escaped, cut at ``limit`` characters."""
    clean = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "..."


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB".replace(".0 MB", " MB")


# --------------------------------------------------------------------------- reading


def read_image(file: Path, name: str) -> bytes:
    """The bytes of the image ``file`` (``name`` as the user wrote it), refused before reading past the limit.

    Raises :class:`ImageProblem` for something that is not a regular file or is
    too large (a sparse 200 MB file is refused from its size, unread), and
    OSError when it cannot be read.
    """
    name = shown(name)
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the build
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImageProblem(f"'{name}' is not a regular file", hint="name an image file")
        _check_bytes(name, info.st_size, MAX_BITMAP_BYTES)
        data = handle.read(MAX_BITMAP_BYTES + 1)  # it may have grown since
    _check_bytes(name, len(data), MAX_BITMAP_BYTES)
    return data


def _check_bytes(name: str, size: int, limit: int, what: str = "a logo image",
                 hint: str = "a logo needs no more than 2,400 pixels on its longer side; save a smaller copy") -> None:
    if size > limit:
        raise ImageProblem(f"'{name}' is {_megabytes(size)}, more than the {_megabytes(limit)} {what} may be",
                           hint=hint)


# --------------------------------------------------------------------------- what a file is


def named_kind(name: str) -> str | None:
    """What a file's name says it is (``"PNG"``, ``"SVG"`` ...), or None for a suffix that says nothing."""
    return _NAMED.get(Path(name).suffix.lower())


def inspect(data: bytes, name: str) -> Picture:
    """What ``data`` (the file ``name``) really is, decoded in full; raises :class:`ImageProblem` if it
    is broken, too large, unsafe or not an image a handout can print."""
    return _inspect(data, shown(name), depth=0, budget=[MAX_PIXELS])


def _inspect(data: bytes, name: str, *, depth: int, budget: list[int]) -> Picture:
    if _bitmap_format(data) is not None:
        return _inspect_bitmap(data, name, budget)
    svg = _as_svg(data, name)
    if svg is None:
        raise ImageProblem(f"'{name}' is not an image: its bytes are not SVG, PNG, JPEG, GIF or WebP",
                           hint=_REMAKE_HINT)
    _check_bytes(name, len(data), MAX_SVG_BYTES, "an SVG logo", hint="simplify the drawing, or save it as PNG")
    problem = svg_problem(svg, depth=depth, budget=budget)
    if problem:
        raise ImageProblem(f"the SVG image '{name}' {problem}", hint=_hint_for(problem))
    return Picture("SVG", "image/svg+xml", len(data))


def _hint_for(problem: str) -> str:
    if problem.startswith(("has a DOCTYPE", "declares XML entities")):
        return "delete the <!DOCTYPE ...> part: an SVG needs none"
    if problem.startswith(("is not well-formed", "is not valid", "is encoded", "starts with", "is declared",
                           "declares encoding")):
        return "save it again as UTF-8 SVG from a drawing program"
    if problem.startswith("is XML"):
        return 'the first element must be <svg xmlns="http://www.w3.org/2000/svg">'
    if problem.startswith(("nests", "draws more", "refers to '#", "holds images inside")):
        return "simplify the drawing, or save it as PNG"
    return _SELF_CONTAINED_HINT


#: how each bitmap format starts, for naming one that Pillow cannot even open
_MAGIC = [(b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF")]


def _magic(data: bytes) -> str | None:
    """Pillow's name for the bitmap format that ``data`` starts like, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((name for magic, name in _MAGIC if data.startswith(magic)), None)


def _bitmap_format(data: bytes) -> str | None:
    """Pillow's name for the bitmap format of ``data``, or None when it is no bitmap Pillow knows."""
    from PIL import Image, UnidentifiedImageError  # lazy: slow to import

    try:
        with _quiet(), Image.open(io.BytesIO(data)) as image:
            return image.format or "unknown"
    except UnidentifiedImageError:
        return _magic(data)  # a known format, too damaged to open
    except Exception:  # noqa: BLE001 - Pillow knew the format but could not read the header
        return _magic(data) or "unknown"


@contextmanager
def _quiet() -> Iterator[None]:
    """Pillow strict about truncation, and without its warnings (a decompression bomb is judged by our
    own, lower, pixel limit).

    WeasyPrint sets Pillow's ``LOAD_TRUNCATED_IMAGES`` for the whole process
    when it is imported, after which a JPEG cut short decodes without a word;
    the check must not depend on whether a render ran first in this process.
    """
    from PIL import ImageFile  # imported when first needed: slow to import, and not every command needs it

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _inspect_bitmap(data: bytes, name: str, budget: list[int]) -> Picture:
    from PIL import Image  # imported when first needed: slow to import, and not every command needs it

    damaged = ImageProblem(f"'{name}' is a damaged {{kind}} image: it cannot be decoded to the end "
                           "(cut short or corrupted)", hint=_REMAKE_HINT)
    try:
        with _quiet(), Image.open(io.BytesIO(data)) as image:
            format_name = image.format or "unknown"
            if format_name not in BITMAPS:
                raise ImageProblem(f"'{name}' is a {format_name} image; a logo must be SVG, PNG, JPEG, GIF or WebP",
                                   hint="save it as PNG")
            kind, mime = BITMAPS[format_name]
            width, height = image.size
            pixels = width * height
            if pixels > budget[0]:
                total = "" if budget[0] == MAX_PIXELS else " with the images before it"
                raise ImageProblem(f"'{name}' is {width:,} x {height:,} pixels ({pixels / 1e6:,.1f} megapixels)"
                                   f"{total}, more than the {MAX_PIXELS / 1e6:,.0f} megapixels a logo may have",
                                   hint=f"scale it down: {EMBED_MAX_SIDE:,} pixels on the longer side prints "
                                        "sharply at any size")
            frames: int = getattr(image, "n_frames", 1)  # only the formats that can be animated have it
            if format_name != "MPO" and frames > 1:
                raise ImageProblem(f"'{name}' is an animated {kind} image ({frames} frames); a printed "
                                   "logo shows only one", hint="save the frame you want as PNG")
            image.load()
    except ImageProblem:
        raise
    except Image.DecompressionBombError as exc:  # too many pixels for Pillow to even open it
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:,.1f} megapixels" if found else "too many pixels"
        raise ImageProblem(f"'{name}' is {size}, more than the {MAX_PIXELS / 1e6:,.0f} megapixels a logo may have",
                           hint=f"scale it down: {EMBED_MAX_SIDE:,} pixels on the longer side prints sharply at "
                                "any size") from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure means a damaged file
        kind = BITMAPS.get(_magic(data) or "", ("bitmap",))[0]
        raise ImageProblem(damaged.message.format(kind=kind), damaged.hint) from exc
    if not _ends_whole(data, format_name):
        raise ImageProblem(damaged.message.format(kind=kind), damaged.hint)
    budget[0] -= pixels
    return Picture(kind, mime, len(data), width, height)


#: the chunk that ends every PNG file, with its checksum
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _ends_whole(data: bytes, format_name: str) -> bool:
    """Whether the file runs to its format's end marker (Pillow decodes the pixels of a file cut
    just before it without complaint); a PNG's chunk checksums are checked too."""
    from PIL import Image  # imported when first needed: slow to import, and not every command needs it

    if format_name == "PNG":
        try:
            with _quiet(), Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:  # noqa: BLE001
            return False
        return _PNG_END in data
    if format_name == "GIF":
        return data.rstrip(b"\x00").endswith(b";")
    return True


# --------------------------------------------------------------------------- SVG


@dataclass(frozen=True)
class _Svg:
    """An SVG as UTF-8 bytes (exactly what is checked and embedded), and the encoding its file is in."""

    utf8: bytes
    encoding: str


class _SvgTextError(ValueError):
    pass


#: the XML declaration, with its encoding
_DECLARATION = re.compile(r"""^<\?xml\s[^>]*?\?>""")
_ENCODING = re.compile(r"""\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')""")

#: encodings an SVG may be in: those in which every byte below 128 is ASCII (or UTF-16), so
#: markup cannot hide in them (UTF-7, EBCDIC and the multi-byte Asian encodings are refused)
_SINGLE_BYTE = re.compile(r"^(?:ascii|utf-8|iso8859-\d+|cp125\d|latin-1)$")


def _as_svg(data: bytes, name: str) -> _Svg | None:
    """``data`` as an SVG in UTF-8, or None when it does not look like XML at all.

    Raises ImageProblem for a file that is meant as XML but cannot be read as it
    says (an unknown encoding, a byte-order mark that contradicts the declaration).
    """
    try:
        text, encoding = _decode_xml(data)
    except _SvgTextError as exc:
        if named_kind(name) == "SVG" or b"<svg" in data.lower() or b"<\x00s\x00v\x00g" in data.lower():
            raise ImageProblem(f"the SVG image '{name}' {exc}", hint=_hint_for(str(exc))) from None
        return None
    start = text.lstrip("\ufeff \t\r\n")
    if not start.startswith("<") or ("<svg" not in text and named_kind(name) != "SVG"
                                     and not re.search(r"<[\w.-]+:svg\b", text)):
        return None
    if encoding == "utf-8":
        return _Svg(data, encoding)
    declaration = _DECLARATION.match(text.lstrip("\ufeff"))
    body = text.lstrip("\ufeff")[declaration.end():] if declaration else text.lstrip("\ufeff")
    return _Svg(('<?xml version="1.0" encoding="UTF-8"?>' + body).encode("utf-8"), encoding)


def _decode_xml(data: bytes) -> tuple[str, str]:
    """The text of an XML file and the encoding it is in, found as XML says: the byte-order mark,
    else the declaration, else UTF-8."""
    boms = [(codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF8, "utf-8"),
            (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
    by_bom = next((enc for bom, enc in boms if data.startswith(bom)), None)
    if by_bom == "UTF-32":
        raise _SvgTextError("is encoded in UTF-32, which tipsheets does not read")
    if by_bom is None and data[:4] in (b"\x00<\x00?", b"<\x00?\x00"):  # UTF-16 without a byte-order mark
        by_bom = "utf-16-be" if data[0] == 0 else "utf-16-le"
    if by_bom is not None and by_bom.startswith("utf-16"):
        head = data[2 if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else 0:400]
        head_text = head[: len(head) // 2 * 2].decode(by_bom, errors="replace")
    else:
        head_text = data[:400].decode("latin-1")
    head_text = head_text.lstrip("\ufeff\xef\xbb\xbf")
    declared = None
    declaration = _DECLARATION.match(head_text)
    if declaration:
        match = _ENCODING.search(declaration.group(0))
        if match:
            declared = (match.group(1) or match.group(2) or "").strip()
    if declared is not None:
        try:
            declared_codec = codecs.lookup(declared).name
        except LookupError:
            raise _SvgTextError(f"is declared to be in encoding '{shown(declared, 40)}', which tipsheets "
                                "does not know") from None
        if by_bom is not None:
            same = (declared_codec == "utf-8") if by_bom == "utf-8" else declared_codec.startswith("utf-16")
            if not same:
                raise _SvgTextError(f"starts with a {'UTF-8' if by_bom == 'utf-8' else 'UTF-16'} byte-order "
                                    f"mark but declares encoding '{shown(declared, 40)}'")
        elif declared_codec.startswith("utf-16"):
            raise _SvgTextError(f"declares encoding '{shown(declared, 40)}' but is not in it")
        elif not _SINGLE_BYTE.match(declared_codec):
            raise _SvgTextError(f"is encoded in '{shown(declared, 40)}', which tipsheets does not read")
        encoding = by_bom or declared_codec
    else:
        encoding = by_bom or "utf-8"
    body = data
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        body = data[3:]
    elif encoding.startswith("utf-16") and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        body = data[2:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        label = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(encoding, encoding)
        raise _SvgTextError(f"is not valid {label} text (at byte {exc.start:,})") from None
    canonical = "utf-8" if encoding in ("utf-8", "ascii") else encoding
    return text, canonical


def svg_problem(svg: _Svg | bytes, *, depth: int = 0, budget: list[int] | None = None) -> str:
    """Why an SVG is not safe to print, or "" when it is.

    The SVG (``bytes`` in UTF-8, or as returned by :func:`_as_svg`) is parsed as
    XML by defusedxml, which refuses a DOCTYPE and entities. Every element and
    attribute is then looked at, in any namespace and letter case: no script,
    event handler, ``<foreignObject>`` or HTML; no address outside the image in
    ``href``, ``xlink:href``, ``src`` or ``xml:base`` on any element, nor in CSS
    (``url()``, ``@import``, ``image-set()``, read with tinycss2) in a
    ``<style>`` element or any attribute; no ``<?xml-stylesheet?>``. Only
    ``#id`` and ``data:image/...`` references are allowed, and an image in a
    ``data:`` URI is checked the same way (its pixels count towards the logo's).
    """
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden  # lazy: slow to import
    from defusedxml.expatreader import create_parser  # lazy: slow to import

    data = svg.utf8 if isinstance(svg, _Svg) else svg
    walker = _SvgWalker(depth, budget if budget is not None else [MAX_PIXELS])
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(walker)
    parser.setErrorHandler(xml.sax.handler.ErrorHandler())
    source = xml.sax.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except _Refused as exc:
        return str(exc)
    except (EntitiesForbidden, ExternalReferenceForbidden):
        return "declares XML entities, which are not allowed"
    except DTDForbidden:
        if b"<!entity" in data.lower():
            return "declares XML entities, which are not allowed"
        return "has a DOCTYPE, which is not allowed"
    except xml.sax.SAXParseException as exc:
        return f"is not well-formed XML: {exc.getMessage()} at line {exc.getLineNumber()}"
    except (xml.sax.SAXException, ValueError) as exc:
        return f"is not well-formed XML: {shown(str(exc))}"
    if not walker.seen_root:
        return "is not well-formed XML: it has no elements"
    return ""


class _Refused(Exception):
    pass


#: elements that run code, show a web page or play media: never in a logo
_FORBIDDEN_ELEMENTS = {
    "script": "contains a script, which is not allowed",
    "handler": "contains a script (a <handler> element), which is not allowed",
    "listener": "contains a script (a <listener> element), which is not allowed",
    "foreignobject": "contains a <foreignObject>, which can hold a web page and is not allowed",
    "iframe": "contains an <iframe>, which is not allowed",
    "embed": "contains an <embed>, which is not allowed",
    "object": "contains an <object>, which is not allowed",
    "audio": "contains an <audio> element, which is not allowed",
    "video": "contains a <video> element, which is not allowed",
}
#: attributes whose value is an address
_ADDRESS_ATTRIBUTES = {"href", "src", "base"}
#: what a browser strips from both ends of an address
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
#: SMIL elements that change another attribute over time
_ANIMATIONS = {"set", "animate", "animatecolor", "animatemotion", "animatetransform"}
#: CSS functions whose string arguments are addresses
_IMAGE_FUNCTIONS = {"image-set", "-webkit-image-set", "image", "-webkit-image", "cross-fade", "-webkit-cross-fade"}


@dataclass(slots=True)
class _OpenElement:
    """An element whose end tag is still to come."""

    #: how many elements its subtree holds, so far
    count: int
    #: its id (or ``xml:id``), or ""
    ident: str
    #: how often its subtree names each ``#id``
    uses: Counter[str]


class _SvgWalker(xml.sax.handler.ContentHandler):
    """Refuses, on the first element or attribute that is not allowed, with the reason."""

    def __init__(self, depth: int, budget: list[int]) -> None:
        super().__init__()
        self.nesting = depth
        self.budget = budget
        self.level = 0
        self.seen_root = False
        self.style: list[str] | None = None  # the text of the <style> element being read
        self.open: list[_OpenElement] = []
        #: per element with an id: the same, for its whole subtree
        self.ids: dict[str, tuple[int, Counter[str]]] = {}
        self.root: tuple[int, Counter[str]] = (0, Counter())  # the same for the whole document

    def endDocument(self) -> None:  # noqa: N802 - SAX's name
        if self.seen_root and _drawn(self.root, self.ids) > MAX_DRAWN:
            raise _Refused(f"draws more than {MAX_DRAWN:,} shapes once its <use> copies are counted")

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802 - SAX's name
        if target.strip().lower() == "xml-stylesheet":
            raise _Refused("refers to a style sheet (<?xml-stylesheet?>), outside the image")

    def startElementNS(self, name: tuple[str | None, str], qname: str | None,  # noqa: N802 - SAX's name
                       attrs: AttributesNSImpl) -> None:
        namespace, local = name
        low = local.lower()
        if not self.seen_root:
            self.seen_root = True
            if namespace != SVG_NS or local != "svg":
                shown_name = f"{{{shown(namespace or '', 60)}}}{shown(local, 40)}" if namespace else shown(local, 40)
                raise _Refused(f"is XML but not an SVG image: its first element is <{shown_name}>, not <svg> in "
                               "the SVG namespace")
        self.level += 1
        if self.level > MAX_SVG_DEPTH:
            raise _Refused(f"nests elements more than {MAX_SVG_DEPTH} deep")
        if low in _FORBIDDEN_ELEMENTS:
            raise _Refused(_FORBIDDEN_ELEMENTS[low])
        if namespace == XHTML_NS:
            raise _Refused(f"contains HTML (<{shown(local, 40)}>), which is not allowed")
        uses: Counter[str] = Counter()
        for (_, attr_local), value in attrs.items():
            self._attribute(low, attr_local.lower(), value)
            if attr_local.lower() == "href" and value.strip().startswith("#"):
                uses[value.strip()[1:]] += 1
        self.open.append(_OpenElement(1, _id_of(attrs), uses))
        if low == "style":
            self.style = []

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        self.level -= 1
        element = self.open.pop()
        if element.ident:
            self.ids.setdefault(element.ident, (element.count, Counter(element.uses)))
        if self.open:
            parent = self.open[-1]
            parent.count += element.count
            parent.uses.update(element.uses)
        else:
            self.root = (element.count, element.uses)
        if name[1].lower() == "style" and self.style is not None:
            css, self.style = "".join(self.style), None
            _check_css(css, self, sheet=True)

    def characters(self, content: str) -> None:
        if self.style is not None:
            self.style.append(content)

    def _attribute(self, element: str, attribute: str, value: str) -> None:
        if attribute.startswith("on"):
            raise _Refused(f"contains a script (an {shown(attribute, 40)} attribute), which is not allowed")
        if attribute in _ADDRESS_ATTRIBUTES:
            self.reference(value)
        elif attribute == "style":
            _check_css(value, self, sheet=False)
        elif element in _ANIMATIONS and attribute == "attributename":
            target = value.strip().rsplit(":", 1)[-1].lower()
            if target in _ADDRESS_ATTRIBUTES or target.startswith("on"):
                raise _Refused(f"animates its '{shown(value.strip(), 40)}' attribute, which is not allowed")
        elif "(" in value or "\\" in value:  # a presentation attribute may hold url(...)
            _check_css(value, self, sheet=False, values_only=True)

    def reference(self, address: str) -> None:
        """Allow ``#id``, an empty address and ``data:image/...`` (whose image is checked in turn)."""
        url = re.sub(r"[\t\n\r]", "", address).strip(_C0_AND_SPACE)  # as a browser's URL parser does
        if url == "" or url.startswith("#"):
            return
        if url[:5].lower() == "data:":
            self._data_image(url)
            return
        raise _Refused(f"refers to '{shown(url)}', outside the image")

    def _data_image(self, url: str) -> None:
        header, comma, payload = url[5:].partition(",")
        media, *parameters = [part.strip().lower() for part in header.split(";")]
        if not comma or not media.startswith("image/"):
            raise _Refused(f"refers to '{shown(url)}', which is not an image")
        for parameter in parameters:  # a browser would read the image in this charset; we read UTF-8
            if parameter.startswith("charset=") and parameter[8:].strip("\"' ") not in ("utf-8", "us-ascii"):
                raise _Refused(f"holds an image in charset '{shown(parameter[8:], 40)}'; only UTF-8 is read")
        if self.nesting + 1 > MAX_NESTING:
            raise _Refused(f"holds images inside images more than {MAX_NESTING} deep")
        try:
            if header.lower().rstrip().endswith(";base64"):
                data = base64.b64decode(re.sub(r"\s+", "", unquote_to_bytes(payload).decode("ascii")),
                                        validate=True)
            else:
                data = unquote_to_bytes(payload)
        except ValueError:
            raise _Refused(f"holds an image whose data: URI cannot be decoded ('{shown(url, 40)}')") from None
        try:
            _inspect(data, shown(url, 40), depth=self.nesting + 1, budget=self.budget)
        except ImageProblem as exc:
            raise _Refused(f"holds an image that cannot be printed: {exc.message}") from None


def _id_of(attrs: AttributesNSImpl) -> str:
    """The ``id`` (or ``xml:id``) of an element, as ``#id`` references name it."""
    for (_, local), value in attrs.items():
        if local == "id":
            return value.strip()
    return ""


def _drawn(root: tuple[int, Counter[str]], ids: dict[str, tuple[int, Counter[str]]]) -> int:
    """How many elements ``root`` draws with every ``#id`` reference expanded (capped past the limit).

    Raises _Refused for a reference loop, which would never finish drawing.
    """
    totals: dict[str, int] = {}
    state: dict[str, bool] = {}  # False while its references are being followed, True once counted
    stack: list[tuple[str | None, Iterator[str]]] = [(None, iter(root[1]))]
    while stack:  # depth first, without recursion: a chain of references may be long
        ident, pending = stack[-1]
        for child in pending:
            if child not in ids or state.get(child):
                continue
            if child in state:
                raise _Refused(f"refers to '#{shown(child, 40)}' from inside it, a loop that never ends")
            state[child] = False
            stack.append((child, iter(ids[child][1])))
            break
        else:
            stack.pop()
            if ident is not None:
                state[ident] = True
                count, uses = ids[ident]
                totals[ident] = min(count + sum(n * totals[k] for k, n in uses.items() if k in ids), MAX_DRAWN + 1)
    count, uses = root
    return count + sum(n * totals[k] for k, n in uses.items() if k in ids)


def _check_css(css: str, walker: _SvgWalker, *, sheet: bool, values_only: bool = False) -> None:
    """Refuse ``@import`` and every address in ``css`` but ``#id`` and ``data:image/...``."""
    import tinycss2  # imported when first needed: slow to import, and not every command needs it
    from tinycss2.ast import AtRule, FunctionBlock, StringToken, URLToken

    nodes: Sequence[Node]
    if values_only:
        nodes = tinycss2.parse_component_value_list(css, skip_comments=True)
    elif sheet:
        nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    else:
        nodes = tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True)
    for node in _walk(nodes):
        if isinstance(node, AtRule) and node.lower_at_keyword == "import":
            target = next((t.value for t in _walk(node.prelude) if isinstance(t, (URLToken, StringToken))), "")
            raise _Refused(f"refers to '{shown(target)}', outside the image")
        if isinstance(node, URLToken):
            walker.reference(node.value)
        elif isinstance(node, FunctionBlock):
            strings = [t for t in node.arguments if isinstance(t, StringToken)]
            if node.lower_name in ("url", "src") and strings:
                walker.reference(strings[0].value)
            elif node.lower_name in _IMAGE_FUNCTIONS:
                for token in strings:
                    walker.reference(token.value)


def _walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every CSS node in ``nodes``, depth first: rule preludes and contents, blocks and function arguments."""
    stack = list(reversed(list(nodes or [])))
    while stack:
        node = stack.pop()
        yield node
        children: list[Node] = []
        for part in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, part, None)
            if isinstance(inner, list):
                children.extend(inner)
        stack.extend(reversed(children))


# --------------------------------------------------------------------------- checking a named file


def check_file(file: Path, name: str) -> tuple[Picture, list[ImageProblem]]:
    """Read and inspect the image ``file`` (written ``name`` in the brand file): what it is, and warnings.

    Raises :class:`ImageProblem` for a broken or unsafe image, and for one whose
    name says SVG while it is a bitmap, or the other way round: an SVG is a
    document that can refer to other files, and must be reviewed as one. A
    bitmap named as another bitmap (a JPEG called ``.png``) is printed as what it
    is, with a warning.
    """
    picture = inspect(read_image(file, name), name)
    said = named_kind(name)
    if picture.kind == said:
        return picture, []
    better = shown(str(Path(name).with_suffix(_SUFFIX[picture.kind])) if Path(name).suffix
                   else name + _SUFFIX[picture.kind])
    name = shown(name)
    if picture.kind == "SVG" or said == "SVG":
        says = f"its name says {said}" if said else "its name does not say so"
        raise ImageProblem(f"'{name}' is {_article(picture.kind)} image, but {says}", hint=f"rename it to {better}")
    says = f"not {said} as its name says" if said else "though its name does not say so"
    return picture, [ImageProblem(f"'{name}' is {_article(picture.kind)} image, {says}; it is printed as "
                                  f"{picture.kind}", hint=f"rename it to {better}")]


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "AEFHILMNORSX" else f"a {kind}"


# --------------------------------------------------------------------------- what a handout embeds


class _Remembered:
    """Prepared images by the SHA-256 of the file's bytes: a changed file is a new key, so nothing
    remembered here can be out of date. Bounded by total size; the oldest go first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[bytes, Embedded] = OrderedDict()

    def get(self, key: bytes) -> Embedded | None:
        item = self.items.get(key)
        if item is not None:
            self.items.move_to_end(key)
        return item

    def put(self, key: bytes, item: Embedded) -> None:
        self.items[key] = item
        while sum(len(i.data) for i in self.items.values()) > self.max_bytes and len(self.items) > 1:
            self.items.popitem(last=False)

    def clear(self) -> None:
        self.items.clear()


#: the images this process has prepared; see :class:`_Remembered`
PREPARED = _Remembered(max_bytes=64 * 1024 * 1024)


def embeddable(data: bytes, name: str) -> Embedded:
    """The image to embed for a logo file's ``data``: inspected, and a large bitmap scaled down, once per
    process for the same bytes. Raises :class:`ImageProblem` as :func:`inspect` does."""
    key = hashlib.sha256(data).digest()
    known = PREPARED.get(key)
    if known is not None:
        return known
    picture = inspect(data, name)
    if picture.kind == "SVG":
        svg = _as_svg(data, name)
        assert svg is not None  # inspect has just read these bytes as SVG
        item = Embedded(picture, picture.mime, svg.utf8)
    else:
        assert picture.width is not None and picture.height is not None  # a bitmap's size is always read
        if max(picture.width, picture.height) > EMBED_MAX_SIDE or len(data) > EMBED_MAX_BYTES:
            item = _scaled(data, picture)
        else:
            item = Embedded(picture, picture.mime, data, picture.width, picture.height)
    PREPARED.put(key, item)
    return item


def _scaled(data: bytes, picture: Picture) -> Embedded:
    """The bitmap ``data`` written again, at most :data:`EMBED_MAX_SIDE` pixels on its longer side.

    Turned upright first (browsers and WeasyPrint both follow the EXIF
    orientation, which a new file would lose). A JPEG stays a JPEG; the rest
    become PNG. The colour profile is kept.
    """
    from PIL import Image, ImageOps  # imported when first needed: slow to import, and not every command needs it

    with Image.open(io.BytesIO(data)) as original:
        profile = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
        if image.mode in ("P", "PA", "1", "L", "LA", "I", "I;16", "F") and picture.kind != "JPEG":
            image = image.convert("RGBA")
        image.thumbnail((EMBED_MAX_SIDE, EMBED_MAX_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        extra = {"icc_profile": profile} if profile else {}
        if picture.kind == "JPEG":
            image.save(out, "JPEG", quality=90, **extra)
            mime = "image/jpeg"
        else:
            image.save(out, "PNG", **extra)
            mime = "image/png"
        return Embedded(picture, mime, out.getvalue(), image.width, image.height)


def logo_uri(root: Path, entry: Entry, logo: Logo) -> str:
    """The ``data:`` URI of a brand's logo, read and checked again now.

    The file may have changed or gone since ``validate``: that fails the
    handouts that print it with a :class:`ContentError` at the brand file's logo
    field, like any other bad input.
    """
    root = root.resolve()
    try:
        file = logo_file(root / entry.path, logo.path)
        if not file.is_relative_to(root):
            raise ImageProblem(f"'{shown(logo.path)}' points outside the project",
                               hint="keep images inside the project")
        return embeddable(read_image(file, logo.path), logo.path).uri
    except ImageProblem as exc:
        raise entry.error(logo.field, exc.message, hint=exc.hint) from None
    except (OSError, RuntimeError) as exc:  # gone, unreadable, a loop of symbolic links
        reason = getattr(exc, "strerror", None) or str(exc)
        raise entry.error(logo.field, f"image file '{shown(logo.path)}' cannot be read: {reason}",
                          hint="it was there when the content was checked; build again") from None
