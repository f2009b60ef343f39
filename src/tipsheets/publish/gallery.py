"""The gallery: ``output/index.html``, one page that shows every handout (publish stage).

Each handout gets a thumbnail of its first page, rendered from its PDF with
pdfium (no external program) by the worker that printed it, written to
``output/thumbs/<stem>.png`` as one of the handout's files (so the manifest
records it, a rebuild redraws it only with its PDF, and ``clean`` removes it).
The page shows each thumbnail inlined as a ``data:`` URI, since its security
policy (:mod:`tipsheets.render.fence`) lets it load nothing else. It groups
handouts by kind, office and locale, links each to its PDF and HTML by relative
paths (so it works opened from disk), and shows the wording check's findings
for the files each handout reads.

Same inputs, same bytes: the page and the PNGs carry no timestamps.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipsheets.core.target import Target
from tipsheets.publish.output import OutputError, inside, write_atomic

INDEX = "index.html"
THUMBS = "thumbs"
#: thumbnail width on the page, in CSS pixels (a Letter page shows 220 × 285)
THUMB_WIDTH = 220
#: pixels per CSS pixel in the PNG, so thumbnails stay sharp on high-density screens
THUMB_DENSITY = 2



@dataclass
class Item:
    target: Target
    title: str
    pdf: str | None
    html: str | None
    print_pdf: str | None
    thumb: str | None
    thumb_size: tuple[int, int] | None
    lint: str
    lint_level: str  # "ok" | "warning" | "error" | "unknown"


@dataclass
class Group:
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    kind: str
    heading: str
    groups: list[Group] = field(default_factory=list)
    count: int = 0


# --------------------------------------------------------------------------- thumbnails


def render_thumbnail(pdf: bytes, width: int = THUMB_WIDTH * THUMB_DENSITY) -> tuple[bytes, tuple[int, int]]:
    """PNG bytes of the first page of ``pdf``, ``width`` pixels wide, and its size in pixels."""
    import pypdfium2 as pdfium  # imported when first needed: slow to import, and not every command needs it

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width / page.get_width()
        bitmap = page.render(scale=scale, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)  # 9 took five times as long for 1% less
    return out.getvalue(), image.size


def thumbnail_name(stem: str) -> str:
    """Where a handout's thumbnail goes, relative to the output folder."""
    return f"{THUMBS}/{stem}.png"


def png_size(png: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None when it is not a PNG."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# --------------------------------------------------------------------------- wording-check status


def lint_status(findings: list[Any] | None, targets: list[Target]) -> dict[str, tuple[str, str]] | None:
    """stem → (text, level) from the wording findings in the files each target reads; None if not checked."""
    if findings is None:
        return None
    by_file: dict[str, list[Any]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    out = {}
    for target in targets:
        found = [f for file in target.inputs for f in by_file.get(file, [])]
        errors = sum(1 for f in found if f.level == "error")
        warnings = sum(1 for f in found if f.level == "warning")
        if errors:
            out[target.stem] = (f"Wording: {_n(errors, 'error')}, {_n(warnings, 'warning')}", "error")
        elif warnings:
            out[target.stem] = (f"Wording: {_n(warnings, 'warning')}", "warning")
        else:
            out[target.stem] = ("Wording: no problems", "ok")
    return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- the page


def locale_name(locale: str) -> str:
    from babel import Locale  # imported when first needed: slow to import, and not every command needs it

    try:
        return Locale.parse(locale.replace("-", "_")).get_display_name("en") or locale
    except (ValueError, TypeError):
        return locale


def sections(targets: list[Target], out_dir: Path, thumbs: dict[str, str],
             lint: dict[str, tuple[str, str]] | None, headings: dict[str, str],
             office_names: dict[str, str]) -> list[Section]:
    """Every handout that is in the output folder, grouped by kind (in the order of ``headings``),
    then office and locale. ``thumbs``: stem → its thumbnail's name in the output folder."""
    order = list(headings)
    by_kind: dict[str, dict[tuple[str, str, str], Group]] = {}
    for target in sorted(targets, key=lambda t: (t.kind, t.stem)):
        pdf = target.output("pdf") if (out_dir / target.output("pdf")).is_file() else None
        html = target.output("html") if (out_dir / target.output("html")).is_file() else None
        if not pdf and not html:
            continue
        office_name = office_names.get(target.office, target.office) if target.office else ""
        heading = " · ".join(part for part in (office_name, locale_name(target.locale)) if part)
        key = (office_name.lower(), "" if target.locale == "en" else target.locale, heading)
        group = by_kind.setdefault(target.kind, {}).setdefault(key, Group(heading))
        text, level = lint.get(target.stem, ("Wording: not checked", "unknown")) if lint is not None \
            else ("Wording: not checked", "unknown")
        print_pdf = f"print/{target.output('pdf')}"
        png = _read(out_dir, thumbs[target.stem]) if target.stem in thumbs else None
        size = png_size(png) if png else None
        group.items.append(Item(
            target=target, title=target.title or target.id, pdf=pdf, html=html,
            print_pdf=print_pdf if (out_dir / print_pdf).is_file() else None,
            thumb=f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}" if png and size else None,
            thumb_size=_css_size(size), lint=text, lint_level=level,
        ))
    out = []
    for kind in sorted(by_kind, key=lambda k: (order.index(k) if k in order else len(order), k)):
        groups = [by_kind[kind][key] for key in sorted(by_kind[kind])]
        heading = headings.get(kind, kind.replace("-", " ").capitalize() + "s")
        out.append(Section(kind, heading, groups, sum(len(g.items) for g in groups)))
    return out


def _read(out_dir: Path, name: str) -> bytes | None:
    try:
        return inside(out_dir, name).read_bytes()
    except (OSError, OutputError):
        return None


def _css_size(size: tuple[int, int] | None) -> tuple[int, int] | None:
    if size is None:
        return None
    return round(size[0] / THUMB_DENSITY), round(size[1] / THUMB_DENSITY)


def page_context(title: str, page_sections: list[Section], as_of: Any = None) -> dict[str, Any]:
    """What ``gallery/page.html.j2`` receives."""
    return {"title": title, "sections": page_sections, "as_of": as_of,
            "total": sum(s.count for s in page_sections), "lang": "en"}


def write_index(out_dir: Path, data: bytes, *, tag: str = "") -> Path:
    """Write ``out_dir/index.html`` when it changed."""
    path = inside(out_dir, INDEX)
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data, tag=tag)
    return path
