"""Brand fonts: font files read for what they are, installed families found, and what each setting prints in.

A brand's ``typography`` names families for body text (``base``), headings and
``monospace``. A family prints in the PDF when tipsheets has it without
fetching anything:

- as font files in the project (``source: file``): each is read by its bytes,
  bounded, decompressed with limits (WOFF's zlib, WOFF2's Brotli) and decoded
  in full by fontTools, so a file that is not a font, is cut short or would
  expand to gigabytes is refused at the brand field that names it. A handout
  embeds the checked bytes (read and checked again when it renders, as logos
  are), so PDF/UA's "fonts embedded" holds;
- as the theme's own packaged family (Lato);
- installed on this machine, as fontconfig finds it (WeasyPrint's own lookup).

Anything else (a Google or Bunny font, an address, a family not installed) is
never downloaded: the setting prints in the theme's font, with a one-line
warning that names it. The web page names the brand's family first either way,
so a reader who has it sees it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
import stat
import struct
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tipsheets.core.brandfile import Brand, FontFile, TextStyle, logo_file

#: the largest font file, in bytes: brand fonts weigh 20 KB to 2 MB; a whole CJK family about 16 MB
MAX_FONT_BYTES = 16_000_000
#: the most a compressed font (WOFF, WOFF2) may expand to
MAX_FONT_DECODED = 48_000_000
#: the families the theme packages (templates/base/fonts), printed without anything from the brand
THEME_FAMILIES = ("Lato",)
#: what body text prints in when a brand's family cannot be
THEME_FAMILY = "Lato"

_MIME = {"TrueType": "font/ttf", "OpenType": "font/otf", "WOFF": "font/woff", "WOFF2": "font/woff2"}


class FontProblem(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class FontInfo:
    kind: str  # TrueType, OpenType, WOFF, WOFF2
    family: str
    weight: int
    italic: bool

    @property
    def mime(self) -> str:
        return _MIME[self.kind]


def shown(text: str, limit: int = 80) -> str:
    clean = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "..."


# --------------------------------------------------------------------------- reading one file


def read_font(file: Path, name: str) -> bytes:
    """The bytes of a font file, refused from its size before reading past the limit (a FIFO never blocks)."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FontProblem(f"'{shown(name)}' is not a regular file", hint="name a font file")
        _check_size(name, info.st_size)
        data = handle.read(MAX_FONT_BYTES + 1)
    _check_size(name, len(data))
    return data


def _check_size(name: str, size: int) -> None:
    if size > MAX_FONT_BYTES:
        raise FontProblem(f"'{shown(name)}' is {size / 1e6:,.1f} MB, more than the {MAX_FONT_BYTES // 1_000_000} MB "
                          "a font file may be", hint="subset the font to the languages you print")


def inspect(data: bytes, name: str) -> FontInfo:
    """What the font file ``data`` is: decoded in full by fontTools, decompression bounded first."""
    kind = _kind(data)
    if kind is None:
        if data[:4] == b"ttcf":
            raise FontProblem(f"'{shown(name)}' is a font collection, which a web page cannot use",
                              hint="give each font of the collection as its own .ttf or .otf file")
        raise FontProblem(f"'{shown(name)}' is not a font file (TrueType, OpenType, WOFF or WOFF2)",
                          hint="export the font again, as .woff2, .ttf or .otf")
    try:
        if kind == "WOFF":
            _check_woff(data)
        elif kind == "WOFF2":
            _check_woff2(data)
    except (struct.error, zlib.error, ValueError, IndexError) as exc:
        if isinstance(exc, FontProblem):
            raise FontProblem(f"'{shown(name)}' {exc.message}", hint=exc.hint) from None
        raise FontProblem(f"'{shown(name)}' is a damaged {kind} file", hint="export the font again") from None
    return _decode(data, name, kind)


def _kind(data: bytes) -> str | None:
    head = data[:4]
    if head in (b"\x00\x01\x00\x00", b"true"):
        return "TrueType"
    if head == b"OTTO":
        return "OpenType"
    if head == b"wOFF":
        return "WOFF"
    if head == b"wOF2":
        return "WOFF2"
    return None


def _check_woff(data: bytes) -> None:
    """Every table of a WOFF file inflates to the size it declares, and no more: a zlib bomb stops here."""
    flavor, length, count = struct.unpack(">4sIH", data[4:14])
    if flavor == b"ttcf":
        raise FontProblem("is a font collection", "give each font as its own file")
    total = 0
    for index in range(count):
        tag, offset, compressed, original, _ = struct.unpack(">4sIIII", data[44 + 20 * index: 64 + 20 * index])
        total += original
        if total > MAX_FONT_DECODED:
            raise FontProblem(f"would expand to more than {MAX_FONT_DECODED // 1_000_000} MB", "export the font again")
        chunk = data[offset: offset + compressed]
        if len(chunk) != compressed:
            raise ValueError("cut short")
        if compressed < original:
            inflater = zlib.decompressobj()
            out = inflater.decompress(chunk, original + 1)
            if len(out) != original or not inflater.eof:
                raise ValueError("a table does not inflate to its size")


def _base128(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for index in range(5):
        byte = data[at + index]
        if index == 0 and byte == 0x80:
            raise ValueError("bad number")
        value = (value << 7) | (byte & 0x7F)
        if value > 0xFFFFFFFF:
            raise ValueError("bad number")
        if not byte & 0x80:
            return value, at + index + 1
    raise ValueError("bad number")


def _check_woff2(data: bytes) -> None:
    """A WOFF2 file's Brotli stream inflates to what its table directory declares, and no more."""
    flavor, length, count, _, _total, compressed = struct.unpack(">4sIHHII", data[4:24])
    if flavor == b"ttcf":
        raise FontProblem("is a font collection", "give each font as its own file")
    at = 48
    expected = 0
    for _ in range(count):
        flags = data[at]
        at += 1
        tag_index = flags & 0x3F
        tag = data[at: at + 4] if tag_index == 0x3F else None
        if tag_index == 0x3F:
            at += 4
        original, at = _base128(data, at)
        version = flags >> 6
        glyf_or_loca = tag_index in (10, 11) or tag in (b"glyf", b"loca")
        transformed = version == 0 if glyf_or_loca else version != 0
        if transformed:
            size, at = _base128(data, at)
        else:
            size = original
        expected += size
        if expected > MAX_FONT_DECODED:
            raise FontProblem(f"would expand to more than {MAX_FONT_DECODED // 1_000_000} MB", "export the font again")
    stream = data[at: at + compressed]
    if len(stream) != compressed:
        raise ValueError("cut short")
    import brotli  # fontTools' WOFF2 support (fonttools[woff]), which WeasyPrint installs

    inflater = brotli.Decompressor()
    out = 0
    try:
        produced = inflater.process(stream, output_buffer_limit=expected + 1)
        out += len(produced)
        while out <= expected and not inflater.is_finished() and not inflater.can_accept_more_data():
            produced = inflater.process(b"", output_buffer_limit=expected + 1 - out)
            if not produced:
                break
            out += len(produced)
    except brotli.error:
        raise ValueError("bad stream") from None
    if out != expected or not inflater.is_finished():
        raise ValueError("the stream does not inflate to its size")


@contextmanager
def _quiet() -> Iterator[None]:
    """fontTools logs what it thinks odd (an old timestamp) to the terminal; a check says what matters itself."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


_NEEDED = ("head", "name", "cmap", "maxp", "hhea", "hmtx")


def _decode(data: bytes, name: str, kind: str) -> FontInfo:
    from fontTools.ttLib import TTFont

    try:
        with _quiet():
            font = TTFont(io.BytesIO(data), lazy=False, recalcBBoxes=False, recalcTimestamp=False)
            font.ensureDecompiled()
            missing = [tag for tag in _NEEDED if tag not in font]
            if not ("glyf" in font and "loca" in font) and "CFF " not in font and "CFF2" not in font:
                missing.append("glyf or CFF")
            if missing:
                raise FontProblem(f"'{shown(name)}' is not a whole font: it has no {', '.join(missing)} table",
                                  hint="export the font again")
            names = font["name"]
            family = str(names.getDebugName(16) or names.getDebugName(1) or "")
            os2 = font["OS/2"] if "OS/2" in font else None
            weight = int(os2.usWeightClass) if os2 is not None else 400
            italic = bool(os2.fsSelection & 1) if os2 is not None else bool(font["head"].macStyle & 2)
    except FontProblem:
        raise
    except Exception:  # fontTools raises anything from a damaged table  # noqa: BLE001
        raise FontProblem(f"'{shown(name)}' is a damaged {kind} file: fontTools cannot read it",
                          hint="export the font again, as .woff2, .ttf or .otf") from None
    return FontInfo(kind, family, weight, italic)


class _Remembered(OrderedDict[bytes, FontInfo]):
    """Fonts this process has checked, by the SHA-256 of their bytes (a changed file is a new key)."""

    def remember(self, key: bytes, info: FontInfo) -> None:
        self[key] = info
        while len(self) > 64:
            self.popitem(last=False)


CHECKED = _Remembered()


def check_font(data: bytes, name: str) -> FontInfo:
    """:func:`inspect`, once per process for the same bytes."""
    key = hashlib.sha256(data).digest()
    if key in CHECKED:
        return CHECKED[key]
    info = inspect(data, name)
    CHECKED.remember(key, info)
    return info


def font_path(root: Path, brand_file: str, path: str) -> Path:
    """The font file ``path`` names, from the brand file's real folder; refused outside the project."""
    file = logo_file(root / brand_file, path)
    if not file.is_relative_to(root.resolve()):
        raise FontProblem(f"'{shown(path)}' points outside the project", hint="keep font files inside the project")
    return file


def font_uri(root: Path, brand_file: str, font: FontFile) -> str:
    """The ``data:`` URI of a brand's font file, read and checked again now. Raises FontProblem or OSError."""
    file = font_path(root, brand_file, font.path)
    data = read_font(file, font.path)
    info = check_font(data, font.path)
    return f"data:{info.mime};base64,{base64.b64encode(data).decode('ascii')}"


# --------------------------------------------------------------------------- installed families


def installed(family: str) -> bool:
    """Whether fontconfig (WeasyPrint's own font lookup) has ``family`` itself, not a stand-in for it."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, OSError):  # pragma: no cover - WeasyPrint brings fontconfig
        return False
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        fontconfig.FcConfigSubstitute(ffi.NULL, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
    finally:
        fontconfig.FcPatternDestroy(pattern)
    if match == ffi.NULL:
        return False
    try:
        value = ffi.new("FcChar8 **")
        index = 0
        while fontconfig.FcPatternGetString(match, b"family", index, value) == 0:
            if ffi.string(value[0]).decode("utf-8", "replace").casefold() == family.casefold():
                return True
            index += 1
        return False
    finally:
        fontconfig.FcPatternDestroy(match)


def generic_monospace() -> str:
    """The family fontconfig gives for ``monospace`` here, to name in a warning."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, OSError):  # pragma: no cover
        return "monospace"
    pattern = fontconfig.FcPatternCreate()
    fontconfig.FcPatternAddString(pattern, b"family", b"monospace")
    fontconfig.FcConfigSubstitute(ffi.NULL, pattern, 0)
    fontconfig.FcDefaultSubstitute(pattern)
    match = fontconfig.FcFontMatch(ffi.NULL, pattern, ffi.new("FcResult *"))
    fontconfig.FcPatternDestroy(pattern)
    if match == ffi.NULL:
        return "monospace"
    value = ffi.new("FcChar8 **")
    found = fontconfig.FcPatternGetString(match, b"family", 0, value) == 0
    name = ffi.string(value[0]).decode("utf-8", "replace") if found else "monospace"
    fontconfig.FcPatternDestroy(match)
    return name


# --------------------------------------------------------------------------- what each setting prints in


@dataclass(frozen=True)
class Choice:
    """What one setting (base, headings, monospace) prints in, on paper."""

    setting: str
    family: str | None  # the brand's family, or None: the theme's
    files: tuple[FontFile, ...]  # the brand's files to embed for it (empty: theme's or installed)
    #: why the brand's family is not used, for the warning; "" when it is
    reason: str = ""
    fallback: str = ""
    field: tuple[str | int, ...] = ()


_SOURCES = {"google": "Google Fonts", "bunny": "Bunny Fonts"}


def choose(brand: Brand, setting: str, base_family: str | None = None) -> Choice | None:
    """What ``setting`` prints in, or None when the brand does not set its family."""
    style: TextStyle | None = getattr(brand.typography, setting)
    if style is None or not style.families:
        return None
    name = style.families[0]
    fallback = (base_family or THEME_FAMILY) if setting != "monospace" else generic_monospace()
    font = brand.typography.family(name)
    field = font.field if font is not None else style.field
    if font is not None and font.source == "file":
        local = tuple(f for f in font.files if not f.remote)
        if local:
            return Choice(setting, name, local, field=field)
    if name.casefold() in (f.casefold() for f in THEME_FAMILIES):
        return Choice(setting, THEME_FAMILY, (), field=field)
    if name in ("serif", "sans-serif", "monospace", "system-ui") or installed(name):
        return Choice(setting, name, (), field=field)
    if font is not None and font.source in _SOURCES:
        reason = f"'{shown(name)}' comes from {_SOURCES[font.source]}, which tipsheets never downloads"
    elif font is not None and font.source == "file" and font.files:
        reason = f"'{shown(name)}' is given only as addresses, which tipsheets never downloads"
    elif font is not None and font.source == "file":
        reason = f"'{shown(name)}' is given as font files, but none is listed"
    else:
        reason = f"'{shown(name)}' is not installed on this machine"
    return Choice(setting, None, (), reason=reason, fallback=fallback, field=field)


def choices(brand: Brand) -> list[Choice]:
    """What base text, headings and code print in, for this brand, on this machine."""
    base = choose(brand, "base")
    base_family = base.family if base is not None else None
    out = [c for c in (base, choose(brand, "headings", base_family), choose(brand, "monospace")) if c is not None]
    return out


def font_files(brand: Brand) -> list[FontFile]:
    """Every local font file the brand names (each is checked, printed or not)."""
    return [f for font in brand.typography.fonts for f in font.files if not f.remote]


# --------------------------------------------------------------------------- sizes the theme can take


def points(size: str | None) -> str | None:
    """A base size as points for paper, when the theme can take it (7 to 14 pt); else None."""
    value = _length(size)
    if value is None:
        return None
    number, unit = value
    pt = {"pt": number, "px": number * 0.75, "rem": number * 12, "em": number * 12, "%": number * 0.12}.get(unit)
    if pt is None or not 7 <= pt <= 14:
        return None
    return f"{pt:g}pt"


def relative_size(size: str | None) -> str | None:
    """A code size relative to its text (``0.9em``, ``90%``), when it is one the theme can take."""
    value = _length(size)
    if value is None or value[1] not in ("em", "%"):
        return None
    number, unit = value
    factor = number if unit == "em" else number / 100
    return f"{factor:g}em" if 0.6 <= factor <= 1.4 else None


def _length(size: str | None) -> tuple[float, str] | None:
    match = re.fullmatch(r"\s*(\d{1,3}(?:\.\d{1,4})?)\s*(pt|px|rem|em|%)\s*", size or "")
    return (float(match[1]), match[2]) if match else None


def line_height(style: TextStyle | None) -> str | None:
    if style is None or style.line_height is None:
        return None
    return f"{style.line_height:g}" if 0.8 <= style.line_height <= 3 else None
