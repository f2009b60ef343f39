"""The gallery: ``output/index.html``, one page that shows every handout (publish stage).

Each handout gets a thumbnail of its first page, rendered from its PDF with
pdfium (no external program), kept in ``output/thumbs/<stem>.png`` and shown
inlined as a ``data:`` URI, since the page's security policy
(:mod:`tipsheets.render.fence`) lets it load nothing else. A
thumbnail is rendered again only when its PDF changed: the SHA-256 of each PDF
is kept in ``output/thumbs/cache.json``. The page groups handouts by kind,
office and locale, links each to its PDF and HTML by relative paths (so it
works opened from disk), and shows the wording check's findings for the files
each handout reads, where the wording check is installed.

Same inputs, same bytes: the page, the cache and the PNGs carry no timestamps.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from tipsheets.core.target import Target
from tipsheets.publish.output import OutputError, inside, sha256, write_atomic

INDEX = "index.html"
THUMBS = "thumbs"
CACHE = "cache.json"
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
    #: the content checks' warnings in the files it reads ("Content: 2 warnings"), or "" when there are none
    content: str = ""


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
    import pypdfium2 as pdfium

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


def _load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def update_thumbnails(out_dir: Path, stems: Iterable[str],
                      known: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """Make sure ``thumbs/<stem>.png`` matches ``<stem>.pdf`` for each stem; return each thumbnail's size.

    Only PDFs whose hash differs from the cache are rendered again. ``known``
    maps output files to their sha256 as the build's manifest records them, so
    an unchanged PDF is not even read. Thumbnails of handouts that are no
    longer in the output folder are removed.
    """
    thumbs = out_dir / THUMBS
    cache_path = thumbs / CACHE
    old = _load_cache(cache_path)
    new: dict[str, Any] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for stem in sorted(set(stems)):
        pdf_path = inside(out_dir, f"{stem}.pdf")
        png_path = inside(out_dir, f"{THUMBS}/{stem}.png")
        if not pdf_path.is_file():
            continue
        digest = (known or {}).get(f"{stem}.pdf")
        data = None
        if digest is None:
            data = pdf_path.read_bytes()
            digest = sha256(data)
        cached = old.get(stem)
        if isinstance(cached, dict) and cached.get("pdf") == digest and png_path.is_file() \
                and isinstance(cached.get("size"), list):
            new[stem] = cached
        else:
            data = data if data is not None else pdf_path.read_bytes()
            try:
                png, size = render_thumbnail(data)
            except Exception:  # noqa: BLE001 - a PDF pdfium cannot read gets no picture, not a failed build
                continue
            write_atomic(png_path, png)
            new[stem] = {"pdf": digest, "size": list(size)}
        sizes[stem] = tuple(new[stem]["size"])  # type: ignore[assignment]
    for stem in old:
        if stem not in new:
            try:
                inside(out_dir, f"{THUMBS}/{stem}.png").unlink(missing_ok=True)
            except (OutputError, OSError):
                pass
    if new != old or not cache_path.exists():
        write_atomic(cache_path, (json.dumps(new, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return sizes


def written_files(out_dir: Path) -> list[str]:
    """The gallery's own files in ``out_dir`` (relative paths), for ``tipsheets clean``."""
    names = [INDEX, f"{THUMBS}/{CACHE}"]
    names += [f"{THUMBS}/{stem}.png" for stem in sorted(_load_cache(out_dir / THUMBS / CACHE))]
    return names


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


# --------------------------------------------------------------------------- the page


def locale_name(locale: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(locale.replace("-", "_")).get_display_name("en") or locale
    except (ValueError, TypeError):
        return locale


def sections(targets: list[Target], out_dir: Path, sizes: dict[str, tuple[int, int]],
             lint: dict[str, tuple[str, str]] | None, headings: dict[str, str],
             office_names: dict[str, str], content: dict[str, str] | None = None) -> list[Section]:
    """Every handout that is in the output folder, grouped by kind (in the order of ``headings``),
    then office and locale."""
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
        group.items.append(Item(
            target=target, title=target.title or target.id, pdf=pdf, html=html,
            print_pdf=print_pdf if (out_dir / print_pdf).is_file() else None,
            thumb=thumbnail_uri(out_dir, target.stem) if target.stem in sizes else None,
            thumb_size=_css_size(sizes.get(target.stem)), lint=text, lint_level=level,
            content=(content or {}).get(target.stem, ""),
        ))
    out = []
    for kind in sorted(by_kind, key=lambda k: (order.index(k) if k in order else len(order), k)):
        groups = [by_kind[kind][key] for key in sorted(by_kind[kind])]
        heading = headings.get(kind, kind.replace("-", " ").capitalize() + "s")
        out.append(Section(kind, heading, groups, sum(len(g.items) for g in groups)))
    return out


def thumbnail_uri(out_dir: Path, stem: str) -> str:
    """The thumbnail of ``stem`` as a ``data:`` URI: the page's security policy lets it load nothing else."""
    png = inside(out_dir, f"{THUMBS}/{stem}.png").read_bytes()
    return f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}"


def _css_size(size: tuple[int, int] | None) -> tuple[int, int] | None:
    if size is None:
        return None
    return round(size[0] / THUMB_DENSITY), round(size[1] / THUMB_DENSITY)


def page_context(title: str, page_sections: list[Section], as_of: Any = None) -> dict[str, Any]:
    """What ``gallery/page.html.j2`` receives."""
    return {"title": title, "sections": page_sections, "as_of": as_of,
            "total": sum(s.count for s in page_sections), "lang": "en"}


def write_index(out_dir: Path, html: str) -> Path:
    """Write ``out_dir/index.html`` when it changed."""
    path = inside(out_dir, INDEX)
    data = html.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)
    return path
