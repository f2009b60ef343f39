"""The gallery: ``output/index.html`` and, for a large project, a page per kind and place (publish stage).

Each handout gets a thumbnail of its first page, rendered from its PDF with
pdfium (no external program) by the worker that printed it, written to
``output/thumbs/<stem>.webp`` as one of the handout's files (so the manifest
records it, a rebuild redraws it only with its PDF, and ``clean`` removes it).
The pages show each thumbnail inlined as a ``data:`` URI, since their security
policy (:mod:`tipsheets.render.fence`) lets them load nothing else. WebP at
twice the displayed width: a third of the bytes of PNG for the same picture
(31 against 91 KB on average for the shipped handouts; JPEG 43 KB).

A gallery of up to :data:`PAGE_LIMIT` handouts is one page, ``index.html``,
grouped by kind, office and locale. A larger one would be hundreds of
megabytes as one page, so ``index.html`` becomes a directory of the kinds, each
with a link per place (the state an office or program serves; tip sheets and
editions have none), and each place gets its own page under ``gallery/``,
split so that no page holds more than :data:`PAGE_LIMIT` thumbnails. Every link
is relative, so the pages work opened from disk.

A page is written again only when what it shows changed: each page's digest
(its handouts, their thumbnails' sha256 from the manifest, titles, links,
wording status, the theme and the tool) is kept in the manifest, and a page
whose digest and file are unchanged is not rendered, nor are its thumbnails
read. A page that is no longer made is removed, while it is as tipsheets wrote
it. Same inputs, same bytes: the pages and thumbnails carry no timestamps.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from tipsheets.core.target import Target
from tipsheets.publish.manifest import GALLERY_INDEX, FileRecord, Manifest, OnDisk, record_of
from tipsheets.publish.output import OutputError, inside, remove_output, write_atomic
from tipsheets.render.fence import PageRefused

INDEX = GALLERY_INDEX
THUMBS = "thumbs"
#: the folder of the gallery's own pages, when it has more than one
PAGES = "gallery"
#: thumbnail width on the page, in CSS pixels (a Letter page shows 220 × 285)
THUMB_WIDTH = 220
#: pixels per CSS pixel in the picture, so thumbnails stay sharp on high-density screens
THUMB_DENSITY = 2
#: WebP quality of the thumbnails: text stays legible at the displayed size
THUMB_QUALITY = 80
#: the most thumbnails one page of the gallery shows (about 40 KB each, inlined)
PAGE_LIMIT = 48


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
    #: the content checks' warnings in the files it reads ("Content: 2 warnings"), or "" when there are none
    content: str = ""
    #: the thumbnail's file in the output folder and its sha256 (read only when the page is written)
    thumb_file: str | None = None
    thumb_sha256: str = ""


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


@dataclass
class Link:
    """A link from the directory to one page of the gallery."""

    href: str
    label: str
    count: int


@dataclass
class Shelf:
    """One kind of handout in the directory: its pages."""

    kind: str
    heading: str
    count: int
    links: list[Link] = field(default_factory=list)


@dataclass
class Page:
    """One page of the gallery: its file, what it shows, and its place among the others."""

    name: str
    sections: list[Section]
    #: what the page holds, for its heading ("" for the index)
    label: str = ""
    #: the directory of the other pages (the index of a large gallery only)
    directory: list[Shelf] = field(default_factory=list)


# --------------------------------------------------------------------------- thumbnails


def render_thumbnail(pdf: bytes, width: int = THUMB_WIDTH * THUMB_DENSITY) -> tuple[bytes, tuple[int, int]]:
    """WebP bytes of the first page of ``pdf``, ``width`` pixels wide, and its size in pixels."""
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
    image.save(out, format="WEBP", quality=THUMB_QUALITY, method=4)
    return out.getvalue(), image.size


def thumbnail_name(stem: str) -> str:
    """Where a handout's thumbnail goes, relative to the output folder."""
    return f"{THUMBS}/{stem}.webp"


def image_size(data: bytes) -> tuple[tuple[int, int], str] | None:
    """Width and height, and the media type, from a WebP or PNG header; None for anything else."""
    if len(data) >= 24 and data[:8] == b"\x89PNG\r\n\x1a\n":
        return (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")), "image/png"
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy: 14-bit sizes after the start code
        size = (int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF)
    elif chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14-bit sizes less one, packed
        bits = int.from_bytes(data[21:25], "little")
        size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    elif chunk == b"VP8X":  # extended: 24-bit sizes less one
        size = (int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    else:
        return None
    return size, "image/webp"


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


def content_status(problems: list[Any], targets: list[Target]) -> dict[str, str]:
    """stem → "Content: N warnings (first message)" for each target whose files have content warnings,
    such as placeholder text or a fictional phone number; a target with none is left out."""
    by_file: dict[str, list[Any]] = {}
    for problem in problems:
        if problem.level == "warning":
            by_file.setdefault(problem.file, []).append(problem)
    out = {}
    for target in targets:
        found = [p for file in dict.fromkeys(target.inputs) for p in by_file.get(file, [])]
        if found:
            first = found[0].error
            out[target.stem] = (f"Content: {_n(len(found), 'warning')}, such as {first.file}:{first.line}: "
                                f"{first.message}")
    return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- what the pages show


def locale_name(locale: str) -> str:
    from babel import Locale  # imported when first needed: slow to import, and not every command needs it

    try:
        return Locale.parse(locale.replace("-", "_")).get_display_name("en") or locale
    except (ValueError, TypeError):
        return locale


#: one kind's section (all its groups), and its places, each with its own groups
Kind = tuple[Section, list[tuple[str, list[Group]]]]


def sections(targets: list[Target], manifest: Manifest, lint: dict[str, tuple[str, str]] | None,
             headings: dict[str, str], office_names: dict[str, str],
             places: dict[str, str] | None = None, content: dict[str, str] | None = None) -> list[Kind]:
    """Every handout the output folder holds (as the manifest lists it), grouped by kind (in the order of
    ``headings``), then office and locale; and the same again by place (``places``: stem → the name of the
    place it serves, "" for none) for the pages of a large gallery. ``content``: stem → the content checks'
    warnings in the files it reads, as a line."""
    order = list(headings)
    places = places or {}
    flat: dict[str, dict[tuple[str, str, str], Group]] = {}
    placed: dict[str, dict[str, dict[tuple[str, str, str], Group]]] = {}
    for target in sorted(targets, key=lambda t: (t.kind, t.stem)):
        written = manifest.targets.get(target.stem)
        files = written.files if written is not None else {}
        pdf = target.output("pdf") if target.output("pdf") in files else None
        html = target.output("html") if target.output("html") in files else None
        if not pdf and not html:
            continue
        office_name = office_names.get(target.office, target.office) if target.office else ""
        heading = " · ".join(part for part in (office_name, locale_name(target.locale)) if part)
        key = (office_name.lower(), "" if target.locale == "en" else target.locale, heading)
        text, level = lint.get(target.stem, ("Wording: not checked", "unknown")) if lint is not None \
            else ("Wording: not checked", "unknown")
        print_pdf = f"print/{target.output('pdf')}"
        thumb = thumbnail_name(target.stem)
        item = Item(target=target, title=target.title or target.id, pdf=pdf, html=html,
                    print_pdf=print_pdf if print_pdf in files else None, thumb=None, thumb_size=None,
                    lint=text, lint_level=level, thumb_file=thumb if thumb in files else None,
                    thumb_sha256=files[thumb].sha256 if thumb in files else "",
                    content=(content or {}).get(target.stem, ""))
        flat.setdefault(target.kind, {}).setdefault(key, Group(heading)).items.append(item)
        place = placed.setdefault(target.kind, {}).setdefault(places.get(target.stem, ""), {})
        place.setdefault(key, Group(heading)).items.append(item)
    out = []
    for kind in sorted(flat, key=lambda k: (order.index(k) if k in order else len(order), k)):
        groups = [flat[kind][key] for key in sorted(flat[kind])]
        heading = headings.get(kind, kind.replace("-", " ").capitalize() + "s")
        by_place = [(name, [placed[kind][name][key] for key in sorted(placed[kind][name])])
                    for name in sorted(placed[kind])]
        out.append((Section(kind, heading, groups, sum(len(g.items) for g in groups)), by_place))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "all"


def pages(kinds: list[Kind], limit: int | None = None) -> list[Page]:
    """The pages of the gallery: one when it holds at most ``limit`` handouts (:data:`PAGE_LIMIT`); else the
    index (a directory) and a page per kind and place, each split into pages of at most ``limit`` handouts."""
    limit = limit or PAGE_LIMIT
    total = sum(section.count for section, _ in kinds)
    if total <= limit:
        return [Page(INDEX, [section for section, _ in kinds])]
    index = Page(INDEX, [])
    out = [index]
    for section, places in kinds:
        shelf = Shelf(section.kind, section.heading, section.count)
        index.directory.append(shelf)
        for place, groups in places:
            chunks = _chunks(groups, limit)
            for number, chunk in enumerate(chunks, start=1):
                slug = _slug(place) if place else "all"
                name = f"{PAGES}/{_slug(section.kind)}/{slug}{'' if len(chunks) == 1 else f'-{number}'}.html"
                label = place or section.heading
                if len(chunks) > 1:
                    label += f" ({number} of {len(chunks)})"
                count = sum(len(g.items) for g in chunk)
                shelf.links.append(Link(name, label, count))
                out.append(Page(name, [Section(section.kind, section.heading, chunk, count)],
                                label=f"{section.heading}: {label}"))
    return out


def _chunks(groups: list[Group], limit: int) -> list[list[Group]]:
    """``groups`` cut into pages of at most ``limit`` items: a group that fits on a page is not split."""
    chunks: list[list[Group]] = []
    room = 0
    for group in groups:
        if len(group.items) > room and len(group.items) <= limit:
            chunks.append([])
            room = limit
        items = group.items
        while items:
            if room == 0:
                chunks.append([])
                room = limit
            part, items = items[:room], items[room:]
            chunks[-1].append(Group(group.heading, part))
            room -= len(part)
    return chunks


# --------------------------------------------------------------------------- writing the pages


def _relative(page: str, href: str | None) -> str | None:
    """``href`` (relative to the output folder) as seen from ``page``."""
    if href is None:
        return None
    return "../" * page.count("/") + href


def _on_page(page: Page, directory: list[Shelf]) -> Page:
    """``page`` with every link made relative to where the page is."""
    def item(it: Item) -> Item:
        return replace(it, pdf=_relative(page.name, it.pdf), html=_relative(page.name, it.html),
                       print_pdf=_relative(page.name, it.print_pdf))

    sections_here = [replace(s, groups=[Group(g.heading, [item(i) for i in g.items]) for g in s.groups])
                     for s in page.sections]
    shelves = [replace(shelf, links=[replace(link, href=_relative(page.name, link.href) or "") for link in shelf.links])
               for shelf in directory]
    return replace(page, sections=sections_here, directory=shelves)


def page_digest(page: Page, title: str, as_of: Any, total: int, shared: str) -> str:
    """What a page shows, as a digest: a page whose digest did not change is not written again."""
    shown = {
        "name": page.name, "label": page.label, "title": title, "as_of": str(as_of), "total": total,
        "directory": [[s.kind, s.heading, s.count, [[link.href, link.label, link.count] for link in s.links]]
                      for s in page.directory],
        "sections": [[s.kind, s.heading, s.count, [[g.heading, [
            [i.target.stem, i.title, i.pdf, i.html, i.print_pdf, i.thumb_sha256, i.lint, i.lint_level, i.content]
            for i in g.items]] for g in s.groups]] for s in page.sections],
    }
    return hashlib.sha256(f"{shared}\0".encode() + json.dumps(shown, sort_keys=True).encode()).hexdigest()


def _with_thumbnails(page: Page, out_dir: Path) -> Page:
    """``page`` with each thumbnail read and inlined as a ``data:`` URI."""
    def item(it: Item) -> Item:
        data = _read(out_dir, it.thumb_file) if it.thumb_file else None
        found = image_size(data) if data else None
        if data is None or found is None:
            return it
        size, media = found
        return replace(it, thumb=f"data:{media};base64,{base64.b64encode(data).decode('ascii')}",
                       thumb_size=_css_size(size))

    return replace(page, sections=[replace(s, groups=[Group(g.heading, [item(i) for i in g.items]) for g in s.groups])
                                   for s in page.sections])


def _read(out_dir: Path, name: str) -> bytes | None:
    try:
        return inside(out_dir, name).read_bytes()
    except (OSError, OutputError):
        return None


def _css_size(size: tuple[int, int] | None) -> tuple[int, int] | None:
    if size is None:
        return None
    return round(size[0] / THUMB_DENSITY), round(size[1] / THUMB_DENSITY)


def page_context(title: str, page_sections: list[Section], as_of: Any = None, *, page: Page | None = None,
                 total: int | None = None) -> dict[str, Any]:
    """What ``gallery/page.html.j2`` receives.

    ``sections``: the handouts the page shows; ``directory``: on the index of a
    large gallery, each kind with a link per page; ``home``: the link back to
    the index ("" on the index); ``label``: what the page holds.
    """
    count = sum(s.count for s in page_sections)
    return {"title": title, "sections": page_sections, "as_of": as_of,
            "total": count if total is None else total, "lang": "en",
            "directory": page.directory if page is not None else [],
            "home": _relative(page.name, INDEX) if page is not None and page.name != INDEX else "",
            "label": page.label if page is not None else "", "shown": count}


def publish(out_dir: Path, render: Callable[[dict[str, Any]], bytes], title: str, as_of: Any,
            kinds: list[Kind], manifest: Manifest, shared: str, *,
            tag: str = "", limit: int | None = None) -> Path:
    """Write the gallery's pages that changed, remove those no longer made, and record them in ``manifest``.

    ``render`` turns a page's context into the bytes to publish (the template,
    then the fence); it raises :class:`PageRefused` (its ``page`` set to the
    page's name) for a page that may not be published, which is then not
    written. The index comes first, so a template refused everywhere writes nothing.
    """
    made = pages(kinds, limit)
    total = sum(section.count for section, _ in kinds)
    directory = made[0].directory
    disk = OnDisk(out_dir)
    kept: dict[str, FileRecord] = {}
    try:
        for page in made:
            here = _on_page(page, directory if page.name == INDEX else [])
            digest = page_digest(here, title, as_of, total, shared)
            old = manifest.gallery.get(page.name)
            if old is not None and old.digest == digest and disk.intact(page.name, old):
                kept[page.name] = old
                continue
            try:
                data = render(page_context(title, _with_thumbnails(here, out_dir).sections, as_of, page=here,
                                           total=total))
            except PageRefused as exc:
                exc.page = page.name
                raise
            path = inside(out_dir, page.name)
            if not path.is_file() or path.read_bytes() != data:
                write_atomic(path, data, tag=tag)
            kept[page.name] = replace(record_of(path, data), digest=digest)
    finally:
        for name, old in manifest.gallery.items():  # pages no longer made go; those not reached stay listed
            if name in kept or name in {p.name for p in made}:
                continue
            if disk.intact(name, old):
                try:
                    remove_output(out_dir, name)
                except OutputError:
                    kept[name] = old
        for page in made:
            if page.name not in kept and page.name in manifest.gallery:
                kept[page.name] = manifest.gallery[page.name]
        manifest.gallery = dict(sorted(kept.items()))
    return out_dir / INDEX
