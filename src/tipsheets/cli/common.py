"""What every command shares: the consoles, the exit codes, and the options declared once."""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from tipsheets.core.errors import printable

app = typer.Typer(
    name="tipsheets",
    help="Build branded, accessible tip sheets, desk aids and flyers from YAML content.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

#: exit codes: 0 all built / valid; 1 lint findings, or an output that could not be
#: written; 2 bad input (a content file or a project template); 3 internal error.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class Format(str, Enum):
    """What ``build`` and ``watch`` write."""

    pdf = "pdf"
    html = "html"


# The options several commands take, declared once.
ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="The project folder (holds content/).")]
OutOption = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Output folder (default: the project's output/, or `output:` in tipsheets.yaml).")]
FormatsOption = Annotated[list[Format], typer.Option(
    "--format", "-f", help="What to write: pdf, html, or both (repeat the option).")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="Build date for 'upcoming' sessions and stale listings; default: SOURCE_DATE_EPOCH or today.")]
LocaleOption = Annotated[list[str], typer.Option("--locale", "-l", help="Build only these locales (repeat the option).")]
JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", help="Worker processes (default: one per core; 1 renders in this process).")]


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one error line and exit with ``code``."""
    err.print(f"[red]✗[/] {printable(message)}", highlight=False)
    raise typer.Exit(code)


def print_lines(lines: list[str], style: str) -> None:
    """Print each line as it is (escaped, never as markup), in ``style``."""
    for line in lines:
        err.print(printable(line), style=style, markup=False, highlight=False)


def as_of_date(value: str | None) -> dt.date:
    """--as-of, else SOURCE_DATE_EPOCH, else today."""
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a date like 2026-11-25", param_hint="--as-of") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise typer.BadParameter(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return dt.date.today()


def shown(path: Path, project: Path) -> str:
    from tipsheets.core.catalog import relative  # here, not at the top: `tipsheets --help` starts without the models

    return relative(path, project)
