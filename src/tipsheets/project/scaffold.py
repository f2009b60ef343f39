"""New projects and new content files: ``tipsheets init`` and ``tipsheets new``.

The starter project lives in the package (``tipsheets/starter/``) so it ships
in the wheel: settings, one brand with its logo, one program, one office, the
referral guidance, Georgia's county list, one tip sheet and a CI workflow. It
builds as soon as it is copied. ``new`` writes a commented skeleton whose
placeholder values already validate, so the user can build at once and fill
in the ``REPLACE`` text as they go.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import yaml
from dataclasses import dataclass
from pathlib import Path

from tipsheets import __version__
from tipsheets.project import CONTENT_TYPES
from tipsheets.project import schema as schemas

STARTER = Path(__file__).resolve().parents[1] / "starter"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ScaffoldError(Exception):
    """A project or file that cannot be created as asked."""


def init_project(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the starter project into ``target``; return the files written (relative)."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target} is not empty; choose an empty or new folder, or pass --force "
                            "to add the starter files (files of the same name are replaced)")
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for source in sorted(STARTER.rglob("*")):
        rel = source.relative_to(STARTER)
        if not source.is_file() or rel.parts[0] == "skeletons" or "__pycache__" in rel.parts:
            continue
        if rel.parts[0] == "github":  # kept without the dot so packaging tools never skip it
            rel = Path(".github", *rel.parts[1:])
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in {".yaml", ".yml"}:
            dest.write_text(source.read_text(encoding="utf-8").replace("@@VERSION@@", __version__), encoding="utf-8")
        else:
            shutil.copyfile(source, dest)
        written.append(rel)
    schema_dir = target / "schemas"
    for path in schemas.write_schemas(schema_dir):
        written.append(path.relative_to(target))
    for file, name in schemas.content_files(target):
        schemas.stamp(file, name, schema_dir)
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("output/\n", encoding="utf-8")
        written.append(Path(".gitignore"))
    return sorted(written)


@dataclass(frozen=True)
class Defaults:
    """Values from the project that make a skeleton valid at once."""

    brand: str
    state: str
    county: str


def project_defaults(project: Path) -> Defaults:
    """The first brand, and a state and county the project already uses or lists."""

    brands = sorted(p.name.partition(".")[0] for p in (project / "content" / "brands").glob("*.y*ml"))
    brand = "default" if "default" in brands else (brands[0] if brands else "default")
    for folder in ("offices", "programs"):
        for file in sorted((project / "content" / folder).glob("*.y*ml")):
            try:
                data = yaml.safe_load(file.read_text(encoding="utf-8"))
                area = data["serves"][0]
                return Defaults(brand, str(area["state"]), str(area["counties"][0]))
            except Exception:  # noqa: BLE001 - a broken file just gives no default
                continue
    for file in sorted((project / "content" / "areas").glob("*.y*ml")):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            return Defaults(brand, str(data["state"]), str(data["counties"][0]))
        except Exception:  # noqa: BLE001
            continue
    return Defaults(brand, "GA", "Clarke")


def new_kinds() -> list[str]:
    """The kinds of content file ``tipsheets new`` can start."""
    return [t.name for t in CONTENT_TYPES if t.skeleton is not None]


def new_file(project: Path, kind: str, name: str, *, today: dt.date | None = None) -> Path:
    """Write a commented skeleton ``content/<kind>s/<name>.yaml``; return its path."""
    offered = new_kinds()
    content_type = CONTENT_TYPES.by_name.get(kind)
    if content_type is None or content_type.skeleton is None:
        raise ScaffoldError(f"unknown kind {kind!r}; use one of: {', '.join(offered)}")
    if not ID.match(name):
        raise ScaffoldError(f"{name!r} is not a valid id: use lower-case letters, digits and hyphens, "
                            "such as 'parenting-apart'")
    if not (project / "content").is_dir():
        raise ScaffoldError(f"{project} has no content/ folder; run `tipsheets init` first or pass --project")
    path = project / "content" / content_type.folder / f"{name}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another name or edit that file")
    today = today or dt.date.today()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    defaults = project_defaults(project)
    text = (STARTER / "skeletons" / content_type.skeleton).read_text(encoding="utf-8")
    for token, value in {
        "@@TODAY@@": today.isoformat(), "@@NEXT_MONDAY@@": next_monday.isoformat(),
        "@@BRAND@@": defaults.brand, "@@STATE@@": defaults.state, "@@COUNTY@@": defaults.county,
    }.items():
        text = text.replace(token, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schemas.modeline(kind, path, project / "schemas") + "\n" + text, encoding="utf-8")
    return path
