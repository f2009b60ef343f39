"""What every command shares: the consoles, the exit codes, how much to say, and the options declared once."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from tipsheets.core.errors import one_line, printable

try:  # Typer 0.20 and later carry their own copy of click
    from typer._click.exceptions import UsageError
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older Typer, on click itself
    from click.exceptions import UsageError  # type: ignore[assignment]  # click's class in place of Typer's copy
    from click.globals import get_current_context  # type: ignore[no-redef]

if TYPE_CHECKING:
    from rich.table import Table

#: exit codes: 0 all built / valid; 1 lint findings, or an output that could not be
#: written; 2 bad input (a content file, the settings or a project template); 3 internal
#: error; 64 a command line that cannot be run as typed (EX_USAGE of sysexits.h); 130 Ctrl-C.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_USAGE = 64
EXIT_INTERRUPTED = 130

#: every exit code and what it means, for ``tipsheets --help`` and the README
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done: built, valid, or (lint) no findings at the --fail-on level"),
    (EXIT_FINDINGS, "lint findings at the --fail-on level, or an output that could not be written"),
    (EXIT_BAD_INPUT, "bad content: a content file, tipsheets.yaml or a template that does not load"),
    (EXIT_INTERNAL, "an internal error (please report it)"),
    (EXIT_USAGE, "a command line that cannot run as typed: unknown option, bad value, unknown name"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)

HELP = "Build branded, accessible tip sheets, desk aids and flyers from YAML content."
EPILOG = "Exit codes:\n" + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES)


class Commands(TyperGroup):
    """The command group: a usage error exits 64, apart from bad content (2); a bug exits 3 in one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:  # an unknown option, a missing argument, a bad value
            exc.exit_code = EXIT_USAGE
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            exc.exit_code = EXIT_USAGE
            raise
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last resort: one line, never a traceback unless --verbose
            err.print(f"internal error: {type(exc).__name__}: {one_line(exc)[:300]} (please report)", markup=False,
                      highlight=False)
            if ctx.meta.get(VOICE_KEY, NORMAL) >= VERBOSE or os.environ.get("TIPSHEETS_DEBUG"):
                import traceback

                traceback.print_exc(file=sys.stderr)
            raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    name="tipsheets",
    cls=Commands,
    help=HELP,
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    """What ``build`` and ``watch`` write."""

    pdf = "pdf"
    html = "html"


# The options several commands take, declared once.
ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="The project folder (holds content/).")]
OutOption = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Output folder (default: the project's output/, or `output:` in tipsheets.yaml).")]
FormatsOption = Annotated[list[Format], typer.Option(
    "--format", "-f", metavar="pdf|html", help="What to write: pdf or html; repeat the option for both "
                                               "(the default).")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="Build date for 'upcoming' sessions and stale listings; default: SOURCE_DATE_EPOCH or today.")]
LocaleOption = Annotated[list[str], typer.Option(
    "--locale", "-l", help="Build only these locales (repeat the option).")]
JsonOption = Annotated[bool, typer.Option(
    "--json", help="Print a machine-readable report on stdout (its shape is in the README), and nothing else there.")]
JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", help="Worker processes (default: one per core; 1 renders in this process).")]


# --------------------------------------------------------------------------- how much to say

QUIET, NORMAL, VERBOSE = 0, 1, 2
VOICE_KEY = "tipsheets.voice"

QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only what the command is for (its report, table or JSON) and any errors and "
                          "warnings: no progress, notes or confirmations.")]
VerboseOption = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Also print each file checked or written, each handout left unchanged, and the "
                            "traceback of an internal error.")]


@dataclass(frozen=True)
class Voice:
    """How much a command says: ``--quiet``, normal, or ``--verbose``. Errors and warnings are always printed."""

    level: int = NORMAL

    @property
    def quiet(self) -> bool:
        return self.level == QUIET

    @property
    def verbose(self) -> bool:
        return self.level >= VERBOSE

    def say(self, text: str, *, markup: bool = True) -> None:
        """A progress line, note or confirmation: printed unless ``--quiet``."""
        if self.level >= NORMAL:
            console.print(text, highlight=False, markup=markup)

    def detail(self, text: str, *, markup: bool = False) -> None:
        """A line only ``--verbose`` prints (on stderr, so stdout stays the command's report)."""
        if self.level >= VERBOSE:
            err.print(text, style="dim", highlight=False, markup=markup)


def voice(quiet: bool = False, verbose: bool = False) -> Voice:
    """The voice for this command: its own ``--quiet``/``--verbose``, else the one given before the command."""
    if quiet and verbose:
        raise typer.BadParameter("give --quiet or --verbose, not both", param_hint="--quiet / --verbose")
    ctx = get_current_context(silent=True)
    level = QUIET if quiet else VERBOSE if verbose else None
    if ctx is not None:
        root = ctx.find_root()
        if level is None:
            level = root.meta.get(VOICE_KEY, NORMAL)
        root.meta[VOICE_KEY] = level
        ctx.meta[VOICE_KEY] = level
    return Voice(NORMAL if level is None else level)


def print_table(table: Table) -> None:
    """A Rich table on stdout: fitted to a terminal; at its natural width when piped, never cut to 80 columns."""
    if console.is_terminal:
        console.print(table)
        return
    from rich.measure import Measurement

    wide = Console(width=1_000_000, soft_wrap=True)
    width = Measurement.get(wide, wide.options, table).maximum
    Console(width=max(width, 1), soft_wrap=True).print(table)


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
