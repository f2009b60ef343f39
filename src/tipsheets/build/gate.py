"""The wording gate, as the build uses it: which files have errors, and which handouts they stop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from tipsheets.check import Problem
from tipsheets.core.catalog import CONFIG_NAME, Catalog
from tipsheets.core.errors import ContentError
from tipsheets.core.target import Target
from tipsheets.core.theme import current_name, theme_dirs
from tipsheets.handouts import template_audiences

if TYPE_CHECKING:
    from tipsheets.lint.engine import Finding, Memo


def broken_files(catalog: Catalog, problems: Iterable[Problem]) -> dict[str, list[str]]:
    """File (as shown) → its error lines, for every file with an error."""
    broken: dict[str, list[str]] = {}
    for error in catalog.errors:
        broken.setdefault(error.file, []).append(error.format())
    for problem in problems:
        if problem.level == "error":
            broken.setdefault(problem.file, []).append(problem.format())
    return broken


def finding_line(finding: Finding) -> str:
    """One wording finding as ``file:line:col: field: message [rule] (hint: ...)``."""
    where = f"{finding.file}:{finding.line}:{finding.col}: "
    text = where + (f"{finding.field}: " if finding.field else "") + f"{finding.message} [{finding.rule}]"
    return text + (f" (hint: use '{finding.suggestion}')" if finding.suggestion else "")


def wording_gate(catalog: Catalog, project: Path,
                 memo: Memo | None = None) -> tuple[list[Finding], dict[str, list[str]]]:
    """Every wording finding, and file (as shown) → its error-level findings, one line each.

    ``memo``: the findings of files checked before (see :mod:`tipsheets.publish.caches`)."""
    # here, not at the top: a build with nothing to do runs no wording gate, and the gate is slow to import
    from tipsheets.lint import lint_catalog
    from tipsheets.lint.engine import blocking

    try:
        findings = lint_catalog(catalog, theme_dirs(project), template_audiences=template_audiences(), memo=memo)
    except ContentError as exc:  # the lint settings in tipsheets.yaml are wrong
        return [], {exc.file: [exc.format()]}
    return findings, {file: [finding_line(f) for f in found] for file, found in blocking(findings).items()}


def blocked_by_templates(target: Target, lint_broken: dict[str, Any], page_templates: set[str]) -> list[str]:
    """Template files with wording errors that this target renders: its own template, or a shared partial."""
    hits = []
    for file in lint_broken:
        if file.startswith("content/") or file == CONFIG_NAME:
            continue
        name = _template_name(file)
        if name == target.template or name not in page_templates:
            hits.append(file)
    return hits


def _template_name(file: str) -> str:
    """``templates/desk-aid/page.html.j2`` (or a path in the built-in theme) → ``desk-aid/page.html.j2``."""
    parts = Path(file).parts
    for marker in ("templates", "theme"):
        if marker in parts:
            index = len(parts) - 1 - parts[::-1].index(marker)
            return current_name("/".join(parts[index + 1:]))
    return current_name(Path(file).name)
