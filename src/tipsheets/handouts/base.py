"""The small protocol every kind of handout implements, and what the kinds share.

A kind of handout is one :class:`Kind` value: its name, its output folder, its
page template, its page rules, whose wording rules it answers to, its gallery
heading, and two functions: the targets it makes from the catalog, and the data
its template receives for one target in one layout. :data:`tipsheets.handouts.KINDS`
lists them all; nothing else in the program names a kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from tipsheets.core.brandfile import brand_paths, logo_file
from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.models import Office
from tipsheets.core.target import Layout, Target
from tipsheets.core.theme import theme_dirs

#: the data a page template receives (models and views; the renderer makes it inert)
Context = dict[str, Any]


@dataclass(frozen=True)
class Fallback:
    """A layout to try when the one before it runs past the page, and the note that says it was used.

    ``note`` may name ``{stem}``, the handout's output name.
    """

    layout: Layout
    note: str


@dataclass(frozen=True)
class PageRules:
    """How a kind's pages are laid out."""

    #: the handout must fit on one page; the fallbacks are tried in turn until one does
    one_page: bool = False
    #: the handout must fit on this many pages (a brochure's two sides), as ``one_page`` does on one
    pages: int = 0
    fallbacks: tuple[Fallback, ...] = ()
    #: a handout of several pages ending on a nearly empty page may be set tighter
    tighten: bool = False
    #: when no fallback fits, print only as many of its listed items (a desk aid's programs) as fit, in their
    #: order, with this note (it may name ``{stem}``, ``{shown}`` and ``{total}``); "": never leave one out
    cut_note: str = ""

    @property
    def limit(self) -> int:
        """How many pages the handout must fit on (0: as many as it takes)."""
        return 1 if self.one_page else self.pages


@dataclass(frozen=True)
class Kind:
    """One kind of handout."""

    name: str
    #: the folder under output/ its files go to
    folder: str
    #: its page template (a project's templates/ folder may override it by the same name)
    template: str
    #: the heading of its part of the gallery
    heading: str
    #: whose wording rules its template's own words answer to ("all" when documents say)
    audience: str
    #: every target of this kind in the catalog
    targets: Callable[[Catalog, dt.date], list[Target]]
    #: the data its template receives for one target, in one layout
    context: Callable[[Target, Catalog, dt.date, Layout], Context]
    page: PageRules = field(default_factory=PageRules)
    #: its output depends on the build date ("upcoming" sessions, "as of")
    dated: bool = True
    #: about how long one takes to render, relative to a flyer; the pool starts the longest first
    cost: int = 1
    #: the command-line selections that pick its targets by id: "office" and/or "program"
    selected_by: frozenset[str] = frozenset()
    #: files written beside the handout's PDF and HTML (relative path → bytes), such as a calendar
    attachments: Callable[[Target, Catalog, dt.date], dict[str, bytes]] | None = None


def stem(folder: str, id: str, locale: str) -> str:
    """``tipsheets/win-win`` for English, ``tipsheets/win-win.es`` for another language."""
    return f"{folder}/{id}" if locale == "en" else f"{folder}/{id}.{locale}"


def brand_files(catalog: Catalog, ids: Sequence[str]) -> list[str]:
    """Each brand's file, followed by the logo image and the font files it prints (all as shown).

    A file is named from the brand file's real folder, as it is read (a linked
    ``_brand.yml`` names its images from where it really is). Worked out once
    per brand and catalog: every handout of a national project asks again.
    """
    return [file for brand_id in ids
            for file in catalog.derived(("brand files", brand_id), partial(_one_brand_files, catalog, brand_id))]


def _one_brand_files(catalog: Catalog, brand_id: str) -> list[str]:
    entry = catalog.get("brands", brand_id)
    if entry is None:
        return [brand_paths(brand_id)[0]]
    root = catalog.root.resolve()
    files = [entry.path]
    brand = entry.item
    named = ([brand.logo.path] if brand.logo is not None else []) + [
        f.path for font in brand.typography.fonts for f in font.files if not f.remote]
    for path in named:
        try:
            file = logo_file(root / entry.path, path)
        except (OSError, RuntimeError):
            continue
        if file.is_relative_to(root):  # outside the project: the checks report it
            files.append(file.relative_to(root).as_posix())
    return files


def published_address(catalog: Catalog, name: str) -> str | None:
    """The web address of ``name`` (a file in the output folder) where the folder is published (``site_url`` in
    tipsheets.yaml), or None when the project does not say where that is."""
    site = catalog.config.site_url
    return f"{site.rstrip('/')}/{name}" if site else None


def guidance_entry(catalog: Catalog, guidance_id: str, locale: str) -> Entry | None:
    """The guidance file for a locale: ``<id>.yaml`` (or ``<id>.en.yaml``) for English, ``<id>.<locale>.yaml`` else."""
    if locale == "en":
        return catalog.get("guidance", guidance_id, None) or catalog.get("guidance", guidance_id, "en")
    return catalog.get("guidance", guidance_id, locale)


def office_locales(catalog: Catalog, office: Office) -> list[str]:
    """English always; another locale when the office is bilingual and its guidance exists in that locale."""
    locales = ["en"]
    if office.bilingual:
        for entry in catalog.of("guidance"):
            if entry.id == office.guidance and entry.locale not in (None, "en") and entry.locale in office.translations:
                locales.append(str(entry.locale))
    return locales


def layout_file(catalog: Catalog, layout: str | None, name: str) -> str | None:
    """``layouts/<layout>/<name>`` when the project or the theme has that file (a link out of the
    project counts: reading it then fails, and says why), else None."""
    if not layout:
        return None
    template = f"layouts/{layout}/{name}"
    return template if any((folder / template).is_file() for folder in theme_dirs(catalog.root)) else None


def layout_template(catalog: Catalog, layout: str | None, default: str) -> str:
    """The page template of a document that names a layout: ``layouts/<name>/page.html.j2`` when the
    project or the theme has one, else the kind's own (the layout may be only a stylesheet)."""
    return layout_file(catalog, layout, "page.html.j2") or default


def block_keys(blocks: Sequence[Any], taken: Iterable[str] = ()) -> list[str]:
    """A name for each block, unique on the page, for the ids its headings are labelled by: the
    block's own id, else its type ("tips", "case"), numbered from the second of a type ("tips-2")."""
    used = set(taken) | {str(b.id) for b in blocks if getattr(b, "id", None)}
    counts: dict[str, int] = {}
    keys = []
    for block in blocks:
        if getattr(block, "id", None):
            keys.append(str(block.id))
            continue
        counts[block.type] = counts.get(block.type, 0) + 1
        key = block.type if counts[block.type] == 1 else f"{block.type}-{counts[block.type]}"
        while key in used:
            key += "-b"
        used.add(key)
        keys.append(key)
    return keys
