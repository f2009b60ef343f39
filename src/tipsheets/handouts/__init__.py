"""The kinds of handout, one module each, and the one table that lists them.

Adding a kind of handout means: one module here that makes a :class:`~tipsheets.handouts.base.Kind`,
one template folder under ``templates/``, one line in :data:`KINDS`, and the
catalogue strings its template uses.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from jinja2 import Environment

from tipsheets.core.catalog import Catalog
from tipsheets.core.target import REGULAR, Layout, Target
from tipsheets.handouts import brochure, cards, desk_aid, edition, flyer, tipsheet
from tipsheets.handouts.base import Kind
from tipsheets.handouts.views import TypeView, type_view
from tipsheets.render.environment import render_page

#: every kind of handout, in the order the gallery shows them
KINDS: tuple[Kind, ...] = (tipsheet.KIND, desk_aid.KIND, flyer.KIND, cards.KIND, edition.KIND, brochure.KIND)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}


def kind_of(target: Target) -> Kind:
    return BY_NAME[target.kind]


def plan(catalog: Catalog, as_of: dt.date, *, locales: Sequence[str] | None = None) -> list[Target]:
    """Every target the catalog asks for, in a stable order.

    Every locale that has content is built, unless ``locales:`` in tipsheets.yaml
    lists fewer; ``locales`` (``--locale`` on the command line) overrides both.
    """
    targets = [target for kind in KINDS for target in kind.targets(catalog, as_of)]
    wanted = locales or catalog.config.locales
    if wanted:
        targets = [t for t in targets if in_locales(t, wanted)]
    return sorted(targets, key=lambda t: (t.kind, t.stem))


def in_locales(target: Target, locales: Sequence[str]) -> bool:
    """Whether ``target`` is wanted in ``locales``: a bilingual handout needs both of its languages."""
    return all(locale in locales for locale in target.locales)


def template_audiences() -> dict[str, str]:
    """Template folder → whose wording rules its literal text answers to (for the wording gate)."""
    return {kind.template.split("/")[0]: kind.audience for kind in KINDS}


def page_html(target: Target, catalog: Catalog, env: Environment, *, as_of: dt.date, layout: Layout = REGULAR,
              for_print: bool, font_base: str = "", print_shop: bool = False) -> str:
    """One target's page, in one layout, as HTML.

    ``for_print`` selects the PDF flavour: fonts are loaded from ``font_base``
    (a ``file:`` URL of the theme's font folder, served by the fenced fetcher);
    the screen flavour relies on the reader's fonts and inlines everything else.
    ``print_shop`` adds bleed, crop marks and a bleed band (``tipsheets build --print``).
    """
    context = kind_of(target).context(target, catalog, as_of, layout)
    brand_type = type_view(catalog, target.brands[0], for_print=for_print) if target.brands else TypeView()
    return render_page(env, target.template, {
        "target": target, "for_print": for_print, "font_base": font_base, "paper": target.paper,
        "orientation": target.orientation, "brand_type": brand_type, "lang": target.locale, "as_of": as_of,
        "config": catalog.config, "print_shop": print_shop, "layout_style": None, "footnotes": (), **context,
    })
