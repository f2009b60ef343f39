"""Desk aids: one page per child support office, ``output/desk-aids/<office>.pdf``.

When and how to refer a parent to relationship education (from the office's
referral guidance), a "Safety first" panel, and the programs that serve the
office's area with their next sessions, phone, short address and QR code,
nearest first (see :func:`tipsheets.core.areas.programs_for`).

When more programs serve an office than fit on its page, even with one
session each, the printed desk aid lists the first of them that fit and says
how many more there are; its web page (``desk-aids/<office>.html``) always
lists them all, and with ``site_url`` in ``tipsheets.yaml`` the printed page
points to it with a QR code and a short address. An office that wants them
all on paper says ``desk_aid_pages: 2``. A
bilingual office also gets a desk aid in its second language and one with both
(``<office>.bilingual.pdf``).

Co-branding: the desk aid prints the office's brand, and "in partnership with"
a provider that runs more than half of the programs it lists.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from tipsheets.core.areas import listed_for
from tipsheets.core.catalog import Catalog
from tipsheets.core.contact import short_address
from tipsheets.core.models import Guidance, Office, Program
from tipsheets.core.sessions import upcoming_sessions
from tipsheets.core.target import Layout, Target
from tipsheets.handouts.base import (Context, Fallback, Kind, PageRules, brand_files, guidance_entry,
                                     office_locales, published_address, stem)
from tipsheets.handouts.views import ProgramView, QRView, brand_view, phone_view, program_view, qr_view
from tipsheets.render import i18n

FOLDER = "desk-aids"
TEMPLATE = "desk-aid/page.html.j2"


def dominant_provider(programs: list[Program]) -> str | None:
    """The provider that runs more than half of ``programs``, if there is one."""
    if not programs:
        return None
    provider, count = Counter(p.provider for p in programs).most_common(1)[0]
    return provider if count * 2 > len(programs) else None


def targets(catalog: Catalog, as_of: dt.date) -> list[Target]:
    out: list[Target] = []
    for entry in catalog.of("offices"):
        office: Office = entry.item
        listed = listed_for(catalog, office, as_of)
        dominant = dominant_provider(listed)
        brand_ids = [office.brand] + ([dominant] if dominant and dominant != office.brand else [])
        provider_ids = [p.provider for p in listed if p.provider not in brand_ids]
        area_files = [county_list.path for a in office.serves
                      if (county_list := catalog.county_list(a.state)) is not None]
        own = []
        for locale in office_locales(catalog, office):
            guidance = guidance_entry(catalog, office.guidance, locale)
            guidance_file = guidance.path if guidance else f"content/guidance/{office.guidance}.yaml"
            inputs = [entry.path, guidance_file, *area_files,
                      *(catalog.require("programs", p.id).path for p in listed),
                      *brand_files(catalog, brand_ids + provider_ids)]
            local = office.translations.get(locale)
            own.append(Target(
                kind=KIND.name, id=office.id, locale=locale, template=TEMPLATE,
                stem=stem(FOLDER, office.id, locale), inputs=tuple(dict.fromkeys(inputs)),
                paper=catalog.config.paper, title=local.name if local and local.name else office.name,
                audience=KIND.audience, office=office.id, programs=tuple(p.id for p in listed),
                brands=tuple(brand_ids), listing_states=tuple(sorted({a.state for a in office.serves})),
                pages=office.desk_aid_pages if office.desk_aid_pages > 1 else 0,
            ))
        out += own
        if office.bilingual:
            out += bilingual(office, own)
    return out


def bilingual(office: Office, own: list[Target]) -> list[Target]:
    """``desk-aids/<office>.bilingual``: English with the office's other language beneath, on one page.

    For an office with ``bilingual: true`` whose guidance exists in its second
    language; it reads every file either edition reads.
    """
    english = next((t for t in own if t.locale == "en"), None)
    others = [t for t in own if t.locale != "en"]
    if english is None or not others:
        return []
    second = others[0]
    return [replace(english, stem=f"{FOLDER}/{office.id}.bilingual",
                    inputs=tuple(dict.fromkeys(english.inputs + second.inputs)), second=second.locale)]


@dataclass(frozen=True)
class Listing:
    """What one desk aid lists: for ``tipsheets list``."""

    office: str
    locale: str
    stem: str
    programs: list[tuple[str, str, int]]  # (program id, provider, upcoming sessions)
    cobrand: str | None


def listings(catalog: Catalog, as_of: dt.date) -> list[Listing]:
    """For each desk aid, the programs it will list (in print order) and its co-brand, if any."""
    out = []
    for target in targets(catalog, as_of):
        rows = []
        for program_id in target.programs:
            program: Program = catalog.require("programs", program_id).item
            rows.append((program.id, program.provider, len(upcoming_sessions(program, as_of))))
        cobrand = target.brands[1] if len(target.brands) > 1 else None
        out.append(Listing(target.id, target.locale, target.stem, rows, cobrand))
    return out


def when_to_refer(office: Office, guidance: Guidance, locale: str) -> list[str]:
    """The guidance's checklist, then the office's own points (in ``locale`` where given)."""
    text = office.translations.get(locale)
    own = text.extra_guidance if text and text.extra_guidance is not None else \
        [i18n.Passage(item, i18n.SOURCE_LOCALE) for item in office.extra_guidance]
    return [*guidance.when_to_refer, *own]


def second_language(catalog: Catalog, office: Office, listed: list[ProgramView], locale: str) -> dict[str, Any]:
    """What a bilingual desk aid prints beneath the English: the same text in ``locale``.

    The checklists are paired item by item; a list longer in one language than
    the other prints its extra items alone.
    """
    guidance_file = guidance_entry(catalog, office.guidance, locale)
    assert guidance_file is not None
    guidance: Guidance = guidance_file.item
    names = {}
    for view in listed:
        program: Program = catalog.require("programs", view.id).item
        name = i18n.local_text(program, "name", locale)
        if name is not None and name.lang == locale and name != view.name:
            names[view.id] = name
    office_name = i18n.local_text(office, "name", locale)
    return {
        "lang": locale,
        "guidance": guidance,
        "when_to_refer": when_to_refer(office, guidance, locale),
        "office_name": office_name if office_name is not None and office_name.lang == locale else None,
        "program_names": names,
    }


@dataclass(frozen=True)
class FullList:
    """Where the printed desk aid sends readers for the programs it had no room for: its web page."""

    url: str
    short: str
    qr: QRView


def full_list(catalog: Catalog, target: Target, dark: str) -> FullList | None:
    url = published_address(catalog, target.output("html"))
    return FullList(url, short_address(url), qr_view(url, dark=dark)) if url else None


def context(target: Target, catalog: Catalog, as_of: dt.date, layout: Layout) -> Context:
    entry = catalog.get("offices", target.id)
    assert entry is not None
    office: Office = entry.item
    guidance_file = guidance_entry(catalog, office.guidance, target.locale)
    assert guidance_file is not None
    guidance: Guidance = guidance_file.item
    office_brands = [brand_view(catalog, b) for b in target.brands]
    dark = office_brands[0].colours["foreground"]
    count = layout.sessions or catalog.config.sessions_per_program
    shown = target.programs if layout.listed is None else target.programs[:layout.listed]
    listed = [program_view(catalog, catalog.require("programs", pid).item, target.locale, as_of, count, dark)
              for pid in shown]
    verified = [p.verified for p in listed]
    return {
        "office": office,
        "office_name": i18n.local_text(office, "name", target.locale),
        "guidance": guidance,
        "when_to_refer": when_to_refer(office, guidance, target.locale),
        "programs": listed,
        "second": second_language(catalog, office, listed, target.second) if target.second else None,
        "brands": office_brands,
        "referral_phone": phone_view(office.referral_contact.phone if office.referral_contact else None),
        "office_phone": phone_view(office.phone),
        "safety_phone": phone_view(office.family_violence_contact.phone),
        "hotline_phone": phone_view(guidance.safety.hotline.phone),
        "verified_from": min(verified, default=None),
        "verified_to": max(verified, default=None),
        "compact": layout.compact,
        "total": len(target.programs),
        "more": len(target.programs) - len(shown),
        "full_list": full_list(catalog, target, dark) if len(shown) < len(target.programs) else None,
    }


KIND = Kind(
    name="desk-aid", folder=FOLDER, template=TEMPLATE, heading="Desk aids", audience="agency-staff",
    targets=targets, context=context, cost=2, selected_by=frozenset({"office"}),
    page=PageRules(
        one_page=True,
        fallbacks=(Fallback(Layout(sessions=1), "{stem}: to fit, it lists only the next session of each program"),
                   Fallback(Layout(sessions=1, compact=True),
                            "{stem}: to fit, it lists only the next session of each program, in smaller type")),
        cut_note="{stem}: prints the nearest {shown} of the {total} programs that serve the office; its web page "
                 "lists them all (an office may ask for desk_aid_pages: 2)",
    ),
)
