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


def main() -> None:
    app()
