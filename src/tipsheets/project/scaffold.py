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
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

from tipsheets import __version__
from tipsheets.project import CONTENT_TYPES
from tipsheets.project import schema as schemas

PACKAGE = Path(__file__).resolve().parents[1]
STARTER = PACKAGE / "starter"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ScaffoldError(Exception):
    """A project or file that cannot be created as asked."""


# --------------------------------------------------------------------------- how CI installs tipsheets


def tool_source() -> str | None:
    """A pip requirement that installs this very tipsheets on a CI runner, or None when it cannot be told.

    - installed from a git repository (``pip install git+https://...``): that repository at the
      commit pip recorded (PEP 610's ``direct_url.json``);
    - installed from, or run in, a git checkout with an ``origin`` remote: that remote at the
      checkout's ``HEAD`` (which must have been pushed for CI to fetch it);
    - installed from a package index: ``tipsheets==<version>``.
    """
    from importlib import metadata

    try:
        dist = metadata.distribution("tipsheets")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is not None and Path(str(dist.locate_file("tipsheets"))).resolve() != PACKAGE.resolve():
        dist = None  # the metadata of another copy than the one running (a source checkout on sys.path)
    if dist is None:
        return source_from_checkout(PACKAGE.parents[1])
    direct = dist.read_text("direct_url.json")
    if direct is None:
        return f"tipsheets=={dist.version}"
    return source_from_direct_url(direct)


def source_from_direct_url(text: str) -> str | None:
    """The requirement for an install that PEP 610's ``direct_url.json`` describes, or None."""
    try:
        info = json.loads(text)
    except ValueError:
        return None
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"tipsheets @ git+{url}@{vcs['commit_id']}"
    if url.startswith("file://") and "dir_info" in info:
        return source_from_checkout(Path(unquote(urlparse(url).path)))
    return None


def source_from_checkout(folder: Path) -> str | None:
    """``tipsheets @ git+<origin>@<HEAD>`` for a git checkout with an ``origin`` remote, or None."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--verify", "HEAD^{commit}")
    remote = git("remote", "get-url", "origin")
    url = fetchable_url(remote)
    if not (re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit) and url):
        return None
    return f"tipsheets @ git+{url}@{commit}"


def fetchable_url(remote: str) -> str:
    """A remote as a CI runner can fetch it without keys: ``git@host:owner/repo.git`` → ``https://host/owner/repo.git``;
    "" for a remote a runner cannot reach (a path on this machine)."""
    scp = re.fullmatch(r"[\w.-]+@([\w.-]+):(?!/)(\S+)", remote)
    if scp:
        return f"https://{scp[1]}/{scp[2]}"
    if re.fullmatch(r"ssh://[\w.-]+@([\w.-]+)(?::\d+)?/\S+", remote):
        host_path = remote.split("@", 1)[1]
        host, _, path = host_path.partition("/")
        return f"https://{host.split(':')[0]}/{path}"
    if re.fullmatch(r"https?://\S+", remote):
        return remote
    return ""


def check_source(source: str) -> str:
    """A ``--source`` given on the command line, refused when it cannot be written into the workflow as one value."""
    source = source.strip()
    if not source or "\n" in source or "\r" in source or "${{" in source:
        raise ScaffoldError("--source must be one pip requirement on one line, such as "
                            "'tipsheets @ git+https://github.com/OWNER/tipsheets@COMMIT' (and no '${{')")
    return source


def workflow_text(template: str, source: str | None) -> str:
    """The starter workflow with its install line: ``source`` as a YAML (JSON) string, or "" to be filled in."""
    return template.replace('"@@SOURCE@@"', json.dumps(source or ""))


def init_project(target: Path, *, force: bool = False, source: str | None = None) -> list[Path]:
    """Copy the starter project into ``target``; return the files written (relative).

    The CI workflow installs tipsheets from ``source`` (a pip requirement), else from
    :func:`tool_source`; when neither is known its install step says what to set.
    """
    source = check_source(source) if source is not None else tool_source()
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target} is not empty; choose an empty or new folder, or pass --force "
                            "to add the starter files (files of the same name are replaced)")
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for file in sorted(STARTER.rglob("*")):
        rel = file.relative_to(STARTER)
        if not file.is_file() or rel.parts[0] == "skeletons" or "__pycache__" in rel.parts:
            continue
        if rel.parts[0] == "github":  # kept without the dot so packaging tools never skip it
            rel = Path(".github", *rel.parts[1:])
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel.parts[0] == ".github":
            dest.write_text(workflow_text(file.read_text(encoding="utf-8"), source), encoding="utf-8")
        elif file.suffix in {".yaml", ".yml"}:
            dest.write_text(file.read_text(encoding="utf-8").replace("@@VERSION@@", __version__), encoding="utf-8")
        else:
            shutil.copyfile(file, dest)
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
    tokens = {
        "@@TODAY@@": today.isoformat(), "@@NEXT_MONDAY@@": next_monday.isoformat(), "@@NAME@@": name,
        "@@BRAND@@": defaults.brand, "@@STATE@@": defaults.state, "@@COUNTY@@": defaults.county,
    }
    if kind == "edition":
        sheets = sorted(p.name.partition(".")[0] for p in (project / "content" / "tipsheets").glob("*.y*ml")
                        if p.name.count(".") == 1)
        if not sheets:
            raise ScaffoldError("an edition is made from a tip sheet, and this project has none: start one with "
                                "`tipsheets new tipsheet NAME` first")
        tokens["@@TIPSHEET@@"] = sheets[0]
    text = (STARTER / "skeletons" / content_type.skeleton).read_text(encoding="utf-8")
    for token, value in tokens.items():
        text = text.replace(token, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "brand":
        logo = path.parent / "logos" / f"{name}.svg"
        if not logo.exists():
            logo.parent.mkdir(parents=True, exist_ok=True)
            logo.write_text(PLACEHOLDER_LOGO, encoding="utf-8")
    path.write_text(schemas.modeline(kind, path, project / "schemas") + "\n" + text, encoding="utf-8")
    return path


#: the logo a new brand starts with, until its own replaces it: a plain rounded square
PLACEHOLDER_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">
  <rect x="10" y="10" width="100" height="100" rx="18" fill="#1F3A5F"/>
  <rect x="34" y="34" width="52" height="52" rx="10" fill="#FFFFFF"/>
</svg>
"""
