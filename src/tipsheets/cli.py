"""The command line: a thin Typer shell over the pipeline stages."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from . import __version__

app = typer.Typer(
    name="tipsheets",
    help="Build branded, accessible tip sheets, desk aids and flyers from YAML content.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

#: exit codes
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        out.print(f"tipsheets {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Build branded, accessible tip sheets, desk aids and flyers from YAML content."""


@app.command()
def validate(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
) -> None:
    """Check every content file without rendering anything."""
    from .catalog import load_catalog

    catalog = load_catalog(project)
    for error in catalog.errors:
        err.print(str(error), markup=False, highlight=False)
    if catalog.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    out.print("content is valid")


@app.command()
def lint(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    format: str = typer.Option("human", "--format", "-f", help="Output: human, json or sarif."),
    fail_on: str = typer.Option(None, "--fail-on", help="Fail on findings at or above: error (default), warning or suggestion."),
    fix: bool = typer.Option(False, "--fix", help="Apply substitutions that have exactly one suggestion, in place."),
) -> None:
    """Check the wording and plain language of the content and templates."""
    from .catalog import load_catalog
    from .lint import report
    from .lint.config import settings_for
    from .lint.engine import at_or_above, default_template_dirs, lint_catalog
    from .lint.fix import apply_fixes
    from .source import ContentError

    if format not in ("human", "json", "sarif"):
        err.print(f"--format must be human, json or sarif, not {format!r}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    if fail_on is not None and fail_on not in ("error", "warning", "suggestion"):
        err.print(f"--fail-on must be error, warning or suggestion, not {fail_on!r}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    catalog = load_catalog(project)
    if catalog.errors:
        for error in catalog.errors:
            err.print(str(error), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        settings = settings_for(catalog)
        dirs = default_template_dirs(catalog.root)
        findings = lint_catalog(catalog, dirs, settings)
        fixed = []
        if fix:
            fixed, skipped = apply_fixes(findings, catalog.root)
            for message in skipped:
                err.print(message, markup=False, highlight=False)
            if fixed:
                catalog = load_catalog(project)
                for error in catalog.errors:
                    err.print(str(error), markup=False, highlight=False)
                if catalog.errors:
                    raise typer.Exit(EXIT_BAD_INPUT)
                findings = lint_catalog(catalog, dirs, settings)
    except ContentError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if format == "json":
        print(report.to_json(findings, fixed=fixed))
    elif format == "sarif":
        print(report.to_sarif(findings, settings.rules))
    else:
        report.human(findings, out, catalog.root, fixed=fixed)
    if at_or_above(findings, fail_on or settings.config.fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def main() -> None:
    app()
