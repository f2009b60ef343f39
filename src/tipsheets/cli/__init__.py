"""The command line: a thin Typer shell over the pipeline, one module per command.

Each command module imports what its command runs inside the command itself,
so that ``tipsheets --help`` starts without loading WeasyPrint, Jinja or the
content models.
"""

from __future__ import annotations

import os
import sys

from tipsheets import __version__
# each module registers its command; the order here is the order `tipsheets --help` lists them
from tipsheets.cli import build, watch, serve, validate, listing, lint, diff, importing, clean, init, schema, templates  # noqa: F401, I001
from tipsheets.cli.common import (EXIT_INTERNAL, EXIT_INTERRUPTED, HELP, QuietOption, VerboseOption, app, console,
                                  err, voice)
from tipsheets.core.errors import one_line

import typer


def _version(value: bool) -> None:
    if value:
        console.print(f"tipsheets {__version__}")
        raise typer.Exit()


@app.callback(help=HELP)
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    voice(quiet, verbose)  # the default for the command that follows; its own --quiet/--verbose win


def main() -> None:
    """Run the command line. A bug prints one line and exits 3; bad input never gets here."""
    try:
        app(standalone_mode=True, prog_name="tipsheets")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the last resort: never a traceback
        err.print(f"internal error: {type(exc).__name__}: {one_line(exc)[:300]} (please report)", markup=False,
                  highlight=False)
        if os.environ.get("TIPSHEETS_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)
