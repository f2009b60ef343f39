"""Logo images are what they really are, bounded in size, safe, and cheap to print.

Every broken or hostile image here is made by the test (Pillow writes the
bitmaps, then they are cut short, mislabelled or inflated; the SVGs are written
in several encodings, with every kind of reference), and each must give the
exact one line that ``validate`` prints. The end-to-end tests build real PDFs
and read them back.
"""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import quote

import pikepdf
import pytest
from PIL import Image

from hostile_project import BRAND as BRAND_YAML
from hostile_project import make_project, sheet
from tipsheets.check import images
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.project import check_project

BRAND = "content/brands/default.yaml"
WHERE = f"{BRAND}:9:13: logo.images.mark.path: "
SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
REMAKE = "(hint: export the logo again from the original artwork, as SVG or PNG)"
SELF_CONTAINED = "(hint: a logo must be self-contained: embed images as data: URIs, or convert them to paths)"
SCALE = "(hint: scale it down: 2,400 pixels on the longer side prints sharply at any size)"


@pytest.fixture(autouse=True)
def _forget_prepared() -> None:
    images.PREPARED.clear()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"one": sheet(), "two": sheet(title="Second")})


def set_logo(project: Path, name: str, data: bytes | None = None) -> Path:
    """Point the brand's logo at ``logos/<name>``, written with ``data`` when given."""
    file = project / "content" / "brands" / "logos" / name
    if data is not None:
        file.write_bytes(data)
    brand = project / BRAND
    brand.write_text(BRAND_YAML.replace("path: logos/default.svg", f"path: logos/{name}"))
    return file


def problems(project: Path) -> list[str]:
    return [p.format() for p in check_project(load_project(project))]


# --------------------------------------------------------------------------- making images


def bitmap(fmt: str = "PNG", size: tuple[int, int] = (300, 120), **options: object) -> bytes:
    """A small logo-like picture: two coloured discs on white, with some detail to compress."""
    image = Image.new("RGB", size, "white")
    for x in range(0, size[0], 7):
        for y in range(0, size[1], 5):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, 120))
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def logo_like(size: tuple[int, int]) -> bytes:
    """A PNG drawn as logos are: flat shapes in a few colours on white."""
    from PIL import ImageDraw

    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, height, height), fill="#1D5C6B")
    draw.ellipse((height // 2, 0, height * 3 // 2, height), fill="#8A4B12")
    for i in range(8):
        left = height * 2 + i * (width - height * 2) // 8
        draw.rectangle((left, height // 3, left + width // 20, height * 2 // 3), fill="#1A2530")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_of_size(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` all-black pixels, written row by row (a few hundred KB)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (40, 20), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def svg(body: str, *, root: str = "") -> str:
    return (f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK}" width="40" height="20" viewBox="0 0 40 20"{root}>'
            f'<title>Logo</title>{body}<circle cx="10" cy="10" r="8" fill="#1D5C6B"/></svg>')


#: the ways an SVG may be written down: name → its bytes from its text
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-8 declared": lambda text: ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8"),
    "utf-16": lambda text: ('<?xml version="1.0" encoding="UTF-16"?>\n' + text).encode("utf-16"),
    "utf-16 no declaration": lambda text: text.encode("utf-16"),
    "utf-16-be": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "latin-1 declared": lambda text: ("<?xml version='1.0' encoding='ISO-8859-1'?>" + text).encode("latin-1"),
    "windows-1252 declared": lambda text: ('<?xml version="1.0" encoding="windows-1252"?>' + text).encode("cp1252"),
}

OUT = "http://127.0.0.1:9/x.png"


def _data(text: str, base64_: bool = False) -> str:
    if base64_:
        return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()
    return "data:image/svg+xml," + quote(text)


#: a piece of SVG that refers outside the image, and the address the error names
REFERENCES = [
    (f'<image href="{OUT}" width="9" height="9"/>', OUT),
    (f'<image xlink:href="{OUT}"/>', OUT),
    (f'<image xmlns:other="{XLINK}" other:href="{OUT}"/>', OUT),
    (f'<image HREF="{OUT}"/>', OUT),
    (f'<image href="  {OUT}&#10;"/>', OUT),
    ('<image href="&#x68;ttp://127.0.0.1:9/x.png"/>', OUT),
    (f'<image href="\t{OUT}"/>', OUT),
    ('<image href="file:///etc/passwd"/>', "file:///etc/passwd"),
    ('<image href="../../outside/secret.png"/>', "../../outside/secret.png"),
    (f'<filter id="f"><feImage href="{OUT}"/></filter>', OUT),
    ('<use href="other.svg#shape"/>', "other.svg#shape"),
    (f'<use xlink:href="{OUT}#a"/>', OUT + "#a"),
    (f'<a href="{OUT}"><rect width="1" height="1"/></a>', OUT),
    ('<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>', "javascript:alert(1)"),
    (f'<g xml:base="{OUT}"/>', OUT),
    (f'<rect width="4" height="4" style="fill: url({OUT})"/>', OUT),
    (f'<rect width="4" height="4" style="fill: URL( \'{OUT}\' )"/>', OUT),
    (f'<rect width="4" height="4" style="fill: \\75 rl({OUT})"/>', OUT),
    (f'<rect width="4" height="4" style="fill: u\\72l(&quot;{OUT}&quot;)"/>', OUT),
    (f'<rect width="4" height="4" style="fill: /* x */ url({OUT})"/>', OUT),
    (f'<rect width="4" height="4" fill="url({OUT}#g)"/>', OUT + "#g"),
    (f'<rect width="4" height="4" filter="url(\'{OUT}#f\')"/>', OUT + "#f"),
    (f'<rect width="4" height="4" mask="url({OUT})"/>', OUT),
    (f'<style>@import "{OUT}";</style>', OUT),
    (f'<style>@IMPORT url({OUT});</style>', OUT),
    (f'<style><![CDATA[rect {{ fill: url("{OUT}") }}]]></style>', OUT),
    (f'<style>rect {{ background: image-set("{OUT}" 1x) }}</style>', OUT),
    (f'<style>rect {{ background: -webkit-image-set(url({OUT}) 1x) }}</style>', OUT),
    (f'<style>@font-face {{ font-family: x; src: url({OUT}) }}</style>', OUT),
    (f'<style>@media print {{ rect {{ fill: url({OUT}) }} }}</style>', OUT),
    ('<style>rect { fill: url("data:text/css,x") }</style>', "data:text/css,x"),
    (f'<set attributeName="fill" to="url({OUT})"/>', OUT),
]


# --------------------------------------------------------------------------- bitmaps: what they really are


def _cut(data: bytes, by: int) -> bytes:
    return data[:-by]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


BROKEN_BITMAPS = [
    ("cut.png", lambda: _cut(bitmap("PNG"), 1), "a damaged PNG image"),
    ("cut-end.png", lambda: _cut(bitmap("PNG"), 12), "a damaged PNG image"),
    ("half.png", lambda: bitmap("PNG")[: len(bitmap("PNG")) // 2], "a damaged PNG image"),
    ("flipped.png", lambda: _flip(bitmap("PNG"), len(bitmap("PNG")) // 2), "a damaged PNG image"),
    ("cut.jpg", lambda: _cut(bitmap("JPEG"), 1), "a damaged JPEG image"),
    ("half.jpg", lambda: bitmap("JPEG")[: len(bitmap("JPEG")) // 2], "a damaged JPEG image"),
    ("cut.gif", lambda: _cut(bitmap("GIF"), 1), "a damaged GIF image"),
    ("half.gif", lambda: bitmap("GIF")[: len(bitmap("GIF")) // 2], "a damaged GIF image"),
    ("cut.webp", lambda: _cut(bitmap("WEBP"), 4), "a damaged WebP image"),
    ("header-only.png", lambda: bitmap("PNG")[:33], "a damaged PNG image"),
]


@pytest.mark.parametrize("pillow_lenient", [False, True], ids=["pillow as it starts", "after weasyprint"])
@pytest.mark.parametrize(("name", "make", "what"), BROKEN_BITMAPS, ids=[case[0] for case in BROKEN_BITMAPS])
def test_a_truncated_or_corrupted_bitmap_is_an_error_at_the_logo_field(project: Path, name: str, make,  # noqa: ANN001
                                                                       what: str, pillow_lenient: bool,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Also once WeasyPrint has told Pillow, for the whole process, to load truncated images."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", pillow_lenient)
    set_logo(project, name, make())
    assert problems(project) == [f"{WHERE}'logos/{name}' is {what}: it cannot be decoded to the end "
                                 f"(cut short or corrupted) {REMAKE}"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is pillow_lenient  # left as it was


@pytest.mark.parametrize(("name", "data"), [
    ("random.png", bytes((i * 7919 + 13) % 256 for i in range(4000))),
    ("empty.png", b""),
    ("text.png", b"hello, this is not a picture\n"),
    ("page.jpg", b"<!doctype html><html><body><img src=x></body></html>"),
    ("zeros.gif", b"\x00" * 5000),
    ("xml.png", b'<?xml version="1.0"?><root><child/></root>'),
])
def test_bytes_that_are_no_image_are_an_error(project: Path, name: str, data: bytes) -> None:
    set_logo(project, name, data)
    assert problems(project) == [f"{WHERE}'logos/{name}' is not an image: its bytes are not SVG, PNG, JPEG, GIF "
                                 f"or WebP {REMAKE}"]


@pytest.mark.parametrize(("name", "data", "real"), [
    ("photo.tif", lambda: bitmap("TIFF"), "TIFF"),
    ("mark.bmp", lambda: bitmap("BMP"), "BMP"),
    ("icon.png", lambda: bitmap("ICO", (32, 32)), "ICO"),
])
def test_a_bitmap_format_that_browsers_or_pdf_readers_do_not_all_show_is_an_error(project: Path, name: str,
                                                                                  data, real: str) -> None:  # noqa: ANN001
    set_logo(project, name, data())
    assert problems(project) == [f"{WHERE}'logos/{name}' is a {real} image; a logo must be SVG, PNG, JPEG, GIF "
                                 "or WebP (hint: save it as PNG)"]


@pytest.mark.parametrize(("name", "fmt"), [("moving.gif", "GIF"), ("moving.png", "PNG"), ("moving.webp", "WEBP")])
def test_an_animated_logo_is_an_error(project: Path, name: str, fmt: str) -> None:
    set_logo(project, name, animated(fmt))
    kind = {"GIF": "GIF", "PNG": "PNG", "WEBP": "WebP"}[fmt]
    assert problems(project) == [f"{WHERE}'logos/{name}' is an animated {kind} image (2 frames); a printed logo "
                                 "shows only one (hint: save the frame you want as PNG)"]


def test_the_issue_s_pixel_bomb_is_refused_before_it_is_decoded(project: Path) -> None:
    """13,370 x 13,370 pixels in a small file: just under Pillow's own limit, 1.7 GB to decode."""
    set_logo(project, "bomb.png", png_of_size(13_370, 13_370))
    assert problems(project) == [f"{WHERE}'logos/bomb.png' is 13,370 x 13,370 pixels (178.8 megapixels), more than "
                                 f"the 40 megapixels a logo may have {SCALE}"]


def test_a_bitmap_past_pillow_s_own_limit_is_refused_with_the_same_words(project: Path) -> None:
    set_logo(project, "huge.png", png_of_size(20_000, 20_000))
    assert problems(project) == [f"{WHERE}'logos/huge.png' is 400.0 megapixels, more than the 40 megapixels a logo "
                                 f"may have {SCALE}"]


def test_a_bitmap_just_over_the_pixel_limit_is_refused_and_one_just_under_it_is_not(project: Path) -> None:
    set_logo(project, "wide.png", png_of_size(10_001, 4_000))
    assert problems(project) == [f"{WHERE}'logos/wide.png' is 10,001 x 4,000 pixels (40.0 megapixels), more than "
                                 f"the 40 megapixels a logo may have {SCALE}"]
    set_logo(project, "wide.png", png_of_size(10_000, 4_000))
    assert problems(project) == []


def test_a_sparse_200_mb_file_is_refused_from_its_size_without_reading_it(project: Path) -> None:
    file = set_logo(project, "sparse.png", bitmap("PNG"))
    with file.open("r+b") as handle:
        handle.truncate(200_000_000)
    assert problems(project) == [f"{WHERE}'logos/sparse.png' is 200 MB, more than the 16 MB a logo image may be "
                                 "(hint: a logo needs no more than 2,400 pixels on its longer side; save a smaller "
                                 "copy)"]


def test_an_svg_over_its_own_limit_is_refused(project: Path) -> None:
    padding = "<!--" + "x" * 2_100_000 + "-->"
    set_logo(project, "padded.svg", svg(padding).encode())
    assert problems(project) == [f"{WHERE}'logos/padded.svg' is 2.1 MB, more than the 2 MB an SVG logo may be "
                                 "(hint: simplify the drawing, or save it as PNG)"]


def test_a_fifo_named_as_a_logo_does_not_hang_the_check(project: Path) -> None:
    import os

    os.mkfifo(project / "content/brands/logos/pipe.png")
    set_logo(project, "pipe.png")
    assert problems(project) == [f"{WHERE}image file 'logos/pipe.png' does not exist"]
    with pytest.raises(images.ImageProblem, match="is not a regular file"):
        images.read_image(project / "content/brands/logos/pipe.png", "logos/pipe.png")


# --------------------------------------------------------------------------- names that do not match


def test_an_svg_named_png_is_an_error(project: Path) -> None:
    set_logo(project, "mark.png", svg("").encode())
    assert problems(project) == [f"{WHERE}'logos/mark.png' is an SVG image, but its name says PNG "
                                 "(hint: rename it to logos/mark.svg)"]


def test_a_bitmap_named_svg_is_an_error(project: Path) -> None:
    set_logo(project, "mark.svg", bitmap("PNG"))
    assert problems(project) == [f"{WHERE}'logos/mark.svg' is a PNG image, but its name says SVG "
                                 "(hint: rename it to logos/mark.png)"]


def test_an_svg_without_a_suffix_is_an_error(project: Path) -> None:
    set_logo(project, "mark", svg("").encode())
    # brand.yml names a file with its extension: brand_yml refuses the name as the file is read
    assert [e.format() for e in load_project(project).errors] == [
        f"{WHERE}'logos/mark' is not the name of an image file: it has no extension "
        "(hint: name the file with its extension, such as logos/mark.svg)"]


def test_an_svg_with_another_suffix_is_an_error(project: Path) -> None:
    set_logo(project, "mark.logo", svg("").encode())
    assert problems(project) == [f"{WHERE}'logos/mark.logo' is an SVG image, but its name does not say so "
                                 "(hint: rename it to logos/mark.svg)"]


@pytest.mark.parametrize(("name", "fmt", "real", "said", "better"), [
    ("mark.png", "JPEG", "a JPEG", "not PNG as its name says", "logos/mark.jpg"),
    ("mark.jpg", "PNG", "a PNG", "not JPEG as its name says", "logos/mark.png"),
    ("mark.jpeg", "WEBP", "a WebP", "not JPEG as its name says", "logos/mark.webp"),
    ("mark.logo", "GIF", "a GIF", "though its name does not say so", "logos/mark.gif"),
])
def test_a_bitmap_named_as_another_bitmap_is_printed_as_what_it_is_with_a_warning(
        project: Path, name: str, fmt: str, real: str, said: str, better: str) -> None:
    set_logo(project, name, bitmap(fmt))
    kind = real.split()[1]
    assert problems(project) == [f"{BRAND}:9:13: warning: logo.images.mark.path: 'logos/{name}' is {real} image, "
                                 f"{said}; it is printed as {kind} (hint: rename it to {better})"]
    embedded = images.embeddable((project / "content/brands/logos" / name).read_bytes(), name)
    assert embedded.mime == images.BITMAPS[fmt][1]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_every_bitmap_format_a_browser_and_weasyprint_show_is_accepted(project: Path, fmt: str) -> None:
    suffix = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}[fmt]
    set_logo(project, f"mark.{suffix}", bitmap(fmt))
    assert problems(project) == []


# --------------------------------------------------------------------------- SVG: safety


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize(("body", "address"), REFERENCES, ids=[f"ref{i}" for i in range(len(REFERENCES))])
def test_an_svg_that_refers_outside_itself_is_an_error_in_every_encoding(project: Path, body: str, address: str,
                                                                         encoding: str) -> None:
    set_logo(project, "mark.svg", ENCODINGS[encoding](svg(body)))
    where = "which is not an image" if address.startswith("data:") else "outside the image"
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' refers to '{address}', {where} "
                                 f"{SELF_CONTAINED}"]


@pytest.mark.parametrize(("body", "message"), [
    ("<script>alert(1)</script>", "contains a script, which is not allowed"),
    ('<script xlink:href="data:text/javascript,alert(1)"/>', "contains a script, which is not allowed"),
    ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', "contains a script, which is not allowed"),
    ('<other:script xmlns:other="urn:x">alert(1)</other:script>', "contains a script, which is not allowed"),
    ('<Script>alert(1)</Script>', "contains a script, which is not allowed"),
    ('<rect width="4" height="4" onclick="alert(1)"/>',
     "contains a script (an onclick attribute), which is not allowed"),
    ('<rect width="4" height="4" ONLOAD="alert(1)"/>', "contains a script (an onload attribute), which is not allowed"),
    ('<rect width="4" height="4" xmlns:e="urn:e" e:onload="alert(1)"/>',
     "contains a script (an onload attribute), which is not allowed"),
    ('<handler type="application/ecmascript">alert(1)</handler>',
     "contains a script (a <handler> element), which is not allowed"),
    ('<foreignObject width="9" height="9"><p>hi</p></foreignObject>',
     "contains a <foreignObject>, which can hold a web page and is not allowed"),
    ('<foreignobject width="9" height="9"/>',
     "contains a <foreignObject>, which can hold a web page and is not allowed"),
    ('<h:div xmlns:h="http://www.w3.org/1999/xhtml">hi</h:div>', "contains HTML (<div>), which is not allowed"),
    ('<iframe src="x"/>', "contains an <iframe>, which is not allowed"),
    ('<a><set attributeName="href" to="https://example.org"/></a>',
     "animates its 'href' attribute, which is not allowed"),
    ('<a><animate attributeName="xlink:href" values="https://example.org"/></a>',
     "animates its 'xlink:href' attribute, which is not allowed"),
    ('<rect width="1" height="1"><set attributeName="onclick" to="alert(1)"/></rect>',
     "animates its 'onclick' attribute, which is not allowed"),
])
def test_an_svg_that_can_run_code_or_show_a_page_is_an_error(project: Path, body: str, message: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        set_logo(project, "mark.svg", ENCODINGS[encoding](svg(body)))
        assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' {message} {SELF_CONTAINED}"]


def test_an_event_handler_on_the_root_element_is_an_error(project: Path) -> None:
    set_logo(project, "mark.svg", svg("", root=' onload="alert(1)"').encode())
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' contains a script (an onload attribute), "
                                 f"which is not allowed {SELF_CONTAINED}"]


def test_a_style_sheet_processing_instruction_is_an_error(project: Path) -> None:
    for target in ("xml-stylesheet", "XML-STYLESHEET"):
        set_logo(project, "mark.svg", (f'<?{target} type="text/css" href="{OUT}"?>' + svg("")).encode())
        assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' refers to a style sheet "
                                     f"(<?xml-stylesheet?>), outside the image {SELF_CONTAINED}"]


DTD = "(hint: delete the <!DOCTYPE ...> part: an SVG needs none)"


@pytest.mark.parametrize(("prologue", "body", "message"), [
    ('<!DOCTYPE svg [<!ENTITY x "hello">]>', "<text>&x;</text>", "declares XML entities, which are not allowed"),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "<text>&x;</text>",
     "declares XML entities, which are not allowed"),
    ('<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', "",
     "declares XML entities, which are not allowed"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>', "<text>&c;</text>",
     "declares XML entities, which are not allowed"),
    ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">', "",
     "has a DOCTYPE, which is not allowed"),
    ('<!DOCTYPE svg SYSTEM "file:///etc/passwd">', "", "has a DOCTYPE, which is not allowed"),
])
def test_an_svg_with_a_doctype_or_entities_is_an_error(project: Path, prologue: str, body: str, message: str) -> None:
    for encoding in ("utf-8", "utf-16", "latin-1 declared"):
        data = ENCODINGS[encoding](svg(body))
        declaration, _, rest = data.partition(b"?>") if encoding == "latin-1 declared" else (b"", b"", data)
        if encoding == "utf-16":
            text = data.decode("utf-16")
            head, _, tail = text.partition("?>")
            data = (head + "?>" + prologue + tail).encode("utf-16")
        elif encoding == "latin-1 declared":
            data = declaration + b"?>" + prologue.encode("latin-1") + rest
        else:
            data = prologue.encode() + data
        set_logo(project, "mark.svg", data)
        assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' {message} {DTD}"]


@pytest.mark.parametrize(("data", "message", "hint"), [
    (('<?xml version="1.0" encoding="UTF-7"?>' + svg("")).encode("utf-7"),
     "is encoded in 'UTF-7', which tipsheets does not read", "save it again as UTF-8 SVG from a drawing program"),
    (('<?xml version="1.0" encoding="Shift_JIS"?>' + svg("")).encode("shift_jis"),
     "is encoded in 'Shift_JIS', which tipsheets does not read", "save it again as UTF-8 SVG from a drawing program"),
    (('<?xml version="1.0" encoding="no-such-thing"?>' + svg("")).encode(),
     "is declared to be in encoding 'no-such-thing', which tipsheets does not know",
     "save it again as UTF-8 SVG from a drawing program"),
    (b"\xef\xbb\xbf" + ('<?xml version="1.0" encoding="ISO-8859-1"?>' + svg("<text>\u00e9</text>")).encode(),
     "starts with a UTF-8 byte-order mark but declares encoding 'ISO-8859-1'",
     "save it again as UTF-8 SVG from a drawing program"),
    (('<?xml version="1.0" encoding="UTF-16"?>' + svg("")).encode("utf-8"),
     "declares encoding 'UTF-16' but is not in it", "save it again as UTF-8 SVG from a drawing program"),
    (("\ufeff" + svg("")).encode("utf-32-le"), "is encoded in UTF-32, which tipsheets does not read",
     "save it again as UTF-8 SVG from a drawing program"),
    (svg("<text>\u00e9</text>").encode("latin-1"), "is not valid UTF-8 text (at byte 151)",
     "save it again as UTF-8 SVG from a drawing program"),
    (svg("<rect>").encode(), "is not well-formed XML: mismatched tag at line 1",
     "save it again as UTF-8 SVG from a drawing program"),
    (svg("").replace(f' xmlns="{SVG_NS}"', "").encode(),
     "is XML but not an SVG image: its first element is <svg>, not <svg> in the SVG namespace",
     'the first element must be <svg xmlns="http://www.w3.org/2000/svg">'),
    ('<svg:svg xmlns:svg="urn:not-svg"><svg:circle r="4"/></svg:svg>'.encode(),
     "is XML but not an SVG image: its first element is <{urn:not-svg}svg>, not <svg> in the SVG namespace",
     'the first element must be <svg xmlns="http://www.w3.org/2000/svg">'),
])
def test_an_svg_that_cannot_be_read_as_it_says_is_an_error(project: Path, data: bytes, message: str,
                                                           hint: str) -> None:
    set_logo(project, "mark.svg", data)
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' {message} (hint: {hint})"]


def test_an_svg_that_copies_itself_ten_billion_times_is_an_error(project: Path) -> None:
    groups = '<g id="a0"><circle r="1"/></g>' + "".join(
        f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, 11))
    set_logo(project, "mark.svg", svg(f"<defs>{groups}</defs><use xlink:href='#a10'/>").encode())
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' draws more than 100,000 shapes once its "
                                 "<use> copies are counted (hint: simplify the drawing, or save it as PNG)"]


@pytest.mark.parametrize("body", [
    '<g id="a"><use href="#a"/></g>',
    '<g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g>',
    '<use id="u" href="#u"/>',
])
def test_an_svg_whose_use_refers_to_itself_is_an_error(project: Path, body: str) -> None:
    set_logo(project, "mark.svg", svg(body).encode())
    [line] = problems(project)
    assert line.startswith(f"{WHERE}the SVG image 'logos/mark.svg' refers to '#")
    assert line.endswith("from inside it, a loop that never ends (hint: simplify the drawing, or save it as PNG)")


def test_an_svg_nested_too_deep_is_an_error(project: Path) -> None:
    set_logo(project, "mark.svg", svg("<g>" * 300 + "</g>" * 300).encode())
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' nests elements more than 200 deep "
                                 "(hint: simplify the drawing, or save it as PNG)"]


def test_an_image_inside_an_svg_is_checked_as_an_image(project: Path) -> None:
    inner = svg(f'<image href="{OUT}"/>')
    for uri in (_data(inner), _data(inner, base64_=True), _data(inner).replace("data:", "DATA: ")):
        set_logo(project, "mark.svg", svg(f'<image href="{uri}" width="9" height="9"/>').encode())
        assert problems(project) == [
            f"{WHERE}the SVG image 'logos/mark.svg' holds an image that cannot be printed: the SVG image "
            f"'{images.shown(uri.strip(), 40)}' refers to '{OUT}', outside the image {SELF_CONTAINED}"]
    bomb = "data:image/png;base64," + base64.b64encode(png_of_size(9_000, 9_000)).decode()
    set_logo(project, "mark.svg", svg(f'<image href="{bomb}"/>').encode())
    assert problems(project) == [
        f"{WHERE}the SVG image 'logos/mark.svg' holds an image that cannot be printed: "
        f"'{images.shown(bomb, 40)}' is 9,000 x 9,000 pixels (81.0 megapixels), more than the 40 megapixels a logo "
        f"may have {SELF_CONTAINED}"]
    cut = "data:image/png;base64," + base64.b64encode(_cut(bitmap("PNG"), 12)).decode()
    set_logo(project, "mark.svg", svg(f'<rect style="fill: url({cut})"/>').encode())
    [line] = problems(project)
    assert "holds an image that cannot be printed: " in line and "is a damaged PNG image" in line


def test_the_pixels_of_the_images_inside_an_svg_add_up(project: Path) -> None:
    half = "data:image/png;base64," + base64.b64encode(png_of_size(5_000, 5_000)).decode()  # 25 megapixels
    set_logo(project, "mark.svg", svg(f'<image href="{half}"/>').encode())
    assert problems(project) == []
    set_logo(project, "mark.svg", svg(f'<image href="{half}"/><image href="{half}"/>').encode())
    [line] = problems(project)
    assert "with the images before it, more than the 40 megapixels a logo may have" in line


@pytest.mark.parametrize("charset", ["utf-16", "utf-7", "iso-2022-jp"])
def test_an_image_inside_an_svg_in_another_charset_is_an_error(project: Path, charset: str) -> None:
    uri = f"data:image/svg+xml;charset={charset}," + quote(svg(""))
    set_logo(project, "mark.svg", svg(f'<image href="{uri}"/>').encode())
    assert problems(project) == [f"{WHERE}the SVG image 'logos/mark.svg' holds an image in charset '{charset}'; only "
                                 f"UTF-8 is read {SELF_CONTAINED}"]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_clean_svg_in_any_supported_encoding_is_accepted_and_embedded_as_utf_8(project: Path,
                                                                                 encoding: str) -> None:
    body = ('<defs><linearGradient id="g"><stop offset="0" stop-color="#1D5C6B"/></linearGradient>'
            '<path id="p" d="M0 0h4"/></defs><use href="#p"/><use xlink:href="#p"/>'
            '<rect width="4" height="4" fill="url(#g)" style="stroke: url(#g)"/><text>Caf\u00e9</text>'
            '<image width="2" height="2" href="data:image/png;base64,'
            + base64.b64encode(bitmap("PNG", (4, 4))).decode() + '"/>'
            '<style>rect { fill: url("#g") }</style>')
    data = ENCODINGS[encoding](svg(body))
    set_logo(project, "mark.svg", data)
    assert problems(project) == []
    embedded = images.embeddable(data, "logos/mark.svg")
    assert embedded.mime == "image/svg+xml"
    text = embedded.data.decode("utf-8")  # what every handout embeds: UTF-8, whatever the file was in
    assert "Caf\u00e9" in text and "<svg" in text
    assert images.svg_problem(embedded.data) == ""
    if encoding.startswith("utf-8"):
        assert embedded.data == data  # a UTF-8 file is embedded exactly as it is


# --------------------------------------------------------------------------- what is embedded


def test_a_large_legal_logo_is_scaled_down_once_per_process_and_kept_by_its_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = bitmap("PNG", (6000, 1500))
    scaled = []
    real = images._scaled
    monkeypatch.setattr(images, "_scaled", lambda *a: scaled.append(1) or real(*a))
    first = images.embeddable(data, "big.png")
    assert (first.width, first.height) == (2400, 600)
    assert images.embeddable(data, "big.png") is first
    assert len(scaled) == 1
    changed = bitmap("PNG", (6000, 1200))  # the same name, other bytes: prepared anew
    assert (images.embeddable(changed, "big.png").width, images.embeddable(changed, "big.png").height) == (2400, 480)
    assert len(scaled) == 2


def test_a_small_file_with_a_bulky_tail_is_written_again_without_it() -> None:
    data = bitmap("PNG", (300, 120)) + b"\x00" * 3_000_000  # bytes after the end, as a sparse file has
    embedded = images.embeddable(data, "tail.png")
    assert len(embedded.data) < 200_000 and (embedded.width, embedded.height) == (300, 120)


def test_a_rotated_jpeg_is_turned_upright_when_it_is_scaled() -> None:
    image = Image.new("RGB", (3000, 1000), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # the camera was turned: show it rotated by 90 degrees
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    embedded = images.embeddable(out.getvalue(), "turned.jpg")
    assert embedded.mime == "image/jpeg" and (embedded.width, embedded.height) == (800, 2400)


def _build(project: Path, **options: object):  # noqa: ANN202
    import datetime as dt

    return build(Options(project=project, out_dir=project / "output", as_of=dt.date(2024, 6, 1), jobs=1,
                         **options))


def test_a_large_legal_logo_prints_scaled_and_the_web_page_stays_small(project: Path) -> None:
    data = logo_like((7000, 2000))  # 14 megapixels: legal, and far more than a page needs
    set_logo(project, "big.png", data)
    assert problems(project) == []
    result = _build(project, formats=("pdf", "html"))
    assert [o.status for o in result.outcomes] == ["built", "built"]
    with pikepdf.open(project / "output/tipsheets/one.pdf") as pdf:
        sizes = [(int(x.Width), int(x.Height)) for page in pdf.pages for x in _images(page)]
    assert (2400, 686) in sizes
    html = (project / "output/tipsheets/one.html").read_bytes()
    embedded = images.embeddable(data, "big.png")
    assert (embedded.width, embedded.height) == (2400, 686)
    assert b'src="data:image/png;base64,' + base64.b64encode(embedded.data) + b'"' in html
    assert base64.b64encode(data) not in html
    assert len(html) < 150_000


def test_a_mislabelled_jpeg_is_embedded_as_a_jpeg(project: Path) -> None:
    set_logo(project, "mark.png", bitmap("JPEG", (400, 160)))
    result = _build(project, formats=("pdf", "html"))
    assert [o.status for o in result.outcomes] == ["built", "built"]
    assert b'src="data:image/jpeg;base64,' in (project / "output/tipsheets/one.html").read_bytes()
    with pikepdf.open(project / "output/tipsheets/one.pdf") as pdf:
        filters = [str(x.Filter) for page in pdf.pages for x in _images(page)]
    assert filters == ["/DCTDecode"]  # printed as the JPEG it is, not the alt text


def test_a_utf_16_svg_logo_is_drawn_in_the_pdf(project: Path) -> None:
    marker = "#7a11ed"
    data = ENCODINGS["utf-16"](svg(f'<rect width="40" height="20" fill="{marker}"/>'))
    set_logo(project, "mark.svg", data)
    result = _build(project, formats=("pdf", "html"))
    assert [o.status for o in result.outcomes] == ["built", "built"]
    html = (project / "output/tipsheets/one.html").read_text()
    uri = html.split('class="logo" src="', 1)[1].split('"', 1)[0]
    assert marker in base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    png = _first_page_picture(project / "output/tipsheets/one.pdf")
    assert any(abs(r - 0x7A) < 8 and g < 0x20 and abs(b - 0xED) < 8 for _, (r, g, b) in png.getcolors(1 << 20))


def _images(page: pikepdf.Page) -> list:
    return list((page.get_images() if hasattr(page, "get_images") else page.images).values())


def _first_page_picture(pdf: Path) -> Image.Image:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    return Image.open(pdf.with_suffix(".png")).convert("RGB")


# --------------------------------------------------------------------------- changed between validate and render


def _after_check(project: Path, change: str) -> subprocess.CompletedProcess[str]:
    """``tipsheets build`` in a fresh interpreter, with the logo of brand 'other' changed right after the check."""
    src = Path(__file__).resolve().parents[2] / "src"
    code = f"""
import sys, pathlib
sys.path.insert(0, {str(src)!r})
import tipsheets.build.steps as b
real = b.check_project
def check_then_change(*args, **kwargs):
    problems = real(*args, **kwargs)
    logo = pathlib.Path({str(project / "content/brands/logos/other.png")!r})
    {change}
    return problems
b.check_project = check_then_change
from tipsheets.cli import main
main()
"""
    return subprocess.run([sys.executable, "-c", code, "build", "-j", "1", "--as-of", "2024-06-01"],
                          cwd=project, capture_output=True, text=True, timeout=300)


@pytest.fixture
def two_brands(tmp_path: Path) -> Path:
    other_sheet = sheet(title="Other").replace("audience: parents", "audience: parents\nbrands: [other]")
    root = make_project(tmp_path / "project", {"one": sheet(), "two": other_sheet})
    (root / "content/brands/other.yaml").write_text(BRAND_YAML.replace("logos/default.svg", "logos/other.png"))
    (root / "content/brands/logos/other.png").write_bytes(bitmap("PNG"))
    return root


OTHER = "content/brands/other.yaml:9:13: logo.images.mark.path: "


@pytest.mark.parametrize(("change", "error"), [
    ("logo.unlink()", "image file 'logos/other.png' cannot be read: No such file or directory "
                      "(hint: it was there when the content was checked; build again)"),
    ("logo.write_bytes(logo.read_bytes()[:-20])",
     f"'logos/other.png' is a damaged PNG image: it cannot be decoded to the end (cut short or corrupted) {REMAKE}"),
    (f"logo.write_bytes({_cut(bitmap('JPEG'), 1)!r})",  # decoded after WeasyPrint made Pillow lenient
     f"'logos/other.png' is a damaged JPEG image: it cannot be decoded to the end (cut short or corrupted) {REMAKE}"),
    ("logo.write_bytes(b'<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"http://127.0.0.1:9/x\"/></svg>')",
     f"the SVG image 'logos/other.png' refers to 'http://127.0.0.1:9/x', outside the image {SELF_CONTAINED}"),
    ("logo.unlink(); logo.symlink_to('/etc/hostname')",
     "'logos/other.png' points outside the project (hint: keep images inside the project)"),
    ("logo.unlink(); logo.mkdir()",
     "image file 'logos/other.png' cannot be read: Is a directory (hint: it was there when the content was "
     "checked; build again)"),
])
def test_a_logo_that_changes_after_the_check_fails_only_its_own_handouts(two_brands: Path, change: str,
                                                                         error: str) -> None:
    done = _after_check(two_brands, change)
    assert done.returncode == 2, done.stderr
    assert f"{OTHER}{error}" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert (two_brands / "output/tipsheets/one.pdf").is_file()  # the other brand's handout is built
    assert not (two_brands / "output/tipsheets/two.pdf").exists()


def test_a_logo_that_is_a_named_pipe_fails_its_handouts_without_hanging_the_build(project: Path) -> None:
    import os

    os.mkfifo(project / "content/brands/logos/pipe.png")
    set_logo(project, "pipe.png")
    result = _build(project, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    assert f"{WHERE}image file 'logos/pipe.png' does not exist" in [p.format() for p in result.problems]

