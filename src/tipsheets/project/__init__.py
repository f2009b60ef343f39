"""A project's content as a whole: the content types it may hold, loading them, and checking them.

:data:`CONTENT_TYPES` is the one table of content types. Adding one means: a
model in :mod:`tipsheets.core.models`, its checks, a line here, and (if people
start files of it with ``tipsheets new``) a skeleton under ``starter/skeletons/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import brand_yml

from tipsheets.check.brands import check_brand
from tipsheets.check.documents import check_brochure, check_edition, check_tipsheet
from tipsheets.check.folders import check_folders
from tipsheets.check.problems import Problem
from tipsheets.check.references import check_guidance, check_office, check_program
from tipsheets.check.text import check_glued_comments, check_placeholders
from tipsheets.core import models
from tipsheets.core.brandfile import brand_id, read_brand
from tipsheets.core.catalog import Catalog, KeptEntries, load_catalog
from tipsheets.core.registry import ContentType, Registry
from tipsheets.core.source import Remembered

#: every content type, in the order their checks run
CONTENT_TYPES = Registry([
    ContentType("brand", "brands", brand_yml.Brand, "Brand",
                "A brand.yml file (read with Posit's brand_yml), with tipsheets' contact and funding under "
                "defaults: tipsheets: content/brands/<id>.yaml, content/brands/<id>/_brand.yml, or "
                "content/brands/_brand.yml for the default brand.",
                skeleton="brand.yaml", checks=(check_brand,), file_id=brand_id, read=read_brand),
    ContentType("tipsheet", "tipsheets", models.TipSheet, "Tip sheet",
                "A tip sheet: content/tipsheets/<id>.yaml, or <id>.<locale>.yaml for another language.",
                localised=True, skeleton="tipsheet.yaml", checks=(check_tipsheet,)),
    ContentType("guidance", "guidance", models.Guidance, "Referral guidance",
                "When and how to refer a parent, printed on desk aids: content/guidance/<id>.yaml.",
                localised=True, checks=(check_guidance,)),
    ContentType("program", "programs", models.Program, "Program",
                "A local relationship-education program (a class): content/programs/<id>.yaml.",
                audience="parents", skeleton="program.yaml", checks=(check_program,)),
    ContentType("office", "offices", models.Office, "Child support office",
                "A child support (CSE) office: content/offices/<id>.yaml.",
                skeleton="office.yaml", checks=(check_office,)),
    ContentType("area", "areas", models.CountyList, "County list",
                "The counties of one state, replacing the Census list areas are checked against: "
                "content/areas/<STATE>.yaml."),
    ContentType("edition", "editions", models.Edition, "Customised edition",
                "A practitioner's edition of a tip sheet, as changes to its base: content/editions/<id>.yaml.",
                skeleton="edition.yaml", checks=(check_edition,)),
    ContentType("brochure", "brochures", models.Brochure, "Tri-fold brochure",
                "A tri-fold brochure, from a program's file or from blocks in six panels: "
                "content/brochures/<id>.yaml, or <id>.<locale>.yaml for another language.",
                localised=True, audience="parents", skeleton="brochure.yaml", checks=(check_brochure,)),
])


def load_project(root: Path, parsed: KeptEntries | None = None, *, remembered: Remembered | None = None) -> Catalog:
    """Every content file of the project at ``root``, validated; never raises for bad content.

    ``parsed``: the entries an earlier load of this project in this process made, so that only changed files
    are read again; ``remembered``: files parsed before, by the sha256 of their bytes (see :func:`load_catalog`).
    """
    return load_catalog(root, CONTENT_TYPES, parsed=parsed, remembered=remembered)


def check_project(catalog: Catalog, as_of: dt.date | None = None) -> list[Problem]:
    """Every cross-file problem in the catalog, in file order."""
    as_of = as_of or dt.date.today()
    problems: list[Problem] = list(check_folders(catalog.root))
    for folder in sorted(catalog.entries):
        for entry in catalog.of(folder):
            problems.extend(check_glued_comments(entry))
            problems.extend(check_placeholders(entry))
    for content_type in CONTENT_TYPES:
        for entry in catalog.of(content_type.folder):
            for check in content_type.checks:
                problems.extend(check(entry, catalog, as_of))
    return problems
