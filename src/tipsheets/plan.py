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

from .catalog import CONFIG_NAME, Catalog
from .model import TipSheet

#: kind → (template, output folder)
KINDS = {
    "tipsheet": ("tipsheet.html.j2", "tipsheets"),
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


def plan(catalog: Catalog, as_of: dt.date, *, locales: list[str] | None = None) -> list[Target]:
    """Every target the catalog asks for, in a stable order."""
    targets = tipsheet_targets(catalog)
    if locales:
        targets = [t for t in targets if t.locale in locales]
    return sorted(targets, key=lambda t: (t.kind, t.stem))


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
    except Exception:  # noqa: BLE001 - not installed: the PDF cannot be built anyway
        pass
    _hash_tree(h, "code", PACKAGE, "*.py")
    _hash_tree(h, "rules", PACKAGE / "lint" / "rules")
    for index, folder in enumerate(theme_dirs(project)):
        _hash_tree(h, f"theme{index}", folder)
    config = project / CONFIG_NAME
    if config.is_file():
        h.update(b"config\0" + hashlib.sha256(config.read_bytes()).digest())
    return h.hexdigest()


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


def with_digests(targets: list[Target], project: Path, as_of: dt.date, formats: tuple[str, ...]) -> list[Target]:
    """``targets`` with :attr:`Target.digest` set."""
    root = project.resolve()
    shared = environment_digest(root)
    hashes = FileHashes(root)
    return [replace(t, digest=target_digest(t, shared, hashes, as_of, formats)) for t in targets]


def shard(targets: list[Target], index: int, count: int) -> list[Target]:
    """The ``index``-th (1-based) of ``count`` stable slices: a target's slice depends on its name only."""
    def slot(target: Target) -> int:
        return int.from_bytes(hashlib.sha1(target.stem.encode()).digest()[:8], "big") % count

    return [t for t in targets if slot(t) == index - 1]
