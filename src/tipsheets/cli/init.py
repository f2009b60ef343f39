"""``tipsheets init`` and ``tipsheets new``: a starter project, and new content files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tipsheets.cli.common import EXIT_USAGE, ProjectOption, QuietOption, VerboseOption, app, err, voice


class NewKind(str, Enum):
    """What ``tipsheets new`` starts: the content types with a skeleton (a test keeps this in step with them)."""

    tipsheet = "tipsheet"
    program = "program"
    office = "office"
    brand = "brand"
    edition = "edition"
    brochure = "brochure"


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The folder for the new project (created if missing).")],
    force: Annotated[bool, typer.Option(
        "--force", help="Add the starter files even if the folder is not empty.")] = False,
    source: Annotated[str | None, typer.Option(
        "--source", metavar="PIP-REQUIREMENT",
        help="How the CI workflow installs tipsheets, as pip would read it (default: this tool's own git "
             "repository at the commit it was installed from).")] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Create a starter project that builds at once: settings, a brand, a program, an office, a tip sheet, CI."""
    # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.project.scaffold import ScaffoldError, check_source, init_project, tool_source

    talk = voice(quiet, verbose)
    try:
        chosen = check_source(source) if source is not None else tool_source()
        files = init_project(directory, force=force, source=chosen)
    except ScaffoldError as exc:
        err.print(f"✗ {exc}", highlight=False, markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    for file in files:
        talk.say(f"  created  {file.as_posix()}", markup=False)
    if chosen is None:
        err.print("warning: .github/workflows/handouts.yml does not know where to install tipsheets from: set its "
                  "TIPSHEETS_SOURCE line, or run init again with --source (see docs/ci.md)", style="yellow",
                  highlight=False, markup=False)
    else:
        talk.say(f"  CI installs {chosen}", markup=False)
    talk.say(f"[green]✓[/] A new project in {directory}. Next steps:", markup=False)
    talk.say(f"  cd {directory}\n"
             "  tipsheets build                  # the handouts, into output/ (open output/index.html)\n"
             "  tipsheets new program NAME       # add a class; also: new office, tipsheet, brochure, brand or "
             "edition NAME\n"
             "  Edit content/brands/ for your own name, colours and logo. Open the folder in an editor\n"
             "  with a YAML extension to get field completion from schemas/.", markup=False)


@app.command()
def new(
    kind: Annotated[NewKind, typer.Argument(help="What to start.")],
    name: Annotated[str, typer.Argument(
        help="The id, which is also the file name: lower-case words joined by hyphens.")],
    project: ProjectOption = Path("."),
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Add a commented skeleton content file that builds as it is; replace its REPLACE text."""
    from tipsheets.project.scaffold import ScaffoldError, new_file  # lazy: slow to import

    talk = voice(quiet, verbose)
    try:
        path = new_file(project, kind.value, name)
    except ScaffoldError as exc:
        err.print(f"✗ {exc}", highlight=False, markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    talk.say(f"[green]✓[/] created {path}: replace each REPLACE, then run tipsheets build")
