"""``tipsheets lint``: the wording and plain-language check."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tipsheets.cli.common import (EXIT_BAD_INPUT, EXIT_FINDINGS, ProjectOption, QuietOption, VerboseOption, app,
                                  console, err, voice)

if TYPE_CHECKING:
    from tipsheets.lint.fix import Fix


class OutputFormat(str, Enum):
    human = "human"
    json = "json"
    sarif = "sarif"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    suggestion = "suggestion"


@app.command()
def lint(
    project: ProjectOption = Path("."),
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="How to report: human (grouped by file, for people), json or sarif (for tools).")
    ] = OutputFormat.human,
    other_name: Annotated[OutputFormat | None, typer.Option(
        "--output-format", hidden=True, help="Another name for --format.")] = None,
    fail_on: Annotated[Level | None, typer.Option(
        "--fail-on", help="Fail on findings at or above this level (default: error, or lint.fail_on).")] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Apply substitutions that have exactly one suggestion, in place.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check the wording and plain language of the content and templates."""
    from tipsheets.core.errors import ContentError  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.handouts import template_audiences  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.lint import report  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.lint.config import settings_for  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.lint.engine import at_or_above, default_template_dirs, lint_catalog  # lazy: slow to import
    from tipsheets.lint.fix import apply_fixes  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.project import load_project  # here, not at the top: `tipsheets --help` starts without it

    talk = voice(quiet, verbose)
    if other_name is not None:
        output_format = other_name
    catalog = load_project(project)
    if catalog.errors:
        for error in catalog.errors:
            err.print(str(error), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    audiences = template_audiences()
    try:
        settings = settings_for(catalog)
        dirs = default_template_dirs(catalog.root)
        findings = lint_catalog(catalog, dirs, settings, template_audiences=audiences)
        fixed: list[Fix] = []
        if fix:
            fixed, skipped = apply_fixes(findings, catalog.root, tuple(settings.rules.protected))
            for message in skipped:
                err.print(message, markup=False, highlight=False)
            if fixed:
                catalog = load_project(project)
                for error in catalog.errors:
                    err.print(str(error), markup=False, highlight=False)
                if catalog.errors:
                    raise typer.Exit(EXIT_BAD_INPUT)
                findings = lint_catalog(catalog, dirs, settings, template_audiences=audiences)
    except ContentError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if output_format is OutputFormat.json:
        print(report.to_json(findings, fixed=fixed))
    elif output_format is OutputFormat.sarif:
        from tipsheets.core.theme import builtin_theme

        print(report.to_sarif(findings, settings.rules, prefix=sarif_prefix(project), theme=builtin_theme()))
    else:
        for source in catalog.sources():
            talk.detail(f"  checked  {source.path}")
        if findings or fixed or not talk.quiet:
            report.human(findings, console, catalog.root, fixed=fixed)
    level = fail_on.value if fail_on is not None else settings.config.fail_on
    if at_or_above(findings, level):
        raise typer.Exit(EXIT_FINDINGS)


def sarif_prefix(project: Path) -> str:
    """The project's folder relative to where lint runs (``handouts/``), so code scanning finds its files;
    "" when lint runs in the project or the project is not below the current folder."""
    try:
        rel = project.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"
